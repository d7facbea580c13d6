"""Imposition: which card side goes where on which printed page, and the ink around the cards
(cut marks, back colour, fold line, the note in the margin, the manual-duplex instructions).

`pages()` is pure placement data, usable without a PDF (tests, a preview); `impose()` draws it,
asking the layout to draw each card face through a callback.
"""

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from printkit import fonts
from printkit.paper import MM, SAFE_MARGIN, Box, Paper
from printkit.pdf import PdfDocument
from printkit.records import checked
from printkit.sheet import FLIPS, CardGrid, mirror_for_duplex, sheets
from printkit.stocks import Stock, StockError
from printkit.text import Paragraph, fit_text, shorten, text_width

DUPLEX_MODES = ("double", "manual", "fold")
CUT_MARKS = ("lines", "crop", "none")

NOTE_SIZE = 6.5  # the sheet note: small print in the margin, like the cards' own labels
NOTE_HEIGHT = 1.2 * NOTE_SIZE  # a sheet note's line, from its descenders to its ascenders
MIN_NOTE_SIZE = 6.0  # the smallest print anywhere (as on cards): a smaller note is left out
INK = (0.0, 0.0, 0.0)
GREY = (0.45, 0.45, 0.45)
CUT_GREY = 0.72

# draw_face(doc, box, index, side): the layout draws side "front" or "back" of card `index` in box.
DrawFace = Callable[[PdfDocument, Box, int, str], None]


@checked
class Imposition(NamedTuple):
    """How the cards are put on sheets.

    `mode`: double (the printer prints both sides), manual (all fronts, then all backs, after a
    page of instructions) or fold (fronts on the left half, backs on the right, one-sided).
    `back_offset` (x, y in points) corrects a duplex printer's misregistration; a folded sheet is
    printed on one side, so it has none to correct. `back_color` fills the backs, running `bleed`
    past each card edge. `marks`: cut lines on every card edge, crop marks in the margin only,
    or none; always on the fronts only, where a misregistered back cannot show them crooked.
    """

    mode: str = "double"
    flip: str = "long"
    back_offset: tuple[float, float] = (0.0, 0.0)
    back_color: tuple[float, float, float] | None = None
    bleed: float = 2 * MM
    marks: str = "lines"

    def _check(self) -> None:
        for name, value, choices in (
            ("mode", self.mode, DUPLEX_MODES),
            ("flip", self.flip, FLIPS),
            ("marks", self.marks, CUT_MARKS),
        ):
            if value not in choices:
                raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        if self.bleed < 0:
            raise ValueError("the bleed cannot be negative")

    def grid(self, stock: Stock, paper: Paper, gap: float = 0.0) -> CardGrid:
        """The grid the fronts go in: the stock's, or for folding the part of it on the left
        half of the paper. StockError when the cards do not fit."""
        grid = stock.grid(paper, gap)
        return _fold_grid(stock, grid) if self.mode == "fold" else grid


def cut_marks_for(stock: Stock, choice: str = "auto") -> str:
    """The marks `choice` stands for: auto means lines on plain paper (cut along them) and crop
    marks on perforated stock (which is cut already; lines would print on its cards)."""
    if choice == "auto":
        return "crop" if stock.perforated else "lines"
    return choice


