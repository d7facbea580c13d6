"""The bundled fonts, registered with reportlab, and the per-character fallback between them.

Text is set in DejaVu Sans (DejaVu Sans Mono for code), or in a user's own TrueType font. A
character the face lacks is drawn by the next face of its fallback chain, ending with the
script fonts: Noto for Hebrew, Arabic and Persian, Devanagari, Tamil and Thai, Droid Sans
Fallback for Chinese and Japanese, Nanum Square for Korean Hangul, Noto Emoji (monochrome).
Text is cut by grapheme cluster, so a letter and its marks (or an emoji sequence) stay in one
face. Script fonts are registered only when a character needs them: Latin decks pay nothing.
"""

import hashlib
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from printkit.font_cache import load_ttfont

FONT_DIR = Path(__file__).with_name("typefaces")

REGULAR = "PrintkitSans"
BOLD = "PrintkitSans-Bold"
ITALIC = "PrintkitSans-Italic"
BOLD_ITALIC = "PrintkitSans-BoldItalic"
MONO = "PrintkitMono"
MONO_BOLD = "PrintkitMono-Bold"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_CODE_FILES = {MONO: "DejaVuSansMono.ttf", MONO_BOLD: "DejaVuSansMono-Bold.ttf"}


# The three types below are named tuples rather than frozen dataclasses: as immutable, and
# four times cheaper to create when a build starts (dataclasses compile their methods).


class Faces(NamedTuple):
    """The four faces a build sets its text in (`use_fonts` makes one for a user's font)."""

    regular: str
    bold: str
    italic: str
    bold_italic: str

    def face(self, *, bold: bool = False, italic: bool = False) -> str:
        return ((self.regular, self.italic), (self.bold, self.bold_italic))[bold][italic]


DEJAVU = Faces(REGULAR, BOLD, ITALIC, BOLD_ITALIC)


class _Style(NamedTuple):
    """What a registered face is: its family (the four faces), weight, slant, whether code,
    and the faces to try after it before the script fonts."""

    family: Faces
    bold: bool
    italic: bool
    code: bool
    then: tuple[str, ...]


_STYLES: dict[str, _Style] = {
    REGULAR: _Style(DEJAVU, False, False, False, ()),
    BOLD: _Style(DEJAVU, True, False, False, (REGULAR,)),
    ITALIC: _Style(DEJAVU, False, True, False, (REGULAR,)),
    BOLD_ITALIC: _Style(DEJAVU, True, True, False, (BOLD, REGULAR)),
    MONO: _Style(DEJAVU, False, False, True, (REGULAR,)),
    MONO_BOLD: _Style(DEJAVU, True, False, True, (BOLD, REGULAR)),
}
_USER_FILES: dict[str, Path] = {}  # face name -> the user's font file


class ScriptFont(NamedTuple):
    """A bundled font for one script, and the characters it is preferred for even where the
    main face has them (DejaVu has some Hebrew, Arabic and emoji; a whole word should look
    like one script)."""

    script: str
    regular: str
    bold: str | None  # None: bold text of this script is set in the regular file
    ranges: tuple[tuple[int, int], ...]

    def face(self, bold: bool) -> str:
        return f"PrintkitScript-{self.script}" + ("-Bold" if bold and self.bold else "")


