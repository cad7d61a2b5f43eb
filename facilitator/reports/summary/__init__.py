"""The session summary: computed once from a snapshot, then shown in chat and in every export."""

from facilitator.reports.summary.annotations import Annotations, Audience, HiddenItem, ItemRef, Merge, Pair, Why
from facilitator.reports.summary.compute import TOP_PER_CATEGORY, summarize
from facilitator.reports.summary.reciprocity import LevelBalance, PersonBalance, Reciprocity
from facilitator.reports.summary.model import (
    CategoryTop,
    Consensus,
    Divergence,
    DivergenceEntry,
    GiveAndTake,
    ItemStats,
    LevelSupport,
    PhaseSpan,
    SessionSummary,
)

__all__ = [
    "Annotations",
    "Audience",
    "HiddenItem",
    "ItemRef",
    "LevelBalance",
    "Merge",
    "Pair",
    "PersonBalance",
    "Reciprocity",
    "Why",
    "TOP_PER_CATEGORY",
    "CategoryTop",
    "Consensus",
    "Divergence",
    "DivergenceEntry",
    "GiveAndTake",
    "ItemStats",
    "LevelSupport",
    "PhaseSpan",
    "SessionSummary",
    "summarize",
]
