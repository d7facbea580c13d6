"""A deck using every kind of content, built in every layout and read back from the PDFs."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import MM, squash
from PIL import Image, ImageDraw
from pypdf import PdfReader
from test_flashcards import cells_from_cut_lines, mirrored

from printkit.card_content import content_problems
from printkit.deck import load_deck

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150">'
    '<rect x="10" y="10" width="280" height="130" fill="none" stroke="black" stroke-width="4"/>'
    '<circle cx="150" cy="75" r="50" fill="#c03040"/></svg>'
)

DECK = """\
title: Every kind of content
subject: Science
cards:
  - question: What is the formula of **water**?
    answer: H~2~O, with *two* hydrogen atoms; `H2O` in code and x^2^ squared
  - question: "![A heart with its aorta](pictures/heart.png)"
    answer: The **heart**
  - question: Label the diagram
    answer: |-
      ![A labelled circle](pictures/circle.svg)
      The *circle* is red.
  - question: Solve $x^2 = 4$
    answer:
      - $x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}$
      - Also $\\int_0^1 x\\,dx = \\frac{1}{2}$ and $\\sum_{i=1}^{n} i$
"""


def write_pictures(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(image).ellipse((100, 50, 300, 250), fill=(200, 40, 60))
    image.save(folder / "heart.png", dpi=(150, 150))
    (folder / "circle.svg").write_text(SVG, encoding="utf-8")


@pytest.fixture
def rich_deck(write_deck) -> Path:
    deck = write_deck(DECK)
    write_pictures(deck.parent / "pictures")
    return deck


@pytest.fixture
def built(run, tmp_path, rich_deck) -> Path:
    out = tmp_path / "out"
    result = run("build", rich_deck, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def inside(obj, cell, margin: float = 0.0) -> bool:
    x0, top, x1, bottom = cell
    return (
        obj["x0"] >= x0 + margin - 0.01
        and obj["x1"] <= x1 - margin + 0.01
        and obj["top"] >= top + margin - 0.01
        and obj["bottom"] <= bottom - margin + 0.01
    )


def test_every_layout_builds(built):
    names = sorted(p.name for p in built.glob("*.pdf"))
    assert names == [
        "deck-answers.pdf",
        "deck-flashcards.pdf",
        "deck-quiz-key.pdf",
        "deck-quiz.pdf",
        "deck-summary.pdf",
        "deck-worksheet.pdf",
    ]


def test_a_picture_card_shows_its_picture_inside_its_cell_clear_of_the_edge(built):
    with pdfplumber.open(built / "deck-flashcards.pdf") as pdf:
        front, back = pdf.pages
        grid = cells_from_cut_lines(front)
        (image,) = front.images  # the heart, alone on card 2's front
        assert inside(image, grid[1], margin=5 * MM)
        assert image["width"] > 40 * MM  # a picture card is a big picture, not a thumbnail
        # Card 3's back holds the SVG (vector shapes) above its text, behind card 3's front.
        behind = mirrored(grid[2], float(back.width), float(back.height), "long")
        shapes = [o for o in back.rects + back.curves if inside(o, behind)]
        assert shapes and all(inside(o, behind, margin=5 * MM) for o in shapes)
        words = [w for w in back.extract_words() if inside(w, behind)]
        circle = next(w for w in words if w["text"] == "circle")
        assert circle["top"] > max(o["bottom"] for o in shapes)  # text below the picture


def test_all_content_stays_inside_the_safe_area_of_its_card(built):
    with pdfplumber.open(built / "deck-flashcards.pdf") as pdf:
        front, back = pdf.pages
        grid = cells_from_cut_lines(front)
        width, height = float(front.width), float(front.height)
        for page, boxes in (
            (front, grid),
            (back, [mirrored(cell, width, height, "long") for cell in grid]),
        ):
            objects = page.chars + page.images + page.curves + page.rects
            # The sheet note in the margin below the cards is the one thing outside them.
            content = [o for o in objects if o["bottom"] < max(box[3] for box in boxes)]
            assert content
            for obj in content:
                assert any(inside(obj, box, margin=5 * MM) for box in boxes), obj


def test_pictures_carry_their_description_as_alternative_text(built):
    reader = PdfReader(built / "deck-flashcards.pdf")
    front = reader.pages[0].get_contents().get_data()
    back = reader.pages[1].get_contents().get_data()
    assert b"/Alt (A heart with its aorta)" in front
    assert b"/Alt (A labelled circle)" in back


def test_maths_is_drawn_at_the_size_of_its_text(built):
    with pdfplumber.open(built / "deck-flashcards.pdf") as pdf:
        front = pdf.pages[0]
        grid = cells_from_cut_lines(front)
        words = front.extract_words(extra_attrs=["size"])
        solve = next(w for w in words if w["text"] == "Solve")
        formula = [c for c in front.curves if inside(c, grid[3])]
        assert formula, "the formula is drawn as outlines"
        top = min(c["top"] for c in formula)
        bottom = max(c["bottom"] for c in formula)
        # x² = 4 stands on the same line as "Solve", about as tall as its capitals and digits.
        assert abs(bottom - solve["bottom"]) < 0.3 * solve["size"]
        assert 0.6 * solve["size"] < bottom - top < 1.2 * solve["size"]


def test_the_worksheet_shows_question_formatting_but_no_answer(built):
    with pdfplumber.open(built / "deck-worksheet.pdf") as pdf:
        text = " ".join(page.extract_text() for page in pdf.pages)
        images = [image for page in pdf.pages for image in page.images]
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
    assert "What is the formula of water?" in squash(text)
    assert len(images) == 1  # the question's heart; the answer's SVG is not shown
    assert "circle is red" not in text and "hydrogen" not in text
    assert "DejaVuSansMono" not in fonts  # the code is in an answer


def test_a_picture_question_is_numbered_at_the_top_of_its_picture(built):
    for name in ("deck-worksheet.pdf", "deck-answers.pdf"):
        with pdfplumber.open(built / name) as pdf:
            page = pdf.pages[0]
            (image,) = page.images
            number = next(w for w in page.extract_words() if w["text"] == "2.")
            assert abs(number["top"] - image["top"]) < 3, name
            assert number["x1"] <= image["x0"], name


def test_the_answer_key_and_summary_show_everything(built):
    for name in ("deck-answers.pdf", "deck-summary.pdf"):
        with pdfplumber.open(built / name) as pdf:
            page = pdf.pages[0]
            words = page.extract_words(extra_attrs=["fontname"])
            fonts = {w["text"]: w["fontname"].split("+")[-1] for w in words}
            assert fonts["two"] == "DejaVuSans-Oblique", name
            assert fonts["hydrogen"] == "DejaVuSans", name
            assert len(page.images) == 1, name  # the heart
            assert page.curves, name  # the formulas and the SVG


def test_the_same_rich_deck_gives_the_same_bytes(run, tmp_path, rich_deck, built):
    again = tmp_path / "again"
    run("build", rich_deck, "--out", again, "--force")
    for pdf in built.glob("*.pdf"):
        assert (again / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name


def test_a_changed_picture_rebuilds_the_deck(run, tmp_path, rich_deck, built):
    unchanged = run("build", rich_deck, "--out", built)
    assert "up to date" in unchanged.output
    picture = rich_deck.parent / "pictures" / "heart.png"
    Image.new("RGB", (400, 300), (20, 120, 40)).save(picture, dpi=(150, 150))
    rebuilt = run("build", rich_deck, "--out", built)
    assert "wrote" in rebuilt.output and "deck-flashcards.pdf" in rebuilt.output


# -- mistakes ---------------------------------------------------------------------------------


def build_error(run, tmp_path, write_deck, cards: str, name: str = "deck.yaml") -> str:
    deck = write_deck(f"title: Mistakes\ncards:\n{cards}", name)
    write_pictures(deck.parent / "pictures")
    result = run("build", deck, "--out", tmp_path / "out")
    assert result.exit_code == 1
    return result.output


@pytest.mark.parametrize(
    "card, message",
    [
        (
            "  - question: Missing\n    answer: '![A lung](pictures/lung.png)'\n",
            "deck.yaml:4: card 1: the picture “pictures/lung.png”",
        ),
        (
            "  - question: Broken $\\frc{1}{2}$\n    answer: x\n",
            "deck.yaml:3: card 1: the formula “$\\frc{1}{2}$” cannot be set: unknown command",
        ),
        (
            "  - question: Fine\n    answer: x\n  - question: Unclosed\n    answer: $\\frac{1}{$\n",
            "deck.yaml:6: card 2: the formula “$\\frac{1}{$” cannot be set: unbalanced braces",
        ),
    ],
)
def test_a_bad_picture_or_formula_is_one_sentence_with_its_line(
    run, tmp_path, write_deck, card, message
):
    output = build_error(run, tmp_path, write_deck, card)
    assert message in output
    assert "Traceback" not in output


def test_an_unsupported_picture_is_named(run, tmp_path, write_deck):
    deck = write_deck("title: T\ncards:\n  - question: Q\n    answer: '![x](pictures/a.gif)'\n")
    write_pictures(deck.parent / "pictures")
    Image.new("RGB", (10, 10)).save(deck.parent / "pictures" / "a.gif")
    result = run("build", deck, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "deck.yaml:4: card 1: the picture “pictures/a.gif”" in result.output
    assert "is a GIF image; use PNG, JPEG or SVG" in result.output


def test_one_deck_with_a_missing_picture_does_not_stop_the_others(run, tmp_path, write_deck):
    good = write_deck("title: Good\ncards:\n  - question: Q $x^2$\n    answer: A\n", "good.yaml")
    write_deck("title: Bad\ncards:\n  - question: '![x](nowhere.png)'\n    answer: A\n", "bad.yaml")
    result = run("build", good.parent, "--out", tmp_path / "out", "--layout", "flashcards")
    assert result.exit_code == 1
    assert "bad.yaml:3: card 1: the picture “nowhere.png”" in result.output
    assert (tmp_path / "out" / "good-flashcards.pdf").is_file()


def test_markup_plain_checks_no_formula_or_picture(tmp_path):
    deck_path = tmp_path / "plain.yaml"
    deck_path.write_text(
        "title: T\ncards:\n  - question: Costs $\\frc$\n    answer: '![no](file.png)'\n",
        encoding="utf-8",
    )
    deck = load_deck(deck_path)
    assert content_problems(deck, markup=False) == []
    assert len(content_problems(deck, markup=True)) == 2


def test_a_picture_too_big_for_a_small_card_is_refused_with_the_card(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\ncards:\n  - question: Q\n    answer: |-\n"
        "      ![wide](pictures/heart.png)\n" + "      " + "many words here " * 60 + "\n"
    )
    write_pictures(deck.parent / "pictures")
    result = run(
        "build", deck, "--out", tmp_path / "out", "--layout", "flashcards", "--stock", "avery-5371"
    )
    assert result.exit_code == 1
    assert "deck.yaml:3: the answer of card 1" in result.output
    assert "does not fit with its picture on a 89 × 51 mm card" in result.output


def test_a_picture_in_a_cloze_sentence_is_refused_not_dropped(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\ncards:\n"
        "  - cloze: 'The {{heart}} pumps blood ![a heart](pictures/heart.png)'\n"
        "  - cloze: The {{lungs}} breathe\n"
    )
    write_pictures(deck.parent / "pictures")
    result = run("build", deck, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "deck.yaml:3: card 1: a cloze sentence cannot hold a picture" in result.output
