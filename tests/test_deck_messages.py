"""Messages for mistakes teachers make in a deck: one line each, the right line, what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

# Every test runs with libyaml and with pure Python: both must give the same messages.
from test_deck import loader  # noqa: F401  (an autouse fixture)

from printkit.deck import load_deck, parse_deck
from printkit.errors import DeckError, PrinterFileError
from printkit.printers import load_printers


def problems_of(text: str) -> list[str]:
    with pytest.raises(DeckError) as caught:
        parse_deck(text, Path("deck.yaml"))
    return caught.value.messages


def test_an_answer_indented_too_deep_names_its_line_and_the_spaces_to_remove() -> None:
    text = "title: T\ncards:\n  - question: Q\n      answer: A\n"
    assert problems_of(text) == [
        "deck.yaml:4: 'answer:' is indented 2 spaces more than 'question:' on line 3; "
        "remove 2 spaces so they start in the same column"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('    answer: "Paris" is the capital',
         "deck.yaml:4: text follows the closing quote of \"Paris\"; put the whole text in "
         "quotes, using the other kind inside, as in answer: '\"Paris\" is the capital'"),
        ("    answer: 'Paris' is the capital",
         "deck.yaml:4: text follows the closing quote of 'Paris'; put the whole text in "
         "quotes, using the other kind inside, as in answer: \"'Paris' is the capital\""),
    ],
)  # fmt: skip
def test_text_after_a_closing_quote_says_to_quote_the_whole_text(line: str, expected: str) -> None:
    assert problems_of(f"title: T\ncards:\n  - question: Q\n{line}\n") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: T\ncards:\n  - question: Q\n    answer 2\n    tags: [halves]\n",
         "deck.yaml:4: the colon is missing after 'answer'; write answer: 2"),
        ("title: T\ncards:\n  - question: Q\n    answer 2\n",
         "deck.yaml:4: the colon is missing after 'answer'; write answer: 2"),
        ("title: T\ncards:\n  - question: Q\n    answer: A\n  - question Q2\n    answer: B\n",
         "deck.yaml:5: the colon is missing after 'question'; write question: Q2"),
        ("title: T\ncards:\n  - question: Q\n    answer: A\n    explanation\n",
         "deck.yaml:5: this line has no colon; write it as 'name: value' (such as answer: 2), "
         "or indent it further if it goes on from the text above"),
    ],
)  # fmt: skip
def test_a_missing_colon_is_reported_on_its_own_line(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "title: T\n  - question: Q\n    answer: A\n",
        "title: T\n- question: Q\n  answer: A\n",
        "title: T\nsubject: S\n\n  - question: Q1\n    answer: A\n  - question: Q2\n    answer: B\n",
    ],
)
def test_a_missing_cards_line_is_reported_at_the_first_card(text: str) -> None:
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "question" in row)
    assert problems_of(text) == [
        f"deck.yaml:{line}: the cards are not under a cards: line; "
        "add a line cards: (with no spaces before it) above the first card"
    ]


def _dash(line: int, word: str) -> str:
    return (
        f"deck.yaml:{line}: '-{word}' looks like a list point without a space after its dash; "
        f"put a space after the dash (- {word}), or put the text in quotes if the dash belongs to it"
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("\n      - liquid\n      -solid", [_dash(6, "solid")]),
        ("\n      -solid\n      -liquid", [_dash(5, "solid"), _dash(6, "liquid")]),
        ("\n      - liquid\n        -solid", [_dash(6, "solid")]),
        ("\n      -solid", [_dash(5, "solid")]),
    ],
)
def test_a_list_point_without_its_space_says_put_a_space_after_the_dash(
    answer: str, expected: list[str]
) -> None:
    assert problems_of(f"title: T\ncards:\n  - question: Q\n    answer:{answer}\n") == expected


@pytest.mark.parametrize("answer", ["-5", "\n      -5", "well-known", "\n      - -solid", "'-ism'"])
def test_a_dash_that_belongs_to_the_text_is_kept(answer: str) -> None:
    text = f"title: T\ncards:\n  - question: Q\n    answer: {answer}\n"
    assert parse_deck(text, Path("deck.yaml")).cards[0].answer[0].lstrip("- ")


def _surrogate(line: int, escape: str) -> str:
    return (
        f"deck.yaml:{line}: “{escape}” is half of a character (a lone surrogate escape) and "
        "cannot be printed; type the character itself, or its full code such as \\U0001F600"
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ('"\\uD800"', _surrogate(3, "\\uD800")),
        ('"Smile \\ud83d"', _surrogate(3, "\\ud83d")),
        ('"A long question\n      that ends \\uDC00 here"', _surrogate(4, "\\uDC00")),
    ],
)
def test_a_lone_surrogate_escape_is_named_not_taken_for_an_unclosed_quote(
    question: str, expected: str
) -> None:
    assert problems_of(f"title: T\ncards:\n  - question: {question}\n    answer: A\n") == [expected]


def test_a_multi_line_question_is_quoted_by_its_first_line_only() -> None:
    text = "title: T\ncards:\n  - question: First line\n\n      second line #3\n    answer: A\n"
    assert problems_of(text) == [
        "deck.yaml:5: “#3” after “First line …” is read as a YAML comment and would not print; "
        "put the whole text in quotes to keep it"
    ]


@pytest.mark.parametrize("newline", [b"\r", b"\r\n", b"\n"], ids=["CR", "CRLF", "LF"])
def test_a_bad_byte_is_reported_at_its_line_whatever_the_line_endings(
    tmp_path: Path, newline: bytes
) -> None:
    path = tmp_path / "deck.yaml"
    path.write_bytes(newline.join([b"title: T", b"cards:", b"  - question: caf\xe9", b""]))
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    assert caught.value.messages == [
        f"{path}:3: this file is not UTF-8 text (byte 0xE9 on this line cannot be read); "
        "save it again choosing the UTF-8 encoding"
    ]


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_a_control_character_is_reported_at_its_line_whatever_the_line_endings(
    newline: str,
) -> None:
    text = newline.join(["title: T", "cards:", "  - question: Q", "    answer: A\x07", ""])
    assert problems_of(text) == [
        "deck.yaml:4: this line contains an invisible control character (U+0007) that YAML "
        "does not allow; delete it"
    ]


def test_a_cr_only_deck_reports_problems_at_their_lines() -> None:
    text = "title: T\rcards:\r  - question: Q\r    answer:\r"
    assert problems_of(text) == [
        "deck.yaml:4: the answer of card 1 is blank; write it after answer:"
    ]


@pytest.mark.parametrize("newline", ["\r", "\n"], ids=["CR", "LF"])
def test_a_nul_in_printkit_yaml_is_reported_at_its_line(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "printkit.yaml"
    rows = ["printer: office", "printers:", "  office:", "    flip: long\x00", ""]
    path.write_text(newline.join(rows), encoding="utf-8", newline="")
    with pytest.raises(PrinterFileError) as caught:
        load_printers(path)
    assert caught.value.messages == [
        f"{path}:4: this line contains an invisible control character (U+0000) that YAML does "
        "not allow; delete it"
    ]


def test_the_command_line_shows_one_line_and_exits_1(run, write_deck, tmp_path: Path) -> None:
    deck = write_deck('title: T\ncards:\n  - question: Q\n    answer: "Paris" is the capital\n')
    result = run("build", deck, "--out", tmp_path / "out")
    assert (result.exit_code, result.output) == (
        1,
        f'Error: {deck}:4: text follows the closing quote of "Paris"; put the whole text in '
        "quotes, using the other kind inside, as in answer: '\"Paris\" is the capital'\n",
    )
