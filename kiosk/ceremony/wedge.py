"""Tell a keyboard-wedge scanner from a person typing, by the timing of the keys.

A USB scanner "types" a badge's contents as a burst of keystrokes a few
milliseconds apart, usually ended by Enter (sometimes Tab, sometimes nothing).
A person types at 80–250 ms a key.  :class:`WedgeBuffer` is fed each character
with its timestamp and says when a burst is complete; it knows nothing of Qt, so
the screen's key filter stays a thin adapter and the rules are tested directly.
"""
from __future__ import annotations

from typing import NamedTuple

MAX_GAP_MS = 60          # keys further apart than this are a person, not a scanner
MIN_LENGTH = 9           # a burst shorter than this is not a badge (a NIP has 18 digits)
END_PAUSE_MS = 120       # a scanner that sends no Enter: the burst ends after this silence
ENDERS = ("\r", "\n", "\t")


class Burst(NamedTuple):
    text: str
    started_ms: float
    ended_ms: float
    ended_by: str          # "enter", "tab" or "pause"


class WedgeBuffer:
    def __init__(self, *, max_gap_ms: float = MAX_GAP_MS, min_length: int = MIN_LENGTH,
                 end_pause_ms: float = END_PAUSE_MS) -> None:
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self.end_pause_ms = end_pause_ms
        self._chars: list[str] = []
        self._first = self._last = 0.0

    @property
    def pending(self) -> str:
        return "".join(self._chars)

    def key(self, char: str, t_ms: float) -> Burst | None:
        """Feed one typed character (Enter as ``\\r``, Tab as ``\\t``).  Returns a finished burst, if any."""
        finished = None
        if self._chars and t_ms - self._last > self.max_gap_ms:
            finished = self._finish("pause")       # a slow key: whatever came before is over
        if char in ENDERS:
            if self._chars:
                self._last = t_ms
                return self._finish("tab" if char == "\t" else "enter") or finished
            return finished
        if not self._chars:
            self._first = t_ms
        self._chars.append(char)
        self._last = t_ms
        return finished

    def tick(self, t_ms: float) -> Burst | None:
        """Call after a pause (a timer): a burst with no Enter ends here."""
        if self._chars and t_ms - self._last >= self.end_pause_ms:
            return self._finish("pause")
        return None

    def reset(self) -> None:
        self._chars.clear()

    def _finish(self, how: str) -> Burst | None:
        text, first, last = "".join(self._chars), self._first, self._last
        self._chars.clear()
        if len(text) < self.min_length:
            return None
        return Burst(text, first, last, how)
