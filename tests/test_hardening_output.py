"""Output an attack on printkit found wrong (issue 14): ink where it belongs, paper not wasted."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import MM, squash
from pypdf import PdfReader


def overlaps(a, b, pad: float = 0.0) -> bool:
    """Whether two pdfplumber objects' boxes (x0, top, x1, bottom) meet."""
    return (
        a["x0"] < b["x1"] + pad
        and b["x0"] < a["x1"] + pad
        and a["top"] < b["bottom"] + pad
        and b["top"] < a["bottom"] + pad
    )


def test_manual_duplex_instructions_stay_on_the_page_with_a_long_title(run, tmp_path, write_deck):
    title = "A very long deck title about the causes of the war " * 80
    deck = write_deck(f"title: {title.strip()}\ncards:\n  - question: Q\n    answer: A\n")
    result = run("build", deck, "--out", tmp_path, "--layout", "flashcards", "--duplex", "manual")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "deck-flashcards.pdf") as pdf:
        page = pdf.pages[0]
        assert page.chars
        for char in page.chars:
            assert char["top"] >= 5 * MM and char["bottom"] <= float(page.height) - 5 * MM
        text = squash(page.extract_text())
        assert "Print page 2 (the questions)" in text
        assert text.endswith("print page 2, put it back in, print page 3.")


def test_calibrate_short_flip_keeps_the_back_crosses_off_the_text_and_ruler(run, tmp_path):
    out = tmp_path / "cal.pdf"
    assert run("calibrate", "--flip", "short", "-o", out).exit_code == 0
    with pdfplumber.open(out) as pdf:
        back = pdf.pages[1]
        arm = 2.6 * MM
        crosses = [
            line
            for line in back.lines
            if abs(max(line["x1"] - line["x0"], line["bottom"] - line["top"]) - 2 * arm) < 0.01
        ]
        assert len(crosses) == 2 * 13 * 13
        ruler = [line for line in back.lines if line not in crosses]
        assert any(line["x1"] - line["x0"] > 99 * MM for line in ruler)
        for cross in crosses:
            for thing in back.chars + ruler:
                assert not overlaps(cross, thing, pad=0.5 * MM), thing.get("text", "ruler")


SIX = "title: Six\ncards:\n" + "".join(
    f"  - question: Question {i}\n    answer: Answer {i}\n" for i in range(1, 7)
)


def note_chars(page):
    """The characters of the sheet note: the line holding 'sheet 1 of'."""
    sheet = next(w for w in page.extract_words() if w["text"] == "sheet")
    return [c for c in page.chars if abs(c["top"] - sheet["top"]) < 1]


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--set", "cut_marks=crop"),
        ("--set", "gap=3mm"),
        ("--set", "gap=3mm", "--duplex", "fold"),
        ("--set", "gap=6mm", "--set", "cut_marks=crop"),
    ],
)
def test_marks_stop_short_of_the_sheet_note_and_a_gap_keeps_it(run, tmp_path, write_deck, args):
    deck = write_deck(SIX)
    result = run("build", deck, "--out", tmp_path, "--layout", "flashcards", *args)
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "deck-flashcards.pdf") as pdf:
        for page in pdf.pages:
            note = note_chars(page)  # on every page: a gap no longer removes it
            for line in page.lines:
                for char in note:
                    assert not overlaps(line, char), "".join(c["text"] for c in note)


def worksheet_deck(write_deck, lines: list[int]):
    return write_deck(
        "title: W\ncards:\n"
        + "".join(
            f"  - question: Question {i}\n    answer: A\n    lines: {n}\n"
            for i, n in enumerate(lines, start=1)
        )
    )


def page_numbers(pdf) -> list[list[str]]:
    """The question numbers ("1.") on each page, and "continued" where a question goes on."""
    return [
        [
            w["text"]
            for w in page.extract_words()
            if w["text"] == "continued" or (w["text"][:-1].isdigit() and w["text"][-1] == ".")
        ]
        for page in pdf.pages
    ]


def test_a_worksheet_closes_its_gaps_rather_than_print_one_question_on_a_last_page(
    run, tmp_path, write_deck
):
    deck = worksheet_deck(write_deck, [2] * 8 + [1])  # 9. alone on page 2 with 6 mm gaps
    assert run("build", deck, "--out", tmp_path, "--layout", "worksheet").exit_code == 0
    with pdfplumber.open(tmp_path / "deck-worksheet.pdf") as pdf:
        assert page_numbers(pdf) == [[f"{i}." for i in range(1, 10)]]


def test_wide_spacing_moves_a_question_whole_when_it_fits_on_the_next_page(
    run, tmp_path, write_deck
):
    deck = worksheet_deck(write_deck, [2, 2, 2, 2, 2, 8, 3])  # 6. was split over the pages
    args = ("--layout", "worksheet", "--set", "spacing=wide")
    assert run("build", deck, "--out", tmp_path, *args).exit_code == 0
    with pdfplumber.open(tmp_path / "deck-worksheet.pdf") as pdf:
        assert page_numbers(pdf) == [["1.", "2.", "3.", "4.", "5."], ["6.", "7."]]