SCRIPT_FONTS: tuple[ScriptFont, ...] = (
    ScriptFont(
        "emoji",
        "NotoEmoji-Regular.ttf",
        None,
        ((0x1F000, 0x1FAFF),),  # and any cluster asking for emoji presentation (U+FE0F)
    ),
    ScriptFont(
        "hebrew",
        "NotoSansHebrew-Regular.ttf",
        "NotoSansHebrew-Bold.ttf",
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    ),
    ScriptFont(
        "arabic",
        "NotoNaskhArabic-Regular.ttf",
        "NotoNaskhArabic-Bold.ttf",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    ScriptFont(
        "devanagari",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    ),
    ScriptFont(
        "tamil",
        "NotoSansTamil-Regular.ttf",
        "NotoSansTamil-Bold.ttf",
        ((0x0B80, 0x0BFF), (0x11FC0, 0x11FFF)),
    ),
    ScriptFont("thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", ((0x0E00, 0x0E7F),)),
    ScriptFont(
        "cjk",
        "DroidSansFallbackFull.ttf",
        None,
        (
            (0x2E80, 0x2FDF),  # radicals
            (0x2FF0, 0x30FF),  # ideographic description, CJK punctuation, kana
            (0x3100, 0x312F),  # bopomofo
            (0x31A0, 0x31FF),
            (0x3200, 0x33FF),  # enclosed letters, compatibility
            (0x3400, 0x4DBF),  # extension A
            (0x4E00, 0x9FFF),  # unified ideographs
            (0xF900, 0xFAFF),
            (0xFE30, 0xFE4F),
            (0xFF00, 0xFFEF),  # full-width and half-width forms
            (0x20000, 0x3FFFF),
        ),
    ),
    ScriptFont(
        "hangul",
        "NanumSquareR.ttf",
        None,
        ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)),
    ),
)
_SCRIPT_FACES = {
    sf.face(bold): (sf.bold if bold else sf.regular) or sf.regular
    for sf in SCRIPT_FONTS
    for bold in (False, True)
}

