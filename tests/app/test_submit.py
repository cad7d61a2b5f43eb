"""Submitting DOs and DON'Ts: by command, by button, and by thread reply."""

from __future__ import annotations

import pytest

from facilitator import commands as cmd
from facilitator.bootstrap import FacilitatorApp
from facilitator.replies import ReplyKind
from tests.app.support import actor, advance_to, export_json, kinds, only, place, refusal, say, start, stored

ANA = actor("Ana")
BO = actor("Bo")
THREAD = place(thread="T-session")


async def open_session(app: FacilitatorApp) -> int:
    session_id = await start(app, ANA)
    await app.service.attach_thread(session_id, "T-session")
    return session_id


async def test_items_are_numbered_1_to_n_in_arrival_order_across_kinds_and_ways_in(app: FacilitatorApp) -> None:
    session_id = await open_session(app)
    await say(app, BO, "join practitioner")
    sent = [
        ("/pln do Share first", "do", "Share first"),
        ("/pln dont Only broadcast", "dont", "Only broadcast"),
        ("/pln don't Spam people", "dont", "Spam people"),
        ("/pln add do Answer questions", "do", "Answer questions"),
    ]
    for number, (text, kind, body) in enumerate(sent, start=1):
        reply = only(await say(app, BO, text), ReplyKind.ITEM)
        assert reply.private_to is None and reply.session_id == session_id
        (view,) = reply.items
        assert (view.number, view.kind, view.text, view.author, view.author_level) == (
            number, kind, body, "Bo", "practitioner"
        )
        assert reply.text.startswith(f"#{number} ")
        assert [(a.name, a.argument) for a in reply.actions] == [("vote", str(number))]
    by_button = only(await app.service.handle(BO, place(session_id=session_id), cmd.Submit("dont", "Ghost")),
                     ReplyKind.ITEM)
    assert by_button.items[0].number == 5

    state = await stored(app)
    assert [(n, k, t) for n, k, t, _, _ in state["items"]] == [
        (1, "do", "Share first"), (2, "dont", "Only broadcast"), (3, "dont", "Spam people"),
        (4, "do", "Answer questions"), (5, "dont", "Ghost"),
    ]
    assert state["item_count"] == 5


async def test_numbers_are_per_session(app: FacilitatorApp) -> None:
    await start(app, ANA)
    await say(app, BO, "do One")
    await start(app, ANA, place(channel="c2"))
    reply = (await say(app, BO, "do Other channel", place(channel="c2")))[0]
    assert reply.items[0].number == 1


async def test_someone_who_has_not_joined_is_asked_privately_for_a_level_and_loses_nothing(
    app: FacilitatorApp,
) -> None:
    session_id = await open_session(app)

    replies = await say(app, BO, "do Share first")

    assert kinds(replies) == [ReplyKind.ITEM, ReplyKind.PICK_LEVEL]
    item, ask = replies
    assert item.items[0].author_level == "unspecified"
    assert ask.private_to == BO.user_id and ask.session_id == session_id
    assert "#1" in ask.text
    assert [(a.name, a.argument) for a in ask.actions] == [
        ("join", "newcomer"), ("join", "practitioner"), ("join", "veteran")
    ]
    assert (await stored(app))["people"] == [(BO.user_id, "Bo", "unspecified", 0)]

    await app.service.handle(BO, place(session_id=session_id), cmd.Join("veteran"))

    document = await export_json(app, BO)
    assert [(i["number"], i["text"], i["author"], i["author_level"]) for i in document["items"]] == [
        (1, "Share first", "Bo", "veteran")
    ]
    assert only(await say(app, BO, "do Second"), ReplyKind.ITEM).items[0].number == 2


THREAD_SUBMISSIONS = [
    ("DO: Share first", "do", "Share first"),
    ("do:share first", "do", "share first"),
    ("Do :  Share first  ", "do", "Share first"),
    ("DON'T: Only broadcast", "dont", "Only broadcast"),
    ("don't: only broadcast", "dont", "only broadcast"),
    ("DONT: Only broadcast", "dont", "Only broadcast"),
    ("Dont: Only broadcast", "dont", "Only broadcast"),
    ("don\u2019t: Only broadcast", "dont", "Only broadcast"),
    ("DON\u2019T: Only broadcast", "dont", "Only broadcast"),
]


async def test_thread_replies_with_a_category_prefix_are_submissions(app: FacilitatorApp) -> None:
    await open_session(app)
    await say(app, BO, "join newcomer")
    for number, (reply_text, kind, body) in enumerate(THREAD_SUBMISSIONS, start=1):
        reply = only(await say(app, BO, reply_text, THREAD), ReplyKind.ITEM)
        assert (reply.items[0].number, reply.items[0].kind, reply.items[0].text) == (number, kind, body), reply_text
    assert (await stored(app))["items"] == [
        (number, kind, body, BO.user_id, False) for number, (_, kind, body) in enumerate(THREAD_SUBMISSIONS, start=1)
    ]


async def test_other_thread_chatter_is_ignored_silently(app: FacilitatorApp) -> None:
    await open_session(app)
    before = await stored(app)
    for chatter in ("Note: we start at ten", "Thanks, great session!", "Done", "http://example.org: a link", "   ", ""):
        assert await say(app, BO, chatter, THREAD) == [], chatter
    assert await stored(app) == before


