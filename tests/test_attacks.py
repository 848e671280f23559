"""Issue 14's attacks, made as a dishonest clerk makes them: with docs/export-format.md in hand.

Every forgery is built by :mod:`forger` (standard library, sqlite3 and cryptography only, from the
document alone).  The project is used only as the victim uses it: genuine kiosks make the genuine files
(``build_pair``), and ``verify``, ``merge``, ``sync`` and the ``ikrar`` command line judge the forged ones.
Each attack is refused, and the refusal names the device and its key fingerprint, or the person (badge and
name) and the field.
"""
from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import forger
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from forger import open_db
from test_exchange import build_pair, organiser_of

from kiosk.ceremony.checkin import Desk
from kiosk.exchange import merge as merging
from kiosk.exchange import sealing, sync_sources
from kiosk.exchange.export import export_sqlite
from kiosk.exchange.verify import verify
from kiosk.i18n import KioskError
from kiosk.security import keys
from kiosk.store import Store


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    monkeypatch.setattr(sealing, "SCRYPT_LOG2_N", 12)
    monkeypatch.delenv("IKRAR_PASSPHRASE", raising=False)


@pytest.fixture
def pair(tmp_path):
    p = build_pair(tmp_path)
    yield p
    p.a.close()
    p.b.close()


@pytest.fixture
def files(pair):
    """The genuine exports of kiosks a and b."""
    return pair.export(pair.a, "a.x"), pair.export(pair.b, "b.x")


def forged_copy(genuine: Path, name: str, edit) -> Path:
    """A copy of ``genuine`` edited by ``edit(conn)`` (committed)."""
    path = genuine.with_name(name)
    shutil.copy(genuine, path)
    conn = open_db(path)
    edit(conn)
    conn.commit()
    conn.close()
    return path


def fp(store: Store) -> str:
    return keys.fingerprint(keys.own_public_key(store))


def checkin_time(path: Path, nip: str) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT checked_in_at FROM checkins WHERE nip = ?", (nip,)).fetchone()[0]


def refused_merge(store: Store, inputs: list, out: Path, **kw) -> KioskError:
    with pytest.raises(KioskError) as info:
        merging.merge(store, inputs, out, **kw)
    return info.value


def codes(report) -> list[str]:
    return [p.code for p in report.problems]


def file_state(folder: Path, name: str) -> tuple:
    """What a database holds on disk: its bytes, its WAL's (a reader may leave an empty WAL and the shared
    memory index beside it, which hold no data) and whether a rollback journal exists."""
    wal = folder / (name + "-wal")
    return ((folder / name).read_bytes(), wal.read_bytes() if wal.exists() else b"",
            (folder / (name + "-journal")).exists())


# --- 1. a forged device: a genuine export relabelled, rehashed and signed with a fresh key ----------------

def forge_device(genuine: Path, name: str, never_came: str, earlier: tuple[str, str] | None = None):
    """The issue's forgery: a check-in for someone who never came (and, optionally, an earlier check-in for
    someone another kiosk genuinely recorded), every row relabelled to a new device, the chain, row hashes,
    digests and manifest recomputed as the document describes, signed with a fresh Ed25519 key."""
    key = Ed25519PrivateKey.generate()
    device = "f0f0f0f0-1111-4222-8333-944445555666"

    def edit(conn):
        old = forger.manifest(conn)["device_id"]
        forger.relabel_device(conn, old, device)
        forger.add_checkin(conn, device, never_came, "2024-11-04T00:40:00.000Z")
        if earlier:
            forger.add_checkin(conn, device, earlier[0], earlier[1])
        forger.reseal_device(conn, device, key)
    return forged_copy(genuine, name, edit), device, forger.fingerprint(forger.public_hex(key))


