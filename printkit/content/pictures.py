"""Pictures on cards (PNG, JPEG, SVG): checked when the deck is read, drawn with alternative text.

`load_picture` reads and validates a file completely, so a damaged or unsupported picture is
reported with the deck's other problems, before anything is drawn. `draw_picture` puts a loaded
picture in a box on a reportlab canvas, inside a marked-content sequence carrying its description.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_PIXELS = 50_000_000  # a 50-megapixel picture already takes 150 MB once decoded
DEFAULT_DPI = 96  # what browsers and word processors assume when an image states no resolution
# A "resolution" below this is an aspect ratio (JFIF density unit 0) or junk, not a print size.
_MIN_DPI = 10
_USE = "use PNG, JPEG or SVG"
_EMBED = "embed the picture in the SVG (Inkscape: Extensions › Images › Embed Images)"

# Formats people try, recognised by their first bytes, so the message can say what the file is.
_OTHER_FORMATS: tuple[tuple[bytes, int, str], ...] = (
    (b"GIF87a", 0, f"is a GIF image; {_USE}"),
    (b"GIF89a", 0, f"is a GIF image; {_USE}"),
    (b"WEBP", 8, f"is a WebP image; {_USE}"),
    (b"II*\x00", 0, f"is a TIFF image; {_USE}"),
    (b"MM\x00*", 0, f"is a TIFF image; {_USE}"),
    (b"%PDF-", 0, "is a PDF file; export the page as PNG or SVG"),
    (b"8BPS", 0, "is a Photoshop document; export it as PNG or JPEG"),
    (b"\x1f\x8b", 0, "is a compressed file (an .svgz?); save the picture as plain SVG"),
    (
        b"PK\x03\x04",
        0,
        "is a ZIP archive (a Word or PowerPoint file?); save the picture itself as PNG, JPEG or SVG",
    ),
)
_HEIF_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"mif1": "HEIF", b"msf1": "HEIF"}
_HEIF_BRANDS |= {b"avif": "AVIF", b"avis": "AVIF"}

# EXIF orientation → the matrix that turns the stored pixels upright, in the unit square the
# picture is drawn in (y up). Phones store photos sideways and set this tag instead of rotating.
_ORIENTATIONS = {
    1: (1, 0, 0, 1, 0, 0),
    2: (-1, 0, 0, 1, 1, 0),  # mirrored left-right
    3: (-1, 0, 0, -1, 1, 1),  # upside down
    4: (1, 0, 0, -1, 0, 1),  # mirrored top-bottom
    5: (0, -1, -1, 0, 1, 1),  # transposed
    6: (0, -1, 1, 0, 0, 1),  # stored turned 90° anticlockwise: turn it clockwise
    7: (0, 1, 1, 0, 0, 0),  # transversed
    8: (0, 1, -1, 0, 1, 0),  # stored turned 90° clockwise: turn it anticlockwise
}
_EXIF_ORIENTATION = 0x0112


class PictureError(ValueError):
    """A picture cannot be used. str(error) is one short phrase for a teacher, without the path
    (the caller adds file and line): "does not exist; check its name and folder", "is a GIF image; use PNG, JPEG or
    SVG", "is an SVG file with no size; …"."""


@dataclass(frozen=True)
class PictureInfo:
    """A picture file that was read and checked completely."""

    path: Path  # resolved absolute path
    kind: str  # "png", "jpeg" or "svg"
    width: float  # natural size in pt: from the image's DPI, else 96 dpi; SVG: width/viewBox
    height: float  # (for a photo with an EXIF orientation, the size once turned upright)
    digest: str  # sha256 hex of the file bytes: the build rebuilds when a picture changes
    orientation: int = 1  # EXIF orientation of a raster (1 = stored upright)

    @property
    def aspect(self) -> float:
        return self.width / self.height


def load_picture(path: Path) -> PictureInfo:
    """Read and check a picture completely; raise PictureError with a phrase if it cannot be used.

    Cached on (path, size, modification time): a picture on many cards is read once.
    """
    path = Path(path).resolve()
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise PictureError("does not exist; check its name and folder") from None
    except PermissionError:
        raise PictureError("cannot be opened (no permission to read it)") from None
    if stat.S_ISDIR(status.st_mode):
        raise PictureError("is a folder, not a picture")
    return _load(path, status.st_size, status.st_mtime_ns)


