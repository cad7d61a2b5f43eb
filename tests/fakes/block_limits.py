"""The Block Kit limits Slack enforces, checked by the fake Web API so that a message our
renderer builds and Slack would refuse is refused in tests too (values from Slack's
Block Kit reference)."""

from __future__ import annotations

import json
from typing import Any

SECTION_TEXT = 3000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
BLOCK_ID = 255
ACTIONS_ELEMENTS = 25
SELECT_OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
SECTION_FIELDS = 10
FIELD_TEXT = 2000


def block_kit_errors(blocks: Any, limit: int) -> list[str]:
    """Everything Slack would refuse in a `blocks` parameter (a list, or its JSON text)."""
    if blocks is None or blocks == "":
        return []
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            return ["blocks is not JSON"]
    if not isinstance(blocks, list):
        return ["blocks is not a list"]
    errors: list[str] = []
    if len(blocks) > limit:
        errors.append(f"{len(blocks)} blocks, more than {limit}")
    block_ids: set[str] = set()
    action_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"block {index}"
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in block_ids or len(block_id) > BLOCK_ID:
                errors.append(f"{where}: duplicate or long block_id")
            block_ids.add(block_id)
        kind = block.get("type")
        if kind == "section":
            text = (block.get("text") or {}).get("text", "")
            if len(text) > SECTION_TEXT:
                errors.append(f"{where}: section text of {len(text)} chars")
            if not text and not block.get("fields"):
                errors.append(f"{where}: empty section")
            fields = block.get("fields") or []
            if len(fields) > SECTION_FIELDS or any(len(f.get("text", "")) > FIELD_TEXT for f in fields):
                errors.append(f"{where}: fields too many or too long")
            if block.get("accessory"):
                errors += _element_errors(block["accessory"], where, action_ids)
        elif kind == "header":
            if len((block.get("text") or {}).get("text", "")) > HEADER_TEXT:
                errors.append(f"{where}: header too long")
        elif kind == "context":
            if len(block.get("elements") or []) > CONTEXT_ELEMENTS:
                errors.append(f"{where}: context with too many elements")
            errors += [f"{where}: context text too long" for e in block.get("elements") or [] if len(e.get("text", "")) > SECTION_TEXT]
        elif kind == "actions":
            elements = block.get("elements") or []
            if not elements or len(elements) > ACTIONS_ELEMENTS:
                errors.append(f"{where}: actions block with {len(elements)} elements")
            for element in elements:
                errors += _element_errors(element, where, action_ids)
        elif kind == "input":
            element = block.get("element") or {}
            errors += _element_errors(element, where, action_ids)
        elif kind not in ("divider", "image", "rich_text"):
            errors.append(f"{where}: unknown block type {kind!r}")
    return errors


def _element_errors(element: dict[str, Any], where: str, action_ids: set[str]) -> list[str]:
    errors: list[str] = []
    action_id = element.get("action_id")
    if action_id is not None:
        if action_id in action_ids or len(action_id) > ACTION_ID:
            errors.append(f"{where}: duplicate or long action_id {action_id!r}")
        action_ids.add(action_id)
    kind = element.get("type")
    if kind == "button":
        if len(element.get("text", {}).get("text", "")) > BUTTON_TEXT:
            errors.append(f"{where}: button text too long")
        if len(element.get("value", "")) > BUTTON_VALUE:
            errors.append(f"{where}: button value too long")
    elif kind == "static_select":
        options = list(element.get("options") or [])
        for group in element.get("option_groups") or []:
            options += group.get("options") or []
        if not options or len(options) > SELECT_OPTIONS:
            errors.append(f"{where}: select with {len(options)} options")
        for option in options:
            if len(option.get("text", {}).get("text", "")) > OPTION_TEXT or len(option.get("value", "")) > OPTION_VALUE:
                errors.append(f"{where}: option text or value too long")
    return errors
