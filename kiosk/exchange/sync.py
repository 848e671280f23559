"""Pushing events, people, check-ins and signatures to the central PostgreSQL database.

* The central schema ``ikrar`` is created on first use and upgraded by numbered migrations
  (``ikrar.schema_migrations``), under an advisory lock so two kiosks never migrate at once.
* Rows go in batches, each batch in one transaction, by binary COPY: straight into the table when
  the centre holds none of the batch's keys (a first sync), else into a temporary staging table and
  then ``INSERT … ON CONFLICT DO NOTHING``.  Every row keeps its ``uuid`` (people: their NIP;
  pledges: the text's SHA-256) and a ``content_sha256``.
* An identical re-send is accepted silently.  The same key with different content is a conflict
  (like ODK Central's 409): reported, recorded in ``ikrar.conflicts``, never overwritten.  People
  are the exception that may change: a roster row with a newer ``updated_at`` replaces the older.
* The kiosk database keeps a ledger (:mod:`kiosk.exchange.sync_ledger`) of what the central
  database acknowledged, written after each batch commits.  A sync cut off part way is finished by running it again:
  batches committed but not yet in the ledger are re-sent and accepted as identical.

Imports no Qt.
"""
from __future__ import annotations

import datetime as _dt
import time
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.exchange import sync_ledger
from kiosk.exchange.central import (
    ABSENCE,
    CHECKIN,
    EVENT,
    KINDS,
    PERSON,
    PG_SCHEMA,
    PLEDGE,
    RENAME,
    ROSTER,
    SCAN,
    SIGNATURE,
    Kind,
    check_devices,
    content_sha256,
    migrate,
)
from kiosk.exchange.sync_sources import Source, source_hashes
from kiosk.i18n import KioskError, register, t
from kiosk.store import Store, now, utc_text

if TYPE_CHECKING:
    import psycopg

register({
    "sync.bad_url": {
        "id": "Alamat basis data pusat '{url}' tidak sah. Tulis seperti postgresql://pengguna@server:5432/ikrar "
              "(kata sandi sebaiknya di PGPASSWORD atau berkas .pgpass, bukan di perintah).",
        "en": "The central database address '{url}' is not valid. Write it like "
              "postgresql://user@server:5432/ikrar (better keep the password in PGPASSWORD or .pgpass).",
    },
    "sync.connect": {
        "id": "Tidak dapat terhubung ke basis data pusat {target}: {reason}. Periksa jaringan, alamat dan "
              "kata sandi, lalu ulangi; data kiosk tetap aman.",
        "en": "Cannot connect to the central database {target}: {reason}. Check the network, address and "
              "password, then try again; the kiosk data is safe.",
    },
    "sync.failed": {
        "id": "Sinkronisasi ke {target} terhenti: {reason}. Yang sudah terkirim tetap tercatat; jalankan "
              "'ikrar sync' lagi untuk menyelesaikannya.",
        "en": "The sync to {target} stopped: {reason}. What was sent stays recorded; run 'ikrar sync' again "
              "to finish it.",
    },
    "sync.need_to": {
        "id": "Sebutkan basis data pusat dengan --to postgresql://… (atau pakai --status).",
        "en": "Name the central database with --to postgresql://… (or use --status).",
    },
    "sync.done": {
        "id": "Sinkronisasi ke {target} selesai: {checkins} check-in, {signatures} tanda tangan, {people} peserta, "
              "{events} acara baru terkirim; {already} sudah ada; {conflicts} konflik.",
        "en": "Sync to {target} done: {checkins} check-ins, {signatures} signatures, {people} people, "
              "{events} events newly sent; {already} already there; {conflicts} conflicts.",
    },
    "sync.conflict": {
        "id": "KONFLIK {kind} {key}: pusat sudah menyimpan isi lain dengan kunci ini; tidak ditimpa. "
              "Periksa tabel ikrar.conflicts di basis data pusat.",
        "en": "CONFLICT {kind} {key}: the central database already holds other content under this key; "
              "not overwritten. See the ikrar.conflicts table there.",
    },
    "sync.status": {
        "id": "Belum terkirim ke {target}: {checkins} check-in, {signatures} tanda tangan, {people} peserta, "
              "{events} acara, {pledges} teks ikrar; {conflicts} konflik.",
        "en": "Not yet sent to {target}: {checkins} check-ins, {signatures} signatures, {people} people, "
              "{events} events, {pledges} pledge texts; {conflicts} conflicts.",
    },
    "sync.never": {"id": "(belum pernah)", "en": "(never synced)"},
    "sync.progress": {"id": "Mengirim ke {target}", "en": "Sending to {target}"},
})

