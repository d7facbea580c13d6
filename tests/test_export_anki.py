"""`printkit export anki`: an .apkg Anki reads, with ids that stay the same from one export to the next."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from printkit.deck import load_deck


def _png(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), color).save(buffer, format="PNG")
    return buffer.getvalue()


# Two small real PNGs: an export checks its pictures as a build does, then copies their bytes.
PNG = _png((200, 40, 60))
OTHER = _png((40, 60, 200))


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


def read_media(path: Path) -> dict[str, bytes]:
    """The package's pictures by media name, through its "media" map as Anki reads it."""
    with zipfile.ZipFile(path) as archive:
        media_map = json.loads(archive.read("media"))
        return {name: archive.read(index) for index, name in media_map.items()}


MARKUP_DECK = (
    "title: Chemistry\ncards:\n"
    "  - question: What is **H~2~O** in *everyday* words, with `code` and x^2^?\n"
    "    answer: |-\n"
    "      Water, $a<b$ and\n"
    "      $$E = mc^2$$\n"
    "  - question: Which organ is this?\n"
    "    answer:\n"
    "      - '![A heart](pictures/heart.png)'\n"
    "      - the *heart*\n"
    "  - question: And this one? ![Another heart](other/heart.png)\n"
    "    answer: also a heart, \\*not\\* bold & 1 < 2\n"
)


@pytest.fixture
def markup_deck(write_deck, tmp_path) -> Path:
    deck = write_deck(MARKUP_DECK, "chemistry.yaml")
    for folder, data in (("pictures", PNG), ("other", OTHER)):
        (deck.parent / folder).mkdir()
        (deck.parent / folder / "heart.png").write_bytes(data)
    return deck


def media_name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16] + ".png"


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


def test_markup_becomes_anki_html(run, tmp_path, markup_deck):
    output = tmp_path / "chemistry.apkg"
    assert run("export", "anki", markup_deck, "-o", output).exit_code == 0
    fields = [note[1].split("\x1f") for note in read_apkg(output, tmp_path)["notes"]]
    heart, other = media_name(PNG), media_name(OTHER)
    assert fields == [
        [
            "What is <b>H<sub>2</sub>O</b> in <i>everyday</i> words, with <code>code</code> "
            "and x<sup>2</sup>?",
            "Water, \\(a&lt;b\\) and\\[E = mc^2\\]",
        ],
        [
            "Which organ is this?",
            f'<ul><li><img src="{heart}" alt="A heart"></li><li>the <i>heart</i></li></ul>',
        ],
        [
            f'And this one? <br><img src="{other}" alt="Another heart">',
            "also a heart, *not* bold &amp; 1 &lt; 2",
        ],
    ]


def test_pictures_go_in_the_media_under_names_from_their_bytes(run, tmp_path, markup_deck):
    output = tmp_path / "chemistry.apkg"
    assert run("export", "anki", markup_deck, "-o", output).exit_code == 0
    assert read_media(output) == {
        media_name(PNG): PNG,
        media_name(OTHER): OTHER,
    }
    again = tmp_path / "again.apkg"
    assert run("export", "anki", markup_deck, "-o", again).exit_code == 0
    assert again.read_bytes() == output.read_bytes()


def test_the_same_picture_twice_is_one_media_file(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\ncards:\n"
        "  - question: '![one](a.png)'\n    answer: x\n"
        "  - question: '![two](copy.PNG)'\n    answer: y\n"
    )
    (deck.parent / "a.png").write_bytes(PNG)
    (deck.parent / "copy.PNG").write_bytes(PNG)
    assert run("export", "anki", deck, "-o", tmp_path / "t.apkg").exit_code == 0
    assert read_media(tmp_path / "t.apkg") == {media_name(PNG): PNG}


def test_a_missing_picture_is_named_with_its_line(run, tmp_path, write_deck):
    deck = write_deck("title: T\ncards:\n  - question: Q\n    answer: '![a](gone.png)'\n")
    result = run("export", "anki", deck, "-o", tmp_path / "t.apkg")
    assert result.exit_code == 1
    # The same sentence as `printkit build` gives: the export checks pictures as a build does.
    assert result.output == (
        f"Error: {deck}:4: card 1: the picture “gone.png” (in {deck.parent}) does not exist; "
        "check its name and folder\n"
    )
    assert not (tmp_path / "t.apkg").exists()


def test_a_file_that_is_not_a_picture_never_goes_into_the_package(run, tmp_path, write_deck):
    secret = tmp_path / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    deck = write_deck(
        f"title: T\ncards:\n  - question: Q\n    answer: '![a]({secret})'\n"
        "  - question: R $\\frc{1}{2}$\n    answer: x\n"
    )
    result = run("export", "anki", deck, "-o", tmp_path / "t.apkg")
    assert result.exit_code == 1
    assert "card 1: the picture" in result.output and "is a text file" in result.output
    assert "card 2: the formula" in result.output
    assert not (tmp_path / "t.apkg").exists()


