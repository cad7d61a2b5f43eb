"""Serving live boards over HTTP: the page, its Server-Sent Events, its two static files.

`add_board_routes` puts them on any aiohttp app (Slack's HTTP mode serves them beside
/slack/events); `start_board_server` runs them on their own (Socket Mode, Discord, the shell).
A wrong, malformed or revoked token gets the same 404 as any unknown path. Every answer forbids
loading anything from another host (CSP), sends no Referer, and is never cached.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.typedefs import Handler

from adapters.board import page
from adapters.board.hub import BoardHub, Full, Viewer
from adapters.slow_clients import KEEPALIVE_TIMEOUT_S, GuardedSite
from facilitator.domain.board_links import token_hash
from facilitator.reports.board import BoardView

log = logging.getLogger(__name__)
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HEARTBEAT_S = 15.0  # a comment on a quiet stream, so proxies and the page know it is alive
WRITE_TIMEOUT_S = 10.0  # a screen that takes longer to accept a frame is dropped; it reconnects
RETRY_MS = 2000  # how soon a page reconnects after losing the stream
SHUTDOWN_TIMEOUT_S = 5.0
ASSETS = {"board.css": "text/css", "board.js": "text/javascript", "icon.svg": "image/svg+xml"}
_TOKEN_IN_PATH = re.compile(r"(/board/)[^/?]+")


class BoardService(Protocol):
    async def session_of_board(self, token: str) -> int | None: ...

    async def board_view(self, session_id: int) -> BoardView | None: ...


def _secure(response: web.StreamResponse) -> web.StreamResponse:
    response.headers.update(SECURITY_HEADERS)
    return response


def not_found() -> web.Response:
    response = web.Response(status=404, text="Not found")
    _secure(response)
    return response


def add_board_routes(app: web.Application, service: BoardService, hub: BoardHub) -> None:
    assets = {name: resources.files("adapters.board").joinpath("static", name).read_bytes() for name in ASSETS}

    async def board_page(request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        session_id = await service.session_of_board(token)
        view = None if session_id is None else await service.board_view(session_id)
        if view is None:
            return not_found()
        return _secure(web.Response(text=page.page(view, token), content_type="text/html"))

    async def board_events(request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        session_id = await service.session_of_board(token)
        if session_id is None:
            return not_found()
        try:
            viewer = await hub.join(session_id, token_hash(token))
        except Full:
            return _secure(web.Response(status=503, text="Too many viewers", headers={"Retry-After": "30"}))
        try:
            # A reset between the lookup and the join would have missed this viewer: look again.
            if await service.session_of_board(token) != session_id:
                return not_found()
            return await _stream(request, viewer)
        finally:
            hub.leave(viewer)

    async def asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in assets:
            return not_found()
        response = web.Response(body=assets[name], content_type=ASSETS[name])
        _secure(response)
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    app.router.add_get("/board/{token}", board_page)
    app.router.add_get("/board/{token}/events", board_events)
    app.router.add_get("/board-assets/{name}", asset)


async def _stream(request: web.Request, viewer: Viewer) -> web.StreamResponse:
    response = _secure(web.StreamResponse(headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}))
    await response.prepare(request)
    try:
        await _write(response, f"retry: {RETRY_MS}\nevent: clock\ndata: {_epoch_ms()}\n\n"
                               f"event: version\ndata: {page.VERSION}\n\n".encode())
        while True:
            try:
                await asyncio.wait_for(viewer.wake.wait(), HEARTBEAT_S)
            except TimeoutError:
                await _write(response, b": still here\n\n")
                continue
            frame = viewer.take()
            if viewer.closed:
                if viewer.revoked:
                    await _write(response, b"event: gone\ndata: {}\n\n")
                break
            if frame is not None:
                await _write(response, frame)
    except (ConnectionError, TimeoutError):
        pass  # the screen went away, or stopped reading: it reconnects if it is still there
    return response


async def _write(response: web.StreamResponse, data: bytes) -> None:
    # asyncio.timeout, not wait_for: no task per write, and a frame goes to every screen at once.
    async with asyncio.timeout(WRITE_TIMEOUT_S):
        await response.write(data)


def _epoch_ms() -> int:
    return int(time.time() * 1000)


class RedactingAccessLogger(AbstractAccessLogger):
    """aiohttp's access log, without board tokens: a log reader must not be able to open a board."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = _TOKEN_IN_PATH.sub(r"\1…", request.path)
        self.logger.info('%s "%s %s" %s %.3fs', request.remote, request.method, path, response.status, time)


@dataclass
class BoardServer:
    runner: web.AppRunner
    port: int

    async def close(self) -> None:
        await self.runner.cleanup()


@web.middleware
async def _plain_not_found(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return not_found()


async def start_board_server(host: str, port: int, service: BoardService, hub: BoardHub) -> BoardServer | None:
    """The boards on their own server; None (and one warning) when the port can't be had."""
    app = web.Application(middlewares=[_plain_not_found])
    add_board_routes(app, service, hub)
    runner = web.AppRunner(app, access_log_class=RedactingAccessLogger, keepalive_timeout=KEEPALIVE_TIMEOUT_S,
                           shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    await runner.setup()
    site = GuardedSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        log.warning("Live boards are off: could not listen on %s:%s (%s). Everything else works.",
                    host, port, exc.strerror or exc)
        await runner.cleanup()
        return None
    return BoardServer(runner, site.port)
