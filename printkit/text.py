"""Measure, wrap and fit text into a box: pure arithmetic on font metrics, no drawing.

Layouts ask for a `TextBlock` (lines with positions and one size) and draw exactly that.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from reportlab.pdfbase import pdfmetrics

from printkit import fonts

ALIGNMENTS = ("left", "center")

# Inside a word too long for the line, break after one of these first (URLs, paths, file_names).
BREAK_AFTER = frozenset("/-_.?&=")

# Float sums of widths may differ from reportlab's own sum in the last bits; a line that is
# a micro-point too wide still fits on paper.
_EPSILON = 1e-6

# Widths at 1 pt, per font, per word. Bounded: a font's table is cleared when it grows past this
# many entries, so a long-running process measuring many decks cannot grow without limit;
# refilling is cheap.
_WORD_CACHE_LIMIT = 200_000
_word_widths: dict[str, dict[str, float]] = {}


@dataclass(frozen=True)
class Paragraph:
    """A run of text set in one font; "\\n" inside it starts a new line."""

    text: str
    font: str = fonts.REGULAR
    bullet: str | None = None
    align: str = "left"
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.align not in ALIGNMENTS:
            raise ValueError(f"align must be one of {ALIGNMENTS}, not {self.align!r}")
        if not self.scale > 0:
            raise ValueError(f"scale must be positive, not {self.scale!r}")


@dataclass(frozen=True)
class Line:
    """One line to draw: text, font and size, and where it goes relative to the box's top left."""

    text: str
    font: str
    size: float
    x: float
    baseline: float
    width: float
    bullet: str | None = None
    bullet_x: float = 0.0


@dataclass(frozen=True)
class TextBlock:
    """Paragraphs wrapped at one base size; `height` includes the last line's descender."""

    size: float
    lines: tuple[Line, ...]
    height: float
    width: float

    def fits(self, width: float, height: float) -> bool:
        """True when every line is within `width` and the block within `height`."""
        return self.width <= width + _EPSILON and self.height <= height + _EPSILON


class TextDoesNotFit(Exception):
    """Text is too large for its box even at the smallest allowed size."""

    def __init__(
        self, *, size: float, needed_width: float, needed_height: float, width: float, height: float
    ) -> None:
        self.size = size
        self.needed_width = needed_width
        self.needed_height = needed_height
        self.width = width
        self.height = height
        if needed_width > width + _EPSILON:
            # A word (or a single character) wider than the box: fewer lines will not help.
            problem = f"a line needs {needed_width:.1f} pt of width"
        else:
            problem = f"it needs {needed_height:.1f} pt of height"
        super().__init__(
            f"text does not fit in {width:.1f} × {height:.1f} pt even at {size:g} pt: {problem}"
        )


def word_width(word: str, font: str) -> float:
    """Width of `word` at 1 pt, measured once per (font, word)."""
    width = _word_widths.get(font, {}).get(word)
    return _word_widths_of((word,), font)[0] if width is None else width


def _word_widths_of(words: Sequence[str], font: str) -> tuple[float, ...]:
    """Widths at 1 pt of many words of one font: one table lookup per known word."""
    table = _word_widths.get(font)
    if table is None:
        table = _word_widths[font] = {}
    widths = tuple(map(table.get, words))
    if None in widths:
        if len(table) >= _WORD_CACHE_LIMIT:
            table.clear()
        fonts.register_fonts()  # cached: cheap after the first call, and measuring needs it
        for word in words:
            if word not in table:
                table[word] = pdfmetrics.stringWidth(word, font, 1.0)
        widths = tuple(map(table.__getitem__, words))
    return widths


def text_width(text: str, font: str, size: float) -> float:
    """Width of one line of text at `size` pt, as reportlab would draw it (no kerning)."""
    pieces = text.split(" ")
    spaces = (len(pieces) - 1) * word_width(" ", font)
    return (sum(word_width(piece, font) for piece in pieces if piece) + spaces) * size


