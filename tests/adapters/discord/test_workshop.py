"""A whole workshop through Discord: six people at three levels, slash commands, buttons and
modals, ending in an export whose tallies are known exactly."""

from __future__ import annotations

from typing import Any

from tests.adapters.discord.conftest import Running, content_of, running_bot
from tests.fakes.discord_mentions import message_calls, unsafe_mentions
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

ITEMS = {
    1: ("do", "Share what you learn"),
    2: ("do", "Ask good questions"),
    3: ("dont", "Only lurk"),
    4: ("dont", "Spam links to *everyone*"),
    5: ("do", "Give before you take"),
    6: ("do", "Follow people, not platforms"),
}


async def add_by_modal(run: Running, guild: FakeGuild, who: str, kind: str, text: str) -> None:
    custom_id, message_id = run.button(guild.channel_id, f"pln:a:1:{kind}")
    modal = await run.open_modal(guild, who, custom_id, message_id)
    assert modal["custom_id"] == f"pln:m:1:{kind}"
    field = modal["components"][0]["components"][0]
    assert field["max_length"] == 500
    await run.submit_modal(guild, who, modal["custom_id"], text, channel_id=guild.channel_id)


async def vote_by_button(run: Running, guild: FakeGuild, who: str, number: int) -> str:
    custom_id, message_id = run.button(run.thread_of_intro(guild), f"pln:v:1:{number}")
    followups = await run.click(guild, who, custom_id, message_id)
    return content_of(followups[-1])


async def test_six_people_three_levels_exact_tallies(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    check_export(await run_workshop(fake, guild, database_url))


async def test_six_people_on_postgresql(fake: FakeDiscord, guild: FakeGuild, postgres_url: str) -> None:
    check_export(await run_workshop(fake, guild, postgres_url))


async def run_workshop(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> dict[str, Any]:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="PLN workshop")
        thread = run.thread_of_intro(guild)

        # Joining: slash commands and the intro's level buttons.
        await run.slash(guild, "bo", "join", level="newcomer")
        await run.slash(guild, "cy", "join", level="newcomer", channel_id=thread)
        for who, level in (("di", "practitioner"), ("ed", "practitioner"), ("gus", "veteran")):
            custom_id, message_id = run.button(guild.channel_id, f"pln:j:1:{level}")
            joined = await run.click(guild, who, custom_id, message_id)
            assert f"joined as {level}" in content_of(joined[-1])
            assert joined[-1].json["flags"] == 64
        await run.slash(guild, "fay", "join", level="veteran")

        # Items: slash in the channel and in the thread, and modals from the intro buttons.
        await run.slash(guild, "bo", "do", text=ITEMS[1][1])
        await add_by_modal(run, guild, "cy", "do", ITEMS[2][1])
        await run.slash(guild, "di", "dont", text=ITEMS[3][1], channel_id=thread)
        await add_by_modal(run, guild, "ed", "dont", ITEMS[4][1])
        await run.slash(guild, "fay", "do", text=ITEMS[5][1])
        await add_by_modal(run, guild, "gus", "do", ITEMS[6][1])
        item_posts = [c for c in run.posts_in(thread) if "#" in (c.json.get("content") or "")]
        assert len(item_posts) == 6
        assert "Spam links to \\*everyone\\*" in content_of(item_posts[3])  # user markdown is escaped

        await run.slash(guild, "bo", "next")  # voting opens, with one vote button per item
        vote_buttons = run.buttons(thread)
        assert {f"pln:v:1:{n}" for n in ITEMS} <= {b[1] for b in vote_buttons}

        await run.slash(guild, "bo", "vote", item=1, more="5")
        for number in (1, 2, 5):
            await vote_by_button(run, guild, "cy", number)
        await run.slash(guild, "di", "vote", item=5)
        await vote_by_button(run, guild, "di", 3)
        await vote_by_button(run, guild, "ed", 1)
        assert "vote" in await vote_by_button(run, guild, "ed", 6)
        double = await vote_by_button(run, guild, "ed", 6)  # a double click is a second interaction
        assert "Nothing was changed" in double
        await run.slash(guild, "fay", "vote", item=2, more="5 6")
        await run.slash(guild, "fay", "unvote", item=6)
        await vote_by_button(run, guild, "gus", 5)
        await vote_by_button(run, guild, "gus", 1)
        over = await run.slash(guild, "cy", "vote", item=6)
        assert "all 3 of your votes" in content_of(over[-1])

        await run.slash(guild, "bo", "next")  # discussing: results go into the thread
        await run.slash(guild, "bo", "end")  # closed: the summary goes into the thread
        document = await run.export_json(guild, who="ed")

        thread_text = "\n".join(content_of(c) for c in run.posts_in(thread))
        assert "Voting is open" in thread_text and "summary" in thread_text.lower()
        assert not any(c.json.get("flags") == 64 for c in run.posts_in(thread))
        assert unsafe_mentions(fake.calls) == []
        assert len(message_calls(fake.calls)) > 40
    return document


def check_export(document: dict[str, Any]) -> None:
    assert document["schema"] == "facilitator.session/1"
    assert document["session"]["phase"] == "closed"
    assert document["session"]["platform"] == "discord"
    assert document["levels"] == ["newcomer", "practitioner", "veteran"]
    people = {p["name"]: (p["level"], p["items"], p["votes_cast"]) for p in document["participants"]}
    assert people == {
        "bo": ("newcomer", 1, 2), "cy": ("newcomer", 1, 3), "di": ("practitioner", 1, 2),
        "ed": ("practitioner", 1, 2), "fay": ("veteran", 1, 2), "gus": ("veteran", 1, 2),
    }
    items = {i["number"]: i for i in document["items"]}
    assert {n: (i["kind"], i["text"]) for n, i in items.items()} == ITEMS
    assert {n: i["votes"] for n, i in items.items()} == {1: 4, 2: 2, 3: 1, 4: 0, 5: 5, 6: 1}
    assert {n: i["votes_by_level"] for n, i in items.items()} == {
        1: {"newcomer": 2, "practitioner": 1, "veteran": 1},
        2: {"newcomer": 1, "practitioner": 0, "veteran": 1},
        3: {"newcomer": 0, "practitioner": 1, "veteran": 0},
        4: {"newcomer": 0, "practitioner": 0, "veteran": 0},
        5: {"newcomer": 2, "practitioner": 1, "veteran": 2},
        6: {"newcomer": 0, "practitioner": 1, "veteran": 0},
    }
    assert {n: (i["author"], i["author_level"]) for n, i in items.items()} == {
        1: ("bo", "newcomer"), 2: ("cy", "newcomer"), 3: ("di", "practitioner"),
        4: ("ed", "practitioner"), 5: ("fay", "veteran"), 6: ("gus", "veteran"),
    }
