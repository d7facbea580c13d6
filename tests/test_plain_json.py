"""The freshness stamps' JSON, written and read without the json module, is json's own."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printkit import plain_json

# What a stamp holds (names, page counts, digests, paths), and what it never holds but a
# damaged or hand-edited one might: every kind of text, floats, booleans.
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["deck-flashcards.pdf", "a b/c.png", 'say "hi"', "back\\slash", "tab\there", "é", "\x7f"]
)
VALUES = st.recursive(
    st.none() | st.integers() | TEXT | st.booleans() | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(VALUES)
def test_written_as_json_writes_it_and_read_back_as_json_reads_it(value):
    text = plain_json.dumps(value)
    assert text == json.dumps(value)
    assert plain_json.loads(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"key": "ab", "files": [["x.pdf", 2, "cd"]], "pictures": []}',
        '{ "a" :[ 1 ,-2, null ] , "b":{}}\n',
        "[]",
        '"x"',
        "-0",
        "0",
    ],
)
def test_plain_json_is_read_as_json_reads_it(text):
    assert plain_json.loads(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    ["", "{", '{"a": 1', '{"a" 1}', "[1,]", "01", "-", '"\x01"', '{"a": 1} x', "1.5.2", "nul"],
)
def test_what_json_refuses_is_refused(text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        plain_json.loads(text)
