"""The core's settings from the environment (or a .env file in the working directory).

Platform settings (Slack tokens, Discord shards) are read by their adapters, from the same
environment (`environment()`), so the core never holds a platform secret.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_DATABASE_FILE = "facilitator.db"


class ConfigError(Exception):
    """Something in the operator's set-up is wrong (a setting, a database, a file): what it is,
    and what to do about it. The `facilitator` command prints it in a line or two, never with a
    traceback, and never with a secret in it."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem if not fix else f"{problem} {fix}")
        self.problem = problem
        self.fix = fix


@dataclass(frozen=True)
class Config:
    database_url: str
    host: str = "0.0.0.0"
    port: int = 3000
    templates_dir: Path | None = None
    public_url: str | None = None  # FACILITATOR_PUBLIC_URL: where people reach the live boards
    host_given: bool = False  # FACILITATOR_HOST was set (the shell binds to 127.0.0.1 otherwise)


def environment(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> dict[str, str]:
    """The process environment over the .env file: real environment variables win, as with most
    twelve-factor tools. Empty values count as unset."""
    here = cwd or Path.cwd()
    file_values = {k: v for k, v in dotenv_values(here / ".env").items() if v is not None}
    merged = {**file_values, **(os.environ if environ is None else environ)}
    return {key: value.strip() for key, value in merged.items() if value.strip()}


def load_config(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Config:
    here = cwd or Path.cwd()
    env = environment(environ, here)
    return Config(
        database_url=env.get("FACILITATOR_DATABASE_URL") or f"sqlite:///{(here / DEFAULT_DATABASE_FILE).resolve()}",
        host=env.get("FACILITATOR_HOST") or "0.0.0.0",
        port=whole_number(env, "FACILITATOR_PORT", 3000, 0, 65535),
        templates_dir=Path(t) if (t := env.get("FACILITATOR_TEMPLATES_DIR")) else None,
        public_url=env.get("FACILITATOR_PUBLIC_URL"),
        host_given="FACILITATOR_HOST" in env,
    )


def whole_number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    if not raw.isdecimal() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high} (it is `{raw[:20]}`).")
    return int(raw)
