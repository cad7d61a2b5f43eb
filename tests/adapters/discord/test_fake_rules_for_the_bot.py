"""Our bot against what the strict fake enforces, on the defects field reports named: markdown
that escaping lengthens past a limit, mention tokens in items, "Add a DO" after the end, a 429
that would carry the first answer past 3 s, /pln in a DM, a channel that withholds permissions.

Every bot test also checks, as it ends, that Discord refused nothing (conftest.running_bot)."""

from __future__ import annotations

import pytest

from tests.adapters.discord.conftest import content_of, rejected_by_discord, running_bot
from tests.fakes.discord_events import NotDeliverable
from tests.fakes.discord_mentions import chips, message_body, message_calls
from tests.fakes.discord_model import CREATE_PUBLIC_THREADS, SEND_MESSAGES, FakeGuild
from tests.fakes.discord_ratelimits import DISCORD_ROUTE_LIMITS
from tests.fakes.discord_server import FakeDiscord

MARKDOWN_TITLE = "*_" * 50  # the longest title /pln start takes (100), every character escaped
MENTIONS = ("<@123456789012345678>", "<@&456789012345678901>", "<#789012345678901234>", "<t:0:R>")


async def test_the_longest_markdown_title_fits_every_message(fake: FakeDiscord, guild: FakeGuild,
                                                             database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title=MARKDOWN_TITLE)
        await run.slash(guild, "cy", "do", text="*_" * 250)
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "cy", "vote", item=1)
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "bo", "results")
        await run.slash(guild, "bo", "end")
        titles = [e.get("title") or "" for c in message_calls(fake.calls) if c.status == 200
                  for e in (message_body(c) or {}).get("embeds") or []]
        assert any("\\*\\_" * 50 in t for t in titles)  # the escaped title reached the summary, whole or clipped
        assert rejected_by_discord(fake.calls) == []


@pytest.mark.xfail(strict=True, reason="bug: mention syntax in item text (<@id>, <@&id>, <#id>, <t:..>) is not "
                                       "escaped, so Discord shows it as mention, channel and timestamp chips")
async def test_mention_tokens_in_items_show_as_typed(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        await run.slash(guild, "cy", "do", text="Ask " + " ".join(MENTIONS))
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "bo", "results")
        assert any("Ask" in content_of(c) for c in fake.calls if c.path.startswith("/channels/"))
        assert [chip for _, _, chip in chips(fake.calls) if chip in MENTIONS] == []


@pytest.mark.xfail(strict=True, reason="bug: 'Add a DO' on a closed session opens the modal; the submission is "
                                       "refused only after the person has typed it")
async def test_add_an_item_after_the_end_opens_no_modal(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        add_id, intro_id = run.button(guild.channel_id, "pln:a:1:do")
        await run.slash(guild, "bo", "end")
        payload = await fake.click(guild, "cy", add_id, intro_id)
        answer = await fake.wait_for_call(lambda c: c.path.endswith(f"/{payload['token']}/callback"))
        assert answer.json["type"] != 9, "a modal for a closed session"


@pytest.mark.xfail(strict=True, reason="bug: a 429 on the interaction callback is waited out past the 3 s window, "
                                       "so the first answer arrives after Discord dropped the interaction (10062)")
async def test_a_429_on_the_first_answer_is_not_waited_out_past_3_s(fake: FakeDiscord, guild: FakeGuild,
                                                                    database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        fake.limit_callback(retry_after=0.5)
        payload = await fake.slash(guild, "bo", "help", age=2.7)  # 2.7 s on its way; 0.5 s more is too late
        await fake.wait_for_call(lambda c: c.path.endswith(f"/{payload['token']}/callback") and c.status != 429)
        late = [c for c in fake.calls if isinstance(c.answer, dict) and c.answer.get("code") == 10062]
        assert late == [], "an answer sent after the 3 s window"


async def test_pln_is_never_delivered_in_a_dm(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    """/pln is registered guild-only (dm_permission false), so Discord doesn't offer it in DMs:
    `/pln start` from a DM can't reach the bot while that holds."""
    async with running_bot(fake, database_url):
        sync = next(c for c in fake.calls if c.method == "PUT")
        assert [c["dm_permission"] for c in sync.json] == [False]
        with pytest.raises(NotDeliverable):
            await fake.dm_slash(guild.member("bo"), "start", {"title": "in private"})


async def test_a_channel_that_withholds_posting_is_explained_privately(fake: FakeDiscord, guild: FakeGuild,
                                                                      database_url: str) -> None:
    fake.deny_bot(guild.channel_id, SEND_MESSAGES | CREATE_PUBLIC_THREADS)
    async with running_bot(fake, database_url) as run:
        answers = await run.slash(guild, "bo", "start")
        assert "Discord refused to let me post here (Missing Permissions)" in content_of(answers[-1])
        assert answers[-1].json["flags"] == 64
        assert fake.invalid_requests["POST /channels/{channel_id}/messages"] == 1  # it didn't keep trying


async def test_under_discords_channel_bucket_the_bot_waits_instead_of_being_refused(guild: FakeGuild,
                                                                                    database_url: str) -> None:
    """With the 5-per-5-s channel bucket Discord announces, seven items sent at once post into
    the thread over two windows: discord.py reads the headers and waits, so no 429 comes back."""
    fake = FakeDiscord(route_limits=DISCORD_ROUTE_LIMITS)
    fake.guilds[guild.guild_id] = guild
    await fake.start()
    try:
        async with running_bot(fake, database_url) as run:
            await run.slash(guild, "bo", "start")
            thread = run.thread_of_intro(guild)
            payloads = [await fake.slash(guild, who, "do", {"text": f"idea {n}"}, channel_id=thread)
                        for n, who in enumerate(("cy", "di", "ed", "fay", "gus", "cy", "di"))]
            for payload in payloads:
                await run.finished(payload)
            posted = [c for c in run.posts_in(thread) if c.status == 200]
            assert len(posted) == 7
            assert posted[-1].at - posted[0].at >= 4.5  # the sixth waited for the bucket to reset
            assert fake.rate_limited == {} and fake.invalid_requests == {}
    finally:
        await fake.stop()
