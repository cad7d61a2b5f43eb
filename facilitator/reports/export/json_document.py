"""The `facilitator.session/1` JSON document (required fields in CONTRACT.md; the summary's
content in additional fields). Item text is exported as sent: json.dumps escapes only what
JSON itself needs."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Any

from facilitator.reports.export.json_deliberation import document_fields, item_fields, session_fields, summary_fields
from facilitator.reports.export.json_text import dumps
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import GiveAndTake, ItemStats, SessionSummary, summarize
from facilitator.reports.summary.wording import iso

SCHEMA_ID = "facilitator.session/1"


def session_document(
    snapshot: SessionSnapshot, now: datetime | None = None, summary: SessionSummary | None = None
) -> dict[str, Any]:
    """The export as a dict. `summary` may be passed when the caller has already computed it."""
    now = now or datetime.now(timezone.utc)
    summary = summary or summarize(snapshot)
    whys = {item.number: item.why for item in snapshot.visible_items()}
    return {
        "schema": SCHEMA_ID,
        "session": {
            "id": snapshot.id,
            "title": summary.title,
            "template": snapshot.template.id,
            "platform": snapshot.platform,
            "phase": snapshot.phase,
            "vote_budget": snapshot.settings.vote_budget,
            "anonymous": snapshot.anonymous,
            "max_per_item": snapshot.settings.max_per_item,
            "created_at": iso(snapshot.created_at),
            "blind": snapshot.settings.blind,
            "deadline": snapshot.deadline.isoformat() if snapshot.deadline else None,
            **session_fields(summary),
        },
        "levels": list(snapshot.template.level_names),
        "participants": _participants(snapshot, summary),
        "items": [
            _item(item, whys.get(item.number)) | item_fields(summary, item.number)
            for item in sorted(summary.items, key=lambda item: item.number)
        ],
        "summary": {
            "participants": summary.participant_count,
            "people_by_level": dict(summary.people_by_level),
            "items": len(summary.items),
            "votes_cast": summary.votes_cast,
            "top": {top.kind: [item.number for item in top.items] for top in summary.top},
            **summary_fields(summary),
        },
        "consensus": {
            "levels": list(summary.consensus.levels),
            "items": [item.number for item in summary.consensus.items],
        },
        "divergence": _divergence(summary),
        "give_and_take": [_give_and_take(row, summary.anonymous) for row in summary.give_and_take],
        "timeline": [
            {
                "phase": span.phase,
                "started": iso(span.started),
                "ended": None if span.ended is None else iso(span.ended),
                "duration_seconds": None if span.duration is None else round(span.duration.total_seconds()),
            }
            for span in summary.timeline
        ],
        "readings": [{"title": r.title, "url": r.url} for r in summary.readings],
        "questions": list(summary.questions),
        "generated_at": iso(now),
        **document_fields(summary),
        **_moderation(snapshot),
    }


def render_json(snapshot: SessionSnapshot, now: datetime, summary: SessionSummary | None = None) -> bytes:
    document = session_document(snapshot, now, summary)
    return (dumps(document) + "\n").encode("utf-8")  # as json.dumps(ensure_ascii=False, indent=2)


def _participants(snapshot: SessionSnapshot, summary: SessionSummary) -> list[dict[str, Any]]:
    shown = {item.number for item in summary.items}
    items = Counter(item.author_id for item in snapshot.items if item.number in shown)
    votes = snapshot.vote_counts.by_participant
    rows = []
    for person in snapshot.participants:
        row: dict[str, Any] = {"name": person.name, "level": person.level}
        row |= {"items": items[person.id], "votes_cast": votes.get(person.id, 0)}
        if snapshot.anonymous:
            del row["name"]
        rows.append(row)
    if snapshot.anonymous:
        # Join order could tie a row to a person who was seen joining; sort it away.
        position = {level: index for index, level in enumerate(summary.levels)}
        rows.sort(key=lambda row: (position.get(row["level"], len(position)), -row["items"], -row["votes_cast"]))
    return rows


def _item(item: ItemStats, why: str | None) -> dict[str, Any]:
    return {
        "number": item.number,
        "kind": item.kind,
        "text": item.text,
        "votes": item.votes,
        "votes_by_level": {s.level: s.votes for s in item.by_level},
        "author": item.author,
        "author_level": item.author_level,
        "label": item.label,
        "rank": item.rank,
        "voters_by_level": {s.level: s.voters for s in item.by_level},
        "support_by_level": {s.level: s.share for s in item.by_level},
        "why": why,
    }


def _divergence(summary: SessionSummary) -> dict[str, Any]:
    divergence = summary.divergence
    return {
        "first_level": divergence.first_level,
        "last_level": divergence.last_level,
        "people": dict(divergence.people),
        "min_level_size": divergence.min_level_size,
        "too_few": list(divergence.too_few),
        "ranked": divergence.ranked,
        "entries": [
            {
                "item": entry.item.number,
                "first_share": entry.first_share,
                "last_share": entry.last_share,
                "difference": entry.difference,
                "favoured_by": divergence.favoured_by(entry),
            }
            for entry in divergence.entries
        ],
    }


def _give_and_take(row: GiveAndTake, anonymous: bool) -> dict[str, Any]:
    counts = {
        "level": row.level,
        "people": row.people,
        "contributed": row.contributed,
        "only_voted": row.only_voted,
        "silent": row.silent,
    }
    if anonymous:
        return counts
    return counts | {
        "contributors": list(row.contributors),
        "voters_only": list(row.voters_only),
        "silent_people": list(row.silent_people),
    }


def _moderation(snapshot: SessionSnapshot) -> dict[str, list[dict[str, Any]]]:
    """Merges, DON'T -> DO pairs between shown items, and the audit trail. In an anonymous session
    the audit names no one, since a facilitator is often a participant too (docs/ANONYMITY.md)."""
    shown = {item.number for item in snapshot.visible_items()}
    return {
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
                "actor": None if snapshot.anonymous else record.actor_name,
                "action": record.action,
                "details": dict(record.details),
            }
            for record in snapshot.audit
        ],
    }
