"""Staff dialogs behind the admin PIN.  Each has a classmethod ``ask()`` so tests can stub it."""
from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from kiosk.i18n import KioskError
from kiosk.people.nip import format_spaced
from kiosk.store import Person
from ui.kiosk.service import KioskService
from ui.messages import t
from ui.worker import describe

_STYLE = """
QDialog { background: #f4f6fa; }
QLabel { font-size: 20px; color: #102040; }
QLineEdit { font-size: 28px; padding: 10px; min-height: 48px; }
QPushButton { font-size: 22px; min-height: 64px; padding: 6px 18px; }
QListWidget { font-size: 20px; }
QLabel#error { color: #b71c1c; }
"""


def _label_buttons(box: QDialogButtonBox) -> None:
    """Standard buttons in our language (no Qt translation files are shipped)."""
    standard = QDialogButtonBox.StandardButton
    for which, code in ((standard.Ok, "ui.ok"), (standard.Cancel, "ui.cancel")):
        button = box.button(which)
        if button is not None:
            button.setText(t(code))


class _PinBase(QDialog):
    def __init__(self, service: KioskService, parent: QWidget | None, prompt: str, fields: int) -> None:
        super().__init__(parent)
        self.service = service
        self.setStyleSheet(_STYLE)
        self.setWindowTitle(t("ui.staff"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.fields = []
        for n in range(fields):
            f = QLineEdit()
            f.setEchoMode(QLineEdit.EchoMode.Password)
            f.setMaxLength(12)
            f.setPlaceholderText(t("ui.pin_again") if n else "PIN")
            f.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
            layout.addWidget(f)
            self.fields.append(f)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        _label_buttons(buttons)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.fields[0].setFocus()

    def _submit(self) -> None:
        raise NotImplementedError

    def _answered(self, ok: bool, message: str = "") -> None:
        """The worker's answer (GUI thread).  Ignored once the dialog is gone (cancelled meanwhile)."""
        if not isValid(self) or not self.isVisible():
            return
        self.ok_button.setEnabled(True)
        if ok:
            self.accept()
        else:
            self.error.setText(message)
            for f in self.fields:
                f.clear()
            self.fields[0].setFocus()

    def _failed(self, exc: Exception) -> None:
        self._answered(False, describe(exc))


class PinDialog(_PinBase):
    """Asks for the admin PIN; verified on the store's worker thread (a slow hash)."""

    def __init__(self, service: KioskService, parent: QWidget | None = None) -> None:
        super().__init__(service, parent, t("ui.pin_prompt"), 1)

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.service.check_pin(self.fields[0].text(), success=lambda ok: self._answered(ok, t("pin.wrong")),
                               failure=self._failed)

    @classmethod
    def ask(cls, service: KioskService, parent: QWidget | None = None) -> bool:
        return cls(service, parent).exec() == QDialog.DialogCode.Accepted


class SetPinDialog(_PinBase):
    """First run: the organiser chooses the admin PIN (there is no default)."""

    def __init__(self, service: KioskService, parent: QWidget | None = None) -> None:
        super().__init__(service, parent, t("ui.pin_new"), 2)

    def _submit(self) -> None:
        a, b = (f.text() for f in self.fields)
        if a != b:
            self._answered(False, t("pin.mismatch"))
            return
        self.ok_button.setEnabled(False)
        self.service.set_pin(a, success=lambda _: self._answered(True), failure=self._failed)

    @classmethod
    def ask(cls, service: KioskService, parent: QWidget | None = None) -> bool:
        return cls(service, parent).exec() == QDialog.DialogCode.Accepted


class StaffChoice(StrEnum):
    SEARCH = "search"
    LANGUAGE = "language"
    SOUND = "sound"
    EXIT = "exit"
    BACK = ""


class StaffMenu(QDialog):
    """Returns a :class:`StaffChoice` (``BACK``: nothing)."""

    def __init__(self, parent: QWidget | None = None, *, sound_on: bool = True) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        self.setWindowTitle(t("ui.menu_title"))
        self.setMinimumWidth(520)
        self.choice = StaffChoice.BACK
        layout = QVBoxLayout(self)
        for key, label in ((StaffChoice.SEARCH, "ui.menu_search"), (StaffChoice.LANGUAGE, "ui.menu_language"),
                           (StaffChoice.SOUND, "ui.menu_sound_off" if sound_on else "ui.menu_sound_on"),
                           (StaffChoice.EXIT, "ui.menu_exit"), (StaffChoice.BACK, "ui.menu_back")):
            b = QPushButton(t(label))
            b.setObjectName(f"menu_{key or 'back'}")
            b.clicked.connect(lambda _=False, k=key: self._choose(k))
            layout.addWidget(b)

    def _choose(self, key: StaffChoice) -> None:
        self.choice = key
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, sound_on: bool = True) -> StaffChoice:
        d = cls(parent, sound_on=sound_on)
        d.exec()
        return d.choice


class SearchDialog(QDialog):
    """Staff-only manual look-up for a forgotten badge.  The core decides what is too short to search
    (a refusal shown as it is); at most 20 hits."""

    def __init__(self, service: KioskService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setStyleSheet(_STYLE)
        self.setWindowTitle(t("ui.menu_search"))
        self.resize(760, 560)
        self.nip: str | None = None
        self.answers = 0                              # searches answered (tests wait on it)
        self._asked = 0                               # searches submitted: only the latest answer is shown
        layout = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setPlaceholderText(t("ui.search_prompt"))
        layout.addWidget(self.query)
        self.results = QListWidget()
        layout.addWidget(self.results, 1)
        self.status = QLabel(t("ui.search_prompt"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        _label_buttons(buttons)
        self.pick = buttons.addButton(t("ui.search_pick"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.pick.setEnabled(False)
        buttons.accepted.connect(self._accept_current)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._search)
        self.query.textChanged.connect(lambda _: self._debounce.start())
        self.results.currentItemChanged.connect(lambda cur, _: self.pick.setEnabled(cur is not None))
        self.results.itemActivated.connect(lambda _: self._accept_current())
        self.query.setFocus()

    def _search(self) -> None:
        self._asked += 1
        asked = self._asked
        self.service.search(self.query.text(), success=lambda people: self._show(asked, people),
                            failure=lambda exc: self._failed(asked, exc))

    def _show(self, asked: int, people: list[Person]) -> None:
        self.answers += 1
        if asked != self._asked or not isValid(self):  # a later search is on its way, or the dialog is gone
            return
        self.results.clear()
        for p in people:
            item = QListWidgetItem(f"{p.name}\n{format_spaced(p.nip)} · {p.unit}")
            item.setData(Qt.ItemDataRole.UserRole, p.nip)
            self.results.addItem(item)
        self._say("" if people else t("ui.search_none"), error=False)

    def _failed(self, asked: int, exc: Exception) -> None:
        self.answers += 1
        if asked != self._asked or not isValid(self):
            return
        self.results.clear()
        if isinstance(exc, KioskError) and exc.code == "people.search_short":
            self._say(str(exc), error=False)           # not a failure: type a little more
        else:
            self._say(t("ui.search_failed", reason=describe(exc)), error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.status.setText(text)
        self.status.setObjectName("error" if error else "status")
        self.status.style().unpolish(self.status)               # re-read the style for the new name
        self.status.style().polish(self.status)

    def _accept_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.nip = item.data(Qt.ItemDataRole.UserRole)
            self.accept()

    @classmethod
    def ask(cls, service: KioskService, parent: QWidget | None = None) -> str | None:
        d = cls(service, parent)
        d.exec()
        return d.nip
