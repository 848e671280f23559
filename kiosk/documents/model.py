"""What the documents are made of: the whole input of every badge, list, pact and report.

:mod:`kiosk.documents.source` fills these from a kiosk database or an export file; the
documents never read the store themselves, so each one can be built, tested and looked at
from plain values.  Everything here is a frozen dataclass; who someone is and why they were
absent are the core's own enums (:mod:`kiosk.people.kinds`).
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.i18n import KioskError, register, t
from kiosk.people.badge_code import format_code
from kiosk.people.kinds import AbsenceReason, PersonKind

register({
    "documents.nik_unmasked": {
        "id": "NIK {name} tertulis lengkap. NIK tidak boleh dicetak utuh: samarkan dulu "
              "(misalnya 340412******0001).",
        "en": "The NIK of {name} is given in full. A NIK may never be printed whole: mask it first "
              "(e.g. 340412******0001).",
    },
    "documents.naive_time": {
        "id": "Waktu kehadiran {name} tidak memuat zona waktu. Isi waktu lengkap dengan zonanya.",
        "en": "The check-in time of {name} has no time zone. Give the time with its zone.",
    },
})


def kind_label(kind: PersonKind) -> str:
    """PNS, PPPK, Non-ASN, Tamu: what the forms print, in Indonesian whatever ``--lang`` says."""
    return t(f"kind.{PersonKind(kind).value}", "id")


def reason_label(reason: AbsenceReason) -> str:
    """Sakit, Izin, Cuti, Dinas Luar, Tugas Belajar, Tanpa Keterangan (always Indonesian, as the forms are)."""
    return t(f"absence.{AbsenceReason(reason).value}", "id")


#: How a check-in reached the kiosk, as a clerk reads it (values of ``kiosk.attendance.checkin.Method``).
METHOD_LABELS = {"wedge": "Pemindai", "camera": "Kamera", "manual": "Manual"}

_SIXTEEN_DIGITS = re.compile(r"\d{16}")


@dataclass(frozen=True, slots=True)
class DocEvent:
    title: str                    # "Apel Ikrar Netralitas ASN"
    date: str                     # ISO, "2024-11-04"
    venue: str = ""               # "Ruang Pola Setda"
    agency: str = ""              # instansi: "Pemerintah Kabupaten Sleman"
    agency_unit: str = ""         # "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
    address: str = ""             # one line under the kop
    logo: str | Path | None = None  # PNG or JPEG
    leader: str = ""              # who led the pledge: "Bupati Sleman"
    head_title: str = ""          # "Kepala BKPSDM Kabupaten Sleman"
    head_name: str = ""
    head_nip: str = ""
    city: str = ""                # "Sleman" in "Sleman, 4 November 2024"


@dataclass(frozen=True, slots=True)
class DocPerson:
    kind: PersonKind
    name: str                     # with titles: "Dr. Budi Santoso, S.H., M.Si."
    nip: str | None = None        # 18 digits (PNS, PPPK)
    code: str | None = None       # badge code (non-ASN staff, guests)
    nik_masked: str | None = None  # never a whole NIK
    rank: str = ""                # Pangkat/Gol: "Penata Muda / III/a"
    position: str = ""            # Jabatan
    unit: str = ""                # Unit Kerja
    institution: str = ""         # guests: KPU, Bawaslu, DPRD ...
    employment: str = ""          # non-ASN staff: honorer, PPNPN, tenaga kontrak ...

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PersonKind(self.kind))
        if self.nik_masked and _SIXTEEN_DIGITS.search(re.sub(r"[\s.\-]", "", self.nik_masked)):
            raise KioskError("documents.nik_unmasked", name=self.name)

    @property
    def key(self) -> str:
        """What identifies the person on a badge and in a file name: the NIP, else the code."""
        return self.nip or self.code or ""

    @property
    def code_text(self) -> str:
        """The badge code as it is printed for people to read and type (``K7QM-4XP``), or ""."""
        if not self.code:
            return ""
        try:
            return format_code(self.code)
        except KioskError:
            return self.code           # not one of ours (an imported code): printed as it is

    @property
    def badge_payload(self) -> str:
        """Exactly what the badge's QR holds: the plain NIP for ASN, the code for everyone else."""
        if self.kind.has_nip and self.nip:
            return self.nip
        return self.code or ""


@dataclass(frozen=True, slots=True)
class DocAttendance:
    person: DocPerson
    checked_in_at: _dt.datetime   # aware, in the kiosk's offset at the time
    method: str = "wedge"
    signature_png: bytes | None = None
    pledge_text: str | None = None   # the exact text this person signed
    pledge_sha256: str | None = None
    signed: bool = False          # the check-in carries a signature, even when its PNG is not loaded

    @property
    def has_signature(self) -> bool:
        return self.signed or self.signature_png is not None

    def __post_init__(self) -> None:
        if self.checked_in_at.tzinfo is None or self.checked_in_at.utcoffset() is None:
            raise KioskError("documents.naive_time", name=self.person.name)


@dataclass(frozen=True, slots=True)
class DocAbsence:
    person: DocPerson
    reason: AbsenceReason = AbsenceReason.TANPA_KETERANGAN
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", AbsenceReason(self.reason))


def first_per_person(rows: Iterable[DocAttendance]) -> list[DocAttendance]:
    """Check-ins with the later ones of the same person left out (two kiosks, one person: keep the first)."""
    rows = list(rows)
    seen: dict[str, DocAttendance] = {}
    anonymous: list[DocAttendance] = []
    for row in rows:
        key = row.person.key
        if not key:
            anonymous.append(row)
        elif key not in seen or row.checked_in_at < seen[key].checked_in_at:
            seen[key] = row
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted([*seen.values(), *anonymous], key=lambda r: order[id(r)])


def zone_label(moment: _dt.datetime) -> str:
    """WIB / WITA / WIT for Indonesia's offsets, else ``UTC+hh:mm``."""
    offset = moment.utcoffset() or _dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    named = {420: "WIB", 480: "WITA", 540: "WIT"}
    if minutes in named:
        return named[minutes]
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local_time_text(moment: _dt.datetime, *, with_date: bool = True) -> str:
    """``2024-11-04 07:31:05 WIB``: the time as the kiosk's clock showed it, with its zone."""
    fmt = "%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S"
    return f"{moment.strftime(fmt)} {zone_label(moment)}"
