"""Mistyped subcommands get a "did you mean" (never run as the guess), and no subcommand runs
with words it doesn't take."""

from __future__ import annotations

import pytest

from facilitator.commands import ParseError, parse_command
from facilitator.commands.registry import WORDS, suggestible_words
from facilitator.domain.suggestions import near_misses


def refusal(text: str) -> str:
    with pytest.raises(ParseError) as caught:
        parse_command(text)
    return caught.value.message


@pytest.mark.parametrize(
    "typed, suggestion",
    [
        ("nxt", "Did you mean `/pln next`?"),  # a letter missing
        ("exprot", "Did you mean `/pln export`?"),  # two letters swapped
        ("hlep", "Did you mean `/pln help`?"),
        ("votes 1", "Did you mean `/pln vote 1`?"),  # a letter too many; the rest is kept
        ("v 1", "Did you mean `/pln vote 1`?"),  # a shortening
        ("dont: ignore replies", "Did you mean `/pln dont ignore replies`?"),  # the thread form, typed as a command
        ("stauts", "Did you mean `/pln status`?"),
        ("resluts", "Did you mean `/pln results`?"),
        ("e", "Did you mean `/pln end` or `/pln export`?"),  # a shortening of two words: both offered
    ],
)
def test_a_near_miss_is_refused_with_the_command_it_probably_was(typed: str, suggestion: str) -> None:
    message = refusal(typed)
    assert message.startswith(f"I don't know the command `/pln {typed.split()[0]}`.")
    assert message.endswith(suggestion)


def test_a_word_like_no_command_gets_the_help_hint_and_no_guess() -> None:
    message = refusal("frobnicate the widgets")
    assert "Did you mean" not in message
    assert "`/pln help` lists what you can do" in message


def test_suggestions_come_from_the_registry_and_only_name_real_words() -> None:
    for typo in ("nxt", "exprot", "hlep", "votes", "v", "dont:", "coh", "unvte", "stat", "quite"):
        guesses = near_misses(typo, suggestible_words())
        assert guesses, typo
        assert all(guess in WORDS for guess in guesses), (typo, guesses)


def test_an_unrelated_long_word_is_not_matched_to_a_short_one() -> None:
    assert near_misses("elephant", suggestible_words()) == ()
    assert near_misses("", suggestible_words()) == ()


@pytest.mark.parametrize(
    "text, says",
    [
        # `next item` will mean something else one day; today it must not move the phase on.
        ("next please", "type `/pln next` on its own (or `/pln next 10m` to time the new phase)"),
        ("end now", "`/pln end` takes no other words (you added `now`), so nothing was done."),
        ("nudge everyone", "`/pln nudge` takes no other words"),
        ("status of 3", "`/pln status` takes no other words"),
        ("results please", "`/pln results` takes no other words"),
        ("join new comer", "Join with one level"),
        ("export csv json", "Export one format at a time"),
        ("export jsn", "Did you mean `/pln export json`?"),
    ],
)
def test_words_a_command_does_not_take_are_refused_with_a_hint(text: str, says: str) -> None:
    assert says in refusal(text)


def test_next_with_a_duration_still_times_the_new_phase() -> None:
    assert parse_command("next 10m") == parse_command("next 10 minutes")


@pytest.mark.parametrize(
    "typed, meant",
    [("newcommer", "newcomer"), ("veteren", "veteran"), ("prac", "practitioner"), ("newbie", "new"),
     ("begginer", "beginner"), ("expret", "expert")],
)
def test_level_words_are_matched_by_typo_shortening_and_lengthening(typed: str, meant: str) -> None:
    from facilitator.domain.templates import TemplateLibrary

    assert near_misses(typed, TemplateLibrary().get("pln").level_words()) == (meant,)
