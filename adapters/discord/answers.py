"""Answering the person behind an interaction when things don't go to plan.

Two rules from Discord's side. The first answer (a defer, a message or a modal) must arrive
within 3 s of the interaction, or Discord drops it (10062) and shows the person "The
application did not respond"; and the follow-ups that come after work for 15 minutes (then
10015). Both "the interaction is gone" answers mean nothing more can reach the person.

And one of ours: an answer after a failure says what happened. "Nothing was changed" only
when nothing was; once the service has stored a change, the person hears that it is saved,
so nobody sends the same thing twice; and when the interaction is gone, nothing is sent and
the log says so once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.discord import limits

log = logging.getLogger(__name__)

FIRST_ANSWER_WINDOW = 3.0  # seconds from the interaction's creation, by its snowflake
# However old an interaction looks, its first answer gets this long: enough for one round trip
# to Discord even when this host's clock runs ahead of Discord's, so a skewed clock never makes
# the bot give up on every interaction. Only a rate-limit wait is ever cut short by it.
LEAST_FOR_A_FIRST_ANSWER = 0.5
GONE = (10062, 10015)  # Unknown interaction, Unknown Webhook

NOTHING_CHANGED = "Something went wrong on our side, and nothing was changed. Please try again."
# A use case may commit and then fail (reading what to answer, say): after an error from the
# service the bot can't know, so it doesn't claim either way.
OUTCOME_UNKNOWN = (
    "Something went wrong on our side while doing that, and I can't tell whether it was saved. "
    "`/pln status` shows where the session stands: check it before trying again."
)
PERMISSIONS_HINT = (
    "A server admin can give me View Channel, Send Messages, Embed Links, Create Public Threads, Send Messages in "
    "Threads, Attach Files and Read Message History in this channel."
)


def age(interaction: discord.Interaction[Any]) -> float:
    """Seconds since Discord created the interaction (its id is a timestamp), never below 0."""
    return max((discord.utils.utcnow() - interaction.created_at).total_seconds(), 0.0)


def is_gone(exc: BaseException) -> bool:
    """Whether Discord said the interaction (or its follow-up token) no longer exists."""
    return isinstance(exc, discord.NotFound) and exc.code in GONE


async def first_answer(interaction: discord.Interaction[Any], send: Callable[[], Awaitable[object]]) -> bool:
    """Runs `send` (which makes the interaction's first answer) within what is left of
    Discord's 3 s window; whether Discord took it. discord.py waits out a 429 however long
    its retry_after, so a wait that would carry the answer past the window is cut short
    here: Discord would only refuse it (10062). When this returns False nothing can reach the
    person any more and nothing should be done on their behalf; the log says why, once."""
    budget = max(FIRST_ANSWER_WINDOW - age(interaction), LEAST_FOR_A_FIRST_ANSWER)
    try:
        await asyncio.wait_for(send(), budget)
    except TimeoutError:
        log.warning("interaction %s: no first answer within Discord's 3 s window (rate limited or slow); "
                    "nothing was done", interaction.id)
        return False
    except discord.HTTPException as exc:
        log.warning("interaction %s: Discord refused its first answer (%s, code %s: %s); nothing was done",
                    interaction.id, exc.status, exc.code, exc.text)
        return False
    return True


def shown(text: str) -> str:
    """A short private answer as one message: escaped, then cut to Discord's 2,000."""
    return limits.clip(limits.escape(text), limits.CONTENT)


async def tell(interaction: discord.Interaction[Any], text: str) -> None:
    """A private follow-up after the first answer. If it can't go, the log says so once;
    nothing else is tried, so one failure never turns into a cascade of them."""
    try:
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as exc:
        log.warning("interaction %s: could not tell the person %r (%s, code %s)", interaction.id, text[:60],
                    exc.status, exc.code)


def after_storing(exc: Exception, starting: bool) -> str:
    """What to tell someone whose command the service carried out (anything it changed is
    stored) when posting its replies failed with `exc`."""
    if isinstance(exc, discord.Forbidden):
        start = (" Your session is saved without its intro: `/pln end` it, then start it again."
                 if starting else "")
        return (f"Your command went through (anything it changed is saved), but Discord refused to let me post "
                f"about it here ({limits.escape(exc.text or '403')}). {PERMISSIONS_HINT}{start}")
    reason = f"{exc.status}: {exc.text}" if isinstance(exc, discord.HTTPException) else "an error on our side"
    return (f"Your command went through (anything it changed is saved), but I couldn't post all of my answer "
            f"({limits.escape(reason)}). Please don't repeat it: `/pln status` shows where the session stands.")


async def delivery_failed(interaction: discord.Interaction[Any], exc: Exception, starting: bool) -> None:
    """Posting the replies of a command the service carried out failed with `exc`."""
    if is_gone(exc):
        log.warning("interaction %s expired before its answer was sent (code %s); its command was carried out "
                    "and is saved, and the person was not told", interaction.id, getattr(exc, "code", None))
        return
    if isinstance(exc, discord.HTTPException):
        log.warning("interaction %s: Discord refused part of the answer (%s, code %s: %s); the command is saved",
                    interaction.id, exc.status, exc.code, exc.text)
    else:
        log.exception("interaction %s: posting the answer failed; the command is saved", interaction.id)
    await tell(interaction, limits.clip(after_storing(exc, starting), limits.CONTENT))
