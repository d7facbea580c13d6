"""Duplex-ready flashcard sheets: a page of questions, then the page of their answers.

Printed double-sided with the chosen flip, each answer lands behind its question. Printers
without duplex get all fronts then all backs (`duplex: manual`) or a sheet to fold (`fold`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from printkit import fonts
from printkit.card_content import answer_items, question_items
from printkit.deck import Card, Deck
from printkit.errors import FitError, OptionError
from printkit.options import Option
from printkit.paper import MM, SAFE_MARGIN, Box, Paper
from printkit.sheet import FLIPS, CardGrid, mirror_for_duplex, sheets
from printkit.stocks import (
    CARD_PADDING,
    DEFAULT_STOCKS,
    STOCKS,
    Stock,
    StockError,
    custom_stock,
    parse_offset,
)
from printkit.text import (
    Figure,
    Item,
    Line,
    Paragraph,
    TextBlock,
    TextDoesNotFit,
    fit_text,
    layout_text,
    shorten,
    text_width,
)

DESCRIPTION = "Duplex-ready flashcard sheets: questions on the fronts, answers exactly behind them."

DUPLEX_MODES = ("double", "manual", "fold")
CUT_MARKS = ("auto", "lines", "crop", "none")


def _check_offset(text: str) -> None:
    parse_offset(text)


def _check_color(text: str) -> None:
    _parse_color(text)


def _positive(length: float) -> None:
    if length <= 0:
        raise ValueError("must be more than 0mm")


OPTIONS = (
    Option(
        "stock",
        "auto",
        "card stock (see printkit stocks); auto: a4-2x3 on A4, letter-2x3 on Letter",
        kind="choice",
        choices=("auto", *STOCKS, "custom"),
    ),
    Option(
        "card_width",
        None,
        "custom stock: card width, like 70mm or 3in",
        kind="length",
        check=_positive,
    ),
    Option("card_height", None, "custom stock: card height", kind="length", check=_positive),
    Option("columns", None, "custom stock: cards across a sheet", kind="int", minimum=1, maximum=8),
    Option("rows", None, "custom stock: cards down a sheet", kind="int", minimum=1, maximum=12),
    Option("gap", "0mm", "space between cards, so each card has its own cut lines", kind="length"),
    Option(
        "cut_marks",
        "auto",
        "lines on every card edge, crop marks in the margin only, or none "
        "(auto: lines on plain paper, crop on perforated stock)",
        kind="choice",
        choices=CUT_MARKS,
    ),
    Option(
        "duplex",
        "double",
        "double: the printer prints both sides; manual: all fronts then all backs; "
        "fold: fronts and backs side by side, fold and cut",
        kind="choice",
        choices=DUPLEX_MODES,
    ),
    Option(
        "flip",
        "long",
        "duplex flip edge: long mirrors columns, short mirrors rows",
        kind="choice",
        choices=FLIPS,
    ),
    Option(
        "back_offset",
        "0,0",
        "move the backs by X,Y mm (right, up) to correct the printer; see printkit calibrate",
        check=_check_offset,
    ),
    Option(
        "printer",
        "",
        "a printer profile from printkit.yaml (flip, back_offset, duplex)",
    ),
    Option(
        "back_color",
        "none",
        "background colour of the backs, like #fde9b0 (none: white)",
        check=_check_color,
    ),
    Option(
        "bleed",
        "2mm",
        "how far the back colour runs past each card edge, hiding a small misregistration",
        kind="length",
        check=lambda v: _at_most(v, 5 * MM, "5mm"),
    ),
    Option(
        "question_size",
        18.0,
        "largest font size for questions, in pt",
        kind="number",
        minimum=6,
        maximum=48,
    ),
    Option(
        "answer_size",
        14.0,
        "largest font size for answers, in pt",
        kind="number",
        minimum=6,
        maximum=48,
    ),
)

MIN_SIZE = 6.0
PADDING = CARD_PADDING  # text stays this far inside the card: more than a duplex misregistration
LABEL_SIZE = 6.5
LABEL_BAND = 3 * MM  # room at the top (number) and bottom (title) of a card for small labels
# Line spacing (× size) and gap between points (× size): the usual one, and a tighter one used
# only when a card's text does not fit at the smallest size otherwise (long answers on small
# cards such as business cards), before giving up.
SPACINGS = ((1.2, 0.35), (1.1, 0.2))
NOTE_HEIGHT = 1.2 * LABEL_SIZE  # a sheet note's line, from its descenders to its ascenders
INK = (0.0, 0.0, 0.0)
GREY = (0.45, 0.45, 0.45)
CUT_GREY = 0.72


def _at_most(value: float, limit: float, shown: str) -> None:
    if value < 0 or value > limit + 1e-6:
        raise ValueError(f"must be between 0 and {shown}")


def _parse_color(text: str) -> tuple[float, float, float] | None:
    text = text.strip().lower()
    if text in ("none", "white", ""):
        return None
    hex_digits = text.removeprefix("#")
    if len(hex_digits) != 6 or any(c not in "0123456789abcdef" for c in hex_digits):
        raise ValueError(f"must be a colour like #fde9b0, or none (not '{text}')")
    return tuple(int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def choose_stock(options: Mapping[str, Any]) -> Stock:
    """The stock the options ask for: a named one, or a custom one from the card options."""
    custom = {k: options[k] for k in ("card_width", "card_height", "columns", "rows")}
    given = [name for name, value in custom.items() if value is not None]
    name = options["stock"]
    if name == "auto":
        name = "custom" if given else DEFAULT_STOCKS[options["paper"].name]
    if name != "custom":
        if given:
            raise OptionError(
                f"flashcards: {given[0]} is for a custom stock, but stock is {name}; "
                "set stock: custom, or remove the custom card options"
            )
        return STOCKS[name]
    if not given:
        raise OptionError(
            "flashcards: stock custom needs a card size (card_width and card_height) or how many "
            "cards across and down (columns and rows)"
        )
    try:
        return custom_stock(options["paper"], **custom)
    except StockError as error:
        raise OptionError(f"flashcards: {error}") from None


def render(deck: Deck, options: Mapping[str, Any], output) -> None:
    stock = choose_stock(options)
    paper = stock.paper_for(options["paper"])
    mode = options["duplex"]
    try:
        grid = stock.grid(paper, options["gap"])
        if mode == "fold":
            grid = _fold_grid(stock, grid)
    except StockError as error:
        raise OptionError(f"flashcards, stock {stock.name}: {error}") from None
    fronts = [_fit_front(deck, card, grid, options) for card in deck.cards]
    backs = [_fit_back(deck, card, grid, options) for card in deck.cards]

    doc = output.document(paper, title=f"{deck.title} — flashcards")
    # A folded sheet is printed on one side: there is no duplex to ask the viewer for.
    doc.set_print_preferences(duplex_flip=options["flip"] if mode == "double" else None)
    sheet = _Sheet(deck, grid, fronts, backs, options, stock)
    runs = list(sheets(range(len(deck.cards)), grid.per_sheet))
    if mode == "double":
        for number, indexes in enumerate(runs, start=1):
            sheet.front(doc, number, len(runs), indexes)
            sheet.back(doc, number, len(runs), indexes)
    elif mode == "manual":
        _draw_manual_instructions(doc, deck, len(runs), options["flip"])
        for number, indexes in enumerate(runs, start=1):
            sheet.front(doc, number, len(runs), indexes)
        # The stack is turned over as a whole, so sheet 1 is fed first again (see the
        # instruction page): backs in the same order as the fronts.
        for number, indexes in enumerate(runs, start=1):
            sheet.back(doc, number, len(runs), indexes)
    else:
        for number, indexes in enumerate(runs, start=1):
            sheet.folded(doc, number, len(runs), indexes)


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


class _Sheet:
    """Draws the pages of one sheet: fronts, backs, or both halves of a sheet to fold."""

    def __init__(
        self,
        deck: Deck,
        grid: CardGrid,
        fronts: list[TextBlock],
        backs: list[TextBlock],
        options: Mapping[str, Any],
        stock: Stock,
    ) -> None:
        self.deck, self.grid, self.fronts, self.backs = deck, grid, fronts, backs
        self.flip, self.mode = options["flip"], options["duplex"]
        self.offset = parse_offset(options["back_offset"])
        self.back_color = _parse_color(options["back_color"])
        self.bleed = options["bleed"]
        marks = options["cut_marks"]
        self.marks = ("crop" if stock.perforated else "lines") if marks == "auto" else marks

    def front(self, doc, number: int, total: int, indexes: Sequence[int]) -> None:
        doc.begin_page()
        self._draw_marks(doc, Box(0, 0, doc.paper.width, doc.paper.height))
        self._draw_fronts(doc, indexes)
        how = (
            f"Print at 100 % · double-sided · flip on {self.flip} edge"
            if self.mode == "double"
            else "Print at 100 % · one-sided · answers after the last question sheet"
        )
        _draw_sheet_note(doc, self.grid, f"{self._sheet_name(number, total)} · questions · {how}")

    def back(self, doc, number: int, total: int, indexes: Sequence[int]) -> None:
        doc.begin_page()
        boxes = [self._shifted(self.grid.back_box(slot, self.flip)) for slot in range(len(indexes))]
        self._draw_backs(doc, indexes, boxes, doc.paper.printable_area())
        how = "" if self.mode == "double" else " · printed on the back of the question sheet"
        _draw_sheet_note(doc, self.grid, f"{self._sheet_name(number, total)} · answers{how}")

    def folded(self, doc, number: int, total: int, indexes: Sequence[int]) -> None:
        doc.begin_page()
        paper = doc.paper
        self._draw_marks(doc, Box(0, 0, paper.width / 2, paper.height))
        self._draw_fronts(doc, indexes)
        # Folding about the vertical centre line puts a point at x behind W - x, exactly like
        # turning the sheet over its long edge.
        boxes = [
            mirror_for_duplex(self.grid.card_box(slot), paper, "long")
            for slot in range(len(indexes))
        ]
        printable = paper.printable_area()
        right_half = Box(
            paper.width / 2, printable.y, printable.right - paper.width / 2, printable.height
        )
        self._draw_backs(doc, indexes, boxes, right_half)
        _draw_fold_line(doc, self.grid)
        _draw_sheet_note(
            doc,
            self.grid,
            f"{self._sheet_name(number, total)} · Print at 100 % · one-sided · fold on the "
            "dashed line, printed side out, then cut through both layers",
        )

    def _sheet_name(self, number: int, total: int) -> str:
        return f"{self.deck.title} · sheet {number} of {total}"

    def _shifted(self, box: Box) -> Box:
        return Box(box.x + self.offset[0], box.y + self.offset[1], box.width, box.height)

    def _draw_fronts(self, doc, indexes: Sequence[int]) -> None:
        for slot, i in enumerate(indexes):
            card = self.deck.cards[i]
            _draw_card_side(
                doc,
                self.grid.card_box(slot),
                self.fronts[i],
                card,
                title=self.deck.title,
                subject=self.deck.subject,
            )

    def _draw_backs(self, doc, indexes: Sequence[int], boxes: list[Box], limit: Box) -> None:
        if self.back_color is not None:
            _draw_bleed(doc, boxes, self.bleed, self.back_color, limit)
        for box, i in zip(boxes, indexes, strict=True):
            _draw_card_side(doc, box, self.backs[i], self.deck.cards[i], title=None)

    def _draw_marks(self, doc, area: Box) -> None:
        """Cut guides on the fronts only: on the backs, misregistration would show."""
        if self.marks == "none":
            return
        canvas = doc.canvas
        canvas.setStrokeGray(CUT_GREY)
        canvas.setLineWidth(0.4)
        segments = list(self.grid.crop_marks(area))
        if self.marks == "lines":
            segments += list(self.grid.cut_lines())
        for x1, y1, x2, y2 in segments:
            canvas.line(x1, y1, x2, y2)


def _text_area(box: Box, side: str) -> Box:
    """Where a side's text goes: inside the padding, below the number; a question also keeps
    clear of the deck title at the foot, while an answer has nothing there and uses the room."""
    inner = box.inset(PADDING)
    bottom = LABEL_BAND if side == "question" else 0.0
    return Box(inner.x, inner.y + bottom, inner.width, max(0.0, inner.height - LABEL_BAND - bottom))


def _fit(
    deck: Deck, card: Card, paragraphs: list[Item], grid: CardGrid, max_size: float, side: str
) -> TextBlock:
    area = _text_area(Box(0, 0, grid.card_width, grid.card_height), side)
    for leading, gap in SPACINGS:
        try:
            return fit_text(
                paragraphs,
                area.width,
                area.height,
                max_size=max_size,
                min_size=MIN_SIZE,
                leading=leading,
                paragraph_gap=gap,
            )
        except TextDoesNotFit:
            continue
    else:
        question = card.question if len(card.question) <= 60 else card.question[:57] + "…"
        with_picture = " with its picture" if any(isinstance(p, Figure) for p in paragraphs) else ""
        raise FitError(
            f"{deck.path}:{card.line}: the {side} of card {card.number} (“{question}”) does not fit"
            f"{with_picture} on a {grid.card_width / MM:.0f} × {grid.card_height / MM:.0f} mm "
            f"card even at {MIN_SIZE:g} pt; shorten it, split it into two cards, or use bigger cards "
            "(another stock: printkit stocks)"
        ) from None


def _fit_front(deck: Deck, card: Card, grid: CardGrid, options: Mapping[str, Any]) -> TextBlock:
    paragraphs = question_items(card, deck, options, align="center")
    return _fit(deck, card, paragraphs, grid, options["question_size"], "question")


def _fit_back(deck: Deck, card: Card, grid: CardGrid, options: Mapping[str, Any]) -> TextBlock:
    align = "left" if card.is_list else "center"
    paragraphs = answer_items(card, deck, options, align=align)
    return _fit(deck, card, paragraphs, grid, options["answer_size"], "answer")


def _draw_card_side(
    doc, box: Box, block: TextBlock, card: Card, title: str | None, subject: str | None = None
) -> None:
    """One side of a card: its number at the top, the text centred, the deck title at the foot."""
    inner = box.inset(PADDING)
    area = _text_area(box, "question" if title else "answer")
    top = area.top - (area.height - block.height) / 2
    # Centred paragraphs are already centred in the area; a bulleted list is left-aligned, and
    # the list as a whole is centred so that three short points do not hug the left edge.
    left = area.x + (area.width - block.width) / 2 if card.is_list and title is None else area.x
    labels = _labels(str(card.number), title, subject, inner.width, inner.height)
    doc.draw_blocks([(labels, inner.x, inner.top, GREY), (block, left, top, INK)])


@lru_cache(maxsize=4096)
def _labels(
    number: str, title: str | None, subject: str | None, width: float, height: float
) -> TextBlock:
    """The small print of a card side, placed in its inner box: number top left, subject top
    right and deck title centred at the foot (fronts only). Cached: it repeats card after card."""
    lines = [_label(number, fonts.BOLD, 0.0, LABEL_SIZE)]
    if subject and title:
        text = shorten(subject, fonts.REGULAR, LABEL_SIZE, width / 2)
        lines.append(
            _label(
                text, fonts.REGULAR, width - text_width(text, fonts.REGULAR, LABEL_SIZE), LABEL_SIZE
            )
        )
    if title:
        text = shorten(title, fonts.REGULAR, LABEL_SIZE, width)
        x = (width - text_width(text, fonts.REGULAR, LABEL_SIZE)) / 2
        lines.append(_label(text, fonts.REGULAR, x, height - 0.3 * LABEL_SIZE))
    return TextBlock(size=LABEL_SIZE, lines=tuple(lines), height=height, width=width)


def _label(text: str, font: str, x: float, baseline: float) -> Line:
    width = text_width(text, font, LABEL_SIZE)
    return Line(text=text, font=font, size=LABEL_SIZE, x=x, baseline=baseline, width=width)


def _draw_bleed(
    doc, boxes: list[Box], bleed: float, color: tuple[float, float, float], limit: Box
) -> None:
    """The back colour, run `bleed` past each card edge (but never outside `limit`, the
    printable area), so a back that lands a little off shows colour, not a white sliver."""
    canvas = doc.canvas
    canvas.setFillColorRGB(*color)
    for box in boxes:
        x1, y1 = max(box.x - bleed, limit.x), max(box.y - bleed, limit.y)
        x2, y2 = min(box.right + bleed, limit.right), min(box.top + bleed, limit.top)
        if x2 > x1 and y2 > y1:
            canvas.rect(x1, y1, x2 - x1, y2 - y1, stroke=0, fill=1)


def _draw_fold_line(doc, grid: CardGrid) -> None:
    """A dashed line down the middle, as long as the cards (clear of the sheet note)."""
    canvas = doc.canvas
    paper = doc.paper
    printable = paper.printable_area()
    bottom = max(printable.y, grid.bounds.y - 2 * MM)
    top = min(printable.top, grid.bounds.top + 2 * MM)
    canvas.saveState()
    canvas.setStrokeGray(0.5)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    canvas.line(paper.width / 2, bottom, paper.width / 2, top)
    canvas.restoreState()


def _draw_sheet_note(doc, grid: CardGrid, text: str) -> None:
    """One grey line in the margin below the cards (or above, if there is no room below).

    Stocks that fill the sheet (A6, A7 on A4) leave no margin: the note is left out there, and
    the PDF's viewer preferences still ask for 100 % and the flip."""
    canvas = doc.canvas
    paper = doc.paper
    bounds = grid.bounds
    room_below = bounds.y - SAFE_MARGIN
    room_above = paper.height - SAFE_MARGIN - bounds.top
    if room_below >= NOTE_HEIGHT + 1:
        middle = SAFE_MARGIN + min(room_below, 5 * MM) / 2
    elif room_above >= NOTE_HEIGHT + 1:
        middle = paper.height - SAFE_MARGIN - min(room_above, 5 * MM) / 2
    else:
        return
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(fonts.REGULAR, LABEL_SIZE)
    width = paper.width - 2 * 12 * MM
    baseline = middle - 0.35 * LABEL_SIZE
    canvas.drawCentredString(
        paper.width / 2, baseline, shorten(text, fonts.REGULAR, LABEL_SIZE, width)
    )