def test_the_answer_key_balances_the_columns_of_its_last_page(run, tmp_path, write_deck):
    cards = "".join(
        f"  - question: Question {i}\n    answer:\n      - First point {i}\n"
        f"      - Second point {i}\n"
        for i in range(1, 13)
    )
    deck = write_deck(f"title: Key\ncards:\n{cards}")
    assert run("build", deck, "--out", tmp_path, "--layout", "answers").exit_code == 0
    with pdfplumber.open(tmp_path / "deck-answers.pdf") as pdf:
        (page,) = pdf.pages
        middle = float(page.width) / 2
        body = [
            w for w in page.extract_words() if 60 * MM < w["top"] < float(page.height) - 20 * MM
        ]
        left = [w["bottom"] for w in body if w["x1"] < middle]
        right = [w["bottom"] for w in body if w["x0"] > middle]
        assert left and right
        assert abs(max(left) - max(right)) < 12 * MM  # about one entry


def test_a_build_removes_its_own_stale_outputs_of_the_layout_and_nothing_else(
    run, tmp_path, write_deck
):
    deck = worksheet_deck(write_deck, [2, 2, 2])
    out = tmp_path / "out"
    build = ("build", deck, "--out", out, "--layout", "worksheet", "--layout", "answers")
    assert run(*build).exit_code == 0
    (out / "deck-worksheet-notes.pdf").write_bytes(b"mine")  # never written by printkit
    result = run(*build, "--versions", "3")
    assert result.exit_code == 0, result.output
    assert f"removed {out / 'deck-worksheet.pdf'} (an earlier build's, not made by this one)\n" in (
        result.output
    )
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == [
        *(f"deck-answers-{v}.pdf" for v in "ABC"),
        "deck-worksheet-A.pdf",
        "deck-worksheet-B.pdf",
        "deck-worksheet-C.pdf",
        "deck-worksheet-notes.pdf",
    ]
    (out / "deck-worksheet-B.pdf").write_bytes(b"changed by hand")
    result = run(*build)
    assert result.exit_code == 0
    assert result.output.count("removed ") == 5
    assert (
        f"Warning: {out / 'deck-worksheet-B.pdf'}: an earlier build of {deck} wrote this file and "
        "this one did not, but it was changed since, so it was kept; delete it if it is out of "
        "date\n" in result.output
    )
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "deck-answers.pdf",
        "deck-worksheet-B.pdf",
        "deck-worksheet-notes.pdf",
        "deck-worksheet.pdf",
    ]


def test_paper_set_in_the_deck_but_a_stock_on_other_paper_is_a_one_line_warning(
    run, tmp_path, write_deck
):
    deck = write_deck(
        "title: P\noptions:\n  paper: letter\n  flashcards:\n    stock: a6\n"
        "cards:\n  - question: Q\n    answer: A\n"
    )
    result = run("build", deck, "--out", tmp_path, "--layout", "flashcards", "--layout", "summary")
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: {deck}:3: paper is Letter, but the flashcards PDF is on A4 because its stock "
        "is made for it; choose a Letter stock (see printkit stocks) so all PDFs share one paper "
        "size\n"
    )
    quiet = run("build", deck, "--out", tmp_path / "b", "--layout", "flashcards", "--paper", "a4")
    assert quiet.exit_code == 0 and quiet.stderr == ""


@pytest.mark.parametrize(
    ("args", "file", "duplex"),
    [
        (("--layout", "flashcards"), "flashcards", "/DuplexFlipLongEdge"),
        (("--layout", "flashcards", "--flip", "short"), "flashcards", "/DuplexFlipShortEdge"),
        (("--layout", "flashcards", "--duplex", "manual"), "flashcards", "/Simplex"),
        (("--layout", "flashcards", "--duplex", "fold"), "flashcards", "/Simplex"),
        (("--layout", "worksheet"), "worksheet", "/DuplexFlipLongEdge"),
        (("--layout", "answers"), "answers", "/DuplexFlipLongEdge"),
        (("--layout", "quiz-key"), "quiz-key", "/DuplexFlipLongEdge"),
    ],
)
def test_each_pdf_asks_for_its_sides_and_declares_pdf_1_7_for_duplex(
    run, tmp_path, write_deck, args, file, duplex
):
    deck = worksheet_deck(write_deck, [2, 2])
    assert run("build", deck, "--out", tmp_path, *args).exit_code == 0
    path = tmp_path / f"deck-{file}.pdf"
    assert path.read_bytes().startswith(b"%PDF-1.7\n")
    prefs = PdfReader(path).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == duplex and prefs["/PrintScaling"] == "/None"


def test_a_one_card_summary_too_big_says_1_card(run, tmp_path, write_deck):
    words = " ".join(f"word{i}" for i in range(2000))
    deck = write_deck(
        "title: One\ncards:\n  - question: Q\n    answer:\n"
        + "".join(f"      - {words}\n" for _ in range(4))
    )
    result = run("build", deck, "--out", tmp_path, "--layout", "summary")
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {deck}: the summary of “One” (1 card) does not fit on one page even at 6 pt; "
    )
