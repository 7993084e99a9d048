"""Write small PDFs for tests, by hand: no PDF library needed, every byte known.

A page is a list of ``(x, y, size, font, text)`` with font ``"R"`` (Helvetica), ``"B"``
(Helvetica-Bold) or ``"G"`` (Helvetica whose text reads back as noise: a wrong /ToUnicode);
``labels`` gives a /PageLabels tree; ``image_pages`` get an image and no text.
The ligatures ``ﬁ`` and ``ﬂ`` and the bullet ``•`` in a text are drawn as the fonts' own glyphs
(standard encoding), so pypdf reads them back as ``ﬁ``/``ﬂ``/``•``. ``outline`` adds bookmarks (with pypdf,
after the hand-written file).
"""

from __future__ import annotations

import zlib
from pathlib import Path

FONTS = {"R": "Helvetica", "B": "Helvetica-Bold", "I": "Helvetica-Oblique"}
# font "G": Helvetica whose /ToUnicode map is wrong, as in PDFs whose fonts lack a true one: it
# draws the letters, and its text reads back as control characters and Latin-1 symbols
GARBLING_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Garbled def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <20> <7E> <0080> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


LIGATURES = {0xFB01: 0xAE, 0xFB02: 0xAF, 0x2022: 0xB7}  # ﬁ, ﬂ, • -> their codes in the standard encoding


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").translate(LIGATURES)


def make_pdf(
    path: Path,
    pages: list[list[tuple]],
    labels: list[tuple[int, str, int]] | None = None,
    image_pages: tuple[int, ...] = (),
    height: float = 842.0,
    width: float = 595.0,
    streams: dict[int, bytes] | None = None,
    outline: list[tuple] | None = None,
) -> Path:
    """Write the PDF and return its path.

    Args:
        streams: raw content streams by page index (written Flate-compressed).
        labels: ``(first page index, style, start)`` ranges; style ``"r"`` roman, ``"D"`` decimal,
            or ``"P:<prefix>"`` for a fixed text label.
        outline: bookmarks in order, ``(level, title, page index)`` or ``(level, title, page
            index, top)``; level 1 is top-level, a deeper entry nests under the one before it;
            with a top, the destination is ``/XYZ 0 top 0``, else ``/Fit``.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font_ids = {
        key: add(f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} >>".encode())
        for key, name in FONTS.items()
    }
    if any(line[3] == "G" for lines in pages for line in lines):
        cmap = add(
            b"<< /Length "
            + str(len(GARBLING_CMAP)).encode()
            + b" >>\nstream\n"
            + GARBLING_CMAP
            + b"\nendstream"
        )
        font_ids["G"] = add(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode {cmap} 0 R >>".encode()
        )
    pages_id = add(b"")  # placeholder, filled below
    page_ids = []
    for number, lines in enumerate(pages):
        ops = []
        xobject = b""
        if number in image_pages:
            pixels = zlib.compress(bytes([128]) * (64 * 64))
            image = add(
                b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace "
                b"/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length "
                + str(len(pixels)).encode()
                + b" >>\nstream\n"
                + pixels
                + b"\nendstream"
            )
            ops.append("q 400 0 0 600 100 100 cm /Im0 Do Q")
            xobject = f" /XObject << /Im0 {image} 0 R >>".encode()
        for x, y, size, font, text in lines:
            ops.append(f"BT /F{font} {size} Tf 1 0 0 1 {x} {y} Tm ({_escape(text)}) Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        head = b"<< /Length " + str(len(stream)).encode() + b" >>"
        if streams and number in streams:  # a raw content stream, Flate-compressed
            stream = zlib.compress(streams[number], 9)
            head = b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>"
        content = add(head + b"\nstream\n" + stream + b"\nendstream")
        fonts = " ".join(f"/F{key} {ident} 0 R" for key, ident in font_ids.items())
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {width} {height}] "
                f"/Contents {content} 0 R /Resources << /Font << {fonts} >>".encode()
                + xobject
                + b" >> >>"
            )
        )
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects[pages_id - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    label_part = ""
    if labels:
        nums = []
        for first, style, start in labels:
            if style.startswith("P:"):
                nums.append(f"{first} << /P ({_escape(style[2:])}) >>")
            else:
                nums.append(f"{first} << /S /{style} /St {start} >>")
        label_part = f" /PageLabels << /Nums [{' '.join(nums)}] >>"
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R{label_part} >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(out))
    if outline:
        add_outline(path, outline)
    return path


def add_outline(path: Path, outline: list[tuple]) -> Path:
    """Rewrite ``path`` with the given bookmarks (see :func:`make_pdf`)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    writer = PdfWriter(clone_from=PdfReader(path))
    parents: list = []
    for level, title, page, *top in outline:
        fit = Fit.xyz(0, top[0], 0) if top else Fit.fit()
        parent = parents[level - 2] if level > 1 else None
        item = writer.add_outline_item(title=title, page_number=page, parent=parent, fit=fit)
        parents[level - 1 :] = [item]
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def guide_like(path: Path, outline: bool = True) -> Path:
    """A three-page guide with an outline (nested, one title wrapped over two printed lines, a
    run-in heading, a title printed without its number, an entry not printed at all), a running
    header whose page number varies (and whose height jitters), and ligatures in the body."""

    def header(number: int, jitter: float) -> list[tuple]:
        return [(56, 812 + jitter, 7.5, "R", f"Lantern Guide | {number}")]

    body = 9.5
    page1 = header(1, 0.0) + [
        (62, 770, 14, "B", "1. Making Lanterns"),
        (62, 745, body, "R", "Every lantern starts as a sketch. The speciﬁcation of each ﬂoat"),
        (62, 733, body, "R", "is kept by the guild."),
        (62, 705, body, "R", "1.1. Paper and Bamboo. The frame is split bamboo from the"),
        (62, 693, body, "R", "northern hills and the skin is mulberry paper."),
    ]
    page2 = header(2, 0.7) + [
        (62, 770, 11, "B", "1.2. The Guild's Long-standing Rules for Apprentices"),
        (62, 756, 11, "B", "and Masters"),
        (62, 730, body, "R", "Apprentices serve four years before they may sign a lantern."),
    ]
    page3 = header(3, -0.6) + [
        (62, 770, 14, "B", "Selling Lanterns"),
        (62, 745, body, "R", "Most lanterns are sold at the spring fair."),
        (62, 600, body, "R", "During the festival the guild sells 900 lanterns a night."),
    ]
    entries = [
        (1, "1. Making Lanterns", 0, 790.0),
        (2, "1.1. Paper and Bamboo", 0, 716.0),
        (2, "1.2. The Guild's Long-standing Rules for Apprentices and Masters", 1, 785.0),
        (1, "2. Selling Lanterns", 2, 785.0),
        (2, "2.1. Festival Season", 2, 615.0),
    ]
    return make_pdf(path, [page1, page2, page3], outline=entries if outline else None)


