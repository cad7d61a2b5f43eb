"""A running Slack app for end-to-end tests: the real AsyncApp behind a real aiohttp server,
its real AsyncWebClient pointed at the fake Web API, and the core on a SQLite file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_bolt.app.async_app import AsyncApp

from adapters.slack import ids
from adapters.slack.app import build_app
from adapters.slack.server import HttpServer, serve_http
from facilitator.bootstrap import FacilitatorApp, open_app
from adapters.slack.settings import SlackSettings
from facilitator.config import Config
from tests.fakes import slack_requests as sr
from tests.fakes.slack_api import Call, FakeSlackApi

SECRET = "test-signing-secret"
# People act seconds apart, not microseconds: each request the harness sends moves the fake's
# clock on by this much, so Slack's per-channel and per-minute budgets meet a workshop's pace
# (fast, still) and only the bot's own bursts within one step can spend them.
HUMAN_PACE = 1.0
DELIVERIES = ("chat.postMessage", "chat.postEphemeral", "chat.update", "views.open", "views.publish",
              "files.completeUploadExternal", "response_url")


@dataclass(frozen=True)
class SlackRun:
    """What `adapters.slack.server.run` takes: the core's config and the Slack settings."""

    config: Config
    slack: SlackSettings


def slack_config(database_url: str, fake: FakeSlackApi, *, token: str | None = "xoxb-T1", oauth: bool = False,
                 port: int = 0, app_token: str | None = None, signing_secret: str | None = SECRET) -> SlackRun:
    return SlackRun(
        Config(database_url=database_url, host="127.0.0.1", port=port),
        SlackSettings(
            bot_token=None if oauth else token, signing_secret=signing_secret, app_token=app_token,
            client_id="111.222" if oauth else None, client_secret="client-secret" if oauth else None,
            api_url=fake.base_url,
        ),
    )


def elements(call: Call) -> list[dict[str, Any]]:
    """Every button and select in a recorded message or view."""
    blocks = call.json_param("blocks") or (call.json_param("view") or {}).get("blocks") or []
    found: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("accessory"):
            found.append(block["accessory"])
        if block.get("type") == "actions":
            found += block["elements"]
    return found


def find_button(call: Call, name: str, **args: str) -> dict[str, Any]:
    for element in elements(call):
        if element.get("type") == "button" and ids.action_name(element["action_id"]) == name:
            values = ids.decode(element.get("value"))
            if all(values.get(k) == v for k, v in args.items()):
                return element
    raise AssertionError(f"no {name} button with {args} in {call.method}")


@dataclass
class SlackHarness:
    fake: FakeSlackApi
    core: FacilitatorApp
    bolt: AsyncApp
    server: HttpServer
    http: sr.BoltHttpClient
    channel: str = "C1"
    settled: int = 0  # deliveries seen when the last step's were all in

    @classmethod
    async def start(cls, fake: FakeSlackApi, settings: SlackRun) -> SlackHarness:
        core = await open_app(settings.config.database_url, templates_dir=settings.config.templates_dir)
        bolt = await build_app(settings.slack, core.service, core.db.engine)
        server = await serve_http(bolt, "127.0.0.1", 0, settings.slack.signing_secret or "")
        http = sr.BoltHttpClient(f"http://127.0.0.1:{server.port}/slack/events")
        harness = cls(fake, core, bolt, server, http)
        harness.resync()
        return harness

    def resync(self) -> None:
        """After driving the app outside `send` (and waiting for it), take the deliveries as expected."""
        self.settled = len(self.delivered())

    async def stop(self) -> None:
        await self.http.close()
        await self.server.close()
        await self.core.close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def delivered(self) -> list[Call]:
        return [c for c in self.fake.calls if c.method in DELIVERIES]

    async def send(self, request: sr.SignedRequest, expect: int = 1) -> list[Call]:
        """Post a signed request; wait until `expect` more deliveries were made (the app
        answers at ack and does the work afterwards)."""
        before = len(self.delivered())
        extra = [c.method for c in self.delivered()[self.settled:]]
        assert not extra, f"the previous step delivered more than it expected: {extra}"
        self.fake.clock.advance(HUMAN_PACE)
        status, text = await self.http.post(request)
        assert status == 200, (status, text)
        if expect:
            await self.fake.wait_for(lambda _: len(self.delivered()) >= before + expect)
        self.settled = before + expect
        return self.delivered()[before:]

    # Builders for one workspace's people

    async def command(self, user: str, text: str, expect: int = 1, team: str = "T1", channel: str | None = None) -> list[Call]:
        return await self.send(sr.slash_command(
            SECRET, text=text, team_id=team, user_id=user, channel_id=channel or self.channel,
            response_url=self.fake.response_url(user), user_name=user.lower(), trigger_id=self.fake.trigger_id()), expect)

    async def click(self, user: str, element: dict[str, Any], on: Call, expect: int = 1, team: str = "T1",
                    option: int | None = None) -> list[Call]:
        action = {k: v for k, v in element.items() if k in ("action_id", "value", "type", "text")}
        if option is not None:
            action["selected_option"] = element["options"][option]
        message_ts = on.response.get("ts") or on.response.get("message_ts") or on.params.get("ts")
        thread = on.params.get("thread_ts")
        return await self.send(sr.block_action(
            # The channel the message is in: a post to a user id lands in a DM (D...), as Slack answers.
            SECRET, action=action, team_id=team, user_id=user, channel_id=on.response.get("channel") or on.params["channel"],
            message_ts=message_ts,
            thread_ts=thread, response_url=self.fake.response_url("click"), user_name=user.lower(),
            ephemeral=on.method == "chat.postEphemeral", trigger_id=self.fake.trigger_id()), expect)

    async def submit_modal(self, user: str, opened: Call, text: str, expect: int = 1, team: str = "T1") -> list[Call]:
        view = opened.json_param("view")
        values = {ids.ITEM_INPUT_BLOCK: {ids.ITEM_INPUT_ACTION: {"type": "plain_text_input", "value": text}}}
        return await self.send(sr.view_submission(SECRET, view=view, values=values, team_id=team, user_id=user,
                                                  trigger_id=self.fake.trigger_id()), expect)

    async def thread_reply(self, user: str, thread: str, text: str, expect: int = 1, team: str = "T1",
                           event_id: str | None = None, retry_num: int | None = None) -> list[Call]:
        event = sr.thread_message(user_id=user, channel_id=self.channel, thread_ts=thread, text=text)
        return await self.send(sr.event_callback(SECRET, event=event, team_id=team, event_id=event_id,
                                                 retry_num=retry_num), expect)


def export_json(upload_content: bytes) -> dict[str, Any]:
    return json.loads(upload_content.decode())
