"""The *laporan*: the written report of the apel to BKPSDM.

Kop; the event, date, place and who led the pledge; a recap table per unit (participants
PNS / PPPK / non-ASN, present, absent by reason S · I · C · DL · TB · TK, share present) with
its totals row; the guests who witnessed it; the absentees with their reasons and notes;
photos of the ceremony (two across the page); and the signer's block.  The counting is
:func:`kiosk.documents.recap.recap`; this module only lays it out.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk import dates
from kiosk.documents import fonts, pdfbase
from kiosk.documents.model import (
    DocAbsence,
    DocAttendance,
    DocEvent,
    DocPerson,
    PersonKind,
    first_per_person,
    reason_label,
)
from kiosk.documents.output import nothing_to_export, write_bytes
from kiosk.documents.pdfbase import Doc, line_height
from kiosk.documents.recap import REASONS, Recap, UnitRecap, percent, recap, unit_name
from kiosk.documents.text import clean
from kiosk.people.nip import format_spaced

SIZE = 8.0
PAD = 1.2


class _Flow:
    """A cursor down the pages, with tables whose header repeats after a page break."""

    def __init__(self, pdf: Doc) -> None:
        self.pdf = pdf
        self.y = 0.0

    def ensure(self, height: float) -> bool:
        if self.y + height > self.pdf.bottom:
            self.pdf.add_page()
            self.y = self.pdf.t_margin
            return True
        return False

    def heading(self, text: str) -> None:
        self.ensure(20)
        self.y += 3
        self.pdf.font(10, bold=True)
        self.pdf.put(self.pdf.l_margin, self.y, text)
        self.y += line_height(10, 1.6)

    def paragraph(self, text: str, size: float = 10) -> None:
        pdf = self.pdf
        pdf.font(size)
        lh = line_height(size, 1.4)
        for s in pdf.fit(text, pdf.epw):
            self.ensure(lh)
            pdf.put(pdf.l_margin, self.y, s)
            self.y += lh

    def table(self, widths: list[float], head: list[list[tuple[str | None, int]]], rows: list[list[str]],
              aligns: str, *, bold_last: bool = False, max_lines: int = 3, size: float = SIZE,
              one_line: tuple[int, ...] = ()) -> None:
        """``head``: header rows of ``(text, columns spanned)``; ``aligns``: L/C/R per column;
        columns in ``one_line`` never wrap (a NIP): they are narrowed to fit instead."""
        pdf = self.pdf
        lh = line_height(size, 1.18)
        head_h = 5.6

        def draw_head() -> None:
            pdf.set_fill_color(*pdfbase.FILL)
            pdf.set_line_width(0.2)
            for r, cells in enumerate(head):
                x = pdf.l_margin
                col = 0
                for text, span in cells:
                    w = sum(widths[col:col + span])
                    tall = span == 1 and len(head) > 1 and r == 0 and not _below(head, col)
                    h = head_h * (len(head) if tall else 1)
                    if text is not None:
                        pdf.rect(x, self.y, w, h, style="DF")
                        size = 7.2
                        pdf.font(size, bold=True)
                        while size > 5.6 and pdf.measure(text) > w - 1:
                            size -= 0.2
                            pdf.font(size, bold=True)
                        pdf.put(x, self.y + (h - size * pdfbase.PT) / 2 - 0.3, pdf.fit(text, w - 1, 1)[0],
                                align="C", width=w)
                    x += w
                    col += span
                self.y += head_h

        self.ensure(head_h * len(head) + 8)
        draw_head()
        for i, row in enumerate(rows):
            bold = bold_last and i == len(rows) - 1
            pdf.font(size, bold=bold)
            cells = [[text] if k in one_line else pdf.fit(text, w - 2 * PAD, max_lines)
                     for k, (text, w) in enumerate(zip(row, widths))]
            h = max(len(c) for c in cells) * lh + 2 * PAD
            if self.ensure(h):
                draw_head()
            x = pdf.l_margin
            pdf.font(size, bold=bold)
            for k, (lines, w, align) in enumerate(zip(cells, widths, aligns)):
                pdf.rect(x, self.y, w, h)
                if k in one_line:
                    natural = pdf.measure(lines[0])
                    if natural > w - 2 * PAD:
                        pdf.set_stretching(max(70.0, 100.0 * (w - 2 * PAD) / natural))
                pdf.put_lines(x + PAD, self.y + PAD, lines, lh=lh, align=align, width=w - 2 * PAD)
                pdf.set_stretching(100)
                x += w
            self.y += h


def _below(head: list[list[tuple[str | None, int]]], col: int) -> bool:
    """Whether the second header row has its own cell under column ``col``."""
    c = 0
    for text, span in head[1]:
        if c <= col < c + span:
            return text is not None
        c += span
    return False


def _person(item: DocPerson | DocAttendance) -> DocPerson:
    return item.person if isinstance(item, DocAttendance) else item


def _recap_rows(r: Recap) -> list[list[str]]:
    def cells(number: str, u: UnitRecap) -> list[str]:
        return [number, u.unit, str(u.pns), str(u.pppk), str(u.non_asn), str(u.participants), str(u.present),
                *[str(n) for n in u.absent], percent(u.share_present)]
    rows = [cells(f"{i}.", u) for i, u in enumerate(r.units, start=1)]
    rows.append(cells("", r.total))
    return rows


def report_pdf(event: DocEvent, attendance: Iterable[DocAttendance], absences: Iterable[DocAbsence],
               guests: Iterable[DocPerson | DocAttendance], out_path: str | os.PathLike[str], *,
               photos: Sequence[str | os.PathLike[str]] = ()) -> Path:
    """Write the report; ``guests`` are ``DocPerson``s or their ``DocAttendance``s (the
    witnesses); ``photos`` are JPEG/PNG paths."""
    present = list(attendance)
    counts = recap(present, absences)
    if not counts.units:
        raise nothing_to_export("participants")
    witnesses = [_person(g) for g in guests] or [r.person for r in present if r.person.kind is PersonKind.GUEST]
    pictures = [pdfbase.load_picture(p, max_side=1600) for p in photos]
    logo = pdfbase.load_logo(event.logo)
    pdf = Doc(title=f"Laporan {event.title}", author=event.agency,
              footer_left=f"Laporan — {clean(event.title)} — {dates.long_date(event.date, 'id')}")
    with fonts.closing(pdf):
        pdf.add_page()
        flow = _Flow(pdf)
        flow.y = pdfbase.kop(pdf, event, logo)
        flow.y = pdfbase.title(pdf, flow.y + 1, "LAPORAN PELAKSANAAN", clean(event.title).upper())
        total = counts.total
        pacts = sum(1 for r in first_per_person(present) if r.person.kind.signs_pakta)

        flow.heading("I. Pelaksanaan")
        flow.y = pdfbase.fields(pdf, flow.y, [
            ("Acara", clean(event.title)),
            ("Hari/Tanggal", dates.day_and_date(event.date, "id")),
            ("Tempat", clean(event.venue)),
            ("Pemimpin ikrar", clean(event.leader)),
            ("Kehadiran", f"{total.present} dari {total.participants} pegawai ({percent(total.share_present)})"),
            ("Saksi", f"{len(witnesses)} orang tamu undangan" if witnesses else "-"),
            ("Lampiran", f"1. Daftar hadir; 2. Salinan pakta integritas ({pacts} lembar)"),
        ], label_w=32, size=9.5, x=pdf.l_margin + 5, width=pdf.epw - 5)

        flow.heading("II. Rekapitulasi Kehadiran per Unit Kerja")
        letters: list[tuple[str | None, int]] = [(reason.letter, 1) for reason in REASONS]
        widths = [7.0, 55.0, 9.5, 10.0, 13.5, 9.5, 10.5] + [7.5] * len(REASONS) + [15.0]
        head: list[list[tuple[str | None, int]]] = [
                [("No", 1), ("Unit Kerja", 1), ("Peserta", 4), ("Hadir", 1), ("Tidak Hadir", len(REASONS)),
                 ("% Hadir", 1)],
                [(None, 1), (None, 1), ("PNS", 1), ("PPPK", 1), ("Non-ASN", 1), ("Jml", 1), (None, 1), *letters,
                 (None, 1)]]
        flow.table(widths, head, _recap_rows(counts), "CLRRRRR" + "R" * len(REASONS) + "R", bold_last=True)
        pdf.font(6.8)
        pdf.set_text_color(*pdfbase.GREY)
        flow.y += 1.5
        flow.ensure(4)
        legend = ", ".join(f"{r.letter} = {reason_label(r)}" for r in REASONS)
        pdf.put(pdf.l_margin, flow.y, f"Keterangan: {legend}.")
        pdf.set_text_color(*pdfbase.INK)
        flow.y += 4

        flow.heading("III. Saksi (Tamu Undangan)")
        if witnesses:
            flow.table([8.0, 62.0, 40.0, 65.0], [[("No", 1), ("Nama", 1), ("Jabatan", 1), ("Instansi", 1)]],
                       [[f"{i}.", clean(p.name), clean(p.position) or "-", clean(p.institution) or "-"]
                        for i, p in enumerate(witnesses, start=1)], "CLLL")
        else:
            flow.paragraph("Tidak ada tamu undangan yang tercatat.", 9.5)

        flow.heading("IV. Daftar Pegawai yang Tidak Hadir")
        if counts.absentees:
            flow.table([8.0, 42.0, 35.0, 38.0, 22.0, 30.0],
                       [[("No", 1), ("Nama", 1), ("NIP", 1), ("Unit Kerja", 1), ("Keterangan", 1), ("Catatan", 1)]],
                       [_absent_row(i, a) for i, a in enumerate(counts.absentees, start=1)], "CLLLLL", size=7.5,
                       one_line=(2,))
        else:
            flow.paragraph("Seluruh pegawai hadir.", 9.5)

        if pictures:
            flow.heading("V. Dokumentasi")
            gap = 5.0
            w = (pdf.epw - gap) / 2
            h_max = 62.0
            for i in range(0, len(pictures), 2):
                pair = pictures[i:i + 2]
                h = min(h_max, max(w * p.size[1] / p.size[0] for p in pair))
                flow.ensure(h + 4)
                for k, picture in enumerate(pair):
                    pdf.image_box(picture.image, pdf.l_margin + k * (w + gap), flow.y, w, h, picture.size)
                flow.y += h + 4

        flow.y += 2
        flow.paragraph("Demikian laporan ini kami sampaikan untuk dipergunakan sebagaimana mestinya.", 10)
        above = pdfbase.signer_lines(event, heading=None, dated=True)
        name = clean(event.head_name) or "(..............................)"
        below = [pdfbase.nip_line(event.head_nip)]
        flow.ensure(pdfbase.signer_block(pdf, 0, above, name, below, draw=False) + 6)
        pdfbase.signer_block(pdf, flow.y + 6, above, name, below)
        data = fonts.output(pdf)
    return write_bytes(out_path, data)


def _absent_row(i: int, a: DocAbsence) -> list[str]:
    p = a.person
    if p.kind.has_nip and p.nip:
        ident = format_spaced(clean(p.nip))
    else:
        ident = clean(p.nik_masked or p.code_text) or "-"
    return [f"{i}.", clean(p.name), ident, unit_name(p.unit), reason_label(a.reason), clean(a.note) or "-"]
