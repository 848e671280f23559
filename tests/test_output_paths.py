"""Where ikrar writes (issue 14): a new path or an earlier export of the same event and laptop, nothing else
without --force; never a pipe, a device or a folder; and every refusal exit 1 with an Indonesian message that
says what to do, never a traceback.  Real files, pipes and devices in tmp_path; /dev/null is guarded so that
no failure of the code under test can ever replace it."""
from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from kiosk_pair import make_signature, organiser_of

from kiosk.attendance.checkin import Desk
from kiosk.ceremony import pledge
from kiosk.exchange import files as exchange_files
from kiosk.exchange.export import export_sqlite
from kiosk.exchange.verify import verify
from kiosk.store import Store

PASS = "kata sandi rahasia panitia"
#: What a refusal tells the clerk to do (one of these, in Indonesian).
WHAT_TO_DO = ("Pilih", "Tulis", "Buat", "pakai --force", "Salin", "periksa izin")

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pipes and devices are POSIX")


@pytest.fixture
def guard_dev(monkeypatch):
    """Whatever happens, nothing under /dev is renamed over or made by the code under test."""
    real_replace, real_create = os.replace, exchange_files.create_private

    def replace(src, dst, *a, **kw):
        assert not str(Path(dst).resolve()).startswith("/dev/"), f"would replace {dst}"
        return real_replace(src, dst, *a, **kw)

    def create(path):
        assert not str(Path(path).resolve()).startswith("/dev/"), f"would create {path}"
        return real_create(path)
    monkeypatch.setattr(exchange_files.os, "replace", replace)
    monkeypatch.setattr(exchange_files, "create_private", create)


def refused(ikrar, *args) -> str:
    code, out, err = ikrar(*args)
    assert code == 1, (out, err)
    assert "Traceback" not in out + err and "kesalahan tak terduga" not in err
    assert any(w in err for w in WHAT_TO_DO), err
    return err


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# --- things that are not files --------------------------------------------------------------------------

