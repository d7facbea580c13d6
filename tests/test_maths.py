"""Maths formulas as they come out of the PDF: filled outlines, where and how big they were asked."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile
from reportlab.pdfgen.canvas import Canvas

from printkit.content import maths
from printkit.content.maths import MathsError, MathsMetrics, draw_maths, measure_maths
from printkit.fonts import FONT_DIR

PAGE = (400.0, 400.0)


def pdf_with(*formulas: tuple[str, float, float, float]) -> bytes:
    """A one-page PDF with each (latex, x, baseline, size) drawn on it."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE, invariant=1)
    for latex, x, baseline, size in formulas:
        draw_maths(canvas, latex, x, baseline, size)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def ink(pdf: bytes) -> tuple[list[dict], tuple[float, float, float, float]]:
    """The drawn shapes of page 1 and their union box (x0, bottom, x1, top) in PDF coordinates."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        shapes = page.curves + page.rects + page.lines
        assert not page.chars and not page.images
    box = (
        min(s["x0"] for s in shapes),
        min(PAGE[1] - s["bottom"] for s in shapes),
        max(s["x1"] for s in shapes),
        max(PAGE[1] - s["top"] for s in shapes),
    )
    return shapes, box


def test_a_formula_is_filled_vector_paths_without_any_font():
    pdf = pdf_with((r"\sqrt{x^2 + 1}", 50, 200, 14))
    shapes, _ = ink(pdf)
    assert any(s["object_type"] == "curve" for s in shapes)
    assert all(s["fill"] and not s["stroke"] for s in shapes)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    content = page.get_contents().get_data()
    assert b"Tj" not in content and b"TJ" not in content  # no text shown, so no font used
    assert b"/FontFile" not in pdf and "/XObject" not in page["/Resources"]


@pytest.mark.parametrize(
    "latex",
    [
        "x",
        r"\frac{1}{2}",
        r"\sqrt[3]{x}",
        r"x_1^2",
        r"\alpha \le \pi \ne \Sigma",
        r"\pm 3 \times 4 \cdot 5 \ge 0",
        r"\sum_{i=1}^{n} i",
        r"\int_0^\infty e^{-x}\,dx",
        r"\left( \frac{a}{b} \right)",
    ],
)
def test_the_drawing_fills_the_measured_box(latex):
    x, baseline, size = 100.0, 200.0, 20.0
    metrics = measure_maths(latex)
    _, (left, bottom, right, top) = ink(pdf_with((latex, x, baseline, size)))
    # The ink starts at x (give or take a side bearing) and ends near the advance width.
    assert x - 0.05 * size <= left <= x + 0.2 * size
    assert x + metrics.width * size - 0.25 * size <= right <= x + metrics.width * size + 0.05 * size
    # Curve boxes include control points, which lie at most a little outside the glyphs.
    assert top == pytest.approx(baseline + metrics.ascent * size, abs=0.06 * size)
    assert bottom == pytest.approx(baseline - metrics.descent * size, abs=0.06 * size)


def test_metrics_are_at_one_point_and_a_fraction_is_taller_than_x():
    x, frac = measure_maths("x"), measure_maths(r"\frac{1}{2}")
    assert isinstance(x, MathsMetrics)
    assert 0.4 < x.width < 0.8 and 0.4 < x.ascent < 0.7 and x.descent < 0.05
    assert frac.ascent > x.ascent + 0.2 and frac.descent > 0.2
    _, (_, x_bottom, _, x_top) = ink(pdf_with(("x", 50, 200, 12)))
    _, (_, f_bottom, _, f_top) = ink(pdf_with((r"\frac{1}{2}", 50, 200, 12)))
    assert f_top - f_bottom > 1.8 * (x_top - x_bottom)


def test_twice_the_size_is_twice_as_big():
    latex = r"\frac{a+b}{c} = \sqrt{2}"
    _, small = ink(pdf_with((latex, 50, 200, 10)))
    _, big = ink(pdf_with((latex, 50, 200, 20)))
    assert big[2] - 50 == pytest.approx(2 * (small[2] - 50), rel=0.01)
    assert big[3] - 200 == pytest.approx(2 * (small[3] - 200), rel=0.01)
    assert 200 - big[1] == pytest.approx(2 * (200 - small[1]), rel=0.01)


def dejavu_height(char: str) -> float:
    """How far the DejaVu Sans glyph rises above the baseline, in em: yMax from its 'glyf' entry."""
    path = FONT_DIR / "DejaVuSans.ttf"
    font = TTFontFile(str(path))
    offset = font.table["glyf"]["offset"] + font.glyphPos[font.charToGlyph[ord(char)]]
    y_max = struct.unpack(">h", path.read_bytes()[offset + 8 : offset + 10])[0]
    return y_max / font.unitsPerEm


@pytest.mark.parametrize("char", ["x", "2"])
def test_letters_and_digits_are_as_tall_as_in_the_body_font(char):
    text_height = dejavu_height(char)
    _, (_, bottom, _, top) = ink(pdf_with((char, 50, 200, 100)))
    assert bottom == pytest.approx(200, abs=2)  # on the baseline (overshoot aside)
    assert (top - 200) / 100 == pytest.approx(text_height, rel=0.05)


def test_drawing_uses_the_fill_colour_and_leaves_the_canvas_as_it_was():
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE, invariant=1)
    canvas.setFillColorRGB(1, 0, 0)
    draw_maths(canvas, r"\frac{1}{2}", 100, 200, 30)
    canvas.rect(10, 20, 30, 40, stroke=0, fill=1)  # must land where it says, in red
    canvas.showPage()
    canvas.save()
    with pdfplumber.open(io.BytesIO(out.getvalue())) as document:
        page = document.pages[0]
        shapes = page.curves + page.rects
    assert {tuple(s["non_stroking_color"]) for s in shapes} == {(1, 0, 0)}
    last = page.rects[-1]
    assert (last["x0"], PAGE[1] - last["bottom"], last["width"], last["height"]) == (
        10,
        20,
        30,
        40,
    )


@pytest.mark.parametrize(
    ("latex", "phrase"),
    [
        (r"\frc{1}{2}", r"unknown command \frc (did you mean \frac?)"),
        (r"\frac{1}{", "unbalanced braces: a { that is never closed"),
        ("x^", "^ or _ with nothing after it"),
        ("}", "unbalanced braces: a } with no { before it"),
        (r"\frac{1}", r"\frac needs a numerator and a denominator, like \frac{1}{2}"),
        (r"\left( x", r"\left without a matching \right"),
        (r"\sqrt", "a command is missing what comes after it"),
        ("x_1_2", "two subscripts in a row; group them, like x_{ij}"),
        ("a & b", r"a stray & (write \& for the sign itself)"),
        (r"\color{red}{x}", r"\color is not supported: maths takes the colour of the text"),
        (r"\boxed{x}", r"\boxed and \cancel are not supported"),
        (r"a \\ b", r"a line break (\\) cannot go in a formula on a line of text"),
        (r"\text{日}", "the maths font has no “日”"),
        ("  ", "empty formula"),
    ],
)
def test_bad_latex_is_one_short_phrase(latex, phrase):
    with pytest.raises(MathsError) as raised:
        measure_maths(latex)
    assert str(raised.value) == phrase
    assert isinstance(raised.value, ValueError)
    with pytest.raises(MathsError):
        draw_maths(Canvas(io.BytesIO()), latex, 0, 0, 10)


def test_escaped_braces_and_ampersand_are_fine():
    for latex in (r"\{ x \}", r"a \& b", r"\left\{ x \right."):
        assert measure_maths(latex).width > 0


# Drawn through printkit's own PDF set-up (invariant canvas, compressed pages), as a build is.
_DIGEST = """
import hashlib
from printkit.content.maths import draw_maths
from printkit.paper import PAPERS
from printkit.pdf import PdfDocument

