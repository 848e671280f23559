"""The kiosk's SQLite database file: opening it safely, transactions, settings, the audit log.

One file per kiosk: WAL, ``synchronous=FULL``, foreign keys on, schema versioned by
``PRAGMA user_version`` (:mod:`kiosk.store.migrations`) and marked as ours by
``PRAGMA application_id``.  A file that is not ours (corrupt, another program's database, a
spreadsheet passed by mistake) is refused before anything is written to it.

Writes go through :meth:`StoreCore.write`, an ``IMMEDIATE`` transaction, so a check-in is on disk
when the call returns.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Self

from kiosk import __version__
from kiosk.clock import now, utc_text
from kiosk.i18n import KioskError, register, t
from kiosk.paths import default_db_path
from kiosk.security.files import create_private, private_dir, tighten
from kiosk.store.migrations import APPLICATION_ID, EXPORT_APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import sqlite_utils

register({
    "store.not_sqlite": {
        "id": "Berkas {path} bukan basis data Ikrar Kiosk (bukan berkas SQLite, atau rusak). "
              "Berkas tidak diubah. Periksa --db, atau pakai nama berkas baru.",
        "en": "{path} is not an Ikrar Kiosk database (not an SQLite file, or damaged). "
              "It was left untouched. Check --db, or use a new file name.",
    },
    "store.foreign": {
        "id": "Berkas {path} adalah basis data program lain, bukan Ikrar Kiosk. Berkas tidak diubah. "
              "Pakai nama berkas baru untuk --db.",
        "en": "{path} is another program's database, not Ikrar Kiosk's. It was left untouched. "
              "Use a new file name for --db.",
    },
    "store.too_new": {
        "id": "Basis data {path} dibuat oleh versi Ikrar Kiosk yang lebih baru (skema {found}, "
              "versi ini mengenal sampai {known}). Perbarui aplikasi.",
        "en": "{path} was made by a newer Ikrar Kiosk (schema {found}, this version knows up to {known}). "
              "Update the application.",
    },
    "store.unwritable": {
        "id": "Tidak dapat menulis basis data {path}: {reason}. Periksa ruang disk dan izin folder.",
        "en": "Cannot write the database {path}: {reason}. Check disk space and folder permissions.",
    },
    "store.full": {
        "id": "Disk tempat basis data {path} penuh, jadi tidak ada yang dapat dicatat lagi. Yang sudah tercatat "
              "aman. Kosongkan ruang di disk itu (hapus atau pindahkan berkas yang tidak perlu), lalu ulangi.",
        "en": "The disk holding the database {path} is full, so nothing more can be recorded. What is recorded "
              "is safe. Free some space on that disk (delete or move files you do not need), then try again.",
    },
    # SQLite's reasons, in words (its own are English only).
    "store.reason_io": {"id": "disk gagal membaca atau menulis", "en": "the disk failed to read or write"},
    "store.reason_open": {"id": "berkasnya tidak dapat dibuka atau dibuat",
                          "en": "the file cannot be opened or created"},
    "store.upgrade_failed": {
        "id": "Basis data {path} tidak dapat diperbarui ke versi aplikasi ini ({detail}). Berkas tidak diubah. "
              "Simpan salinan berkas itu dan hubungi petugas TI; sementara itu pakai versi aplikasi sebelumnya.",
        "en": "The database {path} cannot be upgraded to this version ({detail}). It was left unchanged. "
              "Keep a copy of the file and call your IT officer; meanwhile use the previous version.",
    },
    "store.is_export": {
        "id": "Berkas {path} adalah berkas ekspor atau gabungan, bukan basis data kiosk: isinya dapat dibaca "
              "(attendance, status, dokumen, verify), tetapi check-in, impor dan perubahan lain dilakukan di "
              "basis data kiosk. Pakai --db dengan basis data kiosk untuk itu.",
        "en": "{path} is an export or merged file, not a kiosk database: it can be read (attendance, status, "
              "documents, verify), but check-ins, imports and other changes happen in a kiosk database. Use "
              "--db with a kiosk database for those.",
    },
    "store.read_only": {
        "id": "Basis data {path} hanya dapat dibaca (izin berkas atau media yang terkunci), jadi tidak ada yang "
              "dapat dicatat. Salin ke folder yang dapat ditulisi atau periksa izinnya.",
        "en": "The database {path} is read-only (file permissions or a locked medium), so nothing can be "
              "recorded. Copy it to a writable folder or check its permissions.",
    },
    "store.no_access": {
        "id": "Basis data {path} tidak boleh dibaca oleh pengguna ini (izin berkas). Jalankan sebagai pengguna "
              "pemilik berkas, atau minta pemiliknya memeriksa izinnya.",
        "en": "The database {path} may not be read by this user (file permissions). Run as the user who owns "
              "the file, or ask its owner to check its permissions.",
    },
    "store.damaged": {
        "id": "Basis data {path} rusak ({detail}). Tidak ada yang diubah. Simpan salinan berkas itu (beserta berkas "
              "-wal di sampingnya, bila ada) dan hubungi petugas TI; sementara itu pakai berkas ekspor terakhir, atau "
              "jalankan kiosk dengan basis data baru.",
        "en": "The database {path} is damaged ({detail}). Nothing was changed. Keep a copy of the file (with the -wal "
              "file beside it, if any) and call your IT officer; meanwhile use the latest export, or run the kiosk "
              "with a new database.",
    },
    "store.damaged_file": {
        "id": "Berkas basis data yang dibaca perintah ini rusak ({detail}). Tidak ada yang diubah. Simpan salinan "
              "berkas itu dan hubungi petugas TI; sementara itu pakai berkas ekspor terakhir.",
        "en": "A database file this command reads is damaged ({detail}). Nothing was changed. Keep a copy of the "
              "file and call your IT officer; meanwhile use the latest export.",
    },
    "store.locked": {
        "id": "Basis data {path} sedang dipakai program lain. Tutup kiosk lain yang memakai berkas ini.",
        "en": "The database {path} is in use by another program. Close the other kiosk using this file.",
    },
})

_SQLITE_MAGIC = b"SQLite format 3\x00"
#: SQLite's primary result codes for a file that cannot be written or grown (not a damaged one):
#: SQLITE_IOERR (its -shm cannot be made), SQLITE_FULL, SQLITE_CANTOPEN.
_IOERR, _FULL, _CANTOPEN = 10, 13, 14
_NO_ROOM = (_IOERR, _FULL, _CANTOPEN)
_DAMAGED = (11, 26)                  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY = (5, 6)                       # SQLITE_BUSY, SQLITE_LOCKED
_READONLY = 8


def sqlite_problem(exc: BaseException, path: str | os.PathLike | None = None) -> KioskError | None:
    """What an SQLite error that escaped a query means to whoever reads it (a damaged file, a full disk, a
    file in use), as a refusal with its message; None when it is no such thing (a bug: keep its traceback).
    ``path``: the database the error came from, when that is known."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code = _primary_code(exc)
    if code in _DAMAGED:
        if path is None:
            return KioskError("store.damaged_file", detail=str(exc))
        return KioskError("store.damaged", path=str(path), detail=str(exc))
    where = str(path) if path is not None else "?"
    if code in _BUSY:
        return KioskError("store.locked", path=where)
    if code == _READONLY:
        return KioskError("store.read_only", path=where)
    if code in _NO_ROOM:
        return _no_room(code, where)
    return None


