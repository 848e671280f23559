"""The console's door to the database, on its own worker thread; it also polls the live count.

The count comes from the same database a kiosk writes to, read every two seconds
between the console's own operations, with who scanned but never signed and the
clock and event warnings (the same core queries ``ikrar status`` prints).  Saving the pledge and remembering a setting
take the asking screen's callbacks; the signals are broadcasts: the opening and the
count.
"""
from __future__ import annotations

import datetime
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.attendance.sanity import EventWarning, event_warnings
from kiosk.ceremony.pledge import Pledge
from kiosk.store import AttendanceRow, Event, Incomplete, ScanActivity, Store, now
from ui.messages import t
from ui.worker import Failure, Job, StoreWorker, describe

POLL_SECONDS = 2.0
ACTIVITY_MINUTES = 15
RECENT = 6
SETTING_THEME, SETTING_LOGO, SETTING_SCREEN = "display.theme", "display.logo", "display.screen"


# --- what crosses from the worker to the console (frozen, plain) -----------------------------------

@dataclass(frozen=True, slots=True)
class Versions:
    current_id: int
    current_sha256: str
    rows: tuple[tuple[int, str, str, str], ...]        # (id, sha256, template key, created_at UTC)


@dataclass(frozen=True, slots=True)
class DisplayInfo:
    event: Event
    pledge: Pledge
    versions: Versions
    theme: str
    logo: str
    screen: str            # ScreenChoice setting text


@dataclass(frozen=True, slots=True)
class LiveCount:
    present: int
    roster: int
    recent: tuple[AttendanceRow, ...]
    activity: ScanActivity
    incomplete: tuple[Incomplete, ...] = ()        # scanned, not recorded: the desk calls them back
    event: Event | None = None                     # as it is now (another process may have changed it)
    warnings: tuple[EventWarning, ...] = ()        # wrong date, clock behind (kiosk.attendance.sanity)


@dataclass(frozen=True, slots=True)
class SavedPledge:
    pledge: Pledge
    versions: Versions
    new: bool              # False: the text was the version already in use


class DisplayService(StoreWorker):
    """Call the methods with your callbacks; listen to the broadcasts (emitted on the GUI thread)."""
    opened = Signal(object)        # DisplayInfo: the database and the event are open
    failed = Signal(str)           # the opening failed: the message to show
    counted = Signal(object)       # LiveCount, every poll_seconds
    countFailed = Signal(str)      # a poll failed: the message to show where the count goes

    def __init__(self, db_path: str | Path, event_id: int | None = None, *, poll_seconds: float = POLL_SECONDS,
                 parent: QObject | None = None) -> None:
        self.event_id, self.poll_seconds = event_id, poll_seconds
        self._event: Event | None = None
        self.polls = 0
        self._next_poll = time.monotonic()
        super().__init__("display-store", db_path, parent)

    # --- GUI side ------------------------------------------------------------------------------

    def open(self) -> None:
        self.run(self._open, success=self.opened.emit, failure=lambda exc: self.failed.emit(describe(exc)))

    def save_pledge(self, pledge: Pledge, *, success: Callable[[SavedPledge], None], failure: Failure) -> None:
        """A new version of the event's pledge (``SavedPledge.new`` False when the text is the one in use)."""
        self.run(lambda store: self._save(store, pledge), success=success, failure=failure)

    def set_setting(self, key: str, value: str, *, success: Callable[[None], None] | None = None,
                    failure: Failure) -> None:
        self.run(lambda store: store.set_setting(key, value), success=success, failure=failure)

    def poll_now(self) -> None:
        """Count now rather than at the next tick."""
        self._jobs.put(self._poll_job())

    # --- worker side ---------------------------------------------------------------------------

    def _poll_job(self) -> Job:
        return (self._poll, self.counted.emit,
                lambda exc: self.countFailed.emit(t("display.count_error", error=describe(exc))))

    def _next_job(self) -> Job | None:
        """Operations as they come; between them, the count every ``poll_seconds`` once an event is open."""
        timeout = max(0.0, self._next_poll - time.monotonic()) if self._event is not None else None
        try:
            return self._jobs.get(timeout=timeout)
        except queue.Empty:
            return self._poll_job()

    def _versions(self, store: Store) -> Versions:
        assert self._event is not None
        event = store.event(self._event.id)
        self._event = event
        rows = tuple((r[0], r[1], r[2], r[3]) for r in store.pledge_versions())
        return Versions(event.pledge_id, store.pledge_sha256(event.pledge_id), rows)

    def _open(self, s: Store) -> DisplayInfo:
        self._event = s.event(self.event_id) if self.event_id else s.active_event()
        versions = self._versions(s)
        self._next_poll = time.monotonic()              # the first count right after the opening
        return DisplayInfo(self._event, s.pledge(self._event.pledge_id), versions,
                           s.get_setting(SETTING_THEME) or "dark", s.get_setting(SETTING_LOGO) or "",
                           s.get_setting(SETTING_SCREEN) or "")

    def _poll(self, s: Store) -> LiveCount:
        self._next_poll = time.monotonic() + self.poll_seconds
        if self._event is None:
            raise RuntimeError("DisplayService.open() has not succeeded")
        self.polls += 1
        self._event = s.event(self._event.id)          # its date may have been changed meanwhile
        e = self._event.id
        since = now() - datetime.timedelta(minutes=ACTIVITY_MINUTES)
        return LiveCount(s.count_present(e), s.count_people(e), tuple(s.recent_checkins(e, RECENT)),
                         s.scan_activity(e, since), tuple(s.incomplete(e)), self._event,
                         event_warnings(s, self._event))

    def _save(self, store: Store, pledge: Pledge) -> SavedPledge:
        assert self._event is not None
        if pledge.sha256 == store.pledge_sha256(store.event(self._event.id).pledge_id):
            return SavedPledge(pledge, self._versions(store), False)
        store.set_event_pledge(self._event.id, pledge)
        return SavedPledge(pledge, self._versions(store), True)
