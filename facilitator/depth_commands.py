"""The facilitation-depth part of the /pln grammar: timers, settings, moderation, duplicates, nudges.

`facilitator.commands` imports this module part-way through, so nothing here may import
`facilitator.commands` at module level; the one error type is fetched when it is raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

MIN_TIMER_SECONDS = 10
MAX_TIMER_SECONDS = 24 * 3600
VOTE_BUDGET_RANGE = (1, 20)
PER_ITEM_RANGE = (1, 10)
WHY_LIMIT = 200

SETTING_KEYS = {
    "votes": "votes",
    "budget": "votes",
    "per-item": "per-item",
    "per_item": "per-item",
    "peritem": "per-item",
    "anonymous": "anonymous",
    "anon": "anonymous",
    "blind": "blind",
}
_ON = {"on", "yes", "true", "1"}
_OFF = {"off", "no", "false", "0"}


@dataclass(frozen=True)
class Timer:
    seconds: int | None  # None switches the current timer off


@dataclass(frozen=True)
class ChangeSettings:
    """`settings votes=5 per-item=2 anonymous=on blind=off`; no changes shows the settings.
    Values are already checked for form: numbers in range, booleans as "on"/"off"."""

    changes: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str | None:
        return dict(self.changes).get(key)


@dataclass(frozen=True)
class Merge:
    keep: int
    fold: int  # folds into `keep` and disappears from the lists


@dataclass(frozen=True)
class Hide:
    number: int


@dataclass(frozen=True)
class Restore:
    number: int


@dataclass(frozen=True)
class Pair:
    dont: int
    do: int


@dataclass(frozen=True)
class Quiet:
    on: bool = True  # `/pln quiet off` asks for nudges again


@dataclass(frozen=True)
class Why:
    number: int
    text: str


@dataclass(frozen=True)
class Nudge:
    pass


@dataclass(frozen=True)
class SendPending:
    """The "send anyway" button under a near-duplicate warning: names the held-back submission."""

    pending_id: int


DepthCommand = Timer | ChangeSettings | Merge | Hide | Restore | Pair | Quiet | Why | Nudge | SendPending

DEPTH_HELP_LINES = (
    ("do! TEXT / dont! TEXT", "send an item even though it looks like one already there"),
    ("why N TEXT", "add a one-line reason to your item #N"),
    ("pair DONT DO", "link a DON'T to the DO that fixes it, e.g. `pair 5 2`"),
    ("quiet [off]", "no private reminders for you in this session (off: reminders again)"),
    ("timer 10m | timer off", "facilitator: the current phase ends on its own after this time"),
    ("settings [KEY=VALUE ...]", "facilitator, before voting: votes=5 per-item=2 anonymous=on blind=off"),
    ("hide N / restore N", "facilitator: take an item out of the lists, or bring it back"),
    ("merge KEEP OTHER", "facilitator: fold item OTHER into KEEP; votes carry over"),
    ("nudge", "facilitator: privately remind people with votes left or nothing added"),
)

_DURATION_PART = re.compile(r"(\d{1,5})\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)?", re.IGNORECASE)
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}


def fail(message: str) -> NoReturn:
    from facilitator.commands import ParseError

    raise ParseError(message)


def parse_duration(rest: str, usage: str) -> int:
    """`10m`, `90s`, `1h30m`, `2 minutes`, or a bare number of minutes, as seconds."""
    text = rest.strip().lower()
    position, total, parts = 0, 0, 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = _DURATION_PART.match(text, position)
        if match is None or match.end() == position:
            fail(f"`{rest.strip()[:20]}` is not a duration. Usage: `/pln {usage}`, e.g. 10m, 90s or 1h.")
        unit = (match.group(2) or "m")[0]
        total += int(match.group(1)) * _UNIT_SECONDS[unit]
        position, parts = match.end(), parts + 1
    if parts == 0:
        fail(f"How long? Usage: `/pln {usage}`, e.g. 10m, 90s or 1h.")
    if not MIN_TIMER_SECONDS <= total <= MAX_TIMER_SECONDS:
        fail(f"A timer runs from {MIN_TIMER_SECONDS} seconds to {MAX_TIMER_SECONDS // 3600} hours.")
    return total


def _numbers(rest: str, usage: str, count: int) -> tuple[int, ...]:
    from facilitator.commands import parse_numbers

    numbers = parse_numbers(rest, usage)
    if len(numbers) != count:
        fail(f"Usage: `/pln {usage}`.")
    return numbers


def _timer(rest: str) -> Timer:
    if rest.strip().lower() in ("off", "stop", "cancel", "0", "none"):
        return Timer(None)
    return Timer(parse_duration(rest, "timer 10m"))


def _settings(rest: str) -> ChangeSettings:
    changes: dict[str, str] = {}
    for token in rest.replace(",", " ").split():
        key, sep, value = token.partition("=")
        name = SETTING_KEYS.get(key.lower())
        if not sep or name is None:
            fail(f"`{token[:30]}` is not a setting. Use votes=N, per-item=N, anonymous=on|off, blind=on|off.")
        changes[name] = _setting_value(name, value.lower())
    return ChangeSettings(tuple(changes.items()))


def _setting_value(name: str, value: str) -> str:
    if name in ("anonymous", "blind"):
        if value in _ON:
            return "on"
        if value in _OFF:
            return "off"
        fail(f"{name} is on or off.")
    low, high = VOTE_BUDGET_RANGE if name == "votes" else PER_ITEM_RANGE
    if not value.isdigit() or not low <= int(value) <= high:
        fail(f"{name} is a whole number from {low} to {high}.")
    return str(int(value))


def _why(rest: str) -> Why:
    number, _, text = rest.strip().partition(" ")
    (parsed,) = _numbers(number, "why N TEXT", 1)
    if not text.strip():
        fail("Add the reason after the number: `/pln why 4 because it worked for me`.")
    return Why(parsed, text.strip())


def _quiet(rest: str) -> Quiet:
    word = rest.strip().lower()
    if word in ("", "on"):
        return Quiet(True)
    if word == "off":
        return Quiet(False)
    fail("Usage: `/pln quiet` (no reminders) or `/pln quiet off` (reminders again).")


def _merge(rest: str) -> Merge:
    keep, fold = _numbers(rest, "merge KEEP OTHER", 2)
    return Merge(keep, fold)


def _pair(rest: str) -> Pair:
    dont, do = _numbers(rest, "pair DONT DO", 2)
    return Pair(dont, do)


DEPTH_PARSERS: dict[str, Callable[[str], DepthCommand]] = {
    "timer": _timer,
    "settings": _settings,
    "merge": _merge,
    "hide": lambda rest: Hide(_numbers(rest, "hide N", 1)[0]),
    "restore": lambda rest: Restore(_numbers(rest, "restore N", 1)[0]),
    "unhide": lambda rest: Restore(_numbers(rest, "restore N", 1)[0]),
    "pair": _pair,
    "quiet": _quiet,
    "why": _why,
    "nudge": lambda rest: Nudge(),
}
