"""The desk's window: the pages on the left (Ctrl+1 … Ctrl+7), the active event above them."""
from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.dates import day_and_date
from kiosk.store import Event
from ui.desk.attendance_page import AttendancePage
from ui.desk.badges_page import BadgesPage
from ui.desk.common import STYLE
from ui.desk.events_page import EventsPage
from ui.desk.exchange_page import ExchangePage
from ui.desk.exports_page import ExportsPage
from ui.desk.people_page import PeoplePage
from ui.desk.service import DeskContext
from ui.desk.stats_page import StatsPage
from ui.messages import t

PAGES = ("events", "people", "badges", "attendance", "stats", "exports", "exchange")


class DeskWindow(QMainWindow):
    closing = Signal()                 # the window is closing: its worker may stop

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setWindowTitle(t("desk.title"))
        self.setStyleSheet(STYLE)
        self.setMinimumSize(1024, 640)
        central = QWidget()
        self.setCentralWidget(central)
        outer = QHBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(190)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)     # a long name elides; its tooltip says it whole
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.nav)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.header = QLabel("")
        self.header.setObjectName("header")
        self.header.setContentsMargins(16, 8, 16, 4)
        right.addWidget(self.header)
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        outer.addLayout(right, 1)
        exchange = ExchangePage(context)
        self.pages = {
            "events": EventsPage(context), "people": PeoplePage(context), "badges": BadgesPage(context),
            "attendance": AttendancePage(context), "stats": StatsPage(context), "exports": ExportsPage(context),
            "exchange": exchange,
        }
        exchange.useForDocuments.connect(self._documents_from)
        for n, name in enumerate(PAGES, start=1):
            item = QListWidgetItem(f"{n}  {t(f'desk.page_{name}')}")
            item.setToolTip(f"{t(f'desk.page_{name}')} (Ctrl+{n})")
            self.nav.addItem(item)
            self.stack.addWidget(self.pages[name])
            QShortcut(QKeySequence(f"Ctrl+{n}"), self, lambda n=n: self.show_page(PAGES[n - 1]))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.statusBar().showMessage(t("desk.database", path=str(context.path)))
        context.eventChanged.connect(self._event)
        context.dataChanged.connect(self._touched)
        self._event(context.event)
        self.show_page("attendance" if context.event is not None else "events")

    def _documents_from(self, path) -> None:
        exports = self.pages["exports"]
        assert isinstance(exports, ExportsPage)
        exports.use_file(path)
        self.show_page("exports")

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(PAGES.index(name))

    @property
    def page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def _event(self, event: Event | None) -> None:
        if event is None:
            self.header.setText(t("desk.no_event"))
            return
        day = day_and_date(event.date)
        self.header.setText(t("desk.active_event", title=event.title, date=day,
                              venue=f" · {event.venue}" if event.venue else ""))

    def _touched(self) -> None:
        self.statusBar().showMessage(t("desk.database", path=str(self.context.path)) + "  ·  "
                                     + t("desk.updated", time=_dt.datetime.now().strftime("%H:%M:%S")))

    def fit_screen(self) -> None:
        """Sized for 1920×1080, maximised on smaller screens (a 1366×768 laptop)."""
        screen = QGuiApplication.primaryScreen().availableGeometry()
        if screen.width() < 1500 or screen.height() < 900:
            self.resize(screen.width(), screen.height())
            self.showMaximized()
        else:
            self.resize(min(1600, screen.width()), min(960, screen.height()))
            self.show()

    def service_stop(self) -> None:
        """Finish the queued operations and close the database (after the window closed)."""
        self.context.service.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        super().closeEvent(event)
        self.closing.emit()
