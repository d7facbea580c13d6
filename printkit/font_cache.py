"""Parsed TrueType fonts kept on disk, so that a build does not parse whole font files again.

reportlab's `TTFont` reads a font's tables (character map, widths, glyph positions) in pure
Python: about 9 ms for a DejaVu face, 60 ms for the CJK font, every time a process starts.
What it reads depends only on the file and reportlab's version, so it is saved once in the
user's cache folder ($XDG_CACHE_HOME/printkit/fonts, else ~/.cache/printkit/fonts) and read
back in about a millisecond; each table is decoded the first time it is used, and the
font file read when a PDF embeds its glyphs. A cached face holds the same tables, value for
value and in the same order, as a parsed one: the PDFs do not change.

A cache file is named after the font file's path, size, modification time and reportlab's
version, and holds a checksum of its content: a file that fails the check is ignored (and
written again). Files are written under a temporary name and renamed, so builds running at
once never read half a file. Without a writable cache folder fonts are parsed as before.

The font subsets a PDF embeds are kept too (in `subsets/`, compressed, named after the face and
the glyphs they hold): rebuilding a deck mostly needs the same ones. Only the most recently
used few hundred are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import zlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

# Changed whenever what a cache file holds changes: older files are then simply not found.
_FORMAT = b"printkit-font-cache 2\n"
# Attributes that are not data: the file's bytes (read from the font itself) and a function.
_NOT_CACHED = ("_ttf_data", "_pdfScale")
# The big tables, each decoded only when first used.
_LAZY = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos")
# What any parsed face has: a cache file without them is not one of ours.
_REQUIRED = ("charToGlyph", "charWidths", "glyphPos", "hmetrics", "name", "unitsPerEm")
# Subsets of one face kept made and compressed for the next PDF (each about 50 kB).
_SUBSETS_KEPT = 32
# Made subsets kept on disk, compressed (3 to 25 kB each for DejaVu): the oldest go beyond this many.
_SUBSET_FILES_KEPT = 256
_SUBSET_FORMAT = b"printkit-font-subset 3\n"  # 3: named after glyphs, not codes


def cache_folder() -> Path | None:
    """Where parsed fonts are kept: $XDG_CACHE_HOME/printkit/fonts (an absolute path, as the
    XDG specification asks), else the platform's per-user cache folder; None without a home."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        base = Path(xdg)
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        try:
            home = Path.home()
        except (RuntimeError, KeyError):  # no home folder to be found (a service account)
            return None
        if not home.is_absolute():  # "~" left as it is: no home either
            return None
        base = home / ("Library/Caches" if sys.platform == "darwin" else ".cache")
    return base / "printkit" / "fonts"


def load_ttfont(name: str, path: str) -> TTFont:
    """reportlab's `TTFont(name, path)`, from the cache when the same font was parsed before."""
    from reportlab import Version

    from printkit.deferred import defer

    defer()  # before reportlab's ttfonts imports uharfbuzz
    from reportlab.pdfbase.ttfonts import TTFont

    folder = cache_folder()
    cached = None
    if folder is not None:
        stat = os.stat(path)
        key = f"{os.path.abspath(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\0{Version}"
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        cached = folder / f"{Path(path).stem[:40]}-{digest}.font"
    face = _read(cached, path) if cached else None
    if face is None:
        font = TTFont(name, path)  # parses the file (raises TTFError for a bad one)
        if cached:
            _write(cached, font.face)
        return font
    font = TTFont.__new__(TTFont)
    _init_like_reportlab(font, name, face)
    return font


