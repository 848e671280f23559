"""Acara: create, edit and activate events; what the documents print; the pledge template and its
placeholders.  The same core calls as ``ikrar event create | edit | set | activate``."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ceremony import pledge as _pledge
from kiosk.store import SETTINGS, Event, Store
from ui.desk import ask
from ui.desk.common import Notice, hint_label, primary, title_label
from ui.desk.service import DeskContext
from ui.messages import t

LOGO = "logo"


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    key: str
    name: str
    placeholders: tuple[tuple[str, str, str], ...]     # (name, label, default)


@dataclass(frozen=True, slots=True)
class EventsData:
    events: tuple[Event, ...]
    pledges: dict[int, tuple[str, dict[str, str], str]]  # event id -> (template key, params, sha256)
    templates: tuple[TemplateInfo, ...]


def load(store: Store) -> EventsData:
    events = tuple(store.events())
    pledges = {}
    for e in events:
        p = store.pledge(e.pledge_id)
        pledges[e.id] = (p.key, dict(p.params), p.sha256)
    templates = []
    for key in _pledge.template_keys():
        tpl = _pledge.load_template(key)
        templates.append(TemplateInfo(key, tpl.name, tuple((name, spec.get("label", name), spec.get("default", ""))
                                                            for name, spec in tpl.placeholders.items())))
    return EventsData(events, pledges, tuple(templates))


@dataclass(frozen=True, slots=True)
class EventForm:
    """What the form holds: the event, its settings, the pledge's template and placeholders."""
    title: str
    date: str
    venue: str
    settings: dict[str, str]
    template: str
    params: dict[str, str]
    copy_from: int | None = None


def _params(template: _pledge.Template, form: EventForm) -> dict[str, str]:
    """The placeholders given: the form's, and the agency from the settings (both the pledge's and the kop's)."""
    params = {k: " ".join(v.split()) for k, v in form.params.items() if k in template.placeholders and v.strip()}
    if "instansi" in template.placeholders and form.settings.get("instansi", "").strip():
        params["instansi"] = " ".join(form.settings["instansi"].split())
    return params


def create(store: Store, form: EventForm) -> tuple[Event, int]:
    """``ikrar event create``: the event (made active), its settings, a copied roster."""
    template = _pledge.load_template(form.template)
    rendered = _pledge.render(template, _params(template, form))
    if form.copy_from is not None:
        store.event(form.copy_from)
    with store.write():
        e = store.create_event(form.title, form.date, form.venue, pledge=rendered)
        e = store.set_event_settings(e.id, form.settings)
        copied = store.copy_roster(form.copy_from, e.id) if form.copy_from is not None else 0
    return e, copied


def save(store: Store, event_id: int, form: EventForm) -> tuple[Event, bool]:
    """``ikrar event edit`` and ``event set``: a new pledge version only when its template or placeholders
    changed (so wording edited in the pledge console is not replaced by an unrelated edit)."""
    template = _pledge.load_template(form.template)
    current = store.pledge(store.event(event_id).pledge_id)
    wanted = {**template.defaults(), **_params(template, form)}
    rendered = None
    if form.template != current.key or wanted != current.params:
        rendered = _pledge.render(template, _params(template, form))
    with store.write():
        e = store.update_event(event_id, title=form.title, date=form.date, venue=form.venue)
        e = store.set_event_settings(event_id, form.settings)
        changed = rendered is not None and rendered.sha256 != store.pledge_sha256(e.pledge_id)
        if changed and rendered is not None:
            store.set_event_pledge(event_id, rendered)
            e = store.event(event_id)
    return e, changed


