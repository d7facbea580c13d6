"""Worksheets and answer keys, read back from the PDFs as a teacher holding them would."""

from __future__ import annotations

import re
from itertools import repeat
from pathlib import Path

import pdfplumber
import pytest
from conftest import MM, PAPER_SIZES, squash

from printkit.deck import load_deck
from printkit.flow import Block, BlockTooTall, flow
from printkit.ordering import class_set

NUMBER = re.compile(r"^(\d+)\.$")
CONTINUED = re.compile(r"Question \d+, continued")


def build(run, deck: Path, out: Path, *args: str) -> None:
    result = run("build", deck, "--out", out, "--layout", "worksheet", "--layout", "answers", *args)
    assert result.exit_code == 0, result.output


def headings(page) -> list[tuple[int, float]]:
    """(number, top) of each bold question number at the left margin of a worksheet page."""
    found = []
    for word in page.extract_words(extra_attrs=["fontname"]):
        match = NUMBER.match(word["text"])
        if match and "Bold" in word["fontname"] and word["x0"] < 25 * MM:
            found.append((int(match.group(1)), word["top"]))
    return found


def writing_lines_per_question(pdf_path: Path) -> dict[int, int]:
    """Count the ruled lines under each numbered question, following it over page breaks.

    A horizontal line belongs to the question heading above it (on this page or, for a
    continuation, an earlier page); lines before the first question are the header's.
    """
    counts: dict[int, int] = {}
    current = None
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            events = [(top, "q", number) for number, top in headings(page)]
            events += [
                (line["top"], "line", 0)
                for line in page.lines
                if abs(line["top"] - line["bottom"]) < 0.5 and line["x1"] - line["x0"] > 100
            ]
            for _, kind, number in sorted(events):
                if kind == "q":
                    current = number
                    counts[number] = 0
                elif current is not None:
                    counts[current] += 1
    return counts


def pdf_text(pdf_path: Path, columns: int = 1) -> str:
    """All the text, squashed, reading each page column by column (the footer, which spans
    the columns, after them)."""
    parts = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            width = float(page.width)
            body = float(page.height) - 12 * MM
            for c in range(columns):
                box = (c * width / columns, 0, (c + 1) * width / columns, body)
                parts.append(page.crop(box).extract_text(x_tolerance=1))
            parts.append(page.crop((0, body, width, float(page.height))).extract_text())
    return squash(" ".join(parts))


def question_order(worksheet: Path) -> list[str]:
    """The questions in the order they are numbered 1, 2, 3… on the worksheet, read from the
    bold question-sized text (the title and the version badge are larger)."""
    parts = []
    with pdfplumber.open(worksheet) as pdf:
        for page in pdf.pages:
            questions = page.filter(
                lambda obj: (
                    obj.get("object_type") != "char"
                    or ("Bold" in obj["fontname"] and obj["size"] < 12)
                )
            )
            parts.append(questions.extract_text(x_tolerance=1))
    text = squash(" ".join(parts))
    numbered = re.split(r"(?:^| )(\d+)\. ", text)[1:]
    numbers = [int(n) for n in numbered[0::2]]
    assert numbers == list(range(1, len(numbers) + 1))
    return numbered[1::2]


def key_entries(answers: Path) -> dict[int, str]:
    """The text of each numbered entry of an answer key, bullets and continuation labels removed."""
    text = CONTINUED.sub(" ", pdf_text(answers, columns=2)).replace("•", " ")
    text = squash(re.sub(r"[^ ]+ · answer key( · Version [A-Z])? Page \d+ of \d+", " ", text))
    starts = [(int(m.group(1)), m.start()) for m in re.finditer(r"(?:^| )(\d+)\. ", text)]
    entries = {}
    for i, (n, start) in enumerate(starts):
        if n == len(entries) + 1:
            end = next((s for m, s in starts[i + 1 :] if m == n + 1), len(text))
            entries[n] = text[start:end].strip()
    return entries


def card_for(deck, question_text: str):
    return next(c for c in deck.cards if squash(c.question).startswith(question_text[:40]))


