"""The vote on asyncpg's own connection: one call of facilitator_vote (migration 0009), one
round trip, in the implicit transaction of that one statement (no BEGIN, no COMMIT).

No idle ping either (store/idle_ping.py: BEGIN, `;`, ROLLBACK, three round trips on a connection
that sat unused for a second, which in trickling traffic is most of them). A server that
restarted or dropped us closes the socket, and asyncpg marks the connection closed as soon as
the event loop reads that: `is_closed()` costs nothing, and a closed connection is replaced
before the statement is sent. One whose peer vanished without a word fails its statement like
any connection that dies in flight, and the voter hears "temporarily unavailable".
"""

from __future__ import annotations

from typing import Any

from facilitator.domain.levels import UNSPECIFIED_LEVEL
from facilitator.store.claims import AlreadyClaimed
from facilitator.store.driver_votes import DriverUnvoted, DriverVoted, UnvoteRequest, VoteRequest
from facilitator.store.session_lock import NAMESPACE

CALL = "SELECT * FROM facilitator_vote($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
UNVOTE_CALL = "SELECT * FROM facilitator_unvote($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
# Raised by facilitator_vote when a rule says no after the budget was spent (an item at its
# per-item limit, a first vote in a session without a stored template), and by
# facilitator_unvote when there is no vote to take back: the whole call is rolled back, and the
# slow path says why.
REFUSED_STATE = "FV001"
# Raised by facilitator_claim: another delivery of the same platform request was handled.
CLAIMED_STATE = "FV002"


async def vote(connection: Any, request: VoteRequest) -> DriverVoted | None:
    """`connection` is an asyncpg Connection outside any transaction. None when a rule refused
    the vote (nothing was written)."""
    try:
        row = await connection.fetchrow(
            CALL, request.session_id, request.tenant, request.platform, request.channel, request.thread,
            list(request.phases), request.user_id, request.name, UNSPECIFIED_LEVEL, request.now,
            list(request.numbers), list(request.weights), request.asked, request.most_on_one, NAMESPACE,
            request.claim_key,
        )
    except Exception as error:
        _refused_or_claimed(error, request.claim_key)
        return None
    if row is None:
        return None
    return DriverVoted(row[3], row[0], row[1], row[2], row[4], row[5], row[6], bool(row[7]))


async def unvote(connection: Any, request: UnvoteRequest) -> DriverUnvoted | None:
    try:
        row = await connection.fetchrow(
            UNVOTE_CALL, request.session_id, request.tenant, request.platform, request.channel, request.thread,
            list(request.phases), request.user_id, request.number, NAMESPACE, request.claim_key, request.now,
        )
    except Exception as error:
        _refused_or_claimed(error, request.claim_key)
        return None
    return None if row is None else DriverUnvoted(row[0], row[1], row[2])


def _refused_or_claimed(error: Exception, claim_key: str | None) -> None:
    """Returns for a rule's refusal (the caller answers None), raises anything else."""
    state = getattr(error, "sqlstate", None)
    if state == REFUSED_STATE:
        return
    if state == CLAIMED_STATE and claim_key is not None:
        raise AlreadyClaimed(claim_key) from None
    raise error
