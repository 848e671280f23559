"""A ``QVideoFrame`` as the decoder takes it (:class:`~kiosk.camera.RawFrame`) and as the preview paints it.

The frame is mapped and only its luminance plane copied: for the YUV formats cameras deliver
(NV12, YUV420P, YUV422P, YV12, IMC1–4, Y8) plane 0 *is* the grey image, so a 1280×720 frame costs
one 0.9 MB copy (about 0.15 ms here) and no colour conversion at all.  Packed YUYV/UYVY (USB webcams
without MJPEG) and 16-bit formats give up their luminance bytes with one slice; 32-bit RGB frames
are handed over as they are (the decoder turns them grey on its own thread).  Anything else — MJPEG
frames, frames in GPU memory, alpha-first byte orders — goes through ``QVideoFrame.toImage()``,
which costs about 5 ms a 720p frame here: measured, it is 30 times dearer than the luminance copy,
so it is the fallback and never the rule.

The preview is a ``QImage`` over the same bytes (grey for YUV frames, colour for RGB ones): no
second copy.  The copy is made before the frame is unmapped, so the decoder's thread never touches
a ``QVideoFrame`` and the camera may reuse its buffer at once.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

from kiosk.camera import PixelFormat, RawFrame

P = QVideoFrameFormat.PixelFormat

#: Formats whose plane 0 is 8-bit luminance, one byte a pixel.
LUMA_PLANE = frozenset({P.Format_YUV420P, P.Format_YUV422P, P.Format_YV12, P.Format_NV12, P.Format_NV21,
                        P.Format_IMC1, P.Format_IMC2, P.Format_IMC3, P.Format_IMC4, P.Format_Y8})
#: Packed formats: (offset of the first luminance byte, bytes from one pixel's luminance to the next).
LUMA_SLICE = {P.Format_YUYV: (0, 2), P.Format_UYVY: (1, 2), P.Format_AYUV: (1, 4),
              P.Format_AYUV_Premultiplied: (1, 4), P.Format_Y16: (1, 2), P.Format_P010: (1, 2),
              P.Format_P016: (1, 2)}
#: 32-bit RGB byte orders the decoder takes as they are, and how a QImage reads the same bytes.
RGB = {P.Format_BGRA8888: (PixelFormat.BGRA, QImage.Format.Format_ARGB32),
       P.Format_BGRA8888_Premultiplied: (PixelFormat.BGRA, QImage.Format.Format_ARGB32_Premultiplied),
       P.Format_BGRX8888: (PixelFormat.BGRX, QImage.Format.Format_RGB32),
       P.Format_RGBA8888: (PixelFormat.RGBA, QImage.Format.Format_RGBA8888),
       P.Format_RGBX8888: (PixelFormat.RGBX, QImage.Format.Format_RGBX8888)}


@dataclass(frozen=True, slots=True)
class Captured:
    """One camera frame, copied: ``raw`` for the decoder, ``preview`` (over the same bytes) for the screen.

    ``mirrored`` is what the camera says of its own frames; ``arrived`` is ``time.perf_counter()``
    when the frame reached the sink, ``start_us`` the frame's own time stamp (µs; -1 when unknown).
    """
    raw: RawFrame
    preview: QImage
    mirrored: bool
    arrived: float
    start_us: int
    fallback: bool                         # went through toImage()


def capture(frame: QVideoFrame) -> Captured | None:
    """Copy what the decoder and the preview need out of ``frame``; None for an empty or unreadable frame."""
    arrived = time.perf_counter()
    if not frame.isValid() or frame.width() <= 0 or frame.height() <= 0:
        return None
    fmt = frame.pixelFormat()
    mirrored = bool(frame.mirrored()) if hasattr(frame, "mirrored") else False
    start = int(frame.startTime())
    if fmt in LUMA_PLANE or fmt in LUMA_SLICE or fmt in RGB:
        copy = QVideoFrame(frame)                # a handle of our own to map (the sink keeps its own)
        if copy.map(QVideoFrame.MapMode.ReadOnly):
            try:
                raw, preview = _copy(copy, fmt)
            finally:
                copy.unmap()
            return Captured(raw, preview, mirrored, arrived, start, False)
    return _via_image(frame, mirrored, arrived, start)


def _copy(frame: QVideoFrame, fmt: P) -> tuple[RawFrame, QImage]:
    w, h, stride = frame.width(), frame.height(), frame.bytesPerLine(0)
    bits = frame.bits(0)
    if fmt in LUMA_PLANE:
        data = bytes(bits[:stride * (h - 1) + w])
        return RawFrame(data, w, h, stride), _image(data, w, h, stride, QImage.Format.Format_Grayscale8)
    if fmt in LUMA_SLICE:
        first, step = LUMA_SLICE[fmt]
        if stride == w * step:
            data = bytes(bits[first:first + w * h * step:step])
        else:
            data = b"".join(bytes(bits[y * stride + first:y * stride + w * step:step]) for y in range(h))
        return RawFrame(data, w, h), _image(data, w, h, w, QImage.Format.Format_Grayscale8)
    pixel, image_format = RGB[fmt]
    data = bytes(bits[:stride * (h - 1) + 4 * w])
    return RawFrame(data, w, h, stride, pixel), _image(data, w, h, stride, image_format)


def _via_image(frame: QVideoFrame, mirrored: bool, arrived: float, start: int) -> Captured | None:
    image = frame.toImage()
    if image.isNull():
        return None
    if image.format() not in (QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32):
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(image.constBits())
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    preview = _image(data, w, h, stride, QImage.Format.Format_RGB32)
    return Captured(RawFrame(data, w, h, stride, PixelFormat.BGRX), preview, mirrored, arrived, start, True)


def _image(data: bytes, w: int, h: int, stride: int, fmt: QImage.Format) -> QImage:
    """A QImage over ``data`` (no copy); the :class:`Captured` holding both keeps the bytes alive."""
    return QImage(data, w, h, stride, fmt)
