"""The kiosk's SQLite database, opened through sqlite-utils.

:class:`Store` is the one handle: the file and its transactions (:mod:`.core`), events and pledge
versions and what the documents print (:mod:`.events`), people and each event's roster
(:mod:`.people`), absence reasons (:mod:`.absences`), check-ins, the scan log and attendance
(:mod:`.checkins`).  The tables' columns are named once in :mod:`.schema`.
"""
from __future__ import annotations

from kiosk.clock import from_utc_text, now, offset_minutes, utc_text
from kiosk.paths import default_db_path, resolve_db_path
from kiosk.store.absences import AbsencesMixin, parse_reason
from kiosk.store.chain import CHAIN_FIELDS, GENESIS_HASH, chain_hash
from kiosk.store.checkins import CheckinsMixin
from kiosk.store.core import APPLICATION_ID, StoreCore
from kiosk.store.events import SETTINGS, EventsMixin
from kiosk.store.migrations import SCHEMA_VERSION
from kiosk.store.people import MAX_NAME, MIN_SEARCH, search_text
from kiosk.store.records import (
    Absence,
    AttendanceRow,
    Checkin,
    Event,
    ImportCounts,
    Incomplete,
    Person,
    ScanActivity,
)


class Store(EventsMixin, AbsencesMixin, CheckinsMixin):
    """An open kiosk database.  Use as a context manager, or call :meth:`close`."""


__all__ = [
    "APPLICATION_ID", "CHAIN_FIELDS", "GENESIS_HASH", "MAX_NAME", "MIN_SEARCH", "SCHEMA_VERSION", "SETTINGS",
    "Absence", "AttendanceRow", "Checkin", "Event", "ImportCounts", "Incomplete", "Person", "ScanActivity", "Store",
    "StoreCore",
    "chain_hash", "default_db_path", "from_utc_text", "now", "offset_minutes", "parse_reason", "resolve_db_path",
    "search_text", "utc_text",
]
