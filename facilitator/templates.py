"""Workshop templates: TOML files in prompts/, loaded and validated here.

The format is documented in docs/TEMPLATES.md. Errors name the file and the field, because
the people who write templates are facilitators, not programmers.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from facilitator.replies import Level, Reading

DEFAULT_TEMPLATE = "pln"
_ID = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_CATEGORY_ID = re.compile(r"^[a-z][a-z0-9]{0,19}$")


class TemplateError(Exception):
    def __init__(self, source: str, field: str, problem: str) -> None:
        super().__init__(f"{source}: field `{field}`: {problem}")
        self.source = source
        self.field = field


@dataclass(frozen=True)
class Category:
    id: str  # stored on items and exported as `kind`
    label: str  # how people see it: "DO", "DON'T"
    aliases: tuple[str, ...]  # words that name it in `/pln add WORD` and `WORD:` thread replies
    examples: tuple[str, ...]


@dataclass(frozen=True)
class LevelSpec:
    name: str
    description: str
    onboarding: str


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    prompt: str
    how_to: str
    readings: tuple[Reading, ...]
    levels: tuple[LevelSpec, ...]
    categories: tuple[Category, ...]
    questions: tuple[str, ...]
    min_level_size: int  # levels with fewer people are marked, not ranked, in divergence

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels)

    def level(self, name: str) -> LevelSpec | None:
        return next((level for level in self.levels if level.name == name), None)

    def public_levels(self) -> tuple[Level, ...]:
        return tuple(Level(level.name, level.description) for level in self.levels)

    def category_for(self, word: str) -> Category | None:
        word = word.lower().replace("’", "'")
        for category in self.categories:
            if word == category.id or word in category.aliases:
                return category
        return None

    def category(self, category_id: str) -> Category:
        found = next((c for c in self.categories if c.id == category_id), None)
        if found is None:
            raise KeyError(category_id)
        return found


class _Reader:
    """Pulls typed fields out of parsed TOML, naming the field when one is wrong."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, problem: str) -> TemplateError:
        return TemplateError(self.source, field, problem)

    def text(self, data: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}", "must be a non-empty string")
        return value.strip()

    def strings(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{where}{key}", "must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def tables(self, data: dict[str, Any], key: str, minimum: int) -> list[dict[str, Any]]:
        value = data.get(key)
        if not isinstance(value, list) or len(value) < minimum or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"needs at least {minimum} [[{key}]] table(s)")
        return value


def parse_template(text: str, source: str) -> Template:
    read = _Reader(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(source, "(file)", f"is not valid TOML: {exc}") from exc
    template_id = read.text(data, "id", "")
    if not _ID.match(template_id):
        raise read.fail("id", "must be lowercase letters, digits and dashes, starting with a letter")
    readings = tuple(
        Reading(read.text(r, "title", f"readings[{i}]."), read.text(r, "url", f"readings[{i}].", False) or None)
        for i, r in enumerate(read.tables(data, "readings", 0) if "readings" in data else [])
    )
    levels = tuple(
        LevelSpec(
            read.text(lv, "name", f"levels[{i}].").lower(),
            read.text(lv, "description", f"levels[{i}]."),
            read.text(lv, "onboarding", f"levels[{i}].", False),
        )
        for i, lv in enumerate(read.tables(data, "levels", 1))
    )
    categories = tuple(_category(read, c, i) for i, c in enumerate(read.tables(data, "categories", 2)))
    _check_unique(read, "levels", [lv.name for lv in levels])
    _check_unique(read, "categories", [w for c in categories for w in (c.id, *c.aliases)])
    if "unspecified" in [lv.name for lv in levels]:
        raise read.fail("levels", "`unspecified` is reserved for people who have not picked a level")
    min_size = data.get("min_level_size", 2)
    if not isinstance(min_size, int) or isinstance(min_size, bool) or min_size < 1:
        raise read.fail("min_level_size", "must be a whole number of at least 1")
    return Template(
        id=template_id,
        title=read.text(data, "title", ""),
        prompt=read.text(data, "prompt", ""),
        how_to=read.text(data, "how_to", ""),
        readings=readings,
        levels=levels,
        categories=categories,
        questions=read.strings(data, "questions", ""),
        min_level_size=min_size,
    )


def _category(read: _Reader, data: dict[str, Any], index: int) -> Category:
    where = f"categories[{index}]."
    category_id = read.text(data, "id", where).lower()
    if not _CATEGORY_ID.match(category_id):
        raise read.fail(f"{where}id", "must be lowercase letters and digits, starting with a letter")
    aliases = tuple(a.lower().replace("’", "'") for a in read.strings(data, "aliases", where))
    return Category(category_id, read.text(data, "label", where), aliases, read.strings(data, "examples", where))


def _check_unique(read: _Reader, field: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise read.fail(field, f"`{name}` appears twice")
        seen.add(name)


class TemplateLibrary:
    """The built-in templates from the prompts package, plus any in an extra folder."""

    def __init__(self, extra_dir: Path | None = None) -> None:
        self._templates: dict[str, Template] = {}
        for entry in resources.files("prompts").iterdir():
            if entry.name.endswith(".toml"):
                self._add(parse_template(entry.read_text(encoding="utf-8"), f"prompts/{entry.name}"))
        if extra_dir is not None:
            for path in sorted(extra_dir.glob("*.toml")):
                self._add(parse_template(path.read_text(encoding="utf-8"), str(path)))

    def _add(self, template: Template) -> None:
        self._templates[template.id] = template

    def get(self, template_id: str) -> Template:
        return self._templates[template_id]

    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._templates))