def test_a_forged_device_is_intact_but_unknown_and_refused_everywhere(pair, files, tmp_path, ikrar):
    ea, eb = files
    ghost, victim = pair.people[25], pair.people[9]            # 25 never came; 9 checked in on kiosk b
    before_b = checkin_time(eb, victim.nip)
    forged, device, fingerprint = forge_device(ea, "forged.x", ghost.nip, (victim.nip, "2024-11-04T00:00:01.000Z"))
    assert before_b > "2024-11-04T00:00:01.000Z"
    # The document was enough: without a database to know devices by, the forgery is self-consistent.
    alone = verify(forged)
    assert alone.ok, [p.message for p in alone.problems]
    assert [s["trusted"] for s in alone.signers] == [None] and not alone.trust_checked
    assert alone.checkins == 10

    with organiser_of(pair, tmp_path) as organiser:
        report = verify(forged, trust=organiser)
        assert codes(report) == ["keys.unknown_device"]
        message = report.problems[0].message
        assert device in message and fingerprint in message and "tidak dikenal" in message
        assert f"--admit-device {fingerprint}" in message          # says what to do (after checking it)
        # Merged into the organiser's database that knows both genuine kiosks: refused, nothing written.
        error = refused_merge(organiser, [ea, eb, forged], tmp_path / "m1.db")
        assert error.code == "merge.refused" and "forged.x" in str(error)
        assert device in str(error) and fingerprint in str(error)
        assert not (tmp_path / "m1.db").exists()
        # The genuine merged file: refused again, the master file untouched, the genuine check-in not a duplicate.
        merging.merge(organiser, [ea, eb], tmp_path / "master.db")
        master = (tmp_path / "master.db").read_bytes()
        known = organiser.conn.execute("SELECT * FROM known_devices ORDER BY device_id").fetchall()
        error = refused_merge(organiser, [forged], tmp_path / "master.db")
        assert error.code == "merge.refused" and fingerprint in str(error)
        assert (tmp_path / "master.db").read_bytes() == master
        assert organiser.conn.execute("SELECT * FROM known_devices ORDER BY device_id").fetchall() == known
    with sqlite3.connect(tmp_path / "master.db") as conn:
        rows = conn.execute("SELECT device_id, duplicate_of FROM checkins WHERE nip = ?", (victim.nip,)).fetchall()
        assert rows == [(pair.b.device_id, None)]
        assert conn.execute("SELECT count(*) FROM checkins WHERE nip = ?", (ghost.nip,)).fetchone()[0] == 0

    # A fresh organiser database knows nobody: refused, even when the genuine kiosk a is admitted.
    with Store(tmp_path / "fresh.db") as fresh:
        error = refused_merge(fresh, [ea, forged], tmp_path / "m2.db", admit=[fp(pair.a)])
        assert error.code == "merge.refused" and device in str(error) and fingerprint in str(error)
        assert fresh.conn.execute("SELECT count(*) FROM known_devices").fetchone()[0] == 0
    assert not (tmp_path / "m2.db").exists()

    # The command line says the same, in Indonesian, with exit code 1.
    org = tmp_path / "organiser.db"
    code, out, _ = ikrar("--db", org, "verify", forged)
    assert code == 1 and out.startswith("Verifikasi GAGAL") and device in out and fingerprint in out
    assert "TIDAK dikenal" in out
    code, out, _ = ikrar("--db", org, "verify", forged, "--json")
    data = json.loads(out)
    assert data["identities_checked"] and data["signers"][0]["fingerprint"] == fingerprint
    assert data["errors"][0]["code"] == "keys.unknown_device" and data["errors"][0]["field"] == "public_key"
    code, _, err = ikrar("--db", org, "merge", forged, "-o", tmp_path / "master.db")
    assert code == 1 and fingerprint in err and "Tidak ada yang diubah" in err
    code, _, err = ikrar("--db", org, "sync", "--status", "--from", forged)
    assert code == 1 and "tidak dikirim" in err and fingerprint in err


# --- 2. a clone made from a copy of the master database ------------------------------------------------

def test_a_clone_of_a_copied_master_is_unknown_to_the_real_master(pair, files, tmp_path, ikrar):
    master = pair.a
    master.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(master.path, tmp_path / "copy.db")
    code, out, _ = ikrar("--db", tmp_path / "copy.db", "clone", "-o", tmp_path / "rogue.db", "--json")
    assert code == 0
    rogue = json.loads(out)
    code, _, _ = ikrar("--db", tmp_path / "rogue.db", "checkin", pair.people[26].nip)
    assert code == 0
    code, _, _ = ikrar("--db", tmp_path / "rogue.db", "export", "sqlite", "-o", tmp_path / "rogue.x")
    assert code == 0
    assert verify(tmp_path / "rogue.x").ok                                  # a genuine file of a rogue laptop
    # The copy trusts it (it was cloned from there); the real master never heard of it.
    with Store(tmp_path / "copy.db") as copy:
        assert verify(tmp_path / "rogue.x", trust=copy).ok
    assert keys.known_key(master, rogue["device_id"]) is None
    report = verify(tmp_path / "rogue.x", trust=master)
    assert codes(report) == ["keys.unknown_device"]
    assert rogue["device_id"] in report.problems[0].message and rogue["fingerprint"] in report.problems[0].message
    code, _, err = ikrar("--db", master.path, "merge", files[1], tmp_path / "rogue.x", "-o", tmp_path / "m.db")
    assert code == 1 and rogue["device_id"] in err and rogue["fingerprint"] in err and "rogue.x" in err
    assert not (tmp_path / "m.db").exists()
    code, out, _ = ikrar("--db", master.path, "verify", tmp_path / "rogue.x")
    assert code == 1 and rogue["fingerprint"] in out and "TIDAK dikenal" in out


# --- 3. roster and event rows edited under the genuine device manifest ----------------------------------

def edit_roster(conn, nip: str, name: str, title: str) -> None:
    conn.execute("UPDATE people SET name = ?, updated_at = '2099-01-01T00:00:00.000Z' WHERE nip = ?", (name, nip))
    conn.execute("UPDATE events SET title = ?", (title,))
    forger.rehash_rows(conn, "people")
    forger.rehash_rows(conn, "events")


