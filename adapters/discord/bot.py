"""The Discord bot: an AutoShardedBot that translates, calls the service, and delivers.

Flow of one click: defer at once (Discord wants an answer within 3 s), translate the
interaction into Actor/Place/Command, await the service, render and send its replies.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

import discord
from discord.ext import commands

from adapters.discord import limits
from adapters.discord.commands import build_pln_group
from adapters.discord.components import Click, ItemModal, parse_click, parse_modal
from adapters.discord.delivery import Delivery, ThreadDirectory
from adapters.discord.translate import actor_of, actor_of_message, place_of, place_of_message
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from facilitator.commands.actions import ActionName, command_for
from facilitator.domain.templates import TemplateLibrary
from facilitator.replies import Reply

log = logging.getLogger(__name__)
FAILED = "Something went wrong on our side; nothing more was changed. Please try again."
FORBIDDEN = (
    "Discord refused to let me post here ({reason}). A server admin can give me View Channel, Send Messages, "
    "Embed Links, Create Public Threads, Send Messages in Threads, Attach Files and Read Message History in "
    "this channel. If this was `/pln start`, the session exists without its intro: `/pln end` it, then start again."
)


class Service(ThreadDirectory, Protocol):
    async def handle(self, actor: Actor, place: Place, command: cmd.Command) -> list[Reply]: ...

    async def session_for_thread(self, tenant: str, channel: str, thread: str) -> int | None: ...


def intents_for(message_content: bool) -> discord.Intents:
    """Only what the bot reads: guilds (channels, threads). Thread messages and their text only
    when DISCORD_MESSAGE_CONTENT=true, since message content is a privileged intent."""
    intents = discord.Intents.none()
    intents.guilds = True
    if message_content:
        intents.guild_messages = True
        intents.message_content = True
    return intents


class FacilitatorBot(commands.AutoShardedBot):
    def __init__(
        self,
        service: Service,
        templates: TemplateLibrary,
        *,
        guild_id: int | None = None,
        message_content: bool = False,
        shard_count: int | None = None,
        shard_ids: tuple[int, ...] | None = None,
        work_slots: int,
        **options: Any,
    ) -> None:
        if shard_ids is not None:  # several processes share the shards (DISCORD_SHARD_IDS)
            options["shard_ids"] = list(shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: everything is an app command
            help_command=None,
            intents=intents_for(message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=shard_count,
            **options,
        )
        self.service = service
        self.templates = templates
        self.guild_id = guild_id
        self.message_content = message_content
        self.delivery = Delivery(self, service)
        # The work after each defer, a few at a time (adapters/pacing.py).
        self.work_slots = asyncio.Semaphore(work_slots)
        self.synced_commands: list[discord.app_commands.AppCommand] = []

    async def setup_hook(self) -> None:
        self.tree.add_command(build_pln_group(self.templates))
        if self.shard_ids is not None and 0 not in self.shard_ids:
            return  # several processes share the shards: the one holding shard 0 syncs
        if self.guild_id is not None:
            guild = discord.Object(id=self.guild_id)
            self.tree.copy_global_to(guild=guild)
            self.synced_commands = await self.tree.sync(guild=guild)  # a guild's commands update at once
        else:
            self.synced_commands = await self.tree.sync()

    # ----- interactions -----

    async def run_command(self, interaction: discord.Interaction[Any], command: cmd.Command,
                          session_id: int | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        actor, place = actor_of(interaction), place_of(interaction, session_id)
        try:
            async with self.work_slots:
                replies = await self.service.handle(actor, place, command)
                await self.delivery.to_interaction(interaction, place, actor.tenant, replies)
        except discord.Forbidden as exc:
            log.warning("forbidden while answering %s: %s", type(command).__name__, exc.text)
            await interaction.followup.send(FORBIDDEN.format(reason=limits.escape(exc.text or "403")), ephemeral=True)
        except Exception:
            log.exception("failed to handle %s", type(command).__name__)
            await interaction.followup.send(FAILED, ephemeral=True)

    async def on_click(self, interaction: discord.Interaction[Any], click: Click) -> None:
        if click.action is ActionName.ADD_ITEM:
            label = _button_label(interaction) or "Add an item"
            await interaction.response.send_modal(ItemModal(click.session_id, click.arg, label))
            return
        try:
            command = command_for(click.action, click.arg)
        except cmd.ParseError as exc:
            await interaction.response.send_message(limits.escape(exc.message), ephemeral=True)
            return
        if command is not None:
            await self.run_command(interaction, command, session_id=click.session_id)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        # Button clicks and modal submissions are handled here, from the custom_id alone, rather
        # than by View or Modal objects: those live in one process's memory, and a restart (or
        # another process) forgets them. See components.view_for.
        if interaction.type is discord.InteractionType.component:
            click = parse_click(str(dict(interaction.data or {}).get("custom_id", "")))
            if click is not None:
                await self.on_click(interaction, click)
            return
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        parsed = parse_modal(dict(interaction.data or {}))
        if parsed is None:
            return
        session_id, kind, text = parsed
        await self.run_command(interaction, cmd.Submit(kind, text), session_id=session_id)

    # ----- thread replies (privileged intent) -----

    async def on_message(self, message: discord.Message) -> None:
        if not self.message_content or message.author.bot or message.guild is None:
            return
        place = place_of_message(message)
        if place is None or place.thread is None:
            return
        try:
            command = cmd.parse_message(message.content)
        except cmd.ParseError:
            return
        if not isinstance(command, cmd.Submit):
            return  # chat, or "/pln ..." typed as text: slash commands do that job on Discord
        actor = actor_of_message(message)
        if await self.service.session_for_thread(actor.tenant, place.channel, place.thread) is None:
            return  # a thread that isn't a session's: its "DO:" lines are someone else's business
        async with self.work_slots:
            replies = await self.service.handle(actor, place, command)
            await self.delivery.to_thread_message(message, replies)


def _button_label(interaction: discord.Interaction[Any]) -> str | None:
    """The pressed button's label, read back from the message it sits on."""
    data = dict(interaction.data or {})
    if interaction.message is None:
        return None
    for row in interaction.message.components:
        for child in getattr(row, "children", []):
            if getattr(child, "custom_id", None) == data.get("custom_id"):
                label = getattr(child, "label", None)
                return str(label) if label else None
    return None
