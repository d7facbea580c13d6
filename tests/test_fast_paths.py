"""The shortcuts that make 10,000-card decks fast give exactly what the long way gives."""

from __future__ import annotations

import gc
import io

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfgen.textobject import PDFTextObject

from printkit import fonts
from printkit.paper import PAPERS
from printkit.pdf import PdfDocument
from printkit.text import (
    Paragraph,
    TextDoesNotFit,
    _plain_extent,
    _plain_parts,
    fit_text,
    heights_at_least,
    layout_text,
)

# Printable ASCII with the characters PDF strings escape, other scripts, a bullet, a tab.
TEXTS = (
    "Plain words (with brackets) and a back\\slash",
    "Ünïcödé, Ελληνικά, русский and 中文 between ASCII",
    "~!@#$%^&*()_+{}|:\"<>?`-=[];',./ 0123456789",
    "ends with a parenthesis)",
)


def _pdf(fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, int]:
    """The PDF, and how many strings went through reportlab's textOut."""
    calls = []
    text_out = PDFTextObject.textOut
    monkeypatch.setattr(
        PDFTextObject, "textOut", lambda self, s: calls.append(s) or text_out(self, s)
    )
    if not fast:  # every line through reportlab's own textOut
        monkeypatch.setattr(PdfDocument, "_ascii_subset", lambda self, text: None)
    doc = PdfDocument(PAPERS["a4"], title="Fast path")
    doc.begin_page()
    for font in (fonts.REGULAR, fonts.BOLD):
        paragraphs = [Paragraph(text, font) for text in TEXTS]
        paragraphs += [Paragraph(TEXTS[0], font, bullet="•"), Paragraph("x", font, bullet="-")]
        block = layout_text(paragraphs, 200, 9)
        doc.draw_text(block, 50, 800)
        doc.draw_text(block, 300, 500, (0.2, 0.3, 0.4))
    data = doc.finish()
    monkeypatch.undo()
    return data, len(calls)


def test_lines_drawn_directly_are_the_bytes_reportlab_writes(monkeypatch):
    (fast, through_reportlab), (slow, all_lines) = _pdf(True, monkeypatch), _pdf(False, monkeypatch)
    assert fast == slow
    assert through_reportlab < all_lines / 2  # the direct way was taken
    text = PdfReader(io.BytesIO(fast)).pages[0].extract_text()
    for line in ("Plain words (with", "back\\slash", "~!@#$%^&*()_+{}|"):
        assert line in text


def test_the_quick_pdfdoc_encoding_gives_the_bytes_of_reportlabs_codec():
    """Saving a PDF encodes its names and numbers with reportlab's pdfdoc codec, or, for
    plain ASCII, a quicker way: both give the same bytes, or both refuse."""
    from reportlab.pdfbase import pdfdoc

    PdfDocument(PAPERS["a4"], title="Codec")  # the quick way is in place from here on

    def codec(text: str) -> bytes | None:
        try:
            return text.encode("extpdfdoc")
        except UnicodeEncodeError:
            return None

    def quick(text: str) -> bytes | None:
        try:
            return pdfdoc.pdfdocEnc(text)
        except UnicodeEncodeError:
            return None

    texts = [chr(c) for c in range(0x200)] + ["/Type /Font", "<< /W [ 1 2 ] >>\n", "a\x18b", "é/x"]
    for text in texts:
        assert quick(text) == codec(text), repr(text)
    assert pdfdoc.pdfdocEnc(b"\x18bytes") == b"\x18bytes"


def test_a_pdf_saved_the_quick_way_has_the_bytes_reportlab_writes(monkeypatch):
    from reportlab.pdfbase import pdfdoc, ttfonts

    quick, _ = _pdf(True, monkeypatch)
    quick_again, _ = _pdf(True, monkeypatch)  # its fonts' tables remembered from the first
    monkeypatch.setattr(pdfdoc, "format", pdfdoc.format.reportlabs)
    monkeypatch.setattr(pdfdoc, "pdfdocEnc", pdfdoc.pdfdocEnc.reportlabs)
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", ttfonts.makeToUnicodeCMap.reportlabs)
    compress = pdfdoc.PDFStreamFilterZCompress
    monkeypatch.setattr(compress, "encode", compress.encode.reportlabs)
    monkeypatch.setattr(pdfdoc.PDFArray, "format", pdfdoc.PDFArray.format.reportlabs)
    calls = []
    number_text = pdfdoc.fp_str
    monkeypatch.setattr(pdfdoc, "fp_str", lambda *n: calls.append(n) or number_text(*n))
    reportlabs, _ = _pdf(True, monkeypatch)
    assert quick == quick_again == reportlabs
    assert len(calls) > 400  # every width of every font went the long way


