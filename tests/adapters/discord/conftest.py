"""A real FacilitatorBot, on a real SQLite file, connected to the fake Discord server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest

from adapters.discord.app import build_bot
from adapters.discord.bot import FacilitatorBot
from facilitator.bootstrap import FacilitatorApp, open_app
from adapters.discord.settings import DiscordSettings
from facilitator.app.context import Clock, utc_now
from tests.fakes.discord_model import FakeGuild, FakeMember
from tests.pg import base_url, fresh_database
from tests.fakes.discord_server import FakeDiscord, RecordedCall

PEOPLE = [("ada", True), ("bo", False), ("cy", False), ("di", False), ("ed", False), ("fay", False), ("gus", False)]


class FastIdentifyBot(FacilitatorBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # Discord wants 5 s between IDENTIFYs; the local fake doesn't


@dataclass
class Running:
    fake: FakeDiscord
    bot: FacilitatorBot
    app: FacilitatorApp

    # ----- acting as people -----

    async def slash(self, guild: FakeGuild, who: str, sub: str, channel_id: int | None = None,
                    followups: int = 1, **options: Any) -> list[RecordedCall]:
        payload = await self.fake.slash(guild, who, sub, options, channel_id=channel_id)
        return await self.finished(payload, followups)

    async def click(self, guild: FakeGuild, who: str, custom_id: str, message_id: int) -> list[RecordedCall]:
        return await self.finished(await self.fake.click(guild, who, custom_id, message_id))

    async def open_modal(self, guild: FakeGuild, who: str, custom_id: str, message_id: int) -> dict[str, Any]:
        payload = await self.fake.click(guild, who, custom_id, message_id)
        call = await self.fake.wait_for_call(lambda c: c.path == f"/interactions/{payload['id']}/{payload['token']}/callback")
        assert call.json["type"] == 9, call.json  # MODAL
        return dict(call.json["data"])

    async def submit_modal(self, guild: FakeGuild, who: str, custom_id: str, text: str,
                           channel_id: int | None = None) -> list[RecordedCall]:
        payload = await self.fake.submit_modal(guild, who, custom_id, {"text": text}, channel_id=channel_id)
        return await self.finished(payload)

    async def first_answer(self, payload: dict[str, Any]) -> RecordedCall:
        """The interaction's first answer (its callback) that Discord took or refused for good."""
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        return await self.fake.wait_for_call(lambda c: c.path == path and c.status != 429)

    def calls_of(self, payload: dict[str, Any]) -> list[RecordedCall]:
        """Every call the bot made with the interaction's token: its answer and follow-ups."""
        return [c for c in self.fake.calls if payload["token"] in c.path]

    async def finished(self, payload: dict[str, Any], followups: int = 1) -> list[RecordedCall]:
        """Every interaction ends with ephemeral follow-ups, after any public posts.
        Waits for `followups` of them and returns them."""
        hook = f"/webhooks/{self.fake.application_id}/{payload['token']}"
        return await self.fake.wait_for_calls(lambda c: c.method == "POST" and c.path == hook, followups)

    # ----- reading what the bot posted -----

    def posts_in(self, channel_id: int) -> list[RecordedCall]:
        return [c for c in self.fake.calls if c.method == "POST" and c.path == f"/channels/{channel_id}/messages"]

    def thread_of_intro(self, guild: FakeGuild) -> int:
        call = next(c for c in reversed(self.fake.calls)
                    if c.path.startswith(f"/channels/{guild.channel_id}/messages/") and c.path.endswith("/threads"))
        return int(call.path.split("/")[4])

    def buttons(self, channel_id: int) -> list[tuple[str, str, int]]:
        """(label, custom_id, message id) of every button the bot posted in the channel."""
        found = []
        for message in self.fake.messages.values():
            if int(message["channel_id"]) != channel_id:
                continue
            for row in message.get("components", []):
                for component in row.get("components", []):
                    if component.get("type") == 2:
                        found.append((component.get("label", ""), component["custom_id"], int(message["id"])))
        return found

    def button(self, channel_id: int, prefix: str) -> tuple[str, int]:
        label, custom_id, message_id = next(b for b in self.buttons(channel_id) if b[1].startswith(prefix))
        return custom_id, message_id

    async def export_json(self, guild: FakeGuild, who: str = "ada") -> dict[str, Any]:
        thread = self.thread_of_intro(guild)
        before = len(self.fake.calls)
        await self.slash(guild, who, "export", channel_id=thread, format="json")
        upload = next(c for c in self.fake.calls[before:] if c.files and c.path == f"/channels/{thread}/messages")
        name, content = upload.files[0]
        assert name.endswith(".json")
        return dict(json.loads(content))


