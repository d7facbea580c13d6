"""Pictures: checked up front with a phrase for each problem, drawn at their box with /Alt text."""

from __future__ import annotations

import base64
import io
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfgen.canvas import Canvas

from printkit.content import pictures
from printkit.content.pictures import PictureError, draw_picture, load_picture, pdf_text_string

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<rect x="10" y="10" width="80" height="80" fill="orange"/>'
    '<circle cx="150" cy="50" r="40" fill="purple"/></svg>'
)
SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def save_image(path: Path, mode: str, size: tuple[int, int], color, **options) -> Path:
    Image.new(mode, size, color).save(path, **options)
    return path


def png_with_alpha(path: Path) -> Path:
    """40 × 20 px: left half opaque red, right half fully transparent."""
    image = Image.new("RGBA", (40, 20), (255, 0, 0, 255))
    image.paste((0, 0, 255, 0), (20, 0, 40, 20))
    image.save(path, "PNG")
    return path


def pdf_of(*drawings: tuple[pictures.PictureInfo, tuple[float, float, float, float], str]) -> bytes:
    """Draw each (picture, box, description) on one A4 page; the PDF's bytes."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595.0, 842.0), invariant=1)
    for info, box, description in drawings:
        draw_picture(canvas, info, *box, description)
    canvas.save()
    return buffer.getvalue()


def marked_content(pdf: bytes) -> list[tuple[str, list]]:
    """The page's marked-content operators (BDC, BMC, EMC) with their operands, decoded by pypdf."""
    reader = PdfReader(io.BytesIO(pdf))
    operations = ContentStream(reader.pages[0].get_contents(), reader).operations
    return [
        (operator.decode(), operands)
        for operands, operator in operations
        if operator in (b"BDC", b"BMC", b"EMC")
    ]


def assert_box(found: dict, box: tuple[float, float, float, float], page_height: float) -> None:
    x, y, width, height = box
    assert found["x0"] == pytest.approx(x, abs=0.01)
    assert found["bottom"] == pytest.approx(page_height - y, abs=0.01)
    assert found["top"] == pytest.approx(page_height - y - height, abs=0.01)
    assert found["width"] == pytest.approx(width, abs=0.01)
    assert found["height"] == pytest.approx(height, abs=0.01)


# Drawing


