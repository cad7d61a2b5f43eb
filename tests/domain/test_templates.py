"""The template loader: what a facilitator's TOML file turns into, and the errors they see."""

from __future__ import annotations

import pytest

from facilitator.commands import Submit, parse_message
from facilitator.replies import Level, Reading
from facilitator.domain.templates import TemplateError, TemplateLibrary, parse_template

SOURCE = "workshops/mini.toml"

MINIMAL = """\
id = "mini"
title = "Mini workshop"
prompt = "What helps a team learn?"
how_to = "Join, add items, vote."

[[levels]]
name = "newcomer"
description = "New here."

[[levels]]
name = "veteran"
description = "Been here for years."
onboarding = "Say why."

[[categories]]
id = "do"
label = "DO"

[[categories]]
id = "dont"
label = "DON'T"
aliases = ["don't", "donts"]
"""

WITH_READING = MINIMAL + """
[[readings]]
title = "A reading"
url = "https://example.org/reading"
"""


def without(line: str, text: str = MINIMAL) -> str:
    assert text.count(line + "\n") == 1, f"test setup: {line!r} is not exactly once in the template"
    return text.replace(line + "\n", "", 1)


def replaced(old: str, new: str, text: str = MINIMAL) -> str:
    assert text.count(old) == 1, f"test setup: {old!r} is not exactly once in the template"
    return text.replace(old, new, 1)


def error_for(text: str) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        parse_template(text, SOURCE)
    return caught.value


def assert_names(error: TemplateError, field: str) -> None:
    assert error.source == SOURCE
    assert error.field == field
    assert str(error).startswith(f"{SOURCE}: field `{field}`: ")


# --- a good template ------------------------------------------------------------------------


def test_minimal_template_parses_to_its_values_and_defaults() -> None:
    template = parse_template(MINIMAL, SOURCE)
    assert template.id == "mini"
    assert template.title == "Mini workshop"
    assert template.prompt == "What helps a team learn?"
    assert template.how_to == "Join, add items, vote."
    assert template.readings == ()
    assert template.questions == ()
    assert template.min_level_size == 2
    assert template.level_names == ("newcomer", "veteran")
    assert template.public_levels() == (Level("newcomer", "New here."), Level("veteran", "Been here for years."))
    newcomer, veteran = template.level("newcomer"), template.level("veteran")
    assert newcomer is not None and newcomer.onboarding == ""
    assert veteran is not None and veteran.onboarding == "Say why."
    assert template.level("unspecified") is None
    assert [(c.id, c.label, c.aliases, c.examples) for c in template.categories] == [
        ("do", "DO", (), ()),
        ("dont", "DON'T", ("don't", "donts"), ()),
    ]


def test_optional_fields_are_read_and_trimmed() -> None:
    text = replaced('how_to = "Join, add items, vote."', 'how_to = "  Join.  "\nmin_level_size = 3\n'
                    'questions = [" Why? ", "How?"]', WITH_READING)
    text = replaced('label = "DO"', 'label = "DO"\nexamples = ["Share first."]\naliases = ["Dos"]', text)
    text += '\n[[readings]]\ntitle = "No link"\n'
    template = parse_template(text, SOURCE)
    assert template.how_to == "Join."
    assert template.min_level_size == 3
    assert template.questions == ("Why?", "How?")
    assert template.readings == (Reading("A reading", "https://example.org/reading"), Reading("No link", None))
    assert template.category("do").examples == ("Share first.",)
    assert template.category("do").aliases == ("dos",)


def test_names_are_lowercased() -> None:
    template = parse_template(replaced('name = "veteran"', 'name = "Veteran"'), SOURCE)
    assert template.level_names == ("newcomer", "veteran")


# --- level aliases --------------------------------------------------------------------------


def test_level_aliases_name_their_level_in_any_case() -> None:
    template = parse_template(replaced('name = "newcomer"', 'name = "newcomer"\naliases = ["New", "beginner"]'), SOURCE)
    newcomer = template.level("newcomer")
    assert newcomer is not None and newcomer.aliases == ("new", "beginner")
    for word in ("newcomer", "new", "NEW", "Beginner"):
        found = template.level_for(word)
        assert found is not None and found.name == "newcomer", word
    assert template.level_for("veteran") == template.level("veteran")
    assert template.level_for("newbie") is None
    assert template.level("new") is None  # names only: what is stored is always the name
    assert template.level_words() == {"newcomer": "newcomer", "new": "newcomer", "beginner": "newcomer",
                                      "veteran": "veteran"}


