"""Inline LaTeX maths, laid out by ziamath and drawn on a reportlab canvas as filled outlines.

Only the outlines reach the PDF (no maths font to embed, no TeX to install), scaled so that a
formula sits among DejaVu Sans body text of the same point size. Measure first, then draw.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache, lru_cache

# ziamath's size is the em of its font, STIX Two Math, which has 1000 units per em: laid out at
# 1000, its coordinates are whole font units, so nothing is lost in its text output.
_LAYOUT_SIZE = 1000.0

# How many points the STIX em takes in maths set beside 1 pt DejaVu Sans. DejaVu's x-height is
# 0.547 em and its digits 0.729 em; STIX's are 0.473 and 0.639, so both ratios are about 1.15
# (its capitals come out 3 % taller than DejaVu's, which the eye forgives more than small
# letters and digits that do not line up with the text around them).
MATHS_EM = 1.15

_TO_POINTS = MATHS_EM / _LAYOUT_SIZE  # ziamath units -> pt, for a formula at 1 pt
_DECIMALS = 4  # at 1 pt; 0.0001 em is invisible at any size a card uses

# ziamath and ziafont keep global settings and caches; one layout at a time.
_ZIAMATH = threading.Lock()


class MathsError(ValueError):
    """A formula that cannot be laid out; str(error) is one short phrase for a teacher,
    e.g. "unknown command \\frc" or "unbalanced braces" (the caller adds file, line and the formula)."""


@dataclass(frozen=True)
class MathsMetrics:
    width: float  # advance width at a font size of 1 pt
    ascent: float  # height above the baseline at 1 pt (positive)
    descent: float  # depth below the baseline at 1 pt (positive)


@dataclass(frozen=True)
class _Formula:
    """A laid-out formula at 1 pt: its metrics and its filled shapes, each a tuple of path
    operations such as ("moveTo", x, y), ("curveTo", x1, y1, x2, y2, x3, y3), ("rect", x, y, w, h)."""

    metrics: MathsMetrics
    shapes: tuple[tuple[tuple, ...], ...]


@lru_cache(maxsize=4096)
def measure_maths(latex: str) -> MathsMetrics:
    """The size of `latex` set at 1 pt; raises MathsError for a formula that cannot be laid out."""
    return _formula(latex).metrics


def draw_maths(canvas, latex: str, x: float, baseline: float, size: float) -> None:
    """Draw `latex` with its origin at (x, baseline), in the current fill colour, matched to
    body text of `size` pt. The canvas's graphics state is left as it was."""
    from reportlab.pdfgen.canvas import FILL_NON_ZERO

    formula = _formula(latex)
    canvas.saveState()
    try:
        canvas.translate(x, baseline)
        canvas.scale(size, size)
        # One fill per glyph or bar: outlines use the non-zero rule, and a bar that overlaps a
        # glyph drawn the other way round would punch a hole if they shared one path.
        for shape in formula.shapes:
            path = canvas.beginPath()
            for name, *args in shape:
                getattr(path, name)(*args)
            canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    finally:
        canvas.restoreState()


@lru_cache(maxsize=4096)
def _formula(latex: str) -> _Formula:
    if not latex.strip():
        raise MathsError("empty formula")
    _check_braces(latex)
    mathml = _to_mathml(latex)
    _check_mathml(mathml)
    return _lay_out(mathml)


def _check_braces(latex: str) -> None:
    # latex2mathml quietly prints a lone "}" and drops a lone "{", so braces are counted here.
    depth = 0
    for match in re.finditer(r"\\.|[{}]", latex):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                raise MathsError("unbalanced braces: a } with no { before it")
    if depth > 0:
        raise MathsError("unbalanced braces: a { that is never closed")


