"""An acknowledged action is a stored action: the work of a request runs before its ack.

Slack and Discord give 3 s for the answer. The database work of a click or a command takes
milliseconds, so it runs first and the ack follows the commit: a bot killed right after the
person's client got its 200 has already stored what they did. Only when the work runs past
COMMIT_BOUND_SECONDS (a burst queued behind the work slots, a slow database) does the ack go
first, in time for the platform, and the work finishes after it; the reply then tells the
person it is done, as it would anyway. Replies are delivered after the ack, never before.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger(__name__)
COMMIT_BOUND_SECONDS = 2.0  # Slack's and Discord's 3 s, less a margin for the answer's own trip
T = TypeVar("T")


async def commit_then_ack(work: Awaitable[T], ack: Callable[[], Awaitable[object]],
                          bound: float = COMMIT_BOUND_SECONDS) -> asyncio.Task[T]:
    """Await `work` for up to `bound` seconds, then `ack` (always, even if the work failed).
    Returns the work's task: done, or still running past the bound."""
    task = asyncio.ensure_future(work)
    try:
        done, _ = await asyncio.wait({task}, timeout=bound)
        if not done:
            log.info("acknowledged before the commit: the work took more than %.1f s", bound)
    finally:
        await ack()
    return task
