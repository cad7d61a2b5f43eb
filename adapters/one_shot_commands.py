"""The `facilitator` subcommands that do one thing and exit (the others run until stopped):
export, demo, db upgrade, discord-invite. Errors raise ConfigError; the CLI reports them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from facilitator.bootstrap import open_app
from facilitator.config import Config, ConfigError
from facilitator.domain.errors import DomainError
from facilitator.reports.export import Audience, render_export
from facilitator.store.engine import create_engine
from facilitator.store.migrate import current_revision, head_revision, upgrade

EXIT_PROBLEM, EXIT_USAGE = 1, 2


async def export(config: Config, session: str, fmt: str, output: Path | None) -> int:
    if session != "latest" and not session.isdigit():
        print("facilitator: SESSION is a session id (a number) or `latest`.", file=sys.stderr)
        return EXIT_USAGE
    # Read-only: no migrations (they write); a database of another version is named instead.
    app = await open_app(config.database_url, templates_dir=config.templates_dir, migrate=False)
    try:
        await _require_current_schema(app.db.engine)
        session_id = await app.service.latest_session_id() if session == "latest" else int(session)
        if session_id is None:
            print("facilitator: there are no sessions in this database yet.", file=sys.stderr)
            return EXIT_PROBLEM
        try:
            snapshot = await app.service.snapshot_of(session_id)
        except DomainError as exc:  # a missing session: say it plainly
            print(f"facilitator: {exc.message}", file=sys.stderr)
            return EXIT_PROBLEM
        # The operator holds the database: their copy adds hidden items and each person's give and take.
        content = render_export(snapshot, fmt, audience=Audience.OPERATOR).content
        if output is None:
            _write_all(content)
        else:
            output.write_bytes(content)
            print(f"Wrote session {session_id} ({snapshot.title}) as {fmt} to {output} ({len(content):,} bytes).")
        return 0
    finally:
        await app.close()


def _write_all(content: bytes) -> None:
    """A write that a closing reader cuts short can return a short count rather than fail: write
    the rest, so a reader that went away is a BrokenPipeError, never a silently cut export."""
    rest = memoryview(content)
    while rest:
        rest = rest[sys.stdout.buffer.write(rest) :]
    sys.stdout.flush()


async def _require_current_schema(engine: Any) -> None:
    found, needed = await current_revision(engine), head_revision()
    if found is None:
        raise ConfigError("This database has no facilitator tables: the bot has never run on it.",
                          "Check FACILITATOR_DATABASE_URL.")
    if found != needed:
        raise ConfigError(f"This database is at schema revision {found}; this version of facilitator reads {needed}.",
                          "Run `facilitator db upgrade` (the bot also upgrades it when it starts).")


async def demo(out_dir: Path) -> int:
    import tempfile

    from adapters.demo import DemoClock, run_demo

    out_dir.mkdir(parents=True, exist_ok=True)
    for leftover in out_dir.glob("demo.db*"):  # earlier versions kept their database here
        leftover.unlink()
    # The workshop's database is scratch: it lives, and is deleted, outside the output folder.
    with tempfile.TemporaryDirectory(prefix="facilitator-demo-") as scratch:
        clock = DemoClock()
        app = await open_app(f"sqlite:///{Path(scratch) / 'demo.db'}", clock=clock)
        try:
            written = await run_demo(app.service, out_dir, clock)
        finally:
            await app.close()
    print(f"Demo workshop written to {out_dir.resolve()}:")
    for path in written:
        print(f"  {path}")
    return 0


async def db_upgrade(config: Config) -> int:
    engine = create_engine(config.database_url)
    try:
        await upgrade(engine)
        print(f"database at revision {await current_revision(engine)}")
    finally:
        await engine.dispose()
    return 0


def discord_invite(env: dict[str, str]) -> int:
    from adapters.discord.app import invite
    from adapters.discord.settings import discord_settings

    print(invite(discord_settings(env)))
    return 0
