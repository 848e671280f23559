"""The counting behind the report: per unit, who was expected, who came, who did not and why.

A pure function of the attendance and the absences, tested on its own; the report and the
spreadsheets only lay out what it returns.

Rules:
* Guests are witnesses, not participants: they are counted apart.
* A person is counted once: a second check-in of the same NIP or code (two kiosks) is left
  out, and someone both checked in and listed absent counts as present.
* Participants = present + absent; the share present is present / participants.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.documents.model import (
    AbsenceReason,
    DocAbsence,
    DocAttendance,
    PersonKind,
    first_per_person,
)
from kiosk.documents.text import clean

NO_UNIT = "Unit kerja tidak diisi"
REASONS = tuple(AbsenceReason)


@dataclass(frozen=True, slots=True)
class UnitRecap:
    unit: str
    pns: int                # participants by kind (present or absent)
    pppk: int
    non_asn: int
    present: int
    absent: tuple[int, ...]  # per reason, in the order of AbsenceReason (S, I, C, DL, TB, TK)

    @property
    def participants(self) -> int:
        return self.pns + self.pppk + self.non_asn

    @property
    def absent_total(self) -> int:
        return sum(self.absent)

    def absent_for(self, reason: AbsenceReason) -> int:
        return self.absent[REASONS.index(AbsenceReason(reason))]

    @property
    def share_present(self) -> float:
        """0.0–1.0 (0.0 for a unit with nobody)."""
        return self.present / self.participants if self.participants else 0.0


@dataclass(frozen=True, slots=True)
class Recap:
    units: tuple[UnitRecap, ...]     # sorted by unit name
    total: UnitRecap
    guests: int
    absentees: tuple[DocAbsence, ...]  # the absences that count, by unit then name


class _Tally:
    __slots__ = ("absent", "kinds", "present")

    def __init__(self) -> None:
        self.kinds = {PersonKind.PNS: 0, PersonKind.PPPK: 0, PersonKind.NON_ASN: 0}
        self.present = 0
        self.absent = [0] * len(REASONS)

    def freeze(self, unit: str) -> UnitRecap:
        return UnitRecap(unit, self.kinds[PersonKind.PNS], self.kinds[PersonKind.PPPK],
                         self.kinds[PersonKind.NON_ASN], self.present, tuple(self.absent))


def unit_name(unit: str) -> str:
    return clean(unit) or NO_UNIT


def recap(attendance: Iterable[DocAttendance], absences: Iterable[DocAbsence] = ()) -> Recap:
    rows = first_per_person(attendance)
    staff = [r for r in rows if r.person.kind is not PersonKind.GUEST]
    guests = len(rows) - len(staff)
    present_keys = {r.person.key for r in staff if r.person.key}
    seen_absent: set[str] = set()
    counted: list[DocAbsence] = []
    for a in absences:
        key = a.person.key
        if a.person.kind is PersonKind.GUEST or (key and (key in present_keys or key in seen_absent)):
            continue
        if key:
            seen_absent.add(key)
        counted.append(a)

    tallies: dict[str, _Tally] = {}
    for r in staff:
        t = tallies.setdefault(unit_name(r.person.unit), _Tally())
        t.kinds[r.person.kind] += 1
        t.present += 1
    for a in counted:
        t = tallies.setdefault(unit_name(a.person.unit), _Tally())
        t.kinds[a.person.kind] += 1
        t.absent[REASONS.index(a.reason)] += 1
    out = [tallies[name].freeze(name) for name in sorted(tallies, key=str.casefold)]
    total = UnitRecap("Jumlah", sum(u.pns for u in out), sum(u.pppk for u in out), sum(u.non_asn for u in out),
                      sum(u.present for u in out), tuple(sum(u.absent[i] for u in out) for i in range(len(REASONS))))
    absentees = tuple(sorted(counted, key=lambda a: (unit_name(a.person.unit).casefold(),
                                                     clean(a.person.name).casefold())))
    return Recap(tuple(out), total, guests, absentees)


def percent(share: float) -> str:
    """``87,5%`` (Indonesian decimal comma, one decimal)."""
    return f"{share * 100:.1f}".replace(".", ",") + "%"
