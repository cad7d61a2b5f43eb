"""CSV: one header row, one row per item, with votes and normalised support per level, the
item's why, pairs and merges; and a second table of give and take per level (and per person
for the operator), since those are not about one item (docs/EXPORTS.md).

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, and some treat a
leading tab or carriage return the same way. Every cell that holds text someone typed goes
through `neutralise` (OWASP's advice on CSV injection): it gets a leading `'`, which
spreadsheets show as text and hide. Numbers we write ourselves are left alone. The file starts
with a UTF-8 byte order mark, without which Excel on Windows reads it in the local code page
and garbles accents, emoji and right-to-left text.

Support is a share between 0 and 1 with four decimals, empty when nobody of that level took
part, so a spreadsheet can tell "nobody voted" from "nobody came".
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence

from facilitator.reports.summary import Audience, ItemStats, SessionSummary

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """User text as a spreadsheet will show it and never run it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_header(summary: SessionSummary) -> list[str]:
    divergence = summary.divergence
    status = ["status"] if summary.audience is Audience.OPERATOR else []
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
        "why",
        "paired_with",
        "merged_from",
        "pledges",  # how many pledges put this item into practice
        *deliberation_header(summary),
        *status,
    ]


def _table(rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def render_csv(summary: SessionSummary) -> bytes:
    agreed = {item.number for item in summary.consensus.items}
    differences = {entry.item.number: entry.difference for entry in summary.divergence.entries}
    ranked = summary.divergence.ranked
    notes = summary.annotations
    whys = {why.item.number: why.why for why in notes.whys}
    operator = summary.audience is Audience.OPERATOR
    rows = [csv_header(summary)]
    pledged = Counter(p.item for p in summary.pledges.entries if p.item is not None)
    for item in sorted(summary.items, key=lambda item: item.number):
        row = _row(item, item.number in agreed, differences if ranked else None)
        row += [
            neutralise(whys.get(item.number, "")),
            " ".join(map(str, notes.paired_with(item.number))),
            " ".join(map(str, notes.merged_into(item.number))),
            str(pledged[item.number]),
            *_deliberation(summary, item),
        ]
        rows.append(row + (["shown"] if operator else []))
    blank_levels = [""] * (2 * len(summary.levels))
    blank_deliberation = [""] * len(deliberation_header(summary))
    for hidden in notes.hidden:  # the operator's only: not ranked, no votes (hiding gave them back)
        ref = hidden.item
        rows.append(
            [str(ref.number), ref.kind, ref.label, "", neutralise(ref.text), neutralise(hidden.author or ""),
             hidden.author_level, "", *blank_levels, "", "", "", "", "", "", *blank_deliberation, "hidden"]
        )
    return _table(rows)


def deliberation_header(summary: SessionSummary) -> list[str]:
    """The votes of each earlier round (`votes` is the current round's), and the surprise score
    when predictions were on."""
    return [*(f"votes_round_{tally.round}" for tally in summary.rounds[:-1]), *(["surprise"] if summary.predict else [])]


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
        neutralise(item.text),
        neutralise(item.author or ""),
        item.author_level,
        str(item.votes),
        *votes,
        *shares,
        "yes" if agreed else "no",
        "" if differences is None else f"{differences.get(item.number, 0.0):.4f}",
    ]


def render_reciprocity_csv(summary: SessionSummary) -> bytes:
    """Give and take: one row per level, then (operator, names shown) one row per person."""
    found = summary.reciprocity
    gave = [kind for kind, _ in found.totals_gave]
    drew = [kind for kind, _ in found.totals_drew]
    rows = [["scope", "level", "name", "people", *(f"gave_{k}" for k in gave), *(f"drew_{k}" for k in drew),
             "people_share", "items_share", "votes_share"]]

    def share(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    for level in found.levels:
        rows.append(["level", level.level, "", str(level.people), *(str(n) for _, n in level.gave),
                     *(str(n) for _, n in level.drew), share(level.people_share), share(level.items_share),
                     share(level.votes_share)])
    for person in found.people:
        rows.append(["person", person.level, neutralise(person.name), "1", *(str(n) for _, n in person.gave),
                     *(str(n) for _, n in person.drew), "", "", ""])
    return _table(rows)
