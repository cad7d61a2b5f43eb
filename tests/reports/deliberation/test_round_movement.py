"""Movement between rounds, by item and level, worked out by hand; and every export of a session
with two rounds, predictions and discussion notes."""

from __future__ import annotations

import json

import jsonschema

from facilitator.reports.export import render_export, session_schema
from facilitator.reports.rounds import movement
from facilitator.reports.summary import summarize
from facilitator.reports.summary.deliberation_sections import deliberation_sections, level_shift, movement_headline
from facilitator.reports.vote_counts import VoteRecord
from tests.reports.deliberation.sessions import discussed, mixed_room, predicting, with_rounds
from tests.reports.summary.sample_sessions import START

LEVELS = ("newcomer", "practitioner", "veteran")


def test_changes_by_item_and_level_and_votes_that_moved() -> None:
    before = {1: {"newcomer": 3, "veteran": 1}, 2: {"veteran": 2}, 4: {"newcomer": 1}}
    after = {1: {"newcomer": 2}, 2: {"veteran": 1, "newcomer": 1}, 4: {"newcomer": 1, "veteran": 3}}
    moved = movement(before, after, [1, 2, 3, 4], LEVELS, 1, 2)
    by_number = {item.number: item for item in moved.items}
    assert (by_number[4].before, by_number[4].after, by_number[4].change) == (1, 4, 3)
    assert [(m.level, m.change) for m in by_number[4].by_level] == [("newcomer", 0), ("practitioner", 0), ("veteran", 3)]
    assert [(m.level, m.change) for m in by_number[1].by_level] == [("newcomer", -1), ("practitioner", 0), ("veteran", -1)]
    assert by_number[3].change == 0 and by_number[2].change == 0
    # Largest change first (+3, then -2), then the unchanged by number.
    assert [item.number for item in moved.items] == [4, 1, 2, 3]
    assert [m.number for m in moved.toward] == [4] and [m.number for m in moved.away] == [1]
    # Votes that landed elsewhere: newcomers +1 on #2; veterans +3 on #4 (their -1s on #1 and #2 are the other side).
    assert (moved.moved_by("newcomer"), moved.moved_by("practitioner"), moved.moved_by("veteran")) == (1, 0, 3)
    assert movement_headline(moved) == "Between round 1 and round 2 the group moved toward #4 (+3), and away from #1 (−2)."
    assert level_shift(moved) == "Votes that changed item, by level: newcomer 1 vote, veteran 3 votes."


def test_no_movement_is_said_plainly() -> None:
    same = {1: {"newcomer": 2}}
    moved = movement(same, same, [1], LEVELS, 1, 2)
    assert movement_headline(moved) == "Nobody's votes moved between round 1 and round 2."
    assert level_shift(moved) == "No level changed its votes."


def two_round_session():  # type: ignore[no-untyped-def]
    """mixed_room's votes are round 2's. Round 1, before discussion: veterans had backed #1 and #3,
    newcomers #1 and #4. So in round 2 veterans moved to #2 (+2), newcomers to #3 and #5."""
    builder, people = mixed_room()
    n1, n2, n3, n4, p1, v1, v2 = (people[k] for k in ("N1", "N2", "N3", "N4", "P1", "V1", "V2"))
    first = [VoteRecord(number, person, 1) for person, numbers in (
        (n1, (1, 4)), (n2, (1, 4)), (n3, (1,)), (n4, (1,)), (p1, (1, 4)), (v1, (1, 3)), (v2, (3,))) for number in numbers]
    snapshot = with_rounds(builder.build(), builder, first)
    return builder, people, snapshot


