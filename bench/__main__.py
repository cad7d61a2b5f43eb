"""`python -m bench` runs every figure and prints one table; `--smoke` uses tiny sizes (CI)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import traceback
from collections.abc import Awaitable, Callable

from bench import (big_session, board_viewers, discord_path, machine, memory, pledge_followups, rounds, round_trips,
                   slack_burst, slack_http, statements, vote_path)
from bench.table import Row, render, render_notes

Measure = Callable[[bool], Awaitable[list[Row]]]

# One module per figure. Adding a row is a module with `async def measure(smoke: bool) -> list[Row]`.
FIGURES: list[tuple[str, Measure]] = [
    ("1 vote write path", vote_path.measure),
    ("2 statements per command", statements.measure),
    ("2 round trips per vote", round_trips.measure),
    ("3 big session", big_session.measure),
    ("4 Slack HTTP path", slack_http.measure),
    ("5 Discord path", discord_path.measure),
    ("6 memory", memory.measure),
    ("7 board viewers", board_viewers.measure),
    ("8 follow-ups", pledge_followups.measure),
    ("9 Slack burst at the rate tiers", slack_burst.measure),
]


async def run(smoke: bool, only: set[str]) -> list[Row]:
    rows: list[Row] = []
    for name, measure in FIGURES:
        if only and name.split()[0] not in only:
            continue
        started = time.perf_counter()
        try:
            rows.extend(await measure(smoke))
        except Exception as exc:  # one broken figure must not hide the others
            traceback.print_exc()
            rows.append(Row(name, "-", status=f"failed: {type(exc).__name__}: {exc}"[:120]))
        print(f"# {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, a few seconds: checks the bench still runs")
    parser.add_argument("--rounds", type=int, default=rounds.ROUNDS,
                        help=f"alternating rounds per comparison in a full run (default {rounds.ROUNDS})")
    parser.add_argument("--figures", default="", help="comma-separated figure numbers to run, e.g. 1,4 (default: all)")
    parser.add_argument("--tier-per-minute", type=float, default=slack_burst.PER_MINUTE,
                        help="figure 9: the Tier 4 budget a minute (chat.postEphemeral, users.info), default %(default)g")
    parser.add_argument("--tier-burst", type=float, default=slack_burst.BURST,
                        help="figure 9: the Tier 4 burst, default %(default)g")
    parser.add_argument("--burst-window", type=float, default=slack_burst.WINDOW,
                        help="figure 9: seconds of delivery measured after the first click, default %(default)g")
    args = parser.parse_args()
    rounds.ROUNDS = max(1, args.rounds)
    slack_burst.PER_MINUTE, slack_burst.BURST, slack_burst.WINDOW = args.tier_per_minute, args.tier_burst, args.burst_window
    only = {f.strip() for f in args.figures.split(",") if f.strip()}
    print(f"# {'smoke' if args.smoke else 'full'} run, {rounds.count(args.smoke)} alternating rounds per comparison,"
          f" load average {os.getloadavg()[0]:.1f} at start")
    print("\n".join(asyncio.run(machine.describe())), flush=True)
    rows = asyncio.run(run(args.smoke, only))
    print(render(rows))
    if notes := render_notes(rows):
        print(notes)
    print(f"# load average {os.getloadavg()[0]:.1f} at end (other processes share these CPUs)")
    if any(row.status.startswith("failed") for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
