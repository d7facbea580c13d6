"""`printkit import`: each format read into a deck whose YAML loads back to exactly the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, SEED_DECK

from printkit.deck import load_deck
from printkit.importers import FORMATS, detect_format, import_file

IMPORT = DATA / "import"
# A byte-for-byte copy of the notes this project started from (shared/seeds/000_d45e1cb7b88146cc.txt).
SEED_NOTES = IMPORT / "stalin-notes.txt"


def content(deck) -> list[tuple]:
    return [(c.question, c.answer, c.is_list, c.tags) for c in deck.cards]


def imported_deck(run, tmp_path: Path, source: Path, *args: str):
    """Import through the command line, then load the written deck as `printkit build` would."""
    output = tmp_path / "decks" / "out.yaml"
    result = run("import", source, "-o", output, *args)
    assert result.exit_code == 0, result.output
    return load_deck(output)


def test_seed_notes_give_exactly_the_cards_of_the_seed_deck(run, tmp_path):
    deck = imported_deck(run, tmp_path, SEED_NOTES)
    expected = load_deck(SEED_DECK)
    assert content(deck) == content(expected)
    # The notes' title line "Stalin's foreign policy Flashcards" loses its "Flashcards"; the
    # notes name no subject (the repo deck's "History" was added by hand).
    assert deck.title == expected.title
    assert deck.subject is None


def test_wrapped_lines_rejoin_by_the_documented_rules(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "wrapped-notes.txt")
    assert deck.title == "Wrapping rules"
    assert content(deck) == [
        (
            "What did the treaty say",
            (
                # capital letters after 'by' and after 'the,' continue the point
                "It was signed by Molotov and Ribbentrop in the Kremlin, on a hot day",
                "A line ending with the German word stays in this point",
                "A hyphenated word breaks at South-Western Europe",
            ),
            True,
            (),
        ),
        # a capital line after a point that can end starts a question, even without '?'
        ("Treaty of Versailles", ("Signed in 1919", "It ended World War One"), True, ()),
        ("Second question after a blank", ("point",), True, ()),
        (
            "Name two causes",
            (
                "one more of the same point, Also Because a capital line can start a question, "
                "but a question word below wins",
            ),
            True,
            (),
        ),
        ("Why did it fail?", ("it came too late for the",), True, ()),
        # after 'the' only What, How, Why, When, Where, Who and Which start a question
        ("Which year followed", ("1940",), True, ()),
    ]


def test_notes_without_a_title_line_take_the_file_name(run, tmp_path):
    source = tmp_path / "my_history_notes.txt"
    source.write_text("What year?\n- 1917\nWho led?\n- Lenin\n", encoding="utf-8")
    deck = imported_deck(run, tmp_path, source)
    assert deck.title == "My history notes"
    assert content(deck) == [
        ("What year?", ("1917",), True, ()),
        ("Who led?", ("Lenin",), True, ()),
    ]


def test_quizlet_export_round_trips(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "quizlet.txt")
    assert content(deck) == [
        (
            "Photosynthesis",
            ("Plants turning light, water and CO₂ into sugar and oxygen",),
            False,
            (),
        ),
        ("yes", ("no",), False, ()),
        ('"Quoted" term', ('It said "hello", then left',), False, ()),
        ("Σ (sigma)", ("sum: add them all # not a comment",), False, ()),
        ("час", ("hour",), False, ()),
        ("- dash first", ("~",), False, ()),
        # Quizlet writes a definition's line break as it is: the next line continues it.
        ("Multi-line definition", ("first line\nsecond line: continued",), False, ()),
    ]


def test_quizlet_with_a_custom_separator(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "quizlet-pipe.txt", "--sep", "|")
    assert content(deck) == [
        ("capital of France", ("Paris",), False, ()),
        ("3.10", ("version, not a number",), False, ()),
    ]


def test_anki_plain_text_round_trips_with_html_made_markup(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "anki.txt")
    assert content(deck) == [
        ("Plain front", ("Plain back",), False, ("history",)),
        ("**Bold** question here", ("First line\nSecond line",), False, ("geography", "europe")),
        # HTML collapses white space, a tab too; "" inside quotes is one quote
        ("Quoted field, with a tab", ('She said "yes"',), False, ()),
        ("List answer", ("one & two", "<three>"), True, ("lists",)),
        ("Divs", ("alpha\nbeta",), False, ()),
        # x.png is not beside anki.txt: its description (here its name) is printed instead
        ("Ελληνικά: τι;", ("*Ναι* (picture: x.png)",), False, ("greek::letters",)),
        ("Question over two lines", ("Answer with ünïcödé",), False, ()),
    ]


def test_anki_import_warns_that_pictures_must_be_copied(run, tmp_path):
    result = run("import", IMPORT / "anki.txt", "-o", tmp_path / "a.yaml")
    assert (
        "Warning: 1 picture was not found (x.png), so the cards print their descriptions "
        "instead; copy them from Anki's collection.media folder into the folder of anki.txt "
        "and import again, or import the deck's .apkg instead\n"
    ) in result.output


def test_anki_without_html_keeps_text_as_typed(run, tmp_path):
    source = tmp_path / "plain.txt"
    source.write_text('#separator:semicolon\n#html:false\n"a <b> c";"x\ny"\n', encoding="utf-8")
    deck = imported_deck(run, tmp_path, source)
    assert content(deck) == [("a <b> c", ("x\ny",), False, ())]


def test_csv_round_trips(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "cards.csv")
    assert content(deck) == [
        ("What is 1/2 + 1/4?", ("3/4",), False, ("fractions", "adding")),
        ("Comma, inside", ('Two "quoted" words',), False, ()),
        ("Multi-line answer", ("first point", "second point"), True, ("lists",)),
        ("Tabs\tinside", ("Größe: size",), False, ()),
        ("null", ("'single quoted'",), False, ()),
    ]


def test_csv_semicolons_and_front_back_headers(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "semicolon.csv")
    assert content(deck) == [
        ("haus", ("house",), False, ()),
        ("Käse", ("cheese, the food",), False, ()),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wrapped-notes.txt", "notes"),
        ("quizlet.txt", "quizlet"),
        ("anki.txt", "anki"),
        ("cards.csv", "csv"),
        ("semicolon.csv", "csv"),
    ],
)
def test_format_is_told_from_the_content(name, expected):
    path = IMPORT / name
    assert detect_format(path.read_text(encoding="utf-8"), path) == expected


def test_tab_separated_html_without_headers_is_anki():
    text = "front\t<div>back</div>\nq\ta<br>b\n"
    assert detect_format(text, Path("x.txt")) == "anki"


def test_the_cli_help_names_every_format(run):
    help_text = " ".join(run("import", "--help").output.split())
    for name in FORMATS:
        assert name in help_text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty.txt:1: the file is empty; export the cards into it again"),
        ("latin1.csv", "latin1.csv:2: this file is not UTF-8 text (byte 0xE9 on this line"),
        (
            "one-column.csv",
            "one-column.csv:3: this row has only 1 column, but the question and the answer "
            "need the first 2; separate the columns with ','",
        ),
        (
            "no-tab.txt",
            "no-tab.txt:1: the term and the definition on this line are not separated by a tab",
        ),
        ("anki-one-field.txt", "anki-one-field.txt:4: this note has only one field"),
    ],
)
def test_bad_input_is_refused_with_its_line_and_nothing_is_written(run, tmp_path, name, message):
    output = tmp_path / "out.yaml"
    result = run("import", IMPORT / name, "-o", output)
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1
    assert not output.exists()


def test_a_notes_question_without_points_is_refused(run, tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text("Title\nFirst?\n- yes\nWhat about this one?\n", encoding="utf-8")
    result = run("import", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 1
    assert "notes.txt:4: this looks like a new question but no answer points follow it" in (
        result.output
    )


def test_a_blank_answer_is_refused(run, tmp_path):
    source = tmp_path / "cards.csv"
    source.write_text("question,answer\nfine,yes\nno answer,\n", encoding="utf-8")
    result = run("import", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 1
    assert "cards.csv:3: this card has no answer" in result.output


def test_a_spreadsheet_file_gets_advice(run, tmp_path):
    source = tmp_path / "cards.xlsx"
    source.write_bytes(b"PK\x03\x04")
    result = run("import", source)
    assert result.exit_code == 1
    assert "save the spreadsheet as CSV" in result.output


def test_default_output_is_named_after_the_title_and_never_overwritten(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = run("import", IMPORT / "semicolon.csv", "--title", "German: food words")
    assert first.exit_code == 0, first.output
    written = tmp_path / "decks" / "german-food-words.yaml"
    assert load_deck(written).title == "German: food words"
    assert "wrote decks/german-food-words.yaml (2 cards, read as csv)" in first.output
    before = written.read_bytes()

    again = run("import", IMPORT / "quizlet.txt", "--title", "German: food words")
    assert again.exit_code == 1
    assert again.output == (
        "Error: decks/german-food-words.yaml already exists, so nothing was written; "
        "use --force to overwrite, or -o to choose another file\n"
    )
    assert written.read_bytes() == before

    forced = run("import", IMPORT / "quizlet.txt", "--title", "German: food words", "--force")
    assert forced.exit_code == 0
    assert load_deck(written).cards[0].question == "Photosynthesis"


def test_imported_deck_builds(run, tmp_path, monkeypatch):
    pytest.importorskip("printkit.content.maths")
    pytest.importorskip("printkit.content.pictures")
    monkeypatch.chdir(tmp_path)
    assert run("import", IMPORT / "anki.txt").exit_code == 0
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "anki-flashcards.pdf").exists()


def write_png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(path)


def test_import_file_reads_utf16_from_excel(tmp_path):
    source = tmp_path / "cards.txt"
    source.write_bytes("Haus\thouse\ncafé\tcoffee\n".encode("utf-16"))
    deck = import_file(source).deck
    assert content(deck) == [("Haus", ("house",), False, ()), ("café", ("coffee",), False, ())]
