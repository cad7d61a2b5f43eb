"""Pledges at the service layer: every command and its refusals, on a real database."""

from __future__ import annotations

import pytest

from facilitator import commands as cmd
from facilitator.commands.actions import ActionName, command_for
from facilitator.domain.actors import Actor
from facilitator.replies import ReplyKind

from tests.app.room import Room, only, texts
from tests.app.support import stored_document


async def _pledges(room: Room, session_id: int = 1) -> list[tuple[int, str, str, str, int | None]]:
    snapshot = await room.service.snapshot_of(session_id)
    return [(p.number, p.owner_name, p.text, p.status, p.item) for p in snapshot.pledges]


async def _joined(room: Room, *names: str) -> None:
    await room.start("Fay")
    for name in names:
        await room.say(name, "/pln join newcomer")


async def test_a_participant_pledges_and_the_thread_sees_it(room: Room) -> None:
    await _joined(room, "Ann")
    replies = await room.say("Ann", "/pln pledge Answer one newcomer question a week in #help")
    assert [(r.kind, r.private_to) for r in replies] == [(ReplyKind.NOTICE, None), (ReplyKind.NOTICE, "Ann")]
    assert replies[0].text == "New pledge #1 from Ann: Answer one newcomer question a week in #help"
    assert "in 7 days" in replies[1].text and "`/pln done 1`" in replies[1].text
    assert await _pledges(room) == [(1, "Ann", "Answer one newcomer question a week in #help", "open", None)]


async def test_pledges_are_numbered_per_session_and_may_name_an_item(room: Room) -> None:
    await _joined(room, "Ann", "Bob")
    await room.say("Ann", "/pln do Share what you learn")
    await room.say("Ann", "/pln pledge First thing")
    reply = (await room.say("Bob", "/pln pledge #1 Write up one thing I learned"))[0]
    assert reply.text == "New pledge #2 from Bob: Write up one thing I learned (puts item #1 into practice)"
    assert await _pledges(room) == [(1, "Ann", "First thing", "open", None),
                                    (2, "Bob", "Write up one thing I learned", "open", 1)]


async def test_pledging_needs_to_have_joined_and_an_existing_item(room: Room) -> None:
    await _joined(room, "Ann")
    refused = only(await room.say("Zed", "/pln pledge Something"))
    assert refused.kind is ReplyKind.ERROR and refused.private_to == "Zed" and "Join the session first" in refused.text
    refused = only(await room.say("Ann", "/pln pledge 9 Put item nine into practice"))
    assert refused.kind is ReplyKind.ERROR and "There is no item #9" in refused.text
    refused = only(await room.say("Ann", "/pln pledge"))
    assert refused.kind is ReplyKind.ERROR and "What will you do or give?" in refused.text
    assert await _pledges(room) == []


async def test_closed_sessions_take_pledges_too(room: Room) -> None:
    await _joined(room, "Ann")
    await room.say("Fay", "/pln end")
    replies = await room.say("Ann", "/pln pledge Mentor one newcomer")
    assert replies[0].text == "New pledge #1 from Ann: Mentor one newcomer"
    assert await _pledges(room) == [(1, "Ann", "Mentor one newcomer", "open", None)]


async def test_a_facilitator_pledges_for_someone_who_is_told_privately_and_can_decline(room: Room) -> None:
    await _joined(room, "Ann")
    replies = await room.say("Fay", "/pln pledge @Ann Review two pull requests")
    told = replies[-1]
    assert told.private_to == "Ann" and told.direct and "Fay pledged for you" in told.text
    assert [a.name.value for a in told.actions] == ["pledge_done", "pledge_drop"]
    refused = only(await room.say("Bob", "/pln pledge @Ann Something else"))
    assert refused.kind is ReplyKind.ERROR and "Only the session's facilitators can pledge for someone else" in refused.text
    dropped = await room.say("Ann", "/pln drop 1")
    assert dropped[0].text == "Pledge #1 (Ann) dropped: Review two pull requests" and dropped[0].private_to is None
    assert await _pledges(room) == [(1, "Ann", "Review two pull requests", "dropped", None)]


