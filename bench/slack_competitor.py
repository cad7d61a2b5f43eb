"""Figure 4's like-for-like competitor: the least a Bolt app can do per vote click and still be
a voting bot. It acks, then (or, as a second baseline, before it acks) in one SQLite transaction (raw sqlite3, on the event loop as our
inline driver is) spends one of the person's budget with an upsert and adds the vote with
another, then sends the one private reply (chat.postEphemeral) a click needs.

It runs on our schema (the same tables, indexes and pragmas) so the database does the same
work per vote; it skips what a real bot also needs (the session's phase, hidden or merged items,
people's levels, audit), and knows which item a button is from a table the bench gives it.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.slack_setup import Ballot, button_key

BUDGET = 3
SPEND = (
    "INSERT INTO participants (session_id, user_id, name, level, votes_used, joined_at)"
    " VALUES (?, ?, ?, 'unspecified', 1, ?)"
    " ON CONFLICT (session_id, user_id) DO UPDATE SET votes_used = votes_used + 1 WHERE votes_used + 1 <= ?"
    " RETURNING id, votes_used"
)
ADD_VOTE = (
    "INSERT INTO votes (session_id, item_id, participant_id, weight) VALUES (?, ?, ?, 1)"
    " ON CONFLICT (item_id, participant_id) DO NOTHING RETURNING id"
)


def open_database(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)  # we say where transactions begin
    for pragma in ("journal_mode=WAL", "busy_timeout=30000", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def store_vote(connection: sqlite3.Connection, ballot: Ballot, item_id: int, user: dict[str, Any]) -> str | int:
    """Votes left after this one, or why it was refused. One transaction either way."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        now = datetime.now(UTC).isoformat()
        # fetchall: a RETURNING statement finishes its write only once its rows are read.
        spent = connection.execute(SPEND, (ballot.session_id, user["id"], user.get("name") or user["id"], now,
                                           BUDGET)).fetchall()
        added = spent and connection.execute(ADD_VOTE, (ballot.session_id, item_id, spent[0][0])).fetchall()
        connection.execute("COMMIT" if added else "ROLLBACK")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    if not spent:
        return "no votes left"
    if not added:
        return "already voted for it"
    return BUDGET - int(spent[0][1])


def competitor(signing_secret: str, client: AsyncWebClient, connection: sqlite3.Connection, ballot: Ballot,
               store_first: bool = False) -> AsyncApp:
    """`store_first`: the vote is committed before the ack, as an app whose 200 means "stored"
    must do (issue 15, item 5; ours does it too); otherwise it acks first."""
    app = AsyncApp(signing_secret=signing_secret, client=client)

    @app.action(re.compile(".+"))
    async def vote(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        if not store_first:
            await ack()
        number, item_id = ballot.items[button_key(body["actions"][0])]
        outcome = store_vote(connection, ballot, item_id, body["user"])
        if store_first:
            await ack()
        text = f"Voted for #{number}. {outcome} left." if isinstance(outcome, int) else f"Not counted: {outcome}."
        await client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"], text=text)

    return app
