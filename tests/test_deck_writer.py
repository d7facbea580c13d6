"""The YAML that `printkit import` writes: tidy, and read back as exactly the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from printkit.deck import Card, Deck, clean_text, is_blank, parse_deck
from printkit.deck_writer import deck_to_yaml, scalar

LOADERS = [yaml.BaseLoader, yaml.SafeLoader]  # as printkit reads it, and as YAML 1.1 resolves it
if hasattr(yaml, "CBaseLoader"):
    LOADERS += [yaml.CBaseLoader, yaml.CSafeLoader]

TRICKY = [
    "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true", "False",
    "1", "-1", "0755", "3.10", "1e3", ".inf", "-.Inf", ".NaN", "0x1F", "0o17", "0b101", "1:20",
    "2024-01-01", "2024-01-01 10:00:00", "<<", "=",
    " lead", "trail ", "  ", "a: b", "a:b", "key:", "a #b", "a#b", "#c", "- x", "-x", "* x",
    "*x", "&a", "!t", "!!str", "|", ">", "'", "''", '"', "%x", "@x", "`x", "?", "? x", ":",
    "[a]", "{a}", "a, b", "...", "---", "--- x", "x\ny", "x\n\ny", "x\n y", "\nx", "x\n",
    "line \nnext", "\ttab", "a\tb", "é", "e\u0301", "a\u2028b", "a\x85b", "\ufeffa", "a\x00b",
    "a\x7fb", "a\\b", "\\", "Stalin’s ‘red’", "час", "😀", "\xa0nbsp\xa0",
]  # fmt: skip


def read_back(text: str, loader) -> object:
    return yaml.load(text, Loader=loader)["k"]  # every loader above is a safe one


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("flow", [False, True])
def test_tricky_texts_read_back_exactly_with_every_loader(text, flow):
    value = scalar(text, 0, flow=flow)
    written = f"k: [{value}]" if flow else f"k: {value}"
    for loader in LOADERS:
        got = read_back(written, loader)
        assert (got[0] if flow else got) == text, (loader, written)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_any_text_reads_back_exactly(text, flow):
    value = scalar(text, 6, flow=flow)
    written = f"k: [{value}]" if flow else f"k:\n  - - {value}"
    for loader in LOADERS:
        got = read_back(written, loader)
        assert (got[0] if flow else got[0][0]) == text


def _card(number: int, question: str, answer: list[str], is_list: bool, tags: list[str]) -> Card:
    return Card(number, question, tuple(answer), is_list, tuple(tags))


# A text of only invisible characters is blank to a deck (refused like an empty one).
clean = st.text(min_size=1).map(clean_text).filter(lambda text: not is_blank(text))
cards = st.lists(
    st.tuples(
        clean, st.lists(clean, min_size=1, max_size=3), st.booleans(), st.lists(clean, max_size=3)
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(clean, st.none() | clean, cards)
def test_a_written_deck_loads_back_as_the_same_deck(title, subject, raw_cards):
    made = []
    for number, (question, answer, is_list, tags) in enumerate(raw_cards, start=1):
        answer = answer if is_list else answer[:1]
        made.append(_card(number, question, answer, is_list, list(dict.fromkeys(tags))))
    deck = Deck(title, subject, tuple(made), Path("x.yaml"))
    loaded = parse_deck(deck_to_yaml(deck), Path("x.yaml"))
    assert (loaded.title, loaded.subject) == (title, subject)
    assert [(c.question, c.answer, c.is_list, c.tags) for c in loaded.cards] == [
        (c.question, c.answer, c.is_list, c.tags) for c in made
    ]


def test_the_yaml_is_tidy_and_quotes_only_where_needed():
    deck = Deck(
        "Stalin's foreign policy",
        "History",
        (
            _card(1, "What is 1/2 + 1/4?", ["3/4"], False, []),
            _card(2, "yes", ["no: never", "- dash", "Größe"], True, ["a b", "c,d"]),
            _card(3, "Two lines", ["first\nsecond"], False, []),
        ),
        Path("x.yaml"),
    )
    assert deck_to_yaml(deck, "Imported from x.txt") == (
        "# Imported from x.txt\n"
        "title: Stalin's foreign policy\n"
        "subject: History\n"
        "cards:\n"
        "  - question: What is 1/2 + 1/4?\n"
        "    answer: 3/4\n"
        "  - question: 'yes'\n"
        "    answer:\n"
        "      - 'no: never'\n"
        "      - '- dash'\n"
        "      - Größe\n"
        "    tags: [a b, 'c,d']\n"
        "  - question: Two lines\n"
        "    answer: |-\n"
        "      first\n"
        "      second\n"
    )
