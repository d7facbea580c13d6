"""Stacking blocks of rows down columns and pages, keeping each block together when it fits. Pure.

A block is a heading row followed by body rows (writing lines, answer lines); the heading never
ends a column without its first body row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

_EPSILON = 1e-6


@dataclass(frozen=True)
class Piece:
    """Rows `start` to `stop` (exclusive) of block `block`, placed `top` pt below a frame's top.

    A piece with `continued` starts in the middle of its block: its first `continued_height`
    pt are left for a label such as "Question 4, continued", and its rows start below that.
    """

    block: int
    start: int
    stop: int
    top: float
    continued: bool = False


class BlockTooTall(Exception):
    """A block's heading and first row do not fit even in an empty frame."""

    def __init__(self, block: int) -> None:
        self.block = block
        super().__init__(f"block {block}: its heading and first row are taller than a frame")


def flow(
    blocks: Sequence[Sequence[float]],
    frame_height: Callable[[int], float],
    *,
    gap: float,
    continued_height: float = 0.0,
    min_split: int = 1,
) -> list[list[Piece]]:
    """Place blocks (each a heading row, then body rows) into frames (columns) of given heights.

    A block goes whole into the current frame when it fits. Otherwise it is split between body
    rows if each part keeps at least `min_split` body rows (the heading stays with the first
    part), continuing at the top of the next frame; else it moves whole to the next frame. So a
    block of fewer than 2 × `min_split` body rows is never split unless it is taller than a
    frame. Blocks are `gap` apart. Returns the pieces of each frame; `frame_height(k)` is the
    height of frame k (0-based).
    """
    if min_split < 1:
        raise ValueError(f"min_split must be at least 1, not {min_split!r}")
    frames: list[list[Piece]] = [[]]
    used = 0.0  # height taken in the last frame
    for index, rows in enumerate(blocks):
        start = 0
        while start < len(rows):
            empty = not frames[-1]
            label = continued_height if start else 0.0
            top = 0.0 if empty else used + gap
            room = frame_height(len(frames) - 1) - top - label
            stop = _split_point(rows, start, room, min_split, empty=empty)
            if stop == start and empty:
                raise BlockTooTall(index)
            if stop > start:
                frames[-1].append(Piece(index, start, stop, top, continued=start > 0))
                used = top + label + sum(rows[start:stop])
                start = stop
            if start < len(rows):
                frames.append([])
                used = 0.0
    return frames


def _split_point(
    rows: Sequence[float], start: int, room: float, min_split: int, *, empty: bool
) -> int:
    """One past the last row to place in `room`: all rows, a split leaving `min_split` body rows
    on both sides, or (in an empty frame, where something must go) whatever fits."""
    fit, taken = start, 0.0
    while fit < len(rows) and taken + rows[fit] <= room + _EPSILON:
        taken += rows[fit]
        fit += 1
    if fit == len(rows):
        return fit
    head = 1 if start == 0 else 0  # the heading row, which never ends a frame alone
    body_here = fit - start - head
    body_total = len(rows) - start - head
    balanced = min(body_here, body_total - min_split)
    if balanced >= min_split:
        return start + head + balanced
    if empty and body_here >= 1:
        return fit
    return start
