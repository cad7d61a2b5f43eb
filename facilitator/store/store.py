"""The store of one unit of work: every aggregate's statements on one transaction."""

from __future__ import annotations

from facilitator.store.audit import AuditStore
from facilitator.store.boards import BoardsStore
from facilitator.store.deliberation import DeliberationStore
from facilitator.store.items import ItemsStore
from facilitator.store.outbox import OutboxStore
from facilitator.store.people import PeopleStore
from facilitator.store.pledges import PledgesStore
from facilitator.store.reads import SessionReads
from facilitator.store.schedule import ScheduleStore
from facilitator.store.sessions import SessionsStore
from facilitator.store.votes import VotesStore


class Store(SessionsStore, PeopleStore, ItemsStore, VotesStore, AuditStore, ScheduleStore, BoardsStore,
            SessionReads, DeliberationStore, PledgesStore, OutboxStore):
    """One object per transaction (Database.write / Database.read). Each base holds one
    aggregate's statements; they share the transaction, the clock and the dialect."""
