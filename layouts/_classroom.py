"""Drawing shared by the worksheet and its answer key: header, footer, numbered text in rows.

Not a layout itself (the leading underscore keeps it out of `printkit layouts`).
"""

from collections.abc import Callable, Iterable, Sequence
from itertools import chain, repeat
from typing import NamedTuple

from reportlab.pdfbase import pdfmetrics

from printkit import fonts
from printkit.deck import Card, Deck
from printkit.errors import FitError, Problem
from printkit.flow import Block, BlockTooTall, Piece, flow
from printkit.ordering import Version
from printkit.paper import MM, SAFE_MARGIN
from printkit.text import Paragraph, TextBlock, layout_text, text_width

INK = (0.0, 0.0, 0.0)
GREY = (0.4, 0.4, 0.4)
RULE_GREY = 0.55  # light enough to write over, dark enough to survive a photocopier

TITLE_SIZE = 16.0
SUBTITLE_SIZE = 10.0
BADGE_SIZE = 13.0
FOOTER_SIZE = 8.0
LABEL_SIZE = 8.0
# The footer's baseline sits this far above the paper edge: clear of the 5 mm no-ink margin.
FOOTER_BASELINE = SAFE_MARGIN + 3 * MM
CONTINUED_HEIGHT = 5 * MM
MARKS_SIZE = 9.5
MARKS_WIDTH = 10 * MM  # the column at the right of a question that holds its "[2]"


def draw_title(
    doc,
    *,
    left: float,
    right: float,
    top: float,
    title: str,
    subject: str | None,
    letter: str | None,
) -> float:
    """The deck title (wrapped), its subject, and a boxed "Version A" at the right; returns the
    y just below them."""
    canvas = doc.canvas
    badge_width = 0.0
    if letter:
        text = f"Version {letter}"
        badge_width = text_width(text, fonts.BOLD, BADGE_SIZE) + 6 * MM
        badge_height = BADGE_SIZE + 3 * MM
        canvas.setStrokeGray(0)
        canvas.setLineWidth(1.2)
        canvas.roundRect(right - badge_width, top - badge_height, badge_width, badge_height, 2 * MM)
        canvas.setFillColorRGB(*INK)
        canvas.setFont(fonts.BOLD, BADGE_SIZE)
        canvas.drawCentredString(
            right - badge_width / 2, top - badge_height / 2 - 0.35 * BADGE_SIZE, text
        )
        badge_width += 4 * MM
    paragraphs = [Paragraph(title, font=fonts.BOLD)]
    if subject:
        paragraphs.append(Paragraph(subject, scale=SUBTITLE_SIZE / TITLE_SIZE))
    block = layout_text(paragraphs, right - left - badge_width, TITLE_SIZE, paragraph_gap=0.2)
    for line in block.lines:
        color = INK if line.font == fonts.BOLD else GREY
        if line.spans:  # another script: set as card text is
            doc.draw_text(TextBlock(line.size, (line,), 0.0, line.width), left, top, color)
            continue
        canvas.setFillColorRGB(*color)
        canvas.setFont(line.font, line.size)
        canvas.drawString(left + line.x, top - line.baseline, line.text)
    return top - max(block.height, BADGE_SIZE + 3 * MM if letter else 0.0)


FIELDS = (("Name", 0.5), ("Class", 0.22), ("Date", 0.28))  # label, share of the width
FIELD_SIZE = 10.5


def draw_fields(doc, deck: Deck, version: Version, left: float, right: float, top: float) -> float:
    """The deck's title (and version) and below it the Name / Class / Date line a pupil fills
    in; returns the line's baseline."""
    y = draw_title(
        doc,
        left=left,
        right=right,
        top=top,
        title=deck.title,
        subject=deck.subject,
        letter=version.letter,
    )
    y -= 10 * MM
    canvas = doc.canvas
    x = left
    canvas.setLineWidth(0.6)
    for label, share in FIELDS:
        width = (right - left) * share
        canvas.setFillColorRGB(*INK)
        canvas.setFont(fonts.REGULAR, FIELD_SIZE)
        canvas.drawString(x, y, label)
        start = x + text_width(label, fonts.REGULAR, FIELD_SIZE) + 2 * MM
        canvas.setStrokeGray(0)
        canvas.line(start, y - 1, x + width - 5 * MM, y - 1)
        x += width
    return y


def draw_key_header(
    doc,
    deck: Deck,
    version: Version,
    left: float,
    right: float,
    top: float,
    *,
    title: str,
    notes: Sequence[str] = (),
) -> float:
    """A key's title, the order it is for (and `notes` after it), and a rule; returns where
    the answers start."""
    canvas = doc.canvas
    y = draw_title(
        doc,
        left=left,
        right=right,
        top=top,
        title=title,
        subject=deck.subject,
        letter=version.letter,
    )
    if version.seed is None:
        order = "Questions in the order of the deck."
    else:
        order = f"Questions shuffled with seed {version.seed}" + (
            f", version {version.letter}." if version.letter else "."
        )
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(fonts.ITALIC, 9)
    y -= 1.5 * MM
    for note in (order, *notes):
        # A long note (why a section was left out) wraps within the margins.
        for line in _note_lines(note, right - left):
            y -= 4.5 * MM
            canvas.drawString(left, y, line)
    y -= 3 * MM
    draw_rule(doc, left, right, y)
    return y - 5 * MM


