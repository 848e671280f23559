"""Files for their owner alone (issue 14, POSIX): the data folder 0700; databases, their WAL and SHM, keys,
exports, encrypted exports and merged files 0600 — whatever the umask; a first-release database (0644, its
private key inside) tightened and emptied of its key when opened; modes only ever narrowed."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from kiosk_pair import build_pair, organiser_of

from kiosk.attendance.checkin import Desk
from kiosk.ceremony import pledge
from kiosk.exchange import sealing
from kiosk.exchange.clone import clone
from kiosk.exchange.merge import merge
from kiosk.i18n import KioskError
from kiosk.security import keys, keystore
from kiosk.security.files import tighten
from kiosk.store import Store
from kiosk.store.core import default_db_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

FIXTURES = Path(__file__).parent / "fixtures"
#: The private key the first release kept in its database (tests/fixtures/release-0.1-kiosk.db).
OLD_KEY = "e113140f639eb0dbae7d15364418c687e726e53b6eaeb43e6d27a456f0e9b29e"
PASS = "kata sandi rahasia panitia"
PLEDGE = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"})


@pytest.fixture(autouse=True)
def _loose_umask():
    """The usual 022: files would be 0644 and folders 0755 unless the code says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """The user data folder under the test's own XDG_DATA_HOME."""
    if os.uname().sysname == "Darwin":
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("IKRAR_DB", raising=False)
    return default_db_path()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def companions(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def test_the_data_folder_and_a_new_database_are_for_their_owner_alone(data_home, people):
    with Store(data_home) as store:
        store.create_event("Apel", "2024-11-04", pledge=PLEDGE)
        store.upsert_people(people)
        Desk(store).check_in(people[0].nip)
        assert mode(data_home.parent) == 0o700
        found = companions(data_home)
        assert len(found) == 3 and all(mode(p) == 0o600 for p in found), [(p.name, oct(mode(p))) for p in found]


def test_an_existing_data_folder_and_database_are_tightened_when_opened(data_home, people):
    data_home.parent.mkdir(parents=True, mode=0o755)
    os.chmod(data_home.parent, 0o755)
    with Store(data_home) as store:
        store.create_event("Apel", "2024-11-04", pledge=PLEDGE)
    for p in companions(data_home):
        os.chmod(p, 0o644)
    os.chmod(data_home.parent, 0o755)
    with Store(data_home) as store:
        Desk(store, store.active_event())
        store.upsert_people(people)
        assert mode(data_home.parent) == 0o700
        assert all(mode(p) == 0o600 for p in companions(data_home))


def test_modes_are_only_ever_narrowed(tmp_path):
    cases = {"open": 0o644, "group": 0o660, "owner_read_only": 0o444, "private": 0o600, "folder": 0o755}
    expected = {"open": 0o600, "group": 0o600, "owner_read_only": 0o400, "private": 0o600, "folder": 0o700}
    for name, start in cases.items():
        path = tmp_path / name
        path.mkdir() if name == "folder" else path.write_bytes(b"x")
        os.chmod(path, start)
        tighten(path)
        assert mode(path) == expected[name], name
    tighten(tmp_path / "does-not-exist")                  # nothing to do, no error


def test_a_mode_that_cannot_be_changed_does_not_stop_the_kiosk(tmp_path, people):
    """A FAT stick or an immutable file refuses chmod: the database still opens and says what it can."""
    db = tmp_path / "kiosk.db"
    with Store(db) as store:
        store.create_event("Apel", "2024-11-04", pledge=PLEDGE)
    os.chmod(db, 0o644)
    if os.geteuid() == 0 and shutil.which("chattr") and \
            subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode == 0:
        try:
            with pytest.raises(KioskError) as info, Store(db) as store:   # the store's refusal, not chmod's error
                Desk(store).check_in(people[0].nip)
            assert info.value.code == "store.read_only"
        finally:
            subprocess.run(["chattr", "-i", str(db)], capture_output=True)
    else:
        real = os.chmod

        def refusing(path, *a, **kw):
            if Path(path) == db:
                raise PermissionError(1, "Operation not permitted", str(path))
            return real(path, *a, **kw)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(os, "chmod", refusing)
            with Store(db) as store:
                assert store.active_event().title == "Apel"
        assert mode(db) == 0o644


def test_key_files_and_the_clone_handover_are_for_their_owner_alone(tmp_path, store, event):
    keys.device_key(store)
    folder = keystore.key_dir()
    assert mode(folder) == 0o700
    assert [(p.name, mode(p)) for p in folder.iterdir()] == [(f"{store.device_id}.key", 0o600)]
    # The key file ikrar clone leaves beside the new laptop's database, until that laptop takes it.
    result = clone(store, tmp_path / "laptop2.db")
    handover = Path(result["key_file"])
    assert handover.exists() and mode(handover) == 0o600 and mode(tmp_path / "laptop2.db") == 0o600


def test_exports_encrypted_exports_and_merged_files_are_for_their_owner_alone(tmp_path):
    pair = build_pair(tmp_path)
    try:
        plain = pair.export(pair.a, "a.x")
        sealed = pair.export(pair.a, "a.ikrar", passphrase=PASS)
        with organiser_of(pair, tmp_path) as organiser:
            merge(organiser, [plain, pair.export(pair.b, "b.x")], tmp_path / "master.x")
            from kiosk.exchange.sealing import Passphrase
            secret = Passphrase(interactive=False)
            secret._value = PASS
            merge(organiser, [sealed], tmp_path / "master.ikrar", passphrase=secret)
        for path in (plain, sealed, tmp_path / "master.x", tmp_path / "master.ikrar"):
            assert mode(path) == 0o600, path.name
        assert (tmp_path / "master.ikrar").read_bytes().startswith(sealing.MAGIC)
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []      # no temp file left
    finally:
        pair.a.close()
        pair.b.close()


def test_a_first_release_database_is_tightened_and_its_key_moved_out(data_home):
    data_home.parent.mkdir(parents=True)
    os.chmod(data_home.parent, 0o755)
    shutil.copy(FIXTURES / "release-0.1-kiosk.db", data_home)
    os.chmod(data_home, 0o644)
    assert OLD_KEY.encode() in data_home.read_bytes()
    with Store(data_home) as store:
        assert mode(data_home) == 0o600 and mode(data_home.parent) == 0o700
        assert all(mode(p) == 0o600 for p in companions(data_home))
        # The key now lives in the key store, under its old public key: its exports still sign as before.
        assert keys.public_hex(keys.device_key(store)) == keys.own_public_key(store)
        assert keys.device_key(store).private_bytes_raw().hex() == OLD_KEY
        assert store.get_setting(keys.LEGACY_SETTING) is None
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log")]
        assert "device_key.moved" in actions
        for p in companions(data_home):                      # not in a free page, not in the WAL
            data = p.read_bytes()
            assert OLD_KEY.encode() not in data and bytes.fromhex(OLD_KEY) not in data, p.name
    for p in companions(data_home):
        data = p.read_bytes()
        assert OLD_KEY.encode() not in data and bytes.fromhex(OLD_KEY) not in data, p.name
    assert mode(keystore.key_dir() / f"{store.device_id}.key") == 0o600


def test_a_first_release_database_read_only_is_left_as_it_is(tmp_path):
    """verify --db and sync --status read a database without changing it, even its modes and its old key."""
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "release-0.1-kiosk.db", old)
    os.chmod(old, 0o644)
    before = old.read_bytes()
    with Store(old, readonly=True) as store:
        assert store.device_id
    assert old.read_bytes() == before and mode(old) == 0o644


