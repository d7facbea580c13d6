"""Real export shapes, each in a small file of tests/data/import: what each gives, and what is
refused with which sentence. A wrong guess is never silent."""

from __future__ import annotations

import pytest
from test_import import IMPORT, content, imported_deck

from printkit.importers import FORMATS
from printkit.importers.base import Importer
from printkit.importers.registry import importers


def refused(run, tmp_path, name: str, *args: str) -> str:
    output = tmp_path / "out.yaml"
    result = run("import", IMPORT / name, "-o", output, *args)
    assert result.exit_code == 1, result.output
    assert not output.exists()
    assert result.output.startswith("Error: ") and len(result.output.splitlines()) == 1
    return result.output


def test_every_format_is_one_importer_found_by_the_registry():
    assert set(FORMATS) == {"notes", "quizlet", "anki", "csv", "apkg"}
    for name, importer in importers().items():
        assert isinstance(importer, Importer) and importer.name == name and importer.summary


# CSV


def test_a_vocabulary_csv_without_question_columns_is_refused_with_its_columns(run, tmp_path):
    message = refused(run, tmp_path, "korean-vocab.csv")
    assert (
        "korean-vocab.csv:1: the first row names the columns 'korean', 'english', "
        "'romanization', 'level' (separated by ','), but none of them is called question or "
        "answer (or front and back, term and definition); say which to read with "
        "--columns korean,english, or by number with --columns 1,2\n"
    ) in message


@pytest.mark.parametrize("columns", ["korean,english", "1,2"])
def test_columns_reads_a_vocabulary_csv_row_by_row(run, tmp_path, columns):
    result = run(
        "import", IMPORT / "korean-vocab.csv", "-o", tmp_path / "k.yaml", "--columns", columns
    )
    assert result.exit_code == 0, result.output
    assert "Warning: the column(s) 'romanization', 'level' were not imported" in result.output
    from printkit.deck import load_deck

    assert content(load_deck(tmp_path / "k.yaml")) == [
        ("안녕하세요", ("hello",), False, ()),
        ("감사합니다", ("thank you",), False, ()),
        ("사과", ("apple, the fruit",), False, ()),
        ("- 빼기", ("minus",), False, ()),
    ]


def test_a_csv_with_spaces_after_the_commas_keeps_quoted_commas(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "exam-comma-space.csv")
    assert content(deck) == [
        ("Which port does HTTPS use?", ("443, over TCP",), False, ("network",)),
        ("Name two RAID levels", ("RAID 1, which mirrors, and RAID 5",), False, ("storage",)),
        ('What does "idempotent" mean?', ("Doing it twice, same result",), False, ()),
    ]


def test_an_excel_csv_with_a_bom_semicolons_and_a_line_break_in_a_cell(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "excel-semicolon-bom.csv")
    assert content(deck) == [
        ("Haus", ("house; home",), False, ()),
        ("Zwei\nZeilen", ("two lines",), False, ()),
    ]


# Lines and characters


def test_other_line_separators_stay_inside_their_card(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "quizlet-line-separators.txt")
    assert content(deck) == [
        ("paragraph", ("first part\nsecond part",), False, ()),  # U+2028
        ("form", ("one\ntwo",), False, ()),  # a vertical tab
        ("third", ("card",), False, ()),
    ]


def test_a_control_character_is_refused_with_its_line(run, tmp_path):
    assert refused(run, tmp_path, "control-character.txt").endswith(
        "control-character.txt:2: this line holds U+0000 (NUL), a control character no card "
        "can print; delete it (or export the cards again) and import again\n"
    )


# Quizlet


def test_quizlet_with_five_slashes_needs_no_sep(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "quizlet-slashes.txt")
    assert content(deck) == [
        ("cell", ("the unit of life",), False, ()),
        ("ATP", ("energy, for the cell",), False, ()),
    ]


def test_commas_between_two_columns_are_never_guessed(run, tmp_path):
    message = refused(run, tmp_path, "quizlet-comma.txt")
    assert "cannot tell for sure how to read this file (it could be csv or quizlet)" in message
    assert "--format quizlet --sep comma" in message and "--format csv --columns 1,2" in message
    deck = imported_deck(run, tmp_path, IMPORT / "quizlet-comma.txt", "--sep", "comma")
    assert content(deck) == [
        ("cell", ("the unit of life",), False, ()),
        ("ATP", ("energy carrier",), False, ()),
    ]


# Anki text exports


def test_an_export_from_anki_2_1_54_or_older(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "anki-legacy.txt")
    assert content(deck) == [
        ("Plain front", ("Plain back",), False, ("history",)),
        # HTML: a line break typed in the field is a space; Anki writes <br> for a new line
        ('She said "hi"', ("two lines",), False, ()),
        ("**Bold**", ("back",), False, ("geo", "europe")),
    ]


def test_every_header_of_the_anki_manual(run, tmp_path):
    output = tmp_path / "out.yaml"
    result = run("import", IMPORT / "anki-headers.txt", "-o", output)
    assert result.exit_code == 0, result.output
    from printkit.deck import load_deck

    deck = load_deck(output)
    assert deck.title == "Cells"  # the deck column's one deck
    assert content(deck) == [
        ("What is the **cell**?", ("The unit of life",), False, ("imported", "cells")),
        (
            "The {{c1::mitochondrion}} makes {{c2::ATP::a molecule}}.",
            ("mitochondrion", "ATP"),
            False,
            ("imported",),
        ),
        ("(picture: cell.png)", ("A cell",), False, ("imported",)),
        ("Sound?", ("yes",), False, ("imported",)),
    ]
    assert deck.cards[1].cloze
    assert result.output.count("Warning: ") == 3
    assert (
        "Warning: 1 picture was not found (cell.png), so the cards print their descriptions instead"
        in result.output
    )
    assert "Warning: 1 sound(s) were left out" in result.output


def test_the_old_tags_line(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "anki-old-tags.txt")
    assert content(deck) == [
        ("chat", ("cat",), False, ("vocab", "french")),
        ("chien", ("dog",), False, ("vocab", "french")),
    ]


def test_a_card_export_drops_the_question_repeated_before_the_answer(run, tmp_path):
    deck = imported_deck(run, tmp_path, IMPORT / "anki-cards.txt")
    assert content(deck) == [
        ("What is 2+2?", ("4",), False, ()),
        ("Capital of *France*?", ("Paris",), False, ()),
    ]


def test_an_unknown_format_name_is_refused_with_the_choices(run, tmp_path):
    message = refused(run, tmp_path, "quizlet.txt", "--format", "excel")
    assert (
        message == "Error: unknown format 'excel'; choose one of: anki, apkg, csv, notes, quizlet\n"
    )
