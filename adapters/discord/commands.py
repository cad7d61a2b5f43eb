"""The /pln command group: one plain subcommand per core command, with typed options.

Each callback only turns Discord's typed options into the core's command dataclass and hands
it to the bot; the bot defers, calls the service and delivers the replies.
"""

from __future__ import annotations

from typing import Any, Protocol

import discord
from discord import app_commands

from adapters.discord import limits
from adapters.discord.depth_commands import add_depth_commands
from facilitator.depth_commands import parse_duration
from facilitator import commands as cmd

Choice = app_commands.Choice
ItemNumber = app_commands.Range[int, 1, 999_999]
ItemText = app_commands.Range[str, 1, limits.ITEM_TEXT]
Title = app_commands.Range[str, 1, 100]


class CommandRunner(Protocol):
    async def run_command(self, interaction: discord.Interaction[Any], command: cmd.Command) -> None: ...


def _runner(interaction: discord.Interaction[Any]) -> CommandRunner:
    runner: CommandRunner = interaction.client  # the FacilitatorBot
    return runner


def build_pln_group(levels: tuple[str, ...]) -> app_commands.Group:
    """`levels` come from the default template, so the level option is a fixed choice list."""
    pln = app_commands.Group(name="pln", description="Run a DOs and DON'Ts workshop in this channel",
                             guild_only=True)
    level_choices = [Choice(name=level, value=level) for level in levels[:25]]
    format_choices = [Choice(name=fmt, value=fmt) for fmt in cmd.EXPORT_FORMATS]

    async def run(interaction: discord.Interaction[Any], command: cmd.Command) -> None:
        await _runner(interaction).run_command(interaction, command)

    @pln.command(name="start", description="Start a session here; you become its facilitator")
    @app_commands.describe(title="What the session is called")
    async def start(interaction: discord.Interaction[Any], title: Title | None = None) -> None:
        await run(interaction, cmd.Start(title or ""))

    @pln.command(name="join", description="Join the session at your experience level")
    @app_commands.describe(level="How experienced you are")
    @app_commands.choices(level=level_choices)
    async def join(interaction: discord.Interaction[Any], level: str) -> None:
        await run(interaction, cmd.Join(level))

    @pln.command(name="do", description="Add a DO")
    @app_commands.describe(text="Something people should do")
    async def do(interaction: discord.Interaction[Any], text: ItemText) -> None:
        await run(interaction, cmd.Submit("do", text))

    @pln.command(name="dont", description="Add a DON'T")
    @app_commands.describe(text="Something people should not do")
    async def dont(interaction: discord.Interaction[Any], text: ItemText) -> None:
        await run(interaction, cmd.Submit("dont", text))

    @pln.command(name="vote", description="Spend dot votes on items by number")
    @app_commands.describe(item="The item's number", more="More item numbers, e.g. 2 5")
    async def vote(interaction: discord.Interaction[Any], item: ItemNumber,
                   more: app_commands.Range[str, 0, 200] | None = None) -> None:
        try:
            extra = cmd.parse_numbers(more, "vote N [N ...]") if more and more.strip() else ()
        except cmd.ParseError as exc:
            await interaction.response.send_message(limits.escape(exc.message), ephemeral=True)
            return
        await run(interaction, cmd.Vote((item, *extra)))

    @pln.command(name="unvote", description="Take a vote back")
    @app_commands.describe(item="The item's number")
    async def unvote(interaction: discord.Interaction[Any], item: ItemNumber) -> None:
        await run(interaction, cmd.Unvote(item))

    @pln.command(name="next", description="Facilitator: move to the next phase")
    @app_commands.describe(timer="Optional: end the new phase on its own after this time, e.g. 10m")
    async def next_(interaction: discord.Interaction[Any], timer: app_commands.Range[str, 1, 20] | None = None) -> None:
        if timer is None:
            await run(interaction, cmd.Next())
            return
        try:
            seconds = parse_duration(timer, "next [10m]")
        except cmd.ParseError as exc:
            await interaction.response.send_message(limits.escape(exc.message), ephemeral=True)
            return
        await run(interaction, cmd.Next(seconds))

    @pln.command(name="status", description="Where the session stands, and your votes left")
    async def status(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, cmd.Status())

    @pln.command(name="results", description="The tally so far")
    async def results(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, cmd.Results())

    @pln.command(name="export", description="Get the session as a file in its thread")
    @app_commands.describe(format="File format")
    @app_commands.choices(format=format_choices)
    async def export(interaction: discord.Interaction[Any], format: str = "md") -> None:
        await run(interaction, cmd.Export(format))

    @pln.command(name="end", description="Facilitator: close the session and post the summary")
    async def end(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, cmd.End())

    @pln.command(name="cohost", description="Facilitator: make someone a co-host")
    @app_commands.describe(person="Who becomes a co-host")
    async def cohost(interaction: discord.Interaction[Any], person: discord.User) -> None:
        await run(interaction, cmd.Cohost(cmd.UserRef(user_id=str(person.id), name=person.display_name)))

    @pln.command(name="help", description="The list of commands")
    async def help_(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, cmd.Help())

    add_depth_commands(pln, run)
    return pln
