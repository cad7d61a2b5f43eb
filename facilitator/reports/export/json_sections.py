"""The JSON document's analysis and moderation sections (see json_document.py)."""

from __future__ import annotations

from typing import Any

from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import Audience, SessionSummary
from facilitator.reports.summary.wording import iso, reciprocity_line


def divergence(summary: SessionSummary) -> dict[str, Any]:
    found = summary.divergence
    return {
        "first_level": found.first_level,
        "last_level": found.last_level,
        "people": dict(found.people),
        "min_level_size": found.min_level_size,
        "too_few": list(found.too_few),
        "ranked": found.ranked,
        "entries": [
            {
                "item": entry.item.number,
                "first_share": entry.first_share,
                "last_share": entry.last_share,
                "difference": entry.difference,
                "favoured_by": found.favoured_by(entry),
            }
            for entry in found.entries
        ],
    }


def give_and_take(summary: SessionSummary) -> list[dict[str, Any]]:
    """Kept for readers of earlier exports; `reciprocity` is what the reports read now."""
    rows = []
    for row in summary.give_and_take:
        counts: dict[str, Any] = {
            "level": row.level,
            "people": row.people,
            "contributed": row.contributed,
            "only_voted": row.only_voted,
            "silent": row.silent,
        }
        if not summary.anonymous:
            counts |= {
                "contributors": list(row.contributors),
                "voters_only": list(row.voters_only),
                "silent_people": list(row.silent_people),
            }
        rows.append(counts)
    return rows


def reciprocity(summary: SessionSummary) -> dict[str, Any]:
    found = summary.reciprocity
    section: dict[str, Any] = {
        "totals": {"gave": dict(found.totals_gave), "drew": dict(found.totals_drew)},
        "levels": [
            {
                "level": row.level,
                "people": row.people,
                "gave": dict(row.gave),
                "drew": dict(row.drew),
                "people_share": row.people_share,
                "items_share": row.items_share,
                "votes_share": row.votes_share,
                "reading": reciprocity_line(row, found),
            }
            for row in found.levels
        ],
    }
    if found.people:  # the operator's export of a session that shows names
        section["people"] = [
            {"name": person.name, "level": person.level, "gave": dict(person.gave), "drew": dict(person.drew)}
            for person in found.people
        ]
    return section


def moderation(snapshot: SessionSnapshot, summary: SessionSummary) -> dict[str, list[dict[str, Any]]]:
    """Merges, DON'T -> DO pairs between shown items, the audit trail, and for the operator the
    hidden items. In an anonymous session the audit names no one, since a facilitator is often a
    participant too (docs/ANONYMITY.md)."""
    notes = summary.annotations
    section: dict[str, list[dict[str, Any]]] = {
        "merged": [{"number": m.item.number, "into": m.into, "text": m.item.text} for m in notes.merges],
        "pairs": [{"dont": pair.dont.number, "do": pair.do.number} for pair in notes.pairs],
        "audit": [
            {
                "at": iso(record.at),
                "actor": None if snapshot.anonymous else record.actor_name,
                "action": record.action,
                "details": dict(record.details),
            }
            for record in snapshot.audit
        ],
    }
    if summary.audience is Audience.OPERATOR:
        section["hidden"] = [
            {
                "number": hidden.item.number,
                "kind": hidden.item.kind,
                "text": hidden.item.text,
                "author": hidden.author,
                "author_level": hidden.author_level,
            }
            for hidden in notes.hidden
        ]
    return section
