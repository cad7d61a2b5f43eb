"""The shape of one /pln subcommand's declaration: who may run it, its options, and how a
Discord invocation's option values read as typed words. The table itself is registry.py."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

import facilitator.commands.parsers as p


class Who(enum.Enum):
    """Who may run a subcommand. FACILITATOR is enforced by the use cases through this table
    (app.context.Context.authorize); the others are checked where the rule needs the data."""

    ANYONE = "anyone"
    PARTICIPANT = "participants"
    AUTHOR = "the item's author"
    AUTHOR_OR_FACILITATOR = "facilitator or either author"
    OWNER_OR_FACILITATOR = "the pledge's owner or a facilitator"
    FACILITATOR = "facilitator"


class OptionKind(enum.Enum):
    TEXT = "text"
    ITEM = "item"  # an item number
    FLAG = "flag"  # a yes/no switch
    USER = "user"  # a person, given as a mention
    LEVEL = "level"  # one of the templates' levels
    FORMAT = "format"  # an export format
    TEMPLATE = "template"  # a template id


@dataclass(frozen=True)
class Option:
    """One Discord option of a subcommand, and how its value reads in the typed grammar."""

    name: str
    description: str
    kind: OptionKind = OptionKind.TEXT
    required: bool = True
    max_length: int = 200  # TEXT only
    # How a given value is written in the typed command: "{}" puts the value itself; a FLAG
    # writes `form` when on and nothing when off; `suffix` flags go right after the word ("do!").
    form: str = "{}"
    suffix: bool = False
    choices: tuple[str, ...] = ()  # fixed words to pick from (Discord shows them as choices)


@dataclass(frozen=True)
class Subcommand:
    word: str
    command: type
    parse: p.Parser
    who: Who
    help: tuple[tuple[str, str], ...]  # (usage, what it does) lines for /pln help and the README
    description: str  # one line for Discord (at most 100 characters)
    options: tuple[Option, ...] = ()
    aliases: tuple[str, ...] = ()  # other words for the same thing
    # Other words with their own parser ("don't" keeps its spelling; "do!" sends anyway, which
    # Discord gets as a FLAG option of the same subcommand).
    variants: tuple[tuple[str, p.Parser], ...] = ()
    refusal: str = ""  # for FACILITATOR: "Only the session's facilitators can {refusal}."
    # Discord: the order the option values are written in, when it differs from the options' order.
    text_order: tuple[str, ...] = ()
    # Discord allows 25 entries in a group, so some subcommands sit one level down, in a group
    # of DISCORD_GROUPS (`/pln item hide`); the typed grammar is the same either way.
    discord_group: str | None = None
    discord_name: str | None = None  # when the word can't be a Discord name, or reads badly there
    # The typed words when they are more than `word` ("next item"): such an entry is reached
    # through the parser of its first word, and exists here for its own help, who, and Discord.
    typed: str = ""

    @property
    def discord_path(self) -> tuple[str, ...]:
        name = self.discord_name or self.word
        return (self.discord_group, name) if self.discord_group else (name,)

    def text_of(self, values: Mapping[str, str | bool | None]) -> str:
        """The typed command for a Discord invocation's option values (already rendered as text)."""
        word, parts = self.typed or self.word, []
        by_name = {option.name: option for option in self.options}
        for name in self.text_order or tuple(by_name):
            option, value = by_name[name], values.get(name)
            if value is None or value is False or value == "":
                continue
            if option.kind is OptionKind.FLAG:
                if option.suffix:
                    word += option.form
                else:
                    parts.append(option.form)
            else:
                parts.append(option.form.format(value))
        return " ".join([word, *parts])