@pytest.mark.parametrize("extra", ["merge", "device+merge"])
def test_roster_and_event_edits_under_a_genuine_manifest_are_refused(pair, files, tmp_path, extra):
    ea, eb = files
    nip = pair.people[3].nip
    real_name = pair.a.person(nip).name
    key = Ed25519PrivateKey.generate()
    mine = forger.fingerprint(forger.public_hex(key))

    def edit(conn):
        edit_roster(conn, nip, "Orang Palsu, S.H.", "Apel Palsu")
        if extra == "device+merge":        # a device of one's own that vouches for the edited roster
            forger.put_manifest(conn, forger.device_body(conn, "perangkat-palsu", key, forger.event_uuid(conn)), key)
        forger.put_manifest(conn, forger.merge_body(conn, "panitia-palsu", key, forger.event_uuid(conn)), key)
    forged = forged_copy(ea, f"roster-{extra}.x", edit)
    with sqlite3.connect(forged) as conn:                   # the genuine device manifest is still there, intact
        assert conn.execute("SELECT count(*) FROM manifest WHERE device_id = ?", (pair.a.device_id,)).fetchone()[0] == 1

    alone = verify(forged)
    if extra == "merge":           # the genuine device manifest's own roster digest still tells
        assert not alone.ok and ("verify.digest", "people") in [(p.code, p.table) for p in alone.problems]
        assert ("verify.digest", "events") in [(p.code, p.table) for p in alone.problems]
    else:                          # devices disagree, so only a trusted merge manifest can vouch: trust decides
        assert alone.ok and [s["trusted"] for s in alone.signers] == [None, None, None]
    with organiser_of(pair, tmp_path) as organiser:
        report = verify(forged, trust=organiser)
        unknown = [p for p in report.problems if p.code == "keys.unknown_device"]
        assert {p.params["device"] for p in unknown} == {"panitia-palsu"} | (
            {"perangkat-palsu"} if extra == "device+merge" else set())
        assert all(mine in p.message for p in unknown)
        merging.merge(organiser, [ea, eb], tmp_path / "master.db")
        before = (tmp_path / "master.db").read_bytes()
        for out in (tmp_path / "fresh-out.db", tmp_path / "master.db"):
            error = refused_merge(organiser, [forged, eb], out)
            assert error.code == "merge.refused" and forged.name in str(error)
        assert not (tmp_path / "fresh-out.db").exists() and (tmp_path / "master.db").read_bytes() == before
    with sqlite3.connect(tmp_path / "master.db") as conn:    # the fake name and title never win
        assert conn.execute("SELECT name FROM people WHERE nip = ?", (nip,)).fetchone()[0] == real_name
        assert conn.execute("SELECT title FROM events").fetchone()[0] == "Apel Ikrar Netralitas ASN"


def test_a_roster_edit_names_the_person_and_the_field(files):
    ea, _ = files

    def edit(conn):                                            # edited, row hash not even recomputed
        conn.execute("UPDATE people SET unit = 'Unit Palsu' WHERE nip = (SELECT nip FROM people ORDER BY nip LIMIT 1)")
    forged = forged_copy(ea, "unit.x", edit)
    with sqlite3.connect(forged) as conn:
        nip, name = conn.execute("SELECT nip, name FROM people ORDER BY nip LIMIT 1").fetchone()
    report = verify(forged)
    problem = next(p for p in report.problems if p.code == "verify.row_sha256")
    assert nip in problem.message and name in problem.message and "row_sha256" in problem.message


# --- 4. a genuine export re-signed with another key under the same device id ---------------------------

def test_a_genuine_export_re_signed_with_another_key_is_refused_naming_both_keys(pair, files, tmp_path, ikrar):
    ea, eb = files
    key = Ed25519PrivateKey.generate()
    mine = forger.fingerprint(forger.public_hex(key))

    def edit(conn):
        body = forger.manifest(conn)
        row_id = body.pop("id")
        body["public_key"] = forger.public_hex(key)
        forger.put_manifest(conn, body, key, replace_id=row_id)
    forged = forged_copy(ea, "resigned.x", edit)
    assert verify(forged).ok
    with organiser_of(pair, tmp_path) as organiser:
        report = verify(forged, trust=organiser)
        assert codes(report) == ["keys.mismatch"]
        message = report.problems[0].message
        assert pair.a.device_id in message and fp(pair.a) in message and mine in message
        error = refused_merge(organiser, [forged, eb], tmp_path / "m.db")
        assert error.code == "merge.refused" and mine in str(error) and fp(pair.a) in str(error)
        # Admitting the stranger's fingerprint does not replace a key the event already knows.
        error = refused_merge(organiser, [forged], tmp_path / "m.db", admit=[mine])
        assert error.code == "merge.refused" and mine in str(error)
        assert keys.known_key(organiser, pair.a.device_id)[0] == keys.own_public_key(pair.a)
    # Two files of one device under two keys, both admitted into a database that knows neither.
    with Store(tmp_path / "fresh.db") as fresh:
        error = refused_merge(fresh, [ea, forged], tmp_path / "m.db", admit=[mine, fp(pair.a)])
        assert error.code == "merge.key_conflict" and mine in str(error) and fp(pair.a) in str(error)
    code, out, _ = ikrar("--db", tmp_path / "organiser.db", "verify", forged)
    assert code == 1 and mine in out


# --- 5. the schema: a replaced view, an added table, trigger and index ---------------------------------

FAKE_VIEW = """
CREATE VIEW attendance AS
    SELECT c.checked_in_at, c.utc_offset, c.nip, p.kind, p.name, p.rank, p.position, p.unit, p.institution,
           c.method, c.device_id, 1 AS signed, c.uuid
    FROM checkins c LEFT JOIN people p ON p.nip = c.nip
    WHERE c.duplicate_of IS NULL AND c.nip <> '{hide}'
    UNION ALL SELECT '2024-11-04T00:30:00.000Z', 420, p.nip, p.kind, p.name, p.rank, p.position, p.unit,
           p.institution, 'wedge', '{device}', 1, 'x' FROM people p WHERE p.nip = '{show}'
"""


