"""Measure, wrap and fit content into a box: pure arithmetic on font metrics, no drawing.

Layouts ask for a `TextBlock` (lines with positions and one size) and draw exactly that. A
paragraph is plain text in one face (labels, headers, most cards: the fast path) or rich
inline content (styled runs and formulas, from `printkit.content`), cut into spans of one face
each; a `Figure` is a picture on its own line. All of them scale with the size, so one search
over the size fits text and pictures together.
"""

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from reportlab.pdfbase import pdfmetrics

from printkit import fonts
from printkit.content.model import Inline, LineBreak, Maths, Text
from printkit.records import checked

if TYPE_CHECKING:
    from printkit.content.pictures import PictureInfo

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


# Sub- and superscripts: set at this fraction of the size, their baseline moved by these
# fractions of the size (the proportions of common word processors' defaults).
SHIFT_SCALE = 0.7
SHIFT_RISE = {"sup": 0.33, "sub": -0.15}
# A picture is at most this many times the text size tall (and never wider than the line), so
# that it grows and shrinks with the text in the size search; 10 × 14 pt is about 5 cm.
FIGURE_EMS = 10.0


@checked
class Paragraph(NamedTuple):
    """A paragraph: plain `text` in one font ("\\n" starts a new line), or, when `inlines` is
    given, rich content whose runs are set in the faces of their styles, `font` giving the
    weight and slant they build on (a bold question keeps its italics bold)."""

    text: str = ""
    font: str = fonts.REGULAR
    bullet: str | None = None
    align: str = "left"
    scale: float = 1.0
    inlines: tuple[Inline, ...] = ()
    role: str = ""  # what the text is ("question", "answer"), for layouts that colour by it

    def _check(self) -> None:
        if self.align not in ALIGNMENTS:
            raise ValueError(f"align must be one of {ALIGNMENTS}, not {self.align!r}")
        if not self.scale > 0:
            raise ValueError(f"scale must be positive, not {self.scale!r}")


# Records are named tuples: a frozen dataclass compiles six methods when its module is
# imported (about 0.6 ms a class, paid by every build), a named tuple one (0.08 ms), and it is
# made faster. Paragraph checks its values through printkit.records.checked.
class Figure(NamedTuple):
    """A picture on a line of its own, as wide as the line allows and FIGURE_EMS sizes tall at
    most; a raster picture is never enlarged past twice its own size (it would blur)."""

    picture: "PictureInfo"
    description: str
    align: str = "center"
    scale: float = 1.0
    role: str = ""


Item = Paragraph | Figure


class Span(NamedTuple):
    """Part of a rich line in one face, `x` pt from the line's start; `rise` moves it above (+)
    or below (−) the baseline. A span with `maths` draws that formula instead of text."""

    x: float
    text: str
    font: str
    size: float
    rise: float = 0.0
    maths: str | None = None
    shaped: object | None = None  # a printkit.shaping.ShapedRun: glyphs to draw, not text


class Line(NamedTuple):
    """One line to draw: text, font and size, and where it goes relative to the box's top left.
    (A named tuple rather than a frozen dataclass: a summary's size search makes hundreds of
    thousands of lines, and a tuple is made several times faster.)

    A plain line is `text` in `font`. A rich line also has `spans` (its text is then only for
    reading back). A picture's line has `figure`, drawn `width` × `height` above the baseline.
    """

    text: str
    font: str
    size: float
    x: float
    baseline: float
    width: float
    bullet: str | None = None
    bullet_x: float = 0.0
    spans: tuple[Span, ...] = ()
    figure: Figure | None = None
    height: float = 0.0
    role: str = ""  # the role of its paragraph or figure

    def moved_up(self, shift: float) -> "Line":
        """The same line `shift` pt higher in its block (a slice of a block starts at its top).
        Written out rather than dataclasses.replace: a long key moves thousands of lines."""
        return Line(
            self.text,
            self.font,
            self.size,
            self.x,
            self.baseline - shift,
            self.width,
            self.bullet,
            self.bullet_x,
            self.spans,
            self.figure,
            self.height,
            self.role,
        )


class TextBlock(NamedTuple):
    """Paragraphs wrapped at one base size; `height` includes the last line's descender."""

    size: float
    lines: tuple[Line, ...]
    height: float
    width: float

    def fits(self, width: float, height: float) -> bool:
        """True when every line is within `width` and the block within `height`."""
        return self.width <= width + _EPSILON and self.height <= height + _EPSILON

    def extent(self) -> tuple[float, float]:
        """The leftmost and rightmost x its lines and bullets reach. Left-to-right lines start
        at 0 and reach `width`; right-to-left ones are set against the right edge of the
        width they were laid out in, so a block of them is placed by this, not by `width`."""
        if not self.lines:
            return 0.0, self.width
        low = min(min(line.x, line.bullet_x) if line.bullet else line.x for line in self.lines)
        high = max(
            max(line.x + line.width, line.bullet_x + word_width(line.bullet, line.font) * line.size)
            if line.bullet
            else line.x + line.width
            for line in self.lines
        )
        return low, high


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


def is_plain_text(text: str, font: str) -> bool:
    """True when `text` is drawn as one string in `font` (no fallback, shaping or bidi)."""
    return not _needs_rich(text.replace("\n", " "), font)


