"""Rebuilding only what changed, and building many decks at once with the same result."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED_DECK

GOOD = "title: Good\ncards:\n  - question: Q\n    answer: A\n"


def test_an_unchanged_deck_is_up_to_date(run, tmp_path, write_deck):
    deck = write_deck(GOOD)
    out = tmp_path / "out"
    first = run("build", deck, "--out", out, "--layout", "flashcards")
    assert first.output == f"wrote {out / 'deck-flashcards.pdf'} (2 pages)\n"
    pdf = (out / "deck-flashcards.pdf").stat().st_mtime_ns

    second = run("build", deck, "--out", out, "--layout", "flashcards")
    assert second.exit_code == 0
    assert second.output == f"up to date {out / 'deck-flashcards.pdf'} (2 pages)\n"
    assert (out / "deck-flashcards.pdf").stat().st_mtime_ns == pdf

    forced = run("build", deck, "--out", out, "--layout", "flashcards", "--force")
    assert forced.output == f"wrote {out / 'deck-flashcards.pdf'} (2 pages)\n"


def test_a_change_to_the_deck_options_or_the_pdf_rebuilds(run, tmp_path, write_deck):
    deck = write_deck(GOOD)
    out = tmp_path / "out"
    args = ("build", deck, "--out", out, "--layout", "flashcards")
    run(*args)
    write_deck(GOOD.replace("answer: A", "answer: B"))
    assert run(*args).output.startswith("wrote ")
    assert run(*args, "--paper", "letter").output.startswith("wrote ")
    assert run(*args, "--paper", "letter").output.startswith("up to date ")
    (out / "deck-flashcards.pdf").write_bytes(b"edited by hand")
    assert run(*args, "--paper", "letter").output.startswith("wrote ")
    (out / "deck-flashcards.pdf").unlink()
    assert run(*args, "--paper", "letter").output.startswith("wrote ")


def test_parallel_build_gives_the_same_files_output_and_status(run, tmp_path, write_deck):
    for i in range(4):
        write_deck(SEED_DECK.read_text(encoding="utf-8"), f"deck{i}.yaml")
    write_deck("title: Broken\ncards: []\n", "deck9-bad.yaml")
    results = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = run("build", tmp_path / "decks", "--out", out, "--jobs", jobs)
        files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        results[jobs] = (result.exit_code, result.output.replace(str(out), "OUT"), files)
    assert results["1"][0] == results["2"][0] == 1
    assert results["1"][1] == results["2"][1]
    assert "deck9-bad.yaml:2: the deck has no cards" in results["1"][1]
    assert results["1"][2] == results["2"][2]
    assert len([name for name in results["1"][2] if name.endswith(".pdf")]) >= 4


def test_the_kept_code_digest_follows_an_edit_of_printkits_code(tmp_path, monkeypatch):
    """The digest of printkit's code is kept under the files' sizes and times; a changed file
    (here a copy of the code, edited) gives a new digest, the same as one computed afresh."""
    import shutil

    import printkit
    from printkit import freshness

    code = tmp_path / "printkit"
    shutil.copytree(Path(printkit.__file__).parent, code)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(printkit, "__path__", [str(code)])

    def digest() -> str:
        freshness._code_digest.cache_clear()
        return freshness._code_digest()

    first = digest()
    assert (tmp_path / "cache" / "printkit" / "code-digest").is_file()
    assert digest() == first  # read back from the cache folder
    (code / "build.py").write_text((code / "build.py").read_text() + "\n# edited\n")
    edited = digest()
    assert edited != first
    (tmp_path / "cache" / "printkit" / "code-digest").unlink()
    assert digest() == edited  # the same as computed without a kept one
    freshness._code_digest.cache_clear()
