"""Badges: ID-1 cards (85.6 × 53.98 mm) with the QR code the kiosk scans.

The QR holds exactly the badge payload — the plain 18-digit NIP for PNS and PPPK, the badge
code for non-ASN staff and guests, never a NIK — at error correction H (pretix's choice for
≤ 32 characters; M above), with the 4-module quiet zone kept white and modules of at least
0.5 mm (0.95 mm for a NIP).  It is drawn as vector rectangles (runs of dark modules, merged
down the rows they repeat in), so it stays sharp at any zoom and the file stays small.

One layout, two outputs: :func:`card_ops` places everything on a card in mm; the PDF sheet
(10 cards on A4, 2 × 5, with cut marks) and the single-card PNG draw the same list.
"""
from __future__ import annotations

import functools
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import qrcode
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from kiosk import dates
from kiosk.documents import fonts
from kiosk.documents.model import DocEvent, DocPerson, PersonKind
from kiosk.documents.output import (
    Progress,
    atomic_file,
    nothing_to_export,
    report,
    write_bytes,
)
from kiosk.documents.pdfbase import PT, Picture, load_logo
from kiosk.documents.text import clean, wrap
from kiosk.i18n import KioskError, register
from kiosk.people.nip import format_spaced

register({
    "documents.no_badge_payload": {
        "id": "{name} belum punya NIP atau kode kartu, jadi kartunya tidak dapat dibuat. "
              "Lengkapi NIP (PNS/PPPK) atau buat kode kartu (non-ASN, tamu) dulu.",
        "en": "{name} has no NIP or badge code, so no badge can be made. Fill in the NIP (PNS/PPPK) "
              "or create a badge code (non-ASN staff, guests) first.",
    },
    "documents.payload_too_long": {
        "id": "Isi kode kartu {name} terlalu panjang untuk QR yang dapat dipindai di kartu. "
              "Gunakan NIP atau kode kartu yang pendek.",
        "en": "The badge payload of {name} is too long for a scannable QR on a card. "
              "Use the NIP or a short badge code.",
    },
})

CARD_W, CARD_H = 85.6, 53.98
COLS, ROWS = 2, 5
PER_SHEET = COLS * ROWS
A4_W, A4_H = 210.0, 297.0
SHEET_X = (A4_W - COLS * CARD_W) / 2
SHEET_Y = (A4_H - ROWS * CARD_H) / 2
QUIET = 4                 # modules of white around the code
MIN_MODULE = 0.5          # mm
QR_BOX = 31.5             # mm, the code with its quiet zone
SEAM = 0.02               # mm of overlap between module rows
HEADER_H = 12.5
FOOTER_H = 6.5
NAVY = (22, 52, 104)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
DARK = (25, 25, 25)
GREY = (85, 85, 85)
KIND_COLOURS = {PersonKind.PNS: NAVY, PersonKind.PPPK: (18, 98, 68), PersonKind.NON_ASN: (150, 78, 8),
                PersonKind.GUEST: (122, 22, 42)}
KIND_TEXT = {PersonKind.PNS: "PNS", PersonKind.PPPK: "PPPK", PersonKind.NON_ASN: "NON-ASN",
             PersonKind.GUEST: "TAMU UNDANGAN"}


# --- the layout ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: tuple[int, int, int]
    radius: float = 0.0


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    baseline: float
    text: str
    size: float          # pt
    bold: bool
    colour: tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Img:
    picture: Picture
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Code:
    x: float             # top-left of the first module (inside the quiet zone)
    y: float
    module: float
    rects: tuple[tuple[int, int, int, int], ...]   # dark modules: (row, column, width, height) in modules
    size: int            # modules per side, without the quiet zone


Op = Box | Text | Img | Code


@functools.cache
def _measurer() -> FPDF:
    pdf = FPDF(unit="mm")
    fonts.install(pdf)
    fonts.close(pdf)       # only measures: the widths are read, the files are not needed again
    return pdf


def _width(text: str, size: float, bold: bool) -> float:
    pdf = _measurer()
    pdf.set_font(fonts.FAMILY, "B" if bold else "", size)
    return fonts.measure(pdf, text)