@lru_cache(maxsize=4096)
def label_line(text: str, font: str, size: float, width: float) -> Line:
    """One line of small print (a deck title, a footer, a sheet note) in any script, shortened
    with an ellipsis to `width`; x and baseline 0, to be moved where it goes."""
    text = " ".join(text.split())

    def line(candidate: str) -> Line:
        return layout_text([Paragraph(candidate, font)], 1e6, size).lines[0]

    first = line(text)
    if first.width <= width + _EPSILON:
        return first._replace(x=0.0, baseline=0.0)
    low, high = 0, len(text)  # the longest prefix that fits with its ellipsis
    while high - low > 1:
        middle = (low + high) // 2
        if line(text[:middle].rstrip() + "…").width <= width + _EPSILON:
            low = middle
        else:
            high = middle
    return line(text[:low].rstrip() + "…")._replace(x=0.0, baseline=0.0)


@lru_cache(maxsize=256)
def _ascent_descent(font: str) -> tuple[float, float]:
    """Ascent and (positive) descent at 1 pt."""
    fonts.register_fonts()
    ascent, descent = pdfmetrics.getAscentDescent(font, 1.0)
    return ascent, abs(descent)


class _Measured(NamedTuple):
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
        words = hard_text.split(" ")
        words = tuple(filter(None, words)) if "" in words else tuple(words)
        widths = _word_widths_of(words, font)
        hard_lines.append((words, widths))
        # space + width is width + space to the last bit (IEEE addition commutes).
        line_ends = (0.0, *accumulate(map(space.__add__, widths)))
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


def _wrap(measured: _Measured, font: str, limit: float) -> list[tuple[str, float]]:
    """Greedy wrapping of one paragraph into lines of at most `limit` (1-pt units).

    Each line's end is found by bisection on the words' running widths, so the cost is per line,
    not per word. `_wrap_extent` finds the same breaks without making the lines.
    """
    lines: list[tuple[str, float]] = []
    space = measured.space
    for (words, _), total, ends in zip(
        measured.hard_lines, measured.totals, measured.ends, strict=True
    ):
        if total <= limit:  # most hard lines fit whole
            lines.append((" ".join(words), total))
            continue
        start, count = 0, len(words)
        while start < count:
            # Words start..end-1 fit when ends[end] - ends[start] - space <= limit.
            end = bisect_right(ends, ends[start] + space + limit, lo=start) - 1
            if end > start:
                width = ends[end] - ends[start] - space
                lines.append((" ".join(words[start:end]), width))
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
            lines.append((_line_text(head, words, start, end), width))
            start = end
    return lines


def _line_text(head: str | None, words: tuple[str, ...], start: int, end: int) -> str:
    return " ".join(words[start:end] if head is None else (head, *words[start:end]))


def _wrap_extent(measured: _Measured, font: str, limit: float) -> tuple[int, float]:
    """How many lines `_wrap` makes of a paragraph, and the widest (1-pt units): the same
    breaks, without making the lines (a size search asks this of every paragraph at every
    size it tries)."""
    count, widest = 0, 0.0
    space = measured.space
    for (words, _), total, ends in zip(
        measured.hard_lines, measured.totals, measured.ends, strict=True
    ):
        if total <= limit:
            count += 1
            if total > widest:
                widest = total
            continue
        start, end_of_line = 0, len(words)
        while start < end_of_line:
            end = bisect_right(ends, ends[start] + space + limit, lo=start) - 1
            if end > start:
                width = ends[end] - ends[start] - space
                start = end
            else:
                *full, (_, head_width) = _break_word(words[start], font, limit)
                count += len(full)
                for _, piece_width in full:
                    widest = max(widest, piece_width)
                start += 1
                end = max(start, bisect_right(ends, ends[start] + limit - head_width, lo=start) - 1)
                width = head_width + ends[end] - ends[start]
                start = end
            count += 1
            if width > widest:
                widest = width
    return count, widest


# -- rich paragraphs: words made of pieces, each piece in its own face, scale and rise -------


class _Piece(NamedTuple):
    """Part of a word in one face; widths and extents are at a line size of 1 pt."""

    text: str
    font: str
    scale: float
    rise: float
    maths: str | None
    width: float
    ascent: float
    descent: float
    # Shaped by harfbuzz (joined Arabic, Indic conjuncts, Thai marks) or right to left: such a
    # piece is drawn as a shaped run, in visual order.
    complex: bool = False


Word = tuple[_Piece, ...]


class _RichLine(NamedTuple):
    """A hard line's words, each with the space after it (width, face) for wrapping."""

    words: tuple[Word, ...]
    widths: tuple[float, ...]
    spaces: tuple[float, ...]
    space_fonts: tuple[str, ...]
    ends: tuple[float, ...]  # ends[i]: width of words 0..i-1 each with its space after
    tails: tuple[float, ...]  # tails[b]: width of words 0..b-1 without the last space
    gaps: tuple[tuple[float, str], ...]  # the spaces again, as (width, face) pairs
    # Each word's highest ascent and deepest descent, and the hard line's.
    word_ascents: tuple[float, ...]
    word_descents: tuple[float, ...]
    ascent: float
    descent: float


class _RichMeasured(NamedTuple):
    hard_lines: tuple[_RichLine, ...]
    length: float
    indent: float
    ascent: float  # of the paragraph's own face: lines taller than this are moved apart
    descent: float
    tall: bool  # some piece reaches above `ascent` or below `descent`
    direction: str = "ltr"  # "rtl" when its first strong letter is Hebrew, Arabic…
    complex: bool = False  # some piece is shaped or right to left: lines are set in visual order


def _style_face(style, base: str) -> str:
    return fonts.face(
        bold=style.bold or fonts.is_bold(base),
        italic=style.italic or fonts.is_italic(base),
        code=style.code,
        base=base,
    )


def _maths_metrics(latex: str):
    from printkit.content.maths import measure_maths

    return measure_maths(latex)