BATCH_SIZE = 1000
#: Keys of a batch looked up before trying to copy it straight into the table.
PROBE = 16


# --- targets ---------------------------------------------------------------------------------------

def target_label(url: str) -> str:
    """The URL without its password: what the ledger, the settings and the messages show."""
    import psycopg.conninfo
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise KioskError("sync.bad_url", url=_mask(url)) from None
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host') or 'localhost'}{port}/{info.get('dbname') or ''}"


def _mask(url: str) -> str:
    head, at, tail = url.rpartition("@")
    return ("postgresql://***@" + tail) if at else url


# --- pushing -----------------------------------------------------------------------------------

@dataclass
class SyncReport:
    target: str
    source: str
    instance: str = ""
    sent: dict = field(default_factory=lambda: {k.name: 0 for k in KINDS})
    already: dict = field(default_factory=lambda: {k.name: 0 for k in KINDS})
    kept_newer: int = 0
    conflicts: list = field(default_factory=list)
    batches: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict:
        rows = sum(self.sent.values()) + sum(self.already.values()) + len(self.conflicts)
        return {"ok": not self.conflicts, "target": self.target, "source": self.source, "instance": self.instance,
                "sent": self.sent, "already": self.already, "kept_newer": self.kept_newer,
                "conflicts": self.conflicts, "batches": self.batches, "rows": rows,
                "seconds": round(self.seconds, 3),
                "rows_per_s": round(rows / self.seconds, 1) if self.seconds > 0 else None}

    def lines(self) -> list[str]:
        done = t("sync.done", target=self.target, checkins=self.sent["checkin"], signatures=self.sent["signature"],
                 people=self.sent["person"], events=self.sent["event"], already=sum(self.already.values()),
                 conflicts=len(self.conflicts))
        return [done] + [t("sync.conflict", kind=c["kind"], key=c["key"]) for c in self.conflicts]


def connect(url: str) -> psycopg.Connection:
    import psycopg
    label = target_label(url)
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise KioskError("sync.connect", target=label, reason=_first_line(exc)) from None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def push(store: Store, source: Source, url: str, *, batch_size: int = BATCH_SIZE,
         on_batch: Callable[[str, int], None] | None = None,
         progress: Callable[[int, int], None] | None = None) -> SyncReport:
    """Send what the central database has not acknowledged yet; see the module docstring.

    ``on_batch(kind, number)`` runs after each batch commits centrally and before the ledger records
    it (a test hook: raising there is a sync cut off at the worst moment).  ``progress(done, total)``
    counts rows committed centrally out of all the rows this run sends.
    """
    import psycopg
    label = target_label(url)
    report = SyncReport(label, source.label)
    started = time.perf_counter()
    hashes = source_hashes(source)
    with connect(url) as pg:
        try:
            migrate(pg, label)
            check_devices(pg, label, source.devices, source.label)
            row = pg.execute(f"SELECT value FROM {PG_SCHEMA}.meta WHERE key = 'instance_id'").fetchone()
            report.instance = row[0] if row else ""
            sync_ledger.remember_target(store, label, report.instance)
            ledger = sync_ledger.read(store, report.instance)
            todo = {kind.name: set(sync_ledger.unsent(hashes[kind.name], ledger, kind)) for kind in KINDS}
            writer = sync_ledger.LedgerWriter(store.path, report.instance)
            run = _Push(pg, writer, source, report, batch_size, on_batch, progress, sum(map(len, todo.values())))
            run.hashes = hashes
            try:
                for kind in (PLEDGE, EVENT, PERSON, ROSTER):
                    run.kind(kind, todo[kind.name])
                run.checkins(todo[CHECKIN.name], todo[SIGNATURE.name])
                for kind in (SCAN, ABSENCE):
                    run.kind(kind, todo[kind.name])
            finally:
                writer.close()              # what the centre committed is noted, even when a later batch failed
        except (psycopg.Error, ValueError) as exc:     # ValueError: a value the central column type refuses
            raise KioskError("sync.failed", target=label, reason=_first_line(exc)) from None
    report.seconds = time.perf_counter() - started
    store.set_setting("sync.last_at", utc_text(now()))
    store.audit("sync", target=label, sent=sum(report.sent.values()), conflicts=len(report.conflicts))
    return report


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _central(kind: Kind) -> list[str]:
    return [RENAME.get(c, c) for c in kind.columns] + ["content_sha256"]


