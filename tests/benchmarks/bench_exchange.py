"""Exchange benchmarks: export, verify, merge and sync (issue 5).

Prints ``name: value`` lines; never fails on a timing.  Run:
    .venv/bin/python tests/benchmarks/bench_exchange.py [--devices 20] [--per-device 500] [--export 5000] [--rounds 3]

Check-ins are written straight through ``Store.insert_checkin`` with a pool of pre-rendered
signatures (about 300 samples each, like a real one), so the set-up does not spend minutes
rendering PNGs; export, merge and sync then handle every signature's strokes and PNG in full.
The sync figure needs the PostgreSQL server binaries (it starts a throwaway server).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kiosk import demo  # noqa: E402
from kiosk.exchange.clone import clone  # noqa: E402
from kiosk.exchange.export import export_sqlite  # noqa: E402
from kiosk.exchange import sealing  # noqa: E402
from kiosk.exchange.verify import verify  # noqa: E402
from kiosk.exchange import merge
from kiosk.ceremony import pledge
from kiosk.exchange import sync, sync_sources
from kiosk.ceremony.ink import render_small_png  # noqa: E402
from kiosk.ceremony.signature import Sample, Signature  # noqa: E402
from kiosk.store import Store, now  # noqa: E402


def signature(seed: int) -> Signature:
    """Three strokes, about 300 samples at 10 ms, on a 600×240 pad."""
    rng = random.Random(seed)
    strokes, t = [], 100.0
    for row in range(3):
        n = 100
        amp, freq = rng.uniform(15, 35), rng.uniform(3, 6)
        pts = []
        for i in range(n):
            u = i / (n - 1)
            x = 60 + 480 * u + 12 * math.sin(2 * math.pi * freq * u * 2)
            y = 60 + 60 * row + amp * math.sin(2 * math.pi * freq * u)
            pts.append(Sample(round(x, 2), round(y, 2), t, round(rng.uniform(0.3, 0.8), 3)))
            t += 10.0
        strokes.append(tuple(pts))
        t += 200.0
    return Signature(600, 240, tuple(strokes))


def pool(size: int) -> list[tuple[Signature, bytes]]:
    """Realistic signatures (as the kiosk's pad records them) with the small image the kiosk stores."""
    from signature_samples import realistic_signatures
    return [(s, render_small_png(s)) for s in realistic_signatures(size, seed=3)]


def record(store: Store, event, nips: list[str], sigs, start: _dt.datetime) -> None:
    """Check-ins (with signatures and scan-log rows) as the kiosk would write them, in one transaction."""
    sha = store.pledge_sha256(event.pledge_id)
    with store.write() as conn:
        for i, nip in enumerate(nips):
            sig, png = sigs[i % len(sigs)]
            moment = start + _dt.timedelta(seconds=2 * i, milliseconds=i % 997)
            row = store.insert_checkin(conn, event_id=event.id, nip=nip, method="wedge", moment=moment,
                                       pledge_sha256=sha, signature=sig, png=png)
            store.log_scan(conn, event_id=event.id, method="wedge", reason="recorded", moment=moment, nip=nip,
                           checkin_uuid=row.uuid, payload_shape="9" * 18)


def bare_copy(store: Store, url: str) -> tuple[int, float]:
    """The same rows a sync sends, read from the same kiosk database and sent by one plain binary COPY per
    table straight into a fresh central database's own tables (their keys, indexes and references
    included): no staging, no idempotence, no conflict checks, no ledger.  The baseline a sync is
    compared with."""
    import psycopg

    from kiosk.exchange import central
    from kiosk.exchange.sync import _CONVERT, _central, _same
    with psycopg.connect(url, autocommit=True) as pg:
        central.migrate(pg, "bare")
        types = {}
        for kind in central.KINDS:
            found = dict(pg.execute("SELECT column_name, udt_name FROM information_schema.columns "
                                    "WHERE table_schema = 'ikrar' AND table_name = %s", (kind.table,)))
            types[kind.name] = [found[c] for c in _central(kind)]
        started = time.perf_counter()                 # from reading the kiosk database, as a sync does
        source = sync_sources.KioskSource(store)
        rows_by_kind = {k.name: source.rows(k) for k in central.KINDS}
        total = 0
        with pg.transaction(), pg.cursor() as cur:
            for kind in central.KINDS:
                convert = [_CONVERT.get(t, _same) for t in types[kind.name]]
                with cur.copy(f"COPY ikrar.{kind.table} ({', '.join(_central(kind))}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(types[kind.name])
                    for r in rows_by_kind[kind.name]:
                        values = [r[c] for c in kind.columns] + ["-"]
                        copy.write_row([f(v) for f, v in zip(convert, values)])
                        total += 1
        return total, time.perf_counter() - started


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=20)
    ap.add_argument("--per-device", type=int, default=500)
    ap.add_argument("--export", type=int, default=5000)
    ap.add_argument("--roster", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3, help="bare COPY and sync rounds (medians are printed)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ikrar-bench-x-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path) -> None:
    sigs, secs = timed(lambda: pool(24))
    print(f"signature_samples: {sigs[0][0].sample_count}")
    print(f"signature_pool_render_s: {secs:.2f}")
    people = [p.nip for p in demo.people(args.roster, seed=11)]
    origin = Store(tmp / "origin.db")
    rendered = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Bench"})
    event = origin.create_event("Apel Ikrar Netralitas ASN", "2024-11-04", pledge=rendered)
    origin.upsert_people(demo.people(args.roster, seed=11))
    start = now().replace(hour=7, minute=30)

    # --- export of N signed check-ins, and of the same roster with none (what the roster itself takes)
    empty = tmp / "roster-only.db"
    export_sqlite(origin, event, empty)
    record(origin, event, people[:args.export], sigs, start)
    out = tmp / "big.db"
    _, secs = timed(lambda: export_sqlite(origin, event, out))
    print(f"export_{args.export}_signed_checkins_s: {secs:.2f}")
    print(f"export_{args.export}_file_mb: {mb(out)}")
    per = (out.stat().st_size - empty.stat().st_size) / args.export
    print(f"export_bytes_per_signed_checkin: {per:.0f}")
    print(f"export_bytes_per_signed_checkin_before_compact_form: 36700")          # format 1, measured in issue 13
    report, secs = timed(lambda: verify(out))
    assert report.ok, report.problems[:3]
    print(f"verify_{args.export}_signed_checkins_s: {secs:.2f}")
    sealing.SCRYPT_LOG2_N = 17
    _, secs = timed(lambda: export_sqlite(origin, event, tmp / "big.ikrar", passphrase="bench passphrase"))
    print(f"export_{args.export}_encrypted_s: {secs:.2f}")

    # --- merge of D exports × P check-ins, overlapping NIPs between neighbouring devices
    rng = random.Random(5)
    exports, export_secs = [], []
    for d in range(args.devices):
        path = tmp / f"kiosk-{d:02d}.db"
        clone(origin, path)
        with Store(path) as kiosk:
            base = d * args.per_device * 9 // 10
            nips = [people[(base + i) % len(people)] for i in range(args.per_device)]
            rng.shuffle(nips)
            record(kiosk, kiosk.event(event.id), nips, sigs, start + _dt.timedelta(milliseconds=d * 37))
            target = tmp / f"export-{d:02d}.db"
            _, secs = timed(lambda: export_sqlite(kiosk, kiosk.event(event.id), target))
            export_secs.append(secs)
            exports.append(target)
    print(f"export_{args.per_device}_signed_checkins_mean_s: {sum(export_secs) / len(export_secs):.3f}")
    if True:                                       # the organiser merges on the master laptop, which cloned them all
        organiser = origin
        master = tmp / "master.db"
        result, secs = timed(lambda: merge.merge(organiser, exports, master))
        print(f"merge_{args.devices}x{args.per_device}_s: {secs:.2f}")
        print(f"merge_checkins: {result['checkins']}")
        print(f"merge_duplicates: {result['duplicates']}")
        print(f"merge_file_mb: {mb(master)}")
        again, secs = timed(lambda: merge.merge(organiser, exports, master))
        print(f"merge_again_unchanged: {again['unchanged']}")
        print(f"merge_again_s: {secs:.2f}")

        # --- sync throughput against a throwaway local server
        try:
            from test_sync import LocalPostgres, find_pg_bin
        except ImportError as exc:                                  # pytest missing: no test helpers
            print(f"sync_rows_per_s: skipped ({exc})")
            return
        bindir = find_pg_bin()
        if bindir is None:
            print("sync_rows_per_s: skipped (no PostgreSQL server binaries)")
            return
        server = LocalPostgres(bindir).start()
        try:
            # Bare COPY and sync in turn, each into a fresh central database (a new one has a new
            # instance id, so the kiosk's ledger sends it everything): medians of the rounds.
            bare_runs, sync_runs = [], []
            for round_ in range(args.rounds):
                bare_runs.append(bare_copy(origin, server.database(f"bare{round_}")))
                url = server.database(f"bench{round_}")
                report, secs = timed(lambda: sync.push(origin, sync_sources.open_source(origin, None, None), url))
                sync_runs.append((report.to_json(), secs))
            bare_rows = bare_runs[0][0]
            bare_secs = statistics.median(s for _, s in bare_runs)
            secs = statistics.median(s for _, s in sync_runs)
            data = sync_runs[0][0]
            print(f"sync_rounds: {args.rounds}")
            print(f"bare_copy_rows: {bare_rows}")
            print(f"bare_copy_median_s: {bare_secs:.2f}")
            print(f"bare_copy_rows_per_s: {bare_rows / bare_secs:.0f}")
            print(f"sync_kiosk_rows: {data['rows']}")
            print(f"sync_kiosk_median_s: {secs:.2f}")
            print(f"sync_rows_per_s: {data['rows'] / secs:.0f}")
            print(f"sync_vs_bare_copy_ratio: {(data['rows'] / secs) / (bare_rows / bare_secs):.2f}")
            print(f"sync_checkins_per_s: {(data['sent']['checkin'] + data['sent']['signature']) / 2 / secs:.0f}")
            _, secs = timed(lambda: sync.push(origin, sync_sources.open_source(origin, None, None), url))
            print(f"sync_again_nothing_to_send_s: {secs:.2f}")
            report, secs = timed(lambda: sync.push(organiser, sync_sources.open_source(organiser, master, None), url))
            data = report.to_json()
            print(f"sync_merged_file_rows: {data['rows']}")
            print(f"sync_merged_file_s: {secs:.2f}")
            print(f"sync_merged_file_rows_per_s: {data['rows'] / secs:.0f}")
        finally:
            server.stop()
    origin.close()


if __name__ == "__main__":
    main()