def _pieces(item: Text | Maths, base: str) -> tuple[list[list[_Piece]], list[tuple[float, str]]]:
    """One inline item cut at its spaces: the pieces of each word part, and the space after
    each part but the last (an item starting or ending with a space has empty parts there)."""
    face = _style_face(item.style, base)
    shift = item.style.shift
    scale = SHIFT_SCALE if shift else 1.0
    rise = SHIFT_RISE.get(shift, 0.0) if shift else 0.0
    fonts.ensure(face)
    if isinstance(item, Maths):
        metrics = _maths_metrics(item.latex)
        piece = _Piece(
            "",
            face,
            scale,
            rise,
            item.latex,
            metrics.width * scale,
            metrics.ascent * scale + rise,
            metrics.descent * scale - rise,
        )
        return [[piece]], []
    parts: list[list[_Piece]] = []
    gaps: list[tuple[float, str]] = []
    space = (word_width(" ", face) * scale, face)
    for index, part in enumerate(item.text.replace("\t", " ").split(" ")):
        if index:
            gaps.append(space)
        # Chinese, Japanese and Thai have no spaces: a line may also break inside a part,
        # where the break opportunities are; such a break is a gap of no width.
        for number, segment in enumerate(_segments(part)):
            if number:
                gaps.append((0.0, face))
            parts.append(
                [_text_piece(text, font, scale, rise) for text, font in _runs(segment, face)]
            )
    return parts, gaps


def _runs(text: str, face: str) -> list[tuple[str, str]]:
    """`text` in runs of one face: the face itself, or the fonts it falls back to."""
    return fonts.split_by_coverage(text, face) if text else []


@lru_cache(maxsize=65_536)  # words recur card after card
def _text_piece(text: str, font: str, scale: float, rise: float) -> _Piece:
    fonts.ensure(font)
    ascent, descent = _ascent_descent(font)
    complex_ = _is_complex(text, font)
    width = _shaped_width(text, font) if complex_ else word_width(text, font)
    return _Piece(
        text,
        font,
        scale,
        rise,
        None,
        width * scale,
        ascent * scale + rise,
        descent * scale - rise,
        complex_,
    )


def _segments(part: str) -> list[str]:
    """A space-free part cut where a line may break inside it (between CJK characters, at
    Thai word boundaries); most parts are one segment."""
    if part.isascii() or max(part) < "\u0e00" or not any(map(_breaks_inside, part)):
        return [part]
    from printkit.shaping import break_opportunities

    cuts = [i for i in break_opportunities(part) if part[i - 1] != " "]
    if not cuts:
        return [part]
    return [part[a:b] for a, b in zip([0, *cuts], [*cuts, len(part)], strict=True)]


def _breaks_inside(char: str) -> bool:
    """Whether `shaping.break_opportunities` may cut a word next to `char`: a space other than
    U+0020, Thai, Lao, Myanmar, Khmer, CJK or emoji. Curly quotes and dashes do not: a Latin
    text using them needs neither shaping nor grapheme clusters (nor their imports)."""
    return (
        char.isspace()
        or "\u0e00" <= char <= "\u0eff"
        or "\u1000" <= char <= "\u109f"
        or "\u1780" <= char <= "\u17ff"
        or char >= "\u2e80"
    )


# Faces that are never shaped: DejaVu draws the Latin, Greek and Cyrillic it covers without
# help, and shaping would change how its text map is written for every later PDF.
_UNSHAPED = frozenset(
    (fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC, fonts.MONO, fonts.MONO_BOLD)
)


@lru_cache(maxsize=65_536)
def _is_complex(text: str, font: str) -> bool:
    """Whether a run must be shaped (or set right to left) rather than drawn as a string."""
    if text.isascii() or font in _UNSHAPED:
        return False
    from printkit.shaping import has_rtl, needs_shaping

    return needs_shaping(text) or has_rtl(text)


def _direction(text: str) -> str:
    from printkit.shaping import has_rtl

    return "rtl" if has_rtl(text) else "ltr"


@lru_cache(maxsize=65_536)
def _shaped_width(text: str, font: str) -> float:
    """The width at 1 pt of a run as harfbuzz shapes it in its own direction."""
    from printkit.shaping import shape

    return shape(text, str(fonts.font_file(font)), direction=_direction(text)).width


@lru_cache(maxsize=4096)
def _measure_rich(inlines: tuple[Inline, ...], font: str, bullet: str | None) -> _RichMeasured:
    fonts.ensure(font)
    lines: list[_RichLine] = []
    words: list[Word] = []
    spaces: list[tuple[float, str]] = []
    word: list[_Piece] = []

    def end_word(space: tuple[float, str]) -> None:
        nonlocal word
        if word:
            words.append(tuple(word))
            spaces.append(space)
            word = []

    def end_line() -> None:
        end_word((0.0, font))
        lines.append(_rich_line(words, spaces))
        words.clear()
        spaces.clear()

    for item in inlines:
        if isinstance(item, LineBreak):
            end_line()
            continue
        parts, gaps = _pieces(item, font)
        for index, pieces in enumerate(parts):
            if index:
                end_word(gaps[index - 1])
            word.extend(pieces)
    end_line()
    space = word_width(" ", font)
    indent = word_width(bullet, font) + space if bullet else 0.0
    length = sum(line.tails[-1] for line in lines) + indent * len(lines)
    ascent, descent = _ascent_descent(font)
    tall = any(
        piece.ascent > ascent + _EPSILON or piece.descent > descent + _EPSILON
        for line in lines
        for w in line.words
        for piece in w
    )
    pieces = [piece for line in lines for w in line.words for piece in w]
    complex_ = any(piece.complex for piece in pieces)
    direction = "ltr"
    if complex_:
        from printkit.shaping import paragraph_direction

        direction = paragraph_direction("".join(i.text for i in inlines if isinstance(i, Text)))
    return _RichMeasured(tuple(lines), length, indent, ascent, descent, tall, direction, complex_)


