"""The /pln grammar, parsed once for every adapter that receives text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

EXPORT_FORMATS = ("md", "csv", "json", "html")
MAX_VOTES_IN_ONE_COMMAND = 25


class ParseError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Start:
    title: str = ""
    template: str | None = None  # a template id; None means the default (pln)


@dataclass(frozen=True)
class Join:
    level: str


@dataclass(frozen=True)
class Submit:
    """A new item. `kind` is the word the person used ("do", "don't", "stop", ...);
    the service maps it to one of the session template's categories."""

    kind: str
    text: str
    from_thread_reply: bool = False
    force: bool = False  # "send anyway": skip the near-duplicate check (`/pln do! TEXT`)


@dataclass(frozen=True)
class Vote:
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Unvote:
    number: int


@dataclass(frozen=True)
class Next:
    seconds: int | None = None  # `/pln next 10m`: a deadline for the phase being opened


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class Status:
    pass


@dataclass(frozen=True)
class Results:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Export:
    format: str = "md"


@dataclass(frozen=True)
class UserRef:
    """Someone named in a command: a platform id when the platform gave one, else a name."""

    user_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Cohost:
    target: UserRef


# The facilitation-depth commands (timers, settings, moderation, duplicates, nudges) live in
# facilitator.depth_commands; they are part of the same grammar.
from facilitator.depth_commands import (  # noqa: E402
    DEPTH_HELP_LINES,
    DEPTH_PARSERS,
    DepthCommand,
    parse_duration,
)

Command = Start | Join | Submit | Vote | Unvote | Next | End | Status | Results | Help | Export | Cohost | DepthCommand

# Slack escapes mentions as <@U123> or <@U123|name>; Discord as <@123> or <@!123>.
_MENTION = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|([^>]*))?>$")
# A thread reply such as "DO: ..." or "DON'T: ..." (or "STOP: ..." in another template).
_THREAD_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z'’]{0,19})\s*:\s*")
_SUBMIT_WORDS = ("do", "dont", "don't", "don’t")

HELP_LINES = (
    ("start [TITLE]", "start a session in this channel (you become its facilitator)"),
    ("start template=ID [TITLE]", "start one from another workshop template"),
    ("join LEVEL", "say how experienced you are"),
    ("do TEXT / dont TEXT", "add a DO or a DON'T (or reply in the thread with DO: or DON'T:)"),
    ("add CATEGORY TEXT", "add an item in a template's own category (start, stop, continue...)"),
    ("vote N [N ...]", "spend dot votes on items by number"),
    ("unvote N", "take a vote back"),
    ("status", "where the session stands, and your votes left"),
    ("results", "the tally so far"),
    ("next [10m]", "facilitator: move to the next phase (optionally with a timer)"),
    ("end", "facilitator: close the session and post the summary"),
    ("cohost @person", "facilitator: make someone a co-host"),
    ("export [md|csv|json|html]", "get the session as a file (with blind votes, once voting closes)"),
    *DEPTH_HELP_LINES,
    ("help", "this list"),
)


def parse_command(text: str) -> Command:
    """Parse what follows `/pln`."""
    stripped = text.strip()
    if stripped.lower().startswith("/pln"):
        stripped = stripped[4:].strip()
    if not stripped:
        return Help()
    word, _, rest = stripped.partition(" ")
    word = word.lower()
    rest = rest.strip()
    if word in _SUBMIT_WORDS:
        return Submit(word, rest)
    if word.endswith("!") and word[:-1] in _SUBMIT_WORDS:
        return Submit(word[:-1], rest, force=True)
    if word == "add":
        category, _, text = rest.partition(" ")
        if not category:
            raise ParseError("Usage: `/pln add CATEGORY TEXT`, for example `/pln add do Share first`.")
        return Submit(category.lower(), text.strip())
    parser = _PARSERS.get(word)
    if parser is None:
        shown = word if len(word) <= 30 else word[:30] + "…"
        raise ParseError(f"I don't know the command `{shown}`. Try `/pln help` for the list.")
    return parser(rest)


def parse_message(text: str) -> Command | None:
    """A channel or thread message: a /pln command, a possible `WORD: text` submission, or None.

    Whether WORD names a category is the service's call, since it depends on the template;
    a reply like "Note: ..." that names none is ignored there, not refused.
    """
    if text.lstrip().lower().startswith("/pln"):
        return parse_command(text)
    match = _THREAD_PREFIX.match(text)
    if match is None:
        return None
    return Submit(match.group(1).lower(), text[match.end():], from_thread_reply=True)


def parse_numbers(rest: str, usage: str) -> tuple[int, ...]:
    tokens = rest.replace(",", " ").replace("#", " ").split()
    if not tokens:
        raise ParseError(f"Which item? Usage: `/pln {usage}`.")
    if len(tokens) > MAX_VOTES_IN_ONE_COMMAND:
        raise ParseError(f"That is more than {MAX_VOTES_IN_ONE_COMMAND} numbers in one command.")
    numbers: list[int] = []
    for token in tokens:
        # isdecimal, not isdigit: "²" is a digit that int() refuses with a ValueError.
        if not token.isdecimal() or len(token) > 9:
            shown = token if len(token) <= 20 else token[:20] + "…"
            raise ParseError(f"`{shown}` is not an item number. Usage: `/pln {usage}`.")
        numbers.append(int(token))
    return tuple(numbers)


def parse_user_ref(rest: str) -> UserRef:
    token = rest.strip()
    if not token:
        raise ParseError("Who? Usage: `/pln cohost @person`.")
    match = _MENTION.match(token)
    if match:
        return UserRef(user_id=match.group(1), name=match.group(2) or None)
    return UserRef(name=token.removeprefix("@").strip())


def _start(rest: str) -> Command:
    first, _, title = rest.partition(" ")
    if first.lower().startswith("template="):
        template = first.split("=", 1)[1].strip().lower()
        if not template:
            raise ParseError("Usage: `/pln start template=ID [TITLE]`, for example `template=start-stop-continue`.")
        return Start(title.strip(), template)
    return Start(rest)


def _join(rest: str) -> Command:
    if not rest:
        raise ParseError("Which level? Usage: `/pln join LEVEL`, for example `/pln join newcomer`.")
    return Join(rest.split()[0].lower())


def _vote(rest: str) -> Command:
    return Vote(parse_numbers(rest, "vote N [N ...]"))


def _unvote(rest: str) -> Command:
    numbers = parse_numbers(rest, "unvote N")
    if len(numbers) != 1:
        raise ParseError("Take back one vote at a time: `/pln unvote N`.")
    return Unvote(numbers[0])


def _export(rest: str) -> Command:
    fmt = (rest.split() or ["md"])[0].lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in EXPORT_FORMATS:
        raise ParseError(f"Export formats are {', '.join(EXPORT_FORMATS)}.")
    return Export(fmt)



_PARSERS: dict[str, Callable[[str], Command]] = {
    "start": _start,
    "join": _join,
    "vote": _vote,
    "unvote": _unvote,
    # Words after `next` were always ignored ("next now"); a number starts a timer.
    "next": lambda rest: Next(parse_duration(rest, "next [10m]") if rest[:1].isdigit() else None),
    "end": lambda rest: End(),
    "status": lambda rest: Status(),
    "results": lambda rest: Results(),
    "help": lambda rest: Help(),
    "export": _export,
    "cohost": lambda rest: Cohost(parse_user_ref(rest)),
    **DEPTH_PARSERS,
}
