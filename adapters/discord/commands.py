"""The /pln command group, built from the core's registry of subcommands.

Each registry entry becomes one slash subcommand with typed options. When it runs, the option
values are written back as the typed words (`Subcommand.text_of`) and parsed by the core's own
grammar, so `/pln timer duration:10m` here and `/pln timer 10m` on Slack mean the same and fail
with the same message. Nothing about a subcommand is declared here twice.
"""

from __future__ import annotations

import inspect
from typing import Any, Protocol

import discord
from discord import app_commands

from facilitator.domain import numbers
from facilitator.commands.registry import DISCORD_GROUPS, SUBCOMMANDS, Option, OptionKind, Subcommand
from facilitator.domain.export_formats import EXPORT_FORMATS
from facilitator.domain.templates import TemplateLibrary

Choice = app_commands.Choice
ItemNumber = app_commands.Range[int, 1, numbers.LARGEST]
MAX_CHOICES = 25


class CommandRunner(Protocol):
    async def run_typed(self, interaction: discord.Interaction[Any], text: str) -> None: ...


def _runner(interaction: discord.Interaction[Any]) -> CommandRunner:
    runner: CommandRunner = interaction.client  # the FacilitatorBot
    return runner


def build_pln_group(templates: TemplateLibrary) -> app_commands.Group:
    pln = app_commands.Group(name="pln", description="Run a DOs and DON'Ts workshop in this channel",
                             guild_only=True)
    choices = _choices(templates)
    groups = {name: app_commands.Group(name=name, description=description, parent=pln)
              for name, description in DISCORD_GROUPS.items()}
    for spec in SUBCOMMANDS:
        parent = groups[spec.discord_group] if spec.discord_group else pln
        parent.add_command(_subcommand(spec, parent, choices))
    return pln


def _choices(templates: TemplateLibrary) -> dict[OptionKind, list[Choice[str]]]:
    levels: list[str] = []
    for template_id in templates.ids():
        levels += [name for name in templates.get(template_id).level_names if name not in levels]
    return {
        OptionKind.LEVEL: [Choice(name=level, value=level) for level in levels[:MAX_CHOICES]],
        OptionKind.FORMAT: [Choice(name=fmt, value=fmt) for fmt in EXPORT_FORMATS],
        OptionKind.TEMPLATE: [Choice(name=t, value=t) for t in templates.ids()[:MAX_CHOICES]],
    }


def _annotation(option: Option) -> Any:
    if option.kind is OptionKind.ITEM:
        kind: Any = ItemNumber
    elif option.kind is OptionKind.FLAG:
        kind = bool
    elif option.kind is OptionKind.USER:
        kind = discord.User
    elif option.kind is OptionKind.TEXT:
        kind = app_commands.Range[str, 1, option.max_length]
    else:
        kind = str
    return kind if option.required else kind | None


def _as_text(option: Option, value: Any) -> str | bool | None:
    if value is None or isinstance(value, bool):
        return value
    if option.kind is OptionKind.USER:
        name = str(getattr(value, "display_name", "")).replace(">", "").replace("|", "")
        return f"<@{value.id}|{name}>" if name else f"<@{value.id}>"
    return str(value)


def _subcommand(spec: Subcommand, parent: app_commands.Group,
                choices: dict[OptionKind, list[Choice[str]]]) -> app_commands.Command[Any, Any, None]:
    async def callback(interaction: discord.Interaction[Any], **values: Any) -> None:
        text = spec.text_of({option.name: _as_text(option, values.get(option.name)) for option in spec.options})
        await _runner(interaction).run_typed(interaction, text)

    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                    annotation=discord.Interaction)]
    parameters += [
        inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(option),
                          default=inspect.Parameter.empty if option.required else None)
        for option in spec.options
    ]
    # discord.py reads a command's options from its callback's signature: this one is built from
    # the registry entry (the documented path for app_commands.Command's callback).
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    decorated: Any = callback
    if spec.options:
        decorated = app_commands.describe(**{o.name: o.description for o in spec.options})(decorated)
    picked = {o.name: choices[o.kind] for o in spec.options if o.kind in choices}
    picked |= {o.name: [Choice(name=word, value=word) for word in o.choices] for o in spec.options if o.choices}
    if picked:
        decorated = app_commands.choices(**picked)(decorated)
    return app_commands.Command(name=spec.discord_path[-1], description=spec.description, callback=decorated,
                                parent=parent)
