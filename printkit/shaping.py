"""Complex scripts: shaping with HarfBuzz, bidi order, where lines may break, and drawing
shaped runs so that the PDF's text layer still reads back as the logical text.

Nothing heavy is imported until a text needs it: a Latin-only deck never loads uharfbuzz,
python-bidi or a Thai dictionary (`needs_shaping` and `paragraph_direction` are pure Python).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Direction = Literal["ltr", "rtl"]

# Scripts whose letters change shape or position with their neighbours (joining, reordering,
# stacking marks), right-to-left scripts (drawn through the shaped path so that each run reads
# back in logical order), combining marks, and emoji sequences (ZWJ, skin tones, flags, keycaps).
_COMPLEX = re.compile(
    "["
    "\u0300-\u036f"  # combining diacritics left over after NFC
    "\u0590-\u08ff"  # Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic ext.
    "\u0900-\u0dff"  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil … Sinhala
    "\u0e00-\u0fff"  # Thai, Lao, Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1700-\u18af"  # Philippine scripts, Khmer, Mongolian
    "\u1a00-\u1cff"  # Buginese … Vedic extensions
    "\u1dc0-\u1dff"  # combining diacritics supplement
    "\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069"  # joiners, bidi controls
    "\u20d0-\u20ff"  # combining marks for symbols (keycap)
    "\ua800-\uabff"  # Syloti Nagri … Meetei Mayek
    "\ufb1d-\ufdff\ufe70-\ufeff"  # Hebrew and Arabic presentation forms
    "\ufe00-\ufe0f\ufe20-\ufe2f"  # variation selectors, combining half marks
    "\U00010800-\U00010fff"  # historic right-to-left scripts
    "\U00011000-\U00011fff"  # Brahmi and other Indic scripts
    "\U0001e800-\U0001efff"  # Adlam, Arabic mathematical letters
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
    "\U0001f3fb-\U0001f3ff"  # skin tone modifiers
    "\U000e0020-\U000e007f\U000e0100-\U000e01ef"  # tags, variation selectors supplement
    "]"
)

_RTL = re.compile(
    "[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufeff"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def needs_shaping(text: str) -> bool:
    """True when `text` must go through HarfBuzz (and the shaped drawing) to print right.

    False for Latin, Greek, Cyrillic, CJK, Hangul and plain emoji: those keep the fast
    unshaped path (reportlab's own widths and drawing). True for any right-to-left letter too,
    Hebrew without marks included, so that every right-to-left run is drawn the one way.
    """
    return not text.isascii() and _COMPLEX.search(text) is not None


def has_rtl(text: str) -> bool:
    """True when `text` holds a right-to-left letter or control (so bidi ordering is needed)."""
    return not text.isascii() and _RTL.search(text) is not None


# ---------------------------------------------------------------------------------------------
# Shaping


@dataclass(frozen=True)
class ShapedRun:
    """HarfBuzz's output for one run of text in one font and direction.

    Glyphs are in visual (left-to-right drawing) order, so a right-to-left run's first glyph
    is its last letter. `advances` and `offsets` (dx, dy) are in ems: multiply by the font size
    in pt to get pt (the run is `width` × size pt wide). `clusters[i]` is the index in `text`
    of the first character that glyph i comes from (HarfBuzz's default cluster level: a base
    letter and its marks share one cluster).
    """

    text: str
    font_path: str
    direction: Direction
    glyphs: tuple[int, ...]
    advances: tuple[float, ...]
    offsets: tuple[tuple[float, float], ...]
    clusters: tuple[int, ...]

    @property
    def width(self) -> float:
        """The run's advance width at 1 pt (in ems)."""
        return sum(self.advances)


@lru_cache(maxsize=64)
def _hb_font(font_path: str):
    """One HarfBuzz font per font file: reading and parsing the file is the costly part."""
    import uharfbuzz as hb

    with open(font_path, "rb") as file:
        face = hb.Face(hb.Blob(file.read()))
    return hb.Font(face), face.upem


@lru_cache(maxsize=8192)
def shape(
    text: str,
    font_path: str,
    *,
    direction: Direction,
    script: str | None = None,
    language: str | None = None,
) -> ShapedRun:
    """Shape `text` (one run: one font, one direction) with the font file at `font_path`.

    `script` is an ISO 15924 tag ("Arab", "Deva") and `language` a BCP 47 tag ("fa", "hi");
    left as None, HarfBuzz guesses them from the text. The results are cached: shaping the same
    word again costs a dictionary look-up.
    """
    import uharfbuzz as hb

    if direction not in ("ltr", "rtl"):
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {direction!r}")
    font, upem = _hb_font(font_path)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.direction = direction
    if script:
        buffer.script = script
    if language:
        buffer.language = language
    buffer.guess_segment_properties()
    hb.shape(font, buffer)
    scale = 1.0 / upem
    positions = buffer.glyph_positions
    infos = buffer.glyph_infos
    return ShapedRun(
        text=text,
        font_path=font_path,
        direction=direction,
        glyphs=tuple(info.codepoint for info in infos),
        advances=tuple(p.x_advance * scale for p in positions),
        offsets=tuple((p.x_offset * scale, p.y_offset * scale) for p in positions),
        clusters=tuple(info.cluster for info in infos),
    )


# ---------------------------------------------------------------------------------------------
# Bidi (UAX #9)

_STRONG = {"L": "ltr", "R": "rtl", "AL": "rtl"}
_ISOLATE_OPEN = {"LRI", "RLI", "FSI"}


def paragraph_direction(text: str) -> Direction:
    """The paragraph's direction from its first strong letter (UAX #9 rules P2 and P3),
    skipping what stands inside isolates; "ltr" when there is none (digits only, say).
    A right-to-left paragraph is right-aligned and its lines ordered with `visual_runs`."""
    if text.isascii():
        return "ltr"
    depth = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _ISOLATE_OPEN:
            depth += 1
        elif kind == "PDI":
            depth = max(0, depth - 1)
        elif depth == 0 and kind in _STRONG:
            return _STRONG[kind]
    return "ltr"


@dataclass(frozen=True)
class VisualRun:
    """Part of a line to draw in one face and direction; `text` is in logical order (shape
    it with `direction`), `start`/`end` index the line's logical text, `piece` is the index of
    the (text, face) piece it comes from and `face` that piece's face (None for a plain str)."""

    text: str
    start: int
    end: int
    direction: Direction
    level: int
    piece: int
    face: object = None


_LEVELS = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _embedding_levels(text: str, base: Direction) -> list[int]:
    """Each character's resolved embedding level (UAX #9 up to rule L1) from python-bidi.

    python-bidi 0.6 exposes only `get_display` and `get_base_level`; its `debug=True` returns
    the Rust unicode-bidi `BidiInfo`, whose `levels` hold one level per UTF-8 byte. We read
    those rather than fall back to python-bidi's old pure-Python algorithm, which predates
    isolates and bracket pairs. The count is checked, so a change of format fails loudly.
    """
    from bidi import get_display

    info = get_display(text, base_dir="R" if base == "rtl" else "L", debug=True)
    section = info[info.index("levels:") : info.index("paragraphs:")]
    byte_levels = [int(level) for level in _LEVELS.findall(section)]
    encoded = text.encode("utf-8")
    if len(byte_levels) != len(encoded):
        raise RuntimeError("python-bidi's debug output changed: cannot read embedding levels")
    levels = []
    offset = 0
    for char in text:
        levels.append(byte_levels[offset])
        offset += len(char.encode("utf-8"))
    # L1: trailing whitespace, and whitespace before a tab, goes back to the paragraph level.
    base_level = 1 if base == "rtl" else 0
    reset = True
    for index in range(len(text) - 1, -1, -1):
        kind = unicodedata.bidirectional(text[index])
        if kind in ("S", "B"):
            levels[index] = base_level
            reset = True
        elif reset and kind in ("WS", "BN", "FSI", "LRI", "RLI", "PDI"):
            levels[index] = base_level
        else:
            reset = False
    return levels


def _visual_order(levels: list[int]) -> list[int]:
    """UAX #9 rule L2: logical indexes in visual order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min((level for level in levels if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] >= level:
                end = index
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[index:end] = order[index:end][::-1]
                index = end
            else:
                index += 1
    return order


def visual_runs(line: str | list[tuple[str, object]], base_direction: Direction) -> list[VisualRun]:
    """ONE already-wrapped line, given in logical order as a str or as (text, face) pieces,
    cut into runs of one face and one direction, listed in visual (left-to-right) order.

    `base_direction` is the paragraph's (see `paragraph_direction`), not the line's own. A line
    with no right-to-left text in a left-to-right paragraph costs no bidi work: its pieces come
    back as they are, each one "ltr" run.
    """
    pieces = [(line, None)] if isinstance(line, str) else list(line)
    text = "".join(piece_text for piece_text, _ in pieces)
    owner: list[int] = []
    for number, (piece_text, _) in enumerate(pieces):
        owner.extend([number] * len(piece_text))
    if base_direction == "ltr" and not has_rtl(text):
        runs, start = [], 0
        for number, (piece_text, face) in enumerate(pieces):
            if piece_text:
                end = start + len(piece_text)
                runs.append(VisualRun(piece_text, start, end, "ltr", 0, number, face))
                start = end
        return runs
    levels = _embedding_levels(text, base_direction)
    order = _visual_order(levels)
    # Cut the visual order wherever the level or the piece changes, or the logical indexes
    # stop following each other.
    runs = []
    index = 0
    while index < len(order):
        first = order[index]
        level, piece = levels[first], owner[first]
        step = -1 if level % 2 else 1
        end = index + 1
        while (
            end < len(order)
            and order[end] == order[end - 1] + step
            and levels[order[end]] == level
            and owner[order[end]] == piece
        ):
            end += 1
        low, high = sorted((order[index], order[end - 1]))
        runs.append(
            VisualRun(
                text[low : high + 1],
                low,
                high + 1,
                "rtl" if level % 2 else "ltr",
                level,
                piece,
                pieces[piece][1],
            )
        )
        index = end
    return runs


# ---------------------------------------------------------------------------------------------
# Grapheme clusters (UAX #29, the rules that matter for print) and line-break opportunities


def _hangul(code: int) -> str:
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _extends(char: str) -> bool:
    """Grapheme_Cluster_Break Extend, ZWJ or SpacingMark: never a cluster of its own."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or code in (0x200C, 0x200D, 0x0E33, 0x0EB3)
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def _pictographic(char: str) -> bool:
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2300 <= code <= 0x23FF
        or code in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2B50, 0x2B55, 0x2B1B, 0x2B1C)
    ) and not 0x1F1E6 <= code <= 0x1F1FF


