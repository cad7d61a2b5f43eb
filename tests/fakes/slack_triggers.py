"""trigger_ids as Slack issues them: one with every slash command, click and shortcut, good
for one views.open (or views.push) within 3 seconds.

Errors are Slack's (views.open / views.push references): `invalid_trigger_id` for an id
Slack never issued, `expired_trigger_id` after 3 s, `exchanged_trigger_id` for an id
already used once.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field

from tests.fakes.slack_clock import Clock, RunningClock

TRIGGER_SECONDS = 3.0


@dataclass
class TriggerIds:
    clock: Clock = field(default_factory=RunningClock)
    issued: dict[str, float] = field(default_factory=dict)  # trigger_id -> when
    exchanged: set[str] = field(default_factory=set)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def mint(self, age: float = 0.0) -> str:
        """A new trigger_id in Slack's format ("132456.7890123.abcdef"); `age` seconds old already."""
        issued_at = self.clock() - age
        trigger_id = f"{next(self._serial)}.{int(issued_at * 1000)}.{secrets.token_hex(12)}"
        self.issued[trigger_id] = issued_at
        return trigger_id

    def exchange(self, trigger_id: str | None) -> str | None:
        """None if the id may open a view now (and is spent by it), else Slack's error code."""
        issued_at = self.issued.get(trigger_id or "")
        if trigger_id is None or issued_at is None:
            return "invalid_trigger_id"
        if trigger_id in self.exchanged:
            return "exchanged_trigger_id"
        if self.clock() - issued_at > TRIGGER_SECONDS:
            return "expired_trigger_id"
        self.exchanged.add(trigger_id)
        return None
