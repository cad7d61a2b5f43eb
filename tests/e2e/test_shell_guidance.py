"""The participants' cases of issue 19, typed into the real shell adapter: each mistake gets a
reply that says what to do next, and nothing promises a button the terminal doesn't have."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.shell.app import run_shell
from facilitator.bootstrap import open_app

SCRIPT = """\
Ana: /pln start Guided
Ana: /pln cohost @Cleo
Bo: /pln vote 1
Ana: /pln next
Bo: /pln nxt
Bo: /pln exprot
Bo: /pln hlep
Bo: /pln votes 1
Bo: /pln v 1
Bo: /pln dont: ignore replies
Bo: /pln join new
Vic: /pln join vet
Dee: /pln join newbie
Eve: DO: Share one link a week, with a line on why
Bo: /pln do Follow five people whose work you admire
Bo: /pln next
Ana: /pln next item
Bo: /pln help
Ana: /pln next
Bo: /pln vote 2
Bo: /pln vote 2 2
Bo: /pln vote 1 2
Bo: /pln status
Eve: /pln status
"""


async def test_every_mistake_gets_a_way_forward(sqlite_url: str, tmp_path: Path) -> None:
    app = await open_app(sqlite_url)
    out = io.StringIO()
    try:
        assert await run_shell(app.service, io.StringIO(SCRIPT), out, tmp_path) == 0
    finally:
        await app.close()
    text = out.getvalue()
    lines = text.splitlines()

    expected = [
        # co-host by mention before Cleo said anything; Cleo is told
        "[to Ana] Cleo is now a co-host of this session; I've told them.",
        "[to Cleo] Ana made you a co-host of Guided: you can run the session too",
        # a vote while collecting: wait, and for whom
        "[to Bo] Voting hasn't opened yet: the session is still collecting items. Ana or Cleo will open it "
        "with `/pln next`; until then you can add your own items.",
        # voting never opens on nothing
        "[to Ana] There's nothing to vote on yet: nobody has added an item, so the session stays collecting.",
        # did you mean
        "[to Bo] I don't know the command `/pln nxt`. Did you mean `/pln next`?",
        "[to Bo] I don't know the command `/pln exprot`. Did you mean `/pln export`?",
        "[to Bo] I don't know the command `/pln hlep`. Did you mean `/pln help`?",
        "[to Bo] I don't know the command `/pln votes`. Did you mean `/pln vote 1`?",
        "[to Bo] I don't know the command `/pln v`. Did you mean `/pln vote 1`?",
        "[to Bo] I don't know the command `/pln dont:`. Did you mean `/pln dont ignore replies`?",
        # level aliases, and a near miss
        "[to Bo] You joined as newcomer. Welcome! Not sure what to write?",
        "[to Vic] You joined as veteran. Your experience helps most",
        "[to Dee] `newbie` is not a level here. Did you mean `/pln join newcomer`?",
        # a non-facilitator's next says whom to ask
        "[to Bo] Only the session's facilitators can move the session on. Ask Ana or Cleo.",
        # words next doesn't take: refused, nothing moves
        "[to Ana] Agenda items are posted while discussing; the session is collecting now.",
        # the per-item limit is the reason, not the budget
        "[to Bo] One person can give an item at most 1 vote; you asked for 2 on #2. Nothing was changed.",
        "[to Bo] You've already given #2 the most votes one person can give an item (1).",
        # one name for no level
        "[to Eve] You: level unspecified (`/pln join LEVEL` picks one), 3 of 3 votes left",
    ]
    for line in expected:
        assert any(shown.startswith(line) for shown in lines), line

    assert text.count("Welcome") == 1  # one welcome per join
    assert "Phase: voting" in text and "Phase: discussing" not in text  # `next item` (an agenda command) moved nothing
    help_lines = [line for line in lines if line.startswith("[to Bo] /pln ")]
    assert help_lines and not any(word in line for line in help_lines for word in ("/pln end ", "/pln nudge"))
    assert "[to Bo] Ana and Cleo run this session" in text
    # The shell has no buttons: no reply may promise one.
    assert "button" not in text.lower()
