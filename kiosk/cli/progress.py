"""Progress of a long command on stderr, so stdout (text or ``--json``) stays the answer alone.

Nothing is shown for a job done within a second.  On a terminal one line is rewritten in place; into
a file or a pipe a line is written now and then (every five seconds), so a log stays short.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: Seconds before the first line, and between lines on a terminal and into a file.
DELAY, EVERY_TTY, EVERY_FILE = 1.0, 0.2, 5.0


class Progress:
    """``progress(done, total)``, the signature the core's long jobs call; ``close()`` ends the line."""

    def __init__(self, what: str, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.what, self.stream, self.clock = what, stream or sys.stderr, clock
        self.started = clock()
        self.last_shown: float | None = None
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.delay, self.every = DELAY, EVERY_TTY if self.tty else EVERY_FILE

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < self.delay or total <= 0:
            return
        finished = done >= total
        if self.last_shown is not None and now - self.last_shown < self.every and not finished:
            return
        self.last_shown = now
        # No words of its own (``what`` is a message in the user's language); 12.345: the Indonesian
        # thousands mark, in both languages.
        figures = f"{done:,}/{total:,}".replace(",", ".")
        text = f"{self.what}: {figures} ({min(100, done * 100 // total)}%)"
        try:
            self.stream.write(("\r" + text + "\x1b[K") if self.tty else text + "\n")
            self.stream.flush()
        except (OSError, ValueError):                   # stderr closed or gone: progress is not worth failing for
            pass

    def close(self) -> None:
        if self.tty and self.last_shown is not None:
            try:
                self.stream.write("\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
