"""Engine errors are plain Problem records; the command line prints them one per line."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from printkit.errors import DeckError, LayoutError, Problem

CUSTOM = """\
from printkit.errors import FitError, LayoutError, Problem

NAME = "{name}"
DESCRIPTION = "raises"
OPTIONS = ()


def render(deck, options, output):
    raise {raised}
"""


def test_a_problem_reads_as_path_line_message():
    assert str(Problem(Path("d.yaml"), 3, "bad")) == "d.yaml:3: bad"
    assert str(Problem("d.yaml", None, "bad")) == "d.yaml: bad"
    assert str(Problem(None, None, "bad")) == "bad"
    assert str(Problem(None, None, "bad").placed("d.yaml", "summary")) == "d.yaml: summary: bad"
    # A problem that names its own file keeps it (and gets no layout) when placed in a deck.
    assert str(Problem("x.py", 7, "bad").placed("d.yaml", "summary")) == "x.py:7: bad"


def test_errors_cross_process_boundaries_whole():
    error = DeckError([Problem(Path("d.yaml"), 3, "bad"), "loose"])
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is DeckError
    assert again.problems == error.problems
    assert again.messages == ["d.yaml:3: bad", "loose"]


def test_the_engine_does_not_import_click():
    code = (
        "import sys, printkit.build, printkit.deck, printkit.printers, printkit.importers, "
        "layouts.flashcards, layouts.summary, layouts.worksheet; print('click' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert done.stdout.strip() == "False"
    assert not issubclass(LayoutError, __import__("click").ClickException)


def test_custom_layout_errors_are_placed_in_the_deck(run, tmp_path, monkeypatch, write_deck):
    for stem in ("a", "b"):
        write_deck("title: T\ncards:\n  - question: Q\n    answer: A\n", f"{stem}.yaml")
    (tmp_path / "layouts").mkdir()
    raised = {
        "plain": 'LayoutError("too plain")',
        "fit": 'FitError(Problem(deck.path, 3, "too long"))',
        "two": 'LayoutError(["first", Problem("elsewhere.txt", None, "second")])',
    }
    for name, raise_ in raised.items():
        (tmp_path / "layouts" / f"{name}.py").write_text(CUSTOM.format(name=name, raised=raise_))
    monkeypatch.chdir(tmp_path)
    expected = "".join(
        f"Error: decks/{stem}.yaml: plain: too plain\n"
        f"Error: decks/{stem}.yaml:3: too long\n"
        f"Error: decks/{stem}.yaml: two: first\n"
        "Error: elsewhere.txt: second\n"
        for stem in ("a", "b")
    )
    for jobs in ("1", "2"):  # the same lines whether built in this process or in workers
        layouts = [a for name in raised for a in ("--layout", name)]
        result = run("build", "decks", "--jobs", jobs, *layouts)
        assert (result.exit_code, result.output) == (1, expected)