def shorten(text: str, font: str, size: float, width: float) -> str:
    """Text cut with an ellipsis to fit one line of `width` (for labels, never for card content)."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@lru_cache(maxsize=256)
def _ascent_descent(font: str) -> tuple[float, float]:
    """Ascent and (positive) descent at 1 pt."""
    fonts.register_fonts()
    ascent, descent = pdfmetrics.getAscentDescent(font, 1.0)
    return ascent, abs(descent)


@dataclass(frozen=True)
class _Measured:
    """A paragraph's words and their widths at 1 pt: everything wrapping needs, size-free."""

    hard_lines: tuple[tuple[tuple[str, ...], tuple[float, ...]], ...]
    totals: tuple[float, ...]  # each hard line's width on one line: most fit whole, no wrapping
    # Per hard line, ends[i] = width of its first i words, each followed by a space: a line of
    # words a..b-1 is ends[b] - ends[a] - space wide, so a break is found by bisection.
    ends: tuple[tuple[float, ...], ...]
    length: float  # all hard lines end to end, at 1 pt: what the size estimate needs
    space: float
    indent: float  # bullet plus a space, 0 without a bullet
    ascent: float
    descent: float


# Keyed by (text, font, bullet). Large enough that a summary's binary search over hundreds of
# cards re-wraps from the cache at every candidate size instead of re-splitting the text.
@lru_cache(maxsize=16_384)
def _measure(text: str, font: str, bullet: str | None) -> _Measured:
    space = word_width(" ", font)
    if "\n" in text or "\r" in text or "\t" in text:
        hard_texts = text.replace("\r\n", "\n").replace("\t", " ").split("\n")
    else:
        hard_texts = [text]  # the usual case: one line of words
    hard_lines, totals, ends = [], [], []
    for hard_text in hard_texts:
        words = tuple(word for word in hard_text.split(" ") if word)
        widths = _word_widths_of(words, font)
        hard_lines.append((words, widths))
        line_ends = (0.0, *accumulate(width + space for width in widths))
        ends.append(line_ends)
        totals.append(line_ends[-1] - space if words else 0.0)
    indent = word_width(bullet, font) + space if bullet else 0.0
    length = sum(totals) + indent * len(totals)
    return _Measured(
        tuple(hard_lines), tuple(totals), tuple(ends), length, space, indent, *_ascent_descent(font)
    )


@lru_cache(maxsize=4096)
def _char_offsets(word: str, font: str) -> tuple[float, ...]:
    """Width at 1 pt of each prefix word[:i], for i in 0..len(word)."""
    return (0.0, *accumulate(word_width(char, font) for char in word))


def _break_word(word: str, font: str, limit: float) -> list[tuple[str, float]]:
    """Split a word wider than `limit` (1-pt units) into pieces that each fit.

    Breaks after a URL-ish separator when one falls in the part that fits, else after as many
    characters as fit; a piece always has at least one character, even if that is too wide.
    """
    offsets = _char_offsets(word, font)
    pieces = []
    start = 0
    while start < len(word):
        # Largest end with width(word[start:end]) <= limit, but at least one character.
        end = bisect_right(offsets, offsets[start] + limit, lo=start + 1) - 1
        end = max(end, start + 1)
        if end < len(word):
            for cut in range(end, start + 1, -1):
                if word[cut - 1] in BREAK_AFTER:
                    end = cut
                    break
        pieces.append((word[start:end], offsets[end] - offsets[start]))
        start = end
    return pieces


