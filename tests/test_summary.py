"""The one-page summary, read back from the PDF as a student pinning it on the wall would see it."""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import pairwise

import pdfplumber
import pytest
from conftest import MM, PAPER_SIZES, squash
from printkit.layouts import summary
from pypdf import PdfReader

from printkit.deck import load_deck
from printkit.flow import flow
from printkit.paper import PAPERS

WORDS = [
    "river",
    "treaty",
    "empire",
    "war",
    "peace",
    "trade",
    "law",
    "vote",
    "army",
    "navy",
    "bridge",
    "coal",
    "steel",
    "harbour",
]


def words(seed: int, count: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(count))


def generated_deck(cards: int, points: int = 1, point_words: int = 5) -> str:
    """A deck text of `cards` cards; list answers when points > 1."""
    lines = ["title: Generated", "subject: Testing", "cards:"]
    for i in range(1, cards + 1):
        lines.append(f"  - question: Question {i} {words(i, 4)}?")
        if points == 1:
            lines.append(f"    answer: {words(i + 1, point_words)}")
        else:
            lines.append("    answer:")
            lines += [f"      - {words(i + p, point_words)}" for p in range(points)]
    return "\n".join(lines) + "\n"


def build(run, deck, out, *args) -> pdfplumber.PDF:
    result = run("build", deck, "--out", out, "--layout", "summary", *args)
    assert result.exit_code == 0, result.output
    return pdfplumber.open(out / f"{deck.stem}-summary.pdf")


def regions(page) -> tuple[list, list[list], list]:
    """Chars of the header, of each column (left to right) and of the footer, read from the
    rules the layout draws: a horizontal rule under the header, hairlines between columns."""
    width = float(page.width)
    horizontal = [line["top"] for line in page.lines if abs(line["top"] - line["bottom"]) < 0.01]
    vertical = sorted(line["x0"] for line in page.lines if abs(line["x0"] - line["x1"]) < 0.01)
    header_bottom = min(horizontal, default=0.0)
    footer_top = max(c["top"] for c in page.chars) - 0.5
    edges = [0.0, *vertical, width]

    def within(x0, top, x1, bottom):
        return [
            c
            for c in page.chars
            if c["x0"] >= x0 and c["x1"] <= x1 and c["top"] >= top and c["bottom"] <= bottom
        ]

    header = within(0, 0, width, header_bottom)
    columns = [within(x0, header_bottom, x1, footer_top) for x0, x1 in pairwise(edges)]
    footer = within(0, footer_top, width, float(page.height))
    assert len(header) + sum(map(len, columns)) + len(footer) == len(page.chars)
    return header, columns, footer


def text_of(page, chars) -> str:
    if not chars:
        return ""
    x0 = min(c["x0"] for c in chars)
    x1 = max(c["x1"] for c in chars)
    top = min(c["top"] for c in chars)
    bottom = max(c["bottom"] for c in chars)
    return squash(page.within_bbox((x0, top, x1, bottom)).extract_text(x_tolerance=1))


def card_text(card) -> str:
    bullet = "• " if card.is_list else ""
    return squash(" ".join([card.question, *(bullet + point for point in card.answer)]))


def reading_text(pdf) -> str:
    """Header, then every column top to bottom, left to right, page after page; no footers."""
    parts = []
    for page in pdf.pages:
        header, columns, _ = regions(page)
        parts.append(text_of(page, header))
        parts += [text_of(page, column) for column in columns]
    return squash(" ".join(parts))


def body_size(pdf) -> float:
    sizes = Counter(round(c["size"], 2) for page in pdf.pages for c in page.chars)
    return sizes.most_common(1)[0][0]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_seed_deck_fits_one_page_with_every_question_and_answer(run, tmp_path, seed_deck, paper):
    deck = load_deck(seed_deck)
    with build(run, seed_deck, tmp_path, "--paper", paper) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert (float(page.width), float(page.height)) == pytest.approx(
            PAPER_SIZES[paper], abs=0.01
        )
        expected = " ".join(card_text(card) for card in deck.cards)
        assert reading_text(pdf) == squash(f"{deck.title} History · 6 cards {expected}")
        # Each card whole in one column: the page has room for it.
        _, columns, footer = regions(page)
        texts = [text_of(page, column) for column in columns]
        assert len(texts) == 2
        for card in deck.cards:
            assert sum(card_text(card) in text for text in texts) == 1
        assert min(c["size"] for c in page.chars if c not in footer) >= 11
        assert body_size(pdf) == summary.MAX_SIZE == 12
        assert text_of(page, footer) == (
            f"text 12 pt · 2 columns · portrait {'A4' if paper == 'a4' else 'Letter'} · print at 100 %"
        )


