"""The kiosk's SQLite database, opened through sqlite-utils.

One file per kiosk: WAL, ``synchronous=FULL``, foreign keys on, schema versioned
by ``PRAGMA user_version`` and marked as ours by ``PRAGMA application_id``.  A
file that is not ours (corrupt, another program's database, a spreadsheet passed
by mistake) is refused before anything is written to it.

Writes go through :meth:`Store.write`, an ``IMMEDIATE`` transaction, so a
check-in is on disk when the call returns.  Each check-in row carries the hash
of the one before it (a chain per database), so removing or editing a row is
detectable.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from kiosk import __version__
from kiosk.i18n import KioskError, register

register({
    "store.not_sqlite": {
        "id": "Berkas {path} bukan basis data Ikrar Kiosk (bukan berkas SQLite, atau rusak). "
              "Berkas tidak diubah. Periksa --db, atau pakai nama berkas baru.",
        "en": "{path} is not an Ikrar Kiosk database (not an SQLite file, or damaged). "
              "It was left untouched. Check --db, or use a new file name.",
    },
    "store.foreign": {
        "id": "Berkas {path} adalah basis data program lain, bukan Ikrar Kiosk. Berkas tidak diubah. "
              "Pakai nama berkas baru untuk --db.",
        "en": "{path} is another program's database, not Ikrar Kiosk's. It was left untouched. "
              "Use a new file name for --db.",
    },
    "store.too_new": {
        "id": "Basis data {path} dibuat oleh versi Ikrar Kiosk yang lebih baru (skema {found}, "
              "versi ini mengenal sampai {known}). Perbarui aplikasi.",
        "en": "{path} was made by a newer Ikrar Kiosk (schema {found}, this version knows up to {known}). "
              "Update the application.",
    },
    "store.unwritable": {
        "id": "Tidak dapat menulis basis data {path}: {reason}. Periksa ruang disk dan izin folder.",
        "en": "Cannot write the database {path}: {reason}. Check disk space and folder permissions.",
    },
    "store.locked": {
        "id": "Basis data {path} sedang dipakai program lain. Tutup kiosk lain yang memakai berkas ini.",
        "en": "The database {path} is in use by another program. Close the other kiosk using this file.",
    },
    "event.not_found": {
        "id": "Acara dengan id {id} tidak ada. Lihat daftar dengan: ikrar event list",
        "en": "There is no event with id {id}. List them with: ikrar event list",
    },
    "event.none_active": {
        "id": "Belum ada acara aktif. Buat dulu: ikrar event create --title JUDUL --date YYYY-MM-DD",
        "en": "No event is active. Create one first: ikrar event create --title TITLE --date YYYY-MM-DD",
    },
    "event.bad_date": {
        "id": "Tanggal '{value}' tidak valid. Tulis sebagai YYYY-MM-DD, misalnya 2024-11-04.",
        "en": "The date '{value}' is not valid. Write it as YYYY-MM-DD, e.g. 2024-11-04.",
    },
    "event.empty_title": {
        "id": "Judul acara tidak boleh kosong.",
        "en": "The event title cannot be empty.",
    },
})

APPLICATION_ID = 0x494B5231          # "IKR1"
GENESIS_HASH = "0" * 64
_SQLITE_MAGIC = b"SQLite format 3\x00"


# --- rows crossing to the CLI and the UI -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Event:
    id: int
    uuid: str
    title: str
    date: str
    venue: str
    pledge_id: int
    active: bool


@dataclass(frozen=True, slots=True)
class Person:
    nip: str
    name: str
    position: str
    unit: str


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


# --- time ------------------------------------------------------------------------------------

def now() -> _dt.datetime:
    """Local time with its UTC offset, to the millisecond (what the database keeps)."""
    moment = _dt.datetime.now().astimezone()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def utc_text(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def from_utc_text(text: str, offset_minutes: int) -> _dt.datetime:
    moment = _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=_dt.timezone.utc)
    return moment.astimezone(_dt.timezone(_dt.timedelta(minutes=offset_minutes)))


def offset_minutes(moment: _dt.datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


# --- schema ------------------------------------------------------------------------------------

def _v1(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)""")
    db.execute("""
        CREATE TABLE pledges (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            key TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            units_json TEXT NOT NULL,
            params_json TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            date TEXT NOT NULL,
            venue TEXT NOT NULL DEFAULT '',
            pledge_id INTEGER NOT NULL REFERENCES pledges(id),
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE people (
            nip TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            bare_name TEXT NOT NULL DEFAULT '',
            front_title TEXT NOT NULL DEFAULT '',
            back_title TEXT NOT NULL DEFAULT '',
            position TEXT NOT NULL DEFAULT '',
            unit TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""")
    db.execute("""
        CREATE TABLE checkins (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            event_id INTEGER NOT NULL REFERENCES events(id),
            nip TEXT NOT NULL REFERENCES people(nip),
            device_id TEXT NOT NULL,
            method TEXT NOT NULL CHECK (method IN ('wedge', 'camera', 'manual')),
            checked_in_at TEXT NOT NULL,
            utc_offset INTEGER NOT NULL,
            pledge_sha256 TEXT NOT NULL,
            signature_sha256 TEXT,
            prev_hash TEXT NOT NULL,
            row_hash TEXT NOT NULL UNIQUE
        )""")
    db.execute("CREATE INDEX checkins_event_nip ON checkins(event_id, nip, checked_in_at)")
    db.execute("""
        CREATE TABLE signatures (
            checkin_uuid TEXT PRIMARY KEY REFERENCES checkins(uuid),
            sha256 TEXT NOT NULL,
            pledge_sha256 TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            pressure_real INTEGER NOT NULL,
            sample_count INTEGER NOT NULL,
            strokes_json TEXT NOT NULL,
            png BLOB NOT NULL
        )""")
    db.execute("""
        CREATE TABLE scan_log (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            event_id INTEGER REFERENCES events(id),
            device_id TEXT NOT NULL,
            at TEXT NOT NULL,
            utc_offset INTEGER NOT NULL,
            method TEXT NOT NULL,
            reason TEXT NOT NULL,
            code TEXT,
            nip TEXT,
            checkin_uuid TEXT,
            payload_shape TEXT NOT NULL DEFAULT ''
        )""")
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            device_id TEXT NOT NULL,
            action TEXT NOT NULL,
            detail_json TEXT NOT NULL DEFAULT '{}'
        )""")


def _v2(db: sqlite_utils.Database) -> None:
    """Exchange (issue 5): device keys seen in merged files (trust on first use) and the sync ledger.

    The device's own Ed25519 private key lives in ``settings`` (``device_key_ed25519``), made on
    first need by :mod:`kiosk.keys`; ``clone`` never copies it.
    """
    db.execute("""
        CREATE TABLE known_devices (
            device_id TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            first_seen_in TEXT NOT NULL DEFAULT ''
        )""")
    db.execute("""
        CREATE TABLE sync_ledger (
            target TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('sent', 'conflict')),
            at TEXT NOT NULL,
            PRIMARY KEY (target, kind, key)
        ) WITHOUT ROWID""")


MIGRATIONS = (_v1, _v2)
SCHEMA_VERSION = len(MIGRATIONS)


# --- opening -----------------------------------------------------------------------------------

def default_db_path() -> Path:
    """The user data folder: %LOCALAPPDATA%\\IkrarKiosk on Windows, XDG data home elsewhere."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "IkrarKiosk"
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support" / "IkrarKiosk"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "ikrar-kiosk"
    return base / "ikrar.db"


