"""Each Block Kit, view and message limit holds at its value and is refused one past it, with
Slack's error code and wording; text past 40,000 characters is cut, not refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_clock import ManualClock


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi(clock=ManualClock())  # standing still: no limit here is a rate limit
    api.install("xoxb-one", "T1")
    await api.start()
    yield api
    await api.stop()


def section(text: str = "x", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str = "Go", action_id: str = "a", value: str = "v") -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id, "value": value}


def select(options: int, text: str = "opt") -> dict[str, Any]:
    return {"type": "static_select", "action_id": "s", "placeholder": {"type": "plain_text", "text": "Pick"},
            "options": [{"text": {"type": "plain_text", "text": text}, "value": str(n)} for n in range(options)]}


def modal(blocks: int = 1, title: str = "Add a DO", submit: str = "Add", close: str = "Cancel",
          private_metadata: str = "", callback_id: str = "pln:add_item") -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title},
            "submit": {"type": "plain_text", "text": submit}, "close": {"type": "plain_text", "text": close},
            "private_metadata": private_metadata, "callback_id": callback_id, "blocks": [section()] * blocks}


# Each case: a message's blocks built for a size n, the limit, and the JSON pointer Slack names.
MESSAGE_LIMITS: dict[str, tuple[Callable[[int], list[dict[str, Any]]], int, str]] = {
    "blocks per message": (lambda n: [{"type": "divider"}] * n, 50, "/blocks"),
    "section text": (lambda n: [section("a" * n)], 3000, "/blocks/0/text/text"),
    "header text": (lambda n: [{"type": "header", "text": {"type": "plain_text", "text": "h" * n}}], 150, "/blocks/0/text/text"),
    "button text": (lambda n: [{"type": "actions", "elements": [button(text="b" * n)]}], 75, "/blocks/0/elements/0/text/text"),
    "action_id": (lambda n: [{"type": "actions", "elements": [button(action_id="i" * n)]}], 255, "/blocks/0/elements/0/action_id"),
    "button value": (lambda n: [{"type": "actions", "elements": [button(value="v" * n)]}], 2000, "/blocks/0/elements/0/value"),
    "select options": (lambda n: [section(accessory=select(n))], 100, "/blocks/0/accessory/options"),
    "option text": (lambda n: [section(accessory=select(1, text="o" * n))], 75, "/blocks/0/accessory/options/0/text/text"),
}

VIEW_LIMITS: dict[str, tuple[Callable[[int], dict[str, Any]], int, str]] = {
    "blocks per modal": (lambda n: modal(blocks=n), 100, "/view/blocks"),
    "modal title": (lambda n: modal(title="t" * n), 24, "/view/title/text"),
    "submit text": (lambda n: modal(submit="s" * n), 24, "/view/submit/text"),
    "close text": (lambda n: modal(close="c" * n), 24, "/view/close/text"),
    "private_metadata": (lambda n: modal(private_metadata="m" * n), 3000, "/view/private_metadata"),
    "callback_id": (lambda n: modal(callback_id="c" * n), 255, "/view/callback_id"),
}


@pytest.mark.parametrize("case", MESSAGE_LIMITS)
async def test_message_limits(fake: FakeSlackApi, case: str) -> None:
    build, limit, pointer = MESSAGE_LIMITS[case]
    api = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
    await api.chat_postMessage(channel="C1", text="fallback", blocks=build(limit))
    with pytest.raises(SlackApiError) as refused:
        await api.chat_postMessage(channel="C1", text="fallback", blocks=build(limit + 1))
    assert refused.value.response["error"] == "invalid_blocks"
    messages = refused.value.response["response_metadata"]["messages"]
    assert any(message.startswith("[ERROR]") and f"[json-pointer:{pointer}]" in message for message in messages), messages


@pytest.mark.parametrize("case", VIEW_LIMITS)
async def test_view_limits(fake: FakeSlackApi, case: str) -> None:
    build, limit, pointer = VIEW_LIMITS[case]
    api = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
    opened = await api.views_open(trigger_id=fake.trigger_id(), view=build(limit))
    assert opened["view"]["id"]
    with pytest.raises(SlackApiError) as refused:
        await api.views_open(trigger_id=fake.trigger_id(), view=build(limit + 1))
    assert refused.value.response["error"] == "invalid_arguments"
    assert any(f"[json-pointer:{pointer}]" in m for m in refused.value.response["response_metadata"]["messages"])


async def test_the_home_tab_takes_100_blocks_and_only_home_views(fake: FakeSlackApi) -> None:
    api = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
    await api.views_publish(user_id="U1", view={"type": "home", "blocks": [section()] * 100})
    for view in ({"type": "home", "blocks": [section()] * 101}, modal()):
        with pytest.raises(SlackApiError) as refused:
            await api.views_publish(user_id="U1", view=view)
        assert refused.value.response["error"] == "invalid_arguments"


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")  # slack_sdk's, for the empty text
async def test_text_past_40000_characters_is_truncated_not_refused(fake: FakeSlackApi) -> None:
    api = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
    posted = await api.chat_postMessage(channel="C1", text="a" * 40_000 + "LOST")
    assert posted["ok"] and posted["message"]["text"] == "a" * 40_000
    with pytest.raises(SlackApiError) as refused:
        await api.chat_postMessage(channel="C1", text="")
    assert refused.value.response["error"] == "no_text"
