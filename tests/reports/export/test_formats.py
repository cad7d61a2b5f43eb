"""Markdown, CSV and JSON exports: the schema, the round trip, text as sent, anonymity."""

from __future__ import annotations

import copy
import functools
import csv
import io
import json
import re
from datetime import datetime, timezone
from typing import Any

import jsonschema
import pytest

from facilitator.reports.export import FORMATS, render_export, session_schema
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import summarize
from tests.reports.deliberation.sessions import deliberation_session
from tests.reports.summary.sample_sessions import LIBRARY, SessionBuilder, demo_session, pln_template

NOW = datetime(2026, 11, 28, 19, 0, tzinfo=timezone.utc)


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    schema = session_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def as_json(snapshot: SessionSnapshot) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render_export(snapshot, "json", NOW).content)
    return document


def single_level_session() -> SessionSnapshot:
    s = SessionBuilder(template=pln_template(levels=("veteran",)))
    a = s.person("Solo Vet", "veteran")
    s.vote(a, s.item(a, "dont", "x"))
    return s.build()


def start_stop_continue_session() -> SessionSnapshot:
    s = SessionBuilder(template=LIBRARY.get("start-stop-continue"))
    a, b, c = s.person("Ann", "new"), s.person("Bo", "new"), s.person("Cy", "long-standing")
    s.vote(a, s.item(a, "start", "pairing"), s.item(c, "continue", "retros"))
    s.vote(c, 2)
    s.vote(b, s.item(b, "stop", "meetings"))
    return s.build()


SESSIONS = {
    "demo": lambda: demo_session(),
    "anonymous": lambda: demo_session(anonymous=True),
    "empty": lambda: SessionBuilder().build(phase="collecting"),
    "single level": single_level_session,
    "another template": start_stop_continue_session,
    "deliberation": deliberation_session,  # two rounds, predictions, notes
    "pledges": lambda: demo_session(pledged=True),
    "anonymous pledges": lambda: demo_session(anonymous=True, pledged=True),
}


@pytest.mark.parametrize("name", SESSIONS)
def test_every_format_renders_and_json_validates(name: str) -> None:
    snapshot = SESSIONS[name]()
    for fmt in FORMATS:
        attachment = render_export(snapshot, fmt, NOW)
        assert attachment.filename == f"{snapshot.template.id}-session-7.{fmt}"
        assert attachment.content
    validator().validate(as_json(snapshot))


def test_json_required_fields_match_the_contract() -> None:
    document = as_json(demo_session())
    assert document["schema"] == "facilitator.session/1"
    assert document["session"] == {
        "id": 7,
        "title": "PLN workshop",
        "template": "pln",
        "platform": "slack",
        "phase": "closed",
        "vote_budget": 3,
        "anonymous": False,
        "max_per_item": 1,
        "created_at": "2026-11-28T17:00:00Z",
        "blind": True,
        "deadline": None,
        "round": 1,
        "predict": False,
        "agenda": "votes",
    }
    assert document["levels"] == ["newcomer", "practitioner", "veteran"]
    assert document["participants"][0] == {"name": "Ana Newcomb", "level": "newcomer", "items": 1, "votes_cast": 3}
    # Fay's only item is hidden: it is not exported and not counted.
    assert {"name": "Fay Chen", "level": "practitioner", "items": 0, "votes_cast": 2} in document["participants"]
    first = document["items"][0]
    assert {k: first[k] for k in ("number", "kind", "votes", "votes_by_level", "author", "author_level")} == {
        "number": 1,
        "kind": "do",
        "votes": 6,
        "votes_by_level": {"newcomer": 1, "practitioner": 3, "veteran": 2, "unspecified": 0},
        "author": "Hal Berg",
        "author_level": "veteran",
    }
    assert [item["number"] for item in document["items"]] == [1, 2, 3, 4, 5, 6, 8]
    assert document["items"][2]["text"] == 'Ask "naive" questions in public <they help others too> & say thanks.'
    assert document["divergence"]["entries"][1] == {
        "item": 8, "first_share": 0.0, "last_share": 0.75, "difference": 0.75, "favoured_by": "veteran"
    }
    assert document["consensus"] == {"levels": ["newcomer", "practitioner", "veteran"], "items": [1, 2]}
    assert document["give_and_take"][2]["silent_people"] == ["Lou Facil"]
    assert document["timeline"][0] == {
        "phase": "collecting", "started": "2026-11-28T17:00:00Z", "ended": "2026-11-28T17:20:00Z", "duration_seconds": 1200
    }
    assert document["generated_at"] == "2026-11-28T19:00:00Z"


def test_the_schema_refuses_what_the_contract_forbids() -> None:
    check = validator()
    document = as_json(demo_session())
    missing = copy.deepcopy(document)
    del missing["items"][0]["author_level"]
    assert not check.is_valid(missing)
    bad_phase = copy.deepcopy(document)
    bad_phase["session"]["phase"] = "finished"
    assert not check.is_valid(bad_phase)
    anonymous = as_json(demo_session(anonymous=True))
    assert check.is_valid(anonymous)
    leaked = copy.deepcopy(anonymous)
    leaked["participants"][0]["name"] = "Ana Newcomb"
    assert not check.is_valid(leaked)
    leaked = copy.deepcopy(anonymous)
    leaked["items"][0]["author"] = "Hal Berg"
    assert not check.is_valid(leaked)


