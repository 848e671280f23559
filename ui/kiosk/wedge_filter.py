"""Application-wide key filter that turns a USB scanner's keystrokes into ``scanned(text)``.

Thin Qt adapter over :class:`kiosk.ceremony.wedge.WedgeBuffer`: it takes every key press
wherever focus is (except in a text field a staff member is typing into), feeds
the buffer with the key's own timestamp, and swallows the keys so no button
reacts to a badge.  Enter and Escape that are not part of a scan are passed on
as ``enterPressed`` / ``escapePressed``.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from kiosk.ceremony.wedge import END_PAUSE_MS, WedgeBuffer

_TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


class WedgeFilter(QObject):
    scanned = Signal(str)
    enterPressed = Signal()
    escapePressed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.buffer = WedgeBuffer()
        self.enabled = True
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(END_PAUSE_MS)
        self._pause.timeout.connect(self._on_pause)

    def install(self) -> None:
        QApplication.instance().installEventFilter(self)

    def remove(self) -> None:
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.enabled:
            return False
        if isinstance(QApplication.focusWidget(), _TEXT_INPUTS) or QApplication.activeModalWidget():
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            char = "\r"
        elif key == Qt.Key.Key_Tab:
            char = "\t"
        elif key == Qt.Key.Key_Escape:
            self.buffer.reset()
            self.escapePressed.emit()
            return True
        else:
            char = event.text()
            if len(char) != 1 or not char.isprintable():
                return False
        stamp = event.timestamp() or int(time.monotonic() * 1000)
        was_pending = bool(self.buffer.pending)
        burst = self.buffer.key(char, float(stamp))
        if burst is not None:
            self._pause.stop()
            self.scanned.emit(burst.text)
        elif char == "\r" and not was_pending:
            self.enterPressed.emit()
        if self.buffer.pending:
            self._pause.start()
        return True

    def _on_pause(self) -> None:
        burst = self.buffer.tick(float("inf"))
        if burst is not None:
            self.scanned.emit(burst.text)
