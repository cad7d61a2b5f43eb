"""The deliberation words fixed by CONTRACT.md parse to their commands, and bad input is refused
with a message that says what to type."""

from __future__ import annotations

import pytest

from facilitator.commands import (
    Agenda,
    ChangeSettings,
    Next,
    NextItem,
    Note,
    ParseError,
    Predict,
    Revote,
    parse_command,
    parse_message,
)


@pytest.mark.parametrize("text, command", [
    ("agenda", Agenda("votes")),
    ("agenda votes", Agenda("votes")),
    ("agenda Divergence", Agenda("divergence")),
    ("/pln agenda unshared", Agenda("unshared")),
    ("next item", NextItem(None)),
    ("next ITEM 5m", NextItem(300)),
    ("next item 1h30m", NextItem(5400)),
    ("next", Next(None)),
    ("next 10m", Next(600)),
    ("note Ana will share her list", Note("Ana will share her list")),
    ("revote", Revote()),
    ("settings predict=on", ChangeSettings(predict=True)),
    ("settings predict=off votes=4", ChangeSettings(vote_budget=4, predict=False)),
    ("predict 2", Predict((2,))),
    ("predict 2, #5 7", Predict((2, 5, 7))),
])
def test_the_contract_words_parse(text: str, command: object) -> None:
    assert parse_command(text) == command


@pytest.mark.parametrize("text, says", [
    ("agenda loudest", "`loudest` is not an agenda order. Usage: `/pln agenda votes | divergence | unshared`."),
    ("note", "Write the note after the command: `/pln note TEXT`."),
    ("next item soon", "`soon` is not a duration. Usage: `/pln next item [5m]`"),
    ("next item 2s", "A timer runs from 10 seconds to 24 hours."),
    ("predict", "Which item? Usage: `/pln predict N [N ...]`."),
    ("predict two", "`two` is not an item number."),
    ("settings predict=maybe", "predict is on or off, e.g. `predict=on`."),
])
def test_bad_input_is_refused_with_what_to_type(text: str, says: str) -> None:
    with pytest.raises(ParseError) as refused:
        parse_command(text)
    assert says in refused.value.message


def test_a_note_thread_reply_is_a_note_whatever_its_case() -> None:
    assert parse_message("note: kept") == Note("kept", from_thread_reply=True)
    assert parse_message("NOTE:kept") == Note("kept", from_thread_reply=True)


def test_next_with_other_words_moves_nothing() -> None:
    """`next item` has a meaning; any other word after `next` is refused, never ignored."""
    with pytest.raises(ParseError, match="nothing moved"):
        parse_command("next now")
