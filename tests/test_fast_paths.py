"""The shortcuts that make 10,000-card decks fast give exactly what the long way gives."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.textobject import PDFTextObject

from printkit import fonts
from printkit.paper import PAPERS
from printkit.pdf import PdfDocument
from printkit.text import Paragraph, layout_text

# Printable ASCII with the characters PDF strings escape, other scripts, a bullet, a tab.
TEXTS = (
    "Plain words (with brackets) and a back\\slash",
    "Ünïcödé, Ελληνικά, русский and 中文 between ASCII",
    "~!@#$%^&*()_+{}|:\"<>?`-=[];',./ 0123456789",
    "ends with a parenthesis)",
)


def _pdf(fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, int]:
    """The PDF, and how many strings went through reportlab's textOut."""
    calls = []
    text_out = PDFTextObject.textOut
    monkeypatch.setattr(
        PDFTextObject, "textOut", lambda self, s: calls.append(s) or text_out(self, s)
    )
    if not fast:  # every line through reportlab's own textOut
        monkeypatch.setattr(PdfDocument, "_ascii_readable", lambda self, font: False)
    doc = PdfDocument(PAPERS["a4"], title="Fast path")
    doc.begin_page()
    for font in (fonts.REGULAR, fonts.BOLD):
        paragraphs = [Paragraph(text, font) for text in TEXTS]
        paragraphs += [Paragraph(TEXTS[0], font, bullet="•"), Paragraph("x", font, bullet="-")]
        block = layout_text(paragraphs, 200, 9)
        doc.draw_text(block, 50, 800)
        doc.draw_text(block, 300, 500, (0.2, 0.3, 0.4))
    data = doc.finish()
    monkeypatch.undo()
    return data, len(calls)


def test_lines_drawn_directly_are_the_bytes_reportlab_writes(monkeypatch):
    (fast, through_reportlab), (slow, all_lines) = _pdf(True, monkeypatch), _pdf(False, monkeypatch)
    assert fast == slow
    assert through_reportlab < all_lines / 2  # the direct way was taken
    text = PdfReader(io.BytesIO(fast)).pages[0].extract_text()
    for line in ("Plain words (with", "back\\slash", "~!@#$%^&*()_+{}|"):
        assert line in text
