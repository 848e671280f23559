"""Every document is written the same way: all or nothing.

The bytes go to a temporary file in the destination folder, are flushed to disk, and only
then replace the final name (``os.replace`` is atomic on one file system).  If anything
fails, the temporary file is removed, so a clerk never finds half a PDF under the name they
asked for — and a file that was there before stays as it was.

Documents hold names, NIPs and signatures (personal data, UU 27/2022): they are made for their
owner alone, 0600 on POSIX (``mkstemp``'s mode, kept), as the kiosk's databases and exports are.
An existing file is replaced only when the caller says so (:func:`check_target`, ``--force``).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from kiosk.i18n import KioskError, register
from kiosk.security.files import check_output_path

register({
    "documents.write_failed": {
        "id": "Berkas {path} tidak dapat ditulis ({reason}). Pilih folder lain yang dapat ditulisi "
              "dan pastikan ruang disk cukup.",
        "en": "Could not write {path} ({reason}). Choose another folder you can write to and make "
              "sure there is enough disk space.",
    },
    "documents.nothing_attendance": {
        "id": "Belum ada kehadiran yang tercatat untuk acara ini, jadi tidak ada yang dapat diekspor. "
              "Catat kehadiran dulu, lalu ekspor lagi.",
        "en": "No check-ins are recorded for this event, so there is nothing to export. "
              "Record check-ins first, then export again.",
    },
    "documents.nothing_people": {
        "id": "Tidak ada peserta untuk dibuatkan kartu. Impor daftar peserta atau tambahkan tamu dulu.",
        "en": "There is nobody to make badges for. Import the roster or add guests first.",
    },
    "documents.nothing_signers": {
        "id": "Tidak ada pakta integritas untuk dibuat: belum ada pegawai yang menandatangani "
              "(tamu tidak menandatangani pakta). Catat kehadiran pegawai dulu.",
        "en": "There is no integrity pact to make: no employee has signed yet (guests do not sign "
              "the pact). Record employees' check-ins first.",
    },
    "documents.exists": {
        "id": "Berkas {path} sudah ada; tidak ditimpa. Pilih nama lain, atau tambahkan --force untuk menggantinya.",
        "en": "{path} already exists; it was not overwritten. Choose another name, or add --force to replace it.",
    },
    "documents.folder_has_pakta": {
        "id": "Folder {folder} sudah berisi {count} berkas pakta dengan nama yang sama (misalnya {example}); "
              "tidak ada yang ditimpa. Pilih folder lain, atau tambahkan --force untuk menggantinya.",
        "en": "The folder {folder} already holds {count} pact files with the same names (e.g. {example}); "
              "nothing was overwritten. Choose another folder, or add --force to replace them.",
    },
    "documents.not_a_folder": {
        "id": "{path} adalah berkas, bukan folder. Tulis nama folder untuk pakta (dibuat bila belum ada), atau "
              "pakai --single BERKAS.pdf untuk satu berkas.",
        "en": "{path} is a file, not a folder. Give a folder for the pacts (made if it does not exist), or use "
              "--single FILE.pdf for one file.",
    },
    "documents.nothing_participants": {
        "id": "Laporan tidak dapat dibuat: belum ada kehadiran maupun ketidakhadiran yang tercatat. "
              "Catat kehadiran atau isi keterangan peserta yang tidak hadir dulu.",
        "en": "The report cannot be made: no attendance and no absence is recorded. Record check-ins "
              "or enter the absentees' reasons first.",
    },
})

#: ``progress(done, total)``, called as a long document is built.
Progress = Callable[[int, int], None]


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; os.replace is durable enough there
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], mode: str = "wb", **open_args: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it becomes ``path``, on failure it vanishes.

    ``mode`` is ``"wb"`` or ``"w"`` (text; pass ``encoding``/``newline`` as for :func:`open`).
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_file writes only, not {mode!r}")
    final = Path(path)
    folder = final.parent if str(final.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise KioskError("documents.write_failed", path=str(final), reason=exc.strerror or exc) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **open_args) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        _fsync_dir(folder)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise KioskError("documents.write_failed", path=str(final), reason=exc.strerror or exc) from exc
        raise


def write_bytes(path: str | os.PathLike, data: bytes | bytearray) -> Path:
    with atomic_file(path, "wb") as fh:
        fh.write(data)
    return Path(path)


class AtomicBatch:
    """Many files in one folder, all or nothing: each is written to a temporary name, the disk is
    flushed once for all of them, then each takes its final name.

    One flush for the batch instead of one ``fsync`` per file (5,000 pacts: ~50 s of waiting for
    the disk on a laptop otherwise).  If anything fails before :meth:`commit`, every temporary
    file is removed and no final name is touched.  Use as a context manager.
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self._pending: list[tuple[Path, Path]] = []
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)   # a new folder: the owner's alone
        except OSError as exc:
            raise KioskError("documents.write_failed", path=str(self.folder), reason=exc.strerror or exc) from exc

    def write(self, name: str, data: bytes | bytearray) -> Path:
        final = self.folder / name
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            tmp = Path(tmp_name)
            self._pending.append((tmp, final))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                if not hasattr(os, "sync"):
                    fh.flush()
                    os.fsync(fh.fileno())     # Windows has no one flush for all
        except OSError as exc:
            raise KioskError("documents.write_failed", path=str(final), reason=exc.strerror or exc) from exc
        return final

    def commit(self) -> list[Path]:
        try:
            if hasattr(os, "sync"):
                os.sync()
            for tmp, final in self._pending:
                os.replace(tmp, final)
            _fsync_dir(self.folder)
        except OSError as exc:
            self.abort()
            raise KioskError("documents.write_failed", path=str(self.folder), reason=exc.strerror or exc) from exc
        done = [final for _, final in self._pending]
        self._pending = []
        return done

    def abort(self) -> None:
        for tmp, _ in self._pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._pending = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is not None:
            self.abort()


def nothing_to_export(what: str) -> KioskError:
    """``what``: ``attendance``, ``people``, ``signers`` or ``participants``."""
    return KioskError(f"documents.nothing_{what}")


def report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def check_target(path: str | os.PathLike, *, force: bool = False) -> Path:
    """Where one document may go: a regular file in an existing folder; an existing file only with
    ``force``.  Checked before the document is built, so a refusal costs nothing."""
    target = Path(path)
    check_output_path(target)
    if target.exists() and not force:
        raise KioskError("documents.exists", path=str(target))
    return target


def check_folder(folder: str | os.PathLike, names: Iterable[str], *, force: bool = False) -> Path:
    """Where many documents may go: a folder (made if missing); files of the same names only with ``force``."""
    target = Path(folder)
    if not str(folder).strip():
        raise KioskError("output.empty")
    if target.exists() and not target.is_dir():
        raise KioskError("documents.not_a_folder", path=str(target))
    if target.is_dir() and not force:
        taken = sorted(n for n in names if (target / n).exists())
        if taken:
            raise KioskError("documents.folder_has_pakta", folder=str(target), count=len(taken), example=taken[0])
    return target
