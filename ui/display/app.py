"""``ikrar display``: the organiser's console on the laptop and the pledge on the projector.

:class:`Display` wires the parts: the :class:`~ui.display.presentation.Presentation` both
windows follow, the database worker (:class:`~ui.display.service.DisplayService`), the
projector window, the console, and the :class:`~ui.display.monitors.ScreenWatcher` that
re-places the projector 350 ms after screens are plugged in or removed.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSize, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.desk.door import ConsoleDesk
from ui.display.console import ConsoleWindow
from ui.display.monitors import Placement, ScreenChoice, ScreenWatcher, choose, current_screens
from ui.display.presentation import Presentation
from ui.display.projector import ProjectorWindow
from ui.display.service import SETTING_LOGO, SETTING_SCREEN, SETTING_THEME, DisplayInfo, DisplayService, SavedPledge
from ui.logs import file_log
from ui.messages import t

log = logging.getLogger("ikrar.display")


class Display(QObject):
    placed = Signal()                   # after every placement of the projector (GUI thread)

    def __init__(self, db_path: str | Path, *, event_id: int | None = None, screen: int | None = None,
                 poll_seconds: float = 2.0, screens_source: QObject | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requested = screen
        self.choice = ScreenChoice()
        self.placement: Placement | None = None
        self.info: DisplayInfo | None = None
        self.presentation = Presentation(self)
        self.service = DisplayService(db_path, event_id, poll_seconds=poll_seconds)
        self.projector = ProjectorWindow(self.presentation)
        self.console = ConsoleWindow(self.presentation, self.service, output_size=self.output_size)
        self.watcher = ScreenWatcher(screens_source, self)
        self.watcher.changed.connect(self.place)
        self.console.screenChosen.connect(self.choose_screen)
        self.console.lookChanged.connect(self._look_changed)
        self.console.pledgeSaved.connect(self._saved)
        self.desk = ConsoleDesk(db_path, self)
        self.console.deskRequested.connect(lambda: self.desk.open())
        self.service.opened.connect(self._opened)

    def open(self) -> None:
        self.service.open()

    def output_size(self) -> QSize:
        if self.placement is not None and self.placement.fullscreen:
            return QSize(*self.placement.screen.size)
        if self.projector.isVisible():
            return self.projector.size()
        return QSize(1920, 1080)

    # --- events -------------------------------------------------------------------------------------

    def _opened(self, info: DisplayInfo) -> None:
        self.info = info
        self.choice = ScreenChoice.from_setting(info.screen)
        self.presentation.set_pledge(info.pledge)
        self.projector.set_look(theme=info.theme, agency=info.pledge.params.get("instansi", ""),
                                logo=info.logo or None)
        self.console.set_info(info)

    def _saved(self, saved: SavedPledge) -> None:
        if saved.new:
            self.projector.set_look(agency=saved.pledge.params.get("instansi", ""))

    def _look_changed(self, theme: str, logo: str) -> None:
        self.projector.set_look(theme=theme, logo=logo or None)
        self.service.set_setting(SETTING_THEME, theme, failure=self.console.setting_failed)
        self.service.set_setting(SETTING_LOGO, logo, failure=self.console.setting_failed)

    def choose_screen(self, choice: ScreenChoice) -> None:
        """The organiser picked a screen in the console: remember it (by name and geometry) and go there."""
        self.choice = choice
        self.requested = None
        self.place()
        self.service.set_setting(SETTING_SCREEN, choice.to_setting(), failure=self.console.setting_failed)

    def place(self) -> None:
        """Put the projector where :func:`ui.display.monitors.choose` says; tell the console (warn on fallback)."""
        pairs = current_screens()
        infos = [info for info, _ in pairs]
        self.placement = choose(infos, self.choice, self.requested)
        if self.placement is not None:
            self.projector.place(pairs[self.placement.index][1], self.placement.fullscreen)
        self.console.show_placement(infos, self.choice, self.placement)
        self.placed.emit()

    def show_console(self) -> None:
        primary = QGuiApplication.primaryScreen()
        if primary is not None:
            self.console.setScreen(primary)
            g = primary.availableGeometry()
            self.console.setGeometry(g.x() + 20, g.y() + 20, min(1366, g.width() - 40), min(768, g.height() - 60))
        self.console.show()
        if primary is not None and primary.availableGeometry().width() <= 1440:
            self.console.showMaximized()

    def close(self) -> None:
        self.desk.close()
        self.projector.allow_close()
        self.projector.close()
        self.console.close()
        self.service.shutdown()


def run_display(db_path: str | Path, *, event_id: int | None = None, screen: int | None = None) -> int:
    """Open the console and the projector; return the exit code (1 if the event cannot be opened)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Ikrar Kiosk")
    with file_log(db_path):
        return _run(app, Display(db_path, event_id=event_id, screen=screen))


def _run(app: QCoreApplication, display: Display) -> int:
    status = {"code": 0, "running": False}

    def failed(message: str) -> None:
        log.info("the display cannot start: %s", message)
        if sys.stderr is not None:                 # the GUI script on Windows has no console
            print(message, file=sys.stderr, flush=True)
        QMessageBox.critical(None, t("display.title"), message)
        status["code"] = 1
        if status["running"]:
            app.exit(1)

    def opened(_info: DisplayInfo) -> None:
        display.show_console()
        display.place()

    def closing() -> None:
        # exit, not quit: Qt 6's quit() asks every window to close first, and the projector refuses.
        # Only while our loop runs: exit() outside it would stop every later event loop of the process.
        display.projector.allow_close()
        if status["running"]:
            app.exit(status["code"])

    display.service.failed.connect(failed)
    display.service.opened.connect(opened)
    display.console.closing.connect(closing)
    display.open()
    status["running"] = True
    app.exec()
    status["running"] = False
    display.close()
    return status["code"]
