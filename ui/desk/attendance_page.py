"""Kehadiran: everyone on the roster, live while a kiosk writes the same database (the service tells of
every commit), with search, filters by unit, kind and present or absent, sorting by any column; the
selected person's signature; the reason for an absentee (``ikrar absence set``)."""
from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kiosk.people.kinds import AbsenceReason, PersonKind
from kiosk.store import Store
from kiosk.store.register import RegisterRow, register
from ui.desk.attendance_model import TIME_COLUMN, Filter, RegisterModel, Status
from ui.desk.common import (
    FollowingPage,
    Notice,
    Summary,
    badge_text,
    hint_label,
    primary,
    table,
    thousands,
    title_label,
    where,
)
from ui.desk.service import DeskContext
from ui.messages import t


@dataclass(frozen=True, slots=True)
class Signed:
    nip: str
    png: bytes | None
    at: str


def signature_of(store: Store, event_id: int, nip: str) -> Signed:
    found = store.checkin_of(event_id, nip)
    if found is None:
        return Signed(nip, None, "")
    uuid, at, _ = found
    return Signed(nip, store.signature_png(uuid), f"{at:%H:%M:%S}")


class AttendancePage(FollowingPage):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.loads = 0                                  # registers shown (tests wait on it)
        self.load_ms = 0.0                              # the last refresh: worker query + table, in ms
        self._loading = False
        self._again = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label(t("desk.page_attendance")))
        self.summary = Summary()                           # wraps in long languages
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.summary)                      # under the title: the whole width to wrap in

        filters = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setPlaceholderText(t("desk.att_search"))
        self.query.setMinimumWidth(self.query.fontMetrics().horizontalAdvance(self.query.placeholderText()) + 64)
        self.query.setClearButtonEnabled(True)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(220)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(t("desk.att_all_kinds"), None)
        for kind in PersonKind:
            self.kind_combo.addItem(kind.label, kind)
        self.status_combo = QComboBox()
        for status in Status:
            self.status_combo.addItem(t(f"desk.att_status.{status.value}"), status)
        filters.addWidget(self.query, 2)
        filters.addWidget(self.unit_combo, 2)
        filters.addWidget(self.kind_combo, 1)
        filters.addWidget(self.status_combo, 1)
        layout.addLayout(filters)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = RegisterModel()
        self.view = table(self.model)
        header = self.view.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self.model.sort)
        for column, width in ((0, 214), (1, 196), (2, 76), (3, 180), (4, 78), (5, 70), (6, 44)):   # a spaced NIP whole
            self.view.setColumnWidth(column, width)

        split.addWidget(self.view)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        details = QGroupBox(t("desk.att_selected"))
        d = QVBoxLayout(details)
        self.who = QLabel(t("desk.att_pick"))
        self.who.setWordWrap(True)
        self.who.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        d.addWidget(self.who)
        self.signature = QLabel("")
        self.signature.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.signature.setMinimumSize(300, 130)
        self.signature.setStyleSheet("background: white; border: 1px dashed #c9d3e3;")
        d.addWidget(self.signature)
        side_layout.addWidget(details)
        self.reason_group = QGroupBox(t("desk.att_reason_group"))
        form = QFormLayout(self.reason_group)
        self.reason_combo = QComboBox()
        for reason in AbsenceReason:
            self.reason_combo.addItem(f"{reason.label} ({reason.letter})", reason)
        self.note = QLineEdit()
        self.note.setPlaceholderText(t("desk.att_note_hint"))
        self.note.setMinimumWidth(self.note.fontMetrics().horizontalAdvance(self.note.placeholderText()) + 64)
        self.reason_button = primary(t("desk.att_reason_save"))
        self.reason_button.clicked.connect(self.save_reason)
        form.addRow(t("desk.att_reason"), self.reason_combo)
        form.addRow(t("desk.att_note"), self.note)
        form.addRow("", self.reason_button)
        side_layout.addWidget(self.reason_group)
        self.notice = Notice()
        side_layout.addWidget(self.notice)
        side_layout.addWidget(hint_label(t("desk.att_live")))
        side_layout.addStretch(1)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([880, 320])
        layout.addWidget(split, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._filter)
        self.query.textChanged.connect(lambda _: self._debounce.start())
        for combo in (self.unit_combo, self.kind_combo, self.status_combo):
            combo.currentIndexChanged.connect(lambda _: self._filter())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.model.modelReset.connect(self._reselect)
        self._chosen: str | None = None
        self._show_person(None)

    # --- loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        event_id = self.context.event_id
        if event_id is None:
            self.summary.setText(t("desk.need_event"))
            self.model.set_register(())
            return
        if self._loading:                               # a kiosk commits faster than we read: once more after
            self._again = True
            return
        self._loading = True
        self.stale = False
        started = time.perf_counter()
        self.context.service.run(lambda store: register(store, event_id),
                                 success=lambda rows: self._loaded(rows, started),
                                 failure=self._load_failed)

    def _loaded(self, rows: list[RegisterRow], started: float) -> None:
        self._loading = False
        units = sorted({where(r.person) for r in rows if where(r.person)}, key=str.casefold)
        current = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem(t("desk.att_all_units"), None)
        for unit in units:
            self.unit_combo.addItem(unit, unit)
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(current)) if current else 0)
        self.unit_combo.blockSignals(False)
        self.model.set_register(rows)
        self.load_ms = (time.perf_counter() - started) * 1000
        self.loads += 1
        self._summary()
        if self._again:
            self._again = False
            self.refresh()

    def _load_failed(self, exc: Exception) -> None:
        self._loading = False
        self.notice.error(exc)

    def _summary(self) -> None:
        rows = self.model.all
        staff = [r for r in rows if r.person.kind is not PersonKind.GUEST]
        present = sum(r.present for r in staff)
        stated = sum(1 for r in staff if not r.present and r.absence is not None)
        self.summary.setText(t("desk.att_summary", present=thousands(present), total=thousands(len(staff)),
                               stated=thousands(stated), guests=sum(r.present for r in rows) - present,
                               shown=thousands(len(self.model.shown))))

    def _filter(self) -> None:
        kind = self.kind_combo.currentData()             # Qt hands StrEnums back as plain text
        self.model.set_filter(Filter(self.query.text().strip(), self.unit_combo.currentData(),
                                     PersonKind(kind) if kind else None,
                                     Status(self.status_combo.currentData() or Status.ALL)))
        self._summary()

    def sort_by_time(self) -> None:
        self.view.horizontalHeader().setSortIndicator(TIME_COLUMN, Qt.SortOrder.DescendingOrder)

    # --- the selected person ------------------------------------------------------------------------

    def selected(self) -> RegisterRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.shown[rows[0].row()] if rows and rows[0].row() < len(self.model.shown) else None

    def select(self, nip: str) -> bool:
        row = self.model.row_of(nip)
        if row >= 0:
            self.view.selectRow(row)
        return row >= 0

    def _reselect(self) -> None:
        """After a refresh, the same person stays selected (and in view)."""
        if self._chosen is not None:
            row = self.model.row_of(self._chosen)
            if row >= 0:
                self.view.selectRow(row)
                return
        self._show_person(None)

    def _selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._chosen = row.person.nip
            self._show_person(row)

    def _show_person(self, row: RegisterRow | None) -> None:
        self.reason_group.setVisible(row is not None and not row.present and row.person.kind is not PersonKind.GUEST)
        self.signature.setPixmap(QPixmap())
        self.signature.setText("")
        if row is None:
            self.who.setText(t("desk.att_pick"))
            self.signature.hide()
            return
        p = row.person
        lines = [f"<b>{p.name}</b>", f"{badge_text(p)} · {p.kind.label}"]
        lines += [x for x in (p.position, where(p), p.rank) if x]
        if row.present:
            lines.append(t("desk.att_present_at", time=f"{row.checked_in_at:%H:%M:%S}",
                           method=t(f"desk.method.{row.method}")))
            self.signature.show()
            self.signature.setText(t("desk.att_no_signature") if not row.signed else "…")
            if row.signed and self.context.event_id is not None:
                event_id, nip = self.context.event_id, p.nip
                self.context.service.run(lambda store: signature_of(store, event_id, nip), success=self._signature,
                                         failure=self.notice.error)
        else:
            self.signature.hide()
            lines.append(row.reason.label if row.reason else t("desk.att_guest_absent"))
            if row.absence is not None:
                self.reason_combo.setCurrentIndex(self.reason_combo.findData(row.absence.reason))
                self.note.setText(row.absence.note)
            else:
                self.reason_combo.setCurrentIndex(self.reason_combo.findData(AbsenceReason.TANPA_KETERANGAN))
                self.note.clear()
        self.who.setText("<br>".join(lines))

    def _signature(self, signed: Signed) -> None:
        if signed.nip != self._chosen or signed.png is None:
            return
        picture = QPixmap()
        picture.loadFromData(signed.png, "PNG")
        self.signature.setPixmap(picture.scaled(self.signature.width() - 8, 180, Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))

    def save_reason(self) -> None:
        row, event_id = self.selected(), self.context.event_id
        if row is None or event_id is None:
            return
        reason, note, nip = self.reason_combo.currentData(), self.note.text(), row.person.nip
        self.reason_button.setEnabled(False)
        self.context.service.write(lambda store: store.set_absence(nip, reason, note, event_id=event_id),
                                   success=self._reason_saved, failure=self._reason_failed)

    def _reason_saved(self, absence) -> None:
        self.reason_button.setEnabled(True)
        self.notice.say(t("cli.absence_set", name=absence.person.name, reason=absence.reason.label), "ok")

    def _reason_failed(self, exc: Exception) -> None:
        self.reason_button.setEnabled(True)
        self.notice.error(exc)
