"""Whose sessions a request is about: the tenant, and the bot token that reaches it later.

The tenant is the installation's Enterprise Grid org when it has one, else its workspace.
Within an org, channel ids are unique and one channel may be shared by several of its
workspaces: a person from another workspace of the org, in that channel, must find the same
session (and one open session per channel must hold across all of them), so the org is the
tenant. In a Slack Connect channel people of another org post too; the payload then names their
team and org, but the session is ours: the tenant comes from the installation the request was
authorised for (Bolt's authorize result: auth.test of the token used, or the installation
store's match), never from the person's team.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import desc, select

from adapters.slack.translate import team_of


def tenant_of(context: AsyncBoltContext, body: dict[str, Any]) -> str:
    result = context.authorize_result
    if result is not None and (result.enterprise_id or result.team_id):
        return str(result.enterprise_id or result.team_id)
    # No authorization ran (the uninstall events): the payload's own ids.
    return str(context.enterprise_id or context.team_id or team_of(body))


def is_org(tenant: str) -> bool:
    return tenant.startswith("E")  # Slack's org ids start with E, workspace ids with T


async def bot_token_for(store: AsyncInstallationStore, tenant: str) -> str | None:
    """The bot token that posts for a tenant outside any request (a timed phase): the
    workspace's own, or for an org the org-wide install's, else any workspace's of the org."""
    if not is_org(tenant):
        bot = await store.async_find_bot(enterprise_id=None, team_id=tenant)
        return bot.bot_token if bot else None
    bot = await store.async_find_bot(enterprise_id=tenant, team_id=None, is_enterprise_install=True)
    if bot is not None:
        return bot.bot_token
    if isinstance(store, AsyncSQLAlchemyInstallationStore):
        # find_bot needs the workspace of a per-workspace install; any of the org's will do,
        # since the org's channels are one namespace. The store's own table, read-only.
        bots = store.bots.c
        query = (
            select(bots.bot_token)
            .where(bots.client_id == store.client_id, bots.enterprise_id == tenant, bots.bot_token.is_not(None))
            .order_by(desc(bots.installed_at))
            .limit(1)
        )
        async with store.engine.connect() as connection:
            token = (await connection.execute(query)).scalar()
        return str(token) if token else None
    return None
