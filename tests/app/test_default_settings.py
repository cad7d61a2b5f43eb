"""Sessions started with other settings: a bigger budget, several votes per item, open tallies,
anonymity. The defaults are tested everywhere else; these prove the settings are honoured."""

from __future__ import annotations

import json

from facilitator.bootstrap import FacilitatorApp
from facilitator.domain.settings import Settings
from facilitator.replies import ReplyKind
from facilitator.app.context import Context
from facilitator.app.service import FacilitationService
from tests.app.support import FakeClock, actor, stored_document, export_json, kinds, only, refusal, say, stored, votes_used

ANA = actor("Ana")
BO = actor("Bo")


def with_settings(app: FacilitatorApp, clock: FakeClock, settings: Settings) -> FacilitatorApp:
    service = FacilitationService(Context(app.db, app.service.context.templates, clock=clock, defaults=settings))
    return FacilitatorApp(app.db, service)


async def voting(app: FacilitatorApp, items: int = 3) -> None:
    await say(app, ANA, "start")
    await say(app, BO, "join practitioner")
    for n in range(1, items + 1):
        await say(app, BO, f"do Item {n}")
    await say(app, ANA, "next")


async def test_several_votes_per_item_stack_and_come_back_one_at_a_time(app: FacilitatorApp, clock: FakeClock) -> None:
    custom = with_settings(app, clock, Settings(vote_budget=5, max_per_item=2))
    await voting(custom)

    assert only(await say(custom, BO, "vote 1 1 2"), ReplyKind.NOTICE).text.endswith("You have 2 votes left.")
    state = await stored(custom)
    assert state["votes"] == [(1, BO.user_id, 2), (2, BO.user_id, 1)] and votes_used(state, BO) == 3

    before = await stored(custom)
    assert "most votes one person can give an item (2)" in refusal(await say(custom, BO, "vote 1"), BO)
    assert await stored(custom) == before

    assert "You have 3 votes left." in only(await say(custom, BO, "unvote 1"), ReplyKind.NOTICE).text
    state = await stored(custom)
    assert state["votes"] == [(1, BO.user_id, 1), (2, BO.user_id, 1)] and votes_used(state, BO) == 2
    items = {i["number"]: i for i in (await stored_document(custom))["items"]}
    assert items[1]["votes"] == 1 and items[1]["votes_by_level"]["practitioner"] == 1


async def test_a_bigger_budget_is_announced_and_enforced(app: FacilitatorApp, clock: FakeClock) -> None:
    custom = with_settings(app, clock, Settings(vote_budget=5))
    await say(custom, ANA, "start")
    for n in range(1, 7):
        await say(custom, BO, f"do Item {n}")
    opening = only(await say(custom, ANA, "next"), ReplyKind.PHASE)
    assert "You each have 5 votes (at most 1 per item)" in opening.text
    # Bo was asked for a level with the first item: the prompt comes once per person and session.
    assert kinds(await say(custom, BO, "vote 1 2 3 4 5")) == [ReplyKind.NOTICE]
    assert "used all 5" in refusal(await say(custom, BO, "vote 6"), BO)
    assert votes_used(await stored(custom), BO) == 5


async def test_open_tallies_show_results_while_voting(app: FacilitatorApp, clock: FakeClock) -> None:
    custom = with_settings(app, clock, Settings(blind=False))
    await voting(custom)
    await say(custom, BO, "vote 2")
    results = only(await say(custom, BO, "results"), ReplyKind.RESULTS)
    assert results.tally is not None
    assert [(r.number, r.votes) for r in results.tally.section("do").rows][0] == (2, 1)


async def test_an_anonymous_session_names_nobody(app: FacilitatorApp, clock: FakeClock) -> None:
    custom = with_settings(app, clock, Settings(anonymous=True))
    await say(custom, ANA, "start")
    await say(custom, BO, "join veteran")
    item = only(await say(custom, BO, "do Secret idea"), ReplyKind.ITEM)
    assert item.items[0].author is None and "Bo" not in item.text
    document = await export_json(custom, BO)
    assert document["session"]["anonymous"] is True
    assert document["items"][0]["author"] is None
    assert all(p.get("name") is None for p in document["participants"])
    assert "Bo" not in json.dumps(document)
    await say(custom, ANA, "next")
    await say(custom, BO, "vote 1")
    summary = (await say(custom, ANA, "end"))[1]
    assert summary.kind is ReplyKind.SUMMARY and "Bo" not in summary.text
