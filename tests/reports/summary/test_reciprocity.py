"""Reciprocity on sessions small enough to count by hand, merges and hides included."""

from __future__ import annotations

import json

from facilitator.reports.export import Audience, render_export
from facilitator.reports.snapshot import SessionSnapshot
from facilitator.reports.summary import summarize
from facilitator.reports.summary.wording import reciprocity_line
from tests.reports.export.test_schema import errors
from tests.reports.summary.sample_sessions import SessionBuilder


def workshop(anonymous: bool = False) -> SessionSnapshot:
    """Five people. By hand, below each line: who gave what, and who drew on whom."""
    s = SessionBuilder(anonymous=anonymous)
    ana, ben = s.person("Ana", "newcomer"), s.person("Ben", "newcomer")
    cy, dee = s.person("Cy", "practitioner"), s.person("Dee", "veteran")
    s.person("Eve", "veteran")  # joins, gives nothing, draws on nothing
    give = s.item(dee, "do", "Give first", why="It is how trust starts")  # 1: Dee, with a why
    s.item(ana, "do", "Give before asking", merged_into=give)  # 2: Ana's, merged into #1: still given
    s.item(ana, "dont", "Buy followers", hidden=True, why="spam")  # 3: Ana's, hidden: not given, its why neither
    lurk = s.item(cy, "dont", "Lurk forever")  # 4: Cy
    notes = s.item(cy, "do", "Keep notes")  # 5: Cy
    broadcast = s.item(ben, "dont", "Only broadcast")  # 6: Ben
    s.pair(lurk, give)  # Cy's DON'T with Dee's DO: each gave a pair, each drew on the other's item
    s.pair(lurk, notes)  # Cy's own two items: a pair given, nothing drawn
    s.pair(broadcast, 3)  # with a hidden item: not counted
    s.vote(ana, give, lurk, broadcast)  # 3 votes on others' items
    s.vote(ben, broadcast, give)  # 1 on his own item, 1 on another's
    s.vote(cy, give)  # 1 on another's
    s.vote(dee, give, lurk)  # 1 on her own, 1 on another's
    return s.build()


def balances(snapshot: SessionSnapshot, audience: Audience = Audience.OPERATOR) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    found = summarize(snapshot, audience=audience).reciprocity
    return {p.name: (dict(p.gave), dict(p.drew)) for p in found.people}


def test_each_person_by_hand() -> None:
    assert balances(workshop()) == {
        "Ana": ({"items": 1, "whys": 0, "pairs": 0, "pledges": 0}, {"votes": 3, "paired_with": 0}),
        "Ben": ({"items": 1, "whys": 0, "pairs": 0, "pledges": 0}, {"votes": 1, "paired_with": 0}),
        "Cy": ({"items": 2, "whys": 0, "pairs": 2, "pledges": 0}, {"votes": 1, "paired_with": 1}),
        "Dee": ({"items": 1, "whys": 1, "pairs": 1, "pledges": 0}, {"votes": 1, "paired_with": 1}),
        "Eve": ({"items": 0, "whys": 0, "pairs": 0, "pledges": 0}, {"votes": 0, "paired_with": 0}),
    }


def test_each_level_and_its_reading_by_hand() -> None:
    found = summarize(workshop()).reciprocity
    assert dict(found.totals_gave) == {"items": 5, "whys": 1, "pairs": 3, "pledges": 0}
    assert dict(found.totals_drew) == {"votes": 6, "paired_with": 2}
    rows = {row.level: row for row in found.levels}
    newcomer = rows["newcomer"]
    assert (newcomer.people, dict(newcomer.gave), dict(newcomer.drew)) == (
        2, {"items": 2, "whys": 0, "pairs": 0, "pledges": 0}, {"votes": 4, "paired_with": 0})
    assert (newcomer.people_share, newcomer.items_share, newcomer.votes_share) == (2 / 5, 2 / 5, 4 / 6)
    assert reciprocity_line(newcomer, found) == (
        "newcomer (2 of 5 people, 40%) gave 40% of the items (2 of 5) and spent 67% of the votes "
        "on others' items (4 of 6)."
    )
    assert reciprocity_line(rows["veteran"], found) == (
        "veteran (2 of 5 people, 40%) gave 20% of the items (1 of 5) and spent 17% of the votes "
        "on others' items (1 of 6); also gave 1 why, 1 pair; drew on 1 paired item of others."
    )
    assert "unspecified" not in rows  # everyone picked a level


def test_the_old_count_was_wrong_and_the_participation_count_is_fixed() -> None:
    """Ana's one item was merged and the other hidden: she gave (the merged one), and did not
    "only vote"."""
    take = {row.level: row for row in summarize(workshop()).give_and_take}
    assert (take["newcomer"].contributed, take["newcomer"].only_voted) == (2, 0)


def test_names_only_in_the_operators_copy_of_a_named_session() -> None:
    assert balances(workshop(), Audience.ROOM) == {}
    assert balances(workshop(anonymous=True)) == {}
    for anonymous in (False, True):
        for audience in Audience:
            document = json.loads(render_export(workshop(anonymous), "json", audience=audience).content)
            assert errors(document) == []
            assert ("people" in document["reciprocity"]) == (audience is Audience.OPERATOR and not anonymous)


def test_every_format_shows_the_reading() -> None:
    line = "newcomer (2 of 5 people, 40%) gave 40% of the items (2 of 5)"
    for fmt in ("md", "html", "json"):
        assert line in render_export(workshop(), fmt).content.decode("utf-8"), fmt
    levels = render_export(workshop(), "levels.csv", audience=Audience.OPERATOR).content.decode("utf-8-sig")
    assert "level,newcomer,,2,2,0,0,0,4,0,0.4000,0.4000,0.6667" in levels.splitlines()
    assert "person,practitioner,Cy,1,2,0,2,0,1,1,,," in levels.splitlines()


def test_pledges_count_as_giving_in_every_format() -> None:
    """Pledges are one more source in GIVING: a kept or open pledge is given, a dropped one not."""
    s = SessionBuilder()
    ana, ben = s.person("Ana", "newcomer"), s.person("Ben", "veteran")
    s.item(ben, "do", "Give first")
    s.pledge(ana, "Answer one question a week")
    s.pledge(ana, "Write up what I learned", status="done")
    s.pledge(ben, "Host next time", status="dropped")
    snapshot = s.build()
    assert balances(snapshot)["Ana"][0] == {"items": 0, "whys": 0, "pairs": 0, "pledges": 2}
    assert balances(snapshot)["Ben"][0]["pledges"] == 0
    document = json.loads(render_export(snapshot, "json", audience=Audience.OPERATOR).content)
    assert document["reciprocity"]["totals"]["gave"]["pledges"] == 2 and errors(document) == []
    assert "also gave 2 pledges" in render_export(snapshot, "md").content.decode("utf-8")
