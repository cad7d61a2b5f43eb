"""Where the bot may post and what it may touch, refused with Slack's own error codes:
DMs and private channels it is not in, public channels it was not invited to, people not
in the channel, other apps' messages; and what each workspace of a Grid org can see."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_clock import ManualClock


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi(clock=ManualClock())
    api.install("xoxb-one", "T1")
    await api.start()
    yield api
    await api.stop()


def client(fake: FakeSlackApi, token: str = "xoxb-one") -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=fake.base_url)


async def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as refused:
        await call  # type: ignore[misc]
    return str(refused.value.response["error"])


@pytest.mark.parametrize("channel", ["D0ANNBOB01", "G0ANNBOBCID", "G0PRIVATE1"])
async def test_dms_group_dms_and_private_channels_the_bot_is_not_in_are_not_found(fake: FakeSlackApi, channel: str) -> None:
    api = client(fake)
    assert await error_of(api.chat_postMessage(channel=channel, text="hello")) == "channel_not_found"
    assert await error_of(api.chat_postEphemeral(channel=channel, user="U1", text="psst")) == "channel_not_found"
    assert await error_of(api.conversations_info(channel=channel)) == "channel_not_found"
    fake.join(channel)  # invited (a private channel or group DM), or the bot's own DM
    await api.chat_postMessage(channel=channel, text="now I can")


async def test_the_bot_may_post_in_its_own_dm_once_open(fake: FakeSlackApi) -> None:
    api = client(fake)
    opened = await api.conversations_open(users="U1")
    channel = opened["channel"]["id"]
    assert channel.startswith("D")
    await api.chat_postMessage(channel=channel, text="hello")
    assert (await api.conversations_open(users="U1"))["channel"]["id"] == channel  # the same DM each time
    assert await error_of(api.conversations_open(users="U1,U2")) == "method_not_supported_for_channel_type"


async def test_a_public_channel_the_bot_was_not_invited_to(fake: FakeSlackApi) -> None:
    api = client(fake)
    fake.leave("C2")
    assert await error_of(api.chat_postMessage(channel="C2", text="hello")) == "not_in_channel"
    assert (await api.conversations_info(channel="C2"))["channel"]["is_member"] is False
    fake.join("C2")
    await api.chat_postMessage(channel="C2", text="hello")
    await api.chat_postMessage(channel="C1", text="public channels are joined unless a test says otherwise")


async def test_an_ephemeral_message_to_someone_not_in_the_channel(fake: FakeSlackApi) -> None:
    fake.channels.members["C1"] = {"U1"}
    api = client(fake)
    await api.chat_postEphemeral(channel="C1", user="U1", text="you are here")
    assert await error_of(api.chat_postEphemeral(channel="C1", user="U9", text="you are not")) == "user_not_in_channel"


async def test_only_the_bots_own_existing_messages_can_be_updated(fake: FakeSlackApi) -> None:
    api = client(fake)
    mine = await api.chat_postMessage(channel="C1", text="mine")
    await api.chat_update(channel="C1", ts=mine["ts"], text="mine, edited")
    assert await error_of(api.chat_update(channel="C1", ts="1700000000.999999", text="x")) == "message_not_found"
    theirs = await api.chat_postMessage(channel="C1", text="theirs")
    fake.channels.messages[("C1", theirs["ts"])]["bot_id"] = "B0OTHERAPP"  # as if another app had posted it
    assert await error_of(api.chat_update(channel="C1", ts=theirs["ts"], text="x")) == "cant_update_message"
    assert await error_of(api.chat_delete(channel="C1", ts=theirs["ts"])) == "cant_delete_message"
    await api.chat_delete(channel="C1", ts=mine["ts"])
    assert await error_of(api.chat_delete(channel="C1", ts=mine["ts"])) == "message_not_found"


async def test_grid_workspaces_see_their_org_and_slack_connect_partners_only(fake: FakeSlackApi) -> None:
    fake.install("xoxb-north", "T2", enterprise_id="E1")
    fake.install("xoxb-south", "T3", enterprise_id="E1")
    fake.add_user("T3", "W3", "Cid", enterprise_id="E1")
    fake.add_user("TPARTNER", "WEXT1", "Zoe", enterprise_id="EPARTNER", seen_by=("T2",))
    fake.add_user("TPARTNER", "WEXT2", "Yan", enterprise_id="EPARTNER")
    north = client(fake, "xoxb-north")
    identity = await north.auth_test()
    assert (identity["team_id"], identity["enterprise_id"], identity["is_enterprise_install"]) == ("T2", "E1", False)
    cid = (await north.users_info(user="W3"))["user"]
    assert (cid["team_id"], cid["enterprise_user"]["enterprise_id"]) == ("T3", "E1")  # their home workspace, not ours
    assert (await north.users_info(user="WEXT1"))["user"]["team_id"] == "TPARTNER"
    assert await error_of(north.users_info(user="WEXT2")) == "user_not_found"
    assert await error_of(client(fake).users_info(user="W3")) == "user_not_found"  # T1 is not in the org


async def test_an_org_wide_install_says_so(fake: FakeSlackApi) -> None:
    fake.install("xoxb-org", "T2", enterprise_id="E1", org_wide=True)
    identity = await client(fake, "xoxb-org").auth_test()
    assert (identity["enterprise_id"], identity["is_enterprise_install"]) == ("E1", True)
