"""The base of every staff dialog, made for a kiosk in a queue:

* it has no minimise or maximise button, and puts itself back if a window manager minimises it
  anyway (a minimised dialog would take the kiosk with it and show the desktop);
* a badge scanned into it closes it with nothing entered (:meth:`StaffDialog.mark_interrupted` when
  the key filter sees the burst, :meth:`StaffDialog.interrupt` once the badge is read), and the scan
  is handled as a scan;
* left untouched for :attr:`StaffDialog.untouched_seconds` it closes itself, so a dialog nobody
  finished never holds the kiosk;
* it grows to show a message that wraps, so its buttons are never cut off.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QLineEdit,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)
from shiboken6 import isValid

from ui.messages import t

STYLE = """
QDialog { background: #f4f6fa; }
QLabel { font-size: 20px; color: #102040; }
QLineEdit { font-size: 28px; padding: 10px; min-height: 48px; }
QPushButton { font-size: 22px; min-height: 64px; padding: 6px 18px; }
QListWidget { font-size: 20px; }
QRadioButton { font-size: 20px; min-height: 40px; }
QLabel#error { color: #b71c1c; }
QLabel#hint { font-size: 16px; color: #4a5d78; }
"""
_TOUCHES = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
            QEvent.Type.Wheel)


def label_buttons(box: QDialogButtonBox) -> None:
    """Standard buttons in our language (no Qt translation files are shipped)."""
    standard = QDialogButtonBox.StandardButton
    for which, code in ((standard.Ok, "ui.ok"), (standard.Cancel, "ui.cancel")):
        button = box.button(which)
        if button is not None:
            button.setText(t(code))


def message_label(text: str = "", name: str = "") -> QLabel:
    """A wrapping label of plain text (messages may quote what someone typed)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    label.setText(text)
    return label


class StaffDialog(QDialog):
    """The base of every staff dialog: cannot be minimised, closes on a scan, closes when left untouched."""
    untouched_seconds: float | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint
                            | Qt.WindowType.WindowCloseButtonHint)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setStyleSheet(STYLE)
        self.interrupted = False                  # closed by a badge scan
        self.timed_out = False                    # closed because nobody touched it
        self._untouched = QTimer(self)
        self._untouched.setSingleShot(True)
        self._untouched.timeout.connect(self._expire)

    def keep_width(self, layout: QLayout, width: int) -> None:
        """The dialog is never narrower than ``width`` (the layout's minimum size rules it: nothing is clipped)."""
        margins = layout.contentsMargins()
        layout.addItem(QSpacerItem(width - margins.left() - margins.right(), 0, QSizePolicy.Policy.Fixed,
                                   QSizePolicy.Policy.Minimum))

    def mark_interrupted(self) -> None:
        """A badge is being scanned into the dialog: nothing typed stays (it closes once the badge is read)."""
        self.interrupted = True
        for field in self.findChildren(QLineEdit):
            field.clear()

    def interrupt(self) -> None:
        """A badge was scanned into the dialog: close it, nothing entered."""
        self.mark_interrupted()
        self.reject()

    def _expire(self) -> None:
        self.timed_out = True
        self.reject()

    def fit(self) -> None:
        """Grow to what the layout needs at this width (a message that wraps), within the screen."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = max(self.width(), layout.totalMinimumSize().width())
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        height = max(height, layout.totalMinimumSize().height())
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            height = min(height, screen.availableGeometry().height())
        if height > self.height() or width > self.width():
            self.resize(width, max(height, self.height()))

    # --- untouched, minimised ---------------------------------------------------------------------

    def showEvent(self, e) -> None:
        super().showEvent(e)
        QApplication.instance().installEventFilter(self)
        if self.untouched_seconds:
            self._untouched.start(round(self.untouched_seconds * 1000))
        QTimer.singleShot(0, self.fit)

    def hideEvent(self, e) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._untouched.stop()
        super().hideEvent(e)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() in _TOUCHES and self._untouched.isActive() and isinstance(obj, QWidget)
                and (obj is self or self.isAncestorOf(obj))):
            self._untouched.start()
        return False

    def changeEvent(self, e) -> None:
        super().changeEvent(e)
        if e.type() == QEvent.Type.WindowStateChange and self.windowState() & Qt.WindowState.WindowMinimized:
            QTimer.singleShot(0, self._unminimise)

    def _unminimise(self) -> None:
        if isValid(self) and self.isVisible():
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
            self.showNormal()
            self.raise_()
            self.activateWindow()
