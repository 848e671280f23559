"""The console's small projector pictures, and the names of the pledge's units in its list."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ceremony.pledge import Pledge
from ui.display.phrases import body_text
from ui.display.pledge_painter import paint_unit
from ui.display.presentation import Presentation
from ui.messages import t


class UnitView(QWidget):
    """A unit drawn exactly as on the projector (same size, same line breaks), scaled down."""

    def __init__(self, presentation: Presentation, *, preview: bool, output_size: Callable[[], QSize],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presentation, self.preview, self.output_size = presentation, preview, output_size
        self.theme, self.agency, self.logo = "dark", "", None
        self.setMinimumSize(200, 112)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)                  # as tall as the projector's shape needs, no more
        self.setSizePolicy(policy)
        presentation.changed.connect(self.update)

    def hasHeightForWidth(self) -> bool:
        return True

    def sizeHint(self) -> QSize:
        return QSize(640, self.heightForWidth(640))

    def heightForWidth(self, w: int) -> int:
        size = self.output_size()
        return round(w * size.height() / max(1, size.width()))

    def unit(self) -> tuple[int | None, int | None, bool]:
        """(index, phrase, blank) this view shows; index None: nothing (after the last unit)."""
        p = self.presentation
        if not self.preview:
            return p.index, p.phrase, p.blank
        nxt = p.index + 1
        return (nxt, None, False) if nxt < p.count else (None, None, False)

    def paintEvent(self, e) -> None:
        out = self.output_size()
        ow, oh = max(1, out.width()), max(1, out.height())
        scale = min(self.width() / ow, self.height() / oh)
        w, h = ow * scale, oh * scale
        x, y = (self.width() - w) / 2, 0.0              # top: the caption above sits on the picture
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), self.palette().window())
            index, phrase, blank = self.unit()
            painter.save()
            painter.translate(x, y)
            painter.scale(scale, scale)
            if index is None:
                paint_unit(painter, QRectF(0, 0, ow, oh), None, 0, self.theme)
            else:
                paint_unit(painter, QRectF(0, 0, ow, oh), self.presentation.pledge, index, self.theme,
                           agency=self.agency, logo=self.logo, phrase=phrase, blank=blank)
            painter.restore()
            if index is None:
                painter.setPen(QColor("#9fb3cc"))
                painter.drawText(QRectF(x, y, w, h), int(Qt.AlignmentFlag.AlignCenter), t("display.end"))
            painter.setPen(QPen(QColor("#e0484d" if not self.preview else "#5d7390"), 3 if not self.preview else 1))
            painter.drawRect(QRectF(x + 0.5, y + 0.5, w - 1, h - 1))
        finally:
            painter.end()


def unit_label(pledge: Pledge, index: int) -> str:
    u = pledge.units[index]
    if u.kind == "title":
        return t("display.unit_title")
    if u.kind == "opening":
        return t("display.unit_opening")
    if u.kind == "closing":
        return t("display.unit_closing")
    words = body_text(u).split()
    return f"{u.ordinal('id')} — {' '.join(words[:4])}…"
