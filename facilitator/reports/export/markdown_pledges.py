"""The Markdown export's pledges: each one (no owner column in an anonymous session), made and
kept per level, and the earlier sessions' pledges reviewed."""

from __future__ import annotations

from facilitator.reports.export.markdown_text import md, table
from facilitator.reports.summary import SessionSummary
from facilitator.reports.summary.wording import level_title


def markdown_pledges(summary: SessionSummary) -> list[str]:
    pledges = summary.pledges
    if not pledges.entries and not pledges.earlier.open_at_start:
        return []
    out = ["## Pledges", ""]
    if pledges.entries:
        owner = [] if summary.anonymous else ["Owner"]
        out += table(
            ["No.", *owner, "Pledge", "Item no.", "Status"],
            [
                [str(p.number), *([] if summary.anonymous else [md(p.owner or "")]), md(p.text),
                 "" if p.item is None else str(p.item), p.status]
                for p in pledges.entries
            ],
        )
        out += table(["Level", "Made", "Kept"],
                     [[level_title(row.level), str(row.made), str(row.kept)] for row in pledges.by_level if row.made])
    earlier = pledges.earlier
    if earlier.open_at_start:
        out += [f"Of the {earlier.open_at_start} pledges from earlier sessions in this channel that were open when "
                f"this session started, {earlier.done_since} {'is' if earlier.done_since == 1 else 'are'} done now.", ""]
    return out
