"""The books of a race between a burst of votes and one facilitator action: what people were
told, what the store holds, what was posted when voting closed, and the invariants that tie
them together. Shared by the in-process race tests and the two-process Slack race test.

The scenario: items #1, #2 and #3; some people already hold a vote on #2; then everyone votes
for #1 at a random moment of a short window while the facilitator runs one action at a random
moment of it: `hide 1`, `merge 2 1` (keep #2, fold #1 into it), `next` or `end`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from facilitator.bootstrap import FacilitatorApp
from tests.app.support import stored, stored_document

TARGET = 1  # the item everyone votes for in the burst
KEEP = 2  # `merge 2 1` keeps #2
PER_ITEM = 1  # the default: at most one vote per item from each person
ACTIONS = ("hide", "merge", "next", "end")
COMMAND = {"hide": f"hide {TARGET}", "merge": f"merge {KEEP} {TARGET}", "next": "next", "end": "end"}
# What a vote for #1 is refused with once the action has run, and nothing else. After `end`, a
# click names the closed session; a typed vote finds no open session in the channel.
REFUSED_AFTER = {
    "hide": (f"There's no item #{TARGET} in this session.",),
    "merge": (f"#{TARGET} was merged into #{KEEP}",),
    "next": ("Votes are taken only during the voting phase",),
    "end": ("This session is closed.", "There's no open session in this channel."),
}
_VOTED = re.compile(r"^Voted for ((?:#\d+, )*#\d+)\.")
_TOOK_BACK = re.compile(r"^Took back your vote on #(\d+)\.")
# A results line ("#3 Text (Ann): 4 votes [veteran 4]") or a summary line ("1. #3 Text (Ann,
# veteran) — 4 votes: veteran 4 (100%)").
_POSTED_ROW = re.compile(r"^(?:\d+\. )?#(\d+) .*?(?:: | — )(\d+) votes?\b")


def told(user: str, text: str, into: Counter[tuple[str, int]]) -> bool:
    """Adds what one private reply told `user` about the votes they hold; False if it told nothing."""
    if voted := _VOTED.match(text):
        for number in re.findall(r"#(\d+)", voted.group(1)):
            into[(user, int(number))] += 1
        return True
    if took := _TOOK_BACK.match(text):
        into[(user, int(took.group(1)))] -= 1
        return True
    return False


def is_refund_notice(text: str) -> bool:
    """A private notice that a hide or a merge gave votes back."""
    return text.startswith(f"#{TARGET} was taken out of the lists") or text.startswith("You had voted for both")


def posted_votes(lines: list[str]) -> dict[int, int]:
    """Votes per item (those with any) from the lines of a results or summary message."""
    found = {}
    for line in lines:
        if (match := _POSTED_ROW.match(line.strip())) and int(match.group(2)):
            found[int(match.group(1))] = int(match.group(2))
    return found


def expected_holdings(acks: Counter[tuple[str, int]], action: str) -> Counter[tuple[str, int]]:
    """What each acknowledged vote must have become once the action ran: gone with a hidden
    item (and refunded), moved onto the kept item by a merge (a person counts once there),
    untouched by a phase change."""
    held: Counter[tuple[str, int]] = Counter()
    for (user, item), count in acks.items():
        if count <= 0 or (action == "hide" and item == TARGET):
            continue
        if action == "merge" and item == TARGET:
            item = KEEP
        held[(user, item)] = min(held[(user, item)] + count, PER_ITEM)
    return held


def per_item(held: Counter[tuple[str, int]]) -> dict[int, int]:
    totals: Counter[int] = Counter()
    for (_, item), count in held.items():
        totals[item] += count
    return {item: count for item, count in totals.items() if count}


@dataclass
class Books:
    action: str
    blind: bool
    voters: int  # people in the burst
    acks: Counter[tuple[str, int]] = field(default_factory=Counter)  # (person, item) -> votes they were told of
    burst_answers: Counter[str] = field(default_factory=Counter)  # "ack" / "refused" / anything else, verbatim
    refund_notices: Counter[str] = field(default_factory=Counter)  # person -> private "came back" notices
    held: Counter[tuple[str, int]] = field(default_factory=Counter)  # the store: votes on visible items
    on_hidden: int = 0  # the store: votes on hidden or merged-away items
    votes_cast: dict[str, int] = field(default_factory=dict)  # the store: each person's budget spent
    posted: dict[int, int] | None = None  # votes per item posted when voting closed
    exported: dict[int, int] | None = None  # votes per item in an export made afterwards

    def answer(self, text: str) -> None:
        """Files the answer one person got to their burst vote."""
        if _VOTED.match(text):
            self.burst_answers["ack"] += 1
        elif any(refusal in text for refusal in REFUSED_AFTER[self.action]):
            self.burst_answers["refused"] += 1
        else:
            self.burst_answers[text] += 1

    def check(self) -> None:
        """Every invariant of the race; each assertion says which one broke."""
        assert sum(self.burst_answers.values()) == self.voters, ("every vote gets one answer", self.burst_answers)
        assert set(self.burst_answers) <= {"ack", "refused"}, ("only an ack or the clear refusal", self.burst_answers)
        assert self.on_hidden == 0, "hidden and merged-away items hold no votes"
        for user, spent in self.votes_cast.items():
            mine = sum(count for (who, _), count in self.held.items() if who == user)
            assert spent == mine, f"{user}'s votes cast ({spent}) equal the votes they hold on visible items ({mine})"
        expected = expected_holdings(self.acks, self.action)
        assert +self.held == +expected, "every acknowledged vote is held where the action put it, and nothing else"
        assert self.posted == per_item(expected), "the results posted when voting closed count every acknowledged vote"
        assert self.exported == self.posted, "a later export says what the posted results said"
        self._check_refunds()

    def _check_refunds(self) -> None:
        on_target = Counter({user: n for (user, item), n in self.acks.items() if item == TARGET and n > 0})
        if self.action == "hide" and not self.blind:
            assert self.refund_notices == on_target, "each vote a hide gave back was announced to its voter"
        elif self.action == "merge" and not self.blind:
            both = Counter({user: 1 for user in on_target if self.acks[(user, KEEP)] > 0})
            assert self.refund_notices == both, "each vote a merge gave back was announced to its voter"
        else:
            # Nothing was given back, or (blind voting) one public notice in the thread said it for
            # everyone, so that who is told says nothing about #1.
            assert not self.refund_notices, "no private refund notice"


async def read_the_store(app: FacilitatorApp, books: Books, session_id: int) -> None:
    """What the database holds of the session, and its export, into the books."""
    state = await stored(app, session_id)
    hidden = {number for number, _, _, _, is_hidden in state["items"] if is_hidden}
    for number, user, weight in state["votes"]:
        if number in hidden:
            books.on_hidden += weight
        else:
            books.held[(user, number)] += weight
    books.votes_cast = {user: used for user, _, _, used in state["people"]}
    document = await stored_document(app, session_id)
    books.exported = {item["number"]: item["votes"] for item in document["items"] if item["votes"]}
