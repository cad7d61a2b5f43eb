"""Discord's platform rules: mentions, facilitator rights, restarts, tenancy, shards, intents."""

from __future__ import annotations

from tests.adapters.discord.conftest import PEOPLE, content_of, running_bot
from tests.fakes.discord_mentions import message_calls, unsafe_mentions
from tests.fakes.discord_model import CREATE_PUBLIC_THREADS, SEND_MESSAGES, FakeGuild
from tests.fakes.discord_server import FakeDiscord
from tests.app.support import stored_document

PING_ALL = "Ping @everyone and @here and <@&123456789012345678> about it"
MESSAGE_CONTENT_INTENT = 1 << 15


async def test_everyone_in_an_item_pings_nobody(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="@everyone @here")
        await run.slash(guild, "cy", "join", level="newcomer")
        await run.slash(guild, "cy", "do", text=PING_ALL)
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "cy", "vote", item=1)
        await run.slash(guild, "bo", "end")
        document = await run.export_json(guild)
        thread = run.thread_of_intro(guild)
        posted = [c for c in run.posts_in(thread) if "Ping @everyone" in content_of(c)]
        assert posted, "the item reached the thread"
        assert len(message_calls(fake.calls)) >= 10
        assert unsafe_mentions(fake.calls) == []  # every message, response and follow-up
    assert document["items"][0]["text"] == PING_ALL  # exported as sent, unescaped