def _init_like_reportlab(font: TTFont, name: str, face: TTFontFace) -> None:
    """What `TTFont.__init__` does once it has parsed the face (reportlab 5; the tests check
    that the result has the same attributes as reportlab's own)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, unShapedFontGlob

    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)


def _read(cached: Path, path: str) -> TTFontFace | None:
    """The face saved in `cached`; None when missing or not valid."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    body = _load(cached, _FORMAT)
    if body is None:
        return None  # parse the font again
    try:
        state, names, tables = marshal.loads(body)
        if any(key not in state and key not in tables for key in _REQUIRED):
            return None
        for key in names:
            state[key] = TTFNameBytes(state[key])  # the name strings, as reportlab makes them
    except Exception:  # whatever is wrong with a cache file, the font can still be parsed
        return None
    face_class = _cached_face_class()
    face = face_class.__new__(face_class)
    face.__dict__.update(state)
    face._pdfScale = _scale(state["unitsPerEm"])
    face._lazy = tables
    face._path = path
    face._subsets, face._packed = {}, {}
    face._subset_files = cached.parent / "subsets" / cached.stem
    return face


def _scale(units_per_em: int):
    """The font-units to 1/1000 em function, computed exactly as reportlab's parser does."""
    if units_per_em == 1000:
        return lambda x: x
    multiplier = 1000 / units_per_em
    return lambda x: x * multiplier


def _write(cached: Path, face: TTFontFace) -> None:
    """Save a freshly parsed face; a cache that cannot be written is no error."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    state = {key: value for key, value in face.__dict__.items() if key not in _NOT_CACHED}
    names = [key for key, value in state.items() if isinstance(value, TTFNameBytes)]
    for key in names:
        state[key] = bytes(state[key])
    try:
        tables = {key: marshal.dumps(state.pop(key)) for key in _LAZY if key in state}
        body = marshal.dumps((state, names, tables))
    except ValueError:  # an attribute marshal cannot write (another reportlab): no cache
        return
    _save(cached, _FORMAT, body)


def _save(path: Path, form: bytes, body: bytes) -> bool:
    """Write `body` to `path` behind its format line and checksum; False when it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(path.parent)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(form + _checksum(body) + body)
            os.replace(temporary, path)  # atomic: a build reading at once sees all or nothing
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


# A temporary file older than this was left by a build that was killed while writing it.
_ABANDONED_AFTER = 3600.0


def _remove_abandoned(folder: Path) -> None:
    """Remove the temporary files of cache writes that never finished (a build killed, or a
    worker stopped by Ctrl-C, while writing): nothing else would. Only old ones: a build
    running now may be writing its own. Done when a cache file is written, which is rare."""
    import time

    limit = time.time() - _ABANDONED_AFTER
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.startswith(".tmp-")]
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)


