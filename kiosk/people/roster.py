"""Read SIMPEG/SIASN roster files (XLSX and CSV) into validated rows.

This package part only parses: it opens nothing for writing and stores nothing.
The work is split by concern:

* ``roster.py`` (this module): the public types, the header names, and
  :func:`read_roster`, which decides the format by content and hands over;
* ``roster_rows.py``: header mapping, cell cleaning and the row collector
  shared by both formats (validation, duplicates, problems and warnings);
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

import gc
import os
from dataclasses import dataclass, field

from kiosk.i18n import KioskError, register
from kiosk.people.kinds import PersonKind

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HEADER_SYNONYMS",
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "EmployeeKind",
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
})

#: Accepted header names per field, in order of preference when a file has more
#: than one (e.g. both "NIP" and "NIP Baru": NIP Baru wins).  Headers are
#: compared case-insensitively with everything but letters and digits removed,
#: so "NIP Baru", "nipBaru" and "NIP_BARU" are the same.  "NIP Lama" is
#: deliberately absent: the old 9-digit NIP is not a badge.  Neither are the
#: SIASN id columns ("GOL AKHIR ID") nor the first rank ("GOL AWAL NAMA").
#:
#: ``rank`` is a column holding both ("Pangkat/Gol"); ``pangkat`` and
#: ``golongan`` are separate columns, joined as "Penata Muda, III/a".
#: ``nik`` and ``employment`` are read on non-ASN lists only.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "nip": ("NIP Baru", "NIP 18", "NIP"),
    "name": ("Nama", "Nama Lengkap", "Nama Pegawai", "Nama ASN"),
    "front_title": ("Gelar Depan",),
    "back_title": ("Gelar Belakang",),
    "position": ("Jabatan", "Nama Jabatan", "Jabatan Nama", "Tugas", "Jabatan/Tugas"),
    "unit": ("Unit Kerja", "Unor", "Unor Nama", "Nama Unor", "OPD", "Satuan Kerja", "Unit Organisasi",
             "Penempatan", "Unit Penempatan", "Tempat Tugas"),
    "rank": ("Pangkat/Gol", "Pangkat/Golongan", "Pangkat/Gol Ruang", "Pangkat/Golongan Ruang",
             "Pangkat Golongan", "Gol/Pangkat", "Golongan/Pangkat"),
    "pangkat": ("Pangkat", "Pangkat Akhir", "pangkatAkhir", "pangkatAkhirNama", "Nama Pangkat",
                "Pangkat Terakhir"),
    "golongan": ("Golongan", "Gol. Ruang", "Gol/Ruang", "Golongan Ruang", "Golongan/Ruang", "Gol",
                 "Gol Akhir Nama", "Gol Akhir", "Golongan Akhir", "Golongan Akhir Nama", "golRuangAkhir",
                 "golRuangAkhirNama", "Golongan Terakhir"),
    "nik": ("NIK", "No. KTP", "Nomor KTP", "NIK KTP", "Nomor Induk Kependudukan", "No. NIK", "Nomor NIK"),
    "employment": ("Status", "Jenis Pegawai", "Status Pegawai", "Status Kepegawaian", "Jenis Tenaga",
                   "Status Tenaga"),
}

#: The header must be among this many non-blank rows at the top of a sheet.
HEADER_SEARCH_ROWS = 30
#: A name (the Nama cell) longer than this is refused: it is a note or merged cells, not a name.
MAX_NAME_LENGTH = 200
#: Any other text cell we read longer than this is refused.
MAX_TEXT_LENGTH = 500


#: Who a roster row is: PNS or PPPK by the NIP, non-ASN without one (the store's PersonKind).
EmployeeKind = PersonKind


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int            # 1-based line: CSV physical line where the record starts; XLSX Excel row number
    nip: str             # 18 digits, normalised; "" on a non-ASN list
    name: str            # "{Gelar Depan} {Nama}, {Gelar Belakang}", empty parts dropped
    bare_name: str       # the Nama cell alone
    front_title: str     # "" when absent
    back_title: str
    position: str        # Jabatan / Tugas ("" when absent)
    unit: str            # Unit Kerja / Penempatan ("" when absent)
    rank: str = ""       # "Penata Muda, III/a", "Penata Muda", "III/a", "IX" ("" when absent)
    #: Non-ASN lists only: 16 digits, or "" when the list has no NIK for this person.
    #: Sensitive: never show or print it whole (mask it); kept out of repr().
    nik: str = field(default="", repr=False)
    employment: str = ""  # non-ASN lists only: Status / Jenis Pegawai as written ("Honorer", "PPNPN" ...)

    @property
    def kind(self) -> EmployeeKind:
        """PNS or PPPK from the NIP (digit 13 is the PPPK mark ``2``, as ``nip.parse``); non-ASN without one."""
        if not self.nip:
            return EmployeeKind.NON_ASN
        return EmployeeKind.PPPK if self.nip[12] == "2" else EmployeeKind.PNS


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A problem (the row is not imported) or a warning (it is), on one line."""

    line: int
    code: str            # message code, e.g. "nip.length", "roster.duplicate_nip"
    message: str         # rendered in the language current at parse time


