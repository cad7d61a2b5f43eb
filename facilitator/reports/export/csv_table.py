"""CSV: one header row, one row per shown item, with votes and normalised support per level.

Item text is written as sent. Support is a share between 0 and 1 with four decimals, empty
when nobody of that level took part, so a spreadsheet can tell "nobody voted" from "nobody came".
"""

from __future__ import annotations

import csv
import io

from facilitator.reports.summary import ItemStats, SessionSummary


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
        # Deliberation: the votes of each earlier round (the `votes` column is the current round's),
        # and the surprise score when predictions were on.
        *(f"votes_round_{tally.round}" for tally in summary.rounds[:-1]),
        *(["surprise"] if summary.predict else []),
    ]


def render_csv(summary: SessionSummary) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(summary))
    agreed = {item.number for item in summary.consensus.items}
    differences = {entry.item.number: entry.difference for entry in summary.divergence.entries}
    ranked = summary.divergence.ranked
    items = sorted(summary.items, key=lambda item: item.number)
    writer.writerows([_row(item, item.number in agreed, differences if ranked else None) + _deliberation(summary, item)
                      for item in items])
    return out.getvalue().encode("utf-8")


def _deliberation(summary: SessionSummary, item: ItemStats) -> list[str]:
    earlier = [str(tally.total(item.number)) for tally in summary.rounds[:-1]]
    if not summary.predict:
        return earlier
    score = summary.surprise.score(item.number) if summary.surprise is not None else None
    return earlier + ["" if score is None else f"{score:.4f}"]  # blank: too few predictions to score


def _row(item: ItemStats, agreed: bool, differences: dict[int, float] | None) -> list[str]:
    """`differences` is None when the levels are too small to compare: blank rather than a misleading number."""
    votes, shares = [], []
    for support in item.by_level:  # one pass: 5,000 items x 4 levels in a big session
        share = support.share
        votes.append(str(support.votes))
        shares.append("" if share is None else f"{share:.4f}")
    return [
        str(item.number),
        item.kind,
        item.label,
        str(item.rank),
        item.text,
        item.author or "",
        item.author_level,
        str(item.votes),
        *votes,
        *shares,
        "yes" if agreed else "no",
        "" if differences is None else f"{differences.get(item.number, 0.0):.4f}",
    ]
