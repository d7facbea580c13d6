"""A one-page revision summary: every card of a deck on one sheet, at the largest size that fits.

Planning (cards → columns and positions at a size) is pure and separate from drawing, so the
search can be tested without a PDF: `plan_summary` searches, `plan_at_size` plans one size.
"""

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

from reportlab.pdfbase import pdfmetrics

from printkit import fonts
from printkit.card_content import answer_items, question_items
from printkit.collector import cycle_collection_paused
from printkit.deck import Card, Deck
from printkit.errors import LayoutError, Problem
from printkit.flow import BlockTooTall, Piece, flow
from printkit.options import Option
from printkit.paper import MM, Box, Paper
from printkit.text import (
    Item,
    Line,
    Paragraph,
    TextBlock,
    block_extent,
    heights_at_least,
    is_plain_text,
    layout_text,
)

# A summary is a handout, not a book: more pages than this is a typo (and a long search).
MAX_PAGES = 20

DESCRIPTION = "A revision summary: every card on one page, as large as the page allows."

OPTIONS = (
    Option(
        "pages",
        1,
        "pages the summary may fill; 2 prints on the two sides of one sheet",
        kind="int",
        minimum=1,
        maximum=MAX_PAGES,
    ),
)

# Body text is searched on this grid. The maximum keeps a small deck from looking like a poster;
# the floor is the smallest size most people can still read on paper.
MIN_SIZE = 6.0
MAX_SIZE = 12.0
STEP = 0.25

# 5 mm is the printers' limit; 2 mm more absorbs a printer's offset without losing much room.
MARGIN = 7 * MM
GUTTER = 6 * MM  # between columns, with a hairline in the middle
FOOTER_SIZE = 6.0
FOOTER_BAND = FOOTER_SIZE * 1.2 + 2 * MM  # the footer line and the space above it
TITLE_SCALE = 1.5
META_SCALE = 1.0
HEADER_GAP = 1.0  # × size: between the header and the columns, with a rule in it

# A column's width in ems (× size) must lie in this range: narrower columns break every few
# words, wider ones make the eye lose the next line. Among equally large fits, the one nearest
# IDEAL_EM wins (about 55–65 characters of DejaVu Sans).
MIN_EM = 14.0
MAX_EM = 50.0
IDEAL_EM = 30.0

ORIENTATIONS = ("portrait", "landscape")
PAPER_NAMES = {"a4": "A4", "letter": "Letter"}
MAX_COLUMNS = 4
BULLET = "•"

INK = (0.0, 0.0, 0.0)
ACCENT = (0.07, 0.2, 0.42)  # headings: dark blue prints well in colour and in grey
GREY = (0.42, 0.42, 0.42)
RULE_GREY = 0.75

_EPSILON = 1e-6


class Spacing(NamedTuple):
    """Vertical spacing, in multiples of the body size; tightened before the size shrinks."""

    name: str
    leading: float
    paragraph_gap: float
    card_gap: float


# Loosest first: at the chosen size the loosest spacing that fits is used.
SPACINGS = (
    Spacing("relaxed", leading=1.25, paragraph_gap=0.25, card_gap=1.0),
    Spacing("normal", leading=1.18, paragraph_gap=0.15, card_gap=0.7),
    Spacing("compact", leading=1.12, paragraph_gap=0.06, card_gap=0.45),
)


class Frame(NamedTuple):
    """The page geometry of one choice of orientation and column count."""

    paper: Paper  # already turned for the orientation
    orientation: str
    columns: int

    @property
    def content(self) -> Box:
        return _content(self.paper)

    @property
    def column_width(self) -> float:
        return (self.content.width - (self.columns - 1) * GUTTER) / self.columns

    def column_x(self, index: int) -> float:
        return self.content.x + index * (self.column_width + GUTTER)

    @property
    def columns_bottom(self) -> float:
        return self.content.y + FOOTER_BAND

    def sizes(self) -> range:
        """Grid indexes (size = MIN_SIZE + k × STEP) at which this frame's columns are readable."""
        top = round((MAX_SIZE - MIN_SIZE) / STEP)
        low = max(0, math.ceil((self.column_width / MAX_EM - MIN_SIZE) / STEP - _EPSILON))
        high = min(top, math.floor((self.column_width / MIN_EM - MIN_SIZE) / STEP + _EPSILON))
        return range(low, high + 1)


