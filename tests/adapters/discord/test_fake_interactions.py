"""The fake Discord keeps an interaction's life as Discord does: the first response within 3 s
(10062 after), one acknowledgement (40060 for a second), the token's webhook for 15 minutes
(10015 after, or before any response); and it checks responses' bodies like any message's.
Driven through discord.py's own Interaction objects, on the fake's clock instead of sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import ui

from tests.fakes.discord_clients import ProbeBot, logged_in, probe_bot
from tests.fakes.discord_errors import bad_length, invalid_form_body, not_one_of, too_big, too_long
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

OVER = discord.Embed(title="x" * 257)


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[ProbeBot]:
    fake.clock.freeze()  # only the test moves time on
    async with probe_bot(fake) as running:
        yield running


def error_code(outcome: Any) -> tuple[int, int]:
    assert isinstance(outcome, discord.HTTPException), outcome
    return outcome.status, outcome.code


@pytest.mark.parametrize(("age", "accepted"), [(3.0, True), (3.001, False)])
async def test_the_first_response_is_taken_for_3_seconds(fake: FakeDiscord, guild: FakeGuild, bot: ProbeBot,
                                                         age: float, accepted: bool) -> None:
    bot.act = lambda interaction: interaction.response.defer()
    outcome = await bot.outcome(await fake.slash(guild, "bo", None, command="probe", age=age))
    if accepted:
        assert isinstance(outcome, discord.InteractionCallbackResponse)
    else:
        assert isinstance(outcome, discord.NotFound) and error_code(outcome) == (404, 10062)
        assert fake.calls[-1].answer == {"message": "Unknown interaction", "code": 10062}


async def test_a_second_acknowledgement_is_refused(fake: FakeDiscord, guild: FakeGuild, bot: ProbeBot) -> None:
    """The same INTERACTION_CREATE twice (a gateway replay, or two processes on one shard):
    each copy's discord.py object thinks it is first; Discord takes only one."""
    bot.act = lambda interaction: interaction.response.defer(ephemeral=True)
    payload = await fake.slash(guild, "bo", None, command="probe")
    await fake.dispatch_to_guild(guild.guild_id, "INTERACTION_CREATE", payload)
    first, second = await bot.outcomes(payload, 2)
    assert isinstance(first, discord.InteractionCallbackResponse)
    assert error_code(second) == (400, 40060)
    assert fake.calls[-1].answer == {"message": "Interaction has already been acknowledged.", "code": 40060}


async def test_the_token_works_for_15_minutes(fake: FakeDiscord, guild: FakeGuild, bot: ProbeBot) -> None:
    async def act(interaction: discord.Interaction[Any]) -> list[Any]:
        results: list[Any] = []
        await interaction.response.defer(ephemeral=True)
        fake.clock.advance(15 * 60)
        for attempt in range(2):
            for call in (lambda: interaction.followup.send("still here", ephemeral=True),
                         lambda: interaction.edit_original_response(content="edited")):
                try:
                    results.append(await call())
                except discord.HTTPException as exc:
                    results.append(exc)
            fake.clock.advance(0.001)
        return results

    bot.act = act
    in_time, edited, late, late_edit = await bot.outcome(await fake.slash(guild, "bo", None, command="probe"))
    assert isinstance(in_time, discord.WebhookMessage) and isinstance(edited, discord.InteractionMessage)
    assert error_code(late) == error_code(late_edit) == (404, 10015)
    assert fake.calls[-1].answer == {"message": "Unknown Webhook", "code": 10015}


async def test_a_follow_up_before_any_response_is_an_unknown_webhook(fake: FakeDiscord, guild: FakeGuild,
                                                                     bot: ProbeBot) -> None:
    bot.act = lambda interaction: interaction.followup.send("too early")
    outcome = await bot.outcome(await fake.slash(guild, "bo", None, command="probe"))
    assert error_code(outcome) == (404, 10015)


async def test_responses_and_follow_ups_are_held_to_message_limits(fake: FakeDiscord, guild: FakeGuild,
                                                                   bot: ProbeBot) -> None:
    async def act(interaction: discord.Interaction[Any]) -> list[Any]:
        results: list[Any] = []
        for call in (lambda: interaction.response.send_message(embed=OVER),  # refused: not acknowledged
                     lambda: interaction.response.send_message("fits"),
                     lambda: interaction.followup.send(embed=OVER),
                     lambda: interaction.edit_original_response(embed=OVER)):
            try:
                results.append(await call())
            except discord.HTTPException as exc:
                results.append(exc)
        return results

    bot.act = act
    response, fits, followup, edit = await bot.outcome(await fake.slash(guild, "bo", None, command="probe"))
    assert "In data.embeds.0.title: Must be 256 or fewer in length." in response.text
    assert isinstance(fits, discord.InteractionCallbackResponse)
    assert "In embeds.0.title: Must be 256 or fewer in length." in followup.text
    assert "In embeds.0.title: Must be 256 or fewer in length." in edit.text
    assert [c.status for c in fake.calls if "itoken" in c.path] == [400, 200, 400, 400]


