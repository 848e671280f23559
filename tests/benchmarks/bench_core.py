"""Core benchmarks: roster import, check-in latency, durable commit vs bare SQLite.

Prints ``name: value`` lines; never fails on a timing.  Run:
    .venv/bin/python tests/benchmarks/bench_core.py [--people 100000] [--checkins 50000]
"""
from __future__ import annotations

import argparse
import csv
import math
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk import demo  # noqa: E402
from kiosk.ceremony import pledge
from kiosk.attendance.checkin import Desk  # noqa: E402
from kiosk.people.roster import read_roster  # noqa: E402
from kiosk.store import Store  # noqa: E402

from common import kiosk_database  # noqa: E402


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def write_csv(path: Path, people) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write("DAFTAR NOMINATIF PEGAWAI;;;;;\n;;;;;\n")
        w = csv.writer(fh, delimiter=";")
        w.writerow(["NIP Baru", "Nama", "Gelar Depan", "Gelar Belakang", "Jabatan", "Unit Kerja"])
        for p in people:
            w.writerow([p.nip, p.bare_name, p.front_title, p.back_title, p.position, p.unit])


def write_xlsx(path: Path, people) -> None:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Pegawai")
    ws.append(["DAFTAR NOMINATIF PEGAWAI"])
    ws.append([])
    ws.append(["NIP Baru", "Nama", "Gelar Depan", "Gelar Belakang", "Jabatan", "Unit Kerja"])
    for p in people:
        ws.append([p.nip, p.bare_name, p.front_title, p.back_title, p.position, p.unit])
    wb.save(path)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _pledge():
    return pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Bench"})


def _import_once(tmp: Path, path: Path, run: int):
    parsed, parse_s = timed(lambda: read_roster(path))
    with Store(tmp / f"import-{path.suffix[1:]}-{run}.db") as store:
        store.create_event("Apel", "2024-11-04", pledge=_pledge())          # a roster belongs to an event
        _, store_s = timed(lambda: store.upsert_people(parsed.rows))
    return parsed, parse_s, store_s


def bare_calamine(path: Path) -> float:
    """The XLSX read alone: calamine opens the workbook, loads the sheet and hands over its cells."""
    import python_calamine
    start = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    wb.get_sheet_by_index(0).to_python()
    wb.close()
    return time.perf_counter() - start


def bare_csv(path: Path) -> float:
    """The CSV read alone: the file decoded and split by the csv module, nothing looked at."""
    start = time.perf_counter()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        list(csv.reader(fh, delimiter=";"))
    return time.perf_counter() - start


def bare_sqlite(source: Path, target: Path) -> float:
    """The same people and roster rows in a copy of the store's tables (WAL, synchronous FULL, foreign keys
    on, as the store): one executemany in key order, the roster by json_each, one commit."""
    import json
    src = sqlite3.connect(source)
    rows = src.execute("SELECT * FROM people ORDER BY nip").fetchall()
    added_at = src.execute("SELECT added_at FROM roster LIMIT 1").fetchone()[0]    # the same roster rows too
    schema = [r[0] for r in src.execute("SELECT sql FROM sqlite_master WHERE name IN ('people', 'people_nik', "
                                        "'roster') ORDER BY name = 'roster'")]
    src.close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE events(id INTEGER PRIMARY KEY)")
    conn.execute("INSERT INTO events VALUES (1)")
    for sql in schema:
        conn.execute(sql)
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO people VALUES ({', '.join('?' * len(rows[0]))})", rows)
    conn.execute("INSERT OR IGNORE INTO roster(event_id, nip, added_at) SELECT 1, value, ? FROM json_each(?) "
                 "ORDER BY value", (added_at, json.dumps([r[0] for r in rows])))
    conn.execute("COMMIT")
    secs = time.perf_counter() - start
    conn.close()
    return secs


