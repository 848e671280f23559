"""An export or merged file read as a database: its event, roster, attendance, absences and signatures.

``ikrar --db hadir-apel.db attendance | status | roster find | absence list | signature | export pdf …``
work on the clerk's merged file as on a kiosk database; anything that would change it (a check-in, an
import) is refused by :class:`kiosk.store.Store` itself, which does not open export files.  The file
is opened through :func:`kiosk.exchange.files.open_export` (read-only; an encrypted one is decrypted in
memory), checked as ``ikrar verify`` checks it (without a kiosk database, so signers are not vouched for)
and refused when altered, and read in either format.

Attendance follows the format's own rule: the earliest check-in of each person (``duplicate_of`` is
NULL), whichever laptop recorded it.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Self

from kiosk.ceremony import signature_codec
from kiosk.ceremony.pledge import Pledge
from kiosk.ceremony.signature import Signature
from kiosk.clock import from_utc_text
from kiosk.exchange.files import ExportFile, is_export, open_export
from kiosk.exchange.sealing import Passphrase
from kiosk.i18n import KioskError, register
from kiosk.people.kinds import AbsenceReason, PersonKind, kind_of_nip
from kiosk.store.people import search_text
from kiosk.store.records import Absence, AttendanceRow, Event, Person

register({
    "reader.altered": {
        "id": "Berkas {path} tidak dibaca: isinya tidak lagi sama dengan yang ditandatangani kiosk ({count} masalah; "
              "yang pertama: {reason}) Lihat semuanya dengan 'ikrar verify {path}', lalu buat berkasnya lagi dari "
              "ekspor kiosk (ikrar merge).",
        "en": "{path} was not read: it no longer holds what the kiosks signed ({count} problems; the first: "
              "{reason}) See them all with 'ikrar verify {path}', then make the file again from the kiosks' "
              "exports (ikrar merge).",
    },
})

_PERSON = ("nip", "kind", "name", "position", "unit", "rank", "institution", "employment", "nik_masked")
_PERSON_V1 = ("nip", "'' AS kind", "name", "position", "unit", "'' AS rank", "'' AS institution",
              "'' AS employment", "'' AS nik_masked")


class ExportReader:
    """The read side of :class:`kiosk.store.Store`, over an export or merged file (one event)."""

    readonly = True

    def __init__(self, path: str | os.PathLike, passphrase: Passphrase | None = None) -> None:
        from kiosk.exchange.verify import verify_file  # cryptography loads only when a file is read
        self.file: ExportFile = open_export(path, passphrase)
        # What is shown or printed from a file is what its kiosks signed: an altered file is not read at all.
        report = verify_file(self.file, deep=False)     # the samples held to their signed hash, not decoded
        if not report.ok:
            raise KioskError("reader.altered", path=str(path), reason=report.problems[0].message,
                             count=len(report.problems))
        self.path = Path(path)
        self.conn = self.file.connect()
        self.version = self.file.version
        self._person_cols = _PERSON if self.version >= 2 else _PERSON_V1
        row = self.conn.execute("SELECT device_id FROM manifest ORDER BY kind = 'merge' DESC, id LIMIT 1").fetchone()
        self.device_id: str = row[0] if row else ""

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def encrypted(self) -> bool:
        return self.file.encrypted

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return default                                  # a file carries no kiosk settings

    # --- the event and its pledge -------------------------------------------------------------------

    def events(self) -> list[Event]:
        settings = "e.settings_json" if self.version >= 2 else "'{}'"
        rows = self.conn.execute(f"SELECT e.id, e.uuid, e.title, e.date, e.venue, p.rowid, {settings} FROM events e "
                                 "JOIN pledges p ON p.sha256 = e.pledge_sha256 ORDER BY e.date, e.id").fetchall()
        return [Event(r[0], r[1], r[2], r[3], r[4], r[5], True, tuple(sorted(json.loads(r[6] or "{}").items())))
                for r in rows]

    def event(self, event_id: int) -> Event:
        for e in self.events():
            if e.id == event_id:
                return e
        raise KioskError("event.not_found", id=event_id)

    def active_event(self) -> Event:
        found = self.events()
        if not found:
            raise KioskError("event.none_active")
        return found[0]

    def pledge(self, pledge_id: int) -> Pledge:
        row = self.conn.execute("SELECT key, title, units_json, params_json FROM pledges WHERE rowid = ?",
                                (pledge_id,)).fetchone()
        return Pledge.from_json({"key": row[0], "title": row[1], "units": json.loads(row[2]),
                                 "params": json.loads(row[3])})

    def pledge_by_sha256(self, sha256: str) -> Pledge | None:
        row = self.conn.execute("SELECT rowid FROM pledges WHERE sha256 = ?", (sha256,)).fetchone()
        return self.pledge(row[0]) if row else None

    # --- people ----------------------------------------------------------------------------------

    def _person(self, row: tuple) -> Person:
        nip, kind, name, position, unit, rank, institution, employment, nik_masked = row
        return Person(nip, name, position, unit, PersonKind(kind or kind_of_nip(nip)), rank, institution, employment,
                      nik_masked)

    def _select(self, prefix: str = "") -> str:
        return ", ".join(c if " AS " in c else prefix + c for c in self._person_cols)

    def roster(self, event_id: int) -> list[Person]:
        return [self._person(r) for r in self.conn.execute(f"SELECT {self._select()} FROM people "
                                                           "ORDER BY unit, name, nip")]

    def person(self, key: str) -> Person | None:
        row = self.conn.execute(f"SELECT {self._select()} FROM people WHERE nip = ?", (key,)).fetchone()
        return self._person(row) if row else None

    def roster_person(self, event_id: int, key: str) -> Person | None:
        return self.person(key)

    def count_people(self, event_id: int | None = None) -> int:
        return self.conn.execute("SELECT count(*) FROM people").fetchone()[0]

    def find_people(self, text: str, limit: int = 50, *, event_id: int | None = None) -> list[Person]:
        text = search_text(text).casefold()
        compact = text.replace(" ", "").replace(".", "").replace("-", "")
        return [p for p in self.roster(0) if compact in p.nip.casefold() or text in p.name.casefold()][:limit]

    # --- attendance ------------------------------------------------------------------------------

    def attendance(self, event_id: int) -> list[AttendanceRow]:
        rows = self.conn.execute(
            f"SELECT c.checked_in_at, c.utc_offset, c.method, c.signature_sha256 IS NOT NULL, {self._select('p.')} "
            "FROM checkins c JOIN people p ON p.nip = c.nip WHERE c.duplicate_of IS NULL "
            "ORDER BY c.checked_in_at, c.uuid")
        found = []
        for r in rows:
            person = self._person(r[4:])
            found.append(AttendanceRow(person.nip, person.name, person.unit, from_utc_text(r[0], r[1]), r[2],
                                       bool(r[3]), person))
        return found

    def recent_checkins(self, event_id: int, limit: int = 5) -> list[AttendanceRow]:
        return self.attendance(event_id)[::-1][:limit]

    def count_present(self, event_id: int) -> int:
        return self.conn.execute("SELECT count(DISTINCT nip) FROM checkins").fetchone()[0]

    def checkin_of(self, event_id: int, key: str) -> tuple[str, _dt.datetime, str] | None:
        """(uuid, time, pledge sha256) of someone's attendance: their earliest check-in."""
        row = self.conn.execute("SELECT uuid, checked_in_at, utc_offset, pledge_sha256 FROM checkins WHERE nip = ? "
                                "AND duplicate_of IS NULL", (key,)).fetchone()
        return (row[0], from_utc_text(row[1], row[2]), row[3]) if row else None

    # --- signatures ------------------------------------------------------------------------------

    def signature(self, event_id: int, key: str) -> Signature | None:
        """The signature of someone's attendance, every sample as it was drawn."""
        row = self.conn.execute(
            f"SELECT s.{'samples' if self.version >= 2 else 'NULL'}, s.strokes_json FROM signatures s "
            "JOIN checkins c ON c.uuid = s.checkin_uuid WHERE c.nip = ? AND c.duplicate_of IS NULL", (key,)).fetchone()
        if row is None:
            return None
        samples, strokes = row
        if samples is not None:
            return signature_codec.decode(bytes(samples))
        return Signature.from_json(json.loads(strokes))

    def signature_png(self, checkin_uuid: str) -> bytes | None:
        row = self.conn.execute("SELECT png FROM signatures WHERE checkin_uuid = ?", (checkin_uuid,)).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    # --- absences --------------------------------------------------------------------------------

    def absences(self, event_id: int) -> list[Absence]:
        if self.version < 2:
            return []
        rows = self.conn.execute(
            f"SELECT a.uuid, a.reason, a.note, a.at, a.utc_offset, {self._select('p.')} FROM absences a "
            "JOIN people p ON p.nip = a.nip WHERE NOT EXISTS (SELECT 1 FROM checkins c WHERE c.nip = a.nip) "
            "AND a.uuid = (SELECT b.uuid FROM absences b WHERE b.nip = a.nip ORDER BY b.at DESC, b.uuid DESC "
            "LIMIT 1) ORDER BY p.unit, p.name")
        return [Absence(r[0], self._person(r[5:]), AbsenceReason(r[1]), r[2], from_utc_text(r[3], r[4]))
                for r in rows]

    def absent(self, event_id: int) -> list[tuple[Person, Absence | None]]:
        stated = {a.person.nip: a for a in self.absences(event_id)}
        rows = self.conn.execute(f"SELECT {self._select('p.')} FROM people p WHERE NOT EXISTS "
                                 "(SELECT 1 FROM checkins c WHERE c.nip = p.nip) ORDER BY p.unit, p.name")
        return [(person, stated.get(person.nip)) for person in map(self._person, rows)]


def is_export_file(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0 and is_export(path)
