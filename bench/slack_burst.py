"""Figure 9: a vote burst against Slack's real rate tiers (issue 16).

500 people click 3 vote buttons each (1,500 signed clicks from bench.http_load, concurrency 50)
on our app, served as in figure 4, against the fake Web API with its tiers enforced: Tier 4
(chat.postEphemeral, users.info) at PER_MINUTE a minute with a burst of BURST (options
--tier-per-minute, --tier-burst; Slack publishes "100+ a minute"). The bot's outbox is given the
same budget, its estimate of Slack's. Measured, from the first click sent:

* the time until all 1,500 votes are stored (target under 5 s);
* the confirmations delivered as a share of the tier's allowance over the window (WINDOW s, or
  until nothing is left to send): Slack-accepted chat.postEphemeral calls / (burst + rate x time),
  target at least 0.9;
* Web API calls per vote (every call the bot made, 429s included, per vote confirmed), against
  the 1.33 (joined) and 2.33 (not joined) of the code before the outbox;
* replies lost: votes stored whose confirmation was neither delivered nor waiting in the
  outbox nor dropped as expired (target 0), and the 429s Slack served.

Run for people who joined and for people whose first act is the vote (asked for a level once).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

from sqlalchemy import func, select

from adapters.outbox.budgets import Budget
from adapters.slack.courier import EPHEMERAL, courier_for
from bench.slack_setup import load, prepared, started_fake
from bench.table import Row
from bench.workload import sqlite_file
from facilitator.store.models import OutboxRow, VoteRow

PER_MINUTE = 100.0
BURST = 100.0
WINDOW = 60.0
STORED_TARGET_S = 5.0
SHARE_TARGET = 0.9
BEFORE = {True: 1.33, False: 2.33}  # calls per vote before the outbox (issue 16)


@dataclass(frozen=True)
class Burst:
    votes: int
    stored_s: float
    accepted_calls: int
    allowance: float
    calls: int
    confirmed: int
    waiting: int
    lost: int
    refused: int
    window_s: float


def confirmations(texts: list[str]) -> int:
    return sum(1 for text in texts for line in text.split("\n\n") if line.startswith("Voted for #"))


async def burst(people: int, joined: bool, window: float) -> Burst:
    fake = await started_fake(people)
    fake.rate_limits.enforce = True
    tier = Budget(PER_MINUTE, BURST)
    for method in (EPHEMERAL, "users.info"):
        fake.set_tier(method, tier.per_minute, tier.burst)
    try:
        with sqlite_file() as path:
            harness, ballot = await prepared(fake, f"sqlite:///{path}", people, joined,
                                             budgets={EPHEMERAL: tier})
            try:
                # The tiers' buckets start full for the burst, as for a bot that was quiet a minute.
                fake.set_tier(EPHEMERAL, tier.per_minute, tier.burst)
                fake.set_tier("users.info", tier.per_minute, tier.burst)
                fake.forget()
                engine = harness.core.db.engine

                async def count(query: object) -> int:
                    async with engine.connect() as connection:
                        return int((await connection.execute(query)).scalar_one())  # type: ignore[call-overload]

                votes = select(func.count()).select_from(VoteRow).where(VoteRow.session_id == ballot.session_id)
                clicks = len(ballot.requests)
                loading = asyncio.create_task(load(f"{harness.base}/slack/events", ballot.requests))
                while await count(votes) < clicks:
                    await asyncio.sleep(0.02)
                stored_at = time.perf_counter()
                result = await loading
                started = float(result["started"])  # the load generator's clock is CLOCK_MONOTONIC too
                stored_s = stored_at - started
                courier = courier_for(harness.bolt, harness.core.service)
                deadline = started + window

                def confirmed_now() -> int:
                    return confirmations([str(c.params.get("text", "")) for c in fake.calls_to(EPHEMERAL) if c.ok])

                # Until the window ends, or nothing waits and every confirmation is accounted for: a
                # letter the courier has taken from the table and is sending is in neither count yet.
                while time.perf_counter() < deadline and (
                        await count(select(func.count()).select_from(OutboxRow)) or courier.counts["delivered"] < 1
                        or confirmed_now() + courier.counts["dropped:expired"] < clicks):
                    await asyncio.sleep(0.25)
                elapsed = min(window, time.perf_counter() - started)
                accepted = [c for c in fake.calls_to(EPHEMERAL) if c.ok]
                async with engine.connect() as connection:
                    bodies = (await connection.execute(select(OutboxRow.body))).scalars().all()
                waiting = confirmations([str(json.loads(b).get("text", "")) for b in bodies])
                confirmed = confirmations([str(c.params.get("text", "")) for c in accepted])
                expired = courier.counts["dropped:expired"]
                calls = [c for c in fake.calls if c.method != "auth.test" and c.method != "response_url"]
                return Burst(clicks, stored_s, len(accepted), tier.burst + tier.per_minute * elapsed / 60.0,
                             len(calls), confirmed, waiting, clicks - confirmed - waiting - expired,
                             sum(fake.ratelimited.values()), elapsed)
            finally:
                await harness.stop()
    finally:
        await fake.stop()


def rows(run: Burst, joined: bool) -> list[Row]:
    who = "joined" if joined else "not joined"
    at = f"{run.votes:,} votes, Tier 4 at {PER_MINUTE:g}/min burst {BURST:g}"
    share = min(1.0, run.accepted_calls / run.allowance) if run.allowance else 0.0
    if run.waiting == 0 and run.lost == 0:
        share = 1.0  # everything went before the window ended: the tier was not the limit
    calls_per_vote = run.calls / run.confirmed if run.confirmed else float("nan")
    return [
        Row(f"9 Slack burst ({who}): all votes stored, {at}", f"{run.stored_s:.2f} s", "-", None,
            f"< {STORED_TARGET_S:g} s", run.stored_s < STORED_TARGET_S),
        Row(f"9 Slack burst ({who}): confirmations sent / tier allowance over {run.window_s:.0f} s, {at}",
            f"{run.accepted_calls} calls ({run.confirmed} confirmations) of {run.allowance:.0f} allowed",
            "-", share, f">= {SHARE_TARGET}", share >= SHARE_TARGET),
        Row(f"9 Slack burst ({who}): Web API calls per vote confirmed, {at}", f"{calls_per_vote:.2f}",
            f"{BEFORE[joined]} (before the outbox)", None, "report", None),
        Row(f"9 Slack burst ({who}): replies lost, {at}",
            f"{run.lost} lost, {run.waiting} waiting in the outbox, {run.refused} 429s", "-", None, "0 lost",
            run.lost == 0),
    ]


async def measure(smoke: bool) -> list[Row]:
    people, window = (30, 5.0) if smoke else (500, WINDOW)
    out: list[Row] = []
    for joined in (True, False):
        out += rows(await burst(people, joined, window), joined)
    return out
