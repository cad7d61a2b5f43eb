"""The statements of the vote path, built once with bound parameters, on the tables themselves.

Building a statement is most of its cost in SQLAlchemy (about 0.4 ms for an upsert on the bench
machine, against 0.06 ms to look up its compiled form), and a vote runs three of them. On the
Table rather than the mapped class, the ORM's bulk-insert machinery stays out of the way: it
cost more than the statement itself (0.5 ms a vote on the bench) and we want plain rows back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import BindParameter, DateTime, Integer, String, bindparam, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.store.models import ITEMS, PARTICIPANTS, VOTES, ItemRow


def _int(name: str) -> BindParameter[int]:
    return bindparam(name, type_=Integer)


def _str(name: str) -> BindParameter[str]:
    return bindparam(name, type_=String)


ITEMS_BY_NUMBER = select(ItemRow).where(
    ItemRow.session_id == _int("session_id"), ItemRow.number.in_(bindparam("numbers", expanding=True, type_=Integer))
)

VOTE_TARGETS = select(ITEMS.c.number, ITEMS.c.id, ITEMS.c.hidden, ITEMS.c.merged_into).where(
    ITEMS.c.session_id == _int("session_id"), ITEMS.c.number.in_(bindparam("numbers", expanding=True, type_=Integer))
)


def _spend_votes(insert: Callable[[Any], Any]) -> Any:
    """Params: session_id, user_id, name, now, count, budget. See VotesStore.spend_votes.

    The whole budget rule is this one statement: a person holds at most `budget` votes, so a
    first action that asks for more than the budget inserts nothing (the SELECT's WHERE), and a
    later one adds to votes_used only while the sum stays within it (the DO UPDATE's WHERE).
    It also sets used_all_votes once the budget is reached, and never clears it.
    """
    count = _int("count")
    budget = _int("budget")
    used = PARTICIPANTS.c.votes_used
    new_person = select(
        _int("session_id"), _str("user_id"), _str("name"), literal(UNSPECIFIED_LEVEL, String),
        count, count >= budget, bindparam("now", type_=DateTime(timezone=True)),
    ).where(count <= budget)
    columns = ["session_id", "user_id", "name", "level", "votes_used", "used_all_votes", "joined_at"]
    return (
        insert(PARTICIPANTS)
        .from_select(columns, new_person)
        .on_conflict_do_update(
            index_elements=["session_id", "user_id"],
            set_={"votes_used": used + count, "used_all_votes": or_(PARTICIPANTS.c.used_all_votes, used + count >= budget)},
            where=used + count <= budget,
        )
        .returning(PARTICIPANTS.c.id, PARTICIPANTS.c.level, used, PARTICIPANTS.c.level_prompted)
    )


def _add_vote(insert: Callable[[Any], Any]) -> Any:
    """Params: session_id, item_id, participant_id, max_per_item. See VotesStore.add_vote."""
    weight = VOTES.c.weight
    return (
        insert(VOTES)
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
        .returning(VOTES.c.id)
    )


SPEND_VOTES = {"sqlite": _spend_votes(sqlite.insert), "postgresql": _spend_votes(postgresql.insert)}
ADD_VOTE = {"sqlite": _add_vote(sqlite.insert), "postgresql": _add_vote(postgresql.insert)}
