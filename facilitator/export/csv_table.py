"""CSV: one header row, one row per shown item, with votes and normalised support per level.

Item text is written as sent. Support is a share between 0 and 1 with four decimals, empty
when nobody of that level took part, so a spreadsheet can tell "nobody voted" from "nobody came".
"""

from __future__ import annotations

import csv
import io

from facilitator.summary import ItemStats, SessionSummary


def csv_header(summary: SessionSummary) -> list[str]:
    divergence = summary.divergence
    return [
        "number",
        "kind",
        "label",
        "rank",
        "text",
        "author",
        "author_level",
        "votes",
        *(f"votes_{level}" for level in summary.levels),
        *(f"support_{level}" for level in summary.levels),
        "consensus",
        f"divergence_{divergence.last_level}_minus_{divergence.first_level}",
    ]


def render_csv(summary: SessionSummary) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(summary))
    agreed = {item.number for item in summary.consensus.items}
    differences = {entry.item.number: entry.difference for entry in summary.divergence.entries}
    for item in sorted(summary.items, key=lambda item: item.number):
        writer.writerow(_row(summary, item, item.number in agreed, differences))
    return out.getvalue().encode("utf-8")


def _row(summary: SessionSummary, item: ItemStats, agreed: bool, differences: dict[int, float]) -> list[str]:
    if summary.divergence.ranked:
        difference = f"{differences.get(item.number, 0.0):.4f}"
    else:
        difference = ""  # levels too small to compare: blank rather than a misleading number
    return [
        str(item.number),
        item.kind,
        item.label,
        str(item.rank),
        item.text,
        item.author or "",
        item.author_level,
        str(item.votes),
        *(str(s.votes) for s in item.by_level),
        *("" if s.share is None else f"{s.share:.4f}" for s in item.by_level),
        "yes" if agreed else "no",
        difference,
    ]
