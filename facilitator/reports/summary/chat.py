"""The end-of-session summary as a chat reply: sections each adapter lays out natively."""

from __future__ import annotations

from facilitator.replies import Reply, ReplyKind
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import summarize
from facilitator.reports.summary.sections import summary_sections, summary_text
from facilitator.reports.tally import tally


def summary_reply(snapshot: SessionSnapshot) -> Reply:
    summary = summarize(snapshot)
    return Reply(
        ReplyKind.SUMMARY,
        summary_text(summary),
        session_id=snapshot.id,
        tally=tally(snapshot),
        sections=summary_sections(summary),
    )
