"""Reading decks: texts kept exactly as typed, and every problem reported with its line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
import yaml

import printkit.deck as deck_module
from printkit.deck import Card, Deck, OptionSetting, load_deck, parse_deck
from printkit.errors import DeckError

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SEED_DECK = REPO / "decks" / "stalin-foreign-policy.yaml"

LOADERS = [pytest.param(yaml.BaseLoader, id="python")]
if hasattr(yaml, "CBaseLoader"):
    LOADERS.insert(0, pytest.param(yaml.CBaseLoader, id="libyaml"))


@pytest.fixture(autouse=True, params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test with libyaml and with pure Python: both must give the same results."""
    monkeypatch.setattr(deck_module, "_LOADER", request.param)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    return caught.value.messages


def parse(text: str) -> Deck:
    return parse_deck(text, Path("deck.yaml"))


def one_card(answer: str, extra: str = "") -> Card:
    deck = parse(f"title: T\ncards:\n  - question: Q\n    answer: {answer}\n{extra}")
    return deck.cards[0]


# -- bad decks: the exact messages ---------------------------------------------------------------

TYPES = "a group of 'name: value' lines"

BAD_DECKS = {
    "bad-not-utf8": [
        (1, "this file is not UTF-8 text (byte 0xE9 on this line cannot be read); "
         "save it again choosing the UTF-8 encoding"),
    ],
    "bad-yaml-missing-colon": [
        (4, "the colon is missing after 'answer'; write answer: 2"),
    ],
    "bad-yaml-tab": [
        (4, "this is not valid YAML: a tab is used for indentation; indent with spaces"),
    ],
    "bad-yaml-colon-in-text": [
        (3, "this is not valid YAML: a text contains ': ', which YAML reads as a new key; "
         "put the whole text in quotes"),
    ],
    "bad-yaml-star": [
        (4, "this is not valid YAML: a text starts with '*' or '&', which YAML reads as a "
         "reference; put the text in quotes"),
    ],
    "bad-yaml-unclosed-quote": [
        (4, "this is not valid YAML: a quote is opened but never closed; add the closing quote"),
    ],
    "bad-yaml-two-documents": [
        (5, "this file holds a second YAML document (a second '---'); keep one deck per file"),
    ],
    "bad-control-character": [
        (4, "this line contains an invisible control character (U+0007) that YAML does not "
         "allow; delete it"),
    ],
    "bad-empty": [
        (1, "the deck is empty; start it with a title: line and a cards: list"),
    ],
    "bad-top-level-list": [
        (1, "a deck must be made of lines such as 'title: ...' and 'cards:', "
         "but this file holds only a list"),
    ],
    "bad-unknown-key": [
        (1, "unknown key 'titel' at the top of the deck; did you mean 'title'?"),
        (4, "unknown key 'anwser' in card 1; did you mean 'answer'?"),
        (5, "unknown key 'colour' in card 1; "
         "the keys allowed here are question, answer, cloze, wrong, tags, lines and marks"),
    ],
    "bad-card-key-at-top": [
        (2, "'question:' belongs to a card; put cards in a list under cards:, "
         "each starting with '- question:'"),
        (3, "'answer:' belongs to a card; put cards in a list under cards:, "
         "each starting with '- question:'"),
    ],
    "bad-duplicate-key": [
        (5, "the key 'answer' appears twice (first on line 4); keep only one of them"),
        (6, "the key 'title' appears twice (first on line 1); keep only one of them"),
    ],
    "bad-complex-key": [
        (3, "a key must be a plain name, not a list"),
        (3, "card 1 has no question; add a question: line"),
    ],
    "bad-wrong-types": [
        (1, "the title must be text, not a list"),
        (2, f"the subject must be text, not {TYPES}"),
        (3, "options: must be settings written as 'name: value' lines "
         "(such as paper: letter), not a list"),
        (6, "the question of card 1 must be text, not a list"),
        (8, f"the answer of card 1 must be text or a list of points, not {TYPES}; "
         "put the text in quotes if it contains ': '"),
        (10, f"the tags of card 1 must be a list of texts such as [dates, people], not {TYPES}"),
        (11, "lines: of card 1 must be a whole number such as 4, not a list"),
    ],
    "bad-answer-points": [
        (6, "point 2 of the answer of card 1 must be text, not a 'name: value' pair; "
         "put the point in quotes if it contains ': '"),
        (7, "point 3 of the answer of card 1 must be text, not a list; "
         "write it as one text or as separate points"),
        (8, "point 4 of the answer of card 1 is blank; write it or remove its '-'"),
        (10, "the answer of card 2 is an empty list; add at least one point"),
    ],
    "bad-missing": [
        (1, "the title is blank; write the deck's title after title:"),
        (3, "card 1 has no question; add a question: line"),
        (3, "card 1 has no answer; add an answer: line"),
        (4, "the question of card 2 is blank; write it after question:"),
        (5, "the answer of card 2 is blank; write it after answer:"),
        (7, "the answer of card 3 is blank; write it after answer:"),
    ],
    "bad-no-title-no-cards": [
        (1, "the deck has no title; add a line such as 'title: Fractions'"),
        (1, "the deck has no cards; add at least one under cards:"),
    ],
    "bad-no-cards": [
        (2, "the deck has no cards; add at least one under cards:"),
    ],
    "bad-cards-not-list": [
        (3, f"cards: must be a list of cards, each starting with '- question:', not {TYPES}"),
    ],
    "bad-card-items": [
        (3, "card 1 must have question: and answer: lines, not text"),
        (4, "card 2 is empty; remove the lone '-' or fill the card in"),
        (5, "card 3 must have question: and answer: lines, not a list"),
    ],
    "bad-tags-list": [
        (5, "tag 2 of card 1 is blank; write it or remove it"),
        (5, "tag 3 of card 1 must be text, not a list"),
    ],
    "bad-lines": [
        (5, "lines: of card 1 must be at least 1, not 0"),
        (8, "lines: of card 2 must be a whole number such as 4, not '2.5'"),
        (11, "lines: of card 3 must be at least 1, not -1"),
        (14, "lines: of card 4 has no value; write a whole number such as 4 or remove it"),
        (17, "lines: of card 5 must be at most 60 (two pages of lines), not 100000"),
    ],
    "bad-options": [
        (3, "the option 'paper' has no value; write one after the colon or remove it"),
        (5, "the option 'summary: pages' must be a single value, not a list"),
        (6, "the option 'summary: columns' has no value; write one after the colon or remove it"),
        (7, "the option 'flashcards' must be a single value, not a list"),
    ],
    "bad-yaml-tags": [
        (1, "YAML tags such as !!python/object are not allowed; "
         "remove the tag !!python/object/apply:os.system"),
        (3, "YAML tags such as !!python/object are not allowed; remove the tag !custom"),
        (4, "YAML tags such as !!python/object are not allowed; remove the tag !!int"),
        (5, "YAML tags such as !!python/object are not allowed; remove the tag !!set"),
    ],
    "bad-alias": [
        (4, "this entry is marked with an anchor (&) and reused with an alias (*), "
         "which decks do not allow; write the text out in full each time"),
    ],
}  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), BAD_DECKS.items(), ids=list(BAD_DECKS))
def test_bad_deck_reports_every_problem_with_its_line(
    name: str, expected: list[tuple[int, str]]
) -> None:
    path = DATA / f"{name}.yaml"
    assert problems_of(path) == [f"{path}:{line}: {message}" for line, message in expected]


