"""Where the bot may post, as Slack decides it, and the messages it posted there.

Slack's rules (chat.postMessage / chat.postEphemeral / conversations.info references):
- a public channel (C...) the bot is not a member of: `not_in_channel`;
- a private channel, group DM or DM (G..., D...) the bot is not in, so cannot even see:
  `channel_not_found` -- which is what a `/pln` typed in a DM between two people, or in a
  group DM, meets (Slack sends those with channel_name `directmessage` / `mpdm-...`);
- an ephemeral message to someone who is not in the channel: `user_not_in_channel`;
- a user id (U.../W...) as channel: the bot's own DM with that person (its Messages tab).

Default: the bot is a member of every public channel (tests name their channel C1 and expect
the bot there, as after `/invite`), and of no private channel or DM until a test says so with
`join()` or the bot opens its own DM with conversations.open.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Channels:
    outside: set[str] = field(default_factory=set)  # public channels the bot was not invited to
    joined: set[str] = field(default_factory=set)  # private channels, group DMs and DMs the bot is in
    members: dict[str, set[str]] = field(default_factory=dict)  # who is in a channel, where a test says
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (channel, ts) -> message
    ims: dict[tuple[str, str], str] = field(default_factory=dict)  # (team, user) -> the bot's DM with them
    reactions: set[tuple[str, str, str]] = field(default_factory=set)  # (channel, ts, emoji name) the bot added
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def join(self, channel: str) -> None:
        self.outside.discard(channel)
        if not channel.startswith("C"):
            self.joined.add(channel)

    def leave(self, channel: str) -> None:
        self.joined.discard(channel)
        if channel.startswith("C"):
            self.outside.add(channel)

    def refusal(self, channel: str | None) -> str | None:
        """Slack's error for the bot posting into `channel`, or None if it may."""
        if not channel:
            return "channel_not_found"
        if channel[0] == "C":
            return "not_in_channel" if channel in self.outside else None
        if channel[0] in "DG":
            return None if channel in self.joined else "channel_not_found"
        if channel[0] in "UW":
            return None
        return "channel_not_found"

    def user_refusal(self, channel: str, user: str | None) -> str | None:
        if not user:
            return "user_not_found"
        members = self.members.get(channel)
        return "user_not_in_channel" if members is not None and user not in members else None

    def open_im(self, team_id: str, user: str) -> str:
        channel = self.ims.setdefault((team_id, user), f"D{next(self._ids):08d}")
        self.joined.add(channel)
        return channel

    def info(self, channel: str) -> dict[str, Any]:
        refused = self.refusal(channel)
        if refused == "channel_not_found" or channel[:1] in ("U", "W"):
            return {"ok": False, "error": "channel_not_found"}
        kind = channel[0]
        return {"ok": True, "channel": {
            "id": channel, "name": f"chan-{channel.lower()}" if kind in "CG" else None,
            "is_channel": kind == "C", "is_group": kind == "G", "is_im": kind == "D", "is_mpim": False,
            "is_private": kind != "C", "is_member": refused is None, "is_ext_shared": False}}
