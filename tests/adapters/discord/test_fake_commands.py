"""The fake Discord registers commands by Discord's rules (names, descriptions, 25 options a
level, 25 choices, one level of subcommand groups) and delivers a slash command only as the
Discord client would send it: registered, with options its registration allows."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from tests.fakes.discord_clients import logged_in
from tests.fakes.discord_errors import FieldError, bad_length, invalid_form_body, too_long
from tests.fakes.discord_events import NotDeliverable
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

INVALID_NAME = "APPLICATION_COMMAND_INVALID_NAME"


def command(name: str = "pln", description: str = "run a workshop", **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": description, "type": 1, **extra}


def option(name: str, kind: int = 3, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": f"the {name}", "type": kind, **extra}


def subcommands(count: int) -> list[dict[str, Any]]:
    return [option(f"s{i}", 1) for i in range(count)]


def choices(count: int, text: str = "") -> list[dict[str, Any]]:
    return [{"name": text or f"c{i}", "value": f"c{i}"} for i in range(count)]


def error(path: tuple[str | int, ...], code: str, message: str) -> FieldError:
    return FieldError(path, code, message)


# (what, accepted at the limit, refused one over, Discord's error for it)
RULES = [
    ("name length", [command("x" * 32)], [command("x" * 33)], error((0, "name"), INVALID_NAME, "Command name is invalid")),
    ("name case", [command("plan")], [command("Plan")], error((0, "name"), INVALID_NAME, "Command name is invalid")),
    ("name characters", [command("don-t_2")], [command("do!")], error((0, "name"), INVALID_NAME, "Command name is invalid")),
    ("description", [command(description="x" * 100)], [command(description="x" * 101)],
     bad_length((0, "description"), 1, 100)),
    ("empty description", [command(description="x")], [command(description="")], bad_length((0, "description"), 1, 100)),
    ("options on a level", [command(options=subcommands(25))], [command(options=subcommands(26))],
     too_long((0, "options"), 25)),
    ("subcommands in a group", [command(options=[option("g", 2, options=subcommands(25))])],
     [command(options=[option("g", 2, options=subcommands(26))])], too_long((0, "options", 0, "options"), 25)),
    ("choices", [command(options=[option("level", choices=choices(25))])],
     [command(options=[option("level", choices=choices(26))])], too_long((0, "options", 0, "choices"), 25)),
    ("choice name", [command(options=[option("level", choices=choices(1, "x" * 100))])],
     [command(options=[option("level", choices=choices(1, "x" * 101))])],
     bad_length((0, "options", 0, "choices", 0, "name"), 1, 100)),
    ("groups nest one level", [command(options=[option("g", 2, options=[option("s", 1)])])],
     [command(options=[option("g", 2, options=[option("h", 2, options=[option("s", 1)])])])],
     error((0, "options", 0, "options", 0, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
           "Option type 2 is not allowed here")),
    ("required options first", [command(options=[option("a", required=True), option("b")])],
     [command(options=[option("a"), option("b", required=True)])],
     error((0, "options", 1, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
           "Required options must be placed before non-required options")),
    ("unique names", [command("a"), command("b")], [command("a"), command("a")],
     error((1, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")),
    ("commands", [command(f"c{i}") for i in range(100)], [command(f"c{i}") for i in range(101)], too_long((), 100)),
]


@pytest.mark.parametrize(("what", "fits", "over", "refusal"), RULES, ids=[r[0] for r in RULES])
async def test_command_registration_follows_discords_rules(fake: FakeDiscord, what: str, fits: list[dict[str, Any]],
                                                          over: list[dict[str, Any]], refusal: FieldError) -> None:
    async with logged_in(fake) as client:
        registered = await client.http.bulk_upsert_global_commands(fake.application_id, fits)
        with pytest.raises(discord.HTTPException) as refused:
            await client.http.bulk_upsert_global_commands(fake.application_id, over)
    assert [c["name"] for c in registered] == [c["name"] for c in fits]
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert fake.calls[-1].answer == invalid_form_body([refusal])
    assert list(fake.commands[None]) == list(dict.fromkeys(c["name"] for c in fits))  # all or nothing


async def test_user_commands_may_have_capitals_and_spaces(fake: FakeDiscord) -> None:
    async with logged_in(fake) as client:
        await client.http.bulk_upsert_global_commands(fake.application_id, [{"name": "Add as a DO", "type": 3}])


async def test_a_guild_sync_registers_in_that_guild_only(fake: FakeDiscord, guild: FakeGuild) -> None:
    other = fake.add_guild("other", [("ada", True)])
    async with logged_in(fake) as client:
        await client.http.bulk_upsert_guild_commands(fake.application_id, guild.guild_id, [command(options=[])])
    assert fake.commands[guild.guild_id]["pln"]["guild_id"] == str(guild.guild_id)
    with pytest.raises(NotDeliverable, match="not registered in this guild"):
        await fake.slash(other, "ada", None)


DELIVERY = [
    ("an unregistered command", "nope", None, {}, "not registered"),
    ("an unknown subcommand", "pln", "fly", {}, "no option 'fly'"),
    ("no subcommand", "pln", None, {}, "exactly one subcommand"),
    ("a missing required option", "pln", "join", {}, "required option 'level' missing"),
    ("a choice not offered", "pln", "join", {"level": "wizard"}, "not one of the choices"),
    ("a string too long", "pln", "start", {"title": "x" * 101}, "a string of 1 to 100 characters"),
    ("a number out of range", "pln", "vote", {"item": 0}, "outside 1..999999"),
    ("a string for a number", "pln", "vote", {"item": "2"}, "a number"),
]


@pytest.mark.parametrize(("what", "name", "sub", "options", "why"), DELIVERY, ids=[d[0] for d in DELIVERY])
async def test_the_discord_client_never_sends(fake: FakeDiscord, guild: FakeGuild, what: str, name: str,
                                             sub: str | None, options: dict[str, Any], why: str) -> None:
    fake.register_commands([command(options=[
        option("start", 1, options=[option("title", min_length=1, max_length=100)]),
        option("join", 1, options=[option("level", required=True, choices=choices(3))]),
        option("vote", 1, options=[option("item", 4, required=True, min_value=1, max_value=999_999)]),
    ])])
    with pytest.raises(NotDeliverable, match=why):
        await fake.slash(guild, "bo", sub, options, command=name)
    assert fake.interactions == []
