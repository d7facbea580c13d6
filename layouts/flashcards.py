"""Duplex-ready flashcard sheets: a page of questions, then the page of their answers.

Printed double-sided with the chosen flip, each answer lands behind its question.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from printkit import fonts
from printkit.deck import Card, Deck
from printkit.errors import FitError
from printkit.options import Option
from printkit.paper import MM, SAFE_MARGIN, Box
from printkit.sheet import FLIPS, CardGrid, sheets
from printkit.text import Paragraph, TextBlock, TextDoesNotFit, fit_text, shorten

DESCRIPTION = "Duplex-ready flashcard sheets: questions on the fronts, answers exactly behind them."


def _at_least_safe_margin(value: float) -> None:
    if value < SAFE_MARGIN - 1e-6:
        raise ValueError("must be at least 5mm, because most printers cannot print nearer the edge")


OPTIONS = (
    Option(
        "flip",
        "long",
        "duplex flip edge: long mirrors columns, short mirrors rows",
        kind="choice",
        choices=FLIPS,
    ),
    Option("columns", 2, "cards across a sheet", kind="int", minimum=1, maximum=6),
    Option("rows", 3, "cards down a sheet", kind="int", minimum=1, maximum=8),
    Option(
        "margin",
        "10mm",
        "space between the paper edge and the cards",
        kind="length",
        check=_at_least_safe_margin,
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
PADDING = (
    5 * MM
)  # text stays this far inside the card: more than a duplex printer's misregistration
LABEL_SIZE = 6.5
LABEL_BAND = 4 * MM  # room at the top (number) and bottom (title) of a card for small labels
INK = (0.0, 0.0, 0.0)
GREY = (0.45, 0.45, 0.45)
CUT_GREY = 0.72


def render(deck: Deck, options: Mapping[str, Any], output) -> None:
    paper = options["paper"]
    margin = options["margin"]
    area = Box(margin, margin, paper.width - 2 * margin, paper.height - 2 * margin)
    grid = CardGrid.filling(paper, area, options["columns"], options["rows"])
    fronts = [_fit_front(deck, card, grid, options) for card in deck.cards]
    backs = [_fit_back(deck, card, grid, options) for card in deck.cards]

    doc = output.document(paper, title=f"{deck.title} — flashcards")
    doc.set_print_preferences(duplex_flip=options["flip"])
    runs = list(sheets(range(len(deck.cards)), grid.per_sheet))
    for sheet_number, indexes in enumerate(runs, start=1):
        doc.begin_page()
        _draw_cut_lines(doc, grid)
        for slot, i in enumerate(indexes):
            box = grid.card_box(slot)
            _draw_card_side(
                doc, box, fronts[i], deck.cards[i], title=deck.title, subject=deck.subject
            )
        _draw_sheet_note(
            doc,
            f"{deck.title} · sheet {sheet_number} of {len(runs)} · questions"
            f" · print at 100 % · double-sided · flip on {options['flip']} edge",
        )
        doc.begin_page()
        for slot, i in enumerate(indexes):
            box = grid.back_box(slot, options["flip"])
            _draw_card_side(doc, box, backs[i], deck.cards[i], title=None)
        _draw_sheet_note(doc, f"{deck.title} · sheet {sheet_number} of {len(runs)} · answers")


def _text_area(box: Box) -> Box:
    inner = box.inset(PADDING)
    return Box(inner.x, inner.y + LABEL_BAND, inner.width, max(0.0, inner.height - 2 * LABEL_BAND))


def _fit(
    deck: Deck, card: Card, paragraphs: list[Paragraph], grid: CardGrid, max_size: float, side: str
) -> TextBlock:
    area = _text_area(Box(0, 0, grid.card_width, grid.card_height))
    try:
        return fit_text(paragraphs, area.width, area.height, max_size=max_size, min_size=MIN_SIZE)
    except TextDoesNotFit:
        question = card.question if len(card.question) <= 60 else card.question[:57] + "…"
        raise FitError(
            f"{deck.path}:{card.line}: the {side} of card {card.number} (“{question}”) does not fit "
            f"on a {grid.card_width / MM:.0f} × {grid.card_height / MM:.0f} mm card even at "
            f"{MIN_SIZE:g} pt; shorten it, split it into two cards, or use bigger cards "
            "(fewer rows or columns)"
        ) from None


def _fit_front(deck: Deck, card: Card, grid: CardGrid, options: Mapping[str, Any]) -> TextBlock:
    paragraphs = [Paragraph(card.question, font=fonts.BOLD, align="center")]
    return _fit(deck, card, paragraphs, grid, options["question_size"], "question")


def _fit_back(deck: Deck, card: Card, grid: CardGrid, options: Mapping[str, Any]) -> TextBlock:
    bullet = "•" if card.is_list else None
    align = "left" if card.is_list else "center"
    paragraphs = [Paragraph(point, bullet=bullet, align=align) for point in card.answer]
    return _fit(deck, card, paragraphs, grid, options["answer_size"], "answer")


def _draw_card_side(
    doc, box: Box, block: TextBlock, card: Card, title: str | None, subject: str | None = None
) -> None:
    """One side of a card: its number at the top, the text centred, the deck title at the foot."""
    canvas = doc.canvas
    inner = box.inset(PADDING)
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(fonts.BOLD, LABEL_SIZE)
    canvas.drawString(inner.x, inner.top - LABEL_SIZE, str(card.number))
    if title:
        canvas.setFont(fonts.REGULAR, LABEL_SIZE)
        if subject:
            canvas.drawRightString(
                inner.right,
                inner.top - LABEL_SIZE,
                shorten(subject, fonts.REGULAR, LABEL_SIZE, inner.width / 2),
            )
        canvas.drawCentredString(
            inner.x + inner.width / 2,
            inner.y + 0.3 * LABEL_SIZE,
            shorten(title, fonts.REGULAR, LABEL_SIZE, inner.width),
        )
    area = _text_area(box)
    top = area.top - (area.height - block.height) / 2
    # Centred paragraphs are already centred in the area; a bulleted list is left-aligned, and
    # the list as a whole is centred so that three short points do not hug the left edge.
    left = area.x + (area.width - block.width) / 2 if card.is_list and title is None else area.x
    doc.draw_text(block, left, top, INK)


def _draw_cut_lines(doc, grid: CardGrid) -> None:
    """Thin grey lines on every card edge, run out to the printable margin so that the first
    cut still has a line to follow. Fronts only: on the backs, misregistration would show."""
    canvas = doc.canvas
    canvas.setStrokeGray(CUT_GREY)
    canvas.setLineWidth(0.4)
    printable = grid.paper.printable_area()
    for x1, y1, x2, y2 in grid.cut_lines():
        if x1 == x2:
            canvas.line(x1, printable.y, x2, printable.top)
        else:
            canvas.line(printable.x, y1, printable.right, y2)


def _draw_sheet_note(doc, text: str) -> None:
    canvas = doc.canvas
    paper = doc.paper
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(fonts.REGULAR, LABEL_SIZE)
    width = paper.width - 2 * 12 * MM
    canvas.drawCentredString(
        paper.width / 2, SAFE_MARGIN + 2.2 * MM, shorten(text, fonts.REGULAR, LABEL_SIZE, width)
    )
