"""Command sync, and /pln start: intro embed in the channel, thread from it, buttons."""

from __future__ import annotations

from facilitator.domain.templates import TemplateLibrary

from tests.adapters.discord.conftest import content_of, running_bot
from tests.fakes.discord_mentions import unsafe_mentions
from tests.fakes.discord_model import FakeGuild
from tests.fakes.discord_server import FakeDiscord

SUBCOMMANDS = {"start", "join", "do", "dont", "vote", "unvote", "next", "status", "results", "export", "end",
               "cohost", "help"}


async def test_commands_sync_globally_with_typed_options(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url):
        sync = next(c for c in fake.calls if c.method == "PUT")
        assert sync.path == f"/applications/{fake.application_id}/commands"
        [pln] = sync.json
        assert pln["name"] == "pln"
        top = {o["name"]: o for o in pln["options"]}
        later = {"add", "timer", "settings", "quiet", "nudge", "board", "predict"}
        assert set(top) == SUBCOMMANDS | later | {"item", "discuss", "pledge"}  # the contract's, those added since, groups
        assert all(top[name]["type"] == 1 for name in SUBCOMMANDS | later)  # plain subcommands
        assert top["item"]["type"] == 2  # a subcommand group: /pln item hide ...
        in_item = {o["name"]: o for o in top["item"]["options"]}
        assert set(in_item) == {"hide", "restore", "merge", "pair", "why"}
        # The discussion's subcommands: `/pln discuss next` is typed `/pln next item`.
        assert top["discuss"]["type"] == 2
        in_discuss = {o["name"]: o for o in top["discuss"]["options"]}
        assert set(in_discuss) == {"agenda", "next", "note", "revote"}
        assert [c["value"] for c in in_discuss["agenda"]["options"][0]["choices"]] == ["votes", "divergence", "unshared"]
        assert in_discuss["next"]["options"][0]["name"] == "timebox" and not in_discuss["next"]["options"][0]["required"]
        assert in_discuss["note"]["options"][0]["max_length"] == 1000 and not in_discuss["revote"].get("options")
        # Pledges: `/pln pledge make` is typed `/pln pledge TEXT`, `list` is `/pln pledges`.
        assert top["pledge"]["type"] == 2
        in_pledge = {o["name"]: o for o in top["pledge"]["options"]}
        assert set(in_pledge) == {"make", "list", "done", "drop"}
        assert [o["name"] for o in in_pledge["make"]["options"]] == ["text", "person", "item"]
        assert [o["name"] for o in in_pledge["done"]["options"]] == ["pledge", "session"]
        subs = top | in_item
        first = {name: sub["options"][0] for name, sub in subs.items() if sub.get("options")}
        assert {n: o["name"] for n, o in first.items() if n in SUBCOMMANDS} == {
            "start": "title", "join": "level", "do": "text", "dont": "text", "vote": "item", "unvote": "item",
            "export": "format", "cohost": "person", "next": "timer"}
        assert {n: o["name"] for n, o in first.items() if n in later or n in in_item} == {
            "add": "category", "timer": "duration", "settings": "changes", "hide": "item", "restore": "item",
            "merge": "keep", "pair": "dont", "why": "item", "quiet": "off", "board": "reset", "predict": "item"}
        # Every template's levels, so a session of any template can be joined; the default's first.
        levels = [c["value"] for c in first["join"]["choices"]]
        assert levels[:3] == ["newcomer", "practitioner", "veteran"]
        assert set(levels) == {lv for t in ("pln", "start-stop-continue") for lv in TemplateLibrary().get(t).level_names}
        assert [c["value"] for c in subs["start"]["options"][1]["choices"]] == ["pln", "start-stop-continue"]
        assert subs["do"]["options"][1]["name"] == "anyway" and subs["do"]["options"][1]["type"] == 5
        assert [c["value"] for c in first["export"]["choices"]] == ["md", "csv", "json", "html"]
        assert first["do"]["type"] == 3 and first["do"]["max_length"] == 500
        assert first["vote"]["type"] == 4 and first["cohost"]["type"] == 6


async def test_commands_sync_to_the_configured_guild(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url, guild_id=guild.guild_id):
        puts = [c for c in fake.calls if c.method == "PUT"]
        assert [c.path for c in puts] == [f"/applications/{fake.application_id}/guilds/{guild.guild_id}/commands"]
        assert [c["name"] for c in puts[0].json] == ["pln"]


async def test_start_posts_the_intro_then_a_thread_from_it(fake: FakeDiscord, guild: FakeGuild, database_url: str) -> None:
    async with running_bot(fake, database_url) as run:
        followups = await run.slash(guild, "bo", "start", title="Growing a PLN")
        [intro] = run.posts_in(guild.channel_id)
        [embed] = intro.json["embeds"]
        assert embed["title"] == "Growing a PLN"
        assert "Personal Learning Network" in embed["description"]
        assert [f["name"] for f in embed["fields"]][:2] == ["Starting readings", "Levels"]
        labels = [b[0] for b in run.buttons(guild.channel_id)]
        assert labels == ["Newcomer", "Practitioner", "Veteran", "Add a DO", "Add a DON'T"]
        thread = run.thread_of_intro(guild)
        message_id = int(fake.calls[fake.calls.index(intro) + 1].path.split("/")[4])
        assert thread == message_id  # the thread grows from the intro message
        assert await run.app.service.session_for_thread(str(guild.guild_id), str(guild.channel_id), str(thread)) is not None
        assert followups[-1].json["flags"] == 64  # the starter's confirmation is ephemeral
        assert "facilitating" in content_of(followups[-1])
        assert unsafe_mentions(fake.calls) == []
