"""Exports through the service: every format is a file, and the JSON keeps the contract."""

from __future__ import annotations

from facilitator import commands as cmd

import csv
import io
import json

import pytest

from facilitator.domain.actors import Actor
from facilitator.bootstrap import FacilitatorApp
from facilitator.reports.export import FORMATS
from facilitator.replies import ReplyKind
from tests.app.support import actor, advance_to, export_json, kinds, only, place, refusal, say, start, stored

ANA = actor("Ana")
BO = actor("Bo")
CY = actor("Cy")
RAW = 'Use <b>tags</b> & "quotes", commas'


async def workshop(app: FacilitatorApp) -> int:
    session_id = await start(app, ANA, title="Export check")
    # Open tallies: these tests are about the export command while voting, and blind voting
    # (the default) keeps the tallies hidden until voting closes. The blind tests are below.
    assert kinds(await say(app, ANA, "settings blind=off")) == [ReplyKind.NOTICE]
    await say(app, BO, "join veteran")
    await say(app, CY, "join newcomer")
    await say(app, BO, f"do {RAW}")
    await say(app, CY, "dont Only broadcast")
    await advance_to(app, ANA, "voting")
    await say(app, BO, "vote 1 2")
    await say(app, CY, "vote 1")
    return session_id


MIME = {"md": "text/markdown", "csv": "text/csv", "json": "application/json", "html": "text/html"}


async def test_every_format_is_an_attachment_in_the_session_thread(app: FacilitatorApp) -> None:
    session_id = await workshop(app)
    for fmt, mime in MIME.items():
        for replies in (await app.service.handle(BO, place(), cmd.Export(fmt)), await say(app, BO, f"/pln export {fmt}")):
            reply = only(replies, ReplyKind.EXPORT)
            assert reply.session_id == session_id and reply.private_to is None
            assert reply.attachment is not None
            assert reply.attachment.filename == f"pln-session-{session_id}.{fmt}"
            assert reply.attachment.mime.split(";")[0] == mime
            assert "Only broadcast" in reply.attachment.content.decode("utf-8")


async def test_export_without_a_format_is_markdown(app: FacilitatorApp) -> None:
    await workshop(app)
    reply = only(await say(app, BO, "export"), ReplyKind.EXPORT)
    assert reply.attachment is not None and reply.attachment.filename.endswith(".md")


async def test_an_unknown_format_is_refused_with_the_list(app: FacilitatorApp) -> None:
    await workshop(app)
    assert "md, csv, json, html" in refusal(await say(app, BO, "export pdf"), BO)


async def test_json_export_has_every_contract_field_with_the_right_values(app: FacilitatorApp) -> None:
    session_id = await workshop(app)
    document = await export_json(app, BO)

    assert document["schema"] == "facilitator.session/1"
    assert document["session"] == document["session"] | {
        "id": session_id,
        "title": "Export check",
        "template": "pln",
        "platform": "shell",
        "phase": "voting",
        "vote_budget": 3,
        "anonymous": False,
    }
    assert document["levels"] == ["newcomer", "practitioner", "veteran"]
    people = sorted(
        ({k: p[k] for k in ("name", "level", "items", "votes_cast")} for p in document["participants"]),
        key=lambda p: p["name"],
    )
    assert people == [
        {"name": "Bo", "level": "veteran", "items": 1, "votes_cast": 2},
        {"name": "Cy", "level": "newcomer", "items": 1, "votes_cast": 1},
    ]
    items = [{k: i[k] for k in ("number", "kind", "text", "votes", "votes_by_level", "author", "author_level")}
             for i in document["items"]]
    assert items == [
        {"number": 1, "kind": "do", "text": RAW, "votes": 2,
         "votes_by_level": {"newcomer": 1, "practitioner": 0, "veteran": 1}, "author": "Bo", "author_level": "veteran"},
        {"number": 2, "kind": "dont", "text": "Only broadcast", "votes": 1,
         "votes_by_level": {"newcomer": 0, "practitioner": 0, "veteran": 1}, "author": "Cy", "author_level": "newcomer"},
    ]


async def test_json_votes_cast_counts_votes_held_after_unvotes(app: FacilitatorApp) -> None:
    await workshop(app)
    await say(app, BO, "unvote 2")
    bo = next(p for p in (await export_json(app, BO))["participants"] if p["name"] == "Bo")
    assert bo["votes_cast"] == 1