# --- the seed deck ---------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_question_numbered_in_deck_order(run, tmp_path, seed_deck, paper):
    build(run, seed_deck, tmp_path, "--paper", paper)
    deck = load_deck(seed_deck)
    worksheet = tmp_path / "stalin-foreign-policy-worksheet.pdf"
    order = question_order(worksheet)
    assert [squash(c.question) for c in deck.cards] == [
        q[: len(squash(c.question))] for q, c in zip(order, deck.cards, strict=True)
    ]
    with pdfplumber.open(worksheet) as pdf:
        pages = len(pdf.pages)
        for n, page in enumerate(pdf.pages, start=1):
            assert (float(page.width), float(page.height)) == pytest.approx(
                PAPER_SIZES[paper], abs=0.01
            )
            assert f"Page {n} of {pages}" in page.extract_text()
            assert "Stalin's foreign policy" in page.extract_text()
        first = pdf.pages[0].extract_text()
    for field in ("Name", "Class", "Date", "History"):
        assert field in first


def test_no_answer_text_on_the_worksheet(run, tmp_path, seed_deck):
    build(run, seed_deck, tmp_path)
    deck = load_deck(seed_deck)
    text = pdf_text(tmp_path / "stalin-foreign-policy-worksheet.pdf")
    questions = [squash(c.question) for c in deck.cards]
    for card in deck.cards:
        for point in card.answer:
            # "China" is an answer point and also a word of a question: only what is not part
            # of a question must be absent; the leftover check below covers the rest.
            if not any(squash(point) in q for q in questions):
                assert squash(point) not in text
    leftover = text
    for n, question in enumerate(questions, start=1):
        leftover = leftover.replace(f"{n}. {question}", " ")
    leftover = re.sub(r"Page \d+ of \d+|Question \d+, continued", " ", leftover)
    for known in (deck.title, deck.subject, "Name", "Class", "Date"):
        leftover = leftover.replace(known, " ")
    leftover = leftover.replace("Write your answer to each question on the lines below it.", " ")
    assert squash(leftover) == ""


def test_longest_answer_gets_at_least_twice_the_lines_of_the_shortest(run, tmp_path, seed_deck):
    build(run, seed_deck, tmp_path)
    counts = writing_lines_per_question(tmp_path / "stalin-foreign-policy-worksheet.pdf")
    assert sorted(counts) == [1, 2, 3, 4, 5, 6]
    assert all(count >= 1 for count in counts.values())
    nazi, main_issues = counts[2], counts[3]  # deck order: card 2 and card 3
    assert nazi >= 2 * main_issues
    # The list of three one-word-ish points gets a line per point, no more.
    assert main_issues == 3


def test_every_answer_in_the_key_under_its_number(run, tmp_path, seed_deck):
    build(run, seed_deck, tmp_path)
    deck = load_deck(seed_deck)
    answers = tmp_path / "stalin-foreign-policy-answers.pdf"
    entries = key_entries(answers)
    assert sorted(entries) == [1, 2, 3, 4, 5, 6]
    for n, card in enumerate(deck.cards, start=1):
        assert entries[n].startswith(f"{n}. {squash(card.question)}")
        for point in card.answer:
            assert squash(point) in entries[n]
    with pdfplumber.open(answers) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert "•" in text  # list answers print as bullets
    assert "Questions in the order of the deck." in squash(text)


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("layout", ["worksheet", "answers"])
def test_nothing_within_5mm_of_the_edge(run, tmp_path, seed_deck, paper, layout):
    build(run, seed_deck, tmp_path, "--paper", paper, "--versions", "2")
    with pdfplumber.open(tmp_path / f"stalin-foreign-policy-{layout}-A.pdf") as pdf:
        for page in pdf.pages:
            objects = page.chars + page.lines + page.rects + page.curves
            assert objects
            for obj in objects:
                assert obj["x0"] >= 5 * MM - 0.01 and obj["x1"] <= float(page.width) - 5 * MM + 0.01
                assert obj["top"] >= 5 * MM - 0.01
                assert obj["bottom"] <= float(page.height) - 5 * MM + 0.01


# --- class sets ---------------------------------------------------------------------------------


