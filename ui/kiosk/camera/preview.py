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
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.kiosk.camera.convert import Captured

GUIDE = (0.25, 0.17, 0.75, 0.83)          # as kiosk.camera.FrameDecoder's default guide
MARK_MS = 900
GREEN, WHITE, BACKGROUND = QColor("#3ddc84"), QColor(255, 255, 255, 230), QColor("#0e2a4a")

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
        self._mirror = True                     # a camera facing the queue: shown as in a looking glass
        self.frame: Captured | None = None
        self._picture: QImage | None = None      # the frame at the size it is painted, mirrored if need be
        self._overlays: dict[tuple, QPixmap] = {}
        self.painted = 0                        # frames painted (the figures: delivered vs shown)
        self.paint_ms = 0.0
        self._mark: tuple[tuple[Point, ...], float] | None = None
        self._unmark = QTimer(self)
        self._unmark.setSingleShot(True)
        self._unmark.timeout.connect(self._clear_mark)

    def sizeHint(self) -> QSize:
        return QSize(384, 216)

    @property
    def mirror(self) -> bool:
        return self._mirror

    @mirror.setter
    def mirror(self, on: bool) -> None:
        self._mirror = on
        if self.frame is not None:
            self.show_frame(self.frame)

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        if self.frame is not None:
            self.show_frame(self.frame)

    def show_frame(self, frame: Captured) -> None:
        """The newest frame: shrunk once to the size it is painted (a nearest-pixel pick, 0.4 ms for 720p
        grey here, where a smooth scale in every paint costs 2.4 ms), so painting is a plain copy."""
        self.frame = frame
        area = self._picture_rect().size().toSize() * self.devicePixelRatioF()
        picture = frame.preview.scaled(max(1, area.width()), max(1, area.height()),
                                       Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation)
        if self._mirrored():
            picture = picture.flipped(Qt.Orientation.Horizontal)
        picture.setDevicePixelRatio(self.devicePixelRatioF())
        self._picture = picture
        self.update()

    def clear(self) -> None:
        self.frame = self._picture = None
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
        return self._mirror != bool(self.frame is not None and self.frame.mirrored)

    def _geometry(self) -> tuple[QRectF, QRectF, float]:
        area = self._picture_rect()
        g = self.guide
        guide = QRectF(area.left() + g[0] * area.width(), area.top() + g[1] * area.height(),
                       (g[2] - g[0]) * area.width(), (g[3] - g[1]) * area.height())
        return area, guide, max(6.0, area.height() * 0.05)

    def _overlay(self, green: bool) -> QPixmap:
        """The frame around the picture (rounded corners, the dimmed border, the guide's corners), drawn
        once per size and colour: a paint is then two plain copies."""
        dpr = self.devicePixelRatioF()
        key = (self.width(), self.height(), dpr, green, self.frame is not None and
               (self.frame.raw.width, self.frame.raw.height))
        cached = self._overlays.get(key)
        if cached is not None:
            return cached
        pixmap = QPixmap(round(self.width() * dpr), round(self.height() * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        area, guide, radius = self._geometry()
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        whole, rounded = QPainterPath(), QPainterPath()
        whole.addRect(QRectF(self.rect()))
        rounded.addRoundedRect(area, radius, radius)
        p.fillPath(whole.subtracted(rounded), BACKGROUND)             # the picture's rounded corners
        inner = QPainterPath()
        inner.addRoundedRect(guide, radius, radius)
        p.fillPath(rounded.subtracted(inner), QColor(0, 0, 0, 110))   # dim what is outside the guide
        pen = QPen(GREEN if green else WHITE, max(2.0, area.height() * 0.016))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        arm = min(guide.width(), guide.height()) * 0.2
        for x, y, dx, dy in ((guide.left(), guide.top(), 1, 1), (guide.right(), guide.top(), -1, 1),
                             (guide.right(), guide.bottom(), -1, -1), (guide.left(), guide.bottom(), 1, -1)):
            p.drawLine(QPointF(x, y), QPointF(x + dx * arm, y))
            p.drawLine(QPointF(x, y), QPointF(x, y + dy * arm))
        p.setPen(QPen(QColor("#35557a"), 1))
        p.drawRoundedRect(area.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        p.end()
        if len(self._overlays) > 8:
            self._overlays.clear()
        self._overlays[key] = pixmap
        return pixmap

    def paintEvent(self, _event) -> None:
        started = time.perf_counter()
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        area, _guide, _radius = self._geometry()
        if self._picture is not None:
            p.drawImage(area.topLeft(), self._picture)
        else:
            p.fillRect(area, QColor("#071a30"))
        p.drawPixmap(0, 0, self._overlay(self._mark is not None))
        if self._mark is not None and self.frame is not None:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(GREEN, max(2.0, area.height() * 0.012)))
            p.drawPolygon(QPolygonF([self._to_widget(area, x, y) for x, y in self._mark[0]]))
        p.end()
        if self.frame is not None:
            self.painted += 1
        self.paint_ms += (time.perf_counter() - started) * 1000
