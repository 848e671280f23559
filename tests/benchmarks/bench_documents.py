"""Documents benchmarks: daftar hadir, pakta, XLSX and badges for a big apel.

Prints ``name: value`` lines; never fails on a timing.  Run:
    .venv/bin/python tests/benchmarks/bench_documents.py [--rows 5000] [--badges 1000] [--no-pakta]
        [--pakta-before] [--no-cli] [--only-pakta]

Signatures: 50 distinct drawings are rendered with the kiosk's own ink
(``kiosk.ceremony.ink.render_png`` on generated strokes, 600×240 pad at scale 0.5, about 5 KB
each), then every row gets its own variant (one pixel's alpha changed, re-encoded), so no two
rows share a PNG: fpdf2 embeds identical images once, and cycling 50 PNGs would let both the
documents and the baseline skip 99 % of the image work a real apel has.

Baselines, in the same run, with the same rows and PNGs:
* ``bare fpdf2 table``: fpdf2's own ``FPDF.table()`` with the six columns and the PNG in the
  last cell (what one writes without this module);
* ``bare fpdf2 loop``: a hand loop of ``cell()`` and ``image()`` per row, no wrapping, no kop,
  no stagger: the least work that still puts the same rows and PNGs on A4.

Pakta, one file each: ``pakta_all`` draws 200 pacts as pages of one document and cuts it into
files (:mod:`kiosk.documents.pdfsplit`).  ``--pakta-before`` also times the way it was done
before, one fpdf2 document per file (the fallback path), on the same rows in the same run.

The command line (unless ``--no-cli``): a kiosk database with the same rows checked in, each
with its own PNG, then ``ikrar export pdf`` and ``ikrar export pakta`` run in-process on it —
the real path, reading every signature and pledge text from SQLite.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from PIL import Image

from kiosk import cli
from kiosk.ceremony import pledge as _pledge
from kiosk.ceremony.signature import Sample, Signature
from kiosk.documents import fonts, pdfsplit, sample
from kiosk.documents.attendance_pdf import attendance_pdf
from kiosk.documents.badges import badges_pdf
from kiosk.documents.pakta import pakta_all
from kiosk.documents.sheets import attendance_xlsx
from kiosk.people.nip import format_spaced
from kiosk.store import Store

HEADS = ("No", "Nama", "NIP", "Pangkat/Gol", "Jabatan", "Tanda Tangan")
WIDTHS = (8, 40, 31, 24, 30, 42)


def distinct_pngs(count: int, base: int = 50) -> list[bytes]:
    bases = [Image.open(io.BytesIO(sample.signature_png(i))) for i in range(base)]
    for im in bases:
        im.load()
    out = []
    for i in range(count):
        im = bases[i % base].copy()
        x, y = (i // base) % im.width, (i // base // im.width) % im.height
        r, g, b, a = im.getpixel((x, y))
        im.putpixel((x, y), (r, g, b, (a + 1) % 256))
        buf = io.BytesIO()
        im.save(buf, format="PNG")
        out.append(buf.getvalue())
    return out


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def bare_table(rows, path: Path) -> None:
    pdf = FPDF(format="A4")
    fonts.install(pdf)
    pdf.set_font(fonts.FAMILY, size=8)
    pdf.add_page()
    with pdf.table(col_widths=WIDTHS, width=sum(WIDTHS)) as table:
        head = table.row()
        for h in HEADS:
            head.cell(h)
        for i, r in enumerate(rows, start=1):
            p = r.person
            row = table.row()
            for text in (str(i), p.name, format_spaced(p.nip or ""), p.rank, p.position):
                row.cell(text)
            row.cell(img=io.BytesIO(r.signature_png), img_fill_width=True)
    path.write_bytes(fonts.output(pdf))


def bare_loop(rows, path: Path) -> None:
    pdf = FPDF(format="A4")
    fonts.install(pdf)
    pdf.set_font(fonts.FAMILY, size=8)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    y = 20.0
    for i, r in enumerate(rows, start=1):
        if y + 11 > 283:
            pdf.add_page()
            y = 20.0
        p = r.person
        pdf.set_xy(20, y)
        for w, text in zip(WIDTHS, (str(i), p.name, format_spaced(p.nip or ""), p.rank, p.position)):
            pdf.cell(w, 11, text[:40], border=1)
        pdf.cell(WIDTHS[-1], 11, "", border=1)
        pdf.image(io.BytesIO(r.signature_png), 20 + sum(WIDTHS[:-1]) + 1, y + 1, 20, 9)
        y += 11
    path.write_bytes(fonts.output(pdf))


def bare_xlsx(rows, path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Hadir")
    for i, r in enumerate(rows, start=1):
        p = r.person
        cells = [WriteOnlyCell(ws, value=v) for v in (i, p.name, p.nip, p.rank, p.position, p.unit, p.kind.label,
                                                       r.checked_in_at.isoformat(), r.method, "Ya")]
        ws.append(cells)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--badges", type=int, default=1000)
    parser.add_argument("--no-pakta", action="store_true")
    parser.add_argument("--pakta-before", action="store_true", help="also time one fpdf2 document per pact")
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--only-pakta", action="store_true", help="skip the daftar hadir, XLSX and badges")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ikrar-bench-docs-"))
    os.environ["IKRAR_KEY_DIR"] = str(work / "keys")     # the benchmark's kiosk key, never the user's
    try:
        t, pngs = timed(lambda: distinct_pngs(args.rows))
        print(f"setup signatures ({args.rows} distinct PNGs from 50 drawings, mean {sum(map(len, pngs)) // len(pngs)} B): {t:.1f} s")
        event = sample.event(sample.logo(work / "logo.png"))
        people = sample.people(args.rows)
        rows = sample.attendance(people, signatures=pngs)
        rows = [r.__class__(r.person, r.checked_in_at, r.method, pngs[i], r.pledge_text, r.pledge_sha256)
                for i, r in enumerate(rows)]

        if not args.only_pakta:
            doc_t, _ = timed(lambda: attendance_pdf(event, rows, work / "dh.pdf"))
            table_t, _ = timed(lambda: bare_table(rows, work / "bare-table.pdf"))
            loop_t, _ = timed(lambda: bare_loop(rows, work / "bare-loop.pdf"))
            print(f"daftar hadir {args.rows} signed: {doc_t:.1f} s ({(work / 'dh.pdf').stat().st_size / 1e6:.1f} MB)")
            print(f"bare fpdf2 table (FPDF.table), same rows and PNGs: {table_t:.1f} s")
            print(f"bare fpdf2 loop (cell + image), same rows and PNGs: {loop_t:.1f} s")
            print(f"daftar hadir / bare table: {doc_t / table_t:.2f}x (goal <= 1.5x)")
            print(f"daftar hadir / bare loop: {doc_t / loop_t:.2f}x")

            x_t, _ = timed(lambda: attendance_xlsx(event, rows, work / "k.xlsx"))
            bx_t, _ = timed(lambda: bare_xlsx(rows, work / "bare.xlsx"))
            print(f"xlsx {args.rows} rows: {x_t:.2f} s (budget 5 s); bare openpyxl write-only: {bx_t:.2f} s; "
                  f"ratio {x_t / bx_t:.2f}x")

            badge_people = people[: args.badges]
            b_t, _ = timed(lambda: badges_pdf(event, badge_people, work / "kartu.pdf"))
            print(f"badges {len(badge_people)} people: {b_t:.1f} s (budget 10 s)")

        if not args.no_pakta:
            s_t, _ = timed(lambda: pakta_all(event, rows, work, single=work / "pakta-semua.pdf"))
            print(f"pakta {args.rows} in one PDF: {s_t:.1f} s")
            p_t, files = timed(lambda: pakta_all(event, rows, work / "pakta"))
            print(f"pakta {len(files)} files: {p_t:.1f} s (budget 60 s), {p_t / len(files) * 1000:.0f} ms a file, "
                  f"{sum(f.stat().st_size for f in files) / len(files) / 1000:.0f} kB a file")
            if args.pakta_before:
                split = pdfsplit.split
                pdfsplit.split = lambda data, ranges: None          # the fallback: one document per file
                try:
                    b_t, files = timed(lambda: pakta_all(event, rows, work / "pakta-before"))
                finally:
                    pdfsplit.split = split
                print(f"pakta {len(files)} files, one fpdf2 document each (before): {b_t:.1f} s; "
                      f"now / before: {p_t / b_t:.2f}x")
        if not args.no_cli:
            cli_path(work, people, rows, pngs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cli_path(work: Path, people, rows, pngs) -> None:
    """``ikrar export pdf`` and ``ikrar export pakta`` on a kiosk database holding the same check-ins."""
    db = work / "kiosk.db"
    points = tuple(Sample(20.0 + 5 * i, 60.0 + (i % 7) * 9, 10.0 * i, 0.5) for i in range(60))
    strokes = Signature(600, 240, (points,))
    with Store(db) as store:
        rendered = _pledge.render(_pledge.load_template(_pledge.DEFAULT_TEMPLATE),
                                  {"instansi": "Pemerintah Kabupaten Sleman"})
        event = store.create_event("Apel Ikrar Netralitas ASN", "2024-11-04", "Ruang Pola", pledge=rendered)
        store.set_event_settings(event.id, {"instansi": "Pemerintah Kabupaten Sleman", "kota": "Sleman",
                                            "logo": str(sample.logo(work / "logo-db.png"))})
        store.upsert_people(_demo_people(len(rows)))
        with store.write() as conn:
            for i, r in enumerate(rows):
                store.insert_checkin(conn, event_id=event.id, nip=r.person.nip, method="wedge",
                                     moment=r.checked_in_at, pledge_sha256=rendered.sha256, signature=strokes,
                                     png=pngs[i])
    for name, argv in (("ikrar export pdf", ["export", "pdf", "-o", str(work / "cli-dh.pdf")]),
                       ("ikrar export pakta", ["export", "pakta", "-o", str(work / "cli-pakta")])):
        t_, code = timed(lambda argv=argv: cli.main(["--db", str(db), *argv]))
        print(f"{name} from a database of {len(rows)} signed check-ins: {t_:.1f} s (exit {code})")


def _demo_people(count: int):
    from kiosk import demo
    return list(demo.people(count))


if __name__ == "__main__":
    main()