def test_a_passphrase_file_readable_by_others_is_refused_everywhere(tmp_path, ikrar):
    pair = build_pair(tmp_path)
    try:
        secret = tmp_path / "sandi.txt"
        secret.write_text(PASS + "\n", encoding="utf-8")
        os.chmod(secret, 0o644)
        sealed = pair.export(pair.a, "a.ikrar", passphrase=PASS)
        db = organiser_of(pair, tmp_path).path
        for args in (("--db", pair.a.path, "export", "sqlite", "-o", tmp_path / "e.ikrar", "--encrypt"),
                     ("--db", db, "merge", sealed, "-o", tmp_path / "m.ikrar"),
                     ("--db", db, "verify", sealed), ("--db", db, "sync", "--status", "--from", sealed)):
            code, _, err = ikrar(*args, "--passphrase-file", secret)
            assert code == 1 and "chmod 600" in err, args
        assert not (tmp_path / "e.ikrar").exists() and not (tmp_path / "m.ikrar").exists()
        os.chmod(secret, 0o600)
        code, _, _ = ikrar("--db", db, "merge", sealed, "-o", tmp_path / "m.ikrar", "--passphrase-file", secret)
        assert code == 0 and (tmp_path / "m.ikrar").read_bytes().startswith(sealing.MAGIC)
    finally:
        pair.a.close()
        pair.b.close()


def test_the_kiosk_lock_file_is_for_its_owner_alone(tmp_path, monkeypatch):
    pytest.importorskip("PySide6")
    from ui.kiosk import app
    seen = {}

    def instead_of_the_window(qt_app, db_path, *args):
        seen.update({p.name: mode(p) for p in Path(db_path).parent.iterdir() if "lock" in p.name})
        return 0
    monkeypatch.setattr(app, "_run", instead_of_the_window)
    assert app.run_kiosk(tmp_path / "kiosk.db") == 0
    assert seen and all(m == 0o600 for m in seen.values()), seen


def test_a_key_file_restored_readable_by_others_is_tightened_when_used(store):
    keys.device_key(store)
    key = keystore.key_dir() / f"{store.device_id}.key"
    os.chmod(key, 0o644)
    os.chmod(key.parent, 0o755)
    assert keys.public_hex(keys.device_key(store)) == keys.own_public_key(store)
    assert mode(key) == 0o600 and mode(key.parent) == 0o700
