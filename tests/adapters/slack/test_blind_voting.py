"""Blind voting on Slack: an export during voting would post the running tallies into the thread
as a file for everyone, so the bot refuses it privately and uploads nothing."""

from __future__ import annotations

from tests.adapters.slack.harness import SlackHarness, export_json
from tests.fakes.slack_api import Call


def public_or_files(calls: list[Call]) -> list[str]:
    return [c.method for c in calls if c.method == "chat.postMessage" or c.method.startswith("files.")]


async def test_an_export_during_blind_voting_is_refused_privately_and_uploads_nothing(slack: SlackHarness) -> None:
    fake = slack.fake
    started = await slack.command("U1", "start Blind room", expect=2)
    thread = next(c for c in started if c.method == "chat.postMessage").response["ts"]
    await slack.command("U2", "join veteran")
    await slack.command("U2", "do Share what you learn")
    (voting,) = await slack.command("U1", "next")
    assert "Voting is open" in voting.params["text"]
    await slack.command("U3", "join newcomer")
    await slack.command("U3", "vote 1")

    before = len(fake.calls)
    for user, fmt in (("U3", "json"), ("U1", "md"), ("U2", "csv"), ("U3", "html")):  # a participant and the host
        (refused,) = await slack.command(user, f"export {fmt}")
        assert refused.method == "chat.postEphemeral" and refused.params["user"] == user
        assert "blind" in refused.params["text"] and "once voting closes" in refused.params["text"]
    (status,) = await slack.command("U3", "status")  # a later request: the refusals were all delivered by now
    assert status.method == "chat.postEphemeral"
    assert public_or_files(fake.calls[before:]) == []
    assert fake.uploads == {}

    # Once voting closes the same command uploads the file into the thread, with the tallies.
    await slack.command("U1", "next", expect=2)
    (uploaded,) = await slack.command("U3", "export json")
    assert uploaded.method == "files.completeUploadExternal" and uploaded.params["thread_ts"] == thread
    (upload,) = fake.uploads.values()
    assert [i["votes"] for i in export_json(upload.content)["items"]] == [1]
