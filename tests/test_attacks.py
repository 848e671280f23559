"""Issue 14's attacks, made as a dishonest clerk makes them: with docs/export-format.md in hand.

Every forgery is built by :mod:`forger` (standard library, sqlite3 and cryptography only, from the
document alone).  The project is used only as the victim uses it: genuine kiosks make the genuine files
(``build_pair``), and ``verify``, ``merge``, ``sync`` and the ``ikrar`` command line judge the forged ones.
Each attack is refused, and the refusal names the device and its key fingerprint, or the person (badge and
name) and the field.  Here: forged devices, clones of a copied master, roster and event edits under genuine
manifests, re-signing, the schema, a poisoned status check; the rest is in test_attacks_more.py.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import forger
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from forger import open_db
from kiosk_pair import organiser_of

from kiosk.exchange import merge as merging
from kiosk.exchange.verify import verify
from kiosk.i18n import KioskError
from kiosk.security import keys
from kiosk.store import Store


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