@cache
def _content(paper: Paper) -> Box:
    """Inside the margins: one box per paper, asked for at every pouring of the size search."""
    return Box(MARGIN, MARGIN, paper.width - 2 * MARGIN, paper.height - 2 * MARGIN)


class CardShape(NamedTuple):
    """A card laid out at one width, size and spacing, with the places it may be split."""

    block: TextBlock
    # (j, bottom of line j, top of line j + 1): the card may break after line j. Never inside
    # the heading or between the heading and the first line of the answer.
    breaks: tuple[tuple[int, float, float], ...]

    # What printkit.flow needs besides the breaks: a CardShape is a Flowable.
    @property
    def height(self) -> float:
        return self.block.height

    @property
    def units(self) -> int:
        return len(self.block.lines)


class SummaryPlan(NamedTuple):
    """Everything drawing needs: the size, the frame and where each piece of each card goes."""

    size: float
    spacing: Spacing
    frame: Frame
    whole_cards: bool  # no card is split between columns
    header: TextBlock
    blocks: tuple[TextBlock, ...]
    pages: tuple[tuple[tuple[Piece, ...], ...], ...]  # page → column → pieces

    @property
    def columns_top(self) -> tuple[float, ...]:
        """The top of the columns on each page (lower on the first, under the header)."""
        top = self.frame.content.top
        first = top - _header_height(self.header, self.size)
        return (first, *([top] * (len(self.pages) - 1)))


def size_at(k: int) -> float:
    return round(MIN_SIZE + k * STEP, 2)


@cache
def _ascent_descent(font: str) -> tuple[float, float]:
    fonts.register_fonts()
    ascent, descent = pdfmetrics.getAscentDescent(font, 1.0)
    return ascent, abs(descent)


def card_paragraphs(card: Card, deck: Deck, options: Mapping[str, Any]) -> list[Item]:
    """The question as a bold heading, then the answer: one paragraph or compact bullets. A
    cloze card is its sentence once, with the answers in bold."""
    if card.cloze:
        return answer_items(card, deck, options)
    return [
        *question_items(card, deck, options),
        *answer_items(card, deck, options, bullet=BULLET),
    ]


def header_paragraphs(deck: Deck) -> list[Paragraph]:
    count = len(deck.cards)
    meta = f"{count} card{'s' if count != 1 else ''}"
    if deck.subject:
        meta = f"{deck.subject} · {meta}"
    return [
        Paragraph(deck.title, font=fonts.BOLD, scale=TITLE_SCALE),
        Paragraph(meta, scale=META_SCALE),
    ]


def _header_height(header: TextBlock, size: float) -> float:
    return header.height + HEADER_GAP * size


def card_shape(
    items: Sequence[Item], width: float, size: float, spacing: Spacing, spans: bool = True
) -> CardShape:
    """A card laid out for one column; with `spans` False, rich lines are placed but not built
    for drawing (the size search tries many sizes; `SummaryPlan` builds the chosen one)."""
    block = layout_text(
        items,
        width,
        size,
        leading=spacing.leading,
        paragraph_gap=spacing.paragraph_gap,
        spans=spans,
    )
    lines = block.lines
    heading_lines = next((i for i, line in enumerate(lines) if line.role != "question"), len(lines))
    breaks = []
    for j in range(heading_lines, len(lines) - 1):
        below, above = lines[j], lines[j + 1]
        bottom = below.baseline + _line_descent(below)
        top = above.baseline - _line_ascent(above)
        breaks.append((j, bottom, top))
    return CardShape(block, tuple(breaks))


def _tallest(columns: Sequence[Sequence[Piece]]) -> float:
    """How far down the fullest of these columns is filled."""
    return max((column[-1].top + column[-1].height for column in columns if column), default=0.0)


def _line_ascent(line: Line) -> float:
    """How far a line reaches above its baseline: a picture its height, text its face's ascent
    (a formula taller than that is inside the gap the layout left for it)."""
    if line.figure is not None:
        return line.height
    return _ascent_descent(line.font)[0] * line.size


