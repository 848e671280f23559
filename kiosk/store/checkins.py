"""Check-ins (hash-chained, with their signatures), the scan log, and the attendance they make."""
from __future__ import annotations

import datetime as _dt
import sqlite3
import uuid

from kiosk.ceremony import signature_codec
from kiosk.ceremony.signature import Signature
from kiosk.clock import from_utc_text, offset_minutes, utc_text
from kiosk.store.chain import GENESIS_HASH, chain_hash
from kiosk.store.core import StoreCore
from kiosk.store.people import person_columns, person_of
from kiosk.store.records import AttendanceRow, Checkin, Incomplete, ScanActivity
from kiosk.store.schema import CHECKINS, SCAN_LOG, SIGNATURES

#: Checkin's fields as stored (prev_hash is the chain's business, not the reader's).
_CHECKIN_COLUMNS = ", ".join(c for c in CHECKINS.columns if c != "prev_hash")
#: The one attendance query: a check-in and who it was, newest or oldest first.
_ATTENDANCE = (f"SELECT c.checked_in_at, c.utc_offset, c.method, c.signature_sha256 IS NOT NULL, "
               f"{person_columns('p.')} FROM checkins c JOIN people p ON p.nip = c.nip WHERE c.event_id = ? ")


class CheckinsMixin(StoreCore):
    def first_checkin(self, event_id: int, nip: str) -> Checkin | None:
        row = self.conn.execute(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE event_id = ? AND nip = ? "
            "ORDER BY checked_in_at, id LIMIT 1", (event_id, nip)).fetchone()
        return _checkin(row) if row else None

    def insert_checkin(self, conn: sqlite3.Connection, *, event_id: int, nip: str, method: str,
                       moment: _dt.datetime, pledge_sha256: str, signature: Signature | None = None,
                       png: bytes | None = None) -> Checkin:
        """Append a check-in (and its signature) inside the caller's write transaction."""
        prev = conn.execute("SELECT row_hash FROM checkins ORDER BY id DESC LIMIT 1").fetchone()
        fields: dict[str, object] = {
            "uuid": str(uuid.uuid4()),
            "event_id": event_id,
            "nip": nip,
            "device_id": self.device_id,
            "method": str(method),
            "checked_in_at": utc_text(moment),
            "utc_offset": offset_minutes(moment),
            "pledge_sha256": pledge_sha256,
            "signature_sha256": signature.sha256() if signature is not None else None,
            "prev_hash": prev[0] if prev else GENESIS_HASH,
        }
        fields["row_hash"] = chain_hash(fields)
        conn.execute(f"INSERT INTO checkins({CHECKINS.sql()}) VALUES ({', '.join('?' * len(CHECKINS.columns))})",
                     tuple(fields[c] for c in CHECKINS.columns))
        if signature is not None:
            values = {"checkin_uuid": fields["uuid"], "sha256": fields["signature_sha256"],
                      "pledge_sha256": pledge_sha256, "width": signature.width, "height": signature.height,
                      "pressure_real": int(signature.pressure_real), "sample_count": signature.sample_count,
                      "samples": signature_codec.encode(signature), "png": png}
            conn.execute(f"INSERT INTO signatures({SIGNATURES.sql()}) "
                         f"VALUES ({', '.join('?' * len(SIGNATURES.columns))})",
                         tuple(values[c] for c in SIGNATURES.columns))
        return _checkin(tuple(fields[c] for c in _CHECKIN_COLUMNS.split(", ")))

    def log_scan(self, conn: sqlite3.Connection, *, event_id: int | None, method: str, reason: str,
                 moment: _dt.datetime, code: str | None = None, nip: str | None = None,
                 checkin_uuid: str | None = None, payload_shape: str = "") -> None:
        values = {"uuid": str(uuid.uuid4()), "device_id": self.device_id, "at": utc_text(moment),
                  "utc_offset": offset_minutes(moment), "method": str(method), "reason": str(reason), "code": code,
                  "nip": nip, "checkin_uuid": checkin_uuid, "payload_shape": payload_shape}
        conn.execute(f"INSERT INTO scan_log(event_id, {SCAN_LOG.sql()}) "
                     f"VALUES (?, {', '.join('?' * len(SCAN_LOG.columns))})",
                     (event_id, *(values[c] for c in SCAN_LOG.columns)))

    def attendance(self, event_id: int) -> list[AttendanceRow]:
        return self._attendance(event_id, "c.checked_in_at, c.id")

    def recent_checkins(self, event_id: int, limit: int = 5) -> list[AttendanceRow]:
        """The last few check-ins, newest first (the organiser's console; never the kiosk screen)."""
        return self._attendance(event_id, "c.id DESC", limit)

    def _attendance(self, event_id: int, order: str, limit: int = -1) -> list[AttendanceRow]:
        rows = self.conn.execute(_ATTENDANCE + f"ORDER BY {order} LIMIT ?", (event_id, limit))
        found = []
        for r in rows:
            person = person_of(r[4:])
            found.append(AttendanceRow(person.nip, person.name, person.unit, from_utc_text(r[0], r[1]), r[2],
                                       bool(r[3]), person))
        return found

    def scan_activity(self, event_id: int, since: _dt.datetime) -> ScanActivity:
        """What the kiosks on this database are doing: the last scan, and the refusals since ``since``."""
        last = self.conn.execute("SELECT at, utc_offset FROM scan_log WHERE event_id = ? ORDER BY id DESC LIMIT 1",
                                 (event_id,)).fetchone()
        counts = dict(self.conn.execute(
            "SELECT reason, count(*) FROM scan_log WHERE event_id = ? AND at >= ? GROUP BY reason",
            (event_id, utc_text(since))).fetchall())
        return ScanActivity(from_utc_text(*last) if last else None, counts.get("unknown", 0),
                            counts.get("invalid", 0), counts.get("duplicate", 0))

    def signature(self, event_id: int, key: str) -> Signature | None:
        """The signature of someone's attendance (their first check-in), every sample as it was drawn."""
        row = self.conn.execute("SELECT s.samples FROM signatures s JOIN checkins c ON c.uuid = s.checkin_uuid "
                                "WHERE c.event_id = ? AND c.nip = ? ORDER BY c.checked_in_at, c.id LIMIT 1",
                                (event_id, key)).fetchone()
        return signature_codec.decode(bytes(row[0])) if row else None

    def signature_png(self, checkin_uuid: str) -> bytes | None:
        row = self.conn.execute("SELECT png FROM signatures WHERE checkin_uuid = ?", (checkin_uuid,)).fetchone()
        return bytes(row[0]) if row else None

    def checkin_of(self, event_id: int, key: str) -> tuple[str, _dt.datetime, str] | None:
        """(uuid, time, pledge sha256) of someone's attendance: their first check-in."""
        first = self.first_checkin(event_id, key)
        return (first.uuid, first.checked_in_at, first.pledge_sha256) if first else None

    def incomplete(self, event_id: int) -> list[Incomplete]:
        """People identified for the event whose check-in is not recorded: the latest "abandoned" scan of
        each who has not checked in since, newest first (the organiser calls them back)."""
        rows = self.conn.execute(
            f"SELECT l.at, l.utc_offset, l.code, {person_columns('p.')} FROM scan_log l "
            "JOIN people p ON p.nip = l.nip "
            "WHERE l.id IN (SELECT max(id) FROM scan_log WHERE event_id = ? AND reason = 'abandoned' "
            "AND nip IS NOT NULL GROUP BY nip) "
            "AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.event_id = ? AND c.nip = l.nip) "
            "ORDER BY l.at DESC, l.id DESC", (event_id, event_id))
        return [Incomplete(person_of(r[3:]), from_utc_text(r[0], r[1]), r[2] or "abandoned") for r in rows]

    def latest_checkin_at(self) -> _dt.datetime | None:
        """The latest check-in time on this database, any event, any device (a clock behind it is wrong)."""
        row = self.conn.execute("SELECT checked_in_at, utc_offset FROM checkins "
                                "ORDER BY checked_in_at DESC LIMIT 1").fetchone()
        return from_utc_text(*row) if row else None

    def count_present(self, event_id: int) -> int:
        return self.conn.execute("SELECT count(DISTINCT nip) FROM checkins WHERE event_id = ?",
                                 (event_id,)).fetchone()[0]


def _checkin(row: tuple) -> Checkin:
    (uid, event_id, nip, device, method, at, offset, pledge_sha, sig_sha, row_hash) = row
    return Checkin(uid, event_id, nip, device, method, from_utc_text(at, offset), pledge_sha, sig_sha, row_hash)
