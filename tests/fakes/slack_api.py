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
import itertools
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.block_limits import block_kit_errors

_SECRET_HEADERS = {"authorization", "cookie"}


@dataclass(frozen=True)
class Workspace:
    token: str
    team_id: str
    team_name: str
    bot_user_id: str
    bot_id: str


@dataclass
class User:
    user_id: str
    team_id: str
    name: str
    is_admin: bool = False
    is_owner: bool = False


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    team_id: str | None  # whose token made the call (tokens themselves are not kept)
    response: dict[str, Any] = field(default_factory=dict)  # what the fake answered

    def json_param(self, name: str) -> Any:
        """Blocks, views and file lists arrive JSON-encoded in form bodies, as objects in JSON ones."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Fault:
    status: int
    retry_after: int | None = None


@dataclass
class Upload:
    file_id: str
    filename: str
    content: bytes = b""
    channel: str | None = None
    thread_ts: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class OAuthGrant:
    code: str
    workspace: Workspace
    installer_user_id: str
    scope: str


@dataclass
class FakeSlackApi:
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)
    workspaces: dict[str, Workspace] = field(default_factory=dict)  # by token
    users: dict[tuple[str, str], User] = field(default_factory=dict)  # by (team, user)
    grants: dict[str, OAuthGrant] = field(default_factory=dict)  # by OAuth code
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    outside: set[str] = field(default_factory=set)  # channels the bot is not a member of
    port: int = 0
    socket_acks: list[dict[str, Any]] = field(default_factory=list)  # what Socket Mode clients sent back
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _ids: Any = field(default_factory=lambda: itertools.count(1))

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
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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
        call.response = self._answer(method, workspace, token, params)
        return web.json_response(call.response)

    def _answer(self, method: str, workspace: Workspace | None, token: str | None, params: dict[str, Any]) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self._oauth_access(params)
        if method == "apps.connections.open":  # authorised by an app-level token, not a bot token
            if not (token or "").startswith("xapp-"):
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        if workspace is None:
            return {"ok": False, "error": "not_authed" if not token else "invalid_auth"}
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        result: dict[str, Any] = handler(workspace, params)
        return result

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

    # -- methods ----------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _m_auth_test(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"https://{ws.team_id.lower()}.slack.test/", "team": ws.team_name, "user": "facilitator",
                "team_id": ws.team_id, "user_id": ws.bot_user_id, "bot_id": ws.bot_id, "is_enterprise_install": False}

    def _message_check(self, params: dict[str, Any]) -> dict[str, Any] | None:
        if not params.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if params["channel"] in self.outside:
            return {"ok": False, "error": "not_in_channel"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        errors = block_kit_errors(params.get("blocks"), limit=50)
        return {"ok": False, "error": "invalid_blocks", "errors": errors} if errors else None

    def _m_chat_postMessage(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        refused = self._message_check(params)
        if refused:
            return refused
        ts = self._next_ts()
        message = {"type": "message", "user": ws.bot_user_id, "bot_id": ws.bot_id, "text": params.get("text", ""), "ts": ts}
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        return {"ok": True, "channel": params["channel"], "ts": ts, "message": message}

    def _m_chat_postEphemeral(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        refused = self._message_check(params)
        if refused:
            return refused
        if not params.get("user"):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_update(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        refused = self._message_check(params)
        if refused:
            return refused
        return {"ok": True, "channel": params["channel"], "ts": params.get("ts"), "text": params.get("text", "")}

    def _view_answer(self, params: dict[str, Any], limit: int) -> dict[str, Any]:
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        errors = block_kit_errors(view.get("blocks"), limit=limit)
        if len(view.get("private_metadata", "")) > 3000:
            errors.append("private_metadata longer than 3000")
        if errors:
            return {"ok": False, "error": "invalid_arguments", "errors": errors}
        return {"ok": True, "view": {**view, "id": self._next_id("V")}}

    def _m_views_open(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return self._view_answer(params, limit=100)

    def _m_views_publish(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        return self._view_answer(params, limit=100)

    def _m_users_info(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get((ws.team_id, params.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": {"id": user.user_id, "team_id": user.team_id, "name": user.name.lower().replace(" ", "."),
                                     "real_name": user.name, "is_admin": user.is_admin, "is_owner": user.is_owner,
                                     "is_bot": False, "profile": {"display_name": user.name, "real_name": user.name}}}

    def _m_conversations_info(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel", "")
        return {"ok": True, "channel": {"id": channel, "name": f"chan-{channel.lower()}", "is_channel": True, "is_member": True}}

    def _m_chat_getPermalink(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        ts = str(params.get("message_ts", ""))
        return {"ok": True, "channel": params.get("channel"),
                "permalink": f"https://{ws.team_id.lower()}.slack.test/archives/{params.get('channel')}/p{ts.replace('.', '')}"}

    def _m_files_getUploadURLExternal(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("filename") or not str(params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._next_id("F")
        self.uploads[file_id] = Upload(file_id, params["filename"])
        return {"ok": True, "upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        done = []
        for entry in files or []:
            upload = self.uploads.get(entry.get("id"))
            if upload is None:
                return {"ok": False, "error": "file_not_found"}
            upload.channel = params.get("channel_id")
            upload.thread_ts = params.get("thread_ts")
            upload.title = entry.get("title")
            done.append({"id": upload.file_id, "name": upload.filename, "title": upload.title})
        return {"ok": True, "files": done}

    def _oauth_access(self, params: dict[str, Any]) -> dict[str, Any]:
        grant = self.grants.pop(params.get("code", ""), None)  # a code works once, as in Slack
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        ws = grant.workspace
        self.workspaces[ws.token] = ws
        return {"ok": True, "app_id": "AFACILITATOR", "authed_user": {"id": grant.installer_user_id}, "scope": grant.scope,
                "token_type": "bot", "access_token": ws.token, "bot_user_id": ws.bot_user_id,
                "team": {"id": ws.team_id, "name": ws.team_name}, "enterprise": None, "is_enterprise_install": False}


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
