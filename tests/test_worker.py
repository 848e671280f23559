"""The screens' worker: each operation with its own callbacks, on the GUI thread; failures logged, never printed."""
import logging
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from kiosk.i18n import KioskError
from kiosk.security import pin  # noqa: F401  (registers the pin.* messages)
from kiosk.store import Store
from kiosk import logs
from ui.logs import file_log, log_file
from ui.worker import StoreWorker, describe


@pytest.fixture
def worker(db_path, store):
    w = StoreWorker("test-store", db_path)
    yield w
    w.shutdown()


def test_operations_run_in_order_off_the_gui_thread_and_answer_on_it(qtbot, worker):
    seen = []

    def op(n):
        def run(store):
            assert isinstance(store, Store)
            return n, threading.current_thread().name
        return run
    for n in range(5):
        worker.run(op(n), success=lambda value: seen.append((value, threading.current_thread().name)))
    qtbot.waitUntil(lambda: len(seen) == 5, timeout=3000)
    assert [value[0] for value, _ in seen] == [0, 1, 2, 3, 4]
    assert {value[1] for value, _ in seen} == {"test-store"}
    assert {gui for _, gui in seen} == {threading.main_thread().name}


def test_a_refusal_reaches_its_own_failure_callback_with_its_message(qtbot, worker, caplog):
    got, other = [], []

    def refuse(store):
        raise KioskError("pin.not_set")
    worker.run(lambda store: 1, success=other.append, failure=other.append)
    worker.run(refuse, success=got.append, failure=got.append)
    qtbot.waitUntil(lambda: bool(got) and bool(other), timeout=3000)
    assert other == [1]
    [exc] = got
    assert isinstance(exc, KioskError) and describe(exc) == str(exc) and "PIN" in describe(exc)
    assert not [r for r in caplog.records if r.exc_info]          # a refusal is not a bug: no traceback


def test_an_unexpected_error_is_logged_with_its_traceback_and_reaches_the_screen(qtbot, worker, caplog):
    got = []

    def broken(store):
        raise sqlite3.OperationalError("disk I/O error")
    with caplog.at_level(logging.INFO, logger="ikrar"):
        worker.run(broken, success=got.append, failure=got.append)
        qtbot.waitUntil(lambda: bool(got), timeout=3000)
    assert isinstance(got[0], sqlite3.OperationalError)
    assert "kesalahan tak terduga" in describe(got[0]) and "disk I/O" not in describe(got[0])
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.name == "ikrar.worker" and record.levelno == logging.ERROR
    assert record.exc_info[0] is sqlite3.OperationalError


def test_a_failure_nobody_asked_about_is_logged(qtbot, worker, caplog):
    done = []

    def refuse(store):
        raise KioskError("pin.not_set")
    with caplog.at_level(logging.WARNING, logger="ikrar"):
        worker.run(refuse)
        worker.run(lambda store: None, success=done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=3000)
    assert any(r.name == "ikrar.worker" and "pin.not_set" in r.getMessage() for r in caplog.records)


def test_without_a_stderr_errors_still_reach_the_screen_and_the_log_file(qtbot, db_path, store, monkeypatch):
    """The GUI script on Windows runs with sys.stderr = None: the error path itself must not raise."""
    monkeypatch.setattr(sys, "stderr", None)
    got = []

    def broken(store):
        raise ZeroDivisionError("boom")
    with file_log(db_path) as path:
        assert path == logs.log_path() and log_file() == path          # the user data folder's logs/
        w = StoreWorker("headless-store", db_path)
        try:
            w.run(broken, success=got.append, failure=got.append)
            qtbot.waitUntil(lambda: bool(got), timeout=3000)
            assert str(path) in describe(got[0])                   # "see the log" names the file
        finally:
            w.shutdown()
    assert log_file() is None
    text = path.read_text(encoding="utf-8")
    assert "ikrar.worker" in text and "Traceback" in text and "ZeroDivisionError: boom" in text


def test_a_callback_that_raises_is_logged_and_the_next_answers_still_come(qtbot, worker, caplog):
    later = []

    def bad(_value):
        raise ValueError("a screen's bug")
    with caplog.at_level(logging.ERROR, logger="ikrar"):
        worker.run(lambda store: 1, success=bad)
        worker.run(lambda store: 2, success=later.append)
        qtbot.waitUntil(lambda: later == [2], timeout=3000)
    assert any(r.exc_info and r.exc_info[0] is ValueError for r in caplog.records)


def test_a_database_that_cannot_be_opened_fails_every_operation_once_asked(qtbot, tmp_path, caplog):
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_bytes(b"this is not SQLite" * 100)
    got = []
    w = StoreWorker("broken-store", not_a_db)
    try:
        w.run(lambda store: "never", success=got.append, failure=got.append)
        w.run(lambda store: "never", success=got.append, failure=got.append)
        qtbot.waitUntil(lambda: len(got) == 2, timeout=3000)
    finally:
        w.shutdown()
    assert all(isinstance(e, Exception) for e in got) and got[0] is got[1]
    assert describe(got[0])


def test_shutdown_finishes_what_was_queued(db_path, store):
    w = StoreWorker("finishing-store", db_path)
    gate = threading.Event()
    w.run(lambda s: gate.wait(5))
    w.run(lambda s: s.set_setting("late", "written"))
    gate.set()
    w.shutdown()
    assert store.get_setting("late") == "written"


def test_a_gui_script_without_stderr_logs_a_slot_exception_to_the_file(tmp_path):
    """As ``ikrar-kiosk.exe`` runs on Windows (no console at all): a bug in a slot ends up in ikrar.log."""
    script = textwrap.dedent(f"""
        import sys
        sys.stderr = None
        sys.stdout = None
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from ui.logs import file_log
        app = QApplication([])

        def slot():
            raise LookupError("a bug in a slot")
        with file_log({str(tmp_path / "kiosk.db")!r}):
            QTimer.singleShot(0, slot)
            QTimer.singleShot(100, app.quit)
            app.exec()
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                         cwd=str(Path(__file__).resolve().parents[1]),
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    text = logs.log_path().read_text(encoding="utf-8")
    assert "uncaught exception" in text and "LookupError: a bug in a slot" in text
