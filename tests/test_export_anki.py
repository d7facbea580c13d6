"""`printkit export anki`: an .apkg Anki reads, with ids that stay the same from one export to the next."""

from __future__ import annotations

import sqlite3
import sys
import zipfile
from pathlib import Path

from printkit.deck import load_deck


def read_apkg(path: Path, tmp_path: Path) -> dict:
    """The notes and decks of a package, read with sqlite3 as Anki would."""
    with zipfile.ZipFile(path) as archive:
        database = tmp_path / f"{path.stem}.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        notes = connection.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        card_decks = {row[0] for row in connection.execute("SELECT did FROM cards")}
        (decks_json,) = connection.execute("SELECT decks FROM col").fetchone()
    finally:
        connection.close()
    return {"notes": notes, "card_decks": card_decks, "decks_json": decks_json}


def test_seed_deck_exports_with_the_same_questions_and_answers(run, tmp_path, seed_deck):
    output = tmp_path / "seed.apkg"
    result = run("export", "anki", seed_deck, "-o", output)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {output} (6 notes); open it with Anki\n"
    package = read_apkg(output, tmp_path)
    fields = [note[1].split("\x1f") for note in package["notes"]]
    assert [question for question, _ in fields] == [c.question for c in load_deck(seed_deck).cards]
    assert fields[2] == [
        "What were the main issues Stalin had to deal with in terms of foreign policy",
        "<ul><li>The threat from Nazi Germany</li><li>China</li><li>Spanish Civil war</li></ul>",
    ]
    assert "History::Stalin's foreign policy" in package["decks_json"]


def test_text_is_escaped_and_tags_kept(run, tmp_path, write_deck):
    deck = write_deck(
        "title: Signs\ncards:\n"
        "  - question: Is 1 < 2 & 3 > 2?\n    answer: |-\n      yes\n      always\n"
        "    tags: [maths, two words]\n"
    )
    output = tmp_path / "signs.apkg"
    assert run("export", "anki", deck, "-o", output).exit_code == 0
    [(_, fields, tags)] = read_apkg(output, tmp_path)["notes"]
    assert fields == "Is 1 &lt; 2 &amp; 3 &gt; 2?\x1fyes<br>always"
    assert tags.split() == ["maths", "two_words"]


def test_same_deck_twice_gives_the_same_ids_and_bytes(run, tmp_path, seed_deck):
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert run("export", "anki", seed_deck, "-o", first).exit_code == 0
    assert run("export", "anki", seed_deck, "-o", second).exit_code == 0
    a, b = read_apkg(first, tmp_path), read_apkg(second, tmp_path)
    assert [n[0] for n in a["notes"]] == [n[0] for n in b["notes"]]
    assert a["card_decks"] == b["card_decks"]
    assert len(set(n[0] for n in a["notes"])) == 6
    assert first.read_bytes() == second.read_bytes()


def test_an_edited_answer_keeps_its_note_id(run, tmp_path, write_deck):
    before = write_deck("title: T\ncards:\n  - question: Q\n    answer: old\n", "t.yaml")
    run("export", "anki", before, "-o", tmp_path / "before.apkg")
    write_deck("title: T\ncards:\n  - question: Q\n    answer: new\n", "t.yaml")
    run("export", "anki", before, "-o", tmp_path / "after.apkg")
    [old] = read_apkg(tmp_path / "before.apkg", tmp_path)["notes"]
    [new] = read_apkg(tmp_path / "after.apkg", tmp_path)["notes"]
    assert old[0] == new[0]
    assert (old[1], new[1]) == ("Q\x1fold", "Q\x1fnew")


def test_repeated_questions_get_different_ids(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\ncards:\n  - question: Q\n    answer: a\n  - question: Q\n    answer: b\n"
    )
    run("export", "anki", deck, "-o", tmp_path / "t.apkg")
    notes = read_apkg(tmp_path / "t.apkg", tmp_path)["notes"]
    assert len({guid for guid, _, _ in notes}) == 2


def test_default_output_is_in_the_output_folder(run, tmp_path, seed_deck, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("export", "anki", seed_deck).exit_code == 0
    assert (tmp_path / "output" / "stalin-foreign-policy.apkg").is_file()


def test_missing_genanki_says_how_to_install_it(run, tmp_path, seed_deck, monkeypatch):
    monkeypatch.setitem(sys.modules, "genanki", None)  # makes `import genanki` fail
    output = tmp_path / "x.apkg"
    result = run("export", "anki", seed_deck, "-o", output)
    assert result.exit_code == 1
    assert result.output == (
        "Error: exporting to Anki needs the genanki package, which is not installed; "
        "install it with: pip install 'printkit[anki]'\n"
    )
    assert not output.exists()


def test_a_bad_deck_is_reported_like_build_does(run, tmp_path, write_deck):
    deck = write_deck("title: T\ncards:\n  - question: Q\n")
    result = run("export", "anki", deck, "-o", tmp_path / "x.apkg")
    assert result.exit_code == 1
    assert "card 1 has no answer" in result.output
