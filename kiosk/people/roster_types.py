"""What reading a roster gives (rows, problems, the result) and the header names it looks for.

Shared by :mod:`kiosk.people.roster` and its readers; importing nothing of theirs.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from kiosk.people.kinds import PersonKind

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


class RosterRow(NamedTuple):
    """One valid roster row: immutable, compared by value, like the frozen dataclasses elsewhere.

    A named tuple rather than a dataclass because an import builds 100,000 of them: the block reader
    (:mod:`kiosk.people.roster_block`) makes them column-wise with ``tuple.__new__`` over zipped columns
    (0.4 us a row; a frozen dataclass's ``__init__`` sets each field by ``object.__setattr__``: 3.4 us).
    """

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
    nik: str = ""
    employment: str = ""  # non-ASN lists only: Status / Jenis Pegawai as written ("Honorer", "PPNPN" ...)

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={v!r}" for f, v in zip(self._fields, self) if f != "nik")
        return f"RosterRow({shown})"

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
    #: The header row's cells as clean text, every column (what a mapping can choose from).
    header_cells: tuple[str, ...] = ()
    #: HEADER_SYNONYMS field -> 0-based index in ``header_cells`` of the column read for it.
    positions: dict[str, int] = field(default_factory=dict)
    #: XLSX: the sheet's first used column (0 = A); ``header_cells[i]`` is column ``first_column + i``.
    first_column: int = 0
    #: True when ``header_line`` or ``columns`` were given rather than detected.
    chosen: bool = False


#: ``progress(done, total)``: rows (CSV: lines) read so far of the file's rows.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Reading:
    """How to read a roster: detected (the defaults), or with the header row and columns chosen by hand."""
    non_asn: bool = False
    #: The header row's line (as ParsedRoster.header_line), instead of searching for it.
    header_line: int | None = None
    #: field -> 0-based column index in the header row, instead of matching header names.
    columns: Mapping[str, int] | None = None
    progress: Progress | None = None


@dataclass(frozen=True, slots=True)
class RosterPeek:
    """The top of a roster file as it is, for choosing the header row by hand."""
    path: str
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    lines: tuple[tuple[int, tuple[str, ...]], ...]   # (line, cells as text), blank rows left out
    header_line: int | None                          # the detected header row, if any
    first_column: int = 0
