"""The key to the quiz: every question by number with its right letter, the missing words,
True or False, and the written answers; for exactly one version, which it names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from printkit.layouts._classroom import (
    INK,
    Margins,
    draw_footer,
    draw_key_header,
    draw_number,
    piece_tops,
    slice_block,
    start_pages,
    text_rows,
)
from printkit.layouts._quiz import Question, QuizPlan, Section, plan_quiz
from printkit.layouts.quiz import LETTERS, OPTIONS  # noqa: F401  (the quiz's options, shared)

from printkit import fonts
from printkit.card_content import answer_items, gap_items, labelled_items, question_items
from printkit.deck import Deck
from printkit.ordering import class_set
from printkit.paper import MM, Paper
from printkit.text import Paragraph, TextBlock, layout_text

NAME = "quiz-key"
DESCRIPTION = "The key to the quiz: right letters, missing words, True/False, written answers."

SIZE = 9.0
HEADING_SIZE = 10.5
MARGINS = Margins(side=13 * MM, top=12 * MM, bottom=14 * MM)
COLUMNS = 2
GUTTER = 8 * MM
NUMBER_WIDTH = 9 * MM
ENTRY_GAP = 2 * MM


def render(deck: Deck, options: Mapping[str, Any], output) -> None:
    paper: Paper = options["paper"]
    column = (paper.width - 2 * MARGINS.side - (COLUMNS - 1) * GUTTER) / COLUMNS
    for version in class_set(deck, options):
        plan = plan_quiz(deck, options, version)
        letter = version.letter
        title = f"{deck.title} — quiz key" + (f" {letter}" if letter else "")
        doc = output.document(paper, suffix=letter, title=title)
        doc.set_print_preferences(duplex_flip="long")  # pages back to back, like a book
        _draw_key(doc, deck, plan, options, column)


def _entry(question: Question, section: Section, deck: Deck, options, width: float) -> TextBlock:
    """What the key says for one question, set for a column beside its number."""
    card = question.card
    items: list = []
    if section.name in ("multiple-choice", "matching"):
        right = question.choices[question.right]
        items = labelled_items(LETTERS[question.right], right, deck, options)
    elif section.name == "true-false":
        if question.right:
            items = [Paragraph("True", font=fonts.BOLD)]
        else:
            items = labelled_items("False; the answer is", card.plain_answer, deck, options)
    elif section.name == "fill-in":
        items = gap_items(card, deck, options)
    else:
        items = [*question_items(card, deck, options), *answer_items(card, deck, options)]
    return layout_text(items, width, SIZE, paragraph_gap=0.15)


def _draw_key(doc, deck: Deck, plan: QuizPlan, options, column: float) -> None:
    width = column - NUMBER_WIDTH
    entries: list[tuple[Question | None, TextBlock]] = []
    for section in plan.sections:
        heading = f"{section.heading} ({section.marks} mark{'s' if section.marks != 1 else ''})"
        entries.append(
            (None, layout_text([Paragraph(heading, font=fonts.BOLD)], column, HEADING_SIZE))
        )
        entries += [(q, _entry(q, section, deck, options, width)) for q in section.questions]
    section_of = {q.number: s.name for s in plan.sections for q in s.questions}
    # A heading stays with the entry after it: one block of two rows.
    blocks, cards, parts = [], [], []
    for index, (question, block) in enumerate(entries):
        if question is None:
            continue
        rows = text_rows(block) if len(block.lines) > 3 else [block.height]
        heading = entries[index - 1][1] if entries[index - 1][0] is None else None
        blocks.append(([heading.height + 4 * MM] if heading else []) + rows)
        cards.append(question.card)
        parts.append((heading, question, block, len(rows) > 1, section_of[question.number]))
    flowed = start_pages(
        doc,
        deck,
        plan.version,
        blocks,
        MARGINS,
        lambda doc, deck, version, left, right, top: _draw_header(
            doc, deck, plan, left, right, top
        ),
        cards=cards,
        columns=COLUMNS,
        gap=ENTRY_GAP,
        min_split=1,
        where="in a column of the quiz key",
    )
    pages = (len(flowed.frames) + COLUMNS - 1) // COLUMNS
    letter = plan.version.letter
    footer = f"{deck.title} · quiz key" + (f" · Version {letter}" if letter else "")
    left, right = flowed.left, flowed.right
    texts: list = []
    for k, pieces in enumerate(flowed.frames):
        page, col = divmod(k, COLUMNS)
        if col == 0 and page:
            doc.draw_blocks(texts)  # one PDF text object a page: far cheaper than one a line
            texts = []
            draw_footer(doc, left=left, right=right, text=footer, page=page, pages=pages)
            doc.begin_page()
        x = left + col * (column + GUTTER)
        for piece in pieces:
            heading, question, block, by_line, section = parts[piece.block]
            _, y = piece_tops(piece, flowed.frame_top(page))
            start, stop = piece.start, piece.stop
            if heading is not None:
                if start == 0:
                    texts.append((heading, x, y - 2.5 * MM, INK))
                    y -= blocks[piece.block][0]
                start, stop = max(start - 1, 0), stop - 1
            if start == stop:
                continue
            first, last = (start, stop) if by_line else (0, len(block.lines))
            whole = first == 0 and last == len(block.lines)
            part = block if whole else slice_block(block, first, last)
            if first == 0:
                mark = " –" if section == "matching" else "."
                draw_number(doc, question.number, x, y, part, mark)
            texts.append((part, x + NUMBER_WIDTH, y, INK))
    doc.draw_blocks(texts)
    draw_footer(doc, left=left, right=right, text=footer, page=pages, pages=pages)


def _draw_header(doc, deck: Deck, plan: QuizPlan, left: float, right: float, top: float) -> float:
    """Title, the version, the total and what was left out, and a rule."""
    notes = (f"Total: {plan.total} marks.", *plan.notes)
    title = f"Quiz key: {deck.title}"
    return draw_key_header(doc, deck, plan.version, left, right, top, title=title, notes=notes)
