"""The bundled fonts: per-cluster fallback to the script fonts, lazy loading, what cannot
print, and a user's own font."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from printkit import fonts
from printkit.options import COMMON_OPTIONS, Setting, resolve

HEBREW = "PrintkitScript-hebrew"
ARABIC = "PrintkitScript-arabic"
CJK = "PrintkitScript-cjk"
HANGUL = "PrintkitScript-hangul"
EMOJI = "PrintkitScript-emoji"


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Hello 世界", [("Hello ", fonts.REGULAR), ("世界", CJK)]),
        ("漢字かなカナ", [("漢字かなカナ", CJK)]),
        ("臺灣體", [("臺灣體", CJK)]),
        ("שלום world", [("שלום ", HEBREW), ("world", fonts.REGULAR)]),
        ("שָׁלוֹם", [("שָׁלוֹם", HEBREW)]),
        ("سلام، دنیا", [("سلام، دنیا", ARABIC)]),
        ("مرحبا 123", [("مرحبا ", ARABIC), ("123", fonts.REGULAR)]),
        ("नमस्ते", [("नमस्ते", "PrintkitScript-devanagari")]),
        ("தமிழ்", [("தமிழ்", "PrintkitScript-tamil")]),
        ("ภาษาไทย", [("ภาษาไทย", "PrintkitScript-thai")]),
        ("한국어 공부", [("한국어 공부", HANGUL)]),
        ("😀 ok", [("😀 ", EMOJI), ("ok", fonts.REGULAR)]),
        ("❤️ and ❤", [("❤️ ", EMOJI), ("and ❤", fonts.REGULAR)]),
        ("Привет, κόσμε", [("Привет, κόσμε", fonts.REGULAR)]),
        (
            "I said „שלום“ to 李 and 김",
            [
                ("I said „", fonts.REGULAR),
                ("שלום", HEBREW),
                ("“ to ", fonts.REGULAR),  # Noto Sans Hebrew has no curly quotes
                ("李 ", CJK),
                ("and ", fonts.REGULAR),
                ("김", HANGUL),
            ],
        ),
    ],
)
def test_text_falls_back_to_the_font_of_its_script(text, pieces):
    assert fonts.split_by_coverage(text, fonts.REGULAR) == pieces


def test_bold_and_code_fall_back_to_the_script_font_of_their_weight():
    assert fonts.split_by_coverage("Q: שלום", fonts.BOLD) == [
        ("Q: ", fonts.BOLD),
        ("שלום", "PrintkitScript-hebrew-Bold"),
    ]
    # No bold CJK file: bold CJK is set in the regular one.
    assert fonts.split_by_coverage("x = 世界", fonts.MONO_BOLD) == [
        ("x = ", fonts.MONO_BOLD),
        ("世界", CJK),
    ]
    assert fonts.split_by_coverage("über", fonts.BOLD_ITALIC) == [("über", fonts.BOLD_ITALIC)]


@pytest.mark.parametrize(
    "text",
    [
        "क्षत्रिय नमस्ते",  # conjuncts and vowel signs
        "👨\u200d👩\u200d👧 🇫🇷 👍🏽 1️⃣",  # ZWJ sequence, flag, skin tone, keycap
        "e\u0301 a\u0308 Z\u0335",  # combining marks on Latin
        "שָׁלוֹם سَلَامٌ",  # niqqud, harakat
        "\u1100\u1161\u11a8",  # conjoining jamo
        "ที่นี่",  # Thai marks
        "葛\U000e0100",  # ideographic variation selector
    ],
)
def test_a_grapheme_cluster_is_never_split_between_faces(text):
    pieces = fonts.split_by_coverage(text, fonts.REGULAR)
    assert "".join(piece for piece, _ in pieces) == text
    boundaries = {0}
    for piece, _ in pieces:
        boundaries.add(max(boundaries) + len(piece))
    offset = 0
    for cluster in fonts.clusters(text):
        assert not any(offset < b < offset + len(cluster) for b in boundaries), cluster
        offset += len(cluster)


def test_clusters_follow_uax_29():
    assert fonts.clusters("क्षत्रिय") == ["क्ष", "त्रि", "य"]
    assert fonts.clusters("👨\u200d👩\u200d👧🇫🇷a\u0301\r\n") == [
        "👨\u200d👩\u200d👧",
        "🇫🇷",
        "a\u0301",
        "\r\n",
    ]


def test_each_piece_is_drawn_by_a_face_that_has_all_its_characters():
    from reportlab.pdfbase import pdfmetrics

    text = "Hello 世界 שלום مرحبا नमस्ते தமிழ் ภาษาไทย 한국어 😀👍🏽 ok"
    for piece, face in fonts.split_by_coverage(text, fonts.REGULAR):
        glyphs = pdfmetrics.getFont(face).face.charToGlyph
        assert all(ord(c) in glyphs or fonts.is_ignorable(c) for c in piece), (piece, face)


def test_face_for_names_the_face_of_one_character_or_cluster():
    assert fonts.face_for("a", fonts.REGULAR) == fonts.REGULAR
    assert fonts.face_for("世", fonts.ITALIC) == CJK
    assert fonts.face_for("ש", fonts.BOLD) == "PrintkitScript-hebrew-Bold"
    assert fonts.face_for("\ue000", fonts.REGULAR) is None
    assert fonts.font_file(CJK).name == "DroidSansFallbackFull.ttf"
    assert fonts.font_file(fonts.BOLD).name == "DejaVuSans-Bold.ttf"


def _in_a_fresh_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_latin_text_loads_no_script_font():
    code = (
        "from printkit import fonts\n"
        "text = 'Crème brûlée, naïve café — 3 × 4 ≤ 12; Привет, κόσμε «ok» ½ → ∞'\n"
        "assert fonts.unprintable(text) == []\n"
        "assert fonts.split_by_coverage(text, fonts.REGULAR) == [(text, fonts.REGULAR)]\n"
        "fonts.split_by_coverage('**bold** and *it*', fonts.BOLD_ITALIC)\n"
        "print(fonts.registered_script_faces())\n"
        "fonts.unprintable('漢字')\n"
        "print(fonts.registered_script_faces())\n"
    )
    latin, cjk = _in_a_fresh_python(code).splitlines()
    assert latin == "[]"
    assert cjk == "['PrintkitScript-cjk']"  # only the font the characters need


def test_only_what_no_font_has_is_unprintable():
    text = "漢字 שלום مرحبا नमस्ते 한국어 ภาษาไทย 😀 \ue000 𓀀 \x07 \u200d\ufe0f\t"
    assert fonts.unprintable(text) == [
        ("\ue000", "not in any bundled font (it would print as a blank box)"),
        ("𓀀", "not in any bundled font (it would print as a blank box)"),
        ("\x07", "a control character"),
    ]


def test_every_bundled_font_is_a_static_truetype_font_with_its_licence():
    typefaces = fonts.FONT_DIR
    files = {sf.regular for sf in fonts.SCRIPT_FONTS} | {
        sf.bold for sf in fonts.SCRIPT_FONTS if sf.bold
    }
    for name in sorted(files):
        with (typefaces / name).open("rb") as file:
            assert file.read(4) == b"\x00\x01\x00\x00", name  # glyf outlines, not CFF
    licences = {p.name for p in typefaces.glob("LICENSE-*.txt")}
    assert licences >= {
        "LICENSE-DejaVu.txt",
        "LICENSE-Noto.txt",
        "LICENSE-NotoEmoji.txt",
        "LICENSE-Droid.txt",
        "LICENSE-Nanum.txt",
    }


# --- a user's own font --------------------------------------------------------------------


@pytest.fixture
def own_font(tmp_path: Path) -> Path:
    """A stand-in for a teacher's own TrueType font (DejaVu Sans Mono copied elsewhere)."""
    path = tmp_path / "My Font.ttf"
    shutil.copy(fonts.FONT_DIR / "DejaVuSansMono.ttf", path)
    return path