async def test_only_facilitators_move_the_phase(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        await run.slash(guild, "cy", "do", text="Keep notes")  # voting opens only on something to vote on
        thread = run.thread_of_intro(guild)
        before = len(run.posts_in(thread))
        refused = await run.slash(guild, "cy", "next", channel_id=thread)
        assert refused[-1].json["flags"] == 64
        assert "Only the session's facilitators can move the session on. Ask bo." in content_of(refused[-1])
        assert len(run.posts_in(thread)) == before  # nothing public happened
        # Manage Server makes ada a facilitator of every session in her server.
        await run.slash(guild, "ada", "next")
        assert "Voting is open" in content_of(run.posts_in(thread)[before])
        await run.slash(guild, "bo", "cohost", person=guild.member("cy"))
        await run.slash(guild, "cy", "next")
        assert "Voting is closed" in "\n".join(content_of(c) for c in run.posts_in(thread))


async def test_buttons_keep_working_after_a_restart(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        await run.slash(guild, "cy", "do", text="Keep notes")
        await run.slash(guild, "bo", "next")
        thread = run.thread_of_intro(guild)
        join_id, intro_id = run.button(guild.channel_id, "pln:j:1:veteran")
        vote_id, vote_message = run.button(thread, "pln:v:1:1")
        add_id, _ = run.button(guild.channel_id, "pln:a:1:do")
    identified = len(fake.identifies)

    async with running_bot(fake, database_url) as run:  # a new process on the same database
        assert len(fake.identifies) == identified + 1
        joined = await run.click(guild, "di", join_id, intro_id)
        assert "joined as veteran" in content_of(joined[-1])
        voted = await run.click(guild, "di", vote_id, vote_message)
        assert "Voted for #1" in content_of(voted[-1])
        refused = await run.submit_modal(guild, "di", add_id.replace(":a:", ":m:"), "Late idea")
        assert "collecting" in content_of(refused[-1])  # a modal from before the restart is still ours
        document = await stored_document(run.app)  # still voting: `/pln export` is refused while blind
    assert document["items"][0]["votes_by_level"]["veteran"] == 1


async def test_two_guilds_are_isolated(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    other = fake.add_guild("other server", PEOPLE)
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title="Home")
        await run.slash(other, "bo", "start", title="Away")
        await run.slash(guild, "cy", "do", text="home item")
        await run.slash(other, "cy", "do", text="away item")
        # A forged modal naming the other server's session (ids are guessable) is refused.
        forged = await run.submit_modal(other, "di", "pln:m:1:do", "sneaked in")
        assert "doesn't exist here" in content_of(forged[-1])
        status = await run.slash(other, "di", "status")
        assert "Away" in content_of(status[-1]) and "Home" not in content_of(status[-1])
        home = await run.export_json(guild)
        away = await run.export_json(other)
    assert [i["text"] for i in home["items"]] == ["home item"]
    assert [i["text"] for i in away["items"]] == ["away item"]
    assert [p["level"] for p in away["participants"] if p["name"] == "di"] in ([], ["unspecified"])


async def test_two_shards_each_serve_their_guilds(database_url: str) -> None:
    fake = FakeDiscord(shard_count=2)
    zero = fake.add_guild("zero", PEOPLE, shard=0)
    one = fake.add_guild("one", PEOPLE, shard=1)
    await fake.start()
    try:
        async with running_bot(fake, database_url) as run:
            assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
            assert sorted(run.bot.shards) == [0, 1]
            for guild in (zero, one):
                await run.slash(guild, "bo", "start", title=guild.name)
                await run.slash(guild, "cy", "do", text=f"item in {guild.name}")
            for guild in (zero, one):
                thread = run.thread_of_intro(guild)
                assert any(f"item in {guild.name}" in content_of(c) for c in run.posts_in(thread))
            assert {run.bot.get_guild(g.guild_id).shard_id for g in (zero, one)} == {0, 1}  # type: ignore[union-attr]
    finally:
        await fake.stop()


async def test_thread_replies_need_the_message_content_switch(fake: FakeDiscord, guild: FakeGuild,
                                                            database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        assert not fake.identifies[-1]["intents"] & MESSAGE_CONTENT_INTENT
        await run.slash(guild, "bo", "start")
        thread = run.thread_of_intro(guild)
        await fake.post_message(guild, "cy", thread, "DO: ignored without the intent")
        await run.slash(guild, "bo", "status")  # a later interaction: the message was seen by now
        assert not any("ignored" in content_of(c) for c in run.posts_in(thread))

    async with running_bot(fake, database_url, message_content=True) as run:
        assert fake.identifies[-1]["intents"] & MESSAGE_CONTENT_INTENT
        await fake.post_message(guild, "cy", thread, "Note: just chatting")
        await fake.post_message(guild, "cy", thread, "DON'T: reply in a thread @everyone")
        item = await fake.wait_for_call(lambda c: c.path == f"/channels/{thread}/messages"
                                        and "reply in a thread" in content_of(c))
        assert item.json["allowed_mentions"] == {"parse": []}
        document = await run.export_json(guild)
    assert [(i["kind"], i["text"]) for i in document["items"]] == [("dont", "reply in a thread @everyone")]


async def test_a_rate_limited_post_is_retried(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        thread = run.thread_of_intro(guild)
        fake.rate_limit("POST", f"/channels/{thread}/messages", retry_after=0.05)
        await run.slash(guild, "cy", "do", text="patience")
        posts = run.posts_in(thread)
        assert [content_of(c) for c in posts[-2:]] == [content_of(posts[-1])] * 2  # 429, then the retry
        assert "patience" in content_of(posts[-1])


async def test_a_double_click_counts_once(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        await run.slash(guild, "cy", "join", level="newcomer")
        await run.slash(guild, "cy", "do", text="Say thanks")
        await run.slash(guild, "bo", "next")
        custom_id, message_id = run.button(run.thread_of_intro(guild), "pln:v:1:1")
        # Both clicks reach the bot before either is answered: two interactions, two ids.
        first, second = [await fake.click(guild, "di", custom_id, message_id) for _ in range(2)]
        assert first["id"] != second["id"]
        answers = ["\n".join(content_of(c) for c in await run.finished(p)) for p in (first, second)]
        assert sum("Voted for #1" in a for a in answers) == 1
        assert sum("Nothing was changed" in a for a in answers) == 1
        document = await stored_document(run.app)  # still voting: `/pln export` is refused while blind
    assert document["items"][0]["votes"] == 1
    assert [p["votes_cast"] for p in document["participants"] if p["name"] == "di"] == [1]


async def test_every_interaction_is_answered_before_anything_else(fake: FakeDiscord, guild: FakeGuild,
                                                                 database_url: str) -> None:
    """Discord drops an interaction not answered within 3 s: the bot's first call for it is the
    defer (made once the command is stored, within the window: test_stored_before_answered.py)."""
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        await run.slash(guild, "cy", "do", text="Be kind")
        custom_id, message_id = run.button(guild.channel_id, "pln:j:1:veteran")
        await run.click(guild, "di", custom_id, message_id)
        await run.slash(guild, "bo", "export", format="md")
        for payload in fake.interactions:
            mine = [c for c in fake.calls if payload["token"] in c.path]
            assert mine[0].path == f"/interactions/{payload['id']}/{payload['token']}/callback"
            assert mine[0].json["type"] == 5  # deferred: "thinking..."
            assert mine[0].json["data"]["flags"] == 64  # ...privately
        uploads = [c for c in run.posts_in(run.thread_of_intro(guild)) if c.files]
        assert [name for name, _ in uploads[0].files] == ["pln-session-1.md"]


async def test_missing_permissions_are_explained_privately(fake: FakeDiscord, guild: FakeGuild,
                                                           database_url: str) -> None:
    fake.deny_bot(guild.channel_id, CREATE_PUBLIC_THREADS)  # no Create Public Threads here
    async with running_bot(fake, database_url) as run:
        started = await run.slash(guild, "bo", "start", followups=2)  # the guide, then the note
        await run.finished(await fake.slash(guild, "cy", "do", {"text": "Still works"}))
        text = "\n".join(content_of(c) for c in await run.finished(await fake.slash(guild, "bo", "status")))
        assert "Create Public Threads" in "\n".join(content_of(c) for c in started)
        assert any("Still works" in content_of(c) for c in run.posts_in(guild.channel_id))  # in the channel
        assert "collecting" in text

        fake.deny_bot(guild.channel_id, SEND_MESSAGES)  # now no Send Messages at all
        refused = await run.first_answer(await fake.slash(guild, "cy", "do", {"text": "Lost?"}))
        assert refused.json["type"] == 4 and refused.json["data"]["flags"] == 64  # refused at once, privately
        assert "Discord doesn't let me Send Messages here. Nothing was changed." in refused.json["data"]["content"]
        assert [i.text for i in (await run.app.service.snapshot_of(1)).items] == ["Still works"]  # "Lost?" isn't


async def test_level_buttons_in_a_private_answer_work(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        answers = await run.slash(guild, "gus", "do", text="Read widely", followups=1)
        [pick] = [c for c in answers if "Which level fits you" in content_of(c)]
        assert pick.json["flags"] == 64
        message_id = next(int(m["id"]) for m in fake.messages.values() if "Which level fits you" in m["content"])
        joined = await run.click(guild, "gus", "pln:j:1:veteran", message_id)
        assert "joined as veteran" in content_of(joined[-1])
        document = await run.export_json(guild)
    assert [(p["name"], p["level"]) for p in document["participants"]] == [("gus", "veteran")]
