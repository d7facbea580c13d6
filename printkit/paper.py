"""Paper sizes, lengths with units, and boxes: the pure geometry every layout stands on.

Coordinates are PDF points (1/72 in) with the origin at the bottom-left of the page, as in
reportlab, so a box's `y` is its bottom edge.
"""

import re
from typing import NamedTuple

from printkit.records import checked

MM = 72 / 25.4
INCH = 72.0

# Most printers cannot put ink within about 4–5 mm of the paper edge; nothing goes there.
SAFE_MARGIN = 5 * MM

_UNITS = {"mm": MM, "cm": 10 * MM, "in": INCH, "pt": 1.0}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(mm|cm|in|pt)?\s*$")


def parse_length(text: str, default_unit: str = "mm") -> float:
    """Read a length such as "63mm", "2.5in", "10 pt" or "12" (in default_unit) as points.

    Raises ValueError with a sentence a user can act on.
    """
    match = _LENGTH.match(str(text))
    if not match:
        raise ValueError(
            f"'{text}' is not a length; write a number with mm, cm, in or pt, like 63mm"
        )
    number, unit = match.groups()
    return float(number) * _UNITS[unit or default_unit]


class Paper(NamedTuple):
    name: str
    width: float
    height: float

    @property
    def size(self) -> tuple[float, float]:
        return (self.width, self.height)

    def landscape(self) -> "Paper":
        return Paper(self.name, self.height, self.width)

    def printable_area(self) -> "Box":
        """The part of the page where a printer can be trusted to put ink."""
        return Box(
            SAFE_MARGIN, SAFE_MARGIN, self.width - 2 * SAFE_MARGIN, self.height - 2 * SAFE_MARGIN
        )


PAPERS = {
    "a4": Paper("a4", 210 * MM, 297 * MM),
    "letter": Paper("letter", 8.5 * INCH, 11 * INCH),
}


@checked
class Box(NamedTuple):
    """A rectangle on the page: (x, y) is its bottom-left corner."""

    x: float
    y: float
    width: float
    height: float

    def _check(self) -> None:
        if self.width < 0 or self.height < 0:
            raise ValueError(f"a box cannot have a negative size: {self}")

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def inset(self, dx: float, dy: float | None = None) -> "Box":
        """The box shrunk by dx on the left and right and dy (default dx) at top and bottom."""
        dy = dx if dy is None else dy
        return Box(
            self.x + dx, self.y + dy, max(0.0, self.width - 2 * dx), max(0.0, self.height - 2 * dy)
        )

    def contains(self, other: "Box", tolerance: float = 1e-6) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.top <= self.top + tolerance
        )
