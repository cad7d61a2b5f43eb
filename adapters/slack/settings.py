"""The Slack adapter's settings, from the environment (or .env). Secrets are never printed:
they are left out of the dataclass's repr."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from facilitator.config import ConfigError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# What the bot assumes Slack allows a minute, per workspace, of a Tier 4 method
# (chat.postEphemeral): Slack documents "100+". A 429 teaches the bot less; this says more.
DEFAULT_TIER4_PER_MINUTE = 100.0


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)  # xapp-: Socket Mode
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_SLACK_API_URL
    tier4_per_minute: float = DEFAULT_TIER4_PER_MINUTE

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
        tier4_per_minute=_per_minute(env.get("SLACK_TIER4_PER_MINUTE")),
    )


def _per_minute(value: str | None) -> float:
    if not value:
        return DEFAULT_TIER4_PER_MINUTE
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not 1 <= number <= 100_000:
        raise ConfigError(f"SLACK_TIER4_PER_MINUTE must be a number of calls a minute (1 to 100000), not {value[:20]!r}.",
                          f"Leave it unset for Slack's documented {DEFAULT_TIER4_PER_MINUTE:g}.")
    return number
