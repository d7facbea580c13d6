"""The flashcards layout, checked on the PDF as a person holding the printed sheet would."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from conftest import MM, PAPER_SIZES, squash

from printkit.deck import load_deck


def cells_from_cut_lines(page) -> list[tuple[float, float, float, float]]:
    """Card cells (x0, top, x1, bottom), row by row, read from the cut lines on a front page."""
    xs = sorted(
        {round(line["x0"], 2) for line in page.lines if abs(line["x0"] - line["x1"]) < 0.01}
    )
    ys = sorted(
        {round(line["top"], 2) for line in page.lines if abs(line["top"] - line["bottom"]) < 0.01}
    )
    return [(x0, y0, x1, y1) for y0, y1 in pairwise(ys) for x0, x1 in pairwise(xs)]


def mirrored(cell, width: float, height: float, flip: str):
    x0, top, x1, bottom = cell
    if flip == "long":
        return (width - x1, top, width - x0, bottom)
    return (x0, height - bottom, x1, height - top)


def text_in(page, cell) -> str:
    return squash(page.within_bbox(cell).extract_text(x_tolerance=1))


def is_inside(char, cell) -> bool:
    x0, top, x1, bottom = cell
    return char["x0"] >= x0 and char["x1"] <= x1 and char["top"] >= top and char["bottom"] <= bottom


def chars_in(page, cell):
    return [c for c in page.chars if is_inside(c, cell)]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("flip", ["long", "short"])
def test_every_answer_prints_behind_its_question(run, tmp_path, seed_deck, paper, flip):
    result = run(
        "build",
        seed_deck,
        "--out",
        tmp_path,
        "--paper",
        paper,
        "--flip",
        flip,
        "--layout",
        "flashcards",
    )
    assert result.exit_code == 0, result.output
    deck = load_deck(seed_deck)
    pdf_path = tmp_path / "stalin-foreign-policy-flashcards.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == 2  # six cards: one sheet, front and back
        front, back = pdf.pages
        width, height = PAPER_SIZES[paper]
        assert (float(front.width), float(front.height)) == pytest.approx((width, height), abs=0.01)
        cells = cells_from_cut_lines(front)
        assert len(cells) == 6
        for card, cell in zip(deck.cards, cells, strict=True):
            assert text_in(front, cell) == squash(
                f"{card.number} {deck.subject} {card.question} {deck.title}"
            )
            bullet = "• " if card.is_list else ""
            answer = " ".join(bullet + point for point in card.answer)
            assert text_in(back, mirrored(cell, width, height, flip)) == squash(
                f"{card.number} {answer}"
            )
            # The seed deck's text is 8 pt or larger everywhere but the small labels.
            body = [
                c
                for c in chars_in(front, cell) + chars_in(back, mirrored(cell, width, height, flip))
                if c["size"] > 7
            ]
            assert min(c["size"] for c in body) >= 8


def is_crop_mark(line, cells, page) -> bool:
    """A crop mark: a line outside the grid of cards, carrying a card edge out to the page edge.
    Crop marks are the one exception to the 5 mm rule: a printer that cannot print there drops
    that part, and the part it prints survives the first cut."""
    left, top = min(c[0] for c in cells), min(c[1] for c in cells)
    right, bottom = max(c[2] for c in cells), max(c[3] for c in cells)
    xs = {round(c[0], 2) for c in cells} | {round(c[2], 2) for c in cells}
    ys = {round(c[1], 2) for c in cells} | {round(c[3], 2) for c in cells}
    width, height = float(page.width), float(page.height)
    if abs(line["x0"] - line["x1"]) < 0.01:  # vertical: above or below the grid
        return round(line["x0"], 2) in xs and (
            (line["bottom"] <= top + 0.01 and line["top"] <= 0.01)
            or (line["top"] >= bottom - 0.01 and line["bottom"] >= height - 0.01)
        )
    return round(line["top"], 2) in ys and (
        (line["x1"] <= left + 0.01 and line["x0"] <= 0.01)
        or (line["x0"] >= right - 0.01 and line["x1"] >= width - 0.01)
    )


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_ink_within_5mm_of_the_edge_and_text_inside_cards(run, tmp_path, seed_deck, paper):
    run("build", seed_deck, "--out", tmp_path, "--paper", paper, "--layout", "flashcards")
    with pdfplumber.open(tmp_path / "stalin-foreign-policy-flashcards.pdf") as pdf:
        front = pdf.pages[0]
        cells = cells_from_cut_lines(front)
        crop_marks = [line for line in front.lines if is_crop_mark(line, cells, front)]
        assert len(crop_marks) == 2 * (3 + 4)  # every card edge, at both ends, on the front
        for page in pdf.pages:
            objects = (
                page.chars
                + page.rects
                + [line for line in page.lines if not is_crop_mark(line, cells, page)]
            )
            assert objects
            for obj in objects:
                assert obj["x0"] >= 5 * MM - 0.01 and obj["x1"] <= float(page.width) - 5 * MM + 0.01
                assert (
                    obj["top"] >= 5 * MM - 0.01
                    and obj["bottom"] <= float(page.height) - 5 * MM + 0.01
                )
            grid_bottom = max(cell[3] for cell in cells)
            for char in page.chars:
                inside = any(is_inside(char, cell) for cell in cells)
                # The only text outside the cards is the one-line sheet note under the grid.
                assert inside or char["top"] > grid_bottom
        assert not pdf.pages[1].lines  # no cut guides on the backs, where they would show


def test_partly_filled_last_sheet_still_matches(run, tmp_path, write_deck):
    cards = "\n".join(f"  - question: Question {i}\n    answer: Answer {i}" for i in range(1, 9))
    deck = write_deck(f"title: Eight\ncards:\n{cards}\n")
    assert run("build", deck, "--out", tmp_path).exit_code == 0
    with pdfplumber.open(tmp_path / "deck-flashcards.pdf") as pdf:
        assert len(pdf.pages) == 4
        front, back = pdf.pages[2], pdf.pages[3]
        width, height = float(front.width), float(front.height)
        cells = cells_from_cut_lines(front)
        assert [text_in(front, cell) for cell in cells] == [
            "7 Question 7 Eight",
            "8 Question 8 Eight",
            "",
            "",
            "",
            "",
        ]
        backs = [text_in(back, mirrored(cell, width, height, "long")) for cell in cells]
        assert backs == ["7 Answer 7", "8 Answer 8", "", "", "", ""]


def test_reminder_and_viewer_preferences(run, tmp_path, seed_deck):
    from pypdf import PdfReader

    run("build", seed_deck, "--out", tmp_path, "--flip", "short", "--layout", "flashcards")
    reader = PdfReader(tmp_path / "stalin-foreign-policy-flashcards.pdf")
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge"
    assert "Print at 100 % · double-sided · flip on short edge" in reader.pages[0].extract_text()


def test_unicode_prints_as_real_glyphs_from_an_embedded_font(run, tmp_path, write_deck):
    from pypdf import PdfReader

    question = "Ελληνικά, кириллица, café — “quotes” → ≤ ≠ √ π ∑"
    deck = write_deck(f"title: Unicode\ncards:\n  - question: {question}\n    answer: Ω ≈ 3·π\n")
    assert run("build", deck, "--out", tmp_path, "--layout", "flashcards").exit_code == 0
    pdf_path = tmp_path / "deck-flashcards.pdf"
    with pdfplumber.open(pdf_path) as pdf:
        assert squash(question) in squash(pdf.pages[0].extract_text())
        assert "Ω ≈ 3·π" in pdf.pages[1].extract_text()
    reader = PdfReader(pdf_path)
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descendant = (
            font.get_object()["/DescendantFonts"][0].get_object()
            if "/DescendantFonts" in font.get_object()
            else font.get_object()
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert (
            "/FontFile2" in descriptor
        )  # embedded TrueType: nothing depends on the printer's fonts


def test_a_card_too_long_even_at_6pt_is_an_error_naming_it(run, tmp_path, write_deck):
    long_answer = " ".join(["word"] * 3000)
    deck = write_deck(
        f"title: Long\ncards:\n  - question: Short one\n    answer: ok\n  - question: Too long\n    answer: {long_answer}\n"
    )
    result = run("build", deck, "--out", tmp_path, "--layout", "flashcards")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}:5: the answer of card 2 (“Too long”) does not fit on a 95 × 92 mm card even at 6 pt; "
        "shorten it, split it into two cards, or use bigger cards (another stock: printkit stocks)\n"
    )
    assert not (tmp_path / "deck-flashcards.pdf").exists()


def test_very_long_word_breaks_instead_of_overflowing(run, tmp_path, write_deck):
    url = "https://example.org/" + "a-very-long-path-segment/" * 12
    deck = write_deck(f"title: URL\ncards:\n  - question: Where?\n    answer: {url}\n")
    assert run("build", deck, "--out", tmp_path, "--layout", "flashcards").exit_code == 0
    with pdfplumber.open(tmp_path / "deck-flashcards.pdf") as pdf:
        back = pdf.pages[1]
        cells = cells_from_cut_lines(pdf.pages[0])
        cell = mirrored(cells[0], float(back.width), float(back.height), "long")
        inside = "".join(c["text"] for c in chars_in(back, cell))
        assert url in inside.replace(" ", "")
        assert all(c in chars_in(back, cell) for c in back.chars if c["text"] in "/-")


def test_flashcards_layout_options_change_the_grid(run, tmp_path, seed_deck):
    assert (
        run(
            "build",
            seed_deck,
            "--out",
            tmp_path,
            "--set",
            "flashcards.rows=2",
            "--set",
            "columns=1",
            "--layout",
            "flashcards",
        ).exit_code
        == 0
    )
    with pdfplumber.open(tmp_path / "stalin-foreign-policy-flashcards.pdf") as pdf:
        assert len(pdf.pages) == 6
        assert len(cells_from_cut_lines(pdf.pages[0])) == 2


def test_pdf_path_is_named_after_the_deck_and_layout(run, tmp_path, seed_deck):
    result = run("build", seed_deck, "--out", tmp_path, "--layout", "flashcards")
    assert result.output == f"wrote {tmp_path / 'stalin-foreign-policy-flashcards.pdf'} (2 pages)\n"
    assert Path(tmp_path / "stalin-foreign-policy-flashcards.pdf").read_bytes().startswith(b"%PDF-")