# latex2mathml's exceptions carry no message; what each means, by name (so that the module
# is only imported when a formula is laid out).
_LATEX2MATHML_PHRASES = {
    "NumeratorNotFoundError": r"\frac needs a numerator and a denominator, like \frac{1}{2}",
    "DenominatorNotFoundError": r"\frac needs a numerator and a denominator, like \frac{1}{2}",
    "ExtraLeftOrMissingRightError": r"\left without a matching \right",
    "MissingSuperScriptOrSubscriptError": "^ or _ with nothing after it",
    "DoubleSubscriptsError": "two subscripts in a row; group them, like x_{ij}",
    "DoubleSuperscriptsError": "two superscripts in a row; group them, like x^{ab}",
    "NoAvailableTokensError": "a command is missing what comes after it",
    "MissingEndError": r"\begin without a matching \end",
    "InvalidStyleForGenfracError": r"a bad style in \genfrac",
    "InvalidAlignmentError": "a bad column alignment",
    "InvalidWidthError": "a bad width",
    "LimitsMustFollowMathOperatorError": r"\limits must follow an operator such as \sum",
}


def _to_mathml(latex: str) -> ET.Element:
    from ziamath.escapes import unescape
    from ziamath.tex import tex2mml

    try:
        # Inline, as between $…$ in TeX: limits of \sum sit beside it and fractions are small,
        # so a formula keeps to the height of a line of text.
        text = tex2mml(latex, inline=True)
    except Exception as error:
        phrase = _LATEX2MATHML_PHRASES.get(type(error).__name__, "this is not LaTeX maths")
        raise MathsError(phrase) from error
    try:
        return ET.fromstring(unescape(text))
    except ET.ParseError as error:
        if "&" in latex.replace(r"\&", ""):
            raise MathsError(r"a stray & (write \& for the sign itself)") from error
        raise MathsError("this is not LaTeX maths") from error


# How many children a MathML element must have; latex2mathml leaves one out for "\frac{1}".
_ARITY = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2}
_ARITY |= {"msubsup": 3, "munderover": 3}


_INTEGRALS = set("∫∬∭∮∯∰∱∲∳⨌")


def _check_mathml(mathml: ET.Element) -> None:
    """Refuse what latex2mathml lets through but ziamath would draw wrongly or not at all,
    and keep integral signs at their text size."""
    for element in mathml.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        text = element.text or ""
        if command := re.search(r"\\[A-Za-z]+", text):
            raise MathsError(_unknown_command(command.group()))
        if tag in _ARITY and len(element) != _ARITY[tag]:
            if tag == "mfrac":
                raise MathsError(r"\frac needs a numerator and a denominator, like \frac{1}{2}")
            raise MathsError("a command is missing what comes after it")
        if "mathcolor" in element.attrib or "mathbackground" in element.attrib:
            raise MathsError(r"\color is not supported: maths takes the colour of the text")
        if tag == "menclose":
            raise MathsError(r"\boxed and \cancel are not supported")
        if tag == "merror":
            raise MathsError("this is not LaTeX maths")
        if tag == "mspace" and element.get("linebreak") == "newline":
            raise MathsError(r"a line break (\\) cannot go in a formula on a line of text")
        if tag == "mo" and text.strip() in _INTEGRALS:
            # ziamath would stretch an integral sign to the height of what follows it (e^{-x});
            # TeX keeps it at its text size.
            element.set("stretchy", "false")
        for char in text:
            if not char.isspace() and unicodedata.category(char) != "Cf" and not _has_glyph(char):
                raise MathsError(f"the maths font has no “{char}”")


def _unknown_command(command: str) -> str:
    import difflib

    near = difflib.get_close_matches(command, _known_commands(), n=1, cutoff=0.75)
    return f"unknown command {command}" + (f" (did you mean {near[0]}?)" if near else "")


@cache
def _known_commands() -> tuple[str, ...]:
    from latex2mathml import commands
    from latex2mathml.symbols_parser import SYMBOLS

    names = set(SYMBOLS)
    for value in vars(commands).values():
        members = value if isinstance(value, (tuple, list, set, frozenset, dict)) else (value,)
        names.update(m for m in members if isinstance(m, str))
    return tuple(sorted(n for n in names if re.fullmatch(r"\\[A-Za-z]+", n)))


@cache
def _has_glyph(char: str) -> bool:
    from ziamath.zmath import loadedfonts

    with _ZIAMATH:
        return loadedfonts["default"].glyphindex(char) != 0


