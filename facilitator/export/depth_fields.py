"""The JSON export's fields for facilitation depth: audit trail, pairs, merges, each item's why."""

from __future__ import annotations

from typing import Any

from facilitator.snapshot import SessionSnapshot


def depth_document(snapshot: SessionSnapshot) -> dict[str, Any]:
    """Fields to add to the JSON export document: `session.*` extras, per-item extras, top-level lists."""
    anonymous = snapshot.anonymous
    shown = {item.number for item in snapshot.visible_items()}
    return {
        "session": {
            "max_per_item": snapshot.settings.max_per_item,
            "blind": snapshot.settings.blind,
            "deadline": snapshot.deadline.isoformat() if snapshot.deadline else None,
        },
        "items": {item.number: {"why": item.why} for item in snapshot.visible_items()},
        "merged": [
            {"number": item.number, "into": item.merged_into, "text": item.text}
            for item in snapshot.items
            if item.merged_into is not None
        ],
        "pairs": [
            {"dont": pair.dont_number, "do": pair.do_number}
            for pair in snapshot.pairs
            if pair.dont_number in shown and pair.do_number in shown
        ],
        "audit": [
            {
                "at": record.at.isoformat(),
                "actor": None if anonymous else record.actor_name,
                "action": record.action,
                "details": dict(record.details),
            }
            for record in snapshot.audit
        ],
    }


def merge_into_document(document: dict[str, Any], snapshot: SessionSnapshot) -> dict[str, Any]:
    """Adds the depth fields to a facilitator.session/1 document in place, and returns it."""
    extra = depth_document(snapshot)
    document["session"].update(extra["session"])
    for item in document["items"]:
        item.update(extra["items"].get(item["number"], {"why": None}))
    for key in ("merged", "pairs", "audit"):
        document[key] = extra[key]
    return document