@pytest.mark.parametrize(
    "aliases, field, problem",
    [
        # The later of the two is named: here the second level's own name.
        ('["veteran"]', "levels[1].name", "`veteran` is already used by levels[0].aliases"),
        ('["new", "new"]', "levels[0].aliases", "`new` is already used by levels[0].aliases"),
        ('["unspecified"]', "levels[0].aliases", "not `unspecified`"),
        ('["two words"]', "levels[0].aliases", "must be one word"),
        ('"new"', "levels[0].aliases", "must be a list of non-empty strings"),
    ],
)
def test_bad_level_aliases_are_refused_naming_the_field(aliases: str, field: str, problem: str) -> None:
    error = error_for(replaced('name = "newcomer"', f'name = "newcomer"\naliases = {aliases}'))
    assert_names(error, field)
    assert problem in str(error)


def test_the_pln_template_takes_short_level_words() -> None:
    pln = TemplateLibrary().get("pln")
    assert {word: pln.level_words()[word] for word in ("new", "vet", "expert")} == {
        "new": "newcomer", "vet": "veteran", "expert": "veteran"}


# --- category lookup ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [("do", "do"), ("DO", "do"), ("dont", "dont"), ("DONT", "dont"), ("don't", "dont"),
     ("don’t", "dont"), ("DON’T", "dont"), ("Donts", "dont")],
)
def test_category_for_finds_ids_and_aliases_in_any_case_and_either_apostrophe(word: str, expected: str) -> None:
    category = parse_template(MINIMAL, SOURCE).category_for(word)
    assert category is not None
    assert category.id == expected


@pytest.mark.parametrize("word", ["stop", "d", "don", "dos", ""])
def test_category_for_returns_none_for_other_words(word: str) -> None:
    assert parse_template(MINIMAL, SOURCE).category_for(word) is None


def test_category_by_id_raises_for_unknown_id() -> None:
    template = parse_template(MINIMAL, SOURCE)
    assert template.category("dont").label == "DON'T"
    with pytest.raises(KeyError):
        template.category("don't")  # an alias, not an id


def test_typographic_apostrophe_in_a_thread_reply_reaches_the_category() -> None:
    command = parse_message("DON’T: wait for others to reach out")
    assert isinstance(command, Submit)
    category = parse_template(MINIMAL, SOURCE).category_for(command.kind)
    assert category is not None and category.id == "dont"


# --- errors name the file and the field -----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('id = "mini"', "id"),
        ('title = "Mini workshop"', "title"),
        ('prompt = "What helps a team learn?"', "prompt"),
        ('how_to = "Join, add items, vote."', "how_to"),
        ('name = "newcomer"', "levels[0].name"),
        ('description = "Been here for years."', "levels[1].description"),
        ('id = "do"', "categories[0].id"),
        ('label = "DON\'T"', "categories[1].label"),
    ],
)
def test_each_missing_required_field_is_named(line: str, field: str) -> None:
    assert_names(error_for(without(line)), field)


def test_missing_reading_title_is_named() -> None:
    assert_names(error_for(without('title = "A reading"', WITH_READING)), "readings[0].title")


def test_no_levels_is_an_error_on_levels() -> None:
    text = MINIMAL.split("[[levels]]")[0] + "[[categories]]" + MINIMAL.split("[[categories]]", 1)[1]
    error = error_for(text)
    assert_names(error, "levels")
    assert "at least 1" in str(error)


