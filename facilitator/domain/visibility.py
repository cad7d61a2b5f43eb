"""Who may see what: the one place each rule lives, for every reader (replies, status, exports).

Blind voting: while voting is open, no reply to anyone, facilitators included, may carry an
item's tally or anything it can be worked out from. Before voting there are no votes; after it
the tallies are public. A second round (`/pln revote`) is voting again: the same rule holds.
Predictions: nobody sees anyone else's until voting closes, blind or not. Anonymous sessions:
no author is named anywhere people can read.
"""

from __future__ import annotations

from facilitator.domain.phases import Phase


def tallies_secret(blind: bool, phase: Phase) -> bool:
    """While this holds, no reply to anyone may carry a number an item's tally can be worked out from."""
    return blind and phase is Phase.VOTING


def has_votes_left(votes_used: int, used_all_votes: bool, budget: int, secret: bool) -> bool:
    """Whether a reply may count a person as still having votes to spend. While tallies are
    secret it is "has never spent them all": a hide or a merge gives votes back to the people
    who voted for an item, so counting who has votes left *now* would move with the item's
    tally. The latch (used_all_votes) stays set through such refunds until voting closes."""
    return not used_all_votes if secret else votes_used < budget


def results_published(blind: bool, phase: Phase) -> bool:
    """Whether `/pln results` shows the tally: with blind voting, only once voting has closed
    (before it there is nothing to publish; during it, tallies_secret)."""
    return not blind or phase in (Phase.DISCUSSING, Phase.CLOSED)


def predictions_secret(phase: Phase) -> bool:
    """While this holds, no reply and no chat export may carry anyone's predictions or a number
    worked out from them (the surprise scores). Unlike tallies this ignores `blind`: the method
    needs each prediction made without seeing the others'."""
    return phase is Phase.VOTING


def about_author(anonymous: bool, fact: str) -> str | None:
    """Something that tells who wrote an item (their name, their level), as readers may see it:
    None in an anonymous session."""
    return None if anonymous else fact
