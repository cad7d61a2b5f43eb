"""The Discord adapter's settings, from the environment (or .env). The token is left out of
the dataclass's repr, so it is never printed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_DISCORD_API_BASE = "https://discord.com/api/v10"


@dataclass(frozen=True)
class DiscordSettings:
    token: str | None = field(default=None, repr=False)
    api_base: str = DEFAULT_DISCORD_API_BASE
    guild_id: int | None = None
    message_content: bool = False
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None


def discord_settings(env: Mapping[str, str]) -> DiscordSettings:
    shard_ids = env.get("DISCORD_SHARD_IDS")
    return DiscordSettings(
        token=env.get("DISCORD_TOKEN"),
        api_base=(env.get("DISCORD_API_BASE") or DEFAULT_DISCORD_API_BASE).rstrip("/"),
        guild_id=int(g) if (g := env.get("DISCORD_GUILD_ID")) else None,
        message_content=(env.get("DISCORD_MESSAGE_CONTENT") or "").lower() in ("1", "true", "yes", "on"),
        shard_count=int(c) if (c := env.get("DISCORD_SHARD_COUNT")) else None,
        shard_ids=tuple(int(s) for s in shard_ids.split(",")) if shard_ids else None,
    )
