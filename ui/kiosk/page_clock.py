"""The signing page's clock: how long a page may stay untouched, and the countdown of its last seconds.

The window starts it when someone is identified and restarts it whenever the pad is touched;
:class:`PageClock` ticks four times a second, says how many whole seconds are left once they
are :data:`COUNTDOWN_SECONDS` or fewer (the page shows them), and says when time is up.
"""
from __future__ import annotations

import math
import time

from PySide6.QtCore import QObject, QTimer, Signal

COUNTDOWN_SECONDS = 10
TICK_MS = 250


class PageClock(QObject):
    left = Signal(int)          # whole seconds left, in the last COUNTDOWN_SECONDS; 0: no countdown shown
    expired = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seconds = 0.0
        self._deadline: float | None = None
        self._shown = 0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._deadline is not None

    def start(self, seconds: float) -> None:
        """(Re)start with ``seconds`` to go: the countdown, if shown, goes away."""
        self.seconds = seconds
        self._deadline = time.monotonic() + seconds
        self._timer.start()
        self._tick()

    def stop(self) -> None:
        self._deadline = None
        self._timer.stop()
        self._show(0)

    def remaining(self) -> float:
        return max(0.0, self._deadline - time.monotonic()) if self._deadline is not None else 0.0

    def _tick(self) -> None:
        if self._deadline is None:
            return
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            self.stop()
            self.expired.emit()
            return
        whole = math.ceil(remaining)
        self._show(whole if whole <= COUNTDOWN_SECONDS else 0)

    def _show(self, seconds: int) -> None:
        if seconds != self._shown:
            self._shown = seconds
            self.left.emit(seconds)