async def test_a_button_update_is_held_to_message_limits(fake: FakeDiscord, guild: FakeGuild, bot: ProbeBot) -> None:
    async with logged_in(fake) as client:
        view = ui.View()
        view.add_item(ui.Button(label="press", custom_id="press"))
        posted = await client.get_partial_messageable(guild.channel_id).send("with a button", view=view)

    async def act(interaction: discord.Interaction[Any]) -> Any:
        try:
            await interaction.response.edit_message(embed=OVER)
        except discord.HTTPException as exc:
            await interaction.response.edit_message(content="updated")
            return exc
        return None

    bot.act = act
    refused = await bot.outcome(await fake.click(guild, "bo", "press", posted.id))
    assert "In data.embeds.0.title: Must be 256 or fewer in length." in refused.text
    assert fake.messages[posted.id]["content"] == "updated"


def modal(title: str = "Add a DO", label: str = "Your idea", max_length: int = 500,
          placeholder: str = "", custom_id: str = "idea") -> ui.Modal:
    made = ui.Modal(title=title, custom_id=custom_id)
    made.add_item(ui.TextInput(label=label, custom_id="text", max_length=max_length, placeholder=placeholder or None))
    return made


TEXT = ("data", "components", 0, "components", 0)
MODAL_LIMITS = [
    ("title", lambda n: modal(title="x" * n), 45, too_long(("data", "title"), 45)),
    ("custom_id", lambda n: modal(custom_id="x" * n), 100, too_long(("data", "custom_id"), 100)),
    ("input label", lambda n: modal(label="x" * n), 45, too_long((*TEXT, "label"), 45)),
    ("input max_length", lambda n: modal(max_length=n), 4000, too_big((*TEXT, "max_length"), 4000)),
    ("input placeholder", lambda n: modal(placeholder="x" * n), 100, too_long((*TEXT, "placeholder"), 100)),
]


@pytest.mark.parametrize(("name", "build", "limit", "error"), MODAL_LIMITS, ids=[m[0] for m in MODAL_LIMITS])
async def test_a_modal_at_a_limit_opens_and_one_over_is_refused(fake: FakeDiscord, guild: FakeGuild, bot: ProbeBot,
                                                                name: str, build: Any, limit: int, error: Any) -> None:
    async def act(interaction: discord.Interaction[Any]) -> Any:
        try:
            await interaction.response.send_modal(build(limit + 1))
        except discord.HTTPException as exc:
            await interaction.response.send_modal(build(limit))  # still unanswered: a refusal acknowledges nothing
            return exc
        return None

    bot.act = act
    refused = await bot.outcome(await fake.slash(guild, "bo", None, command="probe"))
    assert error_code(refused) == (400, 50035)
    assert [c.status for c in fake.calls if "/callback" in c.path] == [400, 200]
    assert fake.calls[-1].json["type"] == 9 and next(c.answer for c in fake.calls if c.status == 400) == \
        invalid_form_body([error])


async def test_a_modal_holds_five_rows(fake: FakeDiscord, guild: FakeGuild) -> None:
    """discord.py's Modal stops a sixth row itself, so the fake is asked over plain HTTP."""
    fake.ledger.open(1, "itoken-raw", 2, guild.channel_id)  # a slash command, just delivered
    rows = [{"type": 1, "components": [{"type": 4, "style": 1, "label": "l", "custom_id": f"t{i}"}]} for i in range(6)]
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{fake.api_base}/interactions/1/itoken-raw/callback",
                                json={"type": 9, "data": {"title": "t", "custom_id": "m", "components": rows}}) as answer:
            assert answer.status == 400
            assert await answer.json() == invalid_form_body([bad_length(("data", "components"), 1, 5)])


async def test_no_modal_in_answer_to_a_modal(fake: FakeDiscord, guild: FakeGuild, bot: ProbeBot) -> None:
    async def act(interaction: discord.Interaction[Any]) -> Any:
        try:
            await interaction.response.send_modal(modal())
        except discord.HTTPException as exc:
            return exc
        return None

    bot.act = act
    refused = await bot.outcome(await fake.submit_modal(guild, "bo", "idea", {"text": "hi"}))
    assert error_code(refused) == (400, 50035) and "In type: Value must be one of" in refused.text
    assert fake.calls[-1].answer == invalid_form_body([not_one_of(("type",), {4, 5, 6, 7})])


async def test_no_message_update_in_answer_to_a_command(fake: FakeDiscord, guild: FakeGuild) -> None:
    """discord.py sends nothing when asked to update a command's message, so the fake is asked
    over plain HTTP."""
    fake.ledger.open(2, "itoken-raw", 2, guild.channel_id)
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{fake.api_base}/interactions/2/itoken-raw/callback?with_response=1",
                                json={"type": 7, "data": {"content": "no message to update"}}) as answer:
            assert answer.status == 400
            assert await answer.json() == invalid_form_body([not_one_of(("type",), {4, 5, 9})])
