"""Stand-ins for the camera hardware in the Qt camera tests: a device list that can be plugged and
unplugged, a camera that pushes frames into its real ``QVideoSink``, and frames built by hand in
the formats webcams deliver."""
from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

from ui.kiosk.camera.devices import CameraDevice, DeviceList
from ui.kiosk.camera.source import Handle

P = QVideoFrameFormat.PixelFormat
WEBCAM = CameraDevice("usb-0c45-6366", "HD Webcam C270", True)
LAPTOP = CameraDevice("pci-integrated", "Integrated Camera", False)


class FakeDevices(DeviceList):
    def __init__(self, cameras=()) -> None:
        super().__init__()
        self.list = list(cameras)

    def cameras(self):
        return list(self.list)

    def plug(self, *cameras: CameraDevice) -> None:
        self.list = list(cameras)
        self.changed.emit()
        self.changed.emit()                       # the system says it twice, as Windows does: debounced


class FakeCamera(Handle):
    """A camera that opened: frames come when the test pushes them (through the real sink)."""

    def __init__(self, device: CameraDevice) -> None:
        super().__init__()
        self.device = device
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True

    def push(self, frame: QVideoFrame) -> None:
        self.sink.setVideoFrame(frame)

    def fail(self, message: str) -> None:
        self.failed.emit(message)


class Opener:
    """The camera factory for VideoSource: records each camera it opens."""

    def __init__(self) -> None:
        self.opened: list[FakeCamera] = []

    def __call__(self, qt_device, camera: CameraDevice) -> FakeCamera:
        cam = FakeCamera(camera)
        self.opened.append(cam)
        return cam

    @property
    def last(self) -> FakeCamera:
        return self.opened[-1]


def video_frame(image: Image.Image, fmt: P = P.Format_YUV420P, *, start_us: int = 0) -> QVideoFrame:
    """``image`` as a camera frame: its grey as the luminance (chroma flat), or its colour for RGB formats."""
    g = image.convert("L")
    w, h = g.size
    frame = QVideoFrame(QVideoFrameFormat(QSize(w, h), fmt))
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    try:
        luma = g.tobytes()
        if fmt in (P.Format_YUYV, P.Format_UYVY):
            stride = frame.bytesPerLine(0)
            bits = frame.bits(0)
            first = 0 if fmt == P.Format_YUYV else 1
            row = bytearray(b"\x80" * (2 * w))
            for y in range(h):
                row[first::2] = luma[y * w:(y + 1) * w]
                bits[y * stride:y * stride + 2 * w] = row
        elif fmt in (P.Format_BGRA8888, P.Format_BGRX8888, P.Format_RGBA8888, P.Format_RGBX8888,
                     P.Format_ARGB8888, P.Format_XRGB8888):
            rgb = image.convert("RGB")
            mode = {P.Format_BGRA8888: "BGRA", P.Format_BGRX8888: "BGRX", P.Format_RGBA8888: "RGBA",
                    P.Format_RGBX8888: "RGBX", P.Format_ARGB8888: "ARGB", P.Format_XRGB8888: "XRGB"}[fmt]
            data = _packed(rgb, mode)
            stride = frame.bytesPerLine(0)
            bits = frame.bits(0)
            for y in range(h):
                bits[y * stride:y * stride + 4 * w] = data[y * 4 * w:(y + 1) * 4 * w]
        else:
            stride = frame.bytesPerLine(0)
            bits = frame.bits(0)
            for y in range(h):
                bits[y * stride:y * stride + w] = luma[y * w:(y + 1) * w]
            for plane in range(1, frame.planeCount()):
                chroma = frame.bits(plane)
                chroma[:] = b"\x80" * len(chroma)
    finally:
        frame.unmap()
    frame.setStartTime(start_us)
    return frame


def _packed(rgb: Image.Image, mode: str) -> bytes:
    r, g, b = rgb.split()
    a = Image.new("L", rgb.size, 255)
    bands = {"R": r, "G": g, "B": b, "A": a, "X": a}
    return Image.merge("RGBA", [bands[c] for c in mode]).tobytes()