def test_fewer_than_two_categories_is_an_error_on_categories() -> None:
    error = error_for(MINIMAL.rsplit("[[categories]]", 1)[0])
    assert_names(error, "categories")
    assert "at least 2" in str(error) and "found 1" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('title = "Mini workshop"', "title = 3", "title"),
        ('title = "Mini workshop"', 'title = "   "', "title"),
        ('prompt = "What helps a team learn?"', 'prompt = ["What helps?"]', "prompt"),
        ('id = "mini"', 'id = "Mini Workshop"', "id"),
        ('id = "mini"', 'id = "2mini"', "id"),
        ('how_to = "Join, add items, vote."', 'how_to = "x"\nquestions = "Why?"', "questions"),
        ('how_to = "Join, add items, vote."', 'how_to = "x"\nquestions = ["Why?", ""]', "questions"),
        ('how_to = "Join, add items, vote."', 'how_to = "x"\nmin_level_size = "2"', "min_level_size"),
        ('how_to = "Join, add items, vote."', 'how_to = "x"\nmin_level_size = 0', "min_level_size"),
        ('how_to = "Join, add items, vote."', 'how_to = "x"\nmin_level_size = true', "min_level_size"),
        ('how_to = "Join, add items, vote."', 'how_to = "x"\nmin_level_size = 2.5', "min_level_size"),
        ('name = "newcomer"', "name = 1", "levels[0].name"),
        ('name = "newcomer"', 'name = "new comer"', "levels[0].name"),
        ('onboarding = "Say why."', "onboarding = 42", "levels[1].onboarding"),
        ('aliases = ["don\'t", "donts"]', 'aliases = "dont"', "categories[1].aliases"),
        ('aliases = ["don\'t", "donts"]', 'aliases = ["do not"]', "categories[1].aliases"),
        ('aliases = ["don\'t", "donts"]', 'aliases = ["dont2"]', "categories[1].aliases"),
        ('label = "DO"', 'label = "DO"\nexamples = [1]', "categories[0].examples"),
        ('id = "do"', 'id = "do-it"', "categories[0].id"),
    ],
)
def test_wrong_types_and_shapes_are_named(old: str, new: str, field: str) -> None:
    assert_names(error_for(replaced(old, new)), field)


def test_levels_given_as_plain_values_are_named() -> None:
    head = MINIMAL.split("[[levels]]")[0]
    text = head + "levels = [1, 2]\n\n[[categories]]" + MINIMAL.split("[[categories]]", 1)[1]
    error = error_for(text)
    assert_names(error, "levels")
    assert "[[levels]]" in str(error)


def test_reading_url_of_wrong_type_is_named() -> None:
    text = replaced('url = "https://example.org/reading"', "url = 5", WITH_READING)
    assert_names(error_for(text), "readings[0].url")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('description = "New here."', 'description = "New here."\nonbording = "Hi"', "levels[0].onbording"),
        ('id = "mini"', 'id = "mini"\nquestons = ["Why?"]', "questons"),
        ('label = "DO"', 'label = "DO"\nexample = ["x"]', "categories[0].example"),
        ('url = "https://example.org/reading"', 'link = "https://example.org"', "readings[0].link"),
    ],
)
def test_misspelt_fields_are_named_not_ignored(old: str, new: str, field: str) -> None:
    error = error_for(replaced(old, new, WITH_READING))
    assert error.source == SOURCE and error.field == field
    assert "is not a template field" in str(error)


def test_duplicate_level_names_are_named() -> None:
    error = error_for(replaced('name = "veteran"', 'name = "Newcomer"'))
    assert_names(error, "levels[1].name")
    assert "`newcomer`" in str(error) and "levels[0].name" in str(error)


def test_duplicate_category_ids_are_named() -> None:
    error = error_for(replaced('id = "dont"', 'id = "do"'))
    assert_names(error, "categories[1].id")
    assert "categories[0].id" in str(error)


def test_alias_clashing_with_another_category_is_named() -> None:
    error = error_for(replaced('aliases = ["don\'t", "donts"]', 'aliases = ["don\'t", "do"]'))
    assert_names(error, "categories[1].aliases")
    assert "`do`" in str(error)


def test_alias_repeating_its_own_id_is_named() -> None:
    error = error_for(replaced('aliases = ["don\'t", "donts"]', 'aliases = ["dont"]'))
    assert_names(error, "categories[1].aliases")


def test_aliases_differing_only_by_apostrophe_style_clash() -> None:
    error = error_for(replaced('aliases = ["don\'t", "donts"]', 'aliases = ["don\'t", "don’t"]'))
    assert_names(error, "categories[1].aliases")
    assert "`don't`" in str(error)


@pytest.mark.parametrize("name", ["unspecified", "Unspecified"])
def test_unspecified_is_reserved(name: str) -> None:
    error = error_for(replaced('name = "veteran"', f'name = "{name}"'))
    assert_names(error, "levels[1].name")
    assert "reserved" in str(error)


def test_invalid_toml_names_the_file_and_the_line() -> None:
    error = error_for(replaced('title = "Mini workshop"', 'title = "Mini workshop'))
    assert_names(error, "(file)")
    assert "not valid TOML" in str(error) and "line 2" in str(error)