def grapheme_boundaries(text: str) -> list[int]:
    """Indexes 0 < i < len(text) where a new grapheme cluster (what a reader sees as one
    character: a letter with its marks, a Hangul syllable from jamo, an emoji ZWJ sequence,
    a flag) starts. Breaking a long word by characters should break only here."""
    bounds = []
    regional = 0  # regional indicators in a row so far
    after_pictographic_zwj = False
    in_pictographic = False
    for index in range(1, len(text)):
        before, char = text[index - 1], text[index]
        code = ord(char)
        previous = ord(before)
        if _pictographic(before):
            in_pictographic = True
        elif not _extends(before):
            in_pictographic = False
        after_pictographic_zwj = in_pictographic and previous == 0x200D
        regional = regional + 1 if 0x1F1E6 <= previous <= 0x1F1FF else 0
        if before == "\r" and char == "\n":
            continue
        if _extends(char):
            continue
        if after_pictographic_zwj and _pictographic(char):
            continue
        if 0x1F1E6 <= code <= 0x1F1FF and regional % 2 == 1:
            continue
        first, second = _hangul(previous), _hangul(code)
        if first and second:
            if first == "L" and second in ("L", "V", "LV", "LVT"):
                continue
            if first in ("LV", "V") and second in ("V", "T"):
                continue
            if first in ("LVT", "T") and second == "T":
                continue
        bounds.append(index)
    return bounds


