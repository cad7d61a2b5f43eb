"""Where the bot can run a workshop on Discord, decided from the interaction alone, before the
service stores anything.

Not in a DM: `/pln` is registered guild-only, but a user-installed copy of the app, or one
registered by an older deployment, can still be invoked there, and buttons the bot once sent
by DM still arrive. A session belongs to a server channel, where the workshop can see it.

Not in a channel where the bot can't post: every interaction carries `app_permissions`, the
bot's permissions in that channel, so a command that could never be shown is refused before
it changes anything, instead of being stored and then refused by Discord (403, 50013).
"""

from __future__ import annotations

from typing import Any

import discord

from facilitator import commands as cmd

FROM_DIRECT_MESSAGES = (cmd.PledgeDone, cmd.PledgeDrop, cmd.PledgeLater)
NOT_IN_DMS = (
    "I run workshops in server channels, where the whole group can see them, not in direct messages. "
    "Use `/pln` or the buttons in the session's channel or thread. Nothing was changed."
)
CANT_POST = (
    "I can't work in this channel: Discord doesn't let me {missing} here. Nothing was changed. "
    "A server admin can give me {names} in this channel."
)
# The names Discord's settings show, for the person who has to tick them.
LABELS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
}


def needed(in_thread: bool, command: cmd.Command | None) -> list[str]:
    """What the bot must be allowed where the interaction happened: to see it, post embeds
    (every answer is one) in the session's thread, and, from the channel itself, post there
    (the intro, or a session that runs without a thread). An export also uploads a file."""
    names = ["view_channel", "embed_links", "send_messages_in_threads"]
    if not in_thread:
        names.append("send_messages")
    if isinstance(command, cmd.Export):
        names.append("attach_files")
    return names


def refusal(interaction: discord.Interaction[Any], command: cmd.Command | None = None) -> str | None:
    """Why the bot can't act on `interaction` where it happened, or None when it can."""
    if interaction.guild_id is None:
        # A pledge's follow-up buttons come by DM (delivery.send_direct) and act on one pledge,
        # for its owner or a facilitator, whom the core checks by their (global) user id.
        return None if isinstance(command, FROM_DIRECT_MESSAGES) else NOT_IN_DMS
    granted = interaction.app_permissions
    wanted = needed(isinstance(interaction.channel, discord.Thread), command)
    missing = [LABELS[name] for name in wanted if not getattr(granted, name)]
    if not missing:
        return None
    return CANT_POST.format(missing=" or ".join(missing), names=", ".join(LABELS[name] for name in wanted))
