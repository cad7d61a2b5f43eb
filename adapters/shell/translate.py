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
_MENTIONABLE = re.compile(r"[A-Za-z0-9]+")  # what the core reads as a mention's id


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
    """`@Bob` in `/pln cohost` is a mention, written the way a platform writes one so the core
    resolves it by id, exactly as a Slack or Discord mention would be. In the shell a person's
    id is their name, so Bob need not have typed anything yet, just as a Slack user need not
    have joined; a name the shell has seen keeps the spelling it was first seen with."""

    if not text.lstrip().lower().startswith("/pln cohost"):
        return text  # item text keeps its @words as typed
    spelled = {name.lower(): name for name in known}

    def swap(match: re.Match[str]) -> str:
        name = spelled.get(match.group(1).lower(), match.group(1))
        return f"<@{name}|{name}>" if _MENTIONABLE.fullmatch(name) else match.group(0)

    return _AT_NAME.sub(swap, text)
