"""What the rules read of a session. The store's row satisfies this; so can a test's plain object."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from facilitator.domain.settings import Settings


class SessionState(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def title(self) -> str: ...

    @property
    def template(self) -> str: ...

    @property
    def phase(self) -> str: ...

    @property
    def vote_budget(self) -> int: ...

    @property
    def max_per_item(self) -> int: ...

    @property
    def anonymous(self) -> bool: ...

    @property
    def blind(self) -> bool: ...

    @property
    def predict(self) -> bool: ...

    @property
    def round(self) -> int: ...

    @property
    def followup(self) -> int | None: ...

    @property
    def started_by(self) -> str: ...

    @property
    def deadline(self) -> datetime | None: ...

    @property
    def deadline_phase(self) -> str | None: ...


def settings_of(session: SessionState) -> Settings:
    return Settings(session.vote_budget, session.max_per_item, session.anonymous, session.blind, session.predict,
                    session.followup)
