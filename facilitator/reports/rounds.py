"""Movement between two vote rounds (the Delphi method's second round), by item and by level.

Votes are compared as dots, not shares: each person had the same fresh budget in both rounds,
so "+3 from veterans" reads directly as three veteran dots that landed on the item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from facilitator.reports.vote_counts import PerItemAndLevel


@dataclass(frozen=True)
class LevelMove:
    level: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class ItemMove:
    number: int
    before: int
    after: int
    by_level: tuple[LevelMove, ...]  # one per level of the movement, in its order

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Movement:
    from_round: int
    to_round: int
    levels: tuple[str, ...]
    items: tuple[ItemMove, ...]  # every shown item: largest change first, then by number

    @property
    def toward(self) -> tuple[ItemMove, ...]:
        return tuple(item for item in self.items if item.change > 0)

    @property
    def away(self) -> tuple[ItemMove, ...]:
        return tuple(item for item in self.items if item.change < 0)

    def moved_by(self, level: str) -> int:
        """How many of a level's dots landed on a different item than in the round before: the
        gains of every item from that level (what one item gained, another lost)."""
        return sum(max(0, move.change) for item in self.items for move in item.by_level if move.level == level)

    def of(self, number: int) -> ItemMove | None:
        return next((item for item in self.items if item.number == number), None)


def movement(
    before: PerItemAndLevel, after: PerItemAndLevel, numbers: Iterable[int], levels: tuple[str, ...],
    from_round: int, to_round: int,
) -> Movement:
    """`before` and `after` are votes by item number and level; `numbers` the shown items."""
    items = []
    for number in numbers:
        was, now = before.get(number, {}), after.get(number, {})
        moves = tuple(LevelMove(level, was.get(level, 0), now.get(level, 0)) for level in levels)
        items.append(ItemMove(number, sum(was.values()), sum(now.values()), moves))
    items.sort(key=lambda item: (-abs(item.change), -item.change, item.number))
    return Movement(from_round, to_round, levels, tuple(items))
