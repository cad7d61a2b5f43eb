"""Figure 7: the vote path with and without 200 screens watching the board being voted on.

In alternating rounds (bench.rounds), a burst of votes at concurrency 50 through the service
runs on a fresh session, once with nobody watching it and once with 200 event streams open on
its board, for a blind session and for one with live tallies (blind=off); 49 other boards, one screen each, stay open throughout (50 boards open on one
process). The screens are another process (bench/board_viewer_process.py), as they would be
other machines. The ratio is votes/s with the screens over votes/s without, per round.

On a machine whose two cores other work shares, wall-clock rates swing by 2x between runs
seconds apart, so a second row gives the same runs' votes per CPU-second of the bot's process:
what the screens cost the bot itself (its rebuilds and the frames it writes), whatever else runs.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.board.runtime import Boards
from bench import rounds
from bench.rounds import alternate, median, per_round
from bench.table import Row
from bench.vote_runs import Plan, Timing, prepared_session, timed, vote_calls
from bench.workload import HOST, open_bench_app, place_of, sqlite_file
from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp

TARGET = 0.9
CONCURRENCY = 50
FIGURE = "7 board ({kind}): votes/s with 200 screens on the board (49 other boards open), concurrency 50"
CPU_FIGURE = "7 board ({kind}): votes per CPU-second of the bot, same runs"
# A blind vote changes the progress beside the items; with live tallies every vote changes the
# items' counts too, so each rebuild sends the screens the items part (tens of KB) as well.
KINDS = ("blind votes", "live tallies")
_LINK = re.compile(r"https?://\S+/board/[A-Za-z0-9_-]+")


class Screens:
    """A viewer process, driven line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def ask(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()
        return (await asyncio.wait_for(self.process.stdout.readline(), 120)).decode().strip()


@asynccontextmanager
async def screens() -> AsyncIterator[Screens]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.board_viewer_process",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )
    try:
        yield Screens(process)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


async def board_link(app: FacilitatorApp, session_id: int) -> str:
    replies = await app.service.handle(HOST, place_of(session_id), cmd.Board())
    found = _LINK.search(replies[0].text)
    assert found, replies[0].text
    return found.group(0)


async def votes(app: FacilitatorApp, plan: Plan, blind: bool, watchers: Screens | None, viewers: int,
                frames: list[tuple[int, int]]) -> Timing:
    session_id = await prepared_session(app, plan, settings=None if blind else "blind=off")
    if watchers is not None:
        link = await board_link(app, session_id)
        assert await watchers.ask(f"open {link}/events {viewers}") == f"ready {viewers}"
    refused: list[str] = []
    timing = await timed(vote_calls(app, session_id, plan, refused, arriving=True), CONCURRENCY)
    if watchers is not None:
        await asyncio.sleep(1.0)  # the last change reaches the screens
        _, count, size = (await watchers.ask("close")).split()
        frames.append((int(count), int(size)))
    if refused:
        raise RuntimeError(f"{len(refused)} votes refused, e.g. {refused[0]!r}")
    return timing


async def measure(smoke: bool) -> list[Row]:
    # Long enough for the screens' rebuilds (one a second) to fall inside the burst: at 1,500
    # votes a run lasted about 0.1 s, and whether its one rebuild landed in it or after decided
    # the ratio (0.70 worst, 0.97 median).
    plan = Plan(votes=150 if smoke else 30_000, items=30 if smoke else 300)
    viewers, other_boards = (20, 4) if smoke else (200, 49)
    count = rounds.count(smoke)
    frames: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KINDS}
    with sqlite_file() as path:
        app = await open_bench_app(f"sqlite:///{path}")
        boards = Boards(app.service)
        try:
            assert await boards.serve("127.0.0.1", 0)
            async with screens() as others, screens() as watching:
                for _ in range(other_boards):  # boards open elsewhere, idle during the burst
                    session_id = await prepared_session(app, Plan(votes=3, items=3))
                    link = await board_link(app, session_id)
                    assert await others.ask(f"open {link}/events 1") == "ready 1"
                runs = await alternate([
                    (f"{kind} {who}", lambda kind=kind, who=who: votes(  # type: ignore[misc]
                        app, plan, kind == "blind votes", watching if who == "with" else None,
                        viewers if who == "with" else 0, frames[kind]))
                    for kind in KINDS for who in ("without", "with")
                ], count)
        finally:
            await boards.close()
            await app.close()
    rows: list[Row] = []
    for kind in KINDS:
        with_, without = runs[f"{kind} with"], runs[f"{kind} without"]
        ratio = per_round([t.rate for t in with_], [t.rate for t in without])
        cpu = per_round([t.cpu_per_vote for t in without], [t.cpu_per_vote for t in with_])
        figure = FIGURE.format(kind=kind)
        if smoke:
            figure = figure.replace("200 screens", f"{viewers} screens").replace("49", str(other_boards))
        per_cpu = [1 / t.cpu_per_vote for t in with_], [1 / t.cpu_per_vote for t in without]
        rows += [Row(
            figure,
            f"{median([t.rate for t in with_]):,.0f} votes/s with {viewers} screens",
            f"{median([t.rate for t in without]):,.0f} votes/s with nobody watching ({plan.votes:,} votes a run)",
            ratio.worst,
            f">= {TARGET}",
            ratio.worst >= TARGET,
            median=ratio.median,
            notes=(f"frames the {viewers} screens received per run (all of them together): "
                   f"{', '.join(f'{n} ({size / 1e6:.1f} MB)' for n, size in frames[kind])}",),
        ), Row(
            CPU_FIGURE.format(kind=kind),
            f"{median(per_cpu[0]):,.0f} votes/CPU-s with {viewers} screens",
            f"{median(per_cpu[1]):,.0f} votes/CPU-s with nobody watching",
            cpu.worst,
            f">= {TARGET}",
            cpu.worst >= TARGET,
            median=cpu.median,
        )]
    return rows
