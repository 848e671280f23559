"""The export file, format 2 (docs/export-format.md): its tables, columns and per-row hashes.

A plain SQLite database with the tables ``events``, ``pledges``, ``people``, ``checkins``,
``chain_gaps``, ``signatures``, ``scan_log``, ``absences`` and ``manifest``, and a view
``attendance``.  The columns come from the one vocabulary (:mod:`kiosk.store.schema`); the file adds
the device's chain position (``seq``), each event's uuid, ``duplicate_of``, a masked NIK and a
``row_sha256`` per row.  ``people`` is the event's roster.

Tamper evidence, in layers:

* each check-in row carries the hash of its fields and of the row before it (the device's
  chain, made by :func:`kiosk.store.chain_hash`); rows of other events appear in
  ``chain_gaps`` as hashes only, so the chain is complete from the genesis hash to its head;
* every other row carries ``row_sha256`` (canonical JSON of its columns); a signature's samples
  are checked against its ``sha256`` (decoded, :mod:`kiosk.ceremony.signature_codec`) and its
  image against ``png_sha256``;
* the manifest (:mod:`kiosk.exchange.manifest`) signs (Ed25519) the chain head and length, the
  counts, the time range and a digest of each table, so a row removed, added, edited or reordered
  changes something signed.

Format 1 (:mod:`kiosk.exchange.format_v1`) is still read: a file of it verifies and merges, and a
merged file carries a format-1 device's rows as they were signed (``strokes_json`` instead of
``samples``).
"""
from __future__ import annotations

import functools
import sqlite3

from kiosk.exchange import format_v1
from kiosk.exchange.hashing import canonical, sha256_hex
from kiosk.store.core import EXPORT_APPLICATION_ID
from kiosk.store.schema import ABSENCES, CHECKINS, EVENTS, PEOPLE, PLEDGES, SCAN_LOG, SIGNATURES

FORMAT_VERSION = 2
FORMATS = (1, 2)
SQLITE_MAGIC = b"SQLite format 3\x00"

COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("id",) + EVENTS.columns + ("pledge_sha256", "row_sha256"),
    "pledges": PLEDGES.columns + ("row_sha256",),
    "people": PEOPLE.columns + ("nik_masked", "row_sha256"),
    "checkins": CHECKINS.columns + ("seq", "event_uuid", "duplicate_of"),
    "chain_gaps": ("device_id", "seq", "prev_hash", "row_hash"),
    # strokes_json: only in rows carried over from a format-1 device (samples is then NULL).
    "signatures": SIGNATURES.columns + ("device_id", "strokes_json", "samples_sha256", "png_sha256", "row_sha256"),
    "scan_log": SCAN_LOG.columns + ("event_uuid", "row_sha256"),
    "absences": ABSENCES.columns + ("event_uuid", "row_sha256"),
}
#: Not covered by row_sha256 directly: the signature's samples (by ``samples_sha256``, and decoded against
#: ``sha256``) and its image (by ``png_sha256``).
UNHASHED = ("row_sha256", "strokes_json", "samples", "png")
KEY = {t.name: t.key for t in (EVENTS, PLEDGES, PEOPLE, SIGNATURES, SCAN_LOG, ABSENCES)}
REFERENCE_TABLES = ("events", "pledges", "people")
DEVICE_TABLES = ("signatures", "scan_log", "absences")

#: The manifest's fields mirrored as columns for readers (the same in both formats).
MIRRORED = format_v1.MIRRORED
COLUMNS["manifest"] = format_v1.COLUMNS["manifest"]


def columns(version: int) -> dict[str, tuple[str, ...]]:
    """The tables and columns of a file of format ``version``."""
    return format_v1.COLUMNS if version == 1 else COLUMNS


def device_tables(version: int) -> tuple[str, ...]:
    return format_v1.DEVICE_TABLES if version == 1 else DEVICE_TABLES


@functools.cache
def hashed(table: str, version: int = FORMAT_VERSION) -> tuple[str, ...]:
    """The columns a row's row_sha256 covers."""
    return tuple(c for c in columns(version)[table] if c not in UNHASHED)


def row_sha256(table: str, row: dict, version: int = FORMAT_VERSION) -> str:
    if table == "signatures" and row.get("strokes_json") is not None:
        version = 1                         # a format-1 kiosk's signature, carried as it was signed
    return sha256_hex(canonical({c: row[c] for c in hashed(table, version)}))


@functools.lru_cache(maxsize=1 << 15)
def _values_sha256(table: str, version: int, values: tuple) -> str:
    return sha256_hex(canonical(dict(zip(hashed(table, version), values))))


def reference_sha256(table: str, row: dict, version: int = FORMAT_VERSION) -> str:
    """``row_sha256`` of an event, pledge or person row, remembered by its values: every export of an
    event carries the same roster, and a merge checks each one (ten exports of 500 check-ins with a
    roster of 10,000: 4.2 s against 5.2 s, medians of 3)."""
    return _values_sha256(table, version, tuple(row[c] for c in hashed(table, version)))


