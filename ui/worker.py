"""A plain thread that owns a window's database, in front of which the GUI only paints.

Each operation is submitted with its own callbacks, in the spirit of Anki's
``CollectionOp``/``QueryOp``::

    worker.run(lambda store: store.find_people(text), success=show, failure=say_why)

The operation runs on the worker thread, one at a time, in the order submitted,
with the worker's open :class:`~kiosk.store.Store` (the worker opens it itself
before any operation).  ``success(value)`` or ``failure(exc)`` then runs on the
GUI thread.  A :class:`~kiosk.i18n.KioskError` is a refusal the user can act on
(its message says what to do); any other exception is a bug or a broken disk: it
is logged with its traceback to the ``ikrar.worker`` logger and handed to the
failure callback too, whose screen shows :func:`describe`'s plain message.  A
failure nobody asked about is logged, never printed: under the GUI script on
Windows there is no ``sys.stderr`` at all.

Long operations (a roster of 100,000 rows, a document, a sync) go through :meth:`StoreWorker.run_long`:
the operation is given a :class:`Progress` handle as well as the store, reports ``(done, total)`` to it
(the handle is itself a ``progress(done, total)`` callable, what the core's long functions take), and
the GUI may :meth:`~Progress.cancel` it: the next report then raises :class:`Cancelled`, a refusal
that reaches the failure callback like any other (the core writes its files all or nothing, so a
cancelled document leaves nothing behind)::

    handle = worker.run_long(lambda store, progress: exports.daftar_hadir(store, event, out, progress=progress),
                             success=done, failure=say_why, progress=bar.update)
    cancel_button.clicked.connect(handle.cancel)

Signals are for broadcasts only (a subclass's live count, its opening).  Answers
travel through a deque and one parameterless queued signal, so Qt never
marshals a Python object across threads: PySide6 6.12 corrupted reference
counts doing that under load (see tests/test_qt_binding.py).
"""
from __future__ import annotations

import collections
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import PIL.Image  # noqa: F401  (see below)
from PySide6.QtCore import QObject, Qt, Signal

import kiosk.security.keys  # noqa: F401  (see below)
from kiosk.i18n import KioskError
from kiosk.store import Store
from kiosk.store.core import sqlite_problem
from ui.logs import log_file
from ui.messages import t

# ``kiosk.security.keys`` above: opening a Store loads it, and with it cryptography's compiled module.  Loaded
# first on the worker's thread while the GUI thread loaded Qt Multimedia's, the two deadlocked inside the
# loader and the kiosk never came up (1 start in about 15 under tests/test_crash.py): it is loaded here, on
# the GUI thread, before any worker starts.  So is Pillow's, which a worker loads for the first signature it
# draws, while the GUI thread may be loading the camera's decoder.

T = TypeVar("T")
log = logging.getLogger("ikrar.worker")

Success = Callable[[Any], None]
Failure = Callable[[Exception], None]
Job = tuple[Callable[[Store], Any], Success | None, Failure | None]


class Cancelled(KioskError):
    """The user cancelled a long operation; raised inside it by :meth:`Progress.report`."""

    def __init__(self) -> None:
        super().__init__("ui.cancelled")


class Progress:
    """A long operation's handle: the operation reports to it (worker thread), the GUI cancels it.

    Reports reach the GUI's ``on_progress(done, total)`` at most every :attr:`interval` seconds, and
    always the last one (``done >= total``), so a loop may report every row without flooding the GUI.
    """
    interval = 0.05

    def __init__(self, post: Callable[..., None], on_progress: Callable[[int, int], None] | None = None) -> None:
        self._post = post
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self._last = 0.0
        self.done = 0
        self.total = 0

    def report(self, done: int, total: int) -> None:
        """How far the operation is; raises :class:`Cancelled` once the GUI has cancelled it."""
        self.check()
        self.done, self.total = done, total
        if self._on_progress is not None:
            moment = time.monotonic()
            if done >= total or moment - self._last >= self.interval:
                self._last = moment
                self._post(self._on_progress, done, total)

    __call__ = report

    def check(self) -> None:
        """Raise :class:`Cancelled` when cancelled (for steps that have no count to report)."""
        if self._cancel.is_set():
            raise Cancelled()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the operation to stop at its next report (from any thread; a finished one is not undone)."""
        self._cancel.set()


def describe(exc: Exception) -> str:
    """What a screen says about a failed operation: a refusal's own message, else a plain "see the log"."""
    if isinstance(exc, KioskError):
        return str(exc)
    where = log_file()
    return t("ui.unexpected_logged", log=str(where)) if where is not None else t("ui.unexpected")


