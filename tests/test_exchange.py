"""Clone, export, verify (with every kind of tampering), encryption and merge (issue 5)."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from kiosk_pair import PASS, Pair, build_pair, make_signature, organiser_of  # noqa: F401  (Pair, build_pair: other modules import them from here)

from kiosk.attendance.checkin import Desk
from kiosk.ceremony import pledge
from kiosk.cli import main
from kiosk.exchange import files, manifest, merge, sealing
from kiosk.exchange.clone import clone
from kiosk.exchange.export import export_sqlite
from kiosk.exchange.files import open_export
from kiosk.exchange.format import row_sha256
from kiosk.exchange.hashing import canonical, ordered_digest
from kiosk.exchange.sealing import Passphrase
from kiosk.exchange.verify import verify
from kiosk.i18n import KioskError
from kiosk.security import keys
from kiosk.security import pin as admin
from kiosk.store import GENESIS_HASH, SCHEMA_VERSION, Store, chain_hash


@pytest.fixture
def good(pair):
    return pair.export(pair.a, "a-export.db")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- schema v2 and keys ------------------------------------------------------------------------

def test_a_schema_1_database_is_upgraded_to_the_current_schema(tmp_path):
    import sqlite_utils

    from kiosk.store.core import APPLICATION_ID
    from kiosk.store.migrations import MIGRATIONS
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    MIGRATIONS[0](db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO settings VALUES ('device_id', 'dev-1')")
    db.conn.commit()
    db.close()
    with Store(path) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert {"known_devices", "sync_ledger", "roster", "absences"} <= set(s.db.table_names())
        assert s.device_id == "dev-1"


def test_device_key_is_made_once_and_kept_out_of_the_database(store, tmp_path):
    assert store.get_setting(keys.PUBLIC_SETTING) is None
    first = keys.public_hex(keys.device_key(store))
    assert keys.public_hex(keys.device_key(store)) == first and len(first) == 64
    assert keys.signature_ok(first, b"body", keys.sign(keys.device_key(store), b"body"))
    assert not keys.signature_ok(first, b"body!", keys.sign(keys.device_key(store), b"body"))
    # Only the public key is in the database; the private one is a file for its owner alone.
    assert store.get_setting(keys.PUBLIC_SETTING) == first and store.get_setting(keys.LEGACY_SETTING) is None
    private = keys.keystore.key_dir() / f"{store.device_id}.key"
    assert private.stat().st_mode & 0o777 == 0o600 and private.parent.stat().st_mode & 0o777 == 0o700
    raw = keys.device_key(store).private_bytes_raw()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("", "-wal"):
        data = pathlib.Path(str(store.path) + suffix)
        assert not data.exists() or raw not in data.read_bytes() and raw.hex().encode() not in data.read_bytes()


def test_a_database_moved_without_its_key_is_read_but_cannot_sign(store, event, tmp_path, monkeypatch):
    keys.device_key(store)
    monkeypatch.setenv("IKRAR_KEY_DIR", str(tmp_path / "another-machine"))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(store.path, tmp_path / "moved.db")
    with Store(tmp_path / "moved.db") as moved:
        assert moved.count_people(event.id) == 30                        # it reads
        with pytest.raises(KioskError) as info:
            export_sqlite(moved, moved.event(event.id), tmp_path / "moved.x")
    assert info.value.code == "keys.missing" and "tidak dapat lagi ditandatangani" in str(info.value)
    assert not (tmp_path / "moved.x").exists()


# --- clone -------------------------------------------------------------------------------------

def test_clone_copies_events_pledges_roster_but_no_secrets_or_checkins(tmp_path, store, event, people):
    admin.set_pin(store, "246813")
    keys.device_key(store)
    Desk(store).check_in(people[0].nip)
    result = clone(store, tmp_path / "laptop2.db")
    with Store(tmp_path / "laptop2.db") as other:
        assert other.device_id == result["device_id"] != store.device_id
        assert [(e.id, e.uuid, e.title, e.active) for e in other.events()] == \
               [(e.id, e.uuid, e.title, e.active) for e in store.events()]
        assert other.pledge_versions() == store.pledge_versions()
        assert other.count_people() == len(people)
        assert other.person(people[3].nip) == store.person(people[3].nip)
        settings = dict(other.conn.execute("SELECT key, value FROM settings"))
        assert "admin_pin" not in settings and keys.LEGACY_SETTING not in settings
        assert settings["active_event"] == str(event.id)
        for table in ("checkins", "signatures", "scan_log", "known_devices", "sync_ledger"):
            assert other.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        assert [r[0] for r in other.conn.execute("SELECT action FROM audit_log")] == ["clone.from", "device_key.adopted"]
        assert Desk(other).check_in(people[0].nip).status == "recorded"      # a fresh chain, its own
        # The clone's key was handed over beside it, taken into this machine's key store, and removed.
        assert keys.public_hex(keys.device_key(other)) == result["public_key"] == keys.own_public_key(other)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("laptop2")) == ["laptop2.db"]
    # The database it was cloned from trusts the new laptop under that key, and says how it knows it.
    assert keys.known_key(store, result["device_id"])[0] == result["public_key"]
    assert store.conn.execute("SELECT how FROM known_devices WHERE device_id = ?",
                              (result["device_id"],)).fetchone()[0] == "clone"


def test_clone_refuses_an_existing_file(tmp_path, store, event):
    target = tmp_path / "taken.db"
    target.write_bytes(b"keep me")
    with pytest.raises(KioskError) as info:
        clone(store, target)
    assert info.value.code == "exchange.clone_exists" and target.read_bytes() == b"keep me"


# --- export ------------------------------------------------------------------------------------

TABLES = {"events", "pledges", "people", "checkins", "chain_gaps", "signatures", "scan_log", "absences", "manifest"}


def test_export_is_a_plain_sqlite_file_any_tool_can_open(pair, good):
    assert not any(good.with_name(good.name + s).exists() for s in ("-wal", "-shm", "-journal"))
    assert [p.name for p in pair.tmp.iterdir() if p.name.startswith(".")] == []        # no temp left
    conn = sqlite3.connect(good)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == TABLES
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cols = [r[1] for r in conn.execute("PRAGMA table_info(checkins)")]
    assert {"uuid", "nip", "device_id", "seq", "checked_in_at", "row_hash", "duplicate_of"} <= set(cols)
    m = dict(zip([d[0] for d in conn.execute("SELECT * FROM manifest").description],
                 conn.execute("SELECT * FROM manifest").fetchone()))
    assert m["kind"] == "device" and m["device_id"] == pair.a.device_id and m["format_version"] == 2
    assert m["event_uuid"] == pair.event.uuid and m["checkins"] == 8 and m["present"] == 8
    assert m["people"] == 30 and m["signatures"] == 6 and m["chain_length"] == 9
    assert m["first_checkin_at"] <= m["last_checkin_at"] and len(m["chain_head"]) == 64
    body = json.loads(m["body_json"])
    assert body["public_key"] == m["public_key"] == keys.public_hex(keys.device_key(pair.a))
    assert keys.signature_ok(m["public_key"], m["body_json"].encode(), m["signature"])
    assert conn.execute("SELECT count(*) FROM chain_gaps").fetchone()[0] == 1        # the other event
    assert conn.execute("SELECT count(*) FROM attendance").fetchone()[0] == 8
    png = conn.execute("SELECT png FROM signatures LIMIT 1").fetchone()[0]
    assert png.startswith(b"\x89PNG")
    conn.close()
    if shutil.which("sqlite3"):                   # the plain command-line shell reads it as it is
        out = subprocess.run(["sqlite3", str(good), "SELECT count(*) FROM checkins WHERE nip LIKE '1%'"],
                             capture_output=True, text=True, check=True).stdout
        assert int(out) >= 1


def test_export_verifies_and_reports_counts(good):
    report = verify(good)
    data = report.to_json()
    assert set(data) == {"ok", "checkins", "present", "duplicates", "people", "devices", "signers",
                         "identities_checked", "errors"}
    signers = data.pop("signers")
    assert data == {"ok": True, "checkins": 8, "present": 8, "duplicates": 0, "people": 30, "devices": 1,
                    "identities_checked": False, "errors": []}
    # Without a kiosk database to check against, nobody's identity is vouched for, and verify says so.
    assert [(s["kind"], s["trusted"], len(s["fingerprint"])) for s in signers] == [("device", None, 16)]


def test_export_refuses_to_overwrite_other_files(pair, tmp_path):
    roster = tmp_path / "daftar.xlsx"
    roster.write_bytes(b"PK\x03\x04 not an export")
    for target, code in ((roster, "exchange.would_overwrite"), (pair.a.path, "exchange.same_as_db")):
        before = sha(target)
        with pytest.raises(KioskError) as info:
            pair.export(pair.a, target.name)
        assert info.value.code == code and sha(target) == before


def test_export_again_replaces_an_earlier_export(pair, good):
    Desk(pair.a, pair.a.event(pair.event.id)).check_in(pair.people[15].nip)
    pair.export(pair.a, good.name)
    assert verify(good).checkins == 9


@pytest.mark.parametrize("where", ["rename", "sign"])
def test_a_failed_export_leaves_no_half_file(pair, good, monkeypatch, where):
    before = sha(good)
    if where == "rename":
        def full_disk(*args):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(files.os, "replace", full_disk)
    else:
        def broken(*args):
            raise sqlite3.OperationalError("database or disk is full")
        monkeypatch.setattr(manifest.keys, "sign", broken)
    for target in (good, pair.tmp / "fresh.db"):
        with pytest.raises(KioskError) as info:
            pair.export(pair.a, target.name)
        assert info.value.code == "exchange.write_failed" and "setengah" in str(info.value)
    assert sha(good) == before and not (pair.tmp / "fresh.db").exists()
    assert [p.name for p in pair.tmp.iterdir() if p.name.startswith(".")] == []


def test_export_refuses_a_kiosk_database_whose_chain_was_edited(pair):
    uid = pair.a.conn.execute("SELECT uuid FROM checkins ORDER BY id LIMIT 1 OFFSET 2").fetchone()[0]
    pair.a.conn.execute("UPDATE checkins SET method = 'manual' WHERE uuid = ?", (uid,))
    pair.a.conn.execute("UPDATE checkins SET method = 'camera' WHERE uuid = ?", (uid,))
    pair.a.conn.commit()
    with pytest.raises(KioskError) as info:
        pair.export(pair.a, "x.db")
    assert info.value.code == "exchange.source_chain" and uid in str(info.value)
    assert not (pair.tmp / "x.db").exists()


# --- tampering ---------------------------------------------------------------------------------

def tamper(good: Path, name: str, *sql, func=None) -> Path:
    bad = good.with_name(name)
    shutil.copy(good, bad)
    conn = sqlite3.connect(bad)
    for statement in sql:
        conn.execute(statement)
    if func:
        func(conn)
    conn.commit()
    conn.close()
    return bad


def problems(path: Path, **kw):
    report = verify(path, **kw)
    assert not report.ok
    return [(p.code, p.table, p.field, p.row) for p in report.problems], report


def has(found, code, table, field, row=None):
    return any(c == code and t == table and f == field and (row is None or (r and row in r))
               for c, t, f, r in found)


def uuid_at(path: Path, seq: int) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT uuid FROM checkins WHERE seq = ?", (seq,)).fetchone()[0]


def test_tamper_update_a_checkin_names_row_and_field(good):
    target = uuid_at(good, 3)
    with sqlite3.connect(good) as conn:
        stranger = conn.execute("SELECT nip FROM people WHERE nip NOT IN (SELECT nip FROM checkins)").fetchone()[0]
    found, report = problems(tamper(good, "nip.db", f"UPDATE checkins SET nip = '{stranger}' WHERE seq = 3"))
    assert has(found, "verify.row_hash", "checkins", "nip", f"uuid={target}")
    assert "nip" in report.problems[0].message and target in report.problems[0].message
    found, _ = problems(tamper(good, "time.db", "UPDATE checkins SET checked_in_at = "
                                                "'2024-11-04T00:00:00.000Z' WHERE seq = 3"))
    assert has(found, "verify.row_hash", "checkins", "checked_in_at", f"uuid={target}")


def test_tamper_update_and_rehash_breaks_the_link_to_the_next_row(good):
    def rehash(conn):
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("SELECT * FROM checkins WHERE seq = 2").fetchone())
        row["method"] = "manual"
        conn.execute("UPDATE checkins SET method = 'manual', row_hash = ? WHERE seq = 2", (chain_hash(row),))
    found, _ = problems(tamper(good, "rehash.db", func=rehash))
    assert has(found, "verify.chain_link", "checkins", "prev_hash", f"uuid={uuid_at(good, 3)}")


def test_tamper_delete_a_checkin(good):
    gone = uuid_at(good, 4)
    found, report = problems(tamper(good, "deleted.db", "DELETE FROM signatures WHERE checkin_uuid IN "
                                    "(SELECT uuid FROM checkins WHERE seq = 4)",
                                    "DELETE FROM checkins WHERE seq = 4"))
    assert has(found, "verify.chain_missing", "checkins", "seq")
    assert has(found, "verify.chain_link", "checkins", "prev_hash", f"uuid={uuid_at(good, 5)}")
    assert has(found, "verify.missing_row", "scan_log", "checkin_uuid")       # the scan log remembers it
    assert any(gone in p.message for p in report.problems)
    assert has(found, "verify.mismatch", "manifest", "checkins")
    found, _ = problems(tamper(good, "last.db", "DELETE FROM checkins WHERE seq = (SELECT max(seq) FROM checkins)"))
    assert has(found, "verify.mismatch", "manifest", "chain_head")


def test_tamper_reorder_rows(good):
    found, _ = problems(tamper(good, "swap.db", "UPDATE checkins SET seq = -seq WHERE seq IN (2, 3)",
                               "UPDATE checkins SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE seq < 0"))
    assert has(found, "verify.chain_link", "checkins", "prev_hash", f"uuid={uuid_at(good, 2)}")

    def resort(conn):          # rewrite the table sorted by NIP and renumbered: a "tidy-up" in DB Browser
        rows = conn.execute("SELECT * FROM checkins ORDER BY nip").fetchall()
        conn.execute("DELETE FROM checkins")
        gaps = {r[0] for r in conn.execute("SELECT seq FROM chain_gaps")}
        numbers = [n for n in range(1, len(rows) + len(gaps) + 1) if n not in gaps]
        for n, row in zip(numbers, rows):
            conn.execute(f"INSERT INTO checkins VALUES ({', '.join('?' * len(row))})", (n, row[1], row[2], n,
                                                                                       *row[4:]))
    found, _ = problems(tamper(good, "sorted.db", func=resort))
    assert has(found, "verify.chain_link", "checkins", "prev_hash")


def test_tamper_edit_the_manifest(good):
    found, _ = problems(tamper(good, "count.db", "UPDATE manifest SET checkins = checkins + 1"))
    assert has(found, "verify.manifest_field", "manifest", "checkins")

    def edit_body(conn):
        body = json.loads(conn.execute("SELECT body_json FROM manifest").fetchone()[0])
        body["checkins"] += 1
        conn.execute("UPDATE manifest SET body_json = ?, checkins = checkins + 1",
                     (canonical(body).decode(),))
    found, _ = problems(tamper(good, "body.db", func=edit_body))
    assert has(found, "verify.signature", "manifest", "signature")


def _swapper(a: str, b: str, *columns: str):
    def swap(conn):
        for col in columns:
            va, vb = (conn.execute(f"SELECT {col} FROM signatures WHERE checkin_uuid = ?", (u,)).fetchone()[0]
                      for u in (a, b))
            conn.execute(f"UPDATE signatures SET {col} = ? WHERE checkin_uuid = ?", (vb, a))
            conn.execute(f"UPDATE signatures SET {col} = ? WHERE checkin_uuid = ?", (va, b))
    return swap


def test_tamper_swap_signature_pngs(good):
    with sqlite3.connect(good) as conn:
        a, b = [r[0] for r in conn.execute("SELECT checkin_uuid FROM signatures ORDER BY rowid LIMIT 2")]
    found, _ = problems(tamper(good, "png.db", func=_swapper(a, b, "png")))
    assert has(found, "verify.field_hash", "signatures", "png", a)
    assert has(found, "verify.field_hash", "signatures", "png", b)
    found, _ = problems(tamper(good, "png2.db", func=_swapper(a, b, "png", "png_sha256")))
    assert has(found, "verify.row_sha256", "signatures", "row_sha256", a)
    # The PNGs and their hashes swapped, the row hashes recomputed: only the signed digest is left to tell.
    def thorough(conn):
        _swapper(a, b, "png", "png_sha256")(conn)
        conn.row_factory = sqlite3.Row
        for uid in (a, b):
            row = dict(conn.execute("SELECT * FROM signatures WHERE checkin_uuid = ?", (uid,)).fetchone())
            conn.execute("UPDATE signatures SET row_sha256 = ? WHERE checkin_uuid = ?",
                         (row_sha256("signatures", row), uid))
    found, _ = problems(tamper(good, "png3.db", func=thorough))
    assert found == [("verify.digest", "signatures", None, None)]


def test_tamper_other_tables(good):
    with sqlite3.connect(good) as conn:
        nip = conn.execute("SELECT nip FROM checkins WHERE seq = 1").fetchone()[0]
        sig = conn.execute("SELECT checkin_uuid FROM signatures LIMIT 1").fetchone()[0]
    found, _ = problems(tamper(good, "person.db", f"DELETE FROM people WHERE nip = '{nip}'"))
    assert has(found, "verify.missing_row", "checkins", "nip") and has(found, "verify.digest", "people", None)
    found, _ = problems(tamper(good, "name.db", f"UPDATE people SET name = 'Orang Lain' WHERE nip = '{nip}'"))
    assert has(found, "verify.row_sha256", "people", "row_sha256", f"nip={nip}")
    found, _ = problems(tamper(good, "log.db", "DELETE FROM scan_log WHERE reason = 'invalid'"))
    assert has(found, "verify.digest", "scan_log", None) and has(found, "verify.mismatch", "manifest", "scan_log")
    found, _ = problems(tamper(good, "nosig.db", f"DELETE FROM signatures WHERE checkin_uuid = '{sig}'"))
    assert has(found, "verify.missing_row", "checkins", "signature_sha256", f"uuid={sig}")
    with sqlite3.connect(good) as conn:
        other = conn.execute("SELECT samples FROM signatures WHERE checkin_uuid <> ? LIMIT 1", (sig,)).fetchone()[0]
    swapped = tamper(good, "strokes.db", func=lambda c: c.execute(
        "UPDATE signatures SET samples = ? WHERE checkin_uuid = ?", (other, sig)))
    found, _ = problems(swapped)                  # another person's strokes under this signature's hash
    assert has(found, "verify.field_hash", "signatures", "samples", sig)
    broken = tamper(good, "bytes.db", func=lambda c: c.execute(
        "UPDATE signatures SET samples = substr(samples, 1, 20) || x'00ff00' || substr(samples, 24) "
        "WHERE checkin_uuid = ?", (sig,)))
    found, _ = problems(broken)
    assert has(found, "verify.samples", "signatures", "samples", sig)
    found, _ = problems(tamper(good, "schema.db", "DROP VIEW attendance",
                               "ALTER TABLE checkins DROP COLUMN duplicate_of"))
    assert found == [("verify.schema_column", "checkins", "duplicate_of", None)]


def test_tamper_damaged_file(good, tmp_path):
    data = bytearray(good.read_bytes())
    # Damage where rows are: around the first check-in's uuid (free space in a page holds nothing to check).
    with sqlite3.connect(good) as conn:
        where = data.find(conn.execute("SELECT uuid FROM checkins WHERE seq = 1").fetchone()[0].encode())
    assert where > 0
    data[where - 200: where + 1800] = b"\x00" * 2000
    bad = tmp_path / "damaged.db"
    bad.write_bytes(bytes(data))
    try:
        found, _ = problems(bad)
    except KioskError as exc:                     # damage in the header pages: not even an export
        assert exc.code == "exchange.not_export"
    else:
        assert found and found[0][0] in ("verify.integrity", "verify.digest", "verify.field_hash",
                                         "verify.row_sha256", "verify.row_hash")


def _resign(conn, key: Ed25519PrivateKey) -> None:
    body = json.loads(conn.execute("SELECT body_json FROM manifest").fetchone()[0])
    body["public_key"] = key.public_key().public_bytes_raw().hex()
    body_json = canonical(body).decode()
    conn.execute("UPDATE manifest SET body_json = ?, public_key = ?, signature = ?",
                 (body_json, body["public_key"], keys.sign(key, body_json.encode())))


def test_tamper_change_the_key(pair, good, tmp_path):
    stranger = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    found, _ = problems(tamper(good, "key.db", "UPDATE manifest SET public_key = ?".replace("?", f"'{stranger}'")))
    assert found == [("verify.manifest_field", "manifest", "public_key", "id=1")]

    def swap_key(conn):
        body = json.loads(conn.execute("SELECT body_json FROM manifest").fetchone()[0])
        body["public_key"] = stranger
        conn.execute("UPDATE manifest SET body_json = ?, public_key = ?", (canonical(body).decode(), stranger))
    found, _ = problems(tamper(good, "key2.db", func=swap_key))
    assert found == [("verify.signature", "manifest", "signature", "id=1")]
    # Someone edits a check-in's method, recomputes the chain and re-signs with a key of their own.
    def forge(conn):
        conn.row_factory = sqlite3.Row
        prev = GENESIS_HASH
        for row in [dict(r) for r in conn.execute("SELECT * FROM checkins ORDER BY seq")]:
            if row["seq"] == 1:
                row["method"] = "camera"
            row["prev_hash"] = prev
            row["row_hash"] = chain_hash(row)
            conn.execute("UPDATE checkins SET method = ?, prev_hash = ?, row_hash = ? WHERE uuid = ?",
                         (row["method"], row["prev_hash"], row["row_hash"], row["uuid"]))
            prev = row["row_hash"]
            gap = conn.execute("SELECT seq FROM chain_gaps WHERE seq = ?", (row["seq"] + 1,)).fetchone()
            if gap:
                old = conn.execute("SELECT row_hash FROM chain_gaps WHERE seq = ?", (gap[0],)).fetchone()[0]
                conn.execute("UPDATE chain_gaps SET prev_hash = ? WHERE seq = ?", (prev, gap[0]))
                prev = old
        body = json.loads(conn.execute("SELECT body_json FROM manifest").fetchone()[0])
        hashes = [r[0] for r in conn.execute("SELECT row_hash FROM checkins ORDER BY seq")]
        body["digests"]["checkins"] = ordered_digest(hashes)
        body["chain_head"] = prev
        conn.execute("UPDATE manifest SET body_json = ?, chain_head = ?", (canonical(body).decode(), prev))
        _resign(conn, Ed25519PrivateKey.generate())
    forged = tamper(good, "forged.db", func=forge)
    assert verify(forged).ok          # self-consistent: only a remembered key can tell
    with organiser_of(pair, tmp_path) as organiser:
        merge.merge(organiser, [good], tmp_path / "master.db")          # first contact: key recorded
        report = verify(forged, trust=organiser)
        assert [(p.code, p.field) for p in report.problems] == [("keys.mismatch", "public_key")]
        with pytest.raises(KioskError) as info:
            merge.merge(organiser, [forged], tmp_path / "master.db")
        assert info.value.code == "merge.refused" and "forged.db" in str(info.value)
        assert "kunci" in str(info.value).lower()


def test_verify_command(pair, good, ikrar, tmp_path):
    code, out, _ = ikrar("--db", tmp_path / "none.db", "verify", good, "--json")
    assert code == 0 and json.loads(out)["ok"] is True and not (tmp_path / "none.db").exists()
    bad = tamper(good, "bad.db", "UPDATE manifest SET present = 99")
    code, out, _ = ikrar("--db", tmp_path / "none.db", "verify", bad, "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["errors"][0]["table"] == "manifest" and data["errors"][0]["field"] == "present"
    code, out, _ = ikrar("--db", tmp_path / "none.db", "verify", bad)
    assert code == 1 and out.startswith("Verifikasi GAGAL") and "present" in out
    code, _, err = ikrar("--db", tmp_path / "none.db", "verify", pair.a.path)
    assert code == 1 and "basis data kiosk" in err


# --- encryption --------------------------------------------------------------------------------

def test_encrypted_export_round_trip(pair, tmp_path, monkeypatch, ikrar):
    out = pair.export(pair.a, "secret.ikrar", passphrase=PASS)
    blob = out.read_bytes()
    magic, version, kdf, log2_n, r, p, salt, nonce = sealing.HEADER.unpack_from(blob)
    assert (magic, version, kdf, log2_n, r, p) == (b"IKRARENC", 1, 1, 12, 8, 1) and len(salt) == 16
    assert b"SQLite" not in blob and pair.people[0].nip.encode() not in blob
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(out).execute("SELECT * FROM checkins").fetchall()
    monkeypatch.setenv("IKRAR_PASSPHRASE", PASS)
    code, stdout, _ = ikrar("--db", tmp_path / "none.db", "verify", out, "--json")
    assert code == 0 and json.loads(stdout)["checkins"] == 8
    monkeypatch.setenv("IKRAR_PASSPHRASE", "bukan ini")
    code, _, err = ikrar("--db", tmp_path / "none.db", "verify", out)
    assert code == 1 and "Frasa sandi salah" in err
    monkeypatch.delenv("IKRAR_PASSPHRASE")
    code, stdout, _ = ikrar("--db", tmp_path / "none.db", "verify", out, "--json")
    assert code == 1 and json.loads(stdout)["code"] == "exchange.passphrase_needed"
    secret_file = tmp_path / "sandi.txt"
    secret_file.write_text(PASS + "\n", encoding="utf-8")
    secret_file.chmod(0o644)
    code, _, err = ikrar("--db", tmp_path / "none.db", "verify", out, "--passphrase-file", secret_file)
    assert code == 1 and "chmod 600" in err                # readable by others: refused with the fix
    secret_file.chmod(0o600)
    code, _, _ = ikrar("--db", tmp_path / "none.db", "verify", out, "--passphrase-file", secret_file)
    assert code == 0
    with pytest.raises(SystemExit) as info:          # never on the command line
        main(["verify", str(out), "--passphrase", PASS])
    assert info.value.code == 2
    damaged = bytearray(blob)
    damaged[20] ^= 1                                 # a byte of the salt: the header is authenticated too
    (tmp_path / "damaged.ikrar").write_bytes(bytes(damaged))
    with pytest.raises(KioskError) as err_info:
        verify(tmp_path / "damaged.ikrar", Passphrase(secret_file))
    assert err_info.value.code == "exchange.passphrase_wrong"


def test_encrypted_export_from_the_command_line(pair, monkeypatch, ikrar):
    monkeypatch.setenv("IKRAR_PASSPHRASE", "pendek")
    code, out, _ = ikrar("--db", pair.a.path, "export", "sqlite", "-o", pair.tmp / "e.ikrar", "--encrypt", "--json")
    assert code == 1 and json.loads(out)["code"] == "exchange.passphrase_short"
    monkeypatch.setenv("IKRAR_PASSPHRASE", PASS)
    code, out, _ = ikrar("--db", pair.a.path, "export", "sqlite", "-o", pair.tmp / "e.ikrar", "--encrypt", "--json")
    assert code == 0 and json.loads(out)["encrypted"] is True
    assert (pair.tmp / "e.ikrar").read_bytes().startswith(sealing.MAGIC)
    code, out, _ = ikrar("--db", pair.a.path, "--lang", "en", "export", "sqlite", "-o", pair.tmp / "p.db")
    assert code == 0 and out.startswith("Export done")


def test_bad_header_parameters_are_refused_before_any_work(tmp_path):
    header = sealing.HEADER.pack(sealing.MAGIC, 1, 1, 30, 8, 1, b"s" * 16, b"n" * 12)
    path = tmp_path / "evil.ikrar"
    path.write_bytes(header + b"x" * 64)
    with pytest.raises(KioskError) as info:
        open_export(path, _fixed(PASS))
    assert info.value.code == "exchange.bad_header"


def _fixed(value: str) -> Passphrase:
    p = Passphrase(interactive=False)
    p._value = value
    return p


# --- merge -------------------------------------------------------------------------------------

def test_merge_keeps_both_records_and_flags_the_later(pair, tmp_path):
    ea, eb = pair.export(pair.a, "a.x"), pair.export(pair.b, "b.x")
    with organiser_of(pair, tmp_path) as organiser:
        result = merge.merge(organiser, [ea, eb], tmp_path / "master.db")
        known = dict(organiser.conn.execute("SELECT device_id, public_key FROM known_devices"))
    assert result["checkins"] == 15 and result["present"] == 12 and result["duplicates"] == 3
    assert result["devices"] == 2 and result["added"] == 15 and not result["unchanged"]
    assert set(known) == {pair.a.device_id, pair.b.device_id}
    report = verify(tmp_path / "master.db")
    assert report.ok and (report.checkins, report.present, report.duplicates, report.devices) == (15, 12, 3, 2)
    conn = sqlite3.connect(tmp_path / "master.db")
    kinds = [r[0] for r in conn.execute("SELECT kind FROM manifest ORDER BY id")]
    assert kinds == ["device", "device", "merge"]
    for nip in (pair.people[i].nip for i in (5, 6, 7)):
        rows = conn.execute("SELECT uuid, checked_in_at, duplicate_of FROM checkins WHERE nip = ? "
                            "ORDER BY checked_in_at, uuid", (nip,)).fetchall()
        assert len(rows) == 2 and rows[0][2] is None and rows[1][2] == rows[0][0]
    assert conn.execute("SELECT count(*) FROM attendance").fetchone()[0] == 12
    assert conn.execute("SELECT count(*) FROM signatures").fetchone()[0] == 6 + 5


def test_merging_again_or_twice_changes_nothing_byte_for_byte(pair, tmp_path):
    ea, eb = pair.export(pair.a, "a.x"), pair.export(pair.b, "b.x")
    with organiser_of(pair, tmp_path) as organiser:
        merge.merge(organiser, [ea, eb], tmp_path / "one.db")
        first = sha(tmp_path / "one.db")
        inode = (tmp_path / "one.db").stat().st_ino
        again = merge.merge(organiser, [ea, eb], tmp_path / "one.db")
        assert again["unchanged"] and again["added"] == 0
        assert sha(tmp_path / "one.db") == first and (tmp_path / "one.db").stat().st_ino == inode
        merge.merge(organiser, [eb, ea, ea, eb], tmp_path / "two.db")           # order and repeats
        merge.merge(organiser, [tmp_path / "one.db", ea], tmp_path / "three.db")  # a merged file as input
        merge.merge(organiser, [ea], tmp_path / "four.db")
        merge.merge(organiser, [eb], tmp_path / "four.db")                       # one laptop at a time
        for name in ("two.db", "three.db", "four.db"):
            assert sha(tmp_path / name) == first, name


def test_a_later_export_of_the_same_kiosk_supersedes_the_earlier(pair, tmp_path):
    early = pair.export(pair.a, "a-0900.x")
    Desk(pair.a, pair.a.event(pair.event.id)).check_in(pair.people[25].nip, signature=make_signature(25))
    late = pair.export(pair.a, "a-1000.x")
    with organiser_of(pair, tmp_path) as organiser:
        merge.merge(organiser, [early], tmp_path / "master.db")
        result = merge.merge(organiser, [late], tmp_path / "master.db")
        assert result["added"] == 1 and result["checkins"] == 9
        assert merge.merge(organiser, [early], tmp_path / "master.db")["unchanged"]
    assert verify(tmp_path / "master.db").ok


def test_merge_refuses_bad_inputs_and_writes_nothing(pair, good, tmp_path):
    other = pair.a.create_event("Apel Lain", "2024-12-01", pledge=pledge.render(pledge.load_template("pilkada-2020")))
    Desk(pair.a, other).check_in(pair.people[1].nip)
    other_file = tmp_path / "other.x"
    export_sqlite(pair.a, other, other_file)
    bad = tamper(good, "bad.x", "UPDATE checkins SET method = 'manual' WHERE seq = 2")
    with organiser_of(pair, tmp_path) as organiser:
        with pytest.raises(KioskError) as info:
            merge.merge(organiser, [good, bad], tmp_path / "master.db")
        assert info.value.code == "merge.refused" and "bad.x" in str(info.value) and "row_hash" in str(info.value)
        with pytest.raises(KioskError) as info:
            merge.merge(organiser, [good, other_file], tmp_path / "master.db")
        assert info.value.code == "merge.other_event" and "other.x" in str(info.value)
        assert organiser.conn.execute("SELECT count(*) FROM known_devices").fetchone()[0] == 2      # unchanged
    assert not (tmp_path / "master.db").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("key_made_before_copy", [True, False])
def test_a_kiosk_file_copied_instead_of_cloned_is_refused(pair, tmp_path, key_made_before_copy):
    if key_made_before_copy:
        keys.device_key(pair.a)
    pair.a.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(pair.a.path, tmp_path / "copy.db")
    with Store(tmp_path / "copy.db") as copy:
        Desk(copy, copy.event(pair.event.id)).check_in(pair.people[28].nip)
        export_sqlite(copy, copy.event(pair.event.id), tmp_path / "copy.x")
    Desk(pair.a, pair.a.event(pair.event.id)).check_in(pair.people[29].nip)
    ea = pair.export(pair.a, "a.x")
    with organiser_of(pair, tmp_path) as organiser, pytest.raises(KioskError) as info:
        merge.merge(organiser, [ea, tmp_path / "copy.x"], tmp_path / "master.db")
    # Whether or not the copy made a key of its own, two histories under one device id are refused.
    assert info.value.code in ("merge.forked", "merge.key_conflict") and "clone" in str(info.value)


def test_merge_command_with_encryption(pair, tmp_path, ikrar, monkeypatch):
    monkeypatch.setenv("IKRAR_PASSPHRASE", PASS)
    ea = pair.export(pair.a, "a.ikrar", passphrase=PASS)
    eb = pair.export(pair.b, "b.x")
    db = organiser_of(pair, tmp_path).path
    code, out, _ = ikrar("--db", db, "merge", ea, eb, "-o", tmp_path / "master.ikrar", "--encrypt", "--json")
    data = json.loads(out)
    assert code == 0 and data["encrypted"] and data["checkins"] == 15 and data["duplicates"] == 3
    assert (tmp_path / "master.ikrar").read_bytes().startswith(sealing.MAGIC)
    code, out, _ = ikrar("--db", db, "merge", eb, "-o", tmp_path / "master.ikrar", "--json")
    assert code == 0 and json.loads(out)["unchanged"] and json.loads(out)["encrypted"]   # stays encrypted
    code, out, _ = ikrar("--db", db, "verify", tmp_path / "master.ikrar", "--json")
    assert code == 0 and json.loads(out)["devices"] == 2
    code, out, _ = ikrar("--db", db, "merge", ea, "-o", tmp_path / "still-secret.db", "--json")
    assert code == 0 and json.loads(out)["encrypted"]              # an encrypted input keeps the output sealed
    code, out, _ = ikrar("--db", db, "merge", ea, "-o", tmp_path / "plain.db", "--no-encrypt")
    assert code == 0 and out.startswith("Gabungan tersimpan")
    assert (tmp_path / "plain.db").read_bytes().startswith(b"SQLite format 3")


def test_an_event_with_no_checkins_exports_verifies_and_merges(store, event, tmp_path):
    export_sqlite(store, event, tmp_path / "empty.x")
    report = verify(tmp_path / "empty.x")
    assert report.ok and (report.checkins, report.people, report.devices) == (0, 30, 1)
    result = merge.merge(store, [tmp_path / "empty.x"], tmp_path / "master.db")     # on the kiosk itself
    assert result["checkins"] == 0 and verify(tmp_path / "master.db").ok


def test_clone_export_merge_from_the_command_line(pair, tmp_path, ikrar, good):
    code, out, _ = ikrar("--db", pair.a.path, "clone", "-o", tmp_path / "laptop3.db", "--json")
    data = json.loads(out)
    assert code == 0 and data["people"] == 30 and data["device_id"] != pair.a.device_id
    code, _, err = ikrar("--db", pair.a.path, "clone", "-o", tmp_path / "laptop3.db")
    assert code == 1 and "sudah ada" in err
    code, out, _ = ikrar("--db", tmp_path / "laptop3.db", "export", "sqlite", "-o", tmp_path / "l3.x", "--json")
    assert code == 0 and json.loads(out)["checkins"] == 0
    bad = tamper(good, "bad.x", "DELETE FROM scan_log WHERE reason = 'invalid'")
    code, out, _ = ikrar("--db", pair.a.path, "merge", good, bad, "-o", tmp_path / "m.db", "--json")
    data = json.loads(out)
    assert code == 1 and data["code"] == "merge.refused" and "bad.x" in data["error"]
    assert "scan_log" in data["error"] and not (tmp_path / "m.db").exists()
    # A laptop the clerk's database never met is refused, naming its fingerprint, until admitted.
    code, out, _ = ikrar("--db", tmp_path / "org.db", "merge", good, tmp_path / "l3.x", "-o", tmp_path / "m.db",
                         "--json")
    data = json.loads(out)
    fingerprint = keys.fingerprint(keys.own_public_key(pair.a))
    assert code == 1 and fingerprint in data["error"] and not (tmp_path / "m.db").exists()
    with Store(tmp_path / "laptop3.db") as l3:
        third = keys.fingerprint(keys.own_public_key(l3))
    code, out, _ = ikrar("--db", tmp_path / "org.db", "merge", good, tmp_path / "l3.x", "-o", tmp_path / "m.db",
                         "--admit-device", fingerprint, "--admit-device", third)
    assert code == 0 and "1 perangkat" not in out and "2 perangkat" in out
    with Store(tmp_path / "org.db") as org:
        assert keys.known_key(org, pair.a.device_id) is not None
        assert "device.admitted" in [r[0] for r in org.conn.execute("SELECT action FROM audit_log")]


# --- the documentation's recipes work ----------------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "export-format.md"


def doc_block(heading: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    after = text[text.index(heading):]
    start = after.index("```python\n") + len("```python\n")
    return after[start:after.index("```", start)]


def run_script(tmp_path: Path, code: str, *args) -> subprocess.CompletedProcess:
    script = tmp_path / "recipe.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.run([os.sys.executable, str(script), *map(str, args)], capture_output=True, text=True,
                          timeout=60)


def test_docs_recipe_verifies_by_hand(pair, good, tmp_path):
    recipe = doc_block("## Verifying a file by hand")
    done = run_script(tmp_path, recipe, good)
    assert done.returncode == 0 and "intact: 1 device(s), 8 check-ins" in done.stdout, done.stderr
    assert f"device manifest signed by {pair.a.device_id} key fingerprint" in done.stdout
    with organiser_of(pair, tmp_path) as organiser:
        merge.merge(organiser, [good, pair.export(pair.b, "b.x")], tmp_path / "master.db")
    done = run_script(tmp_path, recipe, tmp_path / "master.db")
    assert done.returncode == 0 and "intact: 2 device(s), 15 check-ins" in done.stdout, done.stderr
    for bad in (tamper(good, "t1.db", "UPDATE checkins SET method = 'manual' WHERE seq = 2"),
                tamper(good, "t2.db", "UPDATE people SET unit = 'X' WHERE rowid = 3"),
                tamper(good, "t3.db", "UPDATE manifest SET checkins = 1")):
        done = run_script(tmp_path, recipe, bad)
        assert done.returncode == 1 and "AssertionError" in done.stderr, bad


def test_docs_recipe_decrypts_by_hand(pair, tmp_path):
    secret = pair.export(pair.a, "secret.ikrar", passphrase=PASS)
    recipe = doc_block("## Encryption").replace("getpass.getpass()", repr(PASS))
    done = run_script(tmp_path, recipe, secret, tmp_path / "plain.db")
    assert done.returncode == 0, done.stderr
    assert verify(tmp_path / "plain.db").checkins == 8
