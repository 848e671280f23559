"""The log file (issue 16): in the user data folder, rotating, for its owner alone, and with no names,
NIPs, NIKs or signatures in it, whatever happens: a check-in, a refused scan, a roster import, an
unexpected exception in a slot.  An unexpected error is logged with its traceback, a plain note says so,
and the kiosk keeps running."""
from __future__ import annotations

import json
import logging
import math
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk import logs
from kiosk.i18n import KioskError
from kiosk.security import pin as admin
from ui import logs as ui_logs
from ui.logs import file_log

ROOT = Path(__file__).resolve().parents[1]
NIK = "3201014101900003"
POSIX = os.name == "posix"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- masking ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "scan 196804111993031009 refused", "NIP 19680411 199303 1 009", "NIK 3201.0141.0190.0003", NIK,
    "two glued 196804111993031009200012312024211001", "nip=19680411-199303-1-009",
])
def test_nips_and_niks_are_masked_however_written(text):
    masked = logs.mask(text)
    assert logs.MASK in masked and not any(ch.isdigit() for ch in masked)


@pytest.mark.parametrize("text", ["2024-11-04 10:00:00,123", "took 12 ms, 3 in line", "uuid 9f1c2b3a-0000-4000-8000",
                                  "15 digits 123456789012345", "port 5432 row 1234567"])
def test_times_counts_and_short_numbers_stay(text):
    assert logs.mask(text) == text


def test_a_kiosk_error_in_a_traceback_shows_its_code_not_its_message():
    try:
        try:
            name = "Budi " + "Santoso"
            raise KioskError("checkin.duplicate", name=name, time="08:01")
        except KioskError as inner:
            raise RuntimeError("while saving 196804111993031009") from inner
    except RuntimeError as exc:
        text = logs.exception_text(exc)
    assert "Budi Santoso" not in text and "[checkin.duplicate]" in text
    assert "196804111993031009" not in text and logs.MASK in text and "Traceback" in text


# --- the file --------------------------------------------------------------------------------------

def test_the_log_is_in_the_user_data_folder_private_and_rotates(tmp_path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 4000)
    old = logs.log_dir()
    assert old == Path(os.environ["XDG_DATA_HOME"]) / "ikrar-kiosk" / "logs"
    with file_log(tmp_path / "kiosk.db") as path:
        assert path == logs.log_path() and path.parent == old
        log = logging.getLogger("ikrar.test")
        for i in range(400):
            log.info("line %d of the soak, nothing personal here", i)
    files = logs.log_files()
    assert [p.name for p in files] == ["ikrar.log"] + [f"ikrar.log.{n}" for n in range(1, logs.BACKUPS + 1)]
    assert all(p.stat().st_size <= 4000 + 200 for p in files)
    assert "line 399" in files[0].read_text(encoding="utf-8")
    if POSIX:
        assert mode(old) == 0o700
        assert {mode(p) for p in files} == {0o600}


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_a_log_left_world_readable_by_an_older_version_is_tightened():
    logs.log_dir().mkdir(parents=True, mode=0o755)
    os.chmod(logs.log_dir(), 0o755)
    logs.log_path().write_text("old\n", encoding="utf-8")
    os.chmod(logs.log_path(), 0o644)
    with file_log():
        logging.getLogger("ikrar.test").warning("hello")
    assert mode(logs.log_dir()) == 0o700 and mode(logs.log_path()) == 0o600
    assert logs.log_path().read_text(encoding="utf-8").startswith("old\n")


