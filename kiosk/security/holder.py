"""What the security modules need of a kiosk database, as a Protocol (:class:`kiosk.store.Store` is one).

The store opens with :func:`kiosk.security.keys.adopt` and builds on :mod:`kiosk.security.files`, so
security names no class of the store's: it sits under the store, not beside it.
"""
from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol


class Store(Protocol):
    """Settings, the audit log and a write transaction of one kiosk database."""

    path: Path
    device_id: str
    conn: sqlite3.Connection

    def write(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...
    def audit(self, action: str, **detail: object) -> None: ...
