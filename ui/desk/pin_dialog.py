"""The door of the desk: the admin PIN (:mod:`kiosk.security.pin`), or a new one when there is none.

The PIN is checked on the worker thread (a slow hash with a back-off after wrong tries); the
dialog stays open until the right PIN, or Cancel.  ``PinDialog.ask(service, has_pin)`` is what the
app calls and what the tests drive.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.security import pin as admin  # noqa: F401  (its messages: pin.wrong, pin.mismatch …)
from ui.desk.common import STYLE
from ui.desk.service import DeskService
from ui.messages import t
from ui.worker import describe


class PinDialog(QDialog):
    def __init__(self, service: DeskService, has_pin: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.new = not has_pin
        self.setStyleSheet(STYLE)
        self.setWindowTitle(t("desk.pin_title"))
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        prompt = QLabel(t("desk.pin_new") if self.new else t("desk.pin_prompt"))
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.fields: list[QLineEdit] = []
        for n in range(2 if self.new else 1):
            field = QLineEdit()
            field.setObjectName("pin_again" if n else "pin")
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(12)
            field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
            field.setPlaceholderText(t("ui.pin_again") if n else "PIN")
            field.setStyleSheet("font-size: 16pt; padding: 6px;")
            layout.addWidget(field)
            self.fields.append(field)
        self.error = QLabel("")
        self.error.setObjectName("notice_error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(t("desk.ok"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("desk.cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fields[0].setFocus()

    def submit(self) -> None:
        texts = [f.text() for f in self.fields]
        if not texts[0]:
            return
        if self.new and texts[0] != texts[1]:
            self._answered(False, t("pin.mismatch"))
            return
        self.ok_button.setEnabled(False)
        self.error.setText(t("desk.pin_checking"))
        if self.new:
            self.service.set_pin(texts[0], success=lambda _: self._answered(True), failure=self._failed)
        else:
            self.service.check_pin(texts[0], success=lambda ok: self._answered(ok, t("pin.wrong")),
                                   failure=self._failed)

    def _answered(self, ok: bool, message: str = "") -> None:
        if not isValid(self) or not self.isVisible():
            return                                   # cancelled meanwhile
        self.ok_button.setEnabled(True)
        if ok:
            self.accept()
            return
        self.error.setText(message)
        for f in self.fields:
            f.clear()
        self.fields[0].setFocus()

    def _failed(self, exc: Exception) -> None:
        self._answered(False, describe(exc))

    @classmethod
    def ask(cls, service: DeskService, has_pin: bool, parent: QWidget | None = None) -> bool:
        return cls(service, has_pin, parent).exec() == QDialog.DialogCode.Accepted
