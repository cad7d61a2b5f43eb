"""A session's settings, their ranges, and how they read to people."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.domain.pledges import FOLLOWUP_DEFAULT_SECONDS, describe_followup

VOTE_BUDGET_RANGE = (1, 20)
PER_ITEM_RANGE = (1, 10)


@dataclass(frozen=True)
class Settings:
    vote_budget: int = 3
    max_per_item: int = 1
    anonymous: bool = False
    blind: bool = True  # tallies stay hidden until voting closes
    predict: bool = False  # voters may also predict what most others will back ("surprisingly popular")
    # Seconds after a pledge before its owner is asked how it went; None: no follow-ups.
    followup: int | None = FOLLOWUP_DEFAULT_SECONDS


def describe(settings: Settings) -> str:
    per_item = "at most 1 vote per item" if settings.max_per_item == 1 else f"at most {settings.max_per_item} per item"
    return (
        f"{settings.vote_budget} votes each, {per_item}; "
        f"{'anonymous' if settings.anonymous else 'authors shown'}; "
        f"{'blind voting (tallies hidden until voting closes)' if settings.blind else 'live tallies during voting'}"
        f"{'; predictions on (`/pln predict N ...` while voting)' if settings.predict else ''}"
        f"; pledge follow-ups: {describe_followup(settings.followup)}."
    )
