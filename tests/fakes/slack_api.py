"""A local server that plays the Slack Web API for tests.

It answers the methods the Slack adapter calls, records every call (method, parameters
from the query string, JSON or form body, headers without credentials), checks the
Block Kit limits Slack enforces (so a renderer that breaks them fails here as it would
in Slack), and can be told to answer a method with 429s or 5xx a few times.

    fake = FakeSlackApi()
    fake.install("xoxb-T1", team_id="T1")
    await fake.start()
    client = AsyncWebClient(token="xoxb-T1", base_url=fake.base_url)
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.block_limits import block_kit_errors
from tests.fakes.slack_state import Call, Fault, OAuthGrant, SlackMethods, Upload, User, Workspace

__all__ = ["Call", "FakeSlackApi", "Upload", "User", "Workspace"]

_SECRET_HEADERS = {"authorization", "cookie"}



@dataclass
class FakeSlackApi(SlackMethods):
    calls: list[Call] = field(default_factory=list)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)  # what Socket Mode clients sent back
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    # -- set-up -------------------------------------------------------------

    def install(self, token: str, team_id: str, team_name: str | None = None) -> Workspace:
        workspace = Workspace(token, team_id, team_name or f"Team {team_id}", f"UBOT{team_id}", f"BBOT{team_id}")
        self.workspaces[token] = workspace
        return workspace

    def revoke(self, token: str) -> None:
        self.workspaces.pop(token, None)

    def add_user(self, team_id: str, user_id: str, name: str, *, is_admin: bool = False, is_owner: bool = False) -> User:
        user = User(user_id, team_id, name, is_admin, is_owner)
        self.users[(team_id, user_id)] = user
        return user

    def grant_oauth_code(self, code: str, token: str, team_id: str, installer_user_id: str, scope: str = "commands,chat:write") -> None:
        """oauth.v2.access with this code will return a new bot token for team_id."""
        workspace = Workspace(token, team_id, f"Team {team_id}", f"UBOT{team_id}", f"BBOT{team_id}")
        self.grants[code] = OAuthGrant(code, workspace, installer_user_id, scope)

    def fail(self, method: str, status: int = 429, times: int = 1, retry_after: int | None = 1) -> None:
        """The next `times` calls of `method` get this status instead of an answer."""
        queue = self.faults.setdefault(method, deque())
        for _ in range(times):
            queue.append(Fault(status, retry_after if status == 429 else None))

    # -- lifecycle ------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle_api)
        app.router.add_get("/api/{method}", self._handle_api)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_post("/respond/{hook}", self._handle_response_url)
        app.router.add_get("/socket", self._handle_socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/api/"

    def response_url(self, hook: str) -> str:
        return f"{self.root_url}/respond/{hook}"

    # -- queries for tests ------------------------------------------------------

    def calls_to(self, method: str, team_id: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and (team_id is None or c.team_id == team_id)]

    async def wait_for(self, predicate: Callable[[FakeSlackApi], Any], timeout: float = 10.0) -> Any:
        """Poll until predicate(self) is truthy: the bot acks first and works afterwards."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate(self)
            if result:
                return result
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting; {len(self.calls)} calls recorded: {[c.method for c in self.calls][-20:]}")
            await asyncio.sleep(0.02)

    async def wait_for_calls(self, method: str, count: int, timeout: float = 10.0) -> list[Call]:
        await self.wait_for(lambda fake: len(fake.calls_to(method)) >= count, timeout)
        return self.calls_to(method)

    # -- handlers -------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        params.update(await _body_params(request))
        token = _bearer_token(request) or params.pop("token", None)
        workspace = self.workspaces.get(token) if token else None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SECRET_HEADERS}
        call = Call(method, params, headers, workspace.team_id if workspace else None)
        self.calls.append(call)
        queue = self.faults.get(method)
        if queue:
            fault = queue.popleft()
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            call.response = {"ok": False, "error": "ratelimited" if fault.status == 429 else "internal_error",
                             "status": fault.status}
            return web.json_response(call.response, status=fault.status, headers=extra)
        call.response = self.answer(method, workspace, token, params)
        return web.json_response(call.response)

    async def _handle_upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404)
        upload.content = await request.read()
        self.calls.append(Call("upload", {"file_id": upload.file_id, "length": len(upload.content)}, {}, None))
        return web.Response(text=f"OK - {len(upload.content)}")

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        params = await _body_params(request)
        params["hook"] = request.match_info["hook"]
        self.calls.append(Call("response_url", params, {}, None))
        errors = block_kit_errors(params.get("blocks"), limit=50)
        return web.json_response({"ok": not errors, **({"error": "invalid_blocks", "errors": errors} if errors else {})})

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "AFACILITATOR"}})
        try:
            async for message in socket:
                if message.type == web.WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(message.data))
        finally:
            self._sockets.remove(socket)
        return socket

    async def push_envelope(self, envelope: dict[str, Any]) -> None:
        """Deliver a Socket Mode envelope (slash_commands, interactive, events_api) to every client."""
        await self.wait_for(lambda fake: fake._sockets)
        for socket in self._sockets:
            await socket.send_json(envelope)


def _bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    return header[len("Bearer "):] if header.startswith("Bearer ") else None


async def _body_params(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    return {}