def test_versions_differ_in_order_and_match_their_keys(run, tmp_path, seed_deck):
    build(run, seed_deck, tmp_path, "--versions", "3", "--seed", "7")
    deck = load_deck(seed_deck)
    assert not (tmp_path / "stalin-foreign-policy-worksheet.pdf").exists()
    orders = []
    for letter in "ABC":
        worksheet = tmp_path / f"stalin-foreign-policy-worksheet-{letter}.pdf"
        answers = tmp_path / f"stalin-foreign-policy-answers-{letter}.pdf"
        order = question_order(worksheet)
        assert len(order) == len(deck.cards)
        entries = key_entries(answers)
        for n, asked in enumerate(order, start=1):
            card = card_for(deck, asked)
            assert entries[n].startswith(f"{n}. {squash(card.question)}")
            for point in card.answer:
                assert squash(point) in entries[n]
        for path in (worksheet, answers):
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:  # a mixed pile can be sorted from any page
                    assert f"Version {letter}" in page.extract_text()
        orders.append(order)
    assert len({tuple(order) for order in orders}) == 3


def test_same_seed_gives_identical_files_and_no_seed_keeps_deck_order(run, tmp_path, seed_deck):
    first, second, other = tmp_path / "1", tmp_path / "2", tmp_path / "3"
    build(run, seed_deck, first, "--seed", "42")
    build(run, seed_deck, second, "--seed", "42")
    build(run, seed_deck, other, "--seed", "43")
    for name in ("worksheet", "answers"):
        file = f"stalin-foreign-policy-{name}.pdf"
        assert (first / file).read_bytes() == (second / file).read_bytes()
        assert (first / file).read_bytes() != (other / file).read_bytes()
    deck = load_deck(seed_deck)
    shuffled = question_order(first / "stalin-foreign-policy-worksheet.pdf")
    in_deck_order = [squash(c.question) for c in deck.cards]
    assert sorted(shuffled) == sorted(in_deck_order)
    assert shuffled != in_deck_order
    key_text = pdf_text(first / "stalin-foreign-policy-answers.pdf")
    assert "Questions shuffled with seed 42." in key_text


def test_seed_and_versions_from_the_deck_apply_to_both_layouts(run, tmp_path, write_deck):
    deck = write_deck(
        "title: Capitals\noptions:\n  seed: 3\n  versions: 2\ncards:\n"
        + "".join(f"  - question: Capital {i}?\n    answer: City {i}\n" for i in range(1, 6))
    )
    build(run, deck, tmp_path)
    names = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert names == [
        "deck-answers-A.pdf",
        "deck-answers-B.pdf",
        "deck-worksheet-A.pdf",
        "deck-worksheet-B.pdf",
    ]
    a = question_order(tmp_path / "deck-worksheet-A.pdf")
    b = question_order(tmp_path / "deck-worksheet-B.pdf")
    assert a != b and sorted(a) == sorted(b)
    # The command line wins over the deck: one version, no suffix.
    out = tmp_path / "cli"
    build(run, deck, out, "--versions", "1")
    assert sorted(p.name for p in out.glob("*.pdf")) == ["deck-answers.pdf", "deck-worksheet.pdf"]


def test_a_two_card_deck_has_exactly_two_versions(run, tmp_path, write_deck):
    deck = write_deck(
        "title: Tiny\ncards:\n  - question: One?\n    answer: 1\n  - question: Two?\n    answer: 2\n"
    )
    build(run, deck, tmp_path, "--versions", "2")
    orders = {tuple(question_order(tmp_path / f"deck-worksheet-{v}.pdf")) for v in "AB"}
    assert orders == {("One?", "Two?"), ("Two?", "One?")}
    result = run("build", deck, "--out", tmp_path / "x", "--versions", "3")
    assert result.exit_code == 1
    assert (
        f"Error: {deck}: versions 3 asks for 3 different question orders, but 2 cards can be put "
        "in only 2 orders; ask for at most 2 versions or add cards" in result.output
    )
    # The other layouts are still built; the worksheet and its key are not.
    built = sorted(p.name for p in (tmp_path / "x").glob("*.pdf"))
    assert built == ["deck-flashcards.pdf", "deck-summary.pdf"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--versions", "0"), "Invalid value for '--versions'"),
        (("--seed", "-1"), "Invalid value for '--seed'"),
        (("--set", "versions=many"), "versions must be a whole number, not 'many'"),
    ],
)
def test_bad_class_set_values_are_refused(run, tmp_path, seed_deck, args, message):
    result = run("build", seed_deck, "--out", tmp_path, *args)
    assert result.exit_code in (1, 2)
    assert message in result.output


