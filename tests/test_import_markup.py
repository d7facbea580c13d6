"""Importers keep what deck markup can say (bold, sub, maths, pictures) and escape the rest."""

from __future__ import annotations

import pytest
from test_import import content, imported_deck, write_png

from printkit.content.markup import parse
from printkit.deck import load_deck
from printkit.importers.html_text import html_to_markup


@pytest.mark.parametrize(
    ("html", "markup"),
    [
        ("<b>bold</b> text", "**bold** text"),
        ("<strong>strong</strong>", "**strong**"),
        ("an <i>italic</i> word", "an *italic* word"),
        ("<em>em</em>", "*em*"),
        ("run <code>ls -l</code>", "run `ls -l`"),
        ("<code>a`b</code>", "``a`b``"),
        ("H<sub>2</sub>O", "H~2~O"),
        ("x<sup>2</sup>", "x^2^"),
        ("x<sub>a b</sub>", "x~a\\ b~"),
        ("one<br>two", "one\ntwo"),
        ("<div>one</div><div>two</div>", "one\ntwo"),
        ("<p>one</p><p>two</p>", "one\ntwo"),
        ("<b>bold </b>word", "**bold** word"),
        ("<b>a<i>b</i></b>", "**a*b***"),
        ("<b>two<br>lines</b>", "**two**\n**lines**"),
        ("<u>under</u><span>lined</span>", "underlined"),
        ("\\(x^2\\) and \\[\\frac{1}{2}\\]", "$x^2$ and $$\\frac{1}{2}$$"),
        ("if \\(a &lt; b\\)", "if $a < b$"),
        ('<img src="heart.png" alt="A heart">', "![A heart](heart.png)"),
        ('<img src="my heart.png">', "![](<my heart.png>)"),
        ("5 * 3 * 2 = 30, costs $5", "5 * 3 * 2 = 30, costs $5"),
        ("*not bold*", "\\*not bold*"),
        ("<b>x</b> *not* italic", "**x** \\*not\\* italic"),
        ("snake_case &amp; <i>more</i>", "snake_case & *more*"),
    ],
)
def test_html_becomes_markup(html, markup):
    assert html_to_markup(html)[0] == markup


def test_html_markup_reads_as_the_html_said():
    [paragraph] = parse(html_to_markup("<b>H<sub>2</sub>O</b> is *wet*")[0]).blocks
    assert [(item.text, item.style.bold, item.style.shift) for item in paragraph.inlines] == [
        ("H", True, None),
        ("2", True, "sub"),
        ("O", True, None),
        (" is *wet*", False, None),
    ]


def test_pictures_are_listed():
    assert html_to_markup('<img src="a.png"><img src="b.png" alt="b">')[1] == ["a.png", "b.png"]


@pytest.mark.parametrize(
    "source, kept",
    [
        ("/etc/passwd", "passwd"),
        ("../../.ssh/id_rsa", "id_rsa"),
        ("C:\\Users\\me\\heart.png", "heart.png"),
        ("https://example.com/a.png", "a.png"),
        ("media/heart.png", "media/heart.png"),
    ],
)
def test_a_picture_path_from_someone_elses_export_stays_in_the_decks_folder(source, kept):
    assert html_to_markup(f'<img src="{source}">')[1] == [kept]


def test_plain_sources_are_escaped_and_read_back_as_typed(run, tmp_path):
    source = tmp_path / "cards.txt"
    source.write_text(
        "5 * 3 * 2\t30\n*emphasis*\tnot in Quizlet\ncosts $5 and $x$\tsnake_case\n",
        encoding="utf-8",
    )
    deck = imported_deck(run, tmp_path, source)
    assert content(deck) == [
        ("5 * 3 * 2", ("30",), False, ()),
        ("\\*emphasis*", ("not in Quizlet",), False, ()),
        ("costs \\$5 and \\$x$", ("snake_case",), False, ()),
    ]
    assert [parse(card.question).plain_text for card in deck.cards] == [
        "5 * 3 * 2",
        "*emphasis*",
        "costs $5 and $x$",
    ]


def test_csv_and_notes_are_escaped(run, tmp_path):
    csv_file = tmp_path / "cards.csv"
    csv_file.write_text("question,answer\n`ls`  and `cd`,a\\b*c*\n", encoding="utf-8")
    assert content(imported_deck(run, tmp_path, csv_file)) == [
        ("\\`ls\\`  and \\`cd`", ("a\\b\\*c*",), False, ())
    ]
    notes = tmp_path / "notes.txt"
    notes.write_text("Notes\nWhat is H~2~O?\n* water\n* H_2_O\n", encoding="utf-8")
    assert content(imported_deck(run, tmp_path, notes, "--force")) == [
        ("What is H\\~2~O?", ("water", "H_2_O"), True, ())
    ]


ANKI_EXPORT = (
    "#separator:tab\n#html:true\n"
    "What is <b>H<sub>2</sub>O</b>?\tWater, \\(H_2O\\), costs $5\n"
    'Which organ?\t<img src="heart.png" alt="A heart"><br>the <i>heart</i>\n'
)


def test_anki_export_imports_as_markup(run, tmp_path):
    source = tmp_path / "anki.txt"
    source.write_text(ANKI_EXPORT, encoding="utf-8")
    deck = imported_deck(run, tmp_path, source)
    assert content(deck) == [
        ("What is **H~2~O**?", ("Water, $H_2O$, costs \\$5",), False, ()),
        # heart.png is not beside the export: the picture's description is printed instead
        ("Which organ?", ("A heart\nthe *heart*",), False, ()),
    ]


def test_imported_anki_deck_with_markup_builds(run, tmp_path, monkeypatch):
    pytest.importorskip("printkit.content.maths")
    pytest.importorskip("printkit.content.pictures")
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "anki.txt"
    source.write_text(ANKI_EXPORT, encoding="utf-8")
    write_png(tmp_path / "heart.png")  # copied from collection.media beside the export
    assert run("import", source, "-o", "decks/organs.yaml").exit_code == 0
    # the picture is copied into a folder beside the deck, named in the card
    assert (tmp_path / "decks" / "anki-media" / "heart.png").read_bytes() == (
        tmp_path / "heart.png"
    ).read_bytes()
    result = run("build", "decks/organs.yaml")
    assert result.exit_code == 0, result.output
    assert load_deck(tmp_path / "decks" / "organs.yaml").cards[1].answer == (
        "![A heart](anki-media/heart.png)\nthe *heart*",
    )


@pytest.mark.parametrize("name", ["my heart.png", "héart.png", "a(1).png"])
def test_a_picture_path_reads_back_as_the_file_name(name):
    [picture] = parse(html_to_markup(f'<img src="{name}">')[0]).pictures
    assert picture.source == name
