"""The kiosk's first frame (issue 16's cold start): the idle screen from the database's glance, painted
before the store, the check-in window and Qt Multimedia are loaded, then the rest under the same screen.

The glance (kiosk.store.glance) is held against the store it stands in for, and against every file it
must not vouch for; the first frame's modules are held to what it needs; the shell hands its idle page
to the check-in window unchanged.  The real process under X (a badge typed the moment the idle screen
appears) is in test_e2e_x11.py.
"""
import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from kiosk import demo
from kiosk.attendance.checkin import Desk
from kiosk.security import pin as admin
from kiosk.store import Store
from kiosk.store.glance import Glance, glance
from kiosk.store.migrations import APPLICATION_ID, EXPORT_APPLICATION_ID, SCHEMA_VERSION

PIN = "246813"


def ready(path, people=12, present=3, **settings):
    """A database a kiosk can serve: demo event, a PIN, ``present`` of them checked in."""
    with Store(path) as s:
        demo.seed(s, people)
        admin.set_pin(s, PIN)
        for key, value in settings.items():
            s.set_setting(key, value)
        event = s.active_event()
        desk = Desk(s, event)
        for p in list(demo.people(people))[:present]:
            desk.check_in(p.nip)
    return path


def test_the_glance_says_what_the_store_says(tmp_path):
    db = ready(tmp_path / "k.db", screen_language="en")
    seen = glance(db)
    with Store(db) as s:
        e = s.active_event()
        assert seen == Glance(e.id, e.title, e.date, e.venue, s.count_present(e.id), s.count_people(e.id), "en")
    assert (seen.present, seen.roster) == (3, 12)


def test_the_glance_of_a_named_event_and_of_one_that_is_not_there(tmp_path):
    db = ready(tmp_path / "k.db")
    with Store(db) as s:
        other = s.create_event("Apel Kedua", "2026-12-02", "Aula", pledge=s.pledge(s.active_event().pledge_id))
    seen = glance(db, other.id)
    assert (seen.event_id, seen.title, seen.venue, seen.present, seen.roster) == (other.id, "Apel Kedua", "Aula", 0, 0)
    assert glance(db, 999) is None                          # the store's refusal says it (event.not_found)


def test_the_glance_writes_nothing_and_leaves_the_files_private(tmp_path):
    db = ready(tmp_path / "k.db")
    with open(db, "rb") as fh:
        before = fh.read()
    assert glance(db) is not None
    with open(db, "rb") as fh:
        assert fh.read() == before
    for path in tmp_path.iterdir():                         # SQLite's -wal and -shm take the database's mode
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


@pytest.mark.parametrize("case", ["missing", "folder", "empty", "text", "foreign", "export", "older", "newer",
                                  "no pin", "no event", "bad active", "damaged"])
def test_the_glance_vouches_for_nothing_but_a_database_ready_to_serve(tmp_path, case):
    db = tmp_path / "k.db"
    if case == "folder":
        db.mkdir()
    elif case == "empty":
        db.write_bytes(b"")
    elif case == "text":
        db.write_text("NIP;Nama\n199001012019031001;Budi\n", encoding="cp1252")
    elif case == "foreign":
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE settings (key TEXT, value TEXT)")
            conn.execute("INSERT INTO settings VALUES ('admin_pin', 'x'), ('active_event', '1')")
    elif case != "missing":
        ready(db, people=3, present=0)
        with sqlite3.connect(db) as conn:
            if case == "export":
                conn.execute(f"PRAGMA application_id = {EXPORT_APPLICATION_ID}")
            elif case == "older":
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
            elif case == "newer":
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
            elif case == "no pin":
                conn.execute("DELETE FROM settings WHERE key = 'admin_pin'")
            elif case == "no event":
                conn.execute("DELETE FROM settings WHERE key = 'active_event'")
            elif case == "bad active":
                conn.execute("UPDATE settings SET value = '1; DROP TABLE people' WHERE key = 'active_event'")
            elif case == "damaged":
                conn.execute("DROP TABLE roster")
        conn.close()
    assert glance(db) is None
    if case == "bad active":
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 3


def test_the_glance_reads_while_another_kiosk_process_writes(tmp_path):
    db = ready(tmp_path / "k.db")
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO settings(key, value) VALUES ('x', 'y')")
    try:
        seen = glance(db)                                   # WAL: a reader is never blocked by the writer
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert seen is not None and seen.present == 3


def test_the_application_id_is_the_one_the_store_writes(tmp_path):
    with Store(tmp_path / "k.db"):
        pass
    with sqlite3.connect(tmp_path / "k.db") as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_the_store_package_loads_its_names_when_asked():
    import kiosk.store as store
    for name in store.__all__:
        assert getattr(store, name) is not None, name
    assert set(dir(store)) >= set(store.__all__)
    with pytest.raises(AttributeError):
        store.NoSuchThing  # noqa: B018


def _modules_after(code: str, *args: str) -> set[str]:
    probe = code + "\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.split()
    return set(out)


