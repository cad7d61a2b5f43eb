"""Hand-built sessions for the deliberation reports: every number in the tests is worked out
from these by hand, in the comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from facilitator.domain.settings import Settings
from facilitator.reports.snapshot import DiscussionRecord, NoteRecord, PredictionRecord, RoundRecord, SessionSnapshot
from facilitator.reports.vote_counts import VoteCounts, VoteRecord
from tests.reports.summary.sample_sessions import START, SessionBuilder, pln_template


def mixed_room(min_level_size: int = 2) -> tuple[SessionBuilder, dict[str, int]]:
    """4 newcomers, 2 practitioners, 2 veterans, six DOs:

    #1 A: N1 N2 N3 N4 P1 V1  -> 6 votes; shares new 4/4, prac 1/2, vet 1/2
    #2 B: V1 V2              -> 2 votes; vet 2/2, nobody else
    #3 C: N1 N2 N3 V1        -> 4 votes; new 3/4, vet 1/2
    #4 D: P1                 -> 1 vote;  prac 1/2, one person
    #5 E: N1 N2 N3           -> 3 votes; new 3/4, nobody else
    #6 F: nobody             -> 0 votes
    """
    s = SessionBuilder(template=pln_template(min_level_size=min_level_size))
    people = {name: s.person(name, level) for name, level in (
        ("N1", "newcomer"), ("N2", "newcomer"), ("N3", "newcomer"), ("N4", "newcomer"),
        ("P1", "practitioner"), ("P2", "practitioner"), ("V1", "veteran"), ("V2", "veteran"))}
    author = people["N1"]
    for text in "ABCDEF":
        s.item(author, "do", text)
    for voter, numbers in (("N1", (1, 3, 5)), ("N2", (1, 3, 5)), ("N3", (1, 3, 5)), ("N4", (1,)), ("P1", (1, 4)),
                           ("V1", (1, 2, 3)), ("V2", (2,))):
        s.vote(people[voter], *numbers)
    return s, people


def counts_of(builder: SessionBuilder, votes: list[VoteRecord]) -> VoteCounts:
    return VoteCounts.of_votes(votes, {person.id: person.level for person in builder.people},
                               {item.number: item.author_id for item in builder.items})


def with_rounds(snapshot: SessionSnapshot, builder: SessionBuilder, first_round: list[VoteRecord]) -> SessionSnapshot:
    """`snapshot`'s votes become round 2's; `first_round` is round 1's."""
    return replace(snapshot, round=2, closed_rounds=(RoundRecord(1, counts_of(builder, first_round)),))


def predicting(snapshot: SessionSnapshot, predictions: dict[int, tuple[int, ...]], round_: int = 1) -> SessionSnapshot:
    """Predictions on, with {participant id: item numbers} made in `round_`."""
    settings: Settings = replace(snapshot.settings, predict=True)
    made = tuple(PredictionRecord(round_, person, numbers) for person, numbers in predictions.items())
    return replace(snapshot, settings=settings, predictions=snapshot.predictions + made)


def discussed(snapshot: SessionSnapshot, *entries: tuple[int, str, tuple[str, ...]]) -> SessionSnapshot:
    """(number, reason, notes) in agenda order; notes are written by the facilitator "Fay"."""
    records = tuple(DiscussionRecord(number, reason, START + timedelta(minutes=40 + i)) for i, (number, reason, _) in
                    enumerate(entries))
    notes = tuple(NoteRecord(number, "Fay", text, START + timedelta(minutes=50)) for number, _, texts in entries
                  for text in texts)
    return replace(snapshot, discussions=records, notes=notes)


def deliberation_session() -> SessionSnapshot:
    """Two rounds, predictions in both, an agenda discussed with notes that try to be markup: the
    sample the format and validator tests render (tests/reports/export)."""
    builder, people = mixed_room()
    n1, n2, n3, n4, p1, v1, v2 = (people[k] for k in ("N1", "N2", "N3", "N4", "P1", "V1", "V2"))
    first = [VoteRecord(number, person, 1) for person, numbers in (
        (n1, (1, 4)), (n2, (1, 4)), (n3, (1,)), (n4, (1,)), (p1, (1, 4)), (v1, (1, 3)), (v2, (3,))) for number in numbers]
    snapshot = with_rounds(builder.build(), builder, first)
    snapshot = predicting(snapshot, {person: (1, 3) for person in people.values()}, round_=1)
    snapshot = predicting(snapshot, {person: (1,) for person in list(people.values())[:4]}, round_=2)
    return discussed(snapshot, (2, "unshared", ("<script>alert(1)</script> & =cmd | not a cell", "Try it for a month")),
                     (5, "unshared", ()), (1, "votes", ("See www.example.org/*x*",)))
