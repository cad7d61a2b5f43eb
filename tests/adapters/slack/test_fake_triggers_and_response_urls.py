"""trigger_ids and response_urls are short-lived, as in Slack: a trigger opens one view within
3 s; a response_url takes 5 posts within 30 minutes. Time is the fake's hand-wound clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_clock import ManualClock

VIEW = {"type": "modal", "title": {"type": "plain_text", "text": "Add a DO"}, "blocks": []}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi(clock=clock)
    api.install("xoxb-one", "T1")
    await api.start()
    yield api
    await api.stop()


async def open_error(fake: FakeSlackApi, trigger_id: str) -> str | None:
    try:
        await AsyncWebClient(token="xoxb-one", base_url=fake.base_url).views_open(trigger_id=trigger_id, view=VIEW)
    except SlackApiError as refused:
        return str(refused.response["error"])
    return None


async def test_a_trigger_opens_one_view_within_three_seconds(fake: FakeSlackApi, clock: ManualClock) -> None:
    fresh, late = fake.trigger_id(), fake.trigger_id()
    clock.advance(3.0)
    assert await open_error(fake, fresh) is None  # 3 s is still in time
    assert await open_error(fake, fresh) == "exchanged_trigger_id"  # but only once
    clock.advance(0.01)
    assert await open_error(fake, late) == "expired_trigger_id"


async def test_triggers_slack_never_issued_are_invalid(fake: FakeSlackApi) -> None:
    assert await open_error(fake, sr.unissued_trigger_id()) == "invalid_trigger_id"
    assert await open_error(fake, "12345.98765.abcd2358fdea") == "invalid_trigger_id"
    assert await open_error(fake, fake.trigger_id(age=3.5)) == "expired_trigger_id"  # issued before the bot got to it
    assert [c.status for c in fake.calls_to("views.open")] == [200, 200, 200]  # refusals are 200 + ok:false in Slack


async def test_a_response_url_takes_five_posts(fake: FakeSlackApi) -> None:
    hook = AsyncWebhookClient(fake.response_url("cmd"))
    for n in range(5):
        assert (await hook.send(text=f"reply {n}", response_type="ephemeral")).status_code == 200
    sixth = await hook.send(text="one too many", response_type="ephemeral")
    assert (sixth.status_code, sixth.body) == (404, '{"ok": false, "error": "used_url"}')
    assert fake.response_urls.refused[-1][1] == "used_url"
    other = AsyncWebhookClient(fake.response_url("cmd"))  # each payload brings its own URL
    assert (await other.send(text="fresh")).status_code == 200


async def test_a_response_url_expires_after_thirty_minutes(fake: FakeSlackApi, clock: ManualClock) -> None:
    hook = AsyncWebhookClient(fake.response_url("cmd"))
    assert (await hook.send(text="now")).status_code == 200
    clock.advance(30 * 60 + 1)
    late = await hook.send(text="later")
    assert late.status_code == 404 and "expired_url" in late.body
    unknown = AsyncWebhookClient(f"{fake.root_url}/respond/never-issued")
    assert (await unknown.send(text="?")).status_code == 404
    assert [error for _, error in fake.response_urls.refused] == ["expired_url", "no_service"]