# --- sizing the writing space -------------------------------------------------------------------

SENTENCE = "The treaty was signed in a hurry by delegates who had not read every clause of it. "


def test_writing_space_grows_in_proportion_to_the_answer(run, tmp_path, write_deck):
    deck = write_deck(
        "title: Proportions\ncards:\n"
        "  - question: Capital of France?\n    answer: Paris\n"
        f"  - question: Explain the treaty.\n    answer: {SENTENCE * 4}\n"
        f"  - question: Explain it at length.\n    answer: {SENTENCE * 8}\n"
        f"  - question: Only four lines please.\n    lines: 4\n    answer: {SENTENCE * 8}\n"
    )
    build(run, deck, tmp_path)
    counts = writing_lines_per_question(tmp_path / "deck-worksheet.pdf")
    assert counts[1] == 1
    assert counts[2] >= 5 * counts[1]
    assert 1.7 <= counts[3] / counts[2] <= 2.3
    assert counts[4] == 4  # `lines:` wins over the answer's length


def test_spacing_and_handwriting_options(run, tmp_path, write_deck):
    deck = write_deck(f"title: Sizes\ncards:\n  - question: Explain.\n    answer: {SENTENCE * 3}\n")

    def pitches_and_count(*args: str) -> tuple[float, int]:
        out = tmp_path / "-".join(args)
        build(run, deck, out, *args)
        with pdfplumber.open(out / "deck-worksheet.pdf") as pdf:
            tops = sorted(
                line["top"] for line in pdf.pages[0].lines if line["x1"] - line["x0"] > 100
            )
        gaps = [b - a for a, b in zip(tops[-4:], tops[-3:], strict=False)]
        return gaps[0] / MM, writing_lines_per_question(out / "deck-worksheet.pdf")[1]

    medium, lines = pitches_and_count()
    narrow, _ = pitches_and_count("--set", "spacing=narrow")
    wide, _ = pitches_and_count("--set", "worksheet.spacing=wide")
    assert (narrow, medium, wide) == pytest.approx((8, 9, 11), abs=0.05)
    _, more = pitches_and_count("--set", "handwriting=3")
    assert more > lines


def test_a_question_never_leaves_its_first_lines_behind(run, tmp_path, write_deck):
    cards = "".join(
        f"  - question: Question {i} about a long topic?\n    answer: {SENTENCE * (i % 9 + 2)}\n"
        for i in range(1, 31)
    )
    deck = write_deck(f"title: Long\ncards:\n{cards}")
    build(run, deck, tmp_path, "--set", "spacing=wide")
    worksheet = tmp_path / "deck-worksheet.pdf"
    total = continued = 0
    with pdfplumber.open(worksheet) as pdf:
        assert len(pdf.pages) > 3
        for page in pdf.pages:
            rules = sorted(line["top"] for line in page.lines if line["x1"] - line["x0"] > 100)
            marks = headings(page)
            for i, (_, top) in enumerate(marks):
                below = [
                    t for t in rules if t > top and (i + 1 == len(marks) or t < marks[i + 1][1])
                ]
                assert len(below) >= 1
            text = page.extract_text()
            for match in CONTINUED.finditer(text):
                # a continuation label is the first thing on its page
                assert text.startswith(match.group(0))
                continued += 1
            total += len(marks)
    assert total == 30
    assert continued >= 1  # long answers did run over a page break
    counts = writing_lines_per_question(worksheet)
    assert question_order(worksheet)[:3] == [f"Question {i} about a long topic?" for i in (1, 2, 3)]
    assert len(key_entries(tmp_path / "deck-answers.pdf")) == 30
    assert min(counts.values()) >= 1


# --- the pure parts -----------------------------------------------------------------------------


def test_class_set_orders_are_stable_and_distinct(seed_deck):
    deck = load_deck(seed_deck)
    single = class_set(deck, {"seed": 5, "versions": 1})
    versions = class_set(deck, {"seed": 5, "versions": 4})
    assert [v.letter for v in versions] == ["A", "B", "C", "D"]
    assert single[0].cards == versions[0].cards  # version A is the plain seed-5 order
    assert len({v.cards for v in versions}) == 4
    assert class_set(deck, {"seed": 5, "versions": 4}) == versions
    unseeded = class_set(deck, {"seed": None, "versions": 2})
    assert unseeded == class_set(deck, {"seed": 1, "versions": 2})
    assert class_set(deck, {"seed": None, "versions": 1})[0].cards == deck.cards