def test_the_first_frame_needs_neither_the_store_nor_the_check_in_window(tmp_path):
    """Each of these was a measured share of the cold start (bench_bundle.py): none is loaded before the
    idle screen is painted.  Checked to fail with the store imported by the command line's helpers."""
    db = ready(tmp_path / "k.db")
    loaded = _modules_after(
        "import sys\n"
        "from ui import commands\n"
        "from kiosk.cli import app, usage\n"
        "app.build_parser(commands.plugins(), usage.command_of(['--db', sys.argv[1], 'kiosk']))\n"
        "from kiosk.store.glance import glance\n"
        "import ui.kiosk.app\n"
        "first = glance(sys.argv[1])\n"
        "assert first is not None\n"
        "from PySide6.QtWidgets import QApplication\n"
        "qapp = QApplication([])\n"
        "from ui.kiosk.shell import KioskShell\n"
        "shell = KioskShell()\n"
        "shell.idle_page.set_event(first)\n"
        "shell.idle_page.set_count(first.present, first.roster)\n"
        "shell.show()\n"
        "qapp.processEvents()\n", str(db))
    store = {m for m in loaded if m.startswith("kiosk.store.")} - {"kiosk.store.glance", "kiosk.store.migrations"}
    assert store == set()
    assert {m for m in loaded if m.startswith("kiosk.ceremony.")} == {"kiosk.ceremony.wedge"}   # the scanner's
    heavy = ("sqlite_utils", "PIL", "cryptography", "keyring", "logging.handlers", "ui.logs", "kiosk.logs",
             "ui.worker", "ui.kiosk.window", "ui.kiosk.service", "ui.kiosk.pages", "ui.kiosk.signature_pad",
             "kiosk.attendance", "kiosk.ceremony.pledge", "kiosk.ceremony.signature", "kiosk.security.keys", "kiosk.firstrun", "ui.setup",
             "PySide6.QtMultimedia", "PySide6.QtNetwork", "uuid")
    assert sorted(m for m in loaded if m == "PIL" or m.startswith(heavy)) == []


def test_the_shell_paints_its_idle_page_then_hands_it_to_the_check_in_window(qtbot, tmp_path):
    from ui.kiosk.service import KioskService
    from ui.kiosk.shell import KioskShell
    from ui.kiosk.window import KioskWindow
    db = ready(tmp_path / "k.db")
    first = glance(db)
    shell = KioskShell()
    qtbot.addWidget(shell)
    shell.idle_page.set_event(first)
    shell.idle_page.set_count(first.present, first.roster)
    page = shell.idle_page
    with qtbot.waitSignal(shell.painted, timeout=5000):
        shell.resize(1366, 768)
        shell.show()
    assert shell.windowTitle() == "Ikrar Kiosk [idle]"
    assert page.event_title.text() == first.title
    assert page.count_label.text().startswith("3 ")
    shell.close()                                            # nobody closes the first frame
    assert shell.isVisible()
    badge = list(demo.people(12))[5].nip
    shell.wedge.scanned.emit(badge)                          # scanned while the rest is loading

    service = KioskService(db, None)
    try:
        window = KioskWindow(service, idle_page=page, wedge=shell.wedge)
        assert shell.hold(window) == [badge]                  # the badge, for the window to take first
        shell.wedge.scanned.emit(badge)
        assert shell.early == []                              # from now on the window's own
        window.show_title()
        assert window.wedge is shell.wedge
        assert window.idle_page is page and window.stack.currentWidget() is page
        assert window.parent() is shell and page.isVisible()
        with qtbot.waitSignal(service.opened, timeout=10000) as opened:
            service.open()
        window.set_info(opened.args[0])
        assert page.event_title.text() == first.title        # the same words, now from the store
        assert shell.windowTitle() == "Ikrar Kiosk [idle]"
        shell.may_close = True                               # the kiosk quitting
        shell.close()
        assert not shell.isVisible()
    finally:
        window.wedge.remove()
        service.shutdown()


@pytest.mark.x11
def test_a_badge_scanned_the_moment_the_idle_screen_appears_is_answered(tmp_path):
    """The real kiosk under X with a window manager: the badge is typed as a USB scanner types it as soon
    as the window says "[idle]" (the rest still loading), and it is the one the kiosk looks up."""
    from x11_session import Session, missing_tools, stop
    if missing_tools():
        if os.environ.get("CI"):
            raise RuntimeError(f"CI must have {missing_tools()}")
        pytest.skip(f"needs {missing_tools()}")
    db = ready(tmp_path / "k.db", people=12, present=0)
    people = list(demo.people(12))
    x = Session()
    try:
        for person in people[:3]:                             # three starts, a different badge each
            proc = x.start_kiosk(db, "--windowed", "--no-signature")
            window = x.kiosk("idle", proc)
            if x.active() != window:
                x.activate(window)
            x.scan(person.nip)
            x.kiosk("done", proc)
            out = stop(proc)
            assert "Traceback" not in out, out
    finally:
        x.close()
    with Store(db) as s:
        e = s.active_event()
        assert s.count_present(e.id) == 3
