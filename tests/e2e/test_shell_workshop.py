"""A scripted six-person workshop through the real `facilitator` shell, checked by its JSON export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """\
Ana: /pln start PLN at the library
Ana: /pln join veteran
Ben: /pln join newcomer
Cleo: /pln join newcomer
Dev: /pln join practitioner
Eve: /pln join practitioner
Ben: DO: Follow five people whose work you admire
Cleo: DON'T: Only ask for help and never give back
Dev: /pln do Share one useful link a week, with a line on why
Fay: dont: Add hundreds of accounts on day one
Fay: /pln join veteran
Eve: /pln vote 1
Ana: /pln next
Ben: /pln vote 1 3
Cleo: /pln vote 1 2 4
Dev: /pln vote 2 3
Eve: /pln vote 1 4
Fay: /pln vote 2 4
Ana: /pln vote 1 2 3
Ben: /pln vote 1
Cleo: /pln vote 3
Dev: /pln vote 9
Eve: /pln unvote 4
Eve: /pln vote 3
Ben: /pln next
Ben: /pln end
Ana: /pln next
Ana: /pln end
"""

# Hand-computed from SCRIPT: levels are Ana veteran, Ben newcomer, Cleo newcomer,
# Dev practitioner, Eve practitioner, Fay veteran (Fay submitted before joining).
EXPECTED_ITEMS = {
    1: ("do", 4, {"newcomer": 2, "practitioner": 1, "veteran": 1}),
    2: ("dont", 4, {"newcomer": 1, "practitioner": 1, "veteran": 2}),
    3: ("do", 4, {"newcomer": 1, "practitioner": 2, "veteran": 1}),
    4: ("dont", 2, {"newcomer": 1, "practitioner": 0, "veteran": 1}),
}
EXPECTED_VOTES_CAST = {"Ana": 3, "Ben": 2, "Cleo": 3, "Dev": 2, "Eve": 2, "Fay": 2}


REPO_ROOT = Path(__file__).resolve().parents[2]


def run_facilitator(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "FACILITATOR_"))}
    # This checkout, not whichever copy of the package the interpreter has installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_six_person_shell_workshop_exports_exact_tallies(tmp_path: Path) -> None:
    shell = run_facilitator(["run"], tmp_path, SCRIPT)
    assert shell.returncode == 0, shell.stderr
    out = shell.stdout

    # Refusals are private, clear, and changed nothing (checked by the export below).
    assert "[to Eve] Voting hasn't opened yet: the session is still collecting items. Ana will open it" in out
    assert "[to Ben] You've already given #1 the most votes" in out
    assert "[to Cleo] You've used all 3 of your votes" in out
    assert "[to Dev] There's no item #9" in out
    assert "[to Ben] Only the session's facilitators can move the session on." in out
    assert "[to Ben] Only the session's facilitators can end the session." in out
    assert "[to Fay] Thanks, your DON'T is in as #4." in out
    assert (tmp_path / "facilitator.db").exists(), "the default database is a SQLite file in the working dir"

    export = run_facilitator(["export", "latest", "--format", "json"], tmp_path)
    assert export.returncode == 0, export.stderr
    document = json.loads(export.stdout)
    assert document["schema"] == "facilitator.session/1"
    assert document["session"]["phase"] == "closed"
    assert document["session"]["platform"] == "shell"
    assert document["session"]["title"] == "PLN at the library"
    assert document["levels"] == ["newcomer", "practitioner", "veteran"]
    items = {item["number"]: item for item in document["items"]}
    assert set(items) == set(EXPECTED_ITEMS)
    for number, (kind, votes, by_level) in EXPECTED_ITEMS.items():
        assert items[number]["kind"] == kind
        assert items[number]["votes"] == votes, number
        assert items[number]["votes_by_level"] == by_level, number
    assert items[4]["author"] == "Fay" and items[4]["author_level"] == "veteran"
    assert items[2]["text"] == "Only ask for help and never give back"
    cast = {p["name"]: p["votes_cast"] for p in document["participants"]}
    assert cast == EXPECTED_VOTES_CAST


def test_export_to_file_and_missing_session(tmp_path: Path) -> None:
    run_facilitator(["shell"], tmp_path, "Ana: /pln start\nAna: /pln do Be generous\n")
    target = tmp_path / "out.csv"
    done = run_facilitator(["export", "1", "--format", "csv", "--output", str(target)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Be generous" in target.read_text()
    missing = run_facilitator(["export", "42", "--format", "json"], tmp_path)
    assert missing.returncode == 1
    assert "42" in missing.stderr


def test_demo_writes_every_format(tmp_path: Path) -> None:
    done = run_facilitator(["demo", "--output", str(tmp_path / "demo")], tmp_path)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "demo").glob("*session-*"))
    # Every format, plus give and take per level as a second CSV (docs/EXPORTS.md).
    assert names == ["pln-session-1.csv", "pln-session-1.html", "pln-session-1.json", "pln-session-1.levels.csv",
                     "pln-session-1.md"]
    document = json.loads(next((tmp_path / "demo").glob("*.json")).read_text())
    assert len(document["participants"]) == 12
    assert document["session"]["phase"] == "closed"