async def test_csv_has_one_header_row_and_one_row_per_item_with_raw_text(app: FacilitatorApp) -> None:
    await workshop(app)
    reply = only(await say(app, BO, "export csv"), ReplyKind.EXPORT)
    assert reply.attachment is not None
    # utf-8-sig: the file starts with a byte order mark, for Excel (docs/EXPORTS.md).
    rows = list(csv.DictReader(io.StringIO(reply.attachment.content.decode("utf-8-sig"))))
    assert [(row["number"], row["kind"], row["text"]) for row in rows] == [("1", "do", RAW), ("2", "dont", "Only broadcast")]


async def test_html_escapes_item_text(app: FacilitatorApp) -> None:
    await workshop(app)
    reply = only(await say(app, BO, "export html"), ReplyKind.EXPORT)
    assert reply.attachment is not None
    page = reply.attachment.content.decode("utf-8")
    assert "<b>tags</b>" not in page and "&lt;b&gt;tags&lt;/b&gt;" in page


async def test_a_closed_session_can_still_be_exported(app: FacilitatorApp) -> None:
    await workshop(app)
    await say(app, ANA, "end")
    document = await export_json(app, CY)
    assert document["session"]["phase"] == "closed"
    assert json.dumps(document)  # a plain JSON document, nothing left unserialisable


async def test_exporting_changes_nothing(app: FacilitatorApp) -> None:
    await workshop(app)
    before = await stored(app)
    for fmt in ("md", "csv", "json", "html"):
        await app.service.handle(CY, place(), cmd.Export(fmt))
    assert await stored(app) == before


async def blind_workshop(app: FacilitatorApp, phase: str) -> int:
    """The workshop above with the default blind voting, moved to `phase` (votes are cast on the way
    through voting)."""
    session_id = await start(app, ANA, title="Blind check")
    await say(app, BO, "join veteran")
    await say(app, CY, "join newcomer")
    await say(app, BO, "do Follow people")
    await say(app, CY, "dont Only broadcast")
    if phase != "collecting":
        await advance_to(app, ANA, "voting")
        await say(app, BO, "vote 1 2")
        await say(app, CY, "vote 1")
    await advance_to(app, ANA, phase)
    return session_id


@pytest.mark.parametrize("who", [BO, ANA], ids=["participant", "facilitator"])
async def test_blind_voting_refuses_exports_privately_and_changes_nothing(app: FacilitatorApp, who: Actor) -> None:
    # Every format carries the tallies, and on Slack and Discord the file lands in the thread.
    session_id = await blind_workshop(app, "voting")
    before = await stored(app)
    for fmt in FORMATS:
        for replies in (await app.service.handle(who, place(), cmd.Export(fmt)), await say(app, who, f"/pln export {fmt}")):
            text = refusal(replies, who)
            assert "blind" in text and "once voting closes" in text
            assert replies[0].attachment is None and replies[0].tally is None
    assert refusal(await say(app, who, "export"), who) == text
    # A button or a thread command names the session instead of the channel: still refused.
    assert refusal(await app.service.handle(who, place(session_id=session_id), cmd.Export("json")), who) == text
    assert await stored(app) == before


@pytest.mark.parametrize("phase", ["collecting", "discussing", "closed"])
async def test_blind_sessions_export_outside_voting(app: FacilitatorApp, phase: str) -> None:
    # Before voting there are no votes to give away; after it the tallies are public anyway.
    session_id = await blind_workshop(app, phase)
    for fmt in FORMATS:
        reply = only(await say(app, CY, f"export {fmt}"), ReplyKind.EXPORT)
        assert reply.private_to is None and reply.attachment is not None
        assert reply.attachment.filename == f"pln-session-{session_id}.{fmt}"
    document = await export_json(app, CY)
    assert document["session"]["phase"] == phase
    votes = [item["votes"] for item in document["items"]]
    assert votes == ([0, 0] if phase == "collecting" else [2, 1])


async def test_open_tallies_export_during_voting(app: FacilitatorApp) -> None:
    await workshop(app)  # blind=off
    document = await export_json(app, CY)
    assert document["session"]["phase"] == "voting"
    assert [item["votes"] for item in document["items"]] == [2, 1]
