"""The on-disk cache of parsed fonts (printkit.font_cache) and what a cold build loads.

Builds run in fresh processes, as a teacher runs them, each with a cache folder of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fresh_build import fresh_python, modules_after_build

from printkit import font_cache, fonts

REPO = Path(__file__).resolve().parents[1]
SEED_DECK = REPO / "decks" / "stalin-foreign-policy.yaml"


def build(deck: Path, out: Path, cache: Path, *layouts: str) -> subprocess.Popen:
    """Start `printkit build` in a fresh process with `cache` as XDG_CACHE_HOME."""
    chosen = [arg for name in layouts for arg in ("--layout", name)]
    return subprocess.Popen(
        [sys.executable, "-m", "printkit", "build", str(deck), "--out", str(out), *chosen],
        env=dict(os.environ, XDG_CACHE_HOME=str(cache)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen) -> None:
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def pdfs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.pdf"))}


def cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "printkit" / "fonts").glob("*.font"))


def test_pdfs_are_the_same_with_a_cold_a_warm_and_no_cache(tmp_path):
    cache = tmp_path / "cache"
    finished(build(SEED_DECK, tmp_path / "cold", cache))
    written = cache_files(cache)
    # The faces the build used, and only DejaVu: a Latin deck needs no script font.
    assert written and all(path.name.startswith("DejaVuSans") for path in written)
    finished(build(SEED_DECK, tmp_path / "warm", cache))
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("the cache folder cannot be made here\n")
    finished(build(SEED_DECK, tmp_path / "none", not_a_folder))

    cold = pdfs(tmp_path / "cold")
    assert len(cold) == 6
    assert pdfs(tmp_path / "warm") == cold
    assert pdfs(tmp_path / "none") == cold
    assert cache_files(cache) == written  # the warm build wrote nothing new


def test_a_damaged_cache_file_is_ignored_and_written_again(tmp_path):
    cache = tmp_path / "cache"
    finished(build(SEED_DECK, tmp_path / "first", cache, "flashcards"))
    files = cache_files(cache)
    good = {path: path.read_bytes() for path in files}
    cut, flipped, *_ = files
    cut.write_bytes(good[cut][: len(good[cut]) // 2])  # a build stopped while writing
    damaged = bytearray(good[flipped])
    damaged[len(damaged) // 2] ^= 0xFF  # a bad disk sector
    flipped.write_bytes(bytes(damaged))

    finished(build(SEED_DECK, tmp_path / "second", cache, "flashcards"))
    assert pdfs(tmp_path / "second") == pdfs(tmp_path / "first")
    assert {path: path.read_bytes() for path in cache_files(cache)} == good


def test_two_builds_at_once_share_a_cold_cache(tmp_path):
    cache = tmp_path / "cache"
    running = [build(SEED_DECK, tmp_path / f"out{n}", cache, "flashcards") for n in range(2)]
    for process in running:
        finished(process)
    assert pdfs(tmp_path / "out0") == pdfs(tmp_path / "out1")
    files = cache_files(cache)
    assert files
    assert not list((cache / "printkit" / "fonts").glob(".tmp-*"))  # no half-written file left
    finished(build(SEED_DECK, tmp_path / "after", cache, "flashcards"))
    assert pdfs(tmp_path / "after") == pdfs(tmp_path / "out0")
    assert cache_files(cache) == files


def subset_files(cache: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((cache / "printkit/fonts/subsets").glob("*"))}


def test_subsets_kept_on_disk_give_the_same_pdfs(tmp_path):
    cache = tmp_path / "cache"
    finished(build(SEED_DECK, tmp_path / "parsed", cache))  # fonts parsed, nothing kept yet
    finished(build(SEED_DECK, tmp_path / "made", cache))  # faces cached: subsets made, kept
    kept = subset_files(cache)
    # Each PDF embeds its own subsets; the deck's characters fit in a few per face.
    assert 2 <= len(kept) <= 12
    assert all(path.suffix == ".subset" for path in kept)
    finished(build(SEED_DECK, tmp_path / "read", cache))  # subsets read back
    assert subset_files(cache) == kept  # nothing new written
    assert pdfs(tmp_path / "made") == pdfs(tmp_path / "parsed")
    assert pdfs(tmp_path / "read") == pdfs(tmp_path / "parsed")


def test_a_damaged_or_misnamed_subset_file_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    for run_number in range(2):
        finished(build(SEED_DECK, tmp_path / f"first{run_number}", cache, "flashcards"))
    good = subset_files(cache)
    assert len(good) >= 2
    damaged, other, *_ = good
    flipped = bytearray(good[damaged])
    flipped[-10] ^= 0xFF
    damaged.write_bytes(bytes(flipped))
    other.write_bytes(good[damaged])  # a sound file, of another subset

    finished(build(SEED_DECK, tmp_path / "second", cache, "flashcards"))
    assert pdfs(tmp_path / "second") == pdfs(tmp_path / "first0")
    assert subset_files(cache) == good  # both made again and written back


def test_the_subset_folder_keeps_the_most_recently_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(font_cache, "_SUBSET_FILES_KEPT", 3)
    path = str(fonts.font_file(fonts.REGULAR))
    font_cache.load_ttfont("Parsed", path)  # fills the face cache

    def fresh_face():
        return font_cache.load_ttfont("Cached", path).face  # no subsets in memory yet

    subsets = [list(range(32, 127)), list(range(33, 90)), [65, 66], [67], [68]]
    made = [fresh_face().makeSubset(subset) for subset in subsets[:3]]
    base = fresh_face()._subset_files
    glyphs = fresh_face().charToGlyph
    oldest, older, old = (
        font_cache._subset_file(base, tuple(glyphs[code] for code in s)) for s in subsets[:3]
    )
    for age, file in enumerate((oldest, older, old)):
        os.utime(file, (1000 + age, 1000 + age))  # none used for a long while
    assert fresh_face().makeSubset(subsets[0]) == made[0]  # read back: used now
    fresh_face().makeSubset(subsets[3])  # a fourth: the least recently used goes
    names = {file.name for file in base.parent.iterdir()}
    assert len(names) == 3
    assert older.name not in names
    assert {oldest.name, old.name} <= names
    # What is read back is what reportlab makes.
    reportlab_face = font_cache.load_ttfont("Again", path).face
    from reportlab.pdfbase.ttfonts import TTFontFace

    assert TTFontFace.makeSubset(reportlab_face, subsets[0]) == made[0]


def test_a_kept_subset_is_not_used_for_other_glyphs_under_the_same_codes(tmp_path, monkeypatch):
    """Shaped glyphs (an Arabic letter's joined forms) get codes in the order a process meets
    them: the same code is another glyph in the next build, whose PDF must still draw its own
    (it drew the glyphs of the build before: a card asking for عع printed كك)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = str(fonts.font_file(fonts.REGULAR))
    font_cache.load_ttfont("Parsed", path)  # fills the face cache
    code = 0x100000  # as printkit.shaping hands them out
    subsets = []
    for letter in "KW":  # one build draws K under the code, the next W
        face = font_cache.load_ttfont("Cached", path).face  # a new process's face
        face.charToGlyph[code] = face.charToGlyph[ord(letter)]
        subsets.append(face.makeSubset([32, code]))
        assert subsets[-1] == TTFontFace.makeSubset(face, [32, code])  # reportlab's own
    assert subsets[0] != subsets[1]


def test_temporary_files_of_killed_cache_writes_are_removed_later(tmp_path):
    cache = tmp_path / "cache"
    for run_number in range(2):  # the second build reads the faces back and writes subsets
        finished(build(SEED_DECK, tmp_path / f"out{run_number}", cache, "flashcards"))
    fonts_folder = cache / "printkit" / "fonts"
    abandoned = [fonts_folder / ".tmp-killed", fonts_folder / "subsets" / ".tmp-killed"]
    recent = fonts_folder / "subsets" / ".tmp-being-written"
    for path in (*abandoned, recent):
        path.write_bytes(b"half a file")
    for path in abandoned:
        os.utime(path, (1, 1))  # written long ago by a build that was killed
    for path in fonts_folder.glob("*.font"):
        path.write_bytes(b"damaged")  # so that the next build writes the faces again
    for path in (fonts_folder / "subsets").glob("*.subset"):
        path.unlink()  # and its subsets

    finished(build(SEED_DECK, tmp_path / "out2", cache, "flashcards"))  # faces written
    finished(build(SEED_DECK, tmp_path / "out3", cache, "flashcards"))  # then subsets
    assert not any(path.exists() for path in abandoned)
    assert recent.exists()  # another build may be writing it right now
    assert pdfs(tmp_path / "out2") == pdfs(tmp_path / "out3") == pdfs(tmp_path / "out0")


@pytest.mark.parametrize("face", [fonts.REGULAR, fonts.BOLD_ITALIC, fonts.MONO])
def test_a_cached_face_holds_what_reportlab_parses(tmp_path, monkeypatch, face):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = str(fonts.font_file(face))
    parsed = font_cache.load_ttfont("Parsed", path)  # empty cache: reportlab parses the file
    cached = font_cache.load_ttfont("Cached", path)  # read back from the file just written
    assert type(parsed.face).__name__ == "TTFontFace"
    assert type(cached.face).__name__ == "CachedFace"
    expected = {k: v for k, v in vars(parsed.face).items() if k != "_pdfScale"}
    for key, value in expected.items():
        got = getattr(cached.face, key)
        assert got == value, key
        assert type(got) is type(value), key
        if isinstance(value, dict):  # the same order too: reportlab iterates some of them
            assert list(got) == list(value), key
    assert cached.face.name.ustr == parsed.face.name.ustr
    assert cached.face._pdfScale(1234) == parsed.face._pdfScale(1234)
    # The font object around the face: the same attributes, set the same way.
    assert list(vars(cached)) == list(vars(parsed))
    for key in ("_asciiReadable", "_shapable"):
        assert getattr(cached, key) == getattr(parsed, key)
    assert vars(cached.encoding) == vars(parsed.encoding)


def test_no_cache_folder_without_a_home(monkeypatch):
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    if sys.platform != "win32":
        assert font_cache.cache_folder() is None


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path):
    # The XDG specification: a relative path is invalid and must be ignored.
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert font_cache.cache_folder() == tmp_path / ".cache" / "printkit" / "fonts"


