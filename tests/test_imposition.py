"""Imposition checked as pure placement data: which side of which card goes where, no PDF."""

from __future__ import annotations

import pytest
from conftest import MM

from printkit.imposition import (
    Imposition,
    Placement,
    bleed_box,
    cut_marks_for,
    impose,
    pages,
    sheet_note,
)
from printkit.paper import PAPERS, Box
from printkit.pdf import PdfDocument
from printkit.stocks import STOCKS, StockError, custom_stock

A4 = PAPERS["a4"]
STOCK = STOCKS["a4-2x3"]  # 6 cards a sheet


def plan(count: int, **settings) -> list:
    imposition = Imposition(**settings)
    return pages(A4, imposition.grid(STOCK, A4), count, imposition)


def indexes(page, side: str) -> list[int]:
    return [p.index for p in page.side(side)]


def turned_over(box: Box, flip: str) -> tuple[float, float, float, float]:
    """Where a box on the back page physically lies once the sheet is turned over."""
    if flip == "long":
        return (A4.width - box.right, box.y, box.width, box.height)
    return (box.x, A4.height - box.top, box.width, box.height)


def as_tuple(box: Box) -> tuple[float, float, float, float]:
    return (box.x, box.y, box.width, box.height)


def test_double_sided_pages_alternate_fronts_and_backs_sheet_by_sheet():
    result = plan(8)
    assert [(p.kind, p.sheet, p.sheets) for p in result] == [
        ("fronts", 1, 2),
        ("backs", 1, 2),
        ("fronts", 2, 2),
        ("backs", 2, 2),
    ]
    assert [indexes(p, "front") for p in result] == [[0, 1, 2, 3, 4, 5], [], [6, 7], []]
    assert [indexes(p, "back") for p in result] == [[], [0, 1, 2, 3, 4, 5], [], [6, 7]]


@pytest.mark.parametrize("flip", ["long", "short"])
@pytest.mark.parametrize("count", [6, 5, 1])  # full and partly filled sheets
def test_each_back_is_the_mirror_of_its_front(flip, count):
    fronts, backs = plan(count, flip=flip)
    for front, back in zip(fronts.placements, backs.placements, strict=True):
        assert front.index == back.index
        assert turned_over(back.box, flip) == pytest.approx(as_tuple(front.box))


def test_a_long_flip_swaps_columns_and_a_short_flip_swaps_rows():
    long_backs = plan(6, flip="long")[1].placements
    short_backs = plan(6, flip="short")[1].placements
    fronts = plan(6)[0].placements
    # Card 0 is top left on the front: behind it is top right (long) or bottom left (short).
    assert as_tuple(long_backs[0].box) == pytest.approx(as_tuple(fronts[1].box))
    assert as_tuple(short_backs[0].box) == pytest.approx(as_tuple(fronts[4].box))


def test_manual_duplex_prints_instructions_then_all_fronts_then_all_backs():
    result = plan(14, mode="manual")
    assert [(p.kind, p.sheet) for p in result] == [
        ("instructions", 0),
        ("fronts", 1),
        ("fronts", 2),
        ("fronts", 3),
        ("backs", 1),
        ("backs", 2),
        ("backs", 3),
    ]
    assert result[0].placements == ()
    fronts, backs = result[1:4], result[4:]
    # The stack is turned over as a whole: backs come in the order of their fronts.
    assert [indexes(p, "front") for p in fronts] == [indexes(p, "back") for p in backs]
    assert plan(14, mode="manual")[4:] == plan(14, mode="double")[1::2]


def test_fold_puts_fronts_on_the_left_half_and_backs_mirrored_on_the_right():
    result = plan(7, mode="fold")
    assert [(p.kind, p.sheet, p.sheets) for p in result] == [("folded", n, 3) for n in (1, 2, 3)]
    middle = A4.width / 2
    for page in result:
        fronts, backs = page.side("front"), page.side("back")
        assert [p.index for p in fronts] == [p.index for p in backs]
        for front, back in zip(fronts, backs, strict=True):
            assert front.box.right <= middle + 1e-6
            assert back.box.x >= middle - 1e-6
            assert turned_over(back.box, "long") == pytest.approx(as_tuple(front.box))
    assert result[0].marks_area == Box(0, 0, middle, A4.height)
    assert result[0].bleed_area.x == middle
    assert result[0].bleed_area.right == A4.printable_area().right


def test_the_back_offset_moves_the_backs_only():
    plain = plan(6)
    moved = plan(6, back_offset=(1 * MM, -0.5 * MM))
    assert moved[0] == plain[0]
    for before, after in zip(plain[1].placements, moved[1].placements, strict=True):
        assert after.box.x == pytest.approx(before.box.x + 1 * MM)
        assert after.box.y == pytest.approx(before.box.y - 0.5 * MM)
        assert (after.box.width, after.box.height) == (before.box.width, before.box.height)