def _line_descent(line: Line) -> float:
    return 0.0 if line.figure is not None else _ascent_descent(line.font)[1] * line.size


class _TooWide(Exception):
    """A card has a character wider than the column: no size on this frame can work."""


class _Shapes(Sequence[CardShape]):
    """The cards' shapes at one width, size and spacing, laid out on first use. Without
    `lines`, only their heights and widths: enough to pour cards kept whole."""

    def __init__(
        self,
        cards: Sequence[Sequence[Item]],
        width: float,
        size: float,
        spacing: Spacing,
        lines: bool = True,
    ) -> None:
        self._cards, self._width, self._size, self._spacing = cards, width, size, spacing
        self._lines = lines
        self._done: list[CardShape] = []

    def __len__(self) -> int:
        return len(self._cards)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        while len(self._done) <= index:
            card, spacing = self._cards[len(self._done)], self._spacing
            if self._lines:
                shape = card_shape(card, self._width, self._size, spacing, spans=False)
            else:
                extent = block_extent(
                    card,
                    self._width,
                    self._size,
                    leading=spacing.leading,
                    paragraph_gap=spacing.paragraph_gap,
                )
                shape = CardShape(extent, ())
            self._done.append(shape)
        return self._done[index]

    def checked(self, column_width: float) -> Iterator[CardShape]:
        for index in range(len(self)):
            shape = self[index]
            if shape.block.width > column_width + _EPSILON:
                raise _TooWide
            yield shape


