"""When a camera read is a new scan, on top of the reader's own filter (kiosk.camera.dedupe.SeenFilter).

The window remembers the last minute's scans, wedge or camera, by badge (its NIP or badge code).  A
camera read is not a scan when it is the person on the signing page raising their badge again, a scan
already waiting, the badge scanned in the last few seconds (held to the wedge scanner in the camera's
view), or one scanned in the last minute walking past the camera while someone else signs.  No Qt here.
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Protocol

from kiosk.i18n import KioskError
from kiosk.people.payload import extract_badge

#: A camera read of the badge scanned this recently (by the camera or the wedge) is the same scan.
CAMERA_REPEAT_SECONDS = 5
#: ... and while someone else is signing, one scanned this recently is walking past the camera, not asking.
CAMERA_PASSING_SECONDS = 60


class CameraHook(Protocol):
    """What the window asks of its camera (ui.kiosk.camera.scanner.CameraScanner), when it has one."""
    def choose(self) -> None: ...
    def retranslate(self) -> None: ...


def badge_key(payload: str) -> str:
    """What names the person a payload names (its NIP or badge code), to tell one badge's reads apart."""
    try:
        return extract_badge(payload).value
    except KioskError:
        return payload.strip()


class ScanMemory:
    """The last minute's scans, by badge: when each was last scanned (``time.monotonic``)."""

    def __init__(self) -> None:
        self._at: dict[str, float] = {}

    def note(self, payload: str) -> None:
        now = time.monotonic()
        self._at = {k: at for k, at in self._at.items() if now - at < CAMERA_PASSING_SECONDS}
        self._at[badge_key(payload)] = now

    def camera_may_scan(self, payload: str, *, busy: bool, on_page: str | None, waiting: Iterable[str]) -> bool:
        """``busy``: someone is signing or a scan is being looked up; ``on_page``: the badge of the person
        on the signing page; ``waiting``: the payloads of the scans in line."""
        key = badge_key(payload)
        if busy and on_page == key:
            return False
        if any(badge_key(p) == key for p in waiting):
            return False
        ago = time.monotonic() - self._at.get(key, float("-inf"))
        return not (ago < CAMERA_REPEAT_SECONDS or (busy and ago < CAMERA_PASSING_SECONDS))
