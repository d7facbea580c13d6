"""Card stocks: the sheets cards are printed on (plain paper cut by hand, or perforated card stock).

A stock is data: card size, columns × rows, gaps, and for manufacturers' stock the sheet margins
from their template, so that the cards land on the perforations. Pure; checked when made.
"""

import re
from typing import NamedTuple

from printkit.paper import INCH, MM, PAPERS, SAFE_MARGIN, Box, Paper
from printkit.records import checked
from printkit.sheet import CardGrid

# Cards keep their text this far inside their edges (more than a duplex printer's usual
# misregistration), so a card may reach the paper edge and its ink still stays 5 mm in.
CARD_PADDING = SAFE_MARGIN


class StockError(ValueError):
    """A stock that cannot be printed: the message is one sentence a user can act on."""


def _mm(points: float) -> str:
    return f"{points / MM:.1f}".removesuffix(".0")


@checked
class Stock(NamedTuple):
    """`columns` × `rows` cards of `card_width` × `card_height` (PDF points) on one sheet.

    `paper` names the paper the stock is made for; None means any paper (the `paper` option).
    `margins` (left, top) come from a manufacturer's template; None centres the cards, which is
    what makes duplex exact.
    """

    name: str
    description: str
    card_width: float
    card_height: float
    columns: int
    rows: int
    paper: str | None = None
    column_gap: float = 0.0
    row_gap: float = 0.0
    margins: tuple[float, float] | None = None
    perforated: bool = False

    def _check(self) -> None:
        if self.columns < 1 or self.rows < 1:
            raise StockError(f"stock {self.name}: it needs at least one column and one row")
        if self.card_width <= 0 or self.card_height <= 0:
            raise StockError(f"stock {self.name}: cards need a width and a height above 0")
        if self.column_gap < 0 or self.row_gap < 0:
            raise StockError(f"stock {self.name}: the gap between cards cannot be negative")
        if self.paper is not None:
            if self.paper not in PAPERS:
                raise StockError(f"stock {self.name}: unknown paper {self.paper!r}")
            self.grid(PAPERS[self.paper])  # a built-in stock that does not fit is a bug

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def size_text(self) -> str:
        """The card size as a teacher would say it: inches for inch stock, else millimetres."""
        inches = (self.card_width / INCH, self.card_height / INCH)
        if self.name.startswith("avery-") and all(abs(v * 4 - round(v * 4)) < 1e-6 for v in inches):
            return f"{inches[0]:g} × {inches[1]:g} in"
        return f"{_mm(self.card_width)} × {_mm(self.card_height)} mm"

    def paper_for(self, paper: Paper) -> Paper:
        """The paper this stock prints on: its own, or the one asked for when it fits any."""
        return PAPERS[self.paper] if self.paper is not None else paper

    def grid(self, paper: Paper, extra_gap: float = 0.0) -> CardGrid:
        """The card grid on `paper`, with `extra_gap` added between cards; StockError when the
        cards do not fit the paper or their ink would leave the printable area."""
        if extra_gap and self.perforated:
            raise StockError(
                f"{self.name} is perforated card stock, so its cards cannot have a gap; "
                "remove the gap option or choose a plain-paper stock"
            )
        column_gap, row_gap = self.column_gap + extra_gap, self.row_gap + extra_gap
        width = self.columns * self.card_width + (self.columns - 1) * column_gap
        height = self.rows * self.card_height + (self.rows - 1) * row_gap
        left, top = self.margins if self.margins else (0.0, 0.0)
        if left + width > paper.width + 1e-6 or top + height > paper.height + 1e-6:
            gap = f" with a {_mm(extra_gap)} mm gap" if extra_gap else ""
            raise StockError(
                f"{self.columns} × {self.rows} cards of {_mm(self.card_width)} × "
                f"{_mm(self.card_height)} mm{gap} need {_mm(left + width)} × {_mm(top + height)} mm, "
                f"more than {paper.name.capitalize()} paper ({_mm(paper.width)} × "
                f"{_mm(paper.height)} mm); use smaller cards, fewer columns or rows, or a smaller gap"
            )
        grid = CardGrid(
            paper,
            self.card_width,
            self.card_height,
            self.columns,
            self.rows,
            column_gap,
            row_gap,
            self.margins,
        )
        check_printable(grid)
        return grid


def check_printable(grid: CardGrid) -> None:
    """StockError unless every card is on the paper and big enough to hold text.

    A card may reach the paper edge (A6 on A4): its text stays CARD_PADDING (5 mm) inside the
    card, so a card on the paper keeps its ink in the printable area."""
    too_small = 2 * CARD_PADDING + 10 * MM
    if grid.card_width < too_small or grid.card_height < too_small:
        raise StockError(
            f"cards of {_mm(grid.card_width)} × {_mm(grid.card_height)} mm are too small: text "
            f"stays {_mm(CARD_PADDING)} mm inside each edge, so a card needs to be at least "
            f"{_mm(too_small)} mm in both directions"
        )
    sheet = Box(0, 0, grid.paper.width, grid.paper.height)
    if not all(sheet.contains(box) for box in grid.card_boxes()):
        raise StockError(
            f"the cards do not fit on {grid.paper.name.capitalize()} paper; "
            "use smaller cards or smaller margins"
        )