def test_a_fifo_is_never_written_to(pair, tmp_path, ikrar):
    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)
    db = pair.a.path
    err = refused(ikrar, "--db", db, "export", "sqlite", "-o", fifo)
    assert "bukan berkas biasa" in err
    refused(ikrar, "--db", db, "export", "sqlite", "-o", fifo, "--force")
    refused(ikrar, "--db", db, "merge", pair.export(pair.a, "a.x"), "-o", fifo)
    refused(ikrar, "--db", db, "clone", "-o", fifo)
    refused(ikrar, "--db", pair.export(pair.a, "a.x"), "signature", pair.people[0].nip, "--png", fifo)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_dev_null_and_other_devices_are_never_replaced(pair, tmp_path, ikrar, guard_dev):
    null = Path("/dev/null")
    before = null.lstat()
    targets = [null]
    link = tmp_path / "ke-null"
    link.symlink_to(null)
    targets.append(link)
    if os.geteuid() == 0:                      # a device of our own: whatever happens, only it is at stake
        own = tmp_path / "null-sendiri"
        os.mknod(own, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append(own)
    for target in targets:
        for extra in ((), ("--force",)):
            err = refused(ikrar, "--db", pair.a.path, "export", "sqlite", "-o", target, *extra)
            assert "bukan berkas biasa" in err
        refused(ikrar, "--db", pair.a.path, "merge", pair.export(pair.a, "a.x"), "-o", target)
        refused(ikrar, "--db", pair.a.path, "clone", "-o", target)
    after = null.lstat()
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert not any(p.name.startswith(".null") for p in Path("/dev").iterdir())


@pytest.mark.parametrize("where", ["folder", "empty", "dot", "missing"])
def test_folders_empty_names_and_missing_folders(pair, tmp_path, ikrar, where):
    folder = tmp_path / "map"
    folder.mkdir()
    target = {"folder": str(folder), "empty": "", "dot": ".", "missing": str(tmp_path / "tidak-ada" / "x.db")}[where]
    expected = {"folder": "adalah folder", "empty": "kosong", "dot": "kosong", "missing": "tidak ada"}[where]
    ea = pair.export(pair.a, "a.x")
    db = pair.a.path
    for args in (("--db", db, "export", "sqlite", "-o", target), ("--db", db, "merge", ea, "-o", target),
                 ("--db", db, "clone", "-o", target), ("--db", ea, "signature", pair.people[0].nip, "--png", target)):
        err = refused(ikrar, *args)
        assert expected in err, (args, err)
    assert list(folder.iterdir()) == [] and not (tmp_path / "tidak-ada").exists()


# --- existing files -------------------------------------------------------------------------------------

def test_an_existing_file_of_another_event_is_kept_unless_forced(pair, tmp_path, ikrar):
    other = pair.a.create_event("Apel Lain", "2024-12-01", pledge=pledge.render(pledge.load_template("pilkada-2020")))
    Desk(pair.a, other).check_in(pair.people[1].nip)
    target = tmp_path / "hadir.x"
    export_sqlite(pair.a, other, target)
    before = target.read_bytes()
    err = refused(ikrar, "--db", pair.a.path, "export", "sqlite", "--event", pair.event.id, "-o", target)
    assert "acara atau perangkat lain" in err and target.read_bytes() == before
    # Kiosk b's export of the same event is another laptop's: kept too.
    b_file = pair.export(pair.b, "b.x")
    err = refused(ikrar, "--db", pair.a.path, "export", "sqlite", "--event", pair.event.id, "-o", b_file)
    assert "--force" in err
    code, _, _ = ikrar("--db", pair.a.path, "export", "sqlite", "--event", pair.event.id, "-o", target, "--force")
    assert code == 0 and verify(target).event_uuid == pair.event.uuid and mode(target) == 0o600


def test_an_earlier_export_of_the_same_event_and_laptop_is_replaced(pair, tmp_path, ikrar):
    target = tmp_path / "a.x"
    code, _, _ = ikrar("--db", pair.a.path, "export", "sqlite", "--event", pair.event.id, "-o", target)
    assert code == 0 and verify(target).checkins == 8
    Desk(pair.a, pair.a.event(pair.event.id)).check_in(pair.people[15].nip, signature=make_signature(15))
    code, _, _ = ikrar("--db", pair.a.path, "export", "sqlite", "--event", pair.event.id, "-o", target)
    assert code == 0 and verify(target).checkins == 9 and mode(target) == 0o600


def test_other_files_are_never_replaced_by_an_export_or_a_merge(pair, tmp_path, ikrar):
    roster = tmp_path / "daftar.xlsx"
    roster.write_bytes(b"PK\x03\x04 a roster")
    for args in (("export", "sqlite", "-o", roster), ("merge", pair.export(pair.a, "a.x"), "-o", roster)):
        err = refused(ikrar, "--db", pair.a.path, *args)
        assert "bukan berkas ekspor" in err
    err = refused(ikrar, "--db", pair.export(pair.a, "a.x"), "signature", pair.people[0].nip, "--png", roster)
    assert "bukan gambar PNG" in err
    assert roster.read_bytes() == b"PK\x03\x04 a roster"
    # The signature picture replaces an earlier picture.
    png = tmp_path / "ttd.png"
    for _ in range(2):
        code, _, _ = ikrar("--db", pair.export(pair.a, "a.x"), "signature", pair.people[0].nip, "--png", png)
        assert code == 0 and png.read_bytes().startswith(b"\x89PNG") and mode(png) == 0o600


def test_an_encrypted_existing_export_is_kept_unless_forced(pair, tmp_path, ikrar, monkeypatch):
    target = pair.export(pair.a, "rahasia.ikrar", passphrase=PASS)
    before = target.read_bytes()
    err = refused(ikrar, "--db", pair.a.path, "export", "sqlite", "-o", target)
    assert "terenkripsi" in err and target.read_bytes() == before
    code, _, _ = ikrar("--db", pair.a.path, "export", "sqlite", "-o", target, "--force")
    assert code == 0 and target.read_bytes().startswith(b"SQLite format 3") and mode(target) == 0o600


def test_a_merged_file_is_never_replaced_by_one_laptops_export(pair, tmp_path, ikrar):
    with organiser_of(pair, tmp_path) as organiser:
        from kiosk.exchange.merge import merge
        merge(organiser, [pair.export(pair.a, "a.x"), pair.export(pair.b, "b.x")], tmp_path / "master.x")
    before = (tmp_path / "master.x").read_bytes()
    err = refused(ikrar, "--db", pair.a.path, "export", "sqlite", "-o", tmp_path / "master.x")
    assert "gabungan beberapa kiosk" in err and (tmp_path / "master.x").read_bytes() == before


def test_the_kiosk_database_itself_is_never_an_output(pair, tmp_path, ikrar):
    pair.a.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = pair.a.path.read_bytes()
    for extra in ((), ("--force",)):
        err = refused(ikrar, "--db", pair.a.path, "export", "sqlite", "-o", pair.a.path, *extra)
        assert "basis data kiosk itu sendiri" in err
    assert pair.a.path.read_bytes() == before


# --- a read-only database -------------------------------------------------------------------------------

@contextlib.contextmanager
def read_only(*paths: Path):
    """The files and folders made read-only for whoever runs the tests: modes for a user; for root, who
    ignores modes, the immutable attribute (chattr +i), or the test is skipped where that is not allowed."""
    if os.geteuid() != 0:
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p in paths:
                p.chmod(modes[p])
        return
    if not shutil.which("chattr"):
        pytest.skip("running as root without chattr: no way to make a file read-only for root")
    done = []
    try:
        for p in paths:
            if subprocess.run(["chattr", "+i", str(p)], capture_output=True).returncode != 0:
                pytest.skip("running as root where chattr +i is not allowed (no CAP_LINUX_IMMUTABLE)")
            done.append(p)
        yield
    finally:
        for p in done:
            subprocess.run(["chattr", "-i", str(p)], capture_output=True)


@pytest.mark.parametrize("folder_too", [False, True])
def test_a_checkin_into_a_read_only_database_says_so(tmp_path, people, ikrar, folder_too):
    folder = tmp_path / "usb"
    folder.mkdir()
    db = folder / "kiosk.db"
    with Store(db) as store:
        rendered = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"})
        store.create_event("Apel", "2024-11-04", "Ruang Pola", pledge=rendered)
        store.upsert_people(people)
    assert not Path(str(db) + "-wal").exists()       # closed cleanly: no WAL beside it, as on a stick
    before = db.read_bytes()
    with read_only(db, *([folder] if folder_too else [])):
        for args in (("checkin", people[0].nip), ("checkin", people[0].nip, "--json")):
            code, out, err = ikrar("--db", db, *args)
            assert code == 1 and "Traceback" not in out + err and "tak terduga" not in out + err
            assert "hanya dapat dibaca" in out + err and "Salin ke folder" in out + err
        assert db.read_bytes() == before
        if os.geteuid() != 0:            # its modes were only ever narrowed: never made writable again
            assert stat.S_IMODE(db.stat().st_mode) & 0o222 == 0
