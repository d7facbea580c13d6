"""Quizzes and their keys read back from the PDFs; cloze cards, tag selection and two-way cards."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from printkit import fonts
from printkit.card_content import BLANK_FACTOR
from printkit.deck import parse_deck
from printkit.errors import DeckError
from printkit.text import text_width

WORDS = {
    "le pain": "bread",
    "le fromage": "cheese",
    "la pomme": "apple",
    "la poire": "pear",
    "le lait": "milk",
    "l'eau": "water",
    "le beurre": "butter",
    "la viande": "meat",
    "le poisson": "fish",
    "la fraise": "strawberry",
    "le jus d'orange": "orange juice",
    "les légumes": "vegetables",
    "le riz": "rice",
    "la soupe": "soup",
}
FRUIT = {"la pomme", "la poire", "la fraise"}
CLOZES = {
    "The {{mitochondrion}} is where respiration happens": ["mitochondrion"],
    "{{c1::Chlorophyll}} makes leaves {{c2::green::colour}}": ["Chlorophyll", "green"],
}


def vocabulary(extra: str = "") -> str:
    cards = "".join(
        f'  - question: "{q}"\n    answer: {a}\n    tags: [{"fruit" if q in FRUIT else "food"}]\n'
        for q, a in WORDS.items()
    )
    cards += "  - question: le gâteau\n    answer: cake\n    wrong: [biscuit, bread roll]\n    marks: 3\n"
    cards += "".join(f'  - cloze: "{c}"\n' for c in CLOZES)
    cards += "  - question: Describe your breakfast.\n    answer: I eat bread with butter and jam, and drink a glass of orange juice every morning.\n"
    return f"title: Food\n{extra}cards:\n{cards}"


def lines_of(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def section(
    lines: list[str],
    start: str,
    stops=("Matching", "Fill in the blanks", "True or false", "Written answers"),
) -> list[str]:
    """The lines of the section starting at a line beginning with `start`."""
    begin = next(i for i, line in enumerate(lines) if line.startswith(start))
    end = next((i for i in range(begin + 1, len(lines)) if lines[i].startswith(stops)), len(lines))
    return lines[begin + 1 : end]


QUESTION = re.compile(r"^(\d+)\. (.+?) \[(\d+)\]$")
CHOICE = re.compile(r"([A-F])\) (.+?)(?= [A-F]\) |$)")


def multiple_choice(lines: list[str]) -> dict[int, tuple[str, dict[str, str]]]:
    """Each question's number: its text and its choices by letter."""
    found: dict[int, tuple[str, dict[str, str]]] = {}
    number = 0
    for line in section(lines, "Multiple choice"):
        if match := QUESTION.match(line):
            number = int(match[1])
            found[number] = (match[2], {})
        elif (number and line.startswith("A) ")) or re.match(r"^[A-F]\) ", line):
            found[number][1].update(CHOICE.findall(line))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One build of the vocabulary deck's quiz and key in three versions, shared by the tests."""
    from click.testing import CliRunner

    from printkit.cli import main

    folder = tmp_path_factory.mktemp("quiz")
    deck = folder / "food.yaml"
    deck.write_text(vocabulary(), encoding="utf-8")
    args = ["build", deck, "--out", folder / "out", "--layout", "quiz", "--layout", "quiz-key"]
    args += ["--versions", "3", "--seed", "5", "-j", "1"]
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder / "out"


ANSWERS = {**WORDS, "le gâteau": "cake"}


@pytest.mark.parametrize("letter", "ABC")
def test_every_choice_question_has_one_right_choice_and_the_key_names_it(built, letter):
    quiz = lines_of(built / f"food-quiz-{letter}.pdf")
    key = section(lines_of(built / f"food-quiz-key-{letter}.pdf"), "Multiple choice")
    questions = multiple_choice(quiz)
    assert len(questions) >= 4
    key_letters = dict(re.findall(r"^(\d+)\. ([A-F]) ", "\n".join(key), re.MULTILINE))
    for number, (question, choices) in questions.items():
        assert len(choices) == 4, (question, choices)
        assert len(set(choices.values())) == 4  # never two identical choices
        right = [letter for letter, text in choices.items() if text == ANSWERS[question]]
        assert len(right) == 1, (question, choices)
        assert key_letters[str(number)] == right[0]
        if question == "le gâteau":  # its own wrong answers come first
            assert {"biscuit", "bread roll"} <= set(choices.values())
    assert any(
        line.startswith("Version " + letter) or line.endswith("Version " + letter) for line in quiz
    )


def test_versions_differ_and_right_letters_spread(built):
    orders = [
        tuple(q for q, _ in multiple_choice(lines_of(built / f"food-quiz-{v}.pdf")).values())
        for v in "ABC"
    ]
    assert len(set(orders)) == 3
    letters = Counter()
    for v in "ABC":
        for question, choices in multiple_choice(lines_of(built / f"food-quiz-{v}.pdf")).values():
            letters.update(letter for letter, text in choices.items() if text == ANSWERS[question])
    assert set(letters) == set("ABCD") and max(letters.values()) - min(letters.values()) <= 3


