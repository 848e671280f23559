"""A demo event and roster, so a fresh install shows something real; also test data."""
from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from kiosk.ceremony import pledge as _pledge
from kiosk.store import Store

FIRST = ("Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gunawan", "Hendra", "Indah", "Joko", "Kartika",
         "Lestari", "Made", "Nur", "Oktaviani", "Putu", "Rahmat", "Sri", "Teguh", "Utami", "Wahyu", "Yuliana")
LAST = ("Santoso", "Wijaya", "Lestari", "Saputra", "Hidayat", "Rahayu", "Kusuma", "Pratama", "Siregar",
        "Nasution", "Wibowo", "Setiawan", "Handayani", "Purnomo", "Harahap", "Suryani")
POSITIONS = ("Analis Kebijakan", "Pranata Komputer", "Arsiparis", "Pengelola Keuangan", "Kepala Seksi",
             "Kepala Bidang", "Guru Ahli Pertama", "Perawat Terampil", "Penyuluh Pertanian")
UNITS = ("Sekretariat Daerah", "BKPSDM", "Dinas Pendidikan", "Dinas Kesehatan", "Bappeda",
         "Dinas Komunikasi dan Informatika", "Kecamatan Kota", "Inspektorat")
FRONT = ("", "", "", "Dr. ", "Ir. ", "drg. ")
BACK = ("", ", S.H.", ", S.Kom.", ", S.E., M.M.", ", S.Pd.", ", M.Si.", ", S.Kep., Ns.")


@dataclass(frozen=True, slots=True)
class DemoPerson:
    nip: str
    name: str
    bare_name: str
    front_title: str
    back_title: str
    position: str
    unit: str


def make_nip(rng: random.Random, sequence: int) -> str:
    """A valid NIP: PNS mostly, PPPK one in five."""
    birth = _dt.date(1965, 1, 1) + _dt.timedelta(days=rng.randrange(365 * 35))
    gender = rng.choice("12")
    if rng.random() < 0.2:
        year = rng.randrange(max(birth.year + 20, 2019), 2026)
        return f"{birth:%Y%m%d}{year}2{rng.randrange(1, 4)}{gender}{sequence % 999 + 1:03d}"
    year = min(birth.year + rng.randrange(20, 30), 2024)
    return f"{birth:%Y%m%d}{year}{rng.randrange(1, 13):02d}{gender}{sequence % 999 + 1:03d}"


def people(count: int, seed: int = 2024) -> Iterator[DemoPerson]:
    rng = random.Random(seed)
    seen: set[str] = set()
    n = 0
    while len(seen) < count:
        nip = make_nip(rng, n)
        n += 1
        if nip in seen:
            continue
        seen.add(nip)
        bare = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        front, back = rng.choice(FRONT), rng.choice(BACK)
        yield DemoPerson(nip, f"{front}{bare}{back}", bare, front.strip(), back.lstrip(", ").strip(),
                         rng.choice(POSITIONS), rng.choice(UNITS))


def seed(store: Store, count: int = 60) -> bool:
    """Create the demo event and roster if the database has no event yet.  Returns whether it did."""
    if store.events():
        return False
    template = _pledge.load_template(_pledge.DEFAULT_TEMPLATE)
    rendered = _pledge.render(template, {"instansi": "Pemerintah Kabupaten Contoh"})
    with store.write():
        store.create_event("Apel Ikrar Netralitas ASN (demo)", _dt.date.today().isoformat(), "Ruang Pola",
                           pledge=rendered)
        store.upsert_people(people(count))
        store.audit("demo.seed", people=count)
    return True