def register_as_deployed(run: Running) -> None:
    """The bot's commands, registered as an earlier deployment's sync left them on Discord:
    for a process that doesn't sync (it doesn't hold shard 0) to have commands to answer."""
    tree = run.bot.tree
    run.fake.register_commands([command.to_dict(tree) for command in tree.get_commands()])


async def wait_for_dms(fake: FakeDiscord, member: FakeMember, count: int) -> None:
    """Wait for the DMs the last command sends after its answer; then a moment for any extra."""
    await fake.wait_for_calls(lambda c: c in fake.direct_messages(member), count)
    await asyncio.sleep(0.1)


def dms_by_name(fake: FakeDiscord, guild: FakeGuild) -> dict[str, list[str]]:
    """The text of every DM the bot sent (refused ones included), by member name; only members with some."""
    sent = {m.name: [content_of(c) for c in fake.direct_messages(m)] for m in guild.members}
    return {name: texts for name, texts in sent.items() if texts}


def content_of(call: RecordedCall) -> str:
    body = call.json or {}
    if "/callback" in call.path:
        body = body.get("data") or {}
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'facilitator.db'}"


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if base_url() is None:
        pytest.skip("FACILITATOR_TEST_POSTGRES_URL is not set")
    async with fresh_database("fac_discord") as url:
        yield url.render_as_string(hide_password=False)


# What Discord refuses only when the bot got something wrong: a body over a limit (400), an
# answer after the 3 s window (10062), a token used past 15 minutes (10015), a second answer (40060).
BOT_MISTAKES = (10062, 10015, 40060)


def rejected_by_discord(calls: list[RecordedCall], provoked: tuple[int, ...] = ()) -> list[tuple[str, str, int, Any]]:
    """Refusals that show a bot mistake; `provoked`: codes a test brought about on purpose
    (an interaction it made arrive late, a token it let expire)."""
    return [(c.method, c.path, c.status, c.answer) for c in calls
            if c.status == 400 or (isinstance(c.answer, dict) and c.answer.get("code") in BOT_MISTAKES
                                   and c.answer.get("code") not in provoked)]


@asynccontextmanager
async def running_bot(fake: FakeDiscord, database_url: str, clock: Clock = utc_now,
                      bot_options: dict[str, Any] | None = None, provoked: tuple[int, ...] = (),
                      **config: Any) -> AsyncIterator[Running]:
    """`clock` is the service's: a fake one lets a test move deadlines on. `bot_options` go to
    discord.py's client as they are; `config` are DiscordSettings fields. A test that ends normally also
    checks that Discord refused nothing the bot sent (rejected_by_discord), but the `provoked` codes."""
    previous_base = discord.http.Route.BASE
    settings = DiscordSettings(token=fake.token, api_base=fake.api_base, **config)
    app = await open_app(database_url, clock=clock)
    bot = build_bot(settings, app, cls=FastIdentifyBot, guild_ready_timeout=0.05, **(bot_options or {}))
    task = asyncio.create_task(bot.start(fake.token))
    try:
        await asyncio.wait_for(asyncio.shield(_ready(bot, task)), 15)
        yield Running(fake, bot, app)
        assert rejected_by_discord(fake.calls, provoked) == [], "Discord would have refused these"
    finally:
        await bot.close()
        await asyncio.gather(task, return_exceptions=True)
        await app.close()
        discord.http.Route.BASE = previous_base
        fake.shards.clear()


async def _ready(bot: FacilitatorBot, task: asyncio.Task[None]) -> None:
    waiter = asyncio.ensure_future(bot.wait_until_ready())
    done, _ = await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        waiter.cancel()
        task.result()  # the bot died while starting: show why
        raise RuntimeError("the bot stopped before it was ready")


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord(shard_count=1)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def guild(fake: FakeDiscord) -> FakeGuild:
    return fake.add_guild("learning circle", PEOPLE)
