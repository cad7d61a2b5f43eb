"""REST answers of the fake Discord server, one small function per route: login, users and DMs,
commands, channel messages and threads. Interaction routes are in discord_interaction_routes.

Each checks what Discord checks, in its order: the resource exists (404), the bot may see the
channel (403, 50001), the body is within Discord's limits (400), the bot holds the permission
the call needs in that channel (403, 50013).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tests.fakes import discord_interaction_routes as interaction_routes
from tests.fakes.discord_command_rules import command_errors
from tests.fakes.discord_errors import (
    CANNOT_DM,
    INVALID_RECIPIENT,
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
    UNKNOWN_USER,
    invalid_form_body,
    plain,
)
from tests.fakes.discord_message_rules import thread_errors
from tests.fakes.discord_messages import Answer, Incoming, message_refusal, store_bot_message
from tests.fakes.discord_model import (
    ATTACH_FILES,
    CREATE_PUBLIC_THREADS,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    dm_channel_payload,
    snowflake,
    thread_payload,
    user_payload,
)

if TYPE_CHECKING:
    from tests.fakes.discord_server import FakeDiscord

Handler = TypeVar("Handler", bound=Callable[..., Any])
THREAD_EXISTS = (160004, "A thread has already been created for this message")
_ROUTES: list[tuple[str, re.Pattern[str], Any]] = []


def _on(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _ROUTES.append((method, re.compile(pattern), handler))
        return handler
    return register


def route(fake: FakeDiscord, method: str, path: str, incoming: Incoming) -> Answer:
    for route_method, pattern, handler in _ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return handler(fake, incoming, **{k: v for k, v in match.groupdict().items()})  # type: ignore[no-any-return]
    return 404, {"message": "404: Not Found", "code": 0}


def _refused(fake: FakeDiscord, channel_id: int, needed: int) -> Answer | None:
    """403 when the bot can't see the channel (50001) or lacks a `needed` permission (50013)."""
    held = fake.bot_permissions(channel_id)
    if not held & VIEW_CHANNEL:
        return 403, plain(MISSING_ACCESS)
    if needed & ~held:
        return 403, plain(MISSING_PERMISSIONS)
    return None


# ----- login, users, DMs -----

@_on("GET", r"^/gateway/bot$")
def _gateway_bot(fake: FakeDiscord, incoming: Incoming) -> Answer:
    return 200, {"url": fake.gateway_url, "shards": fake.shard_count,
                 "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0,
                                         "max_concurrency": 1}}


@_on("GET", r"^/users/@me$")
def _me(fake: FakeDiscord, incoming: Incoming) -> Answer:
    return 200, user_payload(fake.bot_user_id, "facilitator", bot=True)


@_on("GET", r"^/users/(?P<user>\d+)$")
def _user(fake: FakeDiscord, incoming: Incoming, user: str) -> Answer:
    member = fake.member_by_id(int(user))
    if member is None:
        return 404, plain(UNKNOWN_USER)
    return 200, user_payload(member.user_id, member.name)


@_on("POST", r"^/users/@me/channels$")
def _open_dm(fake: FakeDiscord, incoming: Incoming) -> Answer:
    """`POST /users/@me/channels {"recipient_id": ...}`: the one DM channel with that person,
    the same one each time. It opens even for someone who refuses DMs: sending in it fails."""
    member = fake.member_by_id(int((incoming.body or {}).get("recipient_id") or 0))
    if member is None:
        return 400, plain(INVALID_RECIPIENT)
    channel_id = fake.dm_channel_with(member)
    return 200, dm_channel_payload(channel_id, user_payload(member.user_id, member.name))


@_on("GET", r"^/oauth2/applications/@me$")
def _application(fake: FakeDiscord, incoming: Incoming) -> Answer:
    return 200, {"id": str(fake.application_id), "name": "facilitator", "description": "", "icon": None,
                 "bot_public": True, "bot_require_code_grant": False, "verify_key": "00" * 32,
                 "owner": user_payload(snowflake(), "owner"), "flags": 0, "team": None,
                 "rpc_origins": [], "summary": ""}


# ----- application commands -----

@_on("GET", r"^/applications/(?P<app>\d+)(/guilds/(?P<guild>\d+))?/commands$")
def _list_commands(fake: FakeDiscord, incoming: Incoming, app: str, guild: str | None) -> Answer:
    return 200, list(fake.commands.get(int(guild) if guild else None, {}).values())