def test_every_bad_deck_file_is_tested() -> None:
    assert {path.stem for path in DATA.glob("bad-*.yaml")} == set(BAD_DECKS)


def test_all_problems_are_reported_at_once_in_line_order() -> None:
    problems = problems_of(DATA / "bad-missing.yaml")
    assert len(problems) == 6
    lines = [int(problem.split(":")[1]) for problem in problems]
    assert lines == sorted(lines)


def test_deck_error_message_has_one_problem_a_line() -> None:
    with pytest.raises(DeckError) as caught:
        load_deck(DATA / "bad-lines.yaml")
    assert str(caught.value).splitlines() == caught.value.messages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: T\ncards:\n  - Question: Q\n    answer: A\n",
         "deck.yaml:3: unknown key 'Question' in card 1; did you mean 'question'?"),
        ("title: T\ncards:\n  - question: Q\n    answers: A\n",
         "deck.yaml:4: unknown key 'answers' in card 1; did you mean 'answer'?"),
        ("title: T\nsubjet: History\ncards:\n  - question: Q\n    answer: A\n",
         "deck.yaml:2: unknown key 'subjet' at the top of the deck; did you mean 'subject'?"),
        ("title: T\ncards:\n  - question: Q\n    answer: A\n    lines: 4\n    lines: 5\n",
         "deck.yaml:6: the key 'lines' appears twice (first on line 5); keep only one of them"),
        ("title: T\ncards:\n  - question: Q\n    answer: &a [*a]\n",
         "deck.yaml:4: this entry is marked with an anchor (&) and reused with an alias (*), "
         "which decks do not allow; write the text out in full each time"),
        ("title: T\ncards:\n  - question: Q\n    answer: & co\n",
         "deck.yaml:4: this is not valid YAML: a text starts with '*' or '&', which YAML reads "
         "as a reference; put the text in quotes"),
        ("title: T\r\ncards:\r\n  - question: Q\r\n    answer:\r\n",
         "deck.yaml:4: the answer of card 1 is blank; write it after answer:"),
        ("---\n", "deck.yaml:1: the deck is empty; start it with a title: line and a cards: list"),
        ("Just some text\n", "deck.yaml:1: a deck must be made of lines such as 'title: ...' "
         "and 'cards:', but this file holds only text"),
    ],
)  # fmt: skip
def test_small_bad_decks(text: str, expected: str) -> None:
    with pytest.raises(DeckError) as caught:
        parse(text)
    assert caught.value.messages == [expected]