def _wrap(
    measured: _Measured, font: str, limit: float, join: bool = True
) -> list[tuple[str, float]]:
    """Greedy wrapping of one paragraph into lines of at most `limit` (1-pt units).

    Each line's end is found by bisection on the words' running widths, so the cost is per line,
    not per word. With join=False the lines' texts are left empty: measuring needs only widths.
    """
    lines: list[tuple[str, float]] = []
    space = measured.space
    for (words, _), total, ends in zip(
        measured.hard_lines, measured.totals, measured.ends, strict=True
    ):
        if total <= limit:  # most hard lines fit whole
            lines.append((" ".join(words) if join else "", total))
            continue
        start, count = 0, len(words)
        while start < count:
            # Words start..end-1 fit when ends[end] - ends[start] - space <= limit.
            end = bisect_right(ends, ends[start] + space + limit, lo=start) - 1
            if end > start:
                width = ends[end] - ends[start] - space
                lines.append((" ".join(words[start:end]) if join else "", width))
                start = end
                continue
            # The word alone is wider than a line: break it; its last piece starts a line that
            # the following words may join.
            *full, (head, head_width) = _break_word(words[start], font, limit)
            lines.extend(full)
            start += 1
            # max(): a piece that is one character wider than the line has no room after it.
            end = max(start, bisect_right(ends, ends[start] + limit - head_width, lo=start) - 1)
            width = head_width + ends[end] - ends[start]
            lines.append((_line_text(head, words, start, end) if join else "", width))
            start = end
    return lines


def _line_text(head: str | None, words: tuple[str, ...], start: int, end: int) -> str:
    return " ".join(words[start:end] if head is None else (head, *words[start:end]))


def layout_text(
    paragraphs: Sequence[Paragraph],
    width: float,
    size: float,
    *,
    leading: float = 1.2,
    paragraph_gap: float = 0.35,
) -> TextBlock:
    """Wrap `paragraphs` at base `size` into lines at most `width` wide; no height limit.

    Lines in a paragraph are `leading` × their size apart; paragraphs are `paragraph_gap` × `size`
    apart, and never closer than the upper paragraph's descent plus the lower one's ascent, so a
    small line under a big one cannot touch it. A word wider than `width` is broken; a single
    character wider than `width` overflows, which `TextBlock.width` reports.
    """
    return _layout(paragraphs, width, size, leading, paragraph_gap, build=True)


def _layout(
    paragraphs: Sequence[Paragraph],
    width: float,
    size: float,
    leading: float,
    paragraph_gap: float,
    build: bool,
) -> TextBlock:
    """layout_text, or with build=False only the block's height and width (no lines): the
    size search asks this many times per block and needs nothing else."""
    if not width > 0 or not size > 0:
        raise ValueError(f"width and size must be positive, not {width!r} and {size!r}")
    lines: list[Line] = []
    baseline = 0.0
    previous_descent = None  # of the previous paragraph's last line, in pt
    block_width = 0.0
    for paragraph in paragraphs:
        font = paragraph.font
        line_size = size * paragraph.scale
        measured = _measure(paragraph.text, font, paragraph.bullet)
        indent = measured.indent * line_size
        available = width - indent
        # Wrap in 1-pt units: one division here instead of a multiplication per word.
        limit = (available + _EPSILON) / line_size
        ascent = measured.ascent * line_size
        if previous_descent is None:
            baseline = ascent
        else:
            step = max(leading * line_size, previous_descent + ascent)
            baseline += paragraph_gap * size + step
        wrapped = _wrap(measured, font, limit, join=build)
        widest = max(width_1pt for _, width_1pt in wrapped) * line_size
        block_width = max(block_width, indent + widest)
        if build:
            centered = paragraph.align == "center"
            for index, (text, width_1pt) in enumerate(wrapped):
                line_width = width_1pt * line_size
                x = indent + max(0.0, (available - line_width) / 2) if centered else indent
                first_with_bullet = index == 0 and paragraph.bullet is not None
                lines.append(
                    Line(
                        text=text,
                        font=font,
                        size=line_size,
                        x=x,
                        baseline=baseline + index * leading * line_size,
                        width=line_width,
                        bullet=paragraph.bullet if first_with_bullet else None,
                    )
                )
        baseline += (len(wrapped) - 1) * leading * line_size
        previous_descent = measured.descent * line_size
    height = baseline + previous_descent if previous_descent is not None else 0.0
    return TextBlock(size=size, lines=tuple(lines), height=height, width=block_width)