def test_matching_true_false_and_fill_in_keys_are_right(built):
    quiz, key = lines_of(built / "food-quiz-B.pdf"), lines_of(built / "food-quiz-key-B.pdf")
    matching = section(quiz, "Matching")
    listed, asked = {}, {}
    for line in matching:
        if m := re.match(r"^(?:(\d+)\. (.+?) )?([A-F])\) (.+?)(?: \[\d+\])?$", line):
            listed[m[3]] = m[4]
            if m[1]:
                asked[int(m[1])] = m[2]
    pairs = re.findall(r"^(\d+) – ([A-F]) (.+)$", "\n".join(section(key, "Matching")), re.MULTILINE)
    assert pairs and len(pairs) == len(asked)
    for number, letter, answer in pairs:
        assert listed[letter] == answer == ANSWERS[asked[int(number)]]
    statements = section(quiz, "True or false")
    truth = dict(
        re.findall(r"^(\d+)\. (True|False)", "\n".join(section(key, "True or false")), re.MULTILINE)
    )
    assert truth and set(truth.values()) == {"True", "False"}
    for i, line in enumerate(statements):
        if m := QUESTION.match(line):
            shown = statements[i + 1].removesuffix("True False").strip()
            assert truth[m[1]] == ("True" if shown == ANSWERS[m[2]] else "False")
    fill = "\n".join(section(key, "Fill in the blanks"))
    assert "mitochondrion" in fill and "Chlorophyll, green" in fill
    score = next(line for line in quiz if line.startswith("Answer every question"))
    marks = sum(int(m) for line in quiz for m in re.findall(r"\[(\d+)\]$", line))
    assert score.endswith(f"Score: / {marks}") and marks == 14 + 3 + 2 + 1  # gâteau counts 3


def test_blanks_are_sized_to_the_hidden_text(built):
    with pdfplumber.open(built / "food-quiz-A.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"] == "_"]
    runs: list[list[dict]] = []
    for char in chars:
        if (
            runs
            and abs(runs[-1][-1]["x1"] - char["x0"]) < 0.5
            and runs[-1][-1]["top"] == char["top"]
        ):
            runs[-1].append(char)
        else:
            runs.append([char])
    widths = sorted(run[-1]["x1"] - run[0]["x0"] for run in runs)
    size = chars[0]["size"]
    expected = sorted(
        text_width(word, fonts.REGULAR, size) * BLANK_FACTOR
        for words in CLOZES.values()
        for word in words
    )
    assert len(widths) == len(expected)
    underscore = text_width("_", fonts.REGULAR, size)
    for width, hidden in zip(widths, expected, strict=True):
        assert hidden <= width <= hidden + underscore + 0.01


def test_cloze_cards_in_flashcards_summary_and_worksheet(run, tmp_path, write_deck):
    deck = write_deck(vocabulary())
    result = run(
        "build",
        deck,
        "--out",
        tmp_path / "out",
        "--layout",
        "flashcards",
        "--layout",
        "summary",
        "-j",
        "1",
    )
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "out" / "deck-flashcards.pdf") as pdf:
        texts = [re.sub(r"\s+", " ", p.extract_text()) for p in pdf.pages]
        bold = {c["text"] for p in pdf.pages for c in p.chars if "Bold" in c["fontname"]}
    # Fronts: blanks (and the hint); backs: the whole sentence, the answers in bold.
    fronts, backs = " ".join(texts[::2]), " ".join(texts[1::2])
    assert "______" in fronts and "(colour)" in fronts and "mitochondrion" not in fronts
    assert "mitochondrion" in backs and "______" not in backs
    assert set("mitochondrion") <= bold
    with pdfplumber.open(tmp_path / "out" / "deck-summary.pdf") as pdf:
        summary = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
    assert "mitochondrion" in summary and "{{" not in summary and "___" not in summary


def test_direction_both_doubles_the_cards(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\ncards:\n" + "".join(f"  - {{question: q{i}, answer: a{i}}}\n" for i in range(6))
    )
    counts = {}
    for direction in ("forward", "both", "reverse"):
        out = tmp_path / direction
        assert (
            run(
                "build",
                deck,
                "--out",
                out,
                "--layout",
                "flashcards",
                "--set",
                f"direction={direction}",
            ).exit_code
            == 0
        )
        with pdfplumber.open(out / "deck-flashcards.pdf") as pdf:
            fronts = " ".join(p.extract_text() for p in pdf.pages[::2])
        counts[direction] = (
            len(re.findall(r"\bq\d\b", fronts)),
            len(re.findall(r"\ba\d\b", fronts)),
        )
    assert counts == {"forward": (6, 0), "both": (6, 6), "reverse": (0, 6)}


