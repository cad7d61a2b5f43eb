"""Checks the `facilitator` command makes before it starts anything: every setting a command
needs, named at once, so an operator fixes them in one go rather than one per start."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from adapters.discord.settings import discord_settings
from adapters.operator_errors import DATABASE_SETTING, explain
from adapters.slack.settings import slack_settings
from facilitator.config import Config, ConfigError
from facilitator.domain.templates import TemplateLibrary
from facilitator.store.engine import normalize_url

_SLACK_DOCS = 'See "Run it in your Slack workspace" in the README.'
_DISCORD_DOCS = 'See "Run it on your Discord server" in the README.'


def database(config: Config, must_exist: bool) -> None:
    """The URL parses and names a database we support; a SQLite file's folder exists and takes
    writes, or (for commands that only read, `must_exist`) the file itself exists already."""
    try:
        url = normalize_url(config.database_url)
    except ArgumentError as exc:
        raise explain(exc, config.database_url) or ConfigError(str(exc)) from None
    except ValueError:  # a database other than SQLite or PostgreSQL
        backend = make_url(config.database_url).get_backend_name()
        raise ConfigError(f"{DATABASE_SETTING} names a {backend} database; facilitator works with SQLite or PostgreSQL.",
                          "For example sqlite:////abs/path/facilitator.db or postgresql://user@host/dbname.") from None
    if url.get_backend_name() != "sqlite":
        return
    if url.database in (None, "", ":memory:"):
        raise ConfigError(f"{DATABASE_SETTING} names an in-memory SQLite database.", "Use a SQLite file.")
    path = Path(url.database or "").expanduser().resolve()
    if must_exist:
        if not path.is_file():
            raise ConfigError(
                f"There is no database at {path}, so there is nothing to read.",
                f"Run this where the bot runs, or set {DATABASE_SETTING} to the bot's database.",
            )
        return
    if not path.parent.is_dir():
        raise ConfigError(f"Can't create the database {path}: the folder {path.parent} doesn't exist.",
                          f"Create the folder, or set {DATABASE_SETTING} to another path.")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"Can't write the database {path}: permission denied.",
                          f"Set {DATABASE_SETTING} to a path you may write.")


def templates(config: Config) -> None:
    """Loads them once now, so a broken template stops the start with its file and field."""
    TemplateLibrary(config.templates_dir)


def output_file(path: Path) -> None:
    """Where `export --output` writes: checked before the database is opened."""
    folder = path.expanduser().resolve().parent
    if path.is_dir():
        raise ConfigError(f"Can't write {path}: it is a folder.", "Give a file name, e.g. --output report.html.")
    if not folder.is_dir():
        raise ConfigError(f"Can't write {path}: the folder {folder} doesn't exist.", "Create it, or choose another path.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"Can't write {path}: permission denied.", "Choose another path.")


def slack(env: dict[str, str]) -> None:
    """Everything Slack needs, all missing settings named in one message."""
    settings = slack_settings(env)
    missing = []
    if not settings.bot_token and not settings.client_id:
        missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)")
    elif settings.client_id and not settings.client_secret and not settings.bot_token:
        missing.append("SLACK_CLIENT_SECRET (OAuth needs it with SLACK_CLIENT_ID)")
    if not settings.signing_secret and not settings.app_token:
        missing.append("SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)")
    if missing:
        them = "them" if len(missing) > 1 else "it"
        raise ConfigError(f"Slack needs {' and '.join(missing)}.", f"Set {them} in the environment or in .env. {_SLACK_DOCS}")
    if settings.app_token and not settings.app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN doesn't look like an app-level token (they start with xapp-).", _SLACK_DOCS)
    if settings.bot_token and not settings.bot_token.startswith("xox"):
        raise ConfigError("SLACK_BOT_TOKEN doesn't look like a Slack token (a bot token starts with xoxb-).", _SLACK_DOCS)


def discord(env: dict[str, str]) -> None:
    settings = discord_settings(env)  # raises for a malformed DISCORD_GUILD_ID or shard setting
    if not settings.token:
        raise ConfigError("Discord needs DISCORD_TOKEN (the bot's token).", f"Set it in the environment or in .env. {_DISCORD_DOCS}")
    from adapters.discord.invite import application_id_from_token  # discord.py: imported only when needed

    application_id_from_token(settings.token)  # raises when it can't be a bot token
