"""What the PDF documents share: the A4 page, the kop (letterhead), the signer's block, images.

An Indonesian office letter has a *kop*: the emblem on the left, the government (instansi)
and the office in capitals centred beside it, the address below, and a thick-over-thin
double rule across the page.  It closes with a signer's block on the right: place and date,
the office ("Kepala …"), room for the signature, the name underlined and the NIP.
"""
from __future__ import annotations

import functools
import io
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, cast

from fpdf import FPDF
from fpdf.graphics_state import GraphicsState
from PIL import Image, UnidentifiedImageError

from kiosk import dates
from kiosk.documents import fonts
from kiosk.documents.model import DocEvent
from kiosk.documents.text import clean, wrap
from kiosk.i18n import KioskError, register
from kiosk.people.nip import format_spaced

register({
    "documents.image_unreadable": {
        "id": "Gambar {path} tidak dapat dibaca ({reason}). Pilih berkas PNG atau JPEG yang lain, "
              "atau jangan sertakan gambar ini.",
        "en": "The image {path} cannot be read ({reason}). Choose another PNG or JPEG file, "
              "or leave this image out.",
    },
})

PT = 25.4 / 72          # one point in mm
LEFT, TOP, RIGHT, BOTTOM = 20.0, 12.0, 15.0, 14.0
INK = (0, 0, 0)
GREY = (90, 90, 90)
FILL = (228, 228, 228)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SIGNATURE_UNREADABLE = "(tanda tangan tidak terbaca)"


def line_height(size: float, leading: float = 1.22) -> float:
    return size * PT * leading


@dataclass(frozen=True, slots=True)
class _Fragment:
    """What :meth:`Doc.cached` drew once: from which state, the bytes, the resources, the state after."""
    start: GraphicsState
    ops: bytes
    resources: tuple[tuple[Any, frozenset[Any]], ...]
    end: GraphicsState
    y: float


