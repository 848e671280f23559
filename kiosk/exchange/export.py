"""Writing a kiosk database's export file for one event (atomically, signed by the device)."""
from __future__ import annotations

import heapq
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kiosk.exchange.files import atomic_output, check_output
from kiosk.exchange.format import COLUMNS, create_schema, insert_sql, with_row_hash
from kiosk.exchange.manifest import insert_manifest, manifest_body
from kiosk.exchange.verify import Verifier
from kiosk.i18n import KioskError, register
from kiosk.people.nik import mask_nik
from kiosk.security import keys
from kiosk.store import GENESIS_HASH, Event, Store, chain_hash, now, utc_text
from kiosk.store.schema import ABSENCES, CHECKINS, EVENTS, PEOPLE, PLEDGES, SCAN_LOG, SIGNATURES

register({
    "exchange.source_chain": {
        "id": "Rantai check-in di basis data kiosk rusak pada baris ke-{seq} (uuid {uuid}): {detail} tidak cocok. "
              "Tidak ada yang diekspor atau dikirim. Simpan salinan basis data ini dan hubungi petugas TI.",
        "en": "The kiosk database's check-in chain is broken at row {seq} (uuid {uuid}): {detail} does not match. "
              "Nothing was exported or sent. Keep a copy of this database and call your IT officer.",
    },
    "exchange.mixed_devices": {
        "id": "Basis data kiosk berisi check-in dari perangkat lain ({device}). Jangan menyalin berkas kiosk "
              "antar-laptop; pakai ikrar clone. Hubungi petugas TI.",
        "en": "The kiosk database holds check-ins from another device ({device}). Do not copy kiosk files "
              "between laptops; use ikrar clone. Call your IT officer.",
    },
    "exchange.self_check": {
        "id": "Ekspor dibatalkan: pemeriksaan akhir menemukan masalah ({detail}). Tidak ada berkas yang ditulis. "
              "Laporkan ke petugas TI.",
        "en": "Export cancelled: the final check found a problem ({detail}). No file was written. "
              "Report it to your IT officer.",
    },
})


def export_sqlite(store: Store, event: Event, out: str | os.PathLike, *,
                  passphrase: str | None = None, force: bool = False) -> dict:
    """Write ``event``'s export file (atomically); returns what it holds."""
    out = Path(out)
    check_output(out, store, event_uuid=event.uuid, device_id=store.device_id, force=force)
    key = keys.device_key(store)                  # made (a write) before the read snapshot
    src = store.conn
    src.execute("BEGIN")                          # one consistent snapshot; the kiosk may keep writing
    try:
        marks = export_marks(src, event.id)       # the snapshot's first read: what this export holds
        with atomic_output(out, passphrase) as output:
            facts = _fill_export(output.conn, src, store.device_id, event)
            body = manifest_body("device", store.device_id, keys.public_hex(key), event.uuid, utc_text(now()),
                                 facts, facts["digests"])
            insert_manifest(output.conn, body, key)
    finally:
        src.execute("ROLLBACK")
    store.audit("export.sqlite", event_id=event.id, checkins=facts["checkins"], encrypted=passphrase is not None,
                **marks)
    return {"ok": True, "file": str(out), "event": event.uuid, "device_id": store.device_id,
            "checkins": facts["checkins"], "present": facts["present"], "people": facts["people"],
            "signatures": facts["signatures"], "scan_log": facts["scan_log"], "absences": facts["absences"],
            "chain_head": facts["chain_head"],
            "encrypted": passphrase is not None, "bytes": output.bytes}


def export_marks(conn: sqlite3.Connection, event_id: int) -> dict[str, int | None]:
    """The event's newest check-in and scan (their row ids) and its number of absence statements (they
    are only ever added): an export made now holds up to these, so an export covers everything the
    database holds while its marks are not behind (:mod:`kiosk.retention`)."""
    return {"last_checkin": conn.execute("SELECT max(id) FROM checkins WHERE event_id = ?", (event_id,)).fetchone()[0],
            "last_scan": conn.execute("SELECT max(id) FROM scan_log WHERE event_id = ?", (event_id,)).fetchone()[0],
            "absences": conn.execute("SELECT count(*) FROM absences WHERE event_id = ?", (event_id,)).fetchone()[0]}


def _fill_export(conn: sqlite3.Connection, src: sqlite3.Connection, device: str, event: Event) -> dict:
    conn.execute("BEGIN")
    create_schema(conn)
    _copy_reference(conn, src, event)
    _copy_checkins(conn, src, device, event)
    _copy_signatures(conn, src, event)
    _copy_scan_log(conn, src, event)
    _copy_absences(conn, src, event)
    check = Verifier(conn, deep=False)           # the samples were encoded from the signature this database hashed
    facts = check.device_facts(device)
    ref = check.reference_facts()
    check.references(event.uuid)
    if check.problems:
        raise KioskError("exchange.self_check", detail=check.problems[0].message)
    facts["digests"].update(ref["digests"])
    facts["people"] = ref["people"]
    return facts


def _dicts(cur: sqlite3.Cursor) -> Iterator[dict]:
    names = [d[0] for d in cur.description]
    for r in cur:
        yield dict(zip(names, r))


