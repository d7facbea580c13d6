"""A PDF being drawn: a reportlab canvas set up for reproducible, printable output."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

from printkit import __version__, fonts
from printkit.paper import Paper
from printkit.text import TextBlock, text_width


class PdfDocument:
    """One output file. Layouts draw on `canvas` and call `new_page()`; the engine writes it.

    The canvas is invariant (no timestamp, no random id) so the same deck gives the same bytes.
    """

    def __init__(self, paper: Paper, *, title: str, subject: str | None = None) -> None:
        from reportlab import rl_config
        from reportlab.pdfgen.canvas import Canvas

        # Compressed streams stay binary: ASCII85 on top would make files 25 % larger and cost
        # a fifth of a big build's time, for 7-bit transports nobody prints from.
        rl_config.useA85 = 0

        fonts.register_fonts()
        self.paper = paper
        self._buffer = io.BytesIO()
        # The initial font is ours so that no page refers to a non-embedded Helvetica.
        self.canvas = Canvas(
            self._buffer,
            pagesize=paper.size,
            invariant=1,
            pageCompression=1,
            initialFontName=fonts.REGULAR,
        )
        self.canvas.setTitle(title)
        self.canvas.setAuthor("printkit")
        self.canvas.setCreator(f"printkit {__version__}")
        if subject:
            self.canvas.setSubject(subject)
        self.pages = 0
        self._page_open = False

    def begin_page(self, paper: Paper | None = None) -> None:
        """Start a page (closing the one before), optionally with another size or orientation."""
        if self._page_open:
            self.canvas.showPage()
        if paper is not None:
            self.canvas.setPageSize(paper.size)
        self.pages += 1
        self._page_open = True

    def set_print_preferences(self, duplex_flip: str | None = None) -> None:
        """Ask viewers to print at actual size and, for duplex sheets, to flip on the right edge."""
        self.canvas.setViewerPreference("PrintScaling", "None")
        if duplex_flip is not None:
            edge = "DuplexFlipLongEdge" if duplex_flip == "long" else "DuplexFlipShortEdge"
            self.canvas.setViewerPreference("Duplex", edge)

    def draw_text(
        self, block: TextBlock, x: float, top: float, color: tuple[float, float, float] = (0, 0, 0)
    ) -> None:
        """Draw a fitted block with its box's left edge at x and its top at `top`."""
        self.draw_blocks([(block, x, top, color)])

    def draw_blocks(
        self, blocks: Sequence[tuple[TextBlock, float, float, tuple[float, float, float]]]
    ) -> None:
        """Draw several blocks, each (block, x, top, colour), as one PDF text object.

        Switching font and colour only when they change: a text object per string costs more
        than the text itself on a sheet of small labels and short lines.
        """
        text = self.canvas.beginText()
        font = color = None
        for block, x, top, block_color in blocks:
            if block_color != color:
                color = block_color
                text.setFillColor(color)
            for line in block.lines:
                if (line.font, line.size) != font:
                    font = (line.font, line.size)
                    text.setFont(line.font, line.size)
                baseline = top - line.baseline
                if line.bullet:
                    lead = line.bullet + " "
                    if abs(line.bullet_x + _lead_width(lead, line.font, line.size) - line.x) < 1e-6:
                        # The text starts one space after the bullet: one string, not two.
                        text.setTextOrigin(x + line.bullet_x, baseline)
                        text.textOut(lead + line.text)
                        continue
                    text.setTextOrigin(x + line.bullet_x, baseline)
                    text.textOut(line.bullet)
                text.setTextOrigin(x + line.x, baseline)
                text.textOut(line.text)
        self.canvas.drawText(text)

    def finish(self) -> bytes:
        if not self._page_open:
            self.begin_page()
        self.canvas.showPage()
        self.canvas.save()
        return self._buffer.getvalue()


@lru_cache(maxsize=256)
def _lead_width(lead: str, font: str, size: float) -> float:
    return text_width(lead, font, size)
