"""The live boards of one bot process, wired together: the hub the service tells of changes,
the relay to other processes (PostgreSQL), and the web server (or routes on Slack's)."""

from __future__ import annotations

from aiohttp import web

from adapters.board import page
from adapters.board.hub import BoardHub
from adapters.board.pg_relay import PgRelay, asyncpg_dsn
from adapters.board.server import BoardServer, add_board_routes, start_board_server
from facilitator.app.service import FacilitationService
from facilitator.domain.board_links import board_base


class Boards:
    def __init__(self, service: FacilitationService) -> None:
        self.service = service
        self.hub = BoardHub(service, page.live_parts, page.board_event)
        self.relay: PgRelay | None = None
        self.server: BoardServer | None = None
        service.watch(self.hub)

    async def start_relay(self) -> None:
        """On PostgreSQL, hear the other processes' changes; SQLite has one process by design."""
        engine = self.service.context.db.engine
        if engine.dialect.name == "postgresql" and self.relay is None:
            self.relay = PgRelay(asyncpg_dsn(engine.url), self.hub)
            self.hub.relay = self.relay
            await self.relay.start()

    def add_routes(self, app: web.Application) -> None:
        add_board_routes(app, self.service, self.hub)

    def served_at(self, host: str, port: int) -> None:
        """Links of `/pln board` point here (unless FACILITATOR_PUBLIC_URL says otherwise)."""
        self.service.context.boards.served_at = board_base(None, host, port)

    async def serve(self, host: str, port: int) -> bool:
        """The boards' own server (Socket Mode, Discord, the shell). False when the port was taken:
        the warning is logged once and the bot goes on without boards."""
        await self.start_relay()
        self.server = await start_board_server(host, port, self.service, self.hub)
        if self.server is None:
            return False
        self.served_at(host, self.server.port)
        return True

    async def close(self) -> None:
        self.service.context.boards.served_at = None
        await self.hub.close()
        if self.server is not None:
            await self.server.close()
        if self.relay is not None:
            await self.relay.close()
