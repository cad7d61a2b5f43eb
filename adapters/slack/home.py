"""The App Home tab: my open and recent sessions, their phase, and a link to each thread."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks as bk
from facilitator.app.service import SessionListing


async def thread_link(client: AsyncWebClient, listing: SessionListing) -> str | None:
    if not listing.thread:
        return None
    try:
        response = await client.chat_getPermalink(channel=listing.channel, message_ts=listing.thread)
    except SlackApiError:
        return None  # the intro was deleted, or we left the channel: show the session unlinked
    link = response.get("permalink")
    return str(link) if link else None


def session_line(listing: SessionListing, link: str | None) -> str:
    title = bk.escape(listing.title)
    shown = f"<{link}|{title}>" if link else title
    when = listing.created_at.strftime("%Y-%m-%d")
    return f"*{shown}*\nsession {listing.id} · {bk.escape(listing.phase)} · started {when} in <#{listing.channel}>"


def home_view(lines: list[str]) -> dict[str, Any]:
    blocks: list[bk.Block] = [bk.header("Your workshops")]
    if not lines:
        blocks.append(bk.mrkdwn_section("No sessions yet. Type `/pln start` in a channel to run one."))
    for line in lines[: bk.MAX_VIEW_BLOCKS - 3]:
        blocks.append(bk.mrkdwn_section(bk.clip_mrkdwn(line, bk.SECTION_TEXT)))
    blocks.append(bk.context("`/pln help` lists every command."))
    return {"type": "home", "blocks": blocks}


async def publish_home(client: AsyncWebClient, user_id: str, sessions: list[SessionListing]) -> None:
    open_first = sorted(sessions, key=lambda s: (s.phase == "closed", -s.created_at.timestamp()))
    lines = [session_line(s, await thread_link(client, s)) for s in open_first]
    await client.views_publish(user_id=user_id, view=home_view(lines))
