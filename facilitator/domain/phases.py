"""The phases a session moves through, and which actions each phase accepts."""

from __future__ import annotations

import enum

from facilitator.domain.errors import DomainError


class Phase(str, enum.Enum):
    COLLECTING = "collecting"
    VOTING = "voting"
    DISCUSSING = "discussing"
    CLOSED = "closed"

    def following(self) -> Phase:
        order = list(Phase)
        return order[min(order.index(self) + 1, len(order) - 1)]


# Which phases accept each participant action. Facilitator actions (next, end, cohost)
# work in every phase except closed; read-only actions work always.
PHASES_FOR: dict[str, frozenset[Phase]] = {
    "join": frozenset({Phase.COLLECTING, Phase.VOTING, Phase.DISCUSSING}),
    "submit": frozenset({Phase.COLLECTING}),
    "vote": frozenset({Phase.VOTING}),
    "unvote": frozenset({Phase.VOTING}),
    "next": frozenset({Phase.COLLECTING, Phase.VOTING, Phase.DISCUSSING}),
    "end": frozenset({Phase.COLLECTING, Phase.VOTING, Phase.DISCUSSING}),
    "cohost": frozenset({Phase.COLLECTING, Phase.VOTING, Phase.DISCUSSING}),
    "predict": frozenset({Phase.VOTING}),
    # Deliberation works on the results, so only once a round of voting has closed.
    "agenda": frozenset({Phase.DISCUSSING}),
    "next item": frozenset({Phase.DISCUSSING}),
    "note": frozenset({Phase.DISCUSSING}),
    "revote": frozenset({Phase.DISCUSSING}),
}

_WRONG_PHASE = {
    "submit": "New items are taken only while the session is collecting; it is {phase} now.",
    "vote": "Votes are taken only during the voting phase; the session is {phase} now.",
    "unvote": "Votes can be taken back only during the voting phase; the session is {phase} now.",
    "predict": "Predictions are taken only while voting is open; the session is {phase} now.",
    "agenda": "The agenda orders the results, so it is set while discussing; the session is {phase} now.",
    "next item": "Agenda items are posted while discussing; the session is {phase} now.",
    "note": "Notes are kept on the item being discussed; the session is {phase} now.",
    "revote": "A second round opens from the discussion, after the first vote; the session is {phase} now.",
}
# What the person can do instead, by the phase the session is in.
_MEANWHILE = {
    Phase.COLLECTING: "",
    Phase.VOTING: " Spend your votes instead: `/pln vote N`.",
    Phase.DISCUSSING: " The group is discussing the results now: `/pln results` shows them.",
}


def require_phase(action: str, phase: Phase) -> None:
    allowed = PHASES_FOR.get(action)
    if allowed is None or phase in allowed:
        return
    if phase is Phase.CLOSED:
        raise DomainError("This session is closed. Start a new one with `/pln start`.", "closed")
    template = _WRONG_PHASE.get(action, "That can't be done while the session is {phase}.")
    raise DomainError(template.format(phase=phase.value) + _MEANWHILE.get(phase, ""), "wrong_phase")
