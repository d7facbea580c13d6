"""Rebuilding only what changed, and building many decks at once with the same result."""

from __future__ import annotations

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
