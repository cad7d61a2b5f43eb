"""The /pln grammar: every subcommand, its arguments, and the errors people see."""

from __future__ import annotations

import pytest

from facilitator.commands import (
    MAX_VOTES_IN_ONE_COMMAND,
    Cohost,
    End,
    Export,
    Help,
    Note,
    Join,
    Next,
    ParseError,
    Results,
    Start,
    Status,
    Submit,
    Unvote,
    UserRef,
    Vote,
    parse_command,
    parse_message,
)


@pytest.mark.parametrize(
    "text, command",
    [
        ("", Help()),
        ("   ", Help()),
        ("/pln", Help()),
        ("help", Help()),
        ("HELP me", Help()),
        ("start", Start("")),
        ("/pln start", Start("")),
        ("start Friday PLN  ", Start("Friday PLN")),
        ("Start  Friday  PLN", Start("Friday  PLN")),
        ("join newcomer", Join("newcomer")),
        ("join Veteran", Join("veteran")),
        ("next", Next()),
        ("end", End()),
        ("status", Status()),
        ("results", Results()),
        ("export", Export("md")),
        ("export CSV", Export("csv")),
        ("export .json", Export("json")),
        ("export markdown", Export("md")),
        ("export html", Export("html")),
        ("/pln  vote 1 2 4", Vote((1, 2, 4))),
        ("vote #1, #3", Vote((1, 3))),
        ("vote 1,2,3", Vote((1, 2, 3))),
        ("vote 007", Vote((7,))),
        ("unvote 2", Unvote(2)),
        ("unvote #2", Unvote(2)),
    ],
)
def test_subcommands_and_their_arguments(text: str, command: object) -> None:
    assert parse_command(text) == command


@pytest.mark.parametrize(
    "text, kind, body",
    [
        ("do Share first", "do", "Share first"),
        ("DO Share first", "do", "Share first"),
        ("dont Only broadcast", "dont", "Only broadcast"),
        ("don't Only broadcast", "don't", "Only broadcast"),
        ("don\u2019t Only broadcast", "don\u2019t", "Only broadcast"),
        ("do   spaced out  ", "do", "spaced out"),
        ("do", "do", ""),
        ("add do Share first", "do", "Share first"),
        ("add STOP Long meetings", "stop", "Long meetings"),
    ],
)
def test_submissions_keep_the_word_used_and_the_text(text: str, kind: str, body: str) -> None:
    command = parse_command(text)
    assert command == Submit(kind, body)
    assert isinstance(command, Submit) and not command.from_thread_reply


@pytest.mark.parametrize(
    "text, ref",
    [
        ("cohost <@U123ABC>", UserRef(user_id="U123ABC")),
        ("cohost <@U123ABC|ana>", UserRef(user_id="U123ABC", name="ana")),
        ("cohost <@81234567890>", UserRef(user_id="81234567890")),
        ("cohost <@!81234567890>", UserRef(user_id="81234567890")),
        ("cohost @Bo", UserRef(name="Bo")),
        ("cohost Bo", UserRef(name="Bo")),
    ],
)
def test_cohost_takes_a_platform_mention_or_a_name(text: str, ref: UserRef) -> None:
    assert parse_command(text) == Cohost(ref)


@pytest.mark.parametrize(
    "text, says",
    [
        ("frobnicate", "I don't know the command `/pln frobnicate`. `/pln help` lists what you can do."),
        ("x" * 40, "`/pln " + "x" * 30 + "…`"),
        ("join", "Which level?"),
        ("join Veteran please", "Join with one level, for example `/pln join veteran`."),
        ("add", "Usage: `/pln add CATEGORY TEXT`"),
        ("vote", "Which item?"),
        ("vote one", "`one` is not an item number"),
        ("vote -1", "`-1` is not an item number"),
        ("vote 1.5", "`1.5` is not an item number"),
        ("vote 1234567890", "`1234567890` is not an item number"),
        ("vote \u00b2", "is not an item number"),
        ("vote " + " ".join(["1"] * (MAX_VOTES_IN_ONE_COMMAND + 1)), "more than 25 numbers"),
        ("unvote", "Which item?"),
        ("unvote 1 2", "one vote at a time"),
        ("unvote x", "`x` is not an item number"),
        ("export pdf", "Export formats are md, csv, json, html"),
        ("cohost", "Who?"),
        ("cohost   ", "Who?"),
    ],
)
def test_mistakes_are_parse_errors_that_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_command(text)
    assert says in caught.value.message


def test_the_most_numbers_one_command_may_carry() -> None:
    numbers = tuple(range(1, MAX_VOTES_IN_ONE_COMMAND + 1))
    assert parse_command("vote " + " ".join(map(str, numbers))) == Vote(numbers)


@pytest.mark.parametrize(
    "text, command",
    [
        ("DO: Share first", Submit("do", "Share first", from_thread_reply=True)),
        ("do:Share first", Submit("do", "Share first", from_thread_reply=True)),
        ("  Don't : Only broadcast", Submit("don't", "Only broadcast", from_thread_reply=True)),
        ("DON\u2019T: x", Submit("don\u2019t", "x", from_thread_reply=True)),
        ("DONT: x", Submit("dont", "x", from_thread_reply=True)),
        ("Idea: later", Submit("idea", "later", from_thread_reply=True)),
        ("Note: later", Note("later", from_thread_reply=True)),  # a facilitator's discussion note
        ("NOTE:  Ana will share her list ", Note("Ana will share her list", from_thread_reply=True)),
        ("/pln vote 2", Vote((2,))),
        ("  /PLN status", Status()),
        ("Thanks everyone", None),
        ("", None),
        (": nothing before", None),
        ("12: numbers first", None),
        ("averyveryverylongwordthatisnotaprefix: x", None),
    ],
)
def test_thread_messages_are_commands_possible_submissions_or_nothing(text: str, command: object) -> None:
    assert parse_message(text) == command


def test_a_pln_line_in_a_thread_is_parsed_with_the_same_errors() -> None:
    with pytest.raises(ParseError, match="frobnicate"):
        parse_message("/pln frobnicate")
