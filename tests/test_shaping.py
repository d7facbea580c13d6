"""Shaping, bidi order, line-break opportunities and the drawing of shaped runs.

The glyph ids below are what `hb-shape --no-glyph-names` (Debian's libharfbuzz-bin 6.0) gives
for the same text with Debian's fonts-noto-core 20201225 fonts.
"""

import subprocess
import sys

import pdfplumber
import pytest
from reportlab.pdfgen.canvas import Canvas

from printkit import fonts, shaping
from printkit.shaping import (
    break_opportunities,
    grapheme_boundaries,
    needs_shaping,
    paragraph_direction,
    shape,
    visual_runs,
)

# The fonts printkit bundles, registered as printkit registers them (a second registration of
# one file under another name would be an alias of the first).
FACES = {
    "ar": "PrintkitScript-arabic",
    "he": "PrintkitScript-hebrew",
    "hi": "PrintkitScript-devanagari",
    "th": "PrintkitScript-thai",
    "la": fonts.REGULAR,
}
ARABIC, HEBREW, DEVANAGARI, THAI, LATIN = (
    str(fonts.font_file(FACES[key])) for key in ("ar", "he", "hi", "th", "la")
)


@pytest.mark.parametrize(
    ("text", "path", "direction", "glyphs", "clusters"),
    [
        # Noto Naskh Arabic joins each letter in its contextual form: visual order, right to
        # left (hb-shape --no-glyph-names on the bundled file)
        ("سلام", ARABIC, "rtl", (482, 1565, 448, 250), (3, 2, 1, 0)),
        ("العربية", ARABIC, "rtl", (533, 576, 38, 212, 309, 449, 3), (6, 5, 4, 3, 2, 1, 0)),
        ("क्ष", DEVANAGARI, "ltr", (179,), (0,)),  # one conjunct glyph
        ("कि", DEVANAGARI, "ltr", (607, 25), (0, 0)),  # the vowel sign drawn first
        ("น้ำ", THAI, "ltr", (71, 59, 49, 86), (0, 0, 0, 0)),  # sara am split, tone mark lowered
    ],
)
def test_shape_gives_harfbuzz_glyphs(text, path, direction, glyphs, clusters):
    run = shape(text, path, direction=direction)
    assert run.glyphs == glyphs
    assert run.clusters == clusters


def test_shape_units_are_ems():
    run = shape("سلام", ARABIC, direction="rtl")
    # hb-shape: advances 489, 0, 610, 658 in a 1000-unit em (the lam-alef's alef adds none)
    assert run.advances == pytest.approx((0.489, 0.0, 0.610, 0.658))
    assert run.width == pytest.approx(1.757)
    thai = shape("น้ำ", THAI, direction="ltr")
    assert thai.offsets[2] == pytest.approx((-0.029, 0.0))


def test_needs_shaping_keeps_simple_scripts_on_the_fast_path():
    for text in ("Hello", "Ünïcödé café", "Ελληνικά", "Русский", "漢字かなカナ", "한국어", "😀"):
        assert not needs_shaping(text), text
    for text in ("سلام", "שלום", "हिन्दी", "ภาษาไทย", "👩\u200d💻", "🇫🇷", "👍🏽", "e\u0301\u0323"):
        assert needs_shaping(text), text


def test_paragraph_direction_from_first_strong_letter():
    assert paragraph_direction("שלום world") == "rtl"
    assert paragraph_direction("123 سلام") == "rtl"
    assert paragraph_direction("hello שלום") == "ltr"
    assert paragraph_direction("123 !") == "ltr"
    # P2: letters inside an isolate do not count
    assert paragraph_direction("\u2067שלום\u2069 world") == "ltr"


def test_visual_runs_keep_numbers_and_latin_in_order():
    runs = visual_runs("שלום 123 world", "rtl")
    assert [(r.text, r.direction) for r in runs] == [
        ("world", "ltr"),
        (" ", "rtl"),
        ("123", "ltr"),
        ("שלום ", "rtl"),  # a right-to-left run, its space with it
    ]
    assert "".join(r.text if r.direction == "ltr" else r.text[::-1] for r in runs) == (
        "world 123 םולש"
    )


def test_visual_runs_follow_pieces_and_their_faces():
    runs = visual_runs([("سلام ", "ar"), ("2024", "latin"), (" عليكم", "ar")], "rtl")
    assert [(r.text, r.face, r.direction) for r in runs] == [
        (" عليكم", "ar", "rtl"),
        ("2024", "latin", "ltr"),
        ("سلام ", "ar", "rtl"),
    ]
    assert [(r.start, r.end) for r in runs] == [(9, 15), (5, 9), (0, 5)]


def test_visual_runs_left_to_right_line_without_bidi_work():
    runs = visual_runs([("Hello ", "a"), ("world", "b")], "ltr")
    assert [(r.text, r.face, r.direction) for r in runs] == [
        ("Hello ", "a", "ltr"),
        ("world", "b", "ltr"),
    ]
    mixed = visual_runs("see שלום עולם now", "ltr")
    assert [(r.text, r.direction) for r in mixed] == [
        ("see ", "ltr"),
        ("שלום עולם", "rtl"),  # shaped right to left: עולם is drawn left of שלום
        (" now", "ltr"),
    ]