def test_a_replaced_view_an_added_table_trigger_and_index_are_each_named(pair, files):
    ea, _ = files
    hide, show = pair.people[0].nip, pair.people[27].nip
    forged = forged_copy(ea, "view.x", lambda c: c.executescript(
        "DROP VIEW attendance;" + FAKE_VIEW.format(hide=hide, show=show, device=pair.a.device_id) + ";"))
    with sqlite3.connect(forged) as conn:                 # what DB Browser and Datasette would show a reader
        shown = {r[0]: r[1] for r in conn.execute("SELECT nip, signed FROM attendance")}
    assert hide not in shown and shown[show] == 1
    report = verify(forged)
    assert [(p.code, p.row, p.field) for p in report.problems] == [("verify.schema_altered", "attendance", "view")]
    assert "'attendance'" in report.problems[0].message and "diganti" in report.problems[0].message

    forged = forged_copy(ea, "objects.x", lambda c: c.executescript(
        "CREATE TABLE catatan (nip TEXT, isi TEXT);"
        "CREATE TRIGGER hapus_jejak AFTER INSERT ON catatan BEGIN DELETE FROM scan_log WHERE nip = new.nip; END;"
        "CREATE INDEX people_name ON people(name);"))
    report = verify(forged)
    named = sorted((p.code, p.field, p.row) for p in report.problems)
    assert named == [("verify.schema_added", "index", "people_name"), ("verify.schema_added", "table", "catatan"),
                     ("verify.schema_added", "trigger", "hapus_jejak")]
    for p in report.problems:
        assert f"'{p.row}'" in p.message and "bukan bagian format" in p.message


@pytest.mark.parametrize("name", ["sqlitex", "SQLITE1", "sqlite2_attendance", "sqlite_attendance"])
def test_an_object_named_like_sqlites_own_is_not_passed_over(files, name):
    """SQLite keeps the prefix ``sqlite_`` for itself; a name that only looks like it is the clerk's, and one
    that has it can still be planted with ``PRAGMA writable_schema`` (and SQLite then uses it)."""
    ea, _ = files

    def plant(conn):
        view = f"CREATE VIEW {name} AS SELECT * FROM attendance WHERE 0"
        trigger = f"CREATE TRIGGER {name}_t AFTER INSERT ON people BEGIN DELETE FROM checkins; END"
        if not name.startswith("sqlite_"):
            conn.executescript(f"{view}; {trigger};")
            return
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES "
                     "('view', ?, ?, 0, ?), ('trigger', ?, 'people', 0, ?)", (name, name, view, f"{name}_t", trigger))
    forged = forged_copy(ea, "lookalike.x", plant)
    with sqlite3.connect(forged) as conn:                  # SQLite takes them as real objects
        assert conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == 0
    report = verify(forged)
    assert sorted((p.code, p.row) for p in report.problems) == [
        ("verify.schema_added", name), ("verify.schema_added", f"{name}_t")]


def test_the_view_can_be_replaced_by_hand_yet_the_rows_still_verify(files):
    """Only the view changed: the signed rows are intact, and verify says exactly that one thing."""
    ea, _ = files
    forged = forged_copy(ea, "view2.x", lambda c: c.executescript(
        "DROP VIEW attendance; CREATE VIEW attendance AS SELECT * FROM checkins WHERE 0;"))
    report = verify(forged)
    assert codes(report) == ["verify.schema_altered"]


# --- 6. a poisoned status check -------------------------------------------------------------------------

def test_a_status_check_of_a_forged_file_writes_nothing_and_the_genuine_file_still_passes(pair, files, tmp_path,
                                                                                            ikrar):
    ea, eb = files
    key = Ed25519PrivateKey.generate()
    mine = forger.fingerprint(forger.public_hex(key))

    def under_b(conn):                     # a's rows relabelled as kiosk b's, signed by a key of one's own
        forger.relabel_device(conn, pair.a.device_id, pair.b.device_id)
        forger.reseal_device(conn, pair.b.device_id, key)
    forged = forged_copy(ea, "poison.x", under_b)
    assert verify(forged).ok
    with Store(tmp_path / "central-clerk.db") as clerk:      # knows kiosk a only
        keys.register_device(clerk, pair.a.device_id, keys.own_public_key(pair.a), "clone", "test")
        keys.device_key(clerk)
    before = file_state(tmp_path, "central-clerk.db")
    listing = sorted(p.name for p in tmp_path.iterdir())
    for extra in ((), ("--admit-device", mine)):
        code, out, err = ikrar("--db", tmp_path / "central-clerk.db", "sync", "--status", "--from", forged, *extra)
        assert code == (0 if extra else 1)
        if not extra:
            assert pair.b.device_id in err and mine in err
    assert file_state(tmp_path, "central-clerk.db") == before           # not a byte, not a WAL frame
    assert {p.name for p in tmp_path.iterdir()} - set(listing) <= {"central-clerk.db-wal", "central-clerk.db-shm"}
    with Store(tmp_path / "central-clerk.db", readonly=True) as clerk:
        assert keys.known_key(clerk, pair.b.device_id) is None
        # The genuine export of b still passes (once the organiser admits b's real fingerprint).
        assert verify(eb, trust=clerk, admitted=frozenset({fp(pair.b)})).ok
        assert codes(verify(forged, trust=clerk, admitted=frozenset({fp(pair.b)}))) == ["keys.unknown_device"]
    code, _, _ = ikrar("--db", tmp_path / "central-clerk.db", "sync", "--status", "--from", eb,
                       "--admit-device", fp(pair.b))
    assert code == 0
    # A database that knows b: the forged file is a key mismatch, the genuine one passes, nothing is written.
    with organiser_of(pair, tmp_path) as organiser:
        organiser.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_state(tmp_path, "organiser.db")
    code, _, err = ikrar("--db", tmp_path / "organiser.db", "sync", "--status", "--from", forged)
    assert code == 1 and mine in err and keys.fingerprint(keys.own_public_key(pair.b)) in err
    code, out, _ = ikrar("--db", tmp_path / "organiser.db", "sync", "--status", "--from", eb, "--json")
    assert code == 0
    code, _, _ = ikrar("--db", tmp_path / "organiser.db", "verify", eb)
    assert code == 0
    assert file_state(tmp_path, "organiser.db") == before


