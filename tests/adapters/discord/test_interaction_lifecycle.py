"""The bot through an interaction's life as Discord enforces it (tests/fakes/discord_interactions.py):
a first answer that can no longer arrive in time, a follow-up after the token's 15 minutes, a
429 on the first answer. Each case checks what the person sees, what is stored, and that the
log says what happened once, with no traceback reaching discord.py's handlers."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from tests.adapters.discord.conftest import Running, content_of, running_bot
from tests.fakes.discord_mentions import message_calls
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

TOKEN_LIFETIME = 15 * 60


async def items_of(run: Running) -> list[str]:
    return [item.text for item in (await run.app.service.snapshot_of(1)).items]


def problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records at WARNING or above, from us or from discord.py (whose handlers log a traceback
    for whatever a bot lets escape)."""
    return [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.split(".")[0] in ("adapters", "discord")]


def about(records: list[logging.LogRecord], payload: dict[str, Any]) -> list[str]:
    """What our own log says about the interaction (discord.py adds its own rate-limit line)."""
    return [r.getMessage() for r in records if r.name.startswith("adapters.") and payload["id"] in r.getMessage()]


async def settled() -> None:
    await asyncio.sleep(0.3)  # room for any further (wrong) attempt to show in the fake's calls


async def test_a_follow_up_after_the_token_expired_is_not_retried_and_the_item_stays(
        fake: FakeDiscord, guild: FakeGuild, database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """15 minutes pass between the item's post in the thread and the private answer: the answer
    gets 10015. The item is saved and shown; nobody is told "nothing was changed" (that would
    invite a duplicate), nothing more is tried, and the log says so once."""
    async with running_bot(fake, database_url, provoked=(10015,)) as run:
        await run.slash(guild, "bo", "start")
        thread = run.thread_of_intro(guild)
        fake.after(lambda c: c.path == f"/channels/{thread}/messages" and c.status == 200,
                   lambda: fake.clock.advance(TOKEN_LIFETIME + 1))
        caplog.clear()
        payload = await fake.slash(guild, "cy", "do", {"text": "Share early"})
        await run.finished(payload)
        await settled()
        answered = [(c.method, c.status, (c.answer or {}).get("code")) for c in run.calls_of(payload)]
        assert answered == [("POST", 200, None), ("POST", 404, 10015)]  # the defer, one follow-up, no more
        assert ["Share early" in content_of(c) for c in run.posts_in(thread)][-1]  # shown in the thread
        assert await items_of(run) == ["Share early"]  # and stored
    logged = problems(caplog)
    assert len(about(logged, payload)) == 1 and "saved" in about(logged, payload)[0]
    assert [r for r in logged if r.exc_info] == []


async def test_a_defer_after_the_3_s_window_does_nothing(fake: FakeDiscord, guild: FakeGuild, database_url: str,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    """An interaction that reached the bot too late for its first answer (10062): Discord tells
    the person "The application did not respond", so the command is not carried out unseen."""
    async with running_bot(fake, database_url, provoked=(10062,)) as run:
        await run.slash(guild, "bo", "start")
        caplog.clear()
        payload = await fake.slash(guild, "cy", "do", {"text": "Too late"}, age=3.2)
        answer = await run.first_answer(payload)
        await settled()
        assert (answer.status, answer.answer["code"]) == (404, 10062)
        assert run.calls_of(payload) == [answer]  # no follow-up to a token that never came to life
        assert not any("Too late" in content_of(c) for c in message_calls(fake.calls))
        assert await items_of(run) == []
    assert len(about(problems(caplog), payload)) == 1
    assert [r for r in problems(caplog) if r.exc_info] == []


async def test_a_429_on_the_first_answer_is_not_waited_out_past_3_s(
        fake: FakeDiscord, guild: FakeGuild, database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """2.7 s on its way, then a 429 asking for 1.5 s more: waiting would only earn a 10062.
    The bot gives up at once instead of retrying: nothing is sent late, nothing stored."""
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        caplog.clear()
        fake.limit_callback(retry_after=1.5)
        payload = await fake.slash(guild, "cy", "do", {"text": "Rate limited"}, age=2.7)
        await asyncio.sleep(1.5 + 0.5)  # past the moment discord.py would have retried
        assert [c.status for c in run.calls_of(payload)] == [429]
        assert not any(isinstance(c.answer, dict) and c.answer.get("code") == 10062 for c in fake.calls)
        assert await items_of(run) == []
    assert len(about(problems(caplog), payload)) == 1
    assert [r for r in problems(caplog) if r.exc_info] == []


async def test_a_429_that_fits_the_window_is_waited_out(fake: FakeDiscord, guild: FakeGuild,
                                                        database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        fake.limit_callback(retry_after=0.4)
        payload = await fake.slash(guild, "cy", "do", {"text": "Patience"})
        answers = await run.finished(payload)
        callbacks = [c for c in run.calls_of(payload) if c.path.endswith("/callback")]
        assert [c.status for c in callbacks] == [429, 200]
        assert callbacks[1].at - callbacks[0].at >= 0.4  # discord.py honoured retry_after
        assert "#1" in content_of(answers[-1])
        assert await items_of(run) == ["Patience"]


async def test_a_post_refused_after_the_change_is_stored_says_it_is_saved(
        fake: FakeDiscord, guild: FakeGuild, database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """The channel allows everything when the command arrives, but the thread post is refused
    (a permission removed meanwhile): the item is stored, so the person hears it is saved,
    not "nothing was changed", and is asked not to send it again."""
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        thread = run.thread_of_intro(guild)
        fake.refuse("POST", f"/channels/{thread}/messages")
        caplog.clear()
        payload = await fake.slash(guild, "cy", "do", {"text": "Keep notes"})
        [told] = await run.finished(payload)
        await settled()
        assert told.json["flags"] == 64 and told.status == 200
        assert content_of(told).startswith("Your command went through (anything it changed is saved), but Discord "
                                           "refused to let me post about it here (Missing Permissions).")
        assert "nothing was changed" not in content_of(told).lower()
        assert [c.status for c in run.calls_of(payload)] == [200, 200]  # the defer, that one answer
        assert await items_of(run) == ["Keep notes"]
    assert len(about(problems(caplog), payload)) == 1
    assert [r for r in problems(caplog) if r.exc_info] == []


class FailingService:
    """The real service, but `handle` fails as a bug in a use case would."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    async def handle(self, *args: Any) -> Any:
        raise RuntimeError("a bug in a use case")


async def test_a_failure_in_the_service_claims_nothing_it_cannot_know(
        fake: FakeDiscord, guild: FakeGuild, database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async with running_bot(fake, database_url) as run:
        await run.slash(guild, "bo", "start")
        run.bot.service = FailingService(run.app.service)
        caplog.clear()
        payload = await fake.slash(guild, "cy", "do", {"text": "Boom"})
        [told] = await run.finished(payload)
        await settled()
        assert told.json["flags"] == 64
        assert content_of(told).startswith("Something went wrong on our side while doing that, and I can't tell "
                                           "whether it was saved.")
        assert len(run.calls_of(payload)) == 2  # the defer, that answer
    [logged] = [r for r in problems(caplog) if r.exc_info]
    assert logged.name == "adapters.discord.bot" and payload["id"] in logged.getMessage()  # ours, once