def resolve_db_path(cli_value: str | None) -> Path:
    return Path(cli_value or os.environ.get("IKRAR_DB") or default_db_path())


def _inspect_existing(path: Path) -> None:
    """Refuse a file that is not ours without writing a byte to it."""
    with open(path, "rb") as fh:
        head = fh.read(100)
    if not head:
        return                                   # an empty file: we may make it ours
    if not head.startswith(_SQLITE_MAGIC) or len(head) < 100:
        raise KioskError("store.not_sqlite", path=str(path))
    try:
        # PRAGMAs, not the header bytes: a database open elsewhere may hold newer values in its WAL.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise KioskError("store.not_sqlite", path=str(path)) from None
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise KioskError("store.foreign", path=str(path))
    if version > SCHEMA_VERSION:
        raise KioskError("store.too_new", path=str(path), found=version, known=SCHEMA_VERSION)


class Store:
    """An open kiosk database.  Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike, *, device_id: str | None = None) -> None:
        self.path = Path(path)
        if self.path.exists():
            _inspect_existing(self.path)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise KioskError("store.unwritable", path=str(self.path), reason=exc.strerror) from None
        try:
            conn = sqlite3.connect(str(self.path), timeout=5.0, check_same_thread=False)
            self.db = sqlite_utils.Database(conn, execute_plugins=False)
            self.conn = conn
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 5000")
            self.db.enable_wal()
            conn.execute("PRAGMA synchronous = FULL")
            self._migrate(device_id)
        except sqlite3.OperationalError as exc:
            raise self._os_error(exc) from None
        self.device_id: str = self.get_setting("device_id") or ""

    def _os_error(self, exc: sqlite3.OperationalError) -> KioskError:
        if "locked" in str(exc) or "busy" in str(exc):
            return KioskError("store.locked", path=str(self.path))
        return KioskError("store.unwritable", path=str(self.path), reason=str(exc))

    def _migrate(self, device_id: str | None) -> None:
        current = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if current >= SCHEMA_VERSION:
            return
        with self.write():
            for number, migration in enumerate(MIGRATIONS[current:], start=current + 1):
                migration(self.db)
                self.conn.execute(f"PRAGMA user_version = {number}")
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            if current == 0:
                self._set(self.conn, "device_id", device_id or str(uuid.uuid4()))
                self._set(self.conn, "created_by", f"ikrar-kiosk {__version__}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """An IMMEDIATE transaction, committed (durably) on leaving; nested use is a savepoint."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._os_error(exc) from None
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._os_error(exc) from None

    # --- settings and audit -------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            self._set(conn, key, value)

    @staticmethod
    def _set(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def audit(self, action: str, **detail: object) -> None:
        """Record an organiser action.  Never put names or signatures in ``detail``."""
        with self.write() as conn:
            conn.execute("INSERT INTO audit_log(at, device_id, action, detail_json) VALUES (?, ?, ?, ?)",
                         (utc_text(now()), self.device_id, action, json.dumps(detail, sort_keys=True)))

    # --- pledges and events -------------------------------------------------------------------

    def save_pledge(self, pledge) -> int:
        """Store a rendered pledge version (once per text hash) and return its id."""
        sha = pledge.sha256
        with self.write() as conn:
            row = conn.execute("SELECT id FROM pledges WHERE sha256 = ?", (sha,)).fetchone()
            if row:
                return row[0]
            cur = conn.execute(
                "INSERT INTO pledges(sha256, key, title, text, units_json, params_json, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sha, pledge.key, pledge.title, pledge.text,
                 json.dumps(pledge.to_json()["units"], ensure_ascii=False),
                 json.dumps(pledge.params, ensure_ascii=False, sort_keys=True), utc_text(now())))
            return cur.lastrowid

    def pledge(self, pledge_id: int):
        from kiosk.ceremony.pledge import Pledge
        row = self.conn.execute("SELECT key, title, units_json, params_json FROM pledges WHERE id = ?",
                                (pledge_id,)).fetchone()
        return Pledge.from_json({"key": row[0], "title": row[1], "units": json.loads(row[2]),
                                 "params": json.loads(row[3])})

    def pledge_sha256(self, pledge_id: int) -> str:
        return self.conn.execute("SELECT sha256 FROM pledges WHERE id = ?", (pledge_id,)).fetchone()[0]

    def create_event(self, title: str, date: str, venue: str = "", *, pledge) -> Event:
        title = " ".join(title.split())
        if not title:
            raise KioskError("event.empty_title")
        try:
            date = _dt.date.fromisoformat(date.strip()).isoformat()
        except ValueError:
            raise KioskError("event.bad_date", value=date) from None
        with self.write() as conn:
            pledge_id = self.save_pledge(pledge)
            cur = conn.execute(
                "INSERT INTO events(uuid, title, date, venue, pledge_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), title, date, " ".join(venue.split()), pledge_id, utc_text(now())))
            event_id = cur.lastrowid
            self._set(conn, "active_event", str(event_id))
            self.audit("event.create", event_id=event_id, pledge_sha256=pledge.sha256)
        return self.event(event_id)

    def set_event_pledge(self, event_id: int, pledge) -> int:
        """Point the event at a (new) pledge version; earlier signatures keep the hash they signed."""
        self.event(event_id)
        with self.write() as conn:
            pledge_id = self.save_pledge(pledge)
            conn.execute("UPDATE events SET pledge_id = ? WHERE id = ?", (pledge_id, event_id))
            self.audit("event.pledge", event_id=event_id, pledge_sha256=pledge.sha256)
        return pledge_id

    def pledge_versions(self) -> list[tuple[int, str, str, str]]:
        """Every stored pledge version: (id, sha256, key, created_at), oldest first."""
        return list(self.conn.execute("SELECT id, sha256, key, created_at FROM pledges ORDER BY id"))

    def events(self) -> list[Event]:
        active = self.get_setting("active_event")
        return [self._event(r, active) for r in self.conn.execute(
            "SELECT id, uuid, title, date, venue, pledge_id FROM events ORDER BY date, id")]

    def event(self, event_id: int) -> Event:
        row = self.conn.execute("SELECT id, uuid, title, date, venue, pledge_id FROM events WHERE id = ?",
                                (event_id,)).fetchone()
        if row is None:
            raise KioskError("event.not_found", id=event_id)
        return self._event(row, self.get_setting("active_event"))

    @staticmethod
    def _event(row: tuple, active: str | None) -> Event:
        return Event(row[0], row[1], row[2], row[3], row[4], row[5], str(row[0]) == active)

    def active_event(self) -> Event:
        active = self.get_setting("active_event")
        if active is None:
            raise KioskError("event.none_active")
        return self.event(int(active))

    def activate_event(self, event_id: int) -> Event:
        self.event(event_id)                       # refuses an unknown id
        with self.write():
            self.set_setting("active_event", str(event_id))
            self.audit("event.activate", event_id=event_id)
        return self.event(event_id)

    # --- people -------------------------------------------------------------------------------

    def upsert_people(self, rows: Iterable) -> ImportCounts:
        """Insert or update people by NIP (roster rows); never deletes anyone."""
        stamp = utc_text(now())
        added = updated = unchanged = 0
        with self.write() as conn:
            existing = {r[0]: r[1:] for r in conn.execute(
                "SELECT nip, name, bare_name, front_title, back_title, position, unit FROM people")}
            fresh, changed = [], []
            for r in rows:
                values = (r.name, r.bare_name, r.front_title, r.back_title, r.position, r.unit)
                old = existing.get(r.nip)
                if old is None:
                    fresh.append((r.nip, *values, stamp))
                elif tuple(old) != values:
                    changed.append((*values, stamp, r.nip))
                else:
                    unchanged += 1
            conn.executemany(
                "INSERT INTO people(nip, name, bare_name, front_title, back_title, position, unit, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", fresh)
            conn.executemany(
                "UPDATE people SET name = ?, bare_name = ?, front_title = ?, back_title = ?, position = ?, "
                "unit = ?, updated_at = ? WHERE nip = ?", changed)
            added, updated = len(fresh), len(changed)
        return ImportCounts(added, updated, unchanged)

    def person(self, nip: str) -> Person | None:
        row = self.conn.execute("SELECT nip, name, position, unit FROM people WHERE nip = ?", (nip,)).fetchone()
        return Person(*row) if row else None

    def find_people(self, text: str, limit: int = 50) -> list[Person]:
        """People whose NIP contains the digits of ``text`` or whose name contains ``text``."""
        text = " ".join(text.split())
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits and len(digits) >= len(text.replace(" ", "").replace(".", "")):
            where, arg = "nip LIKE ?", f"%{digits}%"
        else:
            where, arg = "name LIKE ? ESCAPE '\\'", "%" + _like_escape(text) + "%"
        rows = self.conn.execute(f"SELECT nip, name, position, unit FROM people WHERE {where} "
                                 "ORDER BY name, nip LIMIT ?", (arg, limit))
        return [Person(*r) for r in rows]

    def count_people(self) -> int:
        return self.conn.execute("SELECT count(*) FROM people").fetchone()[0]

    # --- check-ins ----------------------------------------------------------------------------

    def first_checkin(self, event_id: int, nip: str) -> Checkin | None:
        row = self.conn.execute(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE event_id = ? AND nip = ? "
            "ORDER BY checked_in_at, id LIMIT 1", (event_id, nip)).fetchone()
        return _checkin(row) if row else None

    def insert_checkin(self, conn: sqlite3.Connection, *, event_id: int, nip: str, method: str,
                       moment: _dt.datetime, pledge_sha256: str, signature=None, png: bytes | None = None
                       ) -> Checkin:
        """Append a check-in (and its signature) inside the caller's write transaction."""
        prev = conn.execute("SELECT row_hash FROM checkins ORDER BY id DESC LIMIT 1").fetchone()
        fields = {
            "uuid": str(uuid.uuid4()),
            "event_id": event_id,
            "nip": nip,
            "device_id": self.device_id,
            "method": method,
            "checked_in_at": utc_text(moment),
            "utc_offset": offset_minutes(moment),
            "pledge_sha256": pledge_sha256,
            "signature_sha256": signature.sha256() if signature is not None else None,
            "prev_hash": prev[0] if prev else GENESIS_HASH,
        }
        fields["row_hash"] = chain_hash(fields)
        conn.execute(f"INSERT INTO checkins({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                     tuple(fields.values()))
        if signature is not None:
            conn.execute(
                "INSERT INTO signatures(checkin_uuid, sha256, pledge_sha256, width, height, pressure_real, "
                "sample_count, strokes_json, png) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (fields["uuid"], fields["signature_sha256"], pledge_sha256, signature.width, signature.height,
                 int(signature.pressure_real), signature.sample_count,
                 signature.canonical_bytes().decode("utf-8"), png))
        return _checkin(tuple(fields[c] for c in _CHECKIN_COLUMNS.split(", ")))

    def log_scan(self, conn: sqlite3.Connection, *, event_id: int | None, method: str, reason: str,
                 moment: _dt.datetime, code: str | None = None, nip: str | None = None,
                 checkin_uuid: str | None = None, payload_shape: str = "") -> None:
        conn.execute(
            "INSERT INTO scan_log(uuid, event_id, device_id, at, utc_offset, method, reason, code, nip, "
            "checkin_uuid, payload_shape) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(uuid.uuid4()), event_id, self.device_id, utc_text(moment), offset_minutes(moment), method,
             reason, code, nip, checkin_uuid, payload_shape))

    def attendance(self, event_id: int) -> list[AttendanceRow]:
        rows = self.conn.execute(
            "SELECT c.nip, p.name, p.unit, c.checked_in_at, c.utc_offset, c.method, "
            "       c.signature_sha256 IS NOT NULL "
            "FROM checkins c JOIN people p ON p.nip = c.nip "
            "WHERE c.event_id = ? ORDER BY c.checked_in_at, c.id", (event_id,))
        return [AttendanceRow(r[0], r[1], r[2], from_utc_text(r[3], r[4]), r[5], bool(r[6])) for r in rows]

    def recent_checkins(self, event_id: int, limit: int = 5) -> list[AttendanceRow]:
        """The last few check-ins, newest first (the organiser's console; never the kiosk screen)."""
        rows = self.conn.execute(
            "SELECT c.nip, p.name, p.unit, c.checked_in_at, c.utc_offset, c.method, "
            "       c.signature_sha256 IS NOT NULL "
            "FROM checkins c JOIN people p ON p.nip = c.nip "
            "WHERE c.event_id = ? ORDER BY c.id DESC LIMIT ?", (event_id, limit))
        return [AttendanceRow(r[0], r[1], r[2], from_utc_text(r[3], r[4]), r[5], bool(r[6])) for r in rows]

    def scan_activity(self, event_id: int, since: _dt.datetime) -> ScanActivity:
        """What the kiosks on this database are doing: the last scan, and the refusals since ``since``."""
        last = self.conn.execute("SELECT at, utc_offset FROM scan_log WHERE event_id = ? ORDER BY id DESC LIMIT 1",
                                 (event_id,)).fetchone()
        counts = dict(self.conn.execute(
            "SELECT reason, count(*) FROM scan_log WHERE event_id = ? AND at >= ? GROUP BY reason",
            (event_id, utc_text(since))).fetchall())
        return ScanActivity(from_utc_text(*last) if last else None, counts.get("unknown", 0),
                            counts.get("invalid", 0), counts.get("duplicate", 0))

    def count_present(self, event_id: int) -> int:
        return self.conn.execute("SELECT count(DISTINCT nip) FROM checkins WHERE event_id = ?",
                                 (event_id,)).fetchone()[0]


_CHECKIN_COLUMNS = ("uuid, event_id, nip, device_id, method, checked_in_at, utc_offset, pledge_sha256, "
                    "signature_sha256, row_hash")


def _checkin(row: tuple) -> Checkin:
    (uid, event_id, nip, device, method, at, offset, pledge_sha, sig_sha, row_hash) = row
    return Checkin(uid, event_id, nip, device, method, from_utc_text(at, offset), pledge_sha, sig_sha, row_hash)


CHAIN_FIELDS = ("uuid", "event_id", "nip", "device_id", "method", "checked_in_at", "utc_offset",
                "pledge_sha256", "signature_sha256", "prev_hash")


def chain_hash(fields: dict) -> str:
    """SHA-256 over a check-in's fields and the previous row's hash (canonical JSON)."""
    data = json.dumps({k: fields[k] for k in CHAIN_FIELDS}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
