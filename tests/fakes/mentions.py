"""Find active mentions in what the bot sent: the proof that hostile text was escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from tests.fakes.slack_api import Call

# What Slack turns into a notification when a bot posts it unescaped.
ACTIVE_MENTION = re.compile(r"<(?:!channel|!here|!everyone|!subteam\^[^>]*|@[UWB][A-Z0-9]*)[^>]*>")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        stripped = value.lstrip()
        if stripped[:1] in ("[", "{"):
            try:
                yield from _strings(json.loads(value))
                return
            except ValueError:
                pass
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def unintended_mentions(calls: Iterable[Call], allowed: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(method, mention) for every active mention in any parameter of any call, except `allowed`."""
    permitted = set(allowed)
    found: list[tuple[str, str]] = []
    for call in calls:
        for text in _strings(call.params):
            for match in ACTIVE_MENTION.finditer(text):
                if match.group(0) not in permitted:
                    found.append((call.method, match.group(0)))
    return found