def test_a_two_round_summary_shows_which_way_each_level_moved() -> None:
    _, _, snapshot = two_round_session()
    summary = summarize(snapshot)
    assert summary.round == 2 and [r.round for r in summary.rounds] == [1, 2]
    assert summary.rounds[0].votes == {1: {"newcomer": 4, "practitioner": 1, "veteran": 1},
                                       3: {"veteran": 2}, 4: {"newcomer": 2, "practitioner": 1}}
    assert summary.movement is not None
    changes = {m.number: (m.change, {x.level: x.change for x in m.by_level if x.change}) for m in summary.movement.items}
    # Round 1 -> 2: #1 6 -> 6; #2 0 -> 2 (vet +2); #3 2 -> 4 (new +3, vet -1); #4 3 -> 1 (new -2); #5 0 -> 3 (new +3).
    assert changes == {1: (0, {}), 2: (2, {"veteran": 2}), 3: (2, {"newcomer": 3, "veteran": -1}),
                       4: (-2, {"newcomer": -2}), 5: (3, {"newcomer": 3}), 6: (0, {})}
    (section,) = deliberation_sections(summary)
    assert section.heading == "Round 2 compared with round 1"
    assert section.lines[0] == ("Between round 1 and round 2 the group moved toward #5 (+3), #2 (+2) and #3 (+2), "
                                "and away from #4 (−2).")
    assert section.lines[2] == "#5 E — 0 → 3 (+3): newcomer +3"
    assert section.lines[3] == "#2 B — 0 → 2 (+2): veteran +2"


def test_every_export_of_two_rounds_with_predictions_and_notes() -> None:
    _, people, snapshot = two_round_session()
    snapshot = predicting(snapshot, {person: (1,) for person in people.values()}, round_=1)
    snapshot = discussed(snapshot, (2, "unshared", ("Veterans write weekly notes", "Try it for a month")),
                         (1, "votes", ()))
    document = json.loads(render_export(snapshot, "json", START).content)
    jsonschema.Draft202012Validator(session_schema(), format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["session"]["round"] == 2
    assert [r["round"] for r in document["rounds"]] == [1, 2]
    assert document["rounds"][0]["votes"] == {"1": 6, "3": 2, "4": 3}
    assert document["rounds"][1]["votes"] == {"1": 6, "2": 2, "3": 4, "4": 1, "5": 3}
    assert {i["number"]: i["votes"] for i in document["items"]} == {1: 6, 2: 2, 3: 4, 4: 1, 5: 3, 6: 0}  # round 2's
    # Predictions were made in round 1 only: the scores are round 1's (7 voters, 8 predictions of #1).
    assert document["summary"]["surprise_round"] == 1
    assert {i["number"]: i["surprise"] for i in document["items"]}[4] == round(3 / 7, 4)
    assert document["movement"]["moved_by_level"] == {"newcomer": 6, "practitioner": 0, "veteran": 2}
    assert document["discussion"][0] == {
        "number": 2, "reason": "unshared", "started_at": "2026-11-28T17:40:00Z", "timebox_seconds": None,
        "notes": [{"text": "Veterans write weekly notes", "author": "Fay", "at": "2026-11-28T17:50:00Z"},
                  {"text": "Try it for a month", "author": "Fay", "at": "2026-11-28T17:50:00Z"}]}
    markdown = render_export(snapshot, "md", START).content.decode()
    assert "## Round 2 compared with round 1" in markdown and "| 5 | E | 0 | 3 | +3 | newcomer +3 |" in markdown
    assert "## Surprisingly popular (round 1)" in markdown
    assert "   - Veterans write weekly notes (Fay)" in markdown
    html = render_export(snapshot, "html", START).content.decode()
    assert 'aria-labelledby="movement-chart-title movement-chart-desc"' in html
    assert "#5: +3 (newcomer +3)" in html  # the chart's description, for screen readers
    assert "Veterans write weekly notes" in html
    csv = render_export(snapshot, "csv", START).content.decode().splitlines()
    assert csv[0].endswith(",votes_round_1,surprise")


def test_an_anonymous_session_s_notes_name_nobody() -> None:
    builder, _, snapshot = two_round_session()
    builder.anonymous = True
    anonymous = with_rounds(builder.build(), builder, [])
    anonymous = discussed(anonymous, (2, "unshared", ("Said by someone",)))
    document = json.loads(render_export(anonymous, "json", START).content)
    jsonschema.Draft202012Validator(session_schema()).validate(document)
    assert document["discussion"][0]["notes"][0]["author"] is None
    for fmt in ("md", "html", "json"):
        assert b"Fay" not in render_export(anonymous, fmt, START).content
