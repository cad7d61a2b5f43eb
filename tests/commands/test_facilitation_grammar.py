"""The facilitation subcommands (timers, settings, moderation, reminders) parse, and help lists them."""

from __future__ import annotations

import pytest

from facilitator import commands as cmd
from facilitator.replies.messages import help_reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("timer 10m", cmd.Timer(600)),
        ("timer 90s", cmd.Timer(90)),
        ("timer 1h30m", cmd.Timer(5400)),
        ("timer 2 minutes", cmd.Timer(120)),
        ("timer 5", cmd.Timer(300)),
        ("timer off", cmd.Timer(None)),
        ("next 10m", cmd.Next(600)),
        ("settings votes=5 per-item=2 anonymous=on blind=off",
         cmd.ChangeSettings(vote_budget=5, max_per_item=2, anonymous=True, blind=False)),
        ("settings", cmd.ChangeSettings()),
        ("merge 4 7", cmd.Merge(4, 7)),
        ("merge #4, #7", cmd.Merge(4, 7)),
        ("hide 5", cmd.Hide(5)),
        ("restore 5", cmd.Restore(5)),
        ("pair 5 2", cmd.Pair(5, 2)),
        ("quiet", cmd.Quiet(True)),
        ("quiet off", cmd.Quiet(False)),
        ("why 3 it worked for me twice", cmd.Why(3, "it worked for me twice")),
        ("nudge", cmd.Nudge()),
        ("do! Share first", cmd.Submit("do", "Share first", force=True)),
        ("dont! Lurk forever", cmd.Submit("dont", "Lurk forever", force=True)),
    ],
)
def test_depth_forms_parse(text: str, expected: object) -> None:
    assert cmd.parse_command(text) == expected
    assert cmd.parse_command(f"/pln {text}") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next", cmd.Next()),
        ("do Share first", cmd.Submit("do", "Share first")),
        ("don't Lurk", cmd.Submit("don't", "Lurk")),
        ("vote 1 2 4", cmd.Vote((1, 2, 4))),
        ("unvote 2", cmd.Unvote(2)),
        ("end", cmd.End()),
        ("export json", cmd.Export("json")),
        ("", cmd.Help()),
    ],
)
def test_contract_forms_unchanged(text: str, expected: object) -> None:
    assert cmd.parse_command(text) == expected


def test_plain_next_has_no_timer() -> None:
    assert cmd.parse_command("next") == cmd.Next(None)


@pytest.mark.parametrize(
    "text",
    ["timer", "timer 5s", "timer 25h", "timer soon", "next 10x", "settings votes=0", "settings votes=21",
     "settings per-item=11", "settings colour=blue", "settings blind=maybe", "settings votes", "merge 4",
     "merge 4 5 6", "hide", "pair 5", "why 3", "why x text", "quiet loudly"],
)
def test_malformed_facilitation_commands_are_parse_errors(text: str) -> None:
    with pytest.raises(cmd.ParseError):
        cmd.parse_command(text)


def test_help_lists_every_depth_subcommand() -> None:
    text = help_reply("U1").text
    for word in ("timer", "settings", "merge", "hide", "restore", "pair", "quiet", "why", "nudge", "do!", "next [10m]"):
        assert f" {word}" in text, word
