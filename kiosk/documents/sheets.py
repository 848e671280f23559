"""Spreadsheets of the attendance: XLSX (three sheets) and CSV (three sections).

Both start with the event's header block, then list those present (No, Nama, NIP, Kode,
Pangkat/Gol, Jabatan, Unit, Jenis, Waktu, Metode, Ditandatangani), those absent with their
reason, and the recap per unit (:mod:`kiosk.documents.recap`).

Nothing a clerk opens may run: names like ``=HYPERLINK(...)`` exist in real rosters.
* XLSX: every text cell is written as a string (openpyxl would store a string starting with
  ``=`` as a formula); NIPs are text cells formatted as Text, so Excel keeps all 18 digits.
* CSV: UTF-8 with a BOM (Excel then reads the encoding right), ``;`` between fields by default
  (what Excel expects on an Indonesian Windows); a field that would start with ``=``, ``+``,
  ``-``, ``@``, a tab or a CR gets a leading ``'`` (OWASP's advice), and NIPs are written spaced
  (``19680411 199303 1 009``) so Excel does not turn them into ``1,96804E+17``.  The three
  tables follow each other, each under a title line and separated by an empty line.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet as Worksheet

from kiosk import dates
from kiosk.documents.model import (
    METHOD_LABELS,
    DocAbsence,
    DocAttendance,
    DocEvent,
    DocPerson,
    PersonKind,
    first_per_person,
    kind_label,
    local_time_text,
    reason_label,
)
from kiosk.documents.output import Progress, atomic_file, nothing_to_export, report, write_bytes
from kiosk.documents.recap import REASONS, Recap, percent, recap, unit_name
from kiosk.documents.text import clean
from kiosk.i18n import KioskError
from kiosk.people.nip import format_spaced

PRESENT_HEAD = ("No", "Nama", "NIP", "Kode", "Pangkat/Gol", "Jabatan", "Unit", "Jenis", "Waktu", "Metode",
                "Ditandatangani")
ABSENT_HEAD = ("No", "Nama", "NIP", "Kode", "Pangkat/Gol", "Jabatan", "Unit", "Jenis", "Keterangan", "Catatan")
RECAP_HEAD = ("No", "Unit Kerja", "PNS", "PPPK", "Non-ASN", "Jumlah", "Hadir",
              *(r.letter for r in REASONS), "% Hadir")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _header_block(event: DocEvent, title: str) -> list[list[str]]:
    return [[f"{title} — {clean(event.title)}"],
            ["Instansi", clean(event.agency)],
            ["Unit", clean(event.agency_unit)],
            ["Acara", clean(event.title)],
            ["Hari/Tanggal", dates.day_and_date(event.date, "id")],
            ["Tempat", clean(event.venue)],
            []]


def _unit_or_institution(p: DocPerson) -> str:
    return clean(p.institution if p.kind is PersonKind.GUEST else p.unit)


def _code(p: DocPerson) -> str:
    return clean(p.code_text or p.nik_masked or "")


def _present_rows(rows: list[DocAttendance]) -> list[list[object]]:
    out: list[list[object]] = []
    for i, r in enumerate(rows, start=1):
        p = r.person
        out.append([i, clean(p.name), clean(p.nip or ""), _code(p), clean(p.rank), clean(p.position),
                    _unit_or_institution(p), kind_label(p.kind), local_time_text(r.checked_in_at),
                    METHOD_LABELS.get(str(r.method), clean(r.method)), "Ya" if r.has_signature else "Tidak"])
    return out


def _absent_rows(counts: Recap) -> list[list[object]]:
    out: list[list[object]] = []
    for i, a in enumerate(counts.absentees, start=1):
        p = a.person
        out.append([i, clean(p.name), clean(p.nip or ""), _code(p), clean(p.rank), clean(p.position),
                    unit_name(p.unit), kind_label(p.kind), reason_label(a.reason), clean(a.note)])
    return out


def _recap_rows(counts: Recap) -> list[list[object]]:
    out: list[list[object]] = []
    for i, u in enumerate([*counts.units, counts.total], start=1):
        out.append(["" if u is counts.total else i, u.unit, u.pns, u.pppk, u.non_asn, u.participants, u.present,
                    *u.absent, u.share_present])
    return out


def _prepare(attendance: Iterable[DocAttendance],
             absences: Iterable[DocAbsence]) -> tuple[list[DocAttendance], Recap]:
    rows = first_per_person(attendance)
    away = list(absences)
    if not rows and not away:
        raise nothing_to_export("attendance")
    return rows, recap(rows, away)


# --- XLSX ---------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEAD_FILL = PatternFill("solid", fgColor="E4E4E4")


def _text(ws: Worksheet, value: object, *, font: Font | None = None, nip: bool = False) -> WriteOnlyCell:
    """A cell that is always a string, never a formula."""
    cell = WriteOnlyCell(ws, value=str(value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    if nip:
        cell.number_format = "@"
    return cell


def _cells(ws: Worksheet, row: list[object], *, nip_column: int | None = None, percent_column: int | None = None,
           font: Font | None = None) -> list[WriteOnlyCell]:
    out = []
    for k, value in enumerate(row):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cell = WriteOnlyCell(ws, value=value)
            if k == percent_column:
                cell.number_format = "0.0%"
            if font is not None:
                cell.font = font
        else:
            cell = _text(ws, value, font=font, nip=k == nip_column)
        out.append(cell)
    return out


def _sheet(wb: Workbook, name: str, event: DocEvent, title: str, head: tuple[str, ...], rows: list[list[object]],
           widths: tuple[float, ...], *, nip_column: int | None = None, percent_column: int | None = None,
           bold_last: bool = False, progress: Progress | None = None, done: int = 0, total: int = 0) -> int:
    ws = wb.create_sheet(name)
    for k, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + k)].width = w
    block = _header_block(event, title)
    ws.freeze_panes = f"A{len(block) + 2}"
    for i, line in enumerate(block):
        ws.append([_text(ws, v, font=_TITLE if i == 0 else (_BOLD if k == 0 else None)) for k, v in enumerate(line)])
    heads = []
    for h in head:
        cell = _text(ws, h, font=_BOLD)
        cell.fill = _HEAD_FILL
        heads.append(cell)
    ws.append(heads)
    for i, row in enumerate(rows):
        last = bold_last and i == len(rows) - 1
        ws.append(_cells(ws, row, nip_column=nip_column, percent_column=percent_column,
                         font=_BOLD if last else None))
        done += 1
        if done % 500 == 0:
            report(progress, done, total)
    return done


def attendance_xlsx(event: DocEvent, attendance: Iterable[DocAttendance], out_path: str | os.PathLike[str], *,
                    absences: Iterable[DocAbsence] = (),
                    progress: Progress | None = None) -> Path:
    """Sheets *Hadir*, *Tidak Hadir* and *Rekap*."""
    rows, counts = _prepare(attendance, absences)
    present, absent, recaps = _present_rows(rows), _absent_rows(counts), _recap_rows(counts)
    total = len(present) + len(absent) + len(recaps)
    wb = Workbook(write_only=True)
    try:
        done = _sheet(wb, "Hadir", event, "Daftar Hadir", PRESENT_HEAD, present,
                      (6, 34, 21, 14, 24, 28, 30, 9, 24, 10, 14), nip_column=2, progress=progress, total=total)
        done = _sheet(wb, "Tidak Hadir", event, "Daftar Tidak Hadir", ABSENT_HEAD, absent,
                      (6, 34, 21, 14, 24, 28, 30, 9, 18, 34), nip_column=2, progress=progress, done=done,
                      total=total)
        _sheet(wb, "Rekap", event, "Rekapitulasi per Unit Kerja", RECAP_HEAD, recaps,
               (6, 36, 7, 7, 9, 9, 8, 5, 5, 5, 5, 5, 5, 9), percent_column=len(RECAP_HEAD) - 1, bold_last=True,
               progress=progress, done=done, total=total)
        # Built whole in memory, then written at once: a disk that fills up fails that one write, cleanly.
        data = io.BytesIO()
        wb.save(data)
    except OSError as exc:                  # openpyxl spools each sheet to the temporary folder, which may be full
        _discard(wb)
        raise KioskError("documents.write_failed", path=str(out_path), reason=exc.strerror or exc) from None
    write_bytes(out_path, data.getvalue())
    report(progress, total, total)
    return Path(out_path)


def _discard(wb: Workbook) -> None:
    """Close a failed build's spooled sheets now, quietly, and remove their temporary files: left to the
    garbage collector, openpyxl's half-open writers print tracebacks to the console as they are collected."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        for stream in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()
        spool = getattr(writer, "out", None)
        if isinstance(spool, str):
            with contextlib.suppress(OSError):
                os.remove(spool)


