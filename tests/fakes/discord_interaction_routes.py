"""REST answers for interactions: the first response (callback) and the interaction token's
webhook (follow-ups, and reading, editing or deleting the original response).

The lifecycle rules (3 s, one acknowledgement, 15 minutes) are the ledger's
(tests/fakes/discord_interactions.py); the body rules are the same as for any message, with
paths under `data` for a callback, and a modal's own rules for a MODAL response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.discord_errors import UNKNOWN_MESSAGE, UNKNOWN_WEBHOOK, invalid_form_body, plain
from tests.fakes.discord_interactions import DEFERRED, DEFERRED_UPDATE, MESSAGE, MODAL, UPDATE, InteractionState
from tests.fakes.discord_message_rules import modal_errors
from tests.fakes.discord_messages import Answer, Incoming, message_refusal, store_bot_message

if TYPE_CHECKING:
    from tests.fakes.discord_server import FakeDiscord

EPHEMERAL = 1 << 6
_HOOK = r"^/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
_MESSAGE = _HOOK + r"/messages/(?P<message>@original|\d+)$"


def _callback(fake: FakeDiscord, incoming: Incoming, id: str, token: str) -> Answer:
    body = incoming.body if isinstance(incoming.body, dict) else {}
    kind: Any = body.get("type")
    for watch in fake.on_callback:
        watch(int(id), kind)
    refusal = fake.ledger.check_callback(id, token, kind)
    if refusal is not None:
        return refusal
    data = body.get("data") or {}
    if kind in (MESSAGE, UPDATE):
        refusal = message_refusal(data, incoming.files, creating=kind == MESSAGE, at=("data",))
    elif kind == MODAL:
        errors = modal_errors(data)
        refusal = (400, invalid_form_body(errors)) if errors else None
    state = fake.ledger.by_id[int(id)]
    if refusal is None and kind in (UPDATE, DEFERRED_UPDATE) and state.message_id not in fake.messages:
        refusal = 404, plain(UNKNOWN_MESSAGE)  # e.g. an update answering a modal opened by a command
    if refusal is not None:
        return refusal
    fake.ledger.acknowledge(id, kind)  # one of the types the ledger allows
    interaction: dict[str, Any] = {"id": id, "type": state.kind, "response_message_loading": kind == DEFERRED,
                                   "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL)}
    resource: dict[str, Any] = {"type": kind}
    if kind == MESSAGE:
        message = store_bot_message(fake, state.channel_id, data, incoming.files)
        state.original = int(message["id"])
        resource["message"] = message
    elif kind in (UPDATE, DEFERRED_UPDATE):
        assert state.message_id is not None
        state.original = state.message_id
        if kind == UPDATE:
            previous = fake.messages[state.message_id]
            resource["message"] = store_bot_message(fake, state.channel_id, {**previous, **data}, incoming.files,
                                                    state.message_id)
    if state.original is not None:
        interaction["response_message_id"] = str(state.original)
    if incoming.query.get("with_response") in ("1", "true", "True"):
        return 200, {"interaction": interaction, "resource": resource}
    return 204, None


def _hook_state(fake: FakeDiscord, app: str, token: str) -> tuple[InteractionState | None, Answer | None]:
    if int(app) != fake.application_id:
        return None, (404, plain(UNKNOWN_WEBHOOK))
    refusal = fake.ledger.check_webhook(token)
    if refusal is not None:
        return None, refusal
    return fake.ledger.by_token[token], None


def _target(fake: FakeDiscord, state: InteractionState, message: str, filling: bool) -> int | None:
    """The message `@original` or an id names; with `filling`, a deferred response's
    placeholder becomes the original message on its first edit."""
    if message != "@original":
        return int(message) if int(message) in fake.messages else None
    if state.original is None and filling and state.responses[0] == DEFERRED:
        state.original = int(store_bot_message(fake, state.channel_id, {"content": ""}, [])["id"])
    return state.original


def _followup(fake: FakeDiscord, incoming: Incoming, app: str, token: str) -> Answer:
    state, refusal = _hook_state(fake, app, token)
    refusal = refusal or message_refusal(incoming.body, incoming.files, creating=True)
    if refusal is not None:
        return refusal
    assert state is not None
    message = store_bot_message(fake, state.channel_id, incoming.body, incoming.files)
    if state.original is None and state.responses[0] == DEFERRED:
        state.original = int(message["id"])  # the first follow-up replaces the "thinking..." placeholder
    return 200, message


def _edit_hook(fake: FakeDiscord, incoming: Incoming, app: str, token: str, message: str) -> Answer:
    state, refusal = _hook_state(fake, app, token)
    refusal = refusal or message_refusal(incoming.body, incoming.files, creating=False)
    if refusal is not None:
        return refusal
    assert state is not None
    target = _target(fake, state, message, filling=True)
    if target is None:
        return 404, plain(UNKNOWN_MESSAGE)
    previous = fake.messages[target]
    return 200, store_bot_message(fake, state.channel_id, {**previous, **incoming.body}, incoming.files, target)


def _get_hook(fake: FakeDiscord, incoming: Incoming, app: str, token: str, message: str) -> Answer:
    state, refusal = _hook_state(fake, app, token)
    if refusal is not None:
        return refusal
    assert state is not None
    target = _target(fake, state, message, filling=False)
    if target is None:
        return 404, plain(UNKNOWN_MESSAGE)
    return 200, fake.messages[target]


def _delete_hook(fake: FakeDiscord, incoming: Incoming, app: str, token: str, message: str) -> Answer:
    state, refusal = _hook_state(fake, app, token)
    if refusal is not None:
        return refusal
    assert state is not None
    target = _target(fake, state, message, filling=False)
    if target is None:
        return 404, plain(UNKNOWN_MESSAGE)
    fake.messages.pop(target, None)
    return 204, None


ROUTES: list[tuple[str, str, Any]] = [
    ("POST", r"^/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback$", _callback),
    ("POST", _HOOK + "$", _followup),
    ("PATCH", _MESSAGE, _edit_hook),
    ("GET", _MESSAGE, _get_hook),
    ("DELETE", _MESSAGE, _delete_hook),
]
