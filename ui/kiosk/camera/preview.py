"""The camera's live picture on the idle page, with the guide frame the decoder looks into first.

A small 16:9 view, mirrored like a looking glass for a camera facing the queue (a person moves the
badge the way they see it move), darkened outside the guide frame, whose corners turn green and
outline the code for a moment when one is read.  It paints the newest frame only: frames arriving
faster than the screen repaints are simply replaced (``update()`` coalesces), so it never falls
behind.  The picture is grey for YUV cameras (their luminance plane, already copied for the decoder:
no colour conversion on the GUI thread) and in colour for RGB ones.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.kiosk.camera.convert import Captured

GUIDE = (0.25, 0.17, 0.75, 0.83)          # as kiosk.camera.FrameDecoder's default guide
MARK_MS = 900
GREEN, WHITE = QColor("#3ddc84"), QColor(255, 255, 255, 230)

Point = tuple[float, float]


class CameraPreview(QWidget):
    def __init__(self, parent: QWidget | None = None, *, guide: tuple[float, float, float, float] = GUIDE) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.guide = guide
        self.mirror = True                      # a camera facing the queue: shown as in a looking glass
        self.frame: Captured | None = None
        self.painted = 0                        # frames painted (the figures: delivered vs shown)
        self.paint_ms = 0.0
        self._mark: tuple[tuple[Point, ...], float] | None = None
        self._unmark = QTimer(self)
        self._unmark.setSingleShot(True)
        self._unmark.timeout.connect(self._clear_mark)

    def sizeHint(self) -> QSize:
        return QSize(384, 216)

    def show_frame(self, frame: Captured) -> None:
        self.frame = frame
        self.update()

    def clear(self) -> None:
        self.frame = None
        self._clear_mark()
        self.update()

    def mark(self, corners: tuple[Point, ...]) -> None:
        """A code was read here (frame pixels): outline it and turn the guide green for a moment."""
        self._mark = (corners, time.monotonic())
        self._unmark.start(MARK_MS)
        self.update()

    @property
    def marked(self) -> bool:
        return self._mark is not None

    def _clear_mark(self) -> None:
        self._mark = None
        self.update()

    # --- painting ------------------------------------------------------------------------------

    def _picture_rect(self) -> QRectF:
        """Where the frame goes: as large as fits, centred, at the frame's own aspect ratio."""
        w, h = self.width(), self.height()
        fw, fh = (self.frame.raw.width, self.frame.raw.height) if self.frame else (16, 9)
        k = min(w / fw, h / fh)
        return QRectF((w - fw * k) / 2, (h - fh * k) / 2, fw * k, fh * k)

    def _to_widget(self, area: QRectF, x: float, y: float) -> QPointF:
        fw, fh = (self.frame.raw.width, self.frame.raw.height) if self.frame else (1, 1)
        u, v = x / fw, y / fh
        if self._mirrored():
            u = 1 - u
        return QPointF(area.left() + u * area.width(), area.top() + v * area.height())

    def _mirrored(self) -> bool:
        return self.mirror != bool(self.frame is not None and self.frame.mirrored)

    def paintEvent(self, _event) -> None:
        started = time.perf_counter()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.fillRect(self.rect(), QColor("#0e2a4a"))
        area = self._picture_rect()
        radius = max(6.0, area.height() * 0.05)
        clip = QPainterPath()
        clip.addRoundedRect(area, radius, radius)
        p.setClipPath(clip)
        p.fillRect(area, QColor("#071a30"))
        if self.frame is not None:
            p.save()
            if self._mirrored():
                p.translate(area.left() + area.right(), 0)
                p.scale(-1, 1)
            p.drawImage(area, self.frame.preview)
            p.restore()
        g = self.guide
        guide = QRectF(area.left() + g[0] * area.width(), area.top() + g[1] * area.height(),
                       (g[2] - g[0]) * area.width(), (g[3] - g[1]) * area.height())
        outside = QPainterPath()
        outside.addRect(area)
        inner = QPainterPath()
        inner.addRoundedRect(guide, radius, radius)
        p.fillPath(outside.subtracted(inner), QColor(0, 0, 0, 110))
        p.setClipping(False)
        colour = GREEN if self._mark is not None else WHITE
        pen = QPen(colour, max(2.0, area.height() * 0.016))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        arm = min(guide.width(), guide.height()) * 0.2
        for x, y, dx, dy in ((guide.left(), guide.top(), 1, 1), (guide.right(), guide.top(), -1, 1),
                             (guide.right(), guide.bottom(), -1, -1), (guide.left(), guide.bottom(), 1, -1)):
            p.drawLine(QPointF(x, y), QPointF(x + dx * arm, y))
            p.drawLine(QPointF(x, y), QPointF(x, y + dy * arm))
        if self._mark is not None and self.frame is not None:
            p.setPen(QPen(GREEN, max(2.0, area.height() * 0.012)))
            p.drawPolygon(QPolygonF([self._to_widget(area, x, y) for x, y in self._mark[0]]))
        p.setPen(QPen(QColor("#35557a"), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(area.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        p.end()
        if self.frame is not None:
            self.painted += 1
        self.paint_ms += (time.perf_counter() - started) * 1000
