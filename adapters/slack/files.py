"""Exports go into the session thread as files (files upload v2)."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import clip_escaped
from facilitator.replies import Attachment


async def upload_export(client: AsyncWebClient, attachment: Attachment, comment: str, channel: str,
                        thread: str | None) -> None:
    await client.files_upload_v2(
        channel=channel,
        thread_ts=thread,
        filename=attachment.filename,
        content=attachment.content,
        title=attachment.filename,
        initial_comment=clip_escaped(comment, 3000),
    )