class _Planner:
    """Plans one deck on one paper, caching each card's layout per (width, size, spacing)."""

    def __init__(
        self, deck: Deck, paper: Paper, pages: int, options: Mapping[str, Any] | None = None
    ) -> None:
        self.deck = deck
        self.pages = pages
        options = options or {}
        self.cards = [card_paragraphs(card, deck, options) for card in deck.cards]
        self.frames = [
            Frame(paper if orientation == "portrait" else paper.landscape(), orientation, n)
            for orientation in ORIENTATIONS
            for n in range(1, MAX_COLUMNS + 1)
        ]
        self._shapes: dict[tuple[float, float, Spacing, bool], _Shapes] = {}
        self._headers: dict[tuple[float, float], TextBlock] = {}

    def shapes(self, frame: Frame, size: float, spacing: Spacing, lines: bool = True) -> _Shapes:
        key = (frame.column_width, size, spacing, lines)
        if key not in self._shapes:
            self._shapes[key] = _Shapes(self.cards, frame.column_width, size, spacing, lines)
        return self._shapes[key]

    def header(self, frame: Frame, size: float) -> TextBlock:
        key = (frame.content.width, size)
        if key not in self._headers:
            paragraphs = header_paragraphs(self.deck)
            self._headers[key] = layout_text(paragraphs, frame.content.width, size, leading=1.15)
        return self._headers[key]

    def capacities(self, frame: Frame, size: float, pages: int | None) -> Iterator[float]:
        """Column heights, page after page (endless when `pages` is None)."""
        header = self.header(frame, size)
        first = frame.content.top - _header_height(header, size) - frame.columns_bottom
        other = frame.content.top - frame.columns_bottom
        page = 0
        while pages is None or page < pages:
            yield from [first if page == 0 else other] * frame.columns
            page += 1

    def fill(
        self,
        frame: Frame,
        k: int,
        spacing: Spacing,
        split: bool,
        limit: float = math.inf,
        limit_from: int = 0,
        lines: bool = True,
    ) -> list[list[Piece]] | None:
        """The cards poured into the columns at size k; columns from number `limit_from` on
        are cut to `limit` high (to balance them). Without `lines`, cards kept whole are poured
        by their heights alone: where they go, but pieces without lines to draw."""
        size = size_at(k)
        heights = (
            min(h, limit) if i >= limit_from else h
            for i, h in enumerate(self.capacities(frame, size, self.pages))
        )
        return self._pour(frame, size, spacing, heights, split, lines or split)

    def _pour(
        self,
        frame: Frame,
        size: float,
        spacing: Spacing,
        heights: Iterable[float],
        split: bool,
        lines: bool = True,
    ) -> list[list[Piece]] | None:
        """The cards flowed into columns of the given heights, laid out only as far as they are
        poured: a deck far too big for the page is refused after a page of cards, not after
        laying out all of them. None if they do not fit."""
        try:
            shapes = self.shapes(frame, size, spacing, lines).checked(frame.column_width)
            return flow(shapes, heights, gap=spacing.card_gap * size, split=split)
        except _TooWide:
            return None  # a single character wider than the column
        except BlockTooTall:
            return None  # a card taller than a column, and not allowed (or able) to break

    def fits(self, frame: Frame, k: int) -> bool:
        """Whether the frame fits at size k at all: with the tightest spacing and splitting."""
        return k in frame.sizes() and self.fill(frame, k, SPACINGS[-1], split=True) is not None

    def plan(self, k: int) -> SummaryPlan | None:
        """The preferred plan at size k, or None."""
        choice = self._choose(k)
        return None if choice is None else self._balanced(*choice)

    def _choose(self, k: int) -> tuple[Frame, int, Spacing, bool] | None:
        """Preferred at one size: cards kept whole, then the fewest pages, then the loosest
        spacing, then portrait, then the column width nearest the ideal (then the first frame).

        Each frame and spacing counts with its cards kept whole if they fit so, else split.
        Everything in that order of preference is known before pouring except the pages, which
        are at least one (flow returns one column at least): so the attempts are poured best
        first, and once one fits, those that could not beat it even on one page are not poured
        at all (on one page, the first that fits wins). Kept whole, cards are poured by their
        heights alone, which cost a third of their lines.
        """
        size = size_at(k)
        attempts = []  # (what of its key is known before pouring, frame, spacing)
        for order, frame in enumerate(self.frames):
            if k not in frame.sizes():
                continue
            em = frame.column_width / size
            for looseness, spacing in enumerate(reversed(SPACINGS)):
                tail = (looseness, frame.orientation == "portrait", -abs(em - IDEAL_EM), -order)
                attempts.append((tail, frame, spacing))
        attempts.sort(key=lambda attempt: attempt[0], reverse=True)
        best: tuple | None = None
        choice = None
        for split in (False, True):  # all kept whole, before any split
            failed = []
            for tail, frame, spacing in attempts:
                bound = (not split, -1, *tail)
                if best is not None and bound < best:
                    break  # nor can any after it: they are in order
                columns = self.fill(frame, k, spacing, split, lines=False)
                if columns is None:
                    failed.append((tail, frame, spacing))
                    continue
                pages = math.ceil(len(columns) / frame.columns)
                # -pages: asked for 2 pages, a deck that fits 1 prints on 1.
                key = (not split, -pages, *tail)
                if best is None or key > best:
                    best, choice = key, (frame, k, spacing, split)
            attempts = failed  # only these are tried split
        return choice

    def _balanced(self, frame: Frame, k: int, spacing: Spacing, split: bool) -> SummaryPlan:
        """Pages filled in order, each to the full; the columns of the last page used are then
        balanced (the shortest tallest column) so they end level instead of the last one short.

        Greedy filling depends only on what came before, so cutting the last page's columns
        leaves the pages before it as they were.
        """
        columns = self.fill(frame, k, spacing, split)
        assert columns is not None
        last_page = (len(columns) - 1) // frame.columns
        first_balanced = last_page * frame.columns
        low, high = 0.0, max(self.capacities(frame, size_at(k), self.pages))
        # Columns cut to any height from their tallest (`reach`) up fill exactly as they did:
        # every piece still fits, every piece that did not fit still does not. Such a halving
        # needs no pouring; its outcome is known (the same steps and columns as pouring them).
        reach = _tallest(columns[first_balanced:])
        for _ in range(40):  # bisection on a height in points: 40 halvings is far below 0.01 pt
            middle = (low + high) / 2
            if middle >= reach:
                high = middle
                continue
            attempt = self.fill(frame, k, spacing, split, middle, first_balanced)
            if attempt is None or len(attempt) > first_balanced + frame.columns:  # spilt over
                low = middle
            else:
                high, columns = middle, attempt
                reach = _tallest(columns[first_balanced:])
        size = size_at(k)
        # Only the pages used: a deck that fills fewer pages than asked for, even at the largest
        # size, gets no blank pages to print.
        used = last_page + 1
        padded = columns + [[]] * (frame.columns * used - len(columns))
        pages = tuple(
            tuple(tuple(column) for column in padded[p * frame.columns : (p + 1) * frame.columns])
            for p in range(used)
        )
        return SummaryPlan(
            size=size,
            spacing=spacing,
            frame=frame,
            whole_cards=not split,
            header=self.header(frame, size),
            blocks=tuple(
                self._drawable(shape.block, items, frame, size, spacing)
                for shape, items in zip(self.shapes(frame, size, spacing), self.cards, strict=True)
            ),
            pages=pages,
        )

    @staticmethod
    def _drawable(
        block: TextBlock, items: Sequence[Item], frame: Frame, size: float, spacing: Spacing
    ) -> TextBlock:
        """A card's block ready to draw: planned without spans, a rich card is laid out once
        more at the chosen size (the same lines, now with their spans)."""
        if all(
            isinstance(i, Paragraph) and not i.inlines and is_plain_text(i.text, i.font)
            for i in items
        ):
            return block
        return card_shape(items, frame.column_width, size, spacing).block

    def too_wide_card(self) -> Card | None:
        """The first card wider than the widest column at the floor size, if any."""
        frame = max(self.frames, key=lambda f: f.column_width)
        for card, shape in zip(
            self.deck.cards, self.shapes(frame, MIN_SIZE, SPACINGS[-1]), strict=True
        ):
            if shape.block.width > frame.column_width + _EPSILON:
                return card
        return None

    def pages_needed_at_floor(self, most: int | None = None) -> tuple[int | None, bool]:
        """How many pages the deck fills at the floor size, tightest spacing, cards split, if
        it fits on `most` pages (None: any number); and, when it does not, whether some frame
        ran out of pages (rather than being too narrow for a card), so that more would do.

        Pouring stops at `most` pages, and a frame stops as soon as it needs as many pages as
        the best one so far: a deck of thousands of cards is laid out only a few pages deep.
        """
        best, ran_out = None, False
        spacing = SPACINGS[-1]
        for frame in self.frames:
            if 0 not in frame.sizes():
                continue
            heights = self.capacities(frame, MIN_SIZE, most if best is None else best - 1)
            try:
                shapes = self.shapes(frame, MIN_SIZE, spacing).checked(frame.column_width)
                columns = flow(shapes, heights, gap=spacing.card_gap * MIN_SIZE, split=True)
            except (_TooWide, BlockTooTall):
                continue
            if columns is None:
                ran_out = True
            else:
                best = math.ceil(len(columns) / frame.columns)
        return best, best is None and ran_out

    def pages_at_least(self) -> int:
        """A lower bound of the pages the deck needs at the floor size, from the cards' least
        heights (`heights_at_least`) without pouring them.

        In a frame, C columns of height c hold the cards: the heights H, plus the gaps g
        between the N cards, less what each of the C − 1 column ends drops: a gap (a card moved
        whole) or the space between two lines (a card split there), at most D. So
        C·c ≥ H + g·(N − 1) − (C − 1)·D, and C ≥ (H + g·(N − 1) + D) / (c + D). Two lines are
        at most a paragraph gap and a line of the largest text apart (less their ascent and
        descent); in a card with styles, formulas or pictures, at most the card's height.
        """
        spacing = SPACINGS[-1]
        frames = [frame for frame in self.frames if 0 in frame.sizes()]
        widths = sorted({frame.column_width for frame in frames})
        total = dict.fromkeys(widths, 0.0)
        drop = dict.fromkeys(widths, spacing.card_gap * MIN_SIZE)
        for items in self.cards:
            heights, plain = heights_at_least(
                items,
                widths,
                MIN_SIZE,
                leading=spacing.leading,
                paragraph_gap=spacing.paragraph_gap,
            )
            if plain:
                largest = max((i.scale for i in items), default=1.0)
                line_gap = MIN_SIZE * (spacing.paragraph_gap + spacing.leading * largest)
                drops = [line_gap] * len(widths)
            else:  # formulas and pictures make lines further apart: at most the card's height
                drops = heights
            for width, height, most in zip(widths, heights, drops, strict=True):
                total[width] += height
                drop[width] = max(drop[width], most)
        gaps = spacing.card_gap * MIN_SIZE * (len(self.cards) - 1)
        least = None
        for frame in frames:
            width = frame.column_width
            column = frame.content.top - frame.columns_bottom + _EPSILON
            columns = math.ceil((total[width] + gaps + drop[width]) / (column + drop[width]) - 1e-9)
            pages = math.ceil(columns / frame.columns)
            least = pages if least is None else min(least, pages)
        return least or 1


