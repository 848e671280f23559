"""The screens' one door to the core: a worker thread that owns the database.

Every database call (look-up, durable check-in commit, PNG rendering, PIN hash)
runs on the worker, so the GUI thread only paints.  Requests are queued signals;
answers come back as signals carrying the core's frozen dataclasses.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from kiosk import admin
from kiosk.checkin import CheckinResult, Desk
from kiosk.i18n import KioskError
from kiosk.store import Event, Store


@dataclass(frozen=True, slots=True)
class KioskInfo:
    """What the idle screen shows: the event and the live count."""
    event: Event
    present: int
    roster: int
    pledge_text: str
    pledge_sha256: str
    has_pin: bool


class _Worker(QObject):
    opened = Signal(object)            # KioskInfo
    failed = Signal(str)
    result = Signal(object)            # CheckinResult
    counted = Signal(int, int)
    found = Signal(list)               # list[Person]
    pinChecked = Signal(bool, str)

    def __init__(self, db_path: Path, event_id: int | None) -> None:
        super().__init__()
        self.db_path, self.event_id = db_path, event_id
        self.store: Store | None = None
        self.desk: Desk | None = None

    @Slot()
    def open(self) -> None:
        try:
            self.store = Store(self.db_path)
            event = self.store.event(self.event_id) if self.event_id else self.store.active_event()
            self.desk = Desk(self.store, event)
            p = self.store.pledge(event.pledge_id)
            self.opened.emit(KioskInfo(event, self.store.count_present(event.id), self.store.count_people(),
                                       p.text, p.sha256, admin.has_pin(self.store)))
        except KioskError as exc:
            self.failed.emit(str(exc))

    @Slot(str, str)
    def identify(self, payload: str, method: str) -> None:
        self.result.emit(self.desk.identify(payload, method=method))

    @Slot(str, str, object)
    def record(self, nip: str, method: str, signature) -> None:
        try:
            result = self.desk.record(nip, method=method, signature=signature)
        except KioskError as exc:          # e.g. the disk is full: say so, never pretend it was saved
            result = CheckinResult("invalid", str(exc), nip=nip, code=exc.code)
        self.result.emit(result)
        self.counted.emit(self.store.count_present(self.desk.event.id), self.store.count_people())

    @Slot(str, str)
    def abandon(self, nip: str, method: str) -> None:
        self.desk.abandon(nip, method=method)

    @Slot(str)
    def search(self, text: str) -> None:
        self.found.emit(self.store.find_people(text, limit=20))

    @Slot(str)
    def check_pin(self, pin: str) -> None:
        try:
            ok = admin.verify_pin(self.store, pin)
            self.pinChecked.emit(ok, "" if ok else str(KioskError("pin.wrong")))
        except KioskError as exc:
            self.pinChecked.emit(False, str(exc))

    @Slot(str)
    def set_pin(self, pin: str) -> None:
        try:
            admin.set_pin(self.store, pin)
            self.pinChecked.emit(True, "")
        except KioskError as exc:
            self.pinChecked.emit(False, str(exc))

    @Slot()
    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


class KioskService(QObject):
    """GUI-side handle.  Call the methods; listen to the signals."""
    opened = Signal(object)
    failed = Signal(str)
    result = Signal(object)
    counted = Signal(int, int)
    found = Signal(list)
    pinChecked = Signal(bool, str)

    _identify = Signal(str, str)
    _record = Signal(str, str, object)
    _abandon = Signal(str, str)
    _search = Signal(str)
    _checkPin = Signal(str)
    _setPin = Signal(str)
    _open = Signal()
    _close = Signal()

    def __init__(self, db_path: Path, event_id: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("kiosk-store")
        self._worker = _Worker(db_path, event_id)
        self._worker.moveToThread(self._thread)
        for ours, theirs in ((self._open, self._worker.open), (self._identify, self._worker.identify),
                             (self._record, self._worker.record), (self._abandon, self._worker.abandon),
                             (self._search, self._worker.search), (self._checkPin, self._worker.check_pin),
                             (self._setPin, self._worker.set_pin), (self._close, self._worker.close)):
            ours.connect(theirs)
        for theirs, ours in ((self._worker.opened, self.opened), (self._worker.failed, self.failed),
                             (self._worker.result, self.result), (self._worker.counted, self.counted),
                             (self._worker.found, self.found), (self._worker.pinChecked, self.pinChecked)):
            theirs.connect(ours)
        self._thread.start()

    def open(self) -> None:
        self._open.emit()

    def identify(self, payload: str, method: str = "wedge") -> None:
        self._identify.emit(payload, method)

    def record(self, nip: str, method: str, signature=None) -> None:
        self._record.emit(nip, method, signature)

    def abandon(self, nip: str, method: str) -> None:
        self._abandon.emit(nip, method)

    def search(self, text: str) -> None:
        self._search.emit(text)

    def check_pin(self, pin: str) -> None:
        self._checkPin.emit(pin)

    def set_pin(self, pin: str) -> None:
        self._setPin.emit(pin)

    def shutdown(self) -> None:
        """Close the database on its own thread and stop the thread (pending writes finish first)."""
        if self._thread.isRunning():
            self._close.emit()
            self._thread.quit()
            self._thread.wait(10_000)
