"""Session exports. Markdown, CSV, JSON (facilitator.session/1) and HTML, from a snapshot."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import datetime
from typing import Any

from facilitator.replies import Attachment
from facilitator.snapshot import SessionSnapshot
from facilitator.tally import level_order, tally

FORMATS = ("md", "csv", "json", "html")
_MIME = {"md": "text/markdown", "csv": "text/csv", "json": "application/json", "html": "text/html"}


def render_export(snapshot: SessionSnapshot, fmt: str, now: datetime | None = None) -> Attachment:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    body = {"md": _markdown, "csv": _csv, "json": _json, "html": _html}[fmt](snapshot)
    return Attachment(f"session-{snapshot.id}.{fmt}", body.encode("utf-8"), _MIME[fmt])


def session_document(snapshot: SessionSnapshot) -> dict[str, Any]:
    levels = level_order(snapshot)
    counts: dict[int, dict[str, int]] = {}
    people = {p.id: p for p in snapshot.participants}
    for vote in snapshot.votes:
        by_level = counts.setdefault(vote.item_number, {})
        level = people[vote.participant_id].level
        by_level[level] = by_level.get(level, 0) + vote.weight
    anonymous = snapshot.anonymous
    return {
        "schema": "facilitator.session/1",
        "session": {
            "id": snapshot.id,
            "title": snapshot.title,
            "template": snapshot.template.id,
            "platform": snapshot.platform,
            "phase": snapshot.phase,
            "vote_budget": snapshot.settings.vote_budget,
            "anonymous": anonymous,
        },
        "levels": list(snapshot.template.level_names),
        "participants": [
            {
                "name": None if anonymous else p.name,
                "level": p.level,
                "items": sum(1 for i in snapshot.items if i.author_id == p.id),
                "votes_cast": sum(v.weight for v in snapshot.votes if v.participant_id == p.id),
            }
            for p in snapshot.participants
        ],
        "items": [
            {
                "number": i.number,
                "kind": i.kind,
                "text": i.text,
                "votes": sum(counts.get(i.number, {}).values()),
                "votes_by_level": {level: counts.get(i.number, {}).get(level, 0) for level in levels},
                "author": None if anonymous else people[i.author_id].name,
                "author_level": people[i.author_id].level,
            }
            for i in snapshot.visible_items()
        ],
    }


def _json(snapshot: SessionSnapshot) -> str:
    return json.dumps(session_document(snapshot), ensure_ascii=False, indent=2)


def _csv(snapshot: SessionSnapshot) -> str:
    document = session_document(snapshot)
    levels = level_order(snapshot)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "kind", "text", "votes", *levels, "author", "author_level"])
    for item in document["items"]:
        writer.writerow([item["number"], item["kind"], item["text"], item["votes"],
                         *(item["votes_by_level"][lv] for lv in levels), item["author"] or "", item["author_level"]])
    return out.getvalue()


def _markdown(snapshot: SessionSnapshot) -> str:
    result = tally(snapshot)
    lines = [f"# {snapshot.title}", ""]
    for section in result.sections:
        lines += [f"## {section.label}s", ""]
        lines += [f"- #{row.number} {row.text}: {row.votes}" for row in section.rows] or ["(none)"]
        lines.append("")
    return "\n".join(lines)


def _html(snapshot: SessionSnapshot) -> str:
    rows = "".join(f"<li>{html.escape(line)}</li>" for line in _markdown(snapshot).splitlines() if line.startswith("- "))
    return f"<!doctype html><html lang=en><title>{html.escape(snapshot.title)}</title><ul>{rows}</ul></html>"