def _rich_line(words: list[Word], spaces: list[tuple[float, str]]) -> _RichLine:
    widths = tuple(sum(piece.width for piece in w) for w in words)
    gaps = tuple(width for width, _ in spaces)
    ends = (0.0, *accumulate(w + g for w, g in zip(widths, gaps, strict=True)))
    tails = (0.0, *(ends[i] + widths[i] for i in range(len(words))))
    ascents = tuple(max(piece.ascent for piece in w) for w in words)
    descents = tuple(max(piece.descent for piece in w) for w in words)
    return _RichLine(
        tuple(words),
        widths,
        gaps,
        tuple(f for _, f in spaces),
        ends,
        tails,
        tuple(spaces),
        ascents,
        descents,
        max(ascents, default=0.0),
        max(descents, default=0.0),
    )


# A wrapped rich line: its words (a broken word's part is a word of its own), the space after
# each but the last, its width, and its highest ascent and deepest descent, all at 1 pt.
_Wrapped = tuple[Sequence[Word], Sequence[tuple[float, str]], float, float, float]


def _wrap_rich(measured: _RichMeasured, limit: float) -> list[_Wrapped]:
    """Greedy wrapping, as `_wrap`, over words of pieces with spaces of their own widths."""
    out: list[_Wrapped] = []
    for line in measured.hard_lines:
        words, ends, tails, spaces = line.words, line.ends, line.tails, line.gaps
        count = len(words)
        if tails[-1] <= limit:
            out.append((words, spaces[: max(0, count - 1)], tails[-1], line.ascent, line.descent))
            continue
        start = 0
        while start < count:
            end = bisect_right(tails, ends[start] + limit, lo=start + 1) - 1
            if end > start:
                out.append(
                    (
                        words[start:end],
                        spaces[start : end - 1],
                        tails[end] - ends[start],
                        max(line.word_ascents[start:end]),
                        max(line.word_descents[start:end]),
                    )
                )
                start = end
                continue
            *full, (head, head_width) = _break_rich_word(words[start], limit)
            out.extend(([part], [], width, *_extents(part)) for part, width in full)
            start += 1
            # Following words join the last part when they fit after it and its space.
            room = limit - head_width - (line.spaces[start - 1] if start < count else 0.0)
            end = start
            if start < count:
                end = max(start, bisect_right(tails, ends[start] + room, lo=start + 1) - 1)
            joined = [head, *words[start:end]]
            width = head_width
            if end > start:
                width += line.spaces[start - 1] + tails[end] - ends[start]
            gaps = spaces[start - 1 : end - 1] if end > start else ()
            out.append((joined, gaps, width, *_extents(p for w in joined for p in w)))
            start = end
    return out


def _break_rich_word(word: Word, limit: float) -> list[tuple[Word, float]]:
    """A word wider than the line cut into parts that fit, between characters (a formula is
    never cut); each part has at least one character."""
    units: list[_Piece] = []
    for piece in word:
        if piece.maths is not None:
            units.append(piece)
            continue
        for char in piece.text:
            width = word_width(char, piece.font) * piece.scale
            units.append(_Piece(char, piece.font, piece.scale, piece.rise, None, width, 0, 0))
    parts: list[tuple[Word, float]] = []
    current: list[_Piece] = []
    width = 0.0
    for unit in units:
        if current and width + unit.width > limit:
            # As plain text does: after a URL-ish separator in the part, when there is one.
            cut = next(
                (i for i in range(len(current) - 1, 0, -1) if current[i - 1].text in BREAK_AFTER),
                len(current),
            )
            head, current = current[:cut], current[cut:]
            head_width = sum(u.width for u in head)
            parts.append((_merge_units(head, word), head_width))
            width -= head_width
        current.append(unit)
        width += unit.width
    parts.append((_merge_units(current, word), width))
    return parts


def _merge_units(units: list[_Piece], word: Word) -> Word:
    """Characters of one face, scale and rise joined back into pieces (extents from the word)."""
    extents = {(p.font, p.scale, p.rise): (p.ascent, p.descent) for p in word}
    merged: list[_Piece] = []
    for unit in units:
        last = merged[-1] if merged else None
        if (
            last is not None
            and unit.maths is None
            and last.maths is None
            and (last.font, last.scale, last.rise) == (unit.font, unit.scale, unit.rise)
        ):
            merged[-1] = last._replace(text=last.text + unit.text, width=last.width + unit.width)
        elif unit.maths is None:
            ascent, descent = extents[unit.font, unit.scale, unit.rise]
            merged.append(unit._replace(ascent=ascent, descent=descent))
        else:
            merged.append(unit)
    return tuple(merged)


