"""When two items say the same thing: near-duplicate detection for new submissions.

The score is the mean of three rapidfuzz scorers: token_set_ratio (one text contains the
other's words), ratio (the same characters in the same order) and WRatio (rapidfuzz's own
blend). token_set_ratio alone rates "Share" and "Share your failures too" 100; ratio alone
misses "Don't only broadcast" / "Dont only broadcast your own stuff". On the pairs in
tests/app/test_duplicates.py, 80 separates every duplicate from every non-duplicate except
sentences made of the same words in another order ("Thank people who help you" / "Help people
who thank you"), which no character-level measure can tell apart. A false warning costs the
sender one click, so the threshold leans towards warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol, TypeVar

from rapidfuzz import fuzz, utils

DUPLICATE_THRESHOLD = 80.0


class Comparable(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def hidden(self) -> bool: ...


T = TypeVar("T", bound=Comparable)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def similarity(a: str, b: str) -> float:
    """0..100. Texts whose numbers differ ("Item 1", "Item 2"; "Meet 2 people" / "Meet 5 people")
    are different items however alike their words are."""
    if _numbers(a) != _numbers(b):
        return 0.0
    process = utils.default_process
    scores = (
        fuzz.token_set_ratio(a, b, processor=process),
        fuzz.ratio(a, b, processor=process),
        fuzz.WRatio(a, b, processor=process),
    )
    return sum(scores) / len(scores)


def closest(text: str, kind: str, items: Iterable[T]) -> T | None:
    """The most similar visible item of the same kind, if it is similar enough."""
    best: tuple[float, T] | None = None
    for item in items:
        if item.hidden or item.kind != kind:
            continue
        score = similarity(text, item.text)
        if score >= DUPLICATE_THRESHOLD and (best is None or score > best[0]):
            best = (score, item)
    return None if best is None else best[1]
