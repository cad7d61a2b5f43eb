"""The Discord adapter's settings, from the environment (or .env). The token is left out of
the dataclass's repr, so it is never printed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from facilitator.config import ConfigError, whole_number

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
    if shard_ids and not all(s.strip().isdecimal() for s in shard_ids.split(",")):
        raise ConfigError(f"DISCORD_SHARD_IDS must be shard numbers separated by commas, e.g. 0,1 (it is `{shard_ids[:20]}`).")
    return DiscordSettings(
        token=env.get("DISCORD_TOKEN"),
        api_base=(env.get("DISCORD_API_BASE") or DEFAULT_DISCORD_API_BASE).rstrip("/"),
        guild_id=_optional(env, "DISCORD_GUILD_ID", 2**64 - 1),
        message_content=(env.get("DISCORD_MESSAGE_CONTENT") or "").lower() in ("1", "true", "yes", "on"),
        shard_count=_optional(env, "DISCORD_SHARD_COUNT", 100_000, low=1),
        shard_ids=tuple(int(s) for s in shard_ids.split(",")) if shard_ids else None,
    )


def _optional(env: Mapping[str, str], name: str, high: int, low: int = 0) -> int | None:
    return whole_number(env, name, 0, low, high) if env.get(name) else None
