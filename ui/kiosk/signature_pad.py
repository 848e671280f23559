"""The signature pad: pen, touch and mouse, smooth width-varying ink, every sample kept.

Input rules (see ANCHORS.md, "Qt input pitfalls"):
* tablet events are accepted, so Qt does not synthesise mouse events from them,
  and they carry real pressure;
* touch needs ``WA_AcceptTouchEvents`` and the TouchBegin must be accepted;
* mouse events Qt or the OS synthesised from touch or pen are ignored, and a
  mouse stroke cannot start while a pen or finger stroke is under way — so one
  gesture never draws twice.

Ink is drawn incrementally into a high-DPI backing image with the core's
:class:`kiosk.ceremony.ink.InkModel`, the same model that renders the stored PNG.  The first
stroke on an empty pad repaints the whole pad, so the "sign here" hint goes at once rather than
staying half-erased around the ink (each later stroke repaints only its own rectangle).
"""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ceremony.ink import InkModel
from kiosk.ceremony.signature import Sample, Signature

INK = QColor(20, 30, 90)
PAPER = QColor(255, 255, 255)
GUIDE = QColor(170, 180, 200)


class SignaturePad(QWidget):
    inkChanged = Signal(bool)          # has ink
    strokeFinished = Signal()
    touched = Signal()                 # a pen, finger or mouse went down on the pad (the page's clock restarts)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 160)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.hint = ""
        self._strokes: list[list[Sample]] = []
        self._pressure_real = False
        self._source: str | None = None          # "tablet", "touch" or "mouse" while a stroke is drawn
        self._touch_id: int | None = None
        self._model: InkModel | None = None
        self._clock = QElapsedTimer()
        self._clock.start()
        self._t0: float | None = None            # event timestamp of t = 0, set by the first event
        self._image = QImage()

    # --- public -------------------------------------------------------------------------------

    def has_ink(self) -> bool:
        return any(self._strokes)

    @property
    def strokes(self) -> list[list[Sample]]:
        return self._strokes

    def signature(self) -> Signature:
        return Signature(width=max(1, self.width()), height=max(1, self.height()),
                         strokes=tuple(tuple(s) for s in self._strokes if s), pressure_real=self._pressure_real)

    def clear(self) -> None:
        self._strokes.clear()
        self._pressure_real = False
        self._source = self._touch_id = self._model = None
        self._clock.restart()
        self._t0 = None
        self._redraw()
        self.inkChanged.emit(False)

    def undo(self) -> None:
        if self._strokes:
            self._strokes.pop()
            self._source = self._model = None
            self._redraw()
            self.inkChanged.emit(self.has_ink())

    # --- input --------------------------------------------------------------------------------

    def tabletEvent(self, e) -> None:
        t = e.type()
        pos = e.position()
        if t == QEvent.Type.TabletPress and self._source is None:
            self._pressure_real = True
            self._begin("tablet", pos, e.pressure(), e.timestamp())
        elif t == QEvent.Type.TabletMove and self._source == "tablet":
            self._add(pos, e.pressure(), e.timestamp())
        elif t == QEvent.Type.TabletRelease and self._source == "tablet":
            self._end()
        e.accept()

    def event(self, e: QEvent) -> bool:
        t = e.type()
        if t in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            self._touch(e)
            e.accept()
            return True
        return super().event(e)

    def _touch(self, e) -> None:
        points = e.points()
        if e.type() == QEvent.Type.TouchCancel:
            if self._source == "touch":
                self._end()
            return
        for p in points:
            state = p.state()
            if self._source is None and state == p.State.Pressed:
                self._touch_id = p.id()
                self._begin("touch", p.position(), 0.5, e.timestamp())
            elif self._source == "touch" and p.id() == self._touch_id:
                if state == p.State.Released:
                    self._add(p.position(), 0.5, e.timestamp())
                    self._end()
                elif state == p.State.Updated:
                    self._add(p.position(), 0.5, e.timestamp())

    @staticmethod
    def _real_mouse(e) -> bool:
        return e.source() == Qt.MouseEventSource.MouseEventNotSynthesized

    def mousePressEvent(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton and self._real_mouse(e) and self._source is None:
            self._begin("mouse", e.position(), 0.5, e.timestamp())
        e.accept()

    def mouseMoveEvent(self, e) -> None:
        if self._source == "mouse" and self._real_mouse(e):
            self._add(e.position(), 0.5, e.timestamp())
        e.accept()

    def mouseReleaseEvent(self, e) -> None:
        if self._source == "mouse" and e.button() == Qt.MouseButton.LeftButton:
            self._add(e.position(), 0.5, e.timestamp())
            self._end()
        e.accept()

    # --- strokes ------------------------------------------------------------------------------

    def _ms(self, stamp: int) -> float:
        """Milliseconds since the pad was cleared, from the event's own timestamp when it has one
        (events can wait in the queue; their timestamps say when the finger was really there)."""
        if not stamp:
            return float(self._clock.elapsed())
        if self._t0 is None:
            self._t0 = stamp - self._clock.elapsed()
        return float(max(0, stamp - self._t0))

    def _sample(self, pos: QPointF, pressure: float, stamp: int) -> Sample:
        x = min(max(pos.x(), 0.0), float(self.width()))
        y = min(max(pos.y(), 0.0), float(self.height()))
        t = self._ms(stamp)
        if self._strokes and self._source is not None and self._strokes[-1]:
            t = max(t, self._strokes[-1][-1].t)          # never backwards within a stroke
        return Sample(round(x, 2), round(y, 2), t, round(min(max(pressure, 0.0), 1.0), 3))

    def drawing(self) -> bool:
        """A stroke is under way (a finger is on the pad)."""
        return self._source is not None

    def _begin(self, source: str, pos: QPointF, pressure: float, stamp: int = 0) -> None:
        first = not self.has_ink()
        self._source = source
        s = self._sample(pos, pressure, stamp)
        self._strokes.append([s])
        self._model = InkModel(pressure_real=source == "tablet")
        self._paint_dabs(self._model.begin(s))
        if first:
            self.update()                            # the hint goes as a whole, never half-erased
        self.touched.emit()
        self.inkChanged.emit(True)

    def _add(self, pos: QPointF, pressure: float, stamp: int = 0) -> None:
        s = self._sample(pos, pressure, stamp)
        self._strokes[-1].append(s)                  # every raw sample is kept; only the drawing smooths
        self._paint_dabs(self._model.add(s))

    def _end(self) -> None:
        if self._model is not None:
            self._paint_dabs(self._model.end())
        self._source = self._touch_id = self._model = None
        self.strokeFinished.emit()

    # --- painting -----------------------------------------------------------------------------

    def _paint_dabs(self, dabs) -> None:
        if not dabs:
            return
        if self._image.isNull():
            self._redraw()
            return
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(INK)
        left = top = float("inf")
        right = bottom = float("-inf")
        for d in dabs:
            painter.drawEllipse(QPointF(d.x, d.y), d.r, d.r)
            left, top = min(left, d.x - d.r), min(top, d.y - d.r)
            right, bottom = max(right, d.x + d.r), max(bottom, d.y + d.r)
        painter.end()
        self.update(QRectF(left - 2, top - 2, right - left + 4, bottom - top + 4).toAlignedRect())

    def _redraw(self) -> None:
        """Repaint every stroke into a fresh backing image (resize, undo, clear)."""
        dpr = self.devicePixelRatioF()
        self._image = QImage(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr)),
                             QImage.Format.Format_ARGB32_Premultiplied)
        self._image.setDevicePixelRatio(dpr)
        self._image.fill(Qt.GlobalColor.transparent)
        keep = self._model
        for stroke in self._strokes:
            model = InkModel(pressure_real=self._pressure_real)
            self._paint_dabs(model.begin(stroke[0]))
            for s in stroke[1:]:
                self._paint_dabs(model.add(s))
            self._paint_dabs(model.end())
        self._model = keep
        self.update()

    def resizeEvent(self, e) -> None:
        self._redraw()

    def paintEvent(self, e) -> None:
        painter = QPainter(self)
        painter.fillRect(e.rect(), PAPER)
        # A signing line and, while empty, a hint.
        y = self.height() * 0.78
        painter.setPen(QPen(GUIDE, 2))
        painter.drawLine(QPointF(self.width() * 0.06, y), QPointF(self.width() * 0.94, y))
        mark = painter.font()
        mark.setPixelSize(max(14, int(self.height() * 0.12)))
        painter.setFont(mark)
        painter.drawText(QRectF(self.width() * 0.06, y - mark.pixelSize() * 1.4, mark.pixelSize() * 2,
                                mark.pixelSize() * 1.3), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, "×")
        if not self.has_ink() and self.hint:
            painter.setPen(GUIDE)
            f = painter.font()
            f.setPixelSize(max(14, int(self.height() / 9)))
            painter.setFont(f)
            painter.drawText(self.rect().adjusted(0, 0, 0, -int(self.height() * 0.3)),
                             Qt.AlignmentFlag.AlignCenter, self.hint)
        painter.drawImage(QPointF(0, 0), self._image)
        painter.end()