def test_a_latin_build_with_curly_quotes_loads_no_script_machinery(tmp_path):
    deck = tmp_path / "quotes.yaml"
    deck.write_text(
        "title: “Typographic” quotes\n"
        "cards:\n"
        "  - question: What was Stalin’s ‘socialism in one country’?\n"
        "    answer: A policy – from 1924 – of building up the USSR first…\n",
        encoding="utf-8",
    )
    modules, real = modules_after_build([str(deck), "--out", str(tmp_path / "out")], tmp_path)
    # Grapheme clusters (regex), shaping and harfbuzz are for other scripts, not for ’ – “ …;
    # Pillow's Image (which reportlab imports) for pictures.
    assert not {"regex", "printkit.shaping", "uharfbuzz._harfbuzz", "bidi"} & modules
    assert not real
    assert len(pdfs(tmp_path / "out")) == 6


def _assigned(low: int, high: int) -> list[str]:
    import unicodedata

    return [chr(c) for c in range(low, high) if unicodedata.category(chr(c)) not in ("Cn", "Cs")]


def test_the_fast_path_for_punctuation_cuts_words_where_shaping_would():
    from printkit.shaping import break_opportunities
    from printkit.text import _breaks_inside

    for char in _assigned(0x0E00, 0x2E80):
        if not _breaks_inside(char):
            word = f"a{char}b{char}{char}"
            assert break_opportunities(word) == [], f"U+{ord(char):04X}"