class StoreWorker(QObject):
    """Runs operations on one thread with one open Store; callbacks come back on the GUI thread."""
    _ready = Signal()

    def __init__(self, name: str, db_path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.db_path = Path(db_path)
        self._store: Store | None = None
        self._open_error: Exception | None = None
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._answers: collections.deque[tuple[Callable[..., None], tuple[Any, ...]]] = collections.deque()
        self._ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._thread.start()

    # --- GUI side ------------------------------------------------------------------------------

    def run(self, op: Callable[[Store], T], *, success: Callable[[T], None] | None = None,
            failure: Failure | None = None) -> None:
        """Run ``op(store)`` on the worker thread, then ``success(value)`` or ``failure(exc)`` on the GUI thread."""
        self._jobs.put((op, success, failure))

    def run_long(self, op: Callable[[Store, Progress], T], *, success: Callable[[T], None] | None = None,
                 failure: Failure | None = None, progress: Callable[[int, int], None] | None = None) -> Progress:
        """Run ``op(store, handle)`` like :meth:`run`; ``progress(done, total)`` runs on the GUI thread as the
        operation reports.  Returns the handle, whose :meth:`~Progress.cancel` stops the operation (one still
        waiting in the queue never starts: its ``failure`` gets :class:`Cancelled`)."""
        handle = Progress(self._post, progress)

        def job(store: Store) -> T:
            handle.check()
            return op(store, handle)
        self._jobs.put((job, success, failure))
        return handle

    def idle(self) -> bool:
        """No operation waiting (the one running, if any, may not have answered yet)."""
        return self._jobs.empty()

    def shutdown(self) -> None:
        """Finish the queued operations (a check-in being saved is never dropped), close the database."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(30)
            if self._thread.is_alive():
                log.warning("%s: still busy after 30 s at shutdown", self.name)

    # --- worker side ---------------------------------------------------------------------------

    def _post(self, fn: Callable[..., None], *args: Any) -> None:
        """Call ``fn(*args)`` on the GUI thread (also how subclasses broadcast: ``self._post(sig.emit, …)``)."""
        self._answers.append((fn, args))
        self._ready.emit()

    def _next_job(self) -> Job | None:
        """The next operation; subclasses may wait with a time-out and return a periodic one instead."""
        return self._jobs.get()

    def _execute(self, job: Job) -> None:
        op, success, failure = job
        if self._store is None:                          # the database could not be opened: nothing can run
            if self._open_error is not None:
                self._fail(failure, self._open_error, logged=True)
            return
        try:
            value = op(self._store)
        except KioskError as exc:                        # a refusal the user can act on
            log.debug("%s: refused (%s)", self.name, exc.code)
            self._fail(failure, exc)
        except sqlite3.Error as exc:                     # a damaged file, a full disk: said as such, and logged
            problem = sqlite_problem(exc, self.db_path)
            log.exception("%s: the database failed (%s)", self.name, problem.code if problem else "unexpected")
            self._fail(failure, problem or exc, logged=True)
        except Exception as exc:                         # a bug or a broken disk: keep the trace, stay alive
            log.exception("%s: a background operation failed", self.name)
            self._fail(failure, exc, logged=True)
        else:
            if success is not None:
                self._post(success, value)

    def _fail(self, failure: Failure | None, exc: Exception, *, logged: bool = False) -> None:
        """Hand ``exc`` to the asking screen; with nobody asking, log it (once: a traceback is already logged)."""
        if failure is not None:
            self._post(failure, exc)
        elif not logged:
            log.warning("%s: an operation was refused and no screen asked about it: %s", self.name,
                        getattr(exc, "code", type(exc).__name__))

    def _main(self) -> None:
        try:
            self._store = Store(self.db_path)
        except KioskError as exc:                        # reported to whoever asks first (the opening)
            log.info("%s: cannot open the database (%s)", self.name, exc.code)
            self._open_error = exc
        except Exception as exc:
            log.exception("%s: cannot open the database", self.name)
            self._open_error = exc
        while True:
            job = self._next_job()
            if job is None:
                break
            self._execute(job)
        if self._store is not None:
            try:
                self._store.close()
            except Exception:
                log.exception("%s: closing the database failed", self.name)

    # --- GUI side ------------------------------------------------------------------------------

    def _deliver(self) -> None:
        while self._answers:
            fn, args = self._answers.popleft()
            try:
                fn(*args)
            except Exception:                            # a screen's callback raised: log it, deliver the rest
                log.exception("%s: a callback on the GUI thread failed", self.name)

