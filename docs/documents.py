"""Build every document the way a clerk does, and render one page of each into docs/.

    .venv/bin/python docs/documents.py [--keep DIR]

The real path: a kiosk database is made (event settings, a roster of PNS, PPPK and non-ASN staff,
guests), people check in at the desk with signatures drawn as the pad records them
(``tests/signature_samples.py``), two absences are stated, and then the ``ikrar`` commands
write the files (``ikrar badges``, ``ikrar export pdf | xlsx | csv | pakta | laporan``).  Needs
``pdftoppm`` (poppler-utils) to turn the PDFs into PNGs.  The people, the emblem and the photos
are made up (:mod:`kiosk.documents.sample`).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from signature_samples import realistic_signature  # noqa: E402

from kiosk import cli  # noqa: E402
from kiosk.attendance import checkin  # noqa: E402
from kiosk.ceremony import pledge as _pledge  # noqa: E402
from kiosk.attendance.checkin import Desk  # noqa: E402
from kiosk.documents import sample  # noqa: E402
from kiosk.people.kinds import PersonKind  # noqa: E402
from kiosk.store import Store  # noqa: E402

DPI = 110
WIB = _dt.timezone(_dt.timedelta(hours=7))


@dataclass(frozen=True)
class Row:
    """A roster row as the importer hands it to the store."""
    nip: str
    name: str
    bare_name: str
    rank: str
    position: str
    unit: str
    kind: PersonKind
    employment: str = ""


def page_png(pdf: Path, page: int, out: Path, dpi: int = DPI) -> None:
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True)
    print(f"wrote {out.relative_to(ROOT)}")


def ikrar(db: Path, *args: object) -> None:
    code = cli.main(["--db", str(db), *map(str, args)])
    if code != 0:
        raise SystemExit(f"ikrar {' '.join(map(str, args))} failed ({code})")


def build_database(work: Path) -> tuple[Path, str]:
    """The apel of the pictures; returns the database and the NIP of the first person in the queue."""
    db = work / "kiosk.db"
    settings = sample.event(sample.logo(work / "logo.png"))
    staff = sample.people(46, non_asn=6)
    clock = iter(_dt.datetime(2024, 11, 4, 7, 12, tzinfo=WIB) + _dt.timedelta(seconds=9 * i) for i in range(500))
    checkin.now = lambda: next(clock)                        # the apel's morning, on the kiosk's clock
    with Store(db) as store:
        rendered = _pledge.render(_pledge.load_template(_pledge.DEFAULT_TEMPLATE), {"instansi": settings.agency})
        event = store.create_event(settings.title, settings.date, settings.venue, pledge=rendered)
        store.set_event_settings(event.id, {
            "instansi": settings.agency, "unit_kerja": settings.agency_unit, "alamat": settings.address,
            "logo": str(settings.logo), "pemimpin": settings.leader, "jabatan_kepala": settings.head_title,
            "nama_kepala": settings.head_name, "nip_kepala": settings.head_nip, "kota": settings.city})
        store.upsert_people([Row(p.nip or "", p.name, p.name, p.rank, p.position, p.unit, p.kind,
                                 "" if p.kind.has_nip else ("Honorer" if i % 2 else "PPNPN"))
                             for i, p in enumerate(staff)])
        for name, position, institution in sample.GUESTS:
            store.add_person(name, kind=PersonKind.GUEST, position=position, institution=institution)
        roster = store.roster(event.id)
        non_asn = [p for p in roster if p.kind is PersonKind.NON_ASN]
        guests = [p for p in roster if p.kind is PersonKind.GUEST]
        by_nip = {p.nip: p for p in roster}
        queue = [by_nip[p.nip] for p in staff[:40] if p.nip] + non_asn[:4] + guests
        desk = Desk(store)
        for i, person in enumerate(queue):
            desk.check_in(person.nip, signature=realistic_signature(i + 7))
        away = [by_nip[p.nip] for p in staff[40:] if p.nip]
        store.set_absence(away[0].nip, "dinas-luar", "Rapat koordinasi di Provinsi")
        store.set_absence(away[1].nip, "sakit", "Surat keterangan dokter")
        store.set_absence(away[2].nip, "cuti", "Cuti melahirkan")
    return db, queue[0].nip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="also keep the database, the PDFs, XLSX and CSV in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ikrar-docs-"))
    os.environ["IKRAR_KEY_DIR"] = str(work / "keys")
    try:
        db, first = build_database(work)
        photos = [sample.photo(work / f"foto-{i}.jpg", i) for i in range(2)]
        docs = ROOT / "docs"
        with Store(db) as store:
            roster = store.roster(store.active_event().id)
        sheet = [p.nip for p in roster if p.kind is PersonKind.PNS][:6] + \
                [p.nip for p in roster if p.kind is PersonKind.PPPK][:2] + \
                [p.nip for p in roster if p.kind is PersonKind.NON_ASN][:1] + \
                [p.nip for p in roster if p.kind is PersonKind.GUEST][:1]
        ikrar(db, "badges", "-o", work / "kartu.pdf", *[x for key in sheet for x in ("--nip", key)])
        ikrar(db, "badges", "--png", "--nip", first, "-o", work / "kartu.png")
        ikrar(db, "export", "pdf", "-o", work / "daftar-hadir.pdf")
        ikrar(db, "export", "pakta", "-o", work / "pakta")
        ikrar(db, "export", "laporan", "-o", work / "laporan.pdf", *[x for p in photos for x in ("--photo", p)])
        ikrar(db, "export", "xlsx", "-o", work / "kehadiran.xlsx")
        ikrar(db, "export", "csv", "-o", work / "kehadiran.csv")

        page_png(work / "kartu.pdf", 1, docs / "doc-badges.png")
        page_png(work / "daftar-hadir.pdf", 1, docs / "doc-daftar-hadir.png")
        page_png(work / "pakta" / f"pakta-{first}.pdf", 1, docs / "doc-pakta.png")
        page_png(work / "laporan.pdf", 1, docs / "doc-laporan.png")
        from PIL import Image

        with Image.open(work / "kartu.png") as im:       # the 300 dpi card, shown at 200 dpi
            im.resize((round(im.width * 2 / 3), round(im.height * 2 / 3)), Image.Resampling.LANCZOS).save(
                docs / "doc-badge.png")
        print("wrote docs/doc-badge.png")
        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for f in work.iterdir():
                if f.is_file():
                    shutil.copy2(f, keep / f.name)
            shutil.copytree(work / "pakta", keep / "pakta", dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
