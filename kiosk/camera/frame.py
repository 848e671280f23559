"""Camera frames as the decoder takes them: raw bytes with a size and stride, or a PIL image.

A Qt adapter hands the luminance plane of a ``QVideoFrame`` (NV12, YUV420P, …: plane 0 is
grayscale) or a ``QImage`` converted to ``Format_Grayscale8`` as ``RawFrame(bits, w, h, stride)``:
no copy is made.  Packed YUYV/UYVY frames (many USB webcams) give up their luminance bytes with one
slice (about 1.5 ms for 1280×720); RGB and BGR(A/X) bytes are converted to gray once (about 2 ms).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

import zxingcpp
from PIL import Image

Buffer = bytes | bytearray | memoryview


class PixelFormat(StrEnum):
    """Byte layout of one pixel in a :class:`RawFrame`."""
    GRAY = "gray"       # 1 byte: luminance (the Y plane of a YUV frame, QImage.Format_Grayscale8)
    RGB = "rgb"         # QImage.Format_RGB888
    BGR = "bgr"         # OpenCV's default
    RGBA = "rgba"       # QImage.Format_RGBA8888; the alpha byte is ignored
    RGBX = "rgbx"       # QImage.Format_RGBX8888
    BGRA = "bgra"       # QImage.Format_ARGB32 / Format_RGB32 in memory on little-endian machines
    BGRX = "bgrx"
    YUYV = "yuyv"       # packed 4:2:2, Y first (QVideoFrameFormat.Format_YUYV): luminance at even bytes
    UYVY = "uyvy"       # packed 4:2:2, U first (Format_UYVY): luminance at odd bytes


_BYTES = {PixelFormat.GRAY: 1, PixelFormat.RGB: 3, PixelFormat.BGR: 3, PixelFormat.RGBA: 4,
          PixelFormat.RGBX: 4, PixelFormat.BGRA: 4, PixelFormat.BGRX: 4, PixelFormat.YUYV: 2,
          PixelFormat.UYVY: 2}
_RAWMODE = {PixelFormat.RGB: "RGB", PixelFormat.BGR: "BGR", PixelFormat.RGBA: "RGBX",
            PixelFormat.RGBX: "RGBX", PixelFormat.BGRA: "BGRX", PixelFormat.BGRX: "BGRX"}


@dataclass(frozen=True, slots=True)
class RawFrame:
    """Pixels as bytes: ``stride`` is the number of bytes from one row to the next (0: packed rows).

    The decoder reads ``data`` during :meth:`FrameDecoder.decode` only and never keeps it, so a
    mapped ``QVideoFrame`` may be unmapped as soon as ``decode`` returns.
    """
    data: Buffer
    width: int
    height: int
    stride: int = 0
    format: PixelFormat = PixelFormat.GRAY

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"frame size {self.width}×{self.height} is empty")
        row = self.width * _BYTES[PixelFormat(self.format)]
        if self.stride and self.stride < row:
            raise ValueError(f"stride {self.stride} is shorter than a row of {row} bytes")
        need = self.row_bytes * (self.height - 1) + row
        if memoryview(self.data).nbytes < need:
            raise ValueError(f"{memoryview(self.data).nbytes} bytes cannot hold a {self.width}×{self.height} "
                             f"{self.format} frame with stride {self.row_bytes} ({need} needed)")

    @property
    def row_bytes(self) -> int:
        return self.stride or self.width * _BYTES[PixelFormat(self.format)]


Frame = RawFrame | Image.Image


def _buffer(data: Buffer) -> Any:
    """``data`` for APIs typed for arrays that take any buffer at run time (zxing-cpp, PIL.frombuffer)."""
    return cast(Any, data)


Box = tuple[int, int, int, int]          # x0, y0, x1, y1 in frame pixels, x1 and y1 exclusive


class Gray:
    """A grayscale frame that hands out regions as zxing-cpp views (no copy) or PIL crops."""

    __slots__ = ("_buf", "_pil", "_stride", "height", "width")

    def __init__(self, frame: Frame) -> None:
        if isinstance(frame, Image.Image):
            img = frame if frame.mode == "L" else frame.convert("L")
            self._buf: Buffer = img.tobytes()
            self._stride = img.width
            self.width, self.height = img.size
        elif isinstance(frame, RawFrame):
            self.width, self.height = frame.width, frame.height
            fmt = PixelFormat(frame.format)
            if fmt is PixelFormat.GRAY:
                self._buf, self._stride = memoryview(frame.data).cast("B"), frame.row_bytes
            elif fmt in (PixelFormat.YUYV, PixelFormat.UYVY):
                self._buf, self._stride = _luma(frame, 0 if fmt is PixelFormat.YUYV else 1), frame.width
            else:
                rgb = Image.frombuffer("RGB", (frame.width, frame.height), _buffer(frame.data), "raw", _RAWMODE[fmt],
                                       frame.row_bytes, 1)
                self._buf, self._stride = rgb.convert("L").tobytes(), frame.width
        else:
            raise TypeError(f"a camera frame is a RawFrame or a PIL image, not {type(frame).__name__}")
        self._pil: Image.Image | None = None

    @property
    def full(self) -> Box:
        return (0, 0, self.width, self.height)

    def view(self, box: Box) -> zxingcpp.ImageView:
        """The region as a zxing-cpp image: a window on the same bytes."""
        x0, y0, x1, y1 = box
        start = y0 * self._stride + x0
        return zxingcpp.ImageView(_buffer(memoryview(self._buf)[start:]), x1 - x0, y1 - y0, zxingcpp.ImageFormat.Lum,
                                  self._stride)

    def crop(self, box: Box) -> Image.Image:
        """The region as a PIL image of its own (mode ``L``), for filters that write new pixels."""
        if self._pil is None:
            self._pil = Image.frombuffer("L", (self.width, self.height), _buffer(self._buf), "raw", "L",
                                         self._stride, 1)
        return self._pil.crop(box)

    def clamp(self, box: tuple[float, float, float, float]) -> Box | None:
        """``box`` rounded and cut to the frame; None when too small to hold a code."""
        x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
        x1, y1 = min(self.width, int(box[2] + 0.999)), min(self.height, int(box[3] + 0.999))
        return (x0, y0, x1, y1) if x1 - x0 >= 21 and y1 - y0 >= 21 else None


def _luma(frame: RawFrame, first: int) -> bytes:
    """Every other byte of a packed 4:2:2 frame, starting at ``first``: its luminance, packed."""
    data = frame.data if isinstance(frame.data, (bytes, bytearray)) else memoryview(frame.data).tobytes()
    w, stride = frame.width, frame.row_bytes
    if stride == 2 * w:
        return bytes(data[first:first + 2 * w * frame.height:2])
    return b"".join(data[y * stride + first:y * stride + 2 * w:2] for y in range(frame.height))


def image_view(img: Image.Image) -> tuple[zxingcpp.ImageView, bytes]:
    """A PIL ``L`` image as a zxing-cpp view; keep the returned bytes alive while the view is read."""
    data = img.tobytes()
    view = zxingcpp.ImageView(_buffer(memoryview(data)), img.width, img.height, zxingcpp.ImageFormat.Lum, img.width)
    return view, data
