"""The kiosk's ledger of what a central database acknowledged (table ``sync_ledger``).

A row per (target, kind, key): the content hash the centre holds, ``sent`` or ``conflict``.  It is a
record of the centre's answers, not data of the ceremony: a row lost (a power cut before it reached
the disk) only means that row is sent again next time and accepted there as identical.  So the
:class:`LedgerWriter` writes on a connection of its own, from a thread of its own while the next batch
travels, committing without waiting for the disk (``synchronous=NORMAL``); check-ins keep ``FULL``.
"""
from __future__ import annotations

import json
import queue
import sqlite3
import threading
from pathlib import Path

from kiosk.exchange.central import Kind
from kiosk.i18n import KioskError, register
from kiosk.store import Store, now, utc_text

register({
    "sync.ledger_failed": {
        "id": "Data sudah diterima pusat, tetapi catatan kiosk tentang itu gagal ditulis: {reason}. Periksa "
              "ruang disk, lalu jalankan 'ikrar sync' lagi; yang sudah ada di pusat tidak digandakan.",
        "en": "The central database received the data, but the kiosk's note of it could not be written: "
              "{reason}. Check the disk space, then run 'ikrar sync' again; nothing already there is doubled.",
    },
})

Entry = tuple[str, str, str]            # key, content_sha256, status


def targets(store: Store) -> dict[str, str]:
    """Target label (the URL without its password) → the central database's instance id."""
    return json.loads(store.get_setting("sync.targets") or "{}")


def remember_target(store: Store, label: str, instance: str) -> None:
    with store.write():
        known = targets(store)
        known[label] = instance
        store.set_setting("sync.targets", json.dumps(known, sort_keys=True))
        store.set_setting("sync.last", label)


def read(store: Store, instance: str | None) -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, key) → (content_sha256, status) for one central database."""
    if instance is None:
        return {}
    return {(k, key): (content, status) for k, key, content, status in store.conn.execute(
        "SELECT kind, key, content_sha256, status FROM sync_ledger WHERE target = ?", (instance,))}


def unsent(hashes: dict[str, str], ledger: dict, kind: Kind) -> list[str]:
    """Keys never acknowledged with this content; conflicts are tried again (they may be resolved)."""
    return [key for key, content in hashes.items() if ledger.get((kind.name, key)) != (content, "sent")]


class LedgerWriter:
    """``add(kind, entries)`` after a batch commits centrally; ``close()`` waits until all are written and
    raises ``sync.ledger_failed`` if any could not be."""

    _UPSERT = ("INSERT INTO sync_ledger(target, kind, key, content_sha256, status, at) VALUES (?, ?, ?, ?, ?, ?) "
               "ON CONFLICT(target, kind, key) DO UPDATE SET content_sha256 = excluded.content_sha256, "
               "status = excluded.status, at = excluded.at")

    def __init__(self, path: Path, instance: str) -> None:
        self.path, self.instance = path, instance
        self.error: Exception | None = None
        self._queue: queue.Queue[tuple[str, list[Entry]] | None] = queue.Queue(maxsize=8)
        self._thread = threading.Thread(target=self._run, name="ikrar-sync-ledger", daemon=True)
        self._thread.start()

    def add(self, kind: Kind, entries: list[Entry]) -> None:
        if entries and self.error is None:
            self._queue.put((kind.name, entries))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self.error is not None:
            raise KioskError("sync.ledger_failed", reason=str(self.error).strip() or type(self.error).__name__)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(str(self.path), timeout=30.0)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA synchronous = NORMAL")
            while (item := self._queue.get()) is not None:
                kind, entries = item
                stamp = utc_text(now())
                with conn:
                    conn.executemany(self._UPSERT, [(self.instance, kind, key, content, status, stamp)
                                                    for key, content, status in entries])
        except (sqlite3.Error, OSError) as exc:
            self.error = exc
            while self._queue.get() is not None:         # let the sender finish; what is lost is re-sent next time
                pass
        finally:
            if conn is not None:
                conn.close()
