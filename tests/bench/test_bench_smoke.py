"""`python -m bench --smoke` still runs and prints every figure with sane numbers. No timing is asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VOTE_RATES = [
    "1 SQLite votes/s, sequential",
    "1 SQLite votes/s, concurrency 50",
    "1 PostgreSQL votes/s, sequential",
    "1 PostgreSQL votes/s, concurrency 50",
    "1 SQLite floor: 1 INSERT/commit in our unit of work, sequential",
    "1 SQLite floor: 1 INSERT/commit in our unit of work, concurrency 50",
    "1 PostgreSQL floor: 1 INSERT/commit in our unit of work, sequential",
    "1 PostgreSQL floor: 1 INSERT/commit in our unit of work, concurrency 50",
]
STATEMENTS = [
    f"2 SQLite statements incl. BEGIN/COMMIT: {step}" for step in (
        "join", "submit", "next (to voting)", "vote (joined person)", "vote (first action, not joined)", "unvote",
        "next (to discussing)", "tally (results)", "export md", "export csv", "export json", "export html")
]
ROUND_TRIPS = [
    "2 PostgreSQL round trips per vote, burst, one at a time",
    "2 PostgreSQL round trips per vote, burst at concurrency 50",
    "2 PostgreSQL round trips per vote, trickle",
]
BIG_SESSION = [
    "3 big session: an export's data",
    "3 big session: snapshot load",
    "3 big session: tally (results)",
    *(f"3 big session: export {fmt}" for fmt in ("md", "csv", "json", "html")),
]
RESPONSE_RATES = [  # a trailing space asks for the exact figure
    "4 Slack HTTP vote clicks/s, concurrency 50 ",
    "4 Slack HTTP vote clicks/s, concurrency 50, vs a replying bare app",
    "4 Slack HTTP vote clicks/s, concurrency 50, vs a minimal app that stores before it acks",
    "5 Discord interactions/s, concurrency 50 ",
    "5 Discord interactions/s, concurrency 50, vs a replying bare bot",
]
END_TO_END = ["4 Slack end-to-end votes/s", "5 Discord end-to-end votes/s"]
BURST = [f"9 Slack burst ({who}): {what}" for who in ("joined", "not joined") for what in (
    "all votes stored", "confirmations sent / tier allowance", "Web API calls per vote confirmed", "replies lost")]
BOARD = [f"7 board ({kind}): votes/s with " for kind in ("blind votes", "live tallies")]
BOARD_CPU = [f"7 board ({kind}): votes per CPU-second" for kind in ("blind votes", "live tallies")]
FOLLOWUP_TICKS = [f"8 follow-ups: idle timer tick, 100 pledges stored, {db}" for db in ("sqlite", "postgresql")]
FOLLOWUP_CLAIMS = [f"8 follow-ups: 50 due at once, 2 workers, {db}" for db in ("sqlite", "postgresql")]
FIGURES = [*VOTE_RATES, *STATEMENTS, *ROUND_TRIPS, *BIG_SESSION, *RESPONSE_RATES, *END_TO_END, "6 peak RSS", *BOARD,
           *BOARD_CPU, *FOLLOWUP_TICKS, *FOLLOWUP_CLAIMS, *BURST]


def table_rows(out: str) -> dict[str, list[str]]:
    rows = {}
    for line in out.splitlines():
        if line.startswith("| ") and not line.startswith("| figure"):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            rows[cells[0]] = cells
    return rows


def row_for(rows: dict[str, list[str]], prefix: str) -> list[str]:
    if prefix.endswith(" ") and prefix.rstrip() in rows:
        return rows[prefix.rstrip()]
    matches = [cells for figure, cells in rows.items() if figure.startswith(prefix)]
    assert len(matches) == 1, f"expected one row starting {prefix!r}, got {len(matches)}"
    return matches[0]


def number(cell: str) -> float:
    found = re.match(r"[\d,.]+", cell)
    assert found, f"no number in {cell!r}"
    return float(found.group().replace(",", ""))


def rounds(ratio: str, higher_is_better: bool = True) -> tuple[float, float]:
    """A figure measured in alternating rounds shows its worst round's ratio, then the median."""
    worst, median = (number(part) for part in ratio.split(" / "))
    assert 0 < worst and (worst <= median if higher_is_better else worst >= median), ratio
    return worst, median


