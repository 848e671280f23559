"""Rows that cross from the store to the check-in desk, the CLI and the screens (frozen, plain)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from kiosk.people.kinds import AbsenceReason, PersonKind


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    uuid: str
    title: str
    date: str
    venue: str
    pledge_id: int
    active: bool
    settings: tuple[tuple[str, str], ...] = ()     # (key, value) pairs, see kiosk.store.events.SETTINGS

    def setting(self, key: str, default: str = "") -> str:
        return dict(self.settings).get(key, default)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on a roster.  ``nip`` is the key a badge carries: the 18-digit NIP of a PNS or PPPK,
    the badge code of non-ASN staff and guests (``kind`` says which)."""
    nip: str
    name: str
    position: str
    unit: str
    kind: PersonKind = PersonKind.PNS
    rank: str = ""                       # Pangkat/Golongan
    institution: str = ""                # a guest's KPU, Bawaslu, DPRD …
    employment: str = ""                 # a non-ASN's honorer, PPNPN, tenaga kontrak …
    nik_masked: str = ""                 # 7318********0003, never the whole NIK

    @property
    def real_nip(self) -> str | None:
        return self.nip if self.kind.has_nip else None

    @property
    def code(self) -> str | None:
        return None if self.kind.has_nip else self.nip

    def to_json(self) -> dict:
        return {"nip": self.real_nip, "code": self.code, "kind": str(self.kind), "name": self.name,
                "rank": self.rank, "position": self.position, "unit": self.unit, "institution": self.institution,
                "employment": self.employment, "nik": self.nik_masked or None}


@dataclass(frozen=True, slots=True)
class Checkin:
    uuid: str
    event_id: int
    nip: str
    device_id: str
    method: str
    checked_in_at: _dt.datetime      # aware, in the offset the kiosk had at the time
    pledge_sha256: str
    signature_sha256: str | None
    row_hash: str


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    nip: str
    name: str
    unit: str
    checked_in_at: _dt.datetime
    method: str
    signed: bool
    person: Person | None = None


@dataclass(frozen=True, slots=True)
class Absence:
    """The latest statement of why someone on the roster was absent."""
    uuid: str
    person: Person
    reason: AbsenceReason
    note: str
    at: _dt.datetime


@dataclass(frozen=True, slots=True)
class Incomplete:
    """Someone identified for the event who walked on before their check-in was recorded: the desk calls
    them back.  ``reason`` is the abandon code (``next_scan``, ``cancelled``, ``timed_out``)."""
    person: Person
    scanned_at: _dt.datetime         # when the scan was given up (the scan log's time), kiosk's offset
    reason: str

    def to_json(self) -> dict:
        return {"nip": self.person.real_nip, "code": self.person.code, "kind": str(self.person.kind),
                "name": self.person.name, "unit": self.person.unit or self.person.institution,
                "scanned_at": self.scanned_at.isoformat(timespec="seconds"), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ScanActivity:
    last_scan: _dt.datetime | None
    unknown: int          # valid NIPs not on the roster: people who need the desk
    invalid: int          # unreadable badges
    duplicate: int


@dataclass(frozen=True, slots=True)
class ImportCounts:
    added: int
    updated: int
    unchanged: int
    removed: tuple[str, ...] = ()            # ``--replace``: keys taken off the roster
    kept: tuple[Person, ...] = field(default=())   # ``--replace``: not in the file but checked in, so kept
