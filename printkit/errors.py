"""The one error hierarchy: everything a user can cause and fix, as plain `Problem` records.

The engine knows nothing of the command line: it raises these, and `printkit.cli` prints each
problem as one line `Error: path:line: message` and exits with status 1. Custom layouts may
raise them too (`from printkit.errors import LayoutError, FitError`), with a sentence or with
`Problem`s; a problem without a file is placed in the deck and layout it came from.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong, where it is: `path:line: message` (path and line when they are known).

    `path` is the file the problem is in (or the command-line flag that set a wrong value);
    `layout` names the layout (and its part) a problem found while laying out a deck is about.
    """

    path: Path | str | None
    line: int | None
    message: str
    layout: str | None = None

    def __str__(self) -> str:
        place = ""
        if self.path is not None:
            place = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return place + (f"{self.layout}: " if self.layout else "") + self.message

    def placed(self, path: Path | str, layout: str | None = None) -> "Problem":
        """This problem in `path` (and about `layout`), unless it already names its file."""
        if self.path is not None:
            return self
        return self._replace(path=path, layout=self.layout or layout)


class PrintkitError(Exception):
    """Problems the user can fix: made from one sentence, one `Problem`, or several of either."""

    def __init__(self, problems: str | Problem | Iterable[str | Problem]) -> None:
        if isinstance(problems, str | Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(
            p if isinstance(p, Problem) else Problem(None, None, str(p)) for p in problems
        )
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """Each problem as the line a user reads (without the "Error: " the CLI puts first)."""
        return [str(p) for p in self.problems]

    def placed(self, path: Path | str, layout: str | None = None) -> list[Problem]:
        """The problems, each placed in `path` and `layout` unless it names its own file."""
        return [p.placed(path, layout) for p in self.problems]

    def __reduce__(self):
        # Rebuilt from its problems when it crosses from a worker process.
        return (type(self), (self.problems,))


class DeckError(PrintkitError):
    """A deck file is not valid; holds every problem found in it."""


class OptionError(PrintkitError):
    """A layout option has a wrong name or value (in a deck or on the command line)."""


class LayoutError(PrintkitError):
    """A layout cannot be found or cannot lay out this deck (for example text too long)."""


class FitError(LayoutError):
    """Text does not fit where it must go, even at the smallest readable size."""


class PrinterFileError(DeckError):
    """The workspace's printkit.yaml (printer profiles) is not valid; every problem is listed."""
