"""Read SIMPEG/SIASN roster files (XLSX and CSV) into validated rows.

This module only parses: it opens nothing for writing and stores nothing.
What real exports and clerks' spreadsheets look like, and what is handled:

* The format is decided by content, not by extension: an XLSX is a zip
  (``PK\\x03\\x04``); a legacy ``.xls``, a PDF, an HTML page saved as ``.xls``
  or an ODS is refused with ``roster.format`` saying to save as .xlsx or .csv.
* CSV: UTF-8 with BOM, UTF-8, or Windows-1252 (also UTF-16 with BOM, which is
  what Excel's "Unicode Text" writes); ``;``, ``,`` or tab separated; quoted
  fields may hold separators and line breaks.  An Excel ``sep=;`` first line is
  honoured.
* Title rows ("DAFTAR NOMINATIF PEGAWAI", "PEMERINTAH KABUPATEN ...") and blank
  rows above the header are skipped: the header is the first row, among the
  first :data:`HEADER_SEARCH_ROWS` non-blank rows, holding a NIP column
  (see :data:`HEADER_SYNONYMS`).  Blank rows anywhere are skipped silently; a
  row counts as blank when every column we read is empty.  A row of column
  numbers right under the header ("1 2 3 4", "(1) (2) (3)") and repeated header
  rows are skipped too.
* Every other row either becomes a :class:`RosterRow` or one or more
  :class:`RowProblem` entries; whole-file problems raise :class:`KioskError`.
"""
from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import os
import re
import warnings
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kiosk.i18n import KioskError, register, t
from kiosk.people import nip as _nip

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HEADER_SYNONYMS",
    "ParsedRoster",
    "RosterRow",
    "RowProblem",
    "read_roster",
]

register({
    "roster.not_found": {
        "id": "Berkas roster tidak ditemukan: {path}. Periksa nama berkas dan foldernya.",
        "en": "Roster file not found: {path}. Check the file name and folder.",
    },
    "roster.unreadable": {
        "id": "Berkas {name} tidak dapat dibaca ({reason}). Jika sedang dibuka di Excel, tutup dulu; "
              "jika berkasnya rusak, ekspor ulang dari SIMPEG/SIASN.",
        "en": "File {name} cannot be read ({reason}). If it is open in Excel, close it first; "
              "if the file is damaged, export it again from SIMPEG/SIASN.",
    },
    "roster.format": {
        "id": "Berkas {name} bukan XLSX atau CSV (terbaca sebagai {kind}). Buka di Excel, pilih "
              "Simpan Sebagai \u2192 Buku Kerja Excel (.xlsx) atau CSV, tanpa kata sandi, lalu impor berkas itu.",
        "en": "File {name} is not XLSX or CSV (it reads as {kind}). Open it in Excel, choose "
              "Save As \u2192 Excel Workbook (.xlsx) or CSV, without a password, then import that file.",
    },
    "roster.empty_file": {
        "id": "Berkas {name} kosong. Pilih berkas roster yang benar atau ekspor ulang dari SIMPEG/SIASN.",
        "en": "File {name} is empty. Choose the right roster file or export it again from SIMPEG/SIASN.",
    },
    "roster.no_header": {
        "id": "Kolom NIP tidak ditemukan di {name}: tidak ada judul kolom NIP dalam {rows} baris terisi pertama. "
              "Beri judul kolom NIP salah satu dari: {accepted}. Kolom NIP Lama saja tidak cukup: "
              "roster harus memuat NIP baru 18 digit.",
        "en": "No NIP column found in {name}: none of the first {rows} non-empty rows holds a NIP header. "
              "Head the NIP column with one of: {accepted}. An old-NIP (NIP Lama) column alone is not enough: "
              "the roster needs the 18-digit NIP.",
    },
    "roster.no_name_column": {
        "id": "Baris judul kolom (baris {line}) di {name} tidak memuat kolom nama. Beri judul kolom nama "
              "salah satu dari: {accepted}.",
        "en": "The header row (line {line}) of {name} has no name column. Head the name column with one of: "
              "{accepted}.",
    },
    "roster.empty": {
        "id": "Berkas {name} hanya berisi judul kolom (baris {line}) tanpa data pegawai. "
              "Pilih berkas yang benar atau ekspor ulang dari SIMPEG/SIASN.",
        "en": "File {name} holds only the header row (line {line}) and no employees. "
              "Choose the right file or export it again from SIMPEG/SIASN.",
    },
    "roster.nip_number": {
        "id": "NIP tersimpan sebagai angka di Excel ({value}), sehingga digit terakhirnya sudah hilang "
              "(Excel hanya menyimpan 15 digit). Format kolom NIP sebagai Teks di sumbernya "
              "(ekspor SIMPEG/SIASN), lalu ekspor ulang. Jangan mengetik ulang dari angka ini.",
        "en": "The NIP is stored as a number in Excel ({value}), so its last digits are already lost "
              "(Excel keeps only 15 digits). Format the NIP column as Text at the source "
              "(the SIMPEG/SIASN export) and export again. Do not retype it from this number.",
    },
    "roster.nip_missing": {
        "id": "NIP kosong. Isi NIP 18 digit, atau hapus baris ini jika bukan data pegawai "
              "(misalnya catatan atau tanda tangan).",
        "en": "The NIP is empty. Fill in the 18-digit NIP, or delete this row if it is not an employee "
              "(e.g. a note or a signature block).",
    },
    "roster.name_missing": {
        "id": "Nama kosong untuk NIP {nip}. Isi kolom {column}, atau hapus baris ini.",
        "en": "The name is empty for NIP {nip}. Fill in the {column} column, or delete this row.",
    },
    "roster.duplicate_nip": {
        "id": "NIP {nip} tercantum lebih dari sekali (juga di baris {lines}). Satu NIP hanya boleh satu baris: "
              "hapus atau perbaiki baris yang salah. Baris-baris ini tidak diimpor.",
        "en": "NIP {nip} appears more than once (also on line(s) {lines}). A NIP may appear on one row only: "
              "delete or correct the wrong row. None of these rows is imported.",
    },
})

