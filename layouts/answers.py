"""The answer key to a worksheet: the same numbers in the same order, each answer under its
question, set small in two columns so that a 30-question key takes a page or two."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from printkit.layouts._classroom import (
    INK,
    Margins,
    checked_width,
    draw_continued,
    draw_footer,
    draw_key_header,
    draw_number,
    piece_tops,
    slice_block,
    start_pages,
    text_rows,
)

from printkit.card_content import answer_items, question_items
from printkit.deck import Card, Deck
from printkit.ordering import CLASS_SET_OPTIONS, Version, class_set
from printkit.paper import MM, Paper
from printkit.text import TextBlock, layout_text

DESCRIPTION = (
    "The answer key to the worksheet: same numbers and order, answers under each question."
)

OPTIONS = CLASS_SET_OPTIONS

QUESTION_SIZE = 9.5
ANSWER_SIZE = 9.0
MARGINS = Margins(side=13 * MM, top=12 * MM, bottom=14 * MM)
COLUMNS = 2
GUTTER = 8 * MM
NUMBER_WIDTH = 7 * MM
QUESTION_GAP = 0.8 * MM
ENTRY_GAP = 2.5 * MM
MIN_SPLIT = 1  # an answer may continue in the next column after any whole point
# A point longer than this many lines may itself break between lines, so that one long
# paragraph cannot leave most of a column empty.
LONG_POINT = 6


def render(deck: Deck, options: Mapping[str, Any], output) -> None:
    paper: Paper = options["paper"]
    column_width = (paper.width - 2 * MARGINS.side - (COLUMNS - 1) * GUTTER) / COLUMNS
    width = column_width - NUMBER_WIDTH
    entries = {card.number: _entry(card, deck, options, width) for card in deck.cards}
    for version in class_set(deck, options):
        title = f"{deck.title} — answers" + (f" {version.letter}" if version.letter else "")
        doc = output.document(paper, suffix=version.letter, title=title)
        doc.set_print_preferences(duplex_flip="long")  # pages back to back, like a book
        _draw_key(doc, deck, version, entries, column_width)


def _entry(
    card: Card, deck: Deck, options: Mapping[str, Any], width: float
) -> tuple[TextBlock, TextBlock]:
    """The question (bold) and its answer (bullets for a list answer), set for one column."""
    question = layout_text(question_items(card, deck, options), width, QUESTION_SIZE)
    checked_width(deck, card, question, width, "question")
    answer = layout_text(
        answer_items(card, deck, options),
        width,
        ANSWER_SIZE,
        paragraph_gap=0.15,
    )
    return question, checked_width(deck, card, answer, width, "answer")


def _answer_rows(answer: TextBlock) -> list[tuple[int, int]]:
    """The answer's lines grouped into rows that a column break may not cut: one row per point
    (a bullet starts a point), or one row per line inside a point longer than LONG_POINT."""
    starts = [i for i, line in enumerate(answer.lines) if i == 0 or line.bullet]
    rows = []
    for start, stop in zip(starts, [*starts[1:], len(answer.lines)], strict=True):
        if stop - start > LONG_POINT:
            rows.extend((i, i + 1) for i in range(start, stop))
        else:
            rows.append((start, stop))
    return rows


def _draw_key(
    doc,
    deck: Deck,
    version: Version,
    entries: dict[int, tuple[TextBlock, TextBlock]],
    column_width: float,
) -> None:
    rows = {number: _answer_rows(answer) for number, (_, answer) in entries.items()}
    heights = {number: text_rows(answer) for number, (_, answer) in entries.items()}
    blocks = [
        [
            entries[card.number][0].height + QUESTION_GAP,
            *(sum(heights[card.number][a:b]) for a, b in rows[card.number]),
        ]
        for card in version.cards
    ]
    flowed = start_pages(
        doc,
        deck,
        version,
        blocks,
        MARGINS,
        _draw_header,
        columns=COLUMNS,
        gap=ENTRY_GAP,
        min_split=MIN_SPLIT,
        where="in a column of the answer key",
        balance=True,
    )
    left, right, frames = flowed.left, flowed.right, flowed.frames
    pages = (len(frames) + COLUMNS - 1) // COLUMNS
    footer = f"{deck.title} · answer key" + (
        f" · Version {version.letter}" if version.letter else ""
    )
    for k, pieces in enumerate(frames):
        page, column = divmod(k, COLUMNS)
        if column == 0 and page:
            draw_footer(doc, left=left, right=right, text=footer, page=page, pages=pages)
            doc.begin_page()
        x = left + column * (column_width + GUTTER)
        frame_top = flowed.frame_top(page)
        for piece in pieces:
            card = version.cards[piece.block]
            question, answer = entries[card.number]
            number = piece.block + 1
            top, y = piece_tops(piece, frame_top)
            if piece.continued:
                draw_continued(doc, number, x + NUMBER_WIDTH, top)
            if piece.start == 0:
                draw_number(doc, number, x, y, question)
                doc.draw_text(question, x + NUMBER_WIDTH, y, INK)
                y -= blocks[piece.block][0]
            answer_rows = rows[card.number]
            first, stop = answer_rows[max(piece.start, 1) - 1][0], answer_rows[piece.stop - 2][1]
            doc.draw_text(slice_block(answer, first, stop), x + NUMBER_WIDTH, y)
    draw_footer(doc, left=left, right=right, text=footer, page=pages, pages=pages)


def _draw_header(doc, deck: Deck, version: Version, left: float, right: float, top: float) -> float:
    """Title, the order this key is for, and a rule; returns where the answers start."""
    title = f"Answer key: {deck.title}"
    return draw_key_header(doc, deck, version, left, right, top, title=title)
