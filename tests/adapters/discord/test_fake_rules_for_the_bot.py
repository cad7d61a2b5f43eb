"""Our bot against what the strict fake enforces, on the defects field reports named: markdown
that escaping lengthens past a limit, mention tokens in items, "Add a DO" after the end, /pln
in a DM, Discord's channel bucket. The interaction's lifecycle (expiry, 429s on the first
answer) is in test_interaction_lifecycle.py; DMs and withheld permissions in test_places.py.

Every bot test also checks, as it ends, that Discord refused nothing (conftest.running_bot)."""

from __future__ import annotations

import pytest

from adapters.discord import limits
from tests.adapters.discord.conftest import content_of, rejected_by_discord, running_bot
from tests.fakes.discord_events import NotDeliverable
from tests.fakes.discord_mentions import chips, message_body, message_calls
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_ratelimits import DISCORD_ROUTE_LIMITS
from tests.fakes.discord_server import FakeDiscord, RecordedCall

MARKDOWN_TITLE = "*_" * 100  # the longest title /pln start takes (200), every character escaped
ESCAPED = "\\*\\_"  # how one "*_" shows: \*\_
MENTIONS = ("<@123456789012345678>", "<@&456789012345678901>", "<#789012345678901234>", "<t:0:R>")


def embed_titles(calls: list[RecordedCall]) -> list[str]:
    return [e["title"] for c in message_calls(calls) if c.status == 200
            for e in (message_body(c) or {}).get("embeds") or [] if e.get("title")]


async def test_a_title_of_200_markdown_characters_fits_results_status_and_summary(
        fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    """Escaped, the title is 400 characters: escaped first and only then cut to an embed title's
    256, it fits every embed that shows it, and the cut never leaves half an escape."""
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start", title=MARKDOWN_TITLE)
        await run.slash(guild, "cy", "do", text="*_" * 250)
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "cy", "vote", item=1)
        status = embed_titles(await run.slash(guild, "cy", "status"))
        await run.slash(guild, "bo", "next")  # discussing: the results go into the thread
        results = embed_titles(run.posts_in(run.thread_of_intro(guild)))
        before = len(fake.calls)
        await run.slash(guild, "bo", "end")
        summary = embed_titles(fake.calls[before:])
        document = await run.export_json(guild)
    full = ESCAPED * 100
    for titles, heading in ((status, full + " (session 1)"), (results, "Results for " + full),
                            (summary, "Summary of " + full)):
        [title] = titles
        kept = title.removesuffix("…")
        assert title.endswith("…") and len(title) <= 256 and len(kept) >= 254
        assert heading.startswith(kept)
        assert (len(kept) - len(kept.rstrip("\\"))) % 2 == 0  # no half escape before the ellipsis
    assert document["session"]["title"] == MARKDOWN_TITLE  # stored as typed
    assert rejected_by_discord(fake.calls) == []


async def test_mention_tokens_in_items_show_as_typed(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    """Item text is shown with `\\<` before each token, so Discord draws no chip (no one's name, no
    role, no channel link, no live time), while the stored item keeps the tokens as typed."""
    text = "Ask " + " ".join(MENTIONS)
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        await run.slash(guild, "cy", "do", text=text)
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "bo", "next")
        await run.slash(guild, "bo", "results")
        document = await run.export_json(guild)
    shown = [content_of(c) for c in fake.calls if c.path.startswith("/channels/") and "Ask" in content_of(c)]
    assert len(shown) >= 3  # the item, the voting list, the results
    assert all("Ask \\<@123456789012345678> \\<@&456789012345678901> \\<#789012345678901234> \\<t:0:R>" in s
               for s in shown)
    assert [chip for _, _, chip in chips(fake.calls) if chip in MENTIONS] == []
    assert [item["text"] for item in document["items"]] == [text]


@pytest.mark.parametrize("moves", [("end",), ("next",)], ids=["closed", "voting"])
async def test_add_an_item_opens_no_modal_when_the_session_takes_no_items(
        fake: FakeDiscord, guild: FakeGuild, database_url: str, moves: tuple[str, ...]) -> None:
    """The modal is the interaction's only answer, so the refusal must come instead of it: one
    read of the session decides, within the 3 s, in the words /pln do would use."""
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        await run.slash(guild, "di", "do", text="Listen first")
        add_id, intro_id = run.button(guild.channel_id, "pln:a:1:do")
        for move in moves:
            await run.slash(guild, "bo", move)
        answer = await run.first_answer(await fake.click(guild, "cy", add_id, intro_id))
        document = await run.export_json(guild) if moves == ("end",) else None
    assert answer.json["type"] == 4 and answer.json["data"]["flags"] == 64  # a private message, no modal
    expected = ("This session is closed. Start a new one with `/pln start`." if moves == ("end",) else
                "New items are taken only while the session is collecting; it is voting now. "
                "Spend your votes instead: `/pln vote N`.")
    assert answer.json["data"]["content"] == limits.escape(expected)
    assert all(c.json.get("type") != 9 for c in fake.calls if c.path.endswith("/callback"))
    if document is not None:
        assert [item["text"] for item in document["items"]] == ["Listen first"]


async def test_add_an_item_still_opens_the_modal_while_collecting(fake: FakeDiscord, guild: FakeGuild,
                                                                  database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        add_id, intro_id = run.button(guild.channel_id, "pln:a:1:do")
        modal = await run.open_modal(guild, "cy", add_id, intro_id)
        assert modal["custom_id"] == "pln:m:1:do" and modal["title"] == "Add a DO"
        answers = await run.submit_modal(guild, "cy", "pln:m:1:do", "Ask early")
        assert "#1" in content_of(answers[-1])


async def test_pln_is_never_delivered_in_a_dm(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    """/pln is registered guild-only (dm_permission false), so Discord doesn't offer it in DMs:
    `/pln start` from a DM can't reach the bot while that holds."""
    async with running_bot(fake, database_url):
        sync = next(c for c in fake.calls if c.method == "PUT")
        assert [c["dm_permission"] for c in sync.json] == [False]
        with pytest.raises(NotDeliverable):
            await fake.dm_slash(guild.member("bo"), "start", {"title": "in private"})


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