def chars_overlap(a, b) -> bool:
    tolerance = 0.01
    return (
        a["x0"] < b["x1"] - tolerance
        and b["x0"] < a["x1"] - tolerance
        and a["top"] < b["bottom"] - tolerance
        and b["top"] < a["bottom"] - tolerance
    )


def assert_no_overlap_and_safe_margin(pdf) -> None:
    for page in pdf.pages:
        width, height = float(page.width), float(page.height)
        for obj in page.chars + page.lines + page.rects:
            assert obj["x0"] >= 5 * MM - 0.01 and obj["x1"] <= width - 5 * MM + 0.01
            assert obj["top"] >= 5 * MM - 0.01 and obj["bottom"] <= height - 5 * MM + 0.01
        chars = sorted(page.chars, key=lambda c: c["top"])
        for i, char in enumerate(chars):
            for other in chars[i + 1 :]:
                if other["top"] >= char["bottom"]:
                    break  # sorted by top: nothing further down can reach this char
                if chars_overlap(char, other):
                    raise AssertionError(f"{char['text']!r} and {other['text']!r} overlap")


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("cards", ["seed", 60, 24])
def test_no_text_overlaps_and_nothing_near_the_edge(
    run, tmp_path, write_deck, seed_deck, paper, cards
):
    deck = seed_deck if cards == "seed" else write_deck(generated_deck(cards, points=3))
    with build(run, deck, tmp_path, "--paper", paper) as pdf:
        assert_no_overlap_and_safe_margin(pdf)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_chosen_size_is_the_largest_that_fits(run, tmp_path, write_deck, paper):
    deck_path = write_deck(generated_deck(40, points=3, point_words=7))
    deck = load_deck(deck_path)
    with build(run, deck_path, tmp_path, "--paper", paper) as pdf:
        assert len(pdf.pages) == 1
        size = body_size(pdf)
        expected = " ".join(card_text(card) for card in deck.cards)
        assert reading_text(pdf) == squash(f"Generated Testing · 40 cards {expected}")
        _, _, footer = regions(pdf.pages[0])
        assert text_of(pdf.pages[0], footer).startswith(f"text {size:g} pt · ")
    assert summary.MIN_SIZE <= size < summary.MAX_SIZE
    # The layout's own planner, asked for one step more, finds no way to fit it on the page.
    assert summary.plan_at_size(deck, PAPERS[paper], size) is not None
    assert summary.plan_at_size(deck, PAPERS[paper], size + summary.STEP) is None


def test_sixty_short_cards_fit_one_page_with_balanced_columns(run, tmp_path, write_deck):
    deck_path = write_deck(generated_deck(60, point_words=4))
    deck = load_deck(deck_path)
    with build(run, deck_path, tmp_path) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        size = body_size(pdf)
        assert size >= 8
        _, columns, _ = regions(page)
        assert len(columns) >= 2
        expected = " ".join(card_text(card) for card in deck.cards)
        assert reading_text(pdf) == squash(f"Generated Testing · 60 cards {expected}")
        # Balanced: the columns end within a couple of lines of each other.
        bottoms = [max(c["bottom"] for c in column) for column in columns]
        assert max(bottoms) - min(bottoms) < 3 * 1.3 * size


def test_a_deck_too_big_for_one_page_says_how_many_pages_it_needs(run, tmp_path, write_deck):
    deck = write_deck(generated_deck(150, points=3, point_words=12), name="huge.yaml")
    result = run("build", deck, "--out", tmp_path, "--layout", "summary")
    assert result.exit_code == 1
    needed = int(re.search(r"would need (\d+) pages", result.output).group(1))
    assert result.output == (
        f"Error: {deck}: the summary of “Generated” (150 cards) does not fit on one page even at "
        f"6 pt; it would need {needed} pages at 6 pt: ask for them with --set summary.pages={needed} "
        f"or with options: {{summary: {{pages: {needed}}}}} in the deck\n"
    )
    assert not (tmp_path / "huge-summary.pdf").exists()
    # The number is right: one page fewer is still refused, and that many pages works.
    fewer = run(
        "build", deck, "--out", tmp_path, "--layout", "summary", "--set", f"pages={needed - 1}"
    )
    assert fewer.exit_code == 1
    assert f"does not fit on {needed - 1} pages even at 6 pt; it would need {needed} pages" in (
        fewer.output
    )
    with build(run, deck, tmp_path, "--set", f"summary.pages={needed}") as pdf:
        assert len(pdf.pages) == needed
        assert body_size(pdf) >= 6


