"""Layout settings checked and resolved in one place, for the command line, printers and builds.

A layout's value for an option comes from, lowest precedence first: the layout's default, the
printer profile (printkit.yaml), the deck's `options:` and the command line (`--set`, flags).
The command line and the printer profiles are checked once per run, before any deck is read;
a deck's own settings when it is built. Each built layout gets one `Settings`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from printkit.deck import Deck
from printkit.errors import OptionError, Problem
from printkit.options import Option, Setting, Settings, check_settings, resolve
from printkit.printers import WORKSPACE_FILE, Printers

__all__ = [
    "Settings",
    "chosen_profile",
    "deck_settings",
    "layer_problems",
    "printers_problems",
    "resolve_layouts",
]


def deck_settings(deck: Deck) -> list[Setting]:
    """A deck's `options:` as settings, each at its line of the deck file."""
    return [Setting(s.layout, s.name, s.value, deck.path, s.line) for s in deck.options]


def layer_problems(
    settings: Sequence[Setting], layouts: Mapping[str, Sequence[Option]]
) -> list[Problem]:
    """Every setting of one layer (the command line, a printer profile) that names an option
    no layout has, or gives a value a layout refuses: checked once, not once per deck."""
    if not settings:
        return []  # without looking at (importing) the layouts
    problems = check_settings(settings, layouts)
    for name, options in layouts.items():
        problems += [p for p in resolve(name, options, settings)[1] if p not in problems]
    return problems


def printers_problems(printers: Printers, layouts: Mapping[str, Sequence[Option]]) -> list[Problem]:
    """Every printer-profile value that no layout accepts, checked once before any deck."""
    problems: list[Problem] = []
    for settings in printers.profiles.values():
        problems += [p for p in layer_problems(settings, layouts) if p not in problems]
    return problems


def chosen_profile(printers: Printers | None, settings: Iterable[Setting]) -> list[Setting]:
    """The settings of the printer profile chosen by the last `printer` setting (deck or command
    line), or by the workspace default; none when no profile is chosen. OptionError when the
    profile asked for does not exist."""
    chosen = [s for s in settings if s.name == "printer" and s.value]
    if chosen:
        asked, name = chosen[-1], chosen[-1].value
    elif printers is not None and printers.default:
        return list(printers.profiles[printers.default])
    else:
        return []
    if printers is None:
        raise OptionError(
            asked.problem(
                f"printer {name} is asked for, but there is no {WORKSPACE_FILE} here; "
                "create one with a printers: entry (see printkit calibrate)"
            )
        )
    if name not in printers.profiles:
        known = ", ".join(printers.profiles) or "none yet"
        import difflib  # only a misspelt name needs it: 1 ms of import off other builds

        close = difflib.get_close_matches(name, list(printers.profiles), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise OptionError(
            asked.problem(f"{printers.path} has no printer '{name}'{hint} (printers: {known})")
        )
    return list(printers.profiles[name])


def resolve_layouts(
    layouts: Mapping[str, Sequence[Option]],
    all_layouts: Mapping[str, Sequence[Option]],
    deck: Sequence[Setting] = (),
    command_line: Sequence[Setting] = (),
    printers: Printers | None = None,
) -> tuple[dict[str, Settings], list[Problem]]:
    """The settings of each layout to build (name → its options), and every problem with the
    deck's settings: a name no layout of `all_layouts` knows (a deck may carry options for
    layouts not built in this run), or a value one of `layouts` refuses.

    The layers stack as default < printer profile < deck < command line; the profile is the one
    the deck or the command line names, else the workspace default (OptionError if it is
    missing). The command line and profiles are assumed checked already (`layer_problems`).
    """
    problems = check_settings(deck, all_layouts)
    layered = [*chosen_profile(printers, [*deck, *command_line]), *deck, *command_line]
    resolved = {}
    for name, options in layouts.items():
        resolved[name], wrong = resolve(name, options, layered)
        problems += [p for p in wrong if p not in problems]
    return resolved, problems
