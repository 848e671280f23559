"""The attendance register: everyone on an event's roster, present or not, in one list.

What the desk's attendance table shows and its statistics count: each person with their first
check-in (the attendance; a second kiosk's check-in of the same badge is counted, not listed
again), whether it was signed, and for the absent their latest stated reason.  Read through the
questions a kiosk database and an export or merged file both answer (``roster``, ``attendance``,
``absences``), three queries whatever the roster's size.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.people.kinds import AbsenceReason, PersonKind
from kiosk.store.records import Absence, AttendanceRow, Person


class RegisterReader(Protocol):
    def roster(self, event_id: int) -> list[Person]: ...
    def attendance(self, event_id: int) -> list[AttendanceRow]: ...
    def absences(self, event_id: int) -> list[Absence]: ...


@dataclass(frozen=True, slots=True)
class RegisterRow:
    person: Person
    checked_in_at: _dt.datetime | None = None     # the first check-in (aware, the kiosk's offset)
    method: str = ""                              # wedge, camera, manual; "" when absent
    signed: bool = False
    checkins: int = 0                             # 2 or more: checked in on more than one kiosk
    absence: Absence | None = None                # the latest statement, for someone absent

    @property
    def present(self) -> bool:
        return self.checked_in_at is not None

    @property
    def reason(self) -> AbsenceReason | None:
        """Why someone is absent: the stated reason, else *tanpa keterangan*; None when present or a guest
        (guests are witnesses, never counted absent)."""
        if self.present or self.person.kind is PersonKind.GUEST:
            return None
        return self.absence.reason if self.absence is not None else AbsenceReason.TANPA_KETERANGAN


def register(reader: RegisterReader, event_id: int) -> list[RegisterRow]:
    """Everyone on the roster (in its order: unit, name), then anyone checked in who is not on it."""
    first: dict[str, AttendanceRow] = {}
    counts: dict[str, int] = {}
    for row in reader.attendance(event_id):               # oldest first
        counts[row.nip] = counts.get(row.nip, 0) + 1
        if row.nip not in first or row.checked_in_at < first[row.nip].checked_in_at:
            first[row.nip] = row
    stated = {a.person.nip: a for a in reader.absences(event_id)}
    rows = []
    listed = set()
    for person in reader.roster(event_id):
        listed.add(person.nip)
        rows.append(_row(person, first.get(person.nip), counts.get(person.nip, 0), stated.get(person.nip)))
    for nip, att in first.items():
        if nip not in listed and att.person is not None:
            rows.append(_row(att.person, att, counts[nip], None))
    return rows


def _row(person: Person, att: AttendanceRow | None, count: int, absence: Absence | None) -> RegisterRow:
    if att is None:
        return RegisterRow(person, absence=absence)
    return RegisterRow(person, att.checked_in_at, att.method, att.signed, count)


def present_count(rows: Sequence[RegisterRow]) -> int:
    return sum(1 for r in rows if r.present)