def test_another_reportlab_keeps_its_own_writer(monkeypatch):
    """The quick ways replace reportlab internals: only for the versions they were checked
    against, so that a newer reportlab writes its PDFs itself rather than get a mismatch."""
    import reportlab
    from reportlab.pdfbase import pdfdoc, ttfonts

    from printkit import quick_save

    # Whatever install() replaces is put back after the test.
    compress = pdfdoc.PDFStreamFilterZCompress
    monkeypatch.setattr(pdfdoc, "pdfdocEnc", pdfdoc.pdfdocEnc)
    monkeypatch.setattr(compress, "encode", compress.encode)
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", ttfonts.makeToUnicodeCMap)
    monkeypatch.setattr(pdfdoc.PDFArray, "format", pdfdoc.PDFArray.format)
    own = object()
    monkeypatch.setattr(pdfdoc, "format", own)
    monkeypatch.setattr(reportlab, "Version", "6.0.0")
    quick_save.install.__wrapped__()
    assert pdfdoc.format is own
    monkeypatch.setattr(reportlab, "Version", "5.1.0")
    quick_save.install.__wrapped__()
    assert pdfdoc.format.reportlabs is own


# Words of many widths, with the characters that break long words first, and spaces to squash.
WORD = st.text(alphabet="aiImMW/-_.éß", min_size=1, max_size=14)
TEXT = st.lists(WORD, min_size=1, max_size=40).map(" ".join)
PARAGRAPHS = st.lists(
    st.builds(
        Paragraph,
        TEXT,
        font=st.sampled_from([fonts.REGULAR, fonts.BOLD]),
        bullet=st.sampled_from([None, "•", "12."]),
        scale=st.sampled_from([1.0, 0.8, 1.5]),
        # builds() fills every field of a named tuple, defaults or not: these keep theirs.
        align=st.just("left"),
        inlines=st.just(()),
        role=st.just(""),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(
    PARAGRAPHS,
    st.floats(20, 400),
    st.floats(10, 600),
    st.sampled_from([(1.2, 0.35), (1.1, 0.2)]),
)
def test_fitting_gives_the_largest_size_a_full_layout_fits_at(paragraphs, width, height, spacing):
    leading, gap = spacing
    grid = [6 + 0.25 * k for k in range(int((20 - 6) / 0.25) + 1)]

    def fits(size: float) -> bool:
        block = layout_text(paragraphs, width, size, leading=leading, paragraph_gap=gap)
        return block.fits(width, height)

    fitting = [size for size in grid if fits(size)]
    try:
        block = fit_text(paragraphs, width, height, max_size=20, leading=leading, paragraph_gap=gap)
    except TextDoesNotFit:
        assert not fits(6)
        return
    # Fitting is monotone on these texts, so the search finds the largest fitting size…
    assert block.size == max(fitting)
    # …and returns the full layout at that size, lines and all.
    full = layout_text(paragraphs, width, block.size, leading=leading, paragraph_gap=gap)
    assert block == full


@settings(max_examples=150, deadline=None)
@given(PARAGRAPHS, st.floats(20, 400), st.sampled_from([6.0, 7.25, 11.5, 18.0]))
def test_the_quick_measure_agrees_with_the_full_layout_to_the_last_bit(paragraphs, width, size):
    parts = _plain_parts(paragraphs)
    assume(parts is not None)  # é and ß are DejaVu's own: every text here is plain
    block = layout_text(paragraphs, width, size, leading=1.2, paragraph_gap=0.35)
    assert _plain_extent(parts, width, size, 1.2, 0.35) == (block.height, block.width)


@settings(max_examples=150, deadline=None)
@given(
    PARAGRAPHS, st.lists(st.floats(30, 400), min_size=1, max_size=4), st.sampled_from([6.0, 9.5])
)
def test_the_least_height_of_text_is_at_most_its_laid_out_height(paragraphs, widths, size):
    least, plain = heights_at_least(paragraphs, widths, size, leading=1.12, paragraph_gap=0.06)
    assert plain  # é and ß are DejaVu's own
    for width, bound in zip(widths, least, strict=True):
        block = layout_text(paragraphs, width, size, leading=1.12, paragraph_gap=0.06)
        # A character wider than the line cannot be set at that width: no bound is promised.
        assert bound <= block.height or block.width > width


def test_the_cycle_collector_is_back_on_after_flashcards_even_when_a_card_fails(
    run, tmp_path, write_deck
):
    good = write_deck("title: T\ncards:\n  - question: Why?\n    answer: Because.\n")
    long = " ".join(["word"] * 3000)
    bad = write_deck(f"title: T\ncards:\n  - question: Why?\n    answer: {long}\n", "bad.yaml")
    assert gc.isenabled()
    assert run("build", good, "--out", tmp_path, "--layout", "flashcards").exit_code == 0
    assert gc.isenabled()
    result = run("build", bad, "--out", tmp_path, "--layout", "flashcards", "-j", "1")
    assert result.exit_code == 1 and "does not fit" in result.output
    assert gc.isenabled()