class _Push:
    """One sync session: batches go central first, then (after the commit) into the ledger."""

    def __init__(self, pg: psycopg.Connection, ledger: sync_ledger.LedgerWriter, source: Source, report: SyncReport,
                 batch_size: int,
                 on_batch: Callable[[str, int], None] | None, progress: Callable[[int, int], None] | None,
                 total: int) -> None:
        self.pg, self.ledger, self.source, self.report = pg, ledger, source, report
        self.batch_size, self.on_batch = batch_size, on_batch
        self.progress, self.done, self.total = progress, 0, total
        self.hashes: dict[str, dict[str, str]] = {}
        self.types = {}
        for kind in KINDS:
            pg.execute(f"CREATE TEMP TABLE IF NOT EXISTS stage_{kind.table} (LIKE {PG_SCHEMA}.{kind.table} "
                       "INCLUDING DEFAULTS INCLUDING STORAGE) ON COMMIT DELETE ROWS")
            found: dict[str, str] = dict(pg.execute("SELECT column_name, udt_name FROM information_schema.columns "
                                    "WHERE table_schema = %s AND table_name = %s", (PG_SCHEMA, kind.table)))
            self.types[kind.name] = [found[c] for c in _central(kind)]

    def kind(self, kind: Kind, todo: set[str]) -> None:
        if not todo:
            return
        rows = [r for r in self.source.rows(kind) if str(r[kind.key]) in todo]
        for number, batch in enumerate(_chunks(rows, self.batch_size), start=1):
            with self.pg.transaction():
                entries = self.send(kind, batch)
            self.committed(kind.name, number, [(kind, entries)])

    def checkins(self, todo_c: set[str], todo_s: set[str]) -> None:
        """Check-ins in chain order, each batch together with its signatures in one transaction."""
        rows = [r for r in self.source.rows(CHECKIN) if r["uuid"] in todo_c or r["uuid"] in todo_s]
        for number, batch in enumerate(_chunks(rows, self.batch_size), start=1):
            checkins = [r for r in batch if r["uuid"] in todo_c]
            signatures = self.source.signatures([r["uuid"] for r in batch if r["uuid"] in todo_s])
            with self.pg.transaction():
                entries = [(CHECKIN, self.send(CHECKIN, checkins)), (SIGNATURE, self.send(SIGNATURE, signatures))]
            self.committed(CHECKIN.name, number, entries)

    def committed(self, name: str, number: int, entries: list) -> None:
        self.report.batches += 1
        if self.on_batch:
            self.on_batch(name, number)
        for kind, rows in entries:
            self.ledger.add(kind, rows)
            self.done += len(rows)
        if self.progress:
            self.progress(self.done, self.total)

    def send(self, kind: Kind, rows: list[dict]) -> list[tuple[str, str, str]]:
        """One batch of one kind inside the caller's transaction; returns its ledger entries.

        A batch the centre seems not to hold (none of a sample of its keys: a kiosk's first sync) is
        copied straight into the table, in a savepoint; when the centre does hold a key (sent before, or
        by another kiosk, or meanwhile) it goes through the staging table, where each row is told apart
        as new, already there, kept newer or a conflict.
        """
        import psycopg.errors
        if not rows:
            return []
        table = f"{PG_SCHEMA}.{kind.table}"
        known = self.hashes[kind.name]                  # computed once, when the unsent rows were found
        content = {key: known.get(key) or content_sha256(kind, r) for key, r in ((str(r[kind.key]), r) for r in rows)}
        with self.pg.cursor() as cur:
            if not self._held(cur, kind, table, list(content)[:PROBE]):
                try:
                    with self.pg.transaction():
                        self._copy(cur, kind, table, rows, content)
                    return [self._count(kind, key, digest, content.keys(), set(), set())
                            for key, digest in content.items()]
                except psycopg.errors.UniqueViolation:
                    pass                                # sent meanwhile by another kiosk: sort it out below
            stage = f"stage_{kind.table}"
            self._copy(cur, kind, stage, rows, content)
            new, older = _insert(cur, kind, stage, table, _central(kind))
            # Every row new: none can clash with what the centre held.
            clashes = set() if len(new) == len(content) else _conflicts(cur, kind, stage, table)
        return [self._count(kind, key, digest, new, older, clashes) for key, digest in content.items()]

    def _held(self, cur: psycopg.Cursor, kind: Kind, table: str, keys: list[str]) -> bool:
        """Whether the centre holds any of these keys already."""
        key_type = self.types[kind.name][_central(kind).index(kind.key)]
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {kind.key} = ANY(%s::{key_type}[]))", (keys,))
        row = cur.fetchone()
        return bool(row and row[0])

    def _copy(self, cur: psycopg.Cursor, kind: Kind, table: str, rows: list[dict], content: dict[str, str]) -> None:
        types = self.types[kind.name]
        convert = [_CONVERT.get(t, _same) for t in types]
        with cur.copy(f"COPY {table} ({', '.join(_central(kind))}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for r in rows:
                values = [r[c] for c in kind.columns] + [content[str(r[kind.key])]]
                copy.write_row([f(v) for f, v in zip(convert, values)])

    def _count(self, kind: Kind, key: str, digest: str, new: Collection[str], older: set, clashes: set) -> tuple:
        report = self.report
        if key in clashes:
            report.conflicts.append({"kind": kind.name, "key": key})
            return key, digest, "conflict"
        if key in new:
            report.sent[kind.name] += 1
        elif key in older:
            report.kept_newer += 1
        else:
            report.already[kind.name] += 1
        return key, digest, "sent"


# Binary COPY takes Python objects of the column's type.
def _same(value: object) -> object:
    return value


def _timestamp(value: str | None) -> _dt.datetime | None:
    return None if value is None else _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


_CONVERT: dict[str, Callable[[Any], object]] = {
    "uuid": lambda v: None if v is None else uuid.UUID(v),
    "timestamptz": _timestamp,
    "date": lambda v: None if v is None else _dt.date.fromisoformat(v),
    "bool": lambda v: None if v is None else bool(v),
    "int4": lambda v: None if v is None else int(v),
    "text": lambda v: None if v is None else str(v),
    "bytea": lambda v: None if v is None else bytes(v),
}


def _insert(cur: psycopg.Cursor, kind: Kind, stage: str, table: str, columns: list[str]) -> tuple[set[str], set[str]]:
    """(keys inserted or, for people, updated; people keys where the central row is newer)."""
    cols = ", ".join(columns)
    key = kind.key
    if kind is not PERSON:
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} ON CONFLICT ({key}) DO NOTHING "
                    f"RETURNING {key}::text")
        return {r[0] for r in cur.fetchall()}, set()
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "nip")
    cur.execute(f"INSERT INTO {table} AS t ({cols}) SELECT {cols} FROM {stage} ON CONFLICT (nip) DO UPDATE "
                f"SET {updates}, received_at = now() WHERE t.updated_at < excluded.updated_at RETURNING nip")
    new = {r[0] for r in cur.fetchall()}
    cur.execute(f"SELECT s.nip FROM {stage} s JOIN {table} t ON t.nip = s.nip WHERE t.updated_at > s.updated_at")
    return new, {r[0] for r in cur.fetchall()}