def test_breaks_latin_and_korean_at_spaces_only():
    assert break_opportunities("a big  cat") == [2, 7]
    assert break_opportunities("한국어 단어장") == [4]


def test_breaks_chinese_between_characters_with_kinsoku():
    text = "我是（学生）。你好"
    # never before ） 。 nor after （
    assert break_opportunities(text) == [1, 2, 4, 7, 8]


def test_breaks_japanese_with_small_kana_and_long_vowel():
    text = "「コーヒー」をください。"
    breaks = break_opportunities(text)
    for index in breaks:
        assert text[index] not in "ー」。ぁぃぅぇぉっゃゅょ"
        assert text[index - 1] != "「"
    assert breaks == [3, 6, 7, 8, 9, 10]


def test_breaks_mixed_latin_and_ideographs():
    assert break_opportunities("Tokyo東京, OK") == [5, 6, 9]


def test_thai_breaks_between_clusters_without_a_dictionary(monkeypatch):
    monkeypatch.setattr(shaping, "_thai_words", lambda: None)
    text = "น้ำที่"
    assert break_opportunities(text) == [3]  # never before a mark
    assert grapheme_boundaries(text) == [3]
    assert break_opportunities("ภาษาไทย") == [1, 2, 3, 4, 5, 6]


def test_thai_breaks_at_words_with_pythainlp():
    pytest.importorskip("pythainlp")
    assert break_opportunities("ภาษาไทยง่ายนิดเดียว") == [7, 11]


def test_never_breaks_inside_emoji_sequences():
    family = "👨\u200d👩\u200d👧"
    text = f"家{family}🇯🇵👍🏽"
    breaks = break_opportunities(text)
    assert breaks == [1, 1 + len(family), 3 + len(family)]
    assert grapheme_boundaries(family) == []


def test_grapheme_clusters_hangul_jamo_and_marks():
    assert grapheme_boundaries("\u1100\u1161\u11a8\u1100") == [3]
    assert grapheme_boundaries("e\u0301x") == [2]
    assert grapheme_boundaries("\r\nx") == [2]


def test_drawn_runs_read_back(tmp_path, monkeypatch):
    """Every letter comes back (pdfplumber: right-to-left runs in visual order, ligatures
    whole); poppler's pdftotext gives the logical text."""
    from reportlab.pdfbase import pdfmetrics

    for face in FACES.values():
        fonts.ensure(face)
    # Shaping Latin text here changes how the face every build draws with writes its ToUnicode
    # maps (printkit itself never shapes DejaVu): put it back after, so that the PDFs of later
    # tests are those a fresh process makes.
    latin = pdfmetrics.getFont(fonts.REGULAR)
    for name in ("addObjects", "_printkit_logical", "_printkit_text"):
        monkeypatch.setattr(latin, name, getattr(latin, name, None), raising=False)
    faces = FACES
    paths = {"ar": ARABIC, "he": HEBREW, "hi": DEVANAGARI, "th": THAI, "la": LATIN}
    lines = [
        ([("سلام العربية", "ar")], "rtl"),
        ([("שלום ", "he"), ("123 world", "la")], "rtl"),
        ([("क्षत्रिय हिन्दी", "hi")], "ltr"),
        ([("น้ำที่", "th")], "ltr"),
    ]
    pdf = tmp_path / "scripts.pdf"
    canvas = Canvas(str(pdf), invariant=1)
    for number, (pieces, base) in enumerate(lines):
        x = 50.0
        text = canvas.beginText()
        for run in visual_runs(pieces, base):
            shaped = shape(run.text, paths[run.face], direction=run.direction)
            text.setTextOrigin(x, 700 - 40 * number)
            x += shaping.draw_run(text, shaped, faces[run.face], 20)
        canvas.drawText(text)
    canvas.save()
    with pdfplumber.open(pdf) as document:
        read = document.pages[0].extract_text().splitlines()
    assert read[0][::-1] == "سلام العربية"  # visual order, the lam-alef ligature included
    assert read[1] == "world 123 םולש"
    # marks and vowel signs come back in drawing order, every one of them
    assert sorted(read[2].replace(" ", "")) == sorted("क्षत्रियहिन्दी")
    assert sorted(read[3].replace(" ", "")) == sorted("น้ำที่")
    try:
        poppler = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        return
    logical = [line.strip("\u202b\u202c\u200f ") for line in poppler.splitlines() if line]
    assert logical[0] == "سلام العربية"
    assert logical[2] == "क्षत्रिय हिन्दी"
    assert logical[3] == "น้ำที่"


def test_logical_text_font_writes_utf16_for_emoji():
    cmap = shaping._to_unicode_cmap("X", [0x41, 0x1F600, 0x100000], {0x100000: "لا"})
    assert "<00> <0041>" in cmap
    assert "<01> <D83DDE00>" in cmap
    assert "<02> <06440627>" in cmap


def test_latin_deck_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from printkit import shaping\n"
        "assert not shaping.needs_shaping('Hello world, café')\n"
        "shaping.visual_runs('Hello world', 'ltr')\n"
        "shaping.break_opportunities('Hello world')\n"
        "shaping.paragraph_direction('Hello')\n"
        "heavy = {'uharfbuzz', 'bidi', 'pythainlp'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
