"""Real bot processes for the reliability tests: `python -m adapters.cli run --platform ...`
started as subprocesses of the test, with their output captured to files so a test can read
what they logged (and check that no secret is in it) after they are gone.

The child runs this worktree's code (PYTHONPATH), from a scratch directory so that no `.env`
file of the developer's leaks into its configuration.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes import slack_requests as sr
from tests.secret_scan import find_secrets

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # generous: 2 cores, several Python processes importing at once
WAIT_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def child_env(settings: Mapping[str, str]) -> dict[str, str]:
    """The parent's environment minus every FACILITATOR_/SLACK_/DISCORD_ setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACILITATOR_", "SLACK_", "DISCORD_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"  # a SIGKILLed process must not take buffered log lines with it
    env.update(settings)
    return env


@dataclass
class BotProcess:
    """One bot process. `start` may be called again after `kill` or `stop`: a restart with
    the same settings, its output appended to the same log files."""

    name: str
    platform: str
    settings: dict[str, str]
    workdir: Path
    process: asyncio.subprocess.Process | None = None
    starts: int = 0
    _files: list[Any] = field(default_factory=list)

    @property
    def stdout_path(self) -> Path:
        return self.workdir / f"{self.name}.stdout.log"

    @property
    def stderr_path(self) -> Path:
        return self.workdir / f"{self.name}.stderr.log"

    async def start(self) -> None:
        assert self.process is None or self.process.returncode is not None, "already running"
        self.workdir.mkdir(parents=True, exist_ok=True)
        stdout, stderr = self.stdout_path.open("ab"), self.stderr_path.open("ab")
        self._files += [stdout, stderr]
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "adapters.cli", "run", "--platform", self.platform,
            cwd=self.workdir, env=child_env(self.settings), stdin=asyncio.subprocess.DEVNULL,
            stdout=stdout, stderr=stderr,
        )
        self.starts += 1

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def check_alive(self) -> None:
        if self.process is not None and self.process.returncode is not None:
            raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.stderr()[-3000:]}")

    async def kill(self) -> None:
        """SIGKILL: no handler runs, no connection is closed, nothing is flushed."""
        assert self.process is not None and self.running
        self.process.send_signal(signal.SIGKILL)
        assert await self.process.wait() == -signal.SIGKILL

    async def stop(self) -> None:
        """SIGTERM (the bot shuts down cleanly), SIGKILL if it doesn't within the timeout."""
        if self.process is not None and self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), WAIT_TIMEOUT)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        for file in self._files:
            file.close()
        self._files.clear()

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace") if self.stdout_path.exists() else ""

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def logs(self) -> str:
        return self.stdout() + self.stderr()


def secrets_in_logs(bots: list[BotProcess], secrets: list[str]) -> list[tuple[str, str]]:
    """(bot, line) for every line a bot wrote (stdout or stderr, every run of it) that carries
    one of `secrets` or anything shaped like a platform token."""
    return [(bot.name, line) for bot in bots for line in find_secrets(bot.logs().splitlines(), extra=secrets)]


async def poll(check: Callable[[], Awaitable[Any]], what: str, timeout: float = WAIT_TIMEOUT,
               alive: list[BotProcess] | None = None) -> Any:
    """Await `check()` until it returns something truthy; fail if a bot in `alive` exits first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        for bot in alive or []:
            bot.check_alive()
        result = await check()
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.05)


# The secrets the bots are given: tests look for them in every byte the bots wrote.
SLACK_BOT_TOKEN = "xoxb-T1-reliability-7f3e9a1c5b2d"
SLACK_SIGNING_SECRET = "reliability-signing-secret-4c8d2e6f0a1b"
DISCORD_TOKEN = "MTE5OTk5OTk5OTk5OTk5OTk5OQ.GrLbTy.reliability-discord-token-9e1f"
SECRETS = [SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, DISCORD_TOKEN]


def slack_bot(name: str, workdir: Path, database_url: str, api_url: str, port: int | None = None,
              extra: Mapping[str, str] | None = None) -> BotProcess:
    """A Slack HTTP worker on its own port of 127.0.0.1; `extra` settings on top."""
    return BotProcess(name, "slack", {**(extra or {}),
        "FACILITATOR_DATABASE_URL": database_url,
        "FACILITATOR_HOST": "127.0.0.1",
        "FACILITATOR_PORT": str(port or free_port()),
        "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_URL": api_url,
    }, workdir)


def discord_bot(name: str, workdir: Path, database_url: str, api_base: str) -> BotProcess:
    return BotProcess(name, "discord", {
        "FACILITATOR_DATABASE_URL": database_url,
        "DISCORD_TOKEN": DISCORD_TOKEN,
        "DISCORD_API_BASE": api_base,
    }, workdir)


def slack_events_url(bot: BotProcess) -> str:
    return f"http://127.0.0.1:{bot.settings['FACILITATOR_PORT']}/slack/events"


async def wait_until_serving(bot: BotProcess, client: sr.BoltHttpClient) -> None:
    """Until the worker answers a signed url_verification (it checks the token at start, so
    by then it has migrated the database and reached the fake Web API too)."""
    body = json.dumps({"token": "legacy", "challenge": "are-you-there", "type": "url_verification"})

    async def answered() -> bool:
        try:
            status, text = await client.post(sr.sign(SLACK_SIGNING_SECRET, body, "application/json"))
        except (aiohttp.ClientError, OSError):
            return False  # not listening yet
        return status == 200 and "are-you-there" in text

    await poll(answered, f"{bot.name} to listen", START_TIMEOUT, alive=[bot])


async def export_latest_json(database_url: str, workdir: Path) -> dict[str, Any]:
    """`facilitator export latest --format json`, run as users run it, against the bots' database."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "export", "latest", "--format", "json",
        cwd=workdir, env=child_env({"FACILITATOR_DATABASE_URL": database_url}),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), START_TIMEOUT)
    assert process.returncode == 0, err.decode(errors="replace")
    document: dict[str, Any] = json.loads(out)
    return document


async def export_json_here(database_url: str) -> dict[str, Any]:
    """The latest session's JSON export, read in this process (cheaper than the CLI's start-up)."""
    from facilitator.bootstrap import open_app
    from facilitator.reports.export import render_export

    app = await open_app(database_url, migrate=False)
    try:
        session_id = await app.service.latest_session_id()
        assert session_id is not None, "no session in the database"
        snapshot = await app.service.snapshot_of(session_id)
        document: dict[str, Any] = json.loads(render_export(snapshot, "json").content)
        return document
    finally:
        await app.close()
