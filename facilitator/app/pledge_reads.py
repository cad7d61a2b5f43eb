"""A session's pledges as snapshot records, and how the earlier sessions' pledges in its
channel have fared since it started (the summary's review)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.domain.pledges import PledgeStatus
from facilitator.reports.snapshot import EarlierPledges, ParticipantRecord, PledgeRecord
from facilitator.store.base import as_utc
from facilitator.store.models import PledgeRow, SessionRow
from facilitator.store.store import Store


async def pledge_records(
    store: Store, session: SessionRow, people: Sequence[ParticipantRecord]
) -> tuple[tuple[PledgeRecord, ...], EarlierPledges]:
    by_user = {person.user_id: person for person in people}
    records = []
    for row in await store.pledges_of(session.id):
        person = by_user.get(row.owner)
        records.append(PledgeRecord(
            row.number, row.owner, row.owner_name, person.id if person else None,
            person.level if person else UNSPECIFIED_LEVEL, row.text, row.item, row.status, as_utc(row.created_at),
            _utc(row.due_at), _utc(row.done_at),
        ))
    earlier = await store.channel_pledges(session.tenant, session.platform, session.channel, before_session=session.id)
    return tuple(records), _earlier(tuple(row for row, _ in earlier), as_utc(session.created_at))


def _earlier(rows: Sequence[PledgeRow], started: datetime) -> EarlierPledges:
    def settled_before(moment: datetime | None) -> bool:
        return moment is not None and as_utc(moment) < started

    open_then = [row for row in rows if not settled_before(row.done_at) and not settled_before(row.dropped_at)]
    done = sum(1 for row in open_then if row.status == PledgeStatus.DONE.value)
    return EarlierPledges(len(open_then), done)


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)
