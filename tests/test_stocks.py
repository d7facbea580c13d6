"""Card stocks: geometry checked as pure data, then every stock built and read back from the PDF."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import MM, PAPER_SIZES

from printkit.paper import INCH, PAPERS
from printkit.stocks import STOCKS, Stock, StockError, parse_offset

STOCK_PAPERS = [
    (name, paper)
    for name, stock in STOCKS.items()
    for paper in ([stock.paper] if stock.paper else ["a4", "letter"])
]


def turned_over(box, paper, flip):
    """Where a box drawn on the back page physically lies once the sheet is turned over,
    in the front page's coordinates (x right, y up)."""
    if flip == "long":  # turned about the vertical axis: left and right swap
        return (paper.width - box.x - box.width, box.y, box.width, box.height)
    return (box.x, paper.height - box.y - box.height, box.width, box.height)


@pytest.mark.parametrize(("name", "paper_name"), STOCK_PAPERS)
@pytest.mark.parametrize("flip", ["long", "short"])
def test_every_card_is_on_the_paper_and_every_back_is_behind_its_front(name, paper_name, flip):
    paper = PAPERS[paper_name]
    grid = STOCKS[name].grid(paper)
    printable = paper.printable_area()
    assert len(grid.card_boxes()) == STOCKS[name].per_sheet
    for slot, box in enumerate(grid.card_boxes()):
        assert box.x >= 0 and box.right <= paper.width + 1e-6
        assert box.y >= 0 and box.top <= paper.height + 1e-6
        # A card may reach the paper edge (A6 on A4), but its ink stays 5 mm inside it.
        assert printable.contains(box.inset(5 * MM))
        back = turned_over(grid.back_box(slot, flip), paper, flip)
        front = (box.x, box.y, box.width, box.height)
        assert back == pytest.approx(front, abs=0.1 * MM)


def test_the_avery_stocks_match_the_manufacturers_templates():
    first = STOCKS["avery-5371"].grid(PAPERS["letter"]).card_boxes()
    assert (first[0].x, PAPERS["letter"].height - first[0].top) == pytest.approx(
        (0.75 * INCH, 0.5 * INCH)
    )
    assert (first[0].width, first[0].height) == pytest.approx((3.5 * INCH, 2 * INCH))
    assert len(first) == 10
    cards = STOCKS["avery-5388"].grid(PAPERS["letter"]).card_boxes()
    assert [c.x for c in cards] == pytest.approx([1.75 * INCH] * 3)
    assert [11 * INCH - c.top for c in cards] == pytest.approx([1 * INCH, 4 * INCH, 7 * INCH])
    cards = STOCKS["avery-c32011"].grid(PAPERS["a4"]).card_boxes()
    assert (cards[0].x, 297 * MM - cards[0].top) == pytest.approx((15 * MM, 13.5 * MM))
    assert cards[1].x - cards[0].right == pytest.approx(10 * MM)  # the column gap
    assert cards[2].top == pytest.approx(cards[0].y)  # rows touch


@pytest.mark.parametrize("flip", ["long", "short"])
def test_an_off_centre_template_mirrors_about_the_paper_centre(flip):
    """An asymmetric template: the backs land behind their fronts, which on the back page is
    not where the template's own slots are."""
    paper = PAPERS["a4"]
    stock = Stock("odd", "test", 80 * MM, 50 * MM, 2, 3, paper="a4", margins=(10 * MM, 20 * MM))
    grid = stock.grid(paper)
    slots = {(round(b.x, 3), round(b.y, 3)) for b in grid.card_boxes()}
    for slot, box in enumerate(grid.card_boxes()):
        back = grid.back_box(slot, flip)
        assert turned_over(back, paper, flip) == pytest.approx(
            (box.x, box.y, box.width, box.height), abs=0.1 * MM
        )
        assert (round(back.x, 3), round(back.y, 3)) not in slots


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"card_width": 110 * MM, "card_height": 60 * MM, "columns": 2, "rows": 5},
            "2 × 5 cards of 110 × 60 mm need 220 × 300 mm, more than A4 paper (210 × 297 mm); "
            "use smaller cards, fewer columns or rows, or a smaller gap",
        ),
        (
            {"card_width": 15 * MM, "card_height": 15 * MM, "columns": 2, "rows": 2},
            "cards of 15 × 15 mm are too small: text stays 5 mm inside each edge, so a card "
            "needs to be at least 20 mm in both directions",
        ),
    ],
)
def test_a_stock_that_does_not_fit_is_one_clear_sentence(kwargs, message):
    stock = Stock(
        "custom",
        "test",
        kwargs.pop("card_width"),
        kwargs.pop("card_height"),
        kwargs.pop("columns"),
        kwargs.pop("rows"),
        **kwargs,
    )
    with pytest.raises(StockError) as error:
        stock.grid(PAPERS["a4"])
    assert str(error.value) == message


