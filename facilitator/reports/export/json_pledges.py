"""The pledges of the JSON export: `pledges` (CONTRACT.md, "Pledges"; `owner` null in an
anonymous session) and `summary.pledges`, made and kept per level and the earlier sessions' review."""

from __future__ import annotations

from typing import Any

from facilitator.reports.summary import SessionSummary
from facilitator.reports.summary.wording import iso


def pledges_list(summary: SessionSummary) -> list[dict[str, Any]]:
    return [
        {"number": p.number, "owner": p.owner, "text": p.text, "item": p.item, "status": p.status,
         "due_at": iso(p.due_at) if p.due_at else None, "done_at": iso(p.done_at) if p.done_at else None}
        for p in summary.pledges.entries
    ]


def pledges_counts(summary: SessionSummary) -> dict[str, Any]:
    pledges = summary.pledges
    return {
        "made": len(pledges.entries),
        "kept": pledges.kept,
        "by_level": {row.level: {"made": row.made, "kept": row.kept} for row in pledges.by_level},
        "earlier": {"open_at_start": pledges.earlier.open_at_start, "done_since": pledges.earlier.done_since},
    }
