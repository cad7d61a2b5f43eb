"""The vote on SQLite's own connection: BEGIN IMMEDIATE, two statements, COMMIT.

The caller holds this process's write turn and has begun the transaction with BEGIN IMMEDIATE,
so nothing else writes the file while these run: what the first statement checks (the session,
its phase, the items) still holds when the second one writes.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from functools import cache

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.store.claims import AlreadyClaimed
from facilitator.store.driver_votes import (
    MOST_NUMBERS, Addressed, DriverUnvoted, DriverVoted, UnvoteRequest, VoteRequest,
)

# The session a vote is about, as Context.locate finds it: by id (a button), else the thread's
# (SessionsStore.session_by_thread), else the channel's open one (open_session_in_channel).
_BY_THREAD = ("(SELECT id FROM sessions WHERE tenant = :tenant AND thread = :thread "
              "AND (channel = :channel OR thread = :channel) ORDER BY id DESC LIMIT 1)")
_OPEN_IN_CHANNEL = ("(SELECT id FROM sessions WHERE tenant = :tenant AND platform = :platform "
                    "AND channel = :channel AND phase != 'closed' ORDER BY id DESC LIMIT 1)")
_BUDGET = "(SELECT vote_budget FROM sessions WHERE id = excluded.session_id)"


def _session(by: str) -> str:
    if by == "id":
        return ":session_id"
    if by == "thread":
        return f"COALESCE({_BY_THREAD}, {_OPEN_IN_CHANNEL})"
    return _OPEN_IN_CHANNEL


def _numbers(count: int) -> str:
    return ", ".join(f":n{k}" for k in range(count))


@cache
def spend_statement(by: str, numbers: int, phases: int) -> str:
    """The budget, as store/vote_statements._spend_votes spends it, but only for a vote every
    rule allows: the SELECT yields the new person's row (or the conflict's update) only when the
    session is the one asked for, in a phase that takes votes, within its per-item limit, and
    every number is a visible item."""
    in_phase = ", ".join(f":phase{k}" for k in range(phases))
    return f"""
INSERT INTO participants (session_id, user_id, name, level, votes_used, used_all_votes, joined_at)
SELECT s.id, :user_id, :name, :unspecified, :asked, :asked >= s.vote_budget, :now
FROM sessions AS s
WHERE s.id = {_session(by)} AND s.tenant = :tenant AND s.platform = :platform
  AND s.phase IN ({in_phase}) AND :asked <= s.vote_budget AND :most_on_one <= s.max_per_item
  AND (SELECT count(*) FROM items AS i
       WHERE i.session_id = s.id AND i.number IN ({_numbers(numbers)}) AND NOT i.hidden) = {numbers}
ON CONFLICT (session_id, user_id) DO UPDATE
  SET votes_used = votes_used + excluded.votes_used,
      used_all_votes = used_all_votes OR votes_used + excluded.votes_used >= {_BUDGET}
  WHERE votes_used + excluded.votes_used <= {_BUDGET}
RETURNING id, session_id, level, votes_used, level_prompted,
  (SELECT vote_budget FROM sessions WHERE sessions.id = participants.session_id),
  (SELECT template FROM sessions WHERE sessions.id = participants.session_id),
  CASE WHEN level = :unspecified
       THEN (SELECT template_snapshot FROM sessions WHERE sessions.id = participants.session_id) END
"""


@cache
def votes_statement(numbers: int) -> str:
    """One row per item, at the weight asked for it, as _add_vote adds them, within the
    session's per-item limit. Fewer rows back than numbers means an item is full."""
    weight = " ".join(f"WHEN :n{k} THEN :w{k}" for k in range(numbers))
    return f"""
INSERT INTO votes (session_id, item_id, participant_id, weight)
SELECT i.session_id, i.id, :participant_id, CASE i.number {weight} END
FROM items AS i WHERE i.session_id = :session_id AND i.number IN ({_numbers(numbers)})
ON CONFLICT (item_id, participant_id) DO UPDATE SET weight = weight + excluded.weight
  WHERE weight + excluded.weight <= (SELECT max_per_item FROM sessions WHERE id = excluded.session_id)
RETURNING id
"""


@cache
def refund_statement(by: str, phases: int) -> str:
    """One vote back into the budget, for a person who holds a vote on the item, in a session
    that is the one asked for and in a phase that takes votes back."""
    in_phase = ", ".join(f":phase{k}" for k in range(phases))
    return f"""
UPDATE participants SET votes_used = votes_used - 1
WHERE session_id = (SELECT s.id FROM sessions AS s WHERE s.id = {_session(by)} AND s.tenant = :tenant
                    AND s.platform = :platform AND s.phase IN ({in_phase}))
  AND user_id = :user_id AND votes_used >= 1
  AND EXISTS (SELECT 1 FROM votes AS v JOIN items AS i ON i.id = v.item_id
              WHERE i.session_id = participants.session_id AND i.number = :number
                AND v.participant_id = participants.id)
RETURNING session_id, id, votes_used, (SELECT vote_budget FROM sessions WHERE sessions.id = participants.session_id)
"""


