"""The `facilitator` command: run, shell, export, demo, db upgrade, discord-invite."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from facilitator.bootstrap import open_app
from facilitator.config import Config, environment, load_config
from facilitator.domain.errors import DomainError
from facilitator.reports.export import FILE_FORMATS, Audience, render_export
from facilitator.store.engine import create_engine
from facilitator.store.migrate import current_revision, upgrade
from facilitator.domain.templates import TemplateError

log = logging.getLogger("facilitator")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="facilitator", description="Run workshop discussions in Slack, Discord or a terminal.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot")
    run.add_argument("--platform", choices=("slack", "discord", "shell"))
    sub.add_parser("shell", help="the terminal adapter: lines of NAME: TEXT on stdin")
    export = sub.add_parser("export", help="export a session")
    export.add_argument("session", help="a session id, or `latest`")
    export.add_argument("--format", choices=FILE_FORMATS, default="md")
    export.add_argument("--output", type=Path)
    demo = sub.add_parser("demo", help="run a simulated PLN workshop and write every export")
    demo.add_argument("--output", type=Path, default=Path("facilitator-demo"))
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=("upgrade",))
    sub.add_parser("discord-invite", help="print the Discord OAuth2 invite URL")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Migration chatter on every start hides what matters; `db upgrade` reports the revision itself.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    config = load_config()
    try:
        return _run_until_signal(_dispatch(args, config))
    except TemplateError as exc:
        print(f"facilitator: broken template: {exc}", file=sys.stderr)
        return 2


def default_platform(env: dict[str, str]) -> str:
    """Slack when a Slack app is configured, else Discord when a bot token is, else the shell."""
    from adapters.discord.settings import discord_settings
    from adapters.slack.settings import slack_settings

    if slack_settings(env).configured:
        return "slack"
    if discord_settings(env).token:
        return "discord"
    return "shell"


async def _dispatch(args: argparse.Namespace, config: Config) -> int:
    if args.command == "shell":
        return await _shell(config)
    if args.command == "run":
        platform = args.platform or default_platform(environment())
        return await (_shell(config) if platform == "shell" else _run_platform(platform, config))
    if args.command == "export":
        return await _export(config, args.session, args.format, args.output)
    if args.command == "demo":
        return await _demo(args.output)
    if args.command == "db":
        return await _db_upgrade(config)
    if args.command == "discord-invite":
        return _discord_invite(config)
    return 2


def _run_until_signal(main_coro: Coroutine[Any, Any, int]) -> int:
    async def runner() -> int:
        task = asyncio.ensure_future(main_coro)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, task.cancel)
        try:
            return await task
        except asyncio.CancelledError:
            log.info("stopping on signal")
            return 0

    return asyncio.run(runner())


async def _shell(config: Config) -> int:
    from adapters.board.runtime import Boards
    from adapters.shell.app import run_shell

    app = await open_app(config.database_url, templates_dir=config.templates_dir, public_url=config.public_url)
    boards = Boards(app.service)
    try:
        # The terminal's boards are for this machine unless FACILITATOR_HOST says otherwise.
        await boards.serve(config.host if config.host_given else "127.0.0.1", config.port)
        return await run_shell(app.service)
    finally:
        await boards.close()
        await app.close()


def _freeze_start_up_heap() -> None:
    """Take everything loaded so far (the libraries' modules, most of a bot's heap) out of the
    cyclic collector's reach. Otherwise every full collection walks it again: on the bench such a
    pass stalled the event loop for 100-200 ms, and took 20-55 ms of a big export. Objects made
    later, per command, are still collected as usual."""
    gc.collect()
    gc.freeze()


async def _run_platform(platform: str, config: Config) -> int:
    # Each platform's runner opens the app itself and owns its own clean shutdown.
    if platform == "slack":
        from adapters.slack.server import run as run_slack
        from adapters.slack.settings import slack_settings

        _freeze_start_up_heap()
        await run_slack(config, slack_settings(environment()))
    else:
        from adapters.discord.app import run as run_discord
        from adapters.discord.settings import discord_settings

        _freeze_start_up_heap()
        await run_discord(config, discord_settings(environment()))
    return 0


async def _export(config: Config, session: str, fmt: str, output: Path | None) -> int:
    app = await open_app(config.database_url, templates_dir=config.templates_dir)
    try:
        if session == "latest":
            session_id = await app.service.latest_session_id()
            if session_id is None:
                print("facilitator: there are no sessions yet", file=sys.stderr)
                return 1
        elif session.isdigit():
            session_id = int(session)
        else:
            print("facilitator: SESSION is a session id or `latest`", file=sys.stderr)
            return 2
        try:
            snapshot = await app.service.snapshot_of(session_id)
        except DomainError as exc:  # a missing session: say it plainly
            print(f"facilitator: {exc.message}", file=sys.stderr)
            return 1
        # The operator holds the database: their copy adds hidden items and each person's give and take.
        content = render_export(snapshot, fmt, audience=Audience.OPERATOR).content
        if output is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            output.write_bytes(content)
        return 0
    finally:
        await app.close()


async def _demo(out_dir: Path) -> int:
    from adapters.demo import DemoClock, run_demo

    out_dir.mkdir(parents=True, exist_ok=True)
    database = out_dir / "demo.db"
    for leftover in out_dir.glob("demo.db*"):
        leftover.unlink()
    clock = DemoClock()
    app = await open_app(f"sqlite:///{database.resolve()}", clock=clock)
    try:
        written = await run_demo(app.service, out_dir, clock)
    finally:
        await app.close()
    print(f"Demo workshop written to {out_dir.resolve()}:")
    for path in written:
        print(f"  {path}")
    return 0


async def _db_upgrade(config: Config) -> int:
    engine = create_engine(config.database_url)
    try:
        await upgrade(engine)
        print(f"database at revision {await current_revision(engine)}")
    finally:
        await engine.dispose()
    return 0


def _discord_invite(config: Config) -> int:
    from adapters.discord.app import invite
    from adapters.discord.settings import discord_settings

    print(invite(discord_settings(environment())))
    return 0
if __name__ == "__main__":
    raise SystemExit(main())
