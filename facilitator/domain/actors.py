"""Who is asking, and where: the platform-neutral inputs of every service call."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    tenant: str  # a Slack team id or a Discord guild id: data never crosses it
    user_id: str  # the platform's user id ("U0123", "81234..."; the name in the shell)
    name: str  # display name, as the platform shows it
    is_admin: bool = False  # Slack admin or owner, Discord Manage Server: counts as a facilitator


@dataclass(frozen=True)
class Place:
    platform: str  # "slack", "discord" or "shell"
    channel: str
    thread: str | None = None  # the session thread (Slack thread_ts, Discord thread channel id)
    session_id: int | None = None  # set when a button or modal names its session
