"""A shell line `NAME: TEXT` -> who said what, in the one shared channel."""

from __future__ import annotations

import re
from dataclasses import dataclass

from facilitator.domain.actors import Actor, Place

TENANT = "shell"
CHANNEL = "shell"
THREAD = "shell"  # everything typed is also a reply in the current session's thread
_LINE = re.compile(r"^\s*([^:]{1,100}?)\s*:\s?(.*)$")
_AT_NAME = re.compile(r"(?<![<\w])@([\w.\-]+)")


@dataclass(frozen=True)
class ShellLine:
    actor: Actor
    text: str


def parse_line(line: str) -> ShellLine | None:
    match = _LINE.match(line.rstrip("\r\n"))
    if match is None or not match.group(1).strip():
        return None
    name = match.group(1).strip()
    return ShellLine(Actor(TENANT, name, name), match.group(2))


def place() -> Place:
    return Place("shell", CHANNEL, THREAD)


def resolve_mentions(text: str, known: set[str]) -> str:
    """`@Bob` names a person the shell has seen; write it as a platform mention so the core
    resolves it by id, exactly as a Slack or Discord mention would be."""

    if not text.lstrip().lower().startswith("/pln cohost"):
        return text  # item text keeps its @words as typed

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"<@{name}>" if name in known else match.group(0)

    return _AT_NAME.sub(swap, text)