def test_flow_keeps_short_blocks_whole_and_splits_long_ones_evenly():
    page = 100.0

    def flow_rows(blocks, pages, **policy):  # blocks of rows: a heading row, then body rows
        return flow([Block.from_rows(rows) for rows in blocks], repeat(pages), **policy)

    # 10 + 4×10 fits on page one; the next block (heading + 5 rows) would fit only partly,
    # and 5 rows cannot give 3 to each side: it moves whole.
    frames = flow_rows([[10] + [10] * 4, [10] + [10] * 5], page, gap=0, min_split=3)
    assert [[(p.block, p.start, p.stop) for p in f] for f in frames] == [[(0, 0, 5)], [(1, 0, 6)]]
    # 12 rows: split with at least 3 on each side, the heading with the first part.
    frames = flow_rows([[10] * 4, [10] + [10] * 12], page, gap=0, min_split=3)
    first, second = frames
    assert first[1].start == 0 and first[1].stop - 1 >= 3
    assert second[0].continued and 13 - second[0].start >= 3
    with pytest.raises(BlockTooTall):
        flow_rows([[150, 10]], page, gap=0)


@pytest.mark.parametrize("setting", ["worksheet.seed=7", "answers.versions=2"])
def test_class_set_options_cannot_be_set_for_one_layout(run, seed_deck, tmp_path, setting):
    result = run("build", seed_deck, "--out", tmp_path, "--set", setting)
    assert result.exit_code == 2
    name = setting.split(".")[1].split("=")[0]
    layout = setting.split(".")[0]
    assert (
        f"--set {setting}: {name} is shared by the worksheet, answers, quiz and quiz-key layouts so that they "
        f"match; set it for all of them, without '{layout}.' in front"
    ) in result.output
    assert not list(tmp_path.glob("*.pdf"))


def test_class_set_options_for_one_layout_in_a_deck_name_the_line(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\noptions:\n  answers:\n    seed: 3\ncards:\n  - question: Q\n    answer: A\n"
    )
    result = run("build", deck, "--out", tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}:4: seed is shared by the worksheet, answers, quiz and quiz-key layouts so that they "
        "match; set it for all of them, without 'answers.' in front\n"
    )


def test_marks_show_per_question_with_the_total_in_a_score_box(run, tmp_path, write_deck):
    deck = write_deck(
        "title: Marks\ncards:\n"
        "  - question: First\n    answer: one\n"
        "  - question: Second\n    answer: two\n    marks: 5\n"
        "  - question: Third\n    answer: three\n"
    )
    run("build", deck, "--out", tmp_path / "none", "--layout", "worksheet")
    run("build", deck, "--out", tmp_path / "two", "--layout", "worksheet", "--set", "marks=2")
    with pdfplumber.open(tmp_path / "none" / "deck-worksheet.pdf") as pdf:
        text = pdf.pages[0].extract_text()
        # Without the option, only the card that gives marks shows them, and the total.
        assert "[5]" in text and "[2]" not in text and "/ 5" in text
    with pdfplumber.open(tmp_path / "two" / "deck-worksheet.pdf") as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        assert [w["text"] for w in words if w["text"].startswith("[")] == ["[2]", "[5]", "[2]"]
        assert "/ 9" in page.extract_text()
        # Each mark sits on its question's line, at the right margin.
        for question, mark in (("First", "[2]"), ("Second", "[5]")):
            q = next(w for w in words if w["text"] == question)
            m = next(w for w in words if w["text"] == mark and abs(w["bottom"] - q["bottom"]) < 1)
            assert m["x1"] > page.width - 20 * MM


def test_a_deck_without_marks_prints_its_worksheet_as_before(run, tmp_path, seed_deck):
    run("build", seed_deck, "--out", tmp_path, "--layout", "worksheet")
    with pdfplumber.open(tmp_path / "stalin-foreign-policy-worksheet.pdf") as pdf:
        assert "Score" not in pdf.pages[0].extract_text()
