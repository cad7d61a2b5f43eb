"""The JSON export's schemas: the fixed one (session.schema.json), and the references schema
that a document's own `levels` and item numbers give.

JSON Schema can't compare one part of a document with another: "every key of votes_by_level
is one of `levels`" or "summary.top names exported items". So those rules are a second JSON
Schema, built here from the document's declared levels and items, that any validator can apply
after the first (docs/EXPORTS.md). Both are plain JSON Schema 2020-12; the tests run them
through the jsonschema package.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from facilitator.domain.levels import UNSPECIFIED_LEVEL


def session_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every JSON export validates against."""
    text = resources.files("facilitator.reports.export").joinpath("session.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def references_schema(document: dict[str, Any]) -> dict[str, Any]:
    """A schema that holds `document`'s cross-references to what it declares: level names are
    its `levels` (or `unspecified`), item numbers are those of its items (or of its merged and
    hidden items, where those may be meant), and no item number is used twice."""
    levels = [*document.get("levels", []), UNSPECIFIED_LEVEL]
    shown = [item.get("number") for item in document.get("items", []) if isinstance(item, dict)]
    known = shown + [entry.get("number") for key in ("merged", "hidden") for entry in document.get(key, []) if isinstance(entry, dict)]
    level: dict[str, Any] = {"enum": levels}
    by_level = {"propertyNames": level}
    item: dict[str, Any] = {"enum": shown}
    items_of = {"items": item}
    by_key: dict[str, Any] = {"propertyNames": {"enum": [str(number) for number in shown]}}
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "facilitator.session/1 references",
        "properties": {
            "items": {
                "items": {
                    "properties": {
                        "author_level": level,
                        "votes_by_level": by_level,
                        "voters_by_level": by_level,
                        "support_by_level": by_level,
                    }
                }
            },
            "merged": {"items": {"properties": {"into": {"enum": known}}}},
            "hidden": {"items": {"properties": {"author_level": level}}},
            "participants": {"items": {"properties": {"level": level}}},
            "summary": {
                "properties": {
                    "people_by_level": by_level,
                    "top": {"additionalProperties": items_of},
                    "surprisingly_popular": items_of,
                    "pledges": {"properties": {"by_level": by_level}},
                }
            },
            "consensus": {"properties": {"levels": {"items": level}, "items": items_of}},
            "divergence": {
                "properties": {
                    "first_level": level,
                    "last_level": level,
                    "people": by_level,
                    "too_few": {"items": level},
                    "entries": {"items": {"properties": {"item": item, "favoured_by": level}}},
                }
            },
            "give_and_take": {"items": {"properties": {"level": level}}},
            "reciprocity": {
                "properties": {
                    "levels": {"items": {"properties": {"level": level}}},
                    "people": {"items": {"properties": {"level": level}}},
                }
            },
            "pairs": {"items": {"properties": {"dont": item, "do": item}}},
            # Deliberation: rounds, movement and discussion name shown items only.
            "rounds": {
                "items": {
                    "properties": {
                        "votes": by_key,
                        "votes_by_level": by_key | {"additionalProperties": by_level},
                        "predicted": by_key,
                        "surprise": by_key,
                        "surprisingly_popular": items_of,
                    }
                }
            },
            "movement": {
                "properties": {
                    "moved_by_level": by_level,
                    "items": {"items": {"properties": {"number": item, "change_by_level": by_level}}},
                }
            },
            "discussion": {"items": {"properties": {"number": item}}},
            "pledges": {"items": {"properties": {"item": {"enum": [*known, None]}}}},
        },
    }
    if len(set(known)) != len(known):  # an item number used twice: nothing can refer to it safely
        schema["not"] = {"description": "every item number is used once"}
    return schema
