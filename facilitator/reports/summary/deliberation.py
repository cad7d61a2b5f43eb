"""The deliberation parts of a summary: every vote round, the movement between the last two,
surprise scores when predictions were on, and the discussion with its notes.

Only shown items count, as everywhere in the summary. Votes of a round are the same sums the
tally reads (VoteCounts), so a round's numbers in the export add up to its tally.
"""

from __future__ import annotations

from collections.abc import Sequence

from facilitator.reports.rounds import Movement, movement
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary.model import Discussed, NoteView, RoundTally
from facilitator.reports.surprise import predictions_by_round, surprise


def round_tallies(snapshot: SessionSnapshot, shown: Sequence[int], levels: tuple[str, ...]) -> tuple[RoundTally, ...]:
    """Every round's votes by shown item and level (levels in `levels` order, those with none left out)."""
    predicted = predictions_by_round((p.round, p.numbers) for p in snapshot.predictions)
    tallies = []
    for round_ in range(1, snapshot.round + 1):
        counts = snapshot.round_counts(round_)
        votes = {
            number: {level: by_level[level] for level in levels if by_level.get(level)}
            for number in shown
            if (by_level := counts.votes.get(number))
        }
        scored = snapshot.settings.predict and round_ != snapshot.sealed_round
        scores = surprise(round_, counts, predicted.get(round_, ()), shown) if scored else None
        tallies.append(RoundTally(round_, votes, len(counts.by_participant), scores))
    return tuple(tallies)


def round_movement(rounds: tuple[RoundTally, ...], shown: Sequence[int], levels: tuple[str, ...]) -> Movement | None:
    """From the round before to the current one; None in round 1."""
    if len(rounds) < 2:
        return None
    before, after = rounds[-2], rounds[-1]
    return movement(before.votes, after.votes, shown, levels, before.round, after.round)


def discussion(snapshot: SessionSnapshot) -> tuple[Discussed, ...]:
    notes: dict[int, list[NoteView]] = {}
    for note in snapshot.notes:
        author = None if snapshot.anonymous else note.author_name
        notes.setdefault(note.number, []).append(NoteView(author, note.text, note.at))
    shown = {item.number for item in snapshot.visible_items()}
    return tuple(
        Discussed(record.number, record.reason, record.started_at, record.seconds, tuple(notes.get(record.number, ())))
        for record in snapshot.discussions
        if record.number in shown
    )
