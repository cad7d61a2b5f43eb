"""Tables. The exactly-once rules live here as unique keys, so they hold across processes."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from facilitator.domain.pledges import FOLLOWUP_DEFAULT_SECONDS

OPEN = text("phase != 'closed'")


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        # One open session per channel, even when two processes start one at the same instant.
        Index(
            "uq_sessions_open_channel",
            "tenant",
            "platform",
            "channel",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        Index("ix_sessions_thread", "tenant", "thread"),
        Index("ix_sessions_deadline", "deadline"),
        Index("ix_sessions_nudge_at", "nudge_at"),
        Index("ix_sessions_item_deadline", "item_deadline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(64))
    thread: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(32))
    phase: Mapped[str] = mapped_column(String(16))
    vote_budget: Mapped[int] = mapped_column(Integer)
    max_per_item: Mapped[int] = mapped_column(Integer)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    blind: Mapped[bool] = mapped_column(Boolean)  # tallies hidden until voting closes
    # Items are numbered from this counter with one atomic UPDATE ... RETURNING.
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    started_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A timed phase: `deadline_phase` is the phase the deadline ends, so a deadline that a
    # facilitator overtook with `/pln next` can never advance the phase that followed.
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    deadline_phase: Mapped[str | None] = mapped_column(String(16), default=None)
    # When the automatic nudge before the voting deadline is due (claimed like a deadline).
    nudge_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Deliberation. `round` is the vote round: 2 after `/pln revote`, whose votes then fill `votes`
    # while round 1's are kept in `round_votes`. `agenda` is the order `/pln agenda` chose (None:
    # votes); `current_item` the number `/pln next item` posted last, and `item_deadline` its timebox.
    round: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    predict: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    agenda: Mapped[str | None] = mapped_column(String(16), default=None)
    current_item: Mapped[int | None] = mapped_column(Integer, default=None)
    item_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # The template file's text when the session started: the session runs on it, so renaming,
    # editing or removing the file never breaks an open session (app.context.template_of).
    template_snapshot: Mapped[str | None] = mapped_column(Text, default=None)
    # Pledges: seconds after a pledge before its owner is asked how it went (None: never), and
    # the counter they are numbered from, like items.
    followup: Mapped[int | None] = mapped_column(Integer, default=FOLLOWUP_DEFAULT_SECONDS,
                                                 server_default=text(str(FOLLOWUP_DEFAULT_SECONDS)))
    pledge_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class HostRow(Base):
    """A facilitator of one session: the starter and the co-hosts."""

    __tablename__ = "hosts"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_hosts_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))


class ParticipantRow(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_participants_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(32))
    # The budget is spent with a conditional UPDATE on this column, so double clicks can't overspend.
    votes_used: Mapped[int] = mapped_column(Integer, default=0)
    quiet: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # no nudges
    # Set once votes_used reached the budget; a refund (hide, merge, take-back) leaves it set, so
    # the progress blind voting shows (how many are done) can't move with a moderation action.
    used_all_votes: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set by the first "pick your level" prompt in this session: a person is asked once, not per vote.
    level_prompted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ItemRow(Base):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("session_id", "number", name="uq_items_number"),
        # One message is one item at most, however often (or by however many processes) it
        # is delivered. A unique index rather than a constraint: SQLite adds it without
        # rebuilding the table (see migration 0002).
        Index("uq_items_source", "session_id", "source", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    why: Mapped[str | None] = mapped_column(Text, default=None)  # the author's one-line reason
    merged_into: Mapped[int | None] = mapped_column(Integer, default=None)  # the number it folded into
    # The person's message the item came from (a Slack thread reply's ts), so that editing or
    # deleting that message reaches the item; and the bot's post announcing the item, to update.
    source: Mapped[str | None] = mapped_column(String(64), default=None)
    post: Mapped[str | None] = mapped_column(String(64), default=None)


class VoteRow(Base):
    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("item_id", "participant_id", name="uq_votes_item_voter"),
        Index("ix_votes_session", "session_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Kept beside item_id so that a tally is one indexed scan of this table.
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    weight: Mapped[int] = mapped_column(Integer)


class PhaseEventRow(Base):
    __tablename__ = "phase_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProcessedEventRow(Base):
    """Platform deliveries already handled (a Slack message, command, click...), shared by every
    bot process."""

    __tablename__ = "processed_events"
    __table_args__ = (Index("ix_processed_events_seen_at", "seen_at"),)  # old claims are pruned by age

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """One moderation or settings action: who did what, when. Kept for the JSON export."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))  # platform user id
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    details: Mapped[str] = mapped_column(Text)  # a JSON object


