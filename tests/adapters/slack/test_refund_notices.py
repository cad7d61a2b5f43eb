"""Votes that come back on Slack: after `/pln hide` or `/pln merge`, each person whose votes came
back gets an ephemeral message in the session's channel, nobody else hears of it, and no public
post names a voter. That is with open tallies; with blind voting a hide tells everyone alike
(tests/app/test_blind_secrecy.py, docs/ANONYMITY.md)."""

from __future__ import annotations

from tests.adapters.slack.conftest import PEOPLE
from tests.adapters.slack.harness import SlackHarness
from tests.fakes.slack_api import Call

HOST, ANN, BOB, CID, DEE = "U6", "U1", "U2", "U3", "U4"


async def voting(slack: SlackHarness) -> None:
    """Four DOs, then voting with 3 votes and up to 2 per item, tallies open: Ann 2 on #2 and 1 on
    #1, Bob 1 on #2, Cid 1 on #1; Dee joined and hasn't voted."""
    await slack.command(HOST, "start Refunds", expect=2)
    await slack.command(HOST, "settings votes=3 per-item=2 blind=off")
    for user, text in ((ANN, "Give before you ask"), (BOB, "Keep a learning journal"),
                       (CID, "Share what you learn"), (DEE, "Answer one question a week")):
        await slack.command(user, "join veteran")
        await slack.command(user, f"do {text}")
    await slack.command(HOST, "next")
    for user, numbers in ((ANN, "2 2 1"), (BOB, "2"), (CID, "1")):
        (voted,) = await slack.command(user, f"vote {numbers}")
        assert voted.params["user"] == user and "left" in voted.params["text"]


def ephemeral(calls: list[Call]) -> list[tuple[str, str, str]]:
    assert all(c.method == "chat.postEphemeral" and c.response["ok"] for c in calls), calls
    return [(c.params["channel"], c.params["user"], c.params["text"]) for c in calls]


async def test_hide_and_merge_tell_each_voter_privately(slack: SlackHarness) -> None:
    await voting(slack)
    before = len(slack.fake.calls)

    hidden = await slack.command(HOST, "hide 2", expect=3)
    gone = "#2 was taken out of the lists, so your {} on it came back to you: {} left."
    assert ephemeral(hidden) == [
        ("C1", HOST, "#2 is hidden from the lists and the summary. Its 3 votes went back to the voters. "
                     "`/pln restore 2` brings it back."),
        ("C1", ANN, gone.format("2 votes", 2)),
        ("C1", BOB, gone.format("vote", 3)),
    ]

    await slack.command(DEE, "vote 1 3")
    await slack.command(BOB, "vote 3")
    merged = await slack.command(HOST, "merge 1 3", expect=2)  # Dee voted for both; Bob's vote just moves
    assert [c.method for c in merged] == ["chat.postMessage", "chat.postEphemeral"]
    assert ephemeral(merged[1:]) == [
        ("C1", DEE, "You had voted for both #1 and #3, which are now one item, so 1 vote came back to you: 2 left.")]

    await slack.command(HOST, "status")  # a later step: nothing more was delivered for the two above
    public = [c.params["text"] for c in slack.fake.calls[before:] if c.method == "chat.postMessage"]
    assert public == ["#3 is merged into #1 (Give before you ask). Votes on #3 now count for #1; anyone who "
                      "had voted for both got the extra vote back."]
    assert not any(name in text for text in public for name in PEOPLE.values())


async def test_a_voter_the_bot_cannot_reach_is_not_told_through_the_facilitator(slack: SlackHarness) -> None:
    # Without the bot in the channel, the facilitator's own answer falls back to the slash
    # command's response_url; the voters' notices must not, or the facilitator would read them.
    await voting(slack)
    slack.fake.outside.add("C1")
    calls = await slack.command(HOST, "hide 2", expect=4)
    assert [(c.method, c.params.get("user")) for c in calls] == [
        ("chat.postEphemeral", HOST), ("response_url", None), ("chat.postEphemeral", ANN), ("chat.postEphemeral", BOB)]
    assert calls[1].params["text"].startswith("#2 is hidden from the lists")
    assert all(c.response["error"] == "not_in_channel" for c in calls if c.method == "chat.postEphemeral")
    slack.fake.outside.discard("C1")
    await slack.command(HOST, "status")  # a later step: the voters' refused notices went nowhere else
    assert len(slack.fake.calls_to("response_url")) == 1
