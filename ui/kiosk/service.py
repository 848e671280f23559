"""The kiosk screen's one door to the core.

Every database call (look-up, durable check-in commit, PNG rendering, PIN hash)
runs on the :class:`~ui.worker.StoreWorker` thread, in order, so the GUI thread
only paints.  Each method takes the asking screen's own ``success`` and
``failure`` callbacks (run on the GUI thread); the signals are broadcasts: the
opening and the live count.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.ceremony.checkin import RECORDED, Abandon, CheckinResult, Desk, Method
from kiosk.ceremony.signature import Signature
from kiosk.security import pin as admin
from kiosk.store import Event, Person, Store
from ui.worker import Failure, StoreWorker, describe

SOUND_SETTING = "kiosk.sound"
SEARCH_LIMIT = 20
log = logging.getLogger("ikrar.kiosk")


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
    """GUI-side handle.  Call the methods with your callbacks; signals are emitted on the GUI thread."""
    opened = Signal(object)            # KioskInfo: the database and the event are open
    failed = Signal(str)               # the opening failed: the message to show
    counted = Signal(int, int)         # present, roster: after every recorded check-in

    def __init__(self, db_path: str | Path, event_id: int | None = None, parent: QObject | None = None) -> None:
        self.event_id = event_id
        self._desk: Desk | None = None
        self._present = self._roster = 0
        super().__init__("kiosk-store", db_path, parent)

    def open(self) -> None:
        self.run(self._open, success=self.opened.emit, failure=lambda exc: self.failed.emit(describe(exc)))

    # --- a badge's path ------------------------------------------------------------------------

    def identify(self, payload: str, method: str = Method.WEDGE, *, success: Callable[[CheckinResult], None],
                 failure: Failure) -> None:
        """Who is this badge?  The core logs a refusal; an identified person is logged when recorded or abandoned."""
        self.run(lambda store: self._desk_().identify(payload, method=method), success=success, failure=failure)

    def record(self, nip: str, method: str, signature: Signature | None = None, *,
               success: Callable[[CheckinResult], None], failure: Failure) -> None:
        """The durable check-in of an identified NIP; ``success`` runs once it is committed."""
        self.run(lambda store: self._counted(self._desk_().record(nip, method=method, signature=signature)),
                 success=success, failure=failure)

    def check_in(self, payload: str, method: str = Method.WEDGE, *, success: Callable[[CheckinResult], None],
                 failure: Failure) -> None:
        """Identify and record in one step (a kiosk without signatures)."""
        self.run(lambda store: self._counted(self._desk_().check_in(payload, method=method)),
                 success=success, failure=failure)

    def abandon(self, nip: str, method: str, reason: Abandon) -> None:
        """The identified person left unsigned: the scan log gets "abandoned".  A failure is only logged:
        the screen has already moved on to the next person."""
        log.info("abandoned before signing (%s)", reason)
        self.run(lambda store: self._desk_().abandon(nip, method=method, reason=reason))

    # --- staff ---------------------------------------------------------------------------------

    def search(self, text: str, *, success: Callable[[list[Person]], None], failure: Failure) -> None:
        # Store.find_people refuses fewer than three letters or digits: the dialog shows that refusal.
        self.run(lambda store: store.find_people(text, SEARCH_LIMIT, event_id=self._desk_().event.id),
                 success=success, failure=failure)

    def set_sound(self, on: bool, *, success: Callable[[None], None] | None = None, failure: Failure) -> None:
        self.run(lambda store: store.set_setting(SOUND_SETTING, "on" if on else "off"),
                 success=success, failure=failure)

    def check_pin(self, pin: str, *, success: Callable[[bool], None], failure: Failure) -> None:
        """``success(True)`` for the right PIN, ``success(False)`` for a wrong one (a slow hash, off the GUI)."""
        self.run(lambda store: admin.verify_pin(store, pin), success=success, failure=failure)

    def set_pin(self, pin: str, *, success: Callable[[None], None], failure: Failure) -> None:
        """Store a new admin PIN; a weak one is refused (``failure`` with the core's KioskError)."""
        self.run(lambda store: admin.set_pin(store, pin), success=success, failure=failure)

    # --- worker side ---------------------------------------------------------------------------

    def _desk_(self) -> Desk:
        if self._desk is None:                          # an operation before open(): a bug in the caller
            raise RuntimeError("KioskService.open() has not succeeded")
        return self._desk

    def _open(self, store: Store) -> KioskInfo:
        event = store.event(self.event_id) if self.event_id else store.active_event()
        self._desk = Desk(store, event)
        p = store.pledge(event.pledge_id)
        self._present, self._roster = store.count_present(event.id), store.count_people(event.id)
        return KioskInfo(event, self._present, self._roster, p.text, p.sha256, admin.has_pin(store),
                         store.get_setting(SOUND_SETTING, "on") == "on")

    def _counted(self, result: CheckinResult) -> CheckinResult:
        if result.status == RECORDED:                   # one kiosk per database: count, don't re-query
            self._present += 1
            self._post(self.counted.emit, self._present, self._roster)
        return result