# --- CSV ----------------------------------------------------------------------------------

def csv_field(value: object) -> str:
    """The text of a field, neutralised so a spreadsheet shows it and never evaluates it."""
    s = str(value)
    if s.startswith(_DANGEROUS):
        return "'" + s
    return s


def attendance_csv(event: DocEvent, attendance: Iterable[DocAttendance], out_path: str | os.PathLike[str], *,
                   absences: Iterable[DocAbsence] = (), sep: str = ";", progress: Progress | None = None) -> Path:
    """One CSV with the sections *HADIR*, *TIDAK HADIR* and *REKAP PER UNIT KERJA*."""
    rows, counts = _prepare(attendance, absences)
    present, absent = _present_rows(rows), _absent_rows(counts)
    for line in (*present, *absent):
        if line[2]:
            line[2] = format_spaced(str(line[2]))
    recaps: list[list[object]] = [[*r[:-1], percent(float(r[-1]))]   # type: ignore[arg-type]
                                  for r in _recap_rows(counts)]
    total = len(present) + len(absent)
    with atomic_file(out_path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=sep, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

        def put(line: Sequence[object]) -> None:
            writer.writerow([csv_field(v) for v in line])

        for header in _header_block(event, "Daftar Hadir"):
            put(header)
        for title, head, body in (("HADIR", PRESENT_HEAD, present), ("TIDAK HADIR", ABSENT_HEAD, absent),
                                  ("REKAP PER UNIT KERJA", RECAP_HEAD, recaps)):
            put([title])
            put(head)
            for k, line in enumerate(body, start=1):
                put(line)
                if k % 1000 == 0:
                    report(progress, k, total)
            put([])
    report(progress, total, total)
    return Path(out_path)
