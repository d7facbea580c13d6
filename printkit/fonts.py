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
