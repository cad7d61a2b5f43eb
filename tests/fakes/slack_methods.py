"""What each Web API method answers, given the fake's workspaces, people and channels, with
Slack's own error codes and shapes (`{"ok": false, "error": ..., "response_metadata":
{"messages": [...]}}`). The HTTP side, rate tiers included, is slack_api.py."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.block_limits import MESSAGE_BLOCKS, MESSAGE_TEXT, block_kit_errors, view_errors
from tests.fakes.slack_channels import Channels
from tests.fakes.slack_clock import Clock, RunningClock
from tests.fakes.slack_state import OAuthGrant, Upload, User, Workspace
from tests.fakes.slack_triggers import TriggerIds

Answer = dict[str, Any]


def refused(error: str, messages: list[str] | None = None) -> Answer:
    answer: Answer = {"ok": False, "error": error}
    if messages:
        answer["response_metadata"] = {"messages": messages}
    return answer


@dataclass
class SlackMethods:
    """Workspaces, users, channels and uploads, and what each Web API method answers given them."""

    clock: Clock = field(default_factory=RunningClock)
    workspaces: dict[str, Workspace] = field(default_factory=dict)  # by token
    users: dict[tuple[str, str], User] = field(default_factory=dict)  # by (home team, user)
    grants: dict[str, OAuthGrant] = field(default_factory=dict)  # by OAuth code
    uploads: dict[str, Upload] = field(default_factory=dict)
    channels: Channels = field(default_factory=Channels)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # opened or published, by id
    triggers: TriggerIds = field(init=False)
    port: int = 0
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.triggers = TriggerIds(self.clock)

    @property
    def outside(self) -> set[str]:
        """Public channels the bot is not a member of (tests add to it)."""
        return self.channels.outside

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, method: str, workspace: Workspace | None, token: str | None, params: dict[str, Any]) -> Answer:
        if method == "oauth.v2.access":
            return self._oauth_access(params)
        if method == "apps.connections.open":  # authorised by an app-level token, not a bot token
            if not (token or "").startswith("xapp-"):
                return refused("invalid_auth")
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        if workspace is None:
            return refused("not_authed" if not token else "invalid_auth")
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return refused("unknown_method")
        result: Answer = handler(workspace, params)
        return result

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    # -- identity ---------------------------------------------------------------------

    def _m_auth_test(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        answer: Answer = {"ok": True, "url": f"https://{ws.team_id.lower()}.slack.test/", "team": ws.team_name,
                          "user": "facilitator", "team_id": ws.team_id, "user_id": ws.bot_user_id, "bot_id": ws.bot_id,
                          "is_enterprise_install": ws.is_enterprise_install}
        if ws.enterprise_id:
            answer["enterprise_id"] = ws.enterprise_id
        return answer

    def _m_users_info(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        wanted = params.get("user", "")
        user = next((u for u in self.users.values() if u.user_id == wanted and self._sees(ws, u)), None)
        if user is None:
            return refused("user_not_found")
        found: Answer = {"id": user.user_id, "team_id": user.team_id, "name": user.name.lower().replace(" ", "."),
                         "real_name": user.name, "is_admin": user.is_admin, "is_owner": user.is_owner, "is_bot": False,
                         "deleted": False, "profile": {"display_name": user.name, "real_name": user.name,
                                                       "team": user.team_id}}
        if user.enterprise_id:
            found["enterprise_user"] = {"id": user.user_id, "enterprise_id": user.enterprise_id,
                                        "enterprise_name": f"Org {user.enterprise_id}", "is_admin": user.is_admin,
                                        "is_owner": user.is_owner, "teams": [user.team_id]}
        return {"ok": True, "user": found}

    @staticmethod
    def _sees(ws: Workspace, user: User) -> bool:
        """A workspace sees its own people, the rest of its Grid org, and Slack Connect partners."""
        return (user.team_id == ws.team_id or ws.team_id in user.seen_by
                or (ws.enterprise_id is not None and user.enterprise_id == ws.enterprise_id))

    # -- messages ---------------------------------------------------------------------

    def _message_refusal(self, params: dict[str, Any]) -> Answer | None:
        error = self.channels.refusal(params.get("channel"))
        if error:
            return refused(error)
        if not params.get("text") and not params.get("blocks"):
            return refused("no_text")
        errors = block_kit_errors(params.get("blocks"), limit=MESSAGE_BLOCKS)
        return refused("invalid_blocks", errors) if errors else None

    def _m_chat_postMessage(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        refusal = self._message_refusal(params)
        if refusal:
            return refusal
        ts = self._next_ts()
        channel = str(params["channel"])
        if channel[0] in "UW":
            # A user id as the channel posts into the app's DM with that person, which Slack opens
            # if need be; the answer names the DM (D...), where clicks on the message come from.
            channel = self.channels.open_im(ws.team_id, channel)
        # Slack keeps 40,000 characters of text and drops the rest without an error.
        message: Answer = {"type": "message", "user": ws.bot_user_id, "bot_id": ws.bot_id, "app_id": "AFACILITATOR",
                           "team": ws.team_id, "text": str(params.get("text", ""))[:MESSAGE_TEXT], "ts": ts}
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        blocks = params.get("blocks")
        if blocks:
            message["blocks"] = json.loads(blocks) if isinstance(blocks, str) else blocks
        self.channels.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _m_chat_postEphemeral(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        refusal = self._message_refusal(params)
        if refusal:
            return refusal
        error = self.channels.user_refusal(params["channel"], params.get("user"))
        return refused(error) if error else {"ok": True, "message_ts": self._next_ts()}

    def _own_message(self, ws: Workspace, params: dict[str, Any], cannot: str) -> tuple[Answer | None, Answer]:
        error = self.channels.refusal(params.get("channel"))
        if error:
            return refused(error), {}
        message = self.channels.messages.get((params["channel"], str(params.get("ts", ""))))
        if message is None:
            return refused("message_not_found"), {}
        if message.get("bot_id") != ws.bot_id:
            return refused(cannot), {}
        return None, message

    def _m_chat_update(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        refusal, message = self._own_message(ws, params, "cant_update_message")
        refusal = refusal or self._message_refusal(params)
        if refusal:
            return refusal
        message["text"] = str(params.get("text", ""))[:MESSAGE_TEXT]
        message["edited"] = {"user": ws.bot_user_id, "ts": self._next_ts()}
        return {"ok": True, "channel": params["channel"], "ts": message["ts"], "text": message["text"], "message": message}

    def _m_chat_delete(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        refusal, message = self._own_message(ws, params, "cant_delete_message")
        if refusal:
            return refusal
        del self.channels.messages[(params["channel"], message["ts"])]
        return {"ok": True, "channel": params["channel"], "ts": message["ts"]}

    def _m_chat_getPermalink(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        ts = str(params.get("message_ts", ""))
        if self.channels.refusal(params.get("channel")) == "channel_not_found":
            return refused("channel_not_found")
        return {"ok": True, "channel": params.get("channel"),
                "permalink": f"https://{ws.team_id.lower()}.slack.test/archives/{params.get('channel')}/p{ts.replace('.', '')}"}

    def _m_reactions_add(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        error = self.channels.refusal(params.get("channel"))
        if error:
            return refused(error)
        if not params.get("name") or not params.get("timestamp"):
            return refused("invalid_arguments")
        key = (str(params["channel"]), str(params["timestamp"]), str(params["name"]))
        if key in self.channels.reactions:
            return refused("already_reacted")
        self.channels.reactions.add(key)
        return {"ok": True}

    # -- conversations -------------------------------------------------------------------

    def _m_conversations_info(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        return self.channels.info(str(params.get("channel", "")))

    def _m_conversations_open(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        users = [u for u in str(params.get("users", "")).split(",") if u]
        if len(users) != 1:  # group DMs need a user token's say-so; the bot opens DMs only
            return refused("not_enough_users" if not users else "method_not_supported_for_channel_type")
        channel = self.channels.open_im(ws.team_id, users[0])
        return {"ok": True, "channel": {"id": channel}}

    # -- views --------------------------------------------------------------------------

    def _view_answer(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        errors = view_errors(view)
        if errors:
            return refused("invalid_arguments", errors)
        assert isinstance(view, dict)
        view_id = self._next_id("V")
        shown = {**view, "id": view_id, "team_id": ws.team_id, "app_id": "AFACILITATOR", "bot_id": ws.bot_id,
                 "state": {"values": {}}, "hash": f"{self._next_ts()}.h", "root_view_id": view_id}
        self.views[view_id] = shown
        return {"ok": True, "view": shown}

    def _m_views_open(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        error = self.triggers.exchange(params.get("trigger_id"))
        return refused(error) if error else self._view_answer(ws, params)

    def _m_views_push(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        return self._m_views_open(ws, params)

    def _m_views_update(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        if params.get("view_id") not in self.views:
            return refused("not_found")
        return self._view_answer(ws, params)

    def _m_views_publish(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        if not params.get("user_id"):
            return refused("invalid_arguments", ["[ERROR] missing required field: user_id"])
        view = params.get("view")
        if (json.loads(view) if isinstance(view, str) else view or {}).get("type") != "home":
            return refused("invalid_arguments", ["[ERROR] must be home [json-pointer:/view/type]"])
        return self._view_answer(ws, params)

    # -- files ------------------------------------------------------------------------------

    def _m_files_getUploadURLExternal(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        if not params.get("filename") or not str(params.get("length", "")).isdigit():
            return refused("invalid_arguments")
        file_id = self._next_id("F")
        self.uploads[file_id] = Upload(file_id, params["filename"])
        return {"ok": True, "upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, ws: Workspace, params: dict[str, Any]) -> Answer:
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        if params.get("channel_id"):
            error = self.channels.refusal(params["channel_id"])
            if error:
                return refused(error)
        done = []
        for entry in files or []:
            upload = self.uploads.get(entry.get("id"))
            if upload is None:
                return refused("file_not_found")
            upload.channel = params.get("channel_id")
            upload.thread_ts = params.get("thread_ts")
            upload.title = entry.get("title")
            done.append({"id": upload.file_id, "name": upload.filename, "title": upload.title})
        return {"ok": True, "files": done}

    def _oauth_access(self, params: dict[str, Any]) -> Answer:
        grant = self.grants.pop(params.get("code", ""), None)  # a code works once, as in Slack
        if grant is None:
            return refused("invalid_code")
        ws = grant.workspace
        self.workspaces[ws.token] = ws
        enterprise = {"id": ws.enterprise_id, "name": f"Org {ws.enterprise_id}"} if ws.enterprise_id else None
        return {"ok": True, "app_id": "AFACILITATOR", "authed_user": {"id": grant.installer_user_id}, "scope": grant.scope,
                "token_type": "bot", "access_token": ws.token, "bot_user_id": ws.bot_user_id,
                "team": None if ws.is_enterprise_install else {"id": ws.team_id, "name": ws.team_name},
                "enterprise": enterprise, "is_enterprise_install": ws.is_enterprise_install}
