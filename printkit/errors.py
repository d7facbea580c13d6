"""The one error hierarchy: everything a user can cause and fix, shown as a sentence."""

from __future__ import annotations

import click


class PrintkitError(click.ClickException):
    """A problem the user can fix; the CLI prints its message and exits with status 1."""

    exit_code = 1

    def show(self, file=None) -> None:  # type: ignore[override]
        # click prefixes "Error: "; our messages already start with "path:line:" where they can.
        click.echo(f"Error: {self.format_message()}", err=True, file=file)


class DeckError(PrintkitError):
    """A deck file is not valid; holds every problem found in it, each as "path:line: message"."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):
        # Rebuilt from its list of problems when it crosses from a worker process.
        return (type(self), (self.problems,))

    def show(self, file=None) -> None:  # type: ignore[override]
        for problem in self.problems:
            click.echo(f"Error: {problem}", err=True, file=file)


class OptionError(PrintkitError):
    """A layout option has a wrong name or value (in a deck or on the command line)."""


class LayoutError(PrintkitError):
    """A layout cannot be found or cannot lay out this deck (for example text too long)."""


class FitError(LayoutError):
    """Text does not fit where it must go, even at the smallest readable size."""


class PrinterFileError(DeckError):
    """The workspace's printkit.yaml (printer profiles) is not valid; every problem is listed."""