async def test_a_do_reply_in_some_other_thread_of_the_channel_is_not_a_submission(app: FacilitatorApp) -> None:
    """The contract captures `DO:` replies in the session thread only: a reply in an unrelated
    thread of the same channel is someone else's conversation."""
    await open_session(app)
    before = await stored(app)
    assert await say(app, BO, "DO: bring snacks on Friday", place(thread="T-lunch-plans")) == []
    assert await stored(app) == before


async def test_a_pln_command_typed_in_the_session_thread_still_works(app: FacilitatorApp) -> None:
    await open_session(app)
    assert only(await say(app, BO, "/pln join newcomer", THREAD), ReplyKind.NOTICE)
    assert only(await say(app, BO, "/pln do Share first", THREAD), ReplyKind.ITEM).items[0].number == 1


BAD_TEXTS = [
    ("/pln do", "empty"),
    ("/pln do      ", "empty"),
    ("/pln dont \t  ", "empty"),
    ("/pln do \u200b\u2060\ufeff", "empty"),
    ("/pln do \x00\x01\x07\x1b", "empty"),
    ("/pln do " + "x" * 501, "501 characters"),
    ("/pln do " + "word " * 120, "599 characters"),
]


async def test_empty_and_too_long_items_are_refused_privately_and_nothing_is_saved(app: FacilitatorApp) -> None:
    await open_session(app)
    await say(app, BO, "join newcomer")
    await say(app, BO, "do Kept")
    before = await stored(app)

    for text, why in BAD_TEXTS:
        assert why in refusal(await say(app, BO, text), BO), text[:20]
        assert await stored(app) == before, text[:20]

    assert only(await say(app, BO, "do Next one"), ReplyKind.ITEM).items[0].number == 2


async def test_empty_thread_submission_is_refused_privately(app: FacilitatorApp) -> None:
    await open_session(app)
    before = await stored(app)
    assert "empty" in refusal(await say(app, BO, "DO:   ", THREAD), BO)
    assert await stored(app) == before


async def test_exactly_500_characters_are_accepted(app: FacilitatorApp) -> None:
    await open_session(app)
    text = "y" * 500
    assert only((await say(app, BO, f"/pln do {text}"))[:1], ReplyKind.ITEM).items[0].text == text


async def test_control_and_direction_characters_never_reach_the_database(app: FacilitatorApp) -> None:
    await open_session(app)
    await say(app, BO, "join newcomer")
    await app.service.handle(BO, place(), cmd.Submit("do", "Share\x00 first\x1b[31m \u202eevil\u202c\u200b!"))
    (item,) = (await stored(app))["items"]
    assert item[2] == "Share first [31m evil!"


async def test_an_unknown_category_by_command_is_refused_with_the_templates_categories(app: FacilitatorApp) -> None:
    await open_session(app)
    before = await stored(app)
    text = refusal(await say(app, BO, "/pln add stop Doing meetings"), BO)
    assert "/pln add do TEXT" in text and "/pln add dont TEXT" in text
    assert await stored(app) == before


@pytest.mark.parametrize("phase", ["voting", "discussing"])
async def test_submitting_outside_collecting_is_refused_and_changes_nothing(app: FacilitatorApp, phase: str) -> None:
    await open_session(app)
    await say(app, BO, "do Early")
    await advance_to(app, ANA, phase)
    before = await stored(app)

    by_command = refusal(await say(app, BO, "do Too late"), BO)
    by_thread = refusal(await say(app, BO, "DO: Too late", THREAD), BO)

    assert by_command == by_thread
    assert "only while the session is collecting" in by_command and f"it is {phase} now" in by_command
    assert await stored(app) == before


async def test_submitting_to_a_closed_session_is_refused(app: FacilitatorApp) -> None:
    await open_session(app)
    await say(app, ANA, "end")
    before = await stored(app)
    assert "closed" in refusal(await say(app, BO, "DO: After the end", THREAD), BO)
    assert "/pln start" in refusal(await say(app, BO, "do After the end"), BO)
    assert await stored(app) == before


async def test_submission_refusal_reads_what_submit_would_say_without_writing(app: FacilitatorApp) -> None:
    """The cheap read an adapter makes before opening a form: None while the session collects,
    else submit's own refusal; another workspace's session looks missing, as in every command."""
    session_id = await open_session(app)
    by_button = place(session_id=session_id)
    assert await app.service.submission_refusal(BO, by_button) is None
    await say(app, actor("Cy"), "do An early idea")  # voting opens only on something to vote on
    await advance_to(app, ANA, "voting")
    voting = await app.service.submission_refusal(BO, by_button)
    assert voting == ("New items are taken only while the session is collecting; it is voting now. "
                      "Spend your votes instead: `/pln vote N`.")
    assert refusal(await say(app, BO, "do Late idea"), BO) == voting  # the same words as the command itself
    await say(app, ANA, "end")
    assert await app.service.submission_refusal(BO, by_button) == "This session is closed. Start a new one with `/pln start`."
    stranger = actor("Bo", tenant="elsewhere")
    assert await app.service.submission_refusal(stranger, by_button) == "That session doesn't exist here."
    assert (await stored(app))["item_count"] == 1  # Cy's item only: the refusals wrote nothing
