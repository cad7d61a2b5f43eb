"""A local server that plays Discord, as strictly as Discord: the REST API (v10) and the gateway.

A real discord.py bot logs in against it (point `discord.http.Route.BASE` at `api_base`),
asks `GET /gateway/bot` for the websocket URL and shard count, identifies each shard and gets
READY + GUILD_CREATE. A bot with a fixed shard count dials discord.py's built-in gateway URL
instead: `serve_default_gateway` and tests/fakes/discord_gateway_host.py lead it here. Tests
inject INTERACTION_CREATE / MESSAGE_CREATE (tests/fakes/discord_events.py) and read back every
REST call the bot made, with the status it got, from `calls`.

Strict where Discord is: message, embed, component, modal and command limits (400, 50035);
the interaction lifecycle on a clock tests move (10062, 40060, 10015); the bot's permissions per
channel (403, 50013); rate limits with Discord's headers (429); a missing or revoked bot token (401).
"""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.discord_events import EventInjection
from tests.fakes.discord_gateway import GatewayHost
from tests.fakes.discord_interactions import FakeClock, InteractionLedger
from tests.fakes.discord_model import BOT_PERMISSIONS, FakeGuild, FakeMember, snowflake
from tests.fakes.discord_ratelimits import GLOBAL_PER_SECOND, RateLimiter, RouteLimit, exempt_from_global
from tests.fakes.discord_messages import Incoming
from tests.fakes.discord_routes import route

JSON = "application/json"  # exactly: discord.py parses bodies only for this content-type
GATEWAY_PATH = "/gateway"
UNAUTHORIZED = {"message": "401: Unauthorized", "code": 0}


@dataclass
class RecordedCall:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any  # the JSON body, or the multipart `payload_json`
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, content)
    status: int = 0  # what the fake answered
    answer: Any = None  # the JSON it answered with (Discord's error body on a refusal)
    at: float = 0.0  # time.monotonic() when it arrived
    headers: dict[str, str] = field(default_factory=dict)  # the rate-limit headers it was answered with


def _reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Set the header by hand: aiohttp's content_type= (and json_response) append "; charset=utf-8".
    return web.Response(status=status, body=json.dumps(data).encode(), headers={"Content-Type": JSON, **(headers or {})})


