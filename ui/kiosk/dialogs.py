"""The admin PIN's dialogs (ask, set, the first start's) and the staff menu.  Each has a classmethod
``ask()`` so tests can stub it; each is a :class:`~ui.kiosk.staff_dialog.StaffDialog` (the PIN
dialog closes itself after 30 s untouched).  The search and walk-in forms are in
:mod:`ui.kiosk.staff_forms`."""
from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ui.kiosk.service import KioskService
from ui.kiosk.staff_dialog import StaffDialog, label_buttons, message_label
from ui.messages import t
from ui.worker import describe

PIN_UNTOUCHED_SECONDS = 30
#: A digit typed in the staff menu chooses after this long, unless it was the start of a badge's burst.
DIGIT_WAIT_MS = 150


class _PinBase(StaffDialog):
    def __init__(self, service: KioskService, parent: QWidget | None, prompt: str, fields: int) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(t("ui.staff"))
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(message_label(prompt))
        self.fields = []
        for n in range(fields):
            f = QLineEdit()
            f.setEchoMode(QLineEdit.EchoMode.Password)
            f.setMaxLength(12)
            f.setPlaceholderText(t("ui.pin_again") if n else "PIN")
            f.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
            layout.addWidget(f)
            self.fields.append(f)
        self.error = message_label(name="error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        label_buttons(buttons)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.keep_width(layout, 520)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
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
            self.fit()

    def _failed(self, exc: Exception) -> None:
        self._answered(False, describe(exc))


class PinDialog(_PinBase):
    """Asks for the admin PIN; verified on the store's worker thread (a slow hash).  Closes itself after
    30 s untouched; a badge scanned into it closes it without an attempt."""
    untouched_seconds = PIN_UNTOUCHED_SECONDS

    def __init__(self, service: KioskService, parent: QWidget | None = None) -> None:
        super().__init__(service, parent, t("ui.pin_prompt"), 1)

    def _submit(self) -> None:
        if not self.fields[0].text():
            self._answered(False, t("ui.pin_empty"))
            return
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

    @classmethod
    def ask_first(cls, service: KioskService, parent: QWidget | None = None) -> FirstPin:
        """``FirstPin.SET``, ``FirstPin.CANCELLED`` (Batal) or ``FirstPin.INTERRUPTED`` (a badge was scanned)."""
        d = cls(service, parent)
        if d.exec() == QDialog.DialogCode.Accepted:
            return FirstPin.SET
        return FirstPin.INTERRUPTED if d.interrupted else FirstPin.CANCELLED


class FirstPin(StrEnum):
    SET = "set"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


class NeedPinDialog(StaffDialog):
    """*Batal* on the first-start PIN dialog: why the kiosk needs a PIN, and the two ways on, in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("ui.staff"))
        self.choice = ""
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(message_label(t("ui.pin_needed")))
        self.set_button = QPushButton(t("ui.pin_needed_set"), objectName="setPin")
        self.quit_button = QPushButton(t("ui.pin_needed_quit"), objectName="quitKiosk")
        self.set_button.setDefault(True)
        self.set_button.clicked.connect(lambda: self._choose("set"))
        self.quit_button.clicked.connect(lambda: self._choose("quit"))
        layout.addWidget(self.set_button)
        layout.addWidget(self.quit_button)
        self.keep_width(layout, 640)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> bool:
        """True: leave the kiosk (the organiser chose to); False: set the PIN (or a badge interrupted)."""
        d = cls(parent)
        d.exec()
        return d.choice == "quit"


def first_pin(service: KioskService, parent: QWidget | None = None) -> bool:
    """First start: a PIN is set (True), or the organiser chose, in words, to leave (False).  Never silent."""
    while True:
        answer = SetPinDialog.ask_first(service, parent)
        if answer == FirstPin.SET:
            return True
        if answer == FirstPin.INTERRUPTED:
            continue                                 # a badge: it waits its turn; ask again
        if NeedPinDialog.ask(parent):
            return False


class StaffChoice(StrEnum):
    SEARCH = "search"
    WALK_IN = "walk_in"
    LANGUAGE = "language"
    SOUND = "sound"
    DESK = "desk"
    CAMERA = "camera"
    EXIT = "exit"
    BACK = ""


class StaffMenu(StaffDialog):
    """Returns a :class:`StaffChoice` (``BACK``: nothing).  Digits 1–8 choose too."""
    untouched_seconds = 60

    def __init__(self, parent: QWidget | None = None, *, sound_on: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("ui.menu_title"))
        self.choice = StaffChoice.BACK
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.keys: list[StaffChoice] = []
        for n, (key, label) in enumerate((
                (StaffChoice.SEARCH, "ui.menu_search"), (StaffChoice.WALK_IN, "ui.menu_walk_in"),
                (StaffChoice.LANGUAGE, "ui.menu_language"),
                (StaffChoice.SOUND, "ui.menu_sound_off" if sound_on else "ui.menu_sound_on"),
                (StaffChoice.DESK, "ui.menu_desk"),
                (StaffChoice.CAMERA, "ui.menu_camera"),
                (StaffChoice.EXIT, "ui.menu_exit"), (StaffChoice.BACK, "ui.menu_back")), start=1):
            b = QPushButton(f"{n}  {t(label)}")
            b.setObjectName(f"menu_{key or 'back'}")
            b.clicked.connect(lambda _=False, k=key: self._choose(k))
            layout.addWidget(b)
            self.keys.append(key)
        self.keep_width(layout, 560)

    def keyPressEvent(self, e) -> None:
        text = e.text()
        if text.isdigit() and 1 <= int(text) <= len(self.keys):
            # Not at once: a badge starts with a digit too.  Once no burst followed, it was a person.
            QTimer.singleShot(DIGIT_WAIT_MS, lambda k=self.keys[int(text) - 1]: self._digit(k))
        else:
            super().keyPressEvent(e)

    def _digit(self, key: StaffChoice) -> None:
        if isValid(self) and self.isVisible() and not self.interrupted:
            self._choose(key)

    def _choose(self, key: StaffChoice) -> None:
        self.choice = key
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, sound_on: bool = True) -> StaffChoice:
        d = cls(parent, sound_on=sound_on)
        d.exec()
        return d.choice