# --- 7. no whole NIK leaves the kiosk --------------------------------------------------------------------

SIXTEEN = re.compile(rb"(?<![0-9])[0-9]{16}(?![0-9])")


def test_no_export_merged_or_encrypted_file_holds_a_whole_nik(pair, tmp_path, monkeypatch, ikrar):
    from kiosk.people.roster import read_roster
    niks = ["3404011508900001", "3404015508900002"]
    roster = tmp_path / "honorer.csv"
    roster.write_text("No;NIK;Nama;Jabatan;Unit Kerja;Status\r\n"
                      f"1;{niks[0]};Sri Wahyuni;Pramu Kantor;Bagian Umum;Honorer\r\n"
                      f"2;{niks[1]};Joko Susilo;Pengemudi;Bagian Umum;PPNPN\r\n", encoding="utf-8")
    parsed = read_roster(roster, non_asn=True)
    pair.a.upsert_people(parsed.rows, event_id=pair.event.id)
    honorer = [p for p in pair.a.roster(pair.event.id) if p.nik_masked]
    assert len(honorer) == 2 and all(p.nik_masked.startswith("3404") for p in honorer)
    Desk(pair.a, pair.a.event(pair.event.id)).check_in(honorer[0].nip)
    plain = pair.export(pair.a, "plain.x")
    sealed = pair.export(pair.a, "sealed.x", passphrase="kata sandi rahasia")
    with organiser_of(pair, tmp_path) as organiser:
        merging.merge(organiser, [plain, pair.export(pair.b, "b.x")], tmp_path / "merged.x")
        source = sync_sources.open_source(organiser, tmp_path / "merged.x", None)
        try:
            sent = [json.dumps(r) for r in source.rows(next(k for k in sync_sources.KINDS if k.name == "person"))]
        finally:
            source.close()
    monkeypatch.setenv("IKRAR_PASSPHRASE", "kata sandi rahasia")
    opened = sealing.decrypt(sealed.read_bytes(), "kata sandi rahasia", str(sealed))
    for blob in (plain.read_bytes(), (tmp_path / "merged.x").read_bytes(), opened, "\n".join(sent).encode()):
        for nik in niks:
            assert nik.encode() not in blob
        assert b"3404********0001" in blob or b"3404********0002" in blob
    # What a clerk prints or lists from the file shows the masked NIK only.
    code, out, _ = ikrar("--db", tmp_path / "merged.x", "roster", "find", "Sri", "--json")
    assert code == 0 and "3404********0001" in out and not SIXTEEN.search(out.encode())
    import datetime as dt

    from kiosk.documents import DocPerson, PersonKind
    from kiosk.documents.model import DocAttendance, DocEvent
    from kiosk.documents.sheets import attendance_csv
    rows = [DocAttendance(DocPerson(PersonKind.NON_ASN, p.name, code=p.nip, nik_masked=p.nik_masked),
                          dt.datetime(2024, 11, 4, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))) for p in honorer]
    csv_path = attendance_csv(DocEvent("Apel", "2024-11-04"), rows, tmp_path / "hadir.csv")
    assert not SIXTEEN.search(Path(csv_path).read_bytes())
    with pytest.raises(KioskError) as info:                 # a document refuses a whole NIK outright
        DocPerson(PersonKind.NON_ASN, "Sri", code="K7QM4XP", nik_masked=niks[0])
    assert info.value.code == "documents.nik_unmasked"
    # The format document shows only a masked example.
    doc = (Path(__file__).resolve().parents[1] / "docs" / "export-format.md").read_bytes()
    assert not SIXTEEN.search(doc)


# --- 8. more, from reading the document ------------------------------------------------------------------

