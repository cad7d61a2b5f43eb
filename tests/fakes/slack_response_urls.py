"""response_urls as Slack issues them: one with every slash command, click and shortcut,
good for at most 5 posts within 30 minutes of being issued ("Handling user interaction",
"Message responses"). Past that, or for a URL Slack never issued, Slack answers 404 and the
post is dropped; the error names why (`used_url`, `expired_url`, `no_service`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from tests.fakes.slack_clock import Clock, RunningClock

POSTS_PER_URL = 5
URL_SECONDS = 30 * 60


@dataclass
class _Issued:
    at: float
    posts: int = 0


@dataclass
class ResponseUrls:
    clock: Clock = field(default_factory=RunningClock)
    issued: dict[str, _Issued] = field(default_factory=dict)  # by hook (the URL's last segment)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (hook, error) for each refused post
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def mint(self, label: str) -> str:
        """A new hook: each payload gets its own, as from Slack (the label only helps reading)."""
        hook = f"{label}.{next(self._serial)}"
        self.issued[hook] = _Issued(self.clock())
        return hook

    def use(self, hook: str) -> str | None:
        """None if this post is accepted (and counted), else the error Slack answers with 404."""
        issued = self.issued.get(hook)
        error = None
        if issued is None:
            error = "no_service"
        elif self.clock() - issued.at > URL_SECONDS:
            error = "expired_url"
        elif issued.posts >= POSTS_PER_URL:
            error = "used_url"
        if error is not None:
            self.refused.append((hook, error))
            return error
        assert issued is not None
        issued.posts += 1
        return None
