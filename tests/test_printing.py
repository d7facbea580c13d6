"""Printing in the real world: custom stocks, cutting, no-duplex modes, calibration, profiles."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import MM, PAPER_SIZES, squash
from pypdf import PdfReader
from test_flashcards import cells_from_cut_lines, is_crop_mark, mirrored, text_in

EIGHT = "title: Eight\ncards:\n" + "".join(
    f"  - question: Question {i}\n    answer: Answer {i}\n" for i in range(1, 9)
)


def build(run, deck, out, *args):
    result = run("build", deck, "--out", out, "--layout", "flashcards", *args)
    assert result.exit_code == 0, result.output
    return out / f"{deck.stem}-flashcards.pdf"


def test_a_custom_stock_from_card_size(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    pdf_path = build(
        run,
        deck,
        tmp_path,
        "--set",
        "card_width=70mm",
        "--set",
        "card_height=50mm",
        "--set",
        "columns=2",
        "--set",
        "rows=4",
    )
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == 2
        cells = cells_from_cut_lines(pdf.pages[0])
        assert len(cells) == 8
        for x0, top, x1, bottom in cells:
            assert (x1 - x0, bottom - top) == pytest.approx((70 * MM, 50 * MM), abs=0.05)


def test_a_custom_stock_too_big_for_the_paper_is_one_sentence(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    result = run(
        "build",
        deck,
        "--out",
        tmp_path,
        "--set",
        "card_width=110mm",
        "--set",
        "card_height=60mm",
        "--set",
        "columns=2",
        "--layout",
        "flashcards",
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}: flashcards, stock custom: 2 × 4 cards of 110 × 60 mm need 220 × 240 mm, more "
        "than A4 paper (210 × 297 mm); use smaller cards, fewer columns or rows, or a smaller gap\n"
    )


def test_custom_card_options_with_a_named_stock_are_refused(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    result = run(
        "build",
        deck,
        "--out",
        tmp_path,
        "--stock",
        "a4-2x4",
        "--set",
        "card_width=70mm",
        "--layout",
        "flashcards",
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}: flashcards: card_width is for a custom stock, but stock is a4-2x4; set stock: "
        "custom, or remove the custom card options\n"
    )


def test_a_stock_fixes_its_paper(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    with pdfplumber.open(build(run, deck, tmp_path, "--stock", "avery-5371")) as pdf:
        page = pdf.pages[0]
        assert (float(page.width), float(page.height)) == PAPER_SIZES["letter"]


def test_a_gap_gives_every_card_its_own_cut_lines(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    pdf_path = build(run, deck, tmp_path, "--stock", "a4-2x4", "--set", "gap=4mm")
    with pdfplumber.open(pdf_path) as pdf:
        front = pdf.pages[0]
        xs = sorted({round(line["x0"], 2) for line in front.lines if line["x0"] == line["x1"]})
        assert len(xs) == 4  # two cards across, each with both edges
        assert xs[2] - xs[1] == pytest.approx(4 * MM, abs=0.01)
        assert xs[1] - xs[0] == pytest.approx(95 * MM, abs=0.01)  # cards keep their size


def test_crop_marks_run_to_the_page_edge_on_the_fronts_only(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    pdf_path = build(run, deck, tmp_path, "--stock", "poker", "--set", "cut_marks=crop")
    with pdfplumber.open(pdf_path) as pdf:
        front, back = pdf.pages
        assert front.lines and not back.lines
        cells = cells_from_cut_lines(front)
        assert len(cells) == 9
        # crop marks only: nothing crosses the grid, every card edge runs out to the page edge
        edges = [line for line in front.lines if is_crop_mark(line, cells, front)]
        assert len(edges) == 2 * (4 + 4)  # 3 × 3 cards: 4 edges each way, marks at both ends
        # the marks that meet the sheet note stop short of it and carry on above it
        note = [w for w in front.extract_words() if w["top"] > max(c[3] for c in cells)]
        rest = [line for line in front.lines if line not in edges]
        assert len(rest) == 2
        for line in rest:
            assert line["x0"] == line["x1"] and round(line["x0"], 2) in {
                round(c[0], 2) for c in cells
            } | {round(c[2], 2) for c in cells}
            assert line["top"] >= max(c[3] for c in cells) - 0.01
            assert line["bottom"] < min(w["top"] for w in note)


def test_a_back_colour_bleeds_past_the_card_but_stays_printable(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    pdf_path = build(
        run,
        deck,
        tmp_path,
        "--stock",
        "a4-2x4",
        "--set",
        "back_color=#fde9b0",
        "--set",
        "bleed=2mm",
        "--set",
        "gap=2mm",
    )
    with pdfplumber.open(pdf_path) as pdf:
        front, back = pdf.pages
        assert not front.rects
        cells = [
            mirrored(c, float(back.width), float(back.height), "long")
            for c in cells_from_cut_lines(front)
        ]
        cells = [c for c in cells if c[3] - c[1] > 50 * MM and c[2] - c[0] > 50 * MM]  # not gaps
        rects = back.rects
        assert len(rects) == 8
        for rect in rects:
            assert rect["non_stroking_color"] == pytest.approx((0xFD / 255, 0xE9 / 255, 0xB0 / 255))
            card = min(cells, key=lambda c: abs(c[0] - rect["x0"]) + abs(c[1] - rect["top"]))
            assert rect["x0"] == pytest.approx(card[0] - 2 * MM, abs=0.01)
            assert rect["bottom"] == pytest.approx(card[3] + 2 * MM, abs=0.01)
            assert rect["x0"] >= 5 * MM - 0.01 and rect["top"] >= 5 * MM - 0.01


def test_manual_duplex_prints_all_fronts_then_all_backs(run, tmp_path, write_deck):
    cards = "".join(f"  - question: Question {i}\n    answer: Answer {i}\n" for i in range(1, 15))
    deck = write_deck(f"title: Fourteen\ncards:\n{cards}")
    pdf_path = build(run, deck, tmp_path, "--duplex", "manual")
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == 1 + 3 + 3  # instructions, 3 fronts, 3 backs
        instructions = squash(pdf.pages[0].extract_text())
        assert "Print pages 2–4 (the questions)" in instructions
        assert "Print pages 5–7 (the answers)" in instructions
        assert "Turn the whole stack over sideways" in instructions
        width, height = float(pdf.pages[1].width), float(pdf.pages[1].height)
        for sheet in range(3):
            front, back = pdf.pages[1 + sheet], pdf.pages[4 + sheet]
            for cell in cells_from_cut_lines(front):
                question = text_in(front, cell)
                if question:
                    number = question.split()[0]
                    assert text_in(back, mirrored(cell, width, height, "long")) == (
                        f"{number} Answer {number}"
                    )
            assert f"sheet {sheet + 1} of 3 · answers" in back.extract_text()
    prefs = PdfReader(pdf_path).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None" and prefs["/Duplex"] == "/Simplex"


def test_fold_mode_puts_each_back_across_the_fold_from_its_front(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    pdf_path = build(run, deck, tmp_path, "--duplex", "fold")
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == 3  # 8 cards, 3 per folded sheet (one column of 95 × 92 mm)
        page = pdf.pages[0]
        width, height = float(page.width), float(page.height)
        fold = [line for line in page.lines if abs(line["x0"] - width / 2) < 0.01]
        assert fold and fold[0]["top"] >= 5 * MM - 0.01
        cut = [line for line in page.lines if line not in fold]
        assert all(line["x1"] <= width / 2 + 0.01 for line in cut)  # guides on the front half
        cells = [c for c in cells_from_cut_lines(page) if c[2] - c[0] > 20 * MM]  # not the fold
        assert [text_in(page, c) for c in cells] == [
            "1 Question 1 Eight",
            "2 Question 2 Eight",
            "3 Question 3 Eight",
        ]
        for number, cell in enumerate(cells, start=1):
            assert cell[2] <= width / 2 + 0.01
            assert (
                text_in(page, mirrored(cell, width, height, "long")) == f"{number} Answer {number}"
            )
        assert "fold on the dashed line" in page.extract_text()


def test_perforated_stock_cannot_be_folded(run, tmp_path, write_deck):
    deck = write_deck(EIGHT)
    result = run("build", deck, "--out", tmp_path, "--duplex", "fold", "--stock", "avery-5388")
    assert result.exit_code == 1
    assert "fold mode prints fronts and backs side by side on plain paper" in result.output


# -- calibration ---------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_calibration_sheet_has_two_pages_and_a_100mm_ruler_on_each(run, tmp_path, paper):
    out = tmp_path / "cal.pdf"
    result = run("calibrate", "--paper", paper, "-o", out)
    assert result.exit_code == 0, result.output
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            assert (float(page.width), float(page.height)) == pytest.approx(PAPER_SIZES[paper])
            rulers = [
                line
                for line in page.lines
                if abs(line["top"] - line["bottom"]) < 0.01
                and 90 * MM < line["x1"] - line["x0"] < 110 * MM
            ]
            assert len(rulers) == 1
            assert rulers[0]["x1"] - rulers[0]["x0"] == pytest.approx(100 * MM, abs=0.01)
            for obj in page.chars + page.lines + page.rects + page.curves:
                assert obj["x0"] >= 5 * MM - 0.01 and obj["x1"] <= float(page.width) - 5 * MM
                assert obj["top"] >= 5 * MM - 0.01 and obj["bottom"] <= float(page.height) - 5 * MM
        front_text = squash(pdf.pages[0].extract_text())
        assert "must measure exactly 100 mm" in front_text
        assert "Its column heading is X, its row heading is Y" in front_text
    prefs = PdfReader(out).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge"


@pytest.mark.parametrize("flip", ["long", "short"])
def test_the_flip_marker_lines_up_only_with_its_own_edge(run, tmp_path, flip):
    out = tmp_path / "cal.pdf"
    assert run("calibrate", "--flip", flip, "-o", out).exit_code == 0
    with pdfplumber.open(out) as pdf:
        front, back = pdf.pages
        width, height = float(front.width), float(front.height)
        square = next(r for r in front.rects if r["fill"] and r["width"] == pytest.approx(8 * MM))
        centre = ((square["x0"] + square["x1"]) / 2, (square["top"] + square["bottom"]) / 2)
        boxes = [r for r in back.rects if r["width"] == pytest.approx(13 * MM)]
        assert len(boxes) == 2
        labels = {}
        for word in back.extract_words():
            if word["text"] in ("LONG", "SHORT"):
                box = min(
                    boxes, key=lambda r: abs(r["x0"] - word["x0"]) + abs(r["top"] - word["top"])
                )
                centre_of_box = ((box["x0"] + box["x1"]) / 2, (box["top"] + box["bottom"]) / 2)
                labels[word["text"].lower()] = centre_of_box
        assert set(labels) == {"long", "short"}
        # Turned over the long edge, a back point (x, y) lies behind (width - x, y).
        assert (width - labels["long"][0], labels["long"][1]) == pytest.approx(centre)
        assert (labels["short"][0], height - labels["short"][1]) == pytest.approx(centre)


def test_calibrate_never_overwrites_without_force(run, tmp_path):
    out = tmp_path / "cal.pdf"
    out.write_bytes(b"keep me")
    result = run("calibrate", "-o", out)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out} already exists, so nothing was written; use --force to overwrite, "
        "or choose another name with -o\n"
    )
    assert out.read_bytes() == b"keep me"
    assert run("calibrate", "-o", out, "--force").exit_code == 0
    assert out.read_bytes().startswith(b"%PDF-")


# -- printer profiles ------------------------------------------------------------------------

PROFILES = """\
printer: office
printers:
  office:
    flip: short
    back_offset: 1.5,-2
  library:
    duplex: manual