def draw_picture(
    canvas, info: PictureInfo, x: float, y: float, width: float, height: float, description: str
) -> None:
    """Draw the picture filling the box whose bottom-left corner is (x, y), in pt.

    The caller keeps the aspect ratio. The drawing is a marked-content sequence whose /Alt entry
    is `description` (PDF 1.7 §14.9.3), so screen readers and text extraction can say what it
    shows; an empty description marks the picture as decoration (an /Artifact) instead.
    """
    # reportlab has no API for marked content; addLiteral writes raw operators to the page.
    if description.strip():
        canvas.addLiteral(f"/Span <</Alt {pdf_text_string(description)}>> BDC")
    else:
        canvas.addLiteral("/Artifact BMC")
    canvas.saveState()
    if info.kind == "svg":
        _draw_svg(canvas, info, x, y, width, height)
    else:
        canvas.translate(x, y)
        canvas.scale(width, height)
        canvas.transform(*_ORIENTATIONS[info.orientation])
        # Given a file name, reportlab embeds the image once per PDF however often it is drawn
        # (the name is the key), reads it only then, and passes JPEG bytes through unchanged.
        canvas.drawImage(_NamedByContent(info), 0, 0, 1, 1, mask="auto")
    canvas.restoreState()
    canvas.addLiteral("EMC")


class _NamedByContent(str):
    """A picture's file name that reportlab opens as usual but names the image by its content.

    reportlab names an image XObject after the digest of `str(file name)`, so the same deck built
    in another folder gave other bytes; `str()` of this name is the file's own digest instead,
    which also embeds two copies of one picture only once.
    """

    digest: str

    def __new__(cls, info: PictureInfo) -> _NamedByContent:
        name = super().__new__(cls, str(info.path))
        name.digest = info.digest
        return name

    def __str__(self) -> str:
        return f"picture-{self.digest}"


def pdf_text_string(text: str) -> str:
    """`text` as a PDF text string: a literal (…) when it is printable ASCII, else UTF-16BE hex."""
    if all(" " <= char <= "~" for char in text):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


@lru_cache(maxsize=512)
def _load(path: Path, size: int, mtime_ns: int) -> PictureInfo:
    try:
        data = path.read_bytes()
    except PermissionError:
        raise PictureError("cannot be opened (no permission to read it)") from None
    if not data:
        raise PictureError("is empty (0 bytes)")
    digest = hashlib.sha256(data).hexdigest()
    kind = _sniff(data)
    if kind == "svg":
        drawing = _read_svg(data)
        _DRAWINGS[digest] = drawing
        return PictureInfo(path, "svg", drawing.width, drawing.height, digest)
    width, height, orientation = _read_raster(data, kind)
    return PictureInfo(path, kind, width, height, digest, orientation)