def _fit(text: str, width: float, sizes: tuple[float, ...], max_lines: int, bold: bool) -> tuple[float, list[str]]:
    """The largest size at which ``text`` fits in ``max_lines`` lines, else the smallest, cut with …."""
    def measure_at(size: float) -> Callable[[str], float]:
        return lambda s: _width(s, size, bold)

    for size in sizes:
        lines = wrap(measure_at(size), text, width)
        if len(lines) <= max_lines:
            return size, lines
    return sizes[-1], wrap(measure_at(sizes[-1]), text, width, max_lines)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR code of ``payload`` (EC H up to 32 characters, M above), dark modules True, no quiet zone.

    Encoded with zxing-cpp (already the camera's decoder; about 0.6 ms a code), else with the
    ``qrcode`` package (about 5 ms: it tries all eight masks in Python).  Both pick the mask the
    standard's penalty rules prefer.
    """
    level = "H" if len(payload) <= 32 else "M"
    try:
        import zxingcpp

        symbol = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
        view = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]
        size = view.shape[0] if view.shape else 0
        if view.ndim == 2 and view.shape == (size, size) and size >= 21:
            data = view.tobytes()
            return [[data[r * size + c] < 128 for c in range(size)] for r in range(size)]
    except (ImportError, AttributeError, RuntimeError, TypeError, ValueError):
        pass
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H if level == "H"
                       else qrcode.constants.ERROR_CORRECT_M, border=0, box_size=1)
    qr.add_data(payload)
    qr.make(fit=True)
    return [[bool(v) for v in row] for row in qr.get_matrix()]


def qr_rects(payload: str) -> tuple[int, tuple[tuple[int, int, int, int], ...]]:
    """The QR of ``payload`` as rectangles of dark modules: each row's runs, a run continued down
    while the rows below have the same run (a third fewer shapes to draw than runs alone)."""
    matrix = qr_matrix(payload)
    open_runs: dict[tuple[int, int], list[int]] = {}     # (column, width) -> [first row, height]
    done: list[tuple[int, int, int, int]] = []
    for r, row in enumerate(matrix):
        runs = set()
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.add((start, c - start))
            else:
                c += 1
        for key in list(open_runs):
            if key not in runs:
                first, height = open_runs.pop(key)
                done.append((first, key[0], key[1], height))
        for key in runs:
            if key in open_runs:
                open_runs[key][1] += 1
            else:
                open_runs[key] = [r, 1]
    done += [(first, col, width, height) for (col, width), (first, height) in open_runs.items()]
    return len(matrix), tuple(sorted(done))


def card_ops(event: DocEvent, person: DocPerson, logo: Picture | None = None) -> list[Op]:
    """Everything on one card, in mm from its top-left corner."""
    payload = person.badge_payload
    if not payload:
        raise KioskError("documents.no_badge_payload", name=clean(person.name, 80))
    size, rects = qr_rects(payload)
    module = QR_BOX / (size + 2 * QUIET)
    if module < MIN_MODULE:
        raise KioskError("documents.payload_too_long", name=clean(person.name, 80))
    ops: list[Op] = [Box(0, 0, CARD_W, CARD_H, WHITE), Box(0, 0, CARD_W, HEADER_H, NAVY)]
    # Header: logo on a white tile, the agency and the office.
    text_x = 3.0
    if logo is not None:
        ops.append(Box(2.0, 1.25, 10.0, 10.0, WHITE, radius=1.2))
        iw, ih = logo.size
        scale = min(9.0 / iw, 9.0 / ih)
        ops.append(Img(logo, 2.0 + (10 - iw * scale) / 2, 1.25 + (10 - ih * scale) / 2, iw * scale, ih * scale))
        text_x = 14.0
    head_w = CARD_W - text_x - 2.5
    agency = fonts.drawable(clean(event.agency).upper())
    unit = fonts.drawable(clean(event.agency_unit).upper())
    a_size, a_lines = _fit(agency, head_w, (7.0, 6.5, 6.0), 1, True)
    u_size, u_lines = _fit(unit, head_w, (5.6, 5.2, 4.8), 2, False)
    y = 4.4 if len(u_lines) > 1 else 5.2
    for s in a_lines:
        ops.append(Text(text_x, y, s, a_size, True, WHITE))
        y += a_size * PT * 1.15
    y += 0.2
    for s in u_lines:
        ops.append(Text(text_x, y, s, u_size, False, WHITE))
        y += u_size * PT * 1.2
    # The code, with its quiet zone inside the white body.
    qx, qy = 1.2, HEADER_H + 0.9
    ops.append(Code(qx + QUIET * module, qy + QUIET * module, module, rects, size))
    # Name, number, unit.
    x = qx + QR_BOX + 0.8
    width = CARD_W - x - 3.0
    name = fonts.drawable(clean(person.name))
    n_size, n_lines = _fit(name, width, (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5), 3, True)
    y = HEADER_H + 3.0 + n_size * PT * 0.8
    for s in n_lines:
        ops.append(Text(x, y, s, n_size, True, BLACK))
        y += n_size * PT * 1.18
    y += 1.2
    if person.kind.has_nip and person.nip:
        ident = f"NIP. {format_spaced(clean(person.nip))}"
    else:
        ident = f"Kode: {clean(person.code_text)}"
    i_size, i_lines = _fit(ident, width, (7.5, 7.0, 6.5, 6.0), 1, False)
    ops.append(Text(x, y + i_size * PT * 0.8, i_lines[0], i_size, False, DARK))
    y += i_size * PT * 1.25 + 1.6
    lines_left = 2 if len(n_lines) < 3 else 1
    for label in (person.position, person.institution if person.kind is PersonKind.GUEST else person.unit):
        text = fonts.drawable(clean(label))
        if not text:
            continue
        s_size, s_lines = _fit(text, width, (6.8, 6.4, 6.0, 5.6), lines_left, False)
        for s in s_lines:
            if y + s_size * PT > CARD_H - FOOTER_H - 1.0:
                break
            ops.append(Text(x, y + s_size * PT * 0.8, s, s_size, False, GREY))
            y += s_size * PT * 1.2
        y += 0.8
    # Footer: the kind, and the event.
    colour = KIND_COLOURS[person.kind]
    top = CARD_H - FOOTER_H
    ops.append(Box(0, top, CARD_W, FOOTER_H, colour))
    ops.append(Text(3.0, top + 4.3, KIND_TEXT[person.kind], 7.5, True, WHITE))
    kind_w = _width(KIND_TEXT[person.kind], 7.5, True)
    note = fonts.drawable(f"{clean(event.title)} · {dates.long_date(event.date, 'id')}")
    e_size, e_lines = _fit(note, CARD_W - 9.0 - kind_w, (5.5, 5.0, 4.6), 1, False)
    ops.append(Text(CARD_W - 3.0 - _width(e_lines[0], e_size, False), top + 4.1, e_lines[0], e_size, False, WHITE))
    return ops


# --- PDF ----------------------------------------------------------------------------------

def _draw_pdf(pdf: FPDF, ops: list[Op], ox: float, oy: float) -> None:
    for op in ops:
        if isinstance(op, Box):
            pdf.set_fill_color(*op.fill)
            if op.radius:
                pdf.rect(ox + op.x, oy + op.y, op.w, op.h, style="F", round_corners=True,
                         corner_radius=op.radius)
            elif op.fill != WHITE:
                pdf.rect(ox + op.x, oy + op.y, op.w, op.h, style="F")
        elif isinstance(op, Text):
            pdf.set_font(fonts.FAMILY, "B" if op.bold else "", op.size)
            pdf.set_text_color(*op.colour)
            pdf.text(ox + op.x, oy + op.baseline, op.text)
        elif isinstance(op, Img):
            pdf.image(op.picture.image, ox + op.x, oy + op.y, op.w, op.h)
        else:
            m = op.module
            pdf.set_fill_color(*BLACK)
            x0, y0 = ox + op.x, oy + op.y
            for r, c, w, h in op.rects:
                # Each shape reaches a hair into the row below, so no renderer shows a seam between rows.
                pdf.rect(x0 + c * m, y0 + r * m, w * m, h * m + (SEAM if r + h < op.size else 0.0), style="F")


def _cut_marks(pdf: FPDF) -> None:
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    x0, y0 = SHEET_X, SHEET_Y
    x1, y1 = x0 + COLS * CARD_W, y0 + ROWS * CARD_H
    gap, length = 2.0, 6.0
    for c in range(COLS + 1):
        x = x0 + c * CARD_W
        pdf.line(x, y0 - gap - length, x, y0 - gap)
        pdf.line(x, y1 + gap, x, y1 + gap + length)
    for r in range(ROWS + 1):
        y = y0 + r * CARD_H
        pdf.line(x0 - gap - length, y, x0 - gap, y)
        pdf.line(x1 + gap, y, x1 + gap + length, y)
    pdf.set_draw_color(205, 205, 205)     # hairline edges, a guide for scissors
    pdf.set_line_width(0.1)
    for c in range(COLS + 1):
        pdf.line(x0 + c * CARD_W, y0, x0 + c * CARD_W, y1)
    for r in range(ROWS + 1):
        pdf.line(x0, y0 + r * CARD_H, x1, y0 + r * CARD_H)


def badges_pdf(event: DocEvent, people: Iterable[DocPerson], out_path: str | os.PathLike[str], *,
               progress: Progress | None = None) -> Path:
    """A4 sheets of 10 cards (2 × 5) with cut marks, one card per person, in the order given."""
    chosen = list(people)
    if not chosen:
        raise nothing_to_export("people")
    for person in chosen:
        if not person.badge_payload:
            raise KioskError("documents.no_badge_payload", name=clean(person.name, 80))
    logo = load_logo(event.logo)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    with fonts.closing(pdf):
        fonts.install(pdf)
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.set_title(f"Kartu Peserta {clean(event.title)}")
        pdf.set_creator("Ikrar Kiosk")
        pdf.set_lang("id")
        total = len(chosen)
        for i, person in enumerate(chosen):
            ops = card_ops(event, person, logo)
            slot = i % PER_SHEET
            if slot == 0:
                if i:
                    _cut_marks(pdf)
                pdf.add_page()
            col, row = slot % COLS, slot // COLS
            _draw_pdf(pdf, ops, SHEET_X + col * CARD_W, SHEET_Y + row * CARD_H)
            if (i + 1) % 50 == 0:
                report(progress, i + 1, total)
        _cut_marks(pdf)
        data = fonts.output(pdf)
    report(progress, total, total)
    return write_bytes(out_path, data)


# --- PNG ----------------------------------------------------------------------------------

@functools.cache
def _pil_font(bold: bool, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts.font_path(fonts.BOLD if bold else fonts.REGULAR)), px)


def card_image(event: DocEvent, person: DocPerson, dpi: int = 300) -> Image.Image:
    """One card as an RGB image at ``dpi``."""
    logo = load_logo(event.logo)
    ops = card_ops(event, person, logo)
    k = dpi / 25.4
    im = Image.new("RGB", (round(CARD_W * k), round(CARD_H * k)), WHITE)
    draw = ImageDraw.Draw(im)
    for op in ops:
        if isinstance(op, Box):
            box = (round(op.x * k), round(op.y * k), round((op.x + op.w) * k) - 1, round((op.y + op.h) * k) - 1)
            if op.radius:
                draw.rounded_rectangle(box, radius=round(op.radius * k), fill=op.fill)
            else:
                draw.rectangle(box, fill=op.fill)
        elif isinstance(op, Text):
            font = _pil_font(op.bold, max(1, round(op.size / 72 * dpi)))
            draw.text((op.x * k, op.baseline * k), op.text, font=font, fill=op.colour, anchor="ls")
        elif isinstance(op, Img):
            source = op.picture.image
            src = Image.open(io.BytesIO(source.getvalue())) if isinstance(source, io.BytesIO) else source
            size = (max(1, round(op.w * k)), max(1, round(op.h * k)))
            src = src.convert("RGBA").resize(size, Image.Resampling.LANCZOS)
            im.paste(src, (round(op.x * k), round(op.y * k)), src)
        else:
            for r, c, w, h in op.rects:
                x0 = round((op.x + c * op.module) * k)
                y0 = round((op.y + r * op.module) * k)
                x1 = round((op.x + (c + w) * op.module) * k) - 1
                y1 = round((op.y + (r + h) * op.module) * k) - 1
                draw.rectangle((x0, y0, x1, y1), fill=BLACK)
    return im


def badge_png(event: DocEvent, person: DocPerson, out_path: str | os.PathLike, *, dpi: int = 300) -> Path:
    """One card as a PNG (e.g. to send by message or print on a card printer)."""
    im = card_image(event, person, dpi)
    with atomic_file(out_path, "wb") as fh:
        im.save(fh, format="PNG", dpi=(dpi, dpi))
    return Path(out_path)
