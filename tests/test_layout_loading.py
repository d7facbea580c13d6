"""Layouts are found by name, and a built-in one is imported only when a build needs it."""

from __future__ import annotations

import sys
from pathlib import Path

from fresh_build import modules_after_build

from printkit.layout_loader import available_layouts

DECK = "title: T\ncards:\n  - question: Why?\n    answer: Because.\n"


def test_each_built_in_layout_is_found_by_the_name_it_gives_itself():
    layouts = available_layouts()
    assert list(layouts) == ["flashcards", "summary", "worksheet", "answers", "quiz", "quiz-key"]
    for name, layout in layouts.items():
        module = sys.modules[layout.render.__module__]
        assert getattr(module, "NAME", module.__name__.rpartition(".")[2]) == name
        assert layout.name == name


def test_a_build_of_some_layouts_without_settings_imports_only_those(tmp_path, write_deck):
    deck = write_deck(DECK)
    chosen = ["--layout", "flashcards", "--layout", "worksheet"]
    modules, _ = modules_after_build([str(deck), "--out", str(tmp_path / "out"), *chosen], tmp_path)
    assert sorted(m for m in modules if m.startswith("printkit.layouts.")) == [
        "printkit.layouts._classroom",
        "printkit.layouts.flashcards",
        "printkit.layouts.worksheet",
    ]
    assert sorted(p.name for p in Path(tmp_path / "out").glob("*.pdf")) == [
        "deck-flashcards.pdf",
        "deck-worksheet.pdf",
    ]


def test_settings_are_still_checked_against_the_layouts_not_built(run, tmp_path, write_deck):
    deck = write_deck(DECK)
    # `choices` is an option of the quizzes only: building the flashcards still checks it.
    ok = run("build", deck, "--out", tmp_path / "a", "--layout", "flashcards", "--set", "choices=3")
    assert ok.exit_code == 0, ok.output
    bad = run(
        "build", deck, "--out", tmp_path / "b", "--layout", "flashcards", "--set", "choices=9"
    )
    assert bad.exit_code == 2
    assert "Error: --set choices=9: choices must be at most 6, not '9'" in bad.output
    typo = write_deck(DECK.replace("cards:", "options:\n  choises: 3\ncards:"), "typo.yaml")
    result = run("build", typo, "--out", tmp_path / "c", "--layout", "flashcards")
    assert result.exit_code == 1
    assert f"{typo}:3: no layout has an option 'choises' (did you mean 'choices'?)" in result.output
