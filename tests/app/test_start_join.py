"""Starting a session, joining it at a level, and the commands anyone can use: help, status."""

from __future__ import annotations

import pytest

from facilitator.domain.actors import Actor
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import ReplyKind
from tests.app.support import actor, advance_to, kinds, only, place, refusal, say, start, stored

ANA = actor("Ana")
BO = actor("Bo")


async def test_start_posts_a_public_top_level_intro_with_join_and_add_buttons(app: FacilitatorApp) -> None:
    replies = await say(app, ANA, "/pln start")

    assert kinds(replies) == [ReplyKind.INTRO, ReplyKind.NOTICE]
    intro, guide = replies
    assert intro.top_level and intro.private_to is None
    assert intro.session_id is not None and guide.session_id == intro.session_id
    assert guide.private_to == ANA.user_id
    joins = [a for a in intro.actions if a.name == "join"]
    adds = [a for a in intro.actions if a.name == "add_item"]
    assert [a.argument for a in joins] == ["newcomer", "practitioner", "veteran"]
    assert sorted(a.argument for a in adds) == ["do", "dont"]
    assert {a.session_id for a in intro.actions} == {intro.session_id}
    assert intro.intro is not None
    assert [r.title for r in intro.intro.readings] == [
        "PLN: Your Personal Learning Network Made Easy",
        "35 Ways To Build Your Personal Learning Network Online",
    ]
    assert "PLN: Your Personal Learning Network Made Easy" in intro.text
    assert intro.intro.facilitator == "Ana"


async def test_start_without_a_title_uses_the_template_title_and_with_one_uses_it(app: FacilitatorApp) -> None:
    await start(app, ANA)
    assert (await stored(app))["title"] == "DOs and DON'Ts for building your Personal Learning Network"

    await start(app, ANA, place(channel="c2"), title="  Friday   PLN  ")
    assert (await stored(app))["title"] == "Friday PLN"


async def test_starter_is_the_facilitator_and_the_session_starts_collecting(app: FacilitatorApp) -> None:
    await start(app, ANA)
    state = await stored(app)
    assert state["hosts"] == [ANA.user_id]
    assert state["phase"] == "collecting"
    assert state["timeline"] == ["collecting"]


async def test_a_second_start_in_the_same_channel_is_refused_and_changes_nothing(app: FacilitatorApp) -> None:
    first = await start(app, ANA, title="First")
    before = await stored(app)

    text = refusal(await say(app, BO, "/pln start Second"), BO)

    assert "already has an open session" in text and "First" in text
    assert await stored(app) == before
    assert before["id"] == first


async def test_other_channels_and_other_tenants_get_their_own_session(app: FacilitatorApp) -> None:
    first = await start(app, ANA)
    elsewhere = await start(app, ANA, place(channel="c2"))
    other_team = await start(app, actor("Cy", tenant="t2"))
    other_platform = await start(app, ANA, place(platform="slack"))
    assert len({first, elsewhere, other_team, other_platform}) == 4


async def test_a_channel_takes_a_new_session_once_the_old_one_is_closed(app: FacilitatorApp) -> None:
    first = await start(app, ANA)
    assert kinds(await say(app, ANA, "end"))[0] is ReplyKind.PHASE

    second = await start(app, BO)

    assert second != first
    assert (await stored(app, first))["phase"] == "closed"
    assert (await stored(app, second))["hosts"] == [BO.user_id]


async def test_joining_at_each_level_records_it_and_sends_that_levels_onboarding(app: FacilitatorApp) -> None:
    await start(app, ANA)
    people = {"newcomer": actor("Nia"), "practitioner": actor("Pat"), "veteran": actor("Vic")}
    hints = {"newcomer": "examples", "practitioner": "what has worked", "veteran": "why"}
    for level, person in people.items():
        reply = only(await say(app, person, f"join {level}"), ReplyKind.NOTICE)
        assert reply.private_to == person.user_id
        assert f"joined as {level}" in reply.text and hints[level] in reply.text

    state = await stored(app)
    assert {(user, level) for user, _, level, _ in state["people"]} == {
        (p.user_id, level) for level, p in people.items()
    }


async def test_join_level_is_case_insensitive(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, BO, "/pln join Veteran")
    assert (await stored(app))["people"] == [(BO.user_id, "Bo", "veteran", 0)]


async def test_an_unknown_level_is_refused_with_the_choices_and_adds_nobody(app: FacilitatorApp) -> None:
    await start(app, ANA)
    before = await stored(app)

    text = refusal(await say(app, BO, "join wizard"), BO)

    assert text == "`wizard` is not a level here. Choose one of newcomer, practitioner or veteran: `/pln join LEVEL`."
    assert await stored(app) == before