def _sniff(data: bytes) -> str:
    """The kind of picture by its content ("png", "jpeg", "svg"), or a PictureError naming it."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    for magic, offset, message in _OTHER_FORMATS:
        if data[offset : offset + len(magic)] == magic:
            raise PictureError(message)
    if data[:2] == b"BM" and data[6:10] == b"\0\0\0\0":
        raise PictureError(f"is a BMP image; {_USE}")
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        raise PictureError(f"is a {_HEIF_BRANDS[data[8:12]]} photo; {_USE}")
    head = data[:4096]
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or head.lstrip()[:1] == b"<":
        return "svg"  # or another XML or HTML file: _read_svg says which
    if _looks_like_text(head):
        raise PictureError(f"is a text file, not a picture; {_USE}")
    raise PictureError(f"is not a PNG, JPEG or SVG picture; {_USE}")


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not just a character cut at the end of the sample
            return False
    return b"\0" not in head


def _read_raster(data: bytes, kind: str) -> tuple[float, float, int]:
    """Decode the whole image now, so a truncated file is reported before drawing.

    Returns the natural width and height in pt (upright) and the EXIF orientation.
    """
    from PIL import Image

    name = "PNG" if kind == "png" else "JPEG"
    too_large = (
        f"is too large (more than {MAX_PIXELS // 1_000_000} megapixels); use a smaller picture"
    )
    try:
        # Pillow warns above its own limit (89 megapixels) and refuses above twice it; ours,
        # lower, is checked from the header just below, before anything is decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[name]) as image:
                columns, rows = image.size
                if columns * rows > MAX_PIXELS:
                    raise PictureError(
                        f"is too large ({columns} × {rows} pixels, {columns * rows / 1e6:.0f} megapixels); use a picture of at most {MAX_PIXELS // 1_000_000} megapixels"
                    )
                image.load()
                dpi = image.info.get("dpi")
                orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    except PictureError:
        raise
    except Image.DecompressionBombError:
        raise PictureError(too_large) from None
    except Exception as error:  # Pillow raises many types (OSError, SyntaxError, …) on bad data
        raise PictureError(
            f"is not a readable {name} image (the file is damaged or truncated)"
        ) from error
    x_dpi, y_dpi = dpi if dpi and min(dpi) >= _MIN_DPI else (DEFAULT_DPI, DEFAULT_DPI)
    width, height = columns * 72 / x_dpi, rows * 72 / y_dpi
    if orientation not in _ORIENTATIONS:
        orientation = 1
    if orientation >= 5:  # stored on its side
        width, height = height, width
    return width, height, orientation


# Parsed SVGs by digest: load_picture parses each once, draw_picture reuses the Drawing.
_DRAWINGS: dict = {}
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+:")  # a scheme (http:, file:); not a Windows drive
_EMBEDDED = re.compile(r"^data:image/(png|jpe?g);base64,", re.IGNORECASE)  # what svglib reads


def _read_svg(data: bytes):
    """Parse an SVG strictly and convert it with svglib; refuse one that gives nothing to draw."""
    from lxml import etree
    from svglib.svglib import SvgRenderer

    lowered = data[:1024].lower()
    if b"<!doctype html" in lowered or b"<html" in lowered:
        raise PictureError(
            "is a web page (HTML), not a picture; save the picture itself as PNG, JPEG or SVG"
        )
    # Strict, unlike svglib's own parser (recover=True would draw half of a truncated file),
    # and offline: no DTD, no entities, nothing from the network.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        if b"<svg" in lowered:
            raise PictureError(
                f"is not a readable SVG file (broken XML at line {error.lineno}; the file may be truncated)"
            ) from None
        raise PictureError(f"is a text file, not a picture; {_USE}") from None
    if etree.QName(root).localname != "svg":
        raise PictureError(f"is an XML file, not an SVG picture; {_USE}")
    _refuse_links(root)
    try:
        # SvgRenderer is what svg2rlg uses; given our tree it does not parse the file again.
        # The path only serves to resolve links to other files, and _refuse_links allowed none.
        drawing = SvgRenderer("picture.svg").render(root)
    except Exception as error:  # svglib raises many types on content it does not understand
        raise PictureError(
            "is an SVG file that cannot be drawn (svglib does not understand it)"
        ) from error
    _use_bundled_fonts(drawing)
    if not (drawing.width > 0 and drawing.height > 0):
        raise PictureError(
            "is an SVG file with no size; give its <svg> element a width and height, or a viewBox"
        )
    if not _has_shapes(drawing):
        raise PictureError("is an SVG file with nothing to draw")
    return drawing


def _use_bundled_fonts(node) -> None:
    """Text in an SVG set in the bundled faces: svglib would pick the non-embedded Helvetica
    (which printers substitute) or whatever fontconfig finds on this machine (which would make
    the PDF differ from one machine to the next). Bold, italic and monospace are kept."""
    from reportlab.graphics.shapes import String

    from printkit import fonts

    for child in getattr(node, "contents", ()):
        if isinstance(child, String):
            name = child.fontName.lower()
            face = fonts.face(
                bold="bold" in name,
                italic="italic" in name or "oblique" in name,
                code=any(mono in name for mono in ("courier", "mono", "consol")),
            )
            fonts.ensure(face)
            child.fontName = face
        else:
            _use_bundled_fonts(child)


def _refuse_links(root) -> None:
    """svglib reads the files (and, through reportlab, possibly the URLs) that <image> and <use>
    point to. A picture must be one file: the build's digest covers only its bytes, and a deck
    must not reach outside its folder or onto the network. Only #ids and embedded PNG/JPEG pass."""
    for element in root.iter():
        if not isinstance(element.tag, str) or _localname(element.tag) not in ("image", "use"):
            continue
        href = (
            element.get("{http://www.w3.org/1999/xlink}href") or element.get("href") or ""
        ).strip()
        if not href or href.startswith("#") or _EMBEDDED.match(href):
            continue
        if href.lower().startswith("data:"):
            raise PictureError(
                f"is an SVG holding an embedded picture that is not PNG or JPEG; {_USE} inside it"
            )
        shown = href if len(href) <= 60 else href[:57] + "…"
        if _URL.match(href):
            raise PictureError(f"is an SVG that links to a web address ({shown}); {_EMBED}")
        raise PictureError(f"is an SVG that links to another file ({shown}); {_EMBED}")


def _localname(tag: str) -> str:
    return tag.rpartition("}")[2]


def _has_shapes(node) -> bool:
    contents = getattr(node, "contents", None)
    if contents is None:  # a shape, not a group
        return True
    return any(_has_shapes(child) for child in contents)


def _draw_svg(canvas, info: PictureInfo, x: float, y: float, width: float, height: float) -> None:
    """Draw the SVG as a form XObject: written once per PDF, however many cards show it."""
    from reportlab.graphics import renderPDF

    name = f"svg{info.digest[:32]}"
    if not canvas.hasForm(name):
        drawing = _DRAWINGS.get(info.digest)
        if drawing is None:  # loaded in another process, or before the cache was cleared
            drawing = _DRAWINGS[info.digest] = _read_svg(info.path.read_bytes())
        # The form's box is the SVG's: like a browser, it clips shapes outside the viewBox,
        # which must not spill over the rest of the card.
        canvas.beginForm(name, 0, 0, drawing.width, drawing.height)
        # renderPDF starts by selecting Helvetica, which would put a font that is not embedded
        # in the PDF even when the SVG has no text; start from the canvas' own font instead.
        drawing.initialFontName = canvas._fontname
        drawing.initialFontSize = canvas._fontsize
        renderPDF.draw(drawing, canvas, 0, 0, showBoundary=False)
        canvas.endForm()
    canvas.translate(x, y)
    canvas.scale(width / info.width, height / info.height)
    canvas.doForm(name)
