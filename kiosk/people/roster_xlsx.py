"""XLSX rosters through python-calamine (a Rust reader: 100,000 rows in well under a second).

How calamine hands cells over, and what is done with it:

* empty cells are ``""``; every number is a ``float`` (an integer too:
  ``12.0``), so NIP and NIK cells holding a number are refused (Excel has
  already rounded them to 15 digits) and other numbers read as ``"12"``;
* date cells are ``datetime.date`` or ``datetime.datetime`` (midnight for a
  typed ISO date), times ``datetime.time``: read as ISO text;
* formula cells give the value Excel last saved, or ``""`` when the file has
  none (a sheet written by a program that never computed it); error cells
  (``#N/A``) are ``""`` too;
* merged cells: only the top-left cell holds the value.  A cell merged down a
  column ("Unit Kerja" spanning its people) is read for every row it covers;
* ``iter_rows`` starts at sheet row 1 but at the first used column
  (dimastbk/python-calamine#177), so lines are Excel row numbers as they are.

calamine builds a sheet as one dense block (used rows x used columns), so a
single stray value in column XFD of a long sheet would take gigabytes: such a
sheet is refused before it is loaded (:func:`_check_extent`).
"""
from __future__ import annotations

import dataclasses
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import IO, Any

import python_calamine

from kiosk.i18n import KioskError, register, t
from kiosk.people.roster_block import BLOCK_ROWS, BlockCollector
from kiosk.people.roster_header import (
    ASN_FIELDS,
    FIELDS,
    Mapping,
    accepted,
    find_header,
    header_at,
    is_blank,
    resolve_header,
    shown,
)
from kiosk.people.roster_types import HEADER_SEARCH_ROWS, ParsedRoster, Reading, RosterPeek, RowProblem

register({
    "roster.no_sheets": {
        "id": "Buku kerja {name} tidak memuat lembar kerja berisi data. Buka di Excel, periksa bahwa daftar "
              "pegawainya ada, simpan ulang sebagai .xlsx, lalu impor lagi.",
        "en": "Workbook {name} holds no worksheet with data. Open it in Excel, check that the staff list is "
              "there, save it again as .xlsx, then import again.",
    },
    "roster.sheet_too_big": {
        "id": "Lembar \u201c{sheet}\u201d di {name} memakai sel jauh di luar daftar (misalnya {cell}), sehingga "
              "terlalu besar untuk dibaca. Hapus kolom dan baris kosong di kanan dan di bawah daftar "
              "(atau salin daftar saja ke buku kerja baru), simpan, lalu impor lagi.",
        "en": "Sheet \u201c{sheet}\u201d in {name} uses cells far outside the list (e.g. {cell}), which makes it "
              "too big to read. Delete the empty columns and rows right of and below the list (or copy just "
              "the list to a new workbook), save, then import again.",
    },
    "roster.other_sheet": {
        "id": "Lembar \u201c{other}\u201d juga memuat daftar (judul kolom di baris {line}) tetapi tidak diimpor: "
              "hanya lembar \u201c{sheet}\u201d yang dibaca. Simpan lembar itu sebagai berkas sendiri dan impor "
              "juga, atau salin barisnya ke lembar \u201c{sheet}\u201d.",
        "en": "Sheet \u201c{other}\u201d holds a list too (header on line {line}) but was not imported: only sheet "
              "\u201c{sheet}\u201d was read. Save that sheet as a file of its own and import it too, or copy its "
              "rows into sheet \u201c{sheet}\u201d.",
    },
})

#: Refuse a sheet whose dense block (used rows x used columns) would exceed this many cells (~32 bytes each).
MAX_SHEET_CELLS = 20_000_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'(?:\w+:)?row\s[^>]*?\br="([0-9]+)"')
_MAX_COLUMN = 16384                                   # XFD
# What reading a damaged member raises; calamine then refuses the workbook with its own reason.
_ZIP_ERRORS = (KeyError, OSError, EOFError, zlib.error, zipfile.BadZipFile, NotImplementedError, ValueError)


