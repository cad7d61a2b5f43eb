"""Sends the service's replies where they belong on Discord.

Private replies to the person who acted are ephemeral follow-ups to the interaction; private
replies to anyone else (a voter whose votes came back, a reminded participant) go to them by
direct message, since an ephemeral message shows only to the person who acted. The intro goes
into the channel and a thread is started from it; every other public reply goes into the
session's thread.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any, Literal, Protocol

import discord

from adapters.discord import limits
from adapters.discord.components import DIRECT_ACTIONS, view_for
from adapters.discord.direct import letters_for
from adapters.discord.render import Outgoing, render
from adapters.outbox.courier import Courier
from facilitator.domain.actors import Place
from facilitator.replies import Reply

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440  # a day: a workshop fits, and the thread stays findable


class ThreadDirectory(Protocol):
    """The part of the FacilitationService that knows where sessions live."""

    async def attach_thread(self, session_id: int, thread: str) -> None: ...

    async def thread_of(self, tenant: str, session_id: int) -> str | None: ...


def send_kwargs(out: Outgoing) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
    if out.content:
        kwargs["content"] = out.content
    if out.embeds:
        kwargs["embeds"] = out.embeds
    view = view_for(out.actions)
    if view is not None:
        kwargs["view"] = view
    if out.attachment is not None:
        kwargs["file"] = discord.File(io.BytesIO(out.attachment.content), filename=out.attachment.filename)
    return kwargs


async def send_direct(client: discord.Client, user_id: str, reply: Reply) -> bool:
    """Send `reply` to one person by direct message; returns whether it went. Someone who
    doesn't accept DMs from server members (403, code 50007) simply misses it: one refusal
    must not stop the messages to everyone else, nor fail the command that caused them."""
    try:
        # create_dm reuses a DM channel this process already opened, so a second message to
        # the same person costs one request, not two.
        channel = await client.create_dm(discord.Object(int(user_id)))
        # No buttons in a DM but a follow-up's (DIRECT_ACTIONS): the others would act outside the
        # server, and the bot refuses that (adapters/discord/permissions.py). The text says what to do.
        kept = tuple(action for action in reply.actions if action.name in DIRECT_ACTIONS)
        for out in render(replace(reply, actions=kept)):
            await channel.send(**send_kwargs(out))
    except (discord.HTTPException, ValueError) as exc:
        log.info("no direct message to %s (%s)", user_id, type(exc).__name__)
        return False
    return True


class Delivery:
    def __init__(self, client: discord.Client, directory: ThreadDirectory, courier: Courier | None = None) -> None:
        self.client = client
        self.directory = directory
        self.courier = courier  # DMs through the outbox (direct.py); None: sent at once
        # Posts into one channel or thread go one after another: discord.py learns a route's
        # bucket from each answer's headers, so concurrent posts (deliveries run outside the work
        # slots) would meet the bucket's 429 before it knew the bucket was empty.
        self._turns: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def channel_turn(self, target: object) -> AsyncIterator[None]:
        key = int(getattr(target, "id", 0) or 0)
        lock, users = self._turns.get(key, (asyncio.Lock(), 0))
        self._turns[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._turns[key]
            if users <= 1:
                del self._turns[key]  # nobody waits: nothing to keep for a channel gone quiet
            else:
                self._turns[key] = (lock, users - 1)

    async def to_interaction(self, interaction: discord.Interaction[Any], place: Place, tenant: str,
                             replies: list[Reply]) -> None:
        """The interaction was deferred (ephemeral, thinking): it ends with one ephemeral follow-up
        at least, so the "thinking..." placeholder never hangs."""
        thread: discord.abc.Messageable | None = None
        notes: list[str] = []
        for reply in replies:
            if reply.top_level:
                thread = await self.post_intro(interaction, reply, notes)
            elif not reply.is_private:
                target = thread or await self.session_thread(interaction, place, tenant, reply)
                async with self.channel_turn(target):
                    for out in render(reply):
                        await target.send(**send_kwargs(out))
                thread = target
        # Private answers come last, so the interaction's last call is always a follow-up.
        me = str(interaction.user.id)
        private = [out for reply in replies if reply.private_to == me for out in render(reply)]
        for out in private:
            await interaction.followup.send(ephemeral=True, **send_kwargs(out))
        for note in notes:
            await interaction.followup.send(note, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        if not private and not notes:
            where = f" in <#{thread.id}>" if isinstance(thread, (discord.Thread, discord.PartialMessageable)) else ""
            await interaction.followup.send(f"Done{where}.", ephemeral=True,
                                            allowed_mentions=discord.AllowedMentions.none())

    async def to_others(self, me: str, replies: list[Reply], tenant: str = "") -> None:
        """Private replies meant for anyone but `me` (the person who acted), by direct message.
        They go after the acting person's own answer, so slow or refused DMs never delay it,
        and go whatever became of that answer: they tell of a change already stored. With a
        courier they go through the outbox (direct.py: paced, kept while they wait)."""
        others = [r for r in replies if r.private_to is not None and r.private_to != me]
        if self.courier is None:
            for reply in others:
                await send_direct(self.client, reply.private_to or "", reply)
            return
        now = self.courier.queue.now()
        await self.courier.deliver([letter for reply in others
                                    for letter in letters_for(tenant, reply.private_to or "", reply, now)])

    async def post_intro(self, interaction: discord.Interaction[Any], reply: Reply,
                         notes: list[str]) -> discord.abc.Messageable:
        channel = interaction.channel
        if isinstance(channel, discord.Thread) and channel.parent is not None:
            channel = channel.parent  # a thread can't hold another thread: start from its channel
        assert isinstance(channel, discord.abc.Messageable)
        first: discord.Message | None = None
        for out in render(reply):
            message = await channel.send(**send_kwargs(out))
            first = first or message
        assert first is not None
        title = reply.intro.title if reply.intro and reply.intro.title else "Session"
        try:
            thread = await first.create_thread(name=limits.clip(title, limits.THREAD_NAME),
                                               auto_archive_duration=THREAD_ARCHIVE_MINUTES)
        except discord.HTTPException as exc:
            # The session exists; without a thread it simply runs in the channel.
            log.warning("could not start a thread in channel %s: %s", channel.id, exc.text)
            notes.append(f"I couldn't start a thread here ({exc.text or exc.status}), so this session runs in the "
                         "channel itself. To get threads, give me Create Public Threads and Send Messages in "
                         "Threads in this channel.")
            return channel
        if reply.session_id is not None:
            await self.directory.attach_thread(reply.session_id, str(thread.id))
        return thread

    async def session_thread(self, interaction: discord.Interaction[Any], place: Place, tenant: str,
                             reply: Reply) -> discord.abc.Messageable:
        if isinstance(interaction.channel, discord.Thread):
            return interaction.channel
        thread_id = None
        if reply.session_id is not None:
            thread_id = await self.directory.thread_of(tenant, reply.session_id)
        if thread_id is None:
            channel = interaction.channel
            assert isinstance(channel, discord.abc.Messageable)
            return channel  # a session without a thread (its intro failed): stay visible anyway
        return self.client.get_partial_messageable(int(thread_id), guild_id=interaction.guild_id,
                                                   type=discord.ChannelType.public_thread)

    async def to_thread_message(self, message: discord.Message, replies: list[Reply]) -> None:
        """Replies to a `DO: ...` thread message: public ones in the thread, private ones to its
        author as a quiet reply (a plain message has no ephemeral answer), private ones to anyone
        else by direct message (a reply in the thread would show them to everyone)."""
        me = str(message.author.id)
        for reply in replies:
            if reply.private_to is not None and reply.private_to != me:
                continue
            async with self.channel_turn(message.channel):
                for out in render(reply):
                    if reply.is_private:
                        await message.reply(mention_author=False, **send_kwargs(out))
                    else:
                        await message.channel.send(**send_kwargs(out))
