"""The kiosk's top-level window, whose first frame is the idle screen, painted before the rest is loaded.

A hall laptop's kiosk has to say "scan your badge" the moment it is started.  :class:`KioskShell` is
the window the employees see: it is shown first with only the idle page, filled from the database's
glance (:mod:`kiosk.store.glance`: the event, the count), and emits :attr:`KioskShell.painted` once
that frame is on the screen.  Then :mod:`ui.kiosk.app` loads and builds the rest (the store's
worker, the check-in window with its signing page, the sounds, the camera) and puts it in with
:meth:`KioskShell.hold`; the check-in window takes the same idle page into its own pages, so the
screen does not change.  The scanner's key filter (:mod:`ui.kiosk.wedge_filter`) is there from the
first frame: a badge scanned while the rest loads is read from its keys' own times, kept, and handed
to the check-in window, which takes it once the database is open.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.kiosk.idle_page import IdlePage
from ui.kiosk.style import fit
from ui.kiosk.wedge_filter import WedgeFilter

TITLE = "Ikrar Kiosk"


class KioskShell(QWidget):
    painted = Signal()                 # the first frame is on the screen (emitted once)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")    # the style sheet's name for the kiosk's background
        self.setWindowTitle(TITLE)     # "[idle]" once the idle screen is painted (for automation, bench_bundle)
        self.idle_page = IdlePage()
        self.idle_page.retranslate()
        self.content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.idle_page)
        # The scanner's filter from the first frame on: a badge scanned while the rest loads is read as the
        # badge it is (its keys' own times), kept in ``early`` and handed to the check-in window.  Until then
        # its keys come through keyPressEvent (the first frame has nothing that takes the focus): installed
        # on the application, the filter would see every event of the first show, and Qt for Python's first
        # wrapping of each kind of event and object costs that frame about 70 ms.  The check-in window
        # installs it.
        self.wedge = WedgeFilter(self)
        self.early: list[str] = []
        self.wedge.scanned.connect(self._keep)
        self.may_close = False         # set when the kiosk quits (the staff's exit, a database that cannot open)
        self.idle_page.firstPainted.connect(self._first_frame_painted)

    def _keep(self, text: str) -> None:
        self.early.append(text)

    def hold(self, content: QWidget) -> list[str]:
        """The check-in window (which has taken :attr:`idle_page` and :attr:`wedge` for its own) fills the
        shell, and styles itself from now on.  Returns the badges scanned before, in order, for it to take."""
        if self.content is None:
            self.wedge.scanned.disconnect(self._keep)
        self._layout.removeWidget(self.idle_page)
        self._layout.addWidget(content)
        content.show()                                     # in this frame, not the next (a parent already shown)
        self.content = content
        self.setStyleSheet("")
        early, self.early = self.early, []
        return early

    def _first_frame_painted(self) -> None:
        QTimer.singleShot(0, self._first_frame_shown)      # after this frame has been flushed to the screen

    def _first_frame_shown(self) -> None:
        if self.content is None:
            self.setWindowTitle(f"{TITLE} [idle]")
            QGuiApplication.sync()                         # the title out to the window system now, not
        self.painted.emit()                                # after what the painted signal starts

    def keyPressEvent(self, e) -> None:
        if self.content is not None or not self.wedge.key_press(self, e):
            super().keyPressEvent(e)

    def closeEvent(self, e) -> None:
        if self.may_close:
            e.accept()
        elif self.content is not None:
            self.content.closeEvent(e)                     # the check-in window decides (the staff's menu)
        else:
            e.ignore()                                     # nobody closes the kiosk in its first half second

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        if self.content is None:                           # the check-in window scales its own style sheet
            fit(self, self.idle_page.scan_glyph)
