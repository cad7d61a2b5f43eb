"""The Slack adapter's settings, from the environment (or .env). Secrets are never printed:
they are left out of the dataclass's repr."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)  # xapp-: Socket Mode
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_SLACK_API_URL

    @property
    def configured(self) -> bool:
        return bool(self.bot_token or self.client_id)

    @property
    def uses_oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)


def slack_settings(env: Mapping[str, str]) -> SlackSettings:
    return SlackSettings(
        bot_token=env.get("SLACK_BOT_TOKEN"),
        signing_secret=env.get("SLACK_SIGNING_SECRET"),
        app_token=env.get("SLACK_APP_TOKEN"),
        client_id=env.get("SLACK_CLIENT_ID"),
        client_secret=env.get("SLACK_CLIENT_SECRET"),
        api_url=env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL,
    )
