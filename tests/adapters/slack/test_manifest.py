"""The manifests people paste into Slack agree with what the code asks for and serves."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from adapters.slack import ids
from adapters.slack.app import BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH

SLACK_DIR = Path(__file__).resolve().parents[3] / "slack"


@pytest.mark.parametrize("name", ["manifest.yml", "manifest-socket-mode.yml"])
def test_manifest_matches_the_app(name: str) -> None:
    manifest = yaml.safe_load((SLACK_DIR / name).read_text())
    assert manifest["oauth_config"]["scopes"]["bot"] == BOT_SCOPES
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/pln" and command["should_escape"] is True
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened", "app_mention", "app_uninstalled", "tokens_revoked", "message.channels", "message.groups"}
    # Commands in threads are mentions (Slack runs no slash command there): the event and its scope.
    assert "app_mentions:read" in BOT_SCOPES
    (shortcut,) = manifest["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", ids.ADD_TO_WORKSHOP)
    assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 80  # Slack's limits
    assert settings["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    # Follow-ups of pledges are DMs: the Messages tab shows them, read-only (the bot reads no DMs).
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is True
    if settings["socket_mode_enabled"]:
        assert "request_url" not in settings["event_subscriptions"]
    else:
        urls = [command["url"], settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
        assert all(url.endswith(EVENTS_PATH) for url in urls)
        assert manifest["oauth_config"]["redirect_urls"][0].endswith(REDIRECT_PATH)
