"""Templates' agenda questions ([agenda_questions]) and the reserved `note` word: checked when
the template loads, so a mistake never surfaces in the middle of a workshop."""

from __future__ import annotations

import pytest

from facilitator.domain.deliberation import DEFAULT_AGENDA_QUESTIONS
from facilitator.domain.templates import TemplateLibrary, parse_template
from tests.domain.test_templates import MINIMAL, SOURCE, error_for, replaced


def test_a_template_without_questions_asks_the_built_in_ones() -> None:
    template = parse_template(MINIMAL, SOURCE)
    assert template.agenda_question("votes") == DEFAULT_AGENDA_QUESTIONS["votes"]
    assert template.agenda_question("unshared", "veteran") == (
        "Support for this came mostly from the veteran level: what do they know about it that the rest of the "
        "group might not?")


def test_a_template_phrases_its_own_questions_with_placeholders() -> None:
    text = MINIMAL + '\n[agenda_questions]\ndivergence = "{level} more than {other}: why? {{not a placeholder}}"\n'
    template = parse_template(text, SOURCE)
    assert template.agenda_question("divergence", "veteran", "newcomer") == "veteran more than newcomer: why? {not a placeholder}"
    assert template.agenda_question("votes") == DEFAULT_AGENDA_QUESTIONS["votes"]  # the others keep theirs


@pytest.mark.parametrize("line, field, says", [
    ('unshared = "Only {other} knows"', "agenda_questions.unshared", "only these placeholders: {level}"),
    ('votes = "Why {level}?"', "agenda_questions.votes", "only these placeholders: none"),
    ('divergence = "{levle} vs {other}"', "agenda_questions.divergence", "{level}, {other}"),
    ('loudest = "Why?"', "agenda_questions.loudest", "is not a template field"),
    ('votes = ""', "agenda_questions.votes", "must be a non-empty string"),
])
def test_a_wrong_question_names_its_field(line: str, field: str, says: str) -> None:
    error = error_for(MINIMAL + f"\n[agenda_questions]\n{line}\n")
    assert error.field == field and says in str(error)


@pytest.mark.parametrize("old, new, field", [
    ('id = "do"', 'id = "note"', "categories[0].id"),
    ('aliases = ["don\'t", "donts"]', 'aliases = ["don\'t", "note"]', "categories[1].aliases"),
])
def test_note_is_reserved_for_discussion_notes(old: str, new: str, field: str) -> None:
    error = error_for(replaced(old, new))
    assert error.field == field and "`note` is reserved" in str(error)


def test_the_shipped_templates_load_with_their_questions() -> None:
    library = TemplateLibrary()
    assert "building a PLN" in library.get("pln").agenda_question("unshared", "veteran")
    assert library.get("start-stop-continue").agenda_question("votes") == DEFAULT_AGENDA_QUESTIONS["votes"]
