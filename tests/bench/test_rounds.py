"""Alternating rounds: the order rotates every round, and ratios pair runs of the same round."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bench.rounds import alternate, order_of, per_round


def test_two_sides_alternate_which_goes_first() -> None:
    assert [order_of(["ours", "raw"], r) for r in range(4)] == [
        ["ours", "raw"], ["raw", "ours"], ["ours", "raw"], ["raw", "ours"]]


def test_three_sides_each_take_every_place() -> None:
    orders = [order_of(["a", "b", "c"], r) for r in range(3)]
    assert orders == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]
    assert all(sorted(order[i] for order in orders) == ["a", "b", "c"] for i in range(3))


async def test_alternate_runs_every_side_once_a_round_in_rotating_order() -> None:
    calls: list[str] = []

    def side(name: str, values: list[float]) -> tuple[str, Callable[[], Awaitable[float]]]:
        async def run() -> float:
            calls.append(name)
            return values[len([c for c in calls if c == name]) - 1]

        return name, run

    results = await alternate([side("ours", [1.0, 2.0, 3.0]), side("raw", [10.0, 20.0, 30.0])], 3)
    assert calls == ["ours", "raw", "raw", "ours", "ours", "raw"]
    assert results == {"ours": [1.0, 2.0, 3.0], "raw": [10.0, 20.0, 30.0]}


def test_ratios_are_taken_within_each_round() -> None:
    # Raw was fast in round 2 and ours in round 3: a ratio of medians (0.1) would hide both.
    spread = per_round([1.0, 1.0, 2.0], [10.0, 5.0, 10.0])
    assert spread.values == (0.1, 0.2, 0.2)
    assert spread.worst == 0.1 and spread.median == 0.2


def test_lower_is_better_takes_the_highest_ratio_as_the_worst() -> None:
    spread = per_round([30.0, 45.0, 33.0], [10.0, 10.0, 11.0], higher_is_better=False)
    assert spread.worst == 4.5 and spread.median == 3.0


def test_rounds_that_dont_pair_up_are_refused() -> None:
    with pytest.raises(ValueError):
        per_round([1.0, 2.0], [1.0])
