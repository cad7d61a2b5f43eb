"""An anonymous session on Slack: no author's name in any call the bot makes, nor in any export."""

from __future__ import annotations

import json
import re

from tests.adapters.slack.harness import SlackHarness, find_button

AUTHORS = {"U2": "Bob", "U3": "Cid", "U4": "Dee", "U5": "Eve", "U6": "Fay"}  # Ann (U1) only facilitates


def names_in(text: str) -> list[str]:
    return [name for name in AUTHORS.values() if re.search(rf"\b{name}\b", text)]


async def test_no_author_name_reaches_slack_in_an_anonymous_session(slack: SlackHarness) -> None:
    started = await slack.command("U1", "start Quiet room", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage")
    thread = intro.response["ts"]
    await slack.command("U1", "settings anonymous=on")
    for user, level in (("U2", "veteran"), ("U3", "practitioner"), ("U4", "newcomer")):
        await slack.click(user, find_button(intro, "join", level=level), on=intro)
    (opened,) = await slack.click("U2", find_button(intro, "add_item", kind="do"), on=intro)
    await slack.submit_modal("U2", opened, "Share what you learn")
    await slack.thread_reply("U3", thread, "DON'T: Only lurk")
    await slack.command("U4", "do Ask one question a week")
    await slack.command("U5", "dont Collect tools instead of people", expect=2)  # not joined: asked for a level
    await slack.command("U6", "do Thank people in public", expect=2)
    await slack.command("U2", "why 1 Because trust is built by giving")
    (voting,) = await slack.command("U1", "next")
    for user in AUTHORS:  # U5 and U6 never joined: their vote counts (they were asked for a level once, above)
        await slack.click(user, find_button(voting, "vote", item="1"), on=voting)
    await slack.command("U1", "next", expect=2)
    await slack.command("U1", "end", expect=2)
    for fmt in ("md", "csv", "json", "html"):
        await slack.command("U3", f"export {fmt}")

    outgoing = [json.dumps(call.params, ensure_ascii=False) for call in slack.fake.calls
                if call.method not in ("users.info", "auth.test")]
    assert len(outgoing) > 30
    leaks = [(text[:200], names_in(text)) for text in outgoing if names_in(text)]
    assert leaks == []
    files = [upload.content.decode("utf-8") for upload in slack.fake.uploads.values()]
    assert len(files) == 4 and all(not names_in(text) for text in files)
    assert any("Share what you learn" in text for text in files)


async def test_the_scan_would_see_a_name_in_a_named_session(slack: SlackHarness) -> None:
    started = await slack.command("U1", "start Open room", expect=2)
    intro = next(c for c in started if c.method == "chat.postMessage")
    await slack.click("U2", find_button(intro, "join", level="veteran"), on=intro)
    await slack.command("U2", "do Share what you learn")
    assert any(names_in(json.dumps(c.params)) == ["Bob"] for c in slack.fake.calls if c.method == "chat.postMessage")
