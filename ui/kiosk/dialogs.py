"""Staff dialogs behind the admin PIN.  Each has a classmethod ``ask()`` so tests can stub it."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from kiosk.people.nip import format_spaced

from ui.messages import t

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
    for which, code in ((QDialogButtonBox.StandardButton.Ok, "ui.ok"), (QDialogButtonBox.StandardButton.Cancel, "ui.cancel")):
        button = box.button(which)
        if button is not None:
            button.setText(t(code))


class _PinBase(QDialog):
    def __init__(self, service, parent: QWidget | None, prompt: str, fields: int) -> None:
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
        service.pinChecked.connect(self._checked)
        self.fields[0].setFocus()

    def _checked(self, ok: bool, message: str) -> None:
        self.ok_button.setEnabled(True)
        if ok:
            self.accept()
        else:
            self.error.setText(message)
            for f in self.fields:
                f.clear()
            self.fields[0].setFocus()

    def done(self, result: int) -> None:
        self.service.pinChecked.disconnect(self._checked)
        super().done(result)


class PinDialog(_PinBase):
    """Asks for the admin PIN; verified on the store's worker thread (a slow hash)."""

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(service, parent, t("ui.pin_prompt"), 1)

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.service.check_pin(self.fields[0].text())

    @classmethod
    def ask(cls, service, parent: QWidget | None = None) -> bool:
        return cls(service, parent).exec() == QDialog.DialogCode.Accepted


class SetPinDialog(_PinBase):
    """First run: the organiser chooses the admin PIN (there is no default)."""

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(service, parent, t("ui.pin_new"), 2)

    def _submit(self) -> None:
        a, b = (f.text() for f in self.fields)
        if a != b:
            self._checked(False, t("pin.mismatch"))
            return
        self.ok_button.setEnabled(False)
        self.service.set_pin(a)

    @classmethod
    def ask(cls, service, parent: QWidget | None = None) -> bool:
        return cls(service, parent).exec() == QDialog.DialogCode.Accepted


class StaffMenu(QDialog):
    """Returns "search", "language", "sound", "exit" or "" (back)."""

    def __init__(self, parent: QWidget | None = None, *, sound_on: bool = True) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        self.setWindowTitle(t("ui.menu_title"))
        self.setMinimumWidth(520)
        self.choice = ""
        layout = QVBoxLayout(self)
        for key, label in (("search", "ui.menu_search"), ("language", "ui.menu_language"),
                           ("sound", "ui.menu_sound_off" if sound_on else "ui.menu_sound_on"),
                           ("exit", "ui.menu_exit"), ("", "ui.menu_back")):
            b = QPushButton(t(label))
            b.setObjectName(f"menu_{key or 'back'}")
            b.clicked.connect(lambda _=False, k=key: self._choose(k))
            layout.addWidget(b)

    def _choose(self, key: str) -> None:
        self.choice = key
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, sound_on: bool = True) -> str:
        d = cls(parent, sound_on=sound_on)
        d.exec()
        return d.choice


class SearchDialog(QDialog):
    """Staff-only manual look-up for a forgotten badge: at least three characters, at most 20 hits."""

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setStyleSheet(_STYLE)
        self.setWindowTitle(t("ui.menu_search"))
        self.resize(760, 560)
        self.nip: str | None = None
        layout = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setPlaceholderText(t("ui.search_prompt"))
        layout.addWidget(self.query)
        self.results = QListWidget()
        layout.addWidget(self.results, 1)
        self.status = QLabel(t("ui.search_prompt"))
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
        service.found.connect(self._show)
        self.query.setFocus()

    def _search(self) -> None:
        text = " ".join(self.query.text().split())
        if len(text.replace(" ", "")) < 3:
            self.results.clear()
            self.status.setText(t("ui.search_prompt"))
            return
        self.service.search(text)

    def _show(self, people: list) -> None:
        self.results.clear()
        for p in people:
            item = QListWidgetItem(f"{p.name}\n{format_spaced(p.nip)} · {p.unit}")
            item.setData(Qt.ItemDataRole.UserRole, p.nip)
            self.results.addItem(item)
        self.status.setText("" if people else t("ui.search_none"))

    def _accept_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.nip = item.data(Qt.ItemDataRole.UserRole)
            self.accept()

    def done(self, result: int) -> None:
        self.service.found.disconnect(self._show)
        super().done(result)

    @classmethod
    def ask(cls, service, parent: QWidget | None = None) -> str | None:
        d = cls(service, parent)
        d.exec()
        return d.nip
