"""The desk's door and frame: the admin PIN (made when there is none), the window and its pages, the
worker that notices a kiosk's commits on the same database, and the ``ikrar desk`` command."""
from __future__ import annotations

import json
import threading

import pytest
from desk_data import PIN, empty_with_pin
from desk_helpers import open_desk_context, settle, show

from kiosk.attendance.checkin import Desk
from kiosk.security import pin as admin
from kiosk.store import Store
from ui.desk import app as desk_app
from ui.desk.pin_dialog import PinDialog
from ui.desk.window import PAGES, DeskWindow

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


def test_a_database_without_a_pin_asks_for_a_new_one_and_refuses_a_weak_one(qtbot, tmp_path):
    db = tmp_path / "new.db"
    context = open_desk_context(qtbot, db)
    try:
        assert context.event is None
        dialog = show(qtbot, PinDialog(context.service, has_pin=False), (520, 300))
        assert len(dialog.fields) == 2 and "Belum ada PIN admin" in dialog.findChildren(type(dialog.error))[0].text()
        dialog.fields[0].setText("135790")
        dialog.fields[1].setText("135791")
        dialog.submit()
        assert dialog.error.text() == "Kedua PIN tidak sama. Ulangi." and dialog.isVisible()
        for field in dialog.fields:
            field.setText("111111")
        dialog.submit()
        qtbot.waitUntil(lambda: "mudah ditebak" in dialog.error.text(), timeout=5000)
        assert dialog.isVisible() and dialog.ok_button.isEnabled()
        for field in dialog.fields:
            field.setText("135790")
        with qtbot.waitSignal(dialog.accepted, timeout=5000):
            dialog.submit()
    finally:
        context.service.shutdown()
    with Store(db) as s:
        assert admin.has_pin(s) and admin.verify_pin(s, "135790")


def test_the_pin_opens_the_desk_a_wrong_one_does_not(qtbot, tmp_path):
    db = tmp_path / "k.db"
    empty_with_pin(db)
    context = open_desk_context(qtbot, db)
    try:
        dialog = show(qtbot, PinDialog(context.service, has_pin=True), (520, 240))
        assert len(dialog.fields) == 1
        dialog.fields[0].setText("999999")
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.error.text() == "PIN salah.", timeout=5000)
        assert dialog.isVisible() and dialog.fields[0].text() == ""
        dialog.fields[0].setText(PIN)
        with qtbot.waitSignal(dialog.accepted, timeout=5000):
            dialog.submit()
    finally:
        context.service.shutdown()


def test_open_desk_asks_the_pin_before_any_page(qtbot, hall, monkeypatch):
    asked = []
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, has_pin, parent=None:
                                                      asked.append(has_pin) or False))
    assert desk_app.open_desk(hall) is None and asked == [True]
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, has_pin, parent=None: True))
    window = desk_app.open_desk(hall)
    try:
        assert isinstance(window, DeskWindow)
        show(qtbot, window, (1366, 768))
        assert window.page == "attendance"                               # an event is active: straight to it
        assert "Apel Ikrar Netralitas ASN" in window.header.text() and "Senin, 4 November 2024" in window.header.text()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)
        for n, name in enumerate(PAGES, start=1):
            qtbot.keyClick(window.focusWidget() or window, str(n), qtbot_modifier())
            assert window.page == name
    finally:
        window.close()
        window.service_stop()


def qtbot_modifier():
    from PySide6.QtCore import Qt
    return Qt.KeyboardModifier.ControlModifier


def test_a_database_that_cannot_open_says_why_without_a_window(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bukan.db"
    bad.write_bytes(b"bukan basis data, hanya teks" * 10)
    shown = []
    monkeypatch.setattr(desk_app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert desk_app.open_desk(bad) is None
    assert shown and "bukan basis data Ikrar Kiosk" in shown[0]


def test_the_worker_notices_a_kiosk_committing_to_the_same_database(qtbot, desk, hall):
    moved = []
    desk.dataChanged.connect(lambda: moved.append(1))
    settle(qtbot, desk)
    qtbot.wait(500)
    assert not moved                                                   # nothing happened: nothing said
    with Store(hall) as kiosk:                                         # the kiosk, on its own connection
        person = next(p for p in kiosk.roster(kiosk.active_event().id) if kiosk.checkin_of(1, p.nip) is None)
        assert Desk(kiosk).check_in(person.nip).status == "recorded"
    qtbot.waitUntil(lambda: bool(moved), timeout=5000)
    assert desk.service.polls > 0


def test_the_desk_follows_another_event_made_active(qtbot, desk, hall):
    changed = []
    desk.eventChanged.connect(changed.append)
    with Store(hall) as other:
        from kiosk.ceremony import pledge
        other.create_event("Apel Susulan", "2024-11-11", pledge=pledge.render(pledge.load_template("pemilu-2024")))
    qtbot.waitUntil(lambda: bool(changed), timeout=5000)
    assert changed[-1].title == "Apel Susulan" and desk.event.title == "Apel Susulan"


def test_the_command_opens_the_desk_and_refuses_an_export_first(ikrar, tmp_path, monkeypatch):
    ran = []
    monkeypatch.setattr(desk_app, "run_desk", lambda path: ran.append(path) or 0)
    db = tmp_path / "cli.db"
    assert ikrar("--db", db, "desk")[0] == 0 and ran == [db]
    from kiosk.exchange.export import export_sqlite
    ikrar("--db", db, "demo", "--people", "3")
    with Store(db) as s:
        export_sqlite(s, s.active_event(), tmp_path / "ekspor.db")
    code, _, err = ikrar("--db", tmp_path / "ekspor.db", "desk")
    assert code == 1 and "berkas ekspor atau gabungan" in err and len(ran) == 1
    from kiosk.cli.app import build_parser
    from ui.commands import add_commands
    assert build_parser((add_commands,)).parse_args(["desk"]).func.__name__ == "cmd_desk"


def test_the_gui_script_runs_the_desk_command(monkeypatch):
    from ui import commands
    seen = []
    monkeypatch.setattr(commands, "main", lambda argv: seen.append(argv) or 0)
    monkeypatch.setattr("sys.argv", ["ikrar-desk", "--db", "x.db"])
    assert commands.desk_main() == 0 and seen == [["desk", "--db", "x.db"]]


def test_shutdown_finishes_what_was_asked(qtbot, hall):
    context = open_desk_context(qtbot, hall)
    gate = threading.Event()
    done = []
    context.service.run(lambda store: gate.wait(5))
    context.service.write(lambda store: store.set_setting("desk_test", json.dumps(1)), success=done.append)
    gate.set()
    context.service.shutdown()
    with Store(hall) as s:
        assert s.get_setting("desk_test") == "1"


@pytest.fixture(autouse=True)
def _no_dialogs(monkeypatch):
    """No test here may leave a modal dialog waiting for a click."""
    from PySide6.QtWidgets import QDialog
    original = QDialog.exec

    def refuse(self):
        raise AssertionError(f"unexpected modal dialog: {self.windowTitle()}")
    monkeypatch.setattr(QDialog, "exec", refuse)
    yield
    monkeypatch.setattr(QDialog, "exec", original)
