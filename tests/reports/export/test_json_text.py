"""The JSON export's writer gives exactly the text of json.dumps(ensure_ascii=False, indent=2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.reports.export import json_text

# Strings that need escaping, numbers json writes specially, and keys json turns into strings.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(alphabet=st.sampled_from([*'ab ,:"\\{}[]\n\t\x00', "é", "\u2028", "🙂"]), max_size=8)
)
KEYS = st.text(max_size=6) | st.integers() | st.floats() | st.booleans() | st.none()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_text_is_json_dumps_with_indent_2(value: Any) -> None:
    assert json_text.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_values_json_cannot_write_are_refused_alike() -> None:
    for value in ({"a": {1, 2}}, [object()], {(1, 2): "tuple key"}, {(1, 2): ["tuple key"]}):
        for dumps in (json_text.dumps, lambda v: json.dumps(v, ensure_ascii=False, indent=2)):
            try:
                dumps(value)
            except TypeError:
                continue
            raise AssertionError(f"{value!r} was written")


def test_without_the_c_accelerator_the_text_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_text, "_c_make_encoder", None)
    monkeypatch.setattr(json_text, "_flat_encoders", {})
    value = {"a": [1, 2.5, None, True], "b": {"c": "é\n", "d": {}}, "e": [], 1: [{"f": "g"}]}
    assert json_text.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_c_encoder_that_takes_other_arguments_falls_back_to_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def changed_signature(*args: Any) -> None:  # as a future Python's private c_make_encoder might
        raise TypeError(f"make_encoder() takes 10 arguments ({len(args)} given)")

    monkeypatch.setattr(json_text, "_c_make_encoder", changed_signature)
    monkeypatch.setattr(json_text, "_flat_encoders", {})
    value = {"items": [{"number": 1, "votes_by_level": {"newcomer": 2}}], "totals": [1, 2, 3]}
    assert json_text.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)
