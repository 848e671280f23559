"""Retention (issue 16): ``ikrar purge`` on a kiosk database with two events of N signed check-ins each.

    python tests/benchmarks/bench_retention.py [--people 5000]

Prints, as ``name: value`` lines: the readiness check (is the last export newer than the data, does the
sync ledger hold every row of the event: every row of the database is hashed for that), the removal
itself (one transaction with secure_delete), the rewrite (VACUUM and the WAL emptied), the file before and
after; and, in the same run on a copy of the same file, a bare ``DELETE`` of the same rows followed by
``VACUUM`` without secure_delete, with the ratio.  Nothing here fails on time.
"""
from __future__ import annotations

import argparse
import math
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk import demo, retention  # noqa: E402
from kiosk.attendance.checkin import Desk  # noqa: E402
from kiosk.ceremony import pledge  # noqa: E402
from kiosk.ceremony.signature import Sample, Signature  # noqa: E402
from kiosk.exchange import sync_ledger  # noqa: E402
from kiosk.exchange.central import KINDS  # noqa: E402
from kiosk.exchange.export import export_sqlite  # noqa: E402
from kiosk.exchange.sync_sources import KioskSource, source_hashes  # noqa: E402
from kiosk.store import Store  # noqa: E402


def signature(i: int) -> Signature:
    points = [Sample(round(20 + 560 * k / 119, 2), round(120 + (30 + i % 50) * math.sin(k / 119 * (3 + i % 5)
                                                                                     * math.pi), 2), 8.0 * k, 0.5)
              for k in range(120)]
    return Signature(600, 240, (tuple(points),))


def build(path: Path, people: int) -> tuple[Store, object, object]:
    store = Store(path)
    rendered = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"})
    a = store.create_event("Apel A", "2024-11-04", pledge=rendered)
    b = store.create_event("Apel B", "2024-11-05", pledge=rendered)
    roster = list(demo.people(2 * people, seed=7))
    store.upsert_people(roster[:people], event_id=a.id)
    store.upsert_people(roster[people:], event_id=b.id)
    da, db = Desk(store, a), Desk(store, b)
    for i in range(people):
        da.check_in(roster[i].nip, signature=signature(i))
        db.check_in(roster[people + i].nip, signature=signature(people + i))
    return store, a, b


def acknowledge_everything(store: Store) -> None:
    """What a finished ``ikrar sync`` leaves in the ledger (without a PostgreSQL server here)."""
    label, instance = "postgresql://bench@central/ikrar", "bench-instance"
    sync_ledger.remember_target(store, label, instance)
    hashes = source_hashes(KioskSource(store))
    with store.write() as conn:
        for kind in KINDS:
            conn.executemany("INSERT OR REPLACE INTO sync_ledger(target, kind, key, content_sha256, status, at) "
                             "VALUES (?, ?, ?, ?, 'sent', '2024-11-05T00:00:00.000Z')",
                             [(instance, kind.name, key, h) for key, h in hashes[kind.name].items()])


def bare_purge(path: Path, event_id: int) -> float:
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    with conn:
        conn.execute("DELETE FROM signatures WHERE checkin_uuid IN (SELECT uuid FROM checkins WHERE event_id = ?)",
                     (event_id,))
        conn.execute("DELETE FROM checkins WHERE event_id = ?", (event_id,))
        conn.execute("DELETE FROM scan_log WHERE event_id = ?", (event_id,))
        conn.execute("DELETE FROM roster WHERE event_id = ?", (event_id,))
        conn.execute("DELETE FROM people WHERE nip NOT IN (SELECT nip FROM roster)")
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000, help="signed check-ins per event")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ikrar-bench-purge-"))
    try:
        import os
        os.environ["IKRAR_KEY_DIR"] = str(work / "keys")
        started = time.perf_counter()
        store, a, _ = build(work / "kiosk.db", args.people)
        print(f"setup_s: {time.perf_counter() - started:.1f}")
        export_sqlite(store, a, work / "a.db")
        acknowledge_everything(store)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(work / "kiosk.db", work / "bare.db")
        started = time.perf_counter()
        retention.check_ready(store, a)
        print(f"purge_readiness_s: {time.perf_counter() - started:.3f}")
        result = retention.purge(store, a)
        store.close()
        bare = bare_purge(work / "bare.db", a.id)
        print(f"purge_people_per_event: {args.people}")
        print(f"purge_removed_checkins: {result.removed.checkins}")
        print(f"purge_removed_people: {result.removed.people}")
        print(f"purge_total_s: {result.seconds:.3f}")
        print(f"purge_rewrite_s: {result.vacuum_seconds:.3f}")
        print(f"purge_removal_s: {result.seconds - result.vacuum_seconds:.3f}")
        print(f"purge_file_before_mb: {result.bytes_before / 1e6:.1f}")
        print(f"purge_file_after_mb: {result.bytes_after / 1e6:.1f}")
        print(f"bare_delete_vacuum_s: {bare:.3f}")
        print(f"ratio_purge_vs_bare: {result.seconds / bare:.2f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
