"""The gateway half of the fake Discord: one websocket per shard, HELLO, heartbeats, IDENTIFY
-> READY + GUILD_CREATE, RESUME, and events sent on the shard that owns their guild
(`(guild_id >> 22) % shard_count`; DMs on shard 0, as on Discord)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord_model import FakeGuild, snowflake, user_payload

HEARTBEAT_MS = 41250


@dataclass
class Shard:
    shard_id: int
    ws: web.WebSocketResponse
    session_id: str
    sequence: int = 0

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.sequence += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.sequence, "d": data}))


class GatewayHost:
    """Mixed into FakeDiscord, which owns the guilds, threads and the URLs."""

    shard_count: int
    application_id: int
    bot_user_id: int
    guilds: dict[int, FakeGuild]
    threads: dict[int, dict[str, Any]]

    def __init__(self) -> None:
        self.shards: dict[int, Shard] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.gateway_connections: list[str] = []  # "scheme://host/path" of each gateway websocket
        self._shard_ready = asyncio.Condition()

    @property
    def gateway_url(self) -> str:
        raise NotImplementedError

    def shard_for(self, guild_id: int) -> int:
        return (guild_id >> 22) % self.shard_count

    async def dispatch_to_guild(self, guild_id: int, event: str, data: dict[str, Any]) -> None:
        await self.shards[self.shard_for(guild_id)].dispatch(event, data)

    async def dispatch_to_dms(self, event: str, data: dict[str, Any]) -> None:
        await self.shards[0].dispatch(event, data)

    async def wait_for_shards(self, count: int | None = None, timeout: float = 10) -> None:
        wanted = self.shard_count if count is None else count

        async def ready() -> None:
            async with self._shard_ready:
                await self._shard_ready.wait_for(lambda: len(self.shards) >= wanted)

        await asyncio.wait_for(ready(), timeout)

    async def drop_shard(self, shard_id: int) -> None:
        """Close a shard's socket the way Discord does before asking for a RESUME."""
        shard = self.shards.pop(shard_id)
        await shard.ws.close(code=4000, message=b"fake: please resume")

    async def wait_for_resume(self, session_id: str, timeout: float = 10) -> None:
        async def resumed() -> None:
            async with self._shard_ready:
                await self._shard_ready.wait_for(
                    lambda: any(s.session_id == session_id for s in self.shards.values())
                    and any(r["session_id"] == session_id for r in self.resumes))

        await asyncio.wait_for(resumed(), timeout)

    async def close_shards(self) -> None:
        for shard in list(self.shards.values()):
            await shard.ws.close()

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.gateway_connections.append(f"{request.scheme}://{request.host}{request.path}")
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op, data = frame.get("op"), frame.get("d")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                self.identifies.append(data)
                shard_id, _count = data.get("shard", [0, 1])
                await self._ready(Shard(shard_id, ws, session_id=f"session-{shard_id}-{snowflake()}"))
            elif op == 6:
                self.resumes.append(data)
                shard_id = int(data["session_id"].split("-")[1])
                shard = Shard(shard_id, ws, session_id=data["session_id"], sequence=data.get("seq") or 0)
                await self._register(shard)
                await shard.dispatch("RESUMED", {})
        return ws

    async def _ready(self, shard: Shard) -> None:
        mine = [g for g in self.guilds.values() if self.shard_for(g.guild_id) == shard.shard_id]
        await shard.dispatch("READY", {
            "v": 10,
            "user": user_payload(self.bot_user_id, "facilitator", bot=True),
            "guilds": [{"id": str(g.guild_id), "unavailable": True} for g in mine],
            "session_id": shard.session_id,
            "resume_gateway_url": self.gateway_url,
            "shard": [shard.shard_id, self.shard_count],
            "application": {"id": str(self.application_id), "flags": 0},
        })
        for guild in mine:
            payload = guild.payload(self.bot_user_id)
            # Active threads come with the guild, as on Discord.
            payload["threads"] = [t for t in self.threads.values() if t["guild_id"] == str(guild.guild_id)]
            await shard.dispatch("GUILD_CREATE", payload)
        await self._register(shard)

    async def _register(self, shard: Shard) -> None:
        async with self._shard_ready:
            self.shards[shard.shard_id] = shard
            self._shard_ready.notify_all()