def test_a_plain_deck_exports_its_text_as_typed(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\noptions:\n  markup: plain\ncards:\n"
        "  - question: 5 * 3 * 2 = **30** & ![x](y.png)\n    answer: $5 and $6\n"
    )
    assert run("export", "anki", deck, "-o", tmp_path / "t.apkg").exit_code == 0
    [(_, fields, _)] = read_apkg(tmp_path / "t.apkg", tmp_path)["notes"]
    assert fields == "5 * 3 * 2 = **30** &amp; ![x](y.png)\x1f$5 and $6"
    assert read_media(tmp_path / "t.apkg") == {}


def test_a_wrong_markup_option_is_refused(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\noptions:\n  markup: html\ncards:\n  - question: Q\n    answer: A\n"
    )
    result = run("export", "anki", deck, "-o", tmp_path / "t.apkg")
    assert result.exit_code == 1
    assert result.output == f"Error: {deck}:3: markup must be one of markdown, plain, not 'html'\n"


def test_anki_itself_imports_the_notes_and_pictures(run, tmp_path, markup_deck):
    collection_module = pytest.importorskip(
        "anki.collection", reason="the anki package (Anki's own Python library) is not installed"
    )
    output = tmp_path / "chemistry.apkg"
    assert run("export", "anki", markup_deck, "-o", output).exit_code == 0
    (tmp_path / "anki").mkdir()
    collection = collection_module.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        collection.import_anki_package(
            collection_module.ImportAnkiPackageRequest(
                package_path=str(output), options=collection_module.ImportAnkiPackageOptions()
            )
        )
        notes = [collection.get_note(nid) for nid in sorted(collection.find_notes(""))]
        media_folder = Path(collection.media.dir())
        assert [note.fields[0] for note in notes][:2] == [
            "What is <b>H<sub>2</sub>O</b> in <i>everyday</i> words, with <code>code</code> "
            "and x<sup>2</sup>?",
            "Which organ is this?",
        ]
        assert notes[0].fields[1] == "Water, \\(a&lt;b\\) and\\[E = mc^2\\]"
        assert media_name(PNG) in notes[1].fields[1]
        assert (media_folder / media_name(PNG)).read_bytes() == PNG
        assert (media_folder / media_name(OTHER)).read_bytes() == OTHER
    finally:
        collection.close()


def test_an_edited_deck_updates_its_notes_in_anki_and_keeps_their_reviews(
    run, tmp_path, write_deck
):
    collection_module = pytest.importorskip(
        "anki.collection", reason="the anki package (Anki's own Python library) is not installed"
    )
    deck = write_deck(
        "title: Capitals\ncards:\n"
        "  - question: Capital of France?\n    answer: Paris\n"
        "  - question: Capital of Spain?\n    answer: Madird\n"
    )
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    assert run("export", "anki", deck, "-o", first).exit_code == 0
    (tmp_path / "anki").mkdir()
    collection = collection_module.Collection(str(tmp_path / "anki" / "collection.anki2"))

    def import_package(path: Path) -> None:
        collection.import_anki_package(
            collection_module.ImportAnkiPackageRequest(
                package_path=str(path), options=collection_module.ImportAnkiPackageOptions()
            )
        )

    try:
        import_package(first)
        # A pupil studies the cards: the first gets a 12-day interval.
        card = collection.get_card(collection.find_cards("Paris")[0])
        card.type, card.queue, card.ivl, card.due = 2, 2, 12, 30
        collection.update_card(card)
        # The teacher fixes a typo in the deck, a little later, and exports again.
        deck.write_text(deck.read_text(encoding="utf-8").replace("Madird", "Madrid"), "utf-8")
        later = deck.stat().st_mtime + 120
        os.utime(deck, (later, later))
        assert run("export", "anki", deck, "-o", second).exit_code == 0
        import_package(second)
        notes = [collection.get_note(nid) for nid in collection.find_notes("")]
        assert sorted(note.fields[1] for note in notes) == ["Madrid", "Paris"]  # updated, no copy
        studied = collection.get_card(collection.find_cards("Paris")[0])
        assert (studied.ivl, studied.type) == (12, 2)  # the review history is kept
    finally:
        collection.close()


def test_a_cloze_card_becomes_an_anki_cloze_note(run, tmp_path, write_deck):
    deck = write_deck(
        "title: Cells\ncards:\n"
        "  - cloze: The {{mitochondrion}} is where **respiration** happens in {{c2::cells::plural}}\n"
    )
    output = tmp_path / "cells.apkg"
    assert run("export", "anki", deck, "-o", output).exit_code == 0
    [(_, fields, _)] = read_apkg(output, tmp_path)["notes"]
    assert fields == (
        "The {{c1::mitochondrion}} is where <b>respiration</b> happens in {{c1::cells::plural}}\x1f"
    )
    collection_module = pytest.importorskip(
        "anki.collection", reason="the anki package (Anki's own Python library) is not installed"
    )
    (tmp_path / "anki").mkdir()
    collection = collection_module.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        collection.import_anki_package(
            collection_module.ImportAnkiPackageRequest(
                package_path=str(output), options=collection_module.ImportAnkiPackageOptions()
            )
        )
        (nid,) = collection.find_notes("")
        note = collection.get_note(nid)
        assert note.note_type()["type"] == 1  # Anki's cloze note type
        (card,) = note.cards()  # every gap is c1: one card asks the whole sentence
        assert "[...]" in card.question() or "[plural]" in card.question()
    finally:
        collection.close()
