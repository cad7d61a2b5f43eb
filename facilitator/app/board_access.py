"""Where this process's live boards are reached, for the links `/pln board` gives."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BoardAccess:
    """Where this process's boards are reached. `public_url` is FACILITATOR_PUBLIC_URL; `served_at`
    is set by the adapter once its web server listens (None: boards are not served here)."""

    public_url: str | None = None
    served_at: str | None = None

    @property
    def base(self) -> str | None:
        return self.public_url.rstrip("/") if self.public_url else self.served_at