def _rich_spans(wrapped: _Wrapped, size: float) -> tuple[str, tuple[Span, ...]]:
    """A wrapped line's spans at `size`, and the line's text.

    Pieces next to each other in the same face, size and rise join one span, and a space
    joins the span before it when reportlab would draw it exactly as wide as it was measured
    (same face and size): fewer text operations, and the text reads back with its spaces.
    """
    words, spaces = wrapped[0], wrapped[1]
    # Each span being built: [x, texts, font, size, rise, maths, end x].
    spans: list[list] = []
    x = 0.0
    for index, word in enumerate(words):
        for piece in word:
            piece_size = size * piece.scale
            rise = piece.rise * size
            last = spans[-1] if spans else None
            if (
                piece.maths is None
                and last is not None
                and last[5] is None
                and last[2] == piece.font
                and last[3] == piece_size
                and last[4] == rise
                and abs(last[6] - x) < 1e-6
            ):
                last[1].append(piece.text)
            else:
                last = [x, [piece.text], piece.font, piece_size, rise, piece.maths, x]
                spans.append(last)
            x += piece.width * size
            last[6] = x
        if index < len(spaces):
            width, font = spaces[index]
            last = spans[-1]
            x += width * size
            same = last[5] is None and last[2] == font
            if same and abs(word_width(" ", font) * last[3] - width * size) < 1e-6:
                last[1].append(" ")
                last[6] = x
    built = tuple(
        Span(x, "".join(texts), font, span_size, rise, maths)
        for x, texts, font, span_size, rise, maths, _ in spans
    )
    text = "".join(f"${s.maths}$" if s.maths is not None else s.text for s in built)
    return text.strip(), built


def _bullet_width(paragraph: Paragraph, size: float) -> float:
    return word_width(paragraph.bullet, paragraph.font) * size if paragraph.bullet else 0.0


_OBJECT = "\ufffc"  # stands for a formula in the text the bidi algorithm orders


def _visual_spans(wrapped: _Wrapped, size: float, direction: str) -> tuple[str, tuple[Span, ...]]:
    """A wrapped line of shaped or right-to-left text as spans in visual order, left to right:
    the bidi algorithm orders its runs (numbers and Latin words inside Hebrew read the right
    way), each complex run is shaped in its direction, and spans are placed one after another.
    Returns the line's logical text too."""
    from printkit.shaping import shape, visual_runs

    words, spaces = wrapped[0], wrapped[1]
    pieces: list[tuple[str, tuple[_Piece | None, str, float]]] = []
    for index, word in enumerate(words):
        for piece in word:
            text = _OBJECT if piece.maths is not None else piece.text
            pieces.append((text, (piece, piece.font, piece.scale)))
        if index < len(spaces) and spaces[index][0] > 0:
            width, font = spaces[index]
            pieces.append((" ", (None, font, width)))
    spans: list[Span] = []
    x = 0.0
    for run in visual_runs(pieces, direction):
        piece, font, measure = run.face  # type: ignore[misc]
        if piece is None:  # a space between words: as wide as it was measured
            x += measure * size
            continue
        span_size = size * piece.scale
        rise = piece.rise * size
        if piece.maths is not None:
            spans.append(Span(x, "", font, span_size, rise, piece.maths))
            x += piece.width * size
            continue
        shaped = None
        if piece.complex:
            shaped = shape(run.text, str(fonts.font_file(font)), direction=run.direction)
            width = shaped.width * span_size
        else:
            width = word_width(run.text, font) * span_size
        spans.append(Span(x, run.text, font, span_size, rise, None, shaped))
        x += width
    text = " ".join(
        "".join(f"${p.maths}$" if p.maths is not None else p.text for p in word) for word in words
    )
    return text, tuple(spans)


def _extents(pieces) -> tuple[float, float]:
    """The highest ascent and deepest descent of some pieces, at 1 pt."""
    pieces = list(pieces)
    if not pieces:
        return 0.0, 0.0
    return max(p.ascent for p in pieces), max(p.descent for p in pieces)


def layout_text(
    paragraphs: Sequence[Item],
    width: float,
    size: float,
    *,
    leading: float = 1.2,
    paragraph_gap: float = 0.35,
    spans: bool = True,
) -> TextBlock:
    """Wrap `paragraphs` at base `size` into lines at most `width` wide; no height limit.

    Lines in a paragraph are `leading` × their size apart; paragraphs are `paragraph_gap` × `size`
    apart, and never closer than the upper paragraph's descent plus the lower one's ascent, so a
    small line under a big one cannot touch it. A word wider than `width` is broken; a single
    character wider than `width` overflows, which `TextBlock.width` reports.

    With `spans` False, rich lines come without their spans and text: where lines go, for a
    planner trying many sizes; lay the chosen size out again to draw it.
    """
    return _layout(paragraphs, width, size, leading, paragraph_gap, build=True, spans=spans)


def block_extent(
    paragraphs: Sequence[Item],
    width: float,
    size: float,
    *,
    leading: float = 1.2,
    paragraph_gap: float = 0.35,
) -> TextBlock:
    """The block layout_text makes, without its lines: its height and width to the last bit,
    at a fraction of the cost (for a search that only asks whether blocks fit)."""
    return _layout(paragraphs, width, size, leading, paragraph_gap, build=False)


