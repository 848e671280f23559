"""I/O faults: the disk fills up, or the files may not grow (RLIMIT_FSIZE), while the kiosk works.

What must hold, as SQLite's own I/O-error tests demand of it:

* a check-in that cannot be written shows *Belum tercatat* with the reason and commits nothing (not even
  its scan-log row: the whole transaction is rolled back);
* an export that cannot be written says so plainly and leaves no half file, under its name or a
  temporary one;
* once there is room again the same kiosk, never restarted, checks the next people in, and nothing it
  confirmed before is lost (integrity, chain, every signature).

The tiny file system is a tmpfs mounted for the test (root only: skipped elsewhere); the file size limit
is set on the running kiosk process with ``prlimit`` (Linux) and on export processes with ``setrlimit``.
"""
import os
import resource
import sqlite3
import subprocess
import sys

import pytest
from harness import ROOT, figure
from harness.checks import content_digest, counts, forbidden, health
from harness.faults import can_mount, file_size_limit, fill, limit_file_size, tiny_filesystem
from harness.parent import KioskChild, kiosk_db
from signature_samples import realistic_signatures
from test_kiosk_ui import draw, key, make_kiosk, stamp, type_scan, wave  # noqa: F401  (fixture)

from kiosk import demo
from kiosk.attendance.checkin import Desk
from kiosk.store import Store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file systems and resource limits")
NOT_SAVED = "Belum tercatat"


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB file system of the test's own (the kiosk database, its WAL and the exports live there)."""
    why = can_mount()
    if why:
        pytest.skip(why)
    mounted = tiny_filesystem(tmp_path / "small", 16 * 1024)
    try:
        where = mounted.__enter__()
    except OSError as exc:
        pytest.skip(str(exc))
    yield where
    mounted.__exit__(None, None, None)


@pytest.fixture
def db_path(request, tmp_path):
    """The kiosk database of make_kiosk: on the tiny file system for the tests that ask for it."""
    if "small_disk" in request.fixturenames:
        return request.getfixturevalue("small_disk") / "kiosk.db"
    return tmp_path / "kiosk.db"


def _sign(qtbot, w, person):
    type_scan(w, person.nip + "\r")
    qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == person.name, timeout=5000)
    draw(w.pad, wave(w.pad))
    key(w, "\r", stamp(400))
    qtbot.waitUntil(lambda: w.state in ("done", "invalid"), timeout=10000)
    return w.state


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_full_disk_says_belum_tercatat_commits_nothing_and_the_kiosk_carries_on(
        qtbot, small_disk, make_kiosk, db_path,  # noqa: F811
        people, ikrar, request):
    w = make_kiosk()
    for p in people[:3]:
        assert _sign(qtbot, w, p) == "done"
    code, _, err = ikrar("--db", db_path, "export", "sqlite", "-o", small_disk / "before.db")
    assert code == 0, err                               # with room: an export (and the device's key) made
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")     # the next commit must take new space
    conn.close()
    before, listing = content_digest(db_path), _listing(small_disk)
    filler = fill(small_disk)

    assert _sign(qtbot, w, people[3]) == "invalid"
    card = w.result_page
    assert card.result_title.text() == NOT_SAVED
    detail = card.result_detail.text()
    assert "penuh" in detail and "Kosongkan ruang" in detail and "BELUM tercatat" in detail and not forbidden(detail)
    assert content_digest(db_path) == before            # nothing at all was committed

    refused = {}
    for fmt, name in (("sqlite", "after.db"), ("xlsx", "hadir.xlsx"), ("csv", "hadir.csv"), ("pdf", "hadir.pdf")):
        code, out, err = ikrar("--db", db_path, "export", fmt, "-o", small_disk / name)
        refused[fmt] = err.strip()
        assert code == 1 and "tidak dapat ditulis" in err and not forbidden(out + err), (fmt, out, err)
        assert _listing(small_disk) == sorted([*listing, filler.name])     # no half file, no temporary one

    filler.unlink()                                     # space is back: the same kiosk, not restarted
    for p in people[3:6]:
        assert _sign(qtbot, w, p) == "done", w.result_page.result_detail.text()
    h = health(db_path)
    assert h.ok and h.nips == {p.nip for p in people[:6]} and h.signatures == 6, h.problems
    code, _, err = ikrar("--db", db_path, "export", "sqlite", "-o", small_disk / "after.db")
    assert code == 0, err
    figure(request.config, "io_full_disk_kiosk_message", detail.replace("\n", " ")[:160])
    figure(request.config, "io_full_disk_export_message", refused["sqlite"][:160])


