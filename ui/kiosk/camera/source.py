"""Where frames come from: a camera (``QCamera`` → ``QMediaCaptureSession`` → ``QVideoSink``) or a video
file standing in for one (``QMediaPlayer`` → ``QVideoSink``, for demos and tests): the same sink path.

:class:`VideoSource` keeps one of them running and says, as a :class:`CameraState`, how it goes:

* the organiser's choice is found among the connected cameras (:mod:`ui.kiosk.camera.devices`); none
  connected is ``no_camera``, the chosen one missing is ``unplugged``: both wait for a camera to be
  plugged in (``QMediaDevices.videoInputsChanged``, debounced 350 ms) and start it by themselves;
* a camera that fails to open is ``denied`` (the system refused: privacy settings) or ``busy`` (in use
  by another program, or not responding); both are tried again every few seconds;
* a camera that stops sending frames, or whose device disappears, is noticed within seconds.

Frames are handed to ``on_frame(frame)`` *in the thread that delivers them* (a direct connection:
some backends deliver camera frames on a thread of their own), so they never queue up in the GUI
thread's event loop; ``on_frame`` must be quick (see :mod:`ui.kiosk.camera.convert`).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCameraPermission, QCoreApplication, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QCamera, QCameraDevice, QMediaCaptureSession, QMediaPlayer, QVideoFrame, QVideoSink

from ui.kiosk.camera.devices import (
    CameraChoice,
    CameraDevice,
    ChoiceKind,
    DeviceList,
    SystemDevices,
    format_info,
    pick_format,
    resolve,
)

log = logging.getLogger("ikrar.camera")

RETRY_MS = 5000             # a busy or refused camera is tried again this often
FIRST_FRAME_MS = 8000       # a camera that opened but sends nothing this long is "busy"
STALL_MS = 4000             # a live camera that stops sending this long is checked
DEBOUNCE_MS = 350           # plugging a camera in fires several change signals
_DENIED_WORDS = ("denied", "permission", "not authorized", "unauthorized", "0x80070005", "privacy")


class CameraState(StrEnum):
    OFF = "off"                 # Tanpa kamera: the organiser chose the scanner alone
    STARTING = "starting"
    LIVE = "live"               # frames are arriving
    NO_CAMERA = "no_camera"     # no camera connected
    UNPLUGGED = "unplugged"     # the chosen camera is not connected (pulled out, or not yet plugged in)
    BUSY = "busy"               # it would not open, or sends nothing: another program has it
    DENIED = "denied"           # the system refused access (privacy settings)
    BAD_FILE = "bad_file"       # --camera-file: the video cannot be played


class Handle(QObject):
    """One running source with a sink of its own; ``failed(message)`` when it cannot go on."""
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sink = QVideoSink(self)

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class QtCamera(Handle):
    """A camera through Qt Multimedia, asked for the format nearest 1280×720 at 15 fps or more."""

    def __init__(self, device: QCameraDevice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.camera = QCamera(device, self)
        formats = list(device.videoFormats()) if not device.isNull() else []
        chosen = pick_format([format_info(f) for f in formats])
        if chosen is not None:
            self.camera.setCameraFormat(formats[chosen])
        self.session = QMediaCaptureSession(self)
        self.session.setCamera(self.camera)
        self.session.setVideoSink(self.sink)
        self.camera.errorOccurred.connect(lambda _error, message: self.failed.emit(message))

    def start(self) -> None:
        self.camera.start()
        if self.camera.error() != QCamera.Error.NoError:           # refused at once (no signal comes)
            message = self.camera.errorString()
            QTimer.singleShot(0, self, lambda: self.failed.emit(message))

    def stop(self) -> None:
        self.camera.stop()


class FilePlayer(Handle):
    """A video file standing in for the camera, played in real time, ``loops`` times (-1: for ever)."""

    def __init__(self, path: Path, loops: int = -1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.player = QMediaPlayer(self)
        self.player.setVideoSink(self.sink)
        self.player.setLoops(QMediaPlayer.Loops.Infinite if loops < 0 else max(1, loops))
        self.player.errorOccurred.connect(lambda _error, message: self.failed.emit(message or "error"))
        self.player.mediaStatusChanged.connect(self._status)

    def _status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.InvalidMedia:
            self.failed.emit("invalid media")

    def start(self) -> None:
        self.player.setSource(QUrl.fromLocalFile(str(self.path)))
        self.player.play()

    def stop(self) -> None:
        self.player.stop()


OpenCamera = Callable[[QCameraDevice, CameraDevice], Handle]
Permission = Callable[[], Qt.PermissionStatus]


def system_permission() -> Qt.PermissionStatus:
    app = QCoreApplication.instance()
    return app.checkPermission(QCameraPermission()) if app is not None else Qt.PermissionStatus.Granted


class VideoSource(QObject):
    """Keeps the chosen camera (or a file) running; ``stateChanged(CameraState)`` says how it goes."""
    stateChanged = Signal(str)
    _firstFrame = Signal()

    def __init__(self, on_frame: Callable[[QVideoFrame], None], *, devices: DeviceList | None = None,
                 open_camera: OpenCamera | None = None, permission: Permission = system_permission,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_frame = on_frame
        self.devices = devices or SystemDevices(self)
        self._open_camera = open_camera or (lambda qt_device, _camera: QtCamera(qt_device))
        self._permission = permission
        self.state = CameraState.OFF
        self.choice = CameraChoice(ChoiceKind.NONE)
        self.file: Path | None = None
        self.loops = -1
        self.device: CameraDevice | None = None         # the camera in use (or waited for)
        self.detail = ""                                # the backend's last error message (for the log)
        self.handle: Handle | None = None
        self.frames = 0                                 # frames delivered, all sources
        self._last_frame = 0.0
        self._awaiting_first = False
        self._asking = False                            # a permission request is open
        self._firstFrame.connect(self._on_first_frame, Qt.ConnectionType.QueuedConnection)
        self._retry = self._timer(RETRY_MS, self._apply)
        self._debounce = self._timer(DEBOUNCE_MS, self._devices_changed)
        self._watch = QTimer(self)
        self._watch.setInterval(1000)
        self._watch.timeout.connect(self._check_flow)
        self.devices.changed.connect(self._debounce.start)

    def _timer(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    # --- what to show --------------------------------------------------------------------------

    def use(self, choice: CameraChoice) -> None:
        """Switch to the organiser's choice of camera (or to none)."""
        self.file = None
        self.choice = choice
        self._apply()

    def play_file(self, path: str | Path, loops: int = -1) -> None:
        """A video file stands in for the camera (``ikrar kiosk --camera-file``)."""
        self.file, self.loops = Path(path), loops
        self._apply()

    def stop(self) -> None:
        self._retry.stop()
        self._debounce.stop()
        self._watch.stop()
        self._close()

    def cameras(self) -> list[CameraDevice]:
        return self.devices.cameras()

    # --- the state machine ---------------------------------------------------------------------

    def _set(self, state: CameraState) -> None:
        if state != self.state:
            log.info("camera: %s%s", state, f" ({self.detail})" if self.detail and state != CameraState.LIVE else "")
            self.state = state
            self.stateChanged.emit(str(state))

    def _apply(self) -> None:
        self._retry.stop()
        self._close()
        if self.file is not None:
            self.device = None
            self._start(FilePlayer(self.file, self.loops))
            return
        if self.choice.kind == ChoiceKind.NONE:
            self.device = None
            self._set(CameraState.OFF)
            return
        cameras = self.devices.cameras()
        found = resolve(self.choice, cameras)
        if found is None:
            self.device = (CameraDevice(self.choice.id, self.choice.description)
                           if self.choice.kind == ChoiceKind.DEVICE else None)
            self._set(CameraState.UNPLUGGED if self.choice.kind == ChoiceKind.DEVICE else CameraState.NO_CAMERA)
            return
        self.device = found
        permission = self._permission()
        if permission == Qt.PermissionStatus.Denied:
            self.detail = "permission denied"
            self._set(CameraState.DENIED)
            self._retry.start()
            return
        if permission == Qt.PermissionStatus.Undetermined:
            self._ask_permission()
            return
        self._start(self._open_camera(self.devices.qt_device(found), found))

    def _ask_permission(self) -> None:
        app = QCoreApplication.instance()
        if self._asking or app is None:
            return
        self._asking = True

        def answered(_permission: object) -> None:
            self._asking = False
            self._apply()
        app.requestPermission(QCameraPermission(), self, answered)

    def _start(self, handle: Handle) -> None:
        handle.setParent(self)
        self.handle = handle
        handle.failed.connect(lambda message, h=handle: self._failed(h, message))
        handle.sink.videoFrameChanged.connect(lambda frame, h=handle: self._frame(h, frame),
                                              Qt.ConnectionType.DirectConnection)
        self._awaiting_first = True
        self._last_frame = time.monotonic()
        if self.state not in (CameraState.BUSY, CameraState.DENIED):    # a retry keeps its message until it works
            self._set(CameraState.STARTING)
        handle.start()
        self._watch.start()

    def _close(self) -> None:
        handle, self.handle = self.handle, None
        self._awaiting_first = False
        if handle is not None:
            try:
                handle.sink.videoFrameChanged.disconnect()
                handle.failed.disconnect()
                handle.stop()
            finally:
                handle.deleteLater()

    def _frame(self, handle: Handle, frame: QVideoFrame) -> None:
        """Any thread: the sink has a frame."""
        if handle is not self.handle:
            return                                        # a source being replaced
        self.frames += 1
        self._last_frame = time.monotonic()
        if self._awaiting_first:
            self._awaiting_first = False
            self._firstFrame.emit()
        self.on_frame(frame)

    def _on_first_frame(self) -> None:
        if self.handle is not None:
            self.detail = ""
            self._set(CameraState.LIVE)

    def _failed(self, handle: Handle, message: str) -> None:
        if handle is not self.handle:
            return
        self.detail = message
        self._close()
        self._watch.stop()
        if self.file is not None:
            self._set(CameraState.BAD_FILE)
            return
        if resolve(self.choice, self.devices.cameras()) is None:
            self._set(CameraState.UNPLUGGED if self.choice.kind == ChoiceKind.DEVICE else CameraState.NO_CAMERA)
            return                                        # waits for videoInputsChanged
        lowered = message.lower()
        self._set(CameraState.DENIED if any(w in lowered for w in _DENIED_WORDS) else CameraState.BUSY)
        self._retry.start()

    def _check_flow(self) -> None:
        """Once a second: a camera that never started, or stopped sending, is treated as failed."""
        if self.handle is None or self.file is not None:
            return
        quiet = (time.monotonic() - self._last_frame) * 1000
        if self.state != CameraState.LIVE and self._awaiting_first and quiet >= FIRST_FRAME_MS:
            self._failed(self.handle, "no frames")
        elif self.state == CameraState.LIVE and quiet >= STALL_MS:
            self._failed(self.handle, "stopped sending frames")

    def _devices_changed(self) -> None:
        """A camera was plugged in or out (debounced)."""
        if self.file is not None or self.choice.kind == ChoiceKind.NONE:
            return
        cameras = self.devices.cameras()
        if self.handle is not None:
            if self.device is not None and all(c.id != self.device.id for c in cameras):
                self.detail = "unplugged"                 # the camera in use was pulled out
                self._close()
                self._watch.stop()
                if self.choice.kind == ChoiceKind.DEFAULT and cameras:
                    self._apply()                         # never chosen: whichever camera is there now
                else:
                    self._set(CameraState.UNPLUGGED)
            return
        found = resolve(self.choice, cameras)
        if found is not None and self.state in (CameraState.NO_CAMERA, CameraState.UNPLUGGED):
            self._apply()                                 # it is back, or a first camera arrived
        elif found is None and self.state in (CameraState.BUSY, CameraState.DENIED):
            self._retry.stop()                            # no point trying a camera that is gone
            self._set(CameraState.UNPLUGGED if self.device is not None else CameraState.NO_CAMERA)
