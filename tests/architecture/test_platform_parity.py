"""Every subcommand is on every platform: the typed grammar (Slack, the shell, Slack thread
mentions), Discord's slash commands and the README's table all come from one registry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from discord import app_commands

from adapters.discord.commands import build_pln_group
from facilitator import commands as cmd
from facilitator.commands.registry import SUBCOMMANDS, WORDS, OptionKind, Subcommand
from facilitator.domain.templates import TemplateLibrary

README = Path(__file__).resolve().parents[2] / "README.md"
SAMPLE = {
    OptionKind.TEXT: "Share what you learn",
    OptionKind.ITEM: "3",
    OptionKind.USER: "<@U42|Cleo>",
    OptionKind.LEVEL: "veteran",
    OptionKind.FORMAT: "csv",
    OptionKind.TEMPLATE: "start-stop-continue",
}
# Options whose free text has a grammar of its own: a sample that means something.
SAMPLE_BY_NAME = {"timer": "10m", "duration": "10m", "changes": "votes=5", "more": "4 5", "category": "stop",
                  "reason": "it worked for me", "timebox": "5m"}


def discord_subcommands() -> dict[tuple[str, ...], app_commands.Command[Any, Any, Any]]:
    """Every Discord subcommand by its path under /pln: ("vote",), ("item", "hide")."""
    found: dict[tuple[str, ...], app_commands.Command[Any, Any, Any]] = {}
    for entry in build_pln_group(TemplateLibrary()).commands:
        if isinstance(entry, app_commands.Group):
            assert len(entry.commands) <= 25
            found |= {(entry.name, command.name): command for command in entry.commands
                      if isinstance(command, app_commands.Command)}
        elif isinstance(entry, app_commands.Command):
            found[(entry.name,)] = entry
    return found


def test_every_typed_word_has_a_discord_equivalent() -> None:
    on_discord = discord_subcommands()
    for word, (spec, _) in WORDS.items():
        assert spec.discord_path in on_discord, f"/pln {word} has no Discord subcommand"
        if word.endswith("!"):  # "send anyway" is a switch of the same subcommand on Discord
            assert any(o.kind is OptionKind.FLAG and o.suffix for o in spec.options), word


def test_the_contract_subcommands_stay_plain_subcommands_of_pln() -> None:
    contract = {"start", "join", "do", "dont", "vote", "unvote", "next", "end", "status", "results", "help",
                "export", "cohost"}
    assert {path for path in discord_subcommands() if len(path) == 1} >= {(word,) for word in contract}


def test_every_discord_subcommand_is_a_registry_entry_with_the_same_options() -> None:
    on_discord = discord_subcommands()
    assert set(on_discord) == {spec.discord_path for spec in SUBCOMMANDS}
    assert len(build_pln_group(TemplateLibrary()).commands) <= 25  # Discord's limit for one group
    for spec in SUBCOMMANDS:
        parameters = [p.name for p in on_discord[spec.discord_path].parameters]
        assert parameters == [o.name for o in spec.options], spec.word
        required = [p.name for p in on_discord[spec.discord_path].parameters if p.required]
        assert required == [o.name for o in spec.options if o.required], spec.word


@pytest.mark.parametrize("spec", SUBCOMMANDS, ids=lambda spec: spec.word)
def test_discord_option_values_parse_to_the_same_command_as_typed_text(spec: Subcommand) -> None:
    values: dict[str, str | bool | None] = {}
    for option in spec.options:
        sample = option.choices[-1] if option.choices else SAMPLE_BY_NAME.get(option.name, SAMPLE.get(option.kind))
        values[option.name] = True if option.kind is OptionKind.FLAG else sample
    command = cmd.parse_command(spec.text_of(values))
    assert isinstance(command, spec.command)
    only_required = {o.name: values[o.name] for o in spec.options if o.required}
    assert isinstance(cmd.parse_command(spec.text_of(only_required)), spec.command)


def test_the_readme_table_lists_exactly_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## The `/pln` command"):]
    table = table[: table.index("\n\n", table.index("| subcommand |"))]
    first_column = [re.split(r"(?<!\\)\|", row)[1] for row in table.splitlines() if row.startswith("| `")]
    documented = {re.split(r"[\s`]", form)[0] for column in first_column for form in re.findall(r"`([^`]+)`", column)}
    declared = {spec.word for spec in SUBCOMMANDS}
    assert declared <= documented, f"in the registry, not in the README: {sorted(declared - documented)}"
    assert documented <= set(WORDS), f"in the README, not in the registry: {sorted(documented - set(WORDS))}"


@pytest.mark.parametrize("spec", [spec for spec in SUBCOMMANDS if any(o.choices for o in spec.options)],
                         ids=lambda spec: spec.word)
def test_every_discord_choice_parses_to_its_command(spec: Subcommand) -> None:
    for option in (o for o in spec.options if o.choices):
        for choice in option.choices:
            assert isinstance(cmd.parse_command(spec.text_of({option.name: choice})), spec.command), choice


def test_a_several_word_subcommand_is_reached_through_its_first_word_and_only_there() -> None:
    """`next item` has its own Discord subcommand (/pln discuss next) and help, but typed it goes
    through `next`'s parser: so `next item` must never read as `next`, nor `next` as `next item`."""
    several = [spec for spec in SUBCOMMANDS if spec.typed]
    assert several, "the registry declares no several-word subcommand"
    for spec in several:
        first = spec.typed.split()[0]
        assert first == spec.word and first in WORDS and WORDS[first][0] is not spec
        assert isinstance(cmd.parse_command(spec.typed), spec.command)
        assert not isinstance(cmd.parse_command(first), spec.command)
