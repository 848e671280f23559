"""Nobody leaves the kiosk: it takes the screen back whenever it is minimised, hidden or unmapped.

Under a window manager a curious employee can minimise it, press Super+D (show the desktop) or
switch workspaces, and then a right-click on the desktop offers a terminal.  :class:`Keeper`
watches the kiosk window (its state changes, hide events, and twice a second whether the window
system still shows it) and puts it back: full screen again (or the window again, with
``--windowed``), raised and active, with any staff dialog on top of it.  In full-screen mode it
also takes the keyboard back when another program got it, so a badge is never typed elsewhere.

This is the second line; the first is the operating system's kiosk mode (Windows assigned access,
see the README), which leaves nothing else on the screen to switch to.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger("ikrar.kiosk")
CHECK_MS = 500
#: In full screen, the kiosk takes the keyboard back after it has been elsewhere this many checks.
AWAY_CHECKS = 3


class Keeper(QObject):
    def __init__(self, window: QWidget, *, fullscreen: bool, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.fullscreen = fullscreen
        self.active = True
        self.reclaimed = 0                           # how many times the screen was taken back (tests, logs)
        self._away = 0
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        window.installEventFilter(self)
        self._timer.start()

    def stop(self) -> None:
        """The kiosk is being left on purpose (staff chose to leave): let it go."""
        self.active = False
        self._timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window and self.active:
            kind = event.type()
            minimised = (kind == QEvent.Type.WindowStateChange
                         and bool(self.window.windowState() & Qt.WindowState.WindowMinimized))
            if minimised or (kind == QEvent.Type.Hide and event.spontaneous()):
                QTimer.singleShot(0, self.reclaim)
        return False

    def hidden(self) -> bool:
        w = self.window
        handle = w.windowHandle()
        return (not w.isVisible() or bool(w.windowState() & Qt.WindowState.WindowMinimized)
                or (handle is not None and not handle.isExposed()))

    def check(self) -> None:
        if not self.active:
            return
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.windowState() & Qt.WindowState.WindowMinimized:
            self.reclaim()
            return
        if self.hidden():
            self.reclaim()
            return
        if self.fullscreen and QApplication.activeWindow() is None and QApplication.activePopupWidget() is None:
            self._away += 1
            if self._away >= AWAY_CHECKS:
                self.reclaim()
        else:
            self._away = 0

    def reclaim(self) -> None:
        if not self.active:
            return
        self._away = 0
        self.reclaimed += 1
        log.info("the kiosk was hidden or left: taking the screen back")
        w = self.window
        handle = w.windowHandle()
        if w.isVisible() and handle is not None and not handle.isExposed():
            # Unmapped behind Qt's back (the desktop shown, another workspace): Qt still thinks it is shown
            # and would wait for a map that never comes; map it again, on the workspace in front.
            w.hide()
        w.setWindowState(w.windowState() & ~Qt.WindowState.WindowMinimized)
        if self.fullscreen:
            w.showFullScreen()
        else:
            w.showNormal()
        w.raise_()
        w.activateWindow()
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not w:
            modal.setWindowState(modal.windowState() & ~Qt.WindowState.WindowMinimized)
            modal.show()
            modal.raise_()
            modal.activateWindow()
