"""The flow engine on its own: blocks of known heights and breaks poured into frames, no PDF."""

from __future__ import annotations

from itertools import count, repeat

import pytest

from printkit.flow import Block, BlockTooTall, Break, Piece, flow


def card(lines: int, heading: int = 1, leading: float = 10.0, depth: float = 8.0) -> Block:
    """A summary-style block: `lines` lines `leading` apart, each ending `depth` below its top,
    so a break drops the `leading - depth` between two lines; never a break inside the heading."""
    breaks = tuple(
        Break(j, j * leading + depth, (j + 1) * leading) for j in range(heading, lines - 1)
    )
    return Block((lines - 1) * leading + depth, lines, breaks)


def placed(frames: list[list[Piece]]) -> list[list[tuple[int, int, int]]]:
    return [[(piece.block, piece.start, piece.stop) for piece in frame] for frame in frames]


def test_blocks_that_fit_stack_gap_apart_and_never_with_a_gap_at_the_top():
    frames = flow([card(2), card(3), card(2)], [60.0, 60.0], gap=4.0)
    assert placed(frames) == [[(0, 0, 2), (1, 0, 3)], [(2, 0, 2)]]
    first, second = frames[0]
    assert (first.top, first.offset, first.height) == (0.0, 0.0, 18.0)
    assert (second.top, second.height) == (22.0, 28.0)
    assert frames[1][0].top == 0.0


def test_a_summary_break_ends_the_piece_at_the_line_and_resumes_at_the_next_line():
    # Room for 4 lines of a 6-line card: it breaks after line 3 (the deepest that fits).
    frames = flow([card(6)], [40.0, 40.0], gap=4.0, split=True)
    assert placed(frames) == [[(0, 0, 4)], [(0, 4, 6)]]
    head, tail = frames[0][0], frames[1][0]
    assert head.height == 38.0  # down to the bottom of line 3, not the top of line 4
    assert (tail.offset, tail.height, tail.top) == (40.0, 18.0, 0.0)  # from line 4's top
    assert tail.continued and not head.continued


def test_a_heading_is_never_left_alone_at_the_foot_of_a_frame():
    # Under a first card, room remains for the two heading lines but not for an answer line too.
    frames = flow([card(2), card(5, heading=2)], [45.0, 100.0], gap=2.0)
    assert placed(frames) == [[(0, 0, 2)], [(1, 0, 5)]]


def test_without_split_a_block_moves_whole_and_one_taller_than_a_frame_is_refused():
    frames = flow([card(2), card(6)], [60.0, 60.0], gap=4.0, split=False)
    assert placed(frames) == [[(0, 0, 2)], [(1, 0, 6)]]
    with pytest.raises(BlockTooTall) as error:
        flow([card(2), card(9)], [60.0, 60.0, 60.0], gap=4.0, split=False)
    assert error.value.block == 1
    # The same block splits when splitting is allowed.
    assert flow([card(2), card(9)], [60.0, 60.0, 60.0], gap=4.0, split=True) is not None


def test_finite_frames_that_run_out_give_none_and_stop_reading_the_blocks():
    read = []

    def blocks():
        for index in count():
            read.append(index)
            yield card(3)

    assert flow(blocks(), [30.0, 30.0], gap=2.0) is None
    assert len(read) == 3  # a block a frame; the third finds no frame left


def test_endless_frames_take_any_number_of_blocks():
    frames = flow([card(3)] * 50, repeat(30.0), gap=2.0)
    assert frames is not None and len(frames) == 50


@pytest.mark.parametrize(
    ("min_split", "expected"),
    [
        (1, [[(0, 0, 1), (1, 0, 6)], [(1, 6, 9)]]),  # as many rows as fit
        (3, [[(0, 0, 1), (1, 0, 6)], [(1, 6, 9)]]),  # 5 body rows here, 3 there: allowed
        (4, [[(0, 0, 1), (1, 0, 5)], [(1, 5, 9)]]),  # holds one back so 4 go on
        # 8 body rows cannot give 5 to each side: it moves whole, and the empty frame takes
        # what fits.
        (5, [[(0, 0, 1)], [(1, 0, 7)], [(1, 7, 9)]]),
    ],
)
def test_min_split_leaves_enough_rows_on_both_sides(min_split, expected):
    # A 10 pt block, then a heading row and 8 body rows of 10 pt in frames of 70 pt.
    blocks = [Block.from_rows([10.0]), Block.from_rows([10.0] * 9)]
    assert placed(flow(blocks, repeat(70.0), gap=0.0, min_split=min_split)) == expected


def test_an_empty_frame_takes_what_fits_whatever_min_split_says():
    frames = flow([Block.from_rows([10.0] * 6)], repeat(40.0), gap=0.0, min_split=3)
    assert placed(frames) == [[(0, 0, 4)], [(0, 4, 6)]]


def test_a_continued_piece_leaves_room_for_its_label():
    frames = flow([Block.from_rows([10.0] * 8)], repeat(50.0), gap=0.0, continued_height=15.0)
    assert placed(frames) == [[(0, 0, 5)], [(0, 5, 8)]]
    tail = frames[1][0]
    assert tail.top == 0.0 and tail.continued
    # The next block goes below the label and the rows.
    frames = flow(
        [Block.from_rows([10.0] * 8), Block.from_rows([3.0])],
        repeat(50.0),
        gap=1.0,
        continued_height=15.0,
    )
    assert frames[1][1].top == 15.0 + 30.0 + 1.0


def test_rows_become_a_block_breakable_after_every_row_but_the_heading():
    block = Block.from_rows([12.5, 10.0, 10.0, 10.0])
    assert (block.height, block.units) == (42.5, 4)
    assert block.breaks == ((1, 22.5, 22.5), (2, 32.5, 32.5))
    assert Block.from_rows([12.5, 10.0]).breaks == ()


def test_a_heading_taller_than_an_empty_frame_is_refused():
    with pytest.raises(BlockTooTall):
        flow([Block.from_rows([150.0, 10.0])], repeat(100.0), gap=0.0)


def test_min_split_must_be_at_least_one():
    with pytest.raises(ValueError, match="min_split"):
        flow([], [], gap=0.0, min_split=0)
