"""The fake Slack's sense of time, for its rate buckets, trigger_ids and response_urls.

By default it runs with the real monotonic clock, and a test can move it on further with
`advance(seconds)`: a harness that plays people acting seconds apart says so that way, so
Slack's per-second and per-minute budgets see a workshop's pace rather than the test's
(which packs an hour into a second). A ManualClock stands still until advanced, for tests
of the fake that step past a rate window, a trigger's 3 s or a response_url's 30 minutes
without sleeping.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def __call__(self) -> float: ...

    def advance(self, seconds: float) -> None: ...


class RunningClock:
    """Real time, plus whatever the test skipped ahead."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skipped

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not run backwards")
        self.skipped += seconds


class ManualClock:
    """Stands still until advanced: `clock = ManualClock(); FakeSlackApi(clock=clock); clock.advance(3.1)`."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not run backwards")
        self.now += seconds
