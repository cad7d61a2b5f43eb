"""What people do on Discord, as the gateway events the fake server sends the bot:
slash commands, button clicks, modal submissions and plain messages, in a guild or in the
person's DM with the bot.

Only what Discord would deliver is delivered: a slash command must be registered where it is
used, with options its registration allows (the Discord client checks types, choices and
lengths before sending); a click must be on a component the message has. Anything else raises
NotDeliverable, so a test can't pretend Discord sent it.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.discord_command_rules import available_in_dms, delivery_problems
from tests.fakes.discord_interactions import COMPONENT, MODAL_SUBMIT, SLASH, InteractionLedger
from tests.fakes.discord_model import (
    DM_APP_PERMISSIONS,
    FakeGuild,
    FakeMember,
    message_payload,
    snowflake,
    user_payload,
)

GUILD_CONTEXT, BOT_DM_CONTEXT = 0, 1
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class NotDeliverable(ValueError):
    """Discord would never send this interaction."""


class EventInjection:
    """Mixed into FakeDiscord, whose state (threads, messages, commands, ledger) it reads."""

    application_id: int
    threads: dict[int, dict[str, Any]]
    messages: dict[int, dict[str, Any]]
    interactions: list[dict[str, Any]]
    commands: dict[int | None, dict[str, dict[str, Any]]]
    ledger: InteractionLedger

    async def dispatch_to_guild(self, guild_id: int, event: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    async def dispatch_to_dms(self, event: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def bot_permissions(self, channel_id: int) -> int:
        raise NotImplementedError

    def dm_channel_with(self, member: FakeMember) -> int:
        raise NotImplementedError

    # ----- building interactions -----

    def _interaction(self, kind: int, data: dict[str, Any], member: FakeMember, channel: dict[str, Any],
                     guild: FakeGuild | None, message: dict[str, Any] | None = None,
                     age: float = 0.0) -> dict[str, Any]:
        """An INTERACTION_CREATE as Discord sends it (discord.py's types/interactions.py):
        in a guild with `member` and `guild_id`, in a DM with `user` and neither."""
        interaction_id = snowflake(age=age)  # Discord minted the id when the interaction began
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": channel["id"],
            "channel": channel,
            "token": f"itoken-{interaction_id}",
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is not None:
            payload.update({
                "guild_id": str(guild.guild_id),
                "member": member.payload(with_permissions=True),
                "app_permissions": str(self.bot_permissions(int(channel["id"]))),
                "guild_locale": "en-US",
                "authorizing_integration_owners": {"0": str(guild.guild_id)},
                "context": GUILD_CONTEXT,
            })
        else:
            payload.update({
                "user": user_payload(member.user_id, member.name),
                "app_permissions": str(DM_APP_PERMISSIONS),
                # A guild-installed app used in its own DM: the guild key is there, as "0".
                "authorizing_integration_owners": {"0": "0"},
                "context": BOT_DM_CONTEXT,
            })
        if message is not None:
            payload["message"] = message
        self.ledger.open(interaction_id, payload["token"], kind, int(channel["id"]),
                         int(message["id"]) if message is not None else None, age)
        self.interactions.append(payload)
        return payload

    def _command_data(self, command: str, subcommand: str | None, options: dict[str, Any] | None,
                      guild: FakeGuild | None) -> dict[str, Any]:
        typed: list[dict[str, Any]] = []
        resolved: dict[str, dict[str, Any]] = {"users": {}, "members": {}}
        for name, value in (options or {}).items():
            if isinstance(value, FakeMember):  # a user option: Discord sends the id plus resolved data
                member = value.payload(with_permissions=True)
                resolved["users"][str(value.user_id)] = member.pop("user")
                if guild is not None:
                    resolved["members"][str(value.user_id)] = member
                typed.append({"name": name, "type": 6, "value": str(value.user_id)})
            else:
                typed.append({"name": name, "type": _option_type(value), "value": value})
        if subcommand is not None:
            *group, name = subcommand.split(" ")
            typed = [{"name": name, "type": 1, "options": typed}]
            if group:  # a group's subcommand ("item hide") arrives one level down, as type 2
                typed = [{"name": group[0], "type": 2, "options": typed}]
        registered = self._registered(command, guild)
        problems = delivery_problems(registered, typed)
        if problems:
            raise NotDeliverable(f"Discord's client would not send /{command} {subcommand or ''}: {problems}")
        data: dict[str, Any] = {"id": registered.get("id", str(snowflake())), "name": command, "type": 1,
                                "options": typed}
        if registered.get("guild_id") is not None:
            data["guild_id"] = registered["guild_id"]
        if resolved["users"]:
            data["resolved"] = resolved
        return data

    def _registered(self, command: str, guild: FakeGuild | None) -> dict[str, Any]:
        scopes: list[int | None] = [None] if guild is None else [guild.guild_id, None]
        for scope in scopes:
            found = self.commands.get(scope, {}).get(command)
            if found is not None and (guild is not None or available_in_dms(found)):
                return found
        where = "in this guild" if guild is not None else "in DMs (it is guild-only or guild-scoped)"
        raise NotDeliverable(f"/{command} is not registered {where}: Discord would not offer it")

    def _component_data(self, message: dict[str, Any], custom_id: str, values: list[str] | None) -> dict[str, Any]:
        components = [c for row in message.get("components", []) for c in row.get("components", [])]
        clicked = next((c for c in components if c.get("custom_id") == custom_id), None)
        if clicked is None:  # Discord only sends clicks on components the message has
            raise NotDeliverable(f"message {message['id']} has no component {custom_id!r}")
        if clicked.get("disabled"):
            raise NotDeliverable(f"component {custom_id!r} is disabled: it can't be clicked")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": clicked.get("type", 2)}
        if values is not None:
            data["values"] = values
        return data

    def _channel_of(self, guild: FakeGuild, channel_id: int | None) -> dict[str, Any]:
        if channel_id is not None and channel_id in self.threads:
            return self.threads[channel_id]
        return guild.channel_payload()

    def _dm_channel(self, member: FakeMember) -> dict[str, Any]:
        """The DM channel with `member` as an interaction carries it (recipients included)."""
        return {"id": str(self.dm_channel_with(member)), "type": 1, "last_message_id": None, "flags": 0,
                "recipients": [user_payload(member.user_id, member.name)]}

    # ----- in a guild -----

    async def slash(self, guild: FakeGuild, member_name: str, subcommand: str | None,
                    options: dict[str, Any] | None = None, channel_id: int | None = None,
                    command: str = "pln", age: float = 0.0) -> dict[str, Any]:
        """A member runs `/command subcommand option:value ...` (no subcommand when None; a
        group's subcommand is named with a space, as Discord shows it: "item hide").
        `age`: seconds Discord already spent on it before the bot got it."""
        data = self._command_data(command, subcommand, options, guild)
        payload = self._interaction(SLASH, data, guild.member(member_name), self._channel_of(guild, channel_id),
                                    guild, age=age)
        await self.dispatch_to_guild(guild.guild_id, "INTERACTION_CREATE", payload)
        return payload

    async def click(self, guild: FakeGuild, member_name: str, custom_id: str, message_id: int,
                    values: list[str] | None = None, age: float = 0.0) -> dict[str, Any]:
        """A member presses a button (or picks `values` in a select) on a message the bot sent."""
        message = self.messages[message_id]
        data = self._component_data(message, custom_id, values)
        channel = self._channel_of(guild, int(message["channel_id"]))
        payload = self._interaction(COMPONENT, data, guild.member(member_name), channel, guild, message, age)
        await self.dispatch_to_guild(guild.guild_id, "INTERACTION_CREATE", payload)
        return payload

    async def submit_modal(self, guild: FakeGuild, member_name: str, custom_id: str,
                           fields: dict[str, str], channel_id: int | None = None) -> dict[str, Any]:
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
                for key, value in fields.items()]
        data = {"custom_id": custom_id, "components": rows}
        payload = self._interaction(MODAL_SUBMIT, data, guild.member(member_name),
                                    self._channel_of(guild, channel_id), guild)
        await self.dispatch_to_guild(guild.guild_id, "INTERACTION_CREATE", payload)
        return payload

    async def post_message(self, guild: FakeGuild, member_name: str, channel_id: int, content: str) -> None:
        member = guild.member(member_name)
        data = message_payload(snowflake(), channel_id, user_payload(member.user_id, member.name),
                               {"content": content}, guild.guild_id)
        data["member"] = {k: v for k, v in member.payload().items() if k != "user"}
        await self.dispatch_to_guild(guild.guild_id, "MESSAGE_CREATE", data)

    # ----- in a DM with the bot -----

    async def dm_slash(self, member: FakeMember, subcommand: str | None, options: dict[str, Any] | None = None,
                       command: str = "pln") -> dict[str, Any]:
        """`member` runs a command in their DM with the bot: only commands Discord offers there."""
        data = self._command_data(command, subcommand, options, None)
        payload = self._interaction(SLASH, data, member, self._dm_channel(member), None)
        await self.dispatch_to_dms("INTERACTION_CREATE", payload)
        return payload

    async def dm_click(self, member: FakeMember, custom_id: str, message_id: int) -> dict[str, Any]:
        """`member` presses a button on a message the bot sent them by DM."""
        message = self.messages[message_id]
        channel = self._dm_channel(member)
        if message["channel_id"] != channel["id"]:
            raise NotDeliverable(f"message {message_id} is not in {member.name}'s DM with the bot")
        data = self._component_data(message, custom_id, None)
        payload = self._interaction(COMPONENT, data, member, channel, None, message)
        await self.dispatch_to_dms("INTERACTION_CREATE", payload)
        return payload


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3
