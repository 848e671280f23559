"""The kiosk database's schema history: one function per version, applied in order.

A migration is history and never changes once released: the current tables and columns are
named once in :mod:`kiosk.store.schema`, which the tests hold against what these produce.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:                     # a migration runs when a file is made or upgraded, not at every open
    import sqlite_utils


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
    first need by :mod:`kiosk.security.keys`; ``clone`` never copies it.
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


def _v3(db: sqlite_utils.Database) -> None:
    """Who attends (issue 10): a roster per event, non-ASN staff and guests, ranks, absence reasons,
    and the event's settings for the documents.

    ``people.nip`` stays the person's key: an 18-digit NIP for PNS and PPPK, the badge code for
    non-ASN staff and guests (who have no NIP); ``kind`` says which.  A NIK is kept for non-ASN staff
    who have one (never shown or exported whole).  Everyone on the roster before this version
    belongs to every event that existed.
    """
    for column in ("kind", "rank", "institution", "employment"):
        db.execute(f"ALTER TABLE people ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE people ADD COLUMN nik TEXT")
    db.execute("UPDATE people SET kind = CASE WHEN substr(nip, 13, 1) = '2' THEN 'pppk' ELSE 'pns' END")
    db.execute("CREATE UNIQUE INDEX people_nik ON people(nik) WHERE nik IS NOT NULL")
    db.execute("""
        CREATE TABLE roster (
            event_id INTEGER NOT NULL REFERENCES events(id),
            nip TEXT NOT NULL REFERENCES people(nip),
            added_at TEXT NOT NULL,
            PRIMARY KEY (event_id, nip)
        ) WITHOUT ROWID""")
    db.execute("INSERT INTO roster(event_id, nip, added_at) SELECT e.id, p.nip, p.updated_at "
               "FROM events e CROSS JOIN people p")
    db.execute("""
        CREATE TABLE absences (
            uuid TEXT PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id),
            nip TEXT NOT NULL REFERENCES people(nip),
            reason TEXT NOT NULL CHECK (reason IN ('sakit', 'izin', 'cuti', 'dinas-luar', 'tugas-belajar',
                                                   'tanpa-keterangan')),
            note TEXT NOT NULL DEFAULT '',
            device_id TEXT NOT NULL,
            at TEXT NOT NULL,
            utc_offset INTEGER NOT NULL
        )""")
    db.execute("CREATE INDEX absences_event_nip ON absences(event_id, nip, at)")
    db.execute("ALTER TABLE events ADD COLUMN settings_json TEXT NOT NULL DEFAULT '{}'")
    # How a device came to be trusted: a laptop cloned from this database, an organiser's admission, or
    # (the first release) remembered the first time one of its files was merged.
    db.execute("ALTER TABLE known_devices ADD COLUMN how TEXT NOT NULL DEFAULT 'merged'")
    _compact_signatures(db)


def _compact_signatures(db: sqlite_utils.Database) -> None:
    """Signatures keep their samples in the compact exact form (:mod:`kiosk.ceremony.signature_codec`)
    instead of JSON text.  Each row is re-encoded and checked against the SHA-256 it was recorded with
    before anything is replaced; a row that does not match stops the upgrade (nothing is changed)."""
    import json

    from kiosk.ceremony import signature_codec
    from kiosk.ceremony.signature import Signature
    db.execute("""
        CREATE TABLE signatures_v3 (
            checkin_uuid TEXT PRIMARY KEY REFERENCES checkins(uuid),
            sha256 TEXT NOT NULL,
            pledge_sha256 TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            pressure_real INTEGER NOT NULL,
            sample_count INTEGER NOT NULL,
            samples BLOB NOT NULL,
            png BLOB NOT NULL
        )""")
    rows = db.execute("SELECT checkin_uuid, sha256, pledge_sha256, width, height, pressure_real, sample_count, "
                      "strokes_json, png FROM signatures").fetchall()
    for uid, sha, pledge_sha, width, height, real, count, strokes, png in rows:
        sig = Signature.from_json(json.loads(strokes))
        blob = signature_codec.encode(sig)
        if signature_codec.decode(blob).sha256() != sha:
            raise ValueError(f"signature {uid} does not match its SHA-256; the database was not upgraded")
        db.execute("INSERT INTO signatures_v3 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (uid, sha, pledge_sha, width, height, real, count, blob, png))
    db.execute("DROP TABLE signatures")
    db.execute("ALTER TABLE signatures_v3 RENAME TO signatures")


def _v4(db: sqlite_utils.Database) -> None:
    """Retention (issue 16): an event's personal data can be purged once exported and synced
    (:mod:`kiosk.retention`).  Its check-ins leave the hash chain a link each, with no person in it: the
    row's position (``id``, the same as the check-in's), the hash before it and its own hash, so the
    chain of the events that stay still verifies and exports still give every position."""
    db.execute("""
        CREATE TABLE chain_purged (
            id INTEGER PRIMARY KEY,
            prev_hash TEXT NOT NULL,
            row_hash TEXT NOT NULL UNIQUE
        )""")


MIGRATIONS = (_v1, _v2, _v3, _v4)
SCHEMA_VERSION = len(MIGRATIONS)
#: ``PRAGMA application_id`` marks a file as a kiosk database, or as an export or merged file (kiosk.exchange).
APPLICATION_ID = 0x494B5231          # "IKR1"
EXPORT_APPLICATION_ID = 0x494B5831   # "IKX1"
