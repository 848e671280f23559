"""What every desk page uses: the style, a notice line, the long-operation bar, tables, and the
choices asked of the user (files, folders, confirmations, passphrases) as plain functions that the
tests replace (``monkeypatch.setattr(ask, "save_file", …)``)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QWidget,
)

from kiosk.people.badge_code import format_code
from kiosk.people.nip import format_spaced
from kiosk.store import Person
from ui.desk import ask
from ui.messages import t
from ui.worker import Cancelled, Progress, describe

STYLE = """
QWidget { font-size: 10.5pt; }
QMainWindow, QDialog { background: #f5f7fb; }
QListWidget#nav { background: #0f2747; color: #e8eef8; border: none; font-size: 12pt; padding-top: 8px; }
QListWidget#nav::item { padding: 12px 16px; border-left: 4px solid transparent; }
QListWidget#nav::item:selected { background: #1d3f6e; border-left: 4px solid #f2c14e; color: white; }
QLabel#header { font-size: 12.5pt; font-weight: bold; color: #0f2747; padding: 4px 0; }
QLabel#summary { font-size: 12.5pt; font-weight: bold; color: #0f2747; }
QLabel#pageTitle { font-size: 15pt; font-weight: bold; color: #0f2747; }
QLabel#hint { color: #52607a; }
QLabel#notice_info { color: #1d3f6e; }
QLabel#notice_ok { color: #1b5e20; font-weight: bold; }
QLabel#notice_error { color: #b71c1c; font-weight: bold; }
QGroupBox { font-weight: bold; color: #0f2747; border: 1px solid #c9d3e3; border-radius: 6px;
            margin-top: 12px; padding: 10px 8px 8px 8px; background: white; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
QPushButton { padding: 6px 14px; min-height: 24px; }
QPushButton#primary { background: #1d5fbf; color: white; font-weight: bold; border-radius: 4px;
                      padding: 8px 18px; border: 1px solid #17509f; }
QPushButton#primary:disabled { background: #9fb4d6; border-color: #9fb4d6; }
QPushButton#bigAction { text-align: left; padding: 8px 14px; min-height: 28px; font-size: 11pt; }
QTableView { background: white; alternate-background-color: #f1f5fb; gridline-color: #dde4ef; }
QHeaderView::section { background: #e4eaf4; padding: 4px 6px; border: none; border-right: 1px solid #cfd8e6;
                       font-weight: bold; }
QFrame#taskbar { background: #ffffff; border: 1px solid #c9d3e3; border-radius: 6px; }
"""


def badge_text(person: Person) -> str:
    """The spaced NIP, or the printed badge code."""
    return format_spaced(person.nip) if person.kind.has_nip else format_code(person.nip)


def where(person: Person) -> str:
    return person.unit or person.institution


class Notice(QLabel):
    """One line of what happened: info, ok or error (the object name picks the style)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = "info"
        self.setObjectName("notice_info")

    def say(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setText(text)
        self.setObjectName(f"notice_{kind}")
        self.style().unpolish(self)
        self.style().polish(self)

    def error(self, exc: Exception, what: str | None = None) -> None:
        self.say(t("desk.failed", what=what, reason=describe(exc)) if what else describe(exc), "error")


class Summary(QLabel):
    """A page's bold line of figures, wrapped when a language makes it long; it keeps the height its lines
    need at its width (a box layout does not always ask a wrapped label again once its text changed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("summary")
        self.setContentsMargins(0, 4, 0, 4)
        self.setWordWrap(True)

    def _fit(self) -> None:
        self.ensurePolished()                               # the style's font, not the default one
        need = self.heightForWidth(max(self.width(), 1))
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._fit()


class TaskBar(QFrame):
    """A long operation's line: what it does, a progress bar and Cancel while it runs; then what came of
    it, and "Open the folder" when it wrote files."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskbar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = Notice()
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(220)
        self.bar.setMaximumWidth(360)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(t("desk.cancel"))
        self.folder_button = QPushButton(t("desk.open_folder"))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.folder_button)
        self.cancel_button.clicked.connect(self.cancel)
        self.folder_button.clicked.connect(self._open_folder)
        self.handle: Progress | None = None
        self.running = False
        self.what = ""
        self.folder: Path | None = None
        self._idle()
        self.hide()

    @property
    def busy(self) -> bool:
        """Between start() and succeed() or fail()."""
        return self.running

    def _idle(self) -> None:
        self.bar.hide()
        self.cancel_button.hide()
        self.folder_button.setVisible(self.folder is not None)

    def start(self, what: str) -> None:
        self.what = what
        self.running = True
        self.folder = None
        self.show()
        self.label.say(t("desk.working", what=what))
        self.bar.setRange(0, 0)                              # busy until the first report
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(False)
        self.folder_button.hide()

    def attach(self, handle: Progress) -> None:
        self.handle = handle
        self.cancel_button.setEnabled(True)

    def progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.label.say(t("desk.progress", what=self.what, done=thousands(done), total=thousands(total)))

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.cancel_button.setEnabled(False)

    def succeed(self, text: str, folder: Path | None = None) -> None:
        self.handle = None
        self.running = False
        self.folder = folder
        self.show()
        self.label.say(text, "ok")
        self._idle()

    def fail(self, exc: Exception, cancelled: str | None = None) -> None:
        self.handle = None
        self.running = False
        self.folder = None
        self.show()
        if isinstance(exc, Cancelled):
            self.label.say(cancelled or t("desk.cancelled", what=self.what), "info")
        else:
            self.label.error(exc, self.what)
        self._idle()

    def clear(self) -> None:
        """Nothing to say: the operation ended without a word of its own (the page shows the result)."""
        self.handle = None
        self.running = False
        self.hide()

    def _open_folder(self) -> None:
        if self.folder is not None:
            ask.open_folder(self.folder)


class RowsModel(QAbstractTableModel):
    """A read-only table over a sequence of rows, each shown through one function per column."""

    def __init__(self, headers: Sequence[str], cells: Sequence[Callable[[object], object]],
                 rows: Sequence[object] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.cells = list(cells)
        self.rows: Sequence[object] = rows

    def set_rows(self, rows: Sequence[object]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.isValid():
            value = self.cells[index.column()](self.rows[index.row()])
            return "" if value is None else str(value)     # the tooltip: a cell too narrow shows it whole
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) \
                and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]          # the tooltip: a column too narrow elides its title
        return None


def table(model: QAbstractTableModel, *, stretch: int = -1, sortable: bool = False) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(26)
    view.setWordWrap(False)
    view.setSortingEnabled(sortable)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch < 0)
    if stretch >= 0:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class FollowingPage(QWidget):
    """A page that follows the database (``context.dataChanged``, ``eventChanged``): it refreshes at once
    when it is shown, else only marks itself stale and refreshes when next shown (no query for a hidden
    page).  Subclasses write :meth:`refresh`, which clears ``stale`` once it has loaded."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.stale = True
        context.dataChanged.connect(self._changed)
        context.eventChanged.connect(lambda _: self._changed())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def _changed(self) -> None:
        self.stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def primary(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("primary")
    return button


def thousands(n: int) -> str:
    """12.345 (the Indonesian grouping)."""
    return f"{n:,}".replace(",", ".")