def roster_import(tmp: Path, csv_path: Path, xlsx_path: Path, runs: int):
    """Each format's import (parse + store) ``runs`` times, with the bare baselines measured between them."""
    got = {}
    sqlite_all: list[float] = []
    for fmt, path in (("csv", csv_path), ("xlsx", xlsx_path)):
        parse_s, store_s, read_bare, sqlite_bare = [], [], [], []
        for run in range(runs):
            parsed, p, s = _import_once(tmp, path, run)
            parse_s.append(p)
            store_s.append(s)
            read_bare.append(bare_calamine(path) if fmt == "xlsx" else bare_csv(path))
            sqlite_bare.append(bare_sqlite(tmp / f"import-{fmt}-{run}.db", tmp / f"bare-{fmt}-{run}.db"))
        got[fmt] = parsed
        total = statistics.median(map(sum, zip(parse_s, store_s)))
        bare = statistics.median(map(sum, zip(read_bare, sqlite_bare)))
        read_name = "roster_xlsx_calamine_bare_s" if fmt == "xlsx" else "roster_csv_reader_bare_s"
        print(f"roster_{fmt}_parse_s: {statistics.median(parse_s):.2f}")
        print(f"roster_{fmt}_store_s: {statistics.median(store_s):.2f}")
        print(f"roster_{fmt}_import_s: {total:.2f}")
        print(f"{read_name}: {statistics.median(read_bare):.2f}")
        print(f"roster_{fmt}_import_vs_bare: {total / bare:.2f}")   # x the read and the insert alone, same runs
        sqlite_all += sqlite_bare
    print(f"roster_sqlite_bare_s: {statistics.median(sqlite_all):.2f}")
    return got["csv"], got["xlsx"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--checkins", type=int, default=50_000)
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--roster-runs", type=int, default=3, help="roster imports timed (medians printed)")
    ap.add_argument("--roster-only", action="store_true", help="only the roster import figures")
    ap.add_argument("--memory-only", action="store_true", help="only the 10,000 signed check-ins' memory figures")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ikrar-bench-"))
    if args.memory_only:
        memory(tmp)
        return
    people = list(demo.people(args.people + args.samples, seed=7))
    roster, newcomers = people[:args.people], people[args.people:]

    csv_path, xlsx_path = tmp / "roster.csv", tmp / "roster.xlsx"
    write_csv(csv_path, roster)
    write_xlsx(xlsx_path, roster)
    print(f"roster_rows: {len(roster)}")
    parsed, parsed_x = roster_import(tmp, csv_path, xlsx_path, args.roster_runs)
    assert len(parsed.rows) == len(parsed_x.rows) == len(roster)
    if args.roster_only:
        return

    # A kiosk database with the full roster (plus the newcomers) and many check-ins already.
    db = tmp / "kiosk.db"
    kiosk_database(db, people, args.checkins)             # the roster's first people are checked in
    with Store(db) as store:
        desk = Desk(store)
        latencies, durable = [], []
        for p in newcomers:
            start = time.perf_counter()
            result = desk.check_in(p.nip)
            latencies.append((time.perf_counter() - start) * 1000)
            assert result.status == "recorded"
        dup = []
        for p in roster[:args.samples]:
            start = time.perf_counter()
            desk.check_in(p.nip)
            dup.append((time.perf_counter() - start) * 1000)
        store.upsert_people(list(demo.people(args.samples, seed=99)))
        for p in demo.people(args.samples, seed=99):      # the kiosk's second step: identified, now record
            start = time.perf_counter()
            desk.record(p.nip)
            durable.append((time.perf_counter() - start) * 1000)
    print(f"checkin_people: {len(people)}")
    print(f"checkin_existing: {args.checkins}")
    print(f"checkin_ms_p50: {statistics.median(latencies):.2f}")
    print(f"checkin_ms_p95: {pct(latencies, 95):.2f}")
    print(f"duplicate_scan_ms_p50: {statistics.median(dup):.2f}")
    print(f"duplicate_scan_ms_p95: {pct(dup, 95):.2f}")

    # Bare SQLite insert + commit, same pragmas, same disk, same run.
    bare = sqlite3.connect(tmp / "bare.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("PRAGMA synchronous=FULL")
    bare.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, uuid TEXT, nip TEXT, at TEXT)")
    bare_ms = []
    for i in range(args.samples):
        start = time.perf_counter()
        bare.execute("BEGIN")
        bare.execute("INSERT INTO t (uuid, nip, at) VALUES (?, ?, ?)", (os.urandom(16).hex(), str(i), "x"))
        bare.execute("COMMIT")
        bare_ms.append((time.perf_counter() - start) * 1000)
    bare.close()
    print(f"bare_insert_commit_ms_p50: {statistics.median(bare_ms):.2f}")
    print(f"checkin_vs_bare_ratio_p50: {statistics.median(latencies) / statistics.median(bare_ms):.2f}")
    print(f"record_commit_ms_p50: {statistics.median(durable):.2f}")
    print(f"record_commit_vs_bare_ratio_p50: {statistics.median(durable) / statistics.median(bare_ms):.2f}")
    # In a process of its own: this one holds the 100,000-row rosters above, which are not the kiosk's.
    import subprocess
    subprocess.run([sys.executable, __file__, "--memory-only"], check=True)


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now (``VmHWM``: the peak of this process image; Linux /proc), else the peak so far
    (getrusage's peak, which Linux carries across exec from the parent)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(tmp: Path) -> None:
    """RSS over 10,000 signed check-ins in one process, as a kiosk runs through a long ceremony."""
    from kiosk.ceremony.signature import Sample, Signature
    people = list(demo.people(10_000, seed=5))
    strokes = (tuple(Sample(40 + i * 4.0, 120 + 40 * math.sin(i / 6), i * 9.0) for i in range(120)),)
    signature = Signature(600, 240, strokes)
    with Store(tmp / "memory.db") as store:
        rendered = pledge.render(pledge.load_template("pemilu-2024"))
        store.create_event("Memory", "2024-11-04", pledge=rendered)
        store.upsert_people(people)
        desk = Desk(store)
        marks = {}
        for n, p in enumerate(people, start=1):
            desk.check_in(p.nip, signature=signature)
            if n in (1_000, 10_000):
                marks[n] = rss_mb()
    print(f"rss_mb_after_1k_signed: {marks[1_000]:.1f}")
    print(f"rss_mb_after_10k_signed: {marks[10_000]:.1f}")
    print(f"rss_growth_mb_1k_to_10k: {marks[10_000] - marks[1_000]:.1f}")
    print(f"peak_rss_mb: {rss_mb('VmHWM'):.1f}")


if __name__ == "__main__":
    main()
