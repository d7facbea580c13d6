"""Quicker ways for reportlab to save a PDF, each giving exactly the bytes it writes itself.

Saving the example deck's four PDFs took about 9 ms, much of it in reportlab's writer doing the
same small things again: encoding every name and number of every object through its own codec,
and making and compressing the same ToUnicode tables document after document. `install()`
puts quicker versions in their place, once per process; each keeps reportlab's own function as
`.reportlabs` (the tests save a PDF both ways and compare the bytes).
"""

from __future__ import annotations

from functools import cache, lru_cache

# Compressed streams kept for reuse: the ToUnicode tables are 2 kB each; page contents are
# larger, differ from page to page and are not kept.
_KEPT_STREAM_SIZE = 4096
_KEPT_STREAMS = 256


# The reportlab versions whose writer these were checked against (the tests save PDFs both
# ways): with another, reportlab's own functions are left in place.
_CHECKED_WITH = ("4.", "5.")


@cache
def install() -> None:
    from reportlab import Version
    from reportlab.pdfbase import pdfdoc, ttfonts

    if not Version.startswith(_CHECKED_WITH):
        return

    pdfdoc.pdfdocEnc, pdfdoc.format = _plain_ascii(pdfdoc)
    pdfdoc.PDFStreamFilterZCompress.encode = _compressed_once(
        pdfdoc.PDFStreamFilterZCompress.encode
    )
    ttfonts.makeToUnicodeCMap = _cmap_once(ttfonts.makeToUnicodeCMap)
    pdfdoc.PDFArray.format = _numbers_once(pdfdoc.PDFArray.format)


def _plain_ascii(pdfdoc):
    """pdfdocEnc and format that write plain ASCII as ASCII.

    Saving a PDF puts every name, number and keyword of every object through pdfdoc.format
    and pdfdoc.pdfdocEnc, which looks up reportlab's own codec ("extpdfdoc") each time: some
    2,400 strings for the example deck's four PDFs, most of them the fonts' widths, about
    2 ms. That encoding is ASCII for every ASCII character but U+0018–U+001F, which it maps
    elsewhere or refuses: those, and all other text, still go through reportlab's function.
    A number is reportlab's fp_str text of it, which is ASCII.
    """
    reportlabs_encoding, reportlabs_format = pdfdoc.pdfdocEnc, pdfdoc.format
    unlike_ascii = frozenset(map(chr, range(0x18, 0x20)))
    number_text = pdfdoc.fp_str

    def pdfdoc_encoded(text):
        if (
            text.__class__ is str
            and text.isascii()
            and (text.isprintable() or unlike_ascii.isdisjoint(text))
        ):
            return text.encode("ascii")
        return reportlabs_encoding(text)

    def formatted(element, document, toplevel=0):
        kind = element.__class__
        if kind is float or kind is int:  # as reportlab: its fp_str, encoded
            return number_text(element).encode("ascii")
        if kind is str:
            return pdfdoc_encoded(element)
        return reportlabs_format(element, document, toplevel)

    pdfdoc_encoded.reportlabs = reportlabs_encoding  # type: ignore[attr-defined]
    formatted.reportlabs = reportlabs_format  # type: ignore[attr-defined]
    return pdfdoc_encoded, formatted


def _compressed_once(reportlabs_encode):
    """zlib compression that remembers the small streams it compressed: a font's subset of
    printable ASCII has the same ToUnicode table in every document (zlib is deterministic)."""
    kept: dict[str | bytes, bytes] = {}

    def encode(self, text):
        if len(text) > _KEPT_STREAM_SIZE:
            return reportlabs_encode(self, text)
        found = kept.get(text)
        if found is None:
            found = reportlabs_encode(self, text)
            if len(kept) < _KEPT_STREAMS:
                kept[text] = found
        return found

    encode.reportlabs = reportlabs_encode  # type: ignore[attr-defined]
    return encode


def _cmap_once(reportlabs_cmap):
    """The ToUnicode table of a font subset, made once per subset's name and characters."""

    @lru_cache(maxsize=256)
    def made(font_name: str, subset: tuple[int, ...]) -> str:
        return reportlabs_cmap(font_name, list(subset))

    def cmap(font_name, subset):
        return made(font_name, tuple(subset))

    cmap.reportlabs = reportlabs_cmap  # type: ignore[attr-defined]
    return cmap


def _numbers_once(reportlabs_format):
    """An array of numbers formatted once per process: a font subset's widths, the same in
    every document that uses the subset (an array of anything else is formatted as ever)."""
    from reportlab import rl_config

    kept: dict[tuple, bytes] = {}

    def formatted(self, document, IND=b"\n "):  # reportlab's names
        sequence = self.sequence
        if len(sequence) < 32 or not all(
            e.__class__ is float or e.__class__ is int for e in sequence
        ):
            return reportlabs_format(self, document, IND)
        key = (self.__class__, self.multiline, rl_config.pdfMultiLine, IND, *sequence)
        found = kept.get(key)
        if found is None:
            found = reportlabs_format(self, document, IND)
            if len(kept) < _KEPT_STREAMS:
                kept[key] = found
        return found

    formatted.reportlabs = reportlabs_format  # type: ignore[attr-defined]
    return formatted