def report_like(path: Path) -> Path:
    """A four-page report: running header and footer, numbered headings (one wrapped), a
    paragraph and a word broken across a page break, a table, a figure, and a blank page."""

    def frame(label: str) -> list[tuple]:
        return [
            (56, 808, 7.5, "R", "Tiny Report on Lanterns"),
            (500, 808, 7.5, "R", "ACME"),
            (295, 31, 7.5, "R", label),
        ]

    body = 9.5
    page1 = frame("1") + [
        (62, 770, 13, "B", "I. Lanterns Are of Strategic Importance for the"),
        (62, 754, 13, "B", "Glowing Economy of the Valley"),
        (62, 730, body, "R", "The valley produced 4,200 paper lanterns in 2023. Each lantern"),
        (62, 718, body, "R", "needs bamboo from the northern hills. Lantern makers cooperate in a"),
        (62, 706, body, "R", "long-established guild with multi-"),
    ]
    page2 = frame("2") + [
        (62, 775, body, "R", "generational membership and shared kilns."),
        (62, 750, 11, "B", "(i) Markets for Lanterns"),
        (62, 730, body, "R", "Export markets absorbed 60% of output. The festival season accounts for"),
        (62, 718, body, "R", "most sales."),
        (93, 690, 9, "B", "Table 1 Lantern Output by Town"),
        (62, 675, 8.5, "R", "Town"),
        (200, 675, 8.5, "R", "Output"),
        (340, 675, 8.5, "R", "Colour"),
        (62, 660, 8.5, "R", "Riverton"),
        (200, 660, 8.5, "R", "1,900 lanterns"),
        (340, 660, 8.5, "R", "red"),
        (62, 645, 8.5, "R", "Hillford"),
        (200, 645, 8.5, "R", "2,300 lanterns"),
        (62, 630, 8.5, "R", "Lakeside"),
        (200, 630, 8.5, "R", "none yet"),
        (340, 630, 8.5, "R", "blue and"),
        (340, 620, 8.5, "R", "gold"),
        (150, 605, 8, "I", "Source: Valley Guild records"),
        (150, 560, 9, "B", "Figure 1 Lantern Exports by Year"),
        (150, 548, 8, "I", "Source: Customs office of the valley"),
    ]
    page3 = frame("3")  # blank inner page: header and footer only
    page4 = frame("4") + [
        (62, 770, 13, "B", "II. Suggestions"),
        (62, 745, body, "R", "The guild should build a second kiln by 2027."),
    ]
    return make_pdf(path, [page1, page2, page3, page4], labels=[(0, "D", 1)])


def encrypt(source: Path, target: Path, password: str) -> Path:
    """A copy of ``source`` encrypted with AES-128 and the given user password ("" opens without one)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    with open(target, "wb") as handle:
        writer.write(handle)
    return target
