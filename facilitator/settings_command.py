"""`/pln settings`: the vote budget, votes per item, anonymity and blind voting.

Settings change only while the session is collecting, before any vote exists, so a new
budget can never invalidate a vote already cast. Anonymity can be switched on late (names
already posted in the thread stay there, and the reply says so) but never off once items
exist: those authors sent them believing they were anonymous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import messages as msg
from facilitator.actors import Actor, Place
from facilitator.depth_commands import ChangeSettings
from facilitator.domain import DomainError, Phase
from facilitator.replies import Reply, ReplyKind
from facilitator.store.depth_repository import DepthStore
from facilitator.store.models import SessionRow

if TYPE_CHECKING:
    from facilitator.service import FacilitationService


def describe(session: SessionRow) -> str:
    per_item = "at most 1 vote per item" if session.max_per_item == 1 else f"at most {session.max_per_item} per item"
    return (
        f"{session.vote_budget} votes each, {per_item}; "
        f"{'anonymous' if session.anonymous else 'authors shown'}; "
        f"{'blind voting (tallies hidden until voting closes)' if session.blind else 'live tallies during voting'}."
    )


class SettingsCommand:
    def __init__(self, service: FacilitationService) -> None:
        self.service = service

    async def change(self, actor: Actor, place: Place, command: ChangeSettings) -> list[Reply]:
        async with self.service.db.write(self.service.clock()) as repo:
            session = await self.service.locate(repo, actor, place)
            if not command.changes:
                return [msg.notice(actor.user_id, f"Settings: {describe(session)}", session.id)]
            await self.service.require_facilitator(repo, actor, session, "change the settings")
            if Phase(session.phase) is not Phase.COLLECTING:
                raise DomainError("Settings can change only before voting opens, so votes already cast stay valid. "
                                  "Nothing was changed.", "wrong_phase")
            values = _new_values(session, command)
            items = await repo.items_of(session.id)
            if session.anonymous and values.get("anonymous") is False and items:
                raise DomainError("This session can't stop being anonymous: its items were sent anonymously. "
                                  "Nothing was changed.", "anonymous_locked")
            before = {"votes": session.vote_budget, "per-item": session.max_per_item,
                      "anonymous": session.anonymous, "blind": session.blind}
            store = DepthStore(repo)
            await store.update_session(session.id, **values)
            for key, value in values.items():
                setattr(session, key, value)
            await store.record(session.id, actor.user_id, actor.name, "settings", before=before,
                               after=dict(command.changes))
        note = ""
        if values.get("anonymous") is True and items and not before["anonymous"]:
            note = " Items posted before now already showed their authors in the thread; from here on nobody's name is shown."
        return [Reply(ReplyKind.NOTICE, f"Settings changed: {describe(session)}{note}", session_id=session.id)]


def _new_values(session: SessionRow, command: ChangeSettings) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if (votes := command.get("votes")) is not None:
        values["vote_budget"] = int(votes)
    if (per_item := command.get("per-item")) is not None:
        values["max_per_item"] = int(per_item)
    if (anonymous := command.get("anonymous")) is not None:
        values["anonymous"] = anonymous == "on"
    if (blind := command.get("blind")) is not None:
        values["blind"] = blind == "on"
    budget = values.get("vote_budget", session.vote_budget)
    if values.get("max_per_item", session.max_per_item) > budget:
        raise DomainError(f"per-item can't be more than the {budget} votes each person has. Nothing was changed.",
                          "bad_setting")
    return values