def plan_at_size(
    deck: Deck,
    paper: Paper,
    size: float,
    pages: int = 1,
    options: Mapping[str, Any] | None = None,
) -> SummaryPlan | None:
    """The plan for `deck` at exactly `size` pt (a grid value), or None if it does not fit."""
    k = round((size - MIN_SIZE) / STEP)
    if abs(size_at(k) - size) > _EPSILON:
        raise ValueError(f"{size} pt is not on the {STEP} pt grid from {MIN_SIZE} pt")
    return _Planner(deck, paper, pages, options).plan(k)


def plan_summary(
    deck: Deck, paper: Paper, pages: int = 1, options: Mapping[str, Any] | None = None
) -> SummaryPlan:
    """The plan at the largest size that fits on `pages` pages; LayoutError if none does.
    `options` may set `markup` (the layout's other options are the arguments)."""
    planner = _Planner(deck, paper, pages, options)
    best = -1
    for frame in planner.frames:
        sizes = frame.sizes()
        # Only sizes above the best so far can change the answer.
        candidates = [k for k in sizes if k > best]
        if not candidates or not planner.fits(frame, candidates[0]):
            continue
        # Invariant: `low` fits, `high` does not (or is past the end). Fitting is monotone in
        # the size (greedy wrapping and filling), and the check below covers any exception.
        low, high = candidates[0], candidates[-1] + 1
        while high - low > 1:
            middle = (low + high) // 2
            if planner.fits(frame, middle):
                low = middle
            else:
                high = middle
        best = low
    if best < 0:
        # Counted exactly up to the most pages a summary may have; past that, a lower bound
        # is enough to say so (counting 400 pages exactly took 12 s and 400 MB).
        needed, ran_out = planner.pages_needed_at_floor(MAX_PAGES)
        if needed is None and ran_out:
            raise _too_many(deck, pages, max(MAX_PAGES + 1, planner.pages_at_least()))
        # Only when no number of pages would do: then one card is too wide; name it.
        wide = planner.too_wide_card() if needed is None else None
        raise _too_big(deck, pages, needed, wide)
    top = round((MAX_SIZE - MIN_SIZE) / STEP)
    # The answer is by construction the largest: the next grid size fits nowhere.
    while best < top and planner._choose(best + 1) is not None:
        best += 1
    plan = planner.plan(best)
    assert plan is not None
    return plan


