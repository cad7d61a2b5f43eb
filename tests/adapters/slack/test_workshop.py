"""A whole workshop driven by signed HTTP requests, and the signature checks in front of it."""

from __future__ import annotations

import json
import time

import pytest

from facilitator.domain.actors import Actor
from tests.adapters.slack.harness import SECRET, SlackHarness, export_json, find_button
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import Call


def intro_of(calls: list[Call]) -> Call:
    return next(c for c in calls if c.method == "chat.postMessage" and not c.params.get("thread_ts"))


async def test_valid_signature_is_served_and_bad_ones_change_nothing(slack: SlackHarness) -> None:
    def start(secret: str = SECRET, timestamp: int | None = None) -> sr.SignedRequest:
        return sr.slash_command(secret, text="start", team_id="T1", user_id="U1", channel_id="C1",
                                response_url=slack.fake.response_url("x"), timestamp=timestamp)

    assert (await slack.http.post(start(secret="wrong-secret")))[0] == 401
    assert (await slack.http.post(start(timestamp=int(time.time()) - 6 * 60)))[0] == 401
    tampered = start()
    tampered = sr.SignedRequest(tampered.body.replace("start", "end"), tampered.headers)
    assert (await slack.http.post(tampered))[0] == 401
    assert slack.delivered() == []
    assert await slack.core.service.recent_sessions(Actor("T1", "U1", "Ann")) == []

    calls = await slack.send(start(), expect=2)
    assert [c.method for c in calls] == ["chat.postMessage", "chat.postEphemeral"]
    assert len(await slack.core.service.recent_sessions(Actor("T1", "U1", "Ann"))) == 1


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_six_person_workshop_has_exact_tallies(slack: SlackHarness) -> None:
    fake = slack.fake
    started = await slack.command("U1", "start Building a PLN", expect=2)
    intro = intro_of(started)
    thread = intro.response["ts"]
    assert find_button(intro, "join", level="veteran")

    # Everyone joins: buttons on the intro, and one slash command.
    for user, level in (("U1", "veteran"), ("U2", "veteran"), ("U3", "practitioner"), ("U4", "practitioner"), ("U6", "newcomer")):
        (notice,) = await slack.click(user, find_button(intro, "join", level=level), on=intro)
        assert notice.method == "chat.postEphemeral" and notice.params["user"] == user
        assert level in notice.params["text"]
    await slack.command("U5", "join newcomer")

    # Items from the modal, thread replies and slash commands, in this order: #1..#6.
    (opened,) = await slack.click("U1", find_button(intro, "add_item", kind="do"), on=intro)
    assert opened.method == "views.open"
    (item1,) = await slack.submit_modal("U1", opened, "Share what you learn")
    await slack.thread_reply("U2", thread, "DO: Follow people who disagree with you")
    await slack.command("U3", "dont Only lurk")
    (opened,) = await slack.click("U4", find_button(intro, "add_item", kind="dont"), on=intro)
    await slack.submit_modal("U4", opened, "Collect tools instead of people")
    await slack.thread_reply("U5", thread, "don't: Ask without thanking")
    (item6,) = await slack.command("U6", "do Ask one question a week")
    for item in (item1, item6):
        assert item.method == "chat.postMessage" and item.params["thread_ts"] == thread
    assert "Share what you learn" in item1.params["text"] and "Ann" in item1.params["text"]

    # Only the facilitator moves the session on; the voting message has a button per item.
    (refused,) = await slack.command("U2", "next")
    assert refused.method == "chat.postEphemeral" and refused.params["user"] == "U2"
    (voting,) = await slack.command("U1", "next")
    assert voting.params["thread_ts"] == thread

    async def vote(user: str, number: int) -> None:
        (answer,) = await slack.click(user, find_button(voting, "vote", item=str(number)), on=voting)
        assert answer.params["user"] == user and f"Voted for #{number}" in answer.params["text"], answer.params["text"]

    for number in (1, 2, 6):
        await vote("U1", number)
    (over,) = await slack.click("U1", find_button(voting, "vote", item="3"), on=voting)  # a 4th vote is refused
    assert "Nothing was changed" in over.params["text"]
    await slack.command("U2", "vote 2 3")
    for number in (1, 4, 2):
        await vote("U3", number)
    for number in (1, 6):
        await vote("U4", number)
    await slack.command("U4", "unvote 6")
    await vote("U4", 5)
    for number in (1, 5, 6):
        await vote("U5", number)
    for number in (6, 2):
        await vote("U6", number)
    (again,) = await slack.click("U6", find_button(voting, "vote", item="2"), on=voting)  # a double click
    assert "Nothing was changed" in again.params["text"]

    discussing = await slack.command("U1", "next", expect=2)
    assert all(c.params.get("thread_ts") == thread for c in discussing)
    # A workspace admin counts as a facilitator without having started anything.
    closing = await slack.command("U7", "end", expect=2)
    assert all(c.method == "chat.postMessage" and c.params.get("thread_ts") == thread for c in closing)

    (uploaded,) = await slack.command("U3", "export json")
    assert uploaded.method == "files.completeUploadExternal" and uploaded.params["thread_ts"] == thread
    (upload,) = fake.uploads.values()
    exported = export_json(upload.content)
    assert exported["schema"] == "facilitator.session/1"
    assert exported["session"]["phase"] == "closed" and exported["session"]["platform"] == "slack"
    items = {i["number"]: (i["kind"], i["text"], i["votes"], {k: v for k, v in i["votes_by_level"].items() if v}, i["author"])
             for i in exported["items"]}
    assert items == {
        1: ("do", "Share what you learn", 4, {"veteran": 1, "practitioner": 2, "newcomer": 1}, "Ann"),
        2: ("do", "Follow people who disagree with you", 4, {"veteran": 2, "practitioner": 1, "newcomer": 1}, "Bob"),
        3: ("dont", "Only lurk", 1, {"veteran": 1}, "Cid"),
        4: ("dont", "Collect tools instead of people", 1, {"practitioner": 1}, "Dee"),
        5: ("dont", "Ask without thanking", 2, {"practitioner": 1, "newcomer": 1}, "Eve"),
        6: ("do", "Ask one question a week", 3, {"veteran": 1, "newcomer": 2}, "Fay"),
    }
    people = {p["name"]: (p["level"], p["items"], p["votes_cast"]) for p in exported["participants"]}
    assert people == {"Ann": ("veteran", 1, 3), "Bob": ("veteran", 1, 2), "Cid": ("practitioner", 1, 3),
                      "Dee": ("practitioner", 1, 2), "Eve": ("newcomer", 1, 3), "Fay": ("newcomer", 1, 2)}

    # The App Home lists the session with a link to its thread.
    (home,) = await slack.send(sr.event_callback(SECRET, team_id="T1", event={"type": "app_home_opened", "user": "U1",
                                                                          "channel": "D1", "tab": "home"}))
    assert home.method == "views.publish" and "Building a PLN" in str(home.params["view"])
    assert f"p{thread.replace('.', '')}" in str(home.params["view"])


