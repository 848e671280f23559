"""A hall's morning in a real kiosk database, for the desk's tests and its screenshots.

An event with its settings, a roster of PNS, PPPK and non-ASN staff, guests, check-ins made by the
kiosk's own :class:`~kiosk.ceremony.checkin.Desk` with signatures drawn as the pad records them,
on a clock that runs through the morning (a queue that thickens, then thins), and a few absences.
Roster files as clerks bring them: an XLSX written with openpyxl, a CSV in Windows-1252 behind a
UTF-8 BOM with semicolons.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import random
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from kiosk import demo
from kiosk.attendance import checkin
from kiosk.attendance.checkin import Desk
from kiosk.ceremony import pledge as _pledge
from kiosk.documents import sample
from kiosk.people.kinds import PersonKind
from kiosk.security import pin as admin
from kiosk.store import Store

WIB = _dt.timezone(_dt.timedelta(hours=7))
PIN = "246810"
MORNING = _dt.datetime(2024, 11, 4, 7, 10, tzinfo=WIB)


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


def arrival_times(count: int, seed: int = 4) -> list[_dt.datetime]:
    """A queue's arrivals: sparse at first, a crowd around 07:25, a few late ones."""
    rng = random.Random(seed)
    minutes = sorted(max(0.0, min(55.0, rng.gauss(17.0, 7.0))) for _ in range(count))
    return [MORNING + _dt.timedelta(minutes=m, seconds=rng.uniform(0, 20)) for m in minutes]


def build_hall(db: Path, *, staff: int = 46, non_asn: int = 6, present: int = 40, guests: bool = True,
               signatures: bool = True, pin: str | None = PIN, logo_dir: Path | None = None) -> Store:
    """Fill ``db`` (a new file) and return it open; the caller closes it."""
    store = Store(db)
    settings = sample.event(sample.logo((logo_dir or db.parent) / "logo.png"))
    rendered = _pledge.render(_pledge.load_template(_pledge.DEFAULT_TEMPLATE), {"instansi": settings.agency})
    event = store.create_event(settings.title, settings.date, settings.venue, pledge=rendered)
    store.set_event_settings(event.id, {
        "instansi": settings.agency, "unit_kerja": settings.agency_unit, "alamat": settings.address,
        "logo": str(settings.logo), "pemimpin": settings.leader, "jabatan_kepala": settings.head_title,
        "nama_kepala": settings.head_name, "nip_kepala": settings.head_nip, "kota": settings.city})
    people = sample.people(staff, non_asn=non_asn)
    store.upsert_people([Row(p.nip or "", p.name, p.name, p.rank, p.position, p.unit, p.kind,
                             "" if p.kind.has_nip else ("Honorer" if i % 2 else "PPNPN"))
                         for i, p in enumerate(people)])
    if guests:
        for name, position, institution in sample.GUESTS:
            store.add_person(name, kind=PersonKind.GUEST, position=position, institution=institution)
    roster = store.roster(event.id)
    asn = [p for p in roster if p.kind.has_nip]
    others = [p for p in roster if not p.kind.has_nip]
    queue = (asn[:present] + others[: max(0, present - len(asn))] if present <= len(asn) + len(others)
             else asn + others)
    queue += [p for p in others if p.kind is PersonKind.GUEST and p not in queue]
    queue += [p for p in others if p.kind is PersonKind.NON_ASN and p not in queue][: non_asn // 2]
    times = iter(arrival_times(len(queue)))
    before = checkin.now
    checkin.now = lambda: next(times)
    try:
        desk = Desk(store, event)
        for i, person in enumerate(queue):
            desk.check_in(person.nip, method="manual" if i % 11 == 5 else "wedge",
                          signature=sample.strokes(i + 3) if signatures else None)
    finally:
        checkin.now = before
    away = [p for p in asn if p not in queue]
    for person, (reason, note) in zip(away, (("dinas-luar", "Rapat koordinasi di Provinsi"),
                                            ("sakit", "Surat keterangan dokter"), ("cuti", "Cuti melahirkan"))):
        store.set_absence(person.nip, reason, note, event_id=event.id)
    if pin:
        admin.set_pin(store, pin)
    return store


def empty_with_pin(db: Path, pin: str = PIN) -> None:
    with Store(db) as store:
        admin.set_pin(store, pin)


# --- roster files ------------------------------------------------------------------------------------

def roster_people(count: int, seed: int = 7) -> list[demo.DemoPerson]:
    return list(demo.people(count, seed))


def write_roster_xlsx(path: Path, people, *, unit_header: str = "Unit Kerja", bad: dict[int, str] | None = None,
                      title: bool = True) -> Path:
    """A SIMPEG-like sheet: title rows, then NIP Baru, Nama, Jabatan, the unit column, Pangkat/Gol.
    ``bad``: row index -> a NIP text to put there instead (a problem on that line)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pegawai"
    if title:
        ws.append(["DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL"])
        ws.append(["PEMERINTAH KABUPATEN SLEMAN"])
        ws.append([])
    ws.append(["NIP Baru", "Nama", "Jabatan", unit_header, "Pangkat/Gol"])
    for i, p in enumerate(people):
        nip = (bad or {}).get(i, p.nip)
        ws.append([nip, p.name, p.position, p.unit, "Penata, III/c"])
    for row in ws.iter_rows(min_col=1, max_col=1):
        for cell in row:
            cell.number_format = "@"
    wb.save(path)
    return path


def write_roster_csv_1252(path: Path, people, *, extra: list[str] = ()) -> Path:
    """Windows-1252 behind a UTF-8 BOM, ``;``, CRLF, a title row, names with a non-ASCII letter."""
    lines = ["Daftar Pegawai Dinas Pendidikan;;;", "NIP;Nama Lengkap;Jabatan;Unit Kerja"]
    for p in people:
        lines.append(f"{p.nip};{p.name};{p.position};{p.unit} – Sleman")
    lines += list(extra)
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode("cp1252") + b"\r\n")
    return path
