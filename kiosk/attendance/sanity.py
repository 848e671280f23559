"""Clock and event sanity: what the organiser must know before a queue of hundreds is recorded wrong.

A laptop with a wrong clock, or last year's event left active, would stamp every check-in with a
date nobody can defend.  Nothing here blocks a check-in (the queue goes on); the kiosk and the
console show the warnings as a banner, ``ikrar status --json`` lists them:

* ``event-date``: today's date on this laptop is not the active event's date;
* ``clock-behind``: the clock is earlier than the latest check-in already recorded (any event,
  any device merged in), by more than :data:`CLOCK_TOLERANCE`.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import StrEnum

from kiosk.dates import long_date
from kiosk.i18n import register, t
from kiosk.store import Event, Store, now

register({
    "warning.event_date": {
        "id": "Tanggal di laptop ini ({today}) bukan tanggal acara aktif ({date}). Periksa tanggal dan jam "
              "laptop, atau aktifkan acara hari ini (ikrar event list, lalu ikrar event activate ID). "
              "Pemindaian tetap dicatat.",
        "en": "This laptop's date ({today}) is not the active event's date ({date}). Check the laptop's date "
              "and clock, or activate today's event (ikrar event list, then ikrar event activate ID). "
              "Scans are still recorded.",
    },
    "warning.clock_behind": {
        "id": "Jam laptop ({now}) lebih awal daripada kehadiran terakhir yang sudah tercatat ({latest}). "
              "Jam laptop mungkin salah: setel tanggal dan jamnya (Windows: Pengaturan, Waktu & bahasa). "
              "Pemindaian tetap dicatat.",
        "en": "The laptop's clock ({now}) is earlier than the latest check-in already recorded ({latest}). "
              "The clock is probably wrong: set its date and time (Windows: Settings, Time & language). "
              "Scans are still recorded.",
    },
})

#: Clocks of merged devices drift a little; behind by more than this is a wrong clock.
CLOCK_TOLERANCE = _dt.timedelta(minutes=2)


class WarningCode(StrEnum):
    EVENT_DATE = "event-date"
    CLOCK_BEHIND = "clock-behind"


_MESSAGES = {WarningCode.EVENT_DATE: "warning.event_date", WarningCode.CLOCK_BEHIND: "warning.clock_behind"}


@dataclass(frozen=True, slots=True)
class EventWarning:
    """One warning for the organiser; the message is rendered when shown (in the language of the moment)."""
    code: WarningCode
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        return t(_MESSAGES[self.code], **dict(self.params))

    def to_json(self) -> dict:
        return {"code": str(self.code), "message": self.message}


def _when(moment: _dt.datetime) -> str:
    return f"{long_date(moment.date())} {moment:%H:%M}"


def check(event: Event, moment: _dt.datetime, latest: _dt.datetime | None) -> tuple[EventWarning, ...]:
    """The warnings for ``event`` at ``moment`` (aware, local), given the latest check-in recorded."""
    found = []
    try:
        day = _dt.date.fromisoformat(event.date)
    except ValueError:
        day = None
    if day is not None and moment.date() != day:
        found.append(EventWarning(WarningCode.EVENT_DATE, (("today", long_date(moment.date())),
                                                           ("date", long_date(day)))))
    if latest is not None and moment < latest - CLOCK_TOLERANCE:
        shown = latest.astimezone(moment.tzinfo)
        found.append(EventWarning(WarningCode.CLOCK_BEHIND, (("now", _when(moment)), ("latest", _when(shown)))))
    return tuple(found)


def event_warnings(store: Store, event: Event, moment: _dt.datetime | None = None) -> tuple[EventWarning, ...]:
    """:func:`check` against this database's latest check-in, at ``moment`` (default: now)."""
    return check(event, moment or now(), store.latest_checkin_at())
