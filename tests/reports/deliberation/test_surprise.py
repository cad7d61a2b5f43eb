"""Surprise scores ("surprisingly popular"), worked out by hand: the share of voters who backed
an item minus the share of predictions that named it."""

from __future__ import annotations

import json

from facilitator.reports.export import render_export
from facilitator.reports.summary import summarize
from facilitator.reports.summary.deliberation_sections import deliberation_sections
from facilitator.reports.surprise import surprise
from facilitator.reports.vote_counts import VoteCounts, VoteRecord
from tests.reports.deliberation.sessions import mixed_room, predicting
from tests.reports.summary.sample_sessions import START, SessionBuilder


def counts(votes: dict[int, tuple[int, ...]], level: str = "newcomer") -> VoteCounts:
    """{participant id: item numbers}, everyone at one level."""
    records = [VoteRecord(number, person, 1) for person, numbers in votes.items() for number in numbers]
    return VoteCounts.of_votes(records, {person: level for person in votes}, {})


def test_scores_are_real_share_minus_predicted_share() -> None:
    # 5 voters: #1 backed by 4, #2 by 2, #3 by 3, #4 by 2. 4 predictions: #1 named 4 times, #3 twice, #4 once.
    votes = counts({1: (1, 3), 2: (1, 3, 4), 3: (1, 4), 4: (2, 1), 5: (2, 3)})
    scores = surprise(1, votes, [(1, 3), (1, 4), (1, 3), (1,)], [1, 2, 3, 4])
    assert scores.enough and (scores.voters, scores.predictors) == (5, 4)
    # 4/5 - 4/4, 2/5 - 0, 3/5 - 2/4, 2/5 - 1/4, rounded to 4 decimals (no float noise in exports)
    assert scores.scores == {1: -0.2, 2: 0.4, 3: 0.1, 4: 0.15}
    assert scores.popular == (2, 4, 3)  # #1 is the plain favourite, and less popular than everyone guessed


def test_ties_go_to_the_item_more_people_backed_then_to_the_earlier_one() -> None:
    # 4 voters. #2: 2/4 backed, 1/4 predicted -> .25.  #1: 1/4 backed, 0 predicted -> .25.
    # #3: 1/4 backed, 0 predicted -> .25 too, as many backers as #1: the earlier (#1) first.
    votes = counts({1: (2,), 2: (2, 1), 3: (3,), 4: (4,)})
    scores = surprise(1, votes, [(2,), (4,), (4,), (4,)], [1, 2, 3, 4])
    assert (scores.score(1), scores.score(2), scores.score(3)) == (0.25, 0.25, 0.25)
    assert scores.score(4) == 0.25 - 0.75
    assert scores.popular == (2, 1, 3)


def test_too_few_predictions_or_voters_gives_no_score() -> None:
    votes = counts({1: (1,), 2: (2,), 3: (1,)})
    two = surprise(1, votes, [(1,), (2,)], [1, 2])
    assert not two.enough and two.scores == {} and two.score(1) is None and two.popular == ()
    none = surprise(1, votes, [], [1, 2])
    assert none.predictors == 0 and none.scores == {}
    few_voters = surprise(1, counts({1: (1,), 2: (2,)}), [(1,), (1,), (2,)], [1, 2])
    assert not few_voters.enough


def test_predictions_of_hidden_items_count_the_predictor_but_not_the_item() -> None:
    votes = counts({1: (1,), 2: (1,), 3: (2,)})
    scores = surprise(1, votes, [(1, 9), (9,), (2,)], [1, 2])  # #9 is not shown
    assert scores.predictors == 3 and dict(scores.predicted) == {1: 1, 2: 1}
    assert scores.scores == {1: round(2 / 3 - 1 / 3, 4), 2: 0.0}


