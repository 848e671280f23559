"""Roster parse benchmarks: 100,000 rows as XLSX (calamine vs openpyxl read-only) and CSV.

Prints ``name: value`` lines; never fails on a timing.  Times are the best of ``--repeat`` runs,
wall clock (``_s``) and this process's CPU (``_cpu_s``, steadier on a shared machine).  Run:
    .venv/bin/python tests/benchmarks/bench_roster.py [--people 100000] [--repeat 3]

Files:
* ``excel.xlsx``: written like Excel writes it (shared strings, a ``<dimension>``, a title row);
* ``nodim.xlsx``: openpyxl write-only, inline strings and no ``<dimension>`` (as some exporters),
  so the reader also scans the sheet for stray far-right cells before loading it;
* ``roster.csv``: UTF-8 with BOM, ``;``, the SIMPEG header; ``honorer.csv``: a non-ASN list.
Baselines in the same run: the bare libraries reading every cell (calamine, openpyxl read-only,
``csv.reader``), so each roster figure comes with its ratio to what reading the file costs at least.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk import demo
from kiosk.people.roster import read_roster

HEADER = ["NIP Baru", "Nama", "Gelar Depan", "Gelar Belakang", "Pangkat/Gol", "Jabatan", "Unit Kerja"]
RANKS = ("Penata Muda, III/a", "Penata, III/c", "Pembina, IV/a", "IX", "")


def rows_of(people) -> list[list[str]]:
    return [[p.nip, p.bare_name, p.front_title, p.back_title, RANKS[i % len(RANKS)], p.position, p.unit]
            for i, p in enumerate(people)]


def write_csv(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write("DAFTAR NOMINATIF PEGAWAI;;;;;;\n;;;;;;\n")
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        w.writerows(rows)


def write_honorer_csv(path: Path, rows) -> None:
    with open(path, "w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["No", "NIK", "Nama", "Tugas", "Penempatan", "Status"])
        for i, r in enumerate(rows):
            nik = f"3404{i // 9999 % 90 + 10:02d}{i % 28 + 1:02d}{i % 12 + 1:02d}{80 + i % 20:02d}{i % 9999 + 1:04d}"
            w.writerow([i + 1, nik, r[1], r[5], r[6], "Honorer"])


def write_excel_like(path: Path, rows) -> None:
    """Shared strings, a dimension, cell references: what Excel itself saves."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings: dict[str, int] = {}
    out = io.StringIO()
    all_rows = [["DAFTAR NOMINATIF PEGAWAI"], [], HEADER, *rows]
    letters = "ABCDEFG"
    for r, row in enumerate(all_rows, start=1):
        cells = "".join(f'<c r="{letters[c]}{r}" t="s"><v>{strings.setdefault(v, len(strings))}</v></c>'
                        for c, v in enumerate(row) if v)
        out.write(f'<row r="{r}">{cells}</row>')
    sheet = (f'<worksheet xmlns="{ns}"><dimension ref="A1:G{len(all_rows)}"/>'
             f"<sheetData>{out.getvalue()}</sheetData></worksheet>")
    sst = (f'<sst xmlns="{ns}" count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>',
        "_rels/.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets><sheet name="Pegawai" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": sst,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)


def write_openpyxl_write_only(path: Path, rows) -> None:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Pegawai")
    ws.append(["DAFTAR NOMINATIF PEGAWAI"])
    ws.append([])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)


def best(fn, repeat: int) -> tuple[object, float, float]:
    """(result, best wall seconds, best CPU seconds)."""
    result, walls, cpus = None, [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, min(walls), min(cpus)


def calamine_bare(path: Path) -> int:
    import python_calamine
    with python_calamine.CalamineWorkbook.from_path(path) as wb:
        return sum(1 for _ in wb.get_sheet_by_index(0).iter_rows())


def openpyxl_bare(path: Path) -> int:
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        return sum(1 for _ in ws.iter_rows(values_only=True))
    finally:
        wb.close()


def csv_bare(path: Path) -> int:
    text = path.read_bytes().decode("utf-8-sig")
    return sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def report(name: str, wall: float, cpu: float) -> None:
    print(f"{name}_s: {wall:.2f}")
    print(f"{name}_cpu_s: {cpu:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--openpyxl-repeat", type=int, default=1, help="openpyxl is slow: runs for its baseline")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ikrar-bench-roster-"))
    rows = rows_of(demo.people(args.people, seed=7))
    excel, nodim, csv_path, honorer = tmp / "excel.xlsx", tmp / "nodim.xlsx", tmp / "roster.csv", tmp / "honorer.csv"
    write_excel_like(excel, rows)
    write_openpyxl_write_only(nodim, rows)
    write_csv(csv_path, rows)
    write_honorer_csv(honorer, rows)
    print(f"roster_rows: {len(rows)}")

    # XLSX, the file Excel saves
    parsed, wall, cpu = best(lambda: read_roster(excel), args.repeat)
    assert len(parsed.rows) == len(rows) and not parsed.problems, parsed.problems[:3]
    report("roster_xlsx_parse", wall, cpu)
    _, cal_wall, cal_cpu = best(lambda: calamine_bare(excel), args.repeat)
    report("bare_calamine_read_xlsx", cal_wall, cal_cpu)
    _, op_wall, op_cpu = best(lambda: openpyxl_bare(excel), args.openpyxl_repeat)
    report("bare_openpyxl_readonly_read_xlsx", op_wall, op_cpu)
    print(f"openpyxl_vs_calamine_read_ratio: {op_wall / cal_wall:.1f}")
    print(f"roster_xlsx_parse_vs_calamine_read_ratio: {wall / cal_wall:.2f}")
    print(f"roster_xlsx_parse_vs_openpyxl_read_ratio: {wall / op_wall:.2f}")

    # XLSX without <dimension>: the far-cell scan runs too
    parsed, wall, cpu = best(lambda: read_roster(nodim), args.repeat)
    assert len(parsed.rows) == len(rows) and not parsed.problems
    report("roster_xlsx_nodim_parse", wall, cpu)
    _, cal_wall, cal_cpu = best(lambda: calamine_bare(nodim), args.repeat)
    report("bare_calamine_read_xlsx_nodim", cal_wall, cal_cpu)
    _, op_wall, op_cpu = best(lambda: openpyxl_bare(nodim), args.openpyxl_repeat)
    report("bare_openpyxl_readonly_read_xlsx_nodim", op_wall, op_cpu)
    print(f"openpyxl_vs_calamine_read_ratio_nodim: {op_wall / cal_wall:.1f}")

    # CSV
    parsed, wall, cpu = best(lambda: read_roster(csv_path), args.repeat)
    assert len(parsed.rows) == len(rows) and not parsed.problems
    report("roster_csv_parse", wall, cpu)
    _, bare_wall, bare_cpu = best(lambda: csv_bare(csv_path), args.repeat)
    report("bare_csv_reader", bare_wall, bare_cpu)
    print(f"roster_csv_parse_vs_bare_ratio: {wall / bare_wall:.1f}")

    parsed, wall, cpu = best(lambda: read_roster(honorer, non_asn=True), args.repeat)
    assert len(parsed.rows) == len(rows), parsed.problems[:3]
    report("roster_non_asn_csv_parse", wall, cpu)


if __name__ == "__main__":
    main()
