"""The desk's door to the database: one worker thread, and the state every page shares.

:class:`DeskService` is the :class:`~ui.worker.StoreWorker` of the desk window.  Between the pages'
operations it asks SQLite every second whether another connection (a kiosk on the same database)
has committed (``PRAGMA data_version``, a read of one integer), and says so with :attr:`changed`;
the desk's own writes go through :meth:`DeskService.write` / :meth:`DeskService.write_long`, which
say so too.  :class:`DeskContext` holds the active event the pages work on and reloads it on
every change.
"""
from __future__ import annotations

import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from kiosk.i18n import KioskError
from kiosk.security import pin as admin
from kiosk.store import Event, Store
from ui.worker import Failure, Job, Progress, StoreWorker, describe

T = TypeVar("T")
POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class DeskInfo:
    path: Path
    has_pin: bool
    event: Event | None            # the active event (None: no event yet)


class DeskService(StoreWorker):
    """Call ``run`` / ``run_long`` to read, ``write`` / ``write_long`` to change; listen to the broadcasts."""
    opened = Signal(object)        # DeskInfo
    failed = Signal(str)           # the database cannot be opened: what to show
    changed = Signal()             # the database changed: another program committed, or the desk wrote

    def __init__(self, db_path: str | Path, *, poll_seconds: float = POLL_SECONDS,
                 parent: QObject | None = None) -> None:
        self.poll_seconds = poll_seconds
        self.polls = 0
        self._version: int | None = None
        self._next_poll = time.monotonic()
        super().__init__("desk-store", db_path, parent)

    # --- GUI side ------------------------------------------------------------------------------

    def open(self) -> None:
        self.run(self._open, success=self.opened.emit, failure=lambda exc: self.failed.emit(describe(exc)))

    def write(self, op: Callable[[Store], T], *, success: Callable[[T], None] | None = None,
              failure: Failure | None = None) -> None:
        """Like ``run``, for an operation that changes the database: :attr:`changed` follows its success."""
        self.run(op, success=self._then_changed(success), failure=failure)

    def write_long(self, op: Callable[[Store, Progress], T], *, success: Callable[[T], None] | None = None,
                   failure: Failure | None = None, progress: Callable[[int, int], None] | None = None) -> Progress:
        return self.run_long(op, success=self._then_changed(success), failure=failure, progress=progress)

    def check_pin(self, pin: str, *, success: Callable[[bool], None], failure: Failure) -> None:
        """``success(True)`` for the right PIN (a slow hash, off the GUI thread)."""
        self.run(lambda store: admin.verify_pin(store, pin), success=success, failure=failure)

    def set_pin(self, pin: str, *, success: Callable[[None], None], failure: Failure) -> None:
        self.run(lambda store: admin.set_pin(store, pin), success=success, failure=failure)

    def _then_changed(self, success: Callable[[Any], None] | None) -> Callable[[Any], None]:
        def done(value: Any) -> None:
            if success is not None:
                success(value)
            self.changed.emit()
        return done

    # --- worker side ---------------------------------------------------------------------------

    def _open(self, store: Store) -> DeskInfo:
        self._version = self._data_version(store)
        self._next_poll = time.monotonic() + self.poll_seconds
        return DeskInfo(store.path, admin.has_pin(store), _active(store))

    @staticmethod
    def _data_version(store: Store) -> int:
        return int(store.conn.execute("PRAGMA data_version").fetchone()[0])

    def _poll(self, store: Store) -> bool:
        self._next_poll = time.monotonic() + self.poll_seconds
        self.polls += 1
        version = self._data_version(store)
        moved = self._version is not None and version != self._version
        self._version = version
        return moved

    def _poll_job(self) -> Job:
        return (self._poll, lambda moved: self.changed.emit() if moved else None, lambda exc: None)

    def _next_job(self) -> Job | None:
        """Operations as they come; between them, every ``poll_seconds``, whether the database moved."""
        timeout = max(0.0, self._next_poll - time.monotonic()) if self._version is not None else None
        try:
            return self._jobs.get(timeout=timeout)
        except queue.Empty:
            return self._poll_job()


def _active(store: Store) -> Event | None:
    try:
        return store.active_event()
    except KioskError:
        return None


class DeskContext(QObject):
    """What the pages share: the service and the active event, reloaded whenever the database changes."""
    eventChanged = Signal(object)      # Event | None: another event became active, or its details changed
    dataChanged = Signal()             # anything may have changed: visible pages reload

    def __init__(self, service: DeskService, info: DeskInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.path = info.path
        self.event: Event | None = info.event
        service.changed.connect(self._changed)

    @property
    def event_id(self) -> int | None:
        return self.event.id if self.event is not None else None

    def _changed(self) -> None:
        self.service.run(_active, success=self._event_loaded, failure=lambda exc: None)

    def _event_loaded(self, event: Event | None) -> None:
        if event != self.event:
            self.event = event
            self.eventChanged.emit(event)
        self.dataChanged.emit()
