import dataclasses
import hashlib
import sqlite3

import pytest

from kiosk.ceremony import pledge
from kiosk.i18n import KioskError
from kiosk.store import APPLICATION_ID, GENESIS_HASH, SCHEMA_VERSION, Store, chain_hash, now


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_durable_and_marked_as_ours(store, db_path):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2          # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert set(store.db.table_names()) >= {"settings", "events", "pledges", "people", "checkins",
                                           "signatures", "scan_log", "audit_log"}
    assert len(store.device_id) == 36


def test_device_id_survives_reopening(db_path):
    with Store(db_path) as a:
        first = a.device_id
    with Store(db_path) as b:
        assert b.device_id == first


def test_text_file_passed_as_db_is_refused_and_untouched(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("NIP;Nama\n196804111993031009;Budi\n", encoding="utf-8")
    before = digest(path)
    with pytest.raises(KioskError) as info:
        Store(path)
    assert info.value.code == "store.not_sqlite" and "tidak diubah" in str(info.value)
    assert digest(path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]


def test_corrupt_sqlite_file_is_refused_and_untouched(tmp_path, db_path):
    with Store(db_path):
        pass
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)            # wreck the schema page
    broken = tmp_path / "broken.db"
    broken.write_bytes(bytes(data))
    before = digest(broken)
    with pytest.raises(KioskError) as info:
        Store(broken)
    assert info.value.code == "store.not_sqlite"
    assert digest(broken) == before


def test_another_programs_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(KioskError) as info:
        Store(path)
    assert info.value.code == "store.foreign"
    assert digest(path) == before and not (tmp_path / "other.db-wal").exists()


def test_database_from_a_newer_version_is_refused(db_path):
    with Store(db_path) as s:
        s.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(KioskError) as info:
        Store(db_path)
    assert info.value.code == "store.too_new"


def test_empty_file_becomes_a_database(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with Store(path) as s:
        assert s.events() == []


def test_events_and_activation(store):
    rendered = pledge.render(pledge.load_template("pilkada-2020"))
    a = store.create_event("Apel A", "2020-11-02", pledge=rendered)
    b = store.create_event("  Apel   B ", "2020-11-09", "Aula", pledge=rendered)
    assert b.title == "Apel B" and store.active_event().id == b.id
    store.activate_event(a.id)
    assert [e.active for e in store.events()] == [True, False]
    assert a.pledge_id == b.pledge_id                      # one pledge version, stored once
    with pytest.raises(KioskError) as info:
        store.activate_event(99)
    assert info.value.code == "event.not_found"
    with pytest.raises(KioskError):
        store.create_event("Apel", "04-11-2024", pledge=rendered)
    assert len(store.events()) == 2                        # the refused one wrote nothing


def test_no_active_event_says_how_to_make_one(store):
    with pytest.raises(KioskError) as info:
        store.active_event()
    assert "ikrar event create" in str(info.value)


def test_upsert_people_updates_in_place(store, people):
    store.create_event("Apel", "2024-11-04", pledge=_pledge())
    assert store.upsert_people(people[:10]).added == 10
    changed = [dataclasses.replace(people[0], unit="Unit Baru")]
    counts = store.upsert_people(changed + people[1:12])
    assert (counts.added, counts.updated, counts.unchanged) == (2, 1, 9)
    assert store.person(people[0].nip).unit == "Unit Baru"
    assert store.count_people() == 12


def test_find_people_by_name_or_nip_part(store, people):
    store.create_event("Apel", "2024-11-04", pledge=_pledge())
    store.upsert_people(people)
    target = people[3]
    by_name = store.find_people(target.bare_name.split()[1][:4].lower())
    assert target.nip in [p.nip for p in by_name]
    assert all(target.bare_name.split()[1][:4].lower() in p.name.lower() for p in by_name)
    by_nip = store.find_people(target.nip[4:12])
    assert target.nip in [p.nip for p in by_nip] and all(target.nip[4:12] in p.nip for p in by_nip)
    assert store.find_people("%_%") == []                 # LIKE wildcards are literal
    for short in ("ab", " 1 2 ", ""):                     # nobody lists the roster with one or two letters
        with pytest.raises(KioskError) as info:
            store.find_people(short)
        assert info.value.code == "people.search_short"


def test_checkin_chain_links_each_row_to_the_previous(store, event, people):
    moment = now()
    with store.write() as conn:
        rows = [store.insert_checkin(conn, event_id=event.id, nip=p.nip, method="wedge", moment=moment,
                                     pledge_sha256="ab" * 32) for p in people[:3]]
    db_rows = list(store.conn.execute(
        "SELECT uuid, event_id, nip, device_id, method, checked_in_at, utc_offset, pledge_sha256, "
        "signature_sha256, prev_hash, row_hash FROM checkins ORDER BY id"))
    prev = GENESIS_HASH
    for r, made in zip(db_rows, rows):
        fields = dict(zip(("uuid", "event_id", "nip", "device_id", "method", "checked_in_at", "utc_offset",
                           "pledge_sha256", "signature_sha256", "prev_hash"), r[:10]))
        assert fields["prev_hash"] == prev and chain_hash(fields) == r[10] == made.row_hash
        prev = r[10]


def test_failed_transaction_leaves_nothing(store, event, people):
    with pytest.raises(RuntimeError), store.write() as conn:
        store.insert_checkin(conn, event_id=event.id, nip=people[0].nip, method="wedge",
                             moment=now(), pledge_sha256="0" * 64)
        raise RuntimeError("power cut")
    assert store.conn.execute("SELECT count(*) FROM checkins").fetchone()[0] == 0


def _pledge():
    from kiosk.ceremony import pledge
    return pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"})


def test_a_full_disk_or_a_failing_disk_is_said_in_words_not_in_sqlites_english(tmp_path):
    """SQLite's reasons are English only: the user reads what happened and what to do in their language."""
    import sqlite3

    from kiosk.store.core import sqlite_problem

    def error(code: int, text: str) -> sqlite3.OperationalError:
        exc = sqlite3.OperationalError(text)
        exc.sqlite_errorcode = code
        return exc
    full = sqlite_problem(error(13, "database or disk is full"), tmp_path / "kiosk.db")
    assert full.code == "store.full" and "penuh" in str(full) and "Kosongkan" in str(full)
    assert "disk is full" not in str(full)
    io = sqlite_problem(error(10 | (3 << 8), "disk I/O error"), tmp_path / "kiosk.db")
    assert io.code == "store.unwritable" and "disk gagal membaca atau menulis" in str(io) and "I/O" not in str(io)
    cannot = sqlite_problem(error(14, "unable to open database file"), tmp_path / "kiosk.db")
    assert "tidak dapat dibuka" in str(cannot) and "unable" not in str(cannot)
