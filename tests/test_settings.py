"""Settings resolved once: default < printer profile < deck < command line, with their source."""

from __future__ import annotations

from pathlib import Path

import pytest

from printkit.errors import OptionError
from printkit.options import Option, Setting
from printkit.printers import Printers
from printkit.settings import resolve_layouts

OPTIONS = {
    "cards": (
        Option("flip", "long", "flip edge", kind="choice", choices=("long", "short")),
        Option("gap", "0", "gap", kind="int", minimum=0, maximum=9),
        Option("columns", "2", "columns", kind="int", minimum=1, maximum=4),
        Option("printer", "", "printer profile"),
    ),
    "sheet": (Option("columns", "3", "columns", kind="int", minimum=1, maximum=4),),
}
PRINTERS = Printers(
    Path("printkit.yaml"),
    {
        "office": (
            Setting(None, "flip", "short", Path("printkit.yaml"), 4),
            Setting(None, "gap", "3", Path("printkit.yaml"), 5),
        )
    },
    default="office",
)


def test_each_layer_overrides_the_one_below_and_is_recorded():
    deck = [
        Setting(None, "gap", "5", Path("d.yaml"), 7),
        Setting("cards", "columns", "1", Path("d.yaml"), 8),
    ]
    cli = [Setting(None, "columns", "4", "--set columns=4")]
    settings, problems = resolve_layouts(OPTIONS, OPTIONS, deck, cli, PRINTERS)
    assert problems == []
    cards, sheet = settings["cards"], settings["sheet"]
    # flip from the profile, gap from the deck over the profile, columns from the command line
    assert (cards["flip"], cards["gap"], cards["columns"], sheet["columns"]) == ("short", 5, 4, 4)
    assert str(cards.source("flip").problem("x")) == "printkit.yaml:4: x"
    assert str(cards.source("gap").problem("x")) == "d.yaml:7: x"
    assert str(cards.source("columns").problem("x")) == "--set columns=4: x"
    assert cards.source("printer") is None  # the default, set by nobody
    # Without a profile and settings, every value is the layout's default.
    plain, _ = resolve_layouts(OPTIONS, OPTIONS)
    assert dict(plain["cards"]) == {"flip": "long", "gap": 0, "columns": 2, "printer": ""}


def test_deck_problems_name_the_deck_line_and_a_missing_profile_is_refused():
    deck = [
        Setting(None, "gap", "12", Path("d.yaml"), 3),
        Setting(None, "colums", "2", Path("d.yaml"), 4),
    ]
    _, problems = resolve_layouts({"cards": OPTIONS["cards"]}, OPTIONS, deck)
    assert [str(p) for p in problems] == [
        "d.yaml:4: no layout has an option 'colums' (did you mean 'columns'?)",
        "d.yaml:3: gap must be at most 9, not '12'",
    ]
    asked = [Setting(None, "printer", "library", "--printer library")]
    with pytest.raises(OptionError, match=r"^--printer library: printkit.yaml has no printer"):
        resolve_layouts(OPTIONS, OPTIONS, command_line=asked, printers=PRINTERS)
