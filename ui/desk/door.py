"""The desk opened from another screen: the kiosk's staff menu, or the display console.

From the kiosk (:func:`open_over_kiosk`) the staff have just given the admin PIN to reach the menu,
so it is not asked again.  The desk comes over the kiosk on its screen, modal, with no minimise
button; the call waits until it is closed, as for every staff dialog.  A desk left open in front of
a queue would show names, NIPs and signatures, so it closes itself after
:data:`KIOSK_UNTOUCHED_SECONDS` untouched (never while an operation runs), and a badge scanned
meanwhile closes it once read whole (:class:`BadgeClose`), and is a scan: the queue comes first.

From the console (:class:`ConsoleDesk`) the admin PIN is asked (the console has none) and the desk is
an ordinary window beside the console; asked again, the one already open comes to the front.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, SignalInstance
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from ui.desk.app import open_desk
from ui.desk.common import TaskBar

if TYPE_CHECKING:
    from ui.desk.window import DeskWindow

log = logging.getLogger("ikrar.desk")
KIOSK_UNTOUCHED_SECONDS = 180.0
#: A badge scanned into the desk over the kiosk closes it when read, or this long after its first keys.
BADGE_CLOSE_MS = 1000
_TOUCHES = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
            QEvent.Type.Wheel, QEvent.Type.MouseMove)


def within(window: QWidget, obj: QObject) -> bool:
    """``obj`` is the window, one of its widgets, or a widget of a dialog it opened (at any depth)."""
    widget = obj if isinstance(obj, QWidget) else None
    while widget is not None:
        if widget is window:
            return True
        widget = widget.parentWidget()
    return False


def busy(window: QWidget) -> bool:
    """An operation of the desk's is running (an import, an export, a merge, a sync)."""
    return any(bar.busy for bar in window.findChildren(TaskBar))


class Untouched(QObject):
    """Closes ``window`` (its dialogs first) when nobody touched it for ``seconds``, unless it is busy."""

    def __init__(self, window: QWidget, seconds: float) -> None:
        super().__init__(window)
        self.window = window
        self.expired = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(round(seconds * 1000))
        self.timer.timeout.connect(self._expire)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _TOUCHES and self.timer.isActive() and within(self.window, obj):
            self.timer.start()
        return False

    def _expire(self) -> None:
        if not isValid(self.window) or not self.window.isVisible():
            return
        if busy(self.window):
            self.timer.start()
            return
        log.info("the desk over the kiosk was left untouched: closed")
        self.expired = True
        close_with_dialogs(self.window)


def close_with_dialogs(window: QWidget) -> None:
    """Close the dialogs the window opened (innermost first), then the window."""
    seen: list[QWidget] = []
    modal = QApplication.activeModalWidget()
    while modal is not None and modal is not window and modal not in seen and within(window, modal):
        seen.append(modal)
        reject = getattr(modal, "reject", None)
        if callable(reject):
            reject()
        else:
            modal.close()
        modal = QApplication.activeModalWidget()
    window.close()


def to_front(window: QWidget) -> None:
    """Above the other windows, with the keyboard (a platform without windows, offscreen, has no above)."""
    if QGuiApplication.platformName() != "offscreen":
        window.raise_()
    window.activateWindow()


class BadgeClose(QObject):
    """Closes the desk once a badge scanned into it has been read whole, as the kiosk closes its staff dialogs.

    Not at the burst's first keys: a window hidden in the middle of a burst leaves
    the keyboard with no window until the window manager gives it to the kiosk, and the X server drops
    the keys typed meanwhile (the badge would lose digits).  So the desk keeps the keyboard (the kiosk's
    key filter swallows the keys) until the badge is read, or :data:`BADGE_CLOSE_MS` after it started.
    """

    def __init__(self, window: QWidget, started: SignalInstance, read: SignalInstance) -> None:
        super().__init__(window)
        self.window = window
        self.started, self.read = started, read
        self.fallback = QTimer(self)
        self.fallback.setSingleShot(True)
        self.fallback.setInterval(BADGE_CLOSE_MS)
        self.fallback.timeout.connect(self.close)
        started.connect(self.begin)
        read.connect(self.done)

    def begin(self) -> None:
        if self.window.isVisible():
            log.info("a badge is being scanned into the desk over the kiosk: it closes once the badge is read")
            self.fallback.start()

    def done(self, _text: str = "") -> None:
        if self.fallback.isActive():
            self.close()

    def close(self) -> None:
        self.fallback.stop()
        if isValid(self.window) and self.window.isVisible():
            close_with_dialogs(self.window)

    def stop(self) -> None:
        self.fallback.stop()
        self.started.disconnect(self.begin)
        self.read.disconnect(self.done)


def open_over_kiosk(kiosk: QWidget, db_path: str | Path, *, badge_started: SignalInstance | None = None,
                    badge_read: SignalInstance | None = None,
                    untouched_seconds: float | None = None) -> DeskWindow | None:
    """The desk over the kiosk (the PIN already given); returns once it is closed (None: it could not open).

    ``badge_started`` and ``badge_read`` are the kiosk key filter's signals (a burst typed into a dialog,
    a badge read): the desk closes once a badge scanned into it is read whole (:class:`BadgeClose`); the
    kiosk leaves a window with the ``closesOnBadge`` property to do so.  It closes itself after
    ``untouched_seconds`` (default :data:`KIOSK_UNTOUCHED_SECONDS`) untouched."""
    window = open_desk(db_path, parent=kiosk, ask_pin=False)
    if window is None:
        return None
    window.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint
                          | Qt.WindowType.WindowCloseButtonHint)
    window.setWindowModality(Qt.WindowModality.ApplicationModal)
    window.setProperty("closesOnBadge", True)
    window.winId()                                      # its native window, kept above the full-screen kiosk
    host = kiosk.windowHandle()
    if window.windowHandle() is not None and host is not None:
        window.windowHandle().setTransientParent(host)
    guard = Untouched(window, KIOSK_UNTOUCHED_SECONDS if untouched_seconds is None else untouched_seconds)
    window.untouched = guard                            # type: ignore[attr-defined]  (tests read it)
    badge = BadgeClose(window, badge_started, badge_read) if badge_started and badge_read else None
    loop = QEventLoop()
    window.closing.connect(loop.quit)
    # not kiosk.screen(): that wrapper dies with the kiosk window and poisons later primaryScreen() calls
    screen = QGuiApplication.screenAt(kiosk.mapToGlobal(kiosk.rect().center())) or QGuiApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    to_front(window)
    log.info("the desk is open over the kiosk")
    loop.exec()
    guard.stop()
    if badge is not None:
        badge.stop()
    return window


class ConsoleDesk(QObject):
    """The console's desk: one window at a time, opened behind the admin PIN."""

    def __init__(self, db_path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.window: DeskWindow | None = None

    def open(self, parent: QWidget | None = None) -> DeskWindow | None:
        if self.window is not None and isValid(self.window) and self.window.isVisible():
            to_front(self.window)
            return self.window
        self.window = open_desk(self.db_path, parent=parent)   # the PIN is asked first
        if self.window is not None:
            self.window.fit_screen()
            to_front(self.window)
        return self.window

    def close(self) -> None:
        if self.window is not None and isValid(self.window) and self.window.isVisible():
            close_with_dialogs(self.window)
        self.window = None
