"""End to end: the real ``ikrar desk`` on Xvfb with a window manager (openbox), driven by xdotool as an
organiser's keyboard: the PIN, a SIMPEG workbook imported through the preview with its unit column fixed
by hand, then the daftar hadir exported and read back with pdftotext."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from desk_data import PIN, build_hall, roster_people, write_roster_xlsx
from x11_session import ROOT, Session, missing_tools, rows, stop

pytestmark = pytest.mark.x11

if missing_tools():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must have {missing_tools()} (bash .ci/setup test installs them)")
    pytest.skip(f"needs {missing_tools()}", allow_module_level=True)


@pytest.fixture(scope="module")
def session():
    s = Session()
    yield s
    s.close()


def start_desk(session: Session, db) -> subprocess.Popen:
    env = {**session.env, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "ui", "--db", str(db), "desk"], env=env, cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_title(session: Session, window: str, part: str, proc, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the desk exited ({proc.returncode}):\n{proc.communicate()[0]}")
        title = session.title(window)
        if part in title:
            return title
        time.sleep(0.1)
    raise AssertionError(f"the title never held {part!r}: {session.title(window)!r}")


def wait_file(path, proc, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the desk exited ({proc.returncode}):\n{proc.communicate()[0]}")
        time.sleep(0.2)
    assert path.exists(), f"{path} was never written"


def test_import_through_the_preview_fix_a_column_and_export_the_daftar_hadir(session, tmp_path):
    db = tmp_path / "meja.db"
    build_hall(db, logo_dir=tmp_path).close()
    people = roster_people(25, seed=31)
    workbook = write_roster_xlsx(tmp_path / "nominatif.xlsx", people, unit_header="Bagian")
    pdf = tmp_path / "daftar-hadir.pdf"
    proc = start_desk(session, db)
    try:
        door = session.wait_for("PIN admin", proc)
        session.activate(door)
        session.type_by_hand(PIN, gap_ms=40)
        session.key("Return")
        desk = session.wait_for("Meja Panitia", proc)
        session.activate(desk)
        session.key("ctrl+2")                                     # Peserta
        time.sleep(0.5)
        session.key("alt+i")                                      # Impor daftar ASN…
        picker = session.wait_for("Pilih berkas daftar peserta", proc)
        session.activate(picker)
        session.type_by_hand(str(workbook), gap_ms=8)
        session.key("Return")
        preview = session.wait_for("Impor daftar peserta", proc)
        wait_title(session, preview, "25 siap, 0 bermasalah", proc)
        assert rows(db, "SELECT count(*) FROM people WHERE nip = ?", (people[0].nip,)) == [(0,)]  # nothing yet
        session.grab(tmp_path / "1-preview.png")
        session.activate(preview)
        session.key("alt+u")                                      # the Unit kerja column choice
        session.type_by_hand("D", gap_ms=40)                      # "D · Bagian": chosen by hand
        time.sleep(1.0)
        wait_title(session, preview, "25 siap", proc)
        session.grab(tmp_path / "2-column-fixed.png")
        session.key("alt+i")                                      # Impor 25 peserta
        session.wait_gone("Impor daftar peserta", timeout=20)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and rows(db, "SELECT count(*) FROM people WHERE nip = ?",
                                                   (people[-1].nip,)) != [(1,)]:
            time.sleep(0.1)
        units = dict(rows(db, "SELECT nip, unit FROM people WHERE nip IN (%s)" % ",".join("?" * len(people)),
                          tuple(p.nip for p in people)))
        assert units == {p.nip: p.unit for p in people}          # the unit came from the column fixed by hand
        assert rows(db, "SELECT count(*) FROM roster r JOIN events e ON e.id = r.event_id WHERE r.nip = ?",
                    (people[3].nip,)) == [(1,)]

        session.activate(desk)
        session.key("ctrl+6")                                     # Ekspor
        time.sleep(0.5)
        session.key("alt+d")                                      # Daftar hadir (PDF)…
        saver = session.wait_for("Daftar hadir", proc)
        session.activate(saver)
        session.key("ctrl+a")
        session.type_by_hand(str(pdf), gap_ms=8)
        session.key("Return")
        wait_file(pdf, proc)
        time.sleep(1.0)
        session.grab(tmp_path / "3-exported.png")
        text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        present = [r[0] for r in rows(db, "SELECT p.name FROM checkins c JOIN people p ON p.nip = c.nip")]
        assert "DAFTAR HADIR" in text.upper() and "Apel Ikrar Netralitas ASN" in text
        assert "Halaman 1 dari" in text
        assert sum(name.split(",")[0] in text for name in present) >= len(present) - 2
        assert not any(p.name.split(",")[0] in text for p in people if p.name.split(",")[0] not in
                       " ".join(present))                         # only those present are on it
        session.activate(desk)
        session.key("alt+F4")
        proc.wait(20)
        out = proc.communicate()[0] if proc.stdout else ""
        assert proc.returncode == 0, out
        assert "Traceback" not in out
    finally:
        if proc.poll() is None:
            print(stop(proc))


def test_the_desk_from_the_kiosks_staff_menu_over_the_full_screen_kiosk(session, tmp_path):
    """The kiosk full screen, its keeper on: the staff menu's desk comes over it and keeps the keyboard; a
    badge scanned into it closes it and is a scan; Alt+F4 closes it and the kiosk has the screen again."""
    db = tmp_path / "aula.db"
    build_hall(db, logo_dir=tmp_path).close()
    event = int(rows(db, "SELECT value FROM settings WHERE key = 'active_event'")[0][0])
    absent = [r[0] for r in rows(db, "SELECT r.nip FROM roster r WHERE r.event_id = ? AND length(r.nip) = 18 "
                                     "AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.event_id = r.event_id "
                                     "AND c.nip = r.nip) ORDER BY r.nip", (event,))]
    proc = session.start_kiosk(db)
    try:
        kiosk = session.kiosk("idle", proc)
        for round_ in ("badge", "alt+F4"):
            session.activate(kiosk)
            session.key("alt+F4")                                 # the staff menu, behind the PIN
            session.activate(session.wait_for("^Panitia$", proc))
            session.type_by_hand(PIN, gap_ms=110)
            session.key("Return")
            session.activate(session.wait_for("^Menu panitia$", proc))
            session.key("5")                                      # Buka meja panitia
            desk = session.wait_for("Meja Panitia", proc)         # no second PIN
            time.sleep(2.5)                                       # five of the keeper's checks
            assert session.active() == desk and session.viewable(desk)
            x, y, w, h = session.geometry(desk)
            assert x >= 0 and y >= 0 and x + w <= 1366 and y + h <= 768 and w >= 1200 and h >= 650
            if round_ == "badge":
                session.grab(tmp_path / "desk-over-kiosk.png")
                session.key("ctrl+4")                             # Kehadiran: its search field has the keyboard
                time.sleep(0.5)
                session.scan(absent[0])
                session.wait_gone("Meja Panitia")
                session.kiosk("signing", proc)                    # the badge was a scan, all of it:
                assert rows(db, "SELECT count(*) FROM scan_log WHERE reason = 'invalid'") == [(0,)]
                session.key("Escape")
                session.kiosk("idle", proc, timeout=60)
            else:
                session.key("alt+F4")
                session.wait_gone("Meja Panitia")
                time.sleep(1.0)
                assert session.active() == session.kiosk("idle", proc)
        assert proc.poll() is None, proc.communicate()[0]
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out
