"""What people do on Discord, as the gateway events the fake server sends the bot:
slash commands, button clicks, modal submissions and plain messages."""

from __future__ import annotations

from typing import Any

from tests.fakes.discord_model import FakeGuild, FakeMember, message_payload, snowflake, user_payload


class EventInjection:
    """Mixed into FakeDiscord, whose state (threads, messages, interaction maps) it reads."""

    application_id: int
    threads: dict[int, dict[str, Any]]
    messages: dict[int, dict[str, Any]]
    interaction_channels: dict[int, int]
    interaction_messages: dict[int, int]
    token_channels: dict[str, int]
    interactions: list[dict[str, Any]]

    async def dispatch_to_guild(self, guild_id: int, event: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def _interaction(self, guild: FakeGuild, member: FakeMember, kind: int, data: dict[str, Any],
                     channel_id: int | None = None, message: dict[str, Any] | None = None) -> dict[str, Any]:
        channel = guild.channel_payload()
        if channel_id is not None and channel_id in self.threads:
            channel = self.threads[channel_id]
        interaction_id = snowflake()
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(guild.guild_id),
            "channel_id": channel["id"],
            "channel": channel,
            "member": member.payload(with_permissions=True),
            "token": f"itoken-{interaction_id}",
            "version": 1,
            "app_permissions": str((1 << 53) - 1),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.guild_id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
            self.interaction_messages[interaction_id] = int(message["id"])
        self.interaction_channels[interaction_id] = int(channel["id"])
        self.token_channels[payload["token"]] = int(channel["id"])
        self.interactions.append(payload)
        return payload

    async def slash(self, guild: FakeGuild, member_name: str, subcommand: str | None,
                    options: dict[str, Any] | None = None, channel_id: int | None = None,
                    command: str = "pln") -> dict[str, Any]:
        """A member runs `/command subcommand option:value ...` (no subcommand when None); a
        subcommand of a group is named with a space, as Discord shows it: "item hide"."""
        typed: list[dict[str, Any]] = []
        resolved: dict[str, dict[str, Any]] = {"users": {}, "members": {}}
        for name, value in (options or {}).items():
            if isinstance(value, FakeMember):  # a user option: Discord sends the id plus resolved data
                member = value.payload(with_permissions=True)
                resolved["users"][str(value.user_id)] = member.pop("user")
                resolved["members"][str(value.user_id)] = member
                typed.append({"name": name, "type": 6, "value": str(value.user_id)})
            else:
                typed.append({"name": name, "type": _option_type(value), "value": value})
        if subcommand is not None:
            *group, name = subcommand.split(" ")
            typed = [{"name": name, "type": 1, "options": typed}]
            if group:  # Discord nests a group's subcommand one level down, as type 2
                typed = [{"name": group[0], "type": 2, "options": typed}]
        data: dict[str, Any] = {"id": str(snowflake()), "name": command, "type": 1,
                                "guild_id": str(guild.guild_id), "options": typed}
        if resolved["users"]:
            data["resolved"] = resolved
        payload = self._interaction(guild, guild.member(member_name), 2, data, channel_id)
        await self.dispatch_to_guild(guild.guild_id, "INTERACTION_CREATE", payload)
        return payload

    async def click(self, guild: FakeGuild, member_name: str, custom_id: str, message_id: int,
                    values: list[str] | None = None) -> dict[str, Any]:
        """A member presses a button (or picks `values` in a select) on a message the bot sent."""
        message = self.messages[message_id]
        ids = [c.get("custom_id") for row in message.get("components", []) for c in row.get("components", [])]
        if custom_id not in ids:  # Discord only sends clicks on components the message has
            raise ValueError(f"message {message_id} has no component {custom_id!r}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2 if values is None else 3}
        if values is not None:
            data["values"] = values
        payload = self._interaction(guild, guild.member(member_name), 3, data, int(message["channel_id"]), message)
        await self.dispatch_to_guild(guild.guild_id, "INTERACTION_CREATE", payload)
        return payload

    async def submit_modal(self, guild: FakeGuild, member_name: str, custom_id: str,
                           fields: dict[str, str], channel_id: int | None = None) -> dict[str, Any]:
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
                for key, value in fields.items()]
        data = {"custom_id": custom_id, "components": rows}
        payload = self._interaction(guild, guild.member(member_name), 5, data, channel_id)
        await self.dispatch_to_guild(guild.guild_id, "INTERACTION_CREATE", payload)
        return payload

    async def post_message(self, guild: FakeGuild, member_name: str, channel_id: int, content: str) -> None:
        member = guild.member(member_name)
        data = message_payload(snowflake(), channel_id, user_payload(member.user_id, member.name),
                               {"content": content}, guild.guild_id)
        data["member"] = {k: v for k, v in member.payload().items() if k != "user"}
        await self.dispatch_to_guild(guild.guild_id, "MESSAGE_CREATE", data)


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3