def test_a_users_font_is_the_main_face_and_falls_back_to_the_bundled_fonts(own_font, tmp_path):
    bold = tmp_path / "My Font Bold.ttf"
    shutil.copy(fonts.FONT_DIR / "DejaVuSansMono-Bold.ttf", bold)
    faces = fonts.use_fonts(str(own_font), str(bold))
    assert faces.regular.startswith("PrintkitUser-")
    assert faces.italic == faces.regular  # italic is set upright in the user's font
    assert fonts.is_bold(faces.bold) and not fonts.is_bold(faces.regular)
    assert fonts.face(bold=True, base=faces.regular) == faces.bold
    assert fonts.face(code=True, base=faces.regular) == fonts.MONO
    assert fonts.split_by_coverage("Hello 世界", faces.regular) == [
        ("Hello ", faces.regular),
        ("世界", CJK),
    ]
    assert fonts.split_by_coverage("Q 😀", faces.bold) == [("Q ", faces.bold), ("😀", EMOJI)]
    assert fonts.use_fonts() == fonts.DEJAVU


def test_a_users_font_comes_before_the_script_fonts(tmp_path):
    own = tmp_path / "hebrew.ttf"
    shutil.copy(fonts.FONT_DIR / "DejaVuSans.ttf", own)  # DejaVu Sans has Hebrew letters
    faces = fonts.use_fonts(str(own))
    assert faces.bold == faces.regular  # no bold_font: bold is set in the font too
    assert fonts.split_by_coverage("שלום", faces.regular) == [("שלום", faces.regular)]