async def test_done_and_drop_are_for_the_owner_or_a_facilitator(room: Room) -> None:
    await _joined(room, "Ann", "Bob")
    await room.say("Ann", "/pln pledge One")
    await room.say("Ann", "/pln pledge Two")
    refused = only(await room.say("Bob", "/pln done 1"))
    assert refused.kind is ReplyKind.ERROR and "someone else's" in refused.text
    refused = only(await room.say("Ann", "/pln done 7"))
    assert refused.kind is ReplyKind.ERROR and "There is no pledge #7" in refused.text
    assert (await room.say("Ann", "/pln done 1"))[0].text == "Pledge #1 (Ann) kept: One"
    assert only(await room.say("Ann", "/pln done 1")).text == "Pledge #1 is already done."
    by_host = await room.say("Fay", "/pln drop 2")
    assert by_host[1].private_to == "Ann" and "Fay marked your pledge #2 dropped" in by_host[1].text
    assert [status for _, _, _, status, _ in await _pledges(room)] == ["done", "dropped"]


async def test_pledges_lists_owner_and_status_and_all_shows_the_channel_history(room: Room) -> None:
    await _joined(room, "Ann")
    await room.say("Ann", "/pln pledge Old promise")
    await room.say("Fay", "/pln end")
    await room.start("Fay", "Second")
    await room.say("Bob", "/pln join veteran")
    await room.say("Bob", "/pln pledge New promise")
    mine = only(await room.say("Ann", "/pln pledges"))
    assert mine.private_to == "Ann" and "#1 from Bob: New promise [open" in mine.text and "Old promise" not in mine.text
    history = only(await room.say("Ann", "/pln pledges all")).text
    assert "Workshop (session 1)" in history and "#1 from Ann: Old promise [open" in history
    assert "Second (session 2)" in history


async def test_wrong_settings_values_change_nothing(room: Room) -> None:
    await _joined(room, "Ann")
    for value in ("5s", "91d", "7", "soon"):
        refused = only(await room.say("Fay", f"/pln settings followup={value}"))
        assert refused.kind is ReplyKind.ERROR and "followup" in refused.text
    refused = only(await room.say("Ann", "/pln settings followup=1d"))
    assert refused.kind is ReplyKind.ERROR and "facilitators" in refused.text
    assert (await room.service.snapshot_of(1)).settings.followup == 7 * 86400


async def test_followup_can_change_in_any_phase(room: Room) -> None:
    await _joined(room, "Ann")
    await room.say("Ann", "/pln do Share first")
    await room.say("Fay", "/pln next")
    refused = only(await room.say("Fay", "/pln settings followup=2d votes=4"))
    assert refused.kind is ReplyKind.ERROR and "before voting" in refused.text
    assert "pledge follow-ups: 2 days" in only(await room.say("Fay", "/pln settings followup=2d")).text
    await room.say("Fay", "/pln end")
    changed = only(await room.say("Fay", "/pln settings followup=off"))
    assert "pledge follow-ups: off" in changed.text
    assert (await room.service.snapshot_of(1)).settings.followup is None
    assert "pledge follow-ups: off" in texts(await room.say("Ann", "/pln settings"))


async def test_the_next_session_reviews_the_open_pledges_and_its_summary_counts_them(room: Room) -> None:
    await _joined(room, "Ann")
    await room.say("Ann", "/pln pledge Answer one question a week")
    await room.say("Ann", "/pln pledge Already kept")
    await room.say("Ann", "/pln done 2")
    await room.say("Fay", "/pln end")
    await room.start("Fay", "Second")
    await room.say("Fay", "/pln settings anonymous=on")
    await room.say("Zelda", "/pln join veteran")
    await room.say("Zelda", "/pln pledge Host the next one")
    await room.say("Fay", "/pln end")
    room.clock.advance(days=7)
    intro = (await room.say("Fay", "/pln start Third"))[0]
    assert intro.kind is ReplyKind.INTRO and intro.intro is not None
    assert intro.intro.pledges == ("session 1, #1 from Ann: Answer one question a week",
                                   "session 2, #1: Host the next one")
    assert "Pledges still open from earlier sessions here" in intro.text and "Zelda" not in intro.text
    assert "Already kept" not in intro.text
    room.clock.advance(minutes=5)
    kept = await room.say("Ann", "/pln done 1 session=1")
    assert kept[0].text == "Pledge #1 (Ann) kept: Answer one question a week"
    summary = next(r for r in await room.say("Fay", "/pln end") if r.kind is ReplyKind.SUMMARY)
    assert "Earlier pledges in this channel: 2 open when this session started, 1 done since." in summary.text
    assert (await room.service.snapshot_of(3)).earlier_pledges.done_since == 1


