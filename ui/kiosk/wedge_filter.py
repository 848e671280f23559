"""Application-wide key filter that turns a USB scanner's keystrokes into ``scanned(text)``.

Thin Qt adapter over :class:`kiosk.ceremony.wedge.WedgeBuffer`: it takes every key press
wherever focus is, feeds the buffer with the key's own timestamp, and swallows the keys so
no button reacts to a badge.  Enter and Escape that are not part of a scan are passed on
as ``enterPressed`` / ``escapePressed``.

While a staff dialog is open (a modal widget, or a text field has the focus) keys belong to
the person typing, who types at 80–250 ms a key — but the next badge in the queue may be
scanned into it.  So there the filter lets a key through only when it cannot be part of a
burst: the first key of a run passes at once; a key that follows the previous one within
:data:`~kiosk.ceremony.wedge.MAX_GAP_MS` is held back; at :data:`BURST_KEYS` such keys in a
row it is a scanner, not a person: ``burstInDialog`` is emitted (the window closes the
dialog, with nothing entered) and the burst, its first keys included, becomes a scan as
anywhere else.  Held keys of a run too short to be a scanner (a person's quick double
tap) are replayed to the field, in order, before the next slow key or after a pause.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from kiosk.ceremony.wedge import END_PAUSE_MS, MAX_GAP_MS, WedgeBuffer

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent


def _text_input(widget: object) -> bool:
    """A field a person types into (the kiosk's first frame has none, and does without their classes)."""
    from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox))

#: This many keys, each within MAX_GAP_MS of the one before, is a scanner: no person types three in 120 ms.
BURST_KEYS = 3
#: Keys that only modify the next one (a scanner sends Shift before each capital, so does a person).
_MODIFIERS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr,
              Qt.Key.Key_CapsLock, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R}


class WedgeFilter(QObject):
    scanned = Signal(str)
    enterPressed = Signal()
    escapePressed = Signal()
    burstInDialog = Signal()           # a scanner is typing into a staff dialog: close it (nothing entered)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.buffer = WedgeBuffer()
        self.enabled = True
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(END_PAUSE_MS)
        self._pause.timeout.connect(self._on_pause)
        self._last_ms: float | None = None           # the last key seen while a dialog was open
        self._run = 0                                # keys in the current fast run (dialog mode)
        self._held: list[tuple[QObject, int, Qt.KeyboardModifier, str]] = []
        self._passed: tuple | None = None            # the key event let through last (seen again as it propagates)
        self._diverting = False                      # a burst is being taken out of a dialog
        self._replaying = False

    def install(self) -> None:
        QApplication.instance().installEventFilter(self)

    def remove(self) -> None:
        QApplication.instance().removeEventFilter(self)

    # --- the filter ----------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        return self.key_press(obj, event)

    def key_press(self, obj: QObject, event: QKeyEvent) -> bool:
        """One key press, as the installed filter sees it, or handed over by the kiosk's first frame, which
        takes its keys before the filter is installed (ui.kiosk.shell); True when it was taken."""
        if not self.enabled or self._replaying:
            return False
        stamp = float(event.timestamp() or int(time.monotonic() * 1000))
        guarded = _text_input(QApplication.focusWidget()) or QApplication.activeModalWidget()
        if self._diverting or not guarded:
            return self._kiosk_key(event, stamp)
        return self._dialog_key(obj, event, stamp)

    @staticmethod
    def _char(event: QKeyEvent) -> str | None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return "\r"
        if key == Qt.Key.Key_Tab:
            return "\t"
        text = event.text()
        return text if len(text) == 1 and text.isprintable() else None

    def _kiosk_key(self, event: QKeyEvent, stamp: float) -> bool:
        """Anywhere but a staff dialog: every key is the scanner's (or Enter/Escape for the page)."""
        if event.key() == Qt.Key.Key_Escape:
            self.buffer.reset()
            self._diverting = False
            self.escapePressed.emit()
            return True
        char = self._char(event)
        if char is None:
            return False
        was_pending = bool(self.buffer.pending)
        burst = self.buffer.key(char, stamp)
        if burst is not None:
            self._pause.stop()
            self._diverting = False
            self.scanned.emit(burst.text)
        elif char == "\r" and not was_pending and not self._diverting:
            self.enterPressed.emit()
        if self.buffer.pending:
            self._pause.start()
        elif char == "\r":
            self._diverting = False
        return True

    def _dialog_key(self, obj: QObject, event: QKeyEvent, stamp: float) -> bool:
        """In a staff dialog: a person's keys reach the field; a scanner's burst closes the dialog."""
        if event.key() in _MODIFIERS:                # no part of the timing: the key it modifies is
            return False
        seen = (event.timestamp(), event.key(), event.text(), int(event.modifiers().value))
        if seen == self._passed:                     # the same key delivered again (window, then widget)
            return False
        char = self._char(event)
        shortcut = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if char is None or shortcut:
            self._flush()                            # Escape, arrows, shortcuts: a person's
            self._last_ms, self._run = stamp, 0
            self._passed = seen
            return False
        fast = self._last_ms is not None and stamp - self._last_ms <= MAX_GAP_MS
        self._last_ms = stamp
        self.buffer.key(char, stamp)                 # the buffer keeps the burst's head, should it be one
        self._pause.start()                          # a pause empties the buffer of a person's keys
        if not fast:
            self._flush()
            self._run = 1
            self._passed = seen
            return False                             # a person's key, or a burst's first: into the field
        self._run += 1
        if self._run >= BURST_KEYS:
            self._held.clear()
            self._diverting = True
            self.burstInDialog.emit()
            return True
        self._held.append((obj, event.key(), event.modifiers(), event.text()))
        return True

    # --- held keys and pauses --------------------------------------------------------------------

    def _flush(self) -> None:
        """Replay held keys (a person's quick run, not a scanner) where they were going, in order."""
        from PySide6.QtGui import QKeyEvent
        held, self._held = self._held, []
        self._replaying = True
        try:
            for receiver, key, modifiers, text in held:
                target = receiver if isValid(receiver) else QApplication.focusWidget()
                if target is None:
                    continue
                QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))
                QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text))
        finally:
            self._replaying = False

    def _on_pause(self) -> None:
        if self._held:
            self._flush()
            self._run = 0
            self.buffer.reset()
            return
        burst = self.buffer.tick(float("inf"))
        self._diverting = False
        if burst is not None:
            self.scanned.emit(burst.text)
