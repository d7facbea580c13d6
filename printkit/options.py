"""Layout options: declared once per layout, set in a deck's YAML or on the command line.

Precedence is layout default < deck YAML < command line. A setting names an option either
bare (`paper`), applying to every layout that has it, or for one layout (`summary.pages`).
Values always arrive as text (YAML scalars are kept as typed), so there is one coercion path.
"""

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from printkit.errors import OptionError, Problem
from printkit.paper import MM, PAPERS, parse_length

_TRUE = {"yes", "true", "on", "1"}
_FALSE = {"no", "false", "off", "0"}


class Option(NamedTuple):
    """One option of a layout: its name, default, a one-line help and how to read a value.

    kind is one of: text, choice, int, number, length (mm/in/pt, read as points), bool, paper.
    Every int, number and length option has a maximum (a length's in points): a typo such as
    pages=999999999999 is refused instead of running for hours.
    """

    name: str
    default: Any
    help: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], None] | None = None
    # Shared by several layouts that must agree (a worksheet and its answer key use the same
    # seed): it can only be set for all of them, never for one layout by name.
    shared: bool = False

    def describe_values(self) -> str:
        if self.kind in ("choice", "paper"):
            return "|".join(self.choices or tuple(PAPERS))
        bounds = ""
        if self.kind == "length":
            if self.maximum is not None:
                bounds = f" up to {self.shown(self.maximum)}"
        elif self.minimum is not None and self.maximum is not None:
            bounds = f" {self.shown(self.minimum)}–{self.shown(self.maximum)}"
        elif self.minimum is not None:
            bounds = f" ≥ {self.shown(self.minimum)}"
        return {
            "int": "whole number",
            "number": "number",
            "length": "length (mm, in, pt)",
            "bool": "yes|no",
            "text": "text",
        }.get(self.kind, self.kind) + bounds

    def shown(self, bound: float) -> str:
        """A bound as a user would type it: 26, 1.5, or 300mm for a length."""
        if self.kind == "length":
            return f"{bound / MM:g}mm"
        return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"

    def coerce(self, raw: str) -> Any:
        """Turn typed text into this option's value; ValueError says what was expected."""
        text = str(raw).strip()
        if self.kind == "text":
            value: Any = text
        elif self.kind in ("choice", "paper"):
            choices = self.choices or tuple(PAPERS)
            if text.lower() not in choices:
                raise ValueError(f"must be one of {', '.join(choices)}, not '{text}'")
            value = PAPERS[text.lower()] if self.kind == "paper" else text.lower()
        elif self.kind == "bool":
            if text.lower() not in _TRUE | _FALSE:
                raise ValueError(f"must be yes or no, not '{text}'")
            value = text.lower() in _TRUE
        elif self.kind == "int":
            try:
                value = int(text)
            except ValueError:
                raise ValueError(f"must be a whole number, not '{text}'") from None
        elif self.kind == "number":
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"must be a number, not '{text}'") from None
            if not math.isfinite(value):  # "nan" and "inf" read as floats, but are not sizes
                raise ValueError(f"must be a number, not '{text}'")
        elif self.kind == "length":
            value = parse_length(text)
            if value < 0:
                raise ValueError(f"cannot be negative, not '{text}'")
        else:  # a layout declared a kind we do not know: a programming error
            raise AssertionError(f"unknown option kind {self.kind!r}")
        if self.kind in ("int", "number", "length"):
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"must be at least {self.shown(self.minimum)}, not '{text}'")
            if self.maximum is not None and value > self.maximum + 1e-6:
                raise ValueError(f"must be at most {self.shown(self.maximum)}, not '{text}'")
        if self.check is not None:
            self.check(value)
        return value


# Options every layout has.
MARKUPS = ("markdown", "plain")


def _font_file(value: str) -> None:
    # Imported here: reading the font is the check, and `--help` must stay instant.
    from printkit.fonts import check_font_file

    check_font_file(value)


COMMON_OPTIONS: tuple[Option, ...] = (
    Option("paper", "a4", "paper size", kind="paper"),
    Option(
        "markup",
        "markdown",
        "markdown: read **bold**, *italic*, `code`, H~2~O, x^2^, $maths$ and "
        "![description](picture.png) in card text; plain: print every text exactly as typed",
        kind="choice",
        choices=MARKUPS,
    ),
    Option(
        "font",
        "",
        "your own TrueType font (PATH.ttf, from the folder you run printkit in) for card text; "
        "italic is set upright in it; characters it lacks come from the bundled fonts",
        check=_font_file,
    ),
    Option(
        "bold_font",
        "",
        "the bold of your own font (PATH.ttf); without it bold text is set in font",
        check=_font_file,
    ),
)


