"""An anonymous session on Discord: no author's name in any request the bot makes, nor in any export."""

from __future__ import annotations

import json
import re

from tests.adapters.discord.conftest import running_bot
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord, RecordedCall

AUTHORS = ("bo", "cy", "di", "fay")  # ada only facilitates


def names_in(text: str) -> list[str]:
    return [name for name in AUTHORS if re.search(rf"\b{name}\b", text)]


def sent_text(call: RecordedCall) -> str:
    files = " ".join(content.decode("utf-8", "replace") for _, content in call.files)
    return json.dumps(call.json, ensure_ascii=False) + " " + files


async def test_no_author_name_reaches_discord_in_an_anonymous_session(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "ada", "start", title="Quiet room")
        thread = run.thread_of_intro(guild)
        await run.slash(guild, "ada", "settings", changes="anonymous=on")
        for who, level in (("bo", "veteran"), ("cy", "practitioner"), ("di", "newcomer")):
            await run.slash(guild, who, "join", level=level)
        await run.slash(guild, "bo", "do", text="Share what you learn")
        custom_id, message_id = run.button(guild.channel_id, "pln:a:1:dont")
        modal = await run.open_modal(guild, "cy", custom_id, message_id)
        await run.submit_modal(guild, "cy", modal["custom_id"], "Only lurk", channel_id=guild.channel_id)
        await run.slash(guild, "di", "do", text="Ask one question a week", channel_id=thread)
        await run.slash(guild, "fay", "dont", text="Collect tools instead of people")  # not joined: asked for a level
        await run.slash(guild, "bo", "item why", item=1, reason="Because trust is built by giving")
        await run.slash(guild, "ada", "next")
        for who in ("bo", "cy", "di"):
            custom_id, message_id = run.button(thread, "pln:v:1:1")
            await run.click(guild, who, custom_id, message_id)
        await run.slash(guild, "ada", "next")
        await run.slash(guild, "ada", "end")
        for fmt in ("md", "csv", "json", "html"):
            await run.slash(guild, "cy", "export", channel_id=thread, format=fmt)

        sent = [c for c in fake.calls if c.method in ("POST", "PATCH", "PUT") and c.json is not None]
        assert len(sent) > 30
        uploads = [c for c in sent if c.files]
        assert len(uploads) == 4 and any("Share what you learn" in sent_text(c) for c in uploads)
        leaks = [(c.method, c.path, names_in(sent_text(c))) for c in sent if names_in(sent_text(c))]
        assert leaks == []


async def test_the_scan_would_see_a_name_in_a_named_session(
    fake: FakeDiscord, guild: FakeGuild, database_url: str
) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "ada", "start", title="Open room")
        await run.slash(guild, "bo", "join", level="veteran")
        await run.slash(guild, "bo", "do", text="Share what you learn")
        assert any(names_in(sent_text(c)) == ["bo"] for c in fake.calls if c.json is not None)
