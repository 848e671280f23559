"""Retention (UU 27/2022): an event's personal data leaves the kiosk once it is safe elsewhere.

``ikrar purge --event ID`` removes, for that event: its check-ins and their signatures, its scan log
rows, its absence statements, its roster, and the people on it who are on no other event's roster
and appear in no other event's check-ins or absences (their NIKs go with them).  The event itself
(title, date, place, pledge text) stays, so the audit log and the other events' exports still make
sense; each removed check-in leaves its link in the hash chain (``chain_purged``: position and
hashes, no person), so the chain of the events that stay still verifies.

It refuses unless both hold:

* **exported**: an ``ikrar export sqlite`` of this event was made after the event's last check-in,
  scan and absence statement, i.e. an ``export.sqlite`` entry in the audit log whose marks
  (:func:`kiosk.exchange.export.export_marks`: the newest check-in and scan id, the number of absence
  statements) are not behind the database's now.  An entry from before these marks were recorded
  counts when it names as many check-ins as there are and is later than every one of them.
* **synced**: the sync ledger of the last central database synced to (``ikrar sync``) holds every
  row of this event as sent, with today's content: the event, its roster and the people on it,
  its check-ins, signatures, scans and absences.

The removal is one transaction with ``secure_delete`` on; then ``VACUUM`` rewrites the file and a
``TRUNCATE`` checkpoint empties the WAL, so the removed bytes are gone from the disk file, not just
unlinked.  The audit log records the purge with counts only.  Running it again on a purged event
redoes the rewrite (a kiosk that held the file open stopped it the first time).
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass

from kiosk.clock import from_utc_text
from kiosk.exchange.export import export_marks
from kiosk.i18n import KioskError, register
from kiosk.store import Event, Store

register({
    "purge.not_exported": {
        "id": "Acara {id} belum diekspor sejak data terakhirnya ({what}), jadi datanya belum dihapus. Buat ekspornya "
              "dulu: ikrar export sqlite --event {id} -o FILE.db, simpan berkasnya, lalu ulangi.",
        "en": "Event {id} has not been exported since its latest data ({what}), so nothing was removed. Export it "
              "first: ikrar export sqlite --event {id} -o FILE.db, keep the file, then try again."},
    "purge.never_exported": {
        "id": "Acara {id} belum pernah diekspor, jadi datanya belum dihapus. Buat ekspornya dulu: ikrar export "
              "sqlite --event {id} -o FILE.db, simpan berkasnya, lalu ulangi.",
        "en": "Event {id} was never exported, so nothing was removed. Export it first: ikrar export sqlite "
              "--event {id} -o FILE.db, keep the file, then try again."},
    "purge.never_synced": {
        "id": "Basis data ini belum pernah disinkronkan ke basis data pusat, jadi data acara {id} belum dihapus. "
              "Jalankan dulu: ikrar sync --to postgresql://…, lalu ulangi.",
        "en": "This database was never synced to a central database, so nothing of event {id} was removed. "
              "Run first: ikrar sync --to postgresql://…, then try again."},
    "purge.not_synced": {
        "id": "Sebagian data acara {id} belum terkirim ke {target} ({what}), jadi datanya belum dihapus. "
              "Jalankan dulu: ikrar sync --to {target}, lalu ulangi.",
        "en": "Part of event {id}'s data has not reached {target} yet ({what}), so nothing was removed. "
              "Run first: ikrar sync --to {target}, then try again."},
    "purge.busy": {
        "id": "Data acara sudah dihapus, tetapi berkas basis data belum dapat ditulis ulang karena sedang dibuka "
              "program lain (kiosk, konsol atau meja panitia). Tutup program itu, lalu jalankan lagi: "
              "ikrar purge --event {id} --yes",
        "en": "The event's data was removed, but the database file could not be rewritten because another "
              "program (kiosk, console or desk) holds it open. Close it, then run again: "
              "ikrar purge --event {id} --yes"},
    "purge.what.checkins": {"id": "{count} check-in", "en": "{count} check-ins"},
    "purge.what.signatures": {"id": "{count} tanda tangan", "en": "{count} signatures"},
    "purge.what.scans": {"id": "{count} catatan pindai", "en": "{count} scan log rows"},
    "purge.what.absences": {"id": "{count} keterangan tidak hadir", "en": "{count} absence statements"},
    "purge.what.people": {"id": "{count} peserta", "en": "{count} people"},
    "purge.what.roster": {"id": "{count} baris daftar peserta", "en": "{count} roster rows"},
    "purge.what.event": {"id": "data acaranya", "en": "the event itself"},
})

#: The sync ledger's kinds that hold this event's rows, and the words for them in a refusal.
_LEDGER_WORDS = {"event": "event", "person": "people", "roster": "roster", "checkin": "checkins",
                 "signature": "signatures", "scan": "scans", "absence": "absences"}


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    """What a purge removes (or removed)."""
    checkins: int = 0
    signatures: int = 0
    scans: int = 0
    absences: int = 0
    roster: int = 0
    people: int = 0
    niks: int = 0
    ledger: int = 0

    @property
    def anything(self) -> bool:
        return any(asdict(self).values())

    def to_json(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    event_id: int
    removed: PurgeCounts
    bytes_before: int
    bytes_after: int
    seconds: float
    vacuum_seconds: float

    def to_json(self) -> dict[str, object]:
        return {"ok": True, "event": self.event_id, "removed": self.removed.to_json(),
                "bytes_before": self.bytes_before, "bytes_after": self.bytes_after,
                "seconds": round(self.seconds, 3), "vacuum_seconds": round(self.vacuum_seconds, 3)}


# --- what would go -------------------------------------------------------------------------------

# The people on this event's roster and in no other event.  No index leads with a NIP, so each "in another
# event?" is one list built once (NOT IN a subquery), not a search per person (NOT EXISTS: quadratic).
_LEAVING = """
    SELECT r.nip FROM roster r WHERE r.event_id = :e
      AND r.nip NOT IN (SELECT nip FROM roster WHERE event_id <> :e)
      AND r.nip NOT IN (SELECT nip FROM checkins WHERE event_id <> :e)
      AND r.nip NOT IN (SELECT nip FROM absences WHERE event_id <> :e)"""


def plan(store: Store, event: Event) -> PurgeCounts:
    """What :func:`purge` would remove now (nothing is changed)."""
    q = store.conn.execute
    e = {"e": event.id}
    return PurgeCounts(
        checkins=q("SELECT count(*) FROM checkins WHERE event_id = :e", e).fetchone()[0],
        signatures=q("SELECT count(*) FROM signatures WHERE checkin_uuid IN "
                     "(SELECT uuid FROM checkins WHERE event_id = :e)", e).fetchone()[0],
        scans=q("SELECT count(*) FROM scan_log WHERE event_id = :e", e).fetchone()[0],
        absences=q("SELECT count(*) FROM absences WHERE event_id = :e", e).fetchone()[0],
        roster=q("SELECT count(*) FROM roster WHERE event_id = :e", e).fetchone()[0],
        people=q(f"SELECT count(*) FROM ({_LEAVING})", e).fetchone()[0],
        niks=q(f"SELECT count(*) FROM people WHERE nik IS NOT NULL AND nip IN ({_LEAVING})", e).fetchone()[0],
    )


# --- exported? synced? ---------------------------------------------------------------------------

def last_export(store: Store, event: Event) -> dict | None:
    """The newest ``export.sqlite`` audit entry of ``event`` (its detail, with ``at``), if any."""
    row = store.conn.execute(
        "SELECT at, detail_json FROM audit_log WHERE action = 'export.sqlite' "
        "AND json_extract(detail_json, '$.event_id') = ? ORDER BY id DESC LIMIT 1", (event.id,)).fetchone()
    if row is None:
        return None
    return {**json.loads(row[1]), "at": row[0]}


def _behind(store: Store, event: Event, export: dict) -> list[str]:
    """What the database holds for ``event`` that ``export`` does not: message parts, empty when covered."""
    now = export_marks(store.conn, event.id)
    q = store.conn.execute
    if "last_checkin" not in export:                        # recorded before the marks were
        count = q("SELECT count(*) FROM checkins WHERE event_id = ?", (event.id,)).fetchone()[0]
        latest = q("SELECT max(checked_in_at) FROM checkins WHERE event_id = ?", (event.id,)).fetchone()[0]
        late = latest is not None and from_utc_text(latest, 0) > from_utc_text(export["at"], 0)
        if count != export.get("checkins") or late:
            return [_what("checkins", count)]
        return []
    missing = []
    if (now["last_checkin"] or 0) > (export["last_checkin"] or 0):
        n = q("SELECT count(*) FROM checkins WHERE event_id = ? AND id > ?",
              (event.id, export["last_checkin"] or 0)).fetchone()[0]
        missing.append(_what("checkins", n))
    if (now["last_scan"] or 0) > (export["last_scan"] or 0):
        n = q("SELECT count(*) FROM scan_log WHERE event_id = ? AND id > ?",
              (event.id, export["last_scan"] or 0)).fetchone()[0]
        missing.append(_what("scans", n))
    if (now["absences"] or 0) > (export.get("absences") or 0):
        missing.append(_what("absences", (now["absences"] or 0) - (export.get("absences") or 0)))
    return missing


def _what(kind: str, count: int) -> str:
    from kiosk.i18n import t
    return t(f"purge.what.{kind}", count=count)


def check_exported(store: Store, event: Event) -> None:
    export = last_export(store, event)
    if export is None:
        raise KioskError("purge.never_exported", id=event.id)
    missing = _behind(store, event, export)
    if missing:
        raise KioskError("purge.not_exported", id=event.id, what=", ".join(missing))


def event_keys(store: Store, event: Event) -> dict[str, set[str]]:
    """The sync ledger's keys of ``event``'s rows, kind by kind."""
    q = store.conn.execute
    e = (event.id,)
    roster = [r[0] for r in q("SELECT nip FROM roster WHERE event_id = ?", e)]
    checkins = {r[0] for r in q("SELECT uuid FROM checkins WHERE event_id = ?", e)}
    return {
        "event": {event.uuid},
        "person": set(roster),
        "roster": {f"{event.uuid}/{nip}" for nip in roster},
        "checkin": checkins,
        "signature": {r[0] for r in q("SELECT s.checkin_uuid FROM signatures s JOIN checkins c "
                                      "ON c.uuid = s.checkin_uuid WHERE c.event_id = ?", e)},
        "scan": {r[0] for r in q("SELECT uuid FROM scan_log WHERE event_id = ?", e)},
        "absence": {r[0] for r in q("SELECT uuid FROM absences WHERE event_id = ?", e)},
    }


def unsent(store: Store, event: Event) -> tuple[str | None, dict[str, int]]:
    """(the last sync target, or None if never synced; kind → rows of ``event`` it does not hold as sent)."""
    from kiosk.exchange import sync_ledger
    from kiosk.exchange.central import KINDS
    from kiosk.exchange.sync_sources import KioskSource, source_hashes
    label = store.get_setting("sync.last")
    instance = sync_ledger.targets(store).get(label) if label else None
    if instance is None:
        return None, {}
    ledger = sync_ledger.read(store, instance)
    hashes = source_hashes(KioskSource(store))
    wanted = event_keys(store, event)
    missing: dict[str, int] = {}
    for kind in KINDS:
        keys = wanted.get(kind.name)
        if not keys:
            continue
        ours = {k: h for k, h in hashes[kind.name].items() if k in keys}
        count = len(sync_ledger.unsent(ours, ledger, kind))
        if count:
            missing[kind.name] = count
    return label, missing


def check_synced(store: Store, event: Event) -> None:
    target, missing = unsent(store, event)
    if target is None:
        raise KioskError("purge.never_synced", id=event.id)
    if missing:
        words = [_what(_LEDGER_WORDS[k], n) if k != "event" else _what("event", n) for k, n in missing.items()]
        raise KioskError("purge.not_synced", id=event.id, target=target, what=", ".join(words))


def check_ready(store: Store, event: Event) -> None:
    """Refuse (KioskError, saying which is missing and what to run) unless exported and synced."""
    check_exported(store, event)
    check_synced(store, event)


# --- the purge -----------------------------------------------------------------------------------

def _file_bytes(store: Store) -> int:
    return sum(p.stat().st_size for p in (store.path, store.path.with_name(store.path.name + "-wal"))
               if p.exists())


def purge(store: Store, event: Event, *, checked: bool = True) -> PurgeResult:
    """Remove ``event``'s personal data (see the module docstring); ``checked``: refuse unless exported
    and synced (only tests of the removal itself pass False)."""
    started = time.perf_counter()
    before = _file_bytes(store)
    counts = plan(store, event)
    if counts.anything and checked:
        check_ready(store, event)
    conn = store.conn
    old_secure = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")
    try:
        if counts.anything:
            removed = _remove(store, event)
            store.audit("purge", event_id=event.id, **removed.to_json())
        else:
            removed = counts
        vacuum_started = time.perf_counter()
        _rewrite(store, event)
        vacuum = time.perf_counter() - vacuum_started
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(old_secure)}")
    return PurgeResult(event.id, removed, before, _file_bytes(store), time.perf_counter() - started, vacuum)


def _remove(store: Store, event: Event) -> PurgeCounts:
    """The deletions, in one transaction.  Foreign keys are checked once at its end rather than row by row:
    each person deleted would otherwise scan check-ins, rosters and absences for its NIP (no index by NIP)."""
    e = {"e": event.id}
    foreign_keys = store.conn.execute("PRAGMA foreign_keys").fetchone()[0]
    store.conn.execute("PRAGMA foreign_keys = OFF")          # only outside a transaction
    try:
        return _delete(store, e)
    finally:
        store.conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")


def _delete(store: Store, e: dict[str, int]) -> PurgeCounts:
    with store.write() as conn:
        q = conn.execute
        niks = q(f"SELECT count(*) FROM people WHERE nik IS NOT NULL AND nip IN ({_LEAVING})", e).fetchone()[0]
        q("CREATE TEMP TABLE purge_people AS " + _LEAVING, e)
        q("CREATE TEMP TABLE purge_keys (kind TEXT NOT NULL, key TEXT NOT NULL)")
        q("INSERT INTO purge_keys SELECT 'checkin', uuid FROM checkins WHERE event_id = :e "
          "UNION ALL SELECT 'signature', uuid FROM checkins WHERE event_id = :e "
          "UNION ALL SELECT 'scan', uuid FROM scan_log WHERE event_id = :e "
          "UNION ALL SELECT 'absence', uuid FROM absences WHERE event_id = :e "
          "UNION ALL SELECT 'person', nip FROM purge_people "
          "UNION ALL SELECT 'roster', (SELECT uuid FROM events WHERE id = :e) || '/' || nip "
          "FROM roster WHERE event_id = :e", e)
        try:
            ledger = q("DELETE FROM sync_ledger WHERE (kind, key) IN (SELECT kind, key FROM purge_keys)").rowcount
            q("INSERT INTO chain_purged(id, prev_hash, row_hash) "
              "SELECT id, prev_hash, row_hash FROM checkins WHERE event_id = :e", e)
            signatures = q("DELETE FROM signatures WHERE checkin_uuid IN "
                           "(SELECT uuid FROM checkins WHERE event_id = :e)", e).rowcount
            checkins = q("DELETE FROM checkins WHERE event_id = :e", e).rowcount
            scans = q("DELETE FROM scan_log WHERE event_id = :e", e).rowcount
            absences = q("DELETE FROM absences WHERE event_id = :e", e).rowcount
            roster = q("DELETE FROM roster WHERE event_id = :e", e).rowcount
            people = q("DELETE FROM people WHERE nip IN (SELECT nip FROM purge_people)").rowcount
            dangling = q("PRAGMA foreign_key_check").fetchall()
            if dangling:                                  # rolled back: nothing is removed
                raise RuntimeError(f"the purge would leave rows pointing at removed ones: {dangling[:5]}")
        finally:
            q("DROP TABLE temp.purge_people")
            q("DROP TABLE temp.purge_keys")
    return PurgeCounts(checkins, signatures, scans, absences, roster, people, niks, ledger)


def _rewrite(store: Store, event: Event) -> None:
    """VACUUM (secure_delete is on) and empty the WAL, so the removed bytes leave the file itself."""
    conn = store.conn
    try:
        conn.execute("VACUUM")
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise KioskError("purge.busy", id=event.id) from None
        raise
    if busy:
        raise KioskError("purge.busy", id=event.id)
