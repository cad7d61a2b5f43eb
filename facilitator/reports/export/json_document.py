"""The `facilitator.session/1` JSON document (required fields in CONTRACT.md; the summary's
content in further fields, every one declared in session.schema.json). Item text is exported
exactly as stored: orjson escapes only what JSON itself needs."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Any

import orjson

from facilitator.domain.templates import is_web_url
from facilitator.reports.export.json_deliberation import document_fields, item_fields, session_fields, summary_fields
from facilitator.reports.export.json_pledges import pledges_counts, pledges_list
from facilitator.reports.export.json_sections import divergence, give_and_take, moderation, reciprocity
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import Audience, ItemStats, SessionSummary, summarize
from facilitator.reports.summary.wording import iso

SCHEMA_ID = "facilitator.session/1"


def session_document(
    snapshot: SessionSnapshot,
    now: datetime | None = None,
    summary: SessionSummary | None = None,
    audience: Audience = Audience.ROOM,
) -> dict[str, Any]:
    """The export as a dict. `summary` may be passed when the caller has already computed it (for
    the same audience)."""
    now = now or datetime.now(timezone.utc)
    summary = summary or summarize(snapshot, audience=audience)
    whys = {item.number: item.why for item in snapshot.visible_items()}
    document: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "audience": summary.audience.value,
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
            "deadline": iso(snapshot.deadline) if snapshot.deadline else None,
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
            "pledges": pledges_counts(summary),
            **summary_fields(summary),
        },
        "consensus": {
            "levels": list(summary.consensus.levels),
            "items": [item.number for item in summary.consensus.items],
        },
        "divergence": divergence(summary),
        "give_and_take": give_and_take(summary),
        "reciprocity": reciprocity(summary),
        "timeline": [
            {
                "phase": span.phase,
                "started": iso(span.started),
                "ended": None if span.ended is None else iso(span.ended),
                "duration_seconds": None if span.duration is None else round(span.duration.total_seconds()),
            }
            for span in summary.timeline
        ],
        # Only web links: a template's other addresses were refused when it loaded.
        "readings": [{"title": r.title, "url": r.url if r.url and is_web_url(r.url) else None} for r in summary.readings],
        "questions": list(summary.questions),
        "generated_at": iso(now),
        "pledges": pledges_list(summary),
        **document_fields(summary),
        **moderation(snapshot, summary),
    }
    return document


def render_json(
    snapshot: SessionSnapshot, now: datetime, summary: SessionSummary | None = None, audience: Audience = Audience.ROOM
) -> bytes:
    document = session_document(snapshot, now, summary, audience)
    # orjson: the same text as json.dumps(ensure_ascii=False, indent=2), in C (bench figure 3).
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE)


def _participants(snapshot: SessionSnapshot, summary: SessionSummary) -> list[dict[str, Any]]:
    shown = {item.number for item in summary.items}
    items = Counter(item.author_id for item in snapshot.items if item.number in shown)
    votes = snapshot.vote_counts.by_participant
    rows = []
    for person in snapshot.participants:
        row: dict[str, Any] = {"name": person.name, "level": person.level}
        row |= {"items": items[person.id], "votes_cast": votes.get(person.id, 0)}
        if snapshot.anonymous:
            del row["name"]  # left out, as CONTRACT.md says
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
