"""Format 1 of the export file, frozen: what the first release wrote and every later one still reads.

Only :mod:`kiosk.exchange.format` and the verifier use it; nothing writes format 1 any more.
"""
from __future__ import annotations

COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("id", "uuid", "title", "date", "venue", "pledge_sha256", "created_at", "row_sha256"),
    "pledges": ("sha256", "key", "title", "text", "units_json", "params_json", "created_at", "row_sha256"),
    "people": ("nip", "name", "bare_name", "front_title", "back_title", "position", "unit", "updated_at",
               "row_sha256"),
    "checkins": ("uuid", "device_id", "seq", "event_uuid", "event_id", "nip", "method", "checked_in_at",
                 "utc_offset", "pledge_sha256", "signature_sha256", "prev_hash", "row_hash", "duplicate_of"),
    "chain_gaps": ("device_id", "seq", "prev_hash", "row_hash"),
    "signatures": ("checkin_uuid", "device_id", "sha256", "pledge_sha256", "width", "height", "pressure_real",
                   "sample_count", "strokes_json", "png", "png_sha256", "row_sha256"),
    "scan_log": ("uuid", "device_id", "event_uuid", "at", "utc_offset", "method", "reason", "code", "nip",
                 "checkin_uuid", "payload_shape", "row_sha256"),
}
DEVICE_TABLES = ("signatures", "scan_log")
MIRRORED = ("kind", "device_id", "format_version", "app_version", "event_uuid", "created_at", "checkins",
            "present", "duplicates", "people", "signatures", "scan_log", "first_checkin_at", "last_checkin_at",
            "chain_length", "chain_head", "public_key")
COLUMNS["manifest"] = MIRRORED + ("body_json", "signature")

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
    row_sha256 TEXT NOT NULL
);
CREATE TABLE people (
    nip TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    bare_name TEXT NOT NULL,
    front_title TEXT NOT NULL,
    back_title TEXT NOT NULL,
    position TEXT NOT NULL,
    unit TEXT NOT NULL,
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
    strokes_json TEXT NOT NULL,
    png BLOB NOT NULL,
    png_sha256 TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
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
CREATE VIEW attendance AS
    SELECT c.checked_in_at, c.utc_offset, c.nip, p.name, p.position, p.unit, c.method, c.device_id,
           c.signature_sha256 IS NOT NULL AS signed, c.uuid
    FROM checkins c LEFT JOIN people p ON p.nip = c.nip
    WHERE c.duplicate_of IS NULL
    ORDER BY c.checked_in_at, c.uuid;
"""
