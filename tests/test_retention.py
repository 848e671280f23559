"""Retention (issue 16): ``ikrar purge --event ID`` on real database files, synced to a real PostgreSQL.

Two events on one kiosk: A is purged, B stays.  People 0–7 are only on A's roster (one of them a
non-ASN employee with a NIK), 8–9 are on both, 10–14 only on B; their check-ins interleave in the one
hash chain.  Refused while anything of A is unexported or unsynced (and which one is missing, and the
command to run, is said); once both hold, A's people, NIKs, signatures, check-ins, scans and absences
are gone from the file's bytes, B keeps everything, its export still verifies through the chain links A
left, and a new check-in chains on.
"""
from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
from pathlib import Path

import pytest
from test_sync import LocalPostgres, require_postgres

from kiosk import demo, retention
from kiosk.ceremony import pledge
from kiosk.attendance.checkin import Desk
from kiosk.ceremony.signature import Sample, Signature
from kiosk.exchange import sealing, sync, sync_sources
from kiosk.exchange.export import export_sqlite
from kiosk.exchange.verify import verify
from kiosk.i18n import KioskError
from kiosk.store import Store

NIK = "3201014101900003"           # a woman born 1 Jan 1990 (day + 40), regency 3201


@dataclasses.dataclass(frozen=True)
class Row:                          # a roster row as the importer makes it
    nip: str = ""
    name: str = ""
    bare_name: str = ""
    position: str = "Tenaga Kontrak"
    unit: str = "Sekretariat Daerah"
    kind: str = "non-asn"
    nik: str = ""


def make_signature(i: int) -> Signature:
    """A valid signature of its own for every ``i`` (so its samples are findable in the file)."""
    points = [Sample(round(20 + 250 * k / 39, 2), round(60 + (8 + i) * math.sin(2 * math.pi * k / 39 * (1 + i / 7)), 2),
                     10.0 * k + i, 0.5) for k in range(40)]
    return Signature(300, 120, (tuple(points),))


@pytest.fixture(scope="module")
def server():
    pg = LocalPostgres(require_postgres()).start()
    yield pg
    pg.stop()


@pytest.fixture
def url(server, request):
    return server.database("r_" + request.node.name.lower().replace("[", "_").replace("]", "")[:50])


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    monkeypatch.setattr(sealing, "SCRYPT_LOG2_N", 12)


@dataclasses.dataclass
class Hall:
    store: Store
    a: object
    b: object
    people: list
    contract_key: str
    path: Path


def build(tmp_path: Path) -> Hall:
    people = list(demo.people(15, seed=16))
    path = tmp_path / "hall.db"
    store = Store(path)
    rendered = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"})
    a = store.create_event("Apel A", "2024-11-04", "Ruang Pola", pledge=rendered)
    b = store.create_event("Apel B", "2024-11-05", "Aula", pledge=rendered)
    store.upsert_people(people[:10], event_id=a.id)
    store.upsert_people([Row(name="Siti Kontrakwati", bare_name="Siti Kontrakwati", nik=NIK)], event_id=a.id)
    store.upsert_people(people[8:15], event_id=b.id)
    contract = store.conn.execute("SELECT nip FROM people WHERE nik = ?", (NIK,)).fetchone()[0]
    da, db = Desk(store, a), Desk(store, b)
    for i in range(6):                                   # interleaved: A0 B8 A1 B9 A2 B10 …
        assert da.check_in(people[i].nip, signature=make_signature(i)).status == "recorded"
        assert db.check_in(people[8 + i].nip, signature=make_signature(20 + i)).status == "recorded"
    assert da.check_in(contract, method="manual", signature=make_signature(7)).status == "recorded"
    da.identify("199901012020011999")                     # an unknown NIP: a scan log row with the number
    store.set_absence(people[6].nip, "sakit", "demam tinggi", event_id=a.id)
    store.set_absence(people[14].nip, "izin", event_id=b.id)
    return Hall(store, a, b, people, contract, path)


@pytest.fixture
def hall(tmp_path):
    h = build(tmp_path)
    yield h
    h.store.close()


def push(store: Store, url: str) -> None:
    report = sync.push(store, sync_sources.KioskSource(store), url)
    assert not report.conflicts


