"""Security costs (issue 14): what one admin PIN guess costs, what opening an encrypted export costs, and what
checking a file costs every command that reads one (``ikrar --db FILE attendance`` verifies it first).

Prints ``name: value`` lines; never fails on a timing.  Baselines measured in the same run: the first
release's PIN hash (scrypt N=2^14) for the PIN, and opening the same file without the check for the reader.
Run:
    .venv/bin/python tests/benchmarks/bench_security.py [--guesses 5] [--checkins 2000]
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from kiosk import demo  # noqa: E402
from kiosk.ceremony import pledge  # noqa: E402
from kiosk.exchange import sealing  # noqa: E402
from kiosk.exchange.export import export_sqlite  # noqa: E402
from kiosk.exchange.files import open_export  # noqa: E402
from kiosk.exchange.reader import ExportReader  # noqa: E402
from kiosk.security import pin  # noqa: E402
from kiosk.store import Store  # noqa: E402

RELEASE_0_1_COST = (2 ** 14, 8, 1)


def median_seconds(fn, times: int) -> float:
    found = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        found.append(time.perf_counter() - start)
    return statistics.median(found)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--guesses", type=int, default=5, help="PIN guesses timed (median)")
    ap.add_argument("--checkins", type=int, default=2000, help="signed check-ins in the file a reader checks")
    args = ap.parse_args()

    salt = os.urandom(16)
    guess = median_seconds(lambda: pin._hash("246813", salt, *pin.COST), args.guesses)
    old = median_seconds(lambda: pin._hash("246813", salt, *RELEASE_0_1_COST), args.guesses)
    n, r, p = pin.COST
    print(f"pin_scrypt_n: {n}")
    print(f"pin_scrypt_memory_mib: {128 * r * n * p / 2 ** 20:.0f}")
    print(f"pin_guess_seconds: {guess:.3f}")
    print(f"pin_guess_seconds_release_0_1_baseline: {old:.3f}")
    print(f"pin_guess_ratio_over_release_0_1: {guess / old:.1f}")
    # Every 6-digit PIN, on two cores (the copied-database attack): days.
    print(f"pin_six_digits_search_days_two_cores: {10 ** 6 * guess / 2 / 86400:.1f}")
    print(f"pin_six_digits_search_days_two_cores_release_0_1: {10 ** 6 * old / 2 / 86400:.2f}")

    secret = sealing.Passphrase(interactive=False)
    secret._value = "kata sandi rahasia panitia"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("IKRAR_KEY_DIR", str(Path(tmp) / "keys"))
        from bench_exchange import pool, record
        store = Store(Path(tmp) / "kiosk.db")
        people = list(demo.people(args.checkins))
        event = store.create_event("Bench", "2024-11-04", pledge=pledge.render(pledge.load_template("pemilu-2024")))
        store.upsert_people(people)
        record(store, event, [p.nip for p in people], pool(40), _dt.datetime(2024, 11, 4, 7, 0, tzinfo=_dt.UTC))
        plain, sealed = Path(tmp) / "plain.x", Path(tmp) / "sealed.x"
        export_sqlite(store, event, plain)
        export_sqlite(store, event, sealed, passphrase=secret._value)
        store.close()
        unlock = median_seconds(lambda: open_export(sealed, secret), 3)
        bare = median_seconds(lambda: open_export(plain).connect().close(), 3)
        checked = median_seconds(lambda: ExportReader(plain).close(), 3)
        print(f"export_unlock_seconds: {unlock:.3f}")
        print(f"reader_checkins: {args.checkins}")
        print(f"reader_open_unchecked_seconds_baseline: {bare:.3f}")
        print(f"reader_open_verified_seconds: {checked:.3f}")
        print(f"reader_open_ratio_verified_over_unchecked: {checked / bare:.0f}")


if __name__ == "__main__":
    main()
