"""The facilitation-depth facts in a snapshot and an export: audit trail, pairs, why, timer.

The extra JSON export fields are in facilitator/export/depth_fields.py. In an anonymous session
the audit trail names no one, because a facilitator is often a participant too; the database
keeps the actor (see docs/ANONYMITY.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from facilitator.snapshot import AuditRecord, PairRecord
from facilitator.store.depth_repository import DepthStore
from facilitator.store.models import ItemRow, ParticipantRow, SessionRow
from facilitator.store.repository import Repository, as_utc
from facilitator.timers import time_left


async def depth_snapshot_fields(repo: Repository, session: SessionRow) -> dict[str, Any]:
    store = DepthStore(repo)
    timed = session.deadline is not None and session.deadline_phase == session.phase
    return {
        "audit": tuple(
            AuditRecord(as_utc(row.at), row.actor, row.actor_name, row.action, json.loads(row.details))
            for row in await store.audit_of(session.id)
        ),
        "pairs": tuple(PairRecord(row.dont_number, row.do_number) for row in await store.pairs_of(session.id)),
        "deadline": as_utc(session.deadline) if timed and session.deadline is not None else None,
    }


def depth_status_lines(
    session: SessionRow, now: datetime, me: ParticipantRow | None, items: Sequence[ItemRow]
) -> list[str]:
    """Extra `/pln status` lines. The status reply is private, so "your items" is safe even
    in an anonymous session."""
    lines = []
    if left := time_left(session, now):
        lines.append(left)
    if me is not None:
        mine = [f"#{item.number}" for item in items if item.author_id == me.id and not item.hidden]
        if mine:
            lines.append(f"Your items: {', '.join(mine)}")
        if me.quiet:
            lines.append("Reminders: off for you (`/pln quiet off` turns them on)")
    return lines