def _layout(
    paragraphs: Sequence[Item],
    width: float,
    size: float,
    leading: float,
    paragraph_gap: float,
    build: bool,
    spans: bool = True,
) -> TextBlock:
    """layout_text, or with build=False only the block's height and width (no lines): the
    size search asks this many times per block and needs nothing else."""
    if not width > 0 or not size > 0:
        raise ValueError(f"width and size must be positive, not {width!r} and {size!r}")
    lines: list[Line] = []
    baseline = 0.0
    previous_descent = None  # of the previous paragraph's last line, in pt
    block_width = 0.0

    # No closure over these variables: a closure would make every use of them in this hot
    # loop slower. A paragraph after the first starts at _next_baseline(…).
    for paragraph in paragraphs:
        line_size = size * paragraph.scale
        if isinstance(paragraph, Figure):
            figure_width, figure_height = _figure_size(paragraph, width, line_size)
            baseline = _next_baseline(
                baseline, previous_descent, figure_height, paragraph_gap * size, leading * line_size
            )
            block_width = max(block_width, figure_width)
            if build:
                x = (width - figure_width) / 2 if paragraph.align == "center" else 0.0
                lines.append(
                    Line(
                        text="",
                        font=fonts.REGULAR,
                        size=line_size,
                        x=x,
                        baseline=baseline,
                        width=figure_width,
                        figure=paragraph,
                        height=figure_height,
                        role=paragraph.role,
                    )
                )
            previous_descent = 0.0
            continue
        # ASCII in DejaVu (most text) is plain without a lookup; other text may need fallback
        # fonts, shaping or bidi, which only the rich path does.
        plain_ascii = paragraph.text.isascii() and paragraph.font in _UNSHAPED
        if (
            not paragraph.inlines
            and not plain_ascii
            and _needs_rich(paragraph.text, paragraph.font)
        ):
            paragraph = _rich_version(paragraph)
        if paragraph.inlines:
            baseline, previous_descent, widest = _layout_rich(
                paragraph,
                width,
                line_size,
                leading,
                (baseline, previous_descent, paragraph_gap * size),
                lines if build else None,
                spans,
            )
            block_width = max(block_width, widest)
            continue
        font = paragraph.font
        measured = _measure(paragraph.text, font, paragraph.bullet)
        indent = measured.indent * line_size
        available = width - indent
        # Wrap in 1-pt units: one division here instead of a multiplication per word.
        limit = (available + _EPSILON) / line_size
        ascent = measured.ascent * line_size
        if previous_descent is None:
            baseline = ascent
        else:  # as _next_baseline does, written out: the path nearly every text takes
            step = max(leading * line_size, previous_descent + ascent)
            baseline += paragraph_gap * size + step
        if not build:  # where the lines end, not what they say
            count, widest_1pt = _wrap_extent(measured, font, limit)
            block_width = max(block_width, indent + widest_1pt * line_size)
            baseline += (count - 1) * leading * line_size
            previous_descent = measured.descent * line_size
            continue
        wrapped = _wrap(measured, font, limit)
        widest = max(width_1pt for _, width_1pt in wrapped) * line_size
        block_width = max(block_width, indent + widest)
        centered = paragraph.align == "center"
        for index, (text, width_1pt) in enumerate(wrapped):
            line_width = width_1pt * line_size
            x = indent + max(0.0, (available - line_width) / 2) if centered else indent
            first_with_bullet = index == 0 and paragraph.bullet is not None
            # Positional: a plain deck makes hundreds of thousands of these.
            lines.append(
                Line(
                    text,
                    font,
                    line_size,
                    x,
                    baseline + index * leading * line_size,
                    line_width,
                    paragraph.bullet if first_with_bullet else None,
                    0.0,
                    (),
                    None,
                    0.0,
                    paragraph.role,
                )
            )
        baseline += (len(wrapped) - 1) * leading * line_size
        previous_descent = measured.descent * line_size
    height = baseline + previous_descent if previous_descent is not None else 0.0
    return TextBlock(size=size, lines=tuple(lines), height=height, width=block_width)


def _next_baseline(
    baseline: float, previous_descent: float | None, ascent: float, gap: float, leading: float
) -> float:
    """The first baseline of a paragraph whose first line reaches `ascent` up, below the
    paragraph ending at `baseline` with `previous_descent` (None: it is the first)."""
    if previous_descent is None:
        return ascent
    # Parenthesised as the sum always was: the same input must give the same bytes.
    return baseline + (gap + max(leading, previous_descent + ascent))


def _figure_size(figure: Figure, width: float, size: float) -> tuple[float, float]:
    """A picture's width and height on a line `width` wide with text of `size` pt."""
    picture = figure.picture
    height = FIGURE_EMS * size
    if picture.kind != "svg":
        height = min(height, 2 * picture.height)
    figure_width = min(width, height * picture.aspect)
    return figure_width, figure_width / picture.aspect


def _layout_rich(
    paragraph: Paragraph,
    width: float,
    size: float,
    leading: float,
    before: tuple[float, float | None, float],
    lines: list[Line] | None,
    spans: bool = True,
) -> tuple[float, float, float]:
    """Lay out one rich paragraph (adding its lines to `lines` unless None); returns its last
    baseline, its last line's descent and its widest line.

    Lines are `leading` × size apart as in plain text, moved further apart only by what a
    line's formulas or shifted runs reach beyond the paragraph face's ascent and descent."""
    measured = _measure_rich(paragraph.inlines, paragraph.font, paragraph.bullet)
    indent = measured.indent * size
    available = width - indent
    wrapped = _wrap_rich(measured, (available + _EPSILON) / size)
    if measured.tall:
        extents = [(line[3], line[4]) for line in wrapped]
    else:
        extents = [(measured.ascent, measured.descent)] * len(wrapped)
    previous_baseline, previous_descent, gap = before
    baseline = _next_baseline(
        previous_baseline,
        previous_descent,
        max(measured.ascent, extents[0][0]) * size,
        gap,
        leading * size,
    )
    widest = 0.0
    for index, line in enumerate(wrapped):
        if index:
            above = max(0.0, extents[index][0] - measured.ascent)
            below = max(0.0, extents[index - 1][1] - measured.descent)
            baseline += (leading + above + below) * size
        line_width = line[2] * size
        widest = max(widest, indent + line_width)
        if lines is not None:
            rtl = measured.direction == "rtl"
            bullet_x = 0.0
            if paragraph.align == "center":
                x = indent + max(0.0, (available - line_width) / 2)
            elif rtl:  # a right-to-left paragraph starts at the right, its bullet too
                x = max(0.0, available - line_width)
                bullet_x = available + measured.indent * size - _bullet_width(paragraph, size)
            else:
                x = indent
            if not spans:
                text, line_spans = "", ()
            elif measured.complex:
                text, line_spans = _visual_spans(line, size, measured.direction)
            else:
                text, line_spans = _rich_spans(line, size)
            first_with_bullet = index == 0 and paragraph.bullet is not None
            lines.append(
                Line(
                    text=text,
                    font=paragraph.font,
                    size=size,
                    x=x,
                    baseline=baseline,
                    width=line_width,
                    bullet=paragraph.bullet if first_with_bullet else None,
                    bullet_x=bullet_x if rtl else 0.0,
                    spans=line_spans,
                    role=paragraph.role,
                )
            )
    descent = max(measured.descent, extents[-1][1]) * size
    return baseline, descent, widest


