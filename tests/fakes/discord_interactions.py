"""The life of an interaction as Discord enforces it, on a clock a test can move.

Discord accepts one first response (the callback) within 3 s of the interaction; later it is an
"Unknown interaction" (404, 10062), and a second one is "already acknowledged" (400, 40060).
The token then works as a webhook for 15 minutes: follow-ups and edits of the original response
after that, or before any first response, are an "Unknown Webhook" (404, 10015).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.discord_errors import (
    ALREADY_ACKNOWLEDGED,
    UNKNOWN_INTERACTION,
    UNKNOWN_WEBHOOK,
    invalid_form_body,
    not_one_of,
    plain,
)

RESPONSE_WINDOW = 3.0
TOKEN_LIFETIME = 15 * 60.0
SLASH, COMPONENT, MODAL_SUBMIT = 2, 3, 5
MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, MODAL = 4, 5, 6, 7, 9
# The first responses each kind of interaction accepts (Discord's "interaction callback type"
# table: updates only for components and modal submissions; no modal in answer to a modal).
ALLOWED_RESPONSES = {
    SLASH: (MESSAGE, DEFERRED, MODAL),
    COMPONENT: (MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, MODAL),
    MODAL_SUBMIT: (MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE),
}

Refusal = tuple[int, dict[str, Any]]


class FakeClock:
    """Real monotonic time plus an offset: tests move it on instead of sleeping. Frozen, only
    `advance` moves it, for exact boundaries."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.frozen_at: float | None = None

    def now(self) -> float:
        return (time.monotonic() if self.frozen_at is None else self.frozen_at) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def freeze(self) -> None:
        self.frozen_at = time.monotonic()


@dataclass
class InteractionState:
    interaction_id: int
    token: str
    kind: int
    channel_id: int
    message_id: int | None  # the message a clicked component sits on
    created: float
    responses: list[int] = field(default_factory=list)  # callback types Discord accepted (at most one)
    original: int | None = None  # the message of the first response, once there is one


class InteractionLedger:
    """Every interaction the fake sent, by id and by token, with what was answered."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.by_id: dict[int, InteractionState] = {}
        self.by_token: dict[str, InteractionState] = {}

    def open(self, interaction_id: int, token: str, kind: int, channel_id: int, message_id: int | None = None,
             age: float = 0.0) -> InteractionState:
        """`age`: seconds the interaction already waited before the bot saw it (a slow gateway)."""
        state = InteractionState(interaction_id, token, kind, channel_id, message_id, self.clock.now() - age)
        self.by_id[interaction_id] = state
        self.by_token[token] = state
        return state

    def age(self, interaction_id: int, seconds: float) -> None:
        """Make one interaction `seconds` older, as if that much time had passed for it alone."""
        self.by_id[interaction_id].created -= seconds

    def elapsed(self, state: InteractionState) -> float:
        # To the microsecond: on a frozen clock moved by exactly 900 s, (t + 900) - t may come
        # out a hair over 900 in floating point, and an exact boundary must stay exact.
        return round(self.clock.now() - state.created, 6)

    def check_callback(self, interaction_id: str, token: str, response_type: Any) -> Refusal | None:
        state = self.by_id.get(int(interaction_id))
        if state is None or state.token != token or self.elapsed(state) > RESPONSE_WINDOW:
            return 404, plain(UNKNOWN_INTERACTION)
        if state.responses:
            return 400, plain(ALREADY_ACKNOWLEDGED)
        allowed = ALLOWED_RESPONSES.get(state.kind, ())
        if response_type not in allowed:
            return 400, invalid_form_body([not_one_of(("type",), set(allowed))])
        return None

    def acknowledge(self, interaction_id: str, response_type: int) -> None:
        self.by_id[int(interaction_id)].responses.append(response_type)

    def check_webhook(self, token: str) -> Refusal | None:
        """Follow-ups and the original response's edits: only after a first response, for 15 minutes."""
        state = self.by_token.get(token)
        if state is None or not state.responses or self.elapsed(state) > TOKEN_LIFETIME:
            return 404, plain(UNKNOWN_WEBHOOK)
        return None
