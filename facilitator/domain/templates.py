"""Workshop templates: TOML files in prompts/, loaded and validated here.

The format is documented in docs/TEMPLATES.md. Errors name the file and the field, because
the people who write templates are facilitators, not programmers.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from facilitator.domain.deliberation import AGENDA_REASONS, DEFAULT_AGENDA_QUESTIONS, NOTE_WORD, question_problem
from facilitator.domain.levels import UNSPECIFIED_LEVEL

DEFAULT_TEMPLATE = "pln"
_ID = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_CATEGORY_ID = re.compile(r"^[a-z][a-z0-9]{0,19}$")
# Aliases must also work as thread-reply prefixes ("STOP: ..."), which commands.py reads as
# a letter followed by up to 19 letters or apostrophes; anything else could never match there.
_ALIAS = re.compile(r"^[a-z][a-z']{0,19}$")
# Every field the format knows. A misspelt optional field (`onbording`) would otherwise be
# dropped without a word, and the facilitator would never learn why the hint is missing.
_TOP_FIELDS = frozenset(
    {"id", "title", "prompt", "how_to", "readings", "levels", "categories", "questions", "min_level_size",
     "agenda_questions"}
)
_READING_FIELDS = frozenset({"title", "url"})
_LEVEL_FIELDS = frozenset({"name", "description", "onboarding", "aliases"})
_CATEGORY_FIELDS = frozenset({"id", "label", "aliases", "examples"})


@dataclass(frozen=True)
class Reading:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Level:
    """A level as people see it: name and description (no onboarding text)."""

    name: str
    description: str


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
    aliases: tuple[str, ...] = ()  # other words `/pln join` takes for it ("new", "vet")


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
    # One question per reason an item is on the agenda (DEFAULT_AGENDA_QUESTIONS when not given).
    agenda_questions: tuple[tuple[str, str], ...] = tuple(DEFAULT_AGENDA_QUESTIONS.items())

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels)

    def level(self, name: str) -> LevelSpec | None:
        return next((level for level in self.levels if level.name == name), None)

    def level_for(self, word: str) -> LevelSpec | None:
        """The level a person means by `word`: its name or one of its aliases."""
        word = word.lower()
        return next((level for level in self.levels if word == level.name or word in level.aliases), None)

    def level_words(self) -> dict[str, str]:
        """Every word that names a level (names and aliases) -> the level's name."""
        return {word: level.name for level in self.levels for word in (level.name, *level.aliases)}

    def public_levels(self) -> tuple[Level, ...]:
        return tuple(Level(level.name, level.description) for level in self.levels)

    def category_for(self, word: str) -> Category | None:
        word = word.lower().replace("’", "'")
        for category in self.categories:
            if word == category.id or word in category.aliases:
                return category
        return None

    def label_of(self, kind: str) -> str:
        """How people see an item's kind: the category's label ("DON'T"), or the kind itself."""
        found = next((c for c in self.categories if c.id == kind), None)
        return kind.upper() if found is None else found.label

    def agenda_question(self, reason: str, level: str = "", other: str = "") -> str:
        """The question for an item on the agenda for `reason` (votes, divergence, unshared)."""
        question = dict(self.agenda_questions).get(reason) or DEFAULT_AGENDA_QUESTIONS[reason]
        return question.format(level=level, other=other)

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
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"must be written as [[{key}]] tables")
        if len(value) < minimum:
            raise self.fail(key, f"needs at least {minimum} [[{key}]] table(s), found {len(value)}")
        return value

    def known_fields(self, data: dict[str, Any], allowed: frozenset[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(f"{where}{key}", f"is not a template field (known: {', '.join(sorted(allowed))})")


def parse_template(text: str, source: str) -> Template:
    read = _Reader(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(source, "(file)", f"is not valid TOML: {exc}") from exc
    read.known_fields(data, _TOP_FIELDS, "")
    template_id = read.text(data, "id", "")
    if not _ID.match(template_id):
        raise read.fail("id", "must be lowercase letters, digits and dashes, starting with a letter")
    readings = tuple(_reading(read, r, i) for i, r in enumerate(read.tables(data, "readings", 0)))
    levels = tuple(_level(read, lv, i) for i, lv in enumerate(read.tables(data, "levels", 1)))
    categories = tuple(_category(read, c, i) for i, c in enumerate(read.tables(data, "categories", 2)))
    _check_unique(
        read,
        [
            (f"levels[{i}].{field}", word)
            for i, lv in enumerate(levels)
            for field, word in [("name", lv.name), *(("aliases", a) for a in lv.aliases)]
        ],
    )
    _check_unique(
        read,
        [
            (f"categories[{i}].{field}", word)
            for i, c in enumerate(categories)
            for field, word in [("id", c.id), *(("aliases", a) for a in c.aliases)]
        ],
    )
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
        agenda_questions=_agenda_questions(read, data.get("agenda_questions", {})),
    )


def _agenda_questions(read: _Reader, data: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(data, dict):
        raise read.fail("agenda_questions", "must be written as an [agenda_questions] table")
    read.known_fields(data, frozenset(AGENDA_REASONS), "agenda_questions.")
    questions = dict(DEFAULT_AGENDA_QUESTIONS)
    for reason in (reason for reason in AGENDA_REASONS if reason in data):
        questions[reason] = read.text(data, reason, "agenda_questions.")
        if problem := question_problem(reason, questions[reason]):
            raise read.fail(f"agenda_questions.{reason}", problem)
    return tuple(questions.items())


def _reading(read: _Reader, data: dict[str, Any], index: int) -> Reading:
    where = f"readings[{index}]."
    read.known_fields(data, _READING_FIELDS, where)
    url = read.text(data, "url", where, False) or None
    # Readings become links in the exports: only web addresses, never `javascript:` and the like.
    if url is not None and not is_web_url(url):
        raise read.fail(f"{where}url", "must be an http:// or https:// address with no spaces")
    return Reading(read.text(data, "title", where), url)


_WEB_URL = re.compile(r"^https?://[^\s<>\"`]+$", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """An http(s) address a report may link to; the JSON schema's `webUrl` says the same."""
    return _WEB_URL.match(url) is not None


def _level(read: _Reader, data: dict[str, Any], index: int) -> LevelSpec:
    where = f"levels[{index}]."
    read.known_fields(data, _LEVEL_FIELDS, where)
    name = read.text(data, "name", where).lower()
    # People type the name after `/pln join`, which reads one word.
    if not _ID.match(name):
        raise read.fail(
            f"{where}name", "must be one word: lowercase letters, digits and dashes, starting with a letter"
        )
    if name == UNSPECIFIED_LEVEL:
        problem = f"`{UNSPECIFIED_LEVEL}` is reserved for people who have not picked a level"
        raise read.fail(f"{where}name", problem)
    aliases = tuple(a.lower() for a in read.strings(data, "aliases", where))
    for alias in aliases:
        if not _ID.match(alias) or alias == UNSPECIFIED_LEVEL:
            problem = f"`{alias}` must be one word: lowercase letters, digits and dashes, and not `{UNSPECIFIED_LEVEL}`"
            raise read.fail(f"{where}aliases", problem)
    onboarding = read.text(data, "onboarding", where, False)
    return LevelSpec(name, read.text(data, "description", where), onboarding, aliases)


def _category(read: _Reader, data: dict[str, Any], index: int) -> Category:
    where = f"categories[{index}]."
    read.known_fields(data, _CATEGORY_FIELDS, where)
    category_id = read.text(data, "id", where).lower()
    if not _CATEGORY_ID.match(category_id):
        raise read.fail(f"{where}id", "must be lowercase letters and digits, starting with a letter")
    aliases = tuple(a.lower().replace("’", "'") for a in read.strings(data, "aliases", where))
    for alias in aliases:
        if not _ALIAS.match(alias):
            problem = f"`{alias}` must be one word of at most 20 letters (apostrophes allowed)"
            raise read.fail(f"{where}aliases", problem)
    if NOTE_WORD in (category_id, *aliases):
        field = "id" if category_id == NOTE_WORD else "aliases"
        raise read.fail(f"{where}{field}", f"`{NOTE_WORD}` is reserved: a `NOTE:` thread reply is a discussion note")
    label = read.text(data, "label", where)
    return Category(category_id, label, aliases, read.strings(data, "examples", where))


def _check_unique(read: _Reader, named: list[tuple[str, str]]) -> None:
    first_seen: dict[str, str] = {}
    for field, name in named:
        if name in first_seen:
            raise read.fail(field, f"`{name}` is already used by {first_seen[name]}")
        first_seen[name] = field


class TemplateLibrary:
    """The built-in templates from the prompts package, plus any in an extra folder."""

    def __init__(self, extra_dir: Path | None = None) -> None:
        self._templates: dict[str, Template] = {}
        self._sources: dict[str, str] = {}  # each template's file text, stored with the sessions it starts
        built_in = [e for e in resources.files("prompts").iterdir() if e.name.endswith(".toml")]
        built_in.sort(key=lambda entry: entry.name)
        self._add_all([(f"prompts/{e.name}", e.read_text(encoding="utf-8")) for e in built_in])
        if extra_dir is not None:
            if not extra_dir.is_dir():
                raise TemplateError(str(extra_dir), "(folder)", "is not a folder (check FACILITATOR_TEMPLATES_DIR)")
            paths = sorted(extra_dir.glob("*.toml"))
            self._add_all([(str(p), p.read_text(encoding="utf-8")) for p in paths])

    def _add_all(self, files: list[tuple[str, str]]) -> None:
        """Adds one folder's templates. A template in the extra folder may replace a built-in one
        of the same id (to adapt `pln`, say); two files of one folder may not share an id."""
        sources: dict[str, str] = {}
        for source, text in files:
            template = parse_template(text, source)
            if template.id in sources:
                problem = f"`{template.id}` is already the id of {sources[template.id]}"
                raise TemplateError(source, "id", problem)
            sources[template.id] = source
            self._templates[template.id] = template
            self._sources[template.id] = text

    def get(self, template_id: str) -> Template:
        return self._templates[template_id]

    def source_of(self, template_id: str) -> str:
        """The text of the file the template was read from: a session stores it when it starts."""
        return self._sources[template_id]

    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._templates))


@functools.lru_cache(maxsize=256)
def template_from_snapshot(text: str) -> Template:
    """The template a session stored when it started (its file's text), parsed once per process.
    Raises TemplateError if the text no longer passes today's rules."""
    return parse_template(text, "the template stored with the session")
