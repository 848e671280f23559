"""The camera side of the kiosk window: frames in, badges out, the preview and the camera's state.

    scanner = CameraScanner(window, service)      # after the service opened
    scanner.start(info.camera)                     # the remembered choice (or: start(file=video))
    ...
    scanner.stop()

One badge's path::

    QVideoSink.videoFrameChanged ─(the thread that delivers it)─▶ convert.capture(): the luminance copied
        ├─▶ BadgeReader.offer(): the one-slot mailbox (a newer frame replaces the waiting one)
        │      └─ decoder thread: FrameDecoder.decode → SeenFilter → on_badge ─▶ GUI thread
        │              └─▶ KioskWindow.camera_scan(payload) → scan(payload, Method.CAMERA): the wedge's path
        └─▶ the newest frame for the preview ─▶ GUI thread: CameraPreview.show_frame (one paint a screen refresh)

Nothing crosses threads as a Qt argument: like :mod:`ui.worker`, callables wait in a deque and one
parameterless queued signal tells the GUI thread to run them; the preview's frame is a slot that
holds the newest only, and is announced once until it is painted.

A code that is not a badge (a poster's QR code on the wall behind the queue) is passed on only when it
is held inside the guide frame: someone is showing it on purpose and is told it is not a badge.
"""
from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtMultimedia import QVideoFrame

from kiosk.camera import BadgeReader, DecodeResult, FrameDecoder
from kiosk.i18n import KioskError
from kiosk.people.payload import extract_badge
from ui.kiosk.camera.choice import CameraDialog
from ui.kiosk.camera.convert import Captured, capture
from ui.kiosk.camera.devices import CameraChoice, DeviceList
from ui.kiosk.camera.preview import CameraPreview
from ui.kiosk.camera.source import CameraState, OpenCamera, Permission, VideoSource, system_permission
from ui.messages import t
from ui.text import shown
from ui.worker import describe

if TYPE_CHECKING:
    from ui.kiosk.service import KioskService
    from ui.kiosk.window import KioskWindow

log = logging.getLogger("ikrar.camera")

#: What the idle page says for each state (none for a camera that works, or was switched off).
NOTES: dict[CameraState, str] = {
    CameraState.NO_CAMERA: "ui.camera_no_camera",
    CameraState.UNPLUGGED: "ui.camera_unplugged",
    CameraState.BUSY: "ui.camera_busy",
    CameraState.DENIED: "ui.camera_denied",
    CameraState.BAD_FILE: "ui.camera_bad_file",
}