def _length(item: Item) -> float:
    """An item's text length at 1 pt on one line (a picture counts as none)."""
    if isinstance(item, Figure):
        return 0.0
    if not item.inlines and _needs_rich(item.text, item.font):
        item = _rich_version(item)
    if item.inlines:
        return _measure_rich(item.inlines, item.font, item.bullet).length
    return _measure(item.text, item.font, item.bullet).length


@lru_cache(maxsize=65_536)
def _needs_rich(text: str, font: str) -> bool:
    """Whether plain text needs the rich path: characters from another font, shaping, right
    to left, or line breaks inside words (Chinese, Japanese, Thai). Not for ASCII in DejaVu."""
    if text.isascii() and font in _UNSHAPED:
        return False
    for part in text.replace("\n", " ").replace("\t", " ").split(" "):
        if not part:
            continue
        runs = _runs(part, font)
        if any(run_font != font for _, run_font in runs) or _is_complex(part, font):
            return True
        if len(_segments(part)) > 1:
            return True
    return False


@lru_cache(maxsize=16_384)
def _rich_version(paragraph: Paragraph) -> Paragraph:
    """A plain paragraph as rich content of unstyled text (set in its own face)."""
    from printkit.content.markup import plain

    (block,) = plain(paragraph.text).blocks
    return paragraph._replace(inlines=block.inlines or (Text(""),))


def _plain_parts(
    paragraphs: Sequence[Item], measure: Callable[[str, str, str | None], _Measured] | None = None
) -> list[tuple[float, _Measured, str]] | None:
    """Each paragraph's scale, measured words (by `measure`, default `_measure`) and font, when
    all are plain text (no pictures, styles, fallback fonts or shaping); else None."""
    measure = measure or _measure
    parts = []
    for paragraph in paragraphs:
        if isinstance(paragraph, Figure) or paragraph.inlines:
            return None
        text, font = paragraph.text, paragraph.font
        if not (text.isascii() and font in _UNSHAPED) and _needs_rich(text, font):
            return None
        parts.append((paragraph.scale, measure(text, font, paragraph.bullet), font))
    return parts


def _plain_extent(
    parts: list[tuple[float, _Measured, str]],
    width: float,
    size: float,
    leading: float,
    paragraph_gap: float,
    count_lines: Callable[[_Measured, str, float], tuple[int, float]] | None = None,
) -> tuple[float, float]:
    """The height and width `_layout` gives plain paragraphs (see `_plain_parts`), with the
    same arithmetic in the same order, so that both agree to the last bit. `count_lines`
    replaces `_wrap_extent` (lines and widest line of a paragraph)."""
    count_lines = count_lines or _wrap_extent
    baseline = 0.0
    previous_descent = None
    block_width = 0.0
    for scale, measured, font in parts:
        line_size = size * scale
        indent = measured.indent * line_size
        limit = (width - indent + _EPSILON) / line_size
        ascent = measured.ascent * line_size
        if previous_descent is None:
            baseline = ascent
        else:
            step = max(leading * line_size, previous_descent + ascent)
            baseline += paragraph_gap * size + step
        count, widest = count_lines(measured, font, limit)
        block_width = max(block_width, indent + widest * line_size)
        baseline += (count - 1) * leading * line_size
        previous_descent = measured.descent * line_size
    height = baseline + previous_descent if previous_descent is not None else 0.0
    return height, block_width


def heights_at_least(
    paragraphs: Sequence[Item],
    widths: Sequence[float],
    size: float,
    *,
    leading: float = 1.2,
    paragraph_gap: float = 0.35,
) -> tuple[list[float], bool]:
    """For each width, a lower bound of `layout_text(paragraphs, width, size, …).height` that
    costs no wrapping, for a planner that only needs to know how much room text needs at
    least; and whether the paragraphs are plain text.

    Plain text takes at least `_fewest_lines` lines a paragraph, and the height grows with
    each paragraph's lines, so the height at those counts is a lower bound (where no single
    character is wider than the line: text that is cannot be set at that width anyway). Other
    content (styles, pictures, other scripts) is laid out: its heights are exact.
    """
    parts = _plain_parts(paragraphs, _measure_lengths)
    if parts is None:
        heights = [
            _layout(paragraphs, width, size, leading, paragraph_gap, build=False).height
            for width in widths
        ]
        return heights, False
    # `_layout`'s height is the lines' heights, which depend on the width, plus ascents, gaps
    # and descents, which do not: (lines − 1) × leading × line size per paragraph, plus `fixed`.
    fixed, _ = _plain_extent(parts, 1e9, size, leading, paragraph_gap, _one_line)
    heights = []
    for width in widths:
        lines = 0.0
        for scale, measured, _ in parts:
            line_size = size * scale
            limit = (width - measured.indent * line_size + _EPSILON) / line_size
            space = measured.space
            count = 0  # as _fewest_lines, written out: ten thousand cards, five widths
            for total in measured.totals:
                count += max(1, math.ceil((total + space) / (limit + space) - 1e-9))
            lines += (count - 1) * leading * line_size
        # Added in another order than `_layout` adds them: shaved by a billionth to stay below.
        heights.append((fixed + lines) * (1 - 1e-9))
    return heights, True


