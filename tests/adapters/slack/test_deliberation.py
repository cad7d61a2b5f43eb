"""Deliberation through Bolt against the fake Slack Web API: predictions while voting, the agenda
and its items posted into the thread, notes by command and by a NOTE: thread reply (Slack runs
no slash command in a thread), a second round, and the export that holds it all."""

from __future__ import annotations

from tests.adapters.slack.harness import SlackHarness, export_json
from tests.fakes.mentions import unintended_mentions
from tests.fakes.slack_api import Call

NEWCOMERS = ("U4", "U5", "U6")  # Dee, Eve, Fay
VETERANS = ("U2", "U3")  # Bob, Cid


def shown(call: Call) -> str:
    """Everything a person reads in a message: its text and its blocks."""
    return str(call.params.get("text", "")) + str(call.json_param("blocks") or "")


async def test_a_workshop_deliberates_on_slack(slack: SlackHarness) -> None:
    intro, _ = await slack.command("U1", "start Deliberation", expect=2)
    thread = intro.response["ts"]
    (changed,) = await slack.command("U1", "settings predict=on")
    assert changed.params["thread_ts"] == thread and "predictions on" in changed.params["text"]
    for user in NEWCOMERS:
        await slack.command(user, "join newcomer")
    for user in VETERANS:
        await slack.command(user, "join veteran")
    await slack.command("U4", "do Follow five people")
    await slack.command("U2", "do Write in public weekly")
    (voting,) = await slack.command("U1", "next")
    assert "Predictions are on" in voting.params["text"]

    for user in NEWCOMERS:
        await slack.command(user, "vote 1")
    for user in VETERANS:
        await slack.command(user, "vote 2")
    for user in NEWCOMERS + VETERANS:
        (private,) = await slack.command(user, "predict 1")
        assert private.method == "chat.postEphemeral" and private.params["user"] == user
        assert "Your prediction for round 1: #1." in private.params["text"]

    phase, results = await slack.command("U1", "next", expect=2)
    assert results.params["thread_ts"] == thread
    # 5 voters, 5 predictions of #1: #2 is backed by 2 of 5 and predicted by none.
    assert "#2 Write in public weekly — backed by 40% of voters, predicted by 0%: +40 pts" in shown(results)

    (agenda,) = await slack.command("U1", "agenda unshared")
    assert agenda.method == "chat.postMessage" and agenda.params["thread_ts"] == thread
    assert "1. #1 DO: Follow five people — mostly newcomer support: 3 of 3 (100%)" in agenda.params["text"]
    (item,) = await slack.command("U1", "next item 5m")
    assert item.params["thread_ts"] == thread
    assert item.params["text"].startswith("Now discussing #1 (item 1 of 2, one level's knowledge first)")
    assert "Question: This came mostly from the newcomer level" in item.params["text"]
    (noted,) = await slack.command("U1", "note Newcomers follow people first")
    assert noted.method == "chat.postEphemeral" and "Noted on #1" in noted.params["text"]
    # In the thread: a participant's NOTE: is chat; the facilitator's is kept (and answered privately).
    await slack.thread_reply("U4", thread, "NOTE: just chatting", expect=0)
    (kept,) = await slack.thread_reply("U1", thread, "NOTE: Try it for a month <!channel> <@U2>")
    assert kept.method == "chat.postEphemeral" and kept.params["user"] == "U1" and "Noted on #1" in kept.params["text"]

    (opened,) = await slack.command("U1", "revote")
    assert opened.params["thread_ts"] == thread and "Round 2 is open" in opened.params["text"]
    for user, number in (("U4", 2), ("U5", 2), ("U6", 1), ("U2", 2), ("U3", 2)):
        await slack.command(user, f"vote {number}")
    _, moved = await slack.command("U1", "next", expect=2)
    assert "Round 2 compared with round 1" in shown(moved)
    assert "#2 Write in public weekly — 2 → 4 (+2): newcomer +2" in shown(moved)
    await slack.command("U1", "end", expect=2)
    (uploaded,) = await slack.command("U4", "export json")
    assert uploaded.params["thread_ts"] == thread
    assert unintended_mentions(slack.fake.calls) == []  # the note's <!channel> was posted escaped, in the summary too

    (upload,) = slack.fake.uploads.values()
    document = export_json(upload.content)
    assert document["session"]["round"] == 2 and document["session"]["platform"] == "slack"
    assert [r["votes"] for r in document["rounds"]] == [{"1": 3, "2": 2}, {"1": 1, "2": 4}]
    assert {i["number"]: i["surprise"] for i in document["items"]} == {1: -0.4, 2: 0.4}
    [discussed] = document["discussion"]
    assert (discussed["number"], discussed["reason"], discussed["timebox_seconds"]) == (1, "unshared", 300)
    assert [(n["text"], n["author"]) for n in discussed["notes"]] == [
        # Slack markup is kept as readable words: a name for a mention, "@channel" that pings nobody.
        ("Newcomers follow people first", "Ann"), ("Try it for a month @channel @Bob", "Ann")]