@pytest.mark.parametrize(
    "typed, suggested",
    [("newcommer", "`/pln join newcomer`"), ("veteren", "`/pln join veteran`"), ("practi", "`/pln join practitioner`"),
     ("begginer", "`/pln join newcomer`")],  # near an alias: the suggestion names the level itself
)
async def test_a_near_miss_level_gets_a_did_you_mean_and_adds_nobody(app: FacilitatorApp, typed: str, suggested: str) -> None:
    await start(app, ANA)
    before = await stored(app)
    text = refusal(await say(app, BO, f"join {typed}"), BO)
    assert text == f"`{typed}` is not a level here. Did you mean {suggested}?"
    assert await stored(app) == before


@pytest.mark.parametrize("typed, level", [("new", "newcomer"), ("vet", "veteran"), ("Expert", "veteran")])
async def test_a_level_alias_the_template_declares_joins_at_that_level(app: FacilitatorApp, typed: str, level: str) -> None:
    await start(app, ANA)
    reply = only(await say(app, BO, f"join {typed}"), ReplyKind.NOTICE)
    assert reply.text.startswith(f"You joined as {level}.")
    assert (await stored(app))["people"] == [(BO.user_id, "Bo", level, 0)]


async def test_switching_level_moves_the_person_and_says_so(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, BO, "join newcomer")

    again = only(await say(app, BO, "join newcomer"), ReplyKind.NOTICE)
    switched = only(await say(app, BO, "join veteran"), ReplyKind.NOTICE)

    assert "already in as newcomer" in again.text
    assert "veteran" in switched.text and "was newcomer" in switched.text
    assert (await stored(app))["people"] == [(BO.user_id, "Bo", "veteran", 0)]


async def test_commands_without_an_open_session_say_how_to_start_one(app: FacilitatorApp) -> None:
    for text in ("join newcomer", "do Share first", "vote 1", "next", "end", "status", "results", "export"):
        assert "/pln start" in refusal(await say(app, BO, text), BO), text


async def test_help_lists_every_contract_command_privately(app: FacilitatorApp) -> None:
    for text in ("help", "/pln help", "", "/pln"):
        reply = only(await say(app, BO, text), ReplyKind.HELP)
        assert reply.private_to == BO.user_id
        for word in ("start", "join", "do ", "vote", "unvote", "next", "end", "status", "results",
                     "export", "cohost", "help"):
            assert f"/pln {word}" in reply.text, word
        assert "dont TEXT" in reply.text


FACILITATOR_WORDS = ("next [10m]", "end", "cohost", "timer", "settings", "hide", "merge", "nudge")


def section_of(reply_text: str, heading: str) -> str:
    after = reply_text.split(f"{heading}:\n", 1)[1]
    return after.split("\n\n", 1)[0]


async def test_help_puts_what_everyone_can_do_first_and_the_facilitators_list_apart(app: FacilitatorApp) -> None:
    await start(app, ANA)
    hosting = only(await say(app, ANA, "help"), ReplyKind.HELP)
    everyone = section_of(hosting.text, "What everyone can do")
    theirs = section_of(hosting.text, "What facilitators can do")
    assert [s.heading for s in hosting.sections] == ["What everyone can do", "What facilitators can do"]
    for word in FACILITATOR_WORDS:
        assert f"/pln {word}" in theirs and f"/pln {word}" not in everyone, word
    for word in ("join", "vote", "status", "export", "help"):
        assert f"/pln {word}" in everyone, word
    assert "facilitator:" not in hosting.text  # the heading says it once, not every line


async def test_a_participant_sees_their_commands_and_who_runs_the_session(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, ANA, "cohost <@UCY|Cy>")
    reply = only(await say(app, BO, "help"), ReplyKind.HELP)
    assert [s.heading for s in reply.sections] == ["What everyone can do", "Who runs this session"]
    assert not any(f"/pln {word}" in reply.text for word in FACILITATOR_WORDS)
    assert reply.text.endswith("Ana and Cy run this session: moving it on, timers, settings, tidying items. "
                               "Ask them when you need one of those.")
    # The old mixed list was 23 lines; pledges (issue 21) added three lines for everyone.
    assert len(reply.text.splitlines()) < 26


