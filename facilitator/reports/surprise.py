"""Surprise scores: "surprisingly popular" ranking (Prelec, Seung & McCoy, Nature 2017).

Each voter may also name the items they expect most others to back. An item's surprise is its
real share of the round's voters minus the share of predictors who expected it: an item more
people backed than anyone guessed is knowledge a plain majority would bury. With fewer than
MIN_PREDICTORS predictions (or MIN_VOTERS_FOR_SURPRISE voters) no item gets a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from facilitator.domain.deliberation import MIN_PREDICTORS, MIN_VOTERS_FOR_SURPRISE
from facilitator.reports.vote_counts import VoteCounts


@dataclass(frozen=True)
class Surprise:
    round: int
    voters: int  # people who hold at least one vote in the round
    predictors: int  # people who made a prediction in the round
    backers: Mapping[int, int]  # shown item number -> voters who backed it
    predicted: Mapping[int, int]  # shown item number -> predictors who named it
    scores: Mapping[int, float] = field(default_factory=dict)  # empty when there is too little to go on

    @property
    def enough(self) -> bool:
        return self.predictors >= MIN_PREDICTORS and self.voters >= MIN_VOTERS_FOR_SURPRISE

    def score(self, number: int) -> float | None:
        return self.scores.get(number)

    def real_share(self, number: int) -> float:
        return self.backers.get(number, 0) / self.voters if self.voters else 0.0

    def predicted_share(self, number: int) -> float:
        return self.predicted.get(number, 0) / self.predictors if self.predictors else 0.0

    @property
    def popular(self) -> tuple[int, ...]:
        """The surprisingly popular items: a positive score, highest first; ties go to the item
        more people backed, then to the earlier one."""
        ranked = sorted((number for number, score in self.scores.items() if score > 0),
                        key=lambda number: (-self.scores[number], -self.backers.get(number, 0), number))
        return tuple(ranked)


def surprise(round_: int, counts: VoteCounts, predictions: Iterable[Sequence[int]], shown: Sequence[int]) -> Surprise:
    """One round's scores from its votes (`counts`) and its predictions (one set per predictor)."""
    visible = set(shown)
    sets = [set(numbers) for numbers in predictions]
    predicted = Counter(number for numbers in sets for number in numbers if number in visible)
    backers = {number: sum(counts.voters.get(number, {}).values()) for number in shown}
    result = Surprise(round_, len(counts.by_participant), len(sets), backers, dict(predicted))
    if not result.enough:
        return result
    # Four decimals: a score is read as percentage points, and the float noise of a difference
    # (0.19999999999999996) would otherwise reach the export.
    scores = {number: round(result.real_share(number) - result.predicted_share(number), 4) for number in shown}
    return Surprise(round_, result.voters, result.predictors, backers, dict(predicted), scores)


def predictions_by_round(predictions: Iterable[tuple[int, Sequence[int]]]) -> Mapping[int, list[Sequence[int]]]:
    """(round, numbers) pairs grouped by round."""
    grouped: dict[int, list[Sequence[int]]] = {}
    for round_, numbers in predictions:
        grouped.setdefault(round_, []).append(numbers)
    return grouped
