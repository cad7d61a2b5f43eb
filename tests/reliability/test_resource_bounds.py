"""Big rooms: a 1,000-person session and 100 sessions at once stay within every platform message
limit, and running more sessions does not keep growing the bot's memory."""

from __future__ import annotations

import asyncio
import gc

import discord
import pytest

from adapters.discord import limits as discord_limits
from adapters.discord.render import render as render_discord
from adapters.slack.render import render as render_slack
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import Reply, ReplyKind
from tests.fakes.block_limits import block_kit_errors
from tests.app.support import actor, advance_to, place, say, start

# Message sizes and memory don't depend on the database; SQLite keeps these big runs short.
# The same paths run on PostgreSQL in the concurrency tests.
pytestmark = pytest.mark.parametrize("app_db_url", ["sqlite"], indirect=True)

LEVELS = ("newcomer", "practitioner", "veteran")
SLACK_TEXT_LIMIT = 40_000
SLACK_BLOCKS = 50


def assert_within_platform_limits(reply: Reply) -> None:
    for message in render_slack(reply):
        assert len(message.blocks) <= SLACK_BLOCKS
        assert block_kit_errors(message.blocks, SLACK_BLOCKS) == [], reply.kind
        assert len(message.text) <= SLACK_TEXT_LIMIT
    for outgoing in render_discord(reply):
        assert outgoing.content is None or len(outgoing.content) <= discord_limits.CONTENT
        assert len(outgoing.embeds) <= discord_limits.EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in outgoing.embeds) <= discord_limits.EMBED_TOTAL
        for embed in outgoing.embeds:
            assert isinstance(embed, discord.Embed)
            assert len(embed.description or "") <= 4096
            assert len(embed.fields) <= discord_limits.EMBED_FIELDS
            assert all(len(f.value or "") <= discord_limits.FIELD_VALUE for f in embed.fields)


async def test_thousand_person_session_stays_within_message_limits(app: FacilitatorApp) -> None:
    host = actor("Host")
    session_id = await start(app, host)
    where = place(session_id=session_id)
    people = [actor(f"P{n}") for n in range(1000)]
    for batch in range(0, 1000, 100):
        await asyncio.gather(
            *(app.service.handle(p, where, cmd.Join(LEVELS[n % 3])) for n, p in enumerate(people[batch:batch + 100], batch))
        )
    for n in range(150):  # long items, to stress every text limit
        await app.service.handle(people[n], where, cmd.Submit("do" if n % 2 else "dont", f"Item {n} " + "long words " * 40))
    await advance_to(app, host, "voting")
    phase_replies = await say(app, host, "status", where)
    for batch in range(0, 1000, 100):
        await asyncio.gather(
            *(app.service.handle(p, where, cmd.Vote(((n * 7) % 150 + 1,))) for n, p in enumerate(people[batch:batch + 100], batch))
        )
    replies = [*phase_replies]
    replies += await say(app, host, "next", where)  # discussing, with results
    replies += await say(app, host, "end", where)  # the summary
    kinds = {r.kind for r in replies}
    assert {ReplyKind.RESULTS, ReplyKind.SUMMARY} <= kinds
    for reply in replies:
        assert_within_platform_limits(reply)
    summary = next(r for r in replies if r.kind is ReplyKind.SUMMARY)
    assert summary.tally is not None
    assert sum(row.votes for s in summary.tally.sections for row in s.rows) == 1000


async def run_sessions(app: FacilitatorApp, tag: str, count: int, people: int) -> None:
    async def one(index: int) -> None:
        where = Place("shell", f"{tag}-{index}", None)
        host = Actor("t1", f"{tag}-{index}-host", "Host")
        await app.service.handle(host, where, cmd.Start(f"Room {index}"))
        for p in range(people):
            who = Actor("t1", f"{tag}-{index}-{p}", f"Person {p}")
            await app.service.handle(who, where, cmd.Join(LEVELS[p % 3]))
            await app.service.handle(who, where, cmd.Submit("do", f"Idea {p} from room {index}"))
        await app.service.handle(host, where, cmd.Next())
        for p in range(people):
            who = Actor("t1", f"{tag}-{index}-{p}", f"Person {p}")
            await app.service.handle(who, where, cmd.Vote((p % people + 1,)))

    await asyncio.gather(*(one(i) for i in range(count)))


async def test_hundred_open_sessions_do_not_grow_memory_without_bound(app: FacilitatorApp) -> None:
    await run_sessions(app, "warm", 20, 2)  # warm caches, pools and compiled statements
    # Live objects, not bytes: cheap to count and not fooled by allocator slack.
    gc.collect()
    await run_sessions(app, "first", 100, 2)
    gc.collect()
    after_first = len(gc.get_objects())
    await run_sessions(app, "second", 100, 2)
    gc.collect()
    after_second = len(gc.get_objects())
    # Sessions live in the database, not in the process: a second hundred adds (almost) nothing.
    growth = after_second - after_first
    assert growth < 500, f"{growth} more live objects after 100 more sessions"
    listing = await app.service.recent_sessions(Actor("t1", "second-99-host", "Host"))
    assert [s.title for s in listing] == ["Room 99"]
