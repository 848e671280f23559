"""What a kiosk database must be after anything at all happened to it: whole, chained, nothing half-written."""
from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.ceremony import signature_codec
from kiosk.exchange.export import store_chain
from kiosk.i18n import KioskError
from kiosk.store import CHAIN_FIELDS, GENESIS_HASH, chain_hash

#: What may never reach a user: SQLite's own words for a busy database, or a Python traceback.
LOCKED_WORDS = ("database is locked", "database table is locked", "sqlite_busy", "store.locked",
                "sedang dipakai program lain", "in use by another program")
TRACEBACK_WORDS = ("Traceback (most recent call last)",)


@dataclass
class Health:
    integrity: str = ""
    checkins: int = 0
    signatures: int = 0
    problems: list[str] = field(default_factory=list)
    nips: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.problems


def health(db: Path, *, signatures_required: bool = True) -> Health:
    """Open the file as the next kiosk would (the WAL recovered), and check everything that can be half-done."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        h = Health(integrity=conn.execute("PRAGMA integrity_check").fetchone()[0])
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            h.problems.append("foreign keys broken")
        cols = ", ".join(CHAIN_FIELDS)
        rows = conn.execute(f"SELECT {cols}, row_hash FROM checkins ORDER BY id").fetchall()
        h.checkins = len(rows)
        prev = GENESIS_HASH
        for r in rows:
            fields = dict(zip(CHAIN_FIELDS, r))
            if fields["prev_hash"] != prev or chain_hash(fields) != r[-1]:
                h.problems.append(f"chain broken at {fields['uuid']}")
                break
            prev = r[-1]
            h.nips.add(fields["nip"])
        device = conn.execute("SELECT value FROM settings WHERE key = 'device_id'").fetchone()
        try:                                           # the product's own reading of its chain
            for _ in store_chain(conn, device[0] if device else ""):
                pass
        except KioskError as exc:
            h.problems.append(f"store_chain: {exc}")
        sigs = conn.execute("SELECT s.checkin_uuid, s.sha256, c.signature_sha256, s.samples FROM signatures s "
                            "LEFT JOIN checkins c ON c.uuid = s.checkin_uuid").fetchall()
        h.signatures = len(sigs)
        for uid, sha, expected, samples in sigs:
            if expected is None:
                h.problems.append(f"signature {uid} without its check-in")
            elif sha != expected or signature_codec.decode(bytes(samples)).sha256() != sha:
                h.problems.append(f"signature {uid} does not match its check-in")
        if signatures_required:
            unsigned = conn.execute("SELECT count(*) FROM checkins c WHERE NOT EXISTS "
                                    "(SELECT 1 FROM signatures s WHERE s.checkin_uuid = c.uuid)").fetchone()[0]
            if unsigned:
                h.problems.append(f"{unsigned} check-ins without their signature")
        # The scan log's "recorded" row is written in the check-in's own transaction: one each, always.
        logged = dict(conn.execute("SELECT checkin_uuid, count(*) FROM scan_log WHERE reason = 'recorded' "
                                   "GROUP BY checkin_uuid").fetchall())
        uuids = {r[0] for r in rows}
        if set(logged) != uuids or any(n != 1 for n in logged.values()):
            h.problems.append(f"scan log and check-ins disagree ({len(logged)} logged, {len(uuids)} check-ins)")
    finally:
        conn.close()
    return h


def content_digest(db: Path) -> str:
    """A digest of every row of every table (not the file's bytes: SQLite may move pages without a change)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for name in tables:
            digest.update(name.encode())
            for row in sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def forbidden(text: str) -> list[str]:
    """The words of a locked database or a traceback found in ``text`` (a screen's text, a log, an output)."""
    low = text.lower()
    return [w for w in LOCKED_WORDS + TRACEBACK_WORDS if w.lower() in low]
