"""What the kiosk's idle screen shows, read straight from the database file before the store is loaded.

The kiosk paints its idle screen first and loads the rest (the store and its record types, the
check-in path, the signature pad, the camera) once it is on the screen (issue 16's cold start).
:func:`glance` is what the first paint needs: the event's title, date and venue and the count,
from one read-only connection with sqlite3 alone, no migration, no write.

It vouches only for a database the kiosk can serve at once: ours (``application_id``), at the
current schema version, with an admin PIN and the event.  Anything else (no file, an export,
another program's file, an older version to upgrade, no PIN or no event yet, a file it cannot
read) gives None, and the kiosk starts the long way, through :class:`kiosk.store.Store` and the
first-run setup, which say what is wrong and what to do.  The full opening that follows the first
paint checks everything again; the glance only decides what the first frame shows.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple

from kiosk.store.migrations import APPLICATION_ID, SCHEMA_VERSION


class Glance(NamedTuple):
    """The idle screen's first frame: which event, and how many of its roster are in."""
    event_id: int
    title: str
    date: str                       # ISO date, as the events table holds it
    venue: str
    present: int
    roster: int
    language: str | None            # the screens' language the setup chose (setting screen_language)


def glance(db_path: str | Path, event_id: int | None = None) -> Glance | None:
    """The event (``event_id``, else the active one) as the idle screen shows it; None when the database
    is not one the kiosk can serve without the full opening (see the module's docstring)."""
    path = Path(db_path)
    try:
        if not path.is_file():
            return None
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        return _read(conn, event_id)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, event_id: int | None) -> Glance | None:
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return None
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        return None
    settings = dict(conn.execute("SELECT key, value FROM settings WHERE key IN "
                                 "('admin_pin', 'active_event', 'screen_language')").fetchall())
    if settings.get("admin_pin") is None:
        return None
    wanted = event_id if event_id is not None else settings.get("active_event")
    if wanted is None or not str(wanted).isdigit():
        return None
    row = conn.execute("SELECT id, title, date, venue FROM events WHERE id = ?", (int(wanted),)).fetchone()
    if row is None:
        return None
    present = conn.execute("SELECT count(DISTINCT nip) FROM checkins WHERE event_id = ?", (row[0],)).fetchone()[0]
    roster = conn.execute("SELECT count(*) FROM roster WHERE event_id = ?", (row[0],)).fetchone()[0]
    return Glance(row[0], row[1], row[2], row[3] or "", present, roster, settings.get("screen_language"))
