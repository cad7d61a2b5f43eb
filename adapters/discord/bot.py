"""The Discord bot: an AutoShardedBot that translates, calls the service, and delivers.

Flow of one click: refuse it at once if it comes from a place the bot can't work in
(permissions.py), else store the command and then defer, within what is left of Discord's 3 s
(adapters/commit_first.py, answers.first_answer),
translate the interaction into Actor/Place/Command, await the service, render and send its
replies. A failure anywhere is answered truthfully (answers.py) and never escapes.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

import discord
from discord.ext import commands

from adapters.commit_first import COMMIT_BOUND_SECONDS, commit_then_ack
from adapters.discord import answers, permissions
from adapters.discord.commands import build_pln_group
from adapters.discord.components import Click, ItemModal, parse_click, parse_modal
from adapters.discord.delivery import Delivery, ThreadDirectory
from adapters.discord.direct import dm_courier
from adapters.discord.translate import actor_of, actor_of_message, place_of, place_of_message
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from facilitator.commands.actions import FORGED, ActionName, command_for
from facilitator.app.outbox import OutboxQueue
from facilitator.domain.templates import TemplateLibrary
from facilitator.replies import Reply

log = logging.getLogger(__name__)


class Service(ThreadDirectory, Protocol):
    async def handle(self, actor: Actor, place: Place, command: cmd.Command) -> list[Reply]: ...

    async def session_for_thread(self, tenant: str, channel: str, thread: str) -> int | None: ...

    async def submission_refusal(self, actor: Actor, place: Place) -> str | None: ...

    async def tenant_and_place(self, session_id: int) -> tuple[str, Place] | None: ...


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
        outbox = getattr(service, "outbox", None)
        self.dms = dm_courier(self, outbox) if isinstance(outbox, OutboxQueue) else None
        self.delivery = Delivery(self, service, self.dms)
        # The work after each defer, a few at a time (adapters/pacing.py).
        self.work_slots = asyncio.Semaphore(work_slots)
        self.synced_commands: list[discord.app_commands.AppCommand] = []

    async def setup_hook(self) -> None:
        if self.dms is not None:
            self.dms.start(keep_polling=True)  # DMs an earlier run left waiting go out too
        self.tree.error(self.on_app_command_error)
        self.tree.add_command(build_pln_group(self.templates))
        if self.shard_ids is not None and 0 not in self.shard_ids:
            return  # several processes share the shards: the one holding shard 0 syncs
        if self.guild_id is not None:
            guild = discord.Object(id=self.guild_id)
            self.tree.copy_global_to(guild=guild)
            self.synced_commands = await self.tree.sync(guild=guild)  # a guild's commands update at once
        else:
            self.synced_commands = await self.tree.sync()

    async def close(self) -> None:
        if self.dms is not None:
            await self.dms.stop()  # what it was sending waits in the database for the next start
        await super().close()

    # ----- interactions -----
    # Every path answers first (within Discord's 3 s), refuses what can't be done here before
    # anything is stored, and keeps every failure inside: nothing reaches discord.py's handlers.

    async def run_typed(self, interaction: discord.Interaction[Any], text: str) -> None:
        """A slash command, written back as the words the core's grammar parses."""
        if await self.refused(interaction):
            return
        try:
            command = cmd.parse_command(text)
        except cmd.ParseError as exc:
            await answers.first_answer(interaction, lambda: self.answer_privately(interaction, exc.message))
            return
        await self.run_command(interaction, command)

    async def run_command(self, interaction: discord.Interaction[Any], command: cmd.Command,
                          session_id: int | None = None) -> None:
        if await self.refused(interaction, command):
            return
        # Stored, then deferred (adapters/commit_first.py), within what is left of Discord's 3 s
        # less a second for the defer itself. An interaction that arrives with less than that
        # left is deferred first, as before: doing the command first would risk doing it unseen.
        bound = min(COMMIT_BOUND_SECONDS, answers.FIRST_ANSWER_WINDOW - answers.age(interaction) - 1.0)
        if bound <= 0:
            if not await answers.first_answer(interaction, lambda: interaction.response.defer(ephemeral=True,
                                                                                               thinking=True)):
                return  # the interaction is gone: doing the command now would be doing it unseen
            work = asyncio.ensure_future(self._handle(interaction, command, session_id))
        else:
            work = await commit_then_ack(self._handle(interaction, command, session_id), lambda: answers.first_answer(
                interaction, lambda: interaction.response.defer(ephemeral=True, thinking=True)), bound)
        try:
            actor, place, replies = await work
        except Exception:
            log.exception("interaction %s: failed to handle %s", interaction.id, type(command).__name__)
            await answers.tell(interaction, answers.OUTCOME_UNKNOWN)
            return
        # Deliveries hold no work slot: storing never waits for them.
        try:
            await self.delivery.to_interaction(interaction, place, actor.tenant, replies)
        except Exception as exc:
            await answers.delivery_failed(interaction, exc, starting=isinstance(command, cmd.Start))
        await self.delivery.to_others(actor.user_id, replies, actor.tenant)  # whatever became of the answer

    async def _handle(self, interaction: discord.Interaction[Any], command: cmd.Command,
                      session_id: int | None) -> tuple[Actor, Place, list[Reply]]:
        actor, place = actor_of(interaction), place_of(interaction, session_id)
        if interaction.guild_id is None and session_id is not None:
            actor, place = await self.as_in_session(actor, place, session_id)
        async with self.work_slots:
            return actor, place, await self.service.handle(actor, place, command)

    async def as_in_session(self, actor: Actor, place: Place, session_id: int) -> tuple[Actor, Place]:
        """A follow-up's button clicked in a DM (permissions.FROM_DIRECT_MESSAGES): it acts in
        its session's server and channel. Never as an admin: Manage Server can't be read in a DM."""
        found = await self.service.tenant_and_place(session_id)
        if found is None:
            return actor, place
        tenant, where = found
        return Actor(tenant, actor.user_id, actor.name, is_admin=False), where

    async def refused(self, interaction: discord.Interaction[Any], command: cmd.Command | None = None) -> bool:
        """Refuses, as the first answer, an interaction from a place the bot can't work in."""
        refusal = permissions.refusal(interaction, command)
        if refusal is None:
            return False
        log.info("refused interaction %s from %s: %s", interaction.id, interaction.channel_id, refusal[:60])
        await answers.first_answer(interaction, lambda: self.answer_privately(interaction, refusal))
        return True

    async def answer_privately(self, interaction: discord.Interaction[Any], text: str) -> None:
        await interaction.response.send_message(answers.shown(text), ephemeral=True,
                                                allowed_mentions=discord.AllowedMentions.none())

    async def open_item_form(self, interaction: discord.Interaction[Any], click: Click) -> None:
        """"Add a DO": the modal, unless the session takes no items now. The modal must be the
        first answer, so that is decided by one quick read, inside the 3 s window."""
        if await self.refused(interaction):
            return

        async def answer() -> None:
            try:
                refusal = await self.service.submission_refusal(actor_of(interaction),
                                                                place_of(interaction, click.session_id))
            except Exception:
                log.exception("could not check session %s before opening its form", click.session_id)
                refusal = answers.NOTHING_CHANGED
            if refusal is not None:
                await self.answer_privately(interaction, refusal)
                return
            label = _button_label(interaction) or "Add an item"
            await interaction.response.send_modal(ItemModal(click.session_id, click.arg, label))

        await answers.first_answer(interaction, answer)

    async def on_click(self, interaction: discord.Interaction[Any], click: Click) -> None:
        if click.action is ActionName.ADD_ITEM:
            await self.open_item_form(interaction, click)
            return
        try:
            command = command_for(click.action, click.arg)
        except cmd.ParseError as exc:
            message = exc.message
            await answers.first_answer(interaction, lambda: self.answer_privately(interaction, message))
            return
        if command is not None:
            await self.run_command(interaction, command, session_id=click.session_id)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        # Button clicks and modal submissions are handled here, from the custom_id alone, rather
        # than by View or Modal objects: those live in one process's memory, and a restart (or
        # another process) forgets them. See components.view_for.
        if interaction.type is discord.InteractionType.component:
            custom = str(dict(interaction.data or {}).get("custom_id", ""))
            click = parse_click(custom)
            if click is not None:
                await self.on_click(interaction, click)
            elif custom.startswith("pln:"):  # ours, but not as we wrote it: say so, change nothing
                await answers.first_answer(interaction, lambda: self.answer_privately(interaction, FORGED))
            return
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        try:
            parsed = parse_modal(dict(interaction.data or {}))
        except cmd.ParseError as exc:  # a form of ours that was tampered with (too big a session id)
            message = exc.message
            await answers.first_answer(interaction, lambda: self.answer_privately(interaction, message))
            return
        if parsed is None:
            return
        session_id, kind, text = parsed
        await self.run_command(interaction, cmd.Submit(kind, text), session_id=session_id)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Whatever escaped a handler: one line in our log instead of discord.py's traceback."""
        log.error("unexpected error in %s", event_method, exc_info=True)

    async def on_app_command_error(self, interaction: discord.Interaction[Any],
                                   error: discord.app_commands.AppCommandError) -> None:
        log.error("unexpected error in /%s (interaction %s)", getattr(interaction.command, "qualified_name", "?"),
                  interaction.id, exc_info=error)

    # ----- thread replies (privileged intent): DO:/DON'T: submissions, facilitators' NOTE:s -----

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
        if not isinstance(command, (cmd.Submit, cmd.Note)):
            return  # chat, or "/pln ..." typed as text: slash commands do that job on Discord
        actor = actor_of_message(message)
        async with self.work_slots:
            try:
                if await self.service.session_for_thread(actor.tenant, place.channel, place.thread) is None:
                    return  # a thread that isn't a session's: its "DO:" lines are someone else's business
                replies = await self.service.handle(actor, place, command)
            except Exception:
                log.exception("failed to handle a thread reply in %s", place.thread)
                return  # nothing was stored; a plain message has nobody to answer privately
        try:  # outside the work slot: storing never waits for a delivery
            await self.delivery.to_thread_message(message, replies)
        except Exception as exc:
            # The item is saved; Discord refused the echo (a permission taken away, say).
            log.warning("thread reply %s handled and saved, but its answer wasn't posted: %s", message.id, exc)
        await self.delivery.to_others(actor.user_id, replies, actor.tenant)


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
