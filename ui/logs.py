"""Where the screens' log goes: ``ikrar.log`` beside the database.

Every logger of the screens is under ``ikrar`` (``ikrar.worker``, ``ikrar.kiosk``,
``ikrar.display``).  While a window runs, :func:`file_log` sends them to a file
beside the database and, when there is a console, to ``sys.stderr``; the GUI
script on Windows (``ikrar-kiosk.exe``) has no ``sys.stderr`` at all, so nothing
here ever writes to it blindly.  Uncaught exceptions in a Qt slot go to the log
too.  Logs carry no names, NIPs or signatures: only what went wrong.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOG_NAME = "ikrar.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_current: list[Path] = []


def log_file() -> Path | None:
    """The file the screens are logging to now, if any (named in "see the log" messages)."""
    return _current[-1] if _current else None


@contextmanager
def file_log(db_path: str | Path, *, level: int = logging.INFO) -> Iterator[Path | None]:
    """Log the ``ikrar`` loggers to ``ikrar.log`` beside ``db_path`` (and to a console if there is one)."""
    root = logging.getLogger("ikrar")
    handlers: list[logging.Handler] = []
    path: Path | None = Path(db_path).resolve().parent / LOG_NAME
    try:
        handlers.append(logging.FileHandler(Path(db_path).resolve().parent / LOG_NAME, encoding="utf-8"))
    except OSError:                                   # a read-only folder: log to the console only
        path = None
    if sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        handlers.append(console)
    formatter = logging.Formatter(FORMAT)
    for h in handlers:
        h.setFormatter(formatter)
        root.addHandler(h)
    old_level = root.level
    root.setLevel(min(level, old_level) if old_level else level)
    old_hook = sys.excepthook

    def hook(kind, value, tb) -> None:
        root.critical("uncaught exception", exc_info=(kind, value, tb))
    sys.excepthook = hook
    if path is not None:
        _current.append(path)
    try:
        yield path
    finally:
        sys.excepthook = old_hook
        if path is not None:
            _current.remove(path)
        root.setLevel(old_level)
        for h in handlers:
            root.removeHandler(h)
            h.close()
