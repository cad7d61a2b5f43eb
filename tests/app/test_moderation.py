"""Hide, restore and merge: facilitator only, votes handled, every action in the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

import facilitator.reports.export as export_package
from facilitator.reports.export import session_document
from facilitator.replies import ReplyKind
from facilitator.store.models import ParticipantRow

from tests.app.room import Room, only, texts

IDEAS = ("Give before you ask", "Join a community of practice", "Follow a few people closely",
         "Keep a learning journal", "Share your failures too", "Thank the people who help you",
         "Answer one question a week")


async def _with_items(room: Room, n: int = 7) -> int:
    session_id = await room.start("Fay")
    for text in IDEAS[:n]:
        await room.say("Ann", f"/pln do! {text}")
    return session_id


async def _votes_used(room: Room, name: str) -> int:
    async with room.app.db.read(room.clock()) as repo:
        person = await repo.participant(1, name)
        assert isinstance(person, ParticipantRow)
        return person.votes_used


async def test_hide_takes_an_item_out_and_refunds_its_votes(room: Room) -> None:
    await _with_items(room)
    await room.say("Fay", "/pln settings blind=off")  # open tallies: the reply may count the votes
    await room.say("Fay", "/pln next")
    await room.say("Bob", "/pln vote 5 1")
    replies = await room.say("Fay", "/pln hide 5")
    reply = only([r for r in replies if r.private_to == "Fay"])
    assert "1 vote went back" in reply.text
    # Bob, whose vote came back, is told so privately; nobody else hears of it.
    assert [(r.private_to, r.text) for r in replies if r is not reply] == [
        ("Bob", "#5 was taken out of the lists, so your vote on it came back to you: 2 left.")]
    assert await _votes_used(room, "Bob") == 1
    refused = only(await room.say("Cy", "/pln vote 5"))
    assert refused.kind is ReplyKind.ERROR
    snapshot = await room.service.snapshot_of(1)
    assert 5 not in [i.number for i in snapshot.visible_items()]
    assert list(snapshot.vote_counts.votes) == [1]


async def test_hide_during_blind_voting_does_not_count_the_votes(room: Room) -> None:
    # The number of votes that came back is the item's tally: blind voting hides it from the
    # facilitator too until voting closes, so an item with votes and one without read the same.
    await _with_items(room)
    await room.say("Fay", "/pln next")
    await room.say("Bob", "/pln vote 5 1")
    await room.say("Cy", "/pln vote 5")
    hidden = await room.say("Fay", "/pln hide 5")
    with_votes = only([r for r in hidden if r.private_to == "Fay"])
    hidden_too = await room.say("Fay", "/pln hide 6")
    without = only([r for r in hidden_too if r.private_to == "Fay"])
    assert "Any votes on it went back to the voters." in with_votes.text
    # One notice in the thread tells everyone alike, voters or not: who is told says nothing.
    assert [r.private_to for r in hidden if r is not with_votes] == [None]
    assert [r.text.replace("5", "N") for r in hidden] == [r.text.replace("6", "N") for r in hidden_too]
    assert "2" not in with_votes.text
    assert await _votes_used(room, "Bob") == 1  # the votes did come back
    snapshot = await room.service.snapshot_of(1)
    hidden = [record.details for record in snapshot.audit if record.action == "hide"]
    assert [d["votes_refunded"] for d in hidden] == [2, 0]  # the audit trail keeps the numbers
    await room.say("Fay", "/pln next")  # once voting is over, hiding counts again
    after = await room.say("Fay", "/pln hide 1")
    assert "1 vote went back" in only([r for r in after if r.private_to == "Fay"]).text


async def test_restore_brings_a_hidden_item_back(room: Room) -> None:
    await _with_items(room, 3)
    await room.say("Fay", "/pln hide 2")
    assert "back in the lists" in only(await room.say("Fay", "/pln restore 2")).text
    snapshot = await room.service.snapshot_of(1)
    assert [i.number for i in snapshot.visible_items()] == [1, 2, 3]


async def test_moderation_is_facilitator_only(room: Room) -> None:
    await _with_items(room, 3)
    for text in ("/pln hide 1", "/pln restore 1", "/pln merge 1 2"):
        reply = only(await room.say("Ann", text))
        assert reply.kind is ReplyKind.ERROR and reply.private_to == "Ann", text
    assert len((await room.service.snapshot_of(1)).visible_items()) == 3


async def test_every_moderation_action_is_audited_and_exported(room: Room) -> None:
    await _with_items(room, 4)
    room.clock.advance(minutes=1)
    await room.say("Fay", "/pln hide 2")
    room.clock.advance(minutes=1)
    await room.say("Fay", "/pln restore 2")
    room.clock.advance(minutes=1)
    await room.say("Fay", "/pln merge 1 3")
    snapshot = await room.service.snapshot_of(1)
    assert [(a.action, a.actor) for a in snapshot.audit] == [("hide", "Fay"), ("restore", "Fay"), ("merge", "Fay")]
    assert snapshot.audit[0].details == {"number": 2, "votes_refunded": 0}
    assert snapshot.audit[2].details["keep"] == 1 and snapshot.audit[2].details["fold"] == 3
    assert [a.at.minute for a in snapshot.audit] == [1, 2, 3]
    document = session_document(snapshot)
    assert [entry["action"] for entry in document["audit"]] == ["hide", "restore", "merge"]
    assert document["audit"][0]["actor"] == "Fay"
    assert document["merged"] == [{"number": 3, "into": 1, "text": IDEAS[2]}]


async def test_unknown_or_repeated_moderation_is_explained(room: Room) -> None:
    await _with_items(room, 2)
    assert only(await room.say("Fay", "/pln hide 9")).kind is ReplyKind.ERROR
    await room.say("Fay", "/pln hide 1")
    assert "already hidden" in only(await room.say("Fay", "/pln hide 1")).text
    assert "isn't hidden" in only(await room.say("Fay", "/pln restore 2")).text
    assert only(await room.say("Fay", "/pln merge 2 2")).kind is ReplyKind.ERROR
    assert only(await room.say("Fay", "/pln merge 2 1")).kind is ReplyKind.ERROR  # 1 is hidden


async def test_a_merged_item_cannot_be_restored_on_its_own(room: Room) -> None:
    await _with_items(room, 2)
    await room.say("Fay", "/pln merge 1 2")
    reply = only(await room.say("Fay", "/pln restore 2"))
    assert reply.kind is ReplyKind.ERROR and "merged into #1" in reply.text


async def test_only_items_of_one_kind_merge(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    await room.say("Ann", "/pln dont Only ask and never give")
    assert only(await room.say("Fay", "/pln merge 1 2")).kind is ReplyKind.ERROR
    assert "hidden" not in texts(await room.say("Fay", "/pln status"))


async def test_the_json_export_carries_audit_pairs_merges_and_whys(room: Room) -> None:
    from facilitator.reports.export import session_document

    await _with_items(room, 3)
    await room.say("Ann", "/pln why 2 it builds trust")
    await room.say("Fay", "/pln hide 3")
    snapshot = await room.service.snapshot_of(1)
    document = session_document(snapshot)  # the export itself carries them
    assert document["schema"] == "facilitator.session/1"
    assert [(i["number"], i["why"]) for i in document["items"]] == [(1, None), (2, "it builds trust")]
    assert document["session"]["blind"] is True and document["session"]["deadline"] is None
    assert [entry["action"] for entry in document["audit"]] == ["hide"]
    assert document["merged"] == [] and document["pairs"] == []
    schema_file = Path(export_package.__file__).with_name("session.schema.json")
    if schema_file.exists():  # the export package's schema: the added fields must keep it valid
        jsonschema.validate(json.loads(json.dumps(document, default=str)), json.loads(schema_file.read_text()))