# Kinsoku: no line starts with these (closing brackets and punctuation, small kana, the
# prolonged sound mark and iteration marks) and none ends with the opening brackets.
_NO_START = set(
    "、。，．,.:;!?！？：；)]}）〕〉》」』】〙〗〟｝〛’”»›ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～・･％%‰℃°"
)
_NO_END = set("([{（〔〈《「『【〘〖〝｛〚‘“«‹¥$￥＄£￡")


def _ideographic(code: int) -> bool:
    """Letters of the scripts written without spaces and broken between characters (UAX #14
    class ID): Han, kana, CJK punctuation and fullwidth forms, and emoji. Not Hangul, which is
    written with spaces between words and broken only there (like `word-break: keep-all`)."""
    return (
        0x2E80 <= code <= 0x2FFF  # radicals
        or 0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3100 <= code <= 0x31FF  # bopomofo, katakana extensions
        or 0x3200 <= code <= 0x4DBF  # enclosed CJK, compatibility, extension A
        or 0x4E00 <= code <= 0x9FFF  # unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # vertical forms
        or 0xFF00 <= code <= 0xFF60  # fullwidth forms
        or 0x1F000 <= code <= 0x1FAFF  # emoji and pictographs
        or 0x20000 <= code <= 0x3FFFF  # extensions B and later
    )


