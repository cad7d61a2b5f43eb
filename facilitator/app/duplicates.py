"""Near-duplicate submissions: warn the sender privately, hold the text until "send anyway"."""

from __future__ import annotations

from datetime import timedelta

from facilitator.commands.actions import ActionName
from facilitator.domain.actors import Actor
from facilitator.domain.similarity import closest
from facilitator.domain.templates import Template
from facilitator.replies import Action, Reply, ReplyKind
from facilitator.replies import messages as msg
from facilitator.store.models import SessionRow
from facilitator.store.store import Store

HOLD_FOR = timedelta(hours=2)  # a held submission older than this is dropped


async def hold_if_duplicate(
    store: Store, session: SessionRow, template: Template, actor: Actor, kind: str, text: str
) -> list[Reply] | None:
    """Called by submit before an item is saved; None lets the submission through."""
    match = closest(text, kind, await store.items_of(session.id))
    if match is None:
        return None
    held = await store.hold(session.id, actor.user_id, kind, text, store.now - HOLD_FOR)
    label = template.label_of(match.kind)
    # The text names what can be typed; the "Send anyway" button travels as an action, for the
    # adapters that draw buttons.
    anyway = f"send yours anyway with `/pln {kind}! TEXT`" if kind in ("do", "dont") else "reword yours and send it again"
    message = (
        f"That looks like #{match.number} ({label}: {match.text}). Nothing was posted yet: vote for #{match.number} "
        f"when voting opens, or {anyway}."
    )
    send = Action(ActionName.SEND_ANYWAY, "Send anyway", session.id, str(held))
    return [
        Reply(
            ReplyKind.NOTICE,
            message,
            private_to=actor.user_id,
            session_id=session.id,
            actions=(msg.vote_action(session.id, match.number), send),
        )
    ]