class FakeDiscord(GatewayHost, EventInjection):
    API_PREFIX = "/api/v10"

    def __init__(self, shard_count: int = 1, *, global_per_second: int | None = GLOBAL_PER_SECOND,
                 route_limits: dict[str, RouteLimit] | None = None) -> None:
        """`global_per_second`: None turns the global limit off. `route_limits` (route template ->
        RouteLimit, e.g. DISCORD_ROUTE_LIMITS) set routes' own buckets; see discord_ratelimits."""
        super().__init__()
        self.shard_count = shard_count
        self.application_id = snowflake()
        self.bot_user_id = self.application_id
        self.token = "fake-bot-token"
        self.revoked_tokens: set[str] = set()  # reset in the Developer Portal: every call gets 401
        self.guilds: dict[int, FakeGuild] = {}
        self.calls: list[RecordedCall] = []
        self.messages: dict[int, dict[str, Any]] = {}  # every message the bot created, by id
        self.threads: dict[int, dict[str, Any]] = {}
        self.dm_channels: dict[int, int] = {}  # direct-message channel id -> the person's user id
        self.refusing_dms: set[int] = set()  # people whose privacy settings refuse the bot's DMs
        self.denied: dict[int, int] = {}  # channel id -> permissions the bot lacks there
        self.commands: dict[int | None, dict[str, dict[str, Any]]] = {}  # scope (guild id or None) -> name -> command
        self.interactions: list[dict[str, Any]] = []
        self.clock = FakeClock()
        self.ledger = InteractionLedger(self.clock)
        # Called with (interaction id, response type) as each first answer arrives, before it is
        # answered: a test can look at the bot's database at that very moment.
        self.on_callback: list[Callable[[int, Any], None]] = []
        self.limiter = RateLimiter(global_per_second, dict(route_limits or {}))
        self._refusals: dict[tuple[str, str], tuple[int, int, str]] = {}  # -> (status, code, message)
        self._afterwards: list[tuple[Callable[[RecordedCall], bool], Callable[[], None]]] = []
        self._call_added = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.tls_port = 0  # where the built-in gateway URL leads (see serve_default_gateway)

    # ----- lifecycle -----

    async def start(self) -> None:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get(GATEWAY_PATH, self._gateway)
        app.router.add_get("/", self._gateway)  # the path of discord.py's built-in wss://gateway.discord.gg/
        app.router.add_route("*", self.API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def serve_default_gateway(self, context: ssl.SSLContext) -> None:
        """Also serve over TLS, for bots sent here from discord.py's built-in gateway URL
        (tests/fakes/discord_gateway_host.py). Call after start()."""
        assert self._runner is not None
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        self.tls_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        await self.close_shards()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    # ----- world -----

    def add_guild(self, name: str, members: list[tuple[str, bool]], shard: int | None = None) -> FakeGuild:
        """A guild whose id maps to `shard`; members are (name, has Manage Server)."""
        guild_id = snowflake(shard, self.shard_count) if shard is not None else snowflake()
        guild = FakeGuild(guild_id, name, snowflake(), [FakeMember(snowflake(), n, admin) for n, admin in members],
                          admin_role_id=snowflake())
        self.guilds[guild_id] = guild
        return guild

    def member_by_id(self, user_id: int) -> FakeMember | None:
        """A person the bot shares a guild with (the only people a bot can look up and DM)."""
        return next((m for g in self.guilds.values() for m in g.members if m.user_id == user_id), None)

    def guild_of_channel(self, channel_id: int) -> FakeGuild | None:
        """The guild a channel or thread belongs to; None for DMs and unknown channels."""
        if channel_id in self.threads:
            return self.guilds.get(int(self.threads[channel_id]["guild_id"]))
        return next((g for g in self.guilds.values() if g.channel_id == channel_id), None)

    def deny_bot(self, channel_id: int, permissions: int) -> None:
        """A channel whose overwrites take `permissions` (discord_model's bits) from the bot:
        its interactions say so in `app_permissions`, and REST calls needing them get 403/50013."""
        self.denied[channel_id] = self.denied.get(channel_id, 0) | permissions

    def bot_permissions(self, channel_id: int) -> int:
        """The bot's permissions in a channel; a thread inherits its parent channel's."""
        parent = int(self.threads[channel_id]["parent_id"]) if channel_id in self.threads else channel_id
        return BOT_PERMISSIONS & ~self.denied.get(parent, 0) & ~self.denied.get(channel_id, 0)

    def dm_channel_with(self, member: FakeMember) -> int:
        """The one DM channel between the bot and `member`, opened on first use."""
        channel_id = next((c for c, user in self.dm_channels.items() if user == member.user_id), None)
        if channel_id is None:
            channel_id = snowflake()
            self.dm_channels[channel_id] = member.user_id
        return channel_id

    def register_commands(self, commands: list[dict[str, Any]], guild_id: int | None = None) -> None:
        """Commands an earlier deployment synced: Discord keeps them until the next overwrite."""
        status, answer = route(self, "PUT", f"/applications/{self.application_id}"
                               + (f"/guilds/{guild_id}" if guild_id else "") + "/commands", Incoming(commands))
        if status != 200:
            raise ValueError(f"Discord would refuse these commands: {answer}")

    def refuse_dms(self, member: FakeMember) -> None:
        """`member` doesn't accept direct messages from server members: the DM channel opens, but
        every message sent in it fails with 403, code 50007, as on Discord."""
        self.refusing_dms.add(member.user_id)

    def direct_messages(self, member: FakeMember) -> list[RecordedCall]:
        """Every message the bot tried to send `member` in their DM channel (refused ones too)."""
        channels = {c for c, user in self.dm_channels.items() if user == member.user_id}
        return [c for c in self.calls if c.method == "POST" and c.path.startswith("/channels/")
                and c.path.endswith("/messages") and int(c.path.split("/")[2]) in channels]

    # ----- knobs -----

    def age_interaction(self, interaction_id: int | str, seconds: float) -> None:
        """As if `seconds` had passed for this interaction alone (fake.clock.advance moves all)."""
        self.ledger.age(int(interaction_id), seconds)

    def rate_limit(self, method: str, path_prefix: str, retry_after: float = 0.05, times: int = 1) -> None:
        """The next `times` calls matching answer 429 with `retry_after` (seconds), as a per-route limit."""
        self.limiter.force(method, path_prefix, retry_after, times)

    def limit_callback(self, retry_after: float, times: int = 1) -> None:
        """The next interaction callbacks answer 429 with `retry_after`, however long that is."""
        self.limiter.force("POST", "/interactions/", retry_after, times)

    def after(self, predicate: Callable[[RecordedCall], bool], action: Callable[[], None]) -> None:
        """Runs `action` once, as soon as a call matching `predicate` is answered and before the
        bot reads that answer: what happens on Discord's side while the bot works (e.g. the
        clock passing an interaction's 15 minutes between its thread post and its follow-up)."""
        self._afterwards.append((predicate, action))

    def refuse(self, method: str, path_prefix: str, status: int = 403, code: int = 50013,
               message: str = "Missing Permissions") -> None:
        """Every matching call fails the way Discord refuses it (default: a missing permission)."""
        self._refusals[(method, path_prefix)] = (status, code, message)

    @property
    def invalid_requests(self) -> Counter[str]:
        """401, 403 and 429 answers by route template: what gets an IP banned past 10,000 in 10 min."""
        return self.limiter.invalid

    @property
    def rate_limited(self) -> Counter[str]:
        return self.limiter.rate_limited

    def refused_calls(self) -> list[RecordedCall]:
        return [c for c in self.calls if c.status >= 400]

    # ----- waiting on the bot -----

    async def wait_for_call(self, predicate: Any, timeout: float = 10) -> RecordedCall:
        """The first recorded call (past or future) matching `predicate`."""
        calls = await self.wait_for_calls(predicate, 1, timeout)
        return calls[0]

    async def wait_for_calls(self, predicate: Any, count: int, timeout: float = 10) -> list[RecordedCall]:
        async def wait() -> list[RecordedCall]:
            async with self._call_added:
                await self._call_added.wait_for(lambda: sum(1 for c in self.calls if predicate(c)) >= count)
            return [c for c in self.calls if predicate(c)]

        return await asyncio.wait_for(wait(), timeout)

    # ----- REST -----

    def _authorised(self, header: str) -> bool:
        """A bot token, not revoked. Any token passes: bot processes started elsewhere bring their own."""
        scheme, _, token = header.partition(" ")
        return scheme == "Bot" and bool(token) and token not in self.revoked_tokens

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body, files = await _read_body(request)
        call = RecordedCall(request.method, path, dict(request.query), body, files, at=time.monotonic())
        call.status, call.answer, headers = self._answer(request, call)
        call.headers = headers
        self.limiter.note(call.method, path, call.status)
        async with self._call_added:  # recorded with its answer, before the bot can read it
            self.calls.append(call)
            self._call_added.notify_all()
        for pending in [p for p in self._afterwards if p[0](call)]:
            self._afterwards.remove(pending)
            pending[1]()
        if call.status == 204:
            return web.Response(status=204, headers=headers)
        return _reply(call.answer, status=call.status, headers=headers)

    def _answer(self, request: web.Request, call: RecordedCall) -> tuple[int, Any, dict[str, str]]:
        if not exempt_from_global(call.path) and not self._authorised(request.headers.get("Authorization", "")):
            return 401, UNAUTHORIZED, {}
        refusal = next((r for (m, prefix), r in self._refusals.items()
                        if m == call.method and call.path.startswith(prefix)), None)
        if refusal is not None:
            return refusal[0], {"message": refusal[2], "code": refusal[1]}, {}
        limited, headers = self.limiter.take(call.method, call.path)
        if limited is not None:
            # discord.py takes a 429 without Via for a Cloudflare ban, as Discord's own carry it.
            return 429, limited.body, {**limited.headers, "Via": "1.1 google"}
        status, data = route(self, call.method, call.path, Incoming(call.json, call.files, call.query))
        return status, data, headers


async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            content = await part.read()  # type: ignore[union-attr]
            if part.name == "payload_json":  # type: ignore[union-attr]
                payload = json.loads(content)
            else:
                files.append((part.filename or "", bytes(content)))  # type: ignore[union-attr]
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode(errors="replace"), []
