"""Text measurement, wrapping and fitting, checked against reportlab's own measurements."""

from __future__ import annotations

from itertools import pairwise

import pytest
from reportlab.pdfbase import pdfmetrics

from printkit import fonts
from printkit.text import (
    BREAK_AFTER,
    Paragraph,
    TextDoesNotFit,
    fit_text,
    layout_text,
    text_width,
)

fonts.register_fonts()

LOREM = (
    "Photosynthesis converts light energy into chemical energy: chlorophyll absorbs mostly blue "
    "and red light, water is split, oxygen is released, and carbon dioxide is fixed into sugars "
    "by the Calvin cycle in the stroma of the chloroplast. Respiration later releases that energy."
)
URL = "https://example.org/a/very/long/path_with_underscores-and-dashes/index.html?query=1&x=2"


def words_of(n: int) -> str:
    base = LOREM.split()
    return " ".join(base[i % len(base)] for i in range(n))


def sw(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def ascent_descent(font: str, size: float) -> tuple[float, float]:
    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    return ascent, -descent


def fits_independently(paragraph: Paragraph, width: float, height: float, size: float) -> bool:
    """Does one left-aligned paragraph fit, judged from reportlab's metrics, not printkit's?"""
    block = layout_text([paragraph], width, size)
    ascent, descent = ascent_descent(paragraph.font, size)
    needed = ascent + (len(block.lines) - 1) * 1.2 * size + descent
    widest = max(sw(line.text, paragraph.font, size) for line in block.lines)
    return widest <= width + 1e-6 and needed <= height + 1e-6


# --- wrapping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [100, 150, 255, 400])
@pytest.mark.parametrize("font", [fonts.REGULAR, fonts.BOLD_ITALIC])
def test_wrapped_lines_fit_keep_words_and_are_greedy(width, font):
    size = 11
    assert sw("Photosynthesis", font, size) <= width  # the longest word fits: no word breaks
    block = layout_text([Paragraph(LOREM, font=font)], width, size)
    texts = [line.text for line in block.lines]
    original_words = LOREM.split()
    assert " ".join(texts).split() == original_words  # every word, in order, none split
    for line in block.lines:
        assert line.x == 0
        assert sw(line.text, font, size) <= width + 1e-6
        assert set(line.text.split()) <= set(original_words)
    # Greedy: the next line's first word would not have fitted at the end of this one.
    for this, following in pairwise(texts):
        first_word = following.split(" ")[0]
        assert sw(f"{this} {first_word}", font, size) > width


def test_line_width_equals_reportlab_string_width():
    block = layout_text([Paragraph(LOREM + " Ωμέγα ≤ √2 Привет")], 180, 10.75)
    for line in block.lines:
        assert line.width == pytest.approx(sw(line.text, line.font, line.size), abs=0.01)
    assert block.width == pytest.approx(max(line.width for line in block.lines), abs=1e-9)


@pytest.mark.parametrize("text", ["a  b   c", " leading and trailing ", "one", "", "x " * 40])
def test_text_width_matches_string_width(text):
    assert text_width(text, fonts.REGULAR, 13) == pytest.approx(
        sw(text, fonts.REGULAR, 13), abs=0.01
    )


def test_hard_line_breaks_and_runs_of_spaces():
    block = layout_text([Paragraph("first  line\nsecond\n\nfourth")], 500, 10)
    assert [line.text for line in block.lines] == ["first line", "second", "", "fourth"]


def test_line_spacing_and_height():
    size = 10
    block = layout_text([Paragraph(LOREM), Paragraph("Second paragraph.")], 150, size)
    ascent, descent = ascent_descent(fonts.REGULAR, size)
    baselines = [line.baseline for line in block.lines]
    assert baselines[0] == pytest.approx(ascent)
    gaps = [b - a for a, b in pairwise(baselines)]
    assert gaps[:-1] == pytest.approx([12.0] * (len(gaps) - 1))  # leading 1.2 × 10 pt
    assert gaps[-1] == pytest.approx(12.0 + 3.5)  # plus the 0.35 em paragraph gap
    assert block.height == pytest.approx(baselines[-1] + descent)


def test_scaled_paragraph_sits_below_the_big_one():
    block = layout_text([Paragraph("Big"), Paragraph("small print", scale=0.5)], 300, 20)
    big, small = block.lines
    assert (big.size, small.size) == (20, 10)
    assert small.baseline - ascent_descent(small.font, 10)[0] >= (
        big.baseline + ascent_descent(big.font, 20)[1]
    )
    assert block.height == pytest.approx(small.baseline + ascent_descent(small.font, 10)[1])


def test_unknown_alignment_is_refused():
    with pytest.raises(ValueError, match="align"):
        Paragraph("x", align="right")


# --- long words -------------------------------------------------------------------------------


def test_long_url_breaks_at_separators_and_pieces_fit():
    width, size = 90, 10
    block = layout_text([Paragraph(URL)], width, size)
    pieces = [line.text for line in block.lines]
    assert len(pieces) > 2
    assert "".join(pieces) == URL
    for piece in pieces:
        assert piece
        assert sw(piece, fonts.REGULAR, size) <= width + 1e-6
    assert all(piece[-1] in BREAK_AFTER for piece in pieces[:-1])


def test_long_word_without_separators_breaks_by_characters():
    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"
    width, size = 70, 12
    block = layout_text([Paragraph(f"Der {word}")], width, size)
    texts = [line.text for line in block.lines]
    assert texts[0] == "Der"  # the long word starts on a new line rather than mid-line
    pieces = texts[1:]
    assert "".join(pieces) == word
    for piece, following in pairwise(pieces):
        assert sw(piece, fonts.REGULAR, size) <= width + 1e-6
        assert sw(piece + following[0], fonts.REGULAR, size) > width  # as many chars as fit


def test_character_wider_than_the_line_goes_alone_and_fit_shrinks_it():
    block = layout_text([Paragraph("WW")], 8, 20)
    assert [line.text for line in block.lines] == ["W", "W"]
    assert block.width > 8  # the overflow is reported, not hidden
    fitted = fit_text([Paragraph("WW")], 8, 100, max_size=20, min_size=2, step=0.5)
    assert sw("W", fonts.REGULAR, fitted.size) <= 8
    assert sw("W", fonts.REGULAR, fitted.size + 0.5) > 8


# --- bullets and alignment --------------------------------------------------------------------


def test_bullet_hanging_indent():
    size, width = 10, 140
    block = layout_text([Paragraph(LOREM, bullet="•")], width, size)
    indent = sw("• ", fonts.REGULAR, size)
    assert len(block.lines) > 3
    assert block.lines[0].bullet == "•"
    assert block.lines[0].bullet_x == 0
    assert all(line.bullet is None for line in block.lines[1:])
    for line in block.lines:
        assert line.x == pytest.approx(indent)
        assert line.x > line.bullet_x
        assert line.x + sw(line.text, fonts.REGULAR, size) <= width + 1e-6


def test_center_alignment():
    width, size = 200, 10
    block = layout_text([Paragraph(LOREM, align="center")], width, size)
    for line in block.lines:
        assert line.x == pytest.approx((width - sw(line.text, fonts.REGULAR, size)) / 2)


# --- fitting ----------------------------------------------------------------------------------


@pytest.mark.parametrize("words", [5, 30, 120, 300])
@pytest.mark.parametrize("box", [(255, 230), (180, 130), (400, 60)])
def test_fit_text_returns_the_largest_size_that_fits(words, box):
    width, height = box
    paragraph = Paragraph(words_of(words))
    block = fit_text([paragraph], width, height, max_size=28, min_size=4, step=0.25)
    assert fits_independently(paragraph, width, height, block.size)
    assert block.size == 28 or not fits_independently(paragraph, width, height, block.size + 0.25)
    assert (block.size - 4) / 0.25 == int((block.size - 4) / 0.25)  # on the grid


def test_short_text_gets_max_size_and_max_snaps_to_the_grid():
    assert fit_text([Paragraph("Hi")], 200, 100, max_size=24).size == 24
    assert fit_text([Paragraph("Hi")], 200, 100, max_size=24.1).size == 24


def test_text_impossible_at_the_floor_raises():
    with pytest.raises(TextDoesNotFit, match="does not fit") as caught:
        fit_text([Paragraph(words_of(2000))], 50, 50, max_size=12)
    assert caught.value.size == 6
    assert caught.value.needed_height > 50


def test_more_text_never_gets_a_larger_size():
    sizes = [
        fit_text([Paragraph(words_of(n))], 255, 230, max_size=30).size for n in range(5, 200, 15)
    ]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > sizes[-1]


def test_fit_measures_each_word_once(monkeypatch):
    calls = []
    real = pdfmetrics.stringWidth

    def counting(text, font, size, *args):
        calls.append(text)
        return real(text, font, size, *args)

    monkeypatch.setattr(pdfmetrics, "stringWidth", counting)
    text = " ".join(f"zq{i}x" for i in range(60))  # words no other test has measured
    fit_text([Paragraph(text)], 150, 120, max_size=30)
    assert len(calls) <= 60 + 1  # each word once, and perhaps the space
    calls.clear()
    fit_text([Paragraph(text)], 200, 300, max_size=14)  # other sizes, no new words: no measuring
    assert calls == []


# --- scripts and symbols ----------------------------------------------------------------------


@pytest.mark.parametrize("font", [fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC])
def test_greek_cyrillic_and_maths_have_glyphs_and_width(font):
    chars = "αβγΩπλ" + "ЖЩЯжщя" + "≤≠√π∑→≥∞±×÷"
    face = pdfmetrics.getFont(font).face
    for char in chars:
        assert ord(char) in face.charToGlyph, char
        assert text_width(char, font, 10) > 0
    block = layout_text([Paragraph(" ".join(chars), font=font)], 60, 10)
    assert "".join(line.text for line in block.lines).replace(" ", "") == chars