# Characters that draw nothing (joiners, variation selectors, bidi marks…): harfbuzz hides
# them when a font lacks them, so they never decide a cluster's face nor make text unprintable.
_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def _in(code: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def is_ignorable(char: str) -> bool:
    """True for a default-ignorable character (it draws nothing, in any font)."""
    return _in(ord(char), _IGNORABLE)


# --- registering -------------------------------------------------------------------------


@cache
def register_fonts() -> None:
    """Register the DejaVu family so canvases and text measurement can use the names above."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(load_ttfont(name, str(FONT_DIR / filename)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)


@cache
def register_code_fonts() -> None:
    """Register the monospace faces (the first time a deck's text holds code)."""
    from reportlab.pdfbase import pdfmetrics

    for name, filename in _CODE_FILES.items():
        pdfmetrics.registerFont(load_ttfont(name, str(FONT_DIR / filename)))


@cache
def _register_one(name: str, path: str) -> None:
    """Register one face, once: parsing a 4 MB TrueType file is not free. Its text map is
    written so that every character reads back as itself, emoji beyond U+FFFF and shaped
    glyphs included (reportlab's own map cuts a character to 16 bits: U+1F60 for 😀)."""
    from reportlab.pdfbase import pdfmetrics

    from printkit.shaping import logical_text_font

    pdfmetrics.registerFont(load_ttfont(name, path))
    logical_text_font(pdfmetrics.getFont(name))


def registered_script_faces() -> list[str]:
    """The script faces registered so far (tests check that Latin text loads none)."""
    from reportlab.pdfbase import pdfmetrics

    return [name for name in pdfmetrics.getRegisteredFontNames() if name in _SCRIPT_FACES]


def ensure(font: str) -> None:
    """Register whatever `font` needs before it is measured or drawn (cheap once done)."""
    if font in _CODE_FILES:
        register_code_fonts()
    elif font in _SCRIPT_FACES:
        _register_one(font, str(FONT_DIR / _SCRIPT_FACES[font]))
    elif font in _USER_FILES:
        _register_one(font, str(_USER_FILES[font]))
    else:
        register_fonts()


def font_file(font: str) -> Path:
    """The TrueType file of a registered face (a shaper such as harfbuzz reads the file)."""
    if font in _USER_FILES:
        return _USER_FILES[font]
    name = _FILES.get(font) or _CODE_FILES.get(font) or _SCRIPT_FACES.get(font)
    if name is None:
        raise KeyError(f"{font!r} is not a printkit face")
    return FONT_DIR / name


@cache
def _glyphs(font: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    ensure(font)
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


# --- styles ------------------------------------------------------------------------------


def face(
    *, bold: bool = False, italic: bool = False, code: bool = False, base: str = REGULAR
) -> str:
    """The registered face for a style, in the family of `base` (DejaVu Sans unless `base`
    is a face of a user's font): code in DejaVu Sans Mono, whatever the family."""
    if code:
        return MONO_BOLD if bold else MONO
    return _style(base).family.face(bold=bold, italic=italic)


def is_bold(font: str) -> bool:
    return _style(font).bold


def is_italic(font: str) -> bool:
    return _style(font).italic


def _style(font: str) -> _Style:
    style = _STYLES.get(font)
    if style is None:
        bold = font in _SCRIPT_FACES and font.endswith("-Bold")
        return _Style(DEJAVU, bold, False, False, ())
    return style


# --- fallback ----------------------------------------------------------------------------


def clusters(text: str) -> list[str]:
    """`text` cut into grapheme clusters (UAX #29, with Indic conjuncts and emoji sequences):
    what a reader sees as one character, which must never be split between faces or lines."""
    return _cluster_pattern().findall(text)


@cache
def _cluster_pattern():
    import regex  # imported on first use: Latin texts never need it

    return regex.compile(r"\X")


def _claimed(cluster: str) -> ScriptFont | None:
    """The script font a cluster is preferred in, if any."""
    if "\ufe0f" in cluster or "\u20e3" in cluster:
        return SCRIPT_FONTS[0]  # emoji presentation asked for, or a keycap
    code = ord(cluster[0])
    if code < 0x0590:
        return None
    return next((sf for sf in SCRIPT_FONTS if _in(code, sf.ranges)), None)


@cache
def _unclaimed(char: str) -> bool:
    """Whether no script font is preferred for `char`, in any cluster it starts or joins."""
    return char not in "\ufe0f\u20e3" and _claimed(char) is None


def chain(font: str, cluster: str = "") -> Iterator[str]:
    """The faces that may draw `cluster` when set in `font`, best first: the script font
    the cluster's script prefers (after `font` if it is a user's own font, before DejaVu),
    `font`, its fallbacks in its family and DejaVu, then the script fonts of its weight, then
    every other face (so what any face has, every chain has: one union)."""
    style = _style(font)
    claimed = _claimed(cluster) if cluster else None
    if claimed is not None and font not in _USER_FILES:
        yield claimed.face(style.bold)
    yield font
    if claimed is not None and font in _USER_FILES:
        yield claimed.face(style.bold)
    yield from style.then
    for sf in SCRIPT_FONTS:
        if sf is not claimed:
            yield sf.face(style.bold)
    yield from (sf.face(not style.bold) for sf in SCRIPT_FONTS)
    yield from (name for name in _STYLES if name not in _USER_FILES)


def _has(font: str, cluster: str) -> bool:
    glyphs = _glyphs(font)
    return all(ord(c) in glyphs or is_ignorable(c) for c in cluster)


@cache
def face_for(cluster: str, font: str) -> str | None:
    """The first face of `font`'s chain that has every character of `cluster` (a grapheme
    cluster or a single character); None when no face has them all."""
    return next((f for f in chain(font, cluster) if _has(f, cluster)), None)


def _cluster_face(cluster: str, font: str, previous: str | None) -> str:
    first = cluster[0]
    if previous is not None and unicodedata.category(first)[0] in "ZP" and _has(previous, cluster):
        return previous  # a space or punctuation stays in the run it follows
    chosen = face_for(cluster, font)
    if chosen is None:  # no face has the whole cluster: the face for its base character
        chosen = face_for(first, font) or font
    return chosen


_ASCII_FACES = frozenset((REGULAR, BOLD, ITALIC, BOLD_ITALIC, MONO, MONO_BOLD))


def split_by_coverage(text: str, font: str) -> list[tuple[str, str]]:
    """`text` cut into (piece, face), each piece a run in one face that has all its
    characters, cut only between grapheme clusters. Characters no face has stay in `font`;
    the build refuses those before drawing."""
    if text.isascii() and font in _ASCII_FACES:
        return [(text, font)]  # DejaVu has every printable ASCII character: no check needed
    own = _glyphs(font)
    if all(ord(c) in own for c in text) and all(c < "\u0590" or _unclaimed(c) for c in text):
        # Latin, Greek, Cyrillic, with curly quotes and dashes: one run, no script font to
        # load, no cutting into clusters (every cluster would choose `font`, first in its chain)
        return [(text, font)]
    pieces: list[tuple[str, str]] = []
    for cluster in clusters(text):
        previous = pieces[-1][1] if pieces else None
        chosen = _cluster_face(cluster, font, previous)
        if chosen == previous:
            pieces[-1] = (pieces[-1][0] + cluster, chosen)
        else:
            pieces.append((cluster, chosen))
    return pieces


# --- a user's own font -------------------------------------------------------------------


def check_font_file(value: str) -> None:
    """Refuse a font option's value that is not a usable TrueType file (ValueError says why);
    an empty value means the bundled font."""
    if value:
        _load_user_font(value)


def _load_user_font(value: str) -> str:
    """The face name of a user's font file, registered; ValueError says why it cannot be."""
    path = Path(value).expanduser()
    if not path.exists():
        raise ValueError(f"'{value}': there is no such font file")
    if path.is_dir():
        raise ValueError(f"'{value}' is a folder; give the path of a .ttf file")
    try:
        with path.open("rb") as file:
            head = file.read(4)
    except OSError as error:
        raise ValueError(f"'{value}' cannot be read ({error.strerror})") from None
    if head == b"OTTO":
        raise ValueError(
            f"'{value}' is an OpenType font with PostScript (CFF) outlines, which printkit "
            "cannot embed in a PDF; use a TrueType (.ttf) version of the font"
        )
    if head == b"ttcf":
        raise ValueError(f"'{value}' is a font collection (.ttc); use a single .ttf font")
    if head in (b"wOFF", b"wOF2"):
        raise ValueError(f"'{value}' is a web font (WOFF); use the TrueType (.ttf) font")
    if head not in (b"\x00\x01\x00\x00", b"true"):
        raise ValueError(f"'{value}' is not a TrueType font file")
    stat = path.stat()
    try:
        return _user_face(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except ValueError as error:
        raise ValueError(f"'{value}' cannot be used as a font: {error}") from None


@cache
def _user_face(path: str, size: int, mtime: int) -> str:
    """Register a user's font under a name of its own (once per file and version)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    digest = hashlib.sha1(f"{path}\0{size}\0{mtime}".encode()).hexdigest()[:10]
    name = f"PrintkitUser-{digest}"
    try:
        pdfmetrics.registerFont(load_ttfont(name, path))
    except (TTFError, OSError, ValueError, KeyError, IndexError) as error:
        raise ValueError(str(error)) from None
    _USER_FILES[name] = Path(path)
    return name


def use_fonts(font: str = "", bold_font: str = "") -> Faces:
    """The faces a build sets its text in: DejaVu Sans, or the user's TrueType `font` (and
    `bold_font`, else bold is set in `font` too); italic is set upright in a user's font. Every
    face falls back to DejaVu and the script fonts. ValueError says what is wrong with a file."""
    if bold_font and not font:
        raise ValueError("bold_font is the bold of the font given with font=; set font too")
    if not font:
        return DEJAVU
    register_fonts()
    regular = _load_user_font(font)
    bold = _load_user_font(bold_font) if bold_font else regular
    faces = Faces(regular, bold, regular, bold)
    _STYLES[regular] = _Style(faces, False, False, False, (REGULAR,))
    if bold != regular:
        _STYLES[bold] = _Style(faces, True, False, False, (BOLD, REGULAR))
    return faces


# --- what cannot print -------------------------------------------------------------------


def unprintable(text: str, faces: Faces = DEJAVU) -> list[tuple[str, str]]:
    """The characters of `text` that would not print as themselves, each with the reason:
    no glyph in any font of the chain (a blank box), or a control character. In order of
    appearance. `faces` are the build's (a user's font counts too)."""
    extra = tuple(dict.fromkeys(f for f in (faces.regular, faces.bold) if f in _USER_FILES))
    bad = [char for char in set(text) if _verdict(char, extra) is not None]
    return [(char, _verdict(char, extra)) for char in sorted(bad, key=text.index)]  # type: ignore[misc]


@cache
def _verdict(char: str, extra: tuple[str, ...] = ()) -> str | None:
    """Why one character would not print as typed, or None when it prints (checked once).
    DejaVu Sans is asked first, so a Latin text never loads a script font to be checked."""
    if char in "\n\t":
        return None
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character"
    if category.startswith("Z") or is_ignorable(char):
        return None
    if ord(char) in _glyphs(REGULAR):
        return None
    if any(ord(char) in _glyphs(f) for f in (*extra, *chain(REGULAR, char))):
        return None
    return "not in any bundled font (it would print as a blank box)"
