"""The kiosk screen's one door to the core.

Every database call (look-up, durable check-in commit, PNG rendering, PIN hash)
runs on the :class:`~ui.worker.StoreWorker` thread, in order, so the GUI thread
only paints.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.security import pin as admin
from kiosk.ceremony.checkin import INVALID, RECORDED, CheckinResult, Desk
from kiosk.i18n import KioskError, register, t
from kiosk.store import Event, Store

from ui.worker import StoreWorker

register({
    "ui.not_saved": {
        "id": "{reason} Kehadiran ini BELUM tercatat: pindai ulang, atau lapor ke meja panitia.",
        "en": "{reason} This attendance was NOT recorded: scan again, or go to the organisers' desk."},
})
SOUND_SETTING = "kiosk.sound"
NOT_SAVED = "not_saved"        # CheckinResult.code when a check-in could not be written


@dataclass(frozen=True, slots=True)
class KioskInfo:
    """What the idle screen shows: the event, the live count, the pledge being signed."""
    event: Event
    present: int
    roster: int
    pledge_text: str
    pledge_sha256: str
    has_pin: bool
    sound: bool                        # the organiser may silence the kiosk (setting kiosk.sound)


class KioskService(StoreWorker):
    """GUI-side handle.  Call the methods; listen to the signals (always emitted on the GUI thread)."""
    opened = Signal(object)            # KioskInfo
    failed = Signal(str)
    result = Signal(object)            # CheckinResult
    counted = Signal(int, int)
    found = Signal(list)               # list[Person]
    pinChecked = Signal(bool, str)

    def __init__(self, db_path: Path, event_id: int | None = None, parent: QObject | None = None) -> None:
        self.db_path, self.event_id = Path(db_path), event_id
        self._desk: Desk | None = None
        self._present = self._roster = 0
        super().__init__("kiosk-store", parent)

    # --- GUI side ----------------------------------------------------------------------------

    def open(self) -> None:
        self.submit(self._open)

    def identify(self, payload: str, method: str = "wedge") -> None:
        self.submit(lambda: self._identify(payload, method))

    def record(self, nip: str, method: str, signature=None) -> None:
        self.submit(lambda: self._record(lambda: self._desk.record(nip, method=method, signature=signature), nip))

    def check_in(self, payload: str, method: str = "wedge") -> None:
        """Identify and record in one step (a kiosk without signatures)."""
        self.submit(lambda: self._record(lambda: self._desk.check_in(payload, method=method), None))

    def abandon(self, nip: str, method: str) -> None:
        self.submit(lambda: self._desk.abandon(nip, method=method))

    def search(self, text: str) -> None:
        self.submit(lambda: self._answer("found", self._store.find_people(text, limit=20)))

    def set_sound(self, on: bool) -> None:
        self.submit(lambda: self._store.set_setting(SOUND_SETTING, "on" if on else "off"))

    def check_pin(self, pin: str) -> None:
        self.submit(lambda: self._check_pin(pin))

    def set_pin(self, pin: str) -> None:
        self.submit(lambda: self._set_pin(pin))

    # --- worker side -------------------------------------------------------------------------

    def _failed(self, job, exc: Exception) -> None:
        # The screen is waiting for an answer: say so, never pretend the check-in was saved.
        self._answer("result", CheckinResult(INVALID, t("ui.not_saved", reason=f"{exc}."), code=NOT_SAVED))

    def _open(self) -> None:
        try:
            self._store = Store(self.db_path)
            event = self._store.event(self.event_id) if self.event_id else self._store.active_event()
            self._desk = Desk(self._store, event)
            p = self._store.pledge(event.pledge_id)
            self._present, self._roster = self._store.count_present(event.id), self._store.count_people()
            self._answer("opened", KioskInfo(event, self._present, self._roster, p.text, p.sha256,
                                             admin.has_pin(self._store),
                                             self._store.get_setting(SOUND_SETTING, "on") == "on"))
        except KioskError as exc:
            self._answer("failed", str(exc))

    def _identify(self, payload: str, method: str) -> None:
        self._answer("result", self._desk.identify(payload, method=method))

    def _record(self, do, nip: str | None) -> None:
        try:
            result = do()
        except KioskError as exc:                        # e.g. the disk is full: never pretend it was saved
            result = CheckinResult(INVALID, t("ui.not_saved", reason=exc), nip=nip, code=NOT_SAVED)
        self._answer("result", result)
        if result.status == RECORDED:                   # one kiosk per database: count, don't re-query
            self._present += 1
            self._answer("counted", self._present, self._roster)

    def _check_pin(self, pin: str) -> None:
        try:
            ok = admin.verify_pin(self._store, pin)
            self._answer("pinChecked", ok, "" if ok else t("pin.wrong"))
        except KioskError as exc:
            self._answer("pinChecked", False, str(exc))

    def _set_pin(self, pin: str) -> None:
        try:
            admin.set_pin(self._store, pin)
            self._answer("pinChecked", True, "")
        except KioskError as exc:
            self._answer("pinChecked", False, str(exc))