def _fold_grid(stock: Stock, grid: CardGrid) -> CardGrid:
    """The grid on the left half of the paper: fronts there, backs mirrored across the fold."""
    if stock.perforated:
        raise StockError(
            "fold mode prints fronts and backs side by side on plain paper, not on perforated "
            "card stock; choose a plain stock or another duplex mode"
        )
    paper = grid.paper
    half = Paper(paper.name, paper.width / 2, paper.height)
    columns = min(grid.columns, int((half.width + grid.gap + 1e-6) // (grid.card_width + grid.gap)))
    if columns < 1:
        raise StockError(
            f"cards {grid.card_width / MM:.0f} mm wide do not fit on half a "
            f"{paper.name.capitalize()} sheet ({half.width / MM:.0f} mm) for folding; "
            "use narrower cards"
        )
    return CardGrid(
        half, grid.card_width, grid.card_height, columns, grid.rows, grid.gap, grid.row_gap
    )


class Placement(NamedTuple):
    """Side `side` ("front" or "back") of card `index` goes in `box`."""

    index: int
    side: str
    box: Box


class Page(NamedTuple):
    """One printed page. `kind`: instructions (manual duplex only), fronts, backs, or folded
    (fronts on the left half, backs on the right). `sheet` counts from 1 (0: instructions)."""

    paper: Paper
    kind: str
    sheet: int
    sheets: int
    placements: tuple[Placement, ...] = ()

    def side(self, side: str) -> list[Placement]:
        return [p for p in self.placements if p.side == side]

    @property
    def marks_area(self) -> Box:
        """Where the fronts' cut marks may run: the whole page, or the left half of a fold."""
        width = self.paper.width / 2 if self.kind == "folded" else self.paper.width
        return Box(0, 0, width, self.paper.height)

    @property
    def bleed_area(self) -> Box:
        """Where the back colour may run: the printable area, or its right half on a fold."""
        printable = self.paper.printable_area()
        if self.kind != "folded":
            return printable
        middle = self.paper.width / 2
        return Box(middle, printable.y, printable.right - middle, printable.height)


def pages(paper: Paper, grid: CardGrid, count: int, imposition: Imposition) -> list[Page]:
    """Every page of `count` cards imposed on `paper` in `grid` (made by `Imposition.grid`), in
    print order. Pure."""
    width = paper.width / 2 if imposition.mode == "fold" else paper.width
    if abs(grid.paper.width - width) > 1e-6 or abs(grid.paper.height - paper.height) > 1e-6:
        raise ValueError(f"the grid is not on {paper.name} paper for {imposition.mode} mode")
    runs = list(enumerate(sheets(range(count), grid.per_sheet), start=1))
    total = len(runs)

    # Every sheet has the same slots: their boxes are worked out once, not once per card.
    front_boxes = grid.card_boxes()
    back_boxes = [
        _shifted(grid.back_box(slot, imposition.flip), imposition.back_offset)
        for slot in range(grid.per_sheet)
    ]
    # Folding about the vertical centre line puts a point at x behind W - x, exactly like
    # turning the sheet over its long edge.
    folded_boxes = [mirror_for_duplex(box, paper, "long") for box in front_boxes]

    def fronts(indexes: Sequence[int]) -> list[Placement]:
        return [Placement(i, "front", front_boxes[slot]) for slot, i in enumerate(indexes)]

    def backs(indexes: Sequence[int]) -> list[Placement]:
        return [Placement(i, "back", back_boxes[slot]) for slot, i in enumerate(indexes)]

    def folded_backs(indexes: Sequence[int]) -> list[Placement]:
        return [Placement(i, "back", folded_boxes[slot]) for slot, i in enumerate(indexes)]

    front_pages = [Page(paper, "fronts", n, total, tuple(fronts(run))) for n, run in runs]
    back_pages = [Page(paper, "backs", n, total, tuple(backs(run))) for n, run in runs]
    if imposition.mode == "double":
        return [page for pair in zip(front_pages, back_pages, strict=True) for page in pair]
    if imposition.mode == "manual":
        # The stack is turned over as a whole, so sheet 1 is fed first again (see the
        # instruction page): backs in the same order as the fronts.
        return [Page(paper, "instructions", 0, total), *front_pages, *back_pages]
    return [Page(paper, "folded", n, total, (*fronts(run), *folded_backs(run))) for n, run in runs]


def _shifted(box: Box, offset: tuple[float, float]) -> Box:
    return Box(box.x + offset[0], box.y + offset[1], box.width, box.height)


def bleed_box(box: Box, bleed: float, limit: Box) -> Box | None:
    """`box` grown by `bleed` on every side but kept inside `limit` (None if nothing is left)."""
    x1, y1 = max(box.x - bleed, limit.x), max(box.y - bleed, limit.y)
    x2, y2 = min(box.right + bleed, limit.right), min(box.top + bleed, limit.top)
    if x2 > x1 and y2 > y1:
        return Box(x1, y1, x2 - x1, y2 - y1)
    return None


def sheet_note(title: str, page: Page, imposition: Imposition) -> str:
    """The line in the margin that names the sheet and says how to print it."""
    name = f"{title} · sheet {page.sheet} of {page.sheets}"
    one_sided = imposition.mode != "double"
    if page.kind == "fronts":
        how = (
            "Print at 100 % · one-sided · answers after the last question sheet"
            if one_sided
            else f"Print at 100 % · double-sided · flip on {imposition.flip} edge"
        )
        return f"{name} · questions · {how}"
    if page.kind == "backs":
        how = " · printed on the back of the question sheet" if one_sided else ""
        return f"{name} · answers{how}"
    return (
        f"{name} · Print at 100 % · one-sided · fold on the dashed line, printed side out, "
        "then cut through both layers"
    )


def impose(
    doc: PdfDocument,
    title: str,
    grid: CardGrid,
    count: int,
    draw_face: DrawFace,
    imposition: Imposition,
) -> None:
    """Draw the pages of `count` cards titled `title` on `doc`: the marks, colour and notes
    here, each card face by `draw_face(doc, box, index, side)`."""
    # Manual and folded sheets are printed one side at a time: a duplex default would print
    # the backs on the backs of the questions, so the viewer is asked for one-sided printing.
    doc.set_print_preferences(
        duplex_flip=imposition.flip if imposition.mode == "double" else "simplex"
    )
    for page in pages(doc.paper, grid, count, imposition):
        if page.kind == "instructions":
            _draw_manual_instructions(doc, title, page.sheets, imposition.flip)
            continue
        doc.begin_page()
        fronts, backs = page.side("front"), page.side("back")
        note = place_sheet_note(doc.paper, grid, sheet_note(title, page, imposition))
        if fronts:
            keep_clear = note.box if note is not None else None
            _draw_marks(doc, grid, imposition.marks, page.marks_area, keep_clear)
            for placement in fronts:
                draw_face(doc, placement.box, placement.index, "front")
        if backs:
            if imposition.back_color is not None:
                boxes = [p.box for p in backs]
                _draw_bleed(doc, boxes, imposition, page.bleed_area)
            for placement in backs:
                draw_face(doc, placement.box, placement.index, "back")
        if page.kind == "folded":
            _draw_fold_line(doc, grid, note.box if note is not None else None)
        if note is not None:
            _draw_sheet_note(doc, note)


def _draw_marks(
    doc: PdfDocument, grid: CardGrid, marks: str, area: Box, keep_clear: Box | None = None
) -> None:
    if marks == "none":
        return
    canvas = doc.canvas
    canvas.setStrokeGray(CUT_GREY)
    canvas.setLineWidth(0.4)
    for x1, y1, x2, y2 in _mark_segments(grid, marks, area, keep_clear):
        canvas.line(x1, y1, x2, y2)


@lru_cache(maxsize=64)
def _mark_segments(
    grid: CardGrid, marks: str, area: Box, keep_clear: Box | None
) -> tuple[tuple[float, float, float, float], ...]:
    """The segments of a sheet's marks: the same on every sheet of a deck (the sheet note they
    keep clear of is as wide on most sheets), so worked out once."""
    segments = list(grid.crop_marks(area))
    if marks == "lines":
        segments += list(grid.cut_lines())
    if keep_clear is not None:
        segments = [piece for segment in segments for piece in around(segment, keep_clear)]
    return tuple(segments)


def around(
    segment: tuple[float, float, float, float], box: Box
) -> list[tuple[float, float, float, float]]:
    """The parts of a horizontal or vertical `segment` outside `box` (a mark stops short of the
    sheet note and carries on past it, so the note stays readable and the line still guides)."""
    x1, y1, x2, y2 = segment
    if x1 == x2 and box.x < x1 < box.right:
        low, high = sorted((y1, y2))
        pieces = [(low, min(high, box.y)), (max(low, box.top), high)]
        return [(x1, a, x1, b) for a, b in pieces if b - a > 0.5]
    if y1 == y2 and box.y < y1 < box.top:
        low, high = sorted((x1, x2))
        pieces = [(low, min(high, box.x)), (max(low, box.right), high)]
        return [(a, y1, b, y1) for a, b in pieces if b - a > 0.5]
    return [segment]


def _draw_bleed(doc: PdfDocument, boxes: list[Box], imposition: Imposition, limit: Box) -> None:
    """The back colour, run past each card edge (but never outside `limit`, the printable
    area), so a back that lands a little off shows colour, not a white sliver."""
    canvas = doc.canvas
    canvas.setFillColorRGB(*imposition.back_color)
    for box in boxes:
        grown = bleed_box(box, imposition.bleed, limit)
        if grown is not None:
            canvas.rect(grown.x, grown.y, grown.width, grown.height, stroke=0, fill=1)


def _draw_fold_line(doc: PdfDocument, grid: CardGrid, keep_clear: Box | None) -> None:
    """A dashed line down the middle, as long as the cards (clear of the sheet note, which a
    gap between cards may put between two rows)."""
    canvas = doc.canvas
    paper = doc.paper
    printable = paper.printable_area()
    bottom = max(printable.y, grid.bounds.y - 2 * MM)
    top = min(printable.top, grid.bounds.top + 2 * MM)
    canvas.saveState()
    canvas.setStrokeGray(0.5)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    segment = (paper.width / 2, bottom, paper.width / 2, top)
    for x1, y1, x2, y2 in [segment] if keep_clear is None else around(segment, keep_clear):
        canvas.line(x1, y1, x2, y2)
    canvas.restoreState()


class SheetNote(NamedTuple):
    """The sheet note as placed: its text (shortened to fit), size, centre line and the box
    it covers (the marks stop short of it)."""

    text: str
    size: float
    centre_x: float
    middle: float
    box: Box


def place_sheet_note(paper: Paper, grid: CardGrid, text: str) -> SheetNote | None:
    """Where the sheet note goes: in the margin below the cards, else above them, else (when a
    gap between cards has eaten the margins) in the widest strip between two rows, made smaller
    if it must. Pure.

    Stocks that fill the sheet (A6, A7 on A4) leave no room anywhere: the note is left out
    (None), and the PDF's viewer preferences still ask for 100 % and the flip."""
    bounds = grid.bounds
    strips = [(bounds.y - SAFE_MARGIN, SAFE_MARGIN + min(bounds.y - SAFE_MARGIN, 5 * MM) / 2)]
    room_above = paper.height - SAFE_MARGIN - bounds.top
    strips.append((room_above, paper.height - SAFE_MARGIN - min(room_above, 5 * MM) / 2))
    gap = grid.vertical_gap
    if gap > 0:
        # Between rows, from the bottom up: each strip is cut away with the margins.
        for row in range(grid.rows - 1, 0, -1):
            edge = grid.card_box(row * grid.columns).top
            strips.append((gap, edge + gap / 2))
    full = [strip for strip in strips if strip[0] >= NOTE_HEIGHT + 1]
    room, middle = full[0] if full else max(strips, key=lambda strip: strip[0])
    size = min(NOTE_SIZE, (room - 1) / 1.2)
    if size < MIN_NOTE_SIZE:
        return None
    width = paper.width - 2 * 12 * MM
    text = shorten(text, fonts.REGULAR, size, width)
    text_length = text_width(text, fonts.REGULAR, size)
    height = 1.2 * size
    box = Box(
        paper.width / 2 - text_length / 2 - 1 * MM,
        middle - height / 2,
        text_length + 2 * MM,
        height,
    )
    return SheetNote(text, size, paper.width / 2, middle, box)


def _draw_sheet_note(doc: PdfDocument, note: SheetNote) -> None:
    """One grey line in a margin (see place_sheet_note), in any script the title is in."""
    width = doc.paper.width - 2 * 12 * MM
    doc.draw_label(
        note.text,
        fonts.REGULAR,
        note.size,
        note.centre_x - width / 2,
        note.middle - 0.35 * note.size,
        width=width,
        align="center",
        color=GREY,
    )


def _draw_manual_instructions(doc: PdfDocument, title: str, sheet_count: int, flip: str) -> None:
    """Page 1 of a manual-duplex PDF: how to print the fronts, re-feed them and print the backs."""
    paper = doc.paper
    doc.begin_page()
    first_front, last_front = 2, 1 + sheet_count
    first_back, last_back = 2 + sheet_count, 1 + 2 * sheet_count
    page_range = lambda a, b: f"page {a}" if a == b else f"pages {a}–{b}"  # noqa: E731
    turn = (
        "sideways, like turning the page of a book (over its long edge)"
        if flip == "long"
        else "top to bottom, like a notepad (over its short edge)"
    )
    steps = [
        f"Print {page_range(first_front, last_front)} (the questions) on one side only, at "
        "“Actual size” / 100 % (not “Fit to page”).",
        "Take the printed sheets out as one stack, without sorting them. Turn the whole stack "
        f"over {turn}, and put it back into the paper tray the same way round as blank paper, "
        "so that the printer prints on the blank sides.",
        f"Print {page_range(first_back, last_back)} (the answers), again at 100 %.",
        "Check: the foot of each sheet names its sheet number on both sides. Hold sheet 1 up to "
        "the light: card 1’s answer is behind card 1’s question.",
    ]
    note = (
        "This assumes the usual printer, which stacks printed sheets so that, once the stack is "
        "turned over, sheet 1 goes in first. If the answers come out in reverse order, print "
        "them again with “Reverse order” ticked in the print dialog; if they come out on the "
        "printed side, turn the stack over the other way. With several sheets, try sheet 1 "
        f"alone first: print page {first_front}, put it back in, print page {first_back}."
    )
    margin = 20 * MM
    width = paper.width - 2 * margin
    # A long title is cut to one line, so the steps always have the page (a 4,000-character
    # title once pushed them off it); they shrink below 12 pt only on the smallest papers.
    heading = f"{shorten(title, fonts.BOLD, 12, width)}: printing without a double-sided printer"
    paragraphs = [Paragraph(heading, font=fonts.BOLD)]
    paragraphs += [Paragraph(step, bullet=f"{n}.") for n, step in enumerate(steps, start=1)]
    paragraphs.append(Paragraph(note, font=fonts.ITALIC))
    block = fit_text(
        paragraphs, width, paper.height - 2 * margin, max_size=12, min_size=6, paragraph_gap=0.8
    )
    doc.draw_text(block, margin, paper.height - margin, INK)