async def test_start_in_a_channel_without_the_bot_asks_for_an_invite(slack: SlackHarness) -> None:
    slack.fake.outside.add("C9")
    answers = await slack.command("U1", "start", channel="C9", expect=2)
    assert [c.method for c in answers] == ["chat.postMessage", "response_url"]
    assert answers[0].response["error"] == "not_in_channel" and "/invite @facilitator" in answers[1].params["text"]
    assert answers[1].params["response_type"] == "ephemeral"
    slack.fake.outside.discard("C9")  # the facilitator invited the bot; starting again works
    (intro, notice) = await slack.command("U1", "start", channel="C9", expect=2)
    assert intro.response["ok"] and not intro.params.get("thread_ts") and notice.method == "chat.postEphemeral"


async def test_pick_your_level_buttons_on_an_ephemeral_message(slack: SlackHarness) -> None:
    await slack.command("U1", "start", expect=2)
    item, pick = await slack.command("U2", "do Say hello first", expect=2)
    assert item.method == "chat.postMessage" and pick.method == "chat.postEphemeral" and pick.params["user"] == "U2"
    (joined,) = await slack.click("U2", find_button(pick, "join", level="practitioner"), on=pick)
    assert joined.params["user"] == "U2" and "practitioner" in joined.params["text"]
    assert not joined.params.get("thread_ts")  # answered where the person is, not in a thread they never opened


async def test_cohost_by_mention_can_move_the_session_on(slack: SlackHarness) -> None:
    await slack.command("U1", "start", expect=2)
    await slack.command("U2", "join veteran")
    await slack.command("U2", "do Keep notes")  # voting opens only on something to vote on
    (refused,) = await slack.command("U2", "next")
    assert refused.method == "chat.postEphemeral"
    made, told = await slack.command("U1", "cohost <@U2|bob>", expect=2)  # how Slack sends "@bob" with should_escape
    assert made.params["user"] == "U1" and "co-host" in made.params["text"]
    # The new co-host hears it too, privately (an ephemeral message in the channel).
    assert told.method == "chat.postEphemeral" and told.params["user"] == "U2"
    assert "made you a co-host" in told.params["text"]
    (moved,) = await slack.command("U2", "next")
    assert moved.method == "chat.postMessage" and "Voting is open" in moved.params["text"]


async def test_home_tab_without_sessions(slack: SlackHarness) -> None:
    (home,) = await slack.send(sr.event_callback(SECRET, team_id="T1", event={"type": "app_home_opened", "user": "U3",
                                                                          "channel": "D3", "tab": "home"}))
    assert home.params["user_id"] == "U3" and "No sessions yet" in str(home.params["view"])


async def test_private_replies_fall_back_to_the_response_url_outside_the_channel(slack: SlackHarness) -> None:
    slack.fake.outside.add("C8")
    refused, answered = await slack.command("U2", "help", channel="C8", expect=2)
    assert refused.method == "chat.postEphemeral" and refused.response["error"] == "not_in_channel"
    assert answered.method == "response_url" and answered.params["response_type"] == "ephemeral"
    assert "/pln start" in answered.params["text"]


async def test_help_shows_a_participant_who_runs_the_session(slack: SlackHarness) -> None:
    await slack.command("U1", "start", expect=2)
    (answer,) = await slack.command("U2", "help")
    blocks = json.dumps(answer.params["blocks"])
    # The facilitators' list is for facilitators; a participant's blocks say whom to ask instead.
    assert "What everyone can do" in blocks and "Who runs this session" in blocks and "Ann runs this session" in blocks
    assert "/pln nudge" not in blocks
    (hosting,) = await slack.command("U1", "help")
    assert "What facilitators can do" in json.dumps(hosting.params["blocks"])
