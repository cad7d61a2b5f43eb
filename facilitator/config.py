"""Settings from the environment (or a .env file in the working directory). Secrets stay here."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_DATABASE_FILE = "facilitator.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DISCORD_API_BASE = "https://discord.com/api/v10"


@dataclass(frozen=True)
class Config:
    database_url: str
    host: str = "0.0.0.0"
    port: int = 3000
    templates_dir: Path | None = None
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_client_id: str | None = None
    slack_client_secret: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    discord_token: str | None = field(default=None, repr=False)
    discord_api_base: str = DEFAULT_DISCORD_API_BASE
    discord_guild_id: int | None = None
    discord_message_content: bool = False
    discord_shard_count: int | None = None
    discord_shard_ids: tuple[int, ...] | None = None

    def default_platform(self) -> str:
        if self.slack_bot_token or self.slack_client_id:
            return "slack"
        if self.discord_token:
            return "discord"
        return "shell"


def load_config(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Config:
    """Real environment variables win over the .env file, as with most twelve-factor tools."""
    here = cwd or Path.cwd()
    file_values = {k: v for k, v in dotenv_values(here / ".env").items() if v is not None}
    env = {**file_values, **(os.environ if environ is None else environ)}

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    shard_ids = get("DISCORD_SHARD_IDS")
    return Config(
        database_url=get("FACILITATOR_DATABASE_URL") or f"sqlite:///{(here / DEFAULT_DATABASE_FILE).resolve()}",
        host=get("FACILITATOR_HOST") or "0.0.0.0",
        port=int(get("FACILITATOR_PORT") or 3000),
        templates_dir=Path(t) if (t := get("FACILITATOR_TEMPLATES_DIR")) else None,
        slack_bot_token=get("SLACK_BOT_TOKEN"),
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_app_token=get("SLACK_APP_TOKEN"),
        slack_client_id=get("SLACK_CLIENT_ID"),
        slack_client_secret=get("SLACK_CLIENT_SECRET"),
        slack_api_url=get("SLACK_API_URL") or DEFAULT_SLACK_API_URL,
        discord_token=get("DISCORD_TOKEN"),
        discord_api_base=(get("DISCORD_API_BASE") or DEFAULT_DISCORD_API_BASE).rstrip("/"),
        discord_guild_id=int(g) if (g := get("DISCORD_GUILD_ID")) else None,
        discord_message_content=(get("DISCORD_MESSAGE_CONTENT") or "").lower() in ("1", "true", "yes", "on"),
        discord_shard_count=int(c) if (c := get("DISCORD_SHARD_COUNT")) else None,
        discord_shard_ids=tuple(int(s) for s in shard_ids.split(",")) if shard_ids else None,
    )