async def test_anonymity_holds_in_every_output(room: Room) -> None:
    await room.start("Fay")
    await room.say("Fay", "/pln settings anonymous=on")
    await room.say("Zelda", "/pln join newcomer")
    await room.say("Quill", "/pln join veteran")
    await room.say("Zelda", "/pln do Share first")
    public = await room.say("Zelda", "/pln pledge 1 Answer one question a week")
    public += await room.say("Fay", "/pln pledge @Quill Host the next one")
    public += await room.say("Quill", "/pln done 2")
    shown = [r.text for r in public if r.private_to is None]
    assert shown == ["New pledge #1: Answer one question a week (puts item #1 into practice)",
                     "New pledge #2: Host the next one", "Pledge #2 kept: Host the next one"]
    listed = only(await room.say("Zelda", "/pln pledges")).text
    assert "Zelda" not in listed and "Quill" not in listed and "(yours)" in listed
    await room.say("Fay", "/pln next")
    await room.say("Fay", "/pln next")
    closing = await room.say("Fay", "/pln end")
    summary = next(r for r in closing if r.kind is ReplyKind.SUMMARY)
    assert "#1: Answer one question a week (item #1) [open]" in summary.text
    for fmt in ("md", "csv", "json", "html"):
        exported = only(await room.say("Ann", f"/pln export {fmt}"))
        assert exported.attachment is not None
        content = exported.attachment.content.decode("utf-8-sig")
        assert "Zelda" not in content and "Quill" not in content, fmt
        assert "Answer one question a week" in content or fmt == "csv", fmt
    document = await stored_document(room.app)
    assert [p["owner"] for p in document["pledges"]] == [None, None]
    assert document["summary"]["pledges"]["by_level"]["newcomer"] == {"made": 1, "kept": 0}
    assert document["summary"]["pledges"]["by_level"]["veteran"] == {"made": 1, "kept": 1}
    assert "Zelda" not in (await room.say("Fay", "/pln start Next"))[0].text


async def test_the_review_lists_the_latest_ten_open_pledges_and_counts_the_rest(room: Room) -> None:
    await _joined(room, "Ann")
    for n in range(1, 13):
        await room.say("Ann", f"/pln pledge Promise {n} " + "x" * 300)
    await room.say("Fay", "/pln end")
    intro = (await room.say("Fay", "/pln start Next"))[0].intro
    assert intro is not None and len(intro.pledges) == 11
    assert intro.pledges[0].startswith("session 1, #3 from Ann: Promise 3 xxx") and len(intro.pledges[0]) == 200
    assert intro.pledges[-1] == "and 2 older ones: `/pln pledges all` lists them"


async def test_status_shows_your_own_pledges_only(room: Room) -> None:
    await _joined(room, "Ann", "Bob")
    await room.say("Ann", "/pln pledge One")
    await room.say("Bob", "/pln pledge Two")
    await room.say("Ann", "/pln pledge Three")
    await room.say("Ann", "/pln done 3")
    status = only(await room.say("Ann", "/pln status"))
    assert status.private_to == "Ann" and "Your pledges: #1 (open), #3 (done)" in status.text
    assert "Your pledges" not in only(await room.say("Zed", "/pln status")).text


async def test_bad_pledges_are_refused_and_change_nothing(room: Room) -> None:
    await _joined(room, "Ann")
    refused = only(await room.say("Ann", "/pln pledge " + "y" * 501))
    assert refused.kind is ReplyKind.ERROR and "the limit is 500" in refused.text
    refused = only(await room.say("Ann", "/pln pledge \u202e\u200b"))
    assert refused.kind is ReplyKind.ERROR
    for typed in ("/pln done", "/pln done one", "/pln drop 1 2", "/pln done 1 session=x", "/pln pledges mine"):
        assert only(await room.say("Ann", typed)).kind is ReplyKind.ERROR, typed
    assert await _pledges(room) == []


async def test_another_workspace_can_not_reach_a_pledge_by_session_number(room: Room) -> None:
    await _joined(room, "Ann")
    await room.say("Ann", "/pln pledge Mine")
    other = Actor("T2", "Ann", "Ann")  # the same user id in another workspace
    refused = only(await room.service.handle_text(other, room.place(), "/pln done 1 session=1"))
    assert refused.kind is ReplyKind.ERROR and "doesn't exist here" in refused.text
    assert [status for *_, status, _ in await _pledges(room)] == ["open"]


def test_forged_pledge_buttons_are_refused() -> None:
    assert command_for(ActionName.PLEDGE_DONE, "3") == cmd.PledgeDone(3)
    assert command_for(ActionName.PLEDGE_LATER, "3") == cmd.PledgeLater(3)
    for forged in ("", "x", "-1", "1" * 12, "3; drop"):
        with pytest.raises(cmd.ParseError):
            command_for(ActionName.PLEDGE_DROP, forged)
