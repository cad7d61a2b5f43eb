"""The shell adapter fires deadlines on time, by itself, and before it handles a later line."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Callable
from pathlib import Path

from adapters.shell.app import TIMER_TICK_SECONDS, run_shell
from facilitator.bootstrap import open_app

from tests.app.support import FakeClock

SCRIPT = """Fay: /pln start Timed
Ann: /pln do Give before you ask
Fay: /pln timer 5m
Ann: /pln status
Ann: /pln vote 1
"""


class MinutesPerLine(io.StringIO):
    """stdin whose every line arrives three minutes after the previous one."""

    def __init__(self, text: str, clock: FakeClock) -> None:
        super().__init__(text)
        self.clock = clock

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self.clock.advance(minutes=3)
        return super().readline()


async def test_a_deadline_fires_between_lines(sqlite_url: str, clock: FakeClock, tmp_path: Path) -> None:
    app = await open_app(sqlite_url, clock=clock)
    out = io.StringIO()
    try:
        assert await run_shell(app.service, MinutesPerLine(SCRIPT, clock), out, tmp_path) == 0
    finally:
        await app.close()
    text = out.getvalue()
    assert "Collecting ends and voting opens in 5 min" in text
    assert "[to Ann] Time left: 2 min" in text  # status, three minutes into the five
    up = text.index("Time's up for collecting.")
    assert text.index("Voting is open.") > up
    assert "[to Ann] Voted for #1." in text[up:]


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), seconds)


async def test_a_deadline_fires_on_time_while_nobody_types(sqlite_url: str, clock: FakeClock, tmp_path: Path) -> None:
    """The shell's timer worker prints "Time's up" when the deadline passes, not when the next
    line arrives: here no line arrives at all until the test has seen it."""
    app = await open_app(sqlite_url, clock=clock)
    read_end, write_end = os.pipe()
    stdin, typing = open(read_end, encoding="utf-8"), open(write_end, "w", encoding="utf-8")
    out = io.StringIO()
    shell = asyncio.create_task(run_shell(app.service, stdin, out, tmp_path, tick_seconds=0.02))
    try:
        typing.write("Fay: /pln start Timed\nAnn: /pln do Give before you ask\nFay: /pln timer 5m\n")
        typing.flush()
        await until(lambda: "Collecting ends and voting opens in 5 min" in out.getvalue())
        clock.advance(minutes=4, seconds=59)
        await asyncio.sleep(0.2)  # ten ticks: not due yet
        assert "Time's up" not in out.getvalue()
        clock.advance(seconds=1)
        await until(lambda: "Voting is open." in out.getvalue())
        text = out.getvalue()
        assert text.index("Time's up for collecting.") < text.index("Voting is open.")
        assert text.count("Time's up") == 1
        typing.write("Ann: /pln vote 1\n")
        typing.flush()
        await until(lambda: "[to Ann] Voted for #1." in out.getvalue())
    finally:
        typing.close()
        assert await asyncio.wait_for(shell, 10) == 0  # end of input still ends the shell
        stdin.close()
        await app.close()


def test_the_shell_checks_its_timers_at_least_every_second() -> None:
    assert TIMER_TICK_SECONDS <= 1.0
