"""The fake Web API answers the real AsyncWebClient as Slack would (it is itself test code,
so it gets a few checks of its own)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.mentions import unintended_mentions
from tests.fakes.slack_api import FakeSlackApi


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi()
    api.install("xoxb-one", "T1")
    await api.start()
    yield api
    await api.stop()


async def test_records_json_and_form_calls_without_tokens(fake: FakeSlackApi) -> None:
    client = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
    assert (await client.auth_test())["team_id"] == "T1"
    posted = await client.chat_postMessage(channel="C1", text="hi", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}])
    again = await client.chat_postMessage(channel="C1", text="again")
    assert float(again["ts"]) > float(posted["ts"])
    await client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    methods = [c.method for c in fake.calls]
    assert methods == ["auth.test", "chat.postMessage", "chat.postMessage", "chat.postEphemeral"]
    assert fake.calls[1].json_param("blocks")[0]["text"]["text"] == "hi"
    assert fake.calls[3].params["user"] == "U1"
    assert all("xoxb-one" not in str(c.headers) + str(c.params) for c in fake.calls)
    assert {c.team_id for c in fake.calls} == {"T1"}


async def test_unknown_token_is_refused(fake: FakeSlackApi) -> None:
    with pytest.raises(SlackApiError):
        await AsyncWebClient(token="xoxb-nobody", base_url=fake.base_url).auth_test()


async def test_too_many_blocks_are_refused(fake: FakeSlackApi) -> None:
    client = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
    blocks = [{"type": "divider"}] * 51
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="C1", text="x", blocks=blocks)
    assert refused.value.response["error"] == "invalid_blocks"


async def test_rate_limit_then_success_with_retry_handler(fake: FakeSlackApi) -> None:
    fake.fail("chat.postMessage", status=429, times=2, retry_after=0)
    client = AsyncWebClient(token="xoxb-one", base_url=fake.base_url,
                            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)])
    await client.chat_postMessage(channel="C1", text="eventually")
    assert len(fake.calls_to("chat.postMessage")) == 3


async def test_files_upload_v2_round_trip(fake: FakeSlackApi) -> None:
    client = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
    await client.files_upload_v2(channel="C1", thread_ts="1.2", filename="s.json", content=b"{}", title="Session")
    (upload,) = fake.uploads.values()
    assert (upload.content, upload.channel, upload.thread_ts, upload.filename) == (b"{}", "C1", "1.2", "s.json")


async def test_mention_scanner_sees_into_blocks(fake: FakeSlackApi) -> None:
    client = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
    await client.chat_postMessage(channel="C1", text="&lt;!channel&gt; safe",
                                  blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "hey <!here> and <@U99|x>"}}])
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "<!subteam^S1>"}}]})
    found = unintended_mentions(fake.calls)
    assert sorted(m for _, m in found) == ["<!here>", "<!subteam^S1>", "<@U99|x>"]
    assert unintended_mentions(fake.calls, allowed=["<!here>", "<@U99|x>", "<!subteam^S1>"]) == []
