"""The `facilitator` command as operators meet it when things go right: --help says every option
and default, --output says what it wrote, a closed pipe ends it quietly, the demo leaves only
its exports, and a Slack start logs nothing alarming."""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import threading
from pathlib import Path
from typing import IO

import pytest

from adapters.cli import EXIT_BROKEN_PIPE, main
from tests.adapters.cli_process import COMMAND, Cli, clean_env, shell_database, unused_port
from tests.fakes.slack_api import FakeSlackApi

SUBCOMMANDS = ("run", "shell", "export", "demo", "db", "discord-invite")


def help_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    assert done.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines where it likes


def test_help_names_every_command_and_the_settings(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys)
    for command in SUBCOMMANDS:
        assert command in text
    for words in ("FACILITATOR_DATABASE_URL", "default: sqlite:///facilitator.db", "FACILITATOR_DEBUG=1", "--debug",
                  "exit status"):
        assert words in text, words


@pytest.mark.parametrize(
    "command, says",
    [
        (["run"], ["--platform {slack,discord,shell}", "default: slack when SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
                   "SLACK_APP_TOKEN", "DISCORD_TOKEN", "DISCORD_GUILD_ID", "default 0.0.0.0:3000", "--debug"]),
        (["shell"], ["NAME: TEXT", "[to NAME]", "Timers print when they end", "FACILITATOR_DATABASE_URL"]),
        (["export"], ["SESSION", "`latest`", "--format {md,csv,json,html,levels.csv}", "(default: md)", "--output FILE",
                      "instead of stdout", "never creates or upgrades a database"]),
        (["demo"], ["--output DIR", "(default: ./facilitator-demo", "temporary and deleted"]),
        (["db"], ["upgrade", "migrations", "FACILITATOR_DATABASE_URL"]),
        (["discord-invite"], ["DISCORD_TOKEN", "permissions"]),
    ],
)
def test_each_command_documents_its_options_and_defaults(
    capsys: pytest.CaptureFixture[str], command: list[str], says: list[str]
) -> None:
    text = help_of(capsys, *command)
    for words in says:
        assert words in text, (command, words)


def test_export_to_a_file_says_what_it_wrote(cli: Cli, tmp_path: Path) -> None:
    shell_database(tmp_path, ("/pln start Friday PLN", "/pln do Be generous"))
    done = cli(["export", "latest", "--format", "csv", "--output", "out.csv"])
    assert done.returncode == 0, done.stderr
    size = (tmp_path / "out.csv").stat().st_size
    assert done.stdout == f"Wrote session 1 (Friday PLN) as csv to out.csv ({size:,} bytes).\n"
    assert "Be generous" in (tmp_path / "out.csv").read_text()


def test_the_demo_leaves_only_its_exports(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    out.mkdir()
    (out / "demo.db").write_text("left by an older version")
    done = cli(["demo", "--output", str(out)])
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "pln-session-1.csv", "pln-session-1.html", "pln-session-1.json", "pln-session-1.levels.csv", "pln-session-1.md"]
    assert list(tmp_path.iterdir()) == [out]  # no database beside it either


def closed_early(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    """Runs the command with a reader that takes the first bytes of its output and goes away, like `| head -c 100`."""
    # A port of its own for the shell's live boards: a taken one would be a (fair) warning on stderr.
    settings = {"FACILITATOR_PORT": str(unused_port())}
    process = subprocess.Popen([*COMMAND, *args], cwd=cwd, env=clean_env(settings), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    feeding = threading.Thread(target=_feed, args=(process.stdin, stdin.encode()), daemon=True)
    feeding.start()  # on a thread: more input than a pipe holds would block us before we read
    process.stdout.read(100)
    process.stdout.close()
    err = process.stderr.read()
    feeding.join(30)
    return subprocess.CompletedProcess(args, process.wait(timeout=60), b"", err)


def _feed(stdin: IO[bytes], data: bytes) -> None:
    try:
        stdin.write(data)
        stdin.close()
    except BrokenPipeError:  # the command ended before reading it all, as it should
        pass


def test_a_reader_that_goes_away_ends_the_shell_quietly(tmp_path: Path) -> None:
    lines = "Ana: /pln start\n" + "Ana: /pln status\n" * 5000  # far more than a pipe holds
    done = closed_early(["run"], tmp_path, lines)
    assert done.returncode == EXIT_BROKEN_PIPE
    assert done.stderr == b""


def test_a_reader_that_goes_away_ends_an_export_quietly(tmp_path: Path) -> None:
    words = [f"{random.Random(n).getrandbits(128):x}" for n in range(150 * 12)]  # unlike each other: no near-duplicates
    items = tuple(f"/pln do! {' '.join(words[n * 12:(n + 1) * 12])}" for n in range(150))
    shell_database(tmp_path, ("/pln start", *items))  # an export of about 100 KB, more than a pipe holds
    done = closed_early(["export", "latest", "--format", "html"], tmp_path)
    assert done.returncode == EXIT_BROKEN_PIPE
    assert done.stderr == b""


async def test_slack_starts_and_stops_without_a_warning(tmp_path: Path) -> None:
    fake = FakeSlackApi()
    fake.install("xoxb-T1", "T1")
    await fake.start()
    settings = {"SLACK_BOT_TOKEN": "xoxb-T1", "SLACK_SIGNING_SECRET": "test-signing-secret",
                "SLACK_API_URL": fake.base_url, "FACILITATOR_HOST": "127.0.0.1", "FACILITATOR_PORT": str(unused_port())}
    process = await asyncio.create_subprocess_exec(*COMMAND, "run", cwd=tmp_path, env=clean_env(settings),
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert process.stderr is not None
    try:
        seen: list[str] = []
        while not any("Slack app listening" in line for line in seen):
            line = (await asyncio.wait_for(process.stderr.readline(), 60)).decode()
            assert line, "".join(seen)
            seen.append(line)
        process.send_signal(signal.SIGTERM)
        rest = (await asyncio.wait_for(process.stderr.read(), 30)).decode()
        assert await process.wait() == 0
    finally:
        if process.returncode is None:
            process.kill()
        await fake.stop()
    log = "".join(seen) + rest
    assert "WARNING" not in log and "will be unused" not in log, log
    assert "Traceback" not in log
