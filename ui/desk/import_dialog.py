"""The roster import preview: nothing is written until the user has seen what will be.

The file is read on the worker (with progress and cancel); the dialog shows the header row found
and which column was taken for which field, each correctable (the header row by its line or a
double-click in the file's content, each field's column from a list), the rows that will be
imported, every problem by line with its fix, and the warnings.  The user chooses explicitly
between all or nothing and keeping the valid rows, and whether the file replaces the roster.
Every correction reads the file again with :func:`kiosk.people.roster.read_roster`'s
``header_line`` and ``columns``; the import is :meth:`kiosk.store.Store.import_roster`, what
``ikrar roster import`` runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from kiosk.i18n import KioskError
from kiosk.people.nik import mask_nik
from kiosk.people.nip import format_spaced
from kiosk.people.roster import (
    ParsedRoster,
    RosterPeek,
    column_letter,
    field_label,
    list_fields,
    peek_roster,
    read_roster,
)
from kiosk.store import ImportCounts, Store
from ui.desk.common import STYLE, Notice, RowsModel, TaskBar, hint_label, primary, table
from ui.desk.service import DeskContext
from ui.messages import t
from ui.worker import Cancelled, Progress

#: Mnemonic letters (Alt+letter focuses the field's column choice), where the label holds them.
MNEMONICS = {"nip": "N", "name": "m", "front_title": "d", "back_title": "b", "position": "J", "unit": "U",
             "rank": "P", "pangkat": "t", "golongan": "G", "nik": "K", "employment": "S"}


@dataclass(frozen=True, slots=True)
class Preview:
    """One reading: the roster as read (None when the file's header could not be read), why not, the top."""
    parsed: ParsedRoster | None
    error: KioskError | None
    peek: RosterPeek | None


def preview(path: Path, non_asn: bool, header_line: int | None, columns: dict[str, int] | None,
            peek: RosterPeek | None, progress: Progress) -> Preview:
    """Read ``path`` as chosen; a header that cannot be read is an answer too (the user chooses it then)."""
    if peek is None:
        peek = peek_roster(path, non_asn=non_asn)
    progress.check()
    try:
        parsed = read_roster(path, non_asn=non_asn, header_line=header_line, columns=columns, progress=progress)
    except Cancelled:
        raise
    except KioskError as exc:
        return Preview(None, exc, peek)
    return Preview(parsed, None, peek)


def mnemonics(labels: dict[str, str], used: set[str]) -> dict[str, str]:
    """Each label with an ``&`` before its mnemonic letter: the field's preferred one (:data:`MNEMONICS`) where
    the label holds it, else its first letter not yet taken; none when every letter is taken."""
    out: dict[str, str] = {}
    chosen: dict[str, int] = {}
    for field, label in labels.items():
        wanted = MNEMONICS.get(field, "")
        at = label.find(wanted) if wanted else -1
        if at >= 0 and wanted.casefold() not in used:
            used.add(wanted.casefold())
            chosen[field] = at
    for field, label in labels.items():
        if field not in chosen:
            at = next((i for i, c in enumerate(label) if c.isalpha() and c.casefold() not in used), -1)
            if at >= 0:
                used.add(label[at].casefold())
                chosen[field] = at
    for field, label in labels.items():
        at = chosen.get(field, -1)
        out[field] = label[:at] + "&" + label[at:] if at >= 0 else label
    return out


class PeekModel(RowsModel):
    """The top of the file as it is, the header row in bold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([], [], (), parent)
        self.header_line: int | None = None

    def show(self, peek: RosterPeek, header_line: int | None) -> None:
        width = max((len(cells) for _, cells in peek.lines), default=0)
        self.beginResetModel()
        self.headers = [t("desk.col_line")] + [column_letter(peek.first_column + i) for i in range(width)]
        self.cells = [lambda r: r[0]] + [lambda r, i=i: r[1][i] if i < len(r[1]) else "" for i in range(width)]
        self.rows = peek.lines
        self.header_line = header_line
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if index.isValid() and self.rows[index.row()][0] == self.header_line:  # type: ignore[index]
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor("#fff3c4")
        return super().data(index, role)


class ImportDialog(QDialog):
    imported = Signal(str)                # what was imported, in words

    def __init__(self, context: DeskContext, path: Path, *, non_asn: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path = Path(path)
        self.non_asn = non_asn
        self.fields = list_fields(non_asn)
        self.result: Preview | None = None
        self.reads = 0                    # readings answered (tests wait on it)
        self._asked = 0
        self._handle: Progress | None = None
        self._reading = False
        self._fresh = False                          # the rows shown are those of the choice shown
        self._header_line: int | None = None       # chosen by hand
        self._columns: dict[str, int] | None = None
        self.setStyleSheet(STYLE)
        self.setModal(True)
        self._title()
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(1280, screen.width() - 40), min(760, screen.height() - 40))
        layout = QVBoxLayout(self)
        self.file_label = hint_label("")
        layout.addWidget(self.file_label)

        group = QGroupBox(t("desk.header_group"))
        grid = QGridLayout(group)
        used = {"i"}                                          # Alt+I: Import
        shortcuts = mnemonics({"_line": t("desk.header_line"), **{f: field_label(f) for f in self.fields}}, used)
        line_label = QLabel(shortcuts["_line"])
        self.line_spin = QSpinBox()
        self.line_spin.setRange(1, 1_000_000)
        self.line_spin.setKeyboardTracking(False)
        line_label.setBuddy(self.line_spin)
        self.line_state = hint_label("")
        self.auto_button = QPushButton(t("desk.header_auto"))
        self.auto_button.clicked.connect(self.automatic)
        self.line_spin.valueChanged.connect(self._line_changed)
        top = QHBoxLayout()
        top.addWidget(line_label)
        top.addWidget(self.line_spin)
        top.addWidget(self.line_state, 1)
        top.addWidget(self.auto_button)
        grid.addLayout(top, 0, 0, 1, 8)
        self.combos: dict[str, QComboBox] = {}
        per_row = 3
        for n, field in enumerate(self.fields):
            label = QLabel(shortcuts[field])
            combo = QComboBox()
            combo.setObjectName(f"column_{field}")
            combo.setMinimumWidth(max(170, combo.fontMetrics().horizontalAdvance(t("desk.column_none")) + 64))
            combo.currentIndexChanged.connect(lambda _=0, f=field: self._column_changed(f))
            label.setBuddy(combo)
            self.combos[field] = combo
            r, c = divmod(n, per_row)
            grid.addWidget(label, 1 + r, 2 * c)
            grid.addWidget(combo, 1 + r, 2 * c + 1)
        for c in range(per_row):
            grid.setColumnStretch(2 * c + 1, 1)
        layout.addWidget(group)

        self.tabs = QTabWidget()
        row_headers, row_cells = self._row_columns()
        self.rows_model = RowsModel(row_headers, row_cells)
        self.problems_model = RowsModel([t("desk.col_line"), t("desk.col_problem")], [_line, lambda p: p.message])
        self.warnings_model = RowsModel([t("desk.col_line"), t("desk.col_warning")], [_line, lambda p: p.message])
        self.peek_model = PeekModel()
        self.rows_view = table(self.rows_model)
        for column, width in enumerate((60, 190, 300, 230, 260, 150)):
            self.rows_view.setColumnWidth(column, width)
        self.problems_view = table(self.problems_model, stretch=1)
        self.problems_view.setWordWrap(True)
        self.problems_view.setColumnWidth(0, 60)
        self.warnings_view = table(self.warnings_model, stretch=1)
        self.warnings_view.setWordWrap(True)
        self.warnings_view.setColumnWidth(0, 60)
        file_tab = QWidget()
        file_layout = QVBoxLayout(file_tab)
        file_layout.setContentsMargins(0, 4, 0, 0)
        file_layout.addWidget(hint_label(t("desk.file_hint")))
        self.peek_view = table(self.peek_model)
        self.peek_view.doubleClicked.connect(self._header_picked)
        file_layout.addWidget(self.peek_view)
        for widget in (self.rows_view, self.problems_view, self.warnings_view, file_tab):
            self.tabs.addTab(widget, "")
        layout.addWidget(self.tabs, 1)

        modes = QVBoxLayout()                              # one choice a line: each is a sentence
        modes.setSpacing(2)
        self.mode_all = QRadioButton(t("desk.mode_all"))
        self.mode_valid = QRadioButton("")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.mode_all)
        self.mode_group.addButton(self.mode_valid)
        self.mode_all.setChecked(True)
        self.mode_all.toggled.connect(lambda _: self._update())
        modes.addWidget(self.mode_all)
        modes.addWidget(self.mode_valid)
        layout.addLayout(modes)
        self.replace_box = QCheckBox(t("desk.replace"))
        layout.addWidget(self.replace_box)
        self.task = TaskBar()
        layout.addWidget(self.task)
        bottom = QHBoxLayout()
        self.notice = Notice()
        bottom.addWidget(self.notice, 1)
        self.reread_button = QPushButton(t("desk.reread"))
        self.reread_button.clicked.connect(self.read)
        self.close_button = QPushButton(t("desk.close"))
        self.close_button.clicked.connect(self.reject)
        self.import_button = primary("")
        self.import_button.clicked.connect(self.submit)
        for b in (self.reread_button, self.close_button, self.import_button):
            bottom.addWidget(b)
        layout.addLayout(bottom)
        self._update()
        self.read()

    def _row_columns(self) -> tuple[list[str], list]:
        if self.non_asn:
            return ([t("desk.col_line"), t("desk.col_nik"), t("desk.col_name"), t("desk.col_position"),
                     t("desk.field_unit"), t("desk.col_status")],
                    [lambda r: r.line, lambda r: mask_nik(r.nik) if r.nik else "", lambda r: r.name,
                     lambda r: r.position, lambda r: r.unit, lambda r: r.employment])
        return ([t("desk.col_line"), "NIP", t("desk.col_name"), t("desk.col_position"), t("desk.field_unit"),
                 t("desk.col_rank"), t("desk.col_kind")],
                [lambda r: r.line, lambda r: format_spaced(r.nip), lambda r: r.name, lambda r: r.position,
                 lambda r: r.unit, lambda r: r.rank, lambda r: r.kind.label])

    # --- reading --------------------------------------------------------------------------------

    def read(self) -> None:
        """Read the file as now chosen (again); a reading still under way is cancelled."""
        if self._handle is not None:
            self._handle.cancel()
        self._asked += 1
        asked = self._asked
        path, non_asn, line = self.path, self.non_asn, self._header_line
        columns = dict(self._columns) if self._columns is not None else None
        peek = self.result.peek if self.result is not None else None
        self._reading = True
        self.task.start(t("desk.reading", name=self.path.name))
        self._handle = self.context.service.run_long(
            lambda store, progress: preview(path, non_asn, line, columns, peek, progress),
            success=lambda answer: self._read_done(asked, answer), failure=lambda exc: self._read_failed(asked, exc),
            progress=lambda done, total: self._progress(asked, done, total))
        self.task.attach(self._handle)
        self._update()

    def _progress(self, asked: int, done: int, total: int) -> None:
        if asked == self._asked and isValid(self):
            self.task.progress(done, total)

    def _read_done(self, asked: int, answer: Preview) -> None:
        self.reads += 1
        if asked != self._asked or not isValid(self):
            return
        self._handle = None
        self._reading = False
        self._fresh = True
        self.result = answer
        self.task.clear()
        parsed = answer.parsed
        if answer.peek is not None:
            self._describe_file(answer.peek, parsed)
        if parsed is not None:
            self.line_state.setText(t("desk.header_chosen") if parsed.chosen
                                    else t("desk.header_detected", line=parsed.header_line))
            self._set_line(parsed.header_line)
            self._fill_combos(parsed.header_cells, parsed.first_column, parsed.positions)
            if answer.peek is not None:
                self._show_peek(answer.peek, parsed.header_line)
            self.rows_model.set_rows(parsed.rows)
            self.problems_model.set_rows(parsed.problems)
            self.warnings_model.set_rows(parsed.warnings)
            for view, count in ((self.problems_view, len(parsed.problems)), (self.warnings_view, len(parsed.warnings))):
                # Each message whole (wrapped) while there are few; thousands keep one line each, quick to show.
                view.verticalHeader().setSectionResizeMode(
                    QHeaderView.ResizeMode.ResizeToContents if count <= 500 else QHeaderView.ResizeMode.Fixed)
            self.tabs.setCurrentIndex(1 if parsed.problems and not parsed.rows else 0)
            if not parsed.problems:
                self.notice.say(t("desk.import_clean", rows=len(parsed.rows)), "ok")
            else:
                self.notice.say(t("desk.import_blocked", problems=len(parsed.problems)), "error")
        else:
            line = self._header_line or (answer.peek.header_line if answer.peek else None)
            self.line_state.setText(t("desk.header_chosen") if self._header_line else "")
            if answer.peek is not None:
                self._show_peek(answer.peek, line)
                cells = next((cells for at, cells in answer.peek.lines if at == line), ())
                self._fill_combos(cells, answer.peek.first_column, self._columns or {})
            if line is not None:
                self._set_line(line)
            for model in (self.rows_model, self.problems_model, self.warnings_model):
                model.set_rows([])
            self.tabs.setCurrentIndex(3)
            if answer.error is not None:
                self.notice.error(answer.error)
        self._update()

    def _read_failed(self, asked: int, exc: Exception) -> None:
        self.reads += 1
        if asked != self._asked or not isValid(self):
            return
        self._handle = None
        self._reading = False
        self._fresh = False                          # what is shown was read with another choice
        self.task.fail(exc, t("desk.read_cancelled", name=self.path.name))
        if not isinstance(exc, Cancelled):
            self.notice.error(exc)
        self._update()

    def _describe_file(self, peek: RosterPeek, parsed: ParsedRoster | None) -> None:
        kind = t("desk.import_kind_non_asn" if self.non_asn else "desk.import_kind_asn")
        if peek.format == "xlsx":
            shape = t("desk.import_file_xlsx", sheet=(parsed.sheet if parsed else None) or peek.sheet or "")
        else:
            sep = {"\t": "Tab"}.get(peek.delimiter or "", peek.delimiter or "")
            shape = t("desk.import_file_csv", encoding={"cp1252": "Windows-1252", "utf-8-sig": "UTF-8 (BOM)"}
                      .get(peek.encoding or "", (peek.encoding or "").upper()), sep=sep)
        self.file_label.setText(f"<b>{self.path.name}</b> · {shape} · {kind}")

    def _show_peek(self, peek: RosterPeek, header_line: int | None) -> None:
        self.peek_model.show(peek, header_line)
        self.peek_view.resizeColumnsToContents()             # 40 rows: cheap, and the file reads as it is
        for column in range(self.peek_model.columnCount()):
            self.peek_view.setColumnWidth(column, min(self.peek_view.columnWidth(column), 260))

    def _set_line(self, line: int) -> None:
        self.line_spin.blockSignals(True)
        self.line_spin.setValue(line)
        self.line_spin.blockSignals(False)

    def _fill_combos(self, cells: tuple[str, ...], first_column: int, positions: dict[str, int]) -> None:
        for field, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(t("desk.column_none"), -1)
            for i, header in enumerate(cells):
                combo.addItem(f"{column_letter(first_column + i)} · {header or t('desk.column_blank')}", i)
            combo.setCurrentIndex(combo.findData(positions.get(field, -1)))
            combo.blockSignals(False)

    # --- corrections ----------------------------------------------------------------------------

    def _column_changed(self, field: str) -> None:
        self._columns = {f: c.currentData() for f, c in self.combos.items() if c.currentData() not in (None, -1)}
        if self._header_line is None:
            line = self.result.parsed.header_line if self.result and self.result.parsed else self.line_spin.value()
            self._header_line = line
        self.read()

    def _line_changed(self, line: int) -> None:
        self.choose_header(line)

    def choose_header(self, line: int) -> None:
        """Take ``line`` as the header row: its names decide the columns again."""
        self._header_line = line
        self._columns = None
        self.read()

    def _header_picked(self, index: QModelIndex) -> None:
        if self.result is not None and self.result.peek is not None and index.isValid():
            self.choose_header(self.result.peek.lines[index.row()][0])

    def automatic(self) -> None:
        self._header_line = None
        self._columns = None
        self.read()

    # --- importing ------------------------------------------------------------------------------

    def _update(self) -> None:
        parsed = self.result.parsed if self.result is not None else None
        rows = len(parsed.rows) if parsed else 0
        problems = len(parsed.problems) if parsed else 0
        self.tabs.setTabText(0, t("desk.tab_rows", count=rows))
        self.tabs.setTabText(1, t("desk.tab_problems", count=problems))
        self.tabs.setTabText(2, t("desk.tab_warnings", count=len(parsed.warnings) if parsed else 0))
        self.tabs.setTabText(3, t("desk.tab_file"))
        self.mode_valid.setText(t("desk.mode_valid", rows=rows, problems=problems))
        self.mode_valid.setEnabled(bool(problems))
        if not problems:
            self.mode_all.setChecked(True)
        elif parsed is not None and self._fresh and not self._reading:
            if self.mode_valid.isChecked():
                self.notice.say(t("desk.import_skipping", rows=rows, problems=problems), "info")
            else:
                self.notice.say(t("desk.import_blocked", problems=problems), "error")
        allowed = parsed is not None and rows > 0 and not self._reading and self._fresh and (
            not problems or self.mode_valid.isChecked())
        self.import_button.setText("&" + t("desk.import_go", rows=rows))
        self.import_button.setEnabled(allowed)
        self.auto_button.setEnabled(self._header_line is not None or self._columns is not None)
        self._title()

    def _title(self) -> None:
        parsed = self.result.parsed if self.result is not None else None
        if self._reading:
            state = t("desk.import_reading")
        elif parsed is not None:
            state = t("desk.import_ready", rows=len(parsed.rows), problems=len(parsed.problems))
        else:
            self.setWindowTitle(t("desk.import_title", name=self.path.name))
            return
        self.setWindowTitle(t("desk.import_title_state", name=self.path.name, state=state))

    def submit(self) -> None:
        parsed = self.result.parsed if self.result is not None else None
        event_id = self.context.event_id
        if parsed is None or event_id is None or not self.import_button.isEnabled():
            return
        replace, keep_valid = self.replace_box.isChecked(), self.mode_valid.isChecked()
        self.import_button.setEnabled(False)
        self.task.start(t("desk.importing"))
        self.context.service.write(
            lambda store: _import(store, parsed, event_id, replace, keep_valid),
            success=lambda counts: self._imported(parsed, counts), failure=self._import_failed)

    def _imported(self, parsed: ParsedRoster, counts: ImportCounts) -> None:
        text = t("desk.imported", added=counts.added, updated=counts.updated, unchanged=counts.unchanged,
                 skipped=len(parsed.problems))
        if self.replace_box.isChecked():
            text += t("desk.imported_removed", count=len(counts.removed))
        if counts.kept:
            text += t("desk.imported_kept", count=len(counts.kept))
        self.imported.emit(text)
        if isValid(self):
            self.accept()

    def _import_failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        self.task.fail(exc)
        self._update()

    def reject(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        super().reject()


def _import(store: Store, parsed: ParsedRoster, event_id: int, replace: bool, keep_valid: bool) -> ImportCounts:
    return store.import_roster(parsed, event_id=event_id, replace=replace, skip_invalid=keep_valid)


def _line(problem: object) -> str:
    line = getattr(problem, "line", 0)
    return str(line) if line else t("desk.whole_file")