def test_tag_selection_applies_to_every_layout(run, tmp_path, write_deck):
    deck = write_deck(vocabulary())
    out = tmp_path / "out"
    assert (
        run("build", deck, "--out", out, "--layout", "worksheet", "--tag", "fruit").exit_code == 0
    )
    text = " ".join(lines_of(out / "deck-worksheet.pdf"))
    assert all(q in text for q in FRUIT) and "le pain" not in text
    assert (
        run(
            "build", deck, "--out", out, "--layout", "worksheet", "--not-tag", "food", "--force"
        ).exit_code
        == 0
    )
    text = " ".join(lines_of(out / "deck-worksheet.pdf"))
    assert "le pain" not in text and "la pomme" in text and "respiration happens" in text
    result = run("build", deck, "--out", out, "--tag", "fruit", "--not-tag", "fruit")
    assert result.exit_code == 1
    assert (
        f"{deck}: no card is selected by tag fruit and not tag fruit; the deck's tags are food, fruit"
        in result.output
    )


def test_bad_sections_and_small_decks(run, tmp_path, write_deck):
    deck = write_deck(vocabulary())
    result = run("build", deck, "--out", tmp_path, "--set", "sections=matching,essay")
    assert result.exit_code == 2
    assert (
        "--set sections=matching,essay: sections has no section 'essay'; the sections are "
        "multiple-choice, matching, fill-in, true-false, written"
    ) in result.output
    in_deck = write_deck(vocabulary("options:\n  sections: essay\n"), "in-deck.yaml")
    result = run("build", in_deck, "--out", tmp_path)
    assert (
        result.exit_code == 1 and f"{in_deck}:3: sections has no section 'essay'" in result.output
    )
    small = write_deck(
        "title: S\ncards:\n" + "".join(f"  - {{question: q{i}, answer: a{i}}}\n" for i in range(3)),
        "small.yaml",
    )
    result = run(
        "build", small, "--out", tmp_path, "--layout", "quiz", "--set", "sections=multiple-choice"
    )
    assert result.exit_code == 1
    assert (
        f"{small}: the multiple-choice section needs at least 4 different answers for 4 choices, "
        "but the deck's short answers give only 3; add cards, write wrong: answers on the cards, "
        "or set choices lower"
    ) in result.output
    # Left to itself, the quiz leaves the section out and the key says so.
    assert run("build", small, "--out", tmp_path, "--layout", "quiz-key").exit_code == 0
    key = lines_of(tmp_path / "small-quiz-key.pdf")
    assert any(
        line.startswith("Multiple choice: left out; the multiple-choice section needs")
        for line in key
    )
    # The whole note, wrapped within the rule under the header rather than off the paper.
    assert "add cards, write wrong: answers on the cards, or set choices lower." in " ".join(key)
    with pdfplumber.open(tmp_path / "small-quiz-key.pdf") as pdf:
        page = pdf.pages[0]
        rule = max(line["x1"] for line in page.lines)
        assert all(char["x1"] <= rule + 0.5 for char in page.chars)


@pytest.mark.parametrize(
    ("cloze", "message"),
    [
        (
            "The {{mitochondrion is",
            "the cloze of card 1 has “{{” without a closing “}}”; write each gap as {{answer}}",
        ),
        (
            "The mitochondrion}} is",
            "the cloze of card 1 has “}}” without an opening “{{”; write each gap as {{answer}}",
        ),
        ("The {{c1::}} is", "the cloze of card 1 has an empty gap; write each gap as {{answer}}"),
        (
            "No gap here",
            "the cloze of card 1 has no gap; mark each hidden word with double braces, as in “The {{mitochondrion}} is where respiration happens”",
        ),
    ],
)
def test_malformed_cloze_is_a_deck_error_with_its_line(cloze, message):
    with pytest.raises(DeckError) as caught:
        parse_deck(f'title: T\ncards:\n  - cloze: "{cloze}"\n', Path("d.yaml"))
    assert caught.value.messages == [f"d.yaml:3: {message}"]


def test_cloze_card_reads_gaps_hints_and_refuses_a_question():
    deck = parse_deck(
        'title: T\ncards:\n  - cloze: "{{c1::Chlorophyll}} is {{c2::green::colour}}"\n    marks: 2\n',
        Path("d.yaml"),
    )
    card = deck.cards[0]
    assert card.cloze and card.answer == ("Chlorophyll", "green") and card.marks == 2
    with pytest.raises(DeckError) as caught:
        parse_deck('title: T\ncards:\n  - cloze: "a {{b}}"\n    question: Q\n', Path("d.yaml"))
    assert caught.value.messages == [
        "d.yaml:4: card 1 has both cloze: and question:; a cloze card's gaps are its answers, so remove question: or make it two cards"
    ]
