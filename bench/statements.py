"""Figure 2 on SQLite: statements per command, BEGIN and COMMIT included, at three session sizes.

They must not grow with the size; a vote should take at most VOTE_LIMIT. Counted with sqlite3's
trace callback (bench.sql_count), around one `service.handle` call each.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.pg_wire import short
from bench.sql_count import Counts, StatementCounter
from bench.table import Row
from bench.workload import HOST, bulk_load, open_bench_app, person, place_of, sqlite_file, start_session
from facilitator import commands as cmd
from facilitator.domain.actors import Actor
from facilitator.bootstrap import FacilitatorApp
from facilitator.reports.export import FORMATS

VOTE_LIMIT = 3  # BEGIN, one statement, COMMIT
PEOPLE = 50

# (figure, who, command) in the order a session lives them; the phase moves with the two `next`s.
Step = tuple[str, Callable[[int], Actor], cmd.Command]
JOINED = person(1)
NEWCOMER = person(2)
STEPS: list[Step] = [
    ("join", lambda _: JOINED, cmd.Join("practitioner")),
    ("submit", lambda _: JOINED, cmd.Submit("do", "Share one useful link a week")),
    ("next (to voting)", lambda _: HOST, cmd.Next()),
    ("vote (joined person)", lambda _: JOINED, cmd.Vote((1,))),
    ("vote (first action, not joined)", lambda _: NEWCOMER, cmd.Vote((1,))),
    ("unvote", lambda _: JOINED, cmd.Unvote(1)),
    ("next (to discussing)", lambda _: HOST, cmd.Next()),
    ("tally (results)", lambda _: HOST, cmd.Results()),
    *((f"export {fmt}", lambda _: HOST, cmd.Export(fmt)) for fmt in FORMATS),
]


async def counts_at(app: FacilitatorApp, counter: StatementCounter, items: int) -> dict[str, Counts]:
    session_id = await start_session(app)
    await bulk_load(app, session_id, people=PEOPLE, items=items, votes=min(items, 2_000) * 2)
    place = place_of(session_id)
    found: dict[str, Counts] = {}
    for figure, who, command in STEPS:
        with counter.counting() as counts:
            replies = await app.service.handle(who(session_id), place, command)
        if replies and replies[0].kind.name == "ERROR":
            raise RuntimeError(f"{figure} refused at {items} items: {replies[0].text}")
        found[figure] = counts
    return found


async def measure(smoke: bool) -> list[Row]:
    sizes = (10, 100, 300) if smoke else (10, 1_000, 10_000)
    with sqlite_file() as path:
        app = await open_bench_app(f"sqlite:///{path}")
        try:
            counter = StatementCounter(app.db.engine)
            by_size = [await counts_at(app, counter, size) for size in sizes]
        finally:
            await app.close()
    label = " / ".join(f"{size:,}" for size in sizes)
    rows = []
    for figure, _, _ in STEPS:
        counts = [found[figure] for found in by_size]
        numbers = [c.count for c in counts]
        constant = len(set(numbers)) == 1
        is_vote = figure.startswith("vote")
        met = constant and (max(numbers) <= VOTE_LIMIT if is_vote else True)
        last = counts[-1]
        rows.append(
            Row(
                f"2 SQLite statements incl. BEGIN/COMMIT: {figure} @ {label} items",
                " / ".join(map(str, numbers))
                + f" ({last.without_transaction_control} statements + BEGIN/COMMIT x{last.transactions})",
                target=f"<= {VOTE_LIMIT}, constant" if is_vote else "constant",
                met=met,
                notes=(" | ".join(short(s) for s in last.statements),) if is_vote else (),
            )
        )
    return rows
