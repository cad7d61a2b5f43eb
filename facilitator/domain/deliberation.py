"""The rules of deliberation: agenda orders, rounds, and the guards on thin evidence.

Sources and when to use each method: docs/FACILITATION.md, "Deliberation".
"""

from __future__ import annotations

import enum


class AgendaOrder(str, enum.Enum):
    """How `/pln agenda` orders the items to discuss."""

    VOTES = "votes"  # most votes first
    DIVERGENCE = "divergence"  # largest gap between the first and the last level's support first
    UNSHARED = "unshared"  # items backed mostly by one level first (Stasser & Titus's hidden profiles)


DEFAULT_AGENDA = AgendaOrder.VOTES

# A thread reply "NOTE: ..." is a facilitator's discussion note, so no template category may be
# called (or aliased) "note": its "NOTE: ..." replies would be read as notes.
NOTE_WORD = "note"

# Why an item is on the agenda: the order's reason for it, or "votes" for the items it ranks
# after its own picks. Templates phrase one question per reason (Template.agenda_questions).
AGENDA_REASONS = ("votes", "divergence", "unshared")

# A round is one blind vote; the second follows discussion (Delphi). More rounds mostly measure
# fatigue, and the export's `session.round` is 1 or 2.
MAX_ROUNDS = 2

# Unshared: an item whose support comes mostly from one level. "Mostly": that level's share of
# its people who voted for the item is at least this part of all the levels' shares added up
# (3/4: three times the others together; 100% against 50% is shared, not one level's), so a
# level is not favoured for being large.
UNSHARED_CONCENTRATION = 3 / 4
# ...and at least this many of that level voted for it: one person is not a level's knowledge.
UNSHARED_MIN_VOTERS = 2

# Surprisingly popular: with fewer predictions than this, or fewer voters, one person's guess or
# vote would move a score by a third or more, so no score is given.
MIN_PREDICTORS = 3
MIN_VOTERS_FOR_SURPRISE = 3


# The question `/pln next item` asks about an item, by why it is on the agenda; a template may
# phrase its own ([agenda_questions]). {level} is the level that backs the item most, {other}
# the level it is compared with (divergence only).
DEFAULT_AGENDA_QUESTIONS = {
    "votes": "This is one of the group's top picks: what would it take to act on it this week?",
    "divergence": "People at the {level} level backed this more than those at the {other} level: "
                  "what do they see in it that the others don't?",
    "unshared": "Support for this came mostly from the {level} level: what do they know about it that "
                "the rest of the group might not?",
}
_PLACEHOLDERS = {"votes": {}, "divergence": {"level": "a", "other": "b"}, "unshared": {"level": "a"}}


def question_problem(reason: str, question: str) -> str | None:
    """What is wrong with a template's question, or None. Checked when the template loads: a
    misspelt {placeholder} would otherwise fail only when the item comes up in a workshop."""
    try:
        question.format(**_PLACEHOLDERS[reason])
    except (KeyError, IndexError, ValueError):
        allowed = ", ".join(f"{{{name}}}" for name in _PLACEHOLDERS[reason]) or "none"
        return f"may use only these placeholders: {allowed} (write {{{{ and }}}} for braces)"
    return None


def parse_order(word: str) -> AgendaOrder | None:
    try:
        return AgendaOrder(word.lower())
    except ValueError:
        return None
