"""Every script prints: a deck with a card in each, built in every layout and read back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from conftest import MM
from pypdf import PdfReader

from printkit.text import Paragraph, layout_text

CARDS = {
    "chinese": "你好，世界。这是一个很长的中文句子，用来测试没有空格的文字如何换行。",
    "japanese": "こんにちは、世界。日本語の文章です。",
    "korean": "안녕하세요 세계",
    "arabic": "مرحبا بالعالم",
    "persian": "سلام دنیا",
    "hebrew": "שלום עולם 123 world",
    "hindi": "नमस्ते दुनिया क्षत्रिय",
    "tamil": "வணக்கம் உலகம்",
    "thai": "สวัสดีชาวโลก",
    "emoji": "Emoji 😀 👍",
}

DECK = "title: Every script\ncards:\n" + "".join(
    f"  - question: {text}\n    answer: {name}\n" for name, text in CARDS.items()
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from printkit.cli import main

    folder = tmp_path_factory.mktemp("scripts")
    deck = folder / "world.yaml"
    deck.write_text(DECK, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(deck), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder / "out"


def letters(text: str) -> Counter:
    return Counter(c for c in text if not c.isspace())


def test_every_layout_builds_and_embeds_every_font(built):
    pdfs = sorted(built.glob("*.pdf"))
    assert len(pdfs) >= 4
    for pdf in pdfs:
        for page in PdfReader(pdf).pages:
            for font in page["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                descriptor = font.get("/FontDescriptor")
                assert descriptor is not None, (pdf.name, font["/BaseFont"])
                assert "/FontFile2" in descriptor.get_object(), (pdf.name, font["/BaseFont"])


def test_every_letter_reads_back_from_the_flashcards(built):
    with pdfplumber.open(built / "world-flashcards.pdf") as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    found = letters(text)
    for name, card in CARDS.items():
        missing = letters(card) - found
        # Shaped scripts may read back in another order, but no letter is missing.
        assert not missing, (name, missing)


@pytest.mark.parametrize("name", ["chinese", "japanese", "korean", "thai"])
def test_scripts_without_joins_read_back_in_order(built, name):
    first = CARDS[name][0]
    with pdfplumber.open(built / "world-flashcards.pdf") as pdf:
        for page in pdf.pages:
            char = next((c for c in page.chars if c["text"] == first), None)
            if char is not None:
                break
        # The card's own half of the sheet: cards side by side would interleave their lines.
        half = page.width / 2
        left = 0 if char["x0"] < half else half
        # In drawing order (Thai marks sit over their letters, so x order would misplace them).
        cell = page.within_bbox((left, 0, left + half, page.height))
        text = "".join(cell.extract_text(use_text_flow=True).split())
    assert "".join(CARDS[name].split()) in text


def test_emoji_read_back_as_themselves(built):
    with pdfplumber.open(built / "world-flashcards.pdf") as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "😀" in text and "👍" in text


def test_nothing_within_5_mm_of_the_paper_edge(built):
    with pdfplumber.open(built / "world-flashcards.pdf") as pdf:
        for page in pdf.pages:
            for char in page.chars:
                assert char["x0"] >= 5 * MM and char["x1"] <= page.width - 5 * MM
                assert char["top"] >= 5 * MM and char["bottom"] <= page.height - 5 * MM


def test_a_hebrew_line_reads_right_to_left_with_its_number_and_latin_word(built):
    with pdfplumber.open(built / "world-summary.pdf") as pdf:
        words = pdf.pages[0].extract_words()
    row = [w for w in words if w["text"] in ("world", "123") or "ם" in w["text"]]
    world = next(w for w in row if w["text"] == "world")
    number = next(w for w in row if w["text"] == "123")
    hebrew = [w for w in row if "ם" in w["text"] and abs(w["top"] - world["top"]) < 2]
    # Visual order, left to right: "world", "123", then the Hebrew words (read from the right).
    assert world["x1"] <= number["x0"] < min(w["x0"] for w in hebrew)


def test_chinese_breaks_between_characters_within_the_width():
    text = CARDS["chinese"]
    block = layout_text([Paragraph(text)], 120, 10)
    assert len(block.lines) > 1
    assert all(line.width <= 120 + 1e-6 for line in block.lines)
    assert "".join(line.text for line in block.lines) == text
    # Kinsoku: no line starts with closing punctuation.
    assert not any(line.text[0] in "，。、" for line in block.lines)


def test_a_right_to_left_paragraph_is_right_aligned():
    block = layout_text([Paragraph("שלום עולם")], 200, 10)
    (line,) = block.lines
    assert line.x + line.width == pytest.approx(200)


def test_right_to_left_bullet_points_sit_in_the_middle_of_their_card(run, tmp_path):
    """A list answer is set as a block in the middle of the card's back: a Hebrew one too,
    though its lines start at the right (it once ran off the card and the paper)."""
    middles = {}
    for name, points in {
        "english": ["blue", "white, 2 stripes", "a star"],
        "hebrew": ["כחול", "לבן, 2 פסים", "מגן דוד"],
    }.items():
        deck = tmp_path / f"{name}.yaml"
        answer = "".join(f"\n      - {point}" for point in points)
        deck.write_text(f"title: Flag\ncards:\n  - question: Q\n    answer:{answer}\n")
        out = tmp_path / name
        assert run("build", deck, "--layout", "flashcards", "--out", out).exit_code == 0
        with pdfplumber.open(out / f"{name}-flashcards.pdf") as pdf:
            back = pdf.pages[1]
            chars = [c for c in back.chars if c["size"] > 8]  # the answer, not the labels
            assert chars and all(
                c["x0"] >= 5 * MM and c["x1"] <= back.width - 5 * MM for c in chars
            )
            middles[name] = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
    assert middles["hebrew"] == pytest.approx(middles["english"], abs=1.0)


def test_arabic_is_joined_by_harfbuzz():
    from printkit import fonts
    from printkit.shaping import shape

    block = layout_text([Paragraph("سلام")], 200, 10)
    (span,) = block.lines[0].spans
    path = str(fonts.font_file(span.font))
    # The glyphs drawn are harfbuzz's joined forms (recorded with hb-shape on this font).
    assert (
        span.shaped.glyphs
        == shape("سلام", path, direction="rtl").glyphs
        == (
            482,
            1565,
            448,
            250,
        )
    )


def test_latin_text_loads_no_script_font():
    import subprocess
    import sys

    code = (
        "from printkit.text import layout_text, Paragraph; from printkit import fonts;"
        "layout_text([Paragraph('Hello Ωμέγα Привет')], 100, 10);"
        "import sys; print(fonts.registered_script_faces(), 'printkit.shaping' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # No script font registered, and printkit's shaping (harfbuzz, bidi) never called.
    assert out.stdout.strip() == "[] False"


def test_a_right_to_left_quizlet_import_builds(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "hebrew.txt"
    source.write_text("שלום\thello\nתודה\tthank you\n", encoding="utf-8")
    assert run("import", source, "-o", "decks/hebrew.yaml").exit_code == 0
    result = run("build", "decks/hebrew.yaml", "--layout", "flashcards")
    assert result.exit_code == 0, result.output
