"""Every /pln subcommand, declared once: its words, parser, who may run it, help, and the
options a Discord slash command needs (the shape of an entry is in subcommand.py).

The typed grammar (Slack, the shell, Slack thread mentions) and Discord's slash commands are
both built from this table, so a subcommand exists on every platform or on none. On Discord
each option's value is turned back into the typed words (`Subcommand.text_of`) and parsed by
the same parser, so both platforms accept and refuse exactly the same input.
"""

from __future__ import annotations

from collections.abc import Mapping

import facilitator.commands.parsers as p
import facilitator.commands.types as c
from facilitator.commands.subcommand import Option, OptionKind, Subcommand, Who
from facilitator.domain.deliberation import AgendaOrder
from facilitator.domain.pledges import PLEDGE_TEXT_LIMIT
from facilitator.domain.text_rules import ITEM_TEXT_LIMIT, NOTE_LIMIT, TITLE_LIMIT, WHY_LIMIT

__all__ = ["DISCORD_GROUPS", "SUBCOMMANDS", "WORDS", "Option", "OptionKind", "Subcommand", "Who", "facilitator_only",
           "help_lines", "spec_for"]

def _facilitator(
    word: str, command: type, parse: p.Parser, refusal: str, usage: str, what: str, description: str,
    options: tuple[Option, ...] = (), discord_group: str | None = None,
) -> Subcommand:
    return Subcommand(word, command, parse, Who.FACILITATOR, ((usage, what),), description, options, refusal=refusal,
                      discord_group=discord_group)


# Discord's subcommand groups: (name, description). Everything else is a plain /pln subcommand.
DISCORD_GROUPS = {
    "item": "Work on one item: hide, restore, merge, pair, why",
    "discuss": "Discussion: the agenda, the next item, notes, a second round",
    "pledge": "Pledges: what you will give back, and whether you did",
}


_ITEM = Option("item", "The item's number", OptionKind.ITEM)
_PLEDGE_OPTIONS = (Option("pledge", "The pledge's number", OptionKind.ITEM),
                   Option("session", "An earlier session's number, for its pledge", OptionKind.ITEM, required=False,
                          form="session={}"))

SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        "start", c.Start, p.start, Who.ANYONE,
        (("start [TITLE]", "start a session in this channel (you become its facilitator)"),
         ("start template=ID [TITLE]", "start one from another workshop template")),
        "Start a session here; you become its facilitator",
        (Option("title", "What the session is called", required=False, max_length=TITLE_LIMIT),
         Option("template", "A workshop template other than the default", OptionKind.TEMPLATE, required=False,
                form="template={}")),
        text_order=("template", "title"),
    ),
    Subcommand(
        "join", c.Join, p.join, Who.ANYONE, (("join LEVEL", "say how experienced you are"),),
        "Join the session at your experience level",
        (Option("level", "How experienced you are", OptionKind.LEVEL),),
    ),
    Subcommand(
        "do", c.Submit, p.submit("do"), Who.PARTICIPANT,
        (("do TEXT / dont TEXT", "add a DO or a DON'T (or reply in the thread with DO: or DON'T:)"),
         ("do! TEXT / dont! TEXT", "send an item even though it looks like one already there")),
        "Add a DO",
        (Option("text", "Something people should do", max_length=ITEM_TEXT_LIMIT),
         Option("anyway", "Send it even if it looks like an item already there", OptionKind.FLAG,
                required=False, form="!", suffix=True)),
        variants=(("do!", p.submit("do", force=True)),),
    ),
    Subcommand(
        "dont", c.Submit, p.submit("dont"), Who.PARTICIPANT, (), "Add a DON'T",
        (Option("text", "Something people should not do", max_length=ITEM_TEXT_LIMIT),
         Option("anyway", "Send it even if it looks like an item already there", OptionKind.FLAG,
                required=False, form="!", suffix=True)),
        # The word as typed is kept as the item's kind; the template maps it to its category.
        variants=(("don't", p.submit("don't")), ("don’t", p.submit("don’t")), ("dont!", p.submit("dont", force=True)),
                  ("don't!", p.submit("don't", force=True)), ("don’t!", p.submit("don’t", force=True))),
    ),
    Subcommand(
        "add", c.Submit, p.add, Who.PARTICIPANT,
        (("add CATEGORY TEXT", "add an item in a template's own category (start, stop, continue...)"),),
        "Add an item in one of the template's categories",
        (Option("category", "The category, e.g. start, stop or continue", max_length=20),
         Option("text", "The item", max_length=ITEM_TEXT_LIMIT)),
    ),
    Subcommand(
        "vote", c.Vote, p.vote, Who.PARTICIPANT, (("vote N [N ...]", "spend dot votes on items by number"),),
        "Spend dot votes on items by number",
        (_ITEM, Option("more", "More item numbers, e.g. 2 5", required=False)),
    ),
    Subcommand(
        "unvote", c.Unvote, p.unvote, Who.PARTICIPANT, (("unvote N", "take a vote back"),),
        "Take a vote back", (_ITEM,),
    ),
    Subcommand(
        "status", c.Status, p.bare(c.Status, "status"), Who.ANYONE,
        (("status", "where the session stands, and your votes left"),),
        "Where the session stands, and your votes left",
    ),
    Subcommand("results", c.Results, p.bare(c.Results, "results"), Who.ANYONE, (("results", "the tally so far"),),
               "The tally so far"),
    _facilitator(
        "next", c.Next, p.next_, "move the session on",
        "next [10m]", "move to the next phase (optionally with a timer)",
        "Facilitator: move to the next phase",
        (Option("timer", "Optional: end the new phase on its own after this time, e.g. 10m", required=False,
                max_length=20),),
    ),
    _facilitator("end", c.End, p.bare(c.End, "end"), "end the session", "end",
                 "close the session and post the summary",
                 "Facilitator: close the session and post the summary"),
    _facilitator("cohost", c.Cohost, p.cohost, "add co-hosts", "cohost @person",
                 "make someone a co-host (a mention, or their name)", "Facilitator: make someone a co-host",
                 (Option("person", "Who becomes a co-host", OptionKind.USER),)),
    Subcommand(
        "export", c.Export, p.export, Who.ANYONE,
        (("export [md|csv|json|html]", "get the session as a file (with blind votes, once voting closes)"),),
        "Get the session as a file in its thread",
        (Option("format", "File format", OptionKind.FORMAT, required=False),),
    ),
    Subcommand(
        "why", c.Why, p.why, Who.AUTHOR, (("why N TEXT", "add a one-line reason to your item #N"),),
        "Add a one-line reason to your item",
        (Option("item", "Your item's number", OptionKind.ITEM), Option("reason", "Why it matters", max_length=WHY_LIMIT)),
        discord_group="item",
    ),
    Subcommand(
        "pair", c.Pair, p.pair, Who.AUTHOR_OR_FACILITATOR,
        (("pair DONT DO", "link a DON'T to the DO that fixes it, e.g. `pair 5 2`"),),
        "Link a DON'T to the DO that fixes it",
        (Option("dont", "The DON'T's number", OptionKind.ITEM), Option("do", "The DO's number", OptionKind.ITEM)),
        discord_group="item",
    ),
    Subcommand(
        "quiet", c.Quiet, p.quiet, Who.ANYONE,
        (("quiet [off]", "no private reminders for you in this session (off: reminders again)"),),
        "No private reminders for you in this session",
        (Option("off", "Turn reminders back on", OptionKind.FLAG, required=False, form="off"),),
    ),
    _facilitator("timer", c.Timer, p.timer, "set a timer", "timer 10m | timer off",
                 "the current phase ends on its own after this time",
                 "Facilitator: end the current phase on its own after this time",
                 (Option("duration", "10m, 90s, 1h30m, or off", max_length=20),)),
    _facilitator("settings", c.ChangeSettings, p.settings, "change the settings", "settings [KEY=VALUE ...]",
                 "before voting: votes=5 per-item=2 anonymous=on blind=off predict=on",
                 "Facilitator, before voting: votes=5 per-item=2 anonymous=on blind=off predict=on",
                 (Option("changes", "e.g. votes=5 blind=off; leave empty to see the settings", required=False),)),
    _facilitator("hide", c.Hide, p.hide, "hide items", "hide N / restore N",
                 "take an item out of the lists, or bring it back",
                 "Facilitator: take an item out of the lists", (_ITEM,), discord_group="item"),
    Subcommand("restore", c.Restore, p.restore, Who.FACILITATOR, (), "Facilitator: bring a hidden item back",
               (_ITEM,), aliases=("unhide",), refusal="restore items", discord_group="item"),
    _facilitator("merge", c.Merge, p.merge, "merge items", "merge KEEP OTHER",
                 "fold item OTHER into KEEP; votes carry over",
                 "Facilitator: fold one item into another; votes carry over",
                 (Option("keep", "The item that stays", OptionKind.ITEM),
                  Option("other", "The item that folds into it", OptionKind.ITEM)), discord_group="item"),
    Subcommand(
        "predict", c.Predict, p.predict, Who.PARTICIPANT,
        (("predict N [N ...]", "while voting, with predictions on: the items you expect most others to back"),),
        "Predict which items most others will back (when predictions are on)",
        (_ITEM, Option("more", "More item numbers, e.g. 2 5", required=False)),
    ),
    _facilitator("agenda", c.Agenda, p.agenda, "set the agenda", "agenda [ORDER]",
                 "discussing: order the items to discuss by votes, divergence or unshared",
                 "Facilitator: order the items to discuss",
                 (Option("order", "Most votes, largest gap between levels, or one level's items first", required=False,
                         choices=tuple(order.value for order in AgendaOrder)),), discord_group="discuss"),
    Subcommand(
        "next", c.NextItem, p.next_, Who.FACILITATOR,
        (("next item [5m]", "discussing: post the next agenda item and its question (optional timebox)"),),
        "Facilitator: post the next item on the agenda",
        (Option("timebox", "Optional: time for this item, e.g. 5m", required=False, max_length=20),),
        refusal="move the discussion on", discord_group="discuss", typed="next item",
    ),
    _facilitator("note", c.Note, p.note, "keep discussion notes", "note TEXT",
                 "a note on the item being discussed (or a NOTE: reply in the thread)",
                 "Facilitator: keep a note on the item being discussed",
                 (Option("text", "The note", max_length=NOTE_LIMIT),), discord_group="discuss"),
    _facilitator("revote", c.Revote, p.bare(c.Revote, "revote"), "open a second round", "revote",
                 "discussing: a second blind vote on the same items; `next` closes it",
                 "Facilitator: open a second round of voting", discord_group="discuss"),
    _facilitator("nudge", c.Nudge, p.bare(c.Nudge, "nudge"), "send reminders", "nudge",
                 "privately remind people with votes left or nothing added",
                 "Facilitator: privately remind people with votes left"),
    Subcommand(
        "board", c.Board, p.board, Who.FACILITATOR,
        (("board", "a private link to the session's live board, for a projector"),
         ("board reset", "a new board link; every earlier one stops working at once")),
        "Facilitator: a link to the live board for a projector",
        (Option("reset", "Replace the link: every earlier one stops working", OptionKind.FLAG, required=False,
                form="reset"),),
        refusal="open the live board",
    ),
    Subcommand(
        "pledge", c.Pledge, p.pledge, Who.PARTICIPANT,
        (("pledge [N] TEXT", "commit to one thing you will do or give back (N: the item it puts into practice; "
                             "facilitators may pledge for `@person`, who can drop it)"),),
        "Commit to one thing you will do or give back",
        (Option("text", "What you will do or give, e.g. answer one newcomer question a week",
                max_length=PLEDGE_TEXT_LIMIT),
         Option("person", "Facilitators: whom the pledge is for", OptionKind.USER, required=False),
         Option("item", "The item it puts into practice", OptionKind.ITEM, required=False)),
        text_order=("person", "item", "text"), discord_group="pledge", discord_name="make",
    ),
    Subcommand(
        "pledges", c.Pledges, p.pledges, Who.ANYONE,
        (("pledges [all]", "this session's pledges with owner and status (all: every session in this channel)"),),
        "The pledges, with owner and status",
        (Option("all", "Every session in this channel", OptionKind.FLAG, required=False, form="all"),),
        discord_group="pledge", discord_name="list",
    ),
    Subcommand(
        "done", c.PledgeDone, p.pledge_done, Who.OWNER_OR_FACILITATOR,
        (("done N / drop N", "mark your pledge #N done, or drop it (`session=S`: an earlier session's)"),),
        "Mark your pledge done", _PLEDGE_OPTIONS, discord_group="pledge",
    ),
    Subcommand(
        "drop", c.PledgeDrop, p.pledge_drop, Who.OWNER_OR_FACILITATOR, (), "Drop your pledge (or decline one made for you)",
        _PLEDGE_OPTIONS, discord_group="pledge",
    ),
    # Help only reads, so words after it ("help vote") can't change what it does: it shows the list.
    Subcommand("help", c.Help, lambda rest: c.Help(), Who.ANYONE, (("help", "this list"),), "The list of commands"),
)

