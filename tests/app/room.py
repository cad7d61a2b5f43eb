"""A room: one channel of the shell platform where people say `/pln ...` lines to the real
core, on a real database with a fake clock. The `room` fixtures are in tests/app/conftest.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.domain.actors import Actor, Place
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import Reply
from tests.app.support import FakeClock

TENANT = "T1"


@dataclass
class Room:
    """One channel of the shell platform: people say `/pln ...` lines, replies come back."""

    app: FacilitatorApp
    clock: FakeClock
    channel: str = "C1"
    admins: set[str] = field(default_factory=set)

    @property
    def service(self):  # type: ignore[no-untyped-def]
        return self.app.service

    def actor(self, name: str) -> Actor:
        return Actor(TENANT, name, name, is_admin=name in self.admins)

    def place(self, session_id: int | None = None) -> Place:
        return Place("shell", self.channel, None, session_id)

    async def say(self, name: str, text: str) -> list[Reply]:
        return await self.app.service.handle_text(self.actor(name), self.place(), text)

    async def do(self, name: str, command: object, session_id: int | None = None) -> list[Reply]:
        return await self.app.service.handle(self.actor(name), self.place(session_id), command)  # type: ignore[arg-type]

    async def start(self, name: str = "Fay", title: str = "Workshop") -> int:
        replies = await self.say(name, f"/pln start {title}")
        session_id = replies[0].session_id
        assert session_id is not None
        return session_id


def texts(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def only(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]
