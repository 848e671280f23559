"""What the desk asks the user: files, folders, a yes or no, a passphrase; and opening a folder.

Plain module functions, so that a test replaces exactly the question it answers
(``monkeypatch.setattr(ask, "save_file", lambda *a, **k: path)``) and every page still goes
through the real code after the answer.  The folder last chosen is offered next time.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.exchange import sealing  # noqa: F401  (its passphrase messages)
from ui.messages import t

_last: list[Path] = []


def start_folder() -> Path:
    if _last:
        return _last[-1]
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def remember(path: Path) -> Path:
    _last[:] = [path if path.is_dir() else path.parent]
    return path


def save_file(parent: QWidget | None, title: str, name: str, filter: str) -> Path | None:
    """Where to save: a path, or None when the user cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder() / name), filter)
    return remember(Path(chosen)) if chosen else None


def open_file(parent: QWidget | None, title: str, filter: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder()), filter)
    return remember(Path(chosen)) if chosen else None


def open_files(parent: QWidget | None, title: str, filter: str) -> list[Path]:
    chosen, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder()), filter)
    if chosen:
        remember(Path(chosen[0]))
    return [Path(c) for c in chosen]


def folder(parent: QWidget | None, title: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start_folder()))
    return remember(Path(chosen)) if chosen else None


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(t("desk.cancel"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button


def passphrase(parent: QWidget | None, prompt: str, *, twice: bool = False) -> str | None:
    """A passphrase typed (twice for a new one: both must match, else asked again); None: cancelled."""
    dialog = PassphraseDialog(prompt, twice, parent)
    return dialog.value if dialog.exec() == QDialog.DialogCode.Accepted else None


def open_folder(path: Path) -> None:
    """The folder in the system's file manager (Explorer on Windows)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class PassphraseDialog(QDialog):
    def __init__(self, prompt: str, twice: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("desk.passphrase_title"))
        self.setMinimumWidth(480)
        self.value: str | None = None
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.fields = []
        for n in range(2 if twice else 1):
            field = QLineEdit()
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setPlaceholderText(t("desk.passphrase_again") if n else t("desk.passphrase_title"))
            layout.addWidget(field)
            self.fields.append(field)
        self.error = QLabel("")
        self.error.setObjectName("notice_error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("desk.ok"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("desk.cancel"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _submit(self) -> None:
        texts = [f.text() for f in self.fields]
        if not texts[0]:
            return
        if len(texts) == 2 and texts[0] != texts[1]:
            self.error.setText(t("exchange.passphrase_mismatch"))
            for f in self.fields:
                f.clear()
            self.fields[0].setFocus()
            return
        self.value = texts[0]
        self.accept()
