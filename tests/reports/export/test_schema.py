"""The JSON Schema as a contract: every real export passes it, and every mutation a reader must
not accept is refused, by jsonschema with a format checker that really checks dates."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import jsonschema
import pytest

from facilitator.reports.export import Audience, references_schema, render_export, session_schema
from tests.reports.export.test_formats import SESSIONS
from tests.reports.summary.sample_sessions import demo_session

NOW = datetime(2026, 11, 28, 19, 0, tzinfo=timezone.utc)
Document = dict[str, Any]


@functools.cache
def checker() -> jsonschema.Draft202012Validator:
    schema = session_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(document: Document) -> list[str]:
    """What the fixed schema and the document's references schema say against `document`."""
    found = [f"{e.json_path}: {e.message}" for e in checker().iter_errors(document)]
    references = jsonschema.Draft202012Validator(references_schema(document))
    return found + [f"{e.json_path}: {e.message}" for e in references.iter_errors(document)]


def exported(anonymous: bool = False, audience: Audience = Audience.ROOM) -> Document:
    document: Document = json.loads(render_export(demo_session(anonymous=anonymous), "json", NOW, audience).content)
    return document


def test_the_format_checker_really_checks_dates() -> None:
    # Without rfc3339-validator (in the test extras) jsonschema accepts any string as a date-time.
    formats = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert "date-time" in formats.checkers
    assert not formats.conforms("2026-13-45T99:00:00Z", "date-time")
    assert formats.conforms("2026-11-28T19:00:00Z", "date-time")


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("name", SESSIONS)
def test_every_sample_export_is_valid(name: str, audience: Audience) -> None:
    document = json.loads(render_export(SESSIONS[name](), "json", NOW, audience).content)
    assert errors(document) == []


def _set(path: str, value: Any) -> Callable[[Document], None]:
    """A mutation that sets the field at a dotted path (numbers index lists)."""

    def mutate(document: Document) -> None:
        *parents, last = path.split(".")
        node: Any = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return mutate


def _delete(path: str) -> Callable[[Document], None]:
    def mutate(document: Document) -> None:
        *parents, last = path.split(".")
        node: Any = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[int(last) if last.isdigit() else last]

    return mutate


def _rename_level_key(document: Document) -> None:
    counts = document["items"][0]["votes_by_level"]
    counts["wizard"] = counts.pop("veteran")


def _add_hidden(document: Document) -> None:
    document["hidden"] = [{"number": 7, "kind": "dont", "text": "x", "author": "Fay Chen", "author_level": "practitioner"}]


def _add_person(document: Document) -> None:
    person = {"name": "Ana Newcomb", "level": "newcomer", "gave": {"items": 1, "whys": 0, "pairs": 0},
              "drew": {"votes": 2, "paired_with": 0}}
    document["reciprocity"]["people"] = [person]


def _duplicate_item(document: Document) -> None:
    document["items"].append(copy.deepcopy(document["items"][0]))