def _stock(name: str, description: str, size: tuple[float, float], layout: tuple[int, int], **kw):
    return Stock(name, description, size[0], size[1], layout[0], layout[1], **kw)


STOCKS: dict[str, Stock] = {
    s.name: s
    for s in (
        _stock("a4-2x3", "plain A4, cut into 6 cards", (95 * MM, 92 * MM), (2, 3), paper="a4"),
        _stock("a4-2x4", "plain A4, cut into 8 cards", (95 * MM, 69 * MM), (2, 4), paper="a4"),
        _stock("a4-3x3", "plain A4, cut into 9 cards", (65 * MM, 92 * MM), (3, 3), paper="a4"),
        _stock(
            "letter-2x3",
            "plain Letter, cut into 6 cards",
            (98 * MM, 86 * MM),
            (2, 3),
            paper="letter",
        ),
        _stock(
            "letter-2x4",
            "plain Letter, cut into 8 cards",
            (98 * MM, 64 * MM),
            (2, 4),
            paper="letter",
        ),
        _stock("a6", "A6 cards: A4 cut in four", (105 * MM, 148 * MM), (2, 2), paper="a4"),
        _stock(
            "a7", "A7 cards (landscape): A4 cut in eight", (105 * MM, 74 * MM), (2, 4), paper="a4"
        ),
        _stock("poker", "poker-size cards, on A4 or Letter", (63 * MM, 88 * MM), (3, 3)),
        # Margins from Avery's templates, so that the cards land on the perforations.
        _stock(
            "avery-5371",
            "Avery 5371 business cards (perforated)",
            (3.5 * INCH, 2 * INCH),
            (2, 5),
            paper="letter",
            margins=(0.75 * INCH, 0.5 * INCH),
            perforated=True,
        ),
        _stock(
            "avery-5388",
            "Avery 5388 index cards (perforated)",
            (5 * INCH, 3 * INCH),
            (1, 3),
            paper="letter",
            margins=(1.75 * INCH, 1 * INCH),
            perforated=True,
        ),
        _stock(
            "avery-c32011",
            "Avery C32011 business cards (perforated)",
            (85 * MM, 54 * MM),
            (2, 5),
            paper="a4",
            column_gap=10 * MM,
            margins=(15 * MM, 13.5 * MM),
            perforated=True,
        ),
    )
}

# The stock used when none is chosen, by paper.
DEFAULT_STOCKS = {"a4": "a4-2x3", "letter": "letter-2x3"}


def custom_stock(
    paper: Paper,
    card_width: float | None,
    card_height: float | None,
    columns: int | None,
    rows: int | None,
) -> Stock:
    """A stock from the user's card size and/or columns × rows on `paper`.

    Without a card size the cards fill the paper inside 10 mm margins; without columns or rows,
    as many cards as fit are used.
    """
    if (card_width is None) != (card_height is None):
        raise StockError("a custom card size needs both card_width and card_height")
    if card_width is None or card_height is None:
        columns, rows = columns or 2, rows or 3
        margin = 10 * MM
        card_width = (paper.width - 2 * margin) / columns
        card_height = (paper.height - 2 * margin) / rows
    else:
        columns = columns or max(1, int((paper.width + 1e-6) // card_width))
        rows = rows or max(1, int((paper.height + 1e-6) // card_height))
    return Stock(
        "custom",
        "your own card size",
        card_width,
        card_height,
        columns,
        rows,
        paper=None,
    )


_OFFSET = re.compile(
    r"^\s*([-+−]?\d+(?:\.\d+)?)\s*(?:mm)?\s*[,;]\s*([-+−]?\d+(?:\.\d+)?)\s*(?:mm)?\s*$"
)
MAX_OFFSET = 5.0  # mm: a larger error is a paper feed problem, not a misregistration


def parse_offset(text: str) -> tuple[float, float]:
    """Read a back offset "X,Y" in millimetres (like "1.5,-2") as points."""
    match = _OFFSET.match(str(text))
    if not match:
        raise ValueError(
            f"must be two numbers in mm separated by a comma, like 1.5,-2 (not '{text}')"
        )
    x, y = (float(v.replace("−", "-")) for v in match.groups())
    if abs(x) > MAX_OFFSET or abs(y) > MAX_OFFSET:
        raise ValueError(
            f"must be at most {MAX_OFFSET:g} mm each way (not '{text}'); measure it with "
            "printkit calibrate"
        )
    return (x * MM, y * MM)