def _too_many(deck: Deck, pages: int, least: int) -> LayoutError:
    count = len(deck.cards)
    room = "one page" if pages == 1 else f"{pages} pages"
    return LayoutError(
        Problem(
            deck.path,
            None,
            f"the summary of “{deck.title}” ({count} card{'s' if count != 1 else ''}) does not fit on {room} "
            f"even at {MIN_SIZE:g} pt; it would need at least {least} pages at {MIN_SIZE:g} pt, more "
            f"than the {MAX_PAGES} a summary may have: split the deck, or summarise some of its "
            "cards with --tag",
        )
    )


def _too_big(deck: Deck, pages: int, needed: int | None, wide: Card | None) -> LayoutError:
    count = len(deck.cards)
    room = "one page" if pages == 1 else f"{pages} pages"
    if needed is None and wide is not None:  # more pages would not help
        return LayoutError(
            Problem(
                deck.path,
                wide.line,
                f"the summary of “{deck.title}” cannot be set: card "
                f"{wide.number} has a formula or a word that cannot be broken and is wider than any "
                f"column even at {MIN_SIZE:g} pt; shorten it or split it into smaller formulas",
            )
        )
    if needed is None:
        return LayoutError(
            Problem(
                deck.path,
                None,
                f"the summary of “{deck.title}” cannot be set even at {MIN_SIZE:g} pt: "
                "a character is wider than a column; check the cards for unusual characters",
            )
        )
    return LayoutError(
        Problem(
            deck.path,
            None,
            f"the summary of “{deck.title}” ({count} card{'s' if count != 1 else ''}) does not fit on {room} "
            f"even at {MIN_SIZE:g} pt; it would need {needed} pages at {MIN_SIZE:g} pt: ask for them "
            f"with --set summary.pages={needed} or with options: {{summary: {{pages: {needed}}}}} "
            "in the deck",
        )
    )


