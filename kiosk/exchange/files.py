"""Export files on disk: opening one (decrypting it in memory) and writing one atomically."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
import uuid as _uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.exchange.format import EXPORT_APPLICATION_ID, FORMAT_VERSION, SQLITE_MAGIC
from kiosk.exchange.sealing import MAGIC, Passphrase, decrypt, encrypt
from kiosk.i18n import KioskError, register
from kiosk.security.files import check_output_path, create_private
from kiosk.store import APPLICATION_ID, Store

register({
    "exchange.not_export": {
        "id": "Berkas {path} bukan berkas ekspor Ikrar Kiosk (atau rusak). Periksa nama berkasnya.",
        "en": "{path} is not an Ikrar Kiosk export file (or it is damaged). Check the file name.",
    },
    "exchange.is_kiosk_db": {
        "id": "Berkas {path} adalah basis data kiosk, bukan berkas ekspor. Buat ekspornya dulu: "
              "ikrar --db {path} export sqlite -o EKSPOR.db",
        "en": "{path} is a kiosk database, not an export file. Export it first: "
              "ikrar --db {path} export sqlite -o EXPORT.db",
    },
    "exchange.too_new": {
        "id": "Berkas {path} memakai format ekspor {found}; versi ini mengenal sampai {known}. Perbarui aplikasi.",
        "en": "{path} uses export format {found}; this version knows up to {known}. Update the application.",
    },
    "exchange.would_overwrite": {
        "id": "Berkas {path} sudah ada dan bukan berkas ekspor Ikrar Kiosk; tidak ditimpa. Pilih nama berkas lain.",
        "en": "{path} already exists and is not an Ikrar Kiosk export; it was not overwritten. Choose another name.",
    },
    "exchange.overwrite_other": {
        "id": "Berkas {path} sudah ada dan berisi ekspor acara atau perangkat lain, atau gabungan beberapa kiosk; "
              "tidak ditimpa. Pilih nama lain, atau pakai --force bila memang harus diganti.",
        "en": "{path} already exists and holds an export of another event or device, or a merge of several kiosks; "
              "it was not overwritten. Choose another name, or use --force if it really must be replaced.",
    },
    "exchange.overwrite_sealed": {
        "id": "Berkas {path} sudah ada dan terenkripsi, jadi isinya tidak dapat diperiksa; tidak ditimpa. Pilih "
              "nama lain, atau pakai --force bila memang harus diganti.",
        "en": "{path} already exists and is encrypted, so what it holds cannot be checked; it was not overwritten. "
              "Choose another name, or use --force if it really must be replaced.",
    },
    "exchange.same_as_db": {
        "id": "Berkas keluaran {path} adalah basis data kiosk itu sendiri. Pilih nama berkas lain.",
        "en": "The output {path} is the kiosk database itself. Choose another file name.",
    },
    "exchange.write_failed": {
        "id": "Berkas {path} tidak dapat ditulis ({reason}). Tidak ada berkas setengah jadi yang tertinggal. "
              "Periksa ruang disk dan izin folder, lalu ulangi.",
        "en": "{path} could not be written ({reason}). No half-written file was left behind. "
              "Check disk space and folder permissions, then try again.",
    },
})


@dataclass
class ExportFile:
    """An export read from disk once, into memory (decrypted when it was encrypted): every check and every
    copy made from it sees the same bytes, even if the file on disk changes meanwhile."""
    path: Path
    encrypted: bool = False
    data: bytes = b""                  # the plaintext SQLite bytes
    version: int = FORMAT_VERSION      # the file's format (PRAGMA user_version)

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:")
        conn.deserialize(self.data)
        # Text that is not UTF-8 (an edited file) reads as replacement characters: a changed value that
        # the row hashes name, rather than an error that stops the check.
        conn.text_factory = _lenient_text
        return conn

    def attach(self, conn: sqlite3.Connection, name: str) -> None:
        conn.execute(f"ATTACH ':memory:' AS {name}")
        conn.deserialize(self.data, name=name)

    def plaintext(self) -> bytes:
        return self.data


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _wal_snapshot(path: Path) -> bytes:
    """A WAL-mode file (never an export as written; an edited copy may be) as one image, WAL included,
    marked as a rollback-journal database so that it can be read from memory."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        image = bytearray(conn.serialize())
    finally:
        conn.close()
    image[18:20] = b"\x01\x01"
    return bytes(image)


