"""Exports of a session: Markdown, CSV, JSON (`facilitator.session/1`) and a self-contained
HTML report. Pure functions over a SessionSnapshot; the service loads the snapshot."""

from __future__ import annotations

from datetime import datetime, timezone

from facilitator.reports.export.csv_table import render_csv, render_reciprocity_csv
from facilitator.reports.export.html_report import render_html
from facilitator.reports.export.json_document import SCHEMA_ID, render_json, session_document
from facilitator.reports.export.markdown import render_markdown
from facilitator.reports.export.schema import references_schema, session_schema
from facilitator.replies import Attachment
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import Audience, summarize

FORMATS = ("md", "csv", "json", "html")  # what `/pln export` posts
# Also written by `facilitator export` and the demo: give and take per level (and per person), a
# table of its own because the CSV has one row per item.
FILE_FORMATS = (*FORMATS, "levels.csv")
MIME = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "levels.csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
}


def render_export(
    snapshot: SessionSnapshot, fmt: str, now: datetime | None = None, audience: Audience = Audience.ROOM
) -> Attachment:
    """`audience`: the room's export (`/pln export`) or the operator's (`facilitator export`, the
    demo), which adds hidden items and each person's give and take."""
    if fmt not in FILE_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FILE_FORMATS)}")
    now = now or datetime.now(timezone.utc)
    summary = summarize(snapshot, audience=audience)
    if fmt == "md":
        content = render_markdown(summary, now)
    elif fmt == "csv":
        content = render_csv(summary)
    elif fmt == "levels.csv":
        content = render_reciprocity_csv(summary)
    elif fmt == "json":
        content = render_json(snapshot, now, summary)
    else:
        content = render_html(summary, now)
    return Attachment(export_filename(snapshot, fmt), content, MIME[fmt])


def export_filename(snapshot: SessionSnapshot, fmt: str) -> str:
    return f"{snapshot.template.id}-session-{snapshot.id}.{fmt}"


__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "SCHEMA_ID",
    "Audience",
    "export_filename",
    "references_schema",
    "render_export",
    "session_document",
    "session_schema",
]
