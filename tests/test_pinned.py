"""Behaviours a review's mutations showed untested (issue 14), each pinned on the printed result
or on a pure function: what a teacher holding the sheet would notice if it broke."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import MM
from test_flashcards import cells_from_cut_lines, chars_in, mirrored
from test_summary import regions, text_of
from test_worksheet import headings

from printkit.deck import load_deck
from printkit.errors import DeckError

LABEL = 6.5  # the size of the small card labels (number, subject, deck title)


def flashcards(run, deck, out, *settings: str) -> pdfplumber.PDF:
    args = [a for s in settings for a in ("--set", s)]
    result = run("build", deck, "--out", out, "--layout", "flashcards", *args)
    assert result.exit_code == 0, result.output
    return pdfplumber.open(out / f"{deck.stem}-flashcards.pdf")


LONG = " ".join(["photosynthesis makes sugar from light"] * 14)


def test_text_never_comes_within_5mm_of_a_card_edge(run, tmp_path, write_deck):
    deck = write_deck(
        "title: Padding\nsubject: Biology\ncards:\n"
        f"  - question: {LONG}\n    answer: {LONG}\n"
        "  - question: Short\n    answer:\n" + "".join(f"      - {LONG[:90]}\n" for _ in range(4))
    )
    with flashcards(run, deck, tmp_path) as pdf:
        front, back = pdf.pages
        width, height = float(front.width), float(front.height)
        for cell in cells_from_cut_lines(front)[:2]:
            for page, box in ((front, cell), (back, mirrored(cell, width, height, "long"))):
                chars = chars_in(page, box)
                assert chars
                x0, top, x1, bottom = box
                for c in chars:
                    assert c["x0"] >= x0 + 5 * MM - 0.1 and c["x1"] <= x1 - 5 * MM + 0.1
                    assert c["top"] >= top + 5 * MM - 0.1 and c["bottom"] <= bottom - 5 * MM + 0.1


def test_a_long_question_keeps_clear_of_the_deck_title_at_the_card_foot(run, tmp_path, write_deck):
    deck = write_deck(
        f"title: Plants and light\ncards:\n  - question: {LONG} {LONG}\n    answer: ok\n"
    )
    with flashcards(run, deck, tmp_path) as pdf:
        front = pdf.pages[0]
        cell = cells_from_cut_lines(front)[0]
        middle = (cell[1] + cell[3]) / 2
        chars = chars_in(front, cell)
        labels = [c for c in chars if c["size"] == pytest.approx(LABEL)]
        number = [c for c in labels if c["top"] < middle]
        title = [c for c in labels if c["top"] > middle]
        question = [c for c in chars if c["size"] > LABEL + 0.01]
        assert "".join(c["text"] for c in number) == "1"
        assert "".join(c["text"] for c in title) == "Plants and light"
        assert len(question) > 600  # long enough to fill the card from label to label
        space_below = min(c["top"] for c in title) - max(c["bottom"] for c in question)
        space_above = min(c["top"] for c in question) - max(c["bottom"] for c in number)
        assert space_below > 0
        # Centred between the number and the title: the question does not sag towards the title.
        assert space_below == pytest.approx(space_above, abs=3.0)


def test_cut_marks_auto_prints_crop_marks_on_perforated_stock_and_lines_on_plain(
    run, tmp_path, write_deck
):
    deck = write_deck("title: Marks\ncards:\n  - question: Q\n    answer: A\n")

    def lines_crossing_the_cards(*settings):
        with flashcards(run, deck, tmp_path, *settings) as pdf:
            page = pdf.pages[0]
            width, height = float(page.width), float(page.height)
            assert page.lines
            # A crop mark stays in the margin; a cut line runs through the middle of the sheet.
            return [
                line
                for line in page.lines
                if line["x0"] < width / 2 < line["x1"] or line["top"] < height / 2 < line["bottom"]
            ]

    assert lines_crossing_the_cards("stock=avery-5371") == []
    assert lines_crossing_the_cards("stock=avery-5371", "cut_marks=lines") != []
    assert lines_crossing_the_cards("stock=letter-2x3") != []
    assert lines_crossing_the_cards("stock=a4-2x3") != []


def test_a_short_list_answer_is_centred_as_a_block(run, tmp_path, write_deck):
    deck = write_deck(
        "title: Colours\ncards:\n  - question: Primary colours of light?\n"
        "    answer:\n      - Red\n      - Green\n      - Blue light\n"
    )
    with flashcards(run, deck, tmp_path) as pdf:
        front, back = pdf.pages
        cell = mirrored(
            cells_from_cut_lines(front)[0], float(back.width), float(back.height), "long"
        )
        answer = [c for c in chars_in(back, cell) if c["size"] > LABEL + 0.01]
        assert "".join(c["text"] for c in answer).replace(" ", "") == "•Red•Green•Bluelight"
        bullets = [c for c in answer if c["text"] == "•"]
        assert max(b["x0"] for b in bullets) - min(b["x0"] for b in bullets) < 0.1  # one column
        left = min(c["x0"] for c in answer) - cell[0]
        right = cell[2] - max(c["x1"] for c in answer)
        assert left > 20 * MM  # not hugging the left edge
        assert left == pytest.approx(right, abs=1.0)


def test_back_colour_bleed_stays_inside_the_printable_area(run, tmp_path, write_deck):
    cards = "".join(f"  - question: Q{i}\n    answer: A{i}\n" for i in range(4))
    deck = write_deck(f"title: Bleed\ncards:\n{cards}")
    # A6 cards fill the A4 sheet to its edges: their bleed would run off the paper.
    with flashcards(run, deck, tmp_path, "stock=a6", "back_color=#ff0000", "bleed=5mm") as pdf:
        back = pdf.pages[1]
        width, height = float(back.width), float(back.height)
        red = [r for r in back.rects if r["fill"] and tuple(r["non_stroking_color"]) == (1, 0, 0)]
        assert len(red) == 4
        for r in red:
            assert r["x0"] >= 5 * MM - 0.01 and r["x1"] <= width - 5 * MM + 0.01
            assert r["top"] >= 5 * MM - 0.01 and r["bottom"] <= height - 5 * MM + 0.01
        # Still bled where there is room: the four backs meet with no white cross between them.
        assert (
            sum(r["width"] * r["height"] for r in red) >= (width - 10 * MM) * (height - 10 * MM) - 1
        )


@pytest.mark.parametrize(("lines", "ok"), [(60, True), (61, False)])
def test_lines_60_is_accepted_and_61_refused(write_deck, lines, ok):
    deck = write_deck(f"title: Lines\ncards:\n  - question: Q\n    answer: A\n    lines: {lines}\n")
    if ok:
        assert load_deck(deck).cards[0].lines == 60
    else:
        with pytest.raises(DeckError) as caught:
            load_deck(deck)
        assert "lines: of card 1 must be at most 60 (two pages of lines), not 61" in str(
            caught.value
        )


def test_a_line_of_small_text_never_touches_a_line_of_large_text():
    from reportlab.pdfbase import pdfmetrics

    from printkit import fonts
    from printkit.content.markup import parse
    from printkit.text import Paragraph, layout_text

    fonts.register_fonts()
    ascent, descent = pdfmetrics.getAscentDescent(fonts.REGULAR, 1.0)  # the font's own metrics
    # Plain lines, and rich ones (with styled runs: the other path through the layout).
    cases = [
        (upper, lower, inlines)
        for upper, lower in ((3.0, 0.3), (0.3, 3.0), (2.5, 1.0))
        for inlines in ((), parse("*Big* gyp ÉÂ").blocks[0].inlines)
    ]
    for upper, lower, inlines in cases:
        paragraphs = [
            Paragraph("Big gyp ÉÂ", scale=upper, inlines=inlines),
            Paragraph("Big gyp ÉÂ", scale=lower, inlines=inlines),
        ]
        block = layout_text(paragraphs, 400, 10.0, leading=1.0, paragraph_gap=0.0)
        first, second = block.lines
        # The lowest descender of the upper line is above the highest accent of the lower one.
        assert first.baseline + abs(descent) * first.size <= (
            second.baseline - ascent * second.size + 1e-6
        )


def test_text_that_fits_only_at_exactly_6pt_is_set_at_6pt_and_a_hair_less_room_refuses_it():
    from printkit.text import Paragraph, TextDoesNotFit, fit_text, layout_text

    paragraphs = [Paragraph(" ".join(["revision"] * 120), align="center")]
    at_floor = layout_text(paragraphs, 150, 6.0)
    block = fit_text(paragraphs, 150, at_floor.height, max_size=14, min_size=6)
    assert block.size == 6.0
    assert block.height <= at_floor.height
    with pytest.raises(TextDoesNotFit):
        fit_text(paragraphs, 150, at_floor.height - 0.01, max_size=14, min_size=6)


def test_the_longest_flashcard_answer_accepted_is_printed_at_6pt(run, tmp_path, write_deck):
    def deck_of(words: int):
        answer = " ".join(["word"] * words)
        return write_deck(f"title: Floor\ncards:\n  - question: Q\n    answer: {answer}\n")

    def builds(words: int) -> bool:
        return (
            run("build", deck_of(words), "--out", tmp_path, "--layout", "flashcards").exit_code == 0
        )

    low, high = 1, 3000  # 1 word fits; 3000 do not even at 6 pt
    assert builds(low) and not builds(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if builds(middle) else (low, middle)
    # The most that fits is set at the floor, not refused and not left bigger.
    with flashcards(run, deck_of(low), tmp_path) as pdf:
        sizes = {c["size"] for c in pdf.pages[1].chars if c["size"] != pytest.approx(LABEL)}
        assert sizes and all(s == pytest.approx(6.0) for s in sizes)
    deck = deck_of(high)
    result = run("build", deck, "--out", tmp_path, "--layout", "flashcards")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}:3: the answer of card 1 (“Q”) does not fit on a 95 × 92 mm card even "
        "at 6 pt; shorten it, split it into two cards, or use bigger cards "
        "(another stock: printkit stocks)\n"
    )


# --- the one-page summary ---------------------------------------------------------------------

SHORT_CARDS = "".join(
    f"  - question: Question {i} about cells?\n"
    f"    answer: Answer {i} is one fairly short sentence about cells.\n"
    for i in range(1, 7)
)


def summary_page(run, tmp_path, write_deck):
    deck = write_deck(f"title: Cells\ncards:\n{SHORT_CARDS}")
    result = run("build", deck, "--out", tmp_path, "--layout", "summary")
    assert result.exit_code == 0, result.output
    return pdfplumber.open(tmp_path / "deck-summary.pdf")


def test_the_summary_prefers_portrait_when_both_fit(run, tmp_path, write_deck):
    # Six short cards fit at the largest size both ways; landscape's two columns (about 33 em)
    # are even nearer the ideal width than portrait's (22 em): only the preference decides.
    with summary_page(run, tmp_path, write_deck) as pdf:
        page = pdf.pages[0]
        assert float(page.height) > float(page.width)
        _, _, footer = regions(page)
        assert text_of(page, footer) == ("text 12 pt · 2 columns · portrait A4 · print at 100 %")


def test_the_summary_balances_its_columns(run, tmp_path, write_deck):
    # Six cards of one height would all fit in the first column; balanced, each column takes
    # three, in reading order, and the two end level (not one full and one empty).
    with summary_page(run, tmp_path, write_deck) as pdf:
        page = pdf.pages[0]
        _, columns, _ = regions(page)
        assert len(columns) == 2
        left, right = (text_of(page, column) for column in columns)
        assert [f"Question {i} " in left for i in range(1, 7)] == [True] * 3 + [False] * 3
        assert [f"Question {i} " in right for i in range(1, 7)] == [False] * 3 + [True] * 3
        bottoms = [max(c["bottom"] for c in column) for column in columns]
        assert abs(bottoms[0] - bottoms[1]) < 1


# --- worksheets --------------------------------------------------------------------------------


def line_shares(pdf_path) -> list[tuple[int, int, int]]:
    """(page, question, writing lines) for each part of a question on a page, a question that
    continues over a page break counting once on each page."""
    shares: list[list[int]] = []
    current = None
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            events = [(top, number) for number, top in headings(page)]
            events += [
                (line["top"], 0)
                for line in page.lines
                if abs(line["top"] - line["bottom"]) < 0.5 and line["x1"] - line["x0"] > 100
            ]
            part = None
            for _, number in sorted(events):
                if number:
                    current, part = number, [index, number, 0]
                    shares.append(part)
                elif current is not None:
                    if part is None:  # the continuation of the question from the last page
                        part = [index, current, 0]
                        shares.append(part)
                    part[2] += 1
    return [tuple(share) for share in shares]


@pytest.mark.parametrize("lines_before", [5, 6])
def test_a_split_question_keeps_at_least_3_lines_on_each_page(
    run, tmp_path, write_deck, lines_before
):
    # Ten questions leave room for 2 (or 1) writing lines of the 30 of question 11 at the foot
    # of page 1: it must not start there with fewer than 3, nor leave fewer than 3 behind.
    cards = "".join(
        f"  - question: Question {i}?\n    answer: A\n    lines: {4 if i < 10 else lines_before}\n"
        for i in range(1, 11)
    )
    deck = write_deck(
        f"title: Split\ncards:\n{cards}  - question: Long?\n    answer: B\n    lines: 30\n"
    )
    result = run("build", deck, "--out", tmp_path, "--layout", "worksheet")
    assert result.exit_code == 0, result.output
    long = [
        (page, lines)
        for page, number, lines in line_shares(tmp_path / "deck-worksheet.pdf")
        if number == 11
    ]
    assert len(long) == 2  # it did run over a page break
    assert sum(lines for _, lines in long) == 30
    assert min(lines for _, lines in long) >= 3, long