#: Accepted header names per field, in order of preference when a file has more
#: than one (e.g. both "NIP" and "NIP Baru": NIP Baru wins).  Headers are
#: compared case-insensitively with everything but letters and digits removed,
#: so "NIP Baru", "nipBaru" and "NIP_BARU" are the same.  "NIP Lama" is
#: deliberately absent: the old 9-digit NIP is not a badge.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "nip": ("NIP Baru", "NIP 18", "NIP"),
    "name": ("Nama", "Nama Lengkap", "Nama Pegawai", "Nama ASN"),
    "front_title": ("Gelar Depan",),
    "back_title": ("Gelar Belakang",),
    "position": ("Jabatan", "Nama Jabatan", "Jabatan Nama"),
    "unit": ("Unit Kerja", "Unor", "Unor Nama", "Nama Unor", "OPD", "Satuan Kerja", "Unit Organisasi"),
}

#: The header must be among this many non-blank rows at the top of a sheet.
HEADER_SEARCH_ROWS = 30

_FIELDS = tuple(HEADER_SYNONYMS)          # nip, name, front_title, back_title, position, unit
_CSV_DELIMITERS = (";", ",", "\t")        # in order of preference on a tie
_DETECT_CHARS = 1 << 20                   # delimiter detection looks at the first 1 MiB of text
_SNIFF_BYTES = 8192
_MAX_DUPLICATE_LINES_SHOWN = 10
# Numbers this large in a NIP cell cannot be trusted (Excel keeps 15 significant digits).
_EXCEL_PRECISION_LIMIT = 10 ** 15
_SEP_HINT = re.compile(r"sep=(.)[ \t]*(?:\r\n|\r|\n|$)")
_COLUMN_NUMBER = re.compile(r"\(?([0-9]{1,2})\)?")


def _header_key(text: object) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