def test_anonymous_exports_contain_no_names_anywhere() -> None:
    snapshot = demo_session(anonymous=True)
    names = [p.name for p in snapshot.participants] + [part for p in snapshot.participants for part in p.name.split()]
    for fmt in FORMATS:
        content = render_export(snapshot, fmt, NOW).content.decode("utf-8")
        for name in names:
            assert name not in content, (fmt, name)
    document = as_json(snapshot)
    assert all("name" not in p for p in document["participants"])
    assert all(item["author"] is None for item in document["items"])
    # Counts survive: who did what is gone, how much was done is not.
    assert sorted((p["level"], p["items"], p["votes_cast"]) for p in document["participants"]) == sorted(
        (p["level"], p["items"], p["votes_cast"]) for p in as_json(demo_session())["participants"]
    )


def test_csv_parses_back_to_the_same_numbers() -> None:
    snapshot = demo_session()
    summary = summarize(snapshot)
    content = render_export(snapshot, "csv", NOW).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    header, body = rows[0], rows[1:]
    assert len(body) == len(summary.items) == 7
    assert header[:8] == ["number", "kind", "label", "rank", "text", "author", "author_level", "votes"]
    records = {int(row["number"]): row for row in csv.DictReader(io.StringIO(content))}
    for item in summary.items:
        row = records[item.number]
        assert row["text"] == item.text and int(row["votes"]) == item.votes and int(row["rank"]) == item.rank
        for support in item.by_level:
            assert int(row[f"votes_{support.level}"]) == support.votes
            assert float(row[f"support_{support.level}"]) == pytest.approx(support.share, abs=5e-5)
    assert records[2]["support_practitioner"] == "0.3333"
    assert [n for n, row in records.items() if row["consensus"] == "yes"] == [1, 2]
    assert float(records[3]["divergence_veteran_minus_newcomer"]) == -0.75
    # A formula mid-text is not run by a spreadsheet: only a cell that starts with one is changed.
    assert records[4]["text"] == "Keep a | pipe, a *star*, and =SUM(A1) formula-looking text as sent."
    assert [row["why"] for row in records.values()] == [""] * 7


def test_csv_leaves_support_blank_for_absent_levels_and_divergence_blank_when_unranked() -> None:
    s = SessionBuilder()
    a = s.person("a", "newcomer")
    s.vote(a, s.item(a, "do", "x"))
    row = next(csv.DictReader(io.StringIO(render_export(s.build(), "csv").content.decode("utf-8-sig"))))
    assert (row["support_newcomer"], row["support_veteran"], row["divergence_veteran_minus_newcomer"]) == ("1.0000", "", "")


def test_markdown_escapes_user_text_and_lists_everything() -> None:
    text = render_export(demo_session(), "md", NOW).content.decode("utf-8")
    assert text.startswith("# PLN workshop\n")
    for heading in ("## Top DOs", "## Top DON'Ts", "## Agreed across levels", "## Where newcomer and veteran support differs",
                    "## Give and take", "## All items", "## Readings", "## Discussion questions", "## Timeline"):
        assert f"\n{heading}\n" in text
    assert "Keep a \\| pipe, a \\*star\\*, and =SUM(A1) formula-looking text as sent." in text
    assert "&lt;they help others too&gt; &amp; say thanks" in text
    # Every row of a table has as many cells as its header: no user text broke out of a cell.
    tables: list[list[int]] = [[]]
    for line in text.splitlines():
        if line.startswith("|"):
            tables[-1].append(len(re.split(r"(?<!\\)\|", line)))
        elif tables[-1]:
            tables.append([])
    assert len([t for t in tables if t]) == 7  # top DOs, top DON'Ts, consensus, divergence, give and take, all, timeline
    assert all(len(set(cells)) == 1 for cells in tables if cells)


def test_another_template_uses_its_own_words() -> None:
    snapshot = start_stop_continue_session()
    text = render_export(snapshot, "md", NOW).content.decode("utf-8")
    for heading in ("## Top STARTs", "## Top STOPs", "## Top CONTINUEs", "## Where new and long-standing support differs"):
        assert f"\n{heading}\n" in text
    assert "Too few to rank: long-standing (1)." in text
    document = as_json(snapshot)
    assert document["levels"] == ["new", "established", "long-standing"]
    assert [(i["number"], i["kind"], i["votes_by_level"]) for i in document["items"]] == [
        (1, "start", {"new": 1, "established": 0, "long-standing": 0}),
        (2, "continue", {"new": 1, "established": 0, "long-standing": 1}),
        (3, "stop", {"new": 1, "established": 0, "long-standing": 0}),
    ]
    assert document["consensus"] == {"levels": ["new", "long-standing"], "items": [2]}
    header = render_export(snapshot, "csv", NOW).content.decode("utf-8-sig").splitlines()[0]
    assert "votes_long-standing" in header and "divergence_long-standing_minus_new" in header


def test_markdown_readings_stay_one_autolink() -> None:
    text = render_export(demo_session(), "md", NOW).content.decode("utf-8")
    assert "- 35 Ways To Build Your Personal Learning Network Online <https://example.org/35-ways?a=1&b=%3C2%3E>" in text


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="pdf"):
        render_export(demo_session(), "pdf")