def test_the_fast_path_for_punctuation_picks_the_faces_the_slow_path_does(monkeypatch):
    own = fonts._glyphs(fonts.REGULAR)
    chars = [c for c in _assigned(0x0590, 0x2E80) if ord(c) in own and fonts._unclaimed(c)]
    assert "’" in chars and "…" in chars
    texts = [f"a{char}b" for char in chars]
    fast = [fonts.split_by_coverage(text, fonts.REGULAR) for text in texts]
    monkeypatch.setattr(fonts, "_unclaimed", lambda char: False)  # every text cut in clusters
    slow = [fonts.split_by_coverage(text, fonts.REGULAR) for text in texts]
    assert fast == slow
    assert fonts.split_by_coverage("Stalin’s “pact” – 1939…", fonts.REGULAR) == [
        ("Stalin’s “pact” – 1939…", fonts.REGULAR)
    ]


def test_harfbuzz_is_imported_by_the_first_shaped_text(tmp_path):
    code = (
        "import sys\n"
        "from printkit import fonts\n"
        "fonts.register_fonts()\n"
        "print('uharfbuzz._harfbuzz' in sys.modules)\n"
        "from printkit.shaping import shape\n"
        "path = str(fonts.font_file('PrintkitScript-arabic'))\n"
        "print(shape('سلام', path, direction='rtl').glyphs)\n"
        "from reportlab.pdfbase import ttfonts\n"
        "print(ttfonts.uharfbuzz.Face is sys.modules['uharfbuzz'].Face)\n"
    )
    printed = fresh_python(code, tmp_path)
    # Not loaded by registering fonts; loaded, and the same for reportlab, once text is shaped
    # (the glyphs of the Arabic word are those test_scripts pins).
    assert printed.split("\n")[:3] == ["False", "(482, 1565, 448, 250)", "True"]


def test_pictures_print_the_same_when_pillow_is_loaded_on_first_use(tmp_path, run, monkeypatch):
    import shutil

    shutil.copytree(REPO / "decks", tmp_path / "decks")
    deck = tmp_path / "decks" / "science-basics.yaml"  # a PNG and an SVG on its cards
    monkeypatch.chdir(tmp_path)
    # A fresh `printkit build` puts a stand-in for PIL.Image before reportlab imports it;
    # this test process imported Pillow long ago. The picture must come out the same.
    finished(build(deck, tmp_path / "fresh", tmp_path / "cache", "flashcards"))
    assert run("build", deck, "--layout", "flashcards", "--out", tmp_path / "here").exit_code == 0
    fresh = pdfs(tmp_path / "fresh")
    assert list(fresh) == ["science-basics-flashcards.pdf"]
    assert fresh == pdfs(tmp_path / "here")
    assert b"/Subtype /Image" in fresh["science-basics-flashcards.pdf"]
