"""Read SIMPEG/SIASN roster files (XLSX and CSV) into validated rows.

This package part only parses: it opens nothing for writing and stores nothing.
The work is split by concern:

* ``roster.py`` (this module): :func:`read_roster`, which decides the format by content and
  hands over, and the public names;
* ``roster_types.py``: the rows, problems and result a reading gives, and the header names;
* ``roster_rows.py``: header mapping, cell cleaning and the row collector
  shared by both formats (validation, duplicates, problems and warnings);
* ``roster_block.py``: the readers hand rows over in blocks; the plainly clean ones are
  decided a column at a time, every other row goes to the row collector, in its place;
* ``roster_csv.py``: decoding and delimiter detection for CSV;
* ``roster_xlsx.py``: XLSX through python-calamine.

What real exports and clerks' spreadsheets look like, and what is handled:

* The format is decided by content, not by extension: an XLSX is a zip
  (``PK\\x03\\x04``); a legacy ``.xls``, a PDF, an HTML page saved as ``.xls``
  or an ODS is refused with ``roster.format`` saying to save as .xlsx or .csv.
* CSV: UTF-8 with BOM, UTF-8, or Windows-1252 (also UTF-16 with or without BOM,
  which is what Excel's "Unicode Text" writes); ``;``, ``,`` or tab separated;
  quoted fields may hold separators and line breaks.  An Excel ``sep=;`` first
  line is honoured.
* Title rows ("DAFTAR NOMINATIF PEGAWAI", "PEMERINTAH KABUPATEN ...") and blank
  rows above the header are skipped: the header is the first row, among the
  first :data:`HEADER_SEARCH_ROWS` non-blank rows, holding a NIP column (a name
  column on a non-ASN list; see :data:`HEADER_SYNONYMS`).  Blank rows anywhere
  are skipped silently; a row counts as blank when every column we read is
  empty.  A second header row right under the header (merged "Pangkat" over
  "Gol." and "TMT"), a row of column numbers ("1 2 3 4", "(1) (2) (3)") and
  repeated header rows are skipped too.
* XLSX: the first worksheet with a header is read; numbers in the NIP (or NIK)
  column are refused because Excel has already rounded them; cells merged down
  a column (a "Unit Kerja" spanning its people) count for every row they cover;
  formula cells give the value Excel last computed (none: the cell is empty).
* Every text cell is cleaned: whitespace collapsed, and invisible control and
  format characters (bidirectional overrides, zero-width spaces ...) removed,
  with a warning per line.  Text that looks like HTML stays literal text.
* Every other row either becomes a :class:`RosterRow` or one or more
  :class:`RowProblem` entries; whole-file problems raise :class:`KioskError`.

What is detected can be corrected by hand (the desk's import preview): ``header_line`` names the
header row, ``columns`` says which column holds which field (0-based indexes into
:attr:`ParsedRoster.header_cells`, checked: known fields, existing columns, one field per column,
the NIP and the name present); :func:`peek_roster` shows the top of the file as it is, to choose
the header row from.  ``progress(done, total)`` is told how far the reading is on large files.

Two kinds of list: ASN rosters (PNS and PPPK, identified by the 18-digit NIP;
:attr:`RosterRow.kind` tells them apart) and, with ``non_asn=True``, lists of
non-ASN staff (honorer, PPNPN, tenaga kontrak), identified by NIK (16 digits)
or only by name and unit:

* a non-ASN row has ``nip == ""`` and ``nik`` (16 digits, or ``""``); the same
  NIK twice is an error like the same NIP twice, and so are two rows with the
  same name and unit and no NIK (nobody could tell them apart at the desk);
* the NIK is sensitive: no message ever holds it whole (the masked form);
* the "Status" / "Jenis Pegawai" column (Honorer, PPNPN, Tenaga Kontrak,
  Tenaga Harian Lepas ...) is kept, as written, in its own field
  ``employment``, not glued to ``position``: the Jabatan prints as the office
  wrote it, and the documents can count or show the status where they need it;
* a row holding a valid NIP is refused: ASN staff come from the ASN roster.
  An ASN roster reads neither NIK nor status columns.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

from kiosk.bulk import collection_paused
from kiosk.i18n import KioskError, register
from kiosk.people.roster_header import ASN_FIELDS, FIELDS, column_letter, field_label
from kiosk.people.roster_types import (
    HEADER_SEARCH_ROWS,
    HEADER_SYNONYMS,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    EmployeeKind,
    ParsedRoster,
    Progress,
    Reading,
    RosterPeek,
    RosterRow,
    RowProblem,
)

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HEADER_SYNONYMS",
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "PEEK_ROWS",
    "EmployeeKind",
    "ParsedRoster",
    "RosterPeek",
    "RosterRow",
    "RowProblem",
    "column_letter",
    "field_label",
    "list_fields",
    "peek_roster",
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
})

_SNIFF_BYTES = 8192
#: How many non-blank rows :func:`peek_roster` shows by default.
PEEK_ROWS = 40


def list_fields(non_asn: bool = False) -> tuple[str, ...]:
    """The fields a column can be read for on this kind of list (HEADER_SYNONYMS order)."""
    return FIELDS if non_asn else ASN_FIELDS


def read_roster(path: str | os.PathLike[str], *, non_asn: bool = False, header_line: int | None = None,
                columns: Mapping[str, int] | None = None, progress: Progress | None = None) -> ParsedRoster:
    """Parse a roster file; raise KioskError for whole-file problems.

    Row problems do not raise: they are listed in ``ParsedRoster.problems`` and
    the row is left out of ``rows``.  ``non_asn=True`` reads a list of non-ASN
    staff: no NIP column needed, a NIK column optional, a name column required.
    ``header_line`` and ``columns`` replace what is detected (see the module's
    docstring); ``progress(done, total)`` is called every few thousand rows.
    """
    found = _guarded(path, Reading(non_asn, header_line, dict(columns) if columns is not None else None, progress))
    assert isinstance(found, ParsedRoster)
    return found


def peek_roster(path: str | os.PathLike[str], *, non_asn: bool = False, limit: int = PEEK_ROWS) -> RosterPeek:
    """The first ``limit`` non-blank rows of the file (the sheet a roster is read from) as text, with the
    header row detection found, if any: what the header row is chosen from by hand."""
    found = _guarded(path, Reading(non_asn), max(1, limit))
    assert isinstance(found, RosterPeek)
    return found


def _guarded(path: str | os.PathLike[str], reading: Reading, peek: int = 0) -> ParsedRoster | RosterPeek:
    with collection_paused():           # bench_roster's XLSX: 2.2 s collecting, 1.4 s paused
        return _read(path, reading, peek)


def _read(path: str | os.PathLike[str], reading: Reading, peek: int) -> ParsedRoster | RosterPeek:
    # Each reader is imported when a file of its format comes (calamine only for an XLSX).
    path_str = os.fspath(path)
    name = os.path.basename(path_str) or path_str
    try:
        with open(path_str, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            if head.startswith(b"PK\x03\x04"):
                from kiosk.people import roster_xlsx
                if peek:
                    return roster_xlsx.peek_xlsx(path_str, name, fh, non_asn=reading.non_asn, limit=peek)
                return roster_xlsx.read_xlsx(path_str, name, fh, reading)
            data = head + fh.read()
    except FileNotFoundError:
        raise KioskError("roster.not_found", path=path_str) from None
    except IsADirectoryError:
        raise KioskError("roster.unreadable", name=name, reason="folder") from None
    except OSError as exc:
        raise KioskError("roster.unreadable", name=name, reason=exc.strerror or type(exc).__name__) from None
    from kiosk.people import roster_csv
    if peek:
        return roster_csv.peek_csv(path_str, name, data, non_asn=reading.non_asn, limit=peek)
    return roster_csv.read_csv(path_str, name, data, reading)
