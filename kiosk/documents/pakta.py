"""*Pakta integritas*: one signed page per employee, the copies that go with the report.

Kop, "PAKTA INTEGRITAS", "Saya yang bertanda tangan di bawah ini:" with Nama, NIP,
Pangkat/Gol, Jabatan, Unit Kerja and Instansi; then the exact pledge text this person signed
(its title, opening, numbered points, closing) as it was stored — never the event's current
template; place and date, the signature and the name; and in small print the check-in time
and the SHA-256 of the text, so anyone can check that the page shows what was signed.

Guests sign the attendance list, not the pact.  Files are named by NIP or badge code, never by
name (``pakta-196804111993031009.pdf``).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk.documents import fonts, pdfbase, pdfsplit
from kiosk.documents.model import (
    METHOD_LABELS,
    DocAttendance,
    DocEvent,
    PersonKind,
    first_per_person,
    local_time_text,
)
from kiosk.documents.output import (
    AtomicBatch,
    Progress,
    nothing_to_export,
    report,
    write_bytes,
)
from kiosk.documents.pdfbase import Doc, Picture, line_height
from kiosk.documents.text import clean, clean_lines
from kiosk.i18n import KioskError, register
from kiosk.people.nip import format_spaced

register({
    "documents.pakta_guest": {
        "id": "{name} hadir sebagai tamu: tamu menandatangani daftar hadir, bukan pakta integritas.",
        "en": "{name} attended as a guest: guests sign the attendance list, not the integrity pact.",
    },
})

SIZE = 10.5
WHOLE = 10**7          # the signed text is never cut
NO_TEXT = "(Teks ikrar yang ditandatangani tidak tersimpan untuk kehadiran ini.)"
_POINT = re.compile(r"^(\d{1,2})[.)]\s+(.*)$", re.DOTALL)


def file_name(attendance: DocAttendance, taken: set[str] | None = None) -> str:
    """``pakta-<NIP or code>.pdf``, made safe for every file system and unique within ``taken``."""
    key = re.sub(r"[^A-Za-z0-9_-]+", "_", attendance.person.key).strip("_")[:40] or "tanpa-nomor"
    name = f"pakta-{key}.pdf"
    if taken is not None:
        n = 2
        while name.lower() in taken:
            name = f"pakta-{key}-{n}.pdf"
            n += 1
        taken.add(name.lower())
    return name


def _paragraphs(text: str) -> list[tuple[str, list[str]]]:
    """The pledge split as it is stored: units separated by a blank line, points numbered.

    Returns ``(kind, lines)`` with kind ``title`` (the first unit, its line breaks kept),
    ``point`` (lines[0] is the number) or ``text``.
    """
    units = [u for u in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if u.strip()]
    out: list[tuple[str, list[str]]] = []
    for i, unit in enumerate(units):
        m = _POINT.match(unit.strip())
        if m:
            out.append(("point", [m.group(1), " ".join(clean_lines(m.group(2), WHOLE))]))
        elif i == 0 and len(units) > 1:
            out.append(("title", [s for s in clean_lines(unit, WHOLE) if s]))
        else:
            out.append(("text", [" ".join(s for s in clean_lines(unit, WHOLE) if s)]))
    return out


class _Page:
    def __init__(self, pdf: Doc, event: DocEvent, logo: Picture | None) -> None:
        self.pdf = pdf
        self.event = event
        self.logo = logo
        self.y = 0.0

    def ensure(self, height: float) -> None:
        if self.y + height > self.pdf.bottom - 12:
            self.pdf.add_page()
            self.y = self.pdf.t_margin

    def justified(self, x: float, width: float, text: str, size: float = SIZE, lh: float | None = None) -> None:
        pdf = self.pdf
        pdf.font(size)
        lh = lh or line_height(size, 1.42)
        lines = pdf.fit(text, width, whole=True)
        space = pdf.measure(" ")
        for k, line in enumerate(lines):
            self.ensure(lh)
            words = line.split(" ")
            if k == len(lines) - 1 or len(words) < 2:
                pdf.put(x, self.y, line)
            else:
                natural = sum(pdf.measure(w) for w in words)
                gap = (width - natural) / (len(words) - 1)
                if gap > space * 3:       # a line of a few long words: leave it ragged
                    pdf.put(x, self.y, line)
                else:
                    cx = x
                    for w in words:
                        pdf.put(cx, self.y, w)
                        cx += pdf.measure(w) + gap
            self.y += lh


def _draw(pdf: Doc, event: DocEvent, logo: Picture | None, att: DocAttendance) -> None:
    person = att.person
    if person.kind is PersonKind.GUEST:
        raise KioskError("documents.pakta_guest", name=clean(person.name, 80))
    pdf.add_page()
    page = _Page(pdf, event, logo)
    # The kop and the pledge are the same on every pact of a batch: drawn once, then replayed.
    page.y = pdf.cached(("pakta-head", id(event), id(logo)), lambda: _head(pdf, event, logo))
    if person.kind.has_nip:
        ident = format_spaced(clean(person.nip)) if person.nip else "-"
    else:
        ident = "- (pegawai non-ASN)"
    rows = [("Nama", clean(person.name)), ("NIP", ident), ("Pangkat/Gol", clean(person.rank) or "-"),
            ("Jabatan", clean(person.position) or "-"), ("Unit Kerja", clean(person.unit) or "-"),
            ("Instansi", clean(event.agency) or "-")]
    if not person.kind.has_nip and person.code:
        rows.insert(2, ("Kode Kartu", clean(person.code_text)))
    page.y = pdfbase.fields(pdf, page.y, rows, label_w=32, size=SIZE, x=pdf.l_margin + 6, width=pdf.epw - 6)
    start = page.y

    def body() -> float:
        _body(page, att.pledge_text)
        return page.y

    page.y = pdf.cached(("pakta-body", att.pledge_text, round(start, 4)), body)
    signature = pdfbase.signature_picture(att.signature_png)
    above = [pdfbase.place_and_date(event), "Yang menyatakan,"]
    below = [pdfbase.nip_line(person.nip)] if person.kind.has_nip and person.nip else []
    name = clean(person.name)
    height = pdfbase.signer_block(pdf, 0.0, above, name, below, gap=24, draw=False)
    page.ensure(height + 6)
    pdfbase.signer_block(pdf, page.y + 4, above, name, below, signature=signature, gap=24)
    _small_print(pdf, att)


def _head(pdf: Doc, event: DocEvent, logo: Picture | None) -> float:
    """The kop, the title and the opening line; returns the y below them."""
    y = pdfbase.kop(pdf, event, logo)
    y = pdfbase.title(pdf, y + 2, "PAKTA INTEGRITAS", size=14)
    pdf.font(SIZE)
    y += 4
    pdf.put(pdf.l_margin, y, "Saya yang bertanda tangan di bawah ini:")
    return y + line_height(SIZE, 1.6)


def _body(page: _Page, text: str | None) -> None:
    """The statement and the signed pledge text, from ``page.y`` on (breaking the page if it must)."""
    pdf = page.pdf
    page.y += 3
    page.justified(pdf.l_margin, pdf.epw, "dengan ini menyatakan bahwa saya telah mengucapkan dan "
                   "menandatangani ikrar sebagai berikut:")
    page.y += 3
    if not text or not text.strip():
        pdf.font(SIZE)
        pdf.set_text_color(*pdfbase.GREY)
        pdf.put(pdf.l_margin, page.y, NO_TEXT)
        pdf.set_text_color(*pdfbase.INK)
        page.y += line_height(SIZE, 1.6)
        return
    for kind, lines in _paragraphs(text):
        if kind == "title":
            pdf.font(SIZE + 0.5, bold=True)
            for line in lines:
                for s in pdf.fit(line, pdf.epw, whole=True):
                    page.ensure(line_height(SIZE + 0.5, 1.35))
                    pdf.put(pdf.l_margin, page.y, s, align="C", width=pdf.epw)
                    page.y += line_height(SIZE + 0.5, 1.35)
        elif kind == "point":
            page.ensure(line_height(SIZE, 1.42))
            pdf.font(SIZE)
            pdf.put(pdf.l_margin + 2, page.y, f"{lines[0]}.")
            page.justified(pdf.l_margin + 9, pdf.epw - 9, lines[1])
        else:
            page.justified(pdf.l_margin, pdf.epw, lines[0])
        page.y += 2.2


def _small_print(pdf: Doc, att: DocAttendance) -> None:
    pdf.font(6.8)
    pdf.set_text_color(*pdfbase.GREY)
    method = METHOD_LABELS.get(str(att.method), clean(att.method, 20))
    lines = [(f"Ditandatangani secara elektronik di kiosk Ikrar pada {local_time_text(att.checked_in_at)} "
              f"(kehadiran: {method}).")]
    sha = clean(att.pledge_sha256, 80)
    lines.append(f"SHA-256 teks: {sha}" if sha else "SHA-256 teks: -")
    lh = line_height(6.8, 1.3)
    y = pdf.bottom + 1.5 - len(lines) * lh
    pdf.set_draw_color(*pdfbase.GREY)
    pdf.set_line_width(0.1)
    pdf.line(pdf.l_margin, y - 1.2, pdf.l_margin + 60, y - 1.2)
    pdf.put_lines(pdf.l_margin, y, [pdf.fit(s, pdf.epw, 1)[0] for s in lines], lh=lh)
    pdf.set_text_color(*pdfbase.INK)
    pdf.set_draw_color(*pdfbase.INK)


def _texts(event: DocEvent, att: DocAttendance) -> list[str]:
    """Everything a pact prints besides its fixed wording (which is ASCII)."""
    p = att.person
    return [event.agency, event.agency.upper(), event.agency_unit.upper(), event.address, event.city,
            p.name, p.rank, p.position, p.unit, p.code_text, p.nip or "", att.pledge_text or "",
            str(att.method), att.pledge_sha256 or ""]


def _doc(event: DocEvent, font_files: fonts.FontFiles | None = None) -> Doc:
    return Doc(title=f"Pakta Integritas {event.title}", author=event.agency, page_numbers=False,
               font_files=font_files)


def pakta_pdf(event: DocEvent, attendance: DocAttendance, out_path: str | os.PathLike) -> Path:
    """The pact of one signer."""
    if attendance.person.kind is PersonKind.GUEST:
        raise KioskError("documents.pakta_guest", name=clean(attendance.person.name, 80))
    logo = pdfbase.load_logo(event.logo)
    with fonts.closing(_doc(event)) as pdf:
        _draw(pdf, event, logo, attendance)
        data = fonts.output(pdf)
    return write_bytes(out_path, data)


def signers(rows: Iterable[DocAttendance]) -> list[DocAttendance]:
    """Who gets a pact: everyone who came (their first check-in), guests left out."""
    return [r for r in first_per_person(rows) if r.person.kind is not PersonKind.GUEST]


def file_names(rows: Sequence[DocAttendance]) -> list[str]:
    """The file name of each pact, unique (case-insensitively) within the folder."""
    taken: set[str] = set()
    return [file_name(att, taken) for att in rows]


#: Pacts drawn as pages of one document before it is cut into files (memory stays ~5 MB a chunk).
CHUNK = 200


def pakta_all(event: DocEvent, rows: Iterable[DocAttendance], out_dir: str | os.PathLike, *,
              single: str | os.PathLike | None = None, progress: Progress | None = None) -> list[Path]:
    """The pact of every signer (guests left out): one file each in ``out_dir``, or with
    ``single=path`` all of them in one PDF.  Returns the files written.

    One file each is made in chunks: :data:`CHUNK` pacts are drawn as the pages of one document,
    which is written once and cut into one file per pact (:mod:`kiosk.documents.pdfsplit`), so
    the fonts are embedded once a chunk instead of once a file.
    """
    chosen = signers(rows)
    if not chosen:
        raise nothing_to_export("signers")
    logo = pdfbase.load_logo(event.logo)
    total = len(chosen)
    # One cut-down copy of the fonts for the whole batch: fpdf2 loads it once a document.
    font_files = fonts.batch(clean(s, 10**6) for s in {s for att in chosen for s in _texts(event, att)})
    if single is not None:
        with fonts.closing(_doc(event, font_files)) as pdf:
            for i, att in enumerate(chosen, start=1):
                _draw(pdf, event, logo, att)
                if i % 25 == 0:
                    report(progress, i, total)
            data = fonts.output(pdf)
        path = write_bytes(single, data)
        report(progress, total, total)
        return [path]
    names = file_names(chosen)
    with AtomicBatch(out_dir) as batch:
        for start in range(0, total, CHUNK):
            part = chosen[start:start + CHUNK]
            for name, data in zip(names[start:start + CHUNK], _chunk(event, logo, part, font_files)):
                batch.write(name, data)
            report(progress, start + len(part), total)
        written = batch.commit()
    return written


def _chunk(event: DocEvent, logo: Picture | None, rows: Sequence[DocAttendance],
           font_files: fonts.FontFiles) -> list[bytes]:
    """One PDF per pact of ``rows``: drawn together, cut apart."""
    ranges = []
    with fonts.closing(_doc(event, font_files)) as pdf:
        for att in rows:
            first = pdf.page + 1
            _draw(pdf, event, logo, att)
            ranges.append((first, pdf.page))
        data = fonts.output(pdf)
    parts = pdfsplit.split(data, ranges)
    if parts is not None:
        return parts
    out = []                                   # not laid out as expected: one document each (slower)
    for att in rows:
        with fonts.closing(_doc(event, font_files)) as pdf:
            _draw(pdf, event, logo, att)
            out.append(fonts.output(pdf))
    return out
