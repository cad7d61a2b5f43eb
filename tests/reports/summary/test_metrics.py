"""Each summary metric on cases worked out by hand (the numbers are in the comments)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from facilitator.reports.summary import summarize
from tests.reports.summary.sample_sessions import START, SessionBuilder, demo_session, pln_template


def shares(summary, number):  # type: ignore[no-untyped-def]
    item = next(i for i in summary.items if i.number == number)
    return {s.level: s.share for s in item.by_level}


def test_demo_votes_and_normalised_support_by_level() -> None:
    summary = summarize(demo_session())
    # People: newcomer 4, practitioner 3, veteran 4 (incl. the silent facilitator), unspecified 1.
    assert summary.levels == ("newcomer", "practitioner", "veteran", "unspecified")
    assert summary.people_by_level == (("newcomer", 4), ("practitioner", 3), ("veteran", 4), ("unspecified", 1))
    give = next(i for i in summary.items if i.number == 1)
    # Voted by Ana (n); Eva, Fay, Gus (p); Hal, Ida (v).
    assert give.votes == 6
    assert [(s.level, s.votes, s.voters, s.people) for s in give.by_level] == [
        ("newcomer", 1, 1, 4),
        ("practitioner", 3, 3, 3),
        ("veteran", 2, 2, 4),
        ("unspecified", 0, 0, 1),
    ]
    assert shares(summary, 1) == {"newcomer": 0.25, "practitioner": 1.0, "veteran": 0.5, "unspecified": 0.0}
    # #3: Ana, Ben, Cem (n) and Kim (no level).
    assert shares(summary, 3) == {"newcomer": 0.75, "practitioner": 0.0, "veteran": 0.0, "unspecified": 1.0}
    assert summary.votes_cast == 23


def test_rankings_leave_hidden_items_out_and_share_ranks_on_ties() -> None:
    summary = summarize(demo_session())
    assert [i.number for i in summary.items] == [1, 2, 3, 4, 8, 5, 6]  # #7 is hidden
    do, dont = summary.top
    assert (do.kind, [i.number for i in do.items], do.total) == ("do", [1, 2, 3, 4], 4)
    # #5 and #6 both have 2 votes: rank 2 shared, order of arrival kept.
    assert [(i.number, i.votes, i.rank) for i in dont.items] == [(8, 4, 1), (5, 2, 2), (6, 2, 2)]


def test_top_list_is_cut_at_the_limit_with_the_tie_visible_in_the_rank() -> None:
    s = SessionBuilder()
    ana = s.person("Ana", "newcomer")
    numbers = [s.item(ana, "do", f"idea {n}") for n in range(1, 8)]
    s.vote(ana, numbers[0])
    summary = summarize(s.build(), top_per_category=3)
    do = summary.top[0]
    assert [(i.number, i.rank) for i in do.items] == [(1, 1), (2, 2), (3, 2)]
    assert do.total == 7


def test_consensus_needs_a_voter_from_every_level_present() -> None:
    summary = summarize(demo_session())
    assert summary.consensus.levels == ("newcomer", "practitioner", "veteran")  # "unspecified" is no level
    # #1: lowest share 25%, 6 votes; #2: lowest 25% (veteran 1 of 4), 5 votes. #8 has no newcomer.
    assert [i.number for i in summary.consensus.items] == [1, 2]


def test_consensus_ranks_the_broadest_support_first() -> None:
    s = SessionBuilder()
    n1, n2, v1, v2 = s.person("n1", "newcomer"), s.person("n2", "newcomer"), s.person("v1", "veteran"), s.person("v2", "veteran")
    a, b = s.item(n1, "do", "a"), s.item(v1, "do", "b")
    s.vote(n1, a, b)
    s.vote(v1, a, b)
    s.vote(n2, b)
    s.vote(v2, b)
    summary = summarize(s.build())
    # Practitioners are absent, so only newcomers and veterans must agree. b: 100%/100%, a: 50%/50%.
    assert summary.consensus.levels == ("newcomer", "veteran")
    assert [i.number for i in summary.consensus.items] == [b, a]


def test_divergence_ranks_by_difference_with_direction() -> None:
    summary = summarize(demo_session())
    divergence = summary.divergence
    assert (divergence.first_level, divergence.last_level, divergence.too_few) == ("newcomer", "veteran", ())
    assert divergence.ranked
    got = [(e.item.number, e.first_share, e.last_share, e.difference, divergence.favoured_by(e)) for e in divergence.entries]
    # |0.75| twice: #3 and #8 have 4 votes each, so the earlier number comes first. #4 (0 vs 0) is left out.
    assert got == [
        (3, 0.75, 0.0, -0.75, "newcomer"),
        (8, 0.0, 0.75, 0.75, "veteran"),
        (2, 0.75, 0.25, -0.5, "newcomer"),
        (6, 0.5, 0.0, -0.5, "newcomer"),
        (1, 0.25, 0.5, 0.25, "veteran"),
        (5, 0.0, 0.25, 0.25, "veteran"),
    ]


def test_two_of_two_veterans_outweigh_three_of_ten_newcomers() -> None:
    s = SessionBuilder()
    newcomers = [s.person(f"n{i}", "newcomer") for i in range(10)]
    veterans = [s.person(f"v{i}", "veteran") for i in range(2)]
    popular = s.item(newcomers[0], "do", "three newcomers like this")
    expert = s.item(veterans[0], "do", "both veterans like this")
    for person in newcomers[:3]:
        s.vote(person, popular)
    for person in veterans:
        s.vote(person, expert)
    summary = summarize(s.build())
    assert [i.number for i in summary.items] == [popular, expert]  # raw votes: 3 beats 2
    assert shares(summary, popular)["newcomer"] == pytest.approx(0.3)
    assert shares(summary, expert)["veteran"] == 1.0
    top = summary.divergence.entries[0]
    assert (top.item.number, top.difference, summary.divergence.favoured_by(top)) == (expert, 1.0, "veteran")
    assert summary.divergence.entries[1].difference == pytest.approx(-0.3)


def test_a_level_below_the_threshold_is_marked_and_nothing_is_ranked() -> None:
    s = SessionBuilder()
    n1, n2, v1 = s.person("n1", "newcomer"), s.person("n2", "newcomer"), s.person("v1", "veteran")
    item = s.item(v1, "do", "x")
    s.vote(v1, item)
    divergence = summarize(s.build()).divergence
    assert divergence.too_few == ("veteran",)
    assert divergence.people == (("newcomer", 2), ("veteran", 1))
    assert not divergence.ranked and divergence.entries == ()
    s.template = pln_template(min_level_size=1)
    ranked = summarize(s.build()).divergence
    assert ranked.ranked and [(e.item.number, e.difference) for e in ranked.entries] == [(item, 1.0)]


def test_weighted_votes_count_dots_but_support_counts_people() -> None:
    s = SessionBuilder()
    n1, n2 = s.person("n1", "newcomer"), s.person("n2", "newcomer")
    item = s.item(n1, "do", "x")
    s.vote(n1, item, weight=2)
    support = summarize(s.build()).items[0].support("newcomer")
    assert (support.votes, support.voters, support.share) == (2, 1, 0.5)


def test_give_and_take_per_level_with_names_only_when_not_anonymous() -> None:
    summary = summarize(demo_session())
    rows = {row.level: row for row in summary.give_and_take}
    # Fay's only item is hidden, so she counts as having only voted; Lou did nothing.
    assert [(r.level, r.people, r.contributed, r.only_voted, r.silent) for r in summary.give_and_take] == [
        ("newcomer", 4, 3, 1, 0),
        ("practitioner", 3, 1, 2, 0),
        ("veteran", 4, 3, 0, 1),
        ("unspecified", 1, 0, 1, 0),
    ]
    assert rows["practitioner"].voters_only == ("Fay Chen", "Gus Ortega")
    assert rows["veteran"].silent_people == ("Lou Facil",)
    anonymous = summarize(demo_session(anonymous=True))
    assert [(r.contributed, r.only_voted, r.silent) for r in anonymous.give_and_take] == [
        (r.contributed, r.only_voted, r.silent) for r in summary.give_and_take
    ]
    assert all(not (r.contributors or r.voters_only or r.silent_people) for r in anonymous.give_and_take)
    assert all(item.author is None for item in anonymous.items)
    assert [item.author_level for item in anonymous.items] == [item.author_level for item in summary.items]


def test_empty_session() -> None:
    summary = summarize(SessionBuilder().build(phase="collecting"))
    assert (summary.participant_count, summary.items, summary.votes_cast) == (0, (), 0)
    assert summary.levels == ("newcomer", "practitioner", "veteran")
    assert [t.items for t in summary.top] == [(), ()]
    assert not summary.consensus.applicable and summary.consensus.items == ()
    assert summary.divergence.too_few == ("newcomer", "veteran") and not summary.divergence.ranked
    assert [(r.people, r.contributed, r.only_voted, r.silent) for r in summary.give_and_take] == [(0, 0, 0, 0)] * 3
    assert [(span.phase, span.started, span.ended) for span in summary.timeline] == [("collecting", START, None)]


def test_single_level_template() -> None:
    s = SessionBuilder(template=pln_template(levels=("practitioner",)))
    a, b = s.person("a", "practitioner"), s.person("b", "practitioner")
    item = s.item(a, "do", "x")
    s.vote(b, item)
    summary = summarize(s.build())
    assert summary.levels == ("practitioner",)
    assert not summary.divergence.applicable and summary.divergence.entries == ()
    assert not summary.consensus.applicable
    assert summary.items[0].support("practitioner").share == 0.5


def test_only_one_level_present_has_no_consensus() -> None:
    s = SessionBuilder()
    a, b = s.person("a", "newcomer"), s.person("b", "newcomer")
    item = s.item(a, "do", "x")
    s.vote(a, item)
    s.vote(b, item)
    summary = summarize(s.build())
    assert summary.consensus.levels == ("newcomer",) and summary.consensus.items == ()
    assert summary.divergence.too_few == ("veteran",)


def test_timeline_spans_and_durations() -> None:
    s = SessionBuilder()
    s.phases(("voting", 20), ("collecting", 0), ("discussing", 50))  # out of order on purpose
    spans = summarize(s.build(phase="discussing")).timeline
    assert [(sp.phase, sp.duration) for sp in spans] == [
        ("collecting", timedelta(minutes=20)),
        ("voting", timedelta(minutes=30)),
        ("discussing", None),  # still going
    ]
    s.phases(("voting", 5))  # the store recorded no "collecting": it starts at creation
    spans = summarize(s.build(phase="voting")).timeline
    assert [(sp.phase, sp.started, sp.ended) for sp in spans] == [
        ("collecting", START, START + timedelta(minutes=5)),
        ("voting", START + timedelta(minutes=5), None),
    ]


def test_readings_and_questions_come_from_the_template() -> None:
    summary = summarize(demo_session())
    assert [r.title for r in summary.readings][0] == "PLN: Your Personal Learning Network Made Easy"
    assert summary.questions[1].startswith("Where do newcomers and veterans disagree")