"""


def first_answer_position(pdf_path, page_index=1):
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_index]
        char = next(c for c in page.chars if c["text"] == "A")
        return char["x0"], char["top"]


def test_the_default_printer_profile_applies(run, tmp_path, write_deck, monkeypatch):
    deck = write_deck(EIGHT)
    monkeypatch.chdir(tmp_path)
    plain = first_answer_position(build(run, deck, tmp_path / "plain", "--flip", "short"))
    (tmp_path / "printkit.yaml").write_text(PROFILES, encoding="utf-8")
    pdf_path = build(run, deck, tmp_path / "office")
    prefs = PdfReader(pdf_path).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge"
    x, top = first_answer_position(pdf_path)
    assert (x - plain[0], top - plain[1]) == pytest.approx((1.5 * MM, 2 * MM), abs=0.01)


def test_printer_flag_picks_a_profile_and_the_command_line_wins(
    run, tmp_path, write_deck, monkeypatch
):
    deck = write_deck(EIGHT)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "printkit.yaml").write_text(PROFILES, encoding="utf-8")
    with pdfplumber.open(build(run, deck, tmp_path / "lib", "--printer", "library")) as pdf:
        assert len(pdf.pages) == 1 + 2 + 2  # manual duplex from the profile
    with pdfplumber.open(
        build(run, deck, tmp_path / "cli", "--printer", "library", "--duplex", "double")
    ) as pdf:
        assert len(pdf.pages) == 4


def test_a_deck_setting_beats_the_profile(run, tmp_path, write_deck, monkeypatch):
    deck = write_deck(EIGHT.replace("cards:", "options:\n  flip: long\ncards:", 1))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "printkit.yaml").write_text(PROFILES, encoding="utf-8")
    prefs = PdfReader(build(run, deck, tmp_path)).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "printers:\n  office:\n    flip: sideways\n",
            "Error: printkit.yaml:3: flip must be one of long, short, not 'sideways'\n",
        ),
        (
            "printers:\n  office:\n    back_ofset: 1,2\n",
            "Error: printkit.yaml:3: unknown key 'back_ofset' in printer office; did you mean "
            "'back_offset'?\n",
        ),
        (
            "printer: ofice\nprinters:\n  office:\n    flip: long\n",
            "Error: printkit.yaml:1: printer: ofice is not one of the printers: below; did you "
            "mean 'office'?\n",
        ),
        (
            "printers:\n  office:\n    back_offset: 9,0\n",
            "Error: printkit.yaml:3: back_offset must be at most 5 mm each way (not '9,0'); "
            "measure it with printkit calibrate\n",
        ),
    ],
)
def test_printer_profile_errors_name_the_line(
    run, tmp_path, write_deck, monkeypatch, text, message
):
    deck = write_deck(EIGHT)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "printkit.yaml").write_text(text, encoding="utf-8")
    result = run("build", deck, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == message
    assert not (tmp_path / "out").exists()


def test_a_printer_file_that_is_not_yaml(run, tmp_path, write_deck, monkeypatch):
    deck = write_deck(EIGHT)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "printkit.yaml").write_text("printers:\n  office: [flip\n", encoding="utf-8")
    result = run("build", deck, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.startswith("Error: printkit.yaml:")
    assert "this is not valid YAML" in result.output and result.output.count("\n") == 1


def test_an_unknown_printer_is_refused_with_the_known_ones(run, tmp_path, write_deck, monkeypatch):
    deck = write_deck(EIGHT)
    monkeypatch.chdir(tmp_path)
    result = run("build", deck, "--out", tmp_path / "out", "--printer", "office")
    assert result.exit_code == 2  # a command-line mistake: said once, before any deck is built
    assert result.output.endswith(
        "Error: --printer office: printer office is asked for, but there is no printkit.yaml "
        "here; create one with a printers: entry (see printkit calibrate)\n"
    )
    (tmp_path / "printkit.yaml").write_text(PROFILES, encoding="utf-8")
    result = run("build", deck, "--out", tmp_path / "out", "--printer", "ofice")
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: --printer ofice: printkit.yaml has no printer 'ofice'; did you mean 'office'? "
        "(printers: office, library)\n"
    )


def test_stocks_command_lists_paper_size_and_cards_per_sheet(run):
    result = run("stocks")
    assert result.exit_code == 0
    lines = {line.split()[0]: squash(line) for line in result.output.splitlines() if line.strip()}
    assert lines["avery-5371"].startswith("avery-5371 Letter 3.5 × 2 in 10 (2 × 5)")
    assert lines["avery-c32011"].startswith("avery-c32011 A4 85 × 54 mm 10 (2 × 5)")
    assert lines["a6"].startswith("a6 A4 105 × 148 mm 4 (2 × 2)")
    assert lines["poker"].startswith("poker A4 or Letter 63 × 88 mm 9 (3 × 3)")
