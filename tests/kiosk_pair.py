"""Two kiosks of one event, as the exchange tests use them: kiosk a and its clone b with check-ins
on both (duplicates, a chain gap, refused scans), and the organiser's laptop that knows both."""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from kiosk import demo
from kiosk.attendance.checkin import Desk
from kiosk.ceremony import pledge
from kiosk.ceremony.signature import Sample, Signature
from kiosk.exchange.clone import clone
from kiosk.exchange.export import export_sqlite
from kiosk.security import keys
from kiosk.store import Store

PASS = "kata sandi rahasia panitia"


def make_signature(i: int) -> Signature:
    """A small valid signature that differs from person to person (so do the PNGs)."""
    points = []
    for k in range(40):
        u = k / 39
        y = 60 + (20 + i % 7) * math.sin(2 * math.pi * u * (2 + i % 3))
        points.append(Sample(round(20 + 250 * u, 2), round(y, 2), 10.0 * k, 0.5))
    return Signature(300, 120, (tuple(points),))


@dataclass
class Pair:
    a: Store
    b: Store
    event: object
    people: list
    tmp: Path

    def export(self, store: Store, name: str, **kw) -> Path:
        out = self.tmp / name
        export_sqlite(store, store.event(self.event.id), out, **kw)
        return out


def build_pair(tmp: Path, people: int = 30) -> Pair:
    """Kiosk a and its clone b.  a checks in 0–4, b 5–6, a 5–7 (5, 6 twice), b 7–11 (7 twice).

    a also holds a second event created after the clone, with one check-in in the middle of its
    chain, so a's export of the first event has a chain gap.
    """
    roster = list(demo.people(people))
    a = Store(tmp / "a.db")
    rendered = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"})
    event = a.create_event("Apel Ikrar Netralitas ASN", "2024-11-04", "Ruang Pola", pledge=rendered)
    a.upsert_people(roster)
    clone(a, tmp / "b.db")
    b = Store(tmp / "b.db")
    da, db_ = Desk(a, a.event(event.id)), Desk(b, b.event(event.id))
    for i in range(0, 5):
        da.check_in(roster[i].nip, signature=make_signature(i) if i % 2 == 0 else None)
    other = a.create_event("Apel Susulan", "2024-11-05", pledge=rendered)
    a.copy_roster(event.id, other.id)
    assert Desk(a, other).check_in(roster[20].nip).status == "recorded"
    a.activate_event(event.id)
    for i in (5, 6):
        db_.check_in(roster[i].nip, signature=make_signature(i))
    for i in (5, 6, 7):
        da.check_in(roster[i].nip, signature=make_signature(i))
    for i in range(7, 12):
        db_.check_in(roster[i].nip, signature=make_signature(i) if i % 2 else None)
    da.check_in("bukan badge")
    db_.check_in("199001012019031001")              # valid NIP, not on the roster
    return Pair(a, b, event, roster, tmp)


def organiser_of(pair: Pair, tmp: Path) -> Store:
    """The organiser's laptop: a database that knows both kiosks (as if it had cloned them)."""
    organiser = Store(tmp / "organiser.db")
    for kiosk in (pair.a, pair.b):
        keys.register_device(organiser, kiosk.device_id, keys.public_hex(keys.device_key(kiosk)), "clone", "test")
    return organiser
