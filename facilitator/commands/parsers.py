"""One parser per subcommand: the words after the subcommand's name -> its command."""

from __future__ import annotations

import re
from collections.abc import Callable

import facilitator.commands.types as c
from facilitator.commands.parsing import (
    exactly,
    fail,
    parse_duration,
    parse_followup,
    parse_numbers,
    parse_switch,
    parse_user_ref,
    shown,
)
from facilitator.domain.deliberation import AgendaOrder, parse_order
from facilitator.domain.export_formats import EXPORT_FORMATS
from facilitator.domain.settings import PER_ITEM_RANGE, VOTE_BUDGET_RANGE
from facilitator.domain.suggestions import as_choices, near_misses

Parser = Callable[[str], c.Command]

SETTING_KEYS = {
    "votes": "votes",
    "budget": "votes",
    "per-item": "per-item",
    "per_item": "per-item",
    "peritem": "per-item",
    "anonymous": "anonymous",
    "anon": "anonymous",
    "blind": "blind",
    "predict": "predict",
    "predictions": "predict",
    "followup": "followup",
    "follow-up": "followup",
    "follow_up": "followup",
}
_LEADING_MENTION = re.compile(r"^(<@!?[A-Za-z0-9]+(?:\|[^>]*)?>|@\S+)\s*")


def submit(kind: str, force: bool = False) -> Parser:
    return lambda rest: c.Submit(kind, rest.strip(), force=force)


def add(rest: str) -> c.Command:
    category, _, text = rest.strip().partition(" ")
    if not category:
        fail("Usage: `/pln add CATEGORY TEXT`, for example `/pln add do Share first`.")
    return c.Submit(category.lower(), text.strip())


def start(rest: str) -> c.Command:
    first, _, title = rest.strip().partition(" ")
    if first.lower().startswith("template="):
        template = first.split("=", 1)[1].strip().lower()
        if not template:
            fail("Usage: `/pln start template=ID [TITLE]`, for example `template=start-stop-continue`.")
        return c.Start(title.strip(), template)
    return c.Start(rest.strip())


def bare(command: Callable[[], c.Command], word: str) -> Parser:
    """A subcommand that takes no words. Extra words are refused, not ignored: they may mean
    something the person expects to happen (`end now`, `status of #3`) that won't."""

    def parse(rest: str) -> c.Command:
        if rest.strip():
            fail(f"`/pln {word}` takes no other words (you added `{shown(rest.strip())}`), so nothing was done. "
                 f"Type `/pln {word}` on its own.")
        return command()

    return parse


def join(rest: str) -> c.Command:
    words = rest.split()
    if not words:
        fail("Which level? Usage: `/pln join LEVEL`, for example `/pln join newcomer`.")
    if len(words) > 1:
        fail(f"Join with one level, for example `/pln join {shown(words[0].lower())}`.")
    return c.Join(words[0].lower())


def vote(rest: str) -> c.Command:
    return c.Vote(parse_numbers(rest, "vote N [N ...]"))


def unvote(rest: str) -> c.Command:
    numbers = parse_numbers(rest, "unvote N")
    if len(numbers) != 1:
        fail("Take back one vote at a time: `/pln unvote N`.")
    return c.Unvote(numbers[0])


def next_(rest: str) -> c.Command:
    """`next`, `next 10m` with a timer, or `next item [5m]`: the next agenda item, not the next
    phase. Other words are refused: `next item` once moved a whole phase on (and closed a
    session) when the person meant something else."""
    words = rest.strip()
    if not words:
        return c.Next(None)
    first, _, after = words.partition(" ")
    if first.lower() == "item":
        return c.NextItem(parse_duration(after, "next item [5m]") if after.strip() else None)
    if words[:1].isdigit():
        return c.Next(parse_duration(rest, "next [10m]"))
    fail(
        f"`/pln next` doesn't take `{shown(words)}`, so nothing moved. To move the session to its next phase, "
        "type `/pln next` on its own (or `/pln next 10m` to time the new phase). While discussing, "
        "`/pln next item` posts the next item on the agenda."
    )


def agenda(rest: str) -> c.Command:
    word = rest.strip().split()[0] if rest.strip() else AgendaOrder.VOTES.value
    order = parse_order(word)
    if order is None:
        orders = " | ".join(o.value for o in AgendaOrder)
        fail(f"`{shown(word)}` is not an agenda order. Usage: `/pln agenda {orders}`.")
    return c.Agenda(order.value)


def note(rest: str) -> c.Command:
    if not rest.strip():
        fail("Write the note after the command: `/pln note TEXT`.")
    return c.Note(rest.strip())


def predict(rest: str) -> c.Command:
    return c.Predict(parse_numbers(rest, "predict N [N ...]"))


def export(rest: str) -> c.Command:
    words = rest.split()
    if len(words) > 1:
        fail(f"Export one format at a time, for example `/pln export {shown(words[0].lower())}`.")
    fmt = (words or ["md"])[0].lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in EXPORT_FORMATS:
        guesses = near_misses(fmt, EXPORT_FORMATS)
        guess = f"Did you mean {as_choices(f'/pln export {g}' for g in guesses)}? " if guesses else ""
        fail(f"{guess}Export formats are {', '.join(EXPORT_FORMATS)}.")
    return c.Export(fmt)


def cohost(rest: str) -> c.Command:
    return c.Cohost(parse_user_ref(rest, "cohost @person"))


