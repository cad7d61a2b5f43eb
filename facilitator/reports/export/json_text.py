"""`json.dumps(value, ensure_ascii=False, indent=2)`: the same text, several times faster.

The standard library encodes in C only without indentation; with it, every value goes through
Python generators (120 ms for a 5,000-item export). Here a container holding only scalars
(most of the document: participants, divergence entries, each item's per-level counts) goes
through the C encoder in one call, with its line break and indentation as the item separator;
only the containers that hold other containers are walked in Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

_INDENT = "  "
_NONE = type(None)
_SCALARS = frozenset({str, int, float, bool, _NONE})
# Scalars as json writes them; anything else (floats, subclasses) goes through json.dumps.
_EXACT: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    _NONE: lambda value: "null",
}
# The C encoder json.dumps itself uses, made once per depth rather than once per call (half the
# cost of a small container); None without the C accelerator, then json.JSONEncoder is used.
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_flat_encoders: dict[int, Callable[[Any], str]] = {}


def dumps(value: Any) -> str:
    out: list[str] = []
    _write(value, 0, out)
    return "".join(out)


def _scalar(value: Any) -> str:
    exact = _EXACT.get(type(value))
    return exact(value) if exact is not None else json.dumps(value, ensure_ascii=False)


def _flat(depth: int) -> Callable[[Any], str]:
    """Encodes a container of scalars at `depth` with each member on its own line, indented."""
    encode = _flat_encoders.get(depth)
    if encode is None:
        encode = _flat_encoders[depth] = _flat_encoder(",\n" + _INDENT * (depth + 1))
    return encode


def _flat_encoder(separator: str) -> Callable[[Any], str]:
    portable = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(separator, ": ")).encode
    if _c_make_encoder is None:
        return portable
    refuse = json.JSONEncoder().default  # the TypeError json.dumps raises for what it cannot write
    try:
        c_encoder = _c_make_encoder(None, refuse, encode_basestring, None, ": ", separator, False, False, True)
    except TypeError:
        # c_make_encoder is the json module's own, not a promise: a Python that changes its
        # arguments gets the portable encoder, slower but the same text.
        return portable
    return lambda value: "".join(c_encoder(value, 0))


def _write(value: Any, depth: int, out: list[str]) -> None:
    if isinstance(value, dict):
        members: Any = value.values()
        opening, closing = "{", "}"
    elif isinstance(value, (list, tuple)):
        members = value
        opening, closing = "[", "]"
    else:
        out.append(_scalar(value))
        return
    if not value:
        out.append(opening + closing)
        return
    inner = "\n" + _INDENT * (depth + 1)
    if _SCALARS.issuperset(map(type, members)):
        # '{"a": 1,\n    "b": 2}' from C: only the first and the last line break are added here.
        out += (opening, inner, _flat(depth)(value)[1:-1], "\n", _INDENT * depth, closing)
        return
    separator = opening + inner
    if isinstance(value, dict):
        for key, member in value.items():
            key_text = encode_basestring(key) if type(key) is str else _key(key)
            exact = _EXACT.get(type(member))
            if exact is not None:
                out.append(f"{separator}{key_text}: {exact(member)}")
            else:
                out.append(f"{separator}{key_text}: ")
                _write(member, depth + 1, out)
            separator = "," + inner
    else:
        for member in value:
            out.append(separator)
            _write(member, depth + 1, out)
            separator = "," + inner
    out += ("\n", _INDENT * depth, closing)


def _key(key: Any) -> str:
    # As json.dumps does: a number, boolean or None key is written as its JSON text, in quotes.
    if isinstance(key, str):
        return encode_basestring(key)
    if key is None or isinstance(key, (int, float)):
        return encode_basestring(json.dumps(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
