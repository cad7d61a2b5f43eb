"""Did you mean: the words a mistyped word most likely stood for (subcommands, levels).

A typo is usually a letter missing, extra, wrong or swapped with its neighbour (`nxt`, `hlep`,
`exprot`), so candidates are ranked by the optimal-string-alignment distance (rapidfuzz's OSA,
which counts a swap as one edit). People also shorten words (`v`, `vet`): a word that starts
one or a few candidates suggests them too. And they lengthen them (`newbie` for `new`): when
nothing else is close, a candidate of three letters or more that starts the word is suggested.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MAX_SUGGESTIONS = 3
_TRAILING = ":,.;!?"


def typo_budget(word: str) -> int:
    """Edits a word may be away from what it meant: one in a short word, two in a longer one.
    More would suggest `end` for `and`-like accidents and unrelated words for long ones."""
    return 1 if len(word) <= 4 else 2


def near_misses(word: str, candidates: Iterable[str]) -> tuple[str, ...]:
    """Up to MAX_SUGGESTIONS candidates, best first; () when nothing is close enough."""
    typed = word.strip().lower().rstrip(_TRAILING)
    known = list(dict.fromkeys(candidates))  # in declared order, once each
    if not typed:
        return ()
    if typed in known:  # only the punctuation was wrong: `dont:`
        return (typed,)
    starting = [c for c in known if c.startswith(typed)]
    if 0 < len(starting) <= MAX_SUGGESTIONS:
        return tuple(sorted(starting, key=len))
    found = process.extract(typed, known, scorer=OSA.distance, score_cutoff=typo_budget(typed), limit=None)
    if not found:
        lengthened = sorted((c for c in known if len(c) >= 3 and typed.startswith(c)), key=len, reverse=True)
        return tuple(lengthened[:1])  # the longest: `nextitem` means `next` more than `ne...`
    # Only the closest: `stauts` is one swap from `status` and two edits from `start`.
    fewest = min(edits for _, edits, _ in found)
    closest = sorted((index, choice) for choice, edits, index in found if edits == fewest)
    return tuple(choice for _, choice in closest[:MAX_SUGGESTIONS])


def as_choices(words: Iterable[str], quote: str = "`", last: str = "or") -> str:
    """`a`, `a or b`, `a, b or c` (or `a, b and c` with last="and")."""
    shown = [f"{quote}{w}{quote}" for w in words]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {last} " + shown[-1]