def _size_estimate(
    paragraphs: Sequence[Paragraph], width: float, height: float, leading: float, gap: float
) -> float:
    """A close guess of the size at which paragraphs fill the box, from arithmetic alone.

    At size s, text of length L (at 1 pt) takes about L·s/width lines, plus half a line wasted
    at the end of each of its P paragraphs; height ≈ leading·s·(L·s/width + P/2) + gap·s·(P−1).
    Solving for s gives the size; measured on realistic cards the fitted size is 0.97 of it
    (spread ±2.5 %), so the search usually needs two or three layouts, not six or seven.
    """
    length = sum(_measure(p.text, p.font, p.bullet).length * p.scale for p in paragraphs)
    count = len(paragraphs)
    if length <= 0 or count == 0:
        return math.inf
    a = leading * length / width
    b = leading * count / 2 + gap * (count - 1)
    return 0.97 * (-b + math.sqrt(b * b + 4 * a * height)) / (2 * a)


def fit_text(
    paragraphs: Sequence[Paragraph],
    width: float,
    height: float,
    *,
    max_size: float,
    min_size: float = 6.0,
    step: float = 0.25,
    leading: float = 1.2,
    paragraph_gap: float = 0.35,
) -> TextBlock:
    """Lay out at the largest size on the grid min_size + k × step (<= max_size) that fits.

    Raises TextDoesNotFit when even `min_size` is too large for the box.
    """
    if not step > 0 or not min_size > 0 or max_size < min_size:
        raise ValueError(
            f"need 0 < min_size <= max_size and step > 0, "
            f"got min_size={min_size!r}, max_size={max_size!r}, step={step!r}"
        )
    top = math.floor((max_size - min_size) / step + 1e-9)

    def at(k: int, build: bool = False) -> TextBlock:
        # Rounded so that sizes are the grid values a person would type (10.25, not 10.2500001).
        size = round(min_size + k * step, 6)
        return _layout(paragraphs, width, size, leading, paragraph_gap, build)

    def built(block: TextBlock) -> TextBlock:
        # The search measured without lines; lay out once, at the chosen size, to draw.
        return _layout(paragraphs, width, block.size, leading, paragraph_gap, build=True)

    guess = min(
        top,
        max(
            0,
            math.floor(
                (_size_estimate(paragraphs, width, height, leading, paragraph_gap) - min_size)
                / step
            ),
        ),
    )

    def fits(k: int) -> TextBlock | None:
        block = at(k)
        return block if block.fits(width, height) else None

    # Start at the estimate and gallop outwards to bracket the answer, then bisect. Every probe
    # is a real layout, so the estimate only saves work: the invariant makes the answer exact.
    best = fits(guess)
    if best is not None:
        # Invariant from here: grid index `low` fits (block `best`); `high` does not, or is
        # past the top of the grid.
        low, high, jump = guess, top + 1, 1
        while low + jump <= top:
            block = fits(low + jump)
            if block is None:
                high = low + jump
                break
            low, best, jump = low + jump, block, jump * 2
        high = min(high, top + 1)
    else:
        high, jump = guess, 1
        while True:
            low = max(0, high - jump)
            block = at(low)
            if block.fits(width, height):
                best = block
                break
            if low == 0:
                raise TextDoesNotFit(
                    size=block.size,
                    needed_width=block.width,
                    needed_height=block.height,
                    width=width,
                    height=height,
                )
            high, jump = low, jump * 2
    while high - low > 1:
        middle = (low + high) // 2
        block = fits(middle)
        if block is not None:
            low, best = middle, block
        else:
            high = middle
    return built(best)
