"""A local server that plays Discord: the REST API (v10) and the gateway websocket.

A real discord.py bot logs in against it (point `discord.http.Route.BASE` at `api_base`),
asks `GET /gateway/bot` for the websocket URL and shard count, identifies each shard and gets
READY + GUILD_CREATE. A bot with a fixed shard count dials discord.py's built-in gateway URL
instead: `serve_default_gateway` and tests/fakes/discord_gateway_host.py lead it here. Tests then inject INTERACTION_CREATE / MESSAGE_CREATE on the shard that
owns the guild, and read back every REST call the bot made from `calls`.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord_model import (
    FakeGuild,
    FakeMember,
    snowflake,
    user_payload,
)
from tests.fakes.discord_events import EventInjection
from tests.fakes.discord_routes import route

JSON = "application/json"  # exactly: discord.py parses bodies only for this content-type
GATEWAY_PATH = "/gateway"


@dataclass
class RecordedCall:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any  # the JSON body, or the multipart `payload_json`
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, content)


@dataclass
class _Shard:
    shard_id: int
    ws: web.WebSocketResponse
    session_id: str
    sequence: int = 0

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.sequence += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.sequence, "d": data}))


def _reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Set the header by hand: aiohttp's content_type= (and json_response) append "; charset=utf-8".
    return web.Response(status=status, body=json.dumps(data).encode(), headers={"Content-Type": JSON, **(headers or {})})


# Interaction callbacks and webhooks are authorised by the token in their path, not the bot's.
_TOKEN_IN_PATH = ("/interactions/", "/webhooks/")


class FakeDiscord(EventInjection):
    API_PREFIX = "/api/v10"

    def __init__(self, shard_count: int = 1) -> None:
        self.shard_count = shard_count
        self.application_id = snowflake()
        self.bot_user_id = self.application_id
        self.token = "fake-bot-token"
        self.guilds: dict[int, FakeGuild] = {}
        self.calls: list[RecordedCall] = []
        self.messages: dict[int, dict[str, Any]] = {}  # every message the bot created, by id
        self.threads: dict[int, dict[str, Any]] = {}
        self.dm_channels: dict[int, int] = {}  # direct-message channel id -> the person's user id
        self.refusing_dms: set[int] = set()  # people whose privacy settings refuse the bot's DMs
        # What the REST side needs to know about each interaction it is answering.
        self.interaction_channels: dict[int, int] = {}  # interaction id -> channel id
        self.interaction_messages: dict[int, int] = {}  # interaction id -> message the component is on
        self.token_channels: dict[str, int] = {}  # interaction token -> channel id
        self.originals: dict[str, int] = {}  # interaction token -> original response message id
        self.interactions: list[dict[str, Any]] = []
        self.shards: dict[int, _Shard] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self._rate_limits: dict[tuple[str, str], list[float]] = {}  # (method, path prefix) -> retry_afters
        self._refusals: dict[tuple[str, str], tuple[int, int, str]] = {}  # -> (status, code, message)
        self._shard_ready = asyncio.Condition()
        self._call_added = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.tls_port = 0  # where the built-in gateway URL leads (see serve_default_gateway)
        self.gateway_connections: list[str] = []  # "scheme://host/path" of each gateway websocket

    # ----- lifecycle -----

    async def start(self) -> None:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get(GATEWAY_PATH, self._gateway)
        app.router.add_get("/", self._gateway)  # the path of discord.py's built-in wss://gateway.discord.gg/
        app.router.add_route("*", self.API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def serve_default_gateway(self, context: ssl.SSLContext) -> None:
        """Also serve over TLS, for bots sent here from discord.py's built-in gateway URL
        (tests/fakes/discord_gateway_host.py). Call after start()."""
        assert self._runner is not None
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        self.tls_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for shard in list(self.shards.values()):
            await shard.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    # ----- world -----

    def add_guild(self, name: str, members: list[tuple[str, bool]], shard: int | None = None) -> FakeGuild:
        """A guild whose id maps to `shard`; members are (name, has Manage Server)."""
        guild_id = snowflake(shard, self.shard_count) if shard is not None else snowflake()
        guild = FakeGuild(guild_id, name, snowflake(), [FakeMember(snowflake(), n, admin) for n, admin in members],
                          admin_role_id=snowflake())
        self.guilds[guild_id] = guild
        return guild

    def member_by_id(self, user_id: int) -> FakeMember | None:
        """A person the bot shares a guild with (the only people a bot can look up and DM)."""
        return next((m for g in self.guilds.values() for m in g.members if m.user_id == user_id), None)

    def refuse_dms(self, member: FakeMember) -> None:
        """`member` doesn't accept direct messages from server members: the DM channel opens, but
        every message sent in it fails with 403, code 50007, as on Discord."""
        self.refusing_dms.add(member.user_id)

    def direct_messages(self, member: FakeMember) -> list[RecordedCall]:
        """Every message the bot tried to send `member` in their DM channel (refused ones too)."""
        channels = {c for c, user in self.dm_channels.items() if user == member.user_id}
        return [c for c in self.calls if c.method == "POST" and c.path.startswith("/channels/")
                and c.path.endswith("/messages") and int(c.path.split("/")[2]) in channels]

    def shard_for(self, guild_id: int) -> int:
        return (guild_id >> 22) % self.shard_count

    def rate_limit(self, method: str, path_prefix: str, retry_after: float = 0.05, times: int = 1) -> None:
        """The next `times` calls matching answer 429 with `retry_after` (seconds)."""
        self._rate_limits[(method, path_prefix)] = [retry_after] * times

    def refuse(self, method: str, path_prefix: str, status: int = 403, code: int = 50013,
               message: str = "Missing Permissions") -> None:
        """Every matching call fails the way Discord refuses it (default: a missing permission)."""
        self._refusals[(method, path_prefix)] = (status, code, message)

    # ----- waiting on the bot -----

    async def wait_for_shards(self, count: int | None = None, timeout: float = 10) -> None:
        wanted = self.shard_count if count is None else count

        async def ready() -> None:
            async with self._shard_ready:
                await self._shard_ready.wait_for(lambda: len(self.shards) >= wanted)

        await asyncio.wait_for(ready(), timeout)

    async def wait_for_call(self, predicate: Any, timeout: float = 10) -> RecordedCall:
        """The first recorded call (past or future) matching `predicate`."""

        def found() -> RecordedCall | None:
            return next((c for c in self.calls if predicate(c)), None)

        async def wait() -> RecordedCall:
            async with self._call_added:
                await self._call_added.wait_for(lambda: found() is not None)
            result = found()
            assert result is not None
            return result

        return await asyncio.wait_for(wait(), timeout)

    async def wait_for_calls(self, predicate: Any, count: int, timeout: float = 10) -> list[RecordedCall]:
        async def wait() -> list[RecordedCall]:
            async with self._call_added:
                await self._call_added.wait_for(lambda: sum(1 for c in self.calls if predicate(c)) >= count)
            return [c for c in self.calls if predicate(c)]

        return await asyncio.wait_for(wait(), timeout)

    async def drop_shard(self, shard_id: int) -> None:
        """Close a shard's socket the way Discord does before asking for a RESUME."""
        shard = self.shards.pop(shard_id)
        await shard.ws.close(code=4000, message=b"fake: please resume")

    async def wait_for_resume(self, session_id: str, timeout: float = 10) -> None:
        async def resumed() -> None:
            async with self._shard_ready:
                await self._shard_ready.wait_for(
                    lambda: any(s.session_id == session_id for s in self.shards.values())
                    and any(r["session_id"] == session_id for r in self.resumes))

        await asyncio.wait_for(resumed(), timeout)

    # ----- injecting events -----

    async def dispatch_to_guild(self, guild_id: int, event: str, data: dict[str, Any]) -> None:
        shard = self.shards[self.shard_for(guild_id)]
        await shard.dispatch(event, data)

    # ----- gateway -----

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.gateway_connections.append(f"{request.scheme}://{request.host}{request.path}")
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        shard: _Shard | None = None
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op, data = frame.get("op"), frame.get("d")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                self.identifies.append(data)
                shard_id, _count = data.get("shard", [0, 1])
                shard = _Shard(shard_id, ws, session_id=f"session-{shard_id}-{snowflake()}")
                await self._ready(shard)
            elif op == 6:
                self.resumes.append(data)
                shard_id = int(data["session_id"].split("-")[1])
                shard = _Shard(shard_id, ws, session_id=data["session_id"], sequence=data.get("seq") or 0)
                await self._register(shard)
                await shard.dispatch("RESUMED", {})
        return ws

    async def _ready(self, shard: _Shard) -> None:
        mine = [g for g in self.guilds.values() if self.shard_for(g.guild_id) == shard.shard_id]
        await shard.dispatch("READY", {
            "v": 10,
            "user": user_payload(self.bot_user_id, "facilitator", bot=True),
            "guilds": [{"id": str(g.guild_id), "unavailable": True} for g in mine],
            "session_id": shard.session_id,
            "resume_gateway_url": self.gateway_url,
            "shard": [shard.shard_id, self.shard_count],
            "application": {"id": str(self.application_id), "flags": 0},
        })
        for guild in mine:
            payload = guild.payload(self.bot_user_id)
            # Active threads come with the guild, as on Discord.
            payload["threads"] = [t for t in self.threads.values() if t["guild_id"] == str(guild.guild_id)]
            await shard.dispatch("GUILD_CREATE", payload)
        await self._register(shard)

    async def _register(self, shard: _Shard) -> None:
        async with self._shard_ready:
            self.shards[shard.shard_id] = shard
            self._shard_ready.notify_all()

    # ----- REST -----

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body, files = await _read_body(request)
        call = RecordedCall(request.method, path, dict(request.query), body, files)
        async with self._call_added:
            self.calls.append(call)
            self._call_added.notify_all()
        if not path.startswith(_TOKEN_IN_PATH) and request.headers.get("Authorization") != f"Bot {self.token}":
            # As Discord answers a wrong or missing bot token (discord.py then raises LoginFailure).
            return _reply({"message": "401: Unauthorized", "code": 0}, status=401)
        refusal = next((r for (m, prefix), r in self._refusals.items()
                        if m == request.method and path.startswith(prefix)), None)
        if refusal is not None:
            return _reply({"message": refusal[2], "code": refusal[1]}, status=refusal[0])
        limited = self._take_rate_limit(request.method, path)
        if limited is not None:
            return _reply({"message": "You are being rate limited.", "retry_after": limited, "global": False},
                          status=429, headers={"Via": "1.1 google", "Retry-After": str(limited)})
        status, data = route(self, request.method, path, body, files)
        if status == 204:
            return web.Response(status=204)
        return _reply(data, status=status)

    def _take_rate_limit(self, method: str, path: str) -> float | None:
        for (m, prefix), pending in self._rate_limits.items():
            if m == method and path.startswith(prefix) and pending:
                return pending.pop(0)
        return None


async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            content = await part.read()  # type: ignore[union-attr]
            if part.name == "payload_json":  # type: ignore[union-attr]
                payload = json.loads(content)
            else:
                files.append((part.filename or "", bytes(content)))  # type: ignore[union-attr]
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode(errors="replace"), []
