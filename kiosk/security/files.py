"""Files for their owner alone: the data folder 0700; databases, their WAL and SHM, lock files, keys,
exports and documents 0600 (POSIX).  On Windows the user's profile folder already keeps other
accounts out, and these calls change nothing there.
"""
from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path

POSIX = os.name == "posix"
FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> None:
    """Make ``path`` (and its parents) if needed; the folder itself for its owner alone."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if POSIX and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, DIR_MODE)


def tighten(path: Path) -> None:
    """Take away group and other access from an existing file of ours."""
    if POSIX:
        try:
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, FILE_MODE)
        except FileNotFoundError:
            pass


def create_private(path: Path) -> None:
    """An empty file readable by its owner alone, so what is written into it next never was readable
    by others, not even for a moment.  Refuses (FileExistsError) when ``path`` exists."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))


def write_private(path: Path, data: bytes) -> None:
    """``data`` into ``path`` atomically (temporary file, fsync, rename), readable by its owner alone."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
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
