"""One engine that pours blocks, in order, down a run of frames (columns, pages). Pure: no drawing.

In the spirit of reportlab's platypus: a block knows its height and where it may split; the engine
decides what goes in which frame. The summary pours cards into columns, the worksheet and answer
key pour questions into pages and columns.
"""

from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import NamedTuple, Protocol

# Heights come from sums of font metrics: a block that fits to the last rounding error fits.
_EPSILON = 1e-6


class Break(NamedTuple):
    """A place where a block may be split: after unit `after` (a line, a row).

    The piece that ends here reaches `end` pt below the block's top; the next piece starts at
    `resume` pt below it, so space between the two units (leading, a paragraph gap) is dropped.
    Plain `(after, end, resume)` tuples do as well.
    """

    after: int
    end: float
    resume: float


class Flowable(Protocol):
    """What the engine needs of a block: its height, how many units (lines, rows) it has, and
    its breaks in order, each deeper than the one before. Keeping a heading with what follows is
    the block's affair: it offers no break after the heading. The summary's CardShape is one."""

    @property
    def height(self) -> float: ...

    @property
    def units(self) -> int: ...

    @property
    def breaks(self) -> Sequence[tuple[int, float, float]]: ...


class Block(NamedTuple):
    """A flowable block given by its numbers alone (the worksheet's and key's questions)."""

    height: float
    units: int
    breaks: tuple[Break, ...] = ()

    @classmethod
    def from_rows(cls, rows: Sequence[float], heading: int = 1) -> "Block":
        """Rows stacked without gaps, breakable between any two rows except that the first
        `heading` rows stay with the row after them."""
        # accumulate adds left to right exactly as sum() does, so heights match the rows' sums.
        ends = list(accumulate(rows))
        breaks = tuple(Break(i, ends[i], ends[i]) for i in range(heading, len(rows) - 1))
        return cls(ends[-1] if ends else 0.0, len(rows), breaks)


class Piece(NamedTuple):
    """Units `start` to `stop` (exclusive) of block `block`, placed `top` pt below a frame's top.

    `offset` is where unit `start` begins inside the block and `height` how tall the piece's
    units are. A continued piece (one that does not start at the block's top) has its units
    below a label such as "Question 4, continued", if the flow was given a label height.
    """

    # A NamedTuple, not a dataclass: the summary's size search makes tens of thousands of
    # pieces, and a tuple is made several times faster than a frozen dataclass.
    block: int
    start: int
    stop: int
    top: float
    offset: float
    height: float

    @property
    def continued(self) -> bool:
        return self.start > 0


class BlockTooTall(Exception):
    """A block does not fit in an empty frame, and cannot (or may not) be split so that it does."""

    def __init__(self, block: int) -> None:
        self.block = block
        super().__init__(f"block {block} does not fit in an empty frame")


def flow(
    blocks: Iterable[Flowable],
    frames: Iterable[float],
    *,
    gap: float,
    split: bool = True,
    min_split: int = 1,
    continued_height: float = 0.0,
    prefer_whole: bool = False,
) -> list[list[Piece]] | None:
    """Place blocks, in order and `gap` apart, into frames of the given heights; returns the
    pieces of each frame used, or None when the frames run out (only a finite `frames` can).

    A block goes whole into the current frame when it fits. Otherwise, with `split`, it breaks at
    the deepest break that fits and leaves at least `min_split` stretches between breaks on
    each side (so a short block moves whole rather than leaving one line behind), and continues
    at the top of the next frame, below `continued_height` pt kept for a label. Failing that it
    moves whole to the next frame; but an empty frame takes as much as fits, whatever
    `min_split` says, since the next frame would be no roomier. A block that an empty frame
    cannot take raises BlockTooTall. With `prefer_whole`, a block that would fit whole in the
    next frame moves there whole instead of being split (a reader need not turn the page in the
    middle of it), at the cost of room left at the foot of this frame.

    Greedy filling is optimal for blocks kept in order, and each frame depends only on what came
    before: so cutting later frames (to balance columns) leaves the earlier ones as they were.
    `blocks` and `frames` are read lazily, so a caller can stop pouring (and laying out) early.
    """
    if min_split < 1:
        raise ValueError(f"min_split must be at least 1, not {min_split!r}")
    heights = iter(frames)
    capacity = next(heights, None)
    ahead: list[float | None] = []  # the next frame's height, once prefer_whole has looked

    def next_capacity() -> float | None:
        if not ahead:
            ahead.append(next(heights, None))
        return ahead[0]

    filled: list[list[Piece]] = []
    frame: list[Piece] = []
    used = 0.0  # height taken in `frame`
    for index, block in enumerate(blocks):
        height, breaks = block.height, block.breaks
        start, offset, label = 0, 0.0, 0.0
        done = -1  # index in `breaks` of the break the current piece starts after
        while True:
            if capacity is None:
                return None
            top = used + gap if frame else 0.0
            base = top + label  # where the piece's units start
            rest = height - offset
            if base + rest <= capacity + _EPSILON:
                frame.append(Piece(index, start, block.units, top, offset, rest))
                used = base + rest
                break
            chosen = done
            keep_whole = False
            if prefer_whole and frame and start == 0:
                upcoming = next_capacity()
                keep_whole = upcoming is not None and height <= upcoming + _EPSILON
            if split and not keep_whole:
                chosen = _split_point(breaks, done, base, offset, capacity, min_split, not frame)
            if chosen > done:
                after, end, resume = breaks[chosen]
                frame.append(Piece(index, start, after + 1, top, offset, end - offset))
                start, offset, done, label = after + 1, resume, chosen, continued_height
            elif not frame:
                raise BlockTooTall(index)
            filled.append(frame)
            frame, used = [], 0.0
            capacity = ahead.pop() if ahead else next(heights, None)
    filled.append(frame)
    return filled


def _split_point(
    breaks: Sequence[tuple[int, float, float]],
    done: int,
    base: float,
    offset: float,
    capacity: float,
    min_split: int,
    empty: bool,
) -> int:
    """The index of the break to split at, for a piece that starts after break `done` (at
    `offset` in the block) and `base` pt below the top of a frame `capacity` pt tall; `done`
    when the block should move whole to the next frame instead."""
    deepest = done
    # Breaks are in order, each deeper than the last: stop at the first that does not fit.
    while (
        deepest + 1 < len(breaks) and base + breaks[deepest + 1][1] - offset <= capacity + _EPSILON
    ):
        deepest += 1
    # Count stretches between breaks: `chosen - done` in this piece, `len(breaks) - chosen` after.
    chosen = min(deepest, len(breaks) - min_split)
    if chosen - done >= min_split:
        return chosen
    return deepest if empty else done
