"""`facilitator shell`: after `settings followup=10s` and a pledge, the follow-up `[to NAME] ...`
line appears on its own, on time, while nobody types."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.e2e.test_shell_board import finish, say, shell
from tests.reliability.processes import free_port


async def test_the_follow_up_line_appears_on_time_without_typing(tmp_path: Path) -> None:
    process = await shell(tmp_path, free_port())
    assert process.stdout is not None
    await say(process, "Fay: /pln start Retro", "Retro")
    await say(process, "Fay: /pln settings followup=10s", "pledge follow-ups: 10 s")
    await say(process, "Ann: /pln join newcomer", "[to Ann]")
    await say(process, "Ann: /pln pledge Answer one newcomer question a week", "New pledge #1 from Ann")
    pledged = time.monotonic()
    while True:  # nobody types from here on
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert line, "the shell ended"
        if "A follow-up from" in line:
            break
    waited = time.monotonic() - pledged
    assert line.startswith("[to Ann] A follow-up from Retro: did you do what you pledged?"), line
    assert "Answer one newcomer question a week" in line
    assert 9.5 <= waited <= 20, waited  # not before the period; after it, the one-second tick (slack for a busy machine)
    rest = (await asyncio.wait_for(process.stdout.readline(), 5)).decode()
    assert rest.startswith("[to Ann] Done: `/pln done 1 session=1`"), rest
    await say(process, "Ann: /pln done 1", "Pledge #1 (Ann) kept")
    await finish(process)
