"""Start the desk: ``ikrar desk`` (and the ``ikrar-desk`` GUI script).

The database opens on the desk's worker; the admin PIN is asked (or made, when there is none)
before any page is built, so nothing personal is on screen before the PIN.  The kiosk and the
console may run on the same database meanwhile: the desk takes no lock.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ui.logs import file_log
from ui.messages import t

log = logging.getLogger("ikrar.desk")


def _say(message: str) -> None:
    if sys.stderr is not None:
        print(message, file=sys.stderr, flush=True)


def open_desk(db_path: str | Path, *, parent: QWidget | None = None, ask_pin: bool = True):  # noqa: ANN201
    """Open the desk on ``db_path`` inside a running application (the kiosk's staff menu and the console call
    this too); returns the window, or None when the PIN was not given or the database cannot open.
    The window owns its worker and stops it when closed."""
    from PySide6.QtCore import QEventLoop

    from ui.desk.pin_dialog import PinDialog
    from ui.desk.service import DeskContext, DeskInfo, DeskService
    from ui.desk.window import DeskWindow

    service = DeskService(db_path)
    answer: dict[str, object] = {}
    loop = QEventLoop()
    service.opened.connect(lambda info: (answer.__setitem__("info", info), loop.quit()))
    service.failed.connect(lambda message: (answer.__setitem__("error", message), loop.quit()))
    service.open()
    loop.exec()
    info = answer.get("info")
    if not isinstance(info, DeskInfo):
        service.shutdown()
        message = t("desk.cannot_open", reason=str(answer.get("error", "")))
        log.info("the desk cannot open: %s", answer.get("error"))
        _say(message)
        QMessageBox.critical(parent, t("desk.title"), message)
        return None
    if ask_pin and not PinDialog.ask(service, info.has_pin, parent):
        service.shutdown()
        return None
    window = DeskWindow(DeskContext(service, info))
    window.closing.connect(service.shutdown)
    return window


def run_desk(db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Ikrar Kiosk")
    with file_log(db_path):
        window = open_desk(db_path)
        if window is None:
            return 1
        window.fit_screen()
        app.exec()
        window.service_stop()
    return 0
