"""Slack's markup in what people send -> the plain text the core keeps.

Slack sends message and command text escaped (`&amp; &lt; &gt;` are the only entities) with
its own markup in angle brackets (Slack's "Formatting text" reference): links `<URL|label>`
and `<URL>`, `<mailto:a@b|a@b>`, people `<@U123>` (or `<@U123|name>`), channels
`<#C123|name>`, `<!here>`, `<!channel>`, `<!everyone>`, user groups `<!subteam^S1|@team>`,
dates `<!date^1700000000^{date}|fallback>`. Angle brackets that people type themselves arrive
as `&lt;`/`&gt;`, so only real markup has them.

`to_core` reads each markup token once, left to right, and makes it readable: a link keeps its
label and its URL, `<!here>` becomes the plain word `@here` (it pings nobody when posted back,
since the bot escapes what it posts and never asks Slack to link names), a group its handle, a
date its fallback. A person stays `<@U123>`, the core's own way to name someone (`/pln cohost`
resolves it); `named` then puts display names in the free text of a command. A channel without
a label stays `<#C123>` for `named` too. Written by hand: no maintained library reads Slack's
markup (slack_sdk only builds it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"<([^<>\n]*)>")
_PERSON = re.compile(r"<@([A-Z0-9]+)>")
_CHANNEL = re.compile(r"<#([A-Z0-9]+)>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def to_core(escaped: str) -> str:
    """Slack's escaped text with its markup -> text as people read it (people as `<@ID>`)."""
    parts: list[str] = []
    at = 0
    for token in _TOKEN.finditer(escaped):
        parts.append(unescape(escaped[at:token.start()]))
        parts.append(_readable(token.group(1)))
        at = token.end()
    parts.append(unescape(escaped[at:]))
    return "".join(parts)


def _readable(inner: str) -> str:
    target, _, label = inner.partition("|")
    label = unescape(label).strip()
    if target.startswith("@"):
        return f"<@{target[1:]}>"
    if target.startswith("#"):
        return f"#{label.lstrip('#')}" if label else f"<#{target[1:]}>"
    if target.startswith("!"):
        word = target[1:]
        if word in _SPECIAL:
            return _SPECIAL[word]
        if word.startswith("subteam^"):
            return label or "@group"
        return label or word.split("^", 1)[0]  # a date's fallback; an unknown special's name
    return _link(unescape(target), label)


def _link(url: str, label: str) -> str:
    shown = url.removeprefix("mailto:")
    if not label or label in (url, shown) or label == url.split("://", 1)[-1]:
        return shown
    return f"{label} ({shown})"


def people_in(text: str) -> set[str]:
    return set(_PERSON.findall(text))


def channels_in(text: str) -> set[str]:
    return set(_CHANNEL.findall(text))


def named(text: str, people: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """Free text with every `<@ID>` as `@Name` and every `<#C..>` as `#name`."""
    text = _PERSON.sub(lambda m: f"@{people.get(m.group(1), m.group(1))}", text)
    return _CHANNEL.sub(lambda m: f"#{channels.get(m.group(1), m.group(1))}", text)