@pytest.mark.parametrize(("line", "data"), [(1, b"title: caf\xe9\n"), (3, b"a\nb\nc\xff\n")])
def test_not_utf8_names_the_line_of_the_bad_byte(tmp_path: Path, line: int, data: bytes) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(data)
    byte = data.rstrip(b"\n")[-1]
    assert problems_of(path) == [
        f"{path}:{line}: this file is not UTF-8 text (byte 0x{byte:02X} on this line cannot be "
        "read); save it again choosing the UTF-8 encoding"
    ]


def test_missing_file_is_a_deck_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert problems_of(path) == [
        f"{path}: cannot open this deck (No such file or directory); check the file name"
    ]


# -- safety ------------------------------------------------------------------------------------


def test_tags_are_refused_and_nothing_is_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DeckError):
        load_deck(DATA / "bad-yaml-tags.yaml")
    assert calls == []
    assert not (tmp_path / "printkit-was-hacked").exists()


def test_plain_str_tag_is_harmless_and_allowed() -> None:
    # BaseLoader gives untagged nodes these tags, so writing them out changes nothing.
    assert one_card("!!str 3").answer == ("3",)


def test_alias_bomb_is_refused_quickly() -> None:
    levels = ["title: T", "l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        levels.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    levels.append("cards:\n  - question: Q\n    answer: *l9")
    start = time.perf_counter()
    with pytest.raises(DeckError) as caught:
        parse("\n".join(levels) + "\n")
    assert time.perf_counter() - start < 1
    assert any("reused with an alias" in problem for problem in caught.value.messages)


def test_deck_module_does_not_import_reportlab() -> None:
    code = "import sys, printkit.deck; sys.exit('reportlab' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0


# -- good decks ----------------------------------------------------------------------------------


def test_good_deck_reads_every_field() -> None:
    path = DATA / "good-deck.yaml"
    deck = load_deck(path)
    assert deck == Deck(
        title="Fractions",
        subject="Maths",
        path=path,
        options=(
            OptionSetting(None, "paper", "letter", 5),
            OptionSetting("summary", "pages", "2", 7),
        ),
        cards=(
            Card(1, "What is a half of 4?", ("2",), is_list=False, line=9),
            Card(
                2,
                "Name two fractions equal to a half.",
                ("2/4", "3/6"),
                is_list=True,
                tags=("halves", "equivalent"),
                lines=4,
                line=11,
            ),
            Card(
                3,
                "Write a half\nas a decimal.",
                ("0.5",),
                is_list=False,
                tags=("decimals",),
                line=17,
            ),
        ),
    )
    assert deck.stem == "good-deck"


@pytest.mark.parametrize(
    "typed",
    ["3.10", "no", "0755", "1939", "yes", "on", "off", "null", "~", "true", "1e3", "0x1F",
     "2024-01-01", "12:30", "-5", ".inf", "NaN"],
)  # fmt: skip
def test_scalars_are_kept_as_typed(typed: str) -> None:
    card = one_card(typed, extra=f"    tags: [{typed}]\n    lines: 3\n")
    deck = parse(
        f"title: {typed}\nsubject: {typed}\ncards:\n  - question: {typed}\n    answer: x\n"
    )
    assert card.answer == (typed,)
    assert card.tags == (typed,)
    assert (deck.title, deck.subject, deck.cards[0].question) == (typed, typed, typed)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('"  padded  "', "padded"),
        ("'It''s'", "It's"),
        ('"null"', "null"),
        ("|\n      line one\n      line two\n", "line one\nline two"),
        (">\n      folded\n      text\n", "folded text"),
        ("plain text\n      that wraps", "plain text that wraps"),
    ],
)
def test_text_is_stripped_and_keeps_inner_newlines(answer: str, expected: str) -> None:
    assert one_card(answer).answer == (expected,)