def timer(rest: str) -> c.Command:
    if rest.strip().lower() in ("off", "stop", "cancel", "0", "none"):
        return c.Timer(None)
    return c.Timer(parse_duration(rest, "timer 10m"))


def settings(rest: str) -> c.Command:
    values: dict[str, int | bool] = {}
    for token in rest.replace(",", " ").split():
        key, sep, value = token.partition("=")
        name = SETTING_KEYS.get(key.lower())
        if not sep or name is None:
            fail(f"`{token[:30]}` is not a setting. "
                 "Use votes=N, per-item=N, anonymous=on|off, blind=on|off, predict=on|off, followup=7d|off.")
        values[name] = _setting_value(name, value.lower())
    return c.ChangeSettings(
        vote_budget=_int_or_none(values.get("votes")),
        max_per_item=_int_or_none(values.get("per-item")),
        anonymous=_bool_or_none(values.get("anonymous")),
        blind=_bool_or_none(values.get("blind")),
        predict=_bool_or_none(values.get("predict")),
        followup=_int_or_none(values.get("followup")),
    )


def _setting_value(name: str, value: str) -> int | bool:
    if name in ("anonymous", "blind", "predict"):
        return parse_switch(value, name)
    if name == "followup":
        return c.FOLLOWUP_OFF if value in ("off", "none", "never") else parse_followup(value)
    low, high = VOTE_BUDGET_RANGE if name == "votes" else PER_ITEM_RANGE
    if not value.isdecimal() or not low <= int(value) <= high:
        fail(f"{name} is a whole number from {low} to {high}.")
    return int(value)


def _int_or_none(value: int | bool | None) -> int | None:
    return None if value is None or isinstance(value, bool) else value


def _bool_or_none(value: int | bool | None) -> bool | None:
    return value if isinstance(value, bool) else None


def why(rest: str) -> c.Command:
    number, _, text = rest.strip().partition(" ")
    (parsed,) = exactly(number, "why N TEXT", 1)
    if not text.strip():
        fail("Add the reason after the number: `/pln why 4 because it worked for me`.")
    return c.Why(parsed, text.strip())


def quiet(rest: str) -> c.Command:
    word = rest.strip().lower()
    if word in ("", "on"):
        return c.Quiet(True)
    if word == "off":
        return c.Quiet(False)
    fail("Usage: `/pln quiet` (no reminders) or `/pln quiet off` (reminders again).")


def board(rest: str) -> c.Command:
    word = rest.strip().lower()
    if word in ("", "reset"):
        return c.Board(reset=word == "reset")
    fail("Usage: `/pln board` (the live board's link) or `/pln board reset` (a new link; the old ones stop working).")


def merge(rest: str) -> c.Command:
    keep, fold = exactly(rest, "merge KEEP OTHER", 2)
    return c.Merge(keep, fold)


def pair(rest: str) -> c.Command:
    dont, do = exactly(rest, "pair DONT DO", 2)
    return c.Pair(dont, do)


def hide(rest: str) -> c.Command:
    return c.Hide(exactly(rest, "hide N", 1)[0])


def restore(rest: str) -> c.Command:
    return c.Restore(exactly(rest, "restore N", 1)[0])


def pledge(rest: str) -> c.Command:
    """`pledge TEXT`, `pledge @person TEXT`, `pledge N TEXT` (N: the item it puts into practice,
    also written `#N`), or `pledge @person N TEXT`."""
    words = rest.strip()
    owner = None
    mention = _LEADING_MENTION.match(words)
    if mention:
        owner = parse_user_ref(mention.group(1), "pledge @person TEXT")
        words = words[mention.end():]
    first, _, after = words.partition(" ")
    item = None
    if first.removeprefix("#").isdecimal():
        if not after.strip():
            fail("Write what you will do after the item number: `/pln pledge 4 TEXT`.")
        (item,) = exactly(first.removeprefix("#"), "pledge N TEXT", 1)
        words = after
    if not words.strip():
        fail("What will you do or give? Usage: `/pln pledge TEXT`, for example "
             "`/pln pledge Answer one newcomer question a week`.")
    return c.Pledge(words.strip(), owner, item)


def pledges(rest: str) -> c.Command:
    word = rest.strip().lower()
    if word in ("", "all"):
        return c.Pledges(all=word == "all")
    fail("Usage: `/pln pledges` (this session's) or `/pln pledges all` (every session in this channel).")


def _pledge_number(rest: str, word: str) -> tuple[int, int | None]:
    """`N`, or `N session=S` for a pledge of an earlier session in this channel."""
    words = rest.split()
    session = None
    if len(words) == 2 and words[1].lower().startswith("session="):
        (session,) = exactly(words[1].split("=", 1)[1], f"{word} N session=S", 1)
        words = words[:1]
    if len(words) != 1 or not words[0].removeprefix("#").isdecimal():
        given = f"`{shown(rest.strip())}` is not a pledge number. " if rest.strip() else "Which pledge? "
        fail(f"{given}Usage: `/pln {word} N` (or `/pln {word} N session=S` for an earlier session's); "
             "`/pln pledges` lists them with their numbers.")
    return exactly(words[0].removeprefix("#"), f"{word} N", 1)[0], session


def pledge_done(rest: str) -> c.Command:
    return c.PledgeDone(*_pledge_number(rest, "done"))


def pledge_drop(rest: str) -> c.Command:
    return c.PledgeDrop(*_pledge_number(rest, "drop"))