def _lay_out(mathml: ET.Element) -> _Formula:
    import ziafont
    import ziamath

    drawing = ET.Element("g")
    with _ZIAMATH:
        svg2 = ziafont.config.svg2
        ziafont.config.svg2 = False  # each glyph as a <path>, not a <use> of a shared symbol
        try:
            node = ziamath.Math(mathml, size=_LAYOUT_SIZE).node
            node.draw(0, 0, drawing)
        except Exception as error:  # ziamath has no error type of its own
            raise MathsError("this formula cannot be laid out") from error
        finally:
            ziafont.config.svg2 = svg2
    box = node.bbox
    metrics = MathsMetrics(
        width=_round(max(node.xadvance(), box.xmax) * _TO_POINTS),
        ascent=_round(max(box.ymax, 0) * _TO_POINTS),
        descent=_round(max(-box.ymin, 0) * _TO_POINTS),
    )
    return _Formula(metrics, tuple(_shapes(drawing)))


def _shapes(drawing: ET.Element):
    """The filled shapes of ziamath's SVG drawing, flipped to PDF's upward y, at 1 pt."""
    for element in drawing.iter():
        if element.tag == "g":
            continue
        if "stroke" in element.attrib or element.get("fill") == "none":
            raise MathsError(r"\boxed and \cancel are not supported")
        if element.tag == "path":
            yield tuple(_path_operations(element.attrib["d"]))
        elif element.tag == "rect":
            x, y, w, h = (float(element.attrib[key]) for key in ("x", "y", "width", "height"))
            yield (("rect", *_point(x, y + h), _round(w * _TO_POINTS), _round(h * _TO_POINTS)),)
        else:
            raise MathsError(f"ziamath drew a <{element.tag}>, which printkit cannot print")


_PATH_TOKEN = re.compile(r"[MmLlHhVvCcQqZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|\S")
_ARGUMENTS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Q": 4, "Z": 0}


def _path_operations(data: str):
    """reportlab path operations for SVG path data (every command ziafont writes: M L H V C Q Z,
    absolute or relative); quadratic curves become the equal cubic ones."""
    tokens = _PATH_TOKEN.findall(data)
    x = y = start_x = start_y = 0.0
    i = 0
    command = ""
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
        elif not command or command in "Zz":
            raise ValueError(f"unexpected {tokens[i]!r} in SVG path data")
        letter = command.upper()
        if letter not in _ARGUMENTS:
            raise ValueError(f"SVG path command {command!r} is not handled")
        count = _ARGUMENTS[letter]
        args = [float(token) for token in tokens[i : i + count]]
        i += count
        if command.islower() and letter not in "HVZ":
            args = [a + (x if k % 2 == 0 else y) for k, a in enumerate(args)]
        if letter == "Z":
            yield ("close",)
            x, y = start_x, start_y
        elif letter == "M":
            x, y = start_x, start_y = args
            yield ("moveTo", *_point(x, y))
            command = "l" if command == "m" else "L"  # later pairs are lines
        elif letter in "LHV":
            if letter == "H":
                x = args[0] + (x if command == "h" else 0)
            elif letter == "V":
                y = args[0] + (y if command == "v" else 0)
            else:
                x, y = args
            yield ("lineTo", *_point(x, y))
        elif letter == "C":
            yield ("curveTo", *_point(*args[0:2]), *_point(*args[2:4]), *_point(*args[4:6]))
            x, y = args[4:6]
        else:  # Q: the cubic with control points 2/3 of the way to the quadratic one
            qx, qy, ex, ey = args
            c1 = (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y))
            c2 = (ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey))
            yield ("curveTo", *_point(*c1), *_point(*c2), *_point(ex, ey))
            x, y = ex, ey


def _point(x: float, y: float) -> tuple[float, float]:
    """An SVG point (y down) of the layout as a PDF point (y up) at 1 pt."""
    return _round(x * _TO_POINTS), _round(-y * _TO_POINTS)


def _round(value: float) -> float:
    return round(value, _DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
