"""Which cameras there are, which one the organiser chose, and the format to ask it for.

The choice is remembered in the setting ``kiosk.camera``: empty (never chosen: the system's default
camera), ``none`` (*Tanpa kamera*: the scanner alone), or the chosen camera's id and description as
JSON.  A camera is found again by its id, else by its description (Windows names a USB camera by the
port it is plugged into, so the same webcam in another port has another id).  A chosen camera that
is not connected is *waited for*, never silently replaced by another one: a laptop's own camera
looks at the organiser, not at the queue.

:class:`DeviceList` is what the camera source asks; :class:`SystemDevices` answers from
``QMediaDevices`` and says when a camera is plugged in or out (``videoInputsChanged``); tests give
a list of their own.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, Signal
from PySide6.QtMultimedia import QCameraDevice, QCameraFormat, QMediaDevices, QVideoFrameFormat

#: The decoder is tuned for 1280×720; a camera is asked for the format nearest to it.
WANTED = (1280, 720)
MIN_FPS = 15.0


@dataclass(frozen=True, slots=True)
class CameraDevice:
    id: str
    description: str
    is_default: bool = False


class ChoiceKind(StrEnum):
    DEFAULT = "default"            # never chosen: the system's default camera
    NONE = "none"                  # Tanpa kamera
    DEVICE = "device"


@dataclass(frozen=True, slots=True)
class CameraChoice:
    kind: ChoiceKind = ChoiceKind.DEFAULT
    id: str = ""
    description: str = ""

    @classmethod
    def device(cls, camera: CameraDevice) -> CameraChoice:
        return cls(ChoiceKind.DEVICE, camera.id, camera.description)

    @classmethod
    def from_setting(cls, text: str | None) -> CameraChoice:
        """The setting's value; anything unreadable counts as never chosen."""
        text = (text or "").strip()
        if text == ChoiceKind.NONE:
            return cls(ChoiceKind.NONE)
        if not text:
            return cls()
        try:
            value = json.loads(text)
            return cls(ChoiceKind.DEVICE, str(value["id"]), str(value.get("description", "")))
        except (ValueError, TypeError, KeyError):
            return cls()

    def to_setting(self) -> str:
        if self.kind == ChoiceKind.NONE:
            return str(ChoiceKind.NONE)
        if self.kind == ChoiceKind.DEFAULT:
            return ""
        return json.dumps({"id": self.id, "description": self.description}, ensure_ascii=False)


def resolve(choice: CameraChoice, cameras: Sequence[CameraDevice]) -> CameraDevice | None:
    """The connected camera ``choice`` names (None: the choice is none, or its camera is not connected)."""
    if choice.kind == ChoiceKind.NONE or not cameras:
        return None
    if choice.kind == ChoiceKind.DEFAULT:
        return next((c for c in cameras if c.is_default), cameras[0])
    return (next((c for c in cameras if c.id == choice.id), None)
            or next((c for c in cameras if choice.description and c.description == choice.description), None))


@dataclass(frozen=True, slots=True)
class FormatInfo:
    width: int
    height: int
    max_fps: float
    compressed: bool               # MJPEG: each frame is decoded to an image first (dearer)


def pick_format(formats: Sequence[FormatInfo]) -> int | None:
    """The index of the format to ask for: at least 15 fps if any has it; 1280×720 or the nearest size above
    it (a far badge needs the pixels), else the largest below; uncompressed before MJPEG; the higher rate."""
    if not formats:
        return None
    fast = [i for i, f in enumerate(formats) if f.max_fps >= MIN_FPS] or list(range(len(formats)))

    def cost(i: int) -> tuple[bool, int, bool, float]:
        f = formats[i]
        area, wanted = f.width * f.height, WANTED[0] * WANTED[1]
        return (area < wanted, abs(area - wanted), f.compressed, -min(f.max_fps, 30.0))
    return min(fast, key=cost)


def format_info(fmt: QCameraFormat) -> FormatInfo:
    size = fmt.resolution()
    return FormatInfo(size.width(), size.height(), fmt.maxFrameRate(),
                      fmt.pixelFormat() == QVideoFrameFormat.PixelFormat.Format_Jpeg)


class DeviceList(QObject):
    """The cameras connected; ``changed`` when one is plugged in or out."""
    changed = Signal()

    def cameras(self) -> list[CameraDevice]:
        raise NotImplementedError

    def qt_device(self, camera: CameraDevice) -> QCameraDevice:
        """The Qt device for ``camera`` (a null device when it is gone: opening it then fails)."""
        return QCameraDevice()


class SystemDevices(DeviceList):
    """The system's cameras, through ``QMediaDevices``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._media = QMediaDevices(self)
        self._media.videoInputsChanged.connect(self.changed)

    def cameras(self) -> list[CameraDevice]:
        return [CameraDevice(_id(d), d.description(), d.isDefault()) for d in QMediaDevices.videoInputs()]

    def qt_device(self, camera: CameraDevice) -> QCameraDevice:
        return next((d for d in QMediaDevices.videoInputs() if _id(d) == camera.id), QCameraDevice())


def _id(device: QCameraDevice) -> str:
    return bytes(device.id().data()).decode("utf-8", "replace")
