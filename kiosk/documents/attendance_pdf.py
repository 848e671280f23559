"""The *daftar hadir*: the signed attendance list that goes to BKPSDM with the report.

A4 portrait: the kop, "DAFTAR HADIR", *Acara*, *Hari/Tanggal* and *Tempat*, then the table
No · Nama · NIP · Pangkat/Gol · Jabatan · Tanda Tangan.  Signatures are staggered as on
Indonesian paper forms: odd numbers sign in the left half of the column, even numbers in the
right half, so neighbours never sign over each other.  The column headings repeat on every
page, each page says "Halaman x dari y", non-ASN staff and guests have their own sections
(guests show their institution instead of NIP and rank), and the *Mengetahui* block closes
the list — always together with the last rows, never alone on an empty page.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk import dates
from kiosk.documents import fonts, pdfbase
from kiosk.documents.model import DocAttendance, DocEvent, PersonKind, first_per_person
from kiosk.documents.output import Progress, nothing_to_export, report, write_bytes
from kiosk.documents.pdfbase import Doc, line_height
from kiosk.documents.text import clean
from kiosk.people.nip import format_spaced

BODY = 8.0
SMALL = 6.5
PAD = 1.3
MIN_ROW = 11.0
HEADER_H = 7.0
#: How much of the signature column one side may use (odd numbers from the left, even from the right).
SIGN_SPAN = 0.62
SECTION_H = 6.0
#: No, Nama, NIP, Pangkat/Gol, Jabatan, Tanda Tangan (mm; 175 = the A4 width between margins)
WIDTHS = (8.0, 40.0, 31.0, 24.0, 30.0, 42.0)
HEADINGS = ("No", "Nama", "NIP", "Pangkat/Gol", "Jabatan", "Tanda Tangan")
NON_ASN_HEADINGS = ("No", "Nama", "NIK / Kode", "Status", "Jabatan", "Tanda Tangan")
GUEST_HEADINGS = ("No", "Nama", "Instansi", "", "Jabatan", "Tanda Tangan")


@dataclass(frozen=True, slots=True)
class _Section:
    heading: str
    rows: tuple[DocAttendance, ...]
    kind: str          # "asn", "non-asn", "guest"


def _sections(rows: list[DocAttendance], by_unit: bool) -> list[_Section]:
    asn = [r for r in rows if r.person.kind.has_nip]
    non = [r for r in rows if r.person.kind is PersonKind.NON_ASN]
    guests = [r for r in rows if r.person.kind is PersonKind.GUEST]
    out: list[_Section] = []
    if by_unit:
        for group, kind, label in ((asn, "asn", "Pegawai ASN"), (non, "non-asn", "Pegawai Non-ASN")):
            units: dict[str, list[DocAttendance]] = {}
            for r in group:
                units.setdefault(clean(r.person.unit) or "Unit kerja tidak diisi", []).append(r)
            for unit in sorted(units, key=str.casefold):
                out.append(_Section(f"{label} — {unit}", tuple(units[unit]), kind))
        if guests:
            out.append(_Section("Tamu Undangan", tuple(guests), "guest"))
        return out
    parts = [("Pegawai ASN (PNS dan PPPK)", asn, "asn"), ("Pegawai Non-ASN", non, "non-asn"),
             ("Tamu Undangan", guests, "guest")]
    letters = iter("ABC")
    for heading, group, kind in parts:
        if group:
            out.append(_Section(f"{next(letters)}. {heading}", tuple(group), kind))
    return out


class _Table:
    """Lays out the rows; knows where the page ends."""

    def __init__(self, pdf: Doc, by_unit: bool) -> None:
        self.pdf = pdf
        self.by_unit = by_unit
        self.lh = line_height(BODY, 1.18)
        self.small_lh = line_height(SMALL, 1.18)
        self.y = 0.0

    # --- headings ----------------------------------------------------------------------
    def section_heading(self, text: str) -> None:
        pdf = self.pdf
        pdf.set_fill_color(242, 242, 242)
        pdf.set_line_width(0.2)
        pdf.rect(pdf.l_margin, self.y, pdf.epw, SECTION_H, style="DF")
        pdf.font(8.5, bold=True)
        pdf.put(pdf.l_margin + 2, self.y + (SECTION_H - 8.5 * pdfbase.PT) / 2 - 0.3,
                pdf.fit(text, pdf.epw - 4, 1)[0])
        self.y += SECTION_H

    def column_heads(self, kind: str) -> None:
        pdf = self.pdf
        heads = {"asn": HEADINGS, "non-asn": NON_ASN_HEADINGS, "guest": GUEST_HEADINGS}[kind]
        pdf.set_fill_color(*pdfbase.FILL)
        pdf.set_line_width(0.2)
        pdf.font(7.5, bold=True)
        x = pdf.l_margin
        for i, (w, head) in enumerate(zip(WIDTHS, heads)):
            if kind == "guest" and i == 3:
                continue
            if kind == "guest" and i == 2:
                w += WIDTHS[3]
            pdf.rect(x, self.y, w, HEADER_H, style="DF")
            pdf.put(x, self.y + (HEADER_H - 7.5 * pdfbase.PT) / 2 - 0.3, head, align="C", width=w)
            x += w
        self.y += HEADER_H

    # --- rows --------------------------------------------------------------------------
    def cells(self, number: int, row: DocAttendance, kind: str) -> tuple[list[list[str]], list[str], float]:
        """The text lines of each column, the unit lines under Jabatan, and the row height."""
        pdf = self.pdf
        p = row.person
        inner = [w - 2 * PAD for w in WIDTHS]
        pdf.font(BODY)
        name = pdf.fit(p.name, inner[1], 4)
        if kind == "guest":
            ident = pdf.fit(p.institution or "-", inner[2] + WIDTHS[3], 4)
            rank: list[str] = []
        else:
            if kind == "asn":
                ident = [format_spaced(clean(p.nip))] if p.nip else ["-"]
            else:
                ident = pdf.fit(p.nik_masked or p.code_text or "-", inner[2], 2)
            status = p.rank if kind == "asn" else (p.employment or p.rank)
            rank = pdf.fit(status or "-", inner[3], 4)
        position = pdf.fit(p.position or "-", inner[4], 4)
        unit: list[str] = []
        if not self.by_unit and kind != "guest" and p.unit:
            pdf.font(SMALL)
            unit = pdf.fit(p.unit, inner[4], 2)
        text_h = max(len(name), len(ident), len(rank), len(position) + len(unit) * self.small_lh / self.lh)
        height = max(MIN_ROW, text_h * self.lh + 2 * PAD)
        return [[f"{number}."], name, ident, rank, position], unit, height

    def row(self, number: int, row: DocAttendance, kind: str, laid: tuple[list[list[str]], list[str], float]) -> None:
        pdf = self.pdf
        columns, unit, height = laid
        y = self.y
        x = pdf.l_margin
        pdf.set_line_width(0.2)
        widths = list(WIDTHS)
        if kind == "guest":
            widths = [WIDTHS[0], WIDTHS[1], WIDTHS[2] + WIDTHS[3], WIDTHS[4], WIDTHS[5]]
            columns = [columns[0], columns[1], columns[2], columns[4]]
        for i, w in enumerate(widths):
            pdf.rect(x, y, w, height)
            if i < len(columns):
                lines = columns[i]
                pdf.font(BODY)
                if i == 2 and kind == "asn" and lines and lines[0] != "-":
                    self._nip(lines[0], x, y, w)
                elif i == 0:
                    pdf.put(x, y + PAD, lines[0], align="C", width=w)
                else:
                    bottom = pdf.put_lines(x + PAD, y + PAD, lines, lh=self.lh)
                    if i == len(columns) - 1 and unit:
                        pdf.font(SMALL)
                        pdf.set_text_color(*pdfbase.GREY)
                        pdf.put_lines(x + PAD, bottom, unit, lh=self.small_lh)
                        pdf.set_text_color(*pdfbase.INK)
            x += w
        self._signature(number, row, x - widths[-1], y, widths[-1], height)
        self.y += height

    def _nip(self, text: str, x: float, y: float, w: float) -> None:
        """The spaced NIP on one line, narrowed a little if the column is too tight for it."""
        pdf = self.pdf
        room = w - 2 * PAD
        width = pdf.measure(text)
        if width > room:
            pdf.set_stretching(max(75.0, 100.0 * room / width))
        pdf.put(x + PAD, y + PAD, text)
        pdf.set_stretching(100)

    def _signature(self, number: int, row: DocAttendance, x: float, y: float, w: float, h: float) -> None:
        """Odd numbers sign on the left of the column, even numbers on the right."""
        pdf = self.pdf
        span = w * SIGN_SPAN     # each side's room overlaps the middle: rows never share a line
        hx = x if number % 2 else x + w - span
        pdf.font(SMALL)
        pdf.put(hx + 1.0, y + 1.0, f"{number}.")
        label_w = pdf.measure(f"{number}.") + 1.6
        picture = pdfbase.signature_picture(row.signature_png)
        pdfbase.draw_signature(pdf, picture, hx + label_w, y + 0.8, span - label_w - 0.8, h - 1.6, align="L")


def attendance_pdf(event: DocEvent, rows: Iterable[DocAttendance], out_path: str | os.PathLike, *,
                   by_unit: bool = False, unit: str | None = None, progress: Progress | None = None) -> Path:
    """Write the daftar hadir of ``rows`` to ``out_path``; returns the path.  ``unit``: the list is of
    that unit only (its header says so)."""
    rows = first_per_person(rows)
    if not rows:
        raise nothing_to_export("attendance")
    logo = pdfbase.load_logo(event.logo)
    when = dates.day_and_date(event.date, "id")
    pdf = Doc(title=f"Daftar Hadir {event.title}", author=event.agency,
              footer_left=f"Daftar Hadir — {clean(event.title)} — {dates.long_date(event.date, 'id')}")
    with fonts.closing(pdf):
        pdf.add_page()
        y = pdfbase.kop(pdf, event, logo)
        y = pdfbase.title(pdf, y + 1, "DAFTAR HADIR", clean(event.title).upper())
        head = [("Acara", clean(event.title)), ("Hari/Tanggal", when), ("Tempat", clean(event.venue))]
        if unit:
            head.append(("Unit Kerja", clean(unit)))
        y = pdfbase.fields(pdf, y + 3, head, label_w=27, size=9.5)
        table = _Table(pdf, by_unit)
        table.y = y + 3
        sections = _sections(rows, by_unit)
        total = len(rows)
        done = 0
        closing_above = pdfbase.signer_lines(event, heading="Mengetahui,", dated=True)
        closing_name = clean(event.head_name) or "(..............................)"
        closing_below = [pdfbase.nip_line(event.head_nip)]
        summary = _summary(rows)
        for s_index, section in enumerate(sections):
            last_section = s_index == len(sections) - 1
            first = table.cells(1, section.rows[0], section.kind)
            if table.y + SECTION_H + HEADER_H + first[2] > pdf.bottom:
                pdf.add_page()
                table.y = pdf.t_margin
            else:
                table.y += 2 if s_index else 0
            table.section_heading(section.heading)
            table.column_heads(section.kind)
            for number, row in enumerate(section.rows, start=1):
                laid = first if number == 1 else table.cells(number, row, section.kind)
                need = laid[2]
                if last_section and number == len(section.rows):
                    need += _closing_height(pdf, table.y, closing_above, closing_name, closing_below)
                if table.y + need > pdf.bottom:
                    pdf.add_page()
                    table.y = pdf.t_margin
                    table.section_heading(f"{section.heading} (lanjutan)")
                    table.column_heads(section.kind)
                table.row(number, row, section.kind, laid)
                done += 1
                if done % 50 == 0:
                    report(progress, done, total)
        y = table.y + 4
        pdf.font(8.5)
        pdf.put(pdf.l_margin, y, summary)
        pdfbase.signer_block(pdf, y + 7, closing_above, closing_name, closing_below)
        data = fonts.output(pdf)
    report(progress, total, total)
    return write_bytes(out_path, data)


def _closing_height(pdf: Doc, y: float, above: list[str], name: str, below: list[str]) -> float:
    return pdfbase.signer_block(pdf, 0.0, above, name, below, draw=False) + 11


def _summary(rows: list[DocAttendance]) -> str:
    counts = {kind: 0 for kind in PersonKind}
    for r in rows:
        counts[r.person.kind] += 1
    staff = counts[PersonKind.PNS] + counts[PersonKind.PPPK] + counts[PersonKind.NON_ASN]
    text = (f"Jumlah hadir: {staff} orang (PNS {counts[PersonKind.PNS]}, PPPK {counts[PersonKind.PPPK]}, "
            f"Non-ASN {counts[PersonKind.NON_ASN]})")
    if counts[PersonKind.GUEST]:
        text += f"; tamu undangan {counts[PersonKind.GUEST]} orang"
    return text + "."