@_on("PUT", r"^/applications/(?P<app>\d+)(/guilds/(?P<guild>\d+))?/commands$")
def _sync_commands(fake: FakeDiscord, incoming: Incoming, app: str, guild: str | None) -> Answer:
    """A bulk overwrite: all or nothing, checked against Discord's registration rules."""
    errors = command_errors(incoming.body)
    if errors:
        return 400, invalid_form_body(errors)
    registered: dict[str, dict[str, Any]] = {}
    for command in incoming.body:
        entry = {**command, "id": str(snowflake()), "application_id": app, "version": str(snowflake()),
                 "default_member_permissions": command.get("default_member_permissions")}
        if guild is not None:
            entry["guild_id"] = guild
        registered[command["name"]] = entry
    fake.commands[int(guild) if guild else None] = registered
    return 200, list(registered.values())


# ----- channels, messages, threads -----

@_on("GET", r"^/channels/(?P<channel>\d+)$")
def _channel(fake: FakeDiscord, incoming: Incoming, channel: str) -> Answer:
    channel_id = int(channel)
    if channel_id in fake.threads:
        return 200, fake.threads[channel_id]
    if channel_id in fake.dm_channels:
        member = fake.member_by_id(fake.dm_channels[channel_id])
        assert member is not None
        return 200, dm_channel_payload(channel_id, user_payload(member.user_id, member.name))
    guild = fake.guild_of_channel(channel_id)
    if guild is None:
        return 404, plain(UNKNOWN_CHANNEL)
    return 200, guild.channel_payload()


@_on("POST", r"^/channels/(?P<channel>\d+)/messages$")
def _send(fake: FakeDiscord, incoming: Incoming, channel: str) -> Answer:
    channel_id = int(channel)
    refusal = message_refusal(incoming.body, incoming.files, creating=True)
    if channel_id in fake.dm_channels:
        if refusal is None and fake.dm_channels[channel_id] in fake.refusing_dms:
            refusal = 403, plain(CANNOT_DM)
        return refusal or (200, store_bot_message(fake, channel_id, incoming.body, incoming.files))
    if fake.guild_of_channel(channel_id) is None:
        return 404, plain(UNKNOWN_CHANNEL)
    needed = (SEND_MESSAGES_IN_THREADS if channel_id in fake.threads else SEND_MESSAGES)
    needed |= ATTACH_FILES if incoming.files else 0
    refusal = _refused(fake, channel_id, VIEW_CHANNEL) or refusal or _refused(fake, channel_id, needed)
    return refusal or (200, store_bot_message(fake, channel_id, incoming.body, incoming.files))


@_on("PATCH", r"^/channels/(?P<channel>\d+)/messages/(?P<message>\d+)$")
def _edit(fake: FakeDiscord, incoming: Incoming, channel: str, message: str) -> Answer:
    previous = fake.messages.get(int(message))
    if previous is None or previous["channel_id"] != channel:
        return 404, plain(UNKNOWN_MESSAGE)
    refusal = message_refusal(incoming.body, incoming.files, creating=False)
    if refusal is None and int(channel) not in fake.dm_channels:
        refusal = _refused(fake, int(channel), VIEW_CHANNEL)
    return refusal or (200, store_bot_message(fake, int(channel), {**previous, **incoming.body}, incoming.files,
                                              int(message)))


@_on("POST", r"^/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/threads$")
def _thread(fake: FakeDiscord, incoming: Incoming, channel: str, message: str) -> Answer:
    guild = fake.guild_of_channel(int(channel))
    if guild is None or int(channel) in fake.threads:  # no thread in a thread, nor in a DM
        return 404, plain(UNKNOWN_CHANNEL)
    started = fake.messages.get(int(message))
    if started is None or started["channel_id"] != channel:
        return 404, plain(UNKNOWN_MESSAGE)
    errors = thread_errors(incoming.body or {})
    refusal = _refused(fake, int(channel), VIEW_CHANNEL)
    if refusal is None and errors:
        refusal = 400, invalid_form_body(errors)
    refusal = refusal or _refused(fake, int(channel), CREATE_PUBLIC_THREADS)
    if refusal is None and int(message) in fake.threads:
        refusal = 400, plain(THREAD_EXISTS)
    if refusal is not None:
        return refusal
    # A thread started from a message takes the message's id.
    data = thread_payload(int(message), int(channel), guild.guild_id, fake.bot_user_id, incoming.body["name"])
    fake.threads[int(message)] = data
    return 201, data


# The interaction routes register on the same table.
for _method, _pattern, _handler in interaction_routes.ROUTES:
    _on(_method, _pattern)(_handler)
