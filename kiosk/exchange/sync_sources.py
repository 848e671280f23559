"""What a sync sends: the rows of a kiosk database, or of a verified export or merged file (of either
format), all in the central database's shape.

A NIK leaves a kiosk database only masked; a format-1 file's roster and event rows get the later
columns empty, and its signatures' JSON strokes are sent in the compact form (the same signature,
so the same ``sha256`` and the same central row as from any other source).
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator

from kiosk.ceremony import signature_codec
from kiosk.ceremony.signature import Signature
from kiosk.exchange.central import CHECKIN, EVENT, KINDS, SIGNATURE, Kind, content_sha256
from kiosk.exchange.export import store_chain
from kiosk.exchange.files import ExportFile, open_export
from kiosk.exchange.format import format_v1, upgrade_row
from kiosk.exchange.sealing import Passphrase
from kiosk.exchange.verify import verify_file
from kiosk.i18n import KioskError, register
from kiosk.people.nik import mask_nik
from kiosk.security import keys
from kiosk.store import Store
from kiosk.store.schema import ABSENCES, EVENTS, PEOPLE, PLEDGES, SCAN_LOG, SIGNATURES

register({
    "sync.refused": {
        "id": "Berkas {path} tidak dikirim karena gagal verifikasi: {reason} Minta ekspor ulang dari kiosk.",
        "en": "{path} was not sent because it failed verification: {reason} Ask the kiosk for a fresh export.",
    },
})

_ROSTER_KEY = "e.uuid || '/' || {nip} AS roster_key, e.uuid AS event_uuid, {nip} AS nip"


class Source:
    """Rows to send, kind by kind, each a dict of the kind's columns."""

    label: str
    conn: sqlite3.Connection
    SQL: dict[str, str | None]

    @property
    def devices(self) -> dict[str, str]:
        """Device id → public key of every device whose rows this source holds."""
        return self._devices

    _devices: dict[str, str] = {}

    def rows(self, kind: Kind) -> list[dict]:
        """Every row of ``kind``, read once per sync (the hashes and the batches use the same rows)."""
        cache = self.__dict__.setdefault("_rows", {})
        if kind.name not in cache:
            cache[kind.name] = list(self._read(kind))
        return cache[kind.name]

    def _read(self, kind: Kind) -> Iterator[dict]:
        sql = self.SQL[kind.name]
        if sql is None:
            return
        cur = self.conn.execute(sql)
        names = [d[0] for d in cur.description]
        for r in cur:
            yield self.shape(kind, dict(zip(names, r)))

    def shape(self, kind: Kind, row: dict) -> dict:
        return row

    def signatures(self, uuids: list[str]) -> list[dict]:
        by_uuid = {r["checkin_uuid"]: r for r in self.rows(SIGNATURE)}
        return [by_uuid[u] for u in uuids if u in by_uuid]

    def close(self) -> None:
        pass


class KioskSource(Source):
    SQL = {
        "pledge": f"SELECT {PLEDGES.sql()} FROM pledges",
        "event": f"SELECT {EVENTS.sql('e.')}, p.sha256 AS pledge_sha256 FROM events e "
                 "JOIN pledges p ON p.id = e.pledge_id",
        "person": f"SELECT {PEOPLE.sql()}, nik FROM people",
        "roster": f"SELECT {_ROSTER_KEY.format(nip='r.nip')} FROM roster r JOIN events e ON e.id = r.event_id",
        "checkin": None,                                   # from the chain itself, checked row by row
        "signature": f"SELECT {SIGNATURES.sql()} FROM signatures",
        "scan": f"SELECT {SCAN_LOG.sql('s.')}, e.uuid AS event_uuid FROM scan_log s "
                "LEFT JOIN events e ON e.id = s.event_id",
        "absence": f"SELECT {ABSENCES.sql('a.')}, e.uuid AS event_uuid FROM absences a "
                   "JOIN events e ON e.id = a.event_id",
    }

    def __init__(self, store: Store) -> None:
        self.store, self.conn, self.label = store, store.conn, str(store.path)

    @property
    def devices(self) -> dict[str, str]:
        # Asked only when pushing (a status check never makes a key).
        return {self.store.device_id: keys.public_hex(keys.device_key(self.store))}

    def _read(self, kind: Kind) -> Iterator[dict]:
        if kind is CHECKIN:
            return store_chain(self.conn, self.store.device_id, purged=False)
        return super()._read(kind)

    def shape(self, kind: Kind, row: dict) -> dict:
        if "nik" in row:
            nik = row.pop("nik")
            row["nik_masked"] = mask_nik(nik) if nik else ""
        return row


class FileSource(Source):
    def __init__(self, file: ExportFile) -> None:
        self.file, self.conn, self.label = file, file.connect(), str(file.path)
        self.version = file.version
        self._devices: dict[str, str] = {}
        v1 = file.version == 1
        people = ", ".join(format_v1.COLUMNS["people"][:-1]) if v1 else f"{PEOPLE.sql()}, nik_masked"
        events = ", ".join(format_v1.COLUMNS["events"][:-1]) if v1 else ", ".join(EVENT.columns)
        signatures = ", ".join(c for c in format_v1.COLUMNS["signatures"] if c != "row_sha256") if v1 else \
            f"{SIGNATURES.sql()}, strokes_json, png_sha256"
        self.SQL = {
            "pledge": f"SELECT {PLEDGES.sql()} FROM pledges",
            "event": f"SELECT {events} FROM events",
            "person": f"SELECT {people} FROM people",
            "roster": f"SELECT {_ROSTER_KEY.format(nip='p.nip')} FROM people p CROSS JOIN events e",
            "checkin": f"SELECT {', '.join(CHECKIN.columns)} FROM checkins ORDER BY device_id, seq",
            "signature": f"SELECT {signatures} FROM signatures",
            "scan": f"SELECT {SCAN_LOG.sql()}, event_uuid FROM scan_log",
            "absence": None if v1 else f"SELECT {ABSENCES.sql()}, event_uuid FROM absences",
        }

    def shape(self, kind: Kind, row: dict) -> dict:
        if kind.name in ("event", "person") and self.version == 1:
            row = upgrade_row(kind.table, {**row, "row_sha256": None}, 1)
            row.pop("id", None)
        if kind is SIGNATURE and row.get("strokes_json") is not None:
            # A format-1 device's JSON strokes: the same signature in the compact form.
            sig = Signature.from_json(json.loads(row["strokes_json"]))
            row["samples"] = signature_codec.encode(sig)
        row.pop("strokes_json", None)
        return row

    def close(self) -> None:
        self.conn.close()


def open_source(store: Store, path: str | os.PathLike | None, passphrase: Passphrase | None,
                admit: frozenset[str] = frozenset()) -> Source:
    """The kiosk database itself, or a verified export / merged file whose every signer this database
    trusts (or the organiser admits by fingerprint).  Writes nothing: a status check changes no trust."""
    if path is None:
        return KioskSource(store)
    file = open_export(path, passphrase)
    report = verify_file(file, trust=store, admitted=admit, deep=False)
    if not report.ok:
        raise KioskError("sync.refused", path=str(path), reason=report.problems[0].message)
    source = FileSource(file)
    source._devices = report.device_keys()
    return source


def source_hashes(source: Source) -> dict[str, dict[str, str]]:
    """kind → {key: content_sha256} for every row of the source (signatures hashed without keeping them)."""
    return {kind.name: {str(r[kind.key]): content_sha256(kind, r) for r in source.rows(kind)} for kind in KINDS}
