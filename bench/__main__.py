"""`python -m bench` runs every figure and prints one table; `--smoke` uses tiny sizes (CI)."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import sys
import time
import traceback
from collections.abc import Awaitable, Callable

from bench import big_session, discord_path, memory, slack_http, statements, vote_path
from bench.table import Row, render

Measure = Callable[[bool], Awaitable[list[Row]]]

# One module per figure. Adding a row is a module with `async def measure(smoke: bool) -> list[Row]`.
FIGURES: list[tuple[str, Measure]] = [
    ("1 vote write path", vote_path.measure),
    ("2 statements per command", statements.measure),
    ("3 big session", big_session.measure),
    ("4 Slack HTTP path", slack_http.measure),
    ("5 Discord path", discord_path.measure),
    ("6 memory", memory.measure),
]


async def run(smoke: bool) -> list[Row]:
    rows: list[Row] = []
    for name, measure in FIGURES:
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
    args = parser.parse_args()
    print(
        f"# {'smoke' if args.smoke else 'full'} run: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
        f" {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"
    )
    rows = asyncio.run(run(args.smoke))
    print(render(rows))
    print(f"# load average {os.getloadavg()[0]:.1f} at end (other processes share these CPUs)")
    if any(row.status.startswith("failed") for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
