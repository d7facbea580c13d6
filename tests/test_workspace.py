"""`printkit new` and `printkit init`: starting points that build at once."""

from __future__ import annotations

import pdfplumber
from conftest import squash

from printkit.deck import load_deck


def test_new_writes_a_deck_that_loads_and_builds(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "french-verbs")
    assert result.exit_code == 0, result.output
    path = tmp_path / "decks" / "french-verbs.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# Each card starts with" in text
    deck = load_deck(path)
    assert deck.title == "French verbs"
    assert deck.cards[0].question == "What is the capital of France?"
    built = run("build", path)
    assert built.exit_code == 0, built.output
    assert (tmp_path / "output" / "french-verbs-flashcards.pdf").is_file()


def test_new_takes_a_title_and_never_overwrites(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("new", "quiz.yaml", "--title", "yes: a title").exit_code == 0
    path = tmp_path / "decks" / "quiz.yaml"
    assert load_deck(path).title == "yes: a title"
    path.write_text("mine", encoding="utf-8")
    again = run("new", "quiz")
    assert again.exit_code == 1
    assert again.output == (
        "Error: decks/quiz.yaml already exists, so nothing was written; "
        "use --force to overwrite, or choose another name\n"
    )
    assert path.read_text(encoding="utf-8") == "mine"
    assert run("new", "quiz", "--force").exit_code == 0
    assert load_deck(path).title == "Quiz"


def test_new_refuses_a_path_for_a_name(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "../elsewhere")
    assert result.exit_code == 1
    assert "give a plain name such as french-verbs" in result.output


def test_init_makes_a_workspace_that_builds_at_once(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "study")
    assert result.exit_code == 0, result.output
    study = tmp_path / "study"
    assert sorted(p.name for p in study.iterdir()) == ["README.md", "decks", "layouts", "output"]
    assert [p.name for p in (study / "layouts").iterdir()] == ["checklist.py"]

    monkeypatch.chdir(study)
    listed = run("layouts")
    assert "checklist: A revision checklist" in listed.output
    built = run("build")
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in (study / "output").glob("*.pdf")) == [
        "example-answers.pdf",
        "example-checklist.pdf",
        "example-flashcards.pdf",
        "example-quiz-key.pdf",
        "example-quiz.pdf",
        "example-summary.pdf",
        "example-worksheet.pdf",
    ]
    with pdfplumber.open(study / "output" / "example-summary.pdf") as pdf:
        text = squash(" ".join(page.extract_text() for page in pdf.pages))
    assert "What is evaporation?" in text
    assert "Liquid water turning into water vapour" in text
    assert "• rain • snow • sleet • hail" in text


def test_init_in_the_current_folder_never_overwrites(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("my notes", encoding="utf-8")
    result = run("init")
    assert result.exit_code == 1
    assert result.output == (
        "Error: README.md already exists, so nothing was written; use --force to overwrite\n"
    )
    assert not (tmp_path / "decks").exists()
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "my notes"
    assert run("init", "--force").exit_code == 0
    assert (tmp_path / "decks" / "example.yaml").is_file()


def test_the_example_layout_option_is_settable(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("init")
    result = run("build", "--layout", "checklist", "--set", "checklist.rounds=5")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "output" / "example-checklist.pdf") as pdf:
        page = pdf.pages[0]
        questions = [line for line in page.extract_text().splitlines() if line[:1].isdigit()]
        assert len(page.rects) == 5 * len(questions) > 0