def test_a_checkin_of_another_event_slipped_into_a_chain_gap(pair, tmp_path):
    """A chain gap is another event's check-in by its hashes: putting that check-in itself there keeps the
    chain linked, but the event and the signed counts tell."""
    other = next(e for e in pair.a.events() if e.id != pair.event.id)
    export_sqlite(pair.a, other, tmp_path / "other.x")
    ea = pair.export(pair.a, "a.x")
    with sqlite3.connect(tmp_path / "other.x") as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("SELECT * FROM checkins").fetchone())
        name = conn.execute("SELECT name FROM people WHERE nip = ?", (row["nip"],)).fetchone()[0]

    def edit(conn):
        conn.execute("DELETE FROM chain_gaps WHERE seq = ?", (row["seq"],))
        row.pop("id")
        conn.execute(f"INSERT INTO checkins ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))
    forged = forged_copy(ea, "slipped.x", edit)
    report = verify(forged)
    found = {(p.code, p.table, p.field) for p in report.problems}
    assert ("verify.event", "checkins", "event_uuid") in found and ("verify.mismatch", "manifest", "checkins") in found
    assert not any(p.code.startswith("verify.chain") for p in report.problems)      # the chain itself holds
    event_problem = next(p for p in report.problems if p.code == "verify.event")
    assert all(part in event_problem.message for part in (row["uuid"], row["nip"], name))


def test_a_checkin_hidden_as_a_chain_gap(pair, files):
    """Turning a check-in into a gap (its hashes only) keeps the chain whole; the signed manifest and the scan
    log still remember the person."""
    ea, _ = files
    with sqlite3.connect(ea) as conn:
        uid, seq, nip = conn.execute("SELECT uuid, seq, nip FROM checkins WHERE signature_sha256 IS NULL "
                                     "ORDER BY seq LIMIT 1").fetchone()
        name = conn.execute("SELECT name FROM people WHERE nip = ?", (nip,)).fetchone()[0]

    def edit(conn):
        conn.execute("INSERT INTO chain_gaps SELECT device_id, seq, prev_hash, row_hash FROM checkins WHERE uuid = ?",
                     (uid,))
        conn.execute("DELETE FROM checkins WHERE uuid = ?", (uid,))
    report = verify(forged_copy(ea, "hidden.x", edit))
    found = {(p.code, p.table, p.field) for p in report.problems}
    assert ("verify.mismatch", "manifest", "checkins") in found and ("verify.digest", "checkins", None) in found
    assert not any(p.code.startswith("verify.chain") for p in report.problems)
    log = next(p for p in report.problems if p.code == "verify.missing_row" and p.table == "scan_log")
    assert uid in log.message and nip in log.message and name in log.message


def test_a_forged_gap_that_rewrites_the_chain_head(files):
    ea, _ = files

    def edit(conn):                 # a gap appended after the head, linked properly
        head = forger.manifest(conn)["chain_head"]
        length = forger.manifest(conn)["chain_length"]
        conn.execute("INSERT INTO chain_gaps VALUES (?, ?, ?, ?)",
                     (forger.manifest(conn)["device_id"], length + 1, head, "ab" * 32))
    report = verify(forged_copy(ea, "gap.x", edit))
    assert {(p.code, p.field) for p in report.problems} >= {("verify.mismatch", "chain_length"),
                                                            ("verify.mismatch", "chain_head")}


def test_another_persons_signature_under_a_checkin_with_the_hashes_recomputed(pair, files):
    ea, _ = files
    with sqlite3.connect(ea) as conn:
        (victim, victim_nip), (donor, _) = conn.execute(
            "SELECT checkin_uuid, c.nip FROM signatures s JOIN checkins c ON c.uuid = s.checkin_uuid "
            "ORDER BY c.seq LIMIT 2").fetchall()
        name = conn.execute("SELECT name FROM people WHERE nip = ?", (victim_nip,)).fetchone()[0]

    def edit(conn):                  # samples, image and their hashes copied, the row hash recomputed
        conn.execute("UPDATE signatures SET (sha256, samples, samples_sha256, png, png_sha256, sample_count, width, "
                     "height) = (SELECT sha256, samples, samples_sha256, png, png_sha256, sample_count, width, height "
                     "FROM signatures WHERE checkin_uuid = ?) WHERE checkin_uuid = ?", (donor, victim))
        forger.rehash_rows(conn, "signatures")
    report = verify(forged_copy(ea, "sigswap.x", edit))
    problem = next(p for p in report.problems if p.code == "verify.field_hash")
    assert problem.field == "sha256" and victim in problem.message
    assert victim_nip in problem.message and name in problem.message
    assert ("verify.digest", "signatures") in [(p.code, p.table) for p in report.problems]

    def deeper(conn):                # ... and the check-in's signature hash too, the chain recomputed
        edit(conn)
        sha = conn.execute("SELECT sha256 FROM signatures WHERE checkin_uuid = ?", (victim,)).fetchone()[0]
        conn.execute("UPDATE checkins SET signature_sha256 = ? WHERE uuid = ?", (sha, victim))
        forger.relink_chain(conn, forger.manifest(conn)["device_id"])
    report = verify(forged_copy(ea, "sigswap2.x", deeper))
    # The chain links again, and the next chain gap (another event's check-in, by its hash alone) keeps the
    # head as it was: what tells is the signed digest of the device's check-ins.
    assert [(p.code, p.table) for p in report.problems] == [("verify.digest", "checkins"),
                                                            ("verify.digest", "signatures")]
    assert all(pair.a.device_id in p.message for p in report.problems)


def test_absences_forged_under_a_genuine_device(pair, tmp_path):
    """"Sakit" for someone who just did not come, in kiosk a's name: the signed absence count and digest tell."""
    pair.a.set_absence(pair.people[20].nip, "izin", "ke luar kota", event_id=pair.event.id)
    ea = pair.export(pair.a, "a.x")
    absent = pair.people[21].nip

    def edit(conn):
        row = forger.rows(conn, "SELECT * FROM absences")[0]
        row.update(uuid="aaaaaaaa-0000-4000-8000-000000000001", nip=absent, reason="sakit", note="demam")
        row["row_sha256"] = forger.row_sha256("absences", row)
        conn.execute(f"INSERT INTO absences ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))
    forged = forged_copy(ea, "absent.x", edit)
    report = verify(forged)
    found = {(p.code, p.table or "", p.field or "") for p in report.problems}
    assert ("verify.mismatch", "manifest", "absences") in found and ("verify.digest", "absences", "") in found
    assert all(pair.a.device_id in p.message for p in report.problems)
    # Re-signed with a key of one's own to make it intact: then the key is the stranger.
    key = Ed25519PrivateKey.generate()
    resigned = forged_copy(forged, "absent2.x", lambda c: forger.reseal_device(c, pair.a.device_id, key))
    assert verify(resigned).ok
    with organiser_of(pair, tmp_path) as organiser:
        assert codes(verify(resigned, trust=organiser)) == ["keys.mismatch"]


def test_duplicate_of_is_recomputed_so_a_genuine_checkin_cannot_be_hidden_from_the_view(pair, files):
    ea, _ = files
    with sqlite3.connect(ea) as conn:
        first, second = [r[0] for r in conn.execute("SELECT uuid FROM checkins ORDER BY seq LIMIT 2")]
        nip, = conn.execute("SELECT nip FROM checkins WHERE uuid = ?", (first,)).fetchone()
    forged = forged_copy(ea, "hide.x", lambda c: c.execute(
        "UPDATE checkins SET duplicate_of = ? WHERE uuid = ?", (second, first)))
    report = verify(forged)
    assert [(p.code, p.field) for p in report.problems] == [("verify.duplicate_of", "duplicate_of")]
    assert first in report.problems[0].message and nip in report.problems[0].message


def test_the_file_read_by_ikrar_itself_is_checked_first(pair, files, tmp_path, ikrar):
    """``ikrar --db FILE attendance`` (and every report read from a file) shows nothing of an altered file."""
    ea, _ = files
    hide = pair.people[0]
    forged = forged_copy(ea, "shown.x", lambda c: c.execute(
        "UPDATE people SET name = 'Orang Palsu' WHERE nip = ?", (hide.nip,)))
    code, out, err = ikrar("--db", ea, "attendance")
    assert code == 0 and pair.a.person(hide.nip).name in out
    code, out, err = ikrar("--db", forged, "attendance")
    assert code == 1 and "Orang Palsu" not in out and "ikrar verify" in err and "tidak dibaca" in err
    code, _, err = ikrar("--db", forged, "status")
    assert code == 1 and "ikrar verify" in err


def test_a_file_swapped_between_the_check_and_the_copy_is_not_merged(pair, files, tmp_path, monkeypatch):
    """merge reads each input once: what it verified is what it copies, even if the file changes on disk."""
    ea, eb = files
    key = Ed25519PrivateKey.generate()

    def more(conn):                  # one check-in more under kiosk a's own id, re-signed with a stranger's key
        forger.add_checkin(conn, pair.a.device_id, pair.people[25].nip, "2024-11-04T00:40:00.000Z")
        forger.reseal_device(conn, pair.a.device_id, key)
    forged = forged_copy(ea, "swap-in.x", more)
    target = tmp_path / "input.x"
    shutil.copy(ea, target)
    real = merging.verify_file

    def verify_then_swap(file, **kw):
        report = real(file, **kw)
        if Path(file.path) == target:
            shutil.copy(forged, target)          # the genuine file, then the forgery, under one name
        return report
    monkeypatch.setattr(merging, "verify_file", verify_then_swap)
    with organiser_of(pair, tmp_path) as organiser:
        merging.merge(organiser, [target, eb], tmp_path / "master.db")
        assert verify(tmp_path / "master.db", trust=organiser).ok
    with sqlite3.connect(tmp_path / "master.db") as conn:
        assert conn.execute("SELECT count(*) FROM checkins WHERE nip = ?", (pair.people[25].nip,)).fetchone()[0] == 0


def test_an_export_never_replaces_a_merged_file_that_holds_other_kiosks(pair, files, tmp_path, ikrar):
    """Exporting kiosk a "to the master file" by mistake would drop kiosk b's check-ins: refused."""
    ea, eb = files
    with organiser_of(pair, tmp_path) as organiser:
        merging.merge(organiser, [ea, eb], tmp_path / "master.db")
    before = (tmp_path / "master.db").read_bytes()
    code, _, err = ikrar("--db", pair.a.path, "export", "sqlite", "-o", tmp_path / "master.db")
    assert code == 1 and "--force" in err and (tmp_path / "master.db").read_bytes() == before


def test_central_keeps_the_first_key_of_a_device(pair, files, tmp_path):
    """A clerk's database that was talked into admitting a forger's key for kiosk b's id: the central
    database, which met the real b first, still refuses it."""
    pytest.importorskip("psycopg")
    import test_sync
    bindir = test_sync.require_postgres()
    server = test_sync.LocalPostgres(bindir).start()
    try:
        url = server.database("attacks")
        from kiosk.exchange import sync
        ea, eb = files
        with organiser_of(pair, tmp_path) as organiser:
            source = sync_sources.open_source(organiser, eb, None)
            try:
                sync.push(organiser, source, url)
            finally:
                source.close()
        key = Ed25519PrivateKey.generate()
        mine = forger.fingerprint(forger.public_hex(key))

        def under_b(conn):
            forger.relabel_device(conn, pair.a.device_id, pair.b.device_id)
            forger.reseal_device(conn, pair.b.device_id, key)
        forged = forged_copy(ea, "central.x", under_b)
        with Store(tmp_path / "gullible.db") as gullible:
            source = sync_sources.open_source(gullible, forged, None, frozenset({mine}))
            try:
                with pytest.raises(KioskError) as info:
                    sync.push(gullible, source, url)
            finally:
                source.close()
        assert info.value.code == "sync.device_key" and mine in str(info.value)
        assert pair.b.device_id in str(info.value)
        assert test_sync.central(url, "SELECT count(*) FROM ikrar.checkins WHERE nip = %s",
                                 (pair.people[0].nip,))[0][0] == 0
    finally:
        server.stop()


# --- 9. at the kiosk: the admin PIN ------------------------------------------------------------------------

def _pin(ikrar, monkeypatch, db: Path, *lines: str, reset: bool = False):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in lines)))
    return ikrar("--db", db, "admin", "pin", *(["--reset"] if reset else []))


