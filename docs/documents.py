"""Build every document from demo data and render one page of each into docs/.

    .venv/bin/python docs/documents.py [--keep DIR]

Needs ``pdftoppm`` (poppler-utils) to turn the PDFs into PNGs.  The data is
:mod:`kiosk.documents.sample`: made-up people, a drawn emblem, signatures drawn with the
kiosk's own ink.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.documents import sample
from kiosk.documents.attendance_pdf import attendance_pdf
from kiosk.documents.badges import badge_png, badges_pdf
from kiosk.documents.pakta import pakta_pdf
from kiosk.documents.report_pdf import report_pdf
from kiosk.documents.sheets import attendance_csv, attendance_xlsx

DPI = 110


def page_png(pdf: Path, page: int, out: Path, dpi: int = DPI) -> None:
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True)
    print(f"wrote {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="also keep the PDFs, XLSX and CSV in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ikrar-docs-"))
    try:
        logo = sample.logo(work / "logo.png")
        event = sample.event(logo)
        staff = sample.people(46, non_asn=6)
        guests = sample.guests()
        present, absent = staff[:40] + staff[-4:], staff[40:-4]
        rows = sample.attendance(present + guests)
        absences = sample.absences(absent)
        photos = [sample.photo(work / f"foto-{i}.jpg", i) for i in range(2)]

        badges_pdf(event, staff[:6] + staff[-2:] + guests[:2], work / "kartu.pdf")
        badge_png(event, staff[0], ROOT / "docs" / "doc-badge.png", dpi=200)
        print("wrote docs/doc-badge.png")
        attendance_pdf(event, rows, work / "daftar-hadir.pdf")
        pakta_pdf(event, rows[0], work / "pakta.pdf")
        report_pdf(event, rows, absences, guests, work / "laporan.pdf", photos=photos)
        attendance_xlsx(event, rows, work / "kehadiran.xlsx", absences=absences)
        attendance_csv(event, rows, work / "kehadiran.csv", absences=absences)

        docs = ROOT / "docs"
        page_png(work / "kartu.pdf", 1, docs / "doc-badges.png")
        page_png(work / "daftar-hadir.pdf", 1, docs / "doc-daftar-hadir.png")
        page_png(work / "pakta.pdf", 1, docs / "doc-pakta.png")
        page_png(work / "laporan.pdf", 1, docs / "doc-laporan.png")
        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for f in work.iterdir():
                shutil.copy2(f, keep / f.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