def test_a_users_font_counts_for_what_can_print(tmp_path):
    own = tmp_path / "egypt.ttf"
    shutil.copy(fonts.FONT_DIR / "DejaVuSans.ttf", own)
    faces = fonts.use_fonts(str(own))
    assert fonts.unprintable("a\ue000", faces) == [
        ("\ue000", "not in any bundled font (it would print as a blank box)")
    ]
    assert fonts.unprintable("漢", faces) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.ttf", None, "'{path}': there is no such font file"),
        ("folder", "dir", "'{path}' is a folder; give the path of a .ttf file"),
        (
            "cff.otf",
            b"OTTO" + bytes(60),
            "'{path}' is an OpenType font with PostScript (CFF) outlines, which printkit "
            "cannot embed in a PDF; use a TrueType (.ttf) version of the font",
        ),
        (
            "fonts.ttc",
            b"ttcf" + bytes(60),
            "'{path}' is a font collection (.ttc); use a single .ttf font",
        ),
        (
            "web.woff",
            b"wOFF" + bytes(60),
            "'{path}' is a web font (WOFF); use the TrueType (.ttf) font",
        ),
        ("notes.ttf", b"just some text", "'{path}' is not a TrueType font file"),
    ],
)
def test_a_font_option_that_is_not_a_usable_truetype_file_is_refused(
    tmp_path, name, content, message
):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    _, problems = resolve(
        "flashcards", COMMON_OPTIONS, [Setting(None, "font", str(path), "--set font=x")]
    )
    assert [str(p) for p in problems] == ["--set font=x: font " + message.format(path=path)]


def test_a_corrupt_truetype_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "broken.ttf"
    path.write_bytes(b"\x00\x01\x00\x00" + bytes(40))
    with pytest.raises(ValueError, match=r"^'.*broken\.ttf' cannot be used as a font: "):
        fonts.check_font_file(str(path))


def test_font_options_default_to_the_bundled_font(own_font):
    values, problems = resolve("flashcards", COMMON_OPTIONS, [])
    assert (values["font"], values["bold_font"], problems) == ("", "", [])
    values, problems = resolve(
        "flashcards", COMMON_OPTIONS, [Setting(None, "font", str(own_font), "deck.yaml:3")]
    )
    assert (values["font"], problems) == (str(own_font), [])
    with pytest.raises(ValueError, match="set font too"):
        fonts.use_fonts(bold_font=str(own_font))


def test_a_missing_font_on_the_command_line_is_a_usage_error(run, seed_deck, tmp_path):
    result = run("build", seed_deck, "--out", tmp_path, "--set", "font=nowhere/Comic.ttf")
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: --set font=nowhere/Comic.ttf: font 'nowhere/Comic.ttf': there is no such font file\n"
    )
