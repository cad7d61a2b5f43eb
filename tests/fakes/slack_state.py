"""The state and the method answers of the fake Slack Web API (the server is slack_api.py)."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.block_limits import block_kit_errors

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
class SlackMethods:
    """Workspaces, users and uploads, and what each Web API method answers given them."""

    workspaces: dict[str, Workspace] = field(default_factory=dict)  # by token
    users: dict[tuple[str, str], User] = field(default_factory=dict)  # by (team, user)
    grants: dict[str, OAuthGrant] = field(default_factory=dict)  # by OAuth code
    uploads: dict[str, Upload] = field(default_factory=dict)
    outside: set[str] = field(default_factory=set)  # channels the bot is not a member of
    port: int = 0
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, method: str, workspace: Workspace | None, token: str | None, params: dict[str, Any]) -> dict[str, Any]:
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