def _note_lines(note: str, width: float) -> list[str]:
    """A note of a key's header in lines that fit `width` at 9 pt italic."""
    if text_width(note, fonts.ITALIC, 9) <= width:
        return [note]
    block = layout_text([Paragraph(note, font=fonts.ITALIC)], width, 9)
    return [line.text for line in block.lines]


def draw_score(doc, right: float, y: float, total: int) -> None:
    """A boxed "Score: ___ / N" at the right, its baseline at y."""
    canvas = doc.canvas
    score = f"Score:              / {total}"
    canvas.setFillColorRGB(*INK)
    canvas.setFont(fonts.BOLD, 12)
    width = text_width(score, fonts.BOLD, 12)
    canvas.drawRightString(right - 2 * MM, y, score)
    canvas.setStrokeGray(0)
    canvas.setLineWidth(1.0)
    canvas.rect(right - width - 5 * MM, y - 3 * MM, width + 5 * MM, 9 * MM)


def draw_marks(doc, right: float, baseline: float, marks: int) -> None:
    """A question's marks, "[2]", right-aligned in the margin column on its first baseline."""
    canvas = doc.canvas
    canvas.setFillColorRGB(*INK)
    canvas.setFont(fonts.REGULAR, MARKS_SIZE)
    canvas.drawRightString(right, baseline, f"[{marks}]")


def draw_rule(doc, left: float, right: float, y: float) -> None:
    canvas = doc.canvas
    canvas.setStrokeGray(RULE_GREY)
    canvas.setLineWidth(0.6)
    canvas.line(left, y, right, y)


def draw_footer(doc, *, left: float, right: float, text: str, page: int, pages: int) -> None:
    """The deck title (and version) at the left, "Page n of m" at the right."""
    canvas = doc.canvas
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(fonts.REGULAR, FOOTER_SIZE)
    page_text = f"Page {page} of {pages}"
    canvas.drawRightString(right, FOOTER_BASELINE, page_text)
    room = right - left - text_width(page_text, fonts.REGULAR, FOOTER_SIZE) - 6 * MM
    doc.draw_label(text, fonts.REGULAR, FOOTER_SIZE, left, FOOTER_BASELINE, width=room, styled=True)


def label_baseline(block: TextBlock) -> float:
    """Where a label beside a block (its number, its marks, a choice's letter) stands, below
    the block's top: on the first line's baseline, or level with the top of a picture that
    starts the block."""
    first = block.lines[0]
    if first.figure is None:
        return first.baseline
    ascent = pdfmetrics.getAscentDescent(fonts.BOLD, first.size)[0]
    return first.baseline - first.height + ascent


def draw_number(doc, number: int, x: float, top: float, block: TextBlock, mark: str = ".") -> None:
    """The question number (and its mark: "1." or a key's "6 –"), on the baseline of the
    question's first line, or level with the top of a picture that starts the question."""
    first = block.lines[0]
    baseline = label_baseline(block)
    canvas = doc.canvas
    canvas.setFillColorRGB(*INK)
    canvas.setFont(fonts.BOLD, first.size)
    canvas.drawString(x, top - baseline, f"{number}{mark}")


def draw_continued(doc, number: int, x: float, top: float) -> None:
    canvas = doc.canvas
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(fonts.ITALIC, LABEL_SIZE)
    canvas.drawString(x, top - LABEL_SIZE, f"Question {number}, continued")


def text_rows(block: TextBlock) -> list[float]:
    """The heights of a block's lines as rows that add up to the block's height, so a flow
    can break between any two lines; each row ends just below its line's descender."""
    descent = block.height - block.lines[-1].baseline
    ends = [line.baseline + descent for line in block.lines]
    return [end - begin for begin, end in zip([0.0, *ends[:-1]], ends, strict=True)]


def slice_block(block: TextBlock, start: int, stop: int) -> TextBlock:
    """Lines `start` to `stop` of a block, moved up so that the slice starts at its top."""
    rows = text_rows(block)
    shift = sum(rows[:start])
    lines = tuple(line.moved_up(shift) for line in block.lines[start:stop])
    return block._replace(lines=lines, height=sum(rows[start:stop]))


def piece_tops(piece: Piece, frame_top: float) -> tuple[float, float]:
    """Where a piece starts on the page, and where its rows start (below a continuation label)."""
    top = frame_top - piece.top
    return top, top - (CONTINUED_HEIGHT if piece.continued else 0.0)


