"""REST answers of the fake Discord server, one small function per route family."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tests.fakes.discord_model import dm_channel_payload, message_payload, snowflake, thread_payload, user_payload

if TYPE_CHECKING:
    from tests.fakes.discord_server import FakeDiscord

Answer = tuple[int, Any]

_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("GET", re.compile(r"^/gateway/bot$"), "gateway_bot"),
    ("GET", re.compile(r"^/users/@me$"), "me"),
    ("GET", re.compile(r"^/users/(?P<user>\d+)$"), "user"),
    ("POST", re.compile(r"^/users/@me/channels$"), "open_dm"),
    ("GET", re.compile(r"^/oauth2/applications/@me$"), "application"),
    ("GET", re.compile(r"^/applications/(?P<app>\d+)(/guilds/(?P<guild>\d+))?/commands$"), "list_commands"),
    ("PUT", re.compile(r"^/applications/(?P<app>\d+)(/guilds/(?P<guild>\d+))?/commands$"), "sync_commands"),
    ("POST", re.compile(r"^/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback$"), "callback"),
    ("POST", re.compile(r"^/webhooks/(?P<app>\d+)/(?P<token>[^/]+)$"), "followup"),
    ("PATCH", re.compile(r"^/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>@original|\d+)$"), "edit_hook"),
    ("GET", re.compile(r"^/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>@original|\d+)$"), "get_hook"),
    ("DELETE", re.compile(r"^/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>@original|\d+)$"), "gone"),
    ("POST", re.compile(r"^/channels/(?P<channel>\d+)/messages$"), "send"),
    ("PATCH", re.compile(r"^/channels/(?P<channel>\d+)/messages/(?P<message>\d+)$"), "edit"),
    ("POST", re.compile(r"^/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/threads$"), "thread"),
    ("GET", re.compile(r"^/channels/(?P<channel>\d+)$"), "channel"),
]


def route(fake: FakeDiscord, method: str, path: str, body: Any, files: list[tuple[str, bytes]]) -> Answer:
    for route_method, pattern, name in _ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            handler = globals()["_" + name]
            return handler(fake, body or {}, files, **match.groupdict())  # type: ignore[no-any-return]
    return 404, {"message": f"Unknown route {method} {path}", "code": 0}


def _gateway_bot(fake: FakeDiscord, body: Any, files: Any) -> Answer:
    return 200, {"url": fake.gateway_url, "shards": fake.shard_count,
                 "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0,
                                         "max_concurrency": 1}}


def _me(fake: FakeDiscord, body: Any, files: Any) -> Answer:
    return 200, user_payload(fake.bot_user_id, "facilitator", bot=True)


def _user(fake: FakeDiscord, body: Any, files: Any, user: str) -> Answer:
    member = fake.member_by_id(int(user))
    if member is None:
        return 404, {"message": "Unknown User", "code": 10013}
    return 200, user_payload(member.user_id, member.name)


def _open_dm(fake: FakeDiscord, body: Any, files: Any) -> Answer:
    """`POST /users/@me/channels {"recipient_id": ...}`: the one DM channel with that person,
    the same one each time. It opens even for someone who refuses DMs: sending in it fails."""
    member = fake.member_by_id(int(body.get("recipient_id") or 0))
    if member is None:
        return 400, {"message": "Invalid Recipient(s)", "code": 50033}
    channel_id = next((c for c, user in fake.dm_channels.items() if user == member.user_id), None)
    if channel_id is None:
        channel_id = snowflake()
        fake.dm_channels[channel_id] = member.user_id
    return 200, dm_channel_payload(channel_id, user_payload(member.user_id, member.name))


def _application(fake: FakeDiscord, body: Any, files: Any) -> Answer:
    return 200, {"id": str(fake.application_id), "name": "facilitator", "description": "", "icon": None,
                 "bot_public": True, "bot_require_code_grant": False, "verify_key": "00" * 32,
                 "owner": user_payload(snowflake(), "owner"), "flags": 0, "team": None,
                 "rpc_origins": [], "summary": ""}


def _list_commands(fake: FakeDiscord, body: Any, files: Any, app: str, guild: str | None) -> Answer:
    return 200, []


def _sync_commands(fake: FakeDiscord, body: Any, files: Any, app: str, guild: str | None) -> Answer:
    commands = []
    for command in body:
        registered = {**command, "id": str(snowflake()), "application_id": app, "version": str(snowflake()),
                      "default_member_permissions": command.get("default_member_permissions")}
        if guild is not None:
            registered["guild_id"] = guild
        commands.append(registered)
    return 200, commands


def _bot_message(fake: FakeDiscord, channel_id: int, body: dict[str, Any], files: list[tuple[str, bytes]],
                 message_id: int | None = None) -> dict[str, Any]:
    attachments = [{"id": str(snowflake()), "filename": name, "size": len(content),
                    "url": f"https://cdn.invalid/{name}", "proxy_url": f"https://cdn.invalid/{name}"}
                   for name, content in files]
    guild_id = next((g.guild_id for g in fake.guilds.values() if g.channel_id == channel_id), None)
    if guild_id is None and channel_id in fake.threads:
        guild_id = int(fake.threads[channel_id]["guild_id"])
    data = message_payload(message_id or snowflake(), channel_id, user_payload(fake.bot_user_id, "facilitator",
                                                                                bot=True),
                           {**body, "attachments": attachments}, guild_id)
    fake.messages[int(data["id"])] = data
    return data


def _interaction_channel(fake: FakeDiscord, interaction_id: str) -> int:
    return fake.interaction_channels.get(int(interaction_id), 0)


def _callback(fake: FakeDiscord, body: Any, files: Any, id: str, token: str) -> Answer:
    kind = body.get("type")
    data = body.get("data") or {}
    channel_id = _interaction_channel(fake, id)
    interaction: dict[str, Any] = {"id": id, "type": kind, "response_message_loading": kind == 5,
                                   "response_message_ephemeral": bool((data.get("flags") or 0) & 64)}
    resource: dict[str, Any] = {"type": kind}
    if kind == 4:
        message = _bot_message(fake, channel_id, data, files)
        fake.originals[token] = int(message["id"])
        interaction["response_message_id"] = message["id"]
        resource["message"] = message
    elif kind == 7:  # update the message the component is on
        message_id = fake.interaction_messages.get(int(id))
        if message_id is not None and message_id in fake.messages:
            fake.messages[message_id] = {**fake.messages[message_id], **data}
            resource["message"] = fake.messages[message_id]
    return 200, {"interaction": interaction, "resource": resource}


def _followup(fake: FakeDiscord, body: Any, files: Any, app: str, token: str) -> Answer:
    channel_id = fake.token_channels.get(token, 0)
    return 200, _bot_message(fake, channel_id, body, files)


def _edit_hook(fake: FakeDiscord, body: Any, files: Any, app: str, token: str, message: str) -> Answer:
    channel_id = fake.token_channels.get(token, 0)
    message_id = fake.originals.get(token) if message == "@original" else int(message)
    if message_id is None:
        message_id = snowflake()
        fake.originals[token] = message_id
    previous = fake.messages.get(message_id, {})
    return 200, _bot_message(fake, channel_id, {**previous, **body}, files, message_id)


def _get_hook(fake: FakeDiscord, body: Any, files: Any, app: str, token: str, message: str) -> Answer:
    message_id = fake.originals.get(token) if message == "@original" else int(message)
    if message_id is None or message_id not in fake.messages:
        return 404, {"message": "Unknown Message", "code": 10008}
    return 200, fake.messages[message_id]


def _gone(fake: FakeDiscord, body: Any, files: Any, **ids: str) -> Answer:
    return 204, None


def _send(fake: FakeDiscord, body: Any, files: Any, channel: str) -> Answer:
    if fake.dm_channels.get(int(channel)) in fake.refusing_dms:
        return 403, {"message": "Cannot send messages to this user", "code": 50007}
    return 200, _bot_message(fake, int(channel), body, files)


def _edit(fake: FakeDiscord, body: Any, files: Any, channel: str, message: str) -> Answer:
    previous = fake.messages.get(int(message), {})
    return 200, _bot_message(fake, int(channel), {**previous, **body}, files, int(message))


def _thread(fake: FakeDiscord, body: Any, files: Any, channel: str, message: str) -> Answer:
    guild = next((g for g in fake.guilds.values() if g.channel_id == int(channel)), None)
    if guild is None:
        return 404, {"message": "Unknown Channel", "code": 10003}
    # A thread started from a message takes the message's id.
    data = thread_payload(int(message), int(channel), guild.guild_id, fake.bot_user_id, body.get("name", "thread"))
    fake.threads[int(message)] = data
    return 201, data


def _channel(fake: FakeDiscord, body: Any, files: Any, channel: str) -> Answer:
    if int(channel) in fake.threads:
        return 200, fake.threads[int(channel)]
    if int(channel) in fake.dm_channels:
        member = fake.member_by_id(fake.dm_channels[int(channel)])
        assert member is not None
        return 200, dm_channel_payload(int(channel), user_payload(member.user_id, member.name))
    guild = next((g for g in fake.guilds.values() if g.channel_id == int(channel)), None)
    if guild is None:
        return 404, {"message": "Unknown Channel", "code": 10003}
    return 200, guild.channel_payload()
