"""Where the screens' log goes, and what an unexpected error does while a window runs.

Every logger of the screens is under ``ikrar`` (``ikrar.worker``, ``ikrar.kiosk``,
``ikrar.display``).  While a window runs, :func:`file_log` sends them to the one log file in the
user data folder (:mod:`kiosk.logs`: rotating, 0600 in a 0700 folder, NIPs and NIKs masked) and,
when there is a console, warnings to ``sys.stderr``; the GUI script on Windows (``ikrar-kiosk.exe``)
has no ``sys.stderr`` at all, so nothing here ever writes to it blindly.

An exception nobody caught in a Qt slot or a callback is logged with its traceback, a plain message
says so on screen (a small window that closes itself, so the queue is never blocked), and the
window keeps running.  Logs carry no names, NIPs or signatures: only what went wrong.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk import logs as core_logs
from ui.messages import t

LOG_NAME = core_logs.LOG_NAME
FORMAT = core_logs.FORMAT
#: How long the "unexpected error" note stays on screen (ms).
NOTE_MS = 12_000
_current: list[Path] = []
Notify = Callable[[str], None]


def log_file() -> Path | None:
    """The file the screens are logging to now, if any (named in "see the log" messages)."""
    return _current[-1] if _current else None


def show_unexpected(message: str) -> None:
    """The plain note after an unexpected error: a non-modal box on top that closes itself."""
    try:
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox
    except ImportError:                                 # a command without Qt: the log holds it
        return
    app = QApplication.instance()
    if not isinstance(app, QApplication) or QApplication.startingUp() or QApplication.closingDown():
        return
    box = QMessageBox(QMessageBox.Icon.Warning, "Ikrar Kiosk", message, QMessageBox.StandardButton.Ok)
    box.setObjectName("unexpectedNote")
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    QTimer.singleShot(NOTE_MS, box, box.close)
    box.show()


def qt_messages_to_log(*, chain: bool = True) -> Callable[[], None]:
    """Send Qt's own messages (a missing plugin, a bad style sheet) to the ``ikrar.qt`` logger, and on to
    the handler before (pytest-qt's) when ``chain``; returns the undo.  Qt's default printing (no handler
    before) is left out: the ``ikrar`` loggers' own console handler shows warnings where there is a
    console."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    qt_log = logging.getLogger(f"{core_logs.LOGGER}.qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}
    previous: list = []

    def handler(kind, context, message) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)
        if chain and previous and previous[0] is not None:
            previous[0](kind, context, message)
    previous.append(qInstallMessageHandler(handler))

    def undo() -> None:
        qInstallMessageHandler(previous[0])
    return undo


@contextmanager
def file_log(db_path: str | Path | None = None, *, level: int = logging.INFO,
             notify: Notify | None = show_unexpected) -> Iterator[Path | None]:
    """Log the ``ikrar`` loggers to the user's log file (and warnings to a console if there is one);
    an uncaught exception is logged and ``notify(message)`` tells the person at the screen.

    ``db_path`` is kept for the callers that name their database: it is written once, masked, at the
    start, so a log shared by several kiosks tells them apart."""
    root = logging.getLogger(core_logs.LOGGER)
    handlers: list[logging.Handler] = []
    file = core_logs.file_handler(level)
    path: Path | None = core_logs.log_path() if file is not None else None
    if file is not None:
        handlers.append(file)
    if sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(logging.Formatter(FORMAT))
        console.addFilter(core_logs.MaskFilter())
        handlers.append(console)
    for h in handlers:
        root.addHandler(h)
    old_level = root.level
    root.setLevel(min(level, old_level) if old_level else level)
    old_hook = sys.excepthook

    def hook(kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            old_hook(kind, value, tb)
            return
        root.critical("uncaught exception", exc_info=(kind, value, tb))
        if notify is not None:
            where = log_file()
            try:
                notify(t("ui.unexpected_logged", log=str(where)) if where is not None else t("ui.unexpected"))
            except Exception:  # noqa: BLE001 - the note failing must not become a second error
                root.exception("the unexpected-error note could not be shown")
    sys.excepthook = hook
    # Qt's own notes (a camera that will not open, a missing plugin) go to the file too.
    undo_qt = qt_messages_to_log() if "PySide6.QtCore" in sys.modules else None
    if path is not None:
        _current.append(path)
    if db_path is not None:
        root.info("started on %s", Path(db_path).name)
    try:
        yield path
    finally:
        sys.excepthook = old_hook
        if undo_qt is not None:
            undo_qt()
        if path is not None:
            _current.remove(path)
        root.setLevel(old_level)
        for h in handlers:
            root.removeHandler(h)
            h.close()
