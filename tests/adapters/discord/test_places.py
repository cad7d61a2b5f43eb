"""Where the bot works: server channels where it can post. A DM (a user-installed or stale
registration of /pln, a button in an old DM) and a channel that withholds what the bot needs
are refused as the interaction's first answer, privately, before anything is stored."""

from __future__ import annotations

from adapters.discord.answers import shown
from adapters.discord.components import view_for
from adapters.discord.delivery import send_direct
from adapters.discord.permissions import NOT_IN_DMS
from facilitator.commands.actions import ActionName
from facilitator.replies import Action
from facilitator.replies import messages as msg
from tests.adapters.discord.conftest import Running, content_of, running_bot
from tests.fakes.discord_model import (
    ATTACH_FILES,
    CREATE_PUBLIC_THREADS,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    FakeGuild,
)
from tests.fakes.discord_server import FakeDiscord, RecordedCall


def refused_privately(answer: RecordedCall) -> str:
    """The text of a first answer that is a private message (type 4, ephemeral), not a defer."""
    assert answer.status == 200 and answer.json["type"] == 4, answer.json
    assert answer.json["data"]["flags"] == 64
    return str(answer.json["data"]["content"])


async def sessions(run: Running) -> int | None:
    return await run.app.service.latest_session_id()


async def test_pln_start_in_a_dm_is_refused_before_anything_is_stored(fake: FakeDiscord, guild: FakeGuild,
                                                                      database_url: str) -> None:
    """This deployment syncs /pln to its guild (guild-only); a global /pln that Discord offers in
    DMs is still registered (a user install, or an older deployment), so a DM start arrives:
    without `guild_id`, with `user` instead of `member`."""
    async with running_bot(fake, database_url, guild_id=guild.guild_id) as run:
        tree = run.bot.tree
        fake.register_commands([dict(c.to_dict(tree), contexts=[0, 1, 2], integration_types=[0, 1])
                                for c in tree.get_commands()])
        payload = await fake.dm_slash(guild.member("bo"), "start", {"title": "In private"})
        assert "guild_id" not in payload and "member" not in payload
        text = refused_privately(await run.first_answer(payload))
        assert text == shown(NOT_IN_DMS) and "Nothing was changed" in text
        assert run.calls_of(payload)[1:] == []  # no follow-ups, no intro, no thread
        assert not [c for c in fake.calls if c.method == "POST" and c.path.startswith("/channels/")]
        assert await sessions(run) is None


async def test_buttons_in_a_dm_are_refused_and_open_no_modal(fake: FakeDiscord, guild: FakeGuild,
                                                             database_url: str) -> None:
    bo = guild.member("bo")
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "ada", "start")
        actions = (Action(ActionName.JOIN, "Veteran", 1, "veteran"), Action(ActionName.ADD_ITEM, "Add a DO", 1, "do"))
        # What this bot sends by DM carries no buttons: they would act outside the server...
        await send_direct(run.bot, str(bo.user_id), msg.pick_level(str(bo.user_id), 1, run.bot.templates.get("pln"),
                                                                    "Welcome."))
        [sent] = fake.direct_messages(bo)
        assert "components" not in sent.json or sent.json["components"] == []
        # ...but a DM with buttons, as an older version sent, can still be clicked.
        view = view_for(actions)
        assert view is not None
        old = await (await run.bot.fetch_user(bo.user_id)).send("Pick a level", view=view)
        for custom_id in ("pln:j:1:veteran", "pln:a:1:do"):
            answer = await run.first_answer(await fake.dm_click(bo, custom_id, old.id))
            assert "direct messages" in refused_privately(answer)
        assert all(c.json.get("type") != 9 for c in fake.calls if c.path.endswith("/callback"))
        document = await run.export_json(guild, "ada")
    assert document["participants"] == []  # bo didn't join from the DM


async def test_a_channel_that_withholds_posting_is_refused_before_anything_is_stored(
        fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    fake.deny_bot(guild.channel_id, SEND_MESSAGES | CREATE_PUBLIC_THREADS)
    async with running_bot(fake, database_url) as run:
        payload = await fake.slash(guild, "bo", "start")
        text = refused_privately(await run.first_answer(payload))
        assert text.startswith("I can't work in this channel: Discord doesn't let me Send Messages here. "
                               "Nothing was changed.")
        assert "View Channel, Embed Links, Send Messages in Threads, Send Messages" in text
        assert fake.invalid_requests == {}  # it asked Discord for nothing it would refuse
        assert await sessions(run) is None


async def test_a_thread_without_send_messages_in_threads_refuses_items(fake: FakeDiscord, guild: FakeGuild,
                                                                       database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        thread = run.thread_of_intro(guild)
        fake.deny_bot(guild.channel_id, SEND_MESSAGES_IN_THREADS)
        text = refused_privately(await run.first_answer(
            await fake.slash(guild, "cy", "do", {"text": "Unseen"}, channel_id=thread)))
        assert "doesn't let me Send Messages in Threads here" in text
        assert [i.text for i in (await run.app.service.snapshot_of(1)).items] == []
        assert fake.invalid_requests == {}


async def test_an_export_where_files_are_withheld_is_refused(fake: FakeDiscord, guild: FakeGuild,
                                                             database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        await run.slash(guild, "bo", "end")
        thread = run.thread_of_intro(guild)
        fake.deny_bot(guild.channel_id, ATTACH_FILES)
        payload = await fake.slash(guild, "bo", "export", {"format": "md"}, channel_id=thread)
        assert "doesn't let me Attach Files here" in refused_privately(await run.first_answer(payload))
        answers = await run.slash(guild, "bo", "status", channel_id=thread)  # the rest still works
        assert "closed" in content_of(answers[-1])
        assert fake.invalid_requests == {}