async def test_status_calls_a_person_without_a_level_unspecified_and_says_how_to_pick(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, BO, "do Share first")
    text = only(await say(app, BO, "status"), ReplyKind.STATUS).text
    assert "You: level unspecified (`/pln join LEVEL` picks one), 3 of 3 votes left" in text
    assert "People: 1 (1 unspecified)" in text  # the same word as in tallies and exports


async def test_an_unknown_subcommand_is_a_private_error_and_changes_nothing(app: FacilitatorApp) -> None:
    await start(app, ANA)
    before = await stored(app)

    text = refusal(await say(app, BO, "/pln frobnicate 3"), BO)

    assert "frobnicate" in text and "/pln help" in text
    assert await stored(app) == before


async def test_a_near_miss_subcommand_suggests_and_never_runs_the_guess(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, BO, "do Share first")
    before = await stored(app)
    for typed, meant in (("nxt", "`/pln next`"), ("exprot", "`/pln export`"), ("hlep", "`/pln help`"),
                         ("votes 1", "`/pln vote 1`"), ("v 1", "`/pln vote 1`"),
                         ("dont: ignore replies", "`/pln dont ignore replies`")):
        assert refusal(await say(app, ANA, typed), ANA).endswith(f"Did you mean {meant}?"), typed
    assert await stored(app) == before  # `nxt` from the facilitator moved nothing


async def test_next_item_never_moves_the_phase(app: FacilitatorApp) -> None:
    """`next item` is the agenda's command: before discussing it is refused and changes nothing;
    while discussing it posts an item, and the session stays discussing."""
    await start(app, ANA)
    await say(app, BO, "do Share first")
    for phase in ("collecting", "voting"):
        await advance_to(app, ANA, phase)
        before = await stored(app)
        assert f"Agenda items are posted while discussing; the session is {phase} now." in refusal(
            await say(app, ANA, "next item"), ANA)
        assert await stored(app) == before, phase
    await advance_to(app, ANA, "discussing")
    await say(app, ANA, "next item")
    assert (await stored(app))["phase"] == "discussing"


async def test_voting_does_not_open_with_no_items(app: FacilitatorApp) -> None:
    await start(app, ANA)
    before = await stored(app)
    for command in ("next", "next 10m"):
        text = refusal(await say(app, ANA, command), ANA)
        assert text.startswith("There's nothing to vote on yet: nobody has added an item")
        assert "`/pln do TEXT` or `/pln dont TEXT`" in text and "`/pln end`" in text
    assert await stored(app) == before
    await say(app, BO, "do Share first")
    await say(app, ANA, "hide 1")  # a hidden item is nothing to vote on either
    assert "nothing to vote on" in refusal(await say(app, ANA, "next"), ANA)
    await say(app, ANA, "restore 1")
    assert kinds(await say(app, ANA, "next")) == [ReplyKind.PHASE]


async def test_status_shows_phase_people_items_and_my_votes_left(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, BO, "join veteran")
    await say(app, BO, "do Share first")
    await say(app, ANA, "next")
    await say(app, BO, "vote 1")

    mine = only(await say(app, BO, "status"), ReplyKind.STATUS)
    hosts = only(await say(app, ANA, "status"), ReplyKind.STATUS)

    assert mine.private_to == BO.user_id
    assert "Phase: voting" in mine.text
    assert "People: 1 (1 veteran)" in mine.text
    # Blind voting (the default): progress is who has spent all their votes, not the total cast.
    assert "Items: 1" in mine.text and "Done voting: 0 of 1" in mine.text and "Votes cast" not in mine.text
    assert "veteran, 2 of 3 votes left" in mine.text
    assert "facilitator" not in mine.text
    assert "You are a facilitator" in hosts.text


async def test_status_still_answers_after_the_session_closed(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, ANA, "end")
    assert "Phase: closed" in only(await say(app, BO, "status"), ReplyKind.STATUS).text


async def test_an_odd_or_overlong_title_is_tidied_never_refused(app: FacilitatorApp) -> None:
    await start(app, ANA, title="\u200b\u202e")
    assert (await stored(app))["title"] == "DOs and DON'Ts for building your Personal Learning Network"
    await start(app, ANA, place(channel="c2"), title="T" * 700)
    assert (await stored(app))["title"] == "T" * 200


async def test_display_names_are_stored_without_invisible_characters(app: FacilitatorApp) -> None:
    await start(app, ANA)
    sneaky = Actor(BO.tenant, BO.user_id, "\u202eBo\u200b\x07")
    await app.service.handle_text(sneaky, place(), "join veteran")
    assert (await stored(app))["people"] == [(BO.user_id, "Bo", "veteran", 0)]