def test_text_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Mädchen, café, Ångström")
    assert decomposed != "Mädchen, café, Ångström"
    card = one_card(decomposed, extra=f"    tags: [{decomposed}]\n")
    assert card.answer == ("Mädchen, café, Ångström",)
    assert card.tags == ("Mädchen", "café", "Ångström")
    assert all(unicodedata.is_normalized("NFC", tag) for tag in card.tags)


def test_greek_and_cyrillic_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "languages.yaml"
    path.write_text(
        "title: Λέξεις και слова\ncards:\n  - question: Τι είναι η φιλοσοφία;\n"
        "    answer:\n      - Любовь к мудрости\n      - αγάπη της σοφίας\n",
        encoding="utf-8",
    )
    deck = load_deck(path)
    assert deck.title == "Λέξεις και слова"
    assert deck.cards[0].question == "Τι είναι η φιλοσοφία;"
    assert deck.cards[0].answer == ("Любовь к мудрости", "αγάπη της σοφίας")


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("title: Café\ncards:\n  - question: Q\n    answer: A\n".encode("utf-8-sig"))
    deck = load_deck(path)
    assert deck.title == "Café"
    assert deck.cards[0].line == 3


@pytest.mark.parametrize(
    ("extra", "tags", "lines"),
    [
        ("", (), None),
        ("    tags:\n", (), None),
        ("    tags: []\n", (), None),
        ("    tags: dates\n", ("dates",), None),
        ("    tags: [dates, people]\n    lines: 1\n", ("dates", "people"), 1),
        ("    tags:\n      - dates\n    lines: 12\n", ("dates",), 12),
    ],
)
def test_optional_tags_and_lines(extra: str, tags: tuple[str, ...], lines: int | None) -> None:
    card = one_card("A", extra=extra)
    assert (card.tags, card.lines) == (tags, lines)


def test_empty_subject_and_options_are_absent() -> None:
    deck = parse("title: T\nsubject:\noptions:\ncards:\n  - question: Q\n    answer: A\n")
    assert (deck.subject, deck.options) == (None, ())


def test_cards_are_numbered_in_order() -> None:
    cards = "".join(f"  - question: Q{n}\n    answer: A{n}\n" for n in range(1, 6))
    deck = parse(f"title: T\ncards:\n{cards}")
    assert [card.number for card in deck.cards] == [1, 2, 3, 4, 5]
    assert [card.line for card in deck.cards] == [3, 5, 7, 9, 11]
    assert [card.question for card in deck.cards] == ["Q1", "Q2", "Q3", "Q4", "Q5"]


# -- the repo's deck -------------------------------------------------------------------------


def test_stalin_deck_is_transcribed_in_full() -> None:
    deck = load_deck(SEED_DECK)
    assert (deck.title, deck.subject, deck.stem) == (
        "Stalin's foreign policy",
        "History",
        "stalin-foreign-policy",
    )
    assert len(deck.cards) == 6
    assert deck.cards[0].question == "What was Stalin’s attitude to foreign relations"
    assert deck.cards[-1].question == "Was the foreign policy of Stalin successful?"
    assert [len(card.answer) for card in deck.cards] == [2, 8, 3, 5, 8, 2]
    assert all(card.is_list for card in deck.cards)
    assert deck.cards[4].answer[6] == (
        "Stalin feared that, if communism was installed in South-Western Europe, this would "
        "frighten Britain and France into forming an anti-Soviet pact with the Germans"
    )
    assert deck.cards[1].answer[0] == "Stalin was slow to understand the threat from the Nazis’s"
    assert (
        deck.cards[3].answer[1].endswith("as ‘white at heart’ despite the ‘red’ jackets they wear")
    )


def test_a_hash_that_would_cut_a_text_short_is_reported(tmp_path):
    text = (
        "title: Year 9 #1\n"
        "cards:           # comments with a space after # are fine\n"
        "  - question: What does C# mean?\n"
        "    answer: Use #region\n"
        '  - question: "Homework #3"\n'
        "    answer: |\n"
        "      In a block, #hash is text\n"
    )
    path = tmp_path / "hash.yaml"
    with pytest.raises(DeckError) as caught:
        parse_deck(text, path)
    assert caught.value.messages == [
        f"{path}:1: “#1” after “Year 9” is read as a YAML comment and would not print; "
        "put the whole text in quotes to keep it",
        f"{path}:4: “#region” after “Use” is read as a YAML comment and would not print; "
        "put the whole text in quotes to keep it",
    ]