def digest(formulas):
    document = PdfDocument(PAPERS["a4"], title="Maths")
    document.begin_page()
    for latex in formulas:
        draw_maths(document.canvas, latex, 30, 200, 17)
    return hashlib.sha256(document.finish()).hexdigest()
"""


def test_the_same_formulas_give_the_same_bytes_in_another_process():
    formulas = [r"x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}", r"\sum_{k=0}^{\infty} \frac{1}{k!}"]
    script = _DIGEST + "import sys\nprint(digest(sys.argv[1:]))\n"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *formulas],
            stdout=subprocess.PIPE,
            text=True,
            # The test run's font cache (conftest), not the user's: this environment is bare.
            env={
                "PYTHONHASHSEED": seed,
                "PATH": "",
                "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
            },
        )
        for seed in ("1", "2")
    ]
    here: dict = {}
    exec(_DIGEST, here)
    expected = here["digest"](formulas)
    assert [run.communicate(timeout=30)[0].strip() for run in runs] == [expected, expected]


def test_formulas_laid_out_in_threads_match_those_laid_out_one_by_one():
    formulas = [rf"\frac{{{i}}}{{y}}" for i in range(16)]
    with ThreadPoolExecutor(8) as pool:
        in_threads = list(pool.map(measure_maths, formulas))
    measure_maths.cache_clear()
    maths._formula.cache_clear()
    assert [measure_maths(latex) for latex in formulas] == in_threads


@pytest.mark.parametrize(
    ("data", "same_as"),
    [
        ("m 10 10 l 5 0 v 5 h -5 z", "M 10 10 L 15 10 L 15 15 L 10 15 Z"),
        ("M 10 10 5 5 H 0 V 1", "M 10 10 L 5 5 L 0 5 L 0 1"),
        ("M 0 0 Q 30 30 60 0", "M 0 0 C 20 20 40 20 60 0"),  # a quadratic is the cubic 2/3 on
        ("M 1 1 q 30 30 60 0 c 1 1 2 2 3 3", "M 1 1 Q 31 31 61 1 C 62 2 63 3 64 4"),
    ],
)
def test_svg_path_data_in_every_form_ziamath_might_write(data, same_as):
    assert list(maths._path_operations(data)) == list(maths._path_operations(same_as))
