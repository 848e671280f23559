"""Why the absent were absent: every statement kept (with who recorded it and when), the latest counts.

Nobody who checked in can be marked absent.  Someone on the roster with no statement and no
check-in counts as *tanpa keterangan*.
"""
from __future__ import annotations

import uuid

from kiosk.clock import from_utc_text, now, offset_minutes, utc_text
from kiosk.i18n import KioskError, register
from kiosk.people.kinds import AbsenceReason
from kiosk.store.people import PeopleMixin, person_columns, person_of
from kiosk.store.records import Absence, Person

register({
    "absence.bad_reason": {
        "id": "Alasan '{value}' tidak dikenal. Pilih salah satu: {choices}.",
        "en": "Unknown reason '{value}'. Choose one of: {choices}.",
    },
    "absence.checked_in": {
        "id": "{name} sudah hadir (check-in pukul {time}); tidak dapat dicatat tidak hadir.",
        "en": "{name} has checked in (at {time}); they cannot be recorded as absent.",
    },
    "absence.note_too_long": {
        "id": "Keterangan terlalu panjang ({length} karakter; batas {limit}). Ringkas keterangannya.",
        "en": "The note is too long ({length} characters; the limit is {limit}). Shorten it.",
    },
})

MAX_NOTE = 500


def parse_reason(text: str) -> AbsenceReason:
    value = text.strip().lower().replace(" ", "-").replace("_", "-")
    try:
        return AbsenceReason(value)
    except ValueError:
        raise KioskError("absence.bad_reason", value=text,
                         choices=", ".join(r.value for r in AbsenceReason)) from None


class AbsencesMixin(PeopleMixin):
    def set_absence(self, key: str, reason: AbsenceReason | str, note: str = "", *,
                    event_id: int | None = None) -> Absence:
        """Record why someone on the roster is absent (a later statement replaces an earlier one)."""
        reason = reason if isinstance(reason, AbsenceReason) else parse_reason(reason)
        note = " ".join(note.split())
        if len(note) > MAX_NOTE:
            raise KioskError("absence.note_too_long", length=len(note), limit=MAX_NOTE)
        moment = now()
        row_uuid = str(uuid.uuid4())
        with self.write() as conn:
            event = self._event_id(event_id)
            person = self._absent_on_roster(conn, event, key, "absence.checked_in")
            conn.execute("INSERT INTO absences(uuid, event_id, nip, reason, note, device_id, at, utc_offset) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (row_uuid, event, key, str(reason), note, self.device_id, utc_text(moment),
                          offset_minutes(moment)))
            self.audit("absence.set", event_id=event, absence=row_uuid, reason=str(reason))
        return Absence(row_uuid, person, reason, note, moment)

    def absences(self, event_id: int) -> list[Absence]:
        """The latest statement for each person on the roster who has one and did not check in."""
        rows = self.conn.execute(
            f"SELECT a.uuid, a.reason, a.note, a.at, a.utc_offset, {person_columns('p.')} FROM absences a "
            "JOIN people p ON p.nip = a.nip JOIN roster r ON r.event_id = a.event_id AND r.nip = a.nip "
            "WHERE a.event_id = ? AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.event_id = a.event_id "
            "AND c.nip = a.nip) AND a.uuid = (SELECT b.uuid FROM absences b WHERE b.event_id = a.event_id "
            "AND b.nip = a.nip ORDER BY b.at DESC, b.uuid DESC LIMIT 1) ORDER BY p.unit, p.name", (event_id,))
        return [Absence(r[0], person_of(r[5:]), AbsenceReason(r[1]), r[2], from_utc_text(r[3], r[4])) for r in rows]

    def absent(self, event_id: int) -> list[tuple[Person, Absence | None]]:
        """Everyone on the roster who has not checked in, with their statement (None: tanpa keterangan)."""
        stated = {a.person.nip: a for a in self.absences(event_id)}
        rows = self.conn.execute(
            f"SELECT {person_columns('p.')} FROM people p JOIN roster r ON r.nip = p.nip WHERE r.event_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.event_id = r.event_id AND c.nip = r.nip) "
            "ORDER BY p.unit, p.name", (event_id,))
        return [(person, stated.get(person.nip)) for person in map(person_of, rows)]
