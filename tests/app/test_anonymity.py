"""An anonymous session names no author anywhere: not in a posted message, a private reply to
someone else, a tally, the summary, the audit trail or any export. The database still knows."""

from __future__ import annotations

import dataclasses
import json

from facilitator import commands as cmd
from facilitator.reports.export import session_document
from facilitator.reports.export import FORMATS
from facilitator.replies import Reply

from tests.app.room import Room

AUTHORS = ("Annabel", "Bartholomew", "Cordelia")


def _everything_but_the_address(reply: Reply) -> str:
    """Every field a person could see, as text; `private_to` only says who receives it."""
    visible = dataclasses.asdict(dataclasses.replace(reply, private_to=None))
    if reply.attachment is not None:
        visible["attachment"] = reply.attachment.content.decode()
    return json.dumps(visible, default=str, ensure_ascii=False)


def _leaks(replies: list[Reply]) -> list[tuple[str, str]]:
    found = []
    for reply in replies:
        seen = _everything_but_the_address(reply)
        for author in AUTHORS:
            # A private reply to the author may say "you"; it must not carry their name either.
            if author in seen:
                found.append((author, reply.text[:80]))
    return found


async def test_no_author_name_in_any_reply_or_export(room: Room) -> None:
    replies: list[Reply] = []

    async def say(name: str, text: str) -> None:
        replies.extend(await room.say(name, text))

    session_id = await room.start("Fay")
    await say("Fay", "/pln settings anonymous=on blind=off predict=on")
    await say("Annabel", "/pln join veteran")
    await say("Bartholomew", "/pln join newcomer")
    await say("Cordelia", "/pln join practitioner")
    await say("Annabel", "/pln do Give before you ask")
    await say("Bartholomew", "/pln do Keep a learning journal")
    await say("Cordelia", "/pln dont Only broadcast your own work")
    await say("Cordelia", "/pln do give before you ask!")  # held as a near-duplicate
    pending = int(replies[-1].actions[-1].argument)
    replies.extend(await room.do("Cordelia", cmd.SendPending(pending), session_id))
    await say("Annabel", "/pln why 1 it is how every network I trust started")
    await say("Cordelia", "/pln pair 3 2")
    await say("Fay", "/pln nudge")
    await say("Fay", "/pln timer 10m")
    for _, fired in await room.service.fire_due(room.clock.advance(minutes=10)):
        replies.extend(fired)
    await say("Annabel", "/pln vote 2 3")
    await say("Bartholomew", "/pln vote 1 4")
    await say("Fay", "/pln merge 1 4")
    await say("Fay", "/pln hide 3")
    await say("Fay", "/pln nudge")
    await say("Fay", "/pln results")
    await say("Bartholomew", "/pln status")
    for name in AUTHORS:
        await say(name, "/pln predict 2")
    await say("Fay", "/pln next")
    # Deliberation: the agenda, an item up for discussion, notes, a second round.
    await say("Fay", "/pln agenda unshared")
    await say("Fay", "/pln next item 5m")
    await say("Fay", "/pln note start small")
    for _, fired in await room.service.fire_due(room.clock.advance(minutes=5)):
        replies.extend(fired)
    await say("Fay", "/pln revote")
    await say("Bartholomew", "/pln vote 2")
    await say("Fay", "/pln results")
    await say("Fay", "/pln next")
    await say("Fay", "/pln end")
    for fmt in FORMATS:
        replies.extend(await room.say("Fay", f"/pln export {fmt}"))

    assert len(replies) > 30
    assert _leaks(replies) == []
    snapshot = await room.service.snapshot_of(session_id)
    document = json.dumps(session_document(snapshot), ensure_ascii=False)
    assert not any(author in document for author in AUTHORS)
    assert '"actor": null' in document  # the trail says what happened, not who did it
    # The database still knows who wrote what, for budgets and "my items".
    authors = {item.number: snapshot.participant(item.author_id).name for item in snapshot.items}
    assert authors == {1: "Annabel", 2: "Bartholomew", 3: "Cordelia", 4: "Cordelia"}


async def test_the_same_session_without_anonymity_does_name_authors(room: Room) -> None:
    """The scan above would catch a name: here the names do appear."""
    await room.start("Fay")
    replies = await room.say("Annabel", "/pln do Give before you ask")
    assert _leaks(replies) != []
