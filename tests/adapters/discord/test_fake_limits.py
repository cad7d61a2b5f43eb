"""The fake Discord refuses what Discord refuses in a message: each limit taken at its value and
refused one over, with Discord's own 400 body, read back through discord.py's HTTP client."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from discord import ui
from discord.http import Route, handle_message_parameters

from tests.fakes.discord_clients import logged_in
from tests.fakes.discord_errors import FieldError, bad_length, invalid_form_body, too_long
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

Body = Callable[[int], dict[str, Any]]


@dataclass(frozen=True)
class Limit:
    name: str
    body: Body  # a message body holding `n` of the limited thing
    limit: int
    error: FieldError  # what Discord answers at limit + 1


def embeds(*items: discord.Embed) -> dict[str, Any]:
    return {"embeds": [e.to_dict() for e in items]}


def with_fields(n: int, name: str = "n", value: str = "v") -> discord.Embed:
    embed = discord.Embed()
    for _ in range(n):
        embed.add_field(name=name, value=value)
    return embed


def rows(count: int, width: int, **button: Any) -> dict[str, Any]:
    """`count` action rows of `width` buttons, each built by discord.py (whose View would refuse
    a sixth row or a sixth button in a row before sending: Discord's limit is what's tested)."""
    made = [[ui.Button(**{"label": "b", "custom_id": f"r{r}b{b}", **button}).to_component_dict()
             for b in range(width)] for r in range(count)]
    return {"components": [{"type": 1, "components": children} for children in made]}


def select(options: int = 1, **option: Any) -> dict[str, Any]:
    menu: ui.Select[Any] = ui.Select(custom_id="pick", options=[discord.SelectOption(**{"label": f"o{i}", "value": f"v{i}", **option})
                                                for i in range(options)])
    return {"components": [{"type": 1, "components": [menu.to_component_dict()]}]}


def text_select(placeholder: str) -> dict[str, Any]:
    menu: ui.Select[Any] = ui.Select(custom_id="pick", placeholder=placeholder, options=[discord.SelectOption(label="a")])
    return {"components": [{"type": 1, "components": [menu.to_component_dict()]}]}


E0 = ("embeds", 0)
C00 = ("components", 0, "components", 0)
LIMITS = [
    Limit("content", lambda n: {"content": "x" * n}, 2000, too_long(("content",), 2000)),
    Limit("embed title", lambda n: embeds(discord.Embed(title="x" * n)), 256, too_long((*E0, "title"), 256)),
    Limit("embed description", lambda n: embeds(discord.Embed(description="x" * n)), 4096,
          too_long((*E0, "description"), 4096)),
    Limit("footer", lambda n: embeds(discord.Embed().set_footer(text="x" * n)), 2048,
          too_long((*E0, "footer", "text"), 2048)),
    Limit("author name", lambda n: embeds(discord.Embed().set_author(name="x" * n)), 256,
          too_long((*E0, "author", "name"), 256)),
    Limit("field name", lambda n: embeds(with_fields(1, name="x" * n)), 256, too_long((*E0, "fields", 0, "name"), 256)),
    Limit("field value", lambda n: embeds(with_fields(1, value="x" * n)), 1024,
          too_long((*E0, "fields", 0, "value"), 1024)),
    Limit("fields", lambda n: embeds(with_fields(n)), 25, too_long((*E0, "fields"), 25)),
    Limit("embeds", lambda n: embeds(*[discord.Embed(description="x")] * n), 10, too_long(("embeds",), 10)),
    Limit("all embeds' text", lambda n: embeds(discord.Embed(description="x" * 3000),
                                               discord.Embed(description="x" * (n - 3000))), 6000,
          FieldError(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")),
    Limit("action rows", lambda n: rows(n, 1), 5, too_long(("components",), 5)),
    Limit("buttons in a row", lambda n: rows(1, n), 5, bad_length(("components", 0, "components"), 1, 5)),
    Limit("button label", lambda n: rows(1, 1, label="x" * n), 80, too_long((*C00, "label"), 80)),
    Limit("custom_id", lambda n: rows(1, 1, custom_id="x" * n), 100, too_long((*C00, "custom_id"), 100)),
    Limit("select options", lambda n: select(n), 25, bad_length((*C00, "options"), 1, 25)),
    Limit("option label", lambda n: select(label="x" * n), 100, too_long((*C00, "options", 0, "label"), 100)),
    Limit("option value", lambda n: select(value="x" * n), 100, too_long((*C00, "options", 0, "value"), 100)),
    Limit("option description", lambda n: select(description="x" * n), 100,
          too_long((*C00, "options", 0, "description"), 100)),
    Limit("select placeholder", lambda n: text_select("x" * n), 150, too_long((*C00, "placeholder"), 150)),
]


def messages_route(channel_id: int) -> Route:
    return Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)


@pytest.mark.parametrize("case", LIMITS, ids=[c.name for c in LIMITS])
async def test_a_message_at_a_limit_is_taken_and_one_over_is_refused_as_discord_does(
    fake: FakeDiscord, guild: FakeGuild, case: Limit
) -> None:
    async with logged_in(fake) as client:
        await client.http.request(messages_route(guild.channel_id), json=case.body(case.limit))
        with pytest.raises(discord.HTTPException) as refused:
            await client.http.request(messages_route(guild.channel_id), json=case.body(case.limit + 1))
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert fake.calls[-1].answer == invalid_form_body([case.error])
    assert f"In {case.error.dotted}: {case.error.message}" in refused.value.text  # discord.py reads the tree


async def test_escaped_text_is_what_counts(fake: FakeDiscord, guild: FakeGuild) -> None:
    """Discord counts the characters it receives: escaping `*_` doubles them."""
    shown = "*_" * 100  # 200 characters a reader sees
    async with logged_in(fake) as client:
        channel = client.get_partial_messageable(guild.channel_id)
        await channel.send(embed=discord.Embed(title=discord.utils.escape_markdown("*_" * 64)))  # 256 sent
        with pytest.raises(discord.HTTPException) as refused:
            await channel.send(embed=discord.Embed(title=discord.utils.escape_markdown(shown)))  # 400 sent
        await channel.send("🙂" * 2000)  # code points, as Discord's Python counts: not UTF-16's 4,000
    assert "In embeds.0.title: Must be 256 or fewer in length." in refused.value.text


async def test_ten_attachments_and_no_more(fake: FakeDiscord, guild: FakeGuild) -> None:
    def files(n: int) -> list[discord.File]:
        return [discord.File(io.BytesIO(b"x"), filename=f"{i}.txt") for i in range(n)]

    async with logged_in(fake) as client:
        await client.get_partial_messageable(guild.channel_id).send(files=files(10))
        # discord.py's send() stops an eleventh file itself; its lower layer sends what it's given.
        with handle_message_parameters(content="eleven", files=files(11)) as params:
            with pytest.raises(discord.HTTPException) as refused:
                await client.http.send_message(guild.channel_id, params=params)
    assert fake.calls[-1].answer == invalid_form_body([too_long(("attachments",), 10)])
    assert refused.value.code == 50035


@pytest.mark.parametrize("body", [{}, {"content": ""}, {"content": "   "}, {"embeds": []}])
async def test_an_empty_message_is_refused(fake: FakeDiscord, guild: FakeGuild, body: dict[str, Any]) -> None:
    async with logged_in(fake) as client:
        with pytest.raises(discord.HTTPException) as refused:
            await client.http.request(messages_route(guild.channel_id), json=body)
    assert (refused.value.status, refused.value.code, refused.value.text) == (400, 50006, "Cannot send an empty message")


async def test_dms_edits_and_threads_check_the_same_limits(fake: FakeDiscord, guild: FakeGuild) -> None:
    over = discord.Embed(title="x" * 257)
    async with logged_in(fake) as client:
        dm = await (await client.fetch_user(guild.member("bo").user_id)).create_dm()
        with pytest.raises(discord.HTTPException) as in_dm:
            await dm.send(embed=over)
        root = await client.get_partial_messageable(guild.channel_id).send("root")
        with pytest.raises(discord.HTTPException) as edited:
            await root.edit(embed=over)

        async def start_thread(name: str) -> Any:  # no gateway here: Message.create_thread lacks its guild
            return await client.http.start_thread_with_message(guild.channel_id, root.id, name=name,
                                                               auto_archive_duration=1440)

        with pytest.raises(discord.HTTPException) as named:
            await start_thread("x" * 101)
        thread = await start_thread("x" * 100)
        with pytest.raises(discord.HTTPException) as again:
            await start_thread("second")  # one thread per message
        with pytest.raises(discord.HTTPException) as in_thread:
            await client.get_partial_messageable(int(thread["id"])).send(embed=over)
    assert "In embeds.0.title: Must be 256 or fewer in length." in in_dm.value.text
    assert "In embeds.0.title: Must be 256 or fewer in length." in edited.value.text
    assert "In name: Must be 100 or fewer in length." in named.value.text
    assert (again.value.status, again.value.code) == (400, 160004)
    assert in_thread.value.code == 50035
    refused = [(c.method, c.path.split("/")[-1], c.status) for c in fake.refused_calls()]
    assert refused == [("POST", "messages", 400), ("PATCH", str(root.id), 400), ("POST", "threads", 400),
                       ("POST", "threads", 400), ("POST", "messages", 400)]
