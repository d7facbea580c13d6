"""`escape_markup`: imported text is written so that the deck prints it exactly as it was."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printkit.content.markup import escape_markup, parse
from printkit.content.model import Paragraph


def reads_back_as(markup: str) -> str:
    [block] = parse(markup).blocks
    assert isinstance(block, Paragraph) and block.is_plain and not block.display, markup
    return block.plain_text


@pytest.mark.parametrize(
    "text",
    [
        "5 * 3 * 2 = 30",
        "It costs $5, or $10 with delivery",
        "snake_case_name",
        "x ~ 3",
        "2 ^ 10",
        "a lone ` backtick",
        "Wow!",
        "C:\\Windows",
    ],
)
def test_text_that_cannot_be_markup_is_left_as_typed(text):
    assert escape_markup(text) == text
    assert reads_back_as(text) == text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*not bold*", "\\*not bold*"),
        ("2*3*4", "2\\*3*4"),
        ("_init_", "\\_init_"),
        ("costs $5 and $x$", "costs \\$5 and \\$x$"),
        ("H~2~O", "H\\~2~O"),
        ("x^2^", "x\\^2^"),
        ("`cd` and `ls`", "\\`cd\\` and \\`ls`"),
        ("see ![x](y)", "see \\![x](y)"),
        ("\\*", "\\\\*"),
        ("\\**", "\\\\\\**"),
        ("a\\\nb", "a\\\\\nb"),
    ],
)
def test_what_could_be_markup_is_escaped(text, escaped):
    assert escape_markup(text) == escaped
    assert reads_back_as(escaped) == text


def test_a_part_beside_other_markup_escapes_its_edges():
    assert escape_markup("a_", whole=False) == "a\\_"
    assert escape_markup("5 * 3", whole=False) == "5 * 3"
    assert escape_markup("\\n", whole=False) == "\\\\n"


# Text as a deck keeps it (no spaces around lines, which Markdown drops at a line break), heavy
# on the characters that make markup.
_CHARS = st.sampled_from("*_`~^$!\\[]() \tab1") | st.characters(blacklist_categories=("Cs",))
_LINE = st.text(_CHARS, max_size=20).map(str.strip)


@settings(max_examples=500, deadline=None)
@given(st.text(_CHARS).map(str.strip).filter(lambda t: "\n" not in t and "\r" not in t))
def test_any_line_reads_back_exactly(text):
    text = text.replace("\x00", "").strip()
    assert reads_back_as(escape_markup(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=4).map("\n".join).map(str.strip))
def test_any_lines_read_back_exactly(text):
    # A deck's texts have no NUL and are stripped: remove first, then strip.
    text = text.replace("\x00", "").replace("\r", "").strip()
    assert reads_back_as(escape_markup(text)) == text
