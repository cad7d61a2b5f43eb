"""The pieces every subcommand's parser is made of: item numbers, durations, people, on/off."""

from __future__ import annotations

import re
from typing import NoReturn

from facilitator.commands.types import UserRef
from facilitator.domain.deadlines import MAX_TIMER_SECONDS, MIN_TIMER_SECONDS
from facilitator.domain.numbers import MAX_DIGITS
from facilitator.domain.pledges import FOLLOWUP_RANGE

MAX_VOTES_IN_ONE_COMMAND = 25
ON_WORDS = frozenset({"on", "yes", "true", "1"})
OFF_WORDS = frozenset({"off", "no", "false", "0"})

# Slack escapes mentions as <@U123> or <@U123|name>; Discord as <@123> or <@!123>.
_MENTION = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|([^>]*))?>$")
_DURATION_PART = re.compile(r"(\d{1,5})\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)?", re.IGNORECASE)
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}


class ParseError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fail(message: str) -> NoReturn:
    raise ParseError(message)


def shown(token: str, limit: int = 30) -> str:
    """A word from the person's input, short enough to quote back to them."""
    return token if len(token) <= limit else token[:limit] + "…"


def parse_numbers(rest: str, usage: str) -> tuple[int, ...]:
    tokens = rest.replace(",", " ").replace("#", " ").split()
    if not tokens:
        fail(f"Which item? Usage: `/pln {usage}`.")
    if len(tokens) > MAX_VOTES_IN_ONE_COMMAND:
        fail(f"That is more than {MAX_VOTES_IN_ONE_COMMAND} numbers in one command: send them in smaller groups.")
    numbers: list[int] = []
    for token in tokens:
        # isdecimal, not isdigit: "²" is a digit that int() refuses with a ValueError.
        if not token.isdecimal() or len(token) > MAX_DIGITS:
            fail(f"`{shown(token, 20)}` is not an item number. Usage: `/pln {usage}`.")
        numbers.append(int(token))
    return tuple(numbers)


def exactly(rest: str, usage: str, count: int) -> tuple[int, ...]:
    numbers = parse_numbers(rest, usage)
    if len(numbers) != count:
        fail(f"Usage: `/pln {usage}`.")
    return numbers


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


_FOLLOWUP_PART = re.compile(r"(\d{1,7})\s*(days?|d|weeks?|w|hours?|h|minutes?|mins?|m|seconds?|secs?|s)", re.IGNORECASE)
_FOLLOWUP_UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_followup(value: str) -> int:
    """`7d`, `2w`, `36h`, `10s`, `1d12h`: the follow-up period of pledges, in seconds. Every part
    needs its unit: `7` alone could mean days or minutes."""
    text, position, total = value.strip().lower(), 0, 0
    low, high = FOLLOWUP_RANGE
    usage = "followup is a duration from 10s to 90d (for example followup=7d, followup=36h), or off."
    if not text:
        fail(usage)
    while position < len(text):
        match = _FOLLOWUP_PART.match(text, position)
        if match is None:
            fail(f"`{shown(value, 20)}` is not a duration: {usage}")
        total += int(match.group(1)) * _FOLLOWUP_UNITS[match.group(2)[0]]
        position = match.end()
    if not low <= total <= high:
        fail(usage)
    return total


def parse_user_ref(rest: str, usage: str) -> UserRef:
    token = rest.strip()
    if not token:
        fail(f"Who? Usage: `/pln {usage}`.")
    match = _MENTION.match(token)
    if match:
        return UserRef(user_id=match.group(1), name=match.group(2) or None)
    return UserRef(name=token.removeprefix("@").strip())


def parse_switch(word: str, name: str) -> bool:
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    fail(f"{name} is on or off, e.g. `{name}=on`.")
