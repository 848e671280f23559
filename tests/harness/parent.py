"""In the test process: a kiosk database to drive, and the child kiosk process (start, listen, kill)."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from harness import ROOT
from kiosk import demo
from kiosk.security import pin as admin
from kiosk.store import Store

CHILD = Path(__file__).resolve().with_name("child.py")
PIN = "246810"


def kiosk_db(path: Path, people: int) -> None:
    """A kiosk database with today's demo event, ``people`` on its roster and the admin PIN set."""
    with Store(path) as store:
        demo.seed(store, people)
        admin.set_pin(store, PIN)


class KioskChild:
    """``tests/harness/child.py`` in its own process; its pipe's lines arrive in :attr:`lines` as they come."""

    def __init__(self, db: Path, *args: object, stderr: Path | None = None, env: dict | None = None,
                 preexec_fn=None) -> None:
        read, write = os.pipe()
        self.err_path = stderr or db.with_name(f"child-{time.monotonic_ns()}.err")
        self._err = open(self.err_path, "wb")  # noqa: SIM115  (closed by finish())
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "--db", str(db), "--fd", str(write), *map(str, args)],
            pass_fds=(write,), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self._err,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}, preexec_fn=preexec_fn)
        os.close(write)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(read,), daemon=True)
        self._reader.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            for raw in pipe:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.lines.append(line)
                self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, word: str, timeout: float = 60.0) -> str | None:
        """The next line starting with ``word`` (None if the pipe closed or the time ran out first)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                self._queue.put(None)
                return None
            if line.split(" ", 1)[0] == word:
                return line

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.finish()

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for the process to end and its pipe to drain; its exit code."""
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(10)
        self._reader.join(10)
        self._err.close()
        return code

    def said(self, word: str) -> list[str]:
        """The rest of each line that started with ``word``."""
        return [line.split(" ", 1)[1] if " " in line else "" for line in self.lines if line.split(" ", 1)[0] == word]

    @property
    def done(self) -> list[str]:
        return self.said("done")

    def stderr(self) -> str:
        return self.err_path.read_text("utf-8", "replace") if self.err_path.exists() else ""
