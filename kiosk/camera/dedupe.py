"""Report each badge once while it is held in front of the camera.

A badge held up to the webcam is read on many frames in a row, with gaps where one frame was too
blurred.  :class:`SeenFilter` turns that stream into events: a payload is reported the first time it
is read, then kept quiet while it stays in view.  It is reported again only after it has *left* the
view (not read for ``gone_frames`` frames in a row) *and* ``hold_seconds`` have passed since it was
last reported, so lowering a badge and raising it at once does not scan it twice, and a person who
keeps holding the badge while signing is not scanned again either.  A different payload is
reported at once, however recently another one was seen: the next person never waits.

Pure logic: feed it what the decoder read on each frame, in order; the clock is injectable.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(slots=True)
class _Seen:
    reported_at: float
    last_seen_frame: int


class SeenFilter:
    """Decide which reads are new badges.

    ``feed(payloads)`` once per decoded frame — with the payloads read on it, or nothing — returns
    the payloads to report, in the order given.  Frames that were never decoded (dropped because
    the decoder was busy) are simply not fed; they do not count towards ``gone_frames``.
    """

    def __init__(self, *, hold_seconds: float = 3.0, gone_frames: int = 10,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if hold_seconds < 0 or gone_frames < 1:
            raise ValueError("hold_seconds must be ≥ 0 and gone_frames ≥ 1")
        self.hold_seconds = hold_seconds
        self.gone_frames = gone_frames
        self._clock = clock
        self._frame = 0
        self._seen: dict[str, _Seen] = {}

    def feed(self, payloads: str | Iterable[str] | None = None) -> list[str]:
        """Take one frame's reads; return those that are new badges."""
        now = self._clock()
        self._frame += 1
        for text in [t for t, s in self._seen.items() if self._released(s, now)]:
            del self._seen[text]
        items = [payloads] if isinstance(payloads, str) else list(payloads or ())
        fresh: list[str] = []
        for text in dict.fromkeys(items):               # one frame holding the same code twice is one read
            seen = self._seen.get(text)
            if seen is None:
                self._seen[text] = _Seen(now, self._frame)
                fresh.append(text)
            else:
                seen.last_seen_frame = self._frame
        return fresh

    def in_view(self, payload: str) -> bool:
        """Whether ``payload`` counts as still in view: read within the last ``gone_frames`` frames fed."""
        seen = self._seen.get(payload)
        return seen is not None and self._frame - seen.last_seen_frame < self.gone_frames

    def forget(self, payload: str) -> None:
        """Report ``payload`` again the next time it is read (e.g. after the kiosk refused it)."""
        self._seen.pop(payload, None)

    def reset(self) -> None:
        """Forget every badge (e.g. when the camera is switched or the event changes)."""
        self._seen.clear()

    def __len__(self) -> int:
        """How many payloads are remembered (held in view or within their hold time)."""
        return len(self._seen)

    def _released(self, seen: _Seen, now: float) -> bool:
        absent = self._frame - 1 - seen.last_seen_frame          # frames fed since it was last read
        return absent >= self.gone_frames and now - seen.reported_at >= self.hold_seconds
