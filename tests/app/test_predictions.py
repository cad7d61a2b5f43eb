"""`/pln settings predict=on` and `/pln predict N [N ...]`: private until voting closes, then
the surprise scores in results, summary and exports. Room: tests/app/deliberation_room.py."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from facilitator.replies import ReplyKind
from facilitator.reports.export import render_export
from facilitator.store.models import PredictionRow
from tests.app.deliberation_room import vote_all, voting_room
from tests.app.room import Room, only
from tests.app.support import stored

# Everyone expects the obvious #1; nobody names #2, the veterans' item.
PREDICTIONS = {"Ann": "1", "Ben": "1 3", "Cy": "1", "Vi": "1", "Wu": "1 2"}


async def predictions(room: Room) -> list[tuple[int, str]]:
    async with room.app.db.read(room.clock.now) as store:
        rows = await store.db.execute(select(PredictionRow.round, PredictionRow.numbers).order_by(PredictionRow.id))
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def test_predictions_are_refused_when_off_or_outside_voting(room: Room) -> None:
    await voting_room(room)
    off = only(await room.say("Ann", "/pln predict 1"))
    assert off.kind is ReplyKind.ERROR and "Predictions are off in this session" in off.text
    assert await predictions(room) == []


async def test_a_prediction_is_private_checked_and_replaced_whole(room: Room) -> None:
    await room.start("Fay")
    changed = only(await room.say("Fay", "/pln settings predict=on"))
    assert changed.text.startswith("Settings changed:") and "predictions on" in changed.text
    assert "Predictions are taken only while voting is open" in only(await room.say("Ann", "/pln predict 1")).text
    await room.say("Ann", "/pln join newcomer")
    for text in ("A", "B", "C", "D"):
        await room.say("Ann", f"/pln do {text}")
    await room.say("Fay", "/pln hide 4")
    await room.say("Fay", "/pln next")
    reply = only(await room.say("Ann", "/pln predict 1 3"))
    assert reply.private_to == "Ann" and reply.text.startswith("Your prediction for round 1: #1, #3. Nobody sees")
    for refused, why in (("1 2 3 1", "Name each item once"), ("1 2 3 4", "at most 3 items"),
                         ("4", "no item #4 to predict"), ("9", "no item #9")):
        answer = only(await room.say("Ann", f"/pln predict {refused}"))
        assert answer.kind is ReplyKind.ERROR and why in answer.text and "Nothing was changed" in answer.text
    assert await predictions(room) == [(1, "1 3")]
    await room.say("Ann", "/pln predict 2")
    assert await predictions(room) == [(1, "2")]  # replaced, not added to
    assert "Your prediction for round 1: #2" in only(await room.say("Ann", "/pln status")).text


async def test_nobody_sees_anyone_else_s_prediction_before_voting_closes(room: Room) -> None:
    # Live tallies (blind=off) show votes during voting; predictions stay sealed even so.
    await voting_room(room, "predict=on blind=off")
    await vote_all(room)
    for name, numbers in PREDICTIONS.items():
        await room.say(name, f"/pln predict {numbers}")
    live = only(await room.say("Fay", "/pln results"))
    assert "Follow five people" in live.text and "Surprisingly popular" not in live.text
    assert "Your prediction" not in only(await room.say("Fay", "/pln status")).text
    assert "Your prediction for round 1: #1, #2" in only(await room.say("Wu", "/pln status")).text
    exported = only(await room.say("Ann", "/pln export json"))
    assert exported.attachment is not None
    document = json.loads(exported.attachment.content)
    assert [item["surprise"] for item in document["items"]] == [None, None, None]
    assert "predictors" not in document["rounds"][0] and "surprisingly_popular" not in document["summary"]
    for fmt in ("md", "html", "csv"):
        attachment = only(await room.say("Ann", f"/pln export {fmt}")).attachment
        assert attachment is not None and b"Surprisingly popular" not in attachment.content


async def test_when_voting_closes_the_surprisingly_popular_list_appears(any_room: Room) -> None:
    room = any_room
    await voting_room(room, "predict=on")
    await vote_all(room)
    for name, numbers in PREDICTIONS.items():
        await room.say(name, f"/pln predict {numbers}")
    results = (await room.say("Fay", "/pln next"))[1]
    (section,) = [s for s in results.sections if s.heading == "Surprisingly popular"]
    # 5 voters, 5 predictions. #1: 4/5 - 5/5; #2: 2/5 - 1/5 = +20 pts; #3: 2/5 - 1/5 = +20 pts,
    # a tie with #2 on score and backers: the earlier item first.
    assert section.lines[1:] == (
        "#2 Write in public weekly — backed by 40% of voters, predicted by 20%: +20 pts",
        "#3 Only lurk — backed by 40% of voters, predicted by 20%: +20 pts",
    )
    await room.say("Fay", "/pln end")
    document = json.loads(render_export(await room.service.snapshot_of(1), "json").content)
    assert {i["number"]: i["surprise"] for i in document["items"]} == {1: -0.2, 2: 0.2, 3: 0.2}
    assert document["summary"]["surprisingly_popular"] == [2, 3]
    assert document["rounds"][0]["predicted"] == {"1": 5, "2": 1, "3": 1}


async def test_one_person_predicting_twice_at_once_keeps_one_whole_prediction(any_room: Room) -> None:
    room = any_room
    await voting_room(room, "predict=on")
    await asyncio.gather(room.say("Ann", "/pln predict 1 2"), room.say("Ann", "/pln predict 3"))
    assert [numbers for _, numbers in await predictions(room)] in (["1 2"], ["3"])
    assert (await stored(room.app))["people"].count(("Ann", "Ann", "newcomer", 0)) == 1