SCHEMA = """
CREATE TABLE manifest (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    device_id TEXT NOT NULL,
    format_version INTEGER NOT NULL,
    app_version TEXT NOT NULL,
    event_uuid TEXT NOT NULL,
    created_at TEXT NOT NULL,
    checkins INTEGER NOT NULL,
    present INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    people INTEGER NOT NULL,
    signatures INTEGER NOT NULL,
    scan_log INTEGER NOT NULL,
    first_checkin_at TEXT,
    last_checkin_at TEXT,
    chain_length INTEGER,
    chain_head TEXT,
    public_key TEXT NOT NULL,
    body_json TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE TABLE pledges (
    sha256 TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    units_json TEXT NOT NULL,
    params_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    venue TEXT NOT NULL,
    pledge_sha256 TEXT NOT NULL REFERENCES pledges(sha256),
    created_at TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE TABLE people (
    nip TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    bare_name TEXT NOT NULL,
    front_title TEXT NOT NULL,
    back_title TEXT NOT NULL,
    rank TEXT NOT NULL,
    position TEXT NOT NULL,
    unit TEXT NOT NULL,
    institution TEXT NOT NULL,
    employment TEXT NOT NULL,
    nik_masked TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_uuid TEXT NOT NULL REFERENCES events(uuid),
    event_id INTEGER NOT NULL,
    nip TEXT NOT NULL REFERENCES people(nip),
    method TEXT NOT NULL,
    checked_in_at TEXT NOT NULL,
    utc_offset INTEGER NOT NULL,
    pledge_sha256 TEXT NOT NULL REFERENCES pledges(sha256),
    signature_sha256 TEXT,
    prev_hash TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    duplicate_of TEXT REFERENCES checkins(uuid),
    UNIQUE (device_id, seq)
);
CREATE INDEX checkins_nip ON checkins(nip, checked_in_at);
CREATE TABLE chain_gaps (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
CREATE TABLE signatures (
    checkin_uuid TEXT PRIMARY KEY REFERENCES checkins(uuid),
    device_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pledge_sha256 TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    pressure_real INTEGER NOT NULL,
    sample_count INTEGER NOT NULL,
    samples BLOB,
    strokes_json TEXT,
    samples_sha256 TEXT,
    png BLOB NOT NULL,
    png_sha256 TEXT NOT NULL,
    row_sha256 TEXT NOT NULL,
    CHECK ((samples IS NULL) <> (strokes_json IS NULL))
);
CREATE TABLE scan_log (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    event_uuid TEXT NOT NULL,
    at TEXT NOT NULL,
    utc_offset INTEGER NOT NULL,
    method TEXT NOT NULL,
    reason TEXT NOT NULL,
    code TEXT,
    nip TEXT,
    checkin_uuid TEXT,
    payload_shape TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE TABLE absences (
    uuid TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    event_uuid TEXT NOT NULL REFERENCES events(uuid),
    nip TEXT NOT NULL REFERENCES people(nip),
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    at TEXT NOT NULL,
    utc_offset INTEGER NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE VIEW attendance AS
    SELECT c.checked_in_at, c.utc_offset, c.nip, p.kind, p.name, p.rank, p.position, p.unit, p.institution,
           c.method, c.device_id, c.signature_sha256 IS NOT NULL AS signed, c.uuid
    FROM checkins c LEFT JOIN people p ON p.nip = c.nip
    WHERE c.duplicate_of IS NULL
    ORDER BY c.checked_in_at, c.uuid;
"""


def upgrade_row(table: str, row: dict, version: int) -> dict:
    """A reference row (events, pledges, people) of a file of ``version`` in the current shape, without
    its row_sha256: what a format-1 file's roster and event say, with the later columns empty."""
    if version >= FORMAT_VERSION or table == "pledges":
        return {c: row[c] for c in COLUMNS[table] if c != "row_sha256"}
    if table == "events":
        return {**{c: row[c] for c in format_v1.COLUMNS[table] if c != "row_sha256"}, "settings_json": "{}"}
    assert table == "people", table
    kind = "pppk" if str(row["nip"])[12:13] == "2" else "pns"       # format 1 held PNS and PPPK only
    return {**{c: row[c] for c in format_v1.COLUMNS[table] if c != "row_sha256"}, "kind": kind, "rank": "",
            "institution": "", "employment": "", "nik_masked": ""}


def schema_sql(version: int) -> str:
    return format_v1.SCHEMA if version == 1 else SCHEMA


def create_schema(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {EXPORT_APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")


def insert_sql(table: str, columns: tuple[str, ...] | None = None) -> str:
    cols = columns or COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def with_row_hash(table: str, row: dict) -> tuple:
    """``row`` (format 2) as a tuple in the table's column order, with its row_sha256 (and png_sha256)."""
    if table == "signatures":
        row["png_sha256"] = sha256_hex(row["png"])
        row.setdefault("strokes_json", None)
        row["samples_sha256"] = sha256_hex(row["samples"]) if row.get("samples") is not None else None
    row["row_sha256"] = row_sha256(table, row)
    return tuple(row[c] for c in COLUMNS[table])
