"""The fake's rate tiers answer as Slack does: 429, Retry-After in seconds, `ratelimited`,
per method and workspace (per channel for chat.postMessage), and recover as time passes.
Time is the fake's own hand-wound clock: nothing here sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_clock import ManualClock
from tests.fakes.slack_rate_limits import POST_MESSAGE_BURST, TIERS, WORKSPACE_POSTS


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi(clock=clock)
    api.install("xoxb-one", "T1")
    api.install("xoxb-two", "T2")
    api.add_user("T1", "U1", "Ann")
    await api.start()
    yield api
    await api.stop()


def client(fake: FakeSlackApi, token: str = "xoxb-one") -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=fake.base_url)  # no retry handler: we want to see the 429


async def spend(api: AsyncWebClient, count: int, user: str = "U1") -> None:
    for _ in range(count):
        await api.users_info(user=user)


def test_the_tiers_are_slacks() -> None:
    per_minute = {method: budget.per_minute for method, budget in TIERS.items()}
    assert {per_minute[m] for m in ("chat.update", "reactions.add", "conversations.info")} == {50}
    assert {per_minute[m] for m in ("chat.postEphemeral", "users.info", "views.open", "views.publish", "views.update")} == {100}
    assert per_minute["users.list"] == 20 and per_minute["chat.postMessage"] == 60


async def test_past_the_budget_slack_answers_429_with_retry_after(fake: FakeSlackApi) -> None:
    api = client(fake)
    await spend(api, 100)  # Tier 4: a minute's worth at once
    with pytest.raises(SlackApiError) as refused:
        await api.users_info(user="U1")
    response = refused.value.response
    assert response.status_code == 429
    assert response.data == {"ok": False, "error": "ratelimited"}
    assert response.headers["Retry-After"] == "1"  # one call's worth comes back in 0.6 s; Slack says whole seconds
    assert fake.ratelimited == {"users.info": 1}
    assert fake.calls[-1].status == 429


async def test_the_budget_comes_back_with_time(fake: FakeSlackApi, clock: ManualClock) -> None:
    api = client(fake)
    await spend(api, 100)
    clock.advance(0.5)
    with pytest.raises(SlackApiError):
        await api.users_info(user="U1")
    clock.advance(0.2)  # 0.7 s: more than one call's worth (60/100 s)
    await api.users_info(user="U1")
    clock.advance(60)
    await spend(api, 100)  # refilled, but never past one minute's budget
    with pytest.raises(SlackApiError):
        await api.users_info(user="U1")
    assert fake.ratelimited == {"users.info": 2}


async def test_budgets_are_per_method_and_per_workspace(fake: FakeSlackApi) -> None:
    fake.add_user("T2", "U2", "Bob")
    await spend(client(fake), 100)
    await client(fake).chat_postEphemeral(channel="C1", user="U1", text="another method, another budget")
    await spend(client(fake, "xoxb-two"), 100, user="U2")  # another workspace, another budget
    assert fake.ratelimited == {}


async def test_post_message_is_one_a_second_per_channel_after_a_short_burst(fake: FakeSlackApi, clock: ManualClock) -> None:
    api = client(fake)
    for _ in range(POST_MESSAGE_BURST):
        await api.chat_postMessage(channel="C1", text="burst")
    with pytest.raises(SlackApiError) as refused:
        await api.chat_postMessage(channel="C1", text="one too many")
    assert refused.value.response.headers["Retry-After"] == "1"
    await api.chat_postMessage(channel="C2", text="another channel is another budget")
    clock.advance(1.0)
    await api.chat_postMessage(channel="C1", text="a second later")
    with pytest.raises(SlackApiError):
        await api.chat_postMessage(channel="C1", text="but only one")
    assert fake.ratelimited == {"chat.postMessage": 2}


async def test_a_test_can_set_a_methods_budget(fake: FakeSlackApi, clock: ManualClock) -> None:
    fake.set_tier("chat.postEphemeral", per_minute=6, burst=2)
    api = client(fake)
    for _ in range(2):
        await api.chat_postEphemeral(channel="C1", user="U1", text="x")
    with pytest.raises(SlackApiError) as refused:
        await api.chat_postEphemeral(channel="C1", user="U1", text="x")
    assert refused.value.response.headers["Retry-After"] == "10"  # 6 a minute: one every 10 s
    clock.advance(10)
    await api.chat_postEphemeral(channel="C1", user="U1", text="x")
    fake.rate_limits.enforce = False
    for _ in range(20):
        await api.chat_postEphemeral(channel="C1", user="U1", text="x")
    assert fake.ratelimited == {"chat.postEphemeral": 1}


async def test_injected_429s_count_too_and_unauthenticated_calls_spend_nothing(fake: FakeSlackApi) -> None:
    fake.fail("views.publish", status=429, times=2, retry_after=7)
    for _ in range(2):
        with pytest.raises(SlackApiError) as refused:
            await client(fake).views_publish(user_id="U1", view={"type": "home", "blocks": []})
        assert refused.value.response.headers["Retry-After"] == "7"
    async with aiohttp.ClientSession() as session:
        for _ in range(150):  # a stranger's calls are refused as unauthenticated, not rated against T1
            async with session.post(f"{fake.base_url}users.info", data={"user": "U1"}) as response:
                assert (await response.json())["error"] == "not_authed"
    await spend(client(fake), 100)
    assert fake.ratelimited == {"views.publish": 2}


async def test_a_workspace_wide_cap_on_posts_can_be_switched_on(fake: FakeSlackApi) -> None:
    fake.set_tier(WORKSPACE_POSTS, per_minute=3, burst=3)  # Slack has one but publishes no figure
    api = client(fake)
    for channel in ("C1", "C2", "C3"):
        await api.chat_postMessage(channel=channel, text="each channel has budget left")
    with pytest.raises(SlackApiError) as refused:
        await api.chat_postMessage(channel="C4", text="but the workspace has none")
    assert refused.value.response.headers["Retry-After"] == "20"
    await client(fake, "xoxb-two").chat_postMessage(channel="C4", text="another workspace")
