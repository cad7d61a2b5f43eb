"""Runs the real `facilitator` command in a child process, as an operator would, with only the
settings a test gives it (nothing of the test run's own SLACK_/DISCORD_/FACILITATOR_ variables)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from facilitator.bootstrap import open_app
from facilitator.domain.actors import Actor, Place

COMMAND = [sys.executable, "-m", "adapters.cli"]
_OWN_SETTINGS = ("SLACK_", "DISCORD_", "FACILITATOR_")
_TEST_RUN_SETTINGS = ("FACILITATOR_TEST_", "FACILITATOR_REQUIRE_")  # the suite's, not the bot's


def is_bot_setting(key: str) -> bool:
    return key.startswith(_OWN_SETTINGS) and not key.startswith(_TEST_RUN_SETTINGS)
CHECKOUT = Path(__file__).resolve().parents[2]


def clean_env(settings: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not is_bot_setting(k)}
    env["PYTHONPATH"] = str(CHECKOUT)  # this checkout's code, whatever the working directory
    return {**env, **(settings or {})}


def facilitator(args: list[str], cwd: Path, settings: dict[str, str] | None = None,
                stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, text=True, cwd=cwd,
                          env=clean_env(settings), timeout=120)


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


async def facilitator_async(args: list[str], cwd: Path, settings: dict[str, str] | None = None,
                            timeout: float = 60) -> Finished:
    """For tests whose fake platform runs on this test's event loop: the loop must keep serving
    while the command runs."""
    process = await asyncio.create_subprocess_exec(
        *COMMAND, *args, cwd=cwd, env=clean_env(settings), stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return Finished(process.returncode, out.decode(), err.decode())


Cli = Callable[..., Finished]  # the `cli` fixture (tests/adapters/conftest.py): args, settings -> Finished


def assert_operator_error(done: subprocess.CompletedProcess[str] | Finished, *says: str, started: bool = False) -> str:
    """What every operator error looks like: exit status 1, one or two lines on stderr starting
    `facilitator: `, nothing on stdout, no traceback. An error met once the bot `started` may
    follow its INFO progress lines (never a warning). Returns stderr."""
    lines = done.stderr.strip().splitlines()
    if started:
        lines = [line for line in lines if " INFO " not in line]
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert 1 <= len(lines) <= 2, done.stderr
    assert lines[0].startswith("facilitator: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    for phrase in says:
        assert phrase in done.stderr, (phrase, done.stderr)
    return done.stderr


def unused_port() -> int:
    """A port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shell_database(folder: Path, lines: tuple[str, ...] = ("/pln start", "/pln do Be generous")) -> Path:
    """The database `facilitator shell` leaves in `folder` after Ana typed `lines`, written through
    the core directly (a second interpreter would only add its start-up time)."""
    path = folder / "facilitator.db"

    async def write() -> None:
        app = await open_app(f"sqlite:///{path}")
        try:
            for line in lines:
                await app.service.handle_text(Actor("shell", "Ana", "Ana"), Place("shell", "shell", "shell"), line)
        finally:
            await app.close()

    asyncio.run(write())
    return path