def flow_questions(
    deck: Deck,
    version: Version,
    blocks: list[list[float]],
    *,
    cards: Sequence[Card] | None = None,
    first: float,
    later: float,
    columns: int,
    gap: float,
    min_split: int,
    where: str,
    keep_whole: bool = False,
    min_gap: float | None = None,
    balance: bool = False,
) -> list[list[Piece]]:
    """Flow question blocks into `columns` frames a page, `first` pt tall on the first page
    (below the header) and `later` pt after; a question too tall for a frame is a FitError.

    Paper is not wasted: with `keep_whole`, a question that fits whole on the next page goes
    there whole rather than split, unless that takes more pages; with `min_gap`, a last page
    that would hold a single question is avoided by closing the gaps between questions (down
    to `min_gap`) when that saves the page; with `balance`, the columns of the last page are
    made level, so a short key does not fill only its left column."""

    # Made once: keeping questions whole, closing gaps and levelling the key's columns pour
    # the same blocks many times.
    built = [Block.from_rows(rows) for rows in blocks]  # the first row is the question

    def pour(heights: Iterable[float], gap: float, whole: bool) -> list[list[Piece]] | None:
        return flow(
            built,
            heights,
            gap=gap,
            continued_height=CONTINUED_HEIGHT,
            min_split=min_split,
            prefer_whole=whole,
        )

    def endless(gap: float, whole: bool) -> list[list[Piece]]:
        frames = pour(chain(repeat(first, columns), repeat(later)), gap, whole)
        assert frames is not None  # the pages never run out
        return frames

    def pages(frames: list[list[Piece]]) -> int:
        return -(-len(frames) // columns)

    try:
        frames = endless(gap, False)
    except BlockTooTall as error:
        card = (version.cards if cards is None else cards)[error.block]
        raise FitError(
            Problem(
                deck.path,
                card.line,
                f"the question of card {card.number} is too long to fit {where}; "
                "shorten it or split it into two cards",
            )
        ) from None
    if keep_whole:
        whole = endless(gap, True)
        if pages(whole) <= pages(frames):
            frames = whole
    if min_gap is not None and pages(frames) > 1 and len(frames[-1]) == 1:
        tighter = gap - 0.5 * MM
        while tighter >= min_gap - 1e-6:
            attempt = endless(tighter, keep_whole)
            if pages(attempt) < pages(frames):
                frames = attempt
                break
            tighter -= 0.5 * MM
    if balance and columns > 1:
        frames = _balanced(frames, pour, first, later, columns, gap, keep_whole)
    return frames


def _balanced(frames, pour, first: float, later: float, columns: int, gap: float, whole: bool):
    """`frames` with the columns of the last page cut to the lowest height that still takes
    what they hold: they end level. The earlier pages stay as they were (the flow is greedy)."""
    last_page = (len(frames) - 1) // columns
    earlier = [first if k < columns else later for k in range(last_page * columns)]
    full = first if last_page == 0 else later

    def attempt(height: float):
        try:
            return pour([*earlier, *[height] * columns], gap, whole)
        except BlockTooTall:
            return None

    low, high, best = 0.0, full, frames
    for _ in range(24):  # to well under a point
        middle = (low + high) / 2
        result = attempt(middle)
        if result is None:
            low = middle
        else:
            high, best = middle, result
    return best


def checked_width(deck: Deck, card: Card, block: TextBlock, width: float, what: str) -> TextBlock:
    """`block` if it is no wider than `width`; else a FitError: something in it that cannot be
    broken (a formula, a picture's minimum, one very wide character) would run off the page."""
    if block.width > width + 1e-6:
        raise FitError(
            Problem(
                deck.path,
                card.line,
                f"the {what} of card {card.number} has a formula or a word that cannot be "
                f"broken and is {block.width - width:.0f} pt wider than its column; "
                "shorten it or split it into smaller formulas",
            )
        )
    return block


class Margins(NamedTuple):
    """A classroom sheet's margins: left and right, above the header, below the body."""

    side: float
    top: float
    bottom: float


class Pages(NamedTuple):
    """Where a worksheet's or key's body goes, and its question blocks flowed into frames."""

    left: float
    right: float
    page_top: float  # top of the body on pages after the first
    body_top: float  # top of the body on the first page, below the header
    frames: list[list[Piece]]

    def frame_top(self, page: int) -> float:
        return self.body_top if page == 0 else self.page_top


def start_pages(
    doc,
    deck: Deck,
    version: Version,
    blocks: list[list[float]],
    margins: Margins,
    header: Callable[..., float],
    *,
    cards: Sequence[Card] | None = None,
    columns: int,
    gap: float,
    min_split: int,
    where: str,
    keep_whole: bool = False,
    min_gap: float | None = None,
    balance: bool = False,
) -> Pages:
    """Begin the first page, draw the header (`header(doc, deck, version, left, right, top)`
    returns where the body starts), and flow the blocks into the pages below it. Block i asks
    the question of `cards[i]` (by default the version's cards), named if it cannot fit."""
    paper = doc.paper
    left, right = margins.side, paper.width - margins.side
    page_top = paper.height - margins.top
    doc.begin_page()
    body_top = header(doc, deck, version, left, right, page_top)
    frames = flow_questions(
        deck,
        version,
        blocks,
        cards=cards,
        first=body_top - margins.bottom,
        later=page_top - margins.bottom,
        columns=columns,
        gap=gap,
        min_split=min_split,
        where=where,
        keep_whole=keep_whole,
        min_gap=min_gap,
        balance=balance,
    )
    return Pages(left, right, page_top, body_top, frames)