@dataclass(frozen=True, slots=True)
class ParsedRoster:
    path: str
    format: str          # "xlsx" or "csv"
    encoding: str | None  # CSV: "utf-8-sig", "utf-8", "cp1252", "utf-16" (BOM), "utf-16-le"/"-be"; None for xlsx
    delimiter: str | None
    header_line: int
    columns: dict[str, str]            # HEADER_SYNONYMS field -> header text as found
    rows: tuple[RosterRow, ...]        # valid rows only, in file order
    problems: tuple[RowProblem, ...]   # every problem, in line order (a row may have more than one)
    #: Things fixed or noticed on the way that do not block the import (invisible characters
    #: removed, another sheet left unread ...), in line order; line 0 is about the whole file.
    warnings: tuple[RowProblem, ...] = ()
    non_asn: bool = False              # read as a non-ASN list (read_roster(..., non_asn=True))
    sheet: str | None = None           # XLSX: the name of the sheet read


_SNIFF_BYTES = 8192


def read_roster(path: str | os.PathLike[str], *, non_asn: bool = False) -> ParsedRoster:
    """Parse a roster file; raise KioskError for whole-file problems.

    Row problems do not raise: they are listed in ``ParsedRoster.problems`` and
    the row is left out of ``rows``.  ``non_asn=True`` reads a list of non-ASN
    staff: no NIP column needed, a NIK column optional, a name column required.
    """
    # Cycle collection is paused while the rows pile up: a full collection walks every object of the
    # process (a whole Qt app), and 100,000 new rows trigger several (bench_roster's XLSX: 2.2 s with,
    # 1.4 s without).  Rows hold no cycles; any made meanwhile are collected once it resumes.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(path, non_asn)
    finally:
        if collecting:
            gc.enable()


def _read(path: str | os.PathLike[str], non_asn: bool) -> ParsedRoster:
    # The readers import this module for the types above, so they are imported here, when needed.
    path_str = os.fspath(path)
    name = os.path.basename(path_str) or path_str
    try:
        with open(path_str, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            if head.startswith(b"PK\x03\x04"):
                from kiosk.people import roster_xlsx
                return roster_xlsx.read_xlsx(path_str, name, fh, non_asn=non_asn)
            data = head + fh.read()
    except FileNotFoundError:
        raise KioskError("roster.not_found", path=path_str) from None
    except IsADirectoryError:
        raise KioskError("roster.unreadable", name=name, reason="folder") from None
    except OSError as exc:
        raise KioskError("roster.unreadable", name=name, reason=exc.strerror or type(exc).__name__) from None
    from kiosk.people import roster_csv
    return roster_csv.read_csv(path_str, name, data, non_asn=non_asn)