def _dictionary_script(code: int) -> bool:
    """Thai, Lao, Khmer, Myanmar: no spaces between words (UAX #14 class SA)."""
    return 0x0E00 <= code <= 0x0EFF or 0x1780 <= code <= 0x17FF or 0x1000 <= code <= 0x109F


@lru_cache(maxsize=1)
def _thai_words():
    """pythainlp's dictionary word breaker (newmm), when it is installed; None otherwise."""
    try:
        from pythainlp.tokenize import word_tokenize
    except ImportError:
        return None
    return word_tokenize


def _sa_breaks(text: str, start: int, end: int, clusters: set[int]) -> list[int]:
    """Breaks inside a run of Thai (or Lao, Khmer, Myanmar) from `start` to `end`."""
    segment = text[start:end]
    words = _thai_words() if "\u0e00" <= segment[0] <= "\u0e7f" else None
    if words is None:
        return [i for i in range(start + 1, end) if i in clusters]
    breaks, at = [], start
    for word in words(segment, engine="newmm", keep_whitespace=True):
        at += len(word)
        if start < at < end and at in clusters:
            breaks.append(at)
    return breaks


def break_opportunities(text: str) -> list[int]:
    """Indexes 0 < i < len(text) where a line may end before text[i] (UAX #14 basics).

    - after a run of spaces (the spaces stay at the end of the line, to be dropped);
    - between two characters where either is CJK (Han, kana, fullwidth punctuation) or an
      emoji, except before closing punctuation and small kana and after opening brackets;
    - Korean (Hangul) and every alphabet break at spaces only;
    - inside Thai at word boundaries (pythainlp's dictionary breaker if installed, else
      between grapheme clusters), likewise Lao, Khmer and Myanmar between clusters;
    - never inside a grapheme cluster, an emoji ZWJ sequence or a flag, nor before a space.
    """
    if text.isascii():
        return [i for i in range(1, len(text)) if text[i - 1] == " " and text[i] != " "]
    clusters = set(grapheme_boundaries(text))
    breaks: set[int] = set()
    index = 1
    length = len(text)
    while index < length:
        if index not in clusters:
            index += 1
            continue
        before, char = text[index - 1], text[index]
        if char.isspace() or char in "\u00a0\u202f\u2007\u2060":
            index += 1
            continue
        if before.isspace() and before not in "\u00a0\u202f\u2007":
            breaks.add(index)
        elif _dictionary_script(ord(char)) and _dictionary_script(ord(before)):
            end = index
            while end < length and _dictionary_script(ord(text[end])):
                end += 1
            start = index - 1
            while start > 0 and _dictionary_script(ord(text[start - 1])):
                start -= 1
            breaks.update(_sa_breaks(text, start, end, clusters))
            index = end
            continue
        elif char not in _NO_START and before not in _NO_END and before != "\u200d":
            # the cluster before: its first character decides (a base letter, not its marks)
            base = index - 1
            while base > 0 and base not in clusters:
                base -= 1
            if _ideographic(ord(char)) or _ideographic(ord(text[base])):
                breaks.add(index)
        index += 1
    return sorted(breaks)


# ---------------------------------------------------------------------------------------------
# Drawing shaped runs with reportlab

