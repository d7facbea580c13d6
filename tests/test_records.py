"""Records made named tuples (for a faster start) keep what they promised as dataclasses: bad
values refused however a record is made, no changing a record in place, pickling to worker
processes; and the content model, still dataclasses, keeps its types apart."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest

from printkit.content.model import PLAIN, Cloze, LineBreak, Maths, Paragraph, Picture, Style, Text
from printkit.deck import Card, Deck
from printkit.errors import DeckError, Problem
from printkit.imposition import Imposition
from printkit.paper import MM, PAPERS, Box
from printkit.sheet import CardGrid
from printkit.stocks import STOCKS, StockError
from printkit.text import Paragraph as TextParagraph

A4 = PAPERS["a4"]
GRID = CardGrid(A4, 85 * MM, 55 * MM, 2, 5)

# A good record, a change that makes it bad, the error and the words it must say.
BAD_CHANGES = [
    (Box(0, 0, 10, 10), {"width": -1}, ValueError, "a box cannot have a negative size"),
    (GRID, {"columns": 0}, ValueError, "a card grid needs at least one column and one row"),
    (GRID, {"card_width": 300 * MM}, ValueError, "do not fit on a4 paper"),
    (STOCKS["a7"], {"rows": 0}, StockError, "it needs at least one column and one row"),
    (STOCKS["a7"], {"paper": "a3"}, StockError, "unknown paper 'a3'"),
    (Imposition(), {"mode": "twice"}, ValueError, "mode must be one of double, manual, fold"),
    (Imposition(), {"bleed": -1.0}, ValueError, "the bleed cannot be negative"),
    (TextParagraph("Hi"), {"align": "right"}, ValueError, "align must be one of"),
    (TextParagraph("Hi"), {"scale": 0.0}, ValueError, "scale must be positive"),
]


@pytest.mark.parametrize(("record", "change", "error", "words"), BAD_CHANGES)
def test_a_bad_value_is_refused_when_made_and_when_replaced(record, change, error, words):
    values = {**record._asdict(), **change}
    with pytest.raises(error, match=words):
        type(record)(**values)
    with pytest.raises(error, match=words):
        record._replace(**change)
    with pytest.raises(error, match=words):
        type(record)._make(values.values())


@pytest.mark.parametrize("record", sorted({id(r): r for r, *_ in BAD_CHANGES}.values(), key=repr))
def test_a_checked_record_survives_pickling_and_copying_unchanged(record):
    for again in (pickle.loads(pickle.dumps(record)), copy.copy(record), copy.deepcopy(record)):
        assert again == record
        assert type(again) is type(record)


def test_a_good_replacement_keeps_the_other_values():
    assert Box(1, 2, 3, 4)._replace(x=5) == Box(5, 2, 3, 4)
    wide = TextParagraph("Hi", bullet="•")._replace(align="center")
    assert (wide.text, wide.bullet, wide.align, wide.scale) == ("Hi", "•", "center", 1.0)


def test_records_cannot_be_changed_in_place():
    card = Card(1, "Q?", ("A.",), False)
    deck = Deck("T", None, (card,), Path("t.yaml"))
    for record, name in ((card, "question"), (deck, "cards"), (Box(0, 0, 1, 1), "x")):
        with pytest.raises(AttributeError):
            setattr(record, name, None)


def test_a_deck_and_its_problems_cross_to_a_worker_process_and_back():
    card = Card(1, "Q?", ("A.",), False, tags=("t",), line=3)
    deck = Deck("T", "S", (card,), Path("t.yaml"))
    assert pickle.loads(pickle.dumps(deck)) == deck
    error = pickle.loads(pickle.dumps(DeckError([Problem(Path("t.yaml"), 3, "bad")])))
    assert error.messages == ["t.yaml:3: bad"]
    assert Problem(None, None, "bad", "summary").placed("t.yaml").layout == "summary"


# The typesetter caches measurements by content: Text("x") and Maths("x") must never be
# taken for each other, nor for a plain tuple of the same values, and runs are not ordered.
SAME_VALUES = [
    (Text("x"), Maths("x")),
    (Text("x"), ("x", PLAIN)),
    (Paragraph((Text("x"),)), Cloze((Text("x"),))),
    (Paragraph((Text("x"),)), ((Text("x"),), False)),
    (Picture("a.png", ""), ("a.png", "")),
    (LineBreak(), ()),
]


@pytest.mark.parametrize(("one", "other"), SAME_VALUES)
def test_content_of_different_types_is_never_equal(one, other):
    # Both operators: __ne__ is not always the negation of __eq__.
    assert one != other and other != one
    assert (one == other) is False and (other == one) is False
    assert len({one: 1, other: 2}) == 2


@pytest.mark.parametrize(("one", "other"), SAME_VALUES)
def test_content_is_not_ordered(one, other):
    with pytest.raises(TypeError):
        sorted([one, other])
    with pytest.raises(TypeError):
        sorted([one, copy.copy(one)])


def test_equal_content_is_equal_and_hashes_alike():
    assert Text("x", Style(bold=True)) == Text("x", Style(bold=True))
    assert hash(Text("x", Style(bold=True))) == hash(Text("x", Style(bold=True)))
    assert Text("x") != Text("x", Style(bold=True))
    with pytest.raises(ValueError, match="shift must be one of"):
        Style(shift="up")
