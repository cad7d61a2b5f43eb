"""Who may see what: the one place each rule lives, for every reader (replies, status, exports).

Blind voting: while voting is open, no reply to anyone, facilitators included, may carry an
item's tally or anything it can be worked out from. Before voting there are no votes; after it
the tallies are public. Anonymous sessions: no author is named anywhere people can read.
"""

from __future__ import annotations

from facilitator.domain.phases import Phase


def tallies_secret(blind: bool, phase: Phase) -> bool:
    """While this holds, no reply to anyone may carry a number an item's tally can be worked out from."""
    return blind and phase is Phase.VOTING


def results_published(blind: bool, phase: Phase) -> bool:
    """Whether `/pln results` shows the tally: with blind voting, only once voting has closed
    (before it there is nothing to publish; during it, tallies_secret)."""
    return not blind or phase in (Phase.DISCUSSING, Phase.CLOSED)


def about_author(anonymous: bool, fact: str) -> str | None:
    """Something that tells who wrote an item (their name, their level), as readers may see it:
    None in an anonymous session."""
    return None if anonymous else fact


# Moderation actions that move or refund votes: a vote-derived count compared across one of them
# tells how many votes the items involved held.
VOTE_MOVING_ACTIONS = frozenset({"hide", "restore", "merge"})


def blind_progress(blind: bool, phase: Phase, people_done: int, moved_votes_while_voting: bool) -> int | None:
    """What the room may see of voting progress: how many people have spent all their votes.

    While tallies are secret it is the only vote-derived number shown, and only until a hide,
    restore or merge moves votes during this voting phase: a count that drops when #1 is hidden
    says how many finished voters had voted for #1. From then until voting closes it is withheld
    (None), so the difference between two readings around the action never exists. Outside blind
    voting the tallies themselves are public, so the count is too."""
    if tallies_secret(blind, phase) and moved_votes_while_voting:
        return None
    return people_done
