"""Styled text on cards: bold, italic, code, sub/superscripts and escapes, read back from the PDF."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import squash

from printkit.content.markup import parse
from printkit.content.model import PLAIN, LineBreak, Maths, Paragraph, Picture, Style, Text
from printkit.text import Paragraph as TextParagraph
from printkit.text import fit_text, layout_text

RICH_DECK = """\
title: Rich text
cards:
  - question: What is the formula of water?
    answer: The formula H~2~O has **two** hydrogen atoms and E = mc^2^ uses *italics* and `code`
  - question: Escapes
    answer: It costs $5, or $10, and \\*stars\\* stay; snake_case_name too
"""


def half_with(page, word: str):
    """The half of a sheet (two cards across) that holds `word`: one card's side."""
    found = next(w for w in page.extract_words(x_tolerance=1) if w["text"] == word)
    middle = page.width / 2
    left = 0 if found["x0"] < middle else middle
    return page.within_bbox((left, 0, left + middle, page.height))


def words_with_fonts(page) -> list[dict]:
    return page.extract_words(extra_attrs=["fontname", "size"], x_tolerance=1)


def font_of(words, text: str) -> dict:
    return next(w for w in words if w["text"] == text)


@pytest.fixture
def rich_back(run, tmp_path, write_deck):
    deck = write_deck(RICH_DECK)
    result = run("build", deck, "--out", tmp_path, "--layout", "flashcards")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "deck-flashcards.pdf") as pdf:
        yield pdf.pages[1]


def test_bold_italic_and_code_use_real_faces(rich_back):
    words = words_with_fonts(rich_back)
    assert font_of(words, "two")["fontname"].endswith("DejaVuSans-Bold")
    assert font_of(words, "italics")["fontname"].endswith("DejaVuSans-Oblique")
    assert font_of(words, "code")["fontname"].endswith("DejaVuSansMono")
    assert font_of(words, "hydrogen")["fontname"].endswith("DejaVuSans")


def test_sub_and_superscripts_are_smaller_and_shifted(rich_back):
    chars = rich_back.chars
    h = next(c for c in chars if c["text"] == "H")
    two = next(c for c in chars if c["text"] == "2" and c["x0"] > h["x0"] and c["top"] > h["top"])
    assert two["size"] == pytest.approx(0.7 * h["size"], rel=0.01)
    assert two["bottom"] > h["bottom"]  # lower than the H it follows
    c = next(ch for ch in chars if ch["text"] == "c" and ch["x0"] > 0 and ch["size"] == h["size"])
    sup = next(
        ch
        for ch in chars
        if ch["text"] == "2" and ch["size"] < h["size"] and ch["bottom"] < c["bottom"] - 1
    )
    assert sup["top"] < c["top"]  # above the line


def test_text_reads_back_with_its_spaces(rich_back):
    text = squash(half_with(rich_back, "hydrogen").extract_text(x_tolerance=1))
    assert "has two" in text
    assert "uses italics and code" in text
    # A subscript sits lower than its line: read the line's characters left to right.
    formula = next(w for w in rich_back.extract_words() if w["text"] == "formula")
    row = sorted(
        (c for c in rich_back.chars if formula["top"] - 3 < c["top"] < formula["bottom"]),
        key=lambda c: c["x0"],
    )
    assert "formulaH2Ohastwo" in "".join(c["text"] for c in row).replace(" ", "")


def test_escapes_and_money_print_as_typed(rich_back):
    text = squash(half_with(rich_back, "costs").extract_text(x_tolerance=1))
    assert "It costs $5, or $10, and *stars* stay; snake_case_name too" in text


def test_markup_plain_prints_every_character(run, tmp_path, write_deck):
    deck = write_deck(RICH_DECK.replace("cards:", "options:\n  markup: plain\ncards:"))
    result = run("build", deck, "--out", tmp_path, "--layout", "flashcards")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "deck-flashcards.pdf") as pdf:
        text = squash(half_with(pdf.pages[1], "hydrogen").extract_text(x_tolerance=1))
        escapes = squash(half_with(pdf.pages[1], "costs").extract_text(x_tolerance=1))
        fonts = {c["fontname"].split("+")[-1] for c in pdf.pages[1].chars if c["size"] > 7}
    assert "H~2~O has **two** hydrogen" in text
    assert "\\*stars\\*" in escapes
    assert fonts == {"DejaVuSans"}


def test_markup_plain_from_the_command_line(run, tmp_path, write_deck):
    deck = write_deck(RICH_DECK)
    result = run("build", deck, "--out", tmp_path, "--layout", "summary", "--set", "markup=plain")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "deck-summary.pdf") as pdf:
        assert "`code`" in pdf.pages[0].extract_text()


