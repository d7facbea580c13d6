"""The calibration sheet: one test print that measures a printer's scale, flip edge and the
offset of its backs, read against the light. Drawn here, not as a deck layout.
"""

from __future__ import annotations

from printkit import fonts
from printkit.paper import MM, Box, Paper
from printkit.pdf import PdfDocument
from printkit.sheet import mirror_for_duplex
from printkit.text import Paragraph, layout_text

STEP = 0.5  # mm between neighbouring targets
STEPS = tuple(i * STEP for i in range(-6, 7))  # −3 … +3 mm
PITCH = 10 * MM  # distance between targets: far apart enough to tell them from each other
HEADING = 14 * MM  # room for the row headings (left) and the column headings (above)
RULER = 100 * MM
MARKER = 8 * MM  # the black square on the front
MARKER_BOX = 13 * MM  # the outlines on the back it must show inside
CROSS_ARM = 2.6 * MM  # half the length of a cross on the back
MARKER_CENTRE = 17 * MM  # from the top-left corner of the front
GRID_BOTTOM = 32 * MM  # keeps the back's SHORT box (bottom left) clear of the targets
INK = (0.0, 0.0, 0.0)
GREY = (0.45, 0.45, 0.45)


def calibration_pdf(paper: Paper, flip: str = "long") -> bytes:
    """The two pages (front, back) of the calibration sheet, made for printing with `flip`."""
    doc = PdfDocument(paper, title="printkit calibration sheet")
    doc.set_print_preferences(duplex_flip=flip)
    doc.begin_page()
    _front(doc, flip)
    doc.begin_page()
    _back(doc, flip)
    return doc.finish()


def marker_box(paper: Paper) -> Box:
    """The black square on the front, near its top-left corner."""
    centre_x, centre_y = MARKER_CENTRE, paper.height - MARKER_CENTRE
    return Box(centre_x - MARKER / 2, centre_y - MARKER / 2, MARKER, MARKER)


def target_centres(paper: Paper) -> list[tuple[float, float, float, float]]:
    """(x, y, dx, dy) for every target on the front: its centre and the offset it stands for.
    Columns run left to right from −3 to +3 mm (X), rows top to bottom from +3 to −3 mm (Y)."""
    grid_width = len(STEPS) * PITCH
    left = (paper.width - grid_width + HEADING) / 2
    bottom = GRID_BOTTOM
    targets = []
    for row, dy in enumerate(reversed(STEPS)):
        y = bottom + (len(STEPS) - row - 0.5) * PITCH
        for column, dx in enumerate(STEPS):
            targets.append((left + (column + 0.5) * PITCH, y, dx, dy))
    return targets


def _front(doc: PdfDocument, flip: str) -> None:
    paper, canvas = doc.paper, doc.canvas
    _title(doc, "printkit calibration sheet · FRONT")
    canvas.setFillColorRGB(*INK)
    square = marker_box(paper)
    canvas.rect(square.x, square.y, square.width, square.height, stroke=0, fill=1)
    canvas.setFont(fonts.REGULAR, 7)
    canvas.drawString(square.right + 2 * MM, square.y + 1 * MM, "flip marker (see the back)")

    edge = "long" if flip == "long" else "short"
    steps = [
        "Print this PDF on ONE sheet, double-sided, at “Actual size” / 100 % (not “Fit to "
        f"page”), flipping on the {edge} edge, with the printer, tray and paper you will use for "
        "flashcards.",
        "Scale: the black line under these steps must measure exactly 100 mm (10 cm). If it is "
        "shorter, the print dialog shrank the page: choose “Actual size” and print again.",
        "Flip edge: hold the sheet up to a window or a lamp and look at the BACK. The black "
        "square of the front shows inside the box marked LONG or SHORT: that is the edge your "
        "printer flips on. If it is not the "
        f"{edge} edge, print again choosing “flip on {edge} edge”, or make this sheet with "
        f"printkit calibrate --flip {'short' if edge == 'long' else 'long'}.",
        "Back offset: still against the light, look at the targets below from this side. Find "
        "the one whose cross (printed on the back) sits exactly in the middle of its circle. "
        "Its column heading is X, its row heading is Y, in mm.",
        "Write them into printkit.yaml in your workspace folder, then build with "
        "printkit build --printer office:",
    ]
    paragraphs = [Paragraph(s, bullet=f"{n}.") for n, s in enumerate(steps, start=1)]
    left, top = 20 * MM, paper.height - 27 * MM
    block = layout_text(paragraphs, paper.width - 2 * left, 8.5, paragraph_gap=0.45)
    doc.draw_text(block, left, top, INK)
    top -= block.height + 1.5 * MM
    canvas.setFont(fonts.BOLD, 8.5)
    snippet = ("printers:", "  office:", f"    flip: {edge}", "    back_offset: X,Y")
    for line in snippet:
        indent = (len(line) - len(line.lstrip())) * 1.6 * MM
        top -= 3.6 * MM
        canvas.drawString(left + 8 * MM + indent, top, line.strip())

    ruler_y = top - 11 * MM
    _ruler(doc, (paper.width - RULER) / 2, ruler_y, "FRONT: this line must be 100 mm")
    _targets(doc)


