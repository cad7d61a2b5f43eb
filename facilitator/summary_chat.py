"""The end-of-session summary as a chat reply: sections each adapter lays out natively."""

from __future__ import annotations

from facilitator import messages as msg
from facilitator.replies import Reply, ReplyKind, Section
from facilitator.snapshot import SessionSnapshot
from facilitator.tally import tally


def summary_reply(snapshot: SessionSnapshot) -> Reply:
    result = tally(snapshot)
    people = ", ".join(f"{n} {level}" for level, n in result.participants_by_level if n) or "nobody"
    overview = Section(
        "Overview",
        (
            f"{len(snapshot.participants)} people took part ({people}).",
            f"{len(snapshot.visible_items())} items, {sum(v.weight for v in snapshot.votes)} votes.",
        ),
    )
    sections = (overview, *msg.tally_lines(result, show_authors=not snapshot.anonymous))
    text = msg.render_sections(f"Summary of {snapshot.title}", sections)
    return Reply(ReplyKind.SUMMARY, text, session_id=snapshot.id, tally=result, sections=sections)
