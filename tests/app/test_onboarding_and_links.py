"""Per-level onboarding on join, the veteran's "why", and DON'T -> DO pairs."""

from __future__ import annotations

from facilitator.reports.export import session_document
from facilitator.replies import ReplyKind
from facilitator.reports.snapshot import PairRecord

from tests.app.room import Room, only


async def test_newcomers_get_examples_and_a_two_line_how_to(room: Room) -> None:
    await room.start("Fay")
    text = only(await room.say("Ann", "/pln join newcomer")).text
    assert "Give before you ask: share a useful link or answer a question first." in text
    assert "DON'T: Don't expect a tool to make the connections for you." in text
    how_to = text[text.index("How to take part"):].splitlines()
    assert len(how_to) == 2 and "`/pln do TEXT`" in how_to[0] and "/pln vote N" in how_to[1]


async def test_a_newcomer_is_welcomed_once(room: Room) -> None:
    await room.start("Fay")
    text = only(await room.say("Ann", "/pln join newcomer")).text
    assert text.startswith("You joined as newcomer. Welcome! Not sure what to write?")
    assert text.lower().count("welcome") == 1


async def test_veterans_are_invited_to_add_a_why_once(room: Room) -> None:
    await room.start("Fay")
    text = only(await room.say("Vic", "/pln join veteran")).text
    assert "/pln why N TEXT" in text and "Examples" not in text
    # The template's own line asks for the reason; the bot adds only the command, not a second request.
    assert text == (
        "You joined as veteran. Your experience helps most when people can see the reason behind it: add a short "
        "line on why to the DOs and DON'Ts you send. `/pln why N TEXT` adds a one-line reason to your item #N."
    )
    practitioner = only(await room.say("Pat", "/pln join practitioner")).text
    assert "why" not in practitioner and "Examples" not in practitioner


async def test_a_template_without_a_veteran_line_still_says_why_a_reason_matters() -> None:
    from facilitator.domain.templates import TemplateLibrary
    from facilitator.replies.onboarding import onboarding_text
    import dataclasses

    pln = TemplateLibrary().get("pln")
    silent = dataclasses.replace(pln, levels=tuple(dataclasses.replace(lv, onboarding="") for lv in pln.levels))
    text = onboarding_text(silent, "veteran")
    assert text.startswith("When you send an item, add a one-line reason so newer people see why it matters:")
    assert text.count("/pln why N TEXT") == 1


async def test_why_is_stored_on_the_authors_item_only(room: Room) -> None:
    await room.start("Fay")
    await room.say("Vic", "/pln do Give before you ask")
    assert only(await room.say("Bob", "/pln why 1 I think so")).kind is ReplyKind.ERROR
    reply = only(await room.say("Vic", "/pln why 1 Every network I trust started with a gift"))
    assert reply.private_to == "Vic" and reply.kind is ReplyKind.NOTICE
    snapshot = await room.service.snapshot_of(1)
    assert snapshot.items[0].why == "Every network I trust started with a gift"
    assert session_document(snapshot)["items"][0]["why"] == "Every network I trust started with a gift"
    assert only(await room.say("Vic", "/pln why 1 " + "x" * 201)).kind is ReplyKind.ERROR


async def test_pairs_link_a_dont_to_its_do_in_either_order(room: Room) -> None:
    await room.start("Fay")
    await room.say("Ann", "/pln do Give before you ask")
    await room.say("Bob", "/pln dont Only ask and never give")
    await room.say("Cy", "/pln do Keep a learning journal")
    reply = only(await room.say("Fay", "/pln pair 2 1"))
    assert reply.private_to is None and "DON'T #2" in reply.text and "DO #1" in reply.text
    assert "already paired" in only(await room.say("Bob", "/pln pair 1 2")).text  # the author, other order
    assert only(await room.say("Ann", "/pln pair 1 3")).kind is ReplyKind.ERROR  # two DOs
    assert only(await room.say("Dee", "/pln pair 2 3")).kind is ReplyKind.ERROR  # not hers, not a facilitator
    snapshot = await room.service.snapshot_of(1)
    assert snapshot.pairs == (PairRecord(2, 1),)
    assert session_document(snapshot)["pairs"] == [{"dont": 2, "do": 1}]


async def test_summary_sections_show_whys_and_pairs_together(room: Room) -> None:
    from facilitator.reports.summary import summarize
    from facilitator.reports.summary.sections import annotation_sections

    await room.start("Fay")
    await room.say("Vic", "/pln do Give before you ask")
    await room.say("Bob", "/pln dont Only ask and never give")
    await room.say("Vic", "/pln why 1 Every network I trust started with a gift")
    await room.say("Fay", "/pln pair 2 1")
    snapshot = await room.service.snapshot_of(1)
    why, pairs = annotation_sections(summarize(snapshot))
    assert why.lines == ("#1 DO Give before you ask: why: Every network I trust started with a gift",)
    assert pairs.lines == ("DON'T #2 Only ask and never give -> fixed by DO #1 Give before you ask",)
    await room.say("Fay", "/pln hide 2")
    assert [s.heading for s in annotation_sections(summarize(await room.service.snapshot_of(1)))] == [
        "Why, in the authors' words"
    ]
