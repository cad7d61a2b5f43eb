"""Near-duplicate submissions: warn the sender privately, hold the text until "send anyway".

The score is the mean of three rapidfuzz scorers: token_set_ratio (one text contains the
other's words), ratio (the same characters in the same order) and WRatio (rapidfuzz's own
blend). token_set_ratio alone rates "Share" and "Share your failures too" 100; ratio alone
misses "Don't only broadcast" / "Dont only broadcast your own stuff". On the pairs in
tests/depth/test_duplicates.py, 80 separates every duplicate from every non-duplicate except
sentences made of the same words in another order ("Thank people who help you" / "Help people
who thank you"), which no character-level measure can tell apart. A false warning costs the
sender one click, so the threshold leans towards warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, utils

from facilitator import commands as cmd
from facilitator import messages as msg
from facilitator.actors import Actor, Place
from facilitator.depth_commands import SendPending
from facilitator.domain import DomainError
from facilitator.replies import Action, Reply, ReplyKind
from facilitator.store.depth_repository import DepthStore
from facilitator.store.models import ItemRow, SessionRow
from facilitator.store.repository import Repository
from facilitator.templates import Template

if TYPE_CHECKING:
    from facilitator.service import FacilitationService

DUPLICATE_THRESHOLD = 80.0
HOLD_FOR = timedelta(hours=2)  # a held submission older than this is dropped


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def similarity(a: str, b: str) -> float:
    """0..100. Texts whose numbers differ ("Item 1", "Item 2"; "Meet 2 people" / "Meet 5 people")
    are different items however alike their words are."""
    if _numbers(a) != _numbers(b):
        return 0.0
    process = utils.default_process
    scores = (
        fuzz.token_set_ratio(a, b, processor=process),
        fuzz.ratio(a, b, processor=process),
        fuzz.WRatio(a, b, processor=process),
    )
    return sum(scores) / len(scores)


def closest(text: str, kind: str, items: Sequence[ItemRow]) -> ItemRow | None:
    """The most similar visible item of the same kind, if it is similar enough."""
    best: tuple[float, ItemRow] | None = None
    for item in items:
        if item.hidden or item.kind != kind:
            continue
        score = similarity(text, item.text)
        if score >= DUPLICATE_THRESHOLD and (best is None or score > best[0]):
            best = (score, item)
    return None if best is None else best[1]


async def hold_if_duplicate(
    repo: Repository, session: SessionRow, template: Template, actor: Actor, kind: str, text: str
) -> list[Reply] | None:
    """Called by Participation.submit before an item is saved; None lets the submission through."""
    match = closest(text, kind, await repo.items_of(session.id))
    if match is None:
        return None
    held = await DepthStore(repo).hold(session.id, actor.user_id, kind, text, repo.now - HOLD_FOR)
    label = msg.item_label(template, match.kind)
    typed = f" or `/pln {kind}! TEXT`" if kind in ("do", "dont") else ""
    message = (
        f"That looks like #{match.number} ({label}: {match.text}). Vote for it when voting opens instead, "
        f"or send yours anyway with the button{typed}. Nothing was posted yet."
    )
    send = Action("send_anyway", "Send anyway", (("session", str(session.id)), ("pending", str(held))))
    return [
        Reply(
            ReplyKind.NOTICE,
            message,
            private_to=actor.user_id,
            session_id=session.id,
            actions=(msg.vote_action(session.id, match.number), send),
            extra=(("duplicate_of", str(match.number)), ("pending", str(held))),
        )
    ]


class Duplicates:
    def __init__(self, service: FacilitationService) -> None:
        self.service = service

    async def send_held(self, actor: Actor, place: Place, command: SendPending) -> list[Reply]:
        # Removing the held row first makes a double click send the item once.
        async with self.service.db.write(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place)
            held = await DepthStore(repo).take_held(command.pending_id, session.id, actor.user_id)
        if held is None:
            raise DomainError("That item was already sent (or it was dropped). Send it again if you still want to.", "gone")
        where = Place(place.platform, place.channel, place.thread, session.id)
        return await self.service.handle(actor, where, cmd.Submit(held.kind, held.text, force=True))
