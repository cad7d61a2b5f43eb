"""The `facilitator` command: run, shell, export, demo, db upgrade, discord-invite.

An operator's mistake (a setting, a database, a file) is one or two lines on stderr and a
non-zero exit; the traceback is for --debug (or FACILITATOR_DEBUG=1). Settings are checked
before anything starts.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
import traceback
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from adapters import preflight
from adapters.cli_help import DEBUG_HELP, EPILOG, describe
from adapters.one_shot_commands import EXIT_PROBLEM, EXIT_USAGE, db_upgrade, demo, discord_invite, export
from adapters.operator_errors import explain
from facilitator.bootstrap import open_app
from facilitator.config import Config, environment, load_config
from facilitator.reports.export import FILE_FORMATS

log = logging.getLogger("facilitator")
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # what a program killed by SIGPIPE returns, as `yes | head` does
_TRUE = ("1", "true", "yes", "on")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's default must not undo `facilitator --debug export ...`.
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    parser = argparse.ArgumentParser(
        prog="facilitator", description="Run workshop discussions in Slack, Discord or a terminal.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", default=False, help=DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=summary, description=describe(name), parents=[common],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    run = command("run", "run the bot (Slack, Discord or the shell)")
    run.add_argument("--platform", choices=("slack", "discord", "shell"),
                     help="where to run; default: slack when SLACK_BOT_TOKEN or SLACK_CLIENT_ID is set, "
                          "else discord when DISCORD_TOKEN is set, else shell")
    command("shell", "the terminal adapter: lines of NAME: TEXT on stdin")
    export = command("export", "export a session to stdout or a file")
    export.add_argument("session", metavar="SESSION", help="a session id (a number), or `latest`")
    export.add_argument("--format", choices=FILE_FORMATS, default="md", help="file format (default: md)")
    export.add_argument("--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    demo = command("demo", "run a simulated PLN workshop and write every export format")
    demo.add_argument("--output", type=Path, default=Path("facilitator-demo"), metavar="DIR",
                      help="folder for the exports (default: ./facilitator-demo, created if missing)")
    db = command("db", "database maintenance")
    db.add_argument("action", choices=("upgrade",), help="upgrade: apply the migrations")
    command("discord-invite", "print the Discord invite URL")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    env = environment()
    debug = args.debug or env.get("FACILITATOR_DEBUG", "").lower() in _TRUE
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Migration chatter on every start hides what matters; `db upgrade` reports the revision itself.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    database_url = env.get("FACILITATOR_DATABASE_URL", "")
    try:
        config = load_config()
        database_url = config.database_url
        _check(args, config, env)
        return _run_until_signal(_dispatch(args, config, env))
    except BrokenPipeError:
        return _reader_went_away()
    except KeyboardInterrupt:  # Ctrl-C before the event loop took the signals over
        return 128 + signal.SIGINT
    except Exception as exc:
        return _report(exc, database_url, debug)


def _report(exc: Exception, database_url: str, debug: bool) -> int:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    problem = explain(exc, database_url)
    if problem is None:
        first_line = (str(exc).strip().splitlines() or [""])[0][:200]
        print(f"facilitator: unexpected error: {type(exc).__name__}: {first_line}", file=sys.stderr)
        if not debug:
            print("  This looks like a bug: run again with --debug for the details, and report it.", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"facilitator: {problem.problem}", file=sys.stderr)
    if problem.fix:
        print(f"  {problem.fix}", file=sys.stderr)
    return EXIT_PROBLEM


def _reader_went_away() -> int:
    """`facilitator export latest | head`: the reader closed the pipe. Stop quietly, and point
    stdout at /dev/null so the interpreter's last flush doesn't complain about it again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def _check(args: argparse.Namespace, config: Config, env: dict[str, str]) -> None:
    if args.command in ("run", "shell"):
        platform = _platform(args, env)
        preflight.database(config, must_exist=False)
        preflight.templates(config)
        if platform == "slack":
            preflight.slack(env)
        elif platform == "discord":
            preflight.discord(env)
    elif args.command == "export":
        preflight.database(config, must_exist=True)  # it only reads: never create a database
        if args.output is not None:
            preflight.output_file(args.output)
    elif args.command == "db":
        preflight.database(config, must_exist=False)
    elif args.command == "discord-invite":
        preflight.discord(env)


def default_platform(env: dict[str, str]) -> str:
    """Slack when a Slack app is configured, else Discord when a bot token is, else the shell."""
    from adapters.discord.settings import discord_settings
    from adapters.slack.settings import slack_settings

    if slack_settings(env).configured:
        return "slack"
    if discord_settings(env).token:
        return "discord"
    return "shell"


def _platform(args: argparse.Namespace, env: dict[str, str]) -> str:
    if args.command == "shell":
        return "shell"
    return str(args.platform or default_platform(env))


async def _dispatch(args: argparse.Namespace, config: Config, env: dict[str, str]) -> int:
    if args.command in ("run", "shell"):
        platform = _platform(args, env)
        return await (_shell(config) if platform == "shell" else _run_platform(platform, config, env))
    if args.command == "export":
        return await export(config, args.session, args.format, args.output)
    if args.command == "demo":
        return await demo(args.output)
    if args.command == "db":
        return await db_upgrade(config)
    if args.command == "discord-invite":
        return discord_invite(env)
    return EXIT_USAGE


def _run_until_signal(main_coro: Coroutine[Any, Any, int]) -> int:
    async def runner() -> int:
        task = asyncio.ensure_future(main_coro)
        loop = asyncio.get_running_loop()
        signalled: list[int] = []

        def stop(sig: int) -> None:
            signalled.append(sig)
            task.cancel()

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop, sig)
        try:
            return await task
        except asyncio.CancelledError:
            if not signalled:  # cancelled by something else: not a clean stop to report as one
                raise
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


async def _run_platform(platform: str, config: Config, env: dict[str, str]) -> int:
    # Each platform's runner opens the app itself and owns its own clean shutdown.
    if platform == "slack":
        from adapters.slack.server import run as run_slack
        from adapters.slack.settings import slack_settings

        _freeze_start_up_heap()
        await run_slack(config, slack_settings(env))
    else:
        from adapters.discord.app import run as run_discord
        from adapters.discord.settings import discord_settings

        _freeze_start_up_heap()
        await run_discord(config, discord_settings(env))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
