"""Which unit (and phrase) is live, and whether the screen is black: shared by the console and the projector.

Keys (clickers send these): PageDown, Right, Down, Space next; PageUp, Left, Up,
Backspace previous; B and ``.`` black screen; Home and End first and last.  The
"start/stop presentation" button of common clickers sends F5/Shift+F5/Esc: swallowed,
so it never drops the projector out of full screen.  While the screen is black,
next/previous bring the picture back without moving (as in PowerPoint).
"""
from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.ceremony.pledge import Pledge
from ui.display.phrases import unit_phrases


class Action(StrEnum):
    """What a key does to the presentation."""
    NEXT = "next"
    PREVIOUS = "previous"
    FIRST = "first"
    LAST = "last"
    BLANK = "blank"
    SWALLOW = "swallow"          # ours, but nothing happens


NEXT, PREVIOUS, FIRST, LAST, BLANK, SWALLOW = Action
_KEYS = {
    Qt.Key.Key_PageDown: NEXT, Qt.Key.Key_Right: NEXT, Qt.Key.Key_Down: NEXT, Qt.Key.Key_Space: NEXT,
    Qt.Key.Key_PageUp: PREVIOUS, Qt.Key.Key_Left: PREVIOUS, Qt.Key.Key_Up: PREVIOUS,
    Qt.Key.Key_Backspace: PREVIOUS,
    Qt.Key.Key_B: BLANK, Qt.Key.Key_Period: BLANK,
    Qt.Key.Key_Home: FIRST, Qt.Key.Key_End: LAST,
    # a clicker's "start/stop slideshow" button: never let it leave full screen
    Qt.Key.Key_F5: SWALLOW, Qt.Key.Key_Escape: SWALLOW,
}


def key_action(key: int) -> Action | None:
    try:
        return _KEYS.get(Qt.Key(key))
    except ValueError:
        return None


class Presentation(QObject):
    """Which unit (and phrase) is live, and whether the screen is black.  Emits ``changed``."""
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pledge: Pledge | None = None
        self.index = 0
        self.phrase: int | None = None
        self.phrase_mode = False
        self.blank = False

    # --- reading the state ---------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self.pledge.units) if self.pledge else 0

    def phrases(self, index: int | None = None) -> tuple[tuple[int, int], ...]:
        if not self.pledge or not self.phrase_mode:
            return ()
        i = self.index if index is None else index
        return unit_phrases(self.pledge.units[i]) if 0 <= i < self.count else ()

    # --- changing it ---------------------------------------------------------------------------

    def set_pledge(self, pledge: Pledge | None) -> None:
        self.pledge = pledge
        self.index = max(0, min(self.index, self.count - 1))
        self._settle(self.phrase if self.phrase is not None else 0)
        self.changed.emit()

    def set_phrase_mode(self, on: bool) -> None:
        self.phrase_mode = bool(on)
        self._settle(0)
        self.changed.emit()

    def set_blank(self, on: bool) -> None:
        if self.blank != bool(on):
            self.blank = bool(on)
            self.changed.emit()

    def go(self, index: int, phrase: int = 0) -> None:
        if not self.count:
            return
        self.index = max(0, min(index, self.count - 1))
        self._settle(phrase)
        self.blank = False
        self.changed.emit()

    def next(self) -> None:
        if self._unblank():
            return
        spans = self.phrases()
        if spans and self.phrase is not None and self.phrase + 1 < len(spans):
            self.phrase += 1
            self.changed.emit()
        elif self.index + 1 < self.count:
            self.go(self.index + 1, 0)

    def previous(self) -> None:
        if self._unblank():
            return
        if self.phrases() and self.phrase:
            self.phrase -= 1
            self.changed.emit()
        elif self.index > 0:
            self.go(self.index - 1, -1)          # back into the previous unit at its last phrase

    def handle_key(self, key: int) -> bool:
        """Act on a clicker or keyboard key; True if it was ours."""
        action = key_action(key)
        if action is None:
            return False
        if action == NEXT:
            self.next()
        elif action == PREVIOUS:
            self.previous()
        elif action == FIRST:
            self.go(0)
        elif action == LAST:
            self.go(self.count - 1)
        elif action == BLANK:
            self.set_blank(not self.blank)
        return True

    def _unblank(self) -> bool:
        if self.blank:
            self.set_blank(False)
            return True
        return False

    def _settle(self, phrase: int) -> None:
        spans = self.phrases()
        if not spans:
            self.phrase = None
        else:
            self.phrase = len(spans) - 1 if phrase < 0 else max(0, min(phrase, len(spans) - 1))
