"""Decode camera frames on a thread of their own, newest first, and report each badge once.

    reader = BadgeReader(on_badge=lambda payload, result: ...)     # called on the reader's thread
    reader.start()
    reader.offer(RawFrame(y_plane, width, height, stride))         # from any thread; never blocks
    ...
    reader.stop()

A camera delivers 15–30 frames a second whatever the decoder is doing.  :class:`FrameMailbox` holds
exactly one frame: a frame offered while the decoder is busy replaces the one waiting, so the
decoder always takes the newest and the work waiting never grows (the frames replaced are counted
as ``dropped``).  The reader also decodes at most ``max_fps`` frames a second, so a slow laptop
spends a bounded share of a core on the camera and the rest on the signature pad and the store.

Each decoded frame goes through a :class:`~kiosk.camera.dedupe.SeenFilter`: a badge held in view is
reported once, a second person's badge straight after is reported at once.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from kiosk.camera.decode import DecodeResult, FrameDecoder
from kiosk.camera.dedupe import SeenFilter
from kiosk.camera.frame import Frame

T = TypeVar("T")
log = logging.getLogger("ikrar.camera")

#: Frames decoded a second at most (a 30 fps camera: every other frame).
MAX_FPS = 15.0

OnBadge = Callable[[str, DecodeResult], None]
OnDecoded = Callable[[DecodeResult | None], None]


class FrameMailbox(Generic[T]):
    """One slot between a producer that must never wait and a consumer that wants the newest item."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: T | None = None
        self._full = False
        self._closed = False
        self.offered = 0                  # put() calls
        self.taken = 0                    # items handed to take()
        self.dropped = 0                  # items replaced before anyone took them

    def put(self, item: T) -> bool:
        """Leave ``item`` for the consumer; True when it replaced one nobody had taken yet."""
        with self._cond:
            if self._closed:
                return False
            replaced = self._full
            self.offered += 1
            self.dropped += replaced
            self._item, self._full = item, True
            self._cond.notify()
            return replaced

    def take(self, timeout: float | None = None) -> T | None:
        """The newest item (waiting up to ``timeout`` seconds for one), or None if closed or timed out."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._full or self._closed, timeout):
                return None
            if not self._full:
                return None
            item, self._item, self._full = self._item, None, False
            self.taken += 1
            return item

    def clear(self) -> None:
        """Throw away the waiting item (the camera was switched: its last frame is not wanted)."""
        with self._cond:
            self._item, self._full = None, False

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._item, self._full = None, False
            self._cond.notify_all()

    @property
    def waiting(self) -> bool:
        with self._cond:
            return self._full


@dataclass(frozen=True, slots=True)
class ReaderStats:
    """What the reader did since it started.  ``decode_ms`` is wall time, ``cpu_ms`` the thread's CPU time."""
    offered: int
    decoded: int
    dropped: int
    codes: int                 # frames on which a code was read
    badges: int                # reads reported as new (after the SeenFilter)
    decode_ms: float
    cpu_ms: float

    @property
    def mean_decode_ms(self) -> float:
        return self.decode_ms / self.decoded if self.decoded else 0.0


class BadgeReader:
    """A thread that decodes the newest frame offered and reports new badges.

    ``on_badge(payload, result)`` runs on the reader's thread for every payload the SeenFilter lets
    through; ``on_decoded(result or None)`` (optional) after every frame decoded.  A callback that
    raises is logged and the reader goes on.  ``max_fps`` caps the decoding rate (None: as fast as
    frames come).
    """

    def __init__(self, on_badge: OnBadge, *, on_decoded: OnDecoded | None = None,
                 decoder: FrameDecoder | None = None, seen: SeenFilter | None = None,
                 max_fps: float | None = MAX_FPS, name: str = "camera-decoder") -> None:
        if max_fps is not None and max_fps <= 0:
            raise ValueError("max_fps must be positive (or None)")
        self.on_badge = on_badge
        self.on_decoded = on_decoded
        self.decoder = decoder or FrameDecoder()
        self.seen = seen or SeenFilter()
        self.interval = 1.0 / max_fps if max_fps else 0.0
        self.mailbox: FrameMailbox[Frame] = FrameMailbox()
        self._stop = threading.Event()
        self._reset = threading.Event()
        self._lock = threading.Lock()
        self._decoded = self._codes = self._badges = 0
        self._decode_ms = self._cpu_ms = 0.0
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)

    # --- any thread ------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def offer(self, frame: Frame) -> None:
        """The newest frame: replaces the one waiting, if any.  Returns at once."""
        self.mailbox.put(frame)

    def reset(self) -> None:
        """Forget the badges seen and the frame waiting (the camera was switched, or restarted)."""
        self.mailbox.clear()
        self._reset.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the frame being decoded and end the thread; frames still waiting are dropped."""
        self._stop.set()
        self.mailbox.close()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stats(self) -> ReaderStats:
        box = self.mailbox
        with self._lock:
            return ReaderStats(box.offered, self._decoded, box.dropped, self._codes, self._badges,
                               self._decode_ms, self._cpu_ms)

    # --- the reader's thread ---------------------------------------------------------------------

    def _main(self) -> None:
        while not self._stop.is_set():
            frame = self.mailbox.take()
            if frame is None:                          # closed
                break
            started = time.perf_counter()
            self._one(frame)
            rest = self.interval - (time.perf_counter() - started)
            if rest > 0:
                self._stop.wait(rest)                  # meanwhile newer frames replace older ones

    def _one(self, frame: Frame) -> None:
        if self._reset.is_set():
            self._reset.clear()
            self.seen.reset()
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            result = self.decoder.decode(frame)
        except Exception:                              # a malformed frame must not end the camera
            log.exception("a camera frame could not be decoded")
            result = None
        elapsed, used = (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000
        fresh = self.seen.feed(result.text if result is not None else None)
        with self._lock:
            self._decoded += 1
            self._codes += result is not None
            self._badges += len(fresh)
            self._decode_ms += elapsed
            self._cpu_ms += used
        if self.on_decoded is not None:
            self._call(self.on_decoded, result)
        for payload in fresh:
            assert result is not None
            self._call(self.on_badge, payload, result)

    @staticmethod
    def _call(fn: Callable[..., None], *args: object) -> None:
        try:
            fn(*args)
        except Exception:
            log.exception("a camera callback failed")
