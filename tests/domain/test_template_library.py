"""The template library: the shipped templates, an extra folder of a facilitator's own, and the
annotated example in docs/TEMPLATES.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.commands import ParseError, Start, Submit, parse_command, parse_message
from facilitator.domain.templates import TemplateError, TemplateLibrary, parse_template
from tests.domain.test_templates import MINIMAL, replaced, without


def test_shipped_start_stop_continue_template_loads() -> None:
    library = TemplateLibrary()
    assert "start-stop-continue" in library.ids()
    template = library.get("start-stop-continue")
    assert template.level_names == ("new", "established", "long-standing")
    assert [(c.id, c.label) for c in template.categories] == [
        ("start", "START"), ("stop", "STOP"), ("continue", "CONTINUE")
    ]
    assert all(level.onboarding for level in template.levels)
    assert all(category.examples for category in template.categories)
    assert len(template.questions) >= 3
    assert "/pln add start" in template.how_to
    assert template.min_level_size == 2


def test_start_stop_continue_words_all_reach_their_category() -> None:
    template = TemplateLibrary().get("start-stop-continue")
    for category in template.categories:
        for word in (category.id, *category.aliases):
            reply = parse_message(f"{word.upper()}: share what we learn")
            added = parse_command(f"/pln add {word} share what we learn")
            for command in (reply, added):
                assert isinstance(command, Submit), (word, command)
                assert command.text == "share what we learn"
                assert template.category_for(command.kind) == category


def test_start_stop_continue_aliases_are_not_subcommands() -> None:
    # `/pln start TEXT` starts a session; an alias that is a subcommand would be unreachable that way.
    assert parse_command("/pln start our retro") == Start("our retro")
    for category in TemplateLibrary().get("start-stop-continue").categories:
        for alias in category.aliases:
            with pytest.raises(ParseError):
                parse_command(f"/pln {alias} something")


def test_unknown_template_id_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        TemplateLibrary().get("no-such-workshop")


def test_extra_folder_templates_are_loaded_alongside_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "mini.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a template", encoding="utf-8")
    library = TemplateLibrary(extra_dir=tmp_path)
    assert {"mini", "start-stop-continue"} <= set(library.ids())
    assert library.get("mini").title == "Mini workshop"
    assert library.get("mini").level_names == ("newcomer", "veteran")
    assert "mini" not in TemplateLibrary().ids()


def test_extra_folder_may_replace_a_shipped_template(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(replaced('id = "mini"', 'id = "start-stop-continue"'), encoding="utf-8")
    assert TemplateLibrary(extra_dir=tmp_path).get("start-stop-continue").title == "Mini workshop"


def test_broken_file_in_extra_folder_names_its_path(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(without('prompt = "What helps a team learn?"'), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        TemplateLibrary(extra_dir=tmp_path)
    assert caught.value.source == str(broken)
    assert caught.value.field == "prompt"


def test_two_files_with_one_id_in_the_extra_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.toml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        TemplateLibrary(extra_dir=tmp_path)
    assert caught.value.source == str(tmp_path / "b.toml")
    assert caught.value.field == "id"
    assert str(tmp_path / "a.toml") in str(caught.value)


def test_missing_extra_folder_is_an_error_not_silence(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(TemplateError) as caught:
        TemplateLibrary(extra_dir=missing)
    assert caught.value.source == str(missing)
    assert caught.value.field == "(folder)"


def test_the_annotated_example_in_the_docs_loads_and_behaves_as_described() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "TEMPLATES.md").read_text(encoding="utf-8")
    example = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    template = parse_template(example, "docs/TEMPLATES.md")
    assert template.id == "team-habits"
    assert template.level_names == ("new", "seasoned")
    assert template.min_level_size == 2
    assert template.agenda_question("unshared", "seasoned").startswith("This came mostly from the seasoned level")
    for text in ("/pln add help demo unfinished work", "/pln add HELPS demo unfinished work",
                 "Helps: demo unfinished work"):
        command = parse_message(text)
        assert isinstance(command, Submit) and command.text == "demo unfinished work"
        category = template.category_for(command.kind)
        assert category is not None and category.label == "HELPS"