def test_admin_pin_cannot_be_changed_without_the_current_one_nor_guessed_through_it(tmp_path, ikrar, monkeypatch):
    from kiosk.security import pin
    db = tmp_path / "kiosk.db"
    assert _pin(ikrar, monkeypatch, db, "135792")[0] == 0
    code, _, err = _pin(ikrar, monkeypatch, db, "135792", "246813")          # the right one: changed
    assert code == 0
    for attempt in range(pin.MAX_TRIES):                                     # a stranger at the terminal
        code, _, err = _pin(ikrar, monkeypatch, db, f"{111111 + attempt * 2}", "975318")
        assert code == 1 and "PIN yang sekarang salah" in err and "--reset" in err
    # Guessing through 'admin pin' is held back like guessing at the kiosk: even the right PIN waits now.
    code, _, err = _pin(ikrar, monkeypatch, db, "246813", "975318")
    assert code == 1 and "Coba lagi dalam" in err
    with Store(db) as store, pytest.raises(KioskError) as info:
        pin.verify_pin(store, "246813")
    assert info.value.code == "pin.locked" and 55 <= info.value.params["seconds"] <= 61
    # A forgotten PIN: --reset says so, is audited, and ends the lock-out.
    code, out, err = _pin(ikrar, monkeypatch, db, "975318", reset=True)
    assert code == 0 and "log audit" in err and "direset" in out
    with Store(db) as store:
        assert pin.verify_pin(store, "975318")
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log WHERE action LIKE 'admin.pin%' "
                                                    "ORDER BY id")]
    assert actions == ["admin.pin_set", "admin.pin_changed"] + ["admin.pin_wrong"] * pin.MAX_TRIES + \
        ["admin.pin_reset"]


