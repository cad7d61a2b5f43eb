"""No listener error reaches Bolt once the request is acknowledged.

Bolt's default error path, for an exception raised after `ack()`, logs a traceback and answers
as if nothing handled the request (404 "unhandled request"): Slack then shows the person an
error, or retries an event, and the person learns nothing useful. A refusal from Slack
(SlackApiError: an expired trigger_id, a channel we left) is expected weather and costs one
log line; the listeners tell the person themselves where they can. Anything else is a bug: its
traceback is logged once, here, and still goes no further.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
Listener = Callable[..., Awaitable[None]]


async def guarded(work: Awaitable[object], name: str) -> None:
    """What a listener leaves running after its answer (deliveries), under the same rule."""
    try:
        await work
    except SlackApiError as exc:
        log.warning("%s: Slack refused a call: %s", name, exc.response.get("error"))
    except Exception:
        log.exception("%s failed after its request was acknowledged", name)


def after_ack(listener: Listener) -> Listener:
    # functools.wraps keeps the signature visible (inspect.unwrap): Bolt passes arguments by name.
    @functools.wraps(listener)
    async def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            await listener(*args, **kwargs)
        except SlackApiError as exc:
            log.warning("%s: Slack refused a call: %s", listener.__name__, exc.response.get("error"))
        except Exception:
            log.exception("%s failed after its request was acknowledged", listener.__name__)

    return guarded