# -- the parser ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It costs $5 and $10",
        "snake_case_name",
        "# of votes",
        "1939. The pact",
        "> not a quote",
        "a <b>tag</b> &amp; [a link](x)",
        "5 * 3 * 2 = 30",
        "C:\\Users\\me",
    ],
)
def test_text_that_only_looks_like_markup_stays_as_typed(text):
    content = parse(text)
    assert content.is_plain
    assert content.plain_text == text


def test_styles_nest():
    content = parse("**bold *both*** and H~2~O")
    (paragraph,) = content.blocks
    assert paragraph.inlines[:2] == (
        Text("bold ", Style(bold=True)),
        Text("both", Style(bold=True, italic=True)),
    )
    assert Text("2", Style(shift="sub")) in paragraph.inlines


def test_maths_pictures_and_breaks_are_parsed():
    content = parse("Area $\\pi r^2$ of\n![a circle](pics/circle.svg)\n$$\\int_0^1 x\\,dx$$")
    first, picture, display = content.blocks
    assert Maths("\\pi r^2") in first.inlines
    assert picture == Picture("pics/circle.svg", "a circle")
    assert display == Paragraph((Maths("\\int_0^1 x\\,dx"),), display=True)
    assert parse("one\ntwo").blocks[0].inlines == (Text("one"), LineBreak(), Text("two"))


def test_markup_off_keeps_the_text_exactly():
    text = "**not bold** $x$ ![no](picture.png)"
    content = parse(text, markup=False)
    assert content.blocks == (Paragraph((Text(text, PLAIN),)),)


# -- typesetting rich paragraphs (no drawing) ----------------------------------------------


def test_a_rich_paragraph_wraps_like_the_same_plain_text():
    words = "the quick brown fox jumps over the lazy dog " * 4
    plain = layout_text([TextParagraph(words)], 150, 10)
    rich = layout_text([TextParagraph(inlines=(Text(words),))], 150, 10)
    assert [line.text for line in rich.lines] == [line.text for line in plain.lines]
    assert rich.height == pytest.approx(plain.height)


def test_bold_runs_are_wider_and_wrap_sooner():
    words = "the quick brown fox jumps over the lazy dog " * 4
    plain = layout_text([TextParagraph(inlines=(Text(words),))], 150, 10)
    bold = layout_text([TextParagraph(inlines=(Text(words, Style(bold=True)),))], 150, 10)
    assert len(bold.lines) > len(plain.lines)
    assert all(line.width <= 150 + 1e-6 for line in bold.lines)


def test_a_long_rich_word_is_broken_inside_the_box():
    word = "Supercalifragilistic" + "expialidocious" * 3
    inlines = (Text(word[:20], Style(bold=True)), Text(word[20:]))
    block = layout_text([TextParagraph(inlines=inlines)], 80, 10)
    assert len(block.lines) > 1
    assert all(line.width <= 80 + 1e-6 for line in block.lines)
    assert "".join(line.text for line in block.lines) == word


def test_fitting_rich_text_is_exact():
    inlines = (Text("Water is H"), Text("2", Style(shift="sub")), Text("O, " * 30))
    block = fit_text([TextParagraph(inlines=inlines)], 120, 80, max_size=18)
    assert block.fits(120, 80)
    bigger = round(block.size + 0.25, 2)
    assert not layout_text([TextParagraph(inlines=inlines)], 120, bigger).fits(120, 80)


def test_a_long_code_word_breaks_after_a_slash_like_plain_text():
    url = "https://example.com/some/long/path/to/a/resource_name.html"
    block = layout_text([TextParagraph(inlines=(Text(url, Style(code=True)),))], 120, 10)
    assert len(block.lines) > 1
    assert all(line.text.endswith(("/", ".")) for line in block.lines[:-1])


def test_bold_in_an_answer_gets_no_more_writing_lines(tmp_path):
    from printkit.layouts.worksheet import writing_lines

    from printkit.deck import load_deck

    sentence = "The treaty divided eastern Europe into spheres of influence " * 6
    path = tmp_path / "d.yaml"
    path.write_text(
        f"title: T\ncards:\n  - question: Q\n    answer: {sentence}\n"
        f"  - question: R\n    answer: '**{sentence.strip()}**'\n",
        encoding="utf-8",
    )
    plain, bold = load_deck(path).cards
    counts = [writing_lines(card, 400, 1.75, load_deck(path), {}) for card in (plain, bold)]
    assert counts[0] > 1 and counts[0] == counts[1]