def _load(path: Path, form: bytes) -> memoryview | None:
    """The body saved in `path` by `_save`; None when missing, of another format or damaged."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(form)
    body = memoryview(blob)[head + 4 :]
    if blob[:head] != form or blob[head : head + 4] != _checksum(body):
        return None  # another format, or a file cut short or damaged
    return body


def _checksum(body: bytes | memoryview) -> bytes:
    """A CRC-32 of a cache file's content: it catches a file cut short or damaged on disk (no
    one gains by forging one: the folder is the user's own), in a third of SHA-256's time."""
    return zlib.crc32(body).to_bytes(4, "big")


@cache
def _cached_face_class() -> type:
    from reportlab.pdfbase.ttfonts import TTFontFace

    class CachedFace(TTFontFace):
        """A reportlab face read from the cache. Its big tables are decoded, and the font
        file read, the first time something asks for them: a face registered but never
        drawn with (italic, in most decks) costs almost nothing."""

        def __getattr__(self, name: str):  # only called for attributes not yet set
            lazy = self.__dict__.get("_lazy")
            if lazy is not None and name in lazy:
                value = marshal.loads(lazy.pop(name))
            elif name == "_ttf_data" and "_path" in self.__dict__:
                with open(self._path, "rb") as file:
                    value = file.read()
            else:
                raise AttributeError(name)
            setattr(self, name, value)
            return value

        # The PDFs of one build embed many of the same subsets (a face's first subset always
        # holds ASCII, whatever the text): each is made and compressed once, not once a PDF,
        # and kept on disk for the next build, which mostly needs the same ones (a deck's
        # characters change less often than its words). Making and compressing them was
        # about 14 ms of the four PDFs of a small deck; reading one back is a few hundred
        # microseconds. The bytes are reportlab's own, made by this machine's zlib. A few
        # dozen are kept in memory, so a long `printkit serve` does not keep every one.

        def makeSubset(self, subset):
            key = tuple(subset)
            made = self._subsets.get(key)
            if made is None:
                if len(self._subsets) >= _SUBSETS_KEPT:
                    self._subsets.clear()
                    self._packed.clear()
                # On disk by the glyphs, not the codes: reportlab's subset holds the glyphs
                # its codes map to, and the codes printkit gives shaped glyphs (an Arabic
                # letter's joined forms) are handed out in the order a process meets them, so
                # that one code is another glyph in the next build.
                charToGlyph = self.charToGlyph
                glyphs = tuple(charToGlyph.get(code, 0) for code in subset)
                file = _subset_file(self._subset_files, glyphs)
                packed = _read_subset(file, glyphs)
                if packed is None:
                    made = super().makeSubset(subset)
                    packed = _compress(made)
                    _write_subset(file, glyphs, packed)
                else:
                    made = zlib.decompress(packed)
                self._subsets[key], self._packed[key] = made, packed
            return made

        def addSubsetObjects(self, doc, fontname, subset):
            from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFZCompress

            descriptor = super().addSubsetObjects(doc, fontname, subset)  # calls makeSubset
            font_file = doc.idToObject[doc.idToObject[descriptor.name]["FontFile2"].name]
            if font_file.filters == [PDFZCompress]:
                # Already compressed: the stream is written as it is, marked as reportlab would.
                font_file.content, font_file.filters = self._packed[tuple(subset)], None
                font_file.dictionary["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
            return descriptor

    return CachedFace


def _compress(data: bytes) -> bytes:
    """A font file stream compressed exactly as reportlab compresses it."""
    from reportlab.pdfbase.pdfdoc import PDFZCompress

    return PDFZCompress.encode(data)


def _subset_file(base: Path, key: tuple) -> Path:
    """Where a face's subset is kept: named after the face's cache file, the subset's
    glyphs and the zlib that compressed it (another zlib may write other bytes)."""
    name = marshal.dumps(key) + zlib.ZLIB_RUNTIME_VERSION.encode()
    return base.with_name(f"{base.name}-{hashlib.sha256(name).hexdigest()[:32]}.subset")


def _read_subset(file: Path, key: tuple) -> bytes | None:
    """The compressed subset kept in `file`; None when missing, damaged or of other glyphs."""
    body = _load(file, _SUBSET_FORMAT)
    if body is None:
        return None
    try:
        kept, packed = marshal.loads(body)
    except Exception:  # whatever is wrong with the file, the subset can still be made
        return None
    if kept != key or not isinstance(packed, bytes):
        return None
    with contextlib.suppress(OSError):
        os.utime(file)  # used: the last to be removed when the folder is full
    return packed


def _write_subset(file: Path, key: tuple, packed: bytes) -> None:
    """Keep a made subset; beyond _SUBSET_FILES_KEPT files the least recently used go."""
    if not _save(file, _SUBSET_FORMAT, marshal.dumps((key, packed))):
        return
    try:
        kept = list(os.scandir(file.parent))
    except OSError:
        return
    subsets = [entry for entry in kept if entry.name.endswith(".subset")]
    if len(subsets) <= _SUBSET_FILES_KEPT:
        return

    def last_used(entry: os.DirEntry) -> float:
        try:
            return entry.stat().st_mtime
        except OSError:  # removed meanwhile by another build
            return 0.0

    subsets.sort(key=last_used)
    for entry in subsets[: len(subsets) - _SUBSET_FILES_KEPT]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