def _conflicts(cur: psycopg.Cursor, kind: Kind, stage: str, table: str) -> set[str]:
    """Keys held centrally with other content: recorded in ikrar.conflicts, never overwritten."""
    key = kind.key
    same_time = " AND t.updated_at = s.updated_at" if kind is PERSON else ""
    cur.execute(
        f"INSERT INTO {PG_SCHEMA}.conflicts (kind, key, existing_sha256, incoming_sha256, incoming) "
        f"SELECT %s, s.{key}::text, t.content_sha256, s.content_sha256, "
        f"to_jsonb(s) - 'png' - 'strokes_json' - 'received_at' "
        f"FROM {stage} s JOIN {table} t ON t.{key} = s.{key} WHERE t.content_sha256 <> s.content_sha256{same_time} "
        f"ON CONFLICT (kind, key, incoming_sha256) DO NOTHING", (kind.name,))
    cur.execute(f"SELECT s.{key}::text FROM {stage} s JOIN {table} t ON t.{key} = s.{key} "
                f"WHERE t.content_sha256 <> s.content_sha256{same_time}")
    return {r[0] for r in cur.fetchall()}


# --- status ------------------------------------------------------------------------------------

def status(store: Store, source: Source, url: str | None = None) -> dict:
    """What the ledger says is not yet acknowledged by the target (no network needed)."""
    label = target_label(url) if url else store.get_setting("sync.last")
    instance = sync_ledger.targets(store).get(label) if label else None
    ledger = sync_ledger.read(store, instance)
    hashes = source_hashes(source)
    unsent = {k.name: len(sync_ledger.unsent(hashes[k.name], ledger, k)) for k in KINDS}
    conflicts = sum(1 for k in KINDS for key, h in hashes[k.name].items()
                    if ledger.get((k.name, key)) == (h, "conflict"))
    return {"target": label, "instance": instance, "synced_before": instance is not None,
            "last_sync_at": store.get_setting("sync.last_at") if instance else None, "source": source.label,
            "unsent": unsent, "total": {k.name: len(hashes[k.name]) for k in KINDS}, "conflicts": conflicts}


def status_line(data: dict) -> str:
    u = data["unsent"]
    return t("sync.status", target=data["target"] or t("sync.never"), checkins=u["checkin"],
             signatures=u["signature"], people=u["person"], events=u["event"], pledges=u["pledge"],
             conflicts=data["conflicts"])

