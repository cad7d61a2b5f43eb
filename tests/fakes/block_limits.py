"""The Block Kit limits Slack enforces, checked by the fake Web API so that a message or view
our renderer builds and Slack would refuse is refused in tests too (values from Slack's
Block Kit reference: blocks, block elements, composition objects, view objects).

Each problem is reported the way Slack words it in `response_metadata.messages`:
"[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
"""

from __future__ import annotations

import json
from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # modals and the App Home
SECTION_TEXT = 3000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
BUTTON_URL = 3000
ACTION_ID = 255
BLOCK_ID = 255
ACTIONS_ELEMENTS = 25
SELECT_OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
PLACEHOLDER_TEXT = 150
SECTION_FIELDS = 10
FIELD_TEXT = 2000
INPUT_LABEL = 2000
VIEW_TITLE = 24
VIEW_BUTTON = 24  # submit and close
CALLBACK_ID = 255
EXTERNAL_ID = 255
PRIVATE_METADATA = 3000
MESSAGE_TEXT = 40000  # longer text is truncated, not refused


def _too_long(limit: int, where: str) -> str:
    return f"[ERROR] must be less than {limit + 1} characters [json-pointer:{where}]"


def _parsed(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _text(obj: Any) -> str:
    return str((obj or {}).get("text", "")) if isinstance(obj, dict) else ""


def block_kit_errors(blocks: Any, limit: int = MESSAGE_BLOCKS, root: str = "/blocks") -> list[str]:
    """Everything Slack would refuse in a `blocks` parameter (a list, or its JSON text)."""
    if blocks is None or blocks == "":
        return []
    blocks = _parsed(blocks)
    if not isinstance(blocks, list):
        return [f"[ERROR] expected an array of blocks [json-pointer:{root}]"]
    errors: list[str] = []
    if len(blocks) > limit:
        errors.append(f"[ERROR] no more than {limit} items allowed [json-pointer:{root}]")
    block_ids: set[str] = set()
    action_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"{root}/{index}"
        if not isinstance(block, dict):
            errors.append(f"[ERROR] expected an object [json-pointer:{where}]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in block_ids:
                errors.append(f"[ERROR] duplicate block_id [json-pointer:{where}/block_id]")
            if len(block_id) > BLOCK_ID:
                errors.append(_too_long(BLOCK_ID, f"{where}/block_id"))
            block_ids.add(block_id)
        errors += _block_errors(block, where, action_ids)
    return errors


def _block_errors(block: dict[str, Any], where: str, action_ids: set[str]) -> list[str]:
    errors: list[str] = []
    kind = block.get("type")
    if kind == "section":
        text = _text(block.get("text"))
        if len(text) > SECTION_TEXT:
            errors.append(_too_long(SECTION_TEXT, f"{where}/text/text"))
        fields = block.get("fields") or []
        if not text and not fields:
            errors.append(f"[ERROR] must provide either text or fields [json-pointer:{where}]")
        if len(fields) > SECTION_FIELDS:
            errors.append(f"[ERROR] no more than {SECTION_FIELDS} items allowed [json-pointer:{where}/fields]")
        errors += [_too_long(FIELD_TEXT, f"{where}/fields/{i}/text") for i, f in enumerate(fields) if len(_text(f)) > FIELD_TEXT]
        if block.get("accessory"):
            errors += _element_errors(block["accessory"], f"{where}/accessory", action_ids)
    elif kind == "header":
        if len(_text(block.get("text"))) > HEADER_TEXT:
            errors.append(_too_long(HEADER_TEXT, f"{where}/text/text"))
    elif kind == "context":
        elements = block.get("elements") or []
        if len(elements) > CONTEXT_ELEMENTS:
            errors.append(f"[ERROR] no more than {CONTEXT_ELEMENTS} items allowed [json-pointer:{where}/elements]")
        errors += [_too_long(SECTION_TEXT, f"{where}/elements/{i}/text")
                   for i, e in enumerate(elements) if len(_text(e)) > SECTION_TEXT]
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > ACTIONS_ELEMENTS:
            errors.append(f"[ERROR] must have 1 to {ACTIONS_ELEMENTS} items [json-pointer:{where}/elements]")
        for i, element in enumerate(elements):
            errors += _element_errors(element, f"{where}/elements/{i}", action_ids)
    elif kind == "input":
        if len(_text(block.get("label"))) > INPUT_LABEL:
            errors.append(_too_long(INPUT_LABEL, f"{where}/label/text"))
        errors += _element_errors(block.get("element") or {}, f"{where}/element", action_ids)
    elif kind not in ("divider", "image", "rich_text", "file", "video", "markdown"):
        errors.append(f"[ERROR] unsupported type `{kind}` [json-pointer:{where}/type]")
    return errors


def _element_errors(element: dict[str, Any], where: str, action_ids: set[str]) -> list[str]:
    errors: list[str] = []
    action_id = element.get("action_id")
    if action_id is not None:
        if action_id in action_ids:
            errors.append(f"[ERROR] duplicate action_id `{action_id}` [json-pointer:{where}/action_id]")
        if len(action_id) > ACTION_ID:
            errors.append(_too_long(ACTION_ID, f"{where}/action_id"))
        action_ids.add(action_id)
    if len(_text(element.get("placeholder"))) > PLACEHOLDER_TEXT:
        errors.append(_too_long(PLACEHOLDER_TEXT, f"{where}/placeholder/text"))
    kind = element.get("type")
    if kind == "button":
        if len(_text(element.get("text"))) > BUTTON_TEXT:
            errors.append(_too_long(BUTTON_TEXT, f"{where}/text/text"))
        if len(element.get("value", "")) > BUTTON_VALUE:
            errors.append(_too_long(BUTTON_VALUE, f"{where}/value"))
        if len(element.get("url", "")) > BUTTON_URL:
            errors.append(_too_long(BUTTON_URL, f"{where}/url"))
    elif kind in ("static_select", "multi_static_select", "radio_buttons", "checkboxes", "overflow"):
        options = list(element.get("options") or [])
        for group in element.get("option_groups") or []:
            options += group.get("options") or []
        if not options or len(options) > SELECT_OPTIONS:
            errors.append(f"[ERROR] must have 1 to {SELECT_OPTIONS} options [json-pointer:{where}/options]")
        for i, option in enumerate(options):
            if len(_text(option.get("text"))) > OPTION_TEXT:
                errors.append(_too_long(OPTION_TEXT, f"{where}/options/{i}/text/text"))
            if len(option.get("value", "")) > OPTION_VALUE:
                errors.append(_too_long(OPTION_VALUE, f"{where}/options/{i}/value"))
    return errors


def view_errors(view: Any) -> list[str]:
    """Everything Slack would refuse in a `view` for views.open/push/update/publish."""
    view = _parsed(view)
    if not isinstance(view, dict):
        return ["[ERROR] failed to parse view [json-pointer:/view]"]
    kind = view.get("type")
    errors: list[str] = []
    if kind not in ("modal", "home"):
        errors.append("[ERROR] must be one of modal, home [json-pointer:/view/type]")
    if kind == "modal":
        title = _text(view.get("title"))
        if not title:
            errors.append("[ERROR] missing required field: title [json-pointer:/view]")
        elif len(title) > VIEW_TITLE:
            errors.append(_too_long(VIEW_TITLE, "/view/title/text"))
        for button in ("submit", "close"):
            if len(_text(view.get(button))) > VIEW_BUTTON:
                errors.append(_too_long(VIEW_BUTTON, f"/view/{button}/text"))
        if not view.get("submit") and any(b.get("type") == "input" for b in view.get("blocks") or [] if isinstance(b, dict)):
            errors.append("[ERROR] submit is required when an input block is present [json-pointer:/view/submit]")
    for name, limit in (("callback_id", CALLBACK_ID), ("external_id", EXTERNAL_ID), ("private_metadata", PRIVATE_METADATA)):
        if len(str(view.get(name) or "")) > limit:
            errors.append(_too_long(limit, f"/view/{name}"))
    return errors + block_kit_errors(view.get("blocks") or [], limit=VIEW_BLOCKS, root="/view/blocks")
