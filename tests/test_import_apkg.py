"""`printkit import deck.apkg`: Anki packages read without Anki, pictures copied beside the deck,
untrusted packages refused; and round trips through Anki's own library."""

from __future__ import annotations

import io
import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest
from test_import import content

from printkit.deck import load_deck
from printkit.importers import apkg


def png_bytes(color=(200, 40, 60)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(buffer, format="PNG")
    return buffer.getvalue()


def genanki_package(tmp_path: Path) -> Path:
    """A package as genanki (the library most deck-making scripts use) writes it: a Basic note
    with bold text, one with a picture, a cloze note, and a note type printkit does not know,
    in two decks."""
    genanki = pytest.importorskip("genanki")
    basic = genanki.Model(
        1607392319,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    vocab = genanki.Model(
        1607392320,
        "Korean vocabulary",
        fields=[{"name": "Korean"}, {"name": "English"}, {"name": "Audio"}],
        templates=[{"name": "Card 1", "qfmt": "{{Korean}}", "afmt": "{{English}}"}],
    )
    cells = genanki.Deck(2059400110, "Biology::Cells")
    cells.add_note(
        genanki.Note(
            model=basic, fields=["What is the <b>cell</b>?", "The unit of life"], tags=["cells"]
        )
    )
    cells.add_note(
        genanki.Note(
            model=basic, fields=['Which organ is this?<br><img src="heart.png">', "The heart"]
        )
    )
    cells.add_note(
        genanki.Note(
            model=genanki.CLOZE_MODEL,
            fields=["The {{c1::mitochondrion}} makes {{c2::ATP}}.", ""],
            tags=["cloze"],
        )
    )
    cells.add_note(genanki.Note(model=basic, fields=["", "a note with no front"]))
    words = genanki.Deck(2059400111, "Korean")
    words.add_note(genanki.Note(model=vocab, fields=["사과", "apple", "[sound:sagwa.mp3]"]))
    picture = tmp_path / "heart.png"
    picture.write_bytes(png_bytes())
    package = genanki.Package([cells, words], media_files=[str(picture)])
    output = tmp_path / "biology.apkg"
    package.write_to_file(str(output))
    return output


def test_a_genanki_package_gives_one_deck_file_per_deck_with_pictures(run, tmp_path, monkeypatch):
    source = genanki_package(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("import", source)
    assert result.exit_code == 0, result.output
    cells, korean = load_deck(Path("decks/cells.yaml")), load_deck(Path("decks/korean.yaml"))
    assert content(cells) == [
        ("What is the **cell**?", ("The unit of life",), False, ("cells",)),
        ("Which organ is this?\n![](cells-media/heart.png)", ("The heart",), False, ()),
        (
            "The {{c1::mitochondrion}} makes {{c2::ATP}}.",
            ("mitochondrion", "ATP"),
            False,
            ("cloze",),
        ),
    ]
    assert cells.cards[2].cloze
    assert Path("decks/cells-media/heart.png").read_bytes() == png_bytes()
    assert content(korean) == [("사과", ("apple",), False, ())]
    assert (
        "Warning: skipped note 4: this card has no question (its first field: '')\n"
        in result.output
    )
    assert (
        "Warning: 1 note(s) of type 'Korean vocabulary' (fields Korean, English, Audio): "
        "printkit does not know this type" in result.output
    )
    assert (
        "wrote decks/cells.yaml (3 cards, read as apkg; 1 skipped, see the warnings above; 1 picture in decks/cells-media)"
        in result.output
    )

    built = run("build", "decks/cells.yaml", "--layout", "flashcards")
    assert built.exit_code == 0, built.output
    from pypdf import PdfReader

    pdf = next(Path("output").glob("cells-flashcards*.pdf"))
    assert sum(len(page.images) for page in PdfReader(pdf).pages) >= 1  # the heart is printed


def test_one_deck_of_a_package_with_deck(run, tmp_path):
    source = genanki_package(tmp_path)
    output = tmp_path / "out" / "k.yaml"
    assert run("import", source, "-o", output).exit_code == 1  # two decks, one file: refused
    result = run("import", source, "--deck", "korean", "-o", output)
    assert result.exit_code == 0, result.output
    assert load_deck(output).title == "Korean"
    unknown = run("import", source, "--deck", "Chemistry", "-o", output)
    assert (
        "this package holds no deck named 'Chemistry'; its decks are 'Biology::Cells', 'Korean'"
        in unknown.output
    )


def zip_with(tmp_path: Path, members: dict[str, bytes], name: str = "evil.apkg") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../../evil.sh": b"x", "collection.anki2": b""}, "a path that leads out of the package"),
        ({"notes.txt": b"x"}, "this zip file holds no Anki collection"),
        (
            {"collection.anki2": b"this is not SQLite" * 100},
            "the collection inside this package cannot be read",
        ),
    ],
)
def test_untrusted_packages_are_refused_with_a_sentence(run, tmp_path, members, message):
    result = run("import", zip_with(tmp_path, members), "-o", tmp_path / "out.yaml")
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.startswith("Error: ") and len(result.output.splitlines()) == 1
    assert not (tmp_path / "out.yaml").exists()


def test_a_zip_bomb_is_refused_before_it_is_read_whole(run, tmp_path, monkeypatch):
    monkeypatch.setattr(apkg, "MAX_COLLECTION_BYTES", 1024 * 1024)
    source = zip_with(tmp_path, {"collection.anki2": bytes(20 * 1024 * 1024)})
    assert source.stat().st_size < 100_000  # 20 MB of zeros in a few kilobytes
    result = run("import", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 1
    assert (
        "'collection.anki2' inside this package is bigger than the 1 MB printkit reads"
        in result.output
    )


def test_a_damaged_zip_is_refused(run, tmp_path):
    source = tmp_path / "cut.apkg"
    source.write_bytes(b"PK\x03\x04" + bytes(100))
    result = run("import", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 1
    assert "this package is damaged (it is not a complete zip file)" in result.output


# Round trips through Anki's own library: printkit's export, imported into a fresh collection,
# exported by Anki (a modern zstd package, and notes as text), and imported back.

DECK = (
    "title: Chemistry\nsubject: Science\ncards:\n"
    "  - question: What is **H~2~O**?\n    answer: Water\n    tags: [molecules]\n"
    "  - question: Name two gases\n    answer:\n      - oxygen\n      - nitrogen\n"
)


@pytest.fixture
def anki_collection(run, tmp_path, write_deck):
    collection_module = pytest.importorskip("anki.collection")
    package = tmp_path / "chemistry.apkg"
    assert run("export", "anki", write_deck(DECK), "-o", package).exit_code == 0
    (tmp_path / "anki").mkdir()
    collection = collection_module.Collection(str(tmp_path / "anki" / "collection.anki2"))
    collection.import_anki_package(
        collection_module.ImportAnkiPackageRequest(
            package_path=str(package), options=collection_module.ImportAnkiPackageOptions()
        )
    )
    yield collection_module, collection
    collection.close()


EXPECTED = [
    ("What is **H~2~O**?", ("Water",), False, ("molecules",)),
    ("Name two gases", ("oxygen", "nitrogen"), True, ()),
]


def test_anki_keeps_notes_tags_and_deck_name(anki_collection):
    _, collection = anki_collection
    notes = [collection.get_note(nid) for nid in sorted(collection.find_notes(""))]
    assert [note.tags for note in notes] == [["molecules"], []]
    assert "Science::Chemistry" in [deck.name for deck in collection.decks.all_names_and_ids()]


def test_a_package_anki_exports_imports_back(run, anki_collection, tmp_path):
    collection_module, collection = anki_collection
    package = tmp_path / "from-anki.apkg"
    collection.export_anki_package(
        out_path=str(package),
        options=collection_module.ExportAnkiPackageOptions(legacy=False, with_media=True),
        limit=None,
    )
    assert "collection.anki21b" in zipfile.ZipFile(package).namelist()  # zstd-compressed
    result = run("import", package, "--deck", "Chemistry", "-o", tmp_path / "back.yaml")
    assert result.exit_code == 0, result.output
    assert content(load_deck(tmp_path / "back.yaml")) == EXPECTED


def test_a_modern_package_without_zstandard_says_what_to_do(
    run, anki_collection, tmp_path, monkeypatch
):
    collection_module, collection = anki_collection
    package = tmp_path / "from-anki.apkg"
    collection.export_anki_package(
        out_path=str(package),
        options=collection_module.ExportAnkiPackageOptions(legacy=False),
        limit=None,
    )
    monkeypatch.setitem(sys.modules, "zstandard", None)
    result = run("import", package, "-o", tmp_path / "back.yaml")
    assert result.exit_code == 1
    assert "export it again from Anki with “Support older Anki versions” ticked" in result.output


def test_notes_anki_exports_as_text_import_back(run, anki_collection, tmp_path):
    _, collection = anki_collection
    text = tmp_path / "notes.txt"
    collection.export_note_csv(
        out_path=str(text),
        limit=None,
        with_html=True,
        with_tags=True,
        with_deck=True,
        with_notetype=True,
        with_guid=True,
    )
    result = run("import", text, "-o", tmp_path / "back.yaml")
    assert result.exit_code == 0, result.output
    deck = load_deck(tmp_path / "back.yaml")
    assert deck.title == "Chemistry"
    assert content(deck) == EXPECTED


def test_a_corrupt_collection_in_a_valid_zip_names_the_problem(run, tmp_path):
    database = tmp_path / "c.anki2"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE notes (id)")  # no col, no cards: not Anki's
    connection.commit()
    connection.close()
    source = zip_with(tmp_path, {"collection.anki2": database.read_bytes()})
    result = run("import", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 1
    assert "the collection inside this package cannot be read (no such table" in result.output