def open_export(path: str | os.PathLike, passphrase: Passphrase | None = None) -> ExportFile:
    """Open an export (read once into memory, decrypted there); refuses anything else with a clear message."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(100)
    if not head.startswith(MAGIC) and not head.startswith(SQLITE_MAGIC):
        raise KioskError("exchange.not_export", path=str(path))      # before reading a large stranger whole
    if len(head) >= 72 and struct.unpack(">I", head[68:72])[0] == APPLICATION_ID:
        raise KioskError("exchange.is_kiosk_db", path=str(path))
    blob = path.read_bytes()
    file = ExportFile(path, data=blob)
    if blob.startswith(MAGIC):
        secret = (passphrase or Passphrase()).get(str(path))
        file = ExportFile(path, True, decrypt(blob, secret, str(path)))
    elif len(blob) > 18 and blob[18] == 2:
        try:
            file = ExportFile(path, data=_wal_snapshot(path))
        except sqlite3.DatabaseError:
            raise KioskError("exchange.not_export", path=str(path)) from None
    if not file.data.startswith(SQLITE_MAGIC):
        raise KioskError("exchange.not_export", path=str(path))
    try:
        conn = file.connect()
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise KioskError("exchange.not_export", path=str(path)) from None
    if app_id == APPLICATION_ID:
        raise KioskError("exchange.is_kiosk_db", path=str(path))
    if app_id != EXPORT_APPLICATION_ID:
        raise KioskError("exchange.not_export", path=str(path))
    if version > FORMAT_VERSION:
        raise KioskError("exchange.too_new", path=str(path), found=version, known=FORMAT_VERSION)
    file.version = version
    return file


def is_export(path: Path) -> bool:
    """True for an (encrypted or plain) Ikrar export, judged from its first bytes and header."""
    with open(path, "rb") as fh:
        head = fh.read(100)
    if head.startswith(MAGIC):
        return True
    return (len(head) >= 72 and head.startswith(SQLITE_MAGIC)
            and struct.unpack(">I", head[68:72])[0] == EXPORT_APPLICATION_ID)


def check_output(path: Path, store: Store | None = None, *, event_uuid: str | None = None,
                 device_id: str | None = None, force: bool = False) -> None:
    """Where an export may go: a new file, or an earlier export of the same event (and device); never the
    kiosk database, a folder, a device or a pipe; anything else only with ``force``."""
    check_output_path(path)
    if store is not None and path.exists() and path.resolve() == store.path.resolve():
        raise KioskError("exchange.same_as_db", path=str(path))
    if not path.exists() or not path.stat().st_size or force:
        return
    if not is_export(path):
        raise KioskError("exchange.would_overwrite", path=str(path))
    if event_uuid is None:
        return                                  # a merge: the existing file is one of its inputs
    found = _identity(path)
    if found is None:
        raise KioskError("exchange.overwrite_sealed", path=str(path))
    events, signers = found
    # Only this device's own earlier export: a merged file that holds this device among others would lose
    # the others' check-ins.
    if events != {event_uuid} or (device_id is not None and signers != {("device", device_id)}):
        raise KioskError("exchange.overwrite_other", path=str(path))


def _identity(path: Path) -> tuple[set[str], set[tuple[str, str]]] | None:
    """The events and the (kind, device) signers an existing plain export names; None for an encrypted one."""
    with open(path, "rb") as fh:
        if fh.read(len(MAGIC)) == MAGIC:
            return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT event_uuid, kind, device_id FROM manifest").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return set(), set()
    return {r[0] for r in rows}, {(r[1], r[2]) for r in rows}


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Output:
    """The file being written: fill ``conn``; :func:`atomic_output` puts it in place."""
    conn: sqlite3.Connection
    unchanged: bool = False
    bytes: int = 0


@contextlib.contextmanager
def atomic_output(path: Path, passphrase: str | None = None, *,
                  same_as: Callable[[bytes], bool] | None = None) -> Iterator[Output]:
    """Build an export and move it into place atomically (temp file in the same folder, fsync, rename).

    Plain files are built directly in the temp file; encrypted ones in memory, so the plaintext never
    reaches the disk.  The connection is in autocommit mode (so that files can be ATTACHed): wrap
    bulk inserts in BEGIN / COMMIT.  ``same_as(plaintext)`` returning True leaves an existing file
    untouched.  Any failure (full disk included) removes the temp file and leaves ``path`` as it was.
    """
    path = Path(path)
    tmp = path.parent / f".{path.name}.{_uuid.uuid4().hex[:12]}.tmp"
    conn = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private(tmp)                         # for its owner alone from the first byte
        target = ":memory:" if passphrase is not None else tmp.resolve().as_uri()
        conn = sqlite3.connect(target, uri=True, isolation_level=None)
        conn.executescript("PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        out = Output(conn)
        yield out
        if conn.in_transaction:
            conn.execute("COMMIT")
        _finish(conn, tmp, path, passphrase, same_as, out)
        conn = None
    except sqlite3.Error as exc:
        raise KioskError("exchange.write_failed", path=str(path), reason=str(exc)) from None
    except OSError as exc:
        raise KioskError("exchange.write_failed", path=str(path), reason=exc.strerror or str(exc)) from None
    except (OverflowError, MemoryError):            # AES-GCM takes at most 2 GiB at once
        raise KioskError("exchange.write_failed", path=str(path), reason="too large to encrypt") from None
    finally:
        if conn is not None:
            conn.close()
        tmp.unlink(missing_ok=True)


def _finish(conn: sqlite3.Connection, tmp: Path, path: Path, passphrase: str | None,
            same_as: Callable[[bytes], bool] | None, out: Output) -> None:
    if passphrase is None:
        conn.close()
        if same_as is not None and path.exists() and same_as(tmp.read_bytes()):
            out.unchanged, out.bytes = True, tmp.stat().st_size
            return
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        out.bytes = tmp.stat().st_size
    else:
        plain = conn.serialize()
        conn.close()
        if same_as is not None and path.exists() and same_as(plain):
            out.unchanged, out.bytes = True, len(plain)
            return
        blob = encrypt(plain, passphrase)
        with open(tmp, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        out.bytes = len(blob)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
