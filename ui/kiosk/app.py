"""Start the kiosk window: ``ikrar kiosk``."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.kiosk.service import KioskInfo, KioskService
from ui.logs import file_log
from ui.messages import t

log = logging.getLogger("ikrar.kiosk")


def _say(message: str) -> None:
    """A refusal before any window: on the console if there is one (the GUI script on Windows has none)."""
    if sys.stderr is not None:
        print(message, file=sys.stderr, flush=True)


def run_kiosk(db_path: Path, *, event_id: int | None = None, signature: bool = True, windowed: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Ikrar Kiosk")
    lock = QLockFile(str(db_path) + ".kiosk-lock")
    lock.setStaleLockTime(0)                       # a crashed kiosk's lock is freed by its dead PID
    if not lock.tryLock(200):
        _say(t("ui.already_running", path=str(db_path)))
        QMessageBox.critical(None, "Ikrar Kiosk", t("ui.already_running", path=str(db_path)))
        return 1
    with file_log(db_path):
        try:
            return _run(app, Path(db_path), event_id, signature, windowed)
        finally:
            lock.unlock()


def _run(app: QCoreApplication, db_path: Path, event_id: int | None, signature: bool, windowed: bool) -> int:
    from ui.kiosk.dialogs import SetPinDialog
    from ui.kiosk.window import KioskWindow  # after QApplication: it builds widgets
    service = KioskService(db_path, event_id)
    window = KioskWindow(service, signature_required=signature)
    status = {"code": 0}

    def failed(message: str) -> None:
        log.info("the kiosk cannot start: %s", message)
        _say(message)
        QMessageBox.critical(None, "Ikrar Kiosk", message)
        status["code"] = 1
        app.quit()

    def opened(info: KioskInfo) -> None:
        window.set_info(info)
        if windowed:
            window.resize(1366, 768)
            window.show()
        else:
            window.showFullScreen()
        if not info.has_pin and not SetPinDialog.ask(service, window):
            window._may_close = True
            window.close()
            app.quit()

    service.failed.connect(failed)
    service.opened.connect(opened)
    window.exitRequested.connect(app.quit)
    service.open()
    app.exec()
    window.wedge.remove()
    service.shutdown()
    return status["code"]
