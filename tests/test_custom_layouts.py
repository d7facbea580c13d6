"""A workspace's own layouts: the documented example works, and a local layout wins by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
from conftest import REPO, SEED_DECK, squash

from printkit.deck import load_deck

EXAMPLE = REPO / "printkit" / "templates" / "checklist.py"


def make_workspace(tmp_path: Path) -> Path:
    (tmp_path / "decks").mkdir()
    (tmp_path / "layouts").mkdir()
    shutil.copy(SEED_DECK, tmp_path / "decks")
    return tmp_path


def test_the_readme_shows_the_example_layout_as_it_is():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert EXAMPLE.read_text(encoding="utf-8").strip() in readme


def test_the_example_custom_layout_builds_with_its_option(run, tmp_path, monkeypatch):
    workspace = make_workspace(tmp_path)
    shutil.copy(EXAMPLE, workspace / "layouts" / "checklist.py")
    monkeypatch.chdir(workspace)
    listing = run("layouts").output
    assert "checklist: A revision checklist" in listing
    assert "  rounds (whole number 1–8, default 3): tick boxes per question" in listing

    result = run("build", "--layout", "checklist", "--set", "checklist.rounds=4")
    assert result.exit_code == 0, result.output
    assert result.output == "wrote output/stalin-foreign-policy-checklist.pdf (1 page)\n"
    with pdfplumber.open(workspace / "output" / "stalin-foreign-policy-checklist.pdf") as pdf:
        page = pdf.pages[0]
        text = squash(page.extract_text())
        for card in load_deck(SEED_DECK).cards:
            assert f"{card.number}. {card.question}" in text
        assert len(page.rects) == 6 * 4


def test_a_workspace_layout_overrides_a_builtin_of_the_same_name(run, tmp_path, monkeypatch):
    workspace = make_workspace(tmp_path)
    shutil.copy(EXAMPLE, workspace / "layouts" / "flashcards.py")
    monkeypatch.chdir(workspace)
    result = run("build", "--layout", "flashcards")
    assert result.exit_code == 0
    with pdfplumber.open(workspace / "output" / "stalin-foreign-policy-flashcards.pdf") as pdf:
        assert len(pdf.pages) == 1 and len(pdf.pages[0].rects) == 6 * 3


def test_a_broken_workspace_layout_is_reported_with_its_line(run, tmp_path, monkeypatch):
    workspace = make_workspace(tmp_path)
    (workspace / "layouts" / "broken.py").write_text("DESCRIPTION = 'x'\ndef render(:\n")
    monkeypatch.chdir(workspace)
    result = run("build")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: layouts/broken.py:2: this layout has a Python syntax error:"
    )


def test_a_layout_without_render_is_refused(run, tmp_path, monkeypatch):
    workspace = make_workspace(tmp_path)
    (workspace / "layouts" / "empty.py").write_text("DESCRIPTION = 'nothing'\n")
    monkeypatch.chdir(workspace)
    result = run("layouts")
    assert result.exit_code == 1
    assert result.output == (
        "Error: layouts/empty.py: a layout needs a DESCRIPTION text and a render(deck, options, output) "
        "function; see 'Custom layouts' in the README\n"
    )
