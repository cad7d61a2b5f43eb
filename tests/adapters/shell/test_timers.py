"""The shell adapter fires a passed deadline before it handles the next line."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.shell.app import run_shell
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
