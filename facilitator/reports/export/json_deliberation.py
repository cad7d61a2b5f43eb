"""The deliberation fields of the JSON export: `session.round`, `rounds`, `items[].surprise`,
`summary.surprisingly_popular`, `movement` and `discussion` (CONTRACT.md, "Deliberation").

Item numbers are object keys as strings ({"4": 3}), as JSON requires. `items[].votes` is the
current round's; `rounds` holds every round, the current one last.
"""

from __future__ import annotations

from typing import Any

from facilitator.reports.summary import SessionSummary
from facilitator.reports.summary.deliberation_sections import SURPRISE_EXPLAINED
from facilitator.reports.summary.model import RoundTally
from facilitator.reports.summary.wording import iso


def session_fields(summary: SessionSummary) -> dict[str, Any]:
    return {"round": summary.round, "predict": summary.predict, "agenda": summary.agenda or "votes"}


def item_fields(summary: SessionSummary, number: int) -> dict[str, Any]:
    """`surprise` only when predictions were on: a number, or null when there were too few
    predictions (or voting is still open and predictions are sealed). From the round the
    summary scores (`summary.surprise_round`): the latest one anyone predicted in."""
    if not summary.predict:
        return {}
    scores = summary.surprise
    return {"surprise": None if scores is None else scores.score(number)}


def summary_fields(summary: SessionSummary) -> dict[str, Any]:
    scores = summary.surprise
    if scores is None:
        return {}
    return {"surprisingly_popular": list(scores.popular), "surprise_round": scores.round,
            "surprisingly_popular_explained": SURPRISE_EXPLAINED}


def document_fields(summary: SessionSummary) -> dict[str, Any]:
    return {
        "rounds": [_round(tally) for tally in summary.rounds],
        "movement": _movement(summary),
        "discussion": [
            {
                "number": discussed.number,
                "reason": discussed.reason,
                "started_at": iso(discussed.started_at),
                "timebox_seconds": discussed.seconds,
                "notes": [{"text": note.text, "author": note.author, "at": iso(note.at)} for note in discussed.notes],
            }
            for discussed in summary.discussion
        ],
    }


def _round(tally: RoundTally) -> dict[str, Any]:
    numbers = sorted(tally.votes)
    entry: dict[str, Any] = {
        "round": tally.round,
        "votes": {str(number): tally.total(number) for number in numbers},
        "votes_by_level": {str(number): dict(tally.votes[number]) for number in numbers},
        "voters": tally.voters,
    }
    scores = tally.surprise
    if scores is not None:
        entry |= {
            "predictors": scores.predictors,
            "predicted": {str(number): count for number, count in sorted(scores.predicted.items()) if count},
            "surprise": {str(number): score for number, score in sorted(scores.scores.items())},
            "surprisingly_popular": list(scores.popular),
        }
    return entry


def _movement(summary: SessionSummary) -> dict[str, Any] | None:
    movement = summary.movement
    if movement is None:
        return None
    return {
        "from_round": movement.from_round,
        "to_round": movement.to_round,
        "moved_by_level": {level: movement.moved_by(level) for level in movement.levels},
        "items": [
            {
                "number": move.number,
                "before": move.before,
                "after": move.after,
                "change": move.change,
                "change_by_level": {m.level: m.change for m in move.by_level},
            }
            for move in sorted(movement.items, key=lambda move: move.number)
        ],
    }
