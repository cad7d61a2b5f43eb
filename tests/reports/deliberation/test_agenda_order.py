"""Each agenda order, worked out by hand on tests/reports/deliberation/sessions.mixed_room."""

from __future__ import annotations

from dataclasses import replace

import pytest

from facilitator.domain.deliberation import AgendaOrder
from facilitator.reports.agenda import build_agenda
from facilitator.reports.summary import summarize
from tests.reports.deliberation.sessions import mixed_room
from tests.reports.summary.sample_sessions import SessionBuilder


def agenda_of(builder: SessionBuilder, order: AgendaOrder):  # type: ignore[no-untyped-def]
    return build_agenda(summarize(builder.build(phase="discussing")), order)


def test_votes_order_is_most_votes_first_every_item_included() -> None:
    builder, _ = mixed_room()
    agenda = agenda_of(builder, AgendaOrder.VOTES)
    # A 6, C 4, E 3, B 2, D 1, F 0.
    assert agenda.numbers == (1, 3, 5, 2, 4, 6)
    assert {entry.reason for entry in agenda.entries} == {"votes"} and agenda.note is None


def test_votes_order_breaks_ties_by_arrival() -> None:
    builder, people = mixed_room()
    builder.vote(people["P2"], 5)  # E now has 4 votes, like C: C (#3) arrived first
    assert agenda_of(builder, AgendaOrder.VOTES).numbers == (1, 3, 5, 2, 4, 6)
    builder.vote(people["V2"], 5)  # E 5 votes: ahead of C
    assert agenda_of(builder, AgendaOrder.VOTES).numbers == (1, 5, 3, 2, 4, 6)


def test_divergence_order_puts_the_largest_gap_between_newcomers_and_veterans_first() -> None:
    builder, _ = mixed_room()
    agenda = agenda_of(builder, AgendaOrder.DIVERGENCE)
    # veteran share minus newcomer share: B +1.0, E -0.75, A -0.5, C -0.25; D and F 0 (not ranked),
    # so they follow by votes: D 1, F 0.
    assert agenda.numbers == (2, 5, 1, 3, 4, 6)
    reasons = [(e.item.number, e.reason, e.level, e.other) for e in agenda.entries]
    assert reasons[:2] == [(2, "divergence", "veteran", "newcomer"), (5, "divergence", "newcomer", "veteran")]
    assert reasons[4:] == [(4, "votes", "", ""), (6, "votes", "", "")]


def test_divergence_order_falls_back_to_votes_when_a_compared_level_is_too_small() -> None:
    builder, _ = mixed_room(min_level_size=3)  # only 2 veterans: too few to compare
    agenda = agenda_of(builder, AgendaOrder.DIVERGENCE)
    assert agenda.numbers == (1, 3, 5, 2, 4, 6)
    assert agenda.note is not None and "Too few to rank: veteran (2)" in agenda.note and "by votes" in agenda.note


def test_unshared_order_puts_items_backed_mostly_by_one_level_first() -> None:
    builder, _ = mixed_room()
    agenda = agenda_of(builder, AgendaOrder.UNSHARED)
    # Shares by level (new, prac, vet); the backing level's part of their sum:
    # A 1, .5, .5 -> 1/2: shared.   B 0, 0, 1 -> 1, 2 veterans: unshared.
    # C .75, 0, .5 -> .6: shared.   D 0, .5, 0 -> 1 but one practitioner: too thin to tell.
    # E .75, 0, 0 -> 1, 3 newcomers: unshared.  F no votes.
    # Unshared ties on concentration: more voters from the backing level first (E 3, B 2).
    assert agenda.numbers == (5, 2, 1, 3, 4, 6)
    assert [(e.item.number, e.reason, e.level, e.concentration) for e in agenda.entries[:2]] == [
        (5, "unshared", "newcomer", 1.0), (2, "unshared", "veteran", 1.0)]
    assert {e.reason for e in agenda.entries[2:]} == {"votes"}


def test_unshared_needs_the_backing_level_to_be_three_times_the_others_together() -> None:
    builder, people = mixed_room()
    builder.vote(people["P2"], 2)  # B: vet 1, prac .5 -> 1/1.5 = .67, under 3/4: now shared
    assert agenda_of(builder, AgendaOrder.UNSHARED).numbers == (5, 1, 3, 2, 4, 6)


def test_a_lone_voter_of_a_small_level_is_not_a_level_s_knowledge() -> None:
    builder, people = mixed_room()
    solo = builder.person("Solo", "veteran")  # a level... of 3 now; still one person backs the new item
    builder.item(solo, "dont", "G")
    builder.vote(solo, 7)
    agenda = agenda_of(builder, AgendaOrder.UNSHARED)
    # G: veteran 1/3, nobody else -> concentration 1, but only 1 veteran voted: not unshared.
    assert next(e for e in agenda.entries if e.item.number == 7).reason == "votes"


def test_unshared_falls_back_to_votes_with_one_level_present() -> None:
    builder = SessionBuilder()
    a, b = builder.person("A", "newcomer"), builder.person("B", "newcomer")
    builder.person("C", "unspecified")  # not an experience level: still only one level here
    for text in ("X", "Y"):
        builder.item(a, "do", text)
    builder.vote(a, 2)
    builder.vote(b, 2)
    agenda = agenda_of(builder, AgendaOrder.UNSHARED)
    assert agenda.numbers == (2, 1)
    assert agenda.note is not None and "Fewer than two levels" in agenda.note


@pytest.mark.parametrize("order", list(AgendaOrder))
def test_hidden_items_are_never_on_the_agenda(order: AgendaOrder) -> None:
    builder, _ = mixed_room()
    builder.items[1] = replace(builder.items[1], hidden=True)  # B
    assert 2 not in agenda_of(builder, order).numbers
