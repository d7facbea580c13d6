"""A class test made from the deck: multiple choice, matching, fill in the blanks, true or
false and written answers, with marks; the `quiz-key` layout prints its key."""

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from printkit.layouts._classroom import (
    GREY,
    INK,
    Margins,
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
from printkit.layouts._quiz import (
    INSTRUCTIONS,
    QUIZ_OPTIONS,
    Question,
    QuizPlan,
    Section,
    plan_quiz,
)
from printkit.layouts.worksheet import SPACINGS, writing_lines

from printkit import fonts
from printkit.card_content import deck_text_items, question_items
from printkit.deck import Card, Deck
from printkit.ordering import CLASS_SET_OPTIONS, class_set
from printkit.paper import MM, Paper
from printkit.text import Paragraph, TextBlock, layout_text, text_width

DESCRIPTION = (
    "A class test: multiple choice, matching, fill in the blanks, true or false and written "
    "questions made from the cards, with marks (quiz-key prints the answers)."
)

OPTIONS = (*CLASS_SET_OPTIONS, *QUIZ_OPTIONS)

QUESTION_SIZE = 10.5
CHOICE_SIZE = 10.0
HEADING_SIZE = 12.5
MARGINS = Margins(side=16 * MM, top=13 * MM, bottom=17 * MM)
NUMBER_WIDTH = 9 * MM
MARK_WIDTH = 12 * MM  # the right margin where "[2]" stands
BLOCK_GAP = 5 * MM
MIN_SPLIT = 3
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TRUE_FALSE = "True    False"
BOX = 5 * MM  # the matching box a pupil writes a letter in


class Row(NamedTuple):
    """Part of a block the flow may put on a page: its height and how to draw it at a top."""

    height: float
    draw: Callable[[Any, float], None]


class Frame(NamedTuple):
    """The body's edges: questions between `text` and `marks`, numbers from `left`."""

    left: float
    right: float

    @property
    def text(self) -> float:
        return self.left + NUMBER_WIDTH

    @property
    def marks(self) -> float:
        return self.right - MARK_WIDTH

    @property
    def width(self) -> float:
        return self.marks - self.text


def render(deck: Deck, options: Mapping[str, Any], output) -> None:
    paper: Paper = options["paper"]
    frame = Frame(MARGINS.side, paper.width - MARGINS.side)
    for version in class_set(deck, options):
        plan = plan_quiz(deck, options, version)
        letter = version.letter
        doc = output.document(
            paper, suffix=letter, title=f"{deck.title} — quiz" + (f" {letter}" if letter else "")
        )
        doc.set_print_preferences()
        blocks, cards = [], []
        for section in plan.sections:
            section_blocks = _section_blocks(section, deck, options, frame)
            section_blocks[0][1][:0] = [_heading_row(section, frame, options)]
            blocks += [rows for _, rows in section_blocks]
            cards += [card for card, _ in section_blocks]
        _draw(doc, deck, plan, blocks, cards)


def _draw(doc, deck: Deck, plan: QuizPlan, blocks: list[list[Row]], cards: list[Card]) -> None:
    def header(doc, deck, version, left, right, top):
        return _draw_header(doc, deck, plan, left, right, top)

    heights = [[row.height for row in rows] for rows in blocks]
    flowed = start_pages(
        doc,
        deck,
        plan.version,
        heights,
        MARGINS,
        header,
        cards=cards,
        columns=1,
        gap=BLOCK_GAP,
        min_split=MIN_SPLIT,
        where="on a page of the quiz",
    )
    letter = plan.version.letter
    footer = f"{deck.title} · quiz" + (f" · Version {letter}" if letter else "")
    for k, pieces in enumerate(flowed.frames):
        if k:
            doc.begin_page()
        for piece in pieces:
            top, y = piece_tops(piece, flowed.frame_top(k))
            if piece.continued:
                draw_continued(doc, 0, flowed.left + NUMBER_WIDTH, top)
            for row in blocks[piece.block][piece.start : piece.stop]:
                row.draw(doc, y)
                y -= row.height
        draw_footer(
            doc,
            left=flowed.left,
            right=flowed.right,
            text=footer,
            page=k + 1,
            pages=len(flowed.frames),
        )


def _draw_header(doc, deck: Deck, plan: QuizPlan, left: float, right: float, top: float) -> float:
    canvas = doc.canvas
    y = draw_fields(doc, deck, plan.version, left, right, top)
    y -= 10 * MM
    canvas.setFillColorRGB(*INK)
    canvas.setFont(fonts.ITALIC, 10)
    canvas.drawString(
        left, y, "Answer every question. Each question's marks are in brackets, like [2]."
    )
    draw_score(doc, right, y, plan.total)
    y -= 5 * MM
    draw_rule(doc, left, right, y)
    return y - 6 * MM


def _heading_row(section: Section, frame: Frame, options: Mapping[str, Any]) -> Row:
    instruction = INSTRUCTIONS[section.name]
    if section.name == "matching" and not options["extra_match"]:
        instruction = instruction.replace(" One answer is left over.", "")
    bank = None
    if section.bank:
        words = "      ".join(section.bank)
        bank = layout_text([Paragraph(words)], frame.right - frame.left - 8 * MM, CHOICE_SIZE)
    height = HEADING_SIZE + 11 * MM + (bank.height + 6 * MM if bank else 0.0)

    def draw(doc, top: float) -> None:
        canvas = doc.canvas
        canvas.setFillColorRGB(*INK)
        canvas.setFont(fonts.BOLD, HEADING_SIZE)
        baseline = top - HEADING_SIZE
        canvas.drawString(frame.left, baseline, section.heading)
        marks = section.marks
        canvas.setFont(fonts.REGULAR, 10)
        canvas.drawRightString(frame.right, baseline, f"{marks} mark{'s' if marks != 1 else ''}")
        canvas.setFillColorRGB(*GREY)
        canvas.setFont(fonts.ITALIC, 9.5)
        canvas.drawString(frame.left, baseline - 5.5 * MM, instruction)
        if bank:
            box_top = baseline - 8.5 * MM
            canvas.setStrokeGray(0.3)
            canvas.setLineWidth(0.8)
            canvas.rect(
                frame.left,
                box_top - bank.height - 4 * MM,
                frame.right - frame.left,
                bank.height + 4 * MM,
            )
            doc.draw_text(bank, frame.left + 4 * MM, box_top - 2 * MM, INK)

    return Row(height, draw)


def _marks_label(doc, question: Question, frame: Frame, baseline: float) -> None:
    draw_marks(doc, frame.right, baseline, question.marks)


def _numbered(doc, question: Question, block: TextBlock, frame: Frame, top: float) -> None:
    """Number, question text and marks, all on the first line's baseline."""
    draw_number(doc, question.number, frame.left, top, block)
    doc.draw_text(block, frame.text, top, INK)
    _marks_label(doc, question, frame, top - label_baseline(block))


def _section_blocks(
    section: Section, deck: Deck, options, frame: Frame
) -> list[tuple[Card, list[Row]]]:
    if section.name == "matching":
        return _matching_blocks(section, deck, options, frame)
    make = {
        "multiple-choice": _choice_rows,
        "true-false": _true_false_rows,
        "fill-in": _fill_in_rows,
        "written": _written_rows,
    }[section.name]
    return [(q.card, make(q, deck, options, frame)) for q in section.questions]


def _choice_rows(question: Question, deck: Deck, options, frame: Frame) -> list[Row]:
    text = layout_text(question_items(question.card, deck, options), frame.width, QUESTION_SIZE)
    label = text_width("M) ", fonts.BOLD, CHOICE_SIZE)
    choices = len(question.choices)
    for across in dict.fromkeys((choices, 2, 1)):
        column = frame.width / across
        blocks = [
            layout_text(deck_text_items(c, deck, options), column - label - 3 * MM, CHOICE_SIZE)
            for c in question.choices
        ]
        if across == 1 or all(len(b.lines) == 1 for b in blocks):
            break
    rows = [blocks[i : i + across] for i in range(0, choices, across)]
    row_heights = [max(b.height for b in row) + 1.8 * MM for row in rows]
    height = text.height + 2 * MM + sum(row_heights)

    def draw(doc, top: float) -> None:
        _numbered(doc, question, text, frame, top)
        y = top - text.height - 2 * MM
        canvas = doc.canvas
        for r, row in enumerate(rows):
            for c, block in enumerate(row):
                x = frame.text + c * column
                canvas.setFillColorRGB(*INK)
                canvas.setFont(fonts.BOLD, CHOICE_SIZE)
                canvas.drawString(x, y - label_baseline(block), f"{LETTERS[r * across + c]})")
                doc.draw_text(block, x + label, y, INK)
            y -= row_heights[r]

    return [Row(height, draw)]


def _true_false_rows(question: Question, deck: Deck, options, frame: Frame) -> list[Row]:
    width = frame.width - text_width(TRUE_FALSE, fonts.BOLD, CHOICE_SIZE) - 6 * MM
    items = [
        *question_items(question.card, deck, options),
        *deck_text_items(question.choices[0], deck, options),
    ]
    text = layout_text(items, width, QUESTION_SIZE, paragraph_gap=0.2)

    def draw(doc, top: float) -> None:
        _numbered(doc, question, text, frame, top)
        canvas = doc.canvas
        canvas.setFont(fonts.BOLD, CHOICE_SIZE)
        canvas.drawRightString(frame.marks - 2 * MM, top - text.lines[-1].baseline, TRUE_FALSE)

    return [Row(text.height + 1 * MM, draw)]


def _fill_in_rows(question: Question, deck: Deck, options, frame: Frame) -> list[Row]:
    items = question_items(question.card, deck, options, font=fonts.REGULAR)
    # Wide leading: a pupil writes on the blanks, and needs the room above them.
    text = layout_text(items, frame.width, QUESTION_SIZE, leading=1.9)

    def draw(doc, top: float) -> None:
        _numbered(doc, question, text, frame, top)

    return [Row(text.height + 1 * MM, draw)]


def _written_rows(question: Question, deck: Deck, options, frame: Frame) -> list[Row]:
    text = layout_text(question_items(question.card, deck, options), frame.width, QUESTION_SIZE)
    lines = writing_lines(question.card, frame.width, 1.75, deck, options) or 1
    pitch = SPACINGS["medium"]

    def draw_question(doc, top: float) -> None:
        _numbered(doc, question, text, frame, top)

    def draw_line(doc, top: float) -> None:
        canvas = doc.canvas
        canvas.setStrokeGray(0.55)
        canvas.setLineWidth(0.5)
        canvas.line(frame.text, top - pitch, frame.marks, top - pitch)

    return [
        Row(text.height + 1 * MM, draw_question),
        *(Row(pitch, draw_line) for _ in range(lines)),
    ]


def _matching_blocks(section: Section, deck: Deck, options, frame: Frame):
    out = []
    gutter = 8 * MM
    half = (frame.width - gutter) / 2
    label = text_width("M) ", fonts.BOLD, CHOICE_SIZE)
    for group, answers in enumerate(section.lists):
        questions = [q for q in section.questions if q.group == group]
        lefts = [
            layout_text(question_items(q.card, deck, options), half - BOX - 3 * MM, QUESTION_SIZE)
            for q in questions
        ]
        rights = [
            layout_text(deck_text_items(a, deck, options), half - label, CHOICE_SIZE)
            for a in answers
        ]
        count = max(len(lefts), len(rights))
        heights = [
            max(
                lefts[i].height if i < len(lefts) else 0.0,
                rights[i].height if i < len(rights) else 0.0,
                BOX,
            )
            + 3 * MM
            for i in range(count)
        ]

        def draw(
            doc, top: float, questions=questions, lefts=lefts, rights=rights, heights=heights
        ) -> None:
            canvas = doc.canvas
            y = top
            for i, height in enumerate(heights):
                if i < len(lefts):
                    block, question = lefts[i], questions[i]
                    draw_number(doc, question.number, frame.left, y, block)
                    baseline = y - label_baseline(block)
                    canvas.setStrokeGray(0)
                    canvas.setLineWidth(0.8)
                    canvas.rect(frame.text, baseline - 1.5, BOX, BOX)
                    doc.draw_text(block, frame.text + BOX + 3 * MM, y, INK)
                    _marks_label(doc, question, frame, baseline)
                if i < len(rights):
                    x = frame.text + half + gutter
                    canvas.setFillColorRGB(*INK)
                    canvas.setFont(fonts.BOLD, CHOICE_SIZE)
                    canvas.drawString(x, y - label_baseline(rights[i]), f"{LETTERS[i]})")
                    doc.draw_text(rights[i], x + label, y, INK)
                y -= height

        out.append((questions[0].card, [Row(sum(heights), draw)]))
    return out
