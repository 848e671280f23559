"""The pledge on the projector: the frameless full-screen window, and the same picture offscreen.

:class:`ProjectorWindow` shows the live unit of a :class:`~ui.display.presentation.Presentation`
full screen on the chosen screen (or as a plain window on the laptop as the fallback);
:func:`render_unit_png` paints a unit into a file exactly as the window would
(``ikrar display --render``).  Both draw with :func:`ui.display.pledge_painter.paint_unit`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QWidget

from kiosk.ceremony.pledge import Pledge
from ui.display.pledge_painter import THEMES, Painted, paint_unit
from ui.display.presentation import Presentation
from ui.messages import t

# --- offscreen ------------------------------------------------------------------------------------

_app_ref: list = []


def _ensure_gui() -> None:
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app_ref.append(QGuiApplication(sys.argv[:1]))


def render_unit_image(pledge: Pledge, index: int, size: tuple[int, int], theme: str = "dark", *,
                      agency: str = "", logo: str | os.PathLike | QImage | None = None,
                      phrase: int | None = None, blank: bool = False) -> tuple[QImage, Painted]:
    """Paint a unit into a new image of ``size`` exactly as the projector would."""
    _ensure_gui()
    w, h = size
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(1.0)
    painter = QPainter(image)
    try:
        painted = paint_unit(painter, QRectF(0, 0, w, h), pledge, index, theme, agency=agency,
                             logo=str(logo) if isinstance(logo, os.PathLike) else logo, phrase=phrase, blank=blank)
    finally:
        painter.end()
    return image, painted


def render_unit_png(pledge: Pledge, index: int, size: tuple[int, int], theme: str, *, out: str | os.PathLike,
                    agency: str = "", logo: str | None = None, phrase: int | None = None) -> None:
    """Render unit ``index`` (0-based) offscreen and save it as a PNG (``ikrar display --render``)."""
    if not 0 <= index < len(pledge.units):
        raise IndexError(f"unit {index} out of range 0..{len(pledge.units) - 1}")
    image, _ = render_unit_image(pledge, index, size, theme, agency=agency, logo=logo, phrase=phrase)
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise OSError(f"cannot write {out}")


# --- the live window --------------------------------------------------------------------------------

#: The fallback window's share of the laptop screen's width (a 16:9 picture), and its margin.
FALLBACK_WIDTH, FALLBACK_MARGIN, TITLE_BAR = 0.42, 8, 32


def fallback_geometry(free: QRect) -> QRect:
    """Where the projector goes as a window on the laptop: the bottom-left corner, clear of the console's
    top and right column, where its one-screen warning and the kiosk status are."""
    w = max(480, round(free.width() * FALLBACK_WIDTH))
    h = max(270, min(round(w * 9 / 16), round(free.height() * 0.45)))
    x = free.x() + FALLBACK_MARGIN
    y = free.y() + max(TITLE_BAR, free.height() - h - FALLBACK_MARGIN)
    return QRect(x, y, w, h)


class ProjectorWindow(QWidget):
    """The frameless full-screen output (or a plain window on the laptop as the fallback)."""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projector")
        self.setWindowTitle(t("display.projector_title"))
        self.presentation = presentation
        self.theme = "dark"
        self.agency = ""
        self.logo: str | None = None
        self.fullscreen = False
        self.last_painted: Painted | None = None
        self._may_close = False
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 180)
        presentation.changed.connect(self.update)

    def set_look(self, *, theme: str | None = None, agency: str | None = None, logo: str | None = ...) -> None:
        if theme is not None:
            self.theme = theme if theme in THEMES else "dark"
        if agency is not None:
            self.agency = agency
        if logo is not ...:
            self.logo = logo or None
        self.update()

    def place(self, screen, fullscreen: bool) -> None:
        """Show full screen on ``screen`` (frameless, on top), or as an ordinary window on it."""
        if (self.isVisible() and screen is not None and self.screen() is screen and self.fullscreen == fullscreen
                and (not fullscreen or self.geometry() == screen.geometry())):
            return                                  # already there: no flicker on a spurious screen signal
        flags = Qt.WindowType.Window
        if fullscreen:
            flags |= Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        changed = flags != self.windowFlags() or self.fullscreen != fullscreen
        self.fullscreen = fullscreen
        if changed and self.isVisible():
            self.hide()
        self.setWindowFlags(flags)
        if screen is not None:
            self.setScreen(screen)
            geo = screen.geometry()
            if fullscreen:
                self.setGeometry(geo)
            else:
                self.setGeometry(fallback_geometry(screen.availableGeometry()))
        if fullscreen:
            self.setCursor(Qt.CursorShape.BlankCursor)
            self.showFullScreen()
        else:
            self.unsetCursor()
            self.showNormal()

    def paintEvent(self, e) -> None:
        p = self.presentation
        painter = QPainter(self)
        try:
            self.last_painted = paint_unit(painter, QRectF(self.rect()), p.pledge, p.index, self.theme,
                                           agency=self.agency, logo=self.logo, phrase=p.phrase, blank=p.blank)
        finally:
            painter.end()

    def keyPressEvent(self, e) -> None:
        if not self.presentation.handle_key(e.key()):
            super().keyPressEvent(e)

    def allow_close(self) -> None:
        self._may_close = True

    def closeEvent(self, e) -> None:
        # Alt+F4 on the projector must not end the ceremony's picture; the console closes it.
        if self._may_close:
            e.accept()
        else:
            e.ignore()
