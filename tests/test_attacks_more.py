"""Issue 14's attacks, continued: NIKs, chain gaps, swapped signatures, forged absences, hidden check-ins,
altered files read by ikrar itself, a file swapped under merge, the central database's memory of keys, the
admin PIN at a terminal, and encryption kept through a merge.  Forgeries come from :mod:`forger` (the format
document alone); the project only plays the victim.
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
from kiosk_pair import organiser_of
from test_attacks import codes, forged_copy

from kiosk.attendance.checkin import Desk
from kiosk.exchange import merge as merging
from kiosk.exchange import sealing, sync_sources
from kiosk.exchange.export import export_sqlite
from kiosk.exchange.verify import verify
from kiosk.i18n import KioskError
from kiosk.store import Store


@pytest.fixture
def files(pair):
    """The genuine exports of kiosks a and b."""
    return pair.export(pair.a, "a.x"), pair.export(pair.b, "b.x")


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