# Glyphs that no character maps to on its own (joined Arabic forms, conjuncts, ligatures) are
# given codes from Supplementary Private Use Area-B, clear of the font's own characters and of
# the U+E000 codes that reportlab's shapeStr hands out.
_FIRST_PRIVATE = 0x100000


class _FontText:
    """Per reportlab TTFont: the code given to each (glyph, text) pair and each code's text."""

    def __init__(self, font) -> None:
        self.codes: dict[tuple[int, str], int] = {}
        self.texts: dict[int, str] = {}
        self.next_code = _FIRST_PRIVATE
        self.nominal: dict[int, list[int]] = font.face.glyphToChar


def _font_text(font) -> _FontText:
    """Prepare a reportlab TTFont once for shaped drawing (see `logical_text_font`)."""
    state = getattr(font, "_printkit_text", None)
    if state is None:
        state = _FontText(font)
        font._printkit_text = state
        logical_text_font(font)
    return state


def logical_text_font(font) -> None:
    """Make a registered reportlab TTFont write ToUnicode maps that give back the real text.

    reportlab writes one UTF-16 unit per code, so a character beyond U+FFFF (an emoji) reads
    back wrong (U+1F60 for U+1F600), and a glyph it added for shaping reads back as a private
    code. Here each code maps to its characters in UTF-16BE, surrogate pairs and several
    characters (a ligature, a conjunct) included. Safe to call on any TTFont, more than once.
    Pass the registered object, `pdfmetrics.getFont(name)`: reportlab makes a second TTFont of
    the same face an alias of the first one registered, and only that one writes the PDF.
    """
    if getattr(font, "_printkit_logical", False):
        return
    from types import MethodType

    original = font.addObjects

    def add_objects(self, doc) -> None:
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        original(doc)
        texts = getattr(self, "_printkit_text", None)
        texts = texts.texts if texts is not None else {}
        for number, subset in enumerate(subsets):
            base = _subset_font_name(self, number)
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = _to_unicode_cmap(base, subset, texts)

    font.addObjects = MethodType(add_objects, font)
    font._printkit_logical = True