def test_a_deck_needing_more_pages_than_a_summary_may_have_says_at_least_how_many(
    run, tmp_path, write_deck
):
    deck_path = write_deck(generated_deck(520, points=6, point_words=20), name="tome.yaml")
    result = run("build", deck_path, "--out", tmp_path, "--layout", "summary")
    assert result.exit_code == 1
    least = int(re.search(r"would need at least (\d+) pages", result.output).group(1))
    assert result.output == (
        f"Error: {deck_path}: the summary of “Generated” (520 cards) does not fit on one page "
        f"even at 6 pt; it would need at least {least} pages at 6 pt, more than the 20 a summary "
        "may have: split the deck, or summarise some of its cards with --tag\n"
    )
    # The number is a true lower bound, and a close one: counted the long way (every card
    # poured on as many pages as it takes), the deck fills that many pages or a few more.
    planner = summary._Planner(load_deck(deck_path), PAPERS["a4"], 1)
    exact, _ = planner.pages_needed_at_floor()
    assert 20 < least <= exact <= least * 1.15


@pytest.mark.parametrize(
    ("cards", "points", "point_words", "markup"),
    [(60, 1, 40, False), (150, 3, 12, False), (90, 9, 25, False), (80, 2, 30, True)],
)
def test_the_least_page_count_never_exceeds_the_pages_a_deck_fills(
    write_deck, cards, points, point_words, markup
):
    text = generated_deck(cards, points, point_words)
    if markup:  # styled questions take the exact path: laid out, not estimated
        text = text.replace("question: Question", "question: The **question**")
    planner = summary._Planner(load_deck(write_deck(text)), PAPERS["a4"], 1)
    exact, ran_out = planner.pages_needed_at_floor()
    assert not ran_out and exact is not None
    assert 1 <= planner.pages_at_least() <= exact
    # Counting stops at a page limit: beyond it, it says so rather than counting on.
    if exact > 1:
        assert planner.pages_needed_at_floor(exact - 1) == (None, True)
    assert planner.pages_needed_at_floor(exact) == (exact, False)


@pytest.mark.parametrize(
    ("cards", "points", "point_words", "pages"),
    [(6, 3, 6, 1), (12, 1, 60, 1), (40, 3, 7, 1), (90, 2, 9, 2), (3, 1, 200, 1), (1, 1, 2, 1)],
)
def test_the_chosen_frame_and_spacing_are_the_best_of_every_way_tried(
    write_deck, cards, points, point_words, pages
):
    """The planner pours the likeliest ways first and stops once the rest cannot win: the long
    way, every frame and spacing poured with every card laid out, prefers the same one."""
    deck = load_deck(write_deck(generated_deck(cards, points, point_words)))
    planner = summary._Planner(deck, PAPERS["a4"], pages)
    tried = 0
    for k in range(round((summary.MAX_SIZE - summary.MIN_SIZE) / summary.STEP), -1, -4):
        size = summary.size_at(k)
        ways = []
        for order, frame in enumerate(planner.frames):
            if k not in frame.sizes():
                continue
            for looseness, spacing in enumerate(reversed(summary.SPACINGS)):
                for split in (False, True):
                    columns = planner.fill(frame, k, spacing, split)
                    if columns is not None:
                        ways.append(
                            (
                                not split,
                                -math.ceil(len(columns) / frame.columns),
                                looseness,
                                frame.orientation == "portrait",
                                -abs(frame.column_width / size - summary.IDEAL_EM),
                                -order,
                                (frame, k, spacing, split),
                            )
                        )
                        break
        best = max(ways)[-1] if ways else None
        assert summary._Planner(deck, PAPERS["a4"], pages)._choose(k) == best
        tried += best is not None
    assert tried  # some size fitted


def test_two_pages_from_the_deck_options_print_duplex(run, tmp_path, write_deck):
    deck_path = write_deck("options:\n  summary:\n    pages: 2\n" + generated_deck(80, points=2))
    deck = load_deck(deck_path)
    with build(run, deck_path, tmp_path) as pdf:
        assert len(pdf.pages) == 2
        first, second = pdf.pages
        assert (first.width, first.height) == (second.width, second.height)
        expected = " ".join(card_text(card) for card in deck.cards)
        assert reading_text(pdf) == squash(f"Generated Testing · 80 cards {expected}")
        assert_no_overlap_and_safe_margin(pdf)
        one_page_size = summary.plan_summary(deck, PAPERS["a4"]).size
        assert body_size(pdf) > one_page_size  # two pages give room for larger text
        # Filled in order: the first page is full, the second holds the rest.
        _, first_columns, _ = regions(first)
        _, second_columns, _ = regions(second)
        lowest = [
            max(c["bottom"] for column in cs for c in column)
            for cs in (first_columns, second_columns)
        ]
        assert lowest[0] >= lowest[1]
        # Landscape pages turn over on the paper's short edge to stay upright on the back.
        flip = "short" if first.width > first.height else "long"
        for number, page in enumerate(pdf.pages, 1):
            _, _, footer = regions(page)
            assert text_of(page, footer).endswith(f"flip on {flip} edge · page {number} of 2")
    prefs = PdfReader(tmp_path / "deck-summary.pdf").trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"
    assert prefs["/Duplex"] == f"/DuplexFlip{flip.title()}Edge"


