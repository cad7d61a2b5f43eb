"""What the fake Slack Web API knows: workspaces, people, recorded calls, uploads
(the answers are slack_methods.py, the server slack_api.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Workspace:
    token: str
    team_id: str
    team_name: str
    bot_user_id: str
    bot_id: str
    enterprise_id: str | None = None  # Enterprise Grid: the org this workspace belongs to
    is_enterprise_install: bool = False  # an org-wide install: one token for every workspace of the org


@dataclass
class User:
    user_id: str
    team_id: str  # the person's home workspace
    name: str
    is_admin: bool = False
    is_owner: bool = False
    enterprise_id: str | None = None  # Grid: seen by every workspace of the org
    seen_by: frozenset[str] = frozenset()  # Slack Connect: other orgs' workspaces that share a channel


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    team_id: str | None  # whose token made the call (tokens themselves are not kept)
    response: dict[str, Any] = field(default_factory=dict)  # what the fake answered
    status: int = 200  # its HTTP status: 429 when rate-limited

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

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