def test_a_folded_sheet_has_no_printer_offset_to_correct():
    assert plan(6, mode="fold", back_offset=(2 * MM, 2 * MM)) == plan(6, mode="fold")


def test_pages_of_a_sheet_mark_and_colour_the_whole_page():
    fronts, backs = plan(6)
    assert fronts.marks_area == Box(0, 0, A4.width, A4.height)
    assert backs.bleed_area == A4.printable_area()


def test_the_bleed_runs_past_the_card_but_stays_inside_the_limit():
    limit = Box(10, 10, 100, 100)
    assert bleed_box(Box(50, 50, 20, 20), 3, limit) == Box(47, 47, 26, 26)
    assert bleed_box(Box(8, 50, 20, 20), 3, limit) == Box(10, 47, 21, 26)
    assert bleed_box(Box(200, 50, 20, 20), 3, limit) is None


def test_the_sheet_note_names_the_sheet_and_how_to_print_it():
    double = Imposition(flip="short")
    fronts, backs = pages(A4, STOCK.grid(A4), 6, double)
    assert sheet_note("T", fronts, double) == (
        "T · sheet 1 of 1 · questions · Print at 100 % · double-sided · flip on short edge"
    )
    assert sheet_note("T", backs, double) == "T · sheet 1 of 1 · answers"
    manual = Imposition(mode="manual")
    _, fronts, backs = pages(A4, STOCK.grid(A4), 6, manual)
    assert sheet_note("T", fronts, manual).endswith(
        "questions · Print at 100 % · one-sided · answers after the last question sheet"
    )
    assert sheet_note("T", backs, manual).endswith(
        "answers · printed on the back of the question sheet"
    )
    fold = Imposition(mode="fold")
    assert "fold on the dashed line" in sheet_note("T", plan(1, mode="fold")[0], fold)


def test_a_fold_grid_is_the_left_half_of_the_stock_grid():
    grid = Imposition(mode="fold").grid(STOCKS["a4-3x3"], A4)
    assert (grid.columns, grid.rows) == (1, 3)
    assert grid.paper.width == A4.width / 2
    assert Imposition(mode="double").grid(STOCKS["a4-3x3"], A4) == STOCKS["a4-3x3"].grid(A4)


def test_folding_refuses_perforated_stock_and_cards_wider_than_half_the_paper():
    with pytest.raises(StockError, match="not on perforated card stock"):
        Imposition(mode="fold").grid(STOCKS["avery-c32011"], A4)
    wide = custom_stock(A4, card_width=120 * MM, card_height=80 * MM, columns=None, rows=None)
    with pytest.raises(StockError, match="do not fit on half a A4 sheet"):
        Imposition(mode="fold").grid(wide, A4)


@pytest.mark.parametrize(
    ("stock", "choice", "marks"),
    [
        ("a4-2x3", "auto", "lines"),
        ("avery-c32011", "auto", "crop"),
        ("avery-c32011", "lines", "lines"),
        ("a4-2x3", "none", "none"),
    ],
)
def test_auto_cut_marks_are_lines_on_plain_paper_and_crop_marks_on_perforated_stock(
    stock, choice, marks
):
    assert cut_marks_for(STOCKS[stock], choice) == marks


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"mode": "twice"}, "mode must be one of double, manual, fold"),
        ({"flip": "sideways"}, "flip must be one of long, short"),
        ({"marks": "auto"}, "marks must be one of lines, crop, none"),
        ({"bleed": -1}, "the bleed cannot be negative"),
    ],
)
def test_settings_are_checked_when_made(settings, message):
    with pytest.raises(ValueError, match=message):
        Imposition(**settings)


@pytest.mark.parametrize("mode", ["double", "manual", "fold"])
def test_impose_draws_every_placement_through_the_layouts_callback(mode):
    imposition = Imposition(mode=mode, back_color=(1.0, 0.9, 0.7))
    grid = imposition.grid(STOCK, A4)
    drawn = []
    doc = PdfDocument(A4, title="T")

    def draw_face(_doc, box, index, side):
        drawn.append(Placement(index, side, box))

    impose(doc, "T", grid, 8, draw_face, imposition)
    planned = [p for page in pages(A4, grid, 8, imposition) for p in page.placements]
    assert drawn == planned
    assert doc.pages == len(pages(A4, grid, 8, imposition))


def test_a_grid_made_for_another_mode_is_refused():
    with pytest.raises(ValueError, match="not on a4 paper for fold mode"):
        pages(A4, STOCK.grid(A4), 6, Imposition(mode="fold"))