def _words() -> dict[str, tuple[Subcommand, p.Parser]]:
    words: dict[str, tuple[Subcommand, p.Parser]] = {}
    for spec in SUBCOMMANDS:
        if spec.typed:
            continue  # reached through its first word's parser
        for word, parse in ((spec.word, spec.parse), *((a, spec.parse) for a in spec.aliases), *spec.variants):
            if word in words:
                raise ValueError(f"/pln {word} is declared twice")
            words[word] = (spec, parse)
    return words


WORDS: Mapping[str, tuple[Subcommand, p.Parser]] = _words()
_BY_COMMAND: dict[type, Subcommand] = {}
for _spec in SUBCOMMANDS:
    _BY_COMMAND.setdefault(_spec.command, _spec)


def spec_for(command: object) -> Subcommand | None:
    """The subcommand a parsed command came from (the first declared, for Submit's several words)."""
    return _BY_COMMAND.get(type(command))


def facilitator_only(command: object) -> str | None:
    """What a refusal says a non-facilitator can't do, or None when anyone may run it."""
    spec = spec_for(command)
    return spec.refusal if spec is not None and spec.who is Who.FACILITATOR else None


def help_lines(facilitators: bool | None = None) -> tuple[tuple[str, str], ...]:
    """The (usage, what) lines of /pln help: all of them, or only the facilitators' (True) or
    only what everyone can do (False), as each subcommand's `who` says."""
    return tuple(
        line for spec in SUBCOMMANDS for line in spec.help
        if facilitators is None or (spec.who is Who.FACILITATOR) == facilitators
    )


def suggestible_words() -> tuple[str, ...]:
    """The words a typo is compared with: each subcommand's own word and its aliases (not the
    `do!`/`don't` spellings, which would crowd out the word they are spellings of)."""
    return tuple(word for spec in SUBCOMMANDS for word in (spec.word, *spec.aliases))