def test_the_pin_hash_never_leaves_the_kiosk(pair, tmp_path):
    from kiosk.security import pin
    pin.set_pin(pair.a, "246813")
    record = json.loads(pair.a.get_setting("admin_pin"))
    export = pair.export(pair.a, "a.x")
    clone_path = tmp_path / "laptop3.db"
    from kiosk.exchange.clone import clone
    clone(pair.a, clone_path)
    for path in (export, clone_path):
        data = path.read_bytes()
        assert record["hash"].encode() not in data and record["salt"].encode() not in data, path.name


# --- 10. encryption is kept --------------------------------------------------------------------------------

def test_a_merge_of_encrypted_inputs_stays_encrypted_with_the_same_passphrase(pair, tmp_path, ikrar, monkeypatch):
    secret = "kata sandi rahasia panitia"
    ea, eb = pair.export(pair.a, "a.ikrar", passphrase=secret), pair.export(pair.b, "b.ikrar", passphrase=secret)
    monkeypatch.setenv("IKRAR_PASSPHRASE", secret)
    db = organiser_of(pair, tmp_path).path
    code, out, _ = ikrar("--db", db, "merge", ea, eb, "-o", tmp_path / "master.db", "--json")
    assert code == 0 and json.loads(out)["encrypted"]
    blob = (tmp_path / "master.db").read_bytes()
    assert blob.startswith(sealing.MAGIC) and b"SQLite" not in blob
    assert not any(p.nip.encode() in blob for p in pair.people)
    assert (tmp_path / "master.db").stat().st_mode & 0o077 == 0
    opened = sealing.decrypt(blob, secret, "master.db")                  # the same passphrase opens it
    assert opened.startswith(b"SQLite format 3")
    # Said explicitly, the clerk may have a plain copy (for DB Browser); never without a word.
    code, out, _ = ikrar("--db", db, "merge", ea, eb, "-o", tmp_path / "plain.db", "--no-encrypt", "--json")
    assert code == 0 and not json.loads(out)["encrypted"]
    assert (tmp_path / "plain.db").read_bytes().startswith(b"SQLite format 3")
    # An encrypted master stays encrypted when a plain export joins it.
    code, out, _ = ikrar("--db", db, "merge", pair.export(pair.b, "b.x"), "-o", tmp_path / "master.db", "--json")
    assert code == 0 and json.loads(out)["encrypted"]
