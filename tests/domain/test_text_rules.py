"""What item text, titles and display names we accept, and how they are cleaned."""

from __future__ import annotations

import pytest

from facilitator.domain.text_rules import ITEM_TEXT_LIMIT
from facilitator.domain.errors import DomainError
from facilitator.domain.text_rules import clean_item_text, clean_name, clean_title


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("  Share first  ", "Share first"),
        ("Share \t  first", "Share first"),
        ("line one\n\n\n  line two  ", "line one\nline two"),
        ("cafe\u0301", "caf\u00e9"),  # NFC: what people see is what we compare and store
        ("Share\x00first", "Share first"),
        ("bell\x07 and \x1b[31mescape", "bell and [31mescape"),
        ("\u202eevil\u202c text", "evil text"),
        ("zero\u200bwidth\u2060joined\ufeff", "zerowidthjoined"),
        ("soft\u00adhyphen", "softhyphen"),
        ("family \U0001f468\u200d\U0001f469\u200d\U0001f467", "family \U0001f468\u200d\U0001f469\u200d\U0001f467"),
        ("<b>kept</b> & \"as typed\"", "<b>kept</b> & \"as typed\""),
    ],
)
def test_item_text_is_cleaned_but_otherwise_kept_as_typed(raw: str, clean: str) -> None:
    assert clean_item_text(raw) == clean


@pytest.mark.parametrize("raw", ["", "   ", "\n\t\n", "\u200b\u200c\ufeff", "\x00\x01\x1f", "\u202e\u202c"])
def test_text_with_nothing_visible_is_refused_as_empty(raw: str) -> None:
    with pytest.raises(DomainError) as caught:
        clean_item_text(raw)
    assert caught.value.code == "empty"


def test_the_limit_is_500_characters_after_cleaning() -> None:
    assert ITEM_TEXT_LIMIT == 500
    assert clean_item_text("a" * 500) == "a" * 500
    assert clean_item_text("  " + "a" * 500 + "\u200b" * 40 + "  ") == "a" * 500
    with pytest.raises(DomainError) as caught:
        clean_item_text("a" * 501)
    assert caught.value.code == "too_long"
    assert "501 characters" in caught.value.message and "500" in caught.value.message


def test_a_title_is_tidied_onto_one_line() -> None:
    assert clean_title("  Friday\n  PLN\tcircle ", "Fallback") == "Friday PLN circle"


@pytest.mark.parametrize("raw", ["", "   ", "\u200b", "\x00", "\u202e"])
def test_a_title_with_nothing_visible_falls_back_to_the_template_title(raw: str) -> None:
    assert clean_title(raw, "Fallback") == "Fallback"


def test_a_long_title_is_shortened_to_200_characters_not_refused() -> None:
    assert clean_title("t" * 250, "Fallback") == "t" * 200
    assert clean_title("t" * 5000, "Fallback") == "t" * 200


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Ana", "Ana"),
        ("  Ana  ", "Ana"),
        ("A\u202ena\x00", "Ana"),
        ("", "someone"),
        ("\u200b\x07", "someone"),
        ("n" * 150, "n" * 100),
    ],
)
def test_display_names_lose_invisible_characters_and_are_bounded(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean
