"""The real-format Slack payloads in tests/fixtures/slack/*.json: list them, load a fresh copy,
set fields by dotted path. (Signing them is slack_payloads.py.)"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "slack"


def names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


@cache
def _read(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text(encoding="utf-8")


def load(name: str) -> dict[str, Any]:
    """A fresh copy of one fixture, free for the test to change."""
    payload: dict[str, Any] = json.loads(_read(name))
    return payload


def with_fields(payload: dict[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `payload` with dotted paths set: {"event.text": ..., "actions.0.value": ...}.
    Every step but the last must exist, so a misspelt path fails instead of adding a field
    Slack never sends."""
    changed = copy.deepcopy(payload)
    for path, value in fields.items():
        *parents, last = path.split(".")
        node: Any = changed
        for step in parents:
            node = node[int(step)] if isinstance(node, list) else node[step]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return changed
