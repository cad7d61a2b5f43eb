"""Counts the service calls running at once, by wrapping one FacilitationService's `handle` and
`claim_event` (our own code, not a library's): the database work behind each answered request."""

from __future__ import annotations

from facilitator.domain.actors import Actor, Place
from facilitator.commands import Command
from facilitator.replies import Reply
from facilitator.app.service import FacilitationService


class InFlight:
    def __init__(self, service: FacilitationService) -> None:
        self.now = self.most = 0
        handle = service.handle

        async def counted(actor: Actor, place: Place, command: Command) -> list[Reply]:
            self.now += 1
            self.most = max(self.most, self.now)
            try:
                return await handle(actor, place, command)
            finally:
                self.now -= 1

        service.handle = counted  # type: ignore[method-assign]
        claim = service.claim_event

        async def counted_claim(key: str) -> bool:
            self.now += 1
            self.most = max(self.most, self.now)
            try:
                return await claim(key)
            finally:
                self.now -= 1

        service.claim_event = counted_claim  # type: ignore[method-assign]