def test_a_folder_that_cannot_be_written_leaves_the_screens_running(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("IKRAR_LOG_DIR", str(blocker / "logs"))
    with file_log() as path:
        assert path is None and ui_logs.log_file() is None
        logging.getLogger("ikrar.test").warning("nowhere to go")


def test_ikrar_logs_says_where_the_log_is(ikrar):
    code, out, err = ikrar("logs")
    assert code == 0 and str(logs.log_path()) in out and "belum ada isinya" in out
    with file_log():
        logging.getLogger("ikrar.test").warning("something")
    code, out, err = ikrar("logs", "--json")
    data = json.loads(out)
    assert data["file"] == str(logs.log_path()) and data["exists"] and data["files"][0]["bytes"] > 0
    code, out, err = ikrar("--lang", "en", "logs")
    assert "Log file:" in out and "no names" in out


def test_an_unexpected_cli_error_is_logged_with_its_traceback_and_said_plainly(ikrar, monkeypatch):
    from kiosk.cli import events

    def broken(args):
        raise ZeroDivisionError("NIP 196804111993031009")
    monkeypatch.setattr(events, "cmd_list", broken)
    monkeypatch.delenv("IKRAR_DEBUG", raising=False)
    code, out, err = ikrar("event", "list")
    assert code == 1 and "ZeroDivisionError" in err and str(logs.log_path()) in err and "Traceback" not in err
    text = logs.log_path().read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError" in text and "196804111993031009" not in text


# --- through the real kiosk ------------------------------------------------------------------------

def _mouse(target, kind, pos):
    p = QPointF(*pos)
    button = Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    QApplication.sendEvent(target, QMouseEvent(kind, p, p, target.mapToGlobal(p), button, buttons,
                                               Qt.KeyboardModifier.NoModifier))


def _sign(pad):
    w, h = pad.width(), pad.height()
    points = [(w * (0.15 + 0.7 * i / 90), h * (0.5 + 0.25 * math.sin(i / 90 * 6 * math.pi))) for i in range(91)]
    _mouse(pad, QEvent.Type.MouseButtonPress, points[0])
    for p in points[1:]:
        _mouse(pad, QEvent.Type.MouseMove, p)
    _mouse(pad, QEvent.Type.MouseButtonRelease, points[-1])


@pytest.mark.qt_no_exception_capture
def test_a_kiosk_session_leaves_no_person_in_the_log(qtbot, db_path, store, event, people, ikrar, tmp_path):
    from ui.kiosk.service import KioskService
    from ui.kiosk.window import KioskWindow
    admin.set_pin(store, "246810")
    roster = tmp_path / "tambahan.csv"
    roster.write_text("NIK;Nama;Jabatan;Unit Kerja\n" f"{NIK};Siti Kontrakwati;Tenaga Kontrak;Sekretariat Daerah\n",
                      encoding="utf-8")
    notes = []
    with file_log(db_path, level=logging.DEBUG, notify=notes.append):
        service = KioskService(db_path)
        window = KioskWindow(service)
        with qtbot.waitSignal(service.opened, timeout=5000) as opened:
            service.open()
        window.set_info(opened.args[0])
        window.resize(1366, 768)
        window.show()
        try:
            window.scan(people[3].nip)                                     # a check-in with a signature
            qtbot.waitUntil(lambda: window.state == "signing", timeout=5000)
            _sign(window.pad)
            window.confirm()
            qtbot.waitUntil(lambda: window.state == "done", timeout=5000)
            window.scan("199901012020011999")                               # a refused scan: not on the roster
            qtbot.waitUntil(lambda: window.state == "unknown", timeout=5000)
            window.scan(f"NIK {NIK}")                                       # not a badge at all
            qtbot.waitUntil(lambda: window.state == "invalid", timeout=5000)
            code, _, err = ikrar("--db", db_path, "roster", "import", roster, "--non-asn")   # a roster import meanwhile
            assert code == 0, err

            def bug():                                                      # a bug in a slot
                person = people[5]
                raise LookupError(f"no seat for {person.nip}")

            def refusal():
                raise KioskError("checkin.duplicate", name=people[6].name, time="08:00")
            QTimer.singleShot(0, bug)
            QTimer.singleShot(0, refusal)
            qtbot.waitUntil(lambda: len(notes) == 2, timeout=5000)
            window.scan(people[4].nip)                                      # and the kiosk goes on
            qtbot.waitUntil(lambda: window.state == "signing", timeout=5000)
        finally:
            window.wedge.remove()
            window._may_close = True
            window.close()
            service.shutdown()
    assert all(str(logs.log_path()) in n and "tak terduga" in n for n in notes)
    text = "\n".join(p.read_text(encoding="utf-8") for p in logs.log_files())
    if os.environ.get("SHOW_LOG"):
        print(logs.log_files(), text)
    assert "uncaught exception" in text and "LookupError" in text and "[checkin.duplicate]" in text
    secrets = [p.nip for p in people] + [p.name for p in people] + [p.bare_name for p in people]
    secrets += [NIK, "Siti Kontrakwati", "199901012020011999"]
    assert [s for s in secrets if s in text] == []
    with pytest.raises(AssertionError):                        # the check is real: a NIP would be found
        assert [s for s in secrets if s in text + people[0].nip] == []


def test_the_note_after_an_unexpected_error_does_not_block_and_closes_itself(qtbot, monkeypatch):
    monkeypatch.setattr(ui_logs, "NOTE_MS", 200)
    ui_logs.show_unexpected("Terjadi kesalahan tak terduga.")
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
             and w.objectName() == "unexpectedNote"]
    assert len(boxes) == 1 and not boxes[0].isModal()
    qtbot.waitUntil(lambda: not any(isinstance(w, QMessageBox) and w.isVisible() and w.objectName() == "unexpectedNote"
                                    for w in QApplication.topLevelWidgets()), timeout=3000)


def test_without_a_console_a_slot_exception_goes_to_the_file(tmp_path):
    """As ``ikrar-kiosk.exe`` runs on Windows: no stdout, no stderr; the bug reaches the log, masked."""
    script = textwrap.dedent("""
        import sys
        sys.stderr = None
        sys.stdout = None
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from ui.logs import file_log
        app = QApplication([])

        def slot():
            raise LookupError("a bug in a slot, NIK 3201014101900003")
        with file_log():
            QTimer.singleShot(0, slot)
            QTimer.singleShot(300, app.quit)
            app.exec()
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=str(ROOT),
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    text = logs.log_path().read_text(encoding="utf-8")
    assert "LookupError: a bug in a slot, NIK " + logs.MASK in text and NIK not in text
