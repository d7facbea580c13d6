"""The bundled DejaVu Sans family, registered with reportlab once per process.

DejaVu covers Latin, Greek, Cyrillic, arrows and common maths symbols; reportlab embeds only
the glyphs a PDF uses (subsetting), so a sheet stays small.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).with_name("typefaces")

REGULAR = "PrintkitSans"
BOLD = "PrintkitSans-Bold"
ITALIC = "PrintkitSans-Italic"
BOLD_ITALIC = "PrintkitSans-BoldItalic"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}


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
