"""The /pln grammar, parsed once for every adapter that receives text."""

from __future__ import annotations

import re

from typing import NoReturn

from facilitator.commands.parsing import fail, shown
from facilitator.commands.registry import WORDS, suggestible_words
from facilitator.commands.types import Command, Help, Note, Submit
from facilitator.domain.deliberation import NOTE_WORD
from facilitator.domain.suggestions import as_choices, near_misses
from facilitator.domain.text_rules import well_formed

# A thread reply such as "DO: ..." or "DON'T: ..." (or "STOP: ..." in another template).
_THREAD_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z'’]{0,19})\s*:\s*")


def parse_command(text: str) -> Command:
    """Parse what follows `/pln`."""
    stripped = well_formed(text).strip()
    if stripped.lower().startswith("/pln"):
        stripped = stripped[4:].strip()
    if not stripped:
        return Help()
    word, _, rest = stripped.partition(" ")
    found = WORDS.get(word.lower())
    if found is None:
        unknown(word, rest.strip())
    _, parse = found
    return parse(rest.strip())


def unknown(word: str, rest: str) -> NoReturn:
    """Refuses an unknown subcommand, suggesting the one it most likely was. The suggestion is
    never run: a guess that moved a phase on or spent a vote would be worse than a question."""
    typed = f"I don't know the command `/pln {shown(word.lower())}`."
    guesses = near_misses(word, suggestible_words())
    if not guesses:
        fail(f"{typed} `/pln help` lists what you can do.")
    if len(guesses) == 1:
        tail = f" {shown(rest, 40)}" if rest else ""
        fail(f"{typed} Did you mean `/pln {guesses[0]}{tail}`?")
    fail(f"{typed} Did you mean {as_choices(f'/pln {g}' for g in guesses)}?")


def parse_message(text: str) -> Command | None:
    """A channel or thread message: a /pln command, a possible `WORD: text` submission, a
    possible `NOTE: text` discussion note, or None.

    Whether WORD names a category is the use case's call, since it depends on the template;
    a reply like "Idea: ..." that names none is ignored there, not refused. Likewise a "Note: ..."
    is kept only from a facilitator while an item is being discussed, and is chat otherwise.
    """
    text = well_formed(text)  # every word of it may reach the database or a reply
    if text.lstrip().lower().startswith("/pln"):
        return parse_command(text)
    match = _THREAD_PREFIX.match(text)
    if match is None:
        return None
    word, rest = match.group(1).lower(), text[match.end():]
    if word == NOTE_WORD:
        return Note(rest.strip(), from_thread_reply=True)
    return Submit(word, rest, from_thread_reply=True)