def hidden_profile() -> SessionBuilder:
    """6 newcomers and 2 veterans. Newcomers all back #1 (the obvious DO) and predict it; the two
    veterans back #2, which nobody predicts: the veterans' non-obvious DO."""
    s = SessionBuilder()
    newcomers = [s.person(f"N{i}", "newcomer") for i in range(1, 7)]
    veterans = [s.person(f"V{i}", "veteran") for i in (1, 2)]
    s.item(newcomers[0], "do", "Follow people you admire")
    s.item(veterans[0], "do", "Write in public about what you learn")
    for person in newcomers:
        s.vote(person, 1)
    for person in veterans:
        s.vote(person, 2)
    return s


def test_a_small_level_s_item_nobody_predicted_tops_the_surprisingly_popular_list() -> None:
    s = hidden_profile()
    snapshot = predicting(s.build(), {person.id: (1,) for person in s.people})
    summary = summarize(snapshot)
    assert [item.number for item in summary.top[0].items] == [1, 2]  # the plain ranking buries #2
    scores = summary.surprise
    assert scores is not None and scores.popular == (2,)
    # #2: 2 of 8 voters, 0 of 8 predictions -> +0.25; #1: 6/8 - 8/8 -> -0.25.
    assert scores.scores == {1: -0.25, 2: 0.25}
    (section,) = [sec for sec in deliberation_sections(summary) if sec.heading == "Surprisingly popular"]
    assert section.lines[1] == "#2 Write in public about what you learn — backed by 25% of voters, predicted by 0%: +25 pts"
    assert "predictions expected" in section.lines[0]  # one sentence for readers


def test_with_predictions_off_there_is_no_surprise_anywhere() -> None:
    summary = summarize(hidden_profile().build())
    assert summary.surprise is None and not deliberation_sections(summary)
    document = json.loads(render_export(hidden_profile().build(), "json", START).content)
    assert all("surprise" not in item for item in document["items"])
    assert "surprisingly_popular" not in document["summary"]


def test_with_predictions_on_and_none_made_the_export_says_null_and_the_summary_says_why() -> None:
    snapshot = predicting(hidden_profile().build(), {})
    document = json.loads(render_export(snapshot, "json", START).content)
    assert [item["surprise"] for item in document["items"]] == [None, None]
    assert document["summary"]["surprisingly_popular"] == []
    (section,) = deliberation_sections(summarize(snapshot))
    assert section.lines == ("Too few to score round 1: 0 predictions and 8 voters; scores need at least 3 "
                             "predictions and 3 voters.",)


def test_an_anonymous_session_scores_the_same_and_names_nobody() -> None:
    s = hidden_profile()
    s.anonymous = True
    snapshot = predicting(s.build(), {person.id: (1,) for person in s.people})
    document = json.loads(render_export(snapshot, "json", START).content)
    assert {item["number"]: item["surprise"] for item in document["items"]} == {1: -0.25, 2: 0.25}
    assert document["rounds"][0]["predicted"] == {"1": 8}  # counts only: no one's own prediction
    text = render_export(snapshot, "json", START).content.decode() + render_export(snapshot, "html", START).content.decode()
    assert not any(person.name in text for person in s.people)


def test_the_mixed_room_with_predictions_in_every_format() -> None:
    builder, people = mixed_room()
    # Everyone predicts the obvious #1 and #3; nobody expects #2 (veterans') or #5 (newcomers').
    snapshot = predicting(builder.build(), {person: (1, 3) for person in people.values()})
    # 7 voters (P2 didn't vote), 8 predictions: #1 6/7 - 1; #2 2/7; #3 4/7 - 1; #4 1/7; #5 3/7; #6 0.
    summary = summarize(snapshot)
    assert summary.surprise is not None and summary.surprise.popular == (5, 2, 4)
    for fmt in ("md", "html", "csv"):
        assert b"Surprisingly popular" in render_export(snapshot, fmt, START).content or fmt == "csv"
    csv = render_export(snapshot, "csv", START).content.decode().splitlines()
    assert csv[0].endswith(",surprise") and csv[5].endswith(f",{round(3 / 7, 4):.4f}")  # row of #5