# (what is wrong, which export it starts from, the mutation)
MUTATIONS: dict[str, tuple[str, Callable[[Document], None]]] = {
    # The list
    "an anonymous audit actor is a name": ("anonymous", _set("audit", [
        {"at": "2026-11-28T17:05:00Z", "actor": "Lou Facil", "action": "hide", "details": {"number": 7, "votes_refunded": 0}}])),
    "a misspelt top-level key": ("named", _set("vots", 3)),
    "a misspelt item key": ("named", _set("items.0.vots", 3)),
    "votes_by_level has a key not in levels": ("named", _rename_level_key),
    "author_level not in levels": ("named", _set("items.0.author_level", "wizard")),
    "empty item text": ("named", _set("items.0.text", "")),
    "5,000-character item text": ("named", _set("items.0.text", "x" * 5000)),
    "summary.top names item 9999": ("named", _set("summary.top.do", [1, 9999])),
    "generated_at missing": ("named", _delete("generated_at")),
    "a javascript: reading": ("named", _set("readings.0.url", "javascript:alert(1)")),
    "a data: reading": ("named", _set("readings.0.url", "data:text/html,<script>alert(1)</script>")),
    # Anonymity, everywhere a name can be
    "an anonymous participant's name": ("anonymous", _set("participants.0.name", "Ana Newcomb")),
    "an anonymous author": ("anonymous", _set("items.0.author", "Hal Berg")),
    "anonymous give-and-take names": ("anonymous", _set("give_and_take.0.contributors", ["Ana Newcomb"])),
    "an anonymous pledge owner": ("anonymous", _set("pledges", [{"number": 1, "owner": "Ana", "text": "x", "status": "open"}])),
    "an anonymous export lists each person": ("anonymous", _add_person),
    "a named export without a participant's name": ("named", _delete("participants.0.name")),
    # The room's export never carries the operator's extras
    "hidden items in the room's export": ("named", _add_hidden),
    "each person's give and take in the room's export": ("named", _add_person),
    # Dates, numbers, references
    "an impossible date": ("named", _set("generated_at", "2026-13-45T99:00:00Z")),
    "a date that is not RFC 3339": ("named", _set("session.created_at", "28/11/2026 17:00")),
    "a negative vote count": ("named", _set("items.0.votes", -1)),
    "a share above 1": ("named", _set("items.0.support_by_level.newcomer", 1.5)),
    "a phase that does not exist": ("named", _set("session.phase", "finished")),
    "a consensus item that was not exported": ("named", _set("consensus.items", [1, 7])),
    "a pair with a missing item": ("named", _set("pairs", [{"dont": 5, "do": 404}])),
    "a merge into nothing": ("named", _set("merged", [{"number": 9, "into": 404, "text": "x"}])),
    "one item number twice": ("named", _duplicate_item),
    "an audit record with unknown details": ("named", _set("audit", [
        {"at": "2026-11-28T17:05:00Z", "actor": "Lou", "action": "hide", "details": {"number": 7, "why": "spam"}}])),
    "an unknown audit action": ("named", _set("audit", [
        {"at": "2026-11-28T17:05:00Z", "actor": "Lou", "action": "delete", "details": {}}])),
    "a missing contract field": ("named", _delete("items.0.author_level")),
    "reciprocity with a kind of giving nobody declared": ("named", _set("reciprocity.totals.gave.hugs", 1)),
    "a schema id of another version": ("named", _set("schema", "facilitator.session/2")),
}


@pytest.mark.parametrize("what", MUTATIONS)
def test_the_schema_refuses(what: str) -> None:
    start, mutate = MUTATIONS[what]
    document = exported(anonymous=start == "anonymous")
    assert errors(document) == []  # the export itself is fine...
    mutate(document)
    assert errors(document), f"accepted: {what}"  # ...and the mutation is not


def test_the_operators_export_may_carry_its_extras() -> None:
    document = exported(audience=Audience.OPERATOR)
    assert errors(document) == []
    assert document["audience"] == "operator"
    assert [item["number"] for item in document["hidden"]] == [7]
    assert document["hidden"][0]["author"] == "Fay Chen"
    assert [person["name"] for person in document["reciprocity"]["people"]][:2] == ["Ana Newcomb", "Ben Okafor"]
    anonymous = exported(anonymous=True, audience=Audience.OPERATOR)
    assert errors(anonymous) == []
    assert anonymous["hidden"][0]["author"] is None and "people" not in anonymous["reciprocity"]


def test_future_fields_already_obey_the_anonymity_rule() -> None:
    """Pledges are declared for the issue that adds them; an owner is null when anonymous, and so is
    a discussion note's author."""
    pledge = {"number": 1, "owner": None, "text": "Answer one question a week", "item": 2, "status": "open",
              "due_at": "2026-12-05T19:00:00Z", "done_at": None}
    anonymous = exported(anonymous=True)
    anonymous["pledges"] = [pledge]
    assert errors(anonymous) == []
    # Deliberation's notes name their author through the same rule: refused when anonymous.
    note = {"text": "Start small", "author": "Ana Newcomb", "at": "2026-12-05T19:00:00Z"}
    anonymous["discussion"] = [{"number": 1, "reason": "votes", "started_at": "2026-12-05T19:00:00Z",
                                "timebox_seconds": None, "notes": [note]}]
    assert errors(anonymous) != []
    anonymous["discussion"][0]["notes"] = [note | {"author": None}]
    assert errors(anonymous) == []
    named = exported()
    named["pledges"] = [pledge | {"owner": "Ana Newcomb"}]
    assert errors(named) == []