class PairRow(Base):
    """A DON'T linked to the DO that fixes it."""

    __tablename__ = "pairs"
    __table_args__ = (UniqueConstraint("session_id", "dont_number", "do_number", name="uq_pairs_link"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    dont_number: Mapped[int] = mapped_column(Integer)
    do_number: Mapped[int] = mapped_column(Integer)


class PendingItemRow(Base):
    """A submission held back because it looks like an existing item, until "send anyway".

    Discord button ids hold 100 characters, too few for the text, so the button names this row.
    """

    __tablename__ = "pending_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RoundVoteRow(Base):
    """A vote of a closed round, moved here from `votes` when `/pln revote` opens the next round,
    so that `votes` (and the whole vote path) only ever holds the round being voted on."""

    __tablename__ = "round_votes"
    __table_args__ = (Index("ix_round_votes_session", "session_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    weight: Mapped[int] = mapped_column(Integer)


class PredictionRow(Base):
    """One voter's prediction for one round: the item numbers they expect most others to back.

    One row per person and round, replaced whole by one upsert, so a prediction can never hold
    more numbers than the budget, however many commands race."""

    __tablename__ = "predictions"
    __table_args__ = (UniqueConstraint("session_id", "round", "participant_id", name="uq_predictions_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    numbers: Mapped[str] = mapped_column(String(400))  # "2 5 7"
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DiscussionRow(Base):
    """An item `/pln next item` put up for discussion, in agenda order. Unique per item, so two
    facilitators asking for the next item at once post it once."""

    __tablename__ = "discussions"
    __table_args__ = (UniqueConstraint("session_id", "number", name="uq_discussions_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))  # votes, divergence or unshared
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seconds: Mapped[int | None] = mapped_column(Integer, default=None)  # its timebox


class NoteRow(Base):
    """A facilitator's discussion note on an item (`/pln note`, or a `NOTE:` thread reply)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(64))  # platform user id
    author_name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BoardTokenRow(Base):
    """A live board link of one session. Only the token's SHA-256 is kept: the database alone
    can't open a board. A session may have several links (each `/pln board` mints one, since a
    stored hash can't be shown again); `/pln board reset` deletes them all and mints one."""

    __tablename__ = "board_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PledgeRow(Base):
    """What one person commits to give back (`/pln pledge`), numbered 1..N per session.

    `due_at` is when its owner's next follow-up is due; the timer worker claims it with one
    conditional UPDATE (store/pledges.py), so a follow-up goes out once across processes."""

    __tablename__ = "pledges"
    __table_args__ = (
        UniqueConstraint("session_id", "number", name="uq_pledges_number"),
        Index("ix_pledges_due_at", "due_at"),
        Index("ix_pledges_channel", "tenant", "platform", "channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    # The session's channel, kept here so that the next session's intro finds the open ones.
    tenant: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(64))  # platform user id
    owner_name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    item: Mapped[int | None] = mapped_column(Integer, default=None)  # the item it puts into practice
    status: Mapped[str] = mapped_column(String(16))  # a domain.pledges.PledgeStatus value
    pledged_by: Mapped[str] = mapped_column(String(64))  # the owner, or the facilitator who pledged for them
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    dropped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    followups: Mapped[int] = mapped_column(Integer, default=0)  # follow-ups sent so far


class OutboxRow(Base):
    """A message the bot owes a platform, kept until delivered or no longer useful (expires_at).
    A process claims a row by setting lease_until; a process killed mid-send leaves the row to be
    claimed again once the lease has passed. `body` is the rendered message as JSON."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "platform", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(64))  # the workspace or org; the guild on Discord
    method: Mapped[str] = mapped_column(String(64))  # the platform call, whose rate budget it spends
    channel: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(String(64))  # who a private message is for
    thread: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    fallback_url: Mapped[str | None] = mapped_column(Text)  # a response_url, when the channel refuses
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# The tables themselves, for Core statements where the ORM's compile and loading steps would cost
# more than the SQL: the vote path (vote_statements) and whole-session reads (reads).
# (Declared as FromClause on the mapped classes; each is a Table.)
ITEMS = cast(Table, ItemRow.__table__)
PARTICIPANTS = cast(Table, ParticipantRow.__table__)
VOTES = cast(Table, VoteRow.__table__)
PHASE_EVENTS = cast(Table, PhaseEventRow.__table__)
HOSTS = cast(Table, HostRow.__table__)
ROUND_VOTES = cast(Table, RoundVoteRow.__table__)
