"""Deliberation through the real `facilitator` shell: predictions, the agenda, next item with its
question, notes (command and NOTE: line), a second round, the summary and the exports."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_shell_workshop import run_facilitator

SCRIPT = """\
Ana: /pln start Deliberation
Ana: /pln settings predict=on
Ana: /pln join veteran
Vic: /pln join veteran
Ben: /pln join newcomer
Cleo: /pln join newcomer
Dev: /pln join newcomer
Ben: DO: Follow five people whose work you admire
Vic: DO: Write in public about what you are learning
Cleo: DON'T: Only ask for help and never give back
Ana: /pln next
Ben: /pln vote 1 3
Cleo: /pln vote 1 3
Dev: /pln vote 1
Ana: /pln vote 2 1
Vic: /pln vote 2
Ben: /pln predict 1 3
Cleo: /pln predict 1
Dev: /pln predict 1
Ana: /pln predict 1 3
Vic: /pln predict 1
Cleo: /pln status
Ana: /pln next
Ana: /pln agenda unshared
Ana: /pln next item 5m
Ana: /pln note Vic writes a weekly post on what he learned
Ana: NOTE: Ben will try it for a month
Ben: NOTE: sounds good
Ana: /pln next item
Ana: /pln revote
Ben: /pln vote 2 1
Cleo: /pln vote 2 3
Dev: /pln vote 1
Ana: /pln vote 2 1
Vic: /pln vote 2
Ana: /pln next
Ana: /pln end
Ana: /pln export json
Ana: /pln export html
"""


def test_a_shell_workshop_deliberates(tmp_path: Path) -> None:
    shell = run_facilitator(["run"], tmp_path, SCRIPT)
    assert shell.returncode == 0, shell.stderr
    out = shell.stdout
    # Predictions and their confirmations are private; a participant's status shows only their own.
    assert "[to Ben] Your prediction for round 1: #1, #3. Nobody sees predictions until voting closes" in out
    assert "[to Cleo] Your prediction for round 1: #1" in out
    assert not any(line.startswith("Your prediction") or "prediction for round 1: #1, #3" in line
                   for line in out.splitlines() if not line.startswith("[to Ben]") and not line.startswith("[to Ana]"))
    # Round 1: #1 4 votes (newcomer 3, veteran 1), #2 2 (veteran 2), #3 2 (newcomer 2); 5 voters.
    # Predictions: #1 5 times, #3 twice. #2: 2/5 - 0 = +40 pts; #3: 2/5 - 2/5 = 0; #1: 4/5 - 5/5.
    assert "#2 Write in public about what you are learning — backed by 40% of voters, predicted by 0%: +40 pts" in out
    assert "1. #2 DO: Write in public about what you are learning — mostly veteran support: 2 of 2 (100%)" in out
    assert "Now discussing #2 (item 1 of 3, one level's knowledge first)" in out
    assert ("Question: This came mostly from the veteran level: what do they know about building a PLN that the "
            "rest of the room may not have seen?") in out
    assert "Timebox: 5 min" in out
    assert out.count("[to Ana] Noted on #2") == 2 and "[to Ben] Noted" not in out
    assert "Now discussing #3 (item 2 of 3" in out
    assert "Round 2 is open: vote again on the same items" in out
    # Round 2: #1 3 (newcomer 2, veteran 1), #2 4 (newcomer 2, veteran 2), #3 1 (newcomer 1).
    assert ("Between round 1 and round 2 the group moved toward #2 (+2), and away from #1 (−1) and #3 (−1).") in out
    assert "#2 Write in public about what you are learning — 2 → 4 (+2): newcomer +2" in out
    assert "Discussed, in agenda order:\n1. #2 Write in public about what you are learning (one level's knowledge)\n" \
           "   note: Vic writes a weekly post on what he learned — Ana\n   note: Ben will try it for a month — Ana" in out

    document = json.loads((tmp_path / "pln-session-1.json").read_text())
    assert document["session"]["round"] == 2 and document["session"]["predict"] is True
    assert [r["votes"] for r in document["rounds"]] == [{"1": 4, "2": 2, "3": 2}, {"1": 3, "2": 4, "3": 1}]
    assert document["summary"]["surprisingly_popular"] == [2] and document["summary"]["surprise_round"] == 1
    assert {i["number"]: i["surprise"] for i in document["items"]} == {1: -0.2, 2: 0.4, 3: 0.0}
    assert [d["number"] for d in document["discussion"]] == [2, 3]
    html = (tmp_path / "pln-session-1.html").read_text()
    assert 'id="movement"' in html and "Votes moved between round 1 and round 2, by level" in html
