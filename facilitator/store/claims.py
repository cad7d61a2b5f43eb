"""A platform request claimed in the same transaction as the first write it causes.

Platforms redeliver, and a replayed request must change nothing (a processed_events row per
request). Claimed on its own, that row costs a write transaction per click before the vote's
own: on SQLite, where writes take turns, half the writes of a vote burst. Claimed inside the
command's first write instead, the claim and the change commit together or not at all. A
command that writes nothing (a read, a refusal) leaves the claim pending, and the caller
claims it on its own afterwards (FacilitationService.handle_once).

The pending claim rides in a context variable: each request is handled on its own task, and
Database.write picks it up whatever use case opens the transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class PendingClaim:
    key: str
    done: bool = False  # committed with a write


class AlreadyClaimed(Exception):
    """Another delivery of the same request was claimed first: this one changes nothing."""


_PENDING: ContextVar[PendingClaim | None] = ContextVar("pending_claim", default=None)


@contextmanager
def claiming(key: str) -> Iterator[PendingClaim]:
    claim = PendingClaim(key)
    token = _PENDING.set(claim)
    try:
        yield claim
    finally:
        _PENDING.reset(token)


def pending_claim() -> PendingClaim | None:
    claim = _PENDING.get()
    return None if claim is None or claim.done else claim