# header key -> (field, preference rank)
_SYNONYM_KEYS: dict[str, tuple[str, int]] = {
    _header_key(label): (field, rank)
    for field, labels in HEADER_SYNONYMS.items()
    for rank, label in enumerate(labels)
}


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int            # 1-based line: CSV physical line where the record starts; XLSX Excel row number
    nip: str             # 18 digits, normalised
    name: str            # "{Gelar Depan} {Nama}, {Gelar Belakang}", empty parts dropped
    bare_name: str       # the Nama cell alone
    front_title: str     # "" when absent
    back_title: str
    position: str        # Jabatan ("" when absent)
    unit: str            # Unit Kerja ("" when absent)


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    code: str            # message code, e.g. "nip.length", "roster.duplicate_nip"
    message: str         # rendered in the language current at parse time


@dataclass(frozen=True, slots=True)
class ParsedRoster:
    path: str
    format: str          # "xlsx" or "csv"
    encoding: str | None  # CSV: "utf-8-sig", "utf-8", "cp1252" (or "utf-16"); None for xlsx
    delimiter: str | None
    header_line: int
    columns: dict[str, str]            # field -> header text as found
    rows: tuple[RosterRow, ...]        # valid rows only, in file order
    problems: tuple[RowProblem, ...]   # every problem, in line order (a row may have more than one)


