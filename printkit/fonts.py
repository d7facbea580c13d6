"""The bundled DejaVu Sans family (and DejaVu Sans Mono for code), registered with reportlab.

DejaVu covers Latin, Greek, Cyrillic, arrows and common maths symbols; reportlab embeds only
the glyphs a PDF uses (subsetting), so a sheet stays small. The text faces are registered
together; the code faces only when a deck uses code, so plain decks pay nothing for them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).with_name("typefaces")

REGULAR = "PrintkitSans"
BOLD = "PrintkitSans-Bold"
ITALIC = "PrintkitSans-Italic"
BOLD_ITALIC = "PrintkitSans-BoldItalic"
MONO = "PrintkitMono"
MONO_BOLD = "PrintkitMono-Bold"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_CODE_FILES = {MONO: "DejaVuSansMono.ttf", MONO_BOLD: "DejaVuSansMono-Bold.ttf"}

# The face for each (bold, italic) of the text family. Code is upright: DejaVu Sans Mono's
# oblique would be one more file for a distinction nobody reads in code.
_TEXT_FACES = {(False, False): REGULAR, (True, False): BOLD, (False, True): ITALIC}
_TEXT_FACES[True, True] = BOLD_ITALIC
# What a character missing from a face is drawn in instead: the text face of the same weight.
_FALLBACK = {MONO: REGULAR, MONO_BOLD: BOLD}


@cache
def register_fonts() -> None:
    """Register the family so canvases and text measurement can use the names above."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)


@cache
def register_code_fonts() -> None:
    """Register the monospace faces (the first time a deck's text holds code)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _CODE_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def ensure(font: str) -> None:
    """Register whatever `font` needs before it is measured or drawn (cheap once done)."""
    if font in _CODE_FILES:
        register_code_fonts()
    else:
        register_fonts()


def face(*, bold: bool = False, italic: bool = False, code: bool = False) -> str:
    """The registered face for a style: code in the monospace face, the rest in DejaVu Sans."""
    if code:
        return MONO_BOLD if bold else MONO
    return _TEXT_FACES[bold, italic]


def is_bold(font: str) -> bool:
    return font in (BOLD, BOLD_ITALIC, MONO_BOLD)


@cache
def _glyphs(font: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    ensure(font)
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def split_by_coverage(text: str, font: str) -> list[tuple[str, str]]:
    """`text` cut into (piece, face) so each character is drawn by a face that has it: `font`,
    else its fallback (a code face falls back to the text face of its weight). Characters no
    face has stay in `font`; the build refuses those before drawing."""
    fallback = _FALLBACK.get(font)
    if fallback is None:
        return [(text, font)]
    own = _glyphs(font)
    if all(ord(char) in own or char == " " for char in text):
        return [(text, font)]
    pieces: list[tuple[str, str]] = []
    for char in text:
        chosen = font if ord(char) in own or char == " " else fallback
        if pieces and pieces[-1][1] == chosen:
            pieces[-1] = (pieces[-1][0] + char, chosen)
        else:
            pieces.append((char, chosen))
    return pieces


@cache
def _covered() -> frozenset[int]:
    """The characters every face of the family can draw (a card's text may be set in any)."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    faces = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in _FILES]
    return frozenset(set.intersection(*faces))


def unprintable(text: str) -> list[tuple[str, str]]:
    """The characters of `text` that would not print as themselves, each with the reason:
    no glyph in the bundled font (a blank box), a control character, or right-to-left script
    (reportlab sets it left to right, so it would read backwards). In order of appearance."""
    bad = [char for char in set(text) if _verdict(char) is not None]
    return [(char, _verdict(char)) for char in sorted(bad, key=text.index)]  # type: ignore[misc]


@cache
def _verdict(char: str) -> str | None:
    """Why one character would not print as typed, or None when it prints (checked once)."""
    import unicodedata

    if char in "\n\t":
        return None
    if unicodedata.category(char) == "Cc":
        return "a control character"
    if unicodedata.bidirectional(char) in ("R", "AL"):
        return "right-to-left text, which printkit cannot set yet (it would read backwards)"
    if ord(char) not in _covered() and not unicodedata.category(char).startswith("Z"):
        return "not in the bundled font (it would print as a blank box)"
    return None