def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def a_only(h: Hall) -> list[bytes]:
    """What must be gone from the file: A-only names, NIPs, the NIK, A's signature samples and note."""
    found = [p.name.encode() for p in h.people[:8]] + [p.nip.encode() for p in h.people[:8]]
    found += [b"Siti Kontrakwati", NIK.encode(), b"demam tinggi", b"199901012020011999"]
    blobs = {e: [bytes(b) for (b,) in h.store.conn.execute(
        "SELECT s.samples FROM signatures s JOIN checkins c ON c.uuid = s.checkin_uuid WHERE c.event_id = ?", (e,))]
        for e in (h.a.id, h.b.id)}
    for blob in blobs[h.a.id]:
        piece = blob[len(blob) // 2:len(blob) // 2 + 24]
        assert not any(piece in other for other in blobs[h.b.id])
        found.append(piece)
    return found


# --- refusals --------------------------------------------------------------------------------------

def test_never_exported_is_refused_and_nothing_changes(hall):
    before = hall.store.conn.execute("SELECT count(*) FROM checkins").fetchone()[0]
    with pytest.raises(KioskError) as caught:
        retention.purge(hall.store, hall.a)
    assert caught.value.code == "purge.never_exported"
    assert "ikrar export sqlite --event" in str(caught.value)
    assert hall.store.conn.execute("SELECT count(*) FROM checkins").fetchone()[0] == before


def test_a_check_in_after_the_export_is_refused_naming_it(hall, tmp_path):
    export_sqlite(hall.store, hall.a, tmp_path / "a.db")
    Desk(hall.store, hall.a).check_in(hall.people[7].nip, signature=make_signature(9))
    with pytest.raises(KioskError) as caught:
        retention.check_ready(hall.store, hall.a)
    assert caught.value.code == "purge.not_exported" and "1 check-in" in str(caught.value)


def test_an_absence_or_a_scan_after_the_export_is_refused_too(hall, tmp_path):
    export_sqlite(hall.store, hall.a, tmp_path / "a.db")
    retention.check_exported(hall.store, hall.a)                       # covered right after
    hall.store.set_absence(hall.people[7].nip, "cuti", event_id=hall.a.id)
    Desk(hall.store, hall.a).identify("not a badge")
    with pytest.raises(KioskError) as caught:
        retention.check_exported(hall.store, hall.a)
    assert "1 keterangan tidak hadir" in str(caught.value) and "1 catatan pindai" in str(caught.value)
    with pytest.raises(KioskError):                                     # B was never exported
        retention.check_exported(hall.store, hall.b)


def test_exported_but_never_synced_is_refused(hall, tmp_path):
    export_sqlite(hall.store, hall.a, tmp_path / "a.db")
    with pytest.raises(KioskError) as caught:
        retention.purge(hall.store, hall.a)
    assert caught.value.code == "purge.never_synced" and "ikrar sync --to" in str(caught.value)


def test_something_unsent_is_refused_naming_the_target_and_what(hall, tmp_path, url):
    push(hall.store, url)
    hall.store.set_absence(hall.people[7].nip, "dinas-luar", event_id=hall.a.id)    # after the sync
    export_sqlite(hall.store, hall.a, tmp_path / "a.db")                             # the export has it
    retention.check_exported(hall.store, hall.a)
    with pytest.raises(KioskError) as caught:
        retention.purge(hall.store, hall.a)
    message = str(caught.value)
    assert caught.value.code == "purge.not_synced"
    assert "1 keterangan tidak hadir" in message and sync.target_label(url) in message
    assert "ikrar sync --to" in message
    assert hall.store.conn.execute("SELECT count(*) FROM checkins WHERE event_id = ?", (hall.a.id,)).fetchone()[0] == 7


# --- the purge -------------------------------------------------------------------------------------

def test_purge_removes_a_and_keeps_b_and_the_chain(hall, tmp_path, url):
    store = hall.store
    gone = a_only(hall)
    assert all(g in file_bytes(hall.path) for g in gone)                # there before
    kept_names = [p.name.encode() for p in hall.people[8:15]]
    push(store, url)
    export_sqlite(store, hall.a, tmp_path / "a.db")
    result = retention.purge(store, hall.a)
    r = result.removed
    assert (r.checkins, r.signatures, r.absences, r.people, r.niks) == (7, 7, 1, 9, 1)
    assert r.scans == 8                                  # 7 recorded + the unknown badge
    assert r.roster == 11
    q = store.conn.execute
    assert q("SELECT count(*) FROM checkins WHERE event_id = ?", (hall.a.id,)).fetchone()[0] == 0
    assert q("SELECT count(*) FROM people WHERE nik IS NOT NULL").fetchone()[0] == 0
    assert q("SELECT count(*) FROM chain_purged").fetchone()[0] == 7
    assert store.event(hall.a.id).title == "Apel A"       # the event itself stays
    # The bytes are gone from the file (and its WAL), not just unlinked.
    data = file_bytes(hall.path)
    assert [g for g in gone if g in data] == []
    assert all(n in data for n in kept_names)            # B's people (8, 9 were on both) stay
    assert q("SELECT count(*) FROM checkins WHERE event_id = ?", (hall.b.id,)).fetchone()[0] == 6
    # Recorded with counts only.
    detail = json.loads(q("SELECT detail_json FROM audit_log WHERE action = 'purge'").fetchone()[0])
    assert detail == {"event_id": hall.a.id, **r.to_json()}
    # B still exports and verifies through A's links, and a new check-in chains on.
    d = Desk(store, hall.b)
    assert d.check_in(hall.people[14].nip, signature=make_signature(40)).status == "recorded"
    out = tmp_path / "b.db"
    facts = export_sqlite(store, hall.b, out)
    assert facts["checkins"] == 7
    report = verify(out, trust=store)
    assert report.ok, [p.message for p in report.problems]
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("SELECT count(*) FROM chain_gaps").fetchone()[0] == 7
    finally:
        conn.close()
    # And the sync carries on: B's new check-in goes, nothing of A is asked for again.
    push(store, url)
    status = sync.status(store, sync_sources.KioskSource(store))
    assert status["unsent"]["checkin"] == 0 and status["unsent"]["person"] == 0


def test_purging_again_only_rewrites(hall, tmp_path, url):
    push(hall.store, url)
    export_sqlite(hall.store, hall.a, tmp_path / "a.db")
    retention.purge(hall.store, hall.a)
    again = retention.purge(hall.store, hall.a)
    assert not again.removed.anything
    assert hall.store.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'purge'").fetchone()[0] == 1


def test_a_reader_holding_the_file_stops_the_rewrite_and_the_rerun_finishes(hall, tmp_path, url):
    push(hall.store, url)
    export_sqlite(hall.store, hall.a, tmp_path / "a.db")
    gone = a_only(hall)
    other = sqlite3.connect(hall.path)
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM people").fetchone()          # a kiosk window reading
    with pytest.raises(KioskError) as caught:
        retention.purge(hall.store, hall.a)
    assert caught.value.code == "purge.busy" and "ikrar purge --event" in str(caught.value)
    other.rollback()
    other.close()
    retention.purge(hall.store, hall.a)
    data = file_bytes(hall.path)
    assert [g for g in gone if g in data] == []


# --- the command line ------------------------------------------------------------------------------

def test_the_command_asks_and_a_no_keeps_everything(tmp_path, url, ikrar, monkeypatch):
    h = build(tmp_path)
    push(h.store, url)
    export_sqlite(h.store, h.a, tmp_path / "a.db")
    h.store.close()
    monkeypatch.setattr("sys.stdin", _Input("n\n"))
    code, out, err = ikrar("--db", h.path, "purge", "--event", h.a.id)
    assert code == 1 and "Dibatalkan" in err and "7 check-in" in err and "Apel A" in err
    with Store(h.path) as s:
        assert s.conn.execute("SELECT count(*) FROM checkins").fetchone()[0] == 13
    monkeypatch.setattr("sys.stdin", _Input("apel a\n"))                # the title, any case
    code, out, err = ikrar("--db", h.path, "purge", "--event", h.a.id)
    assert code == 0 and "dihapus" in out
    code, out, err = ikrar("--db", h.path, "purge", "--event", h.a.id, "--yes", "--json")
    assert code == 0 and json.loads(out)["removed"]["checkins"] == 0


def test_the_command_refuses_in_english_with_what_to_run(tmp_path, ikrar):
    h = build(tmp_path)
    h.store.close()
    code, out, err = ikrar("--db", h.path, "--lang", "en", "purge", "--event", h.a.id, "--yes")
    assert code == 1 and "never exported" in err and f"ikrar export sqlite --event {h.a.id}" in err
    code, out, err = ikrar("--db", h.path, "purge", "--event", h.a.id, "--json")
    assert code == 1 and json.loads(out)["code"] == "purge.never_exported"


class _Input:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self.lines.pop(0) if self.lines else ""


def test_the_removal_checks_foreign_keys_once_and_rolls_back_a_break(hall, monkeypatch):
    """Row-by-row foreign key checks are off during the removal (each person deleted scanned every check-in:
    quadratic); one check at its end stands in for them, and a removal that would break one changes nothing."""
    count = "SELECT (SELECT count(*) FROM checkins), (SELECT count(*) FROM people), (SELECT count(*) FROM roster)"
    before = hall.store.conn.execute(count).fetchone()
    monkeypatch.setattr(retention, "_LEAVING", "SELECT nip FROM people")    # B's people too: B's check-ins dangle
    with pytest.raises(RuntimeError, match="pointing at removed"):
        retention.purge(hall.store, hall.a, checked=False)
    assert hall.store.conn.execute(count).fetchone() == before
    assert hall.store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    monkeypatch.undo()
    result = retention.purge(hall.store, hall.a, checked=False)
    assert result.removed.people == 9 and hall.store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert hall.store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
