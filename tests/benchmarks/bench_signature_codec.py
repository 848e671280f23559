"""Signature storage: codec blob + small PNG against today's strokes JSON + full-size PNG.

Prints ``name: value`` lines (medians over the generated signatures); never fails on a timing.
Baseline, measured in the same run on the same signatures: ``canonical_bytes()`` (the
``strokes_json`` column) plus ``render_png(sig)`` (the pad-sized RGBA PNG stored today).
Run:
    .venv/bin/python tests/benchmarks/bench_signature_codec.py [--count 200] [--seed 2024]
"""
from __future__ import annotations

import argparse
import lzma
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.ceremony.ink import render_png, render_small_png  # noqa: E402
from kiosk.ceremony.signature_codec import _header, decode, encode  # noqa: E402
from signature_samples import DEVICES, realistic_signatures  # noqa: E402


def timed(fn, arg):
    start = time.perf_counter()
    result = fn(arg)
    return result, (time.perf_counter() - start) * 1000.0


def sqlite_bytes_per_row(rows: list[tuple[bytes, bytes]], page_size: int = 4096, total: int = 5000) -> float:
    """File size per row of a table of ``total`` rows (``rows`` repeated) holding (samples, image)
    plus the uuid and hashes a signatures row has.

    A row larger than half a page takes a page of its own, so the page size matters here.
    """
    rows = (rows * (total // len(rows) + 1))[:total]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.db")
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA page_size = {int(page_size)}")
        conn.execute("CREATE TABLE s(uuid TEXT PRIMARY KEY, sha256 TEXT, samples BLOB, png BLOB, png_sha256 TEXT)")
        conn.executemany("INSERT INTO s VALUES (?, ?, ?, ?, ?)",
                         [(f"{i:08x}-0000-4000-8000-000000000000", "a" * 64, a, b, "b" * 64)
                          for i, (a, b) in enumerate(rows)])
        conn.commit()
        conn.execute("VACUUM")
        conn.close()
        return os.path.getsize(path) / len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=200, help="signatures per device kind (default 200)")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    med = statistics.median

    for device in (*DEVICES, "all"):
        if device == "all":
            sigs = realistic_signatures(args.count, seed=args.seed + 99)
        else:
            sigs = realistic_signatures(args.count, seed=args.seed, device=device)
        rec: dict[str, list[float]] = {k: [] for k in (
            "samples", "json", "png_full", "blob", "png_small", "enc_ms", "dec_ms", "small_png_ms",
            "full_png_ms", "body_zlib", "body_lzma_raw", "body_lzma_alone")}
        old_rows, new_rows = [], []
        for sig in sigs:
            blob, enc_ms = timed(encode, sig)
            back, dec_ms = timed(decode, blob)
            assert back == sig
            small, small_ms = timed(render_small_png, sig)
            full, full_ms = timed(render_png, sig)
            json_bytes = sig.canonical_bytes()
            offset = _header(blob)[-1]
            body = zlib.decompress(blob[offset:])
            rec["samples"].append(sig.sample_count)
            rec["json"].append(len(json_bytes))
            rec["png_full"].append(len(full))
            rec["blob"].append(len(blob))
            rec["png_small"].append(len(small))
            rec["enc_ms"].append(enc_ms)
            rec["dec_ms"].append(dec_ms)
            rec["small_png_ms"].append(small_ms)
            rec["full_png_ms"].append(full_ms)
            rec["body_zlib"].append(len(blob) - offset)
            rec["body_lzma_raw"].append(len(lzma.compress(body, format=lzma.FORMAT_RAW,
                                                          filters=[{"id": lzma.FILTER_LZMA2, "preset": 9}])))
            rec["body_lzma_alone"].append(len(lzma.compress(body, format=lzma.FORMAT_ALONE)))
            old_rows.append((json_bytes, full))
            new_rows.append((blob, small))
        old = [a + b for a, b in zip(rec["json"], rec["png_full"])]
        new = [a + b for a, b in zip(rec["blob"], rec["png_small"])]
        p = f"sig_{device}"
        print(f"{p}_count: {len(sigs)}")
        print(f"{p}_samples_median: {med(rec['samples'])}")
        print(f"{p}_baseline_strokes_json_bytes_median: {med(rec['json']):.0f}")
        print(f"{p}_baseline_png_full_bytes_median: {med(rec['png_full']):.0f}")
        print(f"{p}_baseline_total_bytes_median: {med(old):.0f}")
        print(f"{p}_codec_blob_bytes_median: {med(rec['blob']):.0f}")
        print(f"{p}_codec_blob_bytes_max: {max(rec['blob']):.0f}")
        print(f"{p}_codec_blob_bytes_per_sample_median: "
              f"{med(b / n for b, n in zip(rec['blob'], rec['samples'])):.2f}")
        print(f"{p}_small_png_bytes_median: {med(rec['png_small']):.0f}")
        print(f"{p}_small_png_bytes_max: {max(rec['png_small']):.0f}")
        print(f"{p}_total_bytes_median: {med(new):.0f}")
        print(f"{p}_total_bytes_max: {max(new):.0f}")
        print(f"{p}_ratio_baseline_over_new_median: {med(o / n for o, n in zip(old, new)):.1f}")
        print(f"{p}_blob_ratio_json_over_blob_median: {med(j / b for j, b in zip(rec['json'], rec['blob'])):.1f}")
        print(f"{p}_body_zlib_bytes_median: {med(rec['body_zlib']):.0f}")
        print(f"{p}_body_lzma_raw_bytes_median: {med(rec['body_lzma_raw']):.0f}")
        print(f"{p}_body_lzma_alone_bytes_median: {med(rec['body_lzma_alone']):.0f}")
        print(f"{p}_encode_ms_median: {med(rec['enc_ms']):.2f}")
        print(f"{p}_decode_ms_median: {med(rec['dec_ms']):.2f}")
        print(f"{p}_small_png_render_ms_median: {med(rec['small_png_ms']):.1f}")
        print(f"{p}_baseline_full_png_render_ms_median: {med(rec['full_png_ms']):.1f}")
        print(f"{p}_sqlite_baseline_bytes_per_row: {sqlite_bytes_per_row(old_rows, total=len(old_rows)):.0f}")
        print(f"{p}_sqlite_new_bytes_per_row: {sqlite_bytes_per_row(new_rows):.0f}")
        for page_size in (16384, 65536):
            print(f"{p}_sqlite_new_bytes_per_row_page_{page_size}: {sqlite_bytes_per_row(new_rows, page_size):.0f}")


if __name__ == "__main__":
    main()
