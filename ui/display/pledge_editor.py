"""The pledge editor: a template, its placeholders (election, year, agency), the points.

Every save is a new *version*: the store keeps each text once by its SHA-256 and points
the event at it (``Store.set_event_pledge``); check-ins already signed keep the hash of
the version they signed.  The editor shows the SHA-256 of the version in use, of the
text on screen (so the organiser sees that one comma makes a new version), and the list
of saved versions.

Points are edited with their placeholders visible (``{pemilihan}``, ``{instansi}``), so
a later change of the election or the agency flows into them; a stored pledge is
turned back into that form by putting the placeholders back where their values stand.
"""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ceremony import pledge as _pledge
from kiosk.ceremony.pledge import Pledge, Template
from kiosk.i18n import KioskError
from ui.display.phrases import body_text
from ui.messages import t

_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def to_raw_point(text: str, params: dict[str, str]) -> str:
    """A rendered point back to template form: braces escaped, placeholder values → ``{name}``."""
    escaped = text.replace("{", "{{").replace("}", "}}")
    values = {v.replace("{", "{{").replace("}", "}}"): k for k, v in params.items() if v.strip()}
    if not values:
        return escaped
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    return pattern.sub(lambda m: "{" + values[m.group(0)] + "}", escaped)


def year_of(text: str) -> int | None:
    found = _YEAR.findall(text)
    if not found:
        return None
    return int(list(_YEAR.finditer(text))[-1].group(0))


def with_year(text: str, year: int) -> str:
    matches = list(_YEAR.finditer(text))
    if matches:
        m = matches[-1]
        return text[:m.start()] + str(year) + text[m.end():]
    return f"{text.rstrip()} Tahun {year}"


