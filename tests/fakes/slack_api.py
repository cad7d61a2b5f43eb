"""A local server that plays the Slack Web API for tests, as strict as Slack.

It answers the methods the Slack adapter calls (slack_methods.py), records every call
(method, parameters from the query string, JSON or form body, headers without
credentials, the answer and its HTTP status), and refuses what Slack refuses: Block Kit
and view limits (block_limits.py), channels the bot may not post in (slack_channels.py),
trigger_ids past 3 s or used twice (slack_triggers.py), response_urls past 5 posts or
30 minutes (slack_response_urls.py), and calls past a method's rate tier, with 429 and
Retry-After (slack_rate_limits.py: on by default; its docstring says why). It can also be
told to answer a method with 429s or 5xx a few times (`fail`).

    fake = FakeSlackApi()                # or FakeSlackApi(clock=ManualClock()) to step time by hand
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

from tests.fakes.block_limits import MESSAGE_BLOCKS, block_kit_errors
from tests.fakes.slack_methods import SlackMethods
from tests.fakes.slack_rate_limits import RateLimits
from tests.fakes.slack_response_urls import ResponseUrls
from tests.fakes.slack_state import Call, Fault, OAuthGrant, Upload, User, Workspace

__all__ = ["Call", "FakeSlackApi", "Upload", "User", "Workspace"]

_SECRET_HEADERS = {"authorization", "cookie"}


@dataclass
class FakeSlackApi(SlackMethods):
    calls: list[Call] = field(default_factory=list)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)  # what Socket Mode clients sent back
    rate_limits: RateLimits = field(init=False)
    response_urls: ResponseUrls = field(init=False)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.rate_limits = RateLimits(self.clock)
        self.response_urls = ResponseUrls(self.clock)

    # -- set-up -------------------------------------------------------------

    def install(self, token: str, team_id: str, team_name: str | None = None, *, enterprise_id: str | None = None,
                org_wide: bool = False) -> Workspace:
        """A bot token for one workspace; with enterprise_id, a workspace of that Grid org
        (org_wide: the org-wide install, whose token Slack accepts for every workspace of the org)."""
        workspace = Workspace(token, team_id, team_name or f"Team {team_id}", f"UBOT{team_id}", f"BBOT{team_id}",
                              enterprise_id, org_wide)
        self.workspaces[token] = workspace
        return workspace

    def revoke(self, token: str) -> None:
        self.workspaces.pop(token, None)

    def add_user(self, team_id: str, user_id: str, name: str, *, is_admin: bool = False, is_owner: bool = False,
                 enterprise_id: str | None = None, seen_by: tuple[str, ...] = ()) -> User:
        """A person whose home is team_id; in a Grid org with enterprise_id; `seen_by` names the
        workspaces of other orgs that share a Slack Connect channel with them."""
        user = User(user_id, team_id, name, is_admin, is_owner, enterprise_id, frozenset(seen_by))
        self.users[(team_id, user_id)] = user
        return user

    def join(self, channel: str) -> None:
        """The bot is in `channel` now (invited to a private channel or group DM, or to a public one)."""
        self.channels.join(channel)

    def leave(self, channel: str) -> None:
        self.channels.leave(channel)

    def trigger_id(self, age: float = 0.0) -> str:
        """A trigger_id as Slack sends with an interaction, issued now (or `age` seconds ago)."""
        return self.triggers.mint(age)

    def set_tier(self, method: str, per_minute: float, burst: float | None = None) -> None:
        """This method's rate budget per workspace (per channel for chat.postMessage)."""
        self.rate_limits.set_tier(method, per_minute, burst)

    @property
    def ratelimited(self) -> dict[str, int]:
        """How many 429s were served, by method."""
        return dict(self.rate_limits.ratelimited)

    def grant_oauth_code(self, code: str, token: str, team_id: str, installer_user_id: str, scope: str = "commands,chat:write",
                         *, enterprise_id: str | None = None, org_wide: bool = False) -> None:
        """oauth.v2.access with this code will return a new bot token for team_id (or, org_wide, for
        the whole Grid org enterprise_id: Slack then answers `team: null`)."""
        workspace = Workspace(token, team_id, f"Team {team_id}", f"UBOT{team_id}", f"BBOT{team_id}", enterprise_id, org_wide)
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

    def response_url(self, label: str = "r") -> str:
        """A new response_url, as Slack sends with each command or click (5 posts, 30 minutes)."""
        return f"{self.root_url}/respond/{self.response_urls.mint(label)}"

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
            if fault.status == 429:
                self.rate_limits.count_refusal(method)
            return self._refuse(call, fault.status, fault.retry_after)
        if workspace is not None:  # Slack rates a call once it knows whose it is
            wait = self.rate_limits.check(workspace.team_id, method, params.get("channel"))
            if wait is not None:
                return self._refuse(call, 429, wait)
        call.response = self.answer(method, workspace, token, params)
        return web.json_response(call.response)

    @staticmethod
    def _refuse(call: Call, status: int, retry_after: int | None) -> web.Response:
        extra = {"Retry-After": str(retry_after)} if status == 429 and retry_after is not None else {}
        call.status = status
        call.response = {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}
        return web.json_response(call.response, status=status, headers=extra)

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
        call = Call("response_url", params, {}, None)
        self.calls.append(call)
        error = self.response_urls.use(params["hook"])
        if error:
            call.status, call.response = 404, {"ok": False, "error": error}
        elif errors := block_kit_errors(params.get("blocks"), limit=MESSAGE_BLOCKS):
            call.status, call.response = 400, {"ok": False, "error": "invalid_blocks",
                                               "response_metadata": {"messages": errors}}
        elif not params.get("text") and not params.get("blocks") and not params.get("delete_original"):
            call.status, call.response = 400, {"ok": False, "error": "no_text"}
        else:
            call.response = {"ok": True}
        return web.json_response(call.response, status=call.status)

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