def _draw_manual_instructions(doc, deck: Deck, sheet_count: int, flip: str) -> None:
    """Page 1 of a manual-duplex PDF: how to print the fronts, re-feed them and print the backs."""
    paper = doc.paper
    doc.begin_page()
    first_front, last_front = 2, 1 + sheet_count
    first_back, last_back = 2 + sheet_count, 1 + 2 * sheet_count
    pages = lambda a, b: f"page {a}" if a == b else f"pages {a}–{b}"  # noqa: E731
    turn = (
        "sideways, like turning the page of a book (over its long edge)"
        if flip == "long"
        else "top to bottom, like a notepad (over its short edge)"
    )
    steps = [
        f"Print {pages(first_front, last_front)} (the questions) on one side only, at "
        "“Actual size” / 100 % (not “Fit to page”).",
        "Take the printed sheets out as one stack, without sorting them. Turn the whole stack "
        f"over {turn}, and put it back into the paper tray the same way round as blank paper, "
        "so that the printer prints on the blank sides.",
        f"Print {pages(first_back, last_back)} (the answers), again at 100 %.",
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
    paragraphs = [
        Paragraph(f"{deck.title}: printing without a double-sided printer", font=fonts.BOLD)
    ]
    paragraphs += [Paragraph(step, bullet=f"{n}.") for n, step in enumerate(steps, start=1)]
    paragraphs.append(Paragraph(note, font=fonts.ITALIC))
    margin = 20 * MM
    block = layout_text(paragraphs, paper.width - 2 * margin, 12, paragraph_gap=0.8)
    doc.draw_text(block, margin, paper.height - margin, INK)