class CameraScanner(QObject):
    """Badges from a camera (or a video file) into the kiosk window, alongside the wedge scanner."""
    stateChanged = Signal(str)               # CameraState
    badgeRead = Signal(str)                  # a new badge passed to the window (after the filters)
    _ready = Signal()

    def __init__(self, window: KioskWindow, service: KioskService, *, devices: DeviceList | None = None,
                 open_camera: OpenCamera | None = None, permission: Permission = system_permission,
                 decoder: FrameDecoder | None = None, max_fps: float | None = 15.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.service = service
        self.preview = CameraPreview()
        self.reader = BadgeReader(self._badge_read, on_decoded=self._decoded, decoder=decoder, max_fps=max_fps)
        self.preview.guide = self.reader.decoder.guide
        self.source = VideoSource(self._frame, devices=devices, open_camera=open_camera, permission=permission,
                                  parent=self)
        self.source.stateChanged.connect(self._state)
        self._posts: collections.deque[tuple[Callable[..., None], tuple[Any, ...]]] = collections.deque()
        self._ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._lock = threading.Lock()
        self._latest: Captured | None = None
        self._announced = False
        self.converted = 0                   # frames copied for the decoder
        self.convert_ms = 0.0
        self.shown = 0                       # frames handed to the preview
        self.passed: list[tuple[str, float]] = []     # (payload, perf_counter when handed to the window)
        window.idle_page.set_camera_view(self.preview)
        window.camera = self

    # --- GUI thread ----------------------------------------------------------------------------

    def start(self, setting: str | None = None, *, file: str | Path | None = None, loops: int = -1) -> None:
        """Start reading: the remembered camera choice (the setting's value), or a video file."""
        if not self.reader.running:
            self.reader.start()
        if file is not None:
            self.preview.mirror = False               # a recording is shown as it was filmed
            self.source.play_file(file, loops)
        else:
            self.source.use(CameraChoice.from_setting(setting))

    def stop(self) -> None:
        self.source.stop()
        self.reader.stop()
        self.preview.clear()

    @property
    def state(self) -> CameraState:
        return self.source.state

    def choose(self) -> None:
        """The staff menu's camera item: pick a camera (or none); the choice is remembered."""
        current = self.source.choice
        picked = CameraDialog.ask(self.source.cameras(), current, self.window,
                                  in_use=self.source.device if self.source.handle is not None else None)
        if picked is None:
            return
        self.use(picked)
        self.service.set_camera(picked.to_setting(), failure=self._not_remembered)

    def use(self, choice: CameraChoice) -> None:
        self.reader.reset()
        self.preview.mirror = True
        self.source.use(choice)

    def _not_remembered(self, exc: Exception) -> None:
        self.window.idle_page.say(t("ui.camera_not_saved", reason=describe(exc)))

    def _state(self, value: str) -> None:
        if CameraState(value) not in (CameraState.LIVE, CameraState.STARTING):
            self.preview.clear()
        self.retranslate()
        self.stateChanged.emit(value)

    def retranslate(self) -> None:
        """Show the camera's state on the idle page (again, in the language now chosen)."""
        state = self.source.state
        device = self.source.device
        name = (device.description or device.id[:40]) if device is not None else ""
        code = NOTES.get(state)
        note = t(code, name=f"“{shown(name, 60)}”" if name else "",
                 file=f"“{shown(self.source.file.name, 80)}”" if self.source.file else "") if code else ""
        self.window.idle_page.set_camera(state in (CameraState.LIVE, CameraState.STARTING), " ".join(note.split()))

    # --- any thread ----------------------------------------------------------------------------

    def _post(self, fn: Callable[..., None], *args: Any) -> None:
        self._posts.append((fn, args))
        self._ready.emit()

    def _deliver(self) -> None:
        while self._posts:
            fn, args = self._posts.popleft()
            try:
                fn(*args)
            except Exception:
                log.exception("camera: a callback on the GUI thread failed")

    def _frame(self, frame: QVideoFrame) -> None:
        """The thread that delivers frames: copy what is needed, hand it on, return."""
        started = time.perf_counter()
        captured = capture(frame)
        if captured is None:
            return
        self.reader.offer(captured.raw)
        self.converted += 1
        self.convert_ms += (time.perf_counter() - started) * 1000
        with self._lock:
            self._latest = captured
            announce, self._announced = not self._announced, True
        if announce:
            self._post(self._show_latest)

    def _decoded(self, result: DecodeResult | None) -> None:
        if result is not None:
            self._post(self.preview.mark, result.corners)

    def _badge_read(self, payload: str, result: DecodeResult) -> None:
        self._post(self._badge, payload, result)

    # --- GUI thread, posted ------------------------------------------------------------------------

    def _show_latest(self) -> None:
        with self._lock:
            captured, self._latest, self._announced = self._latest, None, False
        if captured is not None and self.source.handle is not None:
            self.shown += 1
            self.preview.show_frame(captured)

    def _badge(self, payload: str, result: DecodeResult) -> None:
        try:
            extract_badge(payload)
        except KioskError:
            if not self._inside_guide(result):
                log.debug("camera: a code that is not a badge, outside the guide frame: ignored")
                return
        if self.window.camera_scan(payload):
            self.passed.append((payload, time.perf_counter()))
            self.badgeRead.emit(payload)

    def _inside_guide(self, result: DecodeResult) -> bool:
        frame = self.preview.frame
        if frame is None:
            return True
        g = self.reader.decoder.guide
        x, y = result.centre
        return (g[0] * frame.raw.width <= x <= g[2] * frame.raw.width
                and g[1] * frame.raw.height <= y <= g[3] * frame.raw.height)