def _copy_reference(conn: sqlite3.Connection, src: sqlite3.Connection, event: Event) -> None:
    rows = _dicts(src.execute(
        f"SELECT {PLEDGES.sql()} FROM pledges "
        "WHERE id = ? OR sha256 IN (SELECT pledge_sha256 FROM checkins WHERE event_id = ?) ORDER BY sha256",
        (event.pledge_id, event.id)))
    conn.executemany(insert_sql("pledges"), (with_row_hash("pledges", r) for r in rows))
    rows = _dicts(src.execute(
        f"SELECT e.id, {EVENTS.sql('e.')}, p.sha256 AS pledge_sha256 "
        "FROM events e JOIN pledges p ON p.id = e.pledge_id WHERE e.id = ?", (event.id,)))
    conn.executemany(insert_sql("events"), (with_row_hash("events", r) for r in rows))
    # The event's roster; a NIK leaves the kiosk only masked.
    rows = _dicts(src.execute(f"SELECT {PEOPLE.sql('p.')}, p.nik FROM people p JOIN roster r ON r.nip = p.nip "
                              "WHERE r.event_id = ? ORDER BY p.nip", (event.id,)))
    conn.executemany(insert_sql("people"), (with_row_hash("people", _masked(r)) for r in rows))


def _masked(row: dict) -> dict:
    nik = row.pop("nik")
    row["nik_masked"] = mask_nik(nik) if nik else ""
    return row


def store_chain(src: sqlite3.Connection, device: str, *, purged: bool = True) -> Iterator[dict]:
    """A kiosk database's check-ins in chain order, each with its position ``seq`` and its event's uuid;
    refuses (KioskError) at the first row that breaks the chain or belongs to another device.

    The links a purged event left (:mod:`kiosk.retention`) come as rows with ``purged`` true, no event
    and only their hashes (an export gives them as chain gaps); ``purged=False`` leaves them out once
    the chain is checked through them."""
    cols = CHECKINS.columns
    events = dict(src.execute("SELECT id, uuid FROM events").fetchall())
    live = ((r[0], dict(zip(cols, r[1:]))) for r in src.execute(f"SELECT id, {', '.join(cols)} FROM checkins "
                                                                  "ORDER BY id").fetchall())
    has_links = src.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain_purged'").fetchone()
    links = ((r[0], {"uuid": None, "event_id": None, "prev_hash": r[1], "row_hash": r[2], "purged": True})
             for r in (src.execute("SELECT id, prev_hash, row_hash FROM chain_purged ORDER BY id").fetchall()
                       if has_links else ()))
    prev = GENESIS_HASH
    for seq, (_, row) in enumerate(heapq.merge(live, links, key=lambda pair: pair[0]), 1):
        if row.get("purged"):
            if row["prev_hash"] != prev:
                raise KioskError("exchange.source_chain", seq=seq, uuid="-", detail="prev_hash")
        else:
            _check_source_row(row, seq, prev, device)
        prev = row["row_hash"]
        row.update(seq=seq, event_uuid=events.get(row["event_id"]))
        if purged or not row.get("purged"):
            yield row


def _copy_checkins(conn: sqlite3.Connection, src: sqlite3.Connection, device: str, event: Event) -> None:
    """The event's check-ins with their chain position; other events' rows as hashes only (chain_gaps)."""
    full, gaps = [], []
    for row in store_chain(src, device):
        seq = row["seq"]
        if row["event_id"] == event.id:
            row["duplicate_of"] = None
            full.append(tuple(row[c] for c in COLUMNS["checkins"]))
        else:
            gaps.append((device, seq, row["prev_hash"], row["row_hash"]))
    conn.executemany(insert_sql("checkins"), full)
    conn.executemany(insert_sql("chain_gaps"), gaps)


def _check_source_row(row: dict, seq: int, prev: str, device: str) -> None:
    if row["device_id"] != device:
        raise KioskError("exchange.mixed_devices", device=row["device_id"])
    if row["prev_hash"] != prev:
        raise KioskError("exchange.source_chain", seq=seq, uuid=row["uuid"], detail="prev_hash")
    if chain_hash(row) != row["row_hash"]:
        raise KioskError("exchange.source_chain", seq=seq, uuid=row["uuid"], detail="row_hash")


def _copy_signatures(conn: sqlite3.Connection, src: sqlite3.Connection, event: Event) -> None:
    rows = _dicts(src.execute(
        f"SELECT {SIGNATURES.sql('s.')}, c.device_id FROM signatures s JOIN checkins c ON c.uuid = s.checkin_uuid "
        "WHERE c.event_id = ? ORDER BY c.id", (event.id,)))
    conn.executemany(insert_sql("signatures"), (with_row_hash("signatures", r) for r in rows))


def _copy_scan_log(conn: sqlite3.Connection, src: sqlite3.Connection, event: Event) -> None:
    rows = _dicts(src.execute(
        f"SELECT {SCAN_LOG.sql()}, ? AS event_uuid FROM scan_log WHERE event_id = ? ORDER BY id",
        (event.uuid, event.id)))
    conn.executemany(insert_sql("scan_log"), (with_row_hash("scan_log", r) for r in rows))


def _copy_absences(conn: sqlite3.Connection, src: sqlite3.Connection, event: Event) -> None:
    """This device's statements of why people were absent (another device's arrive by merging)."""
    rows = _dicts(src.execute(
        f"SELECT {ABSENCES.sql()}, ? AS event_uuid FROM absences WHERE event_id = ? ORDER BY at, uuid",
        (event.uuid, event.id)))
    conn.executemany(insert_sql("absences"), (with_row_hash("absences", r) for r in rows))
