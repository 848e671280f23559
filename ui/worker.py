"""A plain thread that owns the database for a window, in front of which the GUI only paints.

Jobs (callables) go into a queue and run one at a time, in order, on the worker
thread.  Answers come back through a parameterless queued signal and are handed
out on the GUI thread as the subclass's own signals, carrying the core's frozen
dataclasses.  No Python object is marshalled by Qt across threads: PySide6 6.12
corrupted reference counts doing that under load (see tests/test_qt_binding.py).
"""
from __future__ import annotations

import collections
import queue
import sys
import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.i18n import KioskError
from kiosk.store import Store


class StoreWorker(QObject):
    _ready = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._jobs: queue.Queue = queue.Queue()
        self._answers: collections.deque = collections.deque()
        self._ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def shutdown(self) -> None:
        """Finish the queued jobs (a check-in being saved is never dropped), close the database."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(30)

    # --- worker side ---------------------------------------------------------------------------

    def _answer(self, name: str, *args) -> None:
        """Emit signal ``name`` with ``args`` on the GUI thread."""
        self._answers.append((name, args))
        self._ready.emit()

    def _next_job(self) -> Callable[[], None] | None:
        """The next job; subclasses may wait with a time-out and return a periodic job instead."""
        return self._jobs.get()

    def _failed(self, job: Callable[[], None], exc: Exception) -> None:
        """A job raised: subclasses say so on their screen."""

    def _run(self) -> None:
        while True:
            job = self._next_job()
            if job is None:
                break
            try:
                job()
            except KioskError as exc:                 # a refusal the user can act on
                self._failed(job, exc)
            except Exception as exc:                  # a bug or a broken disk: keep the trace, stay alive
                traceback.print_exc(file=sys.stderr)
                self._failed(job, exc)
        if self._store is not None:
            self._store.close()

    # --- GUI side ------------------------------------------------------------------------------

    def _deliver(self) -> None:
        while self._answers:
            name, args = self._answers.popleft()
            getattr(self, name).emit(*args)