def test_cards_split_only_below_the_first_line_of_the_answer(run, tmp_path, write_deck):
    # Cards longer than a column at any readable size: they must be split between columns.
    deck_path = write_deck(generated_deck(6, points=40, point_words=10))
    deck = load_deck(deck_path)
    with build(run, deck_path, tmp_path) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        expected = " ".join(card_text(card) for card in deck.cards)
        assert reading_text(pdf) == squash(f"Generated Testing · 6 cards {expected}")
        _, columns, _ = regions(page)
        for column in columns:
            lines = sorted({round(c["top"], 1) for c in column})
            last = [c for c in column if round(c["top"], 1) == lines[-1]]
            assert not any(c["fontname"].endswith("Bold") for c in last), "heading at column foot"


def test_planning_is_pure_and_keeps_headings_with_answers(seed_deck):
    deck = load_deck(seed_deck)
    plan = summary.plan_summary(deck, PAPERS["a4"])
    assert (plan.size, plan.frame.columns, plan.frame.orientation) == (12, 2, "portrait")
    assert plan.whole_cards
    placed = sorted(piece.block for column in plan.pages[0] for piece in column)
    assert placed == list(range(len(deck.cards)))
    # The same column forced small enough that cards must break: never right after a heading.
    shapes = [
        summary.card_shape(summary.card_paragraphs(card, deck, {}), 200, 10, summary.SPACINGS[-1])
        for card in deck.cards
    ]
    columns = flow(shapes, [120] * 40, gap=4, split=True)
    assert columns is not None
    assert sum(len(column) for column in columns) > len(deck.cards)  # some cards did break
    for column in columns:
        for piece in column:
            lines = shapes[piece.block].block.lines[piece.start : piece.stop]
            if piece.start == 0:  # a card's first piece holds the heading and more
                assert lines[-1].role != "question"
            assert piece.height <= 120 + 1e-6


def test_unicode_and_reproducible_bytes(run, tmp_path, write_deck):
    question = "Ελληνικά, кириллица, café — “quotes” → ≤ ≠ √ π ∑"
    deck = write_deck(f"title: Unicode\ncards:\n  - question: {question}\n    answer: Ω ≈ 3·π\n")
    with build(run, deck, tmp_path / "one") as pdf:
        assert squash(f"Unicode 1 card {question} Ω ≈ 3·π") == reading_text(pdf)
    build(run, deck, tmp_path / "two").close()
    first = (tmp_path / "one" / "deck-summary.pdf").read_bytes()
    assert first == (tmp_path / "two" / "deck-summary.pdf").read_bytes()


def test_layouts_lists_the_pages_option(run):
    result = run("layouts")
    assert (
        "  pages (whole number 1–20, default 1): pages the summary may fill; "
        "2 prints on the two sides of one sheet\n"
    ) in result.output.split("summary:", 1)[1]


def test_pages_must_be_a_whole_number_of_at_least_one(run, tmp_path, seed_deck):
    result = run("build", seed_deck, "--out", tmp_path, "--layout", "summary", "--set", "pages=0")
    assert result.exit_code == 2
    assert result.output.endswith("Error: --set pages=0: pages must be at least 1, not '0'\n")


def test_the_seed_deck_asked_for_two_pages_still_prints_on_one(run, seed_deck, tmp_path):
    # It reaches the 12 pt maximum on one page: a second page would only loosen the spacing.
    result = run("build", seed_deck, "--out", tmp_path, "--layout", "summary", "--set", "pages=2")
    assert result.output.endswith("(1 page)\n")


def test_asking_for_more_pages_than_the_deck_fills_prints_no_blank_page(run, write_deck, tmp_path):
    cards = "".join(f"  - question: Question {i}\n    answer: Answer {i}\n" for i in range(1, 4))
    deck = write_deck(f"title: Three cards\ncards:\n{cards}")
    result = run("build", deck, "--out", tmp_path, "--layout", "summary", "--set", "pages=2")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "deck-summary.pdf") as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert "text 12 pt" in text and "Answer 3" in text