def _attr(attrs: bytes, pattern: bytes) -> str | None:
    m = re.search(pattern + rb'="([^"]*)"', attrs)
    return m.group(1).decode("utf-8", "replace") if m else None


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _columns_beyond(n: int) -> str:
    """A regex for column letters naming a column after column ``n`` (1-based)."""
    letters = _column_letters(n)
    alts = [f"[A-Z]{{{len(letters) + 1},3}}"] if len(letters) < 3 else []
    for i, ch in enumerate(letters):
        if ch < "Z":
            alts.append(letters[:i] + f"[{chr(ord(ch) + 1)}-Z]" + "[A-Z]" * (len(letters) - i - 1))
    return "|".join(alts)


# --------------------------------------------------------------------------- the zip


def _open_zip(fh: IO[bytes], name: str) -> tuple[zipfile.ZipFile, list[str | None]]:
    """The workbook's zip and its sheet parts in workbook order; refuse zips that are not workbooks."""
    try:
        zf = zipfile.ZipFile(fh)
        names = set(zf.namelist())
        if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
            raise KioskError("roster.format", name=name, kind="ODS (OpenDocument)")
    except zipfile.BadZipFile as exc:
        raise KioskError("roster.unreadable", name=name, reason=f"ZIP: {exc}") from None
    except (OSError, EOFError, zlib.error, zipfile.LargeZipFile, NotImplementedError, ValueError) as exc:
        raise KioskError("roster.unreadable", name=name, reason=f"ZIP: {exc}") from None
    if not any(n.startswith("xl/") for n in names):
        kind = "DOCX" if any(n.startswith("word/") for n in names) else "ZIP"
        raise KioskError("roster.format", name=name, kind=kind)
    return zf, _sheet_parts(zf)


def _sheet_parts(zf: zipfile.ZipFile) -> list[str | None]:
    """The part of each sheet, in workbook order (None where it cannot be told; [] when nothing can)."""
    try:
        workbook = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except _ZIP_ERRORS:
        return []
    targets = {}
    for attrs in _RELATIONSHIP.findall(rels):
        rid, target = _attr(attrs, rb"\bId"), _attr(attrs, rb"\bTarget")
        if rid and target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[rid] = path
    return [targets.get(_attr(attrs, rb"\b(?:\w+:)?id") or "") for attrs in _SHEET.findall(workbook)]