def test_smoke_run_prints_every_figure_with_sane_numbers() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert run.returncode == 0, run.stderr[-3000:]
    machine = re.search(r"^# machine: .+, (\d+) cores", run.stdout, re.MULTILINE)
    assert machine and int(machine.group(1)) >= 1, run.stdout[:500]
    assert re.search(r"^# software: Python 3\.\d+\.\d+, SQLite 3\.\d+\.\d+, PostgreSQL \S", run.stdout, re.MULTILINE)
    rows = table_rows(run.stdout)
    for prefix in FIGURES:
        row_for(rows, prefix)
    assert len(rows) == len(FIGURES), sorted(rows)

    for prefix in VOTE_RATES:
        figure, ours, baseline, ratio, _target, met = row_for(rows, prefix)
        if met.startswith("skipped"):
            assert "PostgreSQL" in figure, f"only PostgreSQL rows may be skipped: {figure}"
            continue
        assert number(ours) > 0 and number(baseline) > 0
        rounds(ratio)
        # A floor is a reference with no target; the service rows say how they compare with it.
        assert met == "-" if "floor" in figure else (met in ("yes", "NO") and " of the floor)" in ours)

    for prefix in STATEMENTS:
        figure, ours, *_rest, met = row_for(rows, prefix)
        counts = [int(n) for n in ours.split(" (")[0].split(" / ")]
        # BEGIN and COMMIT are counted: nothing that reads or writes in a transaction takes fewer than three.
        assert len(counts) == 3 and all(3 <= n < 50 for n in counts), ours
        assert met in ("yes", "NO")
        if "vote (" in figure:  # the statements are listed under the table
            assert re.search(rf"^# {re.escape(figure)}: BEGIN IMMEDIATE \| .* \| COMMIT$", run.stdout, re.MULTILINE)

    for prefix in ROUND_TRIPS:
        _figure, ours, *_rest, met = row_for(rows, prefix)
        if not met.startswith("skipped"):
            # A vote is at least its one statement's round trip (the target); the bound catches a
            # proxy that counts nothing or everything.
            assert 1 <= number(ours) < 50 and "Sync " in ours and met in ("yes", "NO"), ours

    for prefix in FOLLOWUP_TICKS:
        _figure, ours, baseline, ratio, _target, _met = row_for(rows, prefix)
        assert number(ours) > 0 and number(baseline) > 0, ours
        rounds(ratio, higher_is_better=False)
    for prefix in FOLLOWUP_CLAIMS:  # each follow-up sent exactly once, split between the two workers
        _figure, ours, baseline, _ratio, target, met = row_for(rows, prefix)
        assert number(ours) > 0 and target == "each sent once" and met == "yes", (ours, met)
        assert sum(int(n) for n in baseline.removeprefix("split ").split("/")) == 50, baseline

    for board, board_cpu in zip(BOARD, BOARD_CPU):
        _figure, ours, baseline, ratio, target, met = row_for(rows, board)
        assert number(ours) > 0 and number(baseline) > 0 and target == ">= 0.9" and met in ("yes", "NO"), ours
        rounds(ratio)
        frames = re.search(rf"^# {re.escape(_figure)}: frames the \d+ screens received per run .*?: (.+)$",
                           run.stdout, re.MULTILINE)
        assert frames, "the screens saw the votes"
        runs = re.findall(r"(\d+) \((\d+\.\d) MB\)", frames.group(1))
        assert runs and all(int(n) > 0 for n, _ in runs), ("the screens saw the votes", frames.group(1))
        _figure, ours, baseline, ratio, target, met = row_for(rows, board_cpu)
        assert number(ours) > 0 and number(baseline) > 0 and met in ("yes", "NO")
        rounds(ratio)

    for prefix in BURST:
        figure, ours, _baseline, ratio, _target, met = row_for(rows, prefix)
        if "stored" in figure:
            assert ours.endswith(" s") and number(ours) > 0 and met in ("yes", "NO"), ours
        elif "allowance" in figure:
            assert 0 < number(ratio) <= 1 and met in ("yes", "NO"), (ours, ratio)
        elif "lost" in figure:
            assert ours.startswith("0 lost, ") and met == "yes", ours  # nothing is ever lost, even in a smoke run
        else:
            assert 0 < number(ours) < 3, ours

    for prefix in BIG_SESSION:
        _figure, ours, baseline, ratio, _target, met = row_for(rows, prefix)
        assert ours.endswith(" ms") and number(ours) > 0 and number(baseline) > 0, (ours, baseline)
        rounds(ratio, higher_is_better=False)
        assert met in ("yes", "NO", "-")

    for prefix in RESPONSE_RATES:
        _figure, ours, baseline, ratio, _target, met = row_for(rows, prefix)
        assert "/s, p50 " in ours and " ms, p99 " in ours and number(ours) > 0, ours
        assert "/s, p50 " in baseline and number(baseline) > 0, baseline
        assert number(ratio) > 0 and met in ("yes", "NO"), (ratio, met)
        if prefix.startswith("4 "):
            rounds(ratio)

    for prefix in END_TO_END:
        _figure, ours, *_ = row_for(rows, prefix)
        assert "votes/s" in ours and number(ours) > 0, ours
    _figure, _ours, baseline, ratio, target, met = row_for(rows, "4 Slack end-to-end votes/s")
    assert "votes/s" in baseline and number(baseline) > 0 and "competitor" in target and met in ("yes", "NO")
    rounds(ratio)

    _figure, ours, baseline, ratio, *_ = row_for(rows, "6 peak RSS")
    assert ours.endswith(" MiB") and 10 < number(ours) < 4096, ours
    assert number(ratio) >= 1.0  # the peak can only grow after the warm-up reading
