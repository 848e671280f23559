"""The kiosk screen's one door to the core.

Every database call (look-up, durable check-in commit, PNG rendering, PIN hash)
runs on the :class:`~ui.worker.StoreWorker` thread, in order, so the GUI thread
only paints.  Each method takes the asking screen's own ``success`` and
``failure`` callbacks (run on the GUI thread); the signals are broadcasts: the
opening, the live count and the organiser's warnings.

Between operations the worker looks at ``PRAGMA data_version`` every
:data:`POLL_SECONDS`: when another process (another kiosk's merge, an import, the
console, ``ikrar checkin``) has committed, the count is read again, so it never
stays stale.  The clock and event warnings (:mod:`kiosk.attendance.sanity`) are
checked at the opening, after such a change, and once a minute (midnight passes).
"""
from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.attendance import sanity
from kiosk.attendance.checkin import RECORDED, Abandon, CheckinResult, Desk, Method
from kiosk.attendance.walkin import WalkIn, add_walk_in
from kiosk.ceremony.pledge import Pledge
from kiosk.ceremony.signature import Signature
from kiosk.security import pin as admin
from kiosk.store import Event, Person, Store, now
from ui.worker import Failure, Job, StoreWorker, describe

SOUND_SETTING = "kiosk.sound"
#: The organiser may shorten the signing page's time (seconds; at most 60, the default).
SIGN_SECONDS_SETTING, EMPTY_SECONDS_SETTING = "kiosk.sign_seconds", "kiosk.empty_seconds"
SIGN_SECONDS, EMPTY_SECONDS, MIN_SECONDS = 60, 20, 5
SEARCH_LIMIT = 20
POLL_SECONDS = 1.0
WARNINGS_EVERY = 60.0
log = logging.getLogger("ikrar.kiosk")


def _seconds(text: str | None, default: int, most: int) -> int:
    try:
        value = int(text) if text is not None else default
    except ValueError:
        value = default
    return max(MIN_SECONDS, min(most, value))


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
    pledge: Pledge | None = None
    warnings: tuple[sanity.EventWarning, ...] = ()
    sign_seconds: int = SIGN_SECONDS   # a page with ink: recorded (valid) or left (invalid) after this long untouched
    empty_seconds: int = EMPTY_SECONDS  # a page with an empty pad goes back to idle after this long


class KioskService(StoreWorker):
    """GUI-side handle.  Call the methods with your callbacks; signals are emitted on the GUI thread."""
    opened = Signal(object)            # KioskInfo: the database and the event are open
    failed = Signal(str)               # the opening failed: the message to show
    counted = Signal(int, int)         # present, roster: after every recorded check-in, and others' changes
    warned = Signal(object)            # tuple[EventWarning, ...]: when the warnings change
    eventChanged = Signal(object)      # Event: its title, date or venue was changed by another process

    def __init__(self, db_path: str | Path, event_id: int | None = None, parent: QObject | None = None, *,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.event_id = event_id
        self.poll_seconds = poll_seconds
        self._desk: Desk | None = None
        self._present = self._roster = 0
        self._version: int | None = None
        self._latest = None                             # the latest check-in time on the database
        self._warnings: tuple[sanity.EventWarning, ...] = ()
        self._next_poll = self._next_warning = time.monotonic()
        self.polls = 0
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

    def add_walk_in(self, walk_in: WalkIn, *, success: Callable[[Person], None], failure: Failure) -> None:
        """Put a walk-in on the event's roster (then the screen checks them in as a manual scan)."""
        def add(store: Store) -> Person:
            person = add_walk_in(store, walk_in, event_id=self._desk_().event.id)
            self._roster = store.count_people(self._desk_().event.id)
            self._post(self.counted.emit, self._present, self._roster)
            return person
        self.run(add, success=success, failure=failure)

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
        self._version = store.data_version()
        self._latest = store.latest_checkin_at()
        self._warnings = sanity.check(event, now(), self._latest)
        self._next_poll = time.monotonic() + self.poll_seconds
        self._next_warning = time.monotonic() + WARNINGS_EVERY
        sign = _seconds(store.get_setting(SIGN_SECONDS_SETTING), SIGN_SECONDS, SIGN_SECONDS)
        return KioskInfo(event, self._present, self._roster, p.text, p.sha256, admin.has_pin(store),
                         store.get_setting(SOUND_SETTING, "on") == "on", p, self._warnings, sign,
                         _seconds(store.get_setting(EMPTY_SECONDS_SETTING), EMPTY_SECONDS, sign))

    # --- following other processes ----------------------------------------------------------------

    def _next_job(self) -> Job | None:
        """Operations as they come; between them, every ``poll_seconds``, a look at the database's version."""
        timeout = max(0.0, self._next_poll - time.monotonic()) if self._desk is not None else None
        try:
            return self._jobs.get(timeout=timeout)
        except queue.Empty:
            return (self._poll, None, None)

    def _poll(self, store: Store) -> None:
        self._next_poll = time.monotonic() + self.poll_seconds
        self.polls += 1
        event = self._desk_().event
        version = store.data_version()
        changed = version != self._version
        if changed:                                     # someone else committed: count again
            self._version = version
            fresh = store.event(event.id)
            if fresh != event:
                self._desk_().event = event = fresh
                self._post(self.eventChanged.emit, fresh)
            present, roster = store.count_present(event.id), store.count_people(event.id)
            if (present, roster) != (self._present, self._roster):
                self._present, self._roster = present, roster
                self._post(self.counted.emit, present, roster)
            self._latest = store.latest_checkin_at()
        if changed or time.monotonic() >= self._next_warning:
            self._next_warning = time.monotonic() + WARNINGS_EVERY
            warnings = sanity.check(event, now(), self._latest)
            if warnings != self._warnings:
                self._warnings = warnings
                self._post(self.warned.emit, warnings)

    def _counted(self, result: CheckinResult) -> CheckinResult:
        if result.status == RECORDED:                   # one kiosk per database: count, don't re-query
            self._present += 1
            self._post(self.counted.emit, self._present, self._roster)
        return result