def _subset_font_name(font, number: int) -> str:
    from reportlab.pdfbase.ttfonts import SUBSETN

    face = font.face
    return b"".join((SUBSETN(number), b"+", face.name, face.subfontNameX)).decode("pdfdoc")


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(font_name: str, subset: list[int], texts: dict[int, str]) -> str:
    entries = []
    for index, code in enumerate(subset):
        text = texts.get(code)
        if text is None:
            text = chr(code)
        entries.append(f"<{index:02X}> <{_utf16_hex(text)}>")
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({font_name}) /Ordering ({font_name}) /Supplement 0 >> def",
        f"/CMapName /{font_name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    # A bfchar block holds at most 100 entries.
    for first in range(0, len(entries), 100):
        block = entries[first : first + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _glyph_texts(run: ShapedRun, nominal: dict[int, list[int]]) -> list[str]:
    """Share each cluster's characters among its glyphs, for the ToUnicode map: a glyph that
    is the font's own glyph for one of the characters takes it; the characters left go to the
    cluster's other glyphs, one each, the last taking the rest (a ligature or conjunct takes
    all it stands for); any further glyph reads back as nothing. Every character is read back once, in some order."""
    text = run.text
    ends = [*sorted(set(run.clusters)), len(text)]
    cluster_end = {start: ends[i + 1] for i, start in enumerate(ends[:-1])}
    by_cluster: dict[int, list[int]] = {}
    for glyph_index, cluster in enumerate(run.clusters):
        by_cluster.setdefault(cluster, []).append(glyph_index)
    result = [""] * len(run.glyphs)
    for cluster, members in by_cluster.items():
        left = list(text[cluster : cluster_end[cluster]])
        if run.direction == "rtl":
            members = members[::-1]  # logical order within the cluster
        unassigned = []
        for glyph_index in members:
            for code in nominal.get(run.glyphs[glyph_index], ()):
                if chr(code) in left:
                    left.remove(chr(code))
                    result[glyph_index] = chr(code)
                    break
            else:
                unassigned.append(glyph_index)
        if left and not unassigned:
            result[members[-1]] += "".join(left)
        elif left:
            # One character each, the last of these glyphs taking what remains; glyphs that
            # take up room first, so that a glyph reading back as nothing is a mark, not a
            # gap that text extraction would take for a space.
            unassigned.sort(key=lambda glyph_index: run.advances[glyph_index] == 0)
            for glyph_index, char in zip(unassigned, left[: len(unassigned) - 1], strict=False):
                result[glyph_index] = char
            taken = min(len(unassigned) - 1, len(left))
            result[unassigned[taken]] = "".join(left[taken:])
    if run.direction == "rtl":
        # Readers reverse a right-to-left line character by character, a ligature's text
        # included: store it reversed (visual) so that it comes out in logical order.
        result = [text[::-1] for text in result]
    return result


def _codes(run: ShapedRun, font) -> list[int]:
    """A code per glyph that reportlab's subsetting maps to that glyph and whose ToUnicode
    entry is the glyph's share of the text."""
    state = _font_text(font)
    face = font.face
    codes = []
    for gid, text in zip(run.glyphs, _glyph_texts(run, state.nominal), strict=True):
        if len(text) == 1 and face.charToGlyph.get(ord(text)) == gid:
            codes.append(ord(text))
            continue
        key = (gid, text)
        code = state.codes.get(key)
        if code is None:
            code = state.next_code
            while code in face.charToGlyph:
                code += 1
            state.next_code = code + 1
            state.codes[key] = code
            state.texts[code] = text
            face.charToGlyph[code] = gid
            # The width in the PDF's /Widths array: the glyph's own advance, in 1/1000 em.
            face.charWidths[code] = _glyph_width(run.font_path, gid)
        codes.append(code)
    return codes


def _glyph_width(font_path: str, gid: int) -> int:
    font, upem = _hb_font(font_path)
    return round(font.get_glyph_h_advance(gid) * 1000 / upem)


def draw_run(textobject, run: ShapedRun, font_name: str, size: float) -> float:
    """Draw `run` at the text object's current origin (set it with setTextOrigin) in the
    registered TrueType face `font_name` made from the same file, at `size` pt; returns the
    width drawn in pt. Sets the text object's font to (font_name, size).

    The glyphs go through reportlab's own ShapedStr drawing (which positions each glyph with
    HarfBuzz's offsets); their codes map back to the run's characters in the font's ToUnicode
    map, and the run is wrapped in an ActualText span holding its logical text, so that copy
    and paste, search and text extraction give back what was typed.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    font = pdfmetrics.getFont(font_name)
    if os.path.abspath(font.face.filename) != os.path.abspath(run.font_path):
        raise ValueError(f"{font_name} is not made from {run.font_path}: glyph ids would not match")
    if not run.glyphs:
        return 0.0
    if (textobject._fontname, textobject._fontsize) != (font_name, size):
        textobject.setFont(font_name, size)
    codes = _codes(run, font)
    widths = font.face.charWidths
    data = [
        ShapeData(cluster, advance * 1000, 0, dx * 1000, dy * 1000, widths[code])
        for code, cluster, advance, (dx, dy) in zip(
            codes, run.clusters, run.advances, run.offsets, strict=True
        )
    ]
    shaped = ShapedStr("".join(map(chr, codes)), shapeData=data)
    # Readers (poppler, pdf.js, Acrobat) put a right-to-left line's glyphs back in logical
    # order themselves, and reverse an ActualText span too: only left-to-right runs get one
    # (for the reordered vowel signs of Indic scripts).
    actual = run.direction == "ltr"
    if actual:
        textobject._code.append(f"/Span <</ActualText <FEFF{_utf16_hex(run.text)}>>> BDC")
    textobject.textOut(shaped)
    if actual:
        textobject._code.append("EMC")
    return run.width * size


def draw_shaped(canvas, run: ShapedRun, font_name: str, size: float, x: float, y: float) -> float:
    """Draw `run` with its left end at (x, baseline y) on a reportlab canvas; returns its
    width in pt. For many runs, share one text object and call `draw_run`."""
    textobject = canvas.beginText(x, y)
    width = draw_run(textobject, run, font_name, size)
    canvas.drawText(textobject)
    return width
