"""A worksheet for a class: numbered questions, each with ruled lines sized from its answer.

No answer text is printed; the `answers` layout prints the matching key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from printkit.layouts._classroom import (
    INK,
    MARKS_WIDTH,
    RULE_GREY,
    Margins,
    checked_width,
    draw_continued,
    draw_fields,
    draw_footer,
    draw_marks,
    draw_number,
    draw_rule,
    draw_score,
    label_baseline,
    piece_tops,
    start_pages,
)

from printkit import fonts
from printkit.card_content import answer_items, question_items
from printkit.content.model import Text
from printkit.deck import Card, Deck
from printkit.options import Option
from printkit.ordering import CLASS_SET_OPTIONS, Version, class_set
from printkit.paper import MM, Paper
from printkit.text import Item, Paragraph, TextBlock, layout_text

DESCRIPTION = (
    "A worksheet: numbered questions with writing lines sized from each answer (no answers)."
)

# Line pitch for younger (wide) to older (narrow) writers; school exercise books use 8–9 mm.
SPACINGS = {"narrow": 8 * MM, "medium": 9 * MM, "wide": 11 * MM}

# Handwriting is wider than type. At 10 pt the bundled DejaVu Sans averages about 1.9 mm a
# character; a pupil writing on 8–9 mm lines averages about 3–3.5 mm a character, so 1.75
# times the typeset width, and every answer point starts a new line as pupils write them.
OPTIONS = (
    *CLASS_SET_OPTIONS,
    Option(
        "spacing",
        "medium",
        "writing-line pitch: narrow 8 mm, medium 9 mm, wide 11 mm (younger writers)",
        kind="choice",
        choices=tuple(SPACINGS),
    ),
    Option(
        "marks",
        None,
        "marks per question, shown as [2] with a score box (a card's marks: wins; "
        "none: marks only for cards that give them)",
        kind="int",
        minimum=1,
        maximum=100,
    ),
    Option(
        "handwriting",
        1.75,
        "how many times wider handwriting is than 10 pt type; sets the number of lines",
        kind="number",
        minimum=1,
        maximum=4,
    ),
)

TYPE_SIZE = 10.0  # the answer is measured at this size, then scaled by `handwriting`
PICTURE_LINES = 4  # writing lines for a picture in the answer: room to draw or label it
QUESTION_SIZE = 11.0
MARGINS = Margins(side=16 * MM, top=13 * MM, bottom=17 * MM)  # bottom: above the footer
NUMBER_WIDTH = 9 * MM  # hanging indent: the number, then the question and its lines
QUESTION_GAP = 1 * MM  # between a question's last text line and the first writing line's space
BLOCK_GAP = 6 * MM
MIN_BLOCK_GAP = 3 * MM  # the gap closes this far when that saves a page holding one question
# A question's lines may continue over a page only when each page gets at least this many of
# them: shorter answers stay whole, and no page is left half empty to keep a long one whole.
MIN_SPLIT = 3
INSTRUCTION = "Write your answer to each question on the lines below it."


def writing_lines(
    card: Card, width: float, handwriting: float, deck: Deck, options: Mapping[str, Any]
) -> int:
    """The number of writing lines for a card: its `lines:` when given, else the lines its
    answer takes when set at 10 pt scaled by the handwriting factor on lines `width` wide,
    with PICTURE_LINES more for each picture in the answer (room to draw or label it). A cloze
    card is answered in its blanks: no lines unless it asks for some."""
    if card.lines is not None:
        return card.lines
    if card.cloze:
        return 0
    # Handwriting has no bold: a bold answer gets the room of the same words in plain type.
    paragraphs = [_without_bold(item) for item in answer_items(card, deck, options, bullet=None)]
    # Wrapping is scale-free: 10 pt type in width / factor wraps as handwriting in width.
    block = layout_text(paragraphs, width / handwriting, TYPE_SIZE)
    count = sum(PICTURE_LINES if line.figure is not None else 1 for line in block.lines)
    return max(1, count)


def _without_bold(item: Item) -> Item:
    if not isinstance(item, Paragraph) or not item.inlines:
        return item
    inlines = tuple(
        replace(i, style=replace(i.style, bold=False)) if isinstance(i, Text) else i
        for i in item.inlines
    )
    return item._replace(inlines=inlines)


def render(deck: Deck, options: Mapping[str, Any], output) -> None:
    paper: Paper = options["paper"]
    marks = {card.number: card.marks or options["marks"] for card in deck.cards}
    with_marks = any(marks.values())
    # Writing lines run to the margin; a question leaves room for its marks at the right.
    line_width = paper.width - 2 * MARGINS.side - NUMBER_WIDTH
    question_width = line_width - (MARKS_WIDTH if with_marks else 0.0)
    counts = {
        card.number: writing_lines(card, line_width, options["handwriting"], deck, options)
        for card in deck.cards
    }
    # The question with its formatting and pictures; the answer's never shows.
    questions = {
        card.number: checked_width(
            deck,
            card,
            layout_text(question_items(card, deck, options), question_width, QUESTION_SIZE),
            question_width,
            "question",
        )
        for card in deck.cards
    }
    pitch = SPACINGS[options["spacing"]]
    for version in class_set(deck, options):
        title = f"{deck.title} — worksheet" + (f" {version.letter}" if version.letter else "")
        doc = output.document(paper, suffix=version.letter, title=title)
        doc.set_print_preferences(duplex_flip="long")  # pages back to back, like a book
        _draw_worksheet(doc, deck, version, questions, counts, pitch, marks)


def _draw_worksheet(
    doc,
    deck: Deck,
    version: Version,
    questions: dict[int, TextBlock],
    counts: dict[int, int],
    pitch: float,
    marks: dict[int, int | None],
) -> None:
    blocks = [
        [questions[card.number].height + QUESTION_GAP] + [pitch] * counts[card.number]
        for card in version.cards
    ]
    total = sum(marks[card.number] or 0 for card in version.cards)

    def header(doc, deck: Deck, version: Version, left: float, right: float, top: float) -> float:
        return _draw_header(doc, deck, version, left, right, top, total)

    flowed = start_pages(
        doc,
        deck,
        version,
        blocks,
        MARGINS,
        header,
        columns=1,
        gap=BLOCK_GAP,
        min_split=MIN_SPLIT,
        where="on a page with a writing line",
        keep_whole=True,
        min_gap=MIN_BLOCK_GAP,
    )
    left, right, frames = flowed.left, flowed.right, flowed.frames

    footer = deck.title + (f" · Version {version.letter}" if version.letter else "")
    for k, pieces in enumerate(frames):
        if k:
            doc.begin_page()
        frame_top = flowed.frame_top(k)
        for piece in pieces:
            card = version.cards[piece.block]
            number = piece.block + 1
            top, rows_top = piece_tops(piece, frame_top)
            if piece.continued:
                draw_continued(doc, number, left + NUMBER_WIDTH, top)
            y = rows_top
            for row in range(piece.start, piece.stop):
                if row == 0:
                    question = questions[card.number]
                    draw_number(doc, number, left, y, question)
                    doc.draw_text(question, left + NUMBER_WIDTH, y, INK)
                    if marks[card.number]:
                        draw_marks(doc, right, y - label_baseline(question), marks[card.number])
                y -= blocks[piece.block][row]
                if row > 0:
                    _draw_writing_line(doc, left + NUMBER_WIDTH, right, y)
        draw_footer(doc, left=left, right=right, text=footer, page=k + 1, pages=len(frames))


def _draw_header(
    doc, deck: Deck, version: Version, left: float, right: float, top: float, total: int = 0
) -> float:
    """Title, Name / Class / Date fields and the instruction (with a score box when the
    questions carry marks); returns where questions start."""
    canvas = doc.canvas
    y = draw_fields(doc, deck, version, left, right, top)
    y -= 9 * MM
    canvas.setFont(fonts.ITALIC, 10)
    canvas.drawString(left, y, INSTRUCTION)
    if total:
        draw_score(doc, right, y, total)
        y -= 2 * MM
    y -= 4 * MM
    draw_rule(doc, left, right, y)
    return y - 7 * MM


def _draw_writing_line(doc, left: float, right: float, y: float) -> None:
    canvas = doc.canvas
    canvas.setStrokeGray(RULE_GREY)
    canvas.setLineWidth(0.5)
    canvas.line(left, y, right, y)