def test_a_file_size_limit_on_the_running_kiosk_process(tmp_path, request):
    if not hasattr(resource, "prlimit"):
        pytest.skip("prlimit is Linux's")
    db = tmp_path / "kiosk.db"
    kiosk_db(db, 300)
    child = KioskChild(db, "--people", 300, "--count", 300, "--actions", 120, "--no-mix", "--quit",
                       stderr=tmp_path / "kiosk.err")
    try:
        assert child.wait_for("ready", 90), child.stderr()[-2000:]
        for _ in range(5):
            assert child.wait_for("done", 30)
        files = [db, db.with_name("kiosk.db-wal"), tmp_path / "ikrar.log"]
        limit = max(f.stat().st_size for f in files if f.exists())
        limit_file_size(child.proc.pid, limit)           # no file of the kiosk may grow past its largest now
        failed = [child.wait_for("notsaved", 60) for _ in range(3)]
        assert all(failed), child.lines[-5:]
        limit_file_size(child.proc.pid, None)            # room again: the kiosk goes on, same process
        for _ in range(5):
            assert child.wait_for("done", 30), child.lines[-5:]
        assert child.wait_for("finished", 120)
        assert child.finish() == 0
    finally:
        child.kill()
    not_saved = [line.split(" ", 1) for line in child.said("notsaved")]
    h = health(db)
    assert h.ok, (h.integrity, h.problems)
    assert set(child.done) <= h.nips                     # nothing confirmed is lost
    assert not {nip for nip, _ in not_saved} & h.nips    # nothing refused was committed
    assert all("Tidak dapat menulis basis data" in text and "BELUM tercatat" in text for _, text in not_saved)
    assert len(child.done) + len(not_saved) == 120 and h.checkins == len(child.done)
    assert not forbidden(" ".join(t for _, t in not_saved))
    assert "Traceback" not in child.stderr(), child.stderr()[-3000:]
    figure(request.config, "io_fsize_limit_bytes", limit)
    figure(request.config, "io_fsize_checkins_refused", len(not_saved))
    figure(request.config, "io_fsize_checkins_confirmed", len(child.done))
    figure(request.config, "io_fsize_confirmed_lost", len(set(child.done) - h.nips))
    figure(request.config, "io_fsize_kiosk_message", not_saved[0][1][:160])


@pytest.fixture(scope="module")
def signed_db(tmp_path_factory):
    """80 signed check-ins and 1,920 absent: every document is well over the limit the test sets."""
    db = tmp_path_factory.mktemp("signed") / "kiosk.db"
    with Store(db) as store:
        demo.seed(store, 2000)
        desk = Desk(store)
        for person, signature in zip(demo.people(80), realistic_signatures(80)):
            desk.check_in(person.nip, signature=signature)
    return db


EXPORTS = {"sqlite": ("sqlite", "-o", "hadir.db"), "xlsx": ("xlsx", "-o", "hadir.xlsx"),
           "csv": ("csv", "-o", "hadir.csv"), "pdf": ("pdf", "-o", "hadir.pdf"),
           "pakta": ("pakta", "--single", "pakta.pdf")}   # the other PDFs are written as these are


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_an_export_past_the_file_size_limit_fails_plainly_and_leaves_no_half_file(tmp_path, signed_db, fmt):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    *args, name = EXPORTS[fmt]
    target = out_dir / name
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "IKRAR_DB": str(signed_db)}
    command = [sys.executable, "-m", "kiosk", "export", *args, str(target)]
    free = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert free.returncode == 0, free.stderr
    limit = max(target.stat().st_size // 2, 80 * 1024)   # the database's -shm and WAL still fit
    assert limit < target.stat().st_size                 # and the export does not: it must fail
    target.unlink()
    before = counts(signed_db)
    limited = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                             preexec_fn=file_size_limit(limit))
    said = limited.stdout + limited.stderr
    assert limited.returncode == 1, said
    assert "tidak dapat ditulis" in said and not forbidden(said) and "Exception ignored" not in said, said
    assert not list(out_dir.iterdir())                   # nothing under its name, no temporary file either
    assert counts(signed_db) == before


def test_a_database_that_cannot_grow_its_index_is_never_called_damaged(tmp_path, signed_db):
    """With no kiosk running the WAL index (-shm) is gone; a full disk or a file size limit then stops SQLite
    from making it, and the file cannot even be read.  That is said as a disk problem, never as damage."""
    db = tmp_path / "kiosk.db"
    db.write_bytes(signed_db.read_bytes())
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "IKRAR_DB": str(db)}
    for command in (("status",), ("attendance",), ("export", "csv", "-o", str(tmp_path / "x.csv"))):
        done = subprocess.run([sys.executable, "-m", "kiosk", *command], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60, preexec_fn=file_size_limit(8192))
        assert done.returncode == 1 and "Periksa ruang disk" in done.stderr, (command, done.stderr)
        assert "rusak" not in done.stderr and "bukan basis data" not in done.stderr, done.stderr
    assert health(db).ok
