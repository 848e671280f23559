"""The kiosk's SQLite database, opened through sqlite-utils.

:class:`Store` is the one handle: the file and its transactions (:mod:`.core`), events and pledge
versions and what the documents print (:mod:`.events`), people and each event's roster
(:mod:`.people`), absence reasons (:mod:`.absences`), check-ins, the scan log and attendance
(:mod:`.checkins`).  The tables' columns are named once in :mod:`.schema`.

The names below are loaded when first asked for (PEP 562), so a module of the package (the idle
screen's :mod:`.glance`, the command line's :mod:`.core` helpers) can be imported without the
whole store: the kiosk's idle screen is painted before the store's dozens of record types exist.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.clock import from_utc_text, now, offset_minutes, utc_text
    from kiosk.paths import default_db_path, resolve_db_path
    from kiosk.store.absences import parse_reason
    from kiosk.store.chain import CHAIN_FIELDS, GENESIS_HASH, chain_hash
    from kiosk.store.core import APPLICATION_ID, StoreCore
    from kiosk.store.events import SETTINGS
    from kiosk.store.handle import Store
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

_FROM = {
    "kiosk.clock": ("from_utc_text", "now", "offset_minutes", "utc_text"),
    "kiosk.paths": ("default_db_path", "resolve_db_path"),
    "kiosk.store.absences": ("parse_reason",),
    "kiosk.store.chain": ("CHAIN_FIELDS", "GENESIS_HASH", "chain_hash"),
    "kiosk.store.core": ("APPLICATION_ID", "StoreCore"),
    "kiosk.store.events": ("SETTINGS",),
    "kiosk.store.handle": ("Store",),
    "kiosk.store.migrations": ("SCHEMA_VERSION",),
    "kiosk.store.people": ("MAX_NAME", "MIN_SEARCH", "search_text"),
    "kiosk.store.records": ("Absence", "AttendanceRow", "Checkin", "Event", "ImportCounts", "Incomplete", "Person",
                            "ScanActivity"),
}
_MODULE_OF = {name: module for module, names in _FROM.items() for name in names}

__all__ = [
    "APPLICATION_ID", "CHAIN_FIELDS", "GENESIS_HASH", "MAX_NAME", "MIN_SEARCH", "SCHEMA_VERSION", "SETTINGS",
    "Absence", "AttendanceRow", "Checkin", "Event", "ImportCounts", "Incomplete", "Person", "ScanActivity", "Store",
    "StoreCore",
    "chain_hash", "default_db_path", "from_utc_text", "now", "offset_minutes", "parse_reason", "resolve_db_path",
    "search_text", "utc_text",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'kiosk.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value                      # asked once: a plain attribute from then on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))
