"""Card grids on a sheet and duplex mirroring: where each card's front and back go. Pure."""

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from printkit.paper import Box, Paper
from printkit.records import checked

FLIPS = ("long", "short")


@checked
class CardGrid(NamedTuple):
    """`columns` × `rows` cards of one size, with `gap` between columns (and rows, unless
    `row_gap` is given), centred on the paper unless `origin` gives the left and top margins.

    Centring is what makes duplex exact: the mirror image of a centred grid is the grid itself,
    so every back slot sits behind a front slot, including the empty ones of a last sheet. An
    off-centre grid (a manufacturer's template) still works: backs are mirrored about the
    paper's centre, so they land behind their fronts but not on the template's own slots.
    """

    paper: Paper
    card_width: float
    card_height: float
    columns: int
    rows: int
    gap: float = 0.0
    row_gap: float | None = None
    origin: tuple[float, float] | None = None  # (left, top) margins; None centres the grid

    def _check(self) -> None:
        if self.columns < 1 or self.rows < 1:
            raise ValueError("a card grid needs at least one column and one row")
        if self.card_width <= 0 or self.card_height <= 0:
            raise ValueError("cards must have a positive width and height")
        if self.gap < 0 or self.vertical_gap < 0:
            raise ValueError("the gap between cards cannot be negative")
        bounds = self.bounds
        if (
            bounds.x < -1e-6
            or bounds.y < -1e-6
            or bounds.right > self.paper.width + 1e-6
            or bounds.top > self.paper.height + 1e-6
        ):
            raise ValueError(
                f"{self.columns} × {self.rows} cards of {self.card_width / 72 * 25.4:.0f} × "
                f"{self.card_height / 72 * 25.4:.0f} mm do not fit on {self.paper.name} paper"
            )

    @classmethod
    def filling(
        cls, paper: Paper, area: Box, columns: int, rows: int, gap: float = 0.0
    ) -> "CardGrid":
        """The largest equal cards that tile `area` (centred on the paper) in columns × rows."""
        return cls(
            paper,
            (area.width - gap * (columns - 1)) / columns,
            (area.height - gap * (rows - 1)) / rows,
            columns,
            rows,
            gap,
        )

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def width(self) -> float:
        return self.columns * self.card_width + (self.columns - 1) * self.gap

    @property
    def vertical_gap(self) -> float:
        return self.gap if self.row_gap is None else self.row_gap

    @property
    def height(self) -> float:
        return self.rows * self.card_height + (self.rows - 1) * self.vertical_gap

    @property
    def bounds(self) -> Box:
        if self.origin is None:
            x, y = (self.paper.width - self.width) / 2, (self.paper.height - self.height) / 2
        else:
            left, top = self.origin
            x, y = left, self.paper.height - top - self.height
        return Box(x, y, max(0.0, self.width), max(0.0, self.height))

    def card_box(self, slot: int) -> Box:
        """The box of slot `slot` on a front page, filled left to right, top to bottom."""
        column, row = slot % self.columns, slot // self.columns
        bounds = self.bounds
        x = bounds.x + column * (self.card_width + self.gap)
        y = bounds.top - (row + 1) * self.card_height - row * self.vertical_gap
        return Box(x, y, self.card_width, self.card_height)

    def card_boxes(self) -> list[Box]:
        return [self.card_box(slot) for slot in range(self.per_sheet)]

    def back_box(self, slot: int, flip: str) -> Box:
        """Where the back of slot `slot` goes on the back page so that it prints behind its front."""
        return mirror_for_duplex(self.card_box(slot), self.paper, flip)

    def edges(self) -> tuple[list[float], list[float]]:
        """The x positions of every vertical card edge and the y of every horizontal one."""
        boxes = self.card_boxes()
        xs = sorted({round(b.x, 6) for b in boxes} | {round(b.right, 6) for b in boxes})
        ys = sorted({round(b.y, 6) for b in boxes} | {round(b.top, 6) for b in boxes})
        return xs, ys

    def cut_lines(self) -> Iterator[tuple[float, float, float, float]]:
        """Segments (x1, y1, x2, y2) along every card edge across the grid, each drawn once."""
        bounds = self.bounds
        xs, ys = self.edges()
        for x in xs:
            yield (x, bounds.y, x, bounds.top)
        for y in ys:
            yield (bounds.x, y, bounds.right, y)

    def crop_marks(self, area: Box | None = None) -> Iterator[tuple[float, float, float, float]]:
        """Segments that carry every card edge from the grid out to the edge of `area` (the
        paper by default), so that a line is left to follow after the first cut."""
        area = area or Box(0, 0, self.paper.width, self.paper.height)
        bounds = self.bounds
        xs, ys = self.edges()
        for x in xs:
            if bounds.y > area.y:
                yield (x, area.y, x, bounds.y)
            if bounds.top < area.top:
                yield (x, bounds.top, x, area.top)
        for y in ys:
            if bounds.x > area.x:
                yield (area.x, y, bounds.x, y)
            if bounds.right < area.right:
                yield (bounds.right, y, area.right, y)


def mirror_for_duplex(box: Box, paper: Paper, flip: str) -> Box:
    """The box on the back page that lies behind `box` once the sheet is turned over.

    Long-edge flip turns the sheet about its vertical axis: columns swap, rows stay.
    Short-edge flip turns it about its horizontal axis: rows swap, columns stay.
    """
    if flip == "long":
        return Box(paper.width - box.x - box.width, box.y, box.width, box.height)
    if flip == "short":
        return Box(box.x, paper.height - box.y - box.height, box.width, box.height)
    raise ValueError(f"flip must be one of {', '.join(FLIPS)}, not {flip!r}")


def sheets(items: Sequence, per_sheet: int) -> Iterator[Sequence]:
    """Split items into consecutive runs of at most per_sheet (the last may be shorter)."""
    for start in range(0, len(items), per_sheet):
        yield items[start : start + per_sheet]