# A platform request's replay claim, last, once the vote is written: a redelivery finds it and
# rolls everything back (Database.write claims the same way on the unit-of-work path).
CLAIM_REQUEST = ("INSERT INTO processed_events (key, seen_at) VALUES (:claim_key, :now) "
                 "ON CONFLICT (key) DO NOTHING RETURNING key")
CLAIM_LEVEL_PROMPT = "UPDATE participants SET level_prompted = 1 WHERE id = :participant_id AND level_prompted = 0"

_ITEM = "(SELECT id FROM items WHERE session_id = :session_id AND number = :number)"
# The vote taken back: gone when it was the only one on the item, else one less (a session that
# allows several votes per item). Tried in that order, as one vote per item is the default.
DROP_VOTE = f"DELETE FROM votes WHERE item_id = {_ITEM} AND participant_id = :participant_id AND weight = 1 RETURNING id"
LOWER_VOTE = (f"UPDATE votes SET weight = weight - 1 WHERE item_id = {_ITEM} AND participant_id = :participant_id "
              "AND weight > 1 RETURNING id")


# Parameter names of the statements above, in order.
_NUMBER_KEYS = [f"n{k}" for k in range(MOST_NUMBERS)]
_WEIGHT_KEYS = [f"w{k}" for k in range(MOST_NUMBERS)]
_PHASE_KEYS = [f"phase{k}" for k in range(16)]


def _place(request: Addressed) -> str:
    return "id" if request.session_id is not None else "thread" if request.thread else "channel"


def _stored_moment(moment: datetime) -> str:
    # As SQLAlchemy's SQLite DateTime stores it: naive UTC, microseconds.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _claim(connection: sqlite3.Connection, key: str | None, stored_now: object) -> None:
    if key is not None and not connection.execute(CLAIM_REQUEST, {"claim_key": key, "now": stored_now}).fetchall():
        raise AlreadyClaimed(key)


def vote(connection: sqlite3.Connection, request: VoteRequest) -> DriverVoted | None:
    """Runs inside the caller's BEGIN IMMEDIATE transaction. None when a rule refused the vote;
    the caller rolls back then (nothing was written, or the votes statement found an item full)."""
    numbers = len(request.numbers)
    parameters = request.address() | {
        "name": request.name, "unspecified": UNSPECIFIED_LEVEL, "asked": request.asked, "most_on_one": request.most_on_one,
        "now": _stored_moment(request.now),
    }
    parameters.update(zip(_NUMBER_KEYS, request.numbers))
    parameters.update(zip(_WEIGHT_KEYS, request.weights))
    parameters.update(zip(_PHASE_KEYS, request.phases))
    spent = connection.execute(spend_statement(_place(request), numbers, len(request.phases)), parameters).fetchall()
    if not spent:
        return None
    participant_id, session_id, level, votes_used, prompted, budget, template, snapshot = spent[0]
    if level == UNSPECIFIED_LEVEL and snapshot is None:
        return None  # a session older than stored templates: the slow path checks its file is there
    parameters["participant_id"] = participant_id
    parameters["session_id"] = session_id
    written = connection.execute(votes_statement(numbers), parameters).fetchall()
    if len(written) != numbers:
        return None
    # Asked to pick a level once per person and session (migration 0005): claimed here, in the
    # vote's transaction, and only by someone who has neither a level nor the question yet.
    prompt_due = level == UNSPECIFIED_LEVEL and not prompted and connection.execute(
        CLAIM_LEVEL_PROMPT, {"participant_id": participant_id}).rowcount == 1
    _claim(connection, request.claim_key, parameters["now"])
    return DriverVoted(session_id, participant_id, level, votes_used, budget, template, snapshot, prompt_due)


def unvote(connection: sqlite3.Connection, request: UnvoteRequest) -> DriverUnvoted | None:
    """Runs inside the caller's BEGIN IMMEDIATE transaction; None (roll back) when refused."""
    parameters = request.address() | {"number": request.number}
    parameters.update(zip(_PHASE_KEYS, request.phases))
    refunded = connection.execute(refund_statement(_place(request), len(request.phases)), parameters).fetchall()
    if not refunded:
        return None
    session_id, participant_id, votes_used, budget = refunded[0]
    parameters["session_id"] = session_id
    parameters["participant_id"] = participant_id
    if not connection.execute(DROP_VOTE, parameters).fetchall() and not connection.execute(LOWER_VOTE, parameters).fetchall():
        return None
    if request.claim_key is not None:
        _claim(connection, request.claim_key, _stored_moment(request.now))
    return DriverUnvoted(session_id, votes_used, budget)
