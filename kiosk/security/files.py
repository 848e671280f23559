"""Files for their owner alone: the data folder 0700; databases, their WAL and SHM, lock files, keys,
exports and documents 0600 (POSIX).  On Windows the user's profile folder already keeps other
accounts out, and these calls change nothing there.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from kiosk.i18n import KioskError, register

register({
    "output.empty": {"id": "Nama berkas keluaran kosong. Tulis nama berkasnya, misalnya -o hadir.db.",
                     "en": "The output file name is empty. Give a file name, e.g. -o attendance.db."},
    "output.folder": {"id": "{path} adalah folder. Tulis nama berkas di dalamnya, misalnya {path}/hadir.db.",
                      "en": "{path} is a folder. Give a file name inside it, e.g. {path}/attendance.db."},
    "output.special": {
        "id": "{path} bukan berkas biasa (perangkat atau pipa); tidak ditimpa. Pilih nama berkas biasa.",
        "en": "{path} is not a regular file (a device or a pipe); it was not replaced. Choose a regular file name."},
    "output.no_folder": {"id": "Folder {folder} tidak ada. Buat foldernya dulu atau pilih folder lain.",
                         "en": "The folder {folder} does not exist. Make it first or choose another folder."},
})

POSIX = os.name == "posix"
FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> None:
    """Make ``path`` (and its parents) if needed; the folder itself for its owner alone."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    tighten(path)


def tighten(path: Path) -> None:
    """Take away group and other access from an existing file (or folder) of ours.

    Only takes away: a file its owner made read-only (0444) becomes 0400, never writable.  Where the
    mode cannot be changed (a FAT stick, a file of another user, an immutable file) it is left as it is:
    opening the database then says what is wrong, if anything, instead of failing here."""
    if POSIX:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                os.chmod(path, mode & ~0o077)
        except OSError:
            pass


def create_private(path: Path) -> None:
    """An empty file readable by its owner alone, so what is written into it next never was readable
    by others, not even for a moment.  Refuses (FileExistsError) when ``path`` exists."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))


def write_private(path: Path, data: bytes) -> None:
    """``data`` into ``path`` atomically (temporary file, fsync, rename), readable by its owner alone."""
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def readable_by_others(path: Path) -> bool:
    """True on POSIX when the group or other users may read ``path``."""
    return POSIX and bool(stat.S_IMODE(path.stat().st_mode) & 0o044)


def check_output_path(path: Path) -> None:
    """Refuse, with a message, an output that can only be a mistake: an empty name, a folder, a device or
    a pipe (writing there would not make a file, or would replace something that is not ours), a folder
    that does not exist."""
    if not str(path).strip() or str(path) in (".", ""):
        raise KioskError("output.empty")
    if path.is_dir():
        raise KioskError("output.folder", path=str(path))
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise KioskError("output.special", path=str(path))
    elif not path.parent.is_dir():
        raise KioskError("output.no_folder", folder=str(path.parent))
