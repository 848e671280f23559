"""Badge payload benchmark: extract_badge (NIP or badge code) against extract_nip, same run.

Prints ``name: value`` lines; never fails on a timing.  Run:
    .venv/bin/python tests/benchmarks/bench_badge.py [--rounds 20000]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.people import badge_code  # noqa: E402
from kiosk.people.payload import extract_badge, extract_nip  # noqa: E402

PNS = "196804111993031009"


def per_call_us(fn, payload: str, rounds: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn(payload)
        best = min(best, (time.perf_counter() - start) / rounds)
    return best * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20000)
    rounds = ap.parse_args().rounds
    code = badge_code.new_code(rng=random.Random(1))
    nip_payloads = {"bare": PNS + "\r", "json": json.dumps({"nip": PNS, "nama": "Budi Santoso"})}
    for name, payload in nip_payloads.items():
        base = per_call_us(extract_nip, payload, rounds)
        ours = per_call_us(extract_badge, payload, rounds)
        print(f"extract_nip_{name}_us: {base:.1f}")
        print(f"extract_badge_nip_{name}_us: {ours:.1f}")
        print(f"extract_badge_nip_{name}_ratio: {ours / base:.2f}")
    for name, payload in {"bare": code + "\r", "json": json.dumps({"kode": badge_code.format_code(code)})}.items():
        print(f"extract_badge_code_{name}_us: {per_call_us(extract_badge, payload, rounds):.1f}")
    start = time.perf_counter()
    made: set[str] = set()
    for _ in range(10_000):
        made.add(badge_code.new_code(made))
    print(f"new_code_10000_s: {time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
