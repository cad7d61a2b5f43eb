"""Sixty items: more vote buttons than one message can hold, and lists past the embed limits."""

from __future__ import annotations

from tests.adapters.discord.conftest import content_of, running_bot
from tests.fakes.discord_mentions import unsafe_mentions
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

ITEM_COUNT = 60


def components_of(body: dict) -> list[dict]:  # type: ignore[type-arg]
    return [c for row in body.get("components") or [] for c in row["components"]]


async def test_sixty_items_can_all_be_voted_on(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        thread = run.thread_of_intro(guild)
        for number in range(1, ITEM_COUNT + 1):
            who = ("cy", "di", "ed")[number % 3]
            # Long texts, so the item list can't fit one embed or one message either.
            await run.slash(guild, who, "do" if number % 2 else "dont", text=f"idea {number} " + "x" * 400)
        before = len(run.posts_in(thread))
        await run.slash(guild, "bo", "next")
        phase_posts = run.posts_in(thread)[before:]

        for post in phase_posts:
            body = post.json
            assert len(body.get("content") or "") <= 2000
            assert len(body.get("embeds") or []) <= 10
            assert sum(len(e.get("description") or "") + len(e.get("title") or "") for e in body.get("embeds") or []) <= 6000
            assert all(len(e.get("description") or "") <= 4096 for e in body.get("embeds") or [])
            assert len(body.get("components") or []) <= 5 and len(components_of(body)) <= 25
        vote_ids = [c["custom_id"] for post in phase_posts for c in components_of(post.json)]
        assert vote_ids == [f"pln:v:1:{n}" for n in range(1, ITEM_COUNT + 1)]
        listed = "\n".join(content_of(p) for p in phase_posts)
        assert all(f"**#{n}**" in listed for n in range(1, ITEM_COUNT + 1))

        # Votes on the last page's buttons, on a middle page, and by number.
        for who, number in (("fay", 60), ("fay", 33), ("gus", 60)):
            message_id = next(int(m["id"]) for m in fake.messages.values()
                              if any(c["custom_id"] == f"pln:v:1:{number}" for c in components_of(m))
                              and m["channel_id"] == str(thread) and len(components_of(m)) > 1)
            voted = await run.click(guild, who, f"pln:v:1:{number}", message_id)
            assert f"Voted for #{number}" in content_of(voted[-1])
        await run.slash(guild, "gus", "vote", item=59, more="1")
        await run.slash(guild, "bo", "next")  # voting closes: blind tallies may be exported now
        document = await run.export_json(guild)
        assert unsafe_mentions(fake.calls) == []
        # Dozens of messages with buttons, and none of their views is held in the bot's memory.
        assert run.bot.persistent_views == []
    votes = {i["number"]: i["votes"] for i in document["items"]}
    assert len(votes) == ITEM_COUNT
    assert {n: v for n, v in votes.items() if v} == {1: 1, 33: 1, 59: 1, 60: 2}