def test_png_fills_its_box_and_keeps_transparency(tmp_path):
    info = load_picture(png_with_alpha(tmp_path / "heart.png"))
    box = (72.5, 600.25, 120.0, 60.0)
    pdf = pdf_of((info, box, "A heart"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        [image] = page.images
        assert_box(image, box, page.height)
        assert image["srcsize"] == (40, 20)
    reader = PdfReader(io.BytesIO(pdf))
    [xobject] = reader.pages[0]["/Resources"]["/XObject"].values()
    assert "/SMask" in xobject.get_object()  # the alpha channel, as a soft mask


def test_jpeg_is_embedded_as_jpeg_even_under_another_name(tmp_path):
    path = save_image(tmp_path / "photo.png", "RGB", (30, 20), (0, 128, 0), format="JPEG")
    info = load_picture(path)
    assert info.kind == "jpeg"
    box = (300.0, 100.0, 90.0, 60.0)
    pdf = pdf_of((info, box, "A field"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        [image] = document.pages[0].images
        assert_box(image, box, document.pages[0].height)
    [xobject] = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"].values()
    filters = xobject.get_object()["/Filter"]
    assert "/DCTDecode" in filters and "/FlateDecode" not in filters  # the JPEG's own bytes


def test_png_under_a_jpeg_name_is_drawn_as_png(tmp_path):
    info = load_picture(png_with_alpha(tmp_path / "heart.jpg"))
    assert info.kind == "png"
    pdf = pdf_of((info, (10, 10, 40, 20), "A heart"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        [image] = document.pages[0].images
        assert image["srcsize"] == (40, 20)
    [xobject] = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"].values()
    assert "/DCTDecode" not in xobject.get_object()["/Filter"] and "/SMask" in xobject.get_object()


def test_svg_is_drawn_as_vectors_inside_its_box(tmp_path):
    path = tmp_path / "diagram.svg"
    path.write_text(SVG, encoding="utf-8")
    info = load_picture(path)
    assert (info.kind, info.width, info.height) == ("svg", 150.0, 75.0)  # 200 × 100 px at 96 dpi
    x, y, width, height = box = (100.0, 500.0, 300.0, 150.0)
    pdf = pdf_of((info, box, "A diagram"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        assert page.images == []
        [square] = page.rects
        # the 80 × 80 square at (10, 10) of a 200 × 100 viewBox, scaled by 1.5 to the box
        assert square["x0"] == pytest.approx(x + 15, abs=0.01)
        assert square["top"] == pytest.approx(page.height - y - height + 15, abs=0.01)
        assert square["width"] == pytest.approx(120, abs=0.01)
        assert page.curves  # the circle
        for shape in page.rects + page.curves:
            assert x - 0.01 <= shape["x0"] and shape["x1"] <= x + width + 0.01
            assert page.height - y - height - 0.01 <= shape["top"]
            assert shape["bottom"] <= page.height - y + 0.01
        assert page.chars == []


def test_svg_does_not_put_helvetica_on_the_page(tmp_path):
    path = tmp_path / "diagram.svg"
    path.write_text(SVG, encoding="utf-8")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName="Courier")
    draw_picture(canvas, load_picture(path), 10, 10, 100, 50, "A diagram")
    canvas.save()
    fonts = PdfReader(buffer).pages[0]["/Resources"]["/Font"].values()
    assert [font.get_object()["/BaseFont"] for font in fonts] == ["/Courier"]


def test_text_in_an_svg_is_set_in_the_embedded_bundled_faces(tmp_path):
    path = tmp_path / "labels.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        '<text x="10" y="40" font-family="Arial" font-size="20">Heart</text>'
        '<text x="10" y="80" font-family="Courier" font-weight="bold" font-size="16">aorta</text>'
        "</svg>",
        encoding="utf-8",
    )
    from printkit.paper import PAPERS
    from printkit.pdf import PdfDocument

    doc = PdfDocument(PAPERS["a4"], title="labels")
    doc.begin_page()
    draw_picture(doc.canvas, load_picture(path), 10, 10, 200, 100, "Labels")
    data = doc.finish()
    reader = PdfReader(io.BytesIO(data))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    used = {font["/BaseFont"].split("+")[-1] for font in fonts if "+" in font["/BaseFont"]}
    assert used == {"DejaVuSans", "DejaVuSansMono-Bold"}
    # Every font the page names is embedded: a printer substitutes nothing.
    for font in fonts:
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font.get("/FontDescriptor")
        assert descriptor is None or "/FontFile2" in descriptor.get_object()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert "Heart" in pdf.pages[0].extract_text()


@pytest.mark.parametrize(
    "description, written",
    [
        ("A heart", "(A heart)"),
        ("Left (top) \\ right", "(Left \\(top\\) \\\\ right)"),
        ("Coeur — schéma", "<FEFF0043006F00650075007200202014002000730063006800E9006D0061>"),
        (
            "Line one\nline two",
            "<FEFF" + "Line one\nline two".encode("utf-16-be").hex().upper() + ">",
        ),
    ],
)
def test_alt_text_is_a_marked_content_sequence(tmp_path, description, written):
    assert pdf_text_string(description) == written
    info = load_picture(png_with_alpha(tmp_path / "heart.png"))
    pdf = pdf_of((info, (10, 10, 40, 20), description))
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert f"/Span <</Alt {written}>> BDC".encode() in content
    [(begin, (tag, properties)), (end, [])] = marked_content(pdf)
    assert (begin, tag, end) == ("BDC", "/Span", "EMC")
    assert properties["/Alt"] == description  # as a PDF reader decodes it
    assert content.index(b"BDC") < content.index(b" Do") < content.index(b"EMC")


def test_svg_alt_text_wraps_the_drawing_and_the_svg_is_written_once(tmp_path):
    path = tmp_path / "diagram.svg"
    path.write_text(SVG, encoding="utf-8")
    info = load_picture(path)
    boxes = [(10, 10, 200, 100), (10, 300, 100, 50), (300, 300, 40, 20)]
    pdf = pdf_of(*[(info, box, f"Diagram ({n}) orange square") for n, box in enumerate(boxes)])
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    [form] = page["/Resources"]["/XObject"].values()
    assert form.get_object()["/Subtype"] == "/Form"
    assert form.get_object().get_data().count(b" re f") == 1  # the square, once in the file
    assert [float(n) for n in form.get_object()["/BBox"]] == [0, 0, 150, 75]  # clips to the SVG
    operations = ContentStream(page.get_contents(), page.pdf).operations
    sequence = [op for _, op in operations if op in (b"BDC", b"Do", b"EMC")]
    assert sequence == [b"BDC", b"Do", b"EMC"] * 3
    assert [operands[1]["/Alt"] for op, operands in marked_content(pdf) if op == "BDC"] == [
        f"Diagram ({n}) orange square" for n in range(3)
    ]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        squares = sorted(document.pages[0].rects, key=lambda rect: rect["width"])
        assert [round(square["width"], 2) for square in squares] == [16, 40, 80]


def test_empty_description_marks_decoration(tmp_path):
    info = load_picture(png_with_alpha(tmp_path / "border.png"))
    assert [operator for operator, _ in marked_content(pdf_of((info, (0, 0, 4, 2), "  ")))] == [
        "BMC",
        "EMC",
    ]
    pdf = pdf_of((info, (0, 0, 4, 2), ""))
    assert b"/Artifact BMC" in PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()


def test_a_picture_on_many_cards_is_embedded_once(tmp_path):
    info = load_picture(save_image(tmp_path / "logo.png", "RGB", (50, 50), (10, 20, 200)))
    boxes = [(50, 700, 60, 60), (200, 700, 30, 30), (50, 100, 200, 200)]
    pdf = pdf_of(*[(info, box, f"Logo {n}") for n, box in enumerate(boxes)])
    assert pdf.count(b"/Subtype /Image") == 1
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        images = sorted(page.images, key=lambda image: (image["top"], image["x0"]))
        boxes.sort(key=lambda box: (page.height - box[1] - box[3], box[0]))
        for image, box in zip(images, boxes, strict=True):
            assert_box(image, box, page.height)


def test_the_same_picture_in_another_folder_gives_the_same_pdf(tmp_path):
    # Reproducible: a workspace copied or moved elsewhere builds the same bytes.
    (tmp_path / "a").mkdir()
    first = save_image(tmp_path / "a" / "logo.png", "RGB", (40, 30), (200, 20, 10))
    second = tmp_path / "elsewhere" / "deeper" / "logo.png"
    second.parent.mkdir(parents=True)
    shutil.copyfile(first, second)
    box = (50, 700, 80, 60)
    assert pdf_of((load_picture(first), box, "Logo")) == pdf_of((load_picture(second), box, "Logo"))


def test_two_copies_of_one_picture_are_embedded_once(tmp_path):
    first = save_image(tmp_path / "one.png", "RGB", (40, 30), (200, 20, 10))
    copy = tmp_path / "two.png"
    shutil.copyfile(first, copy)
    pdf = pdf_of(
        (load_picture(first), (50, 700, 80, 60), "One"),
        (load_picture(copy), (50, 500, 80, 60), "Two"),
    )
    assert pdf.count(b"/Subtype /Image") == 1


def test_rendered_page_shows_transparency_orientation_and_clipping(tmp_path):
    """Looked at through a rasteriser: what a printer would get."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    transparent = load_picture(png_with_alpha(tmp_path / "half.png"))
    # Stored 40 × 20 (red left, blue right) with EXIF orientation 6: upright it is 20 × 40,
    # red on top.
    sideways = Image.new("RGB", (40, 20), (255, 0, 0))
    sideways.paste((0, 0, 255), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    sideways.save(tmp_path / "phone.jpg", exif=exif, quality=95)
    phone = load_picture(tmp_path / "phone.jpg")
    # an EXIF block without a resolution means 72 dpi (the EXIF default, applied by Pillow)
    assert (phone.width, phone.height, phone.orientation) == (20.0, 40.0, 6)
    spill = tmp_path / "spill.svg"  # a square far larger than its viewBox
    spill.write_text(
        f'<svg {SVG_NS} width="10" height="10"><rect x="-50" y="-50" width="200" height="200"/></svg>'
    )
    pdf_path = tmp_path / "page.pdf"
    pdf_path.write_bytes(
        pdf_of(
            (transparent, (0, 742, 200, 100), "Half"),
            (phone, (300, 642, 100, 200), "Phone photo"),
            (load_picture(spill), (0, 0, 100, 100), "Black square"),
        )
    )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "36", "-singlefile", pdf_path, tmp_path / "page"], check=True
    )
    with Image.open(tmp_path / "page.png") as page:
        page = page.convert("RGB")
        scale = 36 / 72

        def at(x: float, y_from_top: float) -> tuple[int, int, int]:
            return page.getpixel((int(x * scale), int(y_from_top * scale)))

        assert at(50, 50) == (255, 0, 0)
        assert at(150, 50) == (255, 255, 255)  # the transparent half lets the page show
        assert _near(at(350, 50), (255, 0, 0)) and _near(at(350, 150), (0, 0, 255))
        assert at(50, 792) == (0, 0, 0)
        assert at(150, 792) == (255, 255, 255) and at(50, 700) == (255, 255, 255)  # clipped


def _near(color: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(color, expected, strict=True))


# Loading


@pytest.mark.parametrize(
    "dpi, size, natural",
    [
        ((144, 144), (200, 100), (100.0, 50.0)),
        ((300, 150), (300, 300), (72.0, 144.0)),
        (None, (200, 100), (150.0, 75.0)),  # no resolution stated: 96 dpi
        ((1, 1), (200, 100), (150.0, 75.0)),  # "1 dpi" is an aspect ratio, not a print size
    ],
)
@pytest.mark.parametrize("kind", ["png", "jpeg"])
def test_natural_size_comes_from_the_resolution(tmp_path, kind, dpi, size, natural):
    options = {"format": kind.upper()} | ({"dpi": dpi} if dpi else {})
    info = load_picture(save_image(tmp_path / f"picture.{kind}", "RGB", size, "white", **options))
    assert info.kind == kind
    # PNG stores dots per metre: 150 dpi comes back as 149.99 dpi
    assert (info.width, info.height) == pytest.approx(natural, rel=1e-3)
    assert info.aspect == pytest.approx(natural[0] / natural[1], rel=1e-3)


@pytest.mark.parametrize(
    "attributes, natural",
    [
        ('width="2in" height="1in"', (144.0, 72.0)),
        ('viewBox="0 0 200 100"', (150.0, 75.0)),
        ('width="400" height="100" viewBox="0 0 200 100"', (300.0, 75.0)),
    ],
)
def test_svg_natural_size(tmp_path, attributes, natural):
    path = tmp_path / "shape.svg"
    path.write_text(f'<svg {SVG_NS} {attributes}><rect width="5" height="5"/></svg>')
    info = load_picture(path)
    assert (info.kind, info.width, info.height) == ("svg", *natural)


def test_same_bytes_give_the_same_digest_and_a_change_a_new_one(tmp_path):
    first = png_with_alpha(tmp_path / "a.png")
    second = tmp_path / "b.png"
    second.write_bytes(first.read_bytes())
    a, b = load_picture(first), load_picture(second)
    assert a.digest == b.digest and a.path != b.path
    assert a.path == first.resolve() and a.path.is_absolute()
    assert load_picture(tmp_path / "." / "a.png") is a  # cached
    save_image(first, "RGB", (30, 30), "white")
    changed = load_picture(first)
    assert changed.digest != a.digest and changed.width == 22.5


def test_a_relative_path_is_resolved(tmp_path, monkeypatch):
    png_with_alpha(tmp_path / "heart.png")
    monkeypatch.chdir(tmp_path)
    assert load_picture(Path("heart.png")).path == tmp_path.resolve() / "heart.png"


def png_header(columns: int, rows: int) -> Callable[[Path], None]:
    """Only the header of a PNG: enough for Pillow to know its size."""
    return lambda path: path.write_bytes(_png_header(columns, rows))


def _png_header(columns: int, rows: int) -> bytes:

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", columns, rows, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def truncated(kind: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        buffer = io.BytesIO()
        Image.effect_noise((64, 64), 40).convert("RGB").save(buffer, kind)
        path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])

    return write


def text(content: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(content, encoding="utf-8")


def pillow(kind: str) -> Callable[[Path], None]:
    return lambda path: Image.new("RGB", (8, 8), "red").save(path, kind)


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def svg(body: str, size: str = 'width="10" height="10"') -> Callable[[Path], None]:
    return text(f"<svg {SVG_NS} {size}>{body}</svg>")


USE = "use PNG, JPEG or SVG"
EMBED = "embed the picture in the SVG (Inkscape: Extensions › Images › Embed Images)"


@pytest.mark.parametrize(
    "name, write, message",
    [
        ("missing.png", None, "does not exist; check its name and folder"),
        ("empty.png", raw(b""), "is empty (0 bytes)"),
        ("anim.gif", pillow("GIF"), f"is a GIF image; {USE}"),
        ("renamed.png", pillow("GIF"), f"is a GIF image; {USE}"),
        ("photo.webp", raw(b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(20)), f"is a WebP image; {USE}"),
        ("scan.bmp", pillow("BMP"), f"is a BMP image; {USE}"),
        ("scan.tiff", pillow("TIFF"), f"is a TIFF image; {USE}"),
        ("iphone.heic", raw(b"\x00\x00\x00\x18ftypheic" + bytes(20)), f"is a HEIC photo; {USE}"),
        (
            "page.pdf",
            raw(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"),
            "is a PDF file; export the page as PNG or SVG",
        ),
        (
            "notes.png",
            text("Mitochondria: the powerhouse of the cell.\n"),
            f"is a text file, not a picture; {USE}",
        ),
        ("binary.png", raw(bytes(range(256)) * 4), f"is not a PNG, JPEG or SVG picture; {USE}"),
        (
            "cut.png",
            truncated("PNG"),
            "is not a readable PNG image (the file is damaged or truncated)",
        ),
        (
            "cut.jpg",
            truncated("JPEG"),
            "is not a readable JPEG image (the file is damaged or truncated)",
        ),
        (
            "huge.png",
            png_header(10000, 6000),
            "is too large (10000 × 6000 pixels, 60 megapixels); use a picture of at most 50 megapixels",
        ),
        (
            "pillow-warns.png",  # above Pillow's own limit, where it only warns
            png_header(10000, 10000),
            "is too large (10000 × 10000 pixels, 100 megapixels); use a picture of at most 50 megapixels",
        ),
        (
            "bomb.png",  # above twice Pillow's limit, where Pillow itself refuses to open it
            png_header(20000, 20000),
            "is too large (more than 50 megapixels); use a smaller picture",
        ),
        (
            "saved.svg",
            text("<!DOCTYPE html><html><body><svg></svg></body></html>"),
            "is a web page (HTML), not a picture; save the picture itself as PNG, JPEG or SVG",
        ),
        (
            "deck.svg",
            text('<?xml version="1.0"?><deck><card/></deck>'),
            f"is an XML file, not an SVG picture; {USE}",
        ),
        (
            "cut.svg",
            text(f'<svg {SVG_NS} width="10"\n height="10"><rect'),
            "is not a readable SVG file (broken XML at line 2; the file may be truncated)",
        ),
        (
            "nosize.svg",
            svg('<rect width="5" height="5"/>', size=""),
            "is an SVG file with no size; give its <svg> element a width and height, or a viewBox",
        ),
        ("blank.svg", svg("<g><title>Nothing</title></g>"), "is an SVG file with nothing to draw"),
        (
            "web.svg",
            svg('<image href="http://example.org/x.png" width="5" height="5"/>'),
            f"is an SVG that links to a web address (http://example.org/x.png); {EMBED}",
        ),
        (
            "up.svg",
            svg('<image xlink:href="../secret.png" width="5" height="5"/>'),
            f"is an SVG that links to another file (../secret.png); {EMBED}",
        ),
        (
            "near.svg",
            svg('<use xlink:href="parts.svg#wheel"/>'),
            f"is an SVG that links to another file (parts.svg#wheel); {EMBED}",
        ),
        (
            "gif.svg",
            svg('<image href="data:image/gif;base64,R0lGODlh" width="5" height="5"/>'),
            f"is an SVG holding an embedded picture that is not PNG or JPEG; {USE} inside it",
        ),
    ],
)
def test_unusable_pictures_are_refused_with_a_phrase(tmp_path, name, write, message):
    path = tmp_path / name
    if write is not None:
        write(path)
    with pytest.raises(PictureError) as error:
        load_picture(path)
    assert str(error.value) == message


def test_a_folder_is_not_a_picture(tmp_path):
    with pytest.raises(PictureError, match=r"^is a folder, not a picture$"):
        load_picture(tmp_path)


def test_svg_links_inside_the_svg_and_embedded_pngs_are_fine(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "blue").save(buffer, "PNG")
    embedded = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    path = tmp_path / "ok.svg"
    svg(
        '<defs><rect id="r" width="4" height="4"/></defs><use xlink:href="#r" x="5"/>'
        f'<image href="{embedded}" width="4" height="4"/>'
        '<a href="https://example.org"><circle cx="2" cy="8" r="1"/></a>'
    )(path)
    assert load_picture(path).kind == "svg"