class EventsPage(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.data: EventsData | None = None
        self.editing: int | None = None                   # the event in the form; None: a new one
        self.loads = 0
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)

        left = QVBoxLayout()
        left.addWidget(title_label(t("desk.events_list")))
        self.list = QTableWidget(0, 3)
        self.list.setHorizontalHeaderLabels([t("desk.col_date"), t("desk.col_title"), t("desk.col_active")])
        for column in range(3):                            # a column too narrow elides its title: say it whole
            item = self.list.horizontalHeaderItem(column)
            item.setToolTip(item.text())
        self.list.verticalHeader().hide()
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.list.itemSelectionChanged.connect(self._picked)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton(t("desk.event_new"))
        self.activate_button = QPushButton(t("desk.event_activate"))
        self.new_button.clicked.connect(self.new_event)
        self.activate_button.clicked.connect(self.activate)
        row.addWidget(self.new_button)
        row.addWidget(self.activate_button)
        left.addLayout(row)
        outer.addLayout(left, 2)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        form_host = QWidget()
        scroll.setWidget(form_host)
        right = QVBoxLayout(form_host)
        right.setContentsMargins(8, 0, 8, 0)
        self.form_title = title_label(t("desk.event_form"))
        right.addWidget(self.form_title)
        basics = QFormLayout()
        self.title_edit = QLineEdit()
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd-MM-yyyy")
        self.venue_edit = QLineEdit()
        self.copy_combo = QComboBox()
        self.copy_label = QLabel(t("desk.copy_roster"))
        basics.addRow(t("desk.field_title"), self.title_edit)
        basics.addRow(t("desk.field_date"), self.date_edit)
        basics.addRow(t("desk.field_venue"), self.venue_edit)
        basics.addRow(self.copy_label, self.copy_combo)
        right.addLayout(basics)

        docs = QGroupBox(t("desk.documents_group"))
        docs_form = QFormLayout(docs)
        self.settings: dict[str, QLineEdit] = {}
        for key in SETTINGS:
            field = QLineEdit()
            field.setObjectName(f"setting_{key}")
            hint = f"desk.hint.{key}"
            if t(hint) != hint:
                field.setPlaceholderText(t(hint))
            self.settings[key] = field
            if key == LOGO:
                field.setReadOnly(True)
                box = QHBoxLayout()
                self.logo_preview = QLabel()
                self.logo_preview.setFixedSize(44, 44)
                self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
                pick, clear = QPushButton(t("desk.logo_pick")), QPushButton(t("desk.logo_clear"))
                pick.clicked.connect(self._pick_logo)
                clear.clicked.connect(lambda: self._set_logo(""))
                box.addWidget(self.logo_preview)
                box.addWidget(field, 1)
                box.addWidget(pick)
                box.addWidget(clear)
                docs_form.addRow(t(f"desk.setting.{key}"), box)
            else:
                docs_form.addRow(t(f"desk.setting.{key}"), field)
        right.addWidget(docs)

        words = QGroupBox(t("desk.pledge_group"))
        self.pledge_form = QFormLayout(words)
        self.template_combo = QComboBox()
        self.template_combo.currentIndexChanged.connect(self._template_changed)
        self.pledge_form.addRow(t("desk.pledge_template"), self.template_combo)
        self.placeholders: dict[str, QLineEdit] = {}
        self.sha_label = hint_label("")
        self.sha_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right.addWidget(words)
        right.addWidget(self.sha_label)
        right.addWidget(hint_label(t("desk.pledge_hint")))
        right.addStretch(1)
        column = QVBoxLayout()                             # the form scrolls; Save and its answer stay in view
        column.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.save_button = primary(t("desk.event_save"))
        self.save_button.clicked.connect(self.submit)
        buttons.addWidget(self.save_button)
        self.notice = Notice()
        buttons.addWidget(self.notice, 1)
        column.addLayout(buttons)
        outer.addLayout(column, 3)
        context.dataChanged.connect(self.refresh)

    # --- loading --------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.context.service.run(load, success=self._loaded,
                                 failure=lambda exc: self.notice.say(t("desk.events_failed", reason=str(exc)),
                                                                     "error"))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.data is None:
            self.refresh()

    def _loaded(self, data: EventsData) -> None:
        self.loads += 1
        first = self.data is None
        self.data = data
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        for tpl in data.templates:
            self.template_combo.addItem(tpl.name, tpl.key)
        self.template_combo.blockSignals(False)
        self.copy_combo.clear()
        self.copy_combo.addItem(t("desk.copy_none"), None)
        for e in data.events:
            self.copy_combo.addItem(f"{e.date} · {e.title}", e.id)
        self.list.blockSignals(True)
        self.list.setRowCount(len(data.events))
        for r, e in enumerate(data.events):
            for c, text in enumerate((e.date, e.title, "✓" if e.active else "")):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.list.setItem(r, c, item)
        self.list.blockSignals(False)
        ids = [e.id for e in data.events]
        keep = self.editing if self.editing in ids else None
        if first or keep is None:
            keep = self.context.event_id if self.context.event_id in ids else (ids[-1] if ids else None)
        if keep is None:
            self.new_event()
        else:
            self.list.selectRow(ids.index(keep))
            self.show_event(keep)

    def _picked(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        if rows:
            self.show_event(rows[0].data(Qt.ItemDataRole.UserRole))

    def show_event(self, event_id: int) -> None:
        assert self.data is not None
        e = next(e for e in self.data.events if e.id == event_id)
        self.editing = e.id
        self.form_title.setText(t("desk.event_form") + f": {e.title}")
        self.title_edit.setText(e.title)
        self.date_edit.setDate(QDate.fromString(e.date, "yyyy-MM-dd"))
        self.venue_edit.setText(e.venue)
        self.copy_label.hide()
        self.copy_combo.hide()
        for key, field in self.settings.items():
            field.setText(e.setting(key))
            field.setCursorPosition(0)                     # a long address shows its beginning
        self._set_logo(e.setting(LOGO))
        key, params, sha = self.data.pledges[e.id]
        self._show_template(key, params)
        self.sha_label.setText(t("desk.pledge_sha", sha=sha))
        self.save_button.setText(t("desk.event_save"))
        self.activate_button.setEnabled(not e.active)

    def new_event(self) -> None:
        self.editing = None
        self.list.clearSelection()
        self.form_title.setText(t("desk.event_form_new"))
        self.title_edit.setText("Apel Ikrar Netralitas ASN")
        self.date_edit.setDate(QDate.currentDate())
        self.venue_edit.clear()
        self.copy_label.show()
        self.copy_combo.show()
        self.copy_combo.setCurrentIndex(0)
        current = self.context.event
        for key, field in self.settings.items():          # the same office usually holds the next apel too
            field.setText(current.setting(key) if current is not None else "")
        self._set_logo(current.setting(LOGO) if current is not None else "")
        self._show_template(_pledge.DEFAULT_TEMPLATE, {})
        self.sha_label.setText("")
        self.save_button.setText(t("desk.event_create"))
        self.activate_button.setEnabled(False)
        self.title_edit.setFocus()

    def _show_template(self, key: str, params: dict[str, str]) -> None:
        self.template_combo.blockSignals(True)
        index = self.template_combo.findData(key)
        self.template_combo.setCurrentIndex(max(0, index))
        self.template_combo.blockSignals(False)
        self._fill_placeholders(params)

    def _template_changed(self) -> None:
        self._fill_placeholders({k: f.text() for k, f in self.placeholders.items()})

    def _fill_placeholders(self, params: dict[str, str]) -> None:
        while self.pledge_form.rowCount() > 1:
            self.pledge_form.removeRow(1)
        self.placeholders = {}
        info = self._template()
        if info is None:
            return
        for name, label, default in info.placeholders:
            if name == "instansi":
                continue                                   # the agency field of the kop fills it
            field = QLineEdit(params.get(name) or default)
            field.setObjectName(f"placeholder_{name}")
            self.placeholders[name] = field
            self.pledge_form.addRow(label, field)

    def _template(self) -> TemplateInfo | None:
        if self.data is None:
            return None
        key = self.template_combo.currentData()
        return next((tpl for tpl in self.data.templates if tpl.key == key), None)

    # --- the logo -------------------------------------------------------------------------------

    def _pick_logo(self) -> None:
        path = ask.open_file(self, t("desk.setting.logo"), t("desk.logo_filter"))
        if path is not None:
            self._set_logo(str(path))

    def _set_logo(self, path: str) -> None:
        self.settings[LOGO].setText(path)
        self.settings[LOGO].setCursorPosition(0)
        picture = QPixmap(path) if path else QPixmap()
        self.logo_preview.setPixmap(picture.scaled(44, 44, Qt.AspectRatioMode.KeepAspectRatio,
                                                   Qt.TransformationMode.SmoothTransformation)
                                    if not picture.isNull() else QPixmap())

    # --- saving ---------------------------------------------------------------------------------

    def form(self) -> EventForm:
        date = self.date_edit.date()
        return EventForm(self.title_edit.text(), _dt.date(date.year(), date.month(), date.day()).isoformat(),
                         self.venue_edit.text(), {k: f.text() for k, f in self.settings.items()},
                         self.template_combo.currentData() or _pledge.DEFAULT_TEMPLATE,
                         {k: f.text() for k, f in self.placeholders.items()},
                         self.copy_combo.currentData() if self.editing is None else None)

    def submit(self) -> None:
        form = self.form()
        self.save_button.setEnabled(False)
        self.notice.say(t("desk.working", what=t("desk.event_saving")))
        if self.editing is None:
            self.context.service.write(lambda store: create(store, form), success=self._created,
                                       failure=self._failed)
        else:
            event_id = self.editing
            self.context.service.write(lambda store: save(store, event_id, form), success=self._saved,
                                       failure=self._failed)

    def _created(self, answer: tuple[Event, int]) -> None:
        event, copied = answer
        self.editing = event.id
        self.save_button.setEnabled(True)
        self.notice.say(t("desk.event_created", title=event.title,
                          copied=t("desk.event_copied", count=copied) if copied else ""), "ok")

    def _saved(self, answer: tuple[Event, bool]) -> None:
        self.save_button.setEnabled(True)
        self.notice.say(t("desk.event_saved_pledge" if answer[1] else "desk.event_saved"), "ok")

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        self.notice.error(exc)

    def activate(self) -> None:
        if self.editing is None:
            return
        event_id = self.editing
        self.context.service.write(lambda store: store.activate_event(event_id),
                                   success=lambda e: self.notice.say(t("desk.event_activated", title=e.title), "ok"),
                                   failure=self._failed)