def _check_extent(zf: zipfile.ZipFile, part: str | None, name: str, sheet: str) -> None:
    """Refuse a sheet calamine would load as a block of more than MAX_SHEET_CELLS cells.

    A ``<dimension>`` spanning a range (Excel, LibreOffice, most exporters) is
    trusted when it is small enough: it covers every used cell.  Without one, or
    with a bare "A1" (some exporters), or with a huge one (formatted but empty
    cells count there and not in calamine), the sheet XML is searched for a cell
    holding a value beyond the column that would make the block too big.
    """
    if part is None:
        return
    try:
        info = zf.getinfo(part)
        with zf.open(info) as f:
            head = f.read(4096)
        m = _DIMENSION.search(head)
        if m and m.group(3):
            rows = int(m.group(4)) - int(m.group(2)) + 1
            cols = _column_number(m.group(3).decode()) - _column_number(m.group(1).decode()) + 1
            if rows * cols <= MAX_SHEET_CELLS:
                return
        data = zf.read(info)
    except _ZIP_ERRORS:
        return                                         # calamine will say what is wrong
    rows = _last_row(data)
    cutoff = max(256, MAX_SHEET_CELLS // rows)
    if cutoff >= _MAX_COLUMN:
        return
    pattern = rb' r="(' + _columns_beyond(cutoff).encode() + rb')([0-9]+)"(?:[^>/]|/(?!>))*>'
    far = re.search(pattern, data)
    if far is not None:
        cell = (far.group(1) + far.group(2)).decode()
        raise KioskError("roster.sheet_too_big", name=name, sheet=sheet, cell=cell)


def _last_row(data: bytes) -> int:
    """The number of the sheet's last row (rows come in order), or a count of rows without numbers."""
    at = data.rfind(b"<row ")
    if at < 0:
        at = data.rfind(b":row ")                      # a namespace prefix: <x:row r="5">
    m = _ROW_NUMBER.match(data, at + 1) if at >= 0 else None
    if m is not None:
        return int(m.group(1))
    return max(data.count(b"<row"), data.count(b":row "), 1)


# --------------------------------------------------------------------------- sheets


def _unreadable(name: str, exc: BaseException) -> KioskError:
    return KioskError("roster.unreadable", name=name, reason=f"XLSX: {exc}")


def _load(wb: python_calamine.CalamineWorkbook, zf: zipfile.ZipFile, parts: list[str | None], index: int,
          sheet: str, name: str) -> python_calamine.CalamineSheet:
    _check_extent(zf, parts[index] if index < len(parts) else None, name, sheet)
    try:
        return wb.get_sheet_by_index(index)
    except Exception as exc:  # noqa: BLE001 - calamine raises CalamineError, XmlError, ZipError, ValueError ...
        raise _unreadable(name, exc) from None
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise _unreadable(name, exc) from None


def _sheet_rows(sheet: python_calamine.CalamineSheet, name: str) -> Iterator[tuple[int, list[Any]]]:
    """Yield (Excel row number, values)."""
    start = sheet.start
    if start is None:
        return
    try:
        rows = iter(sheet.iter_rows())
        first = next(rows, None)
        if first is None:
            return
        # python-calamine 0.9 starts at row 1 whatever is used; should a later version start at the first
        # used row instead (#177), that row is not blank, so the numbering follows it.
        first_row = start[0] if start[0] > 0 and not is_blank(first) else 0
        yield first_row + 1, first
        yield from enumerate(rows, start=first_row + 2)
    except KioskError:
        raise
    except Exception as exc:  # noqa: BLE001 - conversion errors surface while iterating
        raise _unreadable(name, exc) from None


class _MergedDown:
    """Cells merged down a column: the top-left value counts for every row the merge covers."""

    def __init__(self, sheet: python_calamine.CalamineSheet, skip: set[int]) -> None:
        first_col = sheet.start[1] if sheet.start else 0
        self.starts: dict[int, list[tuple[int, int]]] = {}     # top row (0-based) -> [(column, last row)]
        for (r0, c0), (r1, _c1) in sheet.merged_cell_ranges or ():
            col = c0 - first_col
            if r1 > r0 and col >= 0 and col not in skip:
                self.starts.setdefault(r0, []).append((col, r1))
        self.carry: dict[int, tuple[object, int]] = {}         # column -> (value, last row)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def apply(self, line: int, cells: list[Any]) -> None:
        row = line - 1
        if self.carry:
            for col, (value, last) in list(self.carry.items()):
                if row > last:
                    del self.carry[col]
                elif col < len(cells) and cells[col] == "":
                    cells[col] = value
        for col, last in self.starts.get(row, ()):
            if col < len(cells):
                self.carry[col] = (cells[col], last)


def read_xlsx(path: str, name: str, fh: IO[bytes], reading: Reading) -> ParsedRoster:
    zf, parts = _open_zip(fh, name)
    try:
        try:
            wb = python_calamine.CalamineWorkbook.from_path(path)
        except Exception as exc:  # noqa: BLE001 - damaged workbooks raise CalamineError, XmlError, ZipError ...
            raise _unreadable(name, exc) from None
        try:
            if reading.header_line is not None or reading.columns is not None:
                return _read_chosen(path, name, wb, zf, parts, reading)
            return _read_workbook(path, name, wb, zf, parts, reading)
        finally:
            wb.close()
    finally:
        zf.close()


def _worksheets(wb: python_calamine.CalamineWorkbook, name: str) -> list[tuple[int, str]]:
    sheets = [(i, m.name) for i, m in enumerate(wb.sheets_metadata)
              if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    if not sheets:
        raise KioskError("roster.no_sheets", name=name)
    return sheets


def _list_sheet(wb: python_calamine.CalamineWorkbook, zf: zipfile.ZipFile, parts: list[str | None], name: str,
                fields: tuple[str, ...], key_field: str) -> tuple[python_calamine.CalamineSheet, int | None]:
    """The sheet a roster is read from when its header is chosen by hand: the first with a header it can
    find (and that header's line), else the first that is not empty."""
    first = None
    for index, title in _worksheets(wb, name):
        sheet = _load(wb, zf, parts, index, title, name)
        found = find_header(_sheet_rows(sheet, name), fields, key_field)
        if found is not None:
            return sheet, found[0]
        if first is None and any(not is_blank(cells) for _, cells in _sheet_rows(sheet, name)):
            first = sheet
    if first is None:
        raise KioskError("roster.no_sheets", name=name)
    return first, None


def _read_chosen(path: str, name: str, wb: python_calamine.CalamineWorkbook, zf: zipfile.ZipFile,
                 parts: list[str | None], reading: Reading) -> ParsedRoster:
    key_field, fields = ("name", FIELDS) if reading.non_asn else ("nip", ASN_FIELDS)
    sheet, detected = _list_sheet(wb, zf, parts, name, fields, key_field)
    line = reading.header_line if reading.header_line is not None else detected
    if line is None:
        raise KioskError("roster.no_name_header" if reading.non_asn else "roster.no_header", name=name,
                         rows=HEADER_SEARCH_ROWS, accepted=accepted(key_field))
    rows = _sheet_rows(sheet, name)
    cells = header_at(rows, line)
    if cells is None:
        raise KioskError("roster.no_such_line", line=line, name=name)
    first_column = sheet.start[1] if sheet.start else 0
    mapping = resolve_header(cells, reading.columns, fields, key_field, line, name, first_column)
    return _collect(path, name, sheet, rows, line, cells, mapping, reading, chosen=True)


def peek_xlsx(path: str, name: str, fh: IO[bytes], *, non_asn: bool, limit: int) -> RosterPeek:
    """The first ``limit`` non-blank rows of the sheet a roster would be read from, as text."""
    zf, parts = _open_zip(fh, name)
    try:
        try:
            wb = python_calamine.CalamineWorkbook.from_path(path)
        except Exception as exc:  # noqa: BLE001 - as in read_xlsx
            raise _unreadable(name, exc) from None
        try:
            key_field, fields = ("name", FIELDS) if non_asn else ("nip", ASN_FIELDS)
            sheet, detected = _list_sheet(wb, zf, parts, name, fields, key_field)
            lines = []
            for line, cells in _sheet_rows(sheet, name):
                if not is_blank(cells):
                    lines.append((line, tuple(shown(c) for c in cells)))
                    if len(lines) >= limit:
                        break
            return RosterPeek(path, "xlsx", None, None, sheet.name, tuple(lines), detected,
                              sheet.start[1] if sheet.start else 0)
        finally:
            wb.close()
    finally:
        zf.close()


def _read_workbook(path: str, name: str, wb: python_calamine.CalamineWorkbook, zf: zipfile.ZipFile,
                   parts: list[str | None], reading: Reading) -> ParsedRoster:
    non_asn = reading.non_asn
    key_field, fields = ("name", FIELDS) if non_asn else ("nip", ASN_FIELDS)
    sheets = _worksheets(wb, name)
    no_name: tuple[int, str] | None = None
    for pos, (index, title) in enumerate(sheets):
        sheet = _load(wb, zf, parts, index, title, name)
        rows = _sheet_rows(sheet, name)
        found = find_header(rows, fields, key_field)
        if found is None:
            continue
        header_line, header_cells, mapping = found
        if "name" not in mapping:
            no_name = no_name or (header_line, title)
            continue
        parsed = _collect(path, name, sheet, rows, header_line, header_cells, mapping, reading)
        others = _other_lists(wb, zf, parts, sheets[pos + 1:], title, name, fields, key_field)
        if others:
            warnings = tuple(sorted(parsed.warnings + others, key=lambda w: w.line))
            parsed = dataclasses.replace(parsed, warnings=warnings)
        return parsed
    if no_name is not None:
        raise KioskError("roster.no_name_column", name=f"{name} [{no_name[1]}]", line=no_name[0],
                         accepted=accepted("name"))
    if non_asn:
        raise KioskError("roster.no_name_header", name=name, rows=HEADER_SEARCH_ROWS, accepted=accepted("name"))
    raise KioskError("roster.no_header", name=name, rows=HEADER_SEARCH_ROWS, accepted=accepted("nip"))


def _other_lists(wb: python_calamine.CalamineWorkbook, zf: zipfile.ZipFile, parts: list[str | None],
                 sheets: Sequence[tuple[int, str]], read: str, name: str, fields: tuple[str, ...],
                 key_field: str) -> tuple[RowProblem, ...]:
    """A warning (on line 0: the whole file) for each later sheet holding a list too (a PNS and a PPPK sheet)."""
    found = []
    for index, title in sheets:
        try:
            header = find_header(_sheet_rows(_load(wb, zf, parts, index, title, name), name), fields, key_field)
        except KioskError:
            continue                                   # a damaged or oversized extra sheet: not our list
        if header is not None and "name" in header[2]:
            code = "roster.other_sheet"
            found.append(RowProblem(0, code, t(code, other=title, line=header[0], sheet=read)))
    return tuple(found)


def _merge(merged: _MergedDown, col: BlockCollector, block: list[tuple[int, list[Any]]]) -> None:
    """Fill the cells merged down a column, then offer the rows.  The columns (and so the padding) may
    change on the first data row (a second header row): until it is read, one row at a time."""
    rest = []
    for line, cells in block:
        if not cells:
            continue
        if len(cells) < col.need:
            cells.extend([""] * (col.need - len(cells)))
        merged.apply(line, cells)
        if col.first_data:
            col.offer_block([(line, cells)])
        else:
            rest.append((line, cells))
    if rest:
        col.offer_block(rest)


def _collect(path: str, name: str, sheet: python_calamine.CalamineSheet, rows: Iterator[tuple[int, list[Any]]],
             header_line: int, header_cells: Sequence[object], mapping: Mapping, reading: Reading, *,
             chosen: bool = False) -> ParsedRoster:
    non_asn = reading.non_asn
    col = BlockCollector(mapping, non_asn=non_asn, fixed=reading.columns is not None)
    merged = _MergedDown(sheet, {mapping[f][0] for f in ("nip", "nik", "name") if f in mapping})
    if merged:
        merged.apply(header_line, list(header_cells))
    progress = reading.progress
    total = (sheet.start[0] if sheet.start else 0) + sheet.height
    step = next_report = 4096
    for block in iter(lambda: list(islice(rows, BLOCK_ROWS)), []):
        if progress is not None and block[0][0] >= next_report:
            progress(block[0][0], total)
            next_report = block[0][0] + step
        if merged:
            _merge(merged, col, block)
        else:
            col.offer_block(block)
    if col.data_rows == 0:
        raise KioskError("roster.empty", name=name, line=header_line)
    out_rows, problems, warnings = col.finish()
    if progress is not None:
        progress(total, total)
    return ParsedRoster(
        path=path, format="xlsx", encoding=None, delimiter=None, header_line=header_line,
        columns=col.columns, rows=out_rows, problems=problems, warnings=warnings, non_asn=non_asn,
        sheet=sheet.name, header_cells=tuple(shown(c) for c in header_cells), positions=col.positions,
        first_column=sheet.start[1] if sheet.start else 0, chosen=chosen,
    )
