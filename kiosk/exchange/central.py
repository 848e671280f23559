"""The central PostgreSQL database: its schema (created and upgraded by numbered migrations, under
an advisory lock so two kiosks never migrate at once) and the kinds of rows it keeps.

Every row keeps its ``uuid`` (people: their NIP; pledges: the text's SHA-256) and a
``content_sha256`` over its columns, so an identical re-send is recognised and a different row
under a known key is a conflict.

Imports no Qt.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.exchange.hashing import sha256_hex
from kiosk.i18n import KioskError, register
from kiosk.store.schema import ABSENCES, CHECKINS, EVENTS, PEOPLE, PLEDGES, SCAN_LOG, SIGNATURES

if TYPE_CHECKING:
    import psycopg

register({
    "sync.device_key": {
        "id": "Basis data pusat {target} sudah mengenal perangkat {device} dengan kunci lain (sidik {known}; "
              "yang dikirim {found}). Tidak ada yang dikirim: data itu mungkin ditandatangani ulang pihak lain, "
              "atau berkas kiosk disalin alih-alih dibuat dengan 'ikrar clone'. Hubungi petugas TI.",
        "en": "The central database {target} already knows device {device} with another key (fingerprint "
              "{known}; sent {found}). Nothing was sent: the data may have been re-signed by someone else, or "
              "a kiosk file was copied instead of made with 'ikrar clone'. Call your IT officer.",
    },
    "sync.server_newer": {
        "id": "Skema basis data pusat {target} versi {found}; aplikasi ini mengenal sampai {known}. Perbarui aplikasi.",
        "en": "The central database {target} has schema version {found}; this application knows up to {known}. "
              "Update the application.",
    },
})

PG_SCHEMA = "ikrar"
_LOCK = 0x494B5253   # advisory lock id for migrations ("IKRS")


@dataclass(frozen=True)
class Kind:
    name: str               # ledger kind
    table: str              # central table
    key: str                # key column (source and central)
    columns: tuple          # source keys, in order; central columns are the same except RENAME


RENAME = {"seq": "device_seq", "event_id": "device_event_id"}
PLEDGE = Kind("pledge", PLEDGES.name, PLEDGES.key, PLEDGES.columns)
EVENT = Kind("event", EVENTS.name, EVENTS.key, EVENTS.columns + ("pledge_sha256",))
PERSON = Kind("person", PEOPLE.name, PEOPLE.key, PEOPLE.columns + ("nik_masked",))     # never the whole NIK
ROSTER = Kind("roster", "roster", "roster_key", ("roster_key", "event_uuid", "nip"))  # roster_key: event/nip
CHECKIN = Kind("checkin", CHECKINS.name, CHECKINS.key, CHECKINS.columns + ("event_uuid", "seq"))
SIGNATURE = Kind("signature", SIGNATURES.name, SIGNATURES.key, SIGNATURES.columns)
SCAN = Kind("scan", SCAN_LOG.name, SCAN_LOG.key, SCAN_LOG.columns + ("event_uuid",))
ABSENCE = Kind("absence", ABSENCES.name, ABSENCES.key, ABSENCES.columns + ("event_uuid",))
#: In the order they are sent: what a row points at goes first.
KINDS = (PLEDGE, EVENT, PERSON, ROSTER, CHECKIN, SIGNATURE, SCAN, ABSENCE)


#: The columns a content hash is taken over: all but the signature's bytes (its ``sha256`` names the
#: samples; the PNG comes in by its own SHA-256).
_HASHED = {k.name: tuple(c for c in k.columns if c not in ("png", "samples")) for k in KINDS}
_ARRAY = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def content_sha256(kind: Kind, row: dict) -> str:
    """SHA-256 of the JSON array of the row's values in the kind's column order (a signature's PNG by
    its SHA-256): equal rows, equal hashes.  An array rather than an object because a sync hashes every
    row it holds: 1.9x faster (35,002 rows of a 5,000 check-in kiosk: 0.32 s against 0.61 s, medians of 5)."""
    values = [row[c] for c in _HASHED[kind.name]]
    if kind is SIGNATURE:
        values.append(row.get("png_sha256") or sha256_hex(row["png"]))
    return sha256_hex(_ARRAY(values))


PG_MIGRATIONS = (
    f"""
    CREATE TABLE {PG_SCHEMA}.meta (key text PRIMARY KEY, value text NOT NULL);
    INSERT INTO {PG_SCHEMA}.meta VALUES ('instance_id', gen_random_uuid()::text);
    CREATE TABLE {PG_SCHEMA}.pledges (
        sha256 text PRIMARY KEY, key text NOT NULL, title text NOT NULL, text text NOT NULL,
        units_json text NOT NULL, params_json text NOT NULL, created_at timestamptz NOT NULL,
        content_sha256 text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE {PG_SCHEMA}.events (
        uuid uuid PRIMARY KEY, title text NOT NULL, date date NOT NULL, venue text NOT NULL,
        pledge_sha256 text NOT NULL REFERENCES {PG_SCHEMA}.pledges(sha256), created_at timestamptz NOT NULL,
        content_sha256 text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE {PG_SCHEMA}.people (
        nip text PRIMARY KEY, name text NOT NULL, bare_name text NOT NULL, front_title text NOT NULL,
        back_title text NOT NULL, position text NOT NULL, unit text NOT NULL, updated_at timestamptz NOT NULL,
        content_sha256 text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE {PG_SCHEMA}.checkins (
        uuid uuid PRIMARY KEY, event_uuid uuid NOT NULL REFERENCES {PG_SCHEMA}.events(uuid),
        nip text NOT NULL REFERENCES {PG_SCHEMA}.people(nip), device_id text NOT NULL,
        device_seq integer NOT NULL, device_event_id integer NOT NULL, method text NOT NULL,
        checked_in_at timestamptz NOT NULL, utc_offset integer NOT NULL, pledge_sha256 text NOT NULL,
        signature_sha256 text, prev_hash text NOT NULL, row_hash text NOT NULL,
        content_sha256 text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX checkins_event_nip ON {PG_SCHEMA}.checkins (event_uuid, nip, checked_in_at, uuid);
    CREATE TABLE {PG_SCHEMA}.signatures (
        checkin_uuid uuid PRIMARY KEY REFERENCES {PG_SCHEMA}.checkins(uuid), sha256 text NOT NULL,
        pledge_sha256 text NOT NULL, width integer NOT NULL, height integer NOT NULL,
        pressure_real boolean NOT NULL, sample_count integer NOT NULL, strokes_json text NOT NULL,
        png bytea NOT NULL, content_sha256 text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
    ALTER TABLE {PG_SCHEMA}.signatures ALTER COLUMN png SET STORAGE EXTERNAL;  -- PNG is compressed already
    CREATE TABLE {PG_SCHEMA}.conflicts (
        id bigserial PRIMARY KEY, kind text NOT NULL, key text NOT NULL, existing_sha256 text NOT NULL,
        incoming_sha256 text NOT NULL, incoming jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, key, incoming_sha256));
    CREATE VIEW {PG_SCHEMA}.attendance AS
        SELECT c.uuid, c.event_uuid, c.nip, p.name, p.unit, c.device_id, c.method, c.checked_in_at,
               c.signature_sha256 IS NOT NULL AS signed,
               CASE WHEN c.first_uuid <> c.uuid THEN c.first_uuid END AS duplicate_of
        FROM (SELECT ck.*, first_value(ck.uuid) OVER (PARTITION BY ck.event_uuid, ck.nip
                                                      ORDER BY ck.checked_in_at, ck.uuid) AS first_uuid
              FROM {PG_SCHEMA}.checkins ck) c
        JOIN {PG_SCHEMA}.people p ON p.nip = c.nip;
    """,
    # 2: who attends (kinds, ranks, non-ASN staff and guests keyed by badge code, each event's roster), the
    # compact signature samples, the scan log and the absence reasons.
    f"""
    ALTER TABLE {PG_SCHEMA}.people ADD COLUMN kind text NOT NULL DEFAULT '',
        ADD COLUMN rank text NOT NULL DEFAULT '', ADD COLUMN institution text NOT NULL DEFAULT '',
        ADD COLUMN employment text NOT NULL DEFAULT '', ADD COLUMN nik_masked text NOT NULL DEFAULT '';
    ALTER TABLE {PG_SCHEMA}.events ADD COLUMN settings_json text NOT NULL DEFAULT '{{}}';
    ALTER TABLE {PG_SCHEMA}.signatures ADD COLUMN samples bytea, ALTER COLUMN strokes_json DROP NOT NULL;
    CREATE TABLE {PG_SCHEMA}.roster (
        event_uuid uuid NOT NULL REFERENCES {PG_SCHEMA}.events(uuid),
        nip text NOT NULL REFERENCES {PG_SCHEMA}.people(nip), roster_key text UNIQUE NOT NULL,
        content_sha256 text NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_uuid, nip));
    CREATE TABLE {PG_SCHEMA}.scan_log (
        uuid uuid PRIMARY KEY, event_uuid uuid, device_id text NOT NULL, at timestamptz NOT NULL,
        utc_offset integer NOT NULL, method text NOT NULL, reason text NOT NULL, code text, nip text,
        checkin_uuid uuid, payload_shape text NOT NULL, content_sha256 text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE {PG_SCHEMA}.absences (
        uuid uuid PRIMARY KEY, event_uuid uuid NOT NULL REFERENCES {PG_SCHEMA}.events(uuid),
        nip text NOT NULL REFERENCES {PG_SCHEMA}.people(nip), reason text NOT NULL, note text NOT NULL,
        device_id text NOT NULL, at timestamptz NOT NULL, utc_offset integer NOT NULL,
        content_sha256 text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
    CREATE VIEW {PG_SCHEMA}.absence_reasons AS          -- the latest statement per person and event
        SELECT DISTINCT ON (event_uuid, nip) event_uuid, nip, reason, note, at, device_id
        FROM {PG_SCHEMA}.absences ORDER BY event_uuid, nip, at DESC, uuid DESC;
    """,
    # 3: the devices whose rows arrive, each under the key it first came with.
    f"""
    CREATE TABLE {PG_SCHEMA}.devices (
        device_id text PRIMARY KEY, public_key text NOT NULL, first_seen_at timestamptz NOT NULL DEFAULT now(),
        first_seen_from text NOT NULL);
    """,
)


def migrate(pg: psycopg.Connection, target: str) -> int:
    """Create or upgrade the central schema; returns its version."""
    with pg.transaction():
        pg.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        pg.execute(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}")
        pg.execute(f"CREATE TABLE IF NOT EXISTS {PG_SCHEMA}.schema_migrations "
                   "(version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        row = pg.execute(f"SELECT coalesce(max(version), 0) FROM {PG_SCHEMA}.schema_migrations").fetchone()
        current = row[0] if row else 0
        if current > len(PG_MIGRATIONS):
            raise KioskError("sync.server_newer", target=target, found=current, known=len(PG_MIGRATIONS))
        for number, sql in enumerate(PG_MIGRATIONS[current:], start=current + 1):
            pg.execute(sql)
            if number == 2:
                _rehash_release_1(pg)
            pg.execute(f"INSERT INTO {PG_SCHEMA}.schema_migrations (version) VALUES (%s)", (number,))
    return len(PG_MIGRATIONS)


_UTC_MS = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
#: A central column read back as the value a sync source gives for it.
_AS_SENT = {"uuid": "{}::text", "date": "{}::text", "timestamptz": _UTC_MS, "bool": "{}::int"}


def _rehash_release_1(pg: psycopg.Connection) -> None:
    """Rows the first release sent carry content hashes of its own making; give them today's, over the
    columns they have now (kind from the NIP, the later ones empty), so that the same row sent again by
    an upgraded kiosk is recognised as already there, not reported as a conflict."""
    pg.execute(f"UPDATE {PG_SCHEMA}.people SET kind = CASE WHEN substr(nip, 13, 1) = '2' THEN 'pppk' ELSE 'pns' END "
               "WHERE kind = ''")
    sent_as = {v: k for k, v in RENAME.items()}
    for kind in (PLEDGE, EVENT, PERSON, CHECKIN, SIGNATURE):
        types: dict[str, str] = dict(pg.execute("SELECT column_name, udt_name FROM information_schema.columns "
                                "WHERE table_schema = %s AND table_name = %s", (PG_SCHEMA, kind.table)).fetchall())
        columns = [RENAME.get(c, c) for c in _HASHED[kind.name]]
        select = [_AS_SENT.get(types[c], "{}").format(c) + f" AS {sent_as.get(c, c)}" for c in columns]
        if kind is SIGNATURE:
            select.append("encode(sha256(png), 'hex') AS png_sha256")
        cur = pg.execute(f"SELECT {', '.join(select)} FROM {PG_SCHEMA}.{kind.table}")
        names = [d.name for d in cur.description or ()]
        updates = [(content_sha256(kind, row), str(row[kind.key])) for row in (dict(zip(names, r)) for r in cur)]
        cast = "::uuid" if types[kind.key] == "uuid" else ""
        with pg.cursor() as up:
            up.executemany(f"UPDATE {PG_SCHEMA}.{kind.table} SET content_sha256 = %s WHERE {kind.key} = %s{cast}",
                           updates)


def check_devices(pg: psycopg.Connection, target: str, devices: dict[str, str], source: str) -> None:
    """Record the source's devices on first sight; refuse (sending nothing) a device id that arrives
    under another key than the one it first came with."""
    from kiosk.security.keys import fingerprint
    with pg.transaction():
        for device_id, public in sorted(devices.items()):
            pg.execute(f"INSERT INTO {PG_SCHEMA}.devices (device_id, public_key, first_seen_from) "
                       "VALUES (%s, %s, %s) ON CONFLICT (device_id) DO NOTHING", (device_id, public, source))
            row = pg.execute(f"SELECT public_key FROM {PG_SCHEMA}.devices WHERE device_id = %s",
                             (device_id,)).fetchone()
            if row and row[0] != public:
                raise KioskError("sync.device_key", target=target, device=device_id, known=fingerprint(row[0]),
                                 found=fingerprint(public))