def _back(doc: PdfDocument, flip: str) -> None:
    paper, canvas = doc.paper, doc.canvas
    _title(doc, "printkit calibration sheet · BACK")
    front_square = marker_box(paper)
    for edge, label in (("long", "LONG edge"), ("short", "SHORT edge")):
        square = mirror_for_duplex(front_square, paper, edge)
        box = Box(
            square.x - (MARKER_BOX - MARKER) / 2,
            square.y - (MARKER_BOX - MARKER) / 2,
            MARKER_BOX,
            MARKER_BOX,
        )
        canvas.setStrokeColorRGB(*INK)
        canvas.setLineWidth(1.2)
        canvas.rect(box.x, box.y, box.width, box.height, stroke=1, fill=0)
        canvas.setFillColorRGB(*INK)
        # The caption goes below the top box and above the bottom one, away from the title.
        lines = (label, "if the black square", "shows in this box")
        below = box.y > paper.height / 2
        for i, line in enumerate(lines):
            canvas.setFont(fonts.BOLD if i == 0 else fonts.REGULAR, 9 if i == 0 else 7)
            offset = (i + 1) * 3.6 * MM if below else (len(lines) - i) * 3.6 * MM - 2 * MM
            y = box.y - offset if below else box.top + offset
            if box.x > paper.width / 2:
                canvas.drawRightString(box.right, y, line)
            else:
                canvas.drawString(box.x, y, line)

    note = (
        "BACK. Hold the sheet up to a window or a lamp. Flip edge: see the boxes in the corners. "
        "Back offset: turn to the FRONT and read the targets there. The ruler below must be "
        "100 mm too."
    )
    block = layout_text([Paragraph(note)], paper.width - 2 * 40 * MM, 8.5)
    crosses = _back_crosses(paper, flip)
    top = paper.height - 30 * MM
    crosses_top = max(cy for _cx, cy in crosses) + CROSS_ARM
    # Turned over the short edge, the targets land at the top of the back: the note and the
    # ruler go below them instead, where the back is blank.
    if crosses_top > top - block.height - 9 * MM - 3.5 * MM - 3 * MM:
        top = min(cy for _cx, cy in crosses) - CROSS_ARM - 8 * MM
    doc.draw_text(block, 40 * MM, top, INK)
    _ruler(doc, (paper.width - RULER) / 2, top - block.height - 9 * MM, "BACK: 100 mm")

    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.5)
    arm = CROSS_ARM
    for cx, cy in crosses:
        canvas.line(cx - arm, cy, cx + arm, cy)
        canvas.line(cx, cy - arm, cx, cy + arm)