def test_perforated_stock_refuses_a_gap():
    with pytest.raises(StockError, match="avery-5371 is perforated card stock"):
        STOCKS["avery-5371"].grid(PAPERS["letter"], extra_gap=3 * MM)


@pytest.mark.parametrize(
    ("text", "mm"), [("1.5,-2", (1.5, -2)), (" -0.5 , 3 ", (-0.5, 3)), ("1mm,2mm", (1, 2))]
)
def test_back_offsets_are_read_in_mm(text, mm):
    assert parse_offset(text) == pytest.approx((mm[0] * MM, mm[1] * MM))


@pytest.mark.parametrize("text", ["1.5", "a,b", "6,0", "1;2;3"])
def test_bad_back_offsets_are_refused(text):
    with pytest.raises(ValueError):
        parse_offset(text)


# -- every stock, built and read back --------------------------------------------------------

SHORT_DECK = "title: Short\ncards:\n" + "".join(
    f"  - question: Question {i}\n    answer: Answer {i}\n" for i in range(1, 13)
)


def back_chars(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages[1::2]
        return [[(c["text"], c["x0"], c["top"]) for c in page.chars] for page in pages]


@pytest.mark.parametrize(("name", "paper"), STOCK_PAPERS)
@pytest.mark.parametrize("flip", ["long", "short"])
def test_every_stock_builds_and_the_back_offset_moves_only_the_backs(
    run, tmp_path, write_deck, name, paper, flip
):
    deck = write_deck(SHORT_DECK)
    common = [
        "build",
        deck,
        "--layout",
        "flashcards",
        "--stock",
        name,
        "--paper",
        paper,
        "--flip",
        flip,
    ]
    assert run(*common, "--out", tmp_path / "plain").exit_code == 0
    result = run(*common, "--out", tmp_path / "moved", "--back-offset", "1.5,-2")
    assert result.exit_code == 0, result.output
    plain, moved = tmp_path / "plain/deck-flashcards.pdf", tmp_path / "moved/deck-flashcards.pdf"
    with pdfplumber.open(plain) as a, pdfplumber.open(moved) as b:
        width, height = PAPER_SIZES[paper]
        assert (float(a.pages[0].width), float(a.pages[0].height)) == pytest.approx(
            (width, height), abs=0.01
        )
        for front_a, front_b in zip(a.pages[0::2], b.pages[0::2], strict=True):
            assert front_a.chars == front_b.chars  # fronts do not move
    for page_a, page_b in zip(back_chars(plain), back_chars(moved), strict=True):
        moved_text = ""
        for (text, x_a, top_a), (_, x_b, top_b) in zip(page_a, page_b, strict=True):
            if (x_a, top_a) == (x_b, top_b):
                continue  # the sheet note in the margin stays put
            # 1.5 mm right; 2 mm down is 2 mm further from the top in pdfplumber's coordinates.
            assert x_b - x_a == pytest.approx(1.5 * MM, abs=0.01)
            assert top_b - top_a == pytest.approx(2 * MM, abs=0.01)
            moved_text += text
        assert "Answer" in moved_text


def test_the_seed_deck_builds_on_every_stock(run, tmp_path, seed_deck):
    for name, paper in STOCK_PAPERS:
        result = run(
            "build",
            seed_deck,
            "--layout",
            "flashcards",
            "--stock",
            name,
            "--paper",
            paper,
            "--out",
            tmp_path / name,
        )
        assert result.exit_code == 0, result.output
        with pdfplumber.open(tmp_path / name / "stalin-foreign-policy-flashcards.pdf") as pdf:
            # Every card's text at the 6 pt floor or above, even on business cards.
            sizes = [c["size"] for page in pdf.pages for c in page.chars]
            assert min(sizes) >= 6 - 0.01
