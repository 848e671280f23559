"""The log file: where it is, how it is written, and what never goes into it.

One file for every window and command of this user: ``ikrar.log`` in ``logs/`` of the user data
folder (:func:`kiosk.paths.data_dir`; ``$IKRAR_LOG_DIR`` names another folder), rotated at 1 MB with
five old files kept (``ikrar.log.1`` … ``ikrar.log.5``), so it never fills a laptop's disk.  The
folder is for its owner alone (0700) and every file is created 0600, rotated ones included.

Logs carry no names, NIPs, NIKs or signatures (UU 27/2022).  Call sites log codes and counts, never
a person; :class:`MaskFilter` on every handler is the second line: any run of 16 or more digits (a
NIK, a NIP, two glued together; spaced or dotted as printed) becomes ``[nomor disamarkan]``, in the
message, in a traceback and in a stack, and a :class:`~kiosk.i18n.KioskError` in a traceback shows
its code instead of its message (which may name the person it is about).

The core imports no Qt: the screens use this through :mod:`ui.logs`, the command line through
:func:`log_exception`.
"""
from __future__ import annotations

import logging
import logging.handlers
import os
import re
import traceback
from pathlib import Path

from kiosk.i18n import KioskError
from kiosk.paths import data_dir
from kiosk.security.files import FILE_MODE, private_dir, tighten

LOG_NAME = "ikrar.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
LOGGER = "ikrar"
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
MASK = "[nomor disamarkan]"
#: 16 or more digits, optionally one space, dot or dash between any two ("3201 0101 8001 0001").
_DIGIT_RUN = re.compile(r"\d(?:[ .\-]?\d){15,}")
# Outside a window nothing is set up to log: the records go nowhere, not to Python's last-resort printing
# on stderr (a command's answer stays clean; ``file_log`` and ``log_exception`` add the real handlers).
logging.getLogger(LOGGER).addHandler(logging.NullHandler())


def log_dir() -> Path:
    chosen = os.environ.get("IKRAR_LOG_DIR")
    return Path(chosen) if chosen else data_dir() / "logs"


def log_path() -> Path:
    """Where the log is (whether or not anything was written to it yet)."""
    return log_dir() / LOG_NAME


def log_files() -> list[Path]:
    """The log and its rotated predecessors that exist, newest first."""
    first = log_path()
    candidates = [first] + [first.with_name(f"{LOG_NAME}.{n}") for n in range(1, BACKUPS + 1)]
    return [p for p in candidates if p.is_file()]


def mask(text: str) -> str:
    """``text`` with every run of 16+ digits (NIK, NIP) replaced by :data:`MASK`."""
    return _DIGIT_RUN.sub(MASK, text)


def exception_text(exc: BaseException) -> str:
    """A traceback as Python prints it, masked, with each KioskError's message replaced by its code."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, KioskError):
            try:
                shown = str(current)
            except Exception:  # noqa: BLE001 - a message with missing parameters: nothing to hide
                shown = ""
            if shown and shown != current.code:
                text = text.replace(shown, f"[{current.code}]")
        current = current.__cause__ or current.__context__
    return mask(text)


class MaskFilter(logging.Filter):
    """Masks every record passing a handler: its message, its traceback, its stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: log what there is
            message = str(record.msg)
        record.msg, record.args = mask(message), None
        if record.exc_info and record.exc_info[1] is not None and not getattr(record, "_ikrar_masked", False):
            record.exc_text = exception_text(record.exc_info[1])
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        record._ikrar_masked = True
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files are created readable by their owner alone, and which keeps
    writing to the current file when it cannot rotate (another window holds it open on Windows)."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
                     | getattr(os, "O_NOINHERIT", 0), FILE_MODE)
        tighten(Path(self.baseFilename))              # a file left by an older version was 0644
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)

    def doRollover(self) -> None:
        try:
            super().doRollover()
        except OSError:
            if self.stream is None:
                self.stream = self._open()


def file_handler(level: int = logging.INFO) -> logging.Handler | None:
    """A masked, rotating handler on :func:`log_path`, or None where the folder cannot be written."""
    try:
        private_dir(log_dir())
        handler = PrivateRotatingFileHandler(log_path(), maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskFilter())
    return handler


def log_exception(where: str, exc: BaseException) -> Path | None:
    """Write ``exc``'s traceback to the log file (the command line's last line of defence); returns the
    file, or None when it could not be written."""
    handler = file_handler()
    if handler is None:
        return None
    logger = logging.getLogger(f"{LOGGER}.{where}")
    logger.addHandler(handler)
    try:
        logger.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    finally:
        logger.removeHandler(handler)
        handler.close()
    return log_path()
