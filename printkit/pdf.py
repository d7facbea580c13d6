"""A PDF being drawn: a reportlab canvas set up for reproducible, printable output."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

from printkit import __version__, fonts, quick_save
from printkit.paper import Paper
from printkit.text import Line, TextBlock, is_plain_text, label_line, shorten, text_width


class PdfDocument:
    """One output file. Layouts draw on `canvas` and call `new_page()`; the engine writes it.

    The canvas is invariant (no timestamp, no random id) so the same deck gives the same bytes.
    """

    def __init__(self, paper: Paper, *, title: str, subject: str | None = None) -> None:
        from reportlab import rl_config
        from reportlab.lib.rl_accel import escapePDF, fp_str
        from reportlab.pdfgen.canvas import Canvas

        self._escape_pdf, self._fp_str = escapePDF, fp_str

        # Compressed streams stay binary: ASCII85 on top would make files 25 % larger and cost
        # a fifth of a big build's time, for 7-bit transports nobody prints from.
        rl_config.useA85 = 0
        quick_save.install()

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
        self._ascii_subsets: dict[str, str | None] = {}
        self._leads: dict[tuple[str, str], bytes | None] = {}
        if not self.canvas.bottomup:  # _plain_out writes bottom-up text matrices
            raise ValueError("a printkit canvas draws bottom-up")

    def begin_page(self, paper: Paper | None = None) -> None:
        """Start a page (closing the one before), optionally with another size or orientation."""
        if self._page_open:
            self.canvas.showPage()
        if paper is not None:
            self.canvas.setPageSize(paper.size)
        self.pages += 1
        self._page_open = True

    def set_print_preferences(self, duplex_flip: str | None = None) -> None:
        """Ask viewers to print at actual size and, for duplex sheets, to flip on the right edge
        ("long" or "short"), or ("simplex") to print on one side only."""
        self.canvas.setViewerPreference("PrintScaling", "None")
        if duplex_flip is not None:
            edge = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge"}
            self.canvas.setViewerPreference("Duplex", edge.get(duplex_flip, "Simplex"))
            # /Duplex is a PDF 1.7 key: the header says so (reportlab writes 1.4).
            document = self.canvas._doc
            document._pdfVersion = max(document._pdfVersion, (1, 7))

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
        than the text itself on a sheet of small labels and short lines. Formulas and pictures
        are drawn after the text, in the colour of their block.
        """
        text = self.canvas.beginText()
        state = _TextState()
        later: list[tuple[Line, float, float, tuple[float, float, float]]] = []
        for block, x, top, block_color in blocks:
            if block_color != state.color:
                state.color = block_color
                text.setFillColor(block_color)
            for line in block.lines:
                baseline = top - line.baseline
                if line.spans or line.figure is not None:
                    self._rich_line(text, state, line, x, baseline, later)
                    continue
                if (line.font, line.size) != state.font:
                    state.font = (line.font, line.size)
                    text.setFont(line.font, line.size)
                if line.bullet:
                    lead = line.bullet + " "
                    at_bullet = line.bullet_x + _lead_width(lead, line.font, line.size)
                    if abs(at_bullet - line.x) < 1e-6:
                        # The text starts one space after the bullet: one string, not two.
                        self._plain_out(text, x + line.bullet_x, baseline, line.text, lead)
                        continue
                    self._plain_out(text, x + line.bullet_x, baseline, "", line.bullet)
                self._plain_out(text, x + line.x, baseline, line.text)
        self.canvas.drawText(text)
        for line, x, baseline, color in later:
            self._draw_figures(line, x, baseline, color)

    def _plain_out(self, text, x: float, baseline: float, string: str, lead: str = "") -> None:
        """`lead` + `string` in the text object's font with its origin at (x, baseline): the
        operators setTextOrigin and textOut write, written directly where that is simple.

        A 10,000-card deck draws 200,000 lines; reportlab's textOut measures each string (for
        a cursor we never use) and maps it character by character to the font subset's codes,
        most of the drawing time. Printable ASCII is code for code the first subset of a
        TrueType font (reportlab's `ttfAsciiReadable`, checked per font and document), so the
        string is its own bytes. A bullet's bytes are asked of reportlab once per font (it
        gives new characters their codes then, in the order textOut would have). Anything
        else goes through textOut.
        """
        code = text._code
        code.append(f"1 0 0 1 {self._fp_str(x, baseline)} Tm")  # as setTextOrigin, bottom-up
        text._x0 = text._x = x
        text._y0 = text._y = baseline
        subset = self._ascii_subset(text) if string.isascii() and string.isprintable() else None
        head = self._lead_bytes(text, lead) if subset and lead else b""
        if not subset or head is None or not (lead or string):
            text.textOut(lead + string)
            return
        shown = self._escape_pdf(head + string.encode("ascii") if lead else string)
        if text._curSubset == 0:
            code.append(f"({shown}) Tj")
        else:  # select the subset first, as textOut does after a change of font
            size, leading = self._fp_str(text._fontsize), self._fp_str(text._leading)
            code.append(f"{subset} {size} Tf {leading} TL ({shown}) Tj")
            text._curSubset = 0

    def _ascii_subset(self, text) -> str | None:
        """The PDF name of subset 0 of the text object's font when printable ASCII is its own
        code there in this document, else None."""
        name = text._fontname
        if name not in self._ascii_subsets:
            from reportlab.pdfbase import pdfmetrics

            font = pdfmetrics.getFont(name)
            if not font._dynamicFont:  # a standard Type 1 font: reportlab's way
                self._ascii_subsets[name] = None
                return None
            state = font.state.get(self.canvas._doc)
            if state is None:  # the font is not used in this document yet: reportlab's way
                return None
            ascii_readable = all(state.assignments.get(code) == code for code in range(32, 127))
            # Known for good: a character's code is never changed once given.
            subset = font.getSubsetInternalName(0, self.canvas._doc) if ascii_readable else None
            self._ascii_subsets[name] = subset
        return self._ascii_subsets[name]

    def _lead_bytes(self, text, lead: str) -> bytes | None:
        """A bullet's bytes in subset 0 of the text object's font, or None if it is not all
        in subset 0 (then textOut selects the subsets it needs)."""
        key = (text._fontname, lead)
        if key not in self._leads:
            from reportlab.pdfbase import pdfmetrics

            chunks = pdfmetrics.getFont(text._fontname).splitString(lead, self.canvas._doc)
            self._leads[key] = chunks[0][1] if len(chunks) == 1 and chunks[0][0] == 0 else None
        return self._leads[key]

    @staticmethod
    def _rich_line(text, state: _TextState, line: Line, x: float, baseline: float, later) -> None:
        """A line of styled spans (its formulas left for later), or a picture's line (later)."""
        if line.figure is not None or any(s.maths is not None for s in line.spans):
            later.append((line, x, baseline, state.color))
        if line.figure is not None:
            return
        if line.bullet:
            if (line.font, line.size) != state.font:
                state.font = (line.font, line.size)
                text.setFont(line.font, line.size)
            text.setTextOrigin(x + line.bullet_x, baseline)
            text.textOut(line.bullet)
        _draw_spans(text, state, line, x, baseline)

    def draw_label(
        self,
        text: str,
        font: str,
        size: float,
        x: float,
        baseline: float,
        *,
        width: float,
        align: str = "left",
        color: tuple[float, float, float] = (0, 0, 0),
        styled: bool = False,
    ) -> None:
        """One line of small print starting at x (or centred on a `width` from x, or ending
        at x + width), shortened with an ellipsis to `width`. Text in one face is drawn as
        one string, as it always was (`styled`: the canvas is already in this font and
        colour); other scripts are set like card text."""
        canvas = self.canvas
        if is_plain_text(text, font):
            text = shorten(text, font, size, width)
            if not styled:
                canvas.setFillColorRGB(*color)
                canvas.setFont(font, size)
            if align == "center":
                canvas.drawCentredString(x + width / 2, baseline, text)
            elif align == "right":
                canvas.drawRightString(x + width, baseline, text)
            else:
                canvas.drawString(x, baseline, text)
            return
        line = label_line(text, font, size, width)
        start = {"center": (width - line.width) / 2, "right": width - line.width}.get(align, 0.0)
        block = TextBlock(size, (line,), 0.0, line.width)
        self.draw_blocks([(block, x + start, baseline, color)])

    def _draw_figures(
        self, line: Line, x: float, baseline: float, color: tuple[float, float, float]
    ) -> None:
        """A line's formulas, or its picture, which a text object cannot hold."""
        canvas = self.canvas
        if line.figure is not None:
            from printkit.content.pictures import draw_picture

            figure = line.figure
            draw_picture(
                canvas,
                figure.picture,
                x + line.x,
                baseline,
                line.width,
                line.height,
                figure.description,
            )
            return
        from printkit.content.maths import draw_maths
        from printkit.content.pictures import pdf_text_string

        canvas.saveState()
        canvas.setFillColorRGB(*color)
        for span in line.spans:
            if span.maths is not None:
                # Outlines have no text: the formula's LaTeX is its ActualText, which viewers
                # give back on copy and search, and screen readers read.
                canvas.addLiteral(f"/Span <</ActualText {pdf_text_string(span.maths)}>> BDC")
                draw_maths(canvas, span.maths, x + line.x + span.x, baseline + span.rise, span.size)
                canvas.addLiteral("EMC")
        canvas.restoreState()

    def finish(self) -> bytes:
        if not self._page_open:
            self.begin_page()
        self.canvas.showPage()
        self.canvas.save()
        return self._buffer.getvalue()


@lru_cache(maxsize=256)
def _lead_width(lead: str, font: str, size: float) -> float:
    return text_width(lead, font, size)


class _TextState:
    """What the text object is set to, so that it is changed only when a line needs another."""

    def __init__(self) -> None:
        self.font: tuple[str, float] | None = None
        self.color: tuple[float, float, float] | None = None
        self.rise = 0.0


def _draw_spans(text, state: _TextState, line: Line, x: float, baseline: float) -> None:
    """A rich line's text spans, each at its own place, face, size and rise."""
    for span in line.spans:
        if span.maths is not None:
            continue
        if (span.font, span.size) != state.font:
            state.font = (span.font, span.size)
            text.setFont(span.font, span.size)
        if span.rise != state.rise:
            state.rise = span.rise
            text.setRise(span.rise)
        text.setTextOrigin(x + line.x + span.x, baseline)
        if span.shaped is not None:
            from printkit.shaping import draw_run

            draw_run(text, span.shaped, span.font, span.size)
            continue
        text.textOut(span.text)
    if state.rise:
        state.rise = 0.0
        text.setRise(0)
