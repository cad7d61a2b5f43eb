"""The statements of the vote path, built once with bound parameters, on the tables themselves.

Building a statement is most of its cost in SQLAlchemy (about 0.4 ms for an upsert on the bench
machine, against 0.06 ms to look up its compiled form), and a vote runs three of them. On the
Table rather than the mapped class, the ORM's bulk-insert machinery stays out of the way: it
cost more than the statement itself (0.5 ms a vote on the bench) and we want plain rows back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import BindParameter, DateTime, Integer, String, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from facilitator.domain import UNSPECIFIED_LEVEL
from facilitator.store.models import ItemRow, ParticipantRow, VoteRow


def _int(name: str) -> BindParameter[int]:
    return bindparam(name, type_=Integer)


def _str(name: str) -> BindParameter[str]:
    return bindparam(name, type_=String)


_ITEMS = ItemRow.__table__.c
_PARTICIPANTS = ParticipantRow.__table__
_VOTES = VoteRow.__table__

ITEMS_BY_NUMBER = select(ItemRow).where(
    ItemRow.session_id == _int("session_id"), ItemRow.number.in_(bindparam("numbers", expanding=True, type_=Integer))
)

VOTE_TARGETS = select(_ITEMS.number, _ITEMS.id, _ITEMS.hidden, _ITEMS.merged_into).where(
    _ITEMS.session_id == _int("session_id"), _ITEMS.number.in_(bindparam("numbers", expanding=True, type_=Integer))
)


def _spend_votes(insert: Callable[[Any], Any]) -> Any:
    """Params: session_id, user_id, name, now, count, budget. See Repository.spend_votes."""
    count = _int("count")
    used = _PARTICIPANTS.c.votes_used
    return (
        insert(_PARTICIPANTS)
        .values(
            session_id=_int("session_id"),
            user_id=_str("user_id"),
            name=_str("name"),
            level=UNSPECIFIED_LEVEL,
            votes_used=count,
            joined_at=bindparam("now", type_=DateTime(timezone=True)),
        )
        .on_conflict_do_update(
            index_elements=["session_id", "user_id"],
            set_={"votes_used": used + count},
            where=used + count <= _int("budget"),
        )
        .returning(_PARTICIPANTS.c.id, _PARTICIPANTS.c.level, used)
    )


def _add_vote(insert: Callable[[Any], Any]) -> Any:
    """Params: session_id, item_id, participant_id, max_per_item. See Repository.add_vote."""
    weight = _VOTES.c.weight
    return (
        insert(_VOTES)
        .values(
            session_id=_int("session_id"),
            item_id=_int("item_id"),
            participant_id=_int("participant_id"),
            weight=1,
        )
        .on_conflict_do_update(
            index_elements=["item_id", "participant_id"],
            set_={"weight": weight + 1},
            where=weight < _int("max_per_item"),
        )
        .returning(_VOTES.c.id)
    )


SPEND_VOTES = {"sqlite": _spend_votes(sqlite.insert), "postgresql": _spend_votes(postgresql.insert)}
ADD_VOTE = {"sqlite": _add_vote(sqlite.insert), "postgresql": _add_vote(postgresql.insert)}
