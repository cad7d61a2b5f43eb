"""Two workspaces installed through the OAuth flow, isolated from each other, and removed
again by app_uninstalled and tokens_revoked."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import unquote

import aiohttp
import pytest

from adapters.slack.app import BOT_SCOPES
from adapters.slack.tenancy import bot_token_for
from facilitator import commands as cmd
from facilitator.domain.actors import Actor, Place
from tests.adapters.slack.harness import SECRET, SlackHarness, export_json, find_button, slack_config
from tests.fakes import slack_payloads as sp
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import FakeSlackApi


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "condition never became true"
        await asyncio.sleep(0.02)


async def install(slack: SlackHarness, code: str) -> None:
    async with aiohttp.ClientSession() as browser:
        async with browser.get(f"{slack.base}/slack/install", allow_redirects=False) as page:
            assert page.status in (200, 302)
            state = page.cookies["slack-app-oauth-state"].value
            authorize = page.headers.get("Location") or (await page.text())
            scope = re.search(r"scope=([^&\"]+)", authorize)
            assert scope is not None and unquote(scope.group(1)).split(",") == BOT_SCOPES
        async with browser.get(f"{slack.base}/slack/oauth_redirect", params={"code": code, "state": state},
                               headers={"Cookie": f"slack-app-oauth-state={state}"}) as done:
            assert done.status == 200, await done.text()


@pytest.fixture
async def oauth_slack(database_url: str) -> AsyncIterator[SlackHarness]:
    fake = FakeSlackApi()
    for team in ("TA", "TB"):
        for user in ("U1", "U2"):
            fake.add_user(team, user, f"{user}@{team}")
    fake.grant_oauth_code("code-a", "xoxb-A", "TA", "U1")
    fake.grant_oauth_code("code-b", "xoxb-B", "TB", "U1")
    await fake.start()
    harness = await SlackHarness.start(fake, slack_config(database_url, fake, oauth=True))
    yield harness
    await harness.stop()
    await fake.stop()


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_two_workspaces_are_isolated_and_uninstall_removes_one(oauth_slack: SlackHarness) -> None:
    slack, fake = oauth_slack, oauth_slack.fake
    await install(slack, "code-a")
    await install(slack, "code-b")
    store = slack.bolt.installation_store
    assert store is not None
    for team in ("TA", "TB"):
        found = await store.async_find_installation(enterprise_id=None, team_id=team)
        assert found is not None and found.bot_token == {"TA": "xoxb-A", "TB": "xoxb-B"}[team]

    # The same channel id in both workspaces: two sessions, each answered with its own token.
    intro_a = (await slack.command("U1", "start Alpha", expect=2, team="TA"))[0]
    intro_b = (await slack.command("U1", "start Beta", expect=2, team="TB"))[0]
    assert (intro_a.team_id, intro_b.team_id) == ("TA", "TB")
    await slack.command("U2", "do Alpha idea", team="TA", expect=2)  # the item, and "pick your level"
    await slack.command("U2", "do Beta idea", team="TB", expect=2)
    # A TB user clicking a TA button (same channel id, guessed session) gets nothing of TA's.
    (refused,) = await slack.click("U2", find_button(intro_a, "join", level="veteran"), on=intro_a, team="TB")
    assert refused.team_id == "TB" and "doesn't exist here" in refused.params["text"]
    for team, title, text in (("TA", "Alpha", "Alpha idea"), ("TB", "Beta", "Beta idea")):
        (reply,) = await slack.core.service.handle(Actor(team, "U1", "x"), Place("slack", "C1"), cmd.Export("json"))
        assert reply.attachment is not None
        exported = export_json(reply.attachment.content)
        assert exported["session"]["title"] == title and [i["text"] for i in exported["items"]] == [text]
        assert [p["name"] for p in exported["participants"]] == [f"U2@{team}"]

    # auth.test once when installing and once to authorise the first request: then cached.
    assert [len(fake.calls_to("auth.test", team_id=t)) for t in ("TA", "TB")] == [2, 2]

    # Uninstalling from TA deletes its tokens and nothing of TB's.
    status, _ = await slack.http.post(sr.event_callback(SECRET, team_id="TA", event={"type": "app_uninstalled"}))
    assert status == 200
    await eventually(lambda: _gone(store, "TA"))
    assert await store.async_find_bot(enterprise_id=None, team_id="TB") is not None
    fake.revoke("xoxb-A")
    (still,) = await slack.command("U1", "status", team="TB")
    assert still.team_id == "TB"

    status, _ = await slack.http.post(sr.event_callback(SECRET, team_id="TB", event={
        "type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOTTB"]}}))
    assert status == 200
    await eventually(lambda: _bot_gone(store, "TB"))


async def _gone(store: object, team: str) -> bool:
    return await store.async_find_installation(enterprise_id=None, team_id=team) is None  # type: ignore[attr-defined]


async def _bot_gone(store: object, team: str) -> bool:
    return await store.async_find_bot(enterprise_id=None, team_id=team) is None  # type: ignore[attr-defined]


@pytest.fixture
async def org_slack(database_url: str) -> AsyncIterator[SlackHarness]:
    """OAuth with an org-wide install of Grid org E1 (is_enterprise_install: one token for all its
    workspaces) and a per-workspace install in another org, E2."""
    fake = FakeSlackApi()
    fake.add_user("T2", "W2", "Bob", enterprise_id="E1")
    fake.grant_oauth_code("code-org", "xoxb-ORG", "T2", "W9", enterprise_id="E1", org_wide=True)
    fake.grant_oauth_code("code-e2", "xoxb-E2T5", "T5", "W5", enterprise_id="E2")
    await fake.start()
    harness = await SlackHarness.start(fake, slack_config(database_url, fake, oauth=True))
    yield harness
    await harness.stop()
    await fake.stop()


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_an_org_wide_install_serves_every_workspace_of_the_org(org_slack: SlackHarness) -> None:
    slack, fake = org_slack, org_slack.fake
    await install(slack, "code-org")
    await install(slack, "code-e2")
    store = slack.bolt.installation_store
    assert store is not None
    org = await store.async_find_installation(enterprise_id="E1", team_id=None, is_enterprise_install=True)
    assert org is not None and org.is_enterprise_install and org.bot_token == "xoxb-ORG"

    # W2 of workspace T2 starts a session: Bolt's AsyncInstallationStoreAuthorize finds the org's token.
    command = sp.with_fields(sp.load("command_grid"), {"text": "start Org-wide", "response_url": fake.response_url("W2"),
                                                       "trigger_id": fake.trigger_id()})
    intro, _ = await slack.send(sp.signed(SECRET, command), expect=2)
    assert intro.ok and intro.team_id == "T2"  # posted with the org-wide token
    thread = str(intro.response["ts"])
    # A thread reply from T2, authorised org-wide (fixtures/slack/event_message_grid_org_install.json).
    reply = sp.with_fields(sp.load("event_message_grid_org_install"), {
        "event_id": sp.new_event_id(), "event.channel": "C1", "event.thread_ts": thread, "event.ts": sp.new_ts()})
    posted, _ = await slack.send(sp.signed(SECRET, reply), expect=2)  # the item, and "pick your level"
    assert posted.params["thread_ts"] == thread and "Ask one question a week" in posted.params["text"]
    (session,) = await slack.core.service.recent_sessions(Actor("E1", "W2", "Bob"))
    assert session.title == "Org-wide"  # the org is the tenant

    # Outside any request (a timed phase), each org's token is found from the tenant alone.
    assert await bot_token_for(store, "E1") == "xoxb-ORG"
    assert await bot_token_for(store, "E2") == "xoxb-E2T5"  # a per-workspace install in an org
    assert await bot_token_for(store, "T404") is None
