"""Discord's limits on what a message, a modal or a new thread may hold, checked the way the
API checks them: on the strings it receives, so escaped text counts with its backslashes, and
in code points (Discord's API is Python: "the number of codepoints in the string").

Each check returns the refused fields as FieldErrors (tests/fakes/discord_errors.py); an empty
list means Discord would accept the body. Limits are from Discord's docs (message, embed,
component and modal references) and the errors its API was seen to send.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.discord_errors import (
    FieldError,
    Path,
    bad_length,
    not_one_of,
    required,
    too_big,
    too_long,
)

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR_NAME = 256
ATTACHMENTS = 10
ACTION_ROWS = 5
ROW_WIDTH = 5  # buttons in a row; a select menu fills a row alone
BUTTON_LABEL = 80
CUSTOM_ID = 100
SELECT_OPTIONS = 25
SELECT_OPTION_TEXT = 100  # label, value, description
SELECT_PLACEHOLDER = 150
MODAL_TITLE = 45
MODAL_ROWS = 5
INPUT_LABEL = 45
INPUT_LENGTH = 4000  # min_length, max_length and value of a text input
INPUT_PLACEHOLDER = 100
LABEL_DESCRIPTION = 100
THREAD_NAME = 100
ARCHIVE_MINUTES = (60, 1440, 4320, 10080)
LINK_STYLE, PREMIUM_STYLE = 5, 6
SELECT_TYPES = (3, 5, 6, 7, 8)
COMPONENTS_V2 = 1 << 15  # message flag: the layout components replace content and embeds


def _length(errors: list[FieldError], path: Path, value: Any, limit: int, low: int = 0) -> None:
    if value is None:
        return
    text = str(value)
    if len(text) < low:
        errors.append(bad_length(path, low, limit))
    elif len(text) > limit:
        errors.append(too_long(path, limit))


def embed_size(embed: dict[str, Any]) -> int:
    """What counts towards the 6,000 characters of a message's embeds (Discord's embed limits)."""
    fields = embed.get("fields") or []
    parts = [embed.get("title"), embed.get("description"), (embed.get("footer") or {}).get("text"),
             (embed.get("author") or {}).get("name")]
    parts += [f.get("name") for f in fields] + [f.get("value") for f in fields]
    return sum(len(str(p)) for p in parts if p)


def embed_errors(embeds: list[dict[str, Any]], at: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    if len(embeds) > EMBEDS:
        errors.append(too_long((*at, "embeds"), EMBEDS))
    for index, embed in enumerate(embeds):
        path = (*at, "embeds", index)
        _length(errors, (*path, "title"), embed.get("title"), EMBED_TITLE)
        _length(errors, (*path, "description"), embed.get("description"), EMBED_DESCRIPTION)
        _length(errors, (*path, "footer", "text"), (embed.get("footer") or {}).get("text"), FOOTER)
        _length(errors, (*path, "author", "name"), (embed.get("author") or {}).get("name"), AUTHOR_NAME)
        fields = embed.get("fields") or []
        if len(fields) > EMBED_FIELDS:
            errors.append(too_long((*path, "fields"), EMBED_FIELDS))
        for number, field in enumerate(fields):
            for key, limit in (("name", FIELD_NAME), ("value", FIELD_VALUE)):
                value = field.get(key)
                if value is None or str(value) == "":
                    errors.append(required((*path, "fields", number, key)))
                else:
                    _length(errors, (*path, "fields", number, key), value, limit)
    if sum(embed_size(e) for e in embeds) > EMBED_TOTAL:
        errors.append(FieldError((*at, "embeds"), "MAX_EMBED_SIZE_EXCEEDED",
                                 f"Embed size exceeds maximum size of {EMBED_TOTAL}"))
    return errors


def _button_errors(button: dict[str, Any], path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    _length(errors, (*path, "label"), button.get("label"), BUTTON_LABEL)
    if button.get("style") in (LINK_STYLE, PREMIUM_STYLE):
        return errors
    if button.get("custom_id") is None:
        errors.append(required((*path, "custom_id")))
    _length(errors, (*path, "custom_id"), button.get("custom_id"), CUSTOM_ID, low=1)
    return errors


def _select_errors(select: dict[str, Any], path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    _length(errors, (*path, "custom_id"), select.get("custom_id"), CUSTOM_ID, low=1)
    _length(errors, (*path, "placeholder"), select.get("placeholder"), SELECT_PLACEHOLDER)
    for key in ("min_values", "max_values"):
        if int(select.get(key) or 0) > SELECT_OPTIONS:
            errors.append(too_big((*path, key), SELECT_OPTIONS))
    if select.get("type") == 3:  # a string select brings its own options
        options = select.get("options") or []
        if not 1 <= len(options) <= SELECT_OPTIONS:
            errors.append(bad_length((*path, "options"), 1, SELECT_OPTIONS))
        for number, option in enumerate(options):
            for key in ("label", "value", "description"):
                low = 1 if key != "description" else 0
                _length(errors, (*path, "options", number, key), option.get(key), SELECT_OPTION_TEXT, low)
    return errors


def component_errors(rows: list[dict[str, Any]], at: Path) -> list[FieldError]:
    """Action rows of buttons and select menus (the layout discord.py's View sends)."""
    errors: list[FieldError] = []
    if len(rows) > ACTION_ROWS:
        errors.append(too_long((*at, "components"), ACTION_ROWS))
    seen: set[str] = set()
    for index, row in enumerate(rows):
        path = (*at, "components", index)
        if row.get("type") != 1:
            errors.append(FieldError((*path, "type"), "UNION_TYPE_CHOICES",
                                     'Value of field "type" must be one of (1,).'))
            continue
        children = row.get("components") or []
        if not 1 <= len(children) <= ROW_WIDTH:
            errors.append(bad_length((*path, "components"), 1, ROW_WIDTH))
        for number, child in enumerate(children):
            child_path = (*path, "components", number)
            if child.get("type") in SELECT_TYPES and len(children) > 1:
                errors.append(FieldError(child_path, "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                                         "The specified component exceeds the maximum width"))
            errors += _button_errors(child, child_path) if child.get("type") == 2 else _select_errors(child, child_path)
            custom_id = child.get("custom_id")
            if custom_id is not None and custom_id in seen:
                errors.append(FieldError((*child_path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED",
                                         "Component custom id cannot be duplicated"))
            seen.add(str(custom_id))
    return errors


def message_errors(body: dict[str, Any], files: int, at: Path = ()) -> list[FieldError]:
    """A message to create or edit: channel messages, DMs, follow-ups, callbacks 4 and 7."""
    errors: list[FieldError] = []
    _length(errors, (*at, "content"), body.get("content"), CONTENT)
    errors += embed_errors(list(body.get("embeds") or []), at)
    if not int(body.get("flags") or 0) & COMPONENTS_V2:
        errors += component_errors(list(body.get("components") or []), at)
    attachments = max(files, len(body.get("attachments") or []))
    if attachments > ATTACHMENTS:
        errors.append(too_long((*at, "attachments"), ATTACHMENTS))
    return errors


def is_empty(body: dict[str, Any], files: int) -> bool:
    """Nothing to show: Discord refuses to create such a message (50006)."""
    return not (str(body.get("content") or "").strip() or body.get("embeds") or body.get("components")
                or files or body.get("sticker_ids") or body.get("poll"))


def _text_input_errors(field: dict[str, Any], path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    if field.get("type") != 4:
        return [not_one_of((*path, "type"), (4,))]
    _length(errors, (*path, "custom_id"), field.get("custom_id"), CUSTOM_ID, low=1)
    if "label" in field:  # a text input inside a Label component has none of its own
        _length(errors, (*path, "label"), field.get("label"), INPUT_LABEL, low=1)
    if field.get("style") not in (1, 2):
        errors.append(not_one_of((*path, "style"), (1, 2)))
    for key in ("min_length", "max_length"):
        if int(field.get(key) or 0) > INPUT_LENGTH:
            errors.append(too_big((*path, key), INPUT_LENGTH))
    _length(errors, (*path, "placeholder"), field.get("placeholder"), INPUT_PLACEHOLDER)
    _length(errors, (*path, "value"), field.get("value"), INPUT_LENGTH)
    return errors


def modal_errors(data: dict[str, Any], at: Path = ("data",)) -> list[FieldError]:
    """A MODAL callback's data: title, custom_id, 1 to 5 rows of one text input each."""
    errors: list[FieldError] = []
    _length(errors, (*at, "title"), data.get("title") or "", MODAL_TITLE, low=1)
    _length(errors, (*at, "custom_id"), data.get("custom_id") or "", CUSTOM_ID, low=1)
    rows = data.get("components") or []
    if not 1 <= len(rows) <= MODAL_ROWS:
        errors.append(bad_length((*at, "components"), 1, MODAL_ROWS))
    for index, row in enumerate(rows):
        path = (*at, "components", index)
        if row.get("type") == 18:  # a Label wrapping one component
            _length(errors, (*path, "label"), row.get("label") or "", INPUT_LABEL, low=1)
            _length(errors, (*path, "description"), row.get("description"), LABEL_DESCRIPTION)
            errors += _text_input_errors(row.get("component") or {}, (*path, "component"))
            continue
        children = row.get("components") or []
        if len(children) != 1:
            errors.append(bad_length((*path, "components"), 1, 1))
        for number, child in enumerate(children):
            errors += _text_input_errors(child, (*path, "components", number))
    return errors


def thread_errors(body: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    _length(errors, ("name",), body.get("name") or "", THREAD_NAME, low=1)
    archive = body.get("auto_archive_duration")
    if archive is not None and archive not in ARCHIVE_MINUTES:
        errors.append(not_one_of(("auto_archive_duration",), ARCHIVE_MINUTES))
    return errors
