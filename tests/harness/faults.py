"""I/O faults: a tiny file system that fills up, and a file size limit (RLIMIT_FSIZE) on a process."""
from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path


def can_mount() -> str | None:
    """Why a tiny file system cannot be mounted here (None when it can: root, with mount and umount)."""
    if os.name != "posix" or os.geteuid() != 0:
        return "mounting a tiny file system needs root"
    if not (shutil.which("mount") and shutil.which("umount")):
        return "no mount/umount"
    return None


@contextlib.contextmanager
def tiny_filesystem(where: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` mounted at ``where`` (made), unmounted after; raises OSError if it cannot be."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode:
        raise OSError(f"mount failed: {done.stderr.strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(folder: Path, name: str = "filler") -> Path:
    """Take every free byte of ``folder``'s file system with one file (returned: delete it to give space back)."""
    path = folder / name
    chunk = b"\0" * 65536
    with open(path, "wb", buffering=0) as fh:
        for size in (65536, 4096, 512, 1):
            while True:
                try:
                    fh.write(chunk[:size])
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    return path


def free_bytes(folder: Path) -> int:
    st = os.statvfs(folder)
    return st.f_bavail * st.f_frsize


def limit_file_size(pid: int, limit: int | None) -> None:
    """Set the file size limit of a running process (Linux prlimit); None lifts it back to the hard limit."""
    soft, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (hard if limit is None else limit, hard))


def file_size_limit(limit: int):
    """A ``preexec_fn``: the child's files may not grow past ``limit`` bytes (writes fail with EFBIG; Python
    ignores SIGXFSZ, so the process lives on)."""
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    return apply