# Drawing: takes a plan and puts exactly that on the page.


def render(deck: Deck, options: Mapping[str, Any], output) -> None:
    with cycle_collection_paused():  # thousands of cards' lines, none in a cycle
        plan = plan_summary(deck, options["paper"], options["pages"], options)
    frame = plan.frame
    doc = output.document(frame.paper, title=f"{deck.title} — summary")
    # Two or more pages print double-sided; the flip keeps page 2 upright on the back.
    duplex = None
    if len(plan.pages) > 1:
        duplex = "long" if frame.orientation == "portrait" else "short"
    doc.set_print_preferences(duplex_flip=duplex)
    for number, (page, top) in enumerate(zip(plan.pages, plan.columns_top, strict=True), 1):
        doc.begin_page(frame.paper)
        if number == 1:
            _draw_header(doc, plan)
        _draw_columns(doc, plan, page, top)
        _draw_footer(doc, plan, number, duplex)


def _draw_lines(doc, lines: Sequence[Line], x: float, top: float, color) -> None:
    if lines:
        doc.draw_text(TextBlock(lines[0].size, tuple(lines), 0.0, 0.0), x, top, color)


def _draw_header(doc, plan: SummaryPlan) -> None:
    content = plan.frame.content
    lines = plan.header.lines
    _draw_lines(doc, [ln for ln in lines if ln.font == fonts.BOLD], content.x, content.top, ACCENT)
    _draw_lines(doc, [ln for ln in lines if ln.font != fonts.BOLD], content.x, content.top, GREY)
    rule = content.top - plan.header.height - HEADER_GAP * plan.size / 2
    canvas = doc.canvas
    canvas.setStrokeGray(RULE_GREY)
    canvas.setLineWidth(0.6)
    canvas.line(content.x, rule, content.right, rule)


def _draw_columns(doc, plan: SummaryPlan, page, top: float) -> None:
    frame = plan.frame
    deepest = 0.0
    for index, column in enumerate(page):
        x = frame.column_x(index)
        for piece in column:
            lines = [
                line.moved_up(piece.offset)
                for line in plan.blocks[piece.block].lines[piece.start : piece.stop]
            ]
            piece_top = top - piece.top
            questions = [ln for ln in lines if ln.role == "question"]
            _draw_lines(doc, questions, x, piece_top, ACCENT)
            _draw_lines(doc, [ln for ln in lines if ln.role != "question"], x, piece_top, INK)
            deepest = max(deepest, piece.top + piece.height)
    canvas = doc.canvas
    canvas.setStrokeGray(RULE_GREY)
    canvas.setLineWidth(0.4)
    used = sum(1 for column in page if column)
    for index in range(1, used):
        x = frame.column_x(index) - GUTTER / 2
        canvas.line(x, top, x, top - deepest)


def _draw_footer(doc, plan: SummaryPlan, number: int, duplex: str | None) -> None:
    frame = plan.frame
    columns = f"{frame.columns} column{'s' if frame.columns != 1 else ''}"
    parts = [
        f"text {plan.size:g} pt",
        columns,
        f"{frame.orientation} {PAPER_NAMES.get(frame.paper.name, frame.paper.name)}",
        "print at 100 %",
    ]
    if len(plan.pages) > 1:
        parts += [f"double-sided, flip on {duplex} edge", f"page {number} of {len(plan.pages)}"]
    canvas = doc.canvas
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(fonts.REGULAR, FOOTER_SIZE)
    content = frame.content
    baseline = content.y + _ascent_descent(fonts.REGULAR)[1] * FOOTER_SIZE
    canvas.drawCentredString(content.x + content.width / 2, baseline, " · ".join(parts))