class Doc(FPDF):
    """An A4 portrait document in mm with the shipped fonts, no automatic page breaks.

    ``footer_left`` is printed small at the foot of every page; ``page_numbers`` adds
    "Halaman x dari y" on the right.  ``font_files`` is a batch copy of the fonts
    (:func:`kiosk.documents.fonts.batch`); text outside it prints as U+FFFD.
    """

    def __init__(self, *, title: str, author: str = "", footer_left: str = "", page_numbers: bool = True,
                 font_files: fonts.FontFiles | None = None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.coverage = fonts.install(self, font_files).coverage
        self._widths: dict[tuple[int, str], float] = {}
        self._fragments: dict[Hashable, _Fragment] = {}
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(False, margin=BOTTOM)
        self.set_title(clean(title))
        if author:
            self.set_author(clean(author))
        self.set_creator("Ikrar Kiosk")
        self.set_lang("id")
        self.footer_left = clean(footer_left)
        self.page_numbers = page_numbers
        self.set_draw_color(*INK)
        self.set_text_color(*INK)

    # --- drawing the same thing again ----------------------------------------------------
    def cached(self, key: Hashable, draw: Callable[[], float]) -> float:
        """Run ``draw`` (which returns the y where it ended), or, when an earlier call with the same
        ``key`` drew from the same graphics state on one page of this document, append the content it
        wrote then instead of drawing it again.

        A pact's kop and pledge text are the same on every page of a batch: drawing them word by word
        is most of a page's cost.  What was drawn is replayed exactly: the same content-stream bytes
        (so the same glyph codes: one document has one font subset), the same resources registered
        for the page, and the graphics state it left.  This reaches into fpdf2's page buffer, resource
        catalogue and state stack (fpdf2 is pinned to 2.8); anything unexpected and it just draws.
        """
        contents = self.pages[self.page].contents if self.page else None
        catalogue = getattr(self, "_resource_catalog", None)
        per_page = getattr(catalogue, "resources_per_page", None)
        if not isinstance(contents, bytearray) or not isinstance(per_page, dict):
            return draw()
        start = self._get_current_graphics_state()
        hit = self._fragments.get(key)
        if hit is not None and hit.start == start:
            contents.extend(hit.ops)
            for kind, items in hit.resources:
                per_page[(self.page, kind)].update(items)
            self._pop_local_stack()
            self._push_local_stack(hit.end.copy())
            return hit.y
        page, before = self.page, len(contents)
        had = {kind: set(items) for (number, kind), items in per_page.items() if number == page}
        y = draw()
        if self.page == page:                    # a page break inside is never replayed
            added = tuple((kind, frozenset(items - had.get(kind, set())))
                          for (number, kind), items in per_page.items() if number == page)
            self._fragments[key] = _Fragment(start, bytes(contents[before:]), added,
                                             self._get_current_graphics_state(), y)
        return y

    # --- text helpers --------------------------------------------------------------------
    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(fonts.FAMILY, "B" if bold else "", size)

    @property
    def right(self) -> float:
        return self.w - self.r_margin

    @property
    def bottom(self) -> float:
        return self.h - self.b_margin

    def fit(self, text: object, width: float, max_lines: int = 0, *, whole: bool = False) -> list[str]:
        """Printable lines of ``text`` in the current font, at most ``max_lines`` (0: any).

        Text is cut at :data:`~kiosk.documents.text.MAX_CHARS` unless ``whole`` (a signed text
        is printed in full, however long)."""
        cleaned = clean(text, 10**7) if whole else clean(text)
        return wrap(self.measure, fonts.drawable(cleaned, self.coverage), width, max_lines)

    def measure(self, s: str) -> float:
        return fonts.measure(self, s, self._widths)

    def put(self, x: float, top: float, s: str, *, align: str = "L", width: float = 0.0) -> None:
        """One line whose box starts at ``top``: left at ``x``, or centred/right in ``width``."""
        if not s:
            return
        if align != "L":
            w = self.measure(s)
            x = x + (width - w) / 2 if align == "C" else x + width - w
        self.text(x, top + self.font_size * 0.80, s)

    def put_lines(self, x: float, top: float, lines: list[str], *, lh: float, align: str = "L",
                  width: float = 0.0) -> float:
        for i, s in enumerate(lines):
            self.put(x, top + i * lh, s, align=align, width=width)
        return top + len(lines) * lh

    def footer(self) -> None:
        if not (self.page_numbers or self.footer_left):
            return
        self.font(7)
        self.set_text_color(*GREY)
        y = self.h - self.b_margin + 4
        if self.footer_left:
            self.put(self.l_margin, y, self.fit(self.footer_left, self.epw * 0.7, 1)[0])
        if self.page_numbers:   # cell(), not text(): only cells get the page count filled in
            self.set_xy(self.l_margin + self.epw * 0.7, y)
            self.cell(self.epw * 0.3, 3, f"Halaman {self.page_no()} dari {self.str_alias_nb_pages}", align="R")
        self.set_text_color(*INK)

    def image_box(self, image: Image.Image | io.BytesIO, x: float, y: float, w: float, h: float,
                  size: tuple[int, int], align: str = "C") -> None:
        """Draw an image scaled to fit the box ``w × h`` keeping its proportions."""
        iw, ih = size
        scale = min(w / iw, h / ih)
        dw, dh = iw * scale, ih * scale
        dx = {"L": 0.0, "C": (w - dw) / 2, "R": w - dw}[align]
        self.image(image, x + dx, y + (h - dh) / 2, dw, dh)


# --- images ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Picture:
    """An image ready for fpdf2, with its pixel size."""
    image: Image.Image | io.BytesIO
    size: tuple[int, int]


def signature_picture(png: bytes | None) -> Picture | None | bool:
    """The signature cropped to its ink and flattened on white, or ``None`` (no signature) /
    ``False`` (bytes that are not a readable PNG: the caller prints a note instead).

    The kiosk stores ink colour with the ink's coverage as alpha.  On paper that is the same as
    the ink blended on white, so it is embedded as one indexed image (a palette from white to
    the ink colour, the coverage as index): no soft mask, a quarter of the data, and exactly the
    colours the signature has on a white page.  Other PNGs are flattened on white as RGB.
    """
    if png is None:
        return None
    if not png.startswith(PNG_MAGIC):
        return False
    try:
        im: Image.Image = Image.open(io.BytesIO(png), formats=["PNG"])
        im.load()
        if im.mode != "RGBA":
            im = im.convert("RGBA")
        alpha = im.getchannel("A")
        box = alpha.getbbox()
        if box is None:
            return False
        pad = max(2, (box[3] - box[1]) // 12)
        box = (max(0, box[0] - pad), max(0, box[1] - pad), min(im.width, box[2] + pad), min(im.height, box[3] + pad))
        im = im.crop(box)
        alpha = alpha.crop(box)
        bands = [cast(tuple[int, int], im.getchannel(c).getextrema()) for c in "RGB"]
        if all(lo == hi for lo, hi in bands):
            out = Image.frombytes("P", alpha.size, alpha.tobytes())
            out.putpalette(_ink_palette(tuple(lo for lo, _ in bands)))
        else:
            out = Image.new("RGB", im.size, (255, 255, 255))
            out.paste(im, (0, 0), alpha)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return False
    return Picture(out, out.size)


@functools.lru_cache(maxsize=64)
def _ink_palette(ink: tuple[int, ...]) -> bytes:
    """256 colours from white (no ink) to ``ink`` (full coverage)."""
    return b"".join(bytes(round(255 + (c - 255) * i / 255) for c in ink) for i in range(256))


def load_picture(path: str | os.PathLike, *, max_side: int = 0, flat: bool = False) -> Picture:
    """A PNG or JPEG from disk (logo, photo), turned upright, refused with a clear message.

    ``max_side`` shrinks a larger image; ``flat`` lays it on white and stores it as a JPEG
    (quality 92): a logo printed in every one of 5,000 files is then copied, not decoded and
    compressed again each time.  Otherwise a JPEG that needs no change is embedded as it is.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        im: Image.Image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG"])
        im.load()
    except FileNotFoundError as exc:
        raise KioskError("documents.image_unreadable", path=str(path), reason="tidak ada / not found") from exc
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise KioskError("documents.image_unreadable", path=str(path), reason=type(exc).__name__) from exc
    from PIL import ImageOps

    orientation = im.getexif().get(0x0112, 1)
    too_big = bool(max_side) and max(im.size) > max_side
    source_format = im.format
    if orientation == 1 and not too_big and not flat and source_format == "JPEG":
        return Picture(io.BytesIO(data), im.size)   # embedded as it is, not re-encoded
    im = ImageOps.exif_transpose(im)
    if too_big:
        im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if not flat and source_format != "JPEG" and orientation == 1:
        return Picture(im, im.size) if too_big else Picture(io.BytesIO(data), im.size)
    if im.mode not in ("RGB", "L"):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", im.size, (255, 255, 255))
        background.paste(rgba, (0, 0), rgba)
        im = background
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=92)
    return Picture(io.BytesIO(buf.getvalue()), im.size)


def load_logo(path: str | os.PathLike | None) -> Picture | None:
    return load_picture(path, max_side=480, flat=True) if path else None


def draw_signature(pdf: Doc, picture: Picture | None | bool, x: float, y: float, w: float, h: float,
                   align: str = "C") -> None:
    """The signature in the box, a dotted line to sign on by hand, or a note that it is unreadable."""
    if isinstance(picture, Picture):
        pdf.image_box(picture.image, x, y, w, h, picture.size, align)
        return
    if picture is False:
        pdf.font(5.5)
        pdf.set_text_color(*GREY)
        pdf.put(x, y + h / 2 - 1, SIGNATURE_UNREADABLE, align="C", width=w)
        pdf.set_text_color(*INK)
        return
    pdf.set_line_width(0.15)
    pdf.set_dash_pattern(0.4, 0.6)
    pdf.line(x + 1, y + h - 1, x + w - 1, y + h - 1)
    pdf.set_dash_pattern()


# --- kop and signer -----------------------------------------------------------------------

def kop(pdf: Doc, event: DocEvent, logo: Picture | None) -> float:
    """Draw the letterhead at the top of the page; returns the y below its double rule."""
    left, right, top = pdf.l_margin, pdf.right, pdf.t_margin
    logo_w, logo_h = 22.0, 24.0
    if logo is not None:
        pdf.image_box(logo.image, left, top, logo_w, logo_h, logo.size)
        x0, x1 = left + logo_w + 3, right
    else:
        x0, x1 = left, right
    width = x1 - x0
    y = top + 0.5
    if event.agency:
        pdf.font(13, bold=True)
        for s in pdf.fit(clean(event.agency).upper(), width, 2):
            pdf.put(x0, y, s, align="C", width=width)
            y += line_height(13, 1.15)
    if event.agency_unit:
        unit = clean(event.agency_unit).upper()
        size = 14.0
        pdf.font(size, bold=True)
        while size > 10.5 and pdf.measure(unit) > width:
            size -= 0.5
            pdf.font(size, bold=True)
        for s in pdf.fit(unit, width, 2):
            pdf.put(x0, y, s, align="C", width=width)
            y += line_height(size, 1.15)
    if event.address:
        pdf.font(8.5)
        y += 0.6
        for s in pdf.fit(event.address, width, 2):
            pdf.put(x0, y, s, align="C", width=width)
            y += line_height(8.5)
    rule = max(y, top + (logo_h if logo is not None else 0)) + 1.8
    pdf.set_line_width(0.75)
    pdf.line(left, rule, right, rule)
    pdf.set_line_width(0.25)
    pdf.line(left, rule + 1.1, right, rule + 1.1)
    return rule + 5.0


def title(pdf: Doc, y: float, text: str, subtitle: str = "", size: float = 13) -> float:
    pdf.font(size, bold=True)
    for s in pdf.fit(text, pdf.epw, 2):
        pdf.put(pdf.l_margin, y, s, align="C", width=pdf.epw)
        y += line_height(size, 1.2)
    if subtitle:
        pdf.font(size - 2, bold=True)
        for s in pdf.fit(subtitle, pdf.epw, 3):
            pdf.put(pdf.l_margin, y, s, align="C", width=pdf.epw)
            y += line_height(size - 2, 1.2)
    return y


def fields(pdf: Doc, y: float, rows: list[tuple[str, str]], *, label_w: float = 30.0, size: float = 10,
           x: float | None = None, width: float | None = None) -> float:
    """``Label   : value`` lines (values wrap under themselves)."""
    x = pdf.l_margin if x is None else x
    width = pdf.epw if width is None else width
    lh = line_height(size, 1.3)
    for label, value in rows:
        pdf.font(size)
        pdf.put(x, y, label)
        pdf.put(x + label_w, y, ":")
        lines = pdf.fit(value or "-", width - label_w - 4, 4)
        y = pdf.put_lines(x + label_w + 3, y, lines, lh=lh)
    return y


def signer_lines(event: DocEvent, *, heading: str | None = "Mengetahui,", dated: bool = False) -> list[str]:
    lines = []
    if dated:
        lines.append(place_and_date(event))
    if heading:
        lines.append(heading)
    if event.head_title:
        lines.append(clean(event.head_title))
    return lines


def place_and_date(event: DocEvent) -> str:
    when = dates.long_date(event.date, "id")
    return f"{clean(event.city)}, {when}" if event.city else when


def nip_line(nip: str | None) -> str:
    digits = clean(nip)
    return f"NIP. {format_spaced(digits)}" if digits else ""


SIGNER_W = 78.0


def signer_block(pdf: Doc, y: float, above: list[str], name: str, below: list[str], *,
                 signature: Picture | None | bool = None, gap: float = 21.0, draw: bool = True,
                 x: float | None = None, width: float = SIGNER_W) -> float:
    """The signer's block, centred in a column on the right; returns the y under it.

    With ``draw=False`` only measures (to keep the block with the rows above it).
    """
    x = pdf.right - width if x is None else x
    size = 10.0
    lh = line_height(size, 1.3)
    pdf.font(size)
    top_lines = [s for line in above for s in pdf.fit(line, width, 3)]
    pdf.font(size, bold=True)
    name_lines = pdf.fit(name or " ", width, 2)
    pdf.font(size)
    bottom_lines = [s for line in below if line for s in pdf.fit(line, width, 2)]
    height = (len(top_lines) + len(name_lines) + len(bottom_lines)) * lh + gap
    if not draw:
        return y + height
    pdf.font(size)
    y = pdf.put_lines(x, y, top_lines, lh=lh, align="C", width=width)
    if signature is not None:
        draw_signature(pdf, signature, x + width * 0.2, y + 1.5, width * 0.6, gap - 3)
    y += gap
    pdf.font(size, bold=True)
    pdf.set_line_width(0.25)
    for s in name_lines:
        w = pdf.measure(s)
        left = x + (width - w) / 2
        pdf.put(left, y, s)
        pdf.line(left, y + lh * 0.82, left + w, y + lh * 0.82)
        y += lh
    pdf.font(size)
    return pdf.put_lines(x, y, bottom_lines, lh=lh, align="C", width=width)
