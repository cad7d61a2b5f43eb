"""CSV formula injection (OWASP): a cell someone typed never starts like a formula; JSON keeps the
exact text; the file starts with a UTF-8 byte order mark for Excel."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest

from facilitator.bootstrap import FacilitatorApp
from facilitator.reports.export import Audience, render_export
from facilitator.reports.export.csv_table import FORMULA_STARTS
from facilitator.reports.snapshot import SessionSnapshot
from tests.app.support import actor, advance_to, say, start
from tests.reports.summary.sample_sessions import SessionBuilder, demo_session

NOW = datetime(2026, 11, 28, 19, 0, tzinfo=timezone.utc)
# The cases, and one of each character OWASP lists.
PAYLOADS = [
    '=HYPERLINK("http://evil","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-1+1",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
]


def rows_of(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the byte order mark
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def payload_session(anonymous: bool = False) -> SessionSnapshot:
    s = SessionBuilder(anonymous=anonymous)
    people = [s.person(text, "newcomer") for text in PAYLOADS]
    for person, text in zip(people, PAYLOADS):
        s.item(person, "do", text)
    s.item(people[0], "dont", "=hidden formula", hidden=True)
    s.vote(people[0], 1, 2, 3)  # one on their own item
    return s.build()


@pytest.mark.parametrize("audience", list(Audience))
def test_no_typed_cell_starts_like_a_formula(audience: Audience) -> None:
    snapshot = payload_session()
    rows = rows_of(render_export(snapshot, "csv", NOW, audience).content)
    for row in rows:
        for column in ("text", "author", "why"):
            assert not row[column].startswith(FORMULA_STARTS), (column, row[column])
    by_number = {int(row["number"]): row for row in rows}
    for number, text in enumerate(PAYLOADS, start=1):
        assert by_number[number]["text"] == "'" + text  # shown as typed, behind the quote that disarms it
        assert by_number[number]["author"] == "'" + text
    if audience is Audience.OPERATOR:
        assert by_number[8]["text"] == "'=hidden formula" and by_number[8]["status"] == "hidden"
    else:
        assert 8 not in by_number


def test_json_keeps_the_exact_text() -> None:
    document = json.loads(render_export(payload_session(), "json", NOW).content)
    assert [item["text"] for item in document["items"]] == PAYLOADS
    assert [p["name"] for p in document["participants"]] == PAYLOADS


def test_numbers_we_write_are_left_alone() -> None:
    rows = {int(row["number"]): row for row in rows_of(render_export(demo_session(), "csv", NOW).content)}
    assert rows[3]["divergence_veteran_minus_newcomer"] == "-0.7500"


def test_the_give_and_take_table_is_safe_too() -> None:
    content = render_export(payload_session(), "levels.csv", NOW, Audience.OPERATOR).content
    rows = rows_of(content)
    people = [row for row in rows if row["scope"] == "person"]
    assert [row["name"] for row in people] == ["'" + text for text in PAYLOADS]
    level = next(row for row in rows if row["scope"] == "level" and row["level"] == "newcomer")
    assert (level["people"], level["gave_items"], level["drew_votes"]) == ("7", "7", "2")  # #2 and #3; not #1, their own


def test_emoji_and_right_to_left_text_survive() -> None:
    s = SessionBuilder()
    who = s.person("نور 🙂", "newcomer")
    s.item(who, "do", "שתפו לפני שאתם שואלים 🙌")
    row = rows_of(render_export(s.build(), "csv", NOW).content)[0]
    assert (row["text"], row["author"]) == ("שתפו לפני שאתם שואלים 🙌", "نور 🙂")


async def test_a_tab_lost_in_cleaning_still_cannot_make_a_formula(app: FacilitatorApp) -> None:
    """Typed as tab + `=1+1`: cleaning drops the tab, and the text that is left starts with `=`."""
    ana = actor("Ana")
    await start(app, ana, title="Tabs")
    await say(app, ana, "settings blind=off")
    await say(app, ana, "join veteran")
    await say(app, ana, "do \t=1+1")
    await advance_to(app, ana, "voting")
    csv_reply = next(r for r in await say(app, ana, "export csv") if r.attachment)
    json_reply = next(r for r in await say(app, ana, "export json") if r.attachment)
    assert csv_reply.attachment is not None and json_reply.attachment is not None
    assert rows_of(csv_reply.attachment.content)[0]["text"] == "'=1+1"
    assert json.loads(json_reply.attachment.content)["items"][0]["text"] == "=1+1"