def _one_line(measured: _Measured, font: str, limit: float) -> tuple[int, float]:
    return 1, 0.0


def _measure_lengths(text: str, font: str, bullet: str | None) -> _Measured:
    """Only what `_fewest_lines` needs of a paragraph: each hard line's width at 1 pt, in one
    call to reportlab's C measure (sums of the same glyph widths as `_measure`'s, shaved by a
    billionth so that a different order of adding cannot make them longer), no words."""
    string_width, space, ascent, descent = _font_measures(font)
    if "\n" in text or "\r" in text or "\t" in text:
        hard_texts = text.replace("\r\n", "\n").replace("\t", " ").split("\n")
    else:
        hard_texts = [text]
    totals = []
    for hard_text in hard_texts:
        if "  " in hard_text or hard_text.startswith(" ") or hard_text.endswith(" "):
            hard_text = " ".join(word for word in hard_text.split(" ") if word)
        totals.append(string_width(hard_text, 1.0) * (1 - 1e-9))
    indent = word_width(bullet, font) + space if bullet else 0.0
    return _Measured((), tuple(totals), (), sum(totals), space, indent, ascent, descent)


@lru_cache(maxsize=64)
def _font_measures(font: str) -> tuple[Callable[[str, float], float], float, float, float]:
    """A font's own string measure (what pdfmetrics.stringWidth calls), its space's width at
    1 pt, its ascent and descent."""
    fonts.register_fonts()
    return pdfmetrics.getFont(font).stringWidth, word_width(" ", font), *_ascent_descent(font)


def _fewest_lines(measured: _Measured, font: str, limit: float) -> tuple[int, float]:
    """At least how many lines `_wrap` makes of a paragraph (and 0.0 for its width, unknown).

    A hard line of words T wide (at 1 pt, with its spaces) wrapped into n lines of at most
    `limit` loses only the n − 1 spaces at the breaks (a word broken inside loses nothing):
    n × limit ≥ T − (n − 1) × space, so n ≥ (T + space) / (limit + space). Rounding down a
    hair before taking the ceiling keeps it a lower bound whatever the float error.
    """
    space = measured.space
    count = 0
    for total in measured.totals:
        count += max(1, math.ceil((total + space) / (limit + space) - 1e-9))
    return count, 0.0


def _size_estimate(
    paragraphs: Sequence[Item],
    width: float,
    height: float,
    leading: float,
    gap: float,
    plain: list[tuple[float, _Measured, str]] | None = None,
) -> float:
    """A close guess of the size at which paragraphs fill the box, from arithmetic alone.

    At size s, text of length L (at 1 pt) takes about L·s/width lines, plus half a line wasted
    at the end of each of its P paragraphs; height ≈ leading·s·(L·s/width + P/2) + gap·s·(P−1).
    Solving for s gives the size; measured on realistic cards the fitted size is 0.97 of it
    (spread ±2.5 %), so the search usually needs two or three layouts, not six or seven.
    """
    if plain is None:
        length = sum(_length(p) * p.scale for p in paragraphs)
    else:
        length = sum(measured.length * scale for scale, measured, _ in plain)
    count = len(paragraphs)
    if length <= 0 or count == 0:
        return math.inf
    a = leading * length / width
    b = leading * count / 2 + gap * (count - 1)
    return 0.97 * (-b + math.sqrt(b * b + 4 * a * height)) / (2 * a)


def fit_text(
    paragraphs: Sequence[Item],
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

    plain = _plain_parts(paragraphs)

    def at(k: int, build: bool = False) -> TextBlock:
        # Rounded so that sizes are the grid values a person would type (10.25, not 10.2500001).
        size = round(min_size + k * step, 6)
        if plain is None or build:
            return _layout(paragraphs, width, size, leading, paragraph_gap, build)
        block_height, block_width = _plain_extent(plain, width, size, leading, paragraph_gap)
        return TextBlock(size=size, lines=(), height=block_height, width=block_width)

    def built(block: TextBlock) -> TextBlock:
        # The search measured without lines; lay out once, at the chosen size, to draw.
        return _layout(paragraphs, width, block.size, leading, paragraph_gap, build=True)

    estimate = _size_estimate(paragraphs, width, height, leading, paragraph_gap, plain)
    # No text to estimate from (a picture alone): start at the top and search down.
    guess = (
        top if math.isinf(estimate) else min(top, max(0, math.floor((estimate - min_size) / step)))
    )

    def fits(k: int) -> TextBlock | None:
        block = at(k)
        return block if block.fits(width, height) else None

    if guess == top:
        # Most short texts fit at the largest size (two cards in three of a typical deck): lay
        # out ready to draw at once, and when it fits that is the answer, in one layout.
        block = at(top, build=True)
        if block.fits(width, height):
            return block
    # Start at the estimate and gallop outwards to bracket the answer, then bisect. Every probe
    # is a real layout, so the estimate only saves work: the invariant makes the answer exact.
    best = None if guess == top else fits(guess)
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