def read_roster(path: str | os.PathLike) -> ParsedRoster:
    """Parse a roster file; raise KioskError for whole-file problems.

    Row problems do not raise: they are listed in ``ParsedRoster.problems`` and
    the row is left out of ``rows``.
    """
    path_str = os.fspath(path)
    name = os.path.basename(path_str) or path_str
    try:
        with open(path_str, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            if head.startswith(b"PK\x03\x04"):
                return _read_xlsx(path_str, name, fh)
            data = head + fh.read()
    except FileNotFoundError:
        raise KioskError("roster.not_found", path=path_str) from None
    except IsADirectoryError:
        raise KioskError("roster.unreadable", name=name, reason="folder") from None
    except OSError as exc:
        raise KioskError("roster.unreadable", name=name, reason=exc.strerror or type(exc).__name__) from None
    return _read_csv(path_str, name, data)


# --------------------------------------------------------------------------- sniffing


def _binary_kind(data: bytes) -> str | None:
    """Name what a non-text, non-xlsx file looks like, or None when it looks like text."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "XLS (Excel 97-2003)"
    if data.startswith(b"%PDF"):
        return "PDF"
    if data.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        return "ZIP"
    if data.startswith(b"{\\rtf"):
        return "RTF"
    lead = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lead.startswith(b"<"):
        if b"<html" in lead or b"<table" in lead or b"<!doctype html" in lead:
            return "HTML"
        return "XML"
    if b"\x00" in data[:_SNIFF_BYTES]:
        return "binary"
    return None


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return data[3:].decode("cp1252", errors="replace"), "cp1252"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; a real roster does not use them.
        return data.decode("cp1252", errors="replace"), "cp1252"


# --------------------------------------------------------------------------- headers


def _cell_text(value: object) -> str:
    """A cell as stripped text with whitespace (non-breaking spaces too) collapsed to single spaces."""
    if value is None:
        return ""
    if type(value) is str:
        return " ".join(value.split())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    return " ".join(str(value).split())


def _is_blank(cells) -> bool:
    for c in cells:
        if c is not None and (type(c) is not str or not c.isspace() and c):
            return False
    return True


def _map_header(cells) -> dict[str, tuple[int, str]] | None:
    """field -> (column index, header text) when ``cells`` is a header row (has a NIP column)."""
    best: dict[str, tuple[int, int, str]] = {}
    for idx, cell in enumerate(cells):
        if cell is None:
            continue
        hit = _SYNONYM_KEYS.get(_header_key(cell))
        if hit is None:
            continue
        field, rank = hit
        if field not in best or rank < best[field][0]:
            best[field] = (rank, idx, _cell_text(cell))
    if "nip" not in best:
        return None
    return {field: (idx, text) for field, (_, idx, text) in best.items()}


def _find_header(rows):
    """Consume ``(line, cells)`` pairs up to the header; return (line, cells, mapping) or None."""
    seen = 0
    for line, cells in rows:
        if _is_blank(cells):
            continue
        mapping = _map_header(cells)
        if mapping is not None:
            return line, cells, mapping
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            return None
    return None


def _accepted(field: str) -> str:
    return ", ".join(HEADER_SYNONYMS[field])


def _is_column_numbers(cells) -> bool:
    """A "1 2 3 4" or "(1) (2) (3)" row under the header, as printed nominatif tables have."""
    numbers = []
    for c in cells:
        text = _cell_text(c)
        if not text:
            continue
        m = _COLUMN_NUMBER.fullmatch(text)
        if m is None:
            return False
        numbers.append(int(m.group(1)))
    return len(numbers) >= 2 and all(a < b for a, b in zip(numbers, numbers[1:]))


def _is_repeated_header(nip_cell: object, name_cell: object) -> bool:
    nip_hit = _SYNONYM_KEYS.get(_header_key(nip_cell))
    name_hit = _SYNONYM_KEYS.get(_header_key(name_cell))
    return bool(nip_hit and nip_hit[0] == "nip" and name_hit and name_hit[0] == "name")


# --------------------------------------------------------------------------- rows


class _Collector:
    """Turns data rows into RosterRow / RowProblem, shared by both formats."""

    def __init__(self, mapping: dict[str, tuple[int, str]]) -> None:
        self.name_header = mapping["name"][1]
        self.today = _dt.date.today()
        self.rows: list[RosterRow] = []
        self.problems: list[RowProblem] = []
        self.first_line: dict[str, int] = {}          # nip -> first line holding it
        self.duplicates: dict[str, list[int]] = {}    # nip -> every line holding it (only when > 1)
        self.data_rows = 0
        self.first_data = True                         # the next non-blank row is the first under the header

    def offer(self, line: int, cells, nip_text: str, bare: str, front: str, back: str,
              position: str, unit: str) -> None:
        """A row as read: skip blank rows, a "1 2 3" column-number row and repeated headers; add the rest."""
        if not (nip_text or bare or front or back or position or unit):
            return
        if self.first_data:
            self.first_data = False
            if _is_column_numbers(cells):
                return
        if not (nip_text[:1].isdigit() or nip_text[:1] == "'") and _is_repeated_header(nip_text, bare):
            return
        self.add(line, nip_text, bare, front, back, position, unit)

    def problem(self, line: int, code: str, **params: object) -> None:
        self.problems.append(RowProblem(line, code, t(code, **params)))

    def add(self, line: int, nip_text: str, bare: str, front: str, back: str,
            position: str, unit: str) -> None:
        self.data_rows += 1
        digits = None
        if not nip_text:
            self.problem(line, "roster.nip_missing")
        else:
            try:
                digits = _nip.parse(nip_text, today=self.today).digits
            except KioskError as exc:
                self.problems.append(RowProblem(line, exc.code, exc.message()))
        if digits is not None:
            first = self.first_line.setdefault(digits, line)
            if first != line:
                lines = self.duplicates.get(digits)
                if lines is None:
                    self.duplicates[digits] = [first, line]
                else:
                    lines.append(line)
        if not bare:
            if digits is not None:
                self.problem(line, "roster.name_missing", nip=digits, column=self.name_header)
            else:
                self.problem(line, "roster.name_missing", nip=nip_text or "-", column=self.name_header)
            return
        if digits is None:
            return
        if front:
            name = f"{front} {bare}"
        else:
            name = bare
        if back:
            back_clean = back.lstrip(", ")
            if back_clean:
                name = f"{name}, {back_clean}"
        self.rows.append(RosterRow(line, digits, name, bare, front, back, position, unit))

    def finish(self) -> tuple[tuple[RosterRow, ...], tuple[RowProblem, ...]]:
        rows = self.rows
        if self.duplicates:
            for digits, lines in self.duplicates.items():
                for line in lines:
                    others = [x for x in lines if x != line]
                    self.problem(line, "roster.duplicate_nip", nip=digits, lines=_line_list(others))
            rows = [r for r in rows if r.nip not in self.duplicates]
        self.problems.sort(key=lambda p: p.line)  # stable: a row's own problems keep their order
        return tuple(rows), tuple(self.problems)


def _line_list(lines: list[int]) -> str:
    shown = ", ".join(str(x) for x in lines[:_MAX_DUPLICATE_LINES_SHOWN])
    if len(lines) > _MAX_DUPLICATE_LINES_SHOWN:
        shown += f", \u2026 (+{len(lines) - _MAX_DUPLICATE_LINES_SHOWN})"
    return shown


def _excel_number(value: int | float) -> str:
    """The number as Excel shows it in the formula bar: 15 significant digits."""
    try:
        return format(Decimal(f"{float(value):.15g}"), "f")
    except (InvalidOperation, OverflowError, ValueError):
        return str(value)


def _indices(mapping: dict[str, tuple[int, str]]) -> tuple[list[int], int]:
    idx = [mapping[f][0] if f in mapping else -1 for f in _FIELDS]
    return idx, max(idx) + 1


# --------------------------------------------------------------------------- CSV


def _csv_records(text: str, delimiter: str):
    """Yield (line where the record starts, cells)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    prev = 0
    for cells in reader:
        yield prev + 1, cells
        prev = reader.line_num


def _detect_delimiter(text: str, hinted: str | None):
    """Return (delimiter, header line, header cells, mapping) or None."""
    sample = text[:_DETECT_CHARS]
    best = None
    best_score = None
    for pref, delim in enumerate((hinted,) if hinted else _CSV_DELIMITERS):
        try:
            found = _find_header(_csv_records(sample, delim))
        except csv.Error:
            continue
        if found is None:
            continue
        line, cells, mapping = found
        score = (len(mapping), -line, len(cells), -pref)
        if best_score is None or score > best_score:
            best, best_score = (delim, line, cells, mapping), score
    return best


def _read_csv(path: str, name: str, data: bytes) -> ParsedRoster:
    if not data.strip(b" \t\r\n\x00"):
        raise KioskError("roster.empty_file", name=name)
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        kind = _binary_kind(data)
        if kind is not None:
            raise KioskError("roster.format", name=name, kind=kind)
    text, encoding = _decode(data)
    if not text.strip():
        raise KioskError("roster.empty_file", name=name)

    hint = _SEP_HINT.match(text)
    found = _detect_delimiter(text, hint.group(1) if hint else None)
    if found is None:
        raise KioskError("roster.no_header", name=name, rows=HEADER_SEARCH_ROWS, accepted=_accepted("nip"))
    delimiter, header_line, _, mapping = found
    if "name" not in mapping:
        raise KioskError("roster.no_name_column", name=name, line=header_line, accepted=_accepted("name"))

    (i_nip, i_name, i_front, i_back, i_pos, i_unit), need = _indices(mapping)
    col = _Collector(mapping)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    prev = 0
    try:
        for _ in reader:                       # up to and including the header record
            if prev + 1 == header_line:
                prev = reader.line_num
                break
            prev = reader.line_num
        for cells in reader:
            line = prev + 1                    # the physical line where this record starts
            prev = reader.line_num
            n = len(cells)
            if n < need:
                if n == 0 or (n == 1 and not cells[0].strip()):
                    continue
                cells.extend([""] * (need - n))
            nip_text = cells[i_nip].strip()
            bare = " ".join(cells[i_name].split())
            front = " ".join(cells[i_front].split()) if i_front >= 0 else ""
            back = " ".join(cells[i_back].split()) if i_back >= 0 else ""
            pos = " ".join(cells[i_pos].split()) if i_pos >= 0 else ""
            unit = " ".join(cells[i_unit].split()) if i_unit >= 0 else ""
            col.offer(line, cells, nip_text, bare, front, back, pos, unit)
    except csv.Error as exc:
        raise KioskError("roster.unreadable", name=name, reason=f"CSV: {exc}") from None

    if col.data_rows == 0:
        raise KioskError("roster.empty", name=name, line=header_line)
    rows, problems = col.finish()
    return ParsedRoster(
        path=path, format="csv", encoding=encoding, delimiter=delimiter, header_line=header_line,
        columns={f: text for f, (_, text) in mapping.items()}, rows=rows, problems=problems,
    )


# --------------------------------------------------------------------------- XLSX


def _xlsx_rows(ws, name: str):
    """Yield (Excel row number, values), turning library failures into roster.unreadable."""
    try:
        ws.reset_dimensions()  # some exporters write a wrong <dimension>; read every row there is
        yield from enumerate(ws.iter_rows(values_only=True), start=1)
    except KioskError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on damaged files
        raise KioskError("roster.unreadable", name=name, reason=f"XLSX: {exc}") from None


def _check_zip(fh, name: str) -> None:
    """Refuse zips that are not Excel workbooks (ODS, DOCX ...) with roster.format."""
    try:
        with zipfile.ZipFile(fh) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                if b"opendocument" in mime:
                    raise KioskError("roster.format", name=name, kind="ODS (OpenDocument)")
    except zipfile.BadZipFile as exc:
        raise KioskError("roster.unreadable", name=name, reason=f"ZIP: {exc}") from None
    if not any(n.startswith("xl/") for n in names):
        kind = "DOCX" if any(n.startswith("word/") for n in names) else "ZIP"
        raise KioskError("roster.format", name=name, kind=kind)


def _read_xlsx(path: str, name: str, fh) -> ParsedRoster:
    import openpyxl  # noqa: PLC0415 - only needed for XLSX; keeps CSV import and start-up light

    _check_zip(fh, name)
    fh.seek(0)
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it does not keep; a roster needs neither.
        # (catch_warnings is process-wide: another thread's openpyxl warnings are hidden meanwhile.)
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?$")
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - damaged workbooks raise KeyError, ValueError, ...
            raise KioskError("roster.unreadable", name=name, reason=f"XLSX: {exc}") from None
        try:
            return _read_workbook(path, name, wb)
        finally:
            wb.close()


def _read_workbook(path: str, name: str, wb) -> ParsedRoster:
    no_name: tuple[int, str] | None = None
    for ws in wb.worksheets:
        rows = _xlsx_rows(ws, name)
        found = _find_header(rows)
        if found is None:
            rows.close()
            continue
        header_line, _, mapping = found
        if "name" not in mapping:
            no_name = no_name or (header_line, ws.title)
            rows.close()
            continue
        return _collect_xlsx(path, name, rows, header_line, mapping)
    if no_name is not None:
        raise KioskError("roster.no_name_column", name=f"{name} [{no_name[1]}]", line=no_name[0],
                         accepted=_accepted("name"))
    raise KioskError("roster.no_header", name=name, rows=HEADER_SEARCH_ROWS, accepted=_accepted("nip"))


def _collect_xlsx(path: str, name: str, rows, header_line: int,
                  mapping: dict[str, tuple[int, str]]) -> ParsedRoster:
    (i_nip, i_name, i_front, i_back, i_pos, i_unit), need = _indices(mapping)
    col = _Collector(mapping)
    cell_text = _cell_text
    for line, cells in rows:
        if len(cells) < need:
            if not cells:
                continue
            cells = list(cells) + [None] * (need - len(cells))
        raw_nip = cells[i_nip]
        bare = cell_text(cells[i_name])
        front = cell_text(cells[i_front]) if i_front >= 0 else ""
        back = cell_text(cells[i_back]) if i_back >= 0 else ""
        pos = cell_text(cells[i_pos]) if i_pos >= 0 else ""
        unit = cell_text(cells[i_unit]) if i_unit >= 0 else ""
        if type(raw_nip) is str:
            nip_text = raw_nip.strip()
        elif raw_nip is None:
            nip_text = ""
        elif isinstance(raw_nip, (int, float)) and not isinstance(raw_nip, bool):
            if abs(raw_nip) >= _EXCEL_PRECISION_LIMIT:
                col.first_data = False
                col.data_rows += 1
                col.problem(line, "roster.nip_number", value=_excel_number(raw_nip))
                if not bare:
                    col.problem(line, "roster.name_missing", nip=_excel_number(raw_nip), column=col.name_header)
                continue
            nip_text = cell_text(raw_nip)  # a short number: nip.parse names the wrong length
        else:
            nip_text = cell_text(raw_nip)
        col.offer(line, cells, nip_text, bare, front, back, pos, unit)

    if col.data_rows == 0:
        raise KioskError("roster.empty", name=name, line=header_line)
    out_rows, problems = col.finish()
    return ParsedRoster(
        path=path, format="xlsx", encoding=None, delimiter=None, header_line=header_line,
        columns={f: text for f, (_, text) in mapping.items()}, rows=out_rows, problems=problems,
    )
