"""Malformed input through the real discord.py client, on PostgreSQL (whose INTEGER is what a
too-big id overflowed): a form naming a session no database column can hold gets a clear
private answer, nothing is stored, no traceback is logged.

(Lone surrogates are tested in the core, tests/reliability/test_malformed_values.py, and through
Bolt: discord.py parses gateway payloads with orjson when it is installed, and orjson refuses a
lone surrogate before any of our code runs.)"""

from __future__ import annotations

import logging

import pytest

from tests.adapters.discord.conftest import content_of, running_bot
from tests.app.support import stored_document
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord


async def test_a_form_naming_a_session_too_big_for_the_database_is_refused(
    fake: FakeDiscord, guild: FakeGuild, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(fake, postgres_url) as run:
        await run.slash(guild, "bo", "start")
        with caplog.at_level(logging.WARNING):
            payload = await fake.submit_modal(guild, "cy", "pln:m:" + "9" * 12 + ":do", {"text": "Share first"},
                                              channel_id=guild.channel_id)
            callback = await fake.wait_for_call(
                lambda c: c.path == f"/interactions/{payload['id']}/{payload['token']}/callback")
        assert callback.json["type"] == 4 and callback.json["data"]["flags"] == 64  # a private answer
        assert "That form doesn't work any more" in content_of(callback)
        assert (await stored_document(run.app))["items"] == []
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