def _back_crosses(paper: Paper, flip: str) -> list[tuple[float, float]]:
    """The centres of the back's crosses: each where the front's circle lands once the sheet is
    turned, moved by the offset its target stands for (it lines up when the printer's error is
    −(dx, dy))."""
    crosses = []
    for x, y, dx, dy in target_centres(paper):
        spot = mirror_for_duplex(Box(x, y, 0, 0), paper, flip)
        crosses.append((spot.x + dx * MM, spot.y + dy * MM))
    return crosses


def _title(doc: PdfDocument, text: str) -> None:
    canvas = doc.canvas
    canvas.setFillColorRGB(*INK)
    canvas.setFont(fonts.BOLD, 13)
    canvas.drawCentredString(doc.paper.width / 2, doc.paper.height - 19 * MM, text)


def _ruler(doc: PdfDocument, left: float, y: float, caption: str) -> None:
    """A 100 mm line with millimetre ticks and centimetre numbers, its caption underneath."""
    canvas = doc.canvas
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.6)
    canvas.line(left, y, left + RULER, y)
    canvas.setLineWidth(0.3)
    canvas.setFont(fonts.REGULAR, 6.5)
    canvas.setFillColorRGB(*INK)
    for mm in range(0, 101):
        length = 3 * MM if mm % 10 == 0 else 2 * MM if mm % 5 == 0 else 1.2 * MM
        x = left + mm * MM
        canvas.line(x, y, x, y + length)
        if mm % 10 == 0:
            canvas.drawCentredString(x, y + 3.6 * MM, str(mm // 10))
    canvas.drawString(left + RULER + 2 * MM, y + 3.6 * MM, "cm")
    canvas.setFont(fonts.REGULAR, 7)
    canvas.drawCentredString(left + RULER / 2, y - 3.5 * MM, caption)


def _targets(doc: PdfDocument) -> None:
    """The front's circles, with X headings above the columns and Y headings left of the rows."""
    paper, canvas = doc.paper, doc.canvas
    targets = target_centres(paper)
    xs = sorted({t[0] for t in targets})
    ys = sorted({t[1] for t in targets}, reverse=True)
    left, right = xs[0] - PITCH / 2, xs[-1] + PITCH / 2
    bottom, top = ys[-1] - PITCH / 2, ys[0] + PITCH / 2

    canvas.setStrokeGray(0.82)
    canvas.setLineWidth(0.3)
    for i in range(len(STEPS) + 1):
        canvas.line(left + i * PITCH, bottom, left + i * PITCH, top)
        canvas.line(left, bottom + i * PITCH, right, bottom + i * PITCH)
    # The middle target stands for "no correction": shade it so it is easy to find.
    canvas.setFillGray(0.9)
    middle = len(STEPS) // 2
    canvas.rect(xs[middle] - PITCH / 2, ys[middle] - PITCH / 2, PITCH, PITCH, stroke=0, fill=1)

    canvas.setFillColorRGB(*INK)
    canvas.setFont(fonts.REGULAR, 6.5)
    for x, step in zip(xs, STEPS, strict=True):
        canvas.drawCentredString(x, top + 1.6 * MM, _signed(step))
    for y, step in zip(ys, reversed(STEPS), strict=True):
        canvas.drawRightString(left - 1.5 * MM, y - 2, _signed(step))
    canvas.setFont(fonts.BOLD, 7.5)
    canvas.drawCentredString((left + right) / 2, top + 5.2 * MM, "X (mm): the column heading")
    canvas.saveState()
    canvas.translate(left - 9 * MM, (bottom + top) / 2)
    canvas.rotate(90)
    canvas.drawCentredString(0, 0, "Y (mm): the row heading")
    canvas.restoreState()

    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.5)
    for x, y, _dx, _dy in targets:
        canvas.circle(x, y, 1.6 * MM, stroke=1, fill=0)
        canvas.circle(x, y, 0.25 * MM, stroke=0, fill=1)


def _signed(step: float) -> str:
    if step == 0:
        return "0"
    return f"{'+' if step > 0 else '−'}{abs(step):g}"
