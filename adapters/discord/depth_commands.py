"""The facilitation-depth subcommands of /pln on Discord (timer, settings, moderation, ...).

Their options are parsed by the core grammar, so `/pln timer duration:10m` on Discord and
`/pln timer 10m` on Slack mean exactly the same thing and fail with the same message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from adapters.discord import limits
from facilitator import commands as cmd

ItemNumber = app_commands.Range[int, 1, 999_999]
Run = Callable[[discord.Interaction[Any], cmd.Command], Awaitable[None]]


def add_depth_commands(pln: app_commands.Group, run: Run) -> None:
    async def run_text(interaction: discord.Interaction[Any], text: str) -> None:
        try:
            command = cmd.parse_command(text)
        except cmd.ParseError as exc:
            await interaction.response.send_message(limits.escape(exc.message), ephemeral=True)
            return
        await run(interaction, command)

    @pln.command(name="timer", description="Facilitator: end the current phase on its own after this time")
    @app_commands.describe(duration="10m, 90s, 1h30m, or off")
    async def timer(interaction: discord.Interaction[Any], duration: app_commands.Range[str, 1, 20]) -> None:
        await run_text(interaction, f"timer {duration}")

    @pln.command(name="settings", description="Facilitator, before voting: votes=5 per-item=2 anonymous=on blind=off")
    @app_commands.describe(changes="e.g. votes=5 blind=off; leave empty to see the settings")
    async def settings(interaction: discord.Interaction[Any],
                       changes: app_commands.Range[str, 0, 200] | None = None) -> None:
        await run_text(interaction, f"settings {changes or ''}")

    @pln.command(name="hide", description="Facilitator: take an item out of the lists")
    async def hide(interaction: discord.Interaction[Any], item: ItemNumber) -> None:
        await run(interaction, cmd.parse_command(f"hide {item}"))

    @pln.command(name="restore", description="Facilitator: bring a hidden item back")
    async def restore(interaction: discord.Interaction[Any], item: ItemNumber) -> None:
        await run(interaction, cmd.parse_command(f"restore {item}"))

    @pln.command(name="merge", description="Facilitator: fold one item into another; votes carry over")
    @app_commands.describe(keep="The item that stays", other="The item that folds into it")
    async def merge(interaction: discord.Interaction[Any], keep: ItemNumber, other: ItemNumber) -> None:
        await run(interaction, cmd.parse_command(f"merge {keep} {other}"))

    @pln.command(name="pair", description="Link a DON'T to the DO that fixes it")
    @app_commands.describe(dont="The DON'T's number", do="The DO's number")
    async def pair(interaction: discord.Interaction[Any], dont: ItemNumber, do: ItemNumber) -> None:
        await run(interaction, cmd.parse_command(f"pair {dont} {do}"))

    @pln.command(name="why", description="Add a one-line reason to your item")
    @app_commands.describe(item="Your item's number", reason="Why it matters")
    async def why(interaction: discord.Interaction[Any], item: ItemNumber,
                  reason: app_commands.Range[str, 1, 200]) -> None:
        await run_text(interaction, f"why {item} {reason}")

    @pln.command(name="quiet", description="No private reminders for you in this session")
    @app_commands.describe(off="Turn reminders back on")
    async def quiet(interaction: discord.Interaction[Any], off: bool = False) -> None:
        await run(interaction, cmd.parse_command("quiet off" if off else "quiet"))

    @pln.command(name="nudge", description="Facilitator: privately remind people with votes left")
    async def nudge(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, cmd.parse_command("nudge"))
