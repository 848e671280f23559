"""The first-run setup window: language, agency and logo, admin PIN, database, a demo or the real event.

One dialog, one page at a time (Back / Next / Finish, "Step 2 of 5"), every word in the chosen
language as soon as it is chosen.  A page says what is wrong on the page itself; Finish runs
:func:`kiosk.firstrun.apply`, and a refusal there brings back the page it is about.  Pages that do
not apply are left out: the PIN page when the database already has one, the event page when it
already has an event.  :meth:`SetupWindow.ask` is the one call (and what tests drive).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import firstrun, i18n
from kiosk.firstrun import SetupChoices, SetupDone
from kiosk.i18n import KioskError
from kiosk.store import Event
from ui.messages import t
from ui.setup.pages import STYLE, AgencyPage, DatabasePage, EventPage, LanguagePage, Page, PinPage, text_label


class SetupWindow(QDialog):
    """The guided first run.  ``done_setup`` holds what :func:`kiosk.firstrun.apply` made, once finished."""

    def __init__(self, choices: SetupChoices, *, db_fixed: bool = False, has_pin: bool = False,
                 event: Event | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup")
        self.setStyleSheet(STYLE)
        self.choices = choices
        self.db_fixed = db_fixed
        self.has_pin = has_pin
        self.existing_event = event
        self.done_setup: SetupDone | None = None
        i18n.set_language(choices.language)
        self.setMinimumSize(680, 580)
        self.step = text_label("", "step")
        self.error = text_label("", "error")
        self.kept = text_label("", "note")
        self.stack = QStackedWidget()
        kinds: list[type[Page]] = [LanguagePage, AgencyPage]
        kinds += [] if has_pin else [PinPage]
        kinds += [DatabasePage] + ([] if event is not None else [EventPage])
        self.pages = [kind(self) for kind in kinds]
        for page in self.pages:
            self.stack.addWidget(page)
        self.back, self.next, self.cancel = QPushButton(), QPushButton(), QPushButton()
        self.next.setObjectName("next")
        self.next.setDefault(True)
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.cancel.clicked.connect(self.reject)
        nav = QHBoxLayout()
        nav.addWidget(self.cancel)
        nav.addStretch(1)
        nav.addWidget(self.back)
        nav.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.addWidget(self.step)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.kept)
        layout.addWidget(self.error)
        layout.addLayout(nav)
        self.retranslate()
        self._show(0)

    # --- words ---------------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self.choices = replace(self.choices, language=lang)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(t("setup.window_title"))
        self.back.setText(t("setup.back"))
        self.cancel.setText(t("setup.cancel"))
        for page in self.pages:
            page.retranslate()
        kept = []
        if self.has_pin:
            kept.append(t("setup.pin_kept"))
        if self.existing_event is not None:
            kept.append(t("setup.event_kept", title=self.existing_event.title, date=self.existing_event.date))
        self.kept.setText(" ".join(kept))
        self._update_nav()

    def say(self, message: str) -> None:
        self.error.setText(message)

    # --- moving ----------------------------------------------------------------------------------

    @property
    def index(self) -> int:
        return self.stack.currentIndex()

    def page(self, name: str) -> Page | None:
        return next((p for p in self.pages if p.name == name), None)

    def _show(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self._update_nav()
        focus = self.pages[index].findChild(QLineEdit)
        if focus is not None:
            focus.setFocus()

    def _update_nav(self) -> None:
        last = self.index == len(self.pages) - 1
        self.step.setText(t("setup.step", n=self.index + 1, total=len(self.pages)))
        self.back.setEnabled(self.index > 0)
        self.next.setText(t("setup.finish") if last else t("setup.next"))
        self.kept.setVisible(last and bool(self.kept.text()))

    def go_back(self) -> None:
        self.say("")
        if self.index > 0:
            self._show(self.index - 1)

    def go_next(self) -> None:
        page = self.pages[self.index]
        try:
            page.check()
        except KioskError as exc:
            self.say(str(exc))
            return
        self.say("")
        self.choices = page.collect(self.choices)
        if self.index < len(self.pages) - 1:
            self._show(self.index + 1)
        else:
            self._finish()

    def _finish(self) -> None:
        for page in self.pages:
            self.choices = page.collect(self.choices)
        self.next.setEnabled(False)
        self.say(t("setup.saving"))
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.processEvents()
        try:
            self.done_setup = firstrun.apply(self.choices)
        except KioskError as exc:
            self.say(str(exc))
            self._back_to(exc.code)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
            self.next.setEnabled(True)
        self.accept()

    def _back_to(self, code: str) -> None:
        """After a refusal at Finish: show the page it is about."""
        for prefix, name in (("pin.", "pin"), ("event.bad_logo", "agency"), ("setup.agency_missing", "agency"),
                             ("setup.db_folder", "database"), ("store.", "database"), ("output.", "database"),
                             ("event.", "event")):
            if code.startswith(prefix) and self.page(name) is not None:
                self.stack.setCurrentWidget(self.page(name))
                self._update_nav()
                return

    @classmethod
    def ask(cls, db_path: Path, *, db_fixed: bool = False, parent: QWidget | None = None) -> SetupDone | None:
        """Run the setup for the database at ``db_path`` (made if missing); None when cancelled."""
        from kiosk.security import pin
        from kiosk.store import Store
        has_pin, event = False, None
        if Path(db_path).exists():
            with Store(db_path) as store:
                has_pin = pin.has_pin(store)
                events = store.events()
                event = next((e for e in events if e.active), events[-1] if events else None)
        window = cls(firstrun.default_choices(db_path), db_fixed=db_fixed, has_pin=has_pin, event=event,
                     parent=parent)
        return window.done_setup if window.exec() == QDialog.DialogCode.Accepted else None