class PledgeEditor(QWidget):
    saveRequested = Signal(object)        # Pledge (GUI thread only)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editor")
        self.template: Template = _pledge.load_template(_pledge.DEFAULT_TEMPLATE)
        self.current: Pledge | None = None
        self.versions = None
        self.fields: dict[str, QLineEdit] = {}
        self.point_edits: list[QPlainTextEdit] = []
        self._loading = False

        top = QHBoxLayout()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.template_box = QComboBox(objectName="templateBox")
        for key in _pledge.template_keys():
            self.template_box.addItem(_pledge.load_template(key).name, key)
        self.template_box.activated.connect(lambda i: self.use_template(self.template_box.itemData(i)))
        self.form.addRow(t("editor.template"), self.template_box)
        top.addLayout(self.form, 1)
        self.year_box = QSpinBox(objectName="yearBox")
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(2024)
        self.year_box.valueChanged.connect(self._year_changed)
        year = QFormLayout()
        year.addRow(t("editor.year"), self.year_box)
        top.addLayout(year)

        points_head = QHBoxLayout()
        points_head.addWidget(QLabel(t("editor.points"), objectName="caption"))
        hint = QLabel(t("editor.placeholder_hint"), objectName="hint")
        points_head.addWidget(hint, 1)
        self.points_box = QWidget(objectName="pointsBox")
        self.points_layout = QFormLayout(self.points_box)
        self.points_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        scroll = QScrollArea(objectName="pointsScroll")
        scroll.setWidget(self.points_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        actions = QHBoxLayout()
        self.add_button = QPushButton(t("editor.add_point"), objectName="addPoint")
        self.remove_button = QPushButton(t("editor.remove_point"), objectName="removePoint")
        self.reset_button = QPushButton(t("editor.reset"), objectName="resetButton")
        self.save_button = QPushButton(t("editor.save"), objectName="saveButton")
        self.add_button.clicked.connect(lambda: (self._add_point(""), self._changed()))
        self.remove_button.clicked.connect(self._remove_point)
        self.reset_button.clicked.connect(lambda: self.use_template(self.template.key, keep_points=False))
        self.save_button.clicked.connect(self.save)
        for b in (self.add_button, self.remove_button, self.reset_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.save_button)

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.status = QLabel(objectName="status")
        self.status.setWordWrap(True)
        shas = QFormLayout()
        self.sha_current = QLabel(objectName="shaCurrent")
        self.sha_draft = QLabel(objectName="shaDraft")
        for lab in (self.sha_current, self.sha_draft):
            lab.setFont(mono)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shas.addRow(t("editor.sha_current"), self.sha_current)
        shas.addRow(t("editor.sha_draft"), self.sha_draft)

        self.table = QTableWidget(0, 4, objectName="versions")
        self.table.setHorizontalHeaderLabels([t("editor.col_id"), t("editor.col_time"), t("editor.col_template"),
                                              t("editor.col_sha")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        v = QVBoxLayout(self)
        v.setContentsMargins(8, 8, 8, 8)
        v.addLayout(top)
        v.addLayout(points_head)
        v.addWidget(scroll, 5)
        v.addLayout(actions)
        v.addLayout(shas)
        v.addWidget(self.status)
        v.addWidget(QLabel(t("editor.versions"), objectName="caption"))
        v.addWidget(self.table, 2)
        self.use_template(self.template.key, keep_points=False)

    # --- filling --------------------------------------------------------------------------------

    def load(self, pledge: Pledge, versions=None) -> None:
        """Show a stored pledge (the version in use) with its placeholders put back."""
        self.current = pledge
        self.versions = versions
        try:
            template = _pledge.load_template(pledge.key)
        except KioskError:
            template = _pledge.load_template(_pledge.DEFAULT_TEMPLATE)
        points = [to_raw_point(body_text(u), pledge.params) for u in pledge.units if u.kind == "point"]
        self._fill(template, {**template.defaults(), **{k: v for k, v in pledge.params.items()
                                                       if k in template.placeholders}}, points)
        self._show_versions()
        self._changed()

    def use_template(self, key: str, *, keep_points: bool = False) -> None:
        """Switch template: the agency typed stays; the election follows the template unless edited."""
        old = self.template
        new = _pledge.load_template(key)
        values = self.values() if self.fields else {}
        params = new.defaults()
        for name, value in values.items():
            if name in params and value.strip() and value != old.defaults().get(name):
                params[name] = value
        points = self.raw_points() if keep_points else list(new.points)
        self._fill(new, params, points)
        self._changed()

    def _fill(self, template: Template, params: dict[str, str], points: list[str]) -> None:
        self._loading = True
        try:
            self.template = template
            self.template_box.setCurrentIndex(max(0, self.template_box.findData(template.key)))
            while self.form.rowCount() > 1:
                self.form.removeRow(1)
            self.fields = {}
            for name, spec in template.placeholders.items():
                edit = QLineEdit(params.get(name, ""), objectName=f"field_{name}")
                edit.textEdited.connect(self._field_edited)
                label = QLabel(spec.get("label", name), objectName="formLabel")
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.form.addRow(label, edit)
                self.fields[name] = edit
            while self.point_edits:
                self._drop_last_point()
            for p in points:
                self._add_point(p)
            self._sync_year()
        finally:
            self._loading = False

    def _add_point(self, text: str) -> None:
        edit = QPlainTextEdit(text, objectName=f"point_{len(self.point_edits) + 1}")
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(max(64, edit.fontMetrics().lineSpacing() * 3 + 14))
        edit.textChanged.connect(self._changed)
        self.points_layout.addRow(t("editor.point", n=len(self.point_edits) + 1), edit)
        self.point_edits.append(edit)

    def _drop_last_point(self) -> None:
        self.points_layout.removeRow(self.points_layout.rowCount() - 1)
        self.point_edits.pop()

    def _remove_point(self) -> None:
        if len(self.point_edits) > 1:
            self._drop_last_point()
            self._changed()

    def _field_edited(self, _text: str) -> None:
        self._sync_year()
        self._changed()

    def _sync_year(self) -> None:
        field = self.fields.get("pemilihan")
        year = year_of(field.text()) if field is not None else None
        self.year_box.blockSignals(True)
        if year is not None:
            self.year_box.setValue(year)
        self.year_box.blockSignals(False)

    def _year_changed(self, year: int) -> None:
        field = self.fields.get("pemilihan")
        if field is not None and not self._loading:
            field.setText(with_year(field.text(), year))
            self._changed()

    # --- reading --------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.fields.items()}

    def raw_points(self) -> list[str]:
        return [e.toPlainText() for e in self.point_edits]

    def draft(self) -> Pledge:
        """The pledge as on screen; raises KioskError with a message the organiser can act on."""
        points = [" ".join(p.split()) for p in self.raw_points()]
        if not points:
            raise KioskError("editor.no_points")
        for n, p in enumerate(points, start=1):
            if not p:
                raise KioskError("editor.empty_point", n=n)
        try:
            return _pledge.render(self.template, self.values(), points)
        except (KeyError, ValueError, IndexError):
            for n, p in enumerate(points, start=1):
                try:
                    p.format_map({k: "" for k in self.template.placeholders})
                except (KeyError, ValueError, IndexError):
                    raise KioskError("editor.bad_braces", n=n,
                                     choices=", ".join("{" + k + "}" for k in self.template.placeholders)) from None
            raise

    def _changed(self, *_args) -> None:
        if self._loading:
            return
        try:
            draft = self.draft()
        except KioskError as exc:
            self.sha_draft.setText("—")
            self.status.setText(str(exc))
            self.status.setProperty("error", True)
            self.save_button.setEnabled(False)
        else:
            self.sha_draft.setText(draft.sha256)
            same = self.current is not None and draft.sha256 == self.current.sha256
            self.status.setText("" if same else t("editor.dirty"))
            self.status.setProperty("error", False)
            self.save_button.setEnabled(not same)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    # --- saving ---------------------------------------------------------------------------------

    def save(self) -> None:
        try:
            draft = self.draft()
        except KioskError as exc:
            self.status.setText(str(exc))
            return
        self.save_button.setEnabled(False)
        self.save_button.setText(t("editor.saving"))
        self.saveRequested.emit(draft)

    def saved(self, pledge: Pledge, versions, new: bool) -> None:
        self.save_button.setText(t("editor.save"))
        self.current = pledge
        self.versions = versions
        self._show_versions()
        self._changed()
        self.status.setText(t("editor.saved") if new else t("editor.unchanged"))

    def save_failed(self, message: str) -> None:
        self.save_button.setText(t("editor.save"))
        self.save_button.setEnabled(True)
        self.status.setText(message)
        self.status.setProperty("error", True)

    def _show_versions(self) -> None:
        current = self.current.sha256 if self.current is not None else ""
        self.sha_current.setText(current or "—")
        rows = list(self.versions.rows) if self.versions is not None else []
        self.table.setRowCount(len(rows))
        for r, (vid, sha, key, created) in enumerate(reversed(rows)):      # newest first
            in_use = self.versions is not None and vid == self.versions.current_id
            mark = f"  ◀ {t('editor.in_use')}" if in_use else ""
            cells = [str(vid), created.replace("T", " ")[:19], key, sha + mark]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if in_use:
                    item.setBackground(QColor("#dff0e3"))
                self.table.setItem(r, c, item)