def _primary_code(exc: BaseException) -> int:
    """SQLite's primary result code of an error (0 when it carries none)."""
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _no_room(code: int, path: str) -> KioskError:
    """A file that cannot be written or grown (SQLITE_FULL, IOERR, CANTOPEN), said in the user's language."""
    if code == _FULL:
        return KioskError("store.full", path=path)
    return KioskError("store.unwritable", path=path,
                      reason=t("store.reason_io") if code == _IOERR else t("store.reason_open"))


def _inspect_existing(path: Path) -> None:
    """Refuse a file that is not ours without writing a byte to it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except PermissionError:
        raise KioskError("store.no_access", path=str(path)) from None
    if not head:
        return                                   # an empty file: we may make it ours
    if not head.startswith(_SQLITE_MAGIC) or len(head) < 100:
        raise KioskError("store.not_sqlite", path=str(path))
    try:
        # PRAGMAs, not the header bytes: a database open elsewhere may hold newer values in its WAL.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        # A WAL database on a read-only medium (or in a read-only folder) without its -shm cannot even be
        # read: say so, rather than calling it damaged.
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise KioskError("store.read_only", path=str(path)) from None
        # Nor can one whose -shm cannot be made: a full disk, or a file size limit.  That is no damage: a
        # clerk told "damaged" might throw the night's check-ins away.
        code = _primary_code(exc)
        if code in _NO_ROOM:
            raise _no_room(code, str(path)) from None
        raise KioskError("store.not_sqlite", path=str(path)) from None
    if app_id == EXPORT_APPLICATION_ID:
        raise KioskError("store.is_export", path=str(path))
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise KioskError("store.foreign", path=str(path))
    if version > SCHEMA_VERSION:
        raise KioskError("store.too_new", path=str(path), found=version, known=SCHEMA_VERSION)


class StoreCore:
    """The connection, its transactions, settings and the audit log; the queries are mixins on top."""

    def __init__(self, path: str | os.PathLike, *, device_id: str | None = None, readonly: bool = False) -> None:
        """Open (or make) the kiosk database at ``path``.  ``readonly``: an existing database, read as it is
        (no upgrade, no key moved, nothing written): what ``verify`` and ``sync --status`` use."""
        self.path = Path(path)
        self.readonly = readonly
        if self.path.exists():
            _inspect_existing(self.path)
        elif readonly:
            raise KioskError("store.not_sqlite", path=str(self.path))
        else:
            try:
                if self.path.parent != Path(default_db_path()).parent:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                else:
                    private_dir(self.path.parent)            # the user data folder: for its owner alone
                create_private(self.path)                    # WAL and SHM take the database's mode
            except FileExistsError:
                pass
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    raise KioskError("store.full", path=str(self.path)) from None
                raise KioskError("store.unwritable", path=str(self.path), reason=exc.strerror) from None
        conn: sqlite3.Connection | None = None
        try:
            if readonly:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0,
                                       check_same_thread=False)
            else:
                conn = sqlite3.connect(str(self.path), timeout=5.0, check_same_thread=False)
            self._db: sqlite_utils.Database | None = None
            self.conn = conn
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 5000")
            if not readonly:
                for suffix in ("", "-wal", "-shm"):
                    tighten(Path(str(self.path) + suffix))  # a database made by the first release was 0644
                if self.path.resolve().parent == default_db_path().resolve().parent:
                    tighten(self.path.parent)              # and its user data folder 0755
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                self._migrate(device_id)
            self.device_id: str = self.get_setting("device_id") or ""
            if not readonly:
                from kiosk.security import keys  # a late import: keys builds on the store
                keys.adopt(self)
        except BaseException as exc:
            if conn is not None:                        # never a connection left open to a refused file
                conn.close()
            if isinstance(exc, sqlite3.OperationalError):
                raise self._os_error(exc) from None
            if isinstance(exc, sqlite3.DatabaseError):  # its header was fine, its pages are not
                raise (sqlite_problem(exc, self.path) or KioskError("store.not_sqlite", path=str(self.path))) from None
            raise

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection as sqlite-utils sees it (migrations, savepoints), made when first asked for: the
        kiosk's start does without it (importing sqlite-utils is a third of the start from source)."""
        if self._db is None:
            import sqlite_utils
            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def _os_error(self, exc: sqlite3.OperationalError) -> KioskError:
        if "readonly" in str(exc) or "read-only" in str(exc):
            return KioskError("store.read_only", path=str(self.path))
        if "locked" in str(exc) or "busy" in str(exc):
            return KioskError("store.locked", path=str(self.path))
        code = _primary_code(exc)
        if code in _NO_ROOM:
            return _no_room(code, str(self.path))
        return KioskError("store.unwritable", path=str(self.path), reason=str(exc))

    def _migrate(self, device_id: str | None) -> None:
        current = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if current >= SCHEMA_VERSION:
            return
        with self.write():
            for number, migration in enumerate(MIGRATIONS[current:], start=current + 1):
                try:
                    migration(self.db)
                except (ValueError, KioskError) as exc:       # a row the upgrade cannot carry: roll back all
                    raise KioskError("store.upgrade_failed", path=str(self.path), detail=str(exc)) from None
                self.conn.execute(f"PRAGMA user_version = {number}")
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            if current == 0:
                self._set(self.conn, "device_id", device_id or str(uuid.uuid4()))
                self._set(self.conn, "created_by", f"ikrar-kiosk {__version__}")

    #: A kiosk database is never encrypted (exports may be: kiosk.exchange.reader.ExportReader.encrypted).
    encrypted = False

    def close(self) -> None:
        self.conn.close()

    def data_version(self) -> int:
        """``PRAGMA data_version``: changes when another connection (another process) commits."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """An IMMEDIATE transaction, committed (durably) on leaving; nested use is a savepoint."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._os_error(exc) from None
        try:
            yield self.conn
        except sqlite3.OperationalError as exc:         # a full disk, a read-only file: said plainly
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._os_error(exc) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._os_error(exc) from None

    # --- settings and audit -------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            self._set(conn, key, value)

    @staticmethod
    def _set(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def audit(self, action: str, **detail: object) -> None:
        """Record an organiser action.  Never put names or signatures in ``detail``."""
        with self.write() as conn:
            conn.execute("INSERT INTO audit_log(at, device_id, action, detail_json) VALUES (?, ?, ?, ?)",
                         (utc_text(now()), self.device_id, action, json.dumps(detail, sort_keys=True)))
