"""Duplex-ready flashcard sheets: a page of questions, then the page of their answers.

Printed double-sided with the chosen flip, each answer lands behind its question. Printers
without duplex get all fronts then all backs (`duplex: manual`) or a sheet to fold (`fold`).
This module fits and draws the card faces; printkit.imposition puts them on the sheets.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from printkit import fonts
from printkit.card_content import answer_items, question_items
from printkit.collector import cycle_collection_paused
from printkit.deck import Card, Deck
from printkit.errors import FitError, OptionError, Problem
from printkit.imposition import CUT_MARKS, DUPLEX_MODES, Imposition, cut_marks_for, impose
from printkit.options import Option
from printkit.paper import MM, Box
from printkit.sheet import FLIPS, CardGrid
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
    TextBlock,
    TextDoesNotFit,
    fit_text,
    is_plain_text,
    label_line,
    shorten,
    text_width,
)

DESCRIPTION = "Duplex-ready flashcard sheets: questions on the fronts, answers exactly behind them."


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
        maximum=300 * MM,
        check=_positive,
    ),
    Option(
        "card_height",
        None,
        "custom stock: card height",
        kind="length",
        maximum=300 * MM,
        check=_positive,
    ),
    Option("columns", None, "custom stock: cards across a sheet", kind="int", minimum=1, maximum=8),
    Option("rows", None, "custom stock: cards down a sheet", kind="int", minimum=1, maximum=12),
    Option(
        "gap",
        "0mm",
        "space between cards, so each card has its own cut lines",
        kind="length",
        maximum=30 * MM,
    ),
    Option(
        "cut_marks",
        "auto",
        "lines on every card edge, crop marks in the margin only, or none "
        "(auto: lines on plain paper, crop on perforated stock)",
        kind="choice",
        choices=("auto", *CUT_MARKS),
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
    Option(
        "direction",
        "forward",
        "forward: question on the front; reverse: answer on the front; both: every card twice, "
        "once each way (vocabulary learned both ways)",
        kind="choice",
        choices=("forward", "reverse", "both"),
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
INK = (0.0, 0.0, 0.0)
GREY = (0.45, 0.45, 0.45)


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
                f"{given[0]} is for a custom stock, but stock is {name}; "
                "set stock: custom, or remove the custom card options"
            )
        return STOCKS[name]
    if not given:
        raise OptionError(
            "stock custom needs a card size (card_width and card_height) or how many "
            "cards across and down (columns and rows)"
        )
    try:
        return custom_stock(options["paper"], **custom)
    except StockError as error:
        raise OptionError(str(error)) from None


def render(deck: Deck, options: Mapping[str, Any], output) -> None:
    stock = choose_stock(options)
    paper = stock.paper_for(options["paper"])
    imposition = _imposition(options, stock)
    try:
        grid = imposition.grid(stock, paper, options["gap"])
    except StockError as error:
        # Placed after the layout's name and its stock: "flashcards, stock a4-2x4: …".
        about = f"flashcards, stock {stock.name}"
        raise OptionError(Problem(None, None, str(error), layout=about)) from None
    faces = _faces(deck, options["direction"])
    with cycle_collection_paused():
        fronts = [_fit_front(deck, card, grid, options, turned) for card, turned in faces]
        backs = [_fit_back(deck, card, grid, options, turned) for card, turned in faces]

        def draw_face(doc, box: Box, index: int, side: str) -> None:
            card = faces[index][0]
            if side == "front":
                _draw_card_side(
                    doc, box, fronts[index], card, title=deck.title, subject=deck.subject
                )
            else:
                _draw_card_side(doc, box, backs[index], card, title=None)

        doc = output.document(paper, title=f"{deck.title} — flashcards")
        impose(doc, deck.title, grid, len(faces), draw_face, imposition)


def _faces(deck: Deck, direction: str) -> list[tuple[Card, bool]]:
    """The cards to print, each with True when turned (answer on the front). A cloze card is
    never turned: its sentence with blanks is the only question it asks."""
    forward = [(card, False) for card in deck.cards]
    turned = [
        (card, not card.cloze) for card in deck.cards if direction == "reverse" or not card.cloze
    ]
    if direction == "forward":
        return forward
    return turned if direction == "reverse" else forward + turned


def _imposition(options: Mapping[str, Any], stock: Stock) -> Imposition:
    return Imposition(
        mode=options["duplex"],
        flip=options["flip"],
        back_offset=parse_offset(options["back_offset"]),
        back_color=_parse_color(options["back_color"]),
        bleed=options["bleed"],
        marks=cut_marks_for(stock, options["cut_marks"]),
    )


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
            Problem(
                deck.path,
                card.line,
                f"the {side} of card {card.number} (“{question}”) does not fit"
                f"{with_picture} on a {grid.card_width / MM:.0f} × {grid.card_height / MM:.0f} mm "
                f"card even at {MIN_SIZE:g} pt; shorten it, split it into two cards, or use bigger cards "
                "(another stock: printkit stocks)",
            )
        ) from None


def _fit_front(
    deck: Deck, card: Card, grid: CardGrid, options: Mapping[str, Any], turned: bool = False
) -> TextBlock:
    if turned:
        paragraphs = answer_items(card, deck, options, align="center", bullet=None)
    else:
        paragraphs = question_items(card, deck, options, align="center")
    return _fit(deck, card, paragraphs, grid, options["question_size"], "question")


def _fit_back(
    deck: Deck, card: Card, grid: CardGrid, options: Mapping[str, Any], turned: bool = False
) -> TextBlock:
    if turned:
        paragraphs = question_items(card, deck, options, align="center", font=fonts.REGULAR)
        return _fit(deck, card, paragraphs, grid, options["answer_size"], "answer")
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
    left = area.x
    if card.is_list and title is None:  # bullet points: as a block in the middle of the card
        low, high = block.extent()
        left += (area.width - (high - low)) / 2 - low
    labels = _labels(str(card.number), title, subject, inner.width, inner.height)
    doc.draw_blocks([(labels, inner.x, inner.top, GREY), (block, left, top, INK)])


def _labels(
    number: str, title: str | None, subject: str | None, width: float, height: float
) -> TextBlock:
    """The small print of a card side, placed in its inner box: number top left, subject top
    right and deck title centred at the foot (fronts only)."""
    lines = (
        _label(number, fonts.BOLD, 0.0, LABEL_SIZE),
        *_deck_labels(title, subject, width, height),
    )
    return TextBlock(size=LABEL_SIZE, lines=lines, height=height, width=width)


@lru_cache(maxsize=256)
def _deck_labels(
    title: str | None, subject: str | None, width: float, height: float
) -> tuple[Line, ...]:
    """The subject and title labels of a card side: the same on every card of a deck, so
    cached (a 10,000-card deck would otherwise shorten its title 10,000 times)."""
    lines = []
    if subject and title and not is_plain_text(subject, fonts.REGULAR):
        lines.append(_placed_label(subject, fonts.REGULAR, width / 2, "right", width, LABEL_SIZE))
    elif subject and title:
        text = shorten(subject, fonts.REGULAR, LABEL_SIZE, width / 2)
        lines.append(
            _label(
                text, fonts.REGULAR, width - text_width(text, fonts.REGULAR, LABEL_SIZE), LABEL_SIZE
            )
        )
    foot = height - 0.3 * LABEL_SIZE
    if title and not is_plain_text(title, fonts.REGULAR):
        lines.append(_placed_label(title, fonts.REGULAR, width, "center", width, foot))
    elif title:
        text = shorten(title, fonts.REGULAR, LABEL_SIZE, width)
        x = (width - text_width(text, fonts.REGULAR, LABEL_SIZE)) / 2
        lines.append(_label(text, fonts.REGULAR, x, foot))
    return tuple(lines)


def _label(text: str, font: str, x: float, baseline: float) -> Line:
    width = text_width(text, font, LABEL_SIZE)
    return Line(text=text, font=font, size=LABEL_SIZE, x=x, baseline=baseline, width=width)


def _placed_label(text: str, font: str, room: float, align: str, width: float, baseline: float):
    """A label in another script (shaped, right to left, another font): set as card text."""
    line = label_line(text, font, LABEL_SIZE, room)
    x = {"right": width - line.width, "center": (width - line.width) / 2}.get(align, 0.0)
    return line._replace(x=x, baseline=baseline)