class Setting(NamedTuple):
    """A value typed by the user for an option, and where it was typed (for messages)."""

    layout: str | None
    name: str
    value: str
    where: Path | str  # the file it was typed in, or the flag: "--set summary.pages=2"
    line: int | None = None  # its line in that file

    def problem(self, message: str) -> Problem:
        """A problem with this setting, placed where it was typed."""
        return Problem(self.where, self.line, message)


def parse_cli_setting(text: str) -> Setting:
    """Read `--set NAME=VALUE` or `--set LAYOUT.NAME=VALUE`."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise OptionError(
            Problem(
                f"--set {text}", None, "write it as NAME=VALUE or LAYOUT.NAME=VALUE, like pages=2"
            )
        )
    layout, dot, name = key.strip().rpartition(".")
    return Setting(layout if dot else None, name.strip(), value.strip(), f"--set {text}")


def check_settings(
    settings: Iterable[Setting], layouts: Mapping[str, Sequence[Option]]
) -> list[Problem]:
    """Problems with settings whose layout or option name no layout knows (every layout, so a
    deck can carry options for layouts not built in this run)."""
    settings = list(settings)
    if not settings:
        return []  # the layouts are not even looked at: a built-in one is imported when read
    problems = []
    all_names = sorted({o.name for options in layouts.values() for o in options})
    for s in settings:
        if s.layout is not None and s.layout not in layouts:
            problems.append(
                s.problem(
                    f"there is no layout named '{s.layout}'{_did_you_mean(s.layout, layouts)}"
                )
            )
        elif s.layout is not None:
            by_name = {o.name: o for o in layouts[s.layout]}
            if s.name not in by_name:
                problems.append(
                    s.problem(
                        f"the {s.layout} layout has no option '{s.name}'"
                        f"{_did_you_mean(s.name, by_name, ', '.join(by_name))}"
                    )
                )
            elif by_name[s.name].shared:
                sharing = [
                    name
                    for name, options in layouts.items()
                    if any(o.name == s.name for o in options)
                ]
                problems.append(
                    s.problem(
                        f"{s.name} is shared by the {', '.join(sharing[:-1])} and {sharing[-1]} "
                        f"layouts so that they match; set it for all of them, without "
                        f"'{s.layout}.' in front"
                    )
                )
        elif s.name not in all_names:
            listing = ", ".join(all_names)
            problems.append(
                s.problem(
                    f"no layout has an option '{s.name}'{_did_you_mean(s.name, all_names, listing)}"
                )
            )
    return problems


@dataclass(frozen=True, eq=False)
class Settings(Mapping[str, Any]):
    """One layout's option values, resolved and checked, read like a dict (`settings["paper"]`).

    `sources` holds, for each value that was set rather than left at its default, the setting
    it came from (a printer profile, a deck line or a command-line flag), so a message about a
    value can point at the place the user typed it.
    """

    layout: str
    values: Mapping[str, Any]
    sources: Mapping[str, Setting] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def source(self, name: str) -> Setting | None:
        """The setting that gave `name` its value; None when it is the layout's default."""
        return self.sources.get(name)


def resolve(
    layout: str, options: Sequence[Option], settings: Iterable[Setting]
) -> tuple[Settings, list[Problem]]:
    """The option values for one layout, and the problems with the values given for it.

    `settings` come in increasing precedence (profile, deck, then command line); later wins.
    """
    by_name = {o.name: o for o in options}
    values = {
        o.name: (o.coerce(o.default) if isinstance(o.default, str) else o.default) for o in options
    }
    sources: dict[str, Setting] = {}
    problems = []
    for s in settings:
        if s.layout not in (None, layout) or s.name not in by_name:
            continue
        try:
            values[s.name] = by_name[s.name].coerce(s.value)
            sources[s.name] = s
        except ValueError as error:
            problems.append(s.problem(f"{s.name} {error}"))
    return Settings(layout, MappingProxyType(values), MappingProxyType(sources)), problems


def _did_you_mean(word: str, choices: Iterable[str], listing: str | None = None) -> str:
    import difflib  # only a misspelt name needs it: 1 ms of import off other builds

    close = difflib.get_close_matches(word, list(choices), n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f"; choose from {listing or ', '.join(sorted(choices))}"
