"""Discord's rules for registering application commands (`PUT /applications/{app}/commands`,
and the guild form), and for the options a registered slash command may be delivered with.

Names use Discord's documented pattern verbatim, which needs Unicode properties (\\p{L}, scripts)
that the standard `re` lacks: hence the `regex` package.
"""

from __future__ import annotations

from typing import Any

import regex  # type: ignore[import-untyped]

from tests.fakes.discord_errors import FieldError, Path, bad_length, too_long

NAME = regex.compile(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$")
COMMANDS = 100  # chat-input commands an application (or a guild) may hold
OPTIONS = 25  # options, subcommands or groups on one level
CHOICES = 25
DESCRIPTION = 100
CHOICE_TEXT = 100
STRING_OPTION_LENGTH = 6000
COMMAND_SIZE = 8000  # names, descriptions, choices and values of one command, all levels
CHAT_INPUT, SUBCOMMAND, GROUP = 1, 1, 2
PLAIN_OPTION_TYPES = range(3, 12)


def _name_errors(name: Any, path: Path, chat_input: bool) -> list[FieldError]:
    text = str(name or "")
    if chat_input and (not NAME.match(text) or text != text.lower()):
        return [FieldError(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")]
    if not 1 <= len(text) <= 32:
        return [bad_length(path, 1, 32)]
    return []


def _description_errors(description: Any, path: Path) -> list[FieldError]:
    if not 1 <= len(str(description or "")) <= DESCRIPTION:
        return [bad_length(path, 1, DESCRIPTION)]
    return []


def _choice_errors(option: dict[str, Any], path: Path) -> list[FieldError]:
    choices = option.get("choices") or []
    errors = [too_long((*path, "choices"), CHOICES)] if len(choices) > CHOICES else []
    for index, choice in enumerate(choices):
        if not 1 <= len(str(choice.get("name") or "")) <= CHOICE_TEXT:
            errors.append(bad_length((*path, "choices", index, "name"), 1, CHOICE_TEXT))
        value = choice.get("value")
        if isinstance(value, str) and len(value) > CHOICE_TEXT:
            errors.append(too_long((*path, "choices", index, "value"), CHOICE_TEXT))
    for key in ("min_length", "max_length"):
        if int(option.get(key) or 0) > STRING_OPTION_LENGTH:
            errors.append(FieldError((*path, key), "NUMBER_TYPE_MAX",
                                     f"int value should be less than or equal to {STRING_OPTION_LENGTH}."))
    return errors


def _options_errors(options: list[dict[str, Any]], path: Path, level: str) -> list[FieldError]:
    """`level` is "command", "group" (holds subcommands only) or "subcommand" (plain options only)."""
    errors = [too_long((*path, "options"), OPTIONS)] if len(options) > OPTIONS else []
    names: set[str] = set()
    optional_seen = False
    kinds = {o.get("type") for o in options}
    if level == "command" and kinds & {SUBCOMMAND, GROUP} and kinds - {SUBCOMMAND, GROUP}:
        errors.append(FieldError((*path, "options"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                                 "Sub-command and sub-command group option types are mutually exclusive to all "
                                 "other types"))
    for index, option in enumerate(options):
        at = (*path, "options", index)
        kind = option.get("type")
        allowed = {"command": {SUBCOMMAND, GROUP, *PLAIN_OPTION_TYPES}, "group": {SUBCOMMAND},
                   "subcommand": set(PLAIN_OPTION_TYPES)}[level]
        if kind not in allowed:
            errors.append(FieldError((*at, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                                     f"Option type {kind} is not allowed here"))
        errors += _name_errors(option.get("name"), (*at, "name"), chat_input=True)
        errors += _description_errors(option.get("description"), (*at, "description"))
        if option.get("name") in names:
            errors.append(FieldError((*at, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                                     "Option names must be unique"))
        names.add(str(option.get("name")))
        if kind in PLAIN_OPTION_TYPES:
            if option.get("required") and optional_seen:
                errors.append(FieldError((*at, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                                         "Required options must be placed before non-required options"))
            optional_seen = optional_seen or not option.get("required")
            errors += _choice_errors(option, at)
        elif kind == GROUP:
            errors += _options_errors(list(option.get("options") or []), at, "group")
        elif kind == SUBCOMMAND:
            errors += _options_errors(list(option.get("options") or []), at, "subcommand")
    return errors


def command_size(command: dict[str, Any]) -> int:
    """Discord's count towards the 8,000 characters of one command."""
    size = len(str(command.get("name") or "")) + len(str(command.get("description") or ""))
    for option in command.get("options") or []:
        size += command_size(option)
        size += sum(len(str(c.get("name"))) + len(str(c.get("value"))) for c in option.get("choices") or [])
    return size


def command_errors(commands: Any) -> list[FieldError]:
    """Everything Discord would refuse in a bulk overwrite of commands."""
    if not isinstance(commands, list):
        return [FieldError((), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")]
    errors: list[FieldError] = []
    chat_input = [c for c in commands if c.get("type", CHAT_INPUT) == CHAT_INPUT]
    if len(chat_input) > COMMANDS:
        errors.append(too_long((), COMMANDS))
    seen: set[tuple[Any, Any]] = set()
    for index, command in enumerate(commands):
        kind = command.get("type", CHAT_INPUT)
        errors += _name_errors(command.get("name"), (index, "name"), chat_input=kind == CHAT_INPUT)
        if kind == CHAT_INPUT:
            errors += _description_errors(command.get("description"), (index, "description"))
            errors += _options_errors(list(command.get("options") or []), (index,), "command")
        if (command.get("name"), kind) in seen:
            errors.append(FieldError((index, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME",
                                     "Application command names must be unique"))
        seen.add((command.get("name"), kind))
        if command_size(command) > COMMAND_SIZE:
            errors.append(FieldError((index,), "APPLICATION_COMMAND_TOO_LARGE",
                                     f"Command exceeds maximum size ({COMMAND_SIZE})"))
    return errors


def available_in_dms(command: dict[str, Any]) -> bool:
    """Whether Discord shows a registered command in the bot's DMs: a global command whose
    `contexts` include BOT_DM (1), or, without `contexts`, one not marked `dm_permission: false`."""
    if command.get("guild_id") is not None:
        return False
    contexts = command.get("contexts")
    if contexts is not None:
        return 1 in contexts
    return command.get("dm_permission") is not False


def delivery_problems(registered: dict[str, Any], typed: list[dict[str, Any]]) -> list[str]:
    """Why Discord would never deliver `typed` (the interaction's options) for `registered`:
    the client only offers registered subcommands, and checks types, choices and ranges first."""
    declared = {o["name"]: o for o in registered.get("options") or []}
    problems = [f"no option {o['name']!r} on {registered.get('name')!r}" for o in typed if o["name"] not in declared]
    branches = [o for o in declared.values() if o["type"] in (SUBCOMMAND, GROUP)]
    if branches and len(typed) != 1:
        problems.append(f"{registered.get('name')!r} takes exactly one subcommand, not {len(typed)}")
    given = {o["name"]: o for o in typed}
    for name, option in declared.items():
        value = given.get(name)
        if value is None:
            if option.get("required"):
                problems.append(f"required option {name!r} missing")
            continue
        if option["type"] in (SUBCOMMAND, GROUP):
            problems += delivery_problems(option, list(value.get("options") or []))
            continue
        problems += _value_problems(option, value.get("value"))
    return problems


def _value_problems(option: dict[str, Any], value: Any) -> list[str]:
    name, kind = option["name"], option["type"]
    choices = [c["value"] for c in option.get("choices") or []]
    if choices and value not in choices:
        return [f"{name!r}: {value!r} is not one of the choices {choices}"]
    if kind == 3:
        low, high = option.get("min_length", 0), option.get("max_length", STRING_OPTION_LENGTH)
        if not isinstance(value, str) or not low <= len(value) <= high:
            return [f"{name!r}: a string of {low} to {high} characters, not {value!r}"]
    if kind in (4, 10):
        low, high = option.get("min_value"), option.get("max_value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind == 4 and not isinstance(value, int)):
            return [f"{name!r}: a number, not {value!r}"]
        if (low is not None and value < low) or (high is not None and value > high):
            return [f"{name!r}: {value} is outside {low}..{high}"]
    return []
