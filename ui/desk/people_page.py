"""Peserta: import a roster (through the preview), add a guest or walk-in, find someone (three letters or
part of a NIP), correct or remove them.  ``ikrar roster import | find`` and ``ikrar person add | edit |
remove`` call the same core functions."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.i18n import KioskError
from kiosk.people.badge_code import format_code
from kiosk.store import Person, Store
from ui.desk import ask
from ui.desk.common import Notice, RowsModel, badge_text, hint_label, table, title_label, where
from ui.desk.import_dialog import ImportDialog
from ui.desk.person_dialog import PersonDialog, PersonInput
from ui.desk.service import DeskContext
from ui.messages import t

LIMIT = 200


class PeoplePage(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.answers = 0                               # searches answered (tests wait on it)
        self._asked = 0
        self.people: list[Person] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label(t("desk.page_people")))
        self.count_label = QLabel("")
        self.count_label.setObjectName("hint")
        self.count_label.setWordWrap(True)
        top.addWidget(self.count_label, 1)
        self.import_asn = QPushButton(t("desk.import_asn"))
        self.import_non_asn = QPushButton(t("desk.import_non_asn"))
        self.add_button = QPushButton(t("desk.add_person"))
        self.import_asn.clicked.connect(lambda: self.start_import(non_asn=False))
        self.import_non_asn.clicked.connect(lambda: self.start_import(non_asn=True))
        self.add_button.clicked.connect(self.add_person)
        for b in (self.import_asn, self.import_non_asn, self.add_button):
            top.addWidget(b)
        layout.addLayout(top)
        self.query = QLineEdit()
        self.query.setPlaceholderText(t("desk.search_hint"))
        self.query.setClearButtonEnabled(True)
        layout.addWidget(self.query)
        self.model = RowsModel(
            [t("desk.col_badge"), t("desk.col_name"), t("desk.col_kind"), t("desk.col_position"),
             t("desk.col_unit"), t("desk.col_rank")],
            [badge_text, lambda p: p.name, lambda p: p.kind.label, lambda p: p.position, where, lambda p: p.rank])
        self.view = table(self.model)
        for column, width in enumerate((190, 290, 80, 220, 250)):
            self.view.setColumnWidth(column, width)
        self.view.doubleClicked.connect(lambda _: self.edit_person())
        self.empty = QLabel(t("desk.people_empty"))
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("font-size: 12pt; padding: 40px; background: white; border: 1px solid #c9d3e3;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        layout.addWidget(self.stack, 1)
        row = QHBoxLayout()
        self.status = hint_label(t("desk.search_hint"))
        row.addWidget(self.status, 1)
        self.edit_button = QPushButton(t("desk.edit_person"))
        self.remove_button = QPushButton(t("desk.remove_person"))
        self.edit_button.clicked.connect(self.edit_person)
        self.remove_button.clicked.connect(self.remove_person)
        row.addWidget(self.edit_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.notice = Notice()
        layout.addWidget(self.notice)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _: self._debounce.start())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection())
        context.dataChanged.connect(self.refresh)
        context.eventChanged.connect(lambda _: self.refresh())
        self._selection()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            return
        event_id = self.context.event_id
        for b in (self.import_asn, self.import_non_asn, self.add_button, self.query):
            b.setEnabled(event_id is not None)
        if event_id is None:
            self.count_label.setText(t("desk.need_event"))
            self.model.set_rows([])
            return
        self.context.service.run(lambda store: store.count_people(event_id),
                                 success=lambda n: self.count_label.setText(t("desk.people_count", count=n)),
                                 failure=lambda exc: self.notice.error(exc))
        if self.query.text().strip():
            self.search()

    # --- search --------------------------------------------------------------------------------

    def search(self) -> None:
        text, event_id = self.query.text(), self.context.event_id
        if event_id is None:
            return
        self._asked += 1
        asked = self._asked
        if not text.strip():
            self._show(asked, text, [])
            return
        self.context.service.run(lambda store: store.find_people(text, LIMIT, event_id=event_id),
                                 success=lambda found: self._show(asked, text, found),
                                 failure=lambda exc: self._search_failed(asked, exc))

    def _show(self, asked: int, text: str, found: list[Person]) -> None:
        self.answers += 1
        if asked != self._asked:
            return                                      # a later search is on its way
        self.people = found
        self.model.set_rows(found)
        self.stack.setCurrentWidget(self.view if found else self.empty)
        if not text.strip():
            self.status.setText(t("desk.search_hint"))
        elif found:
            self.status.setText(t("desk.search_found", count=len(found), limit=LIMIT))
            self.view.selectRow(0)
        else:
            self.status.setText(t("desk.search_none", text=text.strip()))
        self._selection()

    def _search_failed(self, asked: int, exc: Exception) -> None:
        self.answers += 1
        if asked != self._asked:
            return
        self.people = []
        self.model.set_rows([])
        self.stack.setCurrentWidget(self.empty)
        if isinstance(exc, KioskError) and exc.code == "people.search_short":
            self.status.setText(str(exc))               # not a failure: type a little more
        else:
            self.notice.error(exc)
        self._selection()

    def selected(self) -> Person | None:
        rows = self.view.selectionModel().selectedRows()
        return self.people[rows[0].row()] if rows and rows[0].row() < len(self.people) else None

    def _selection(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # --- one person ----------------------------------------------------------------------------

    def add_person(self) -> None:
        event_id = self.context.event_id
        answer = PersonDialog.ask(None, self)
        if answer is None or event_id is None:
            return
        self.context.service.write(lambda store: _add(store, answer, event_id), success=self._added,
                                   failure=self.notice.error)

    def _added(self, person: Person) -> None:
        self.notice.say(t("desk.person_added", kind=person.kind.label, name=person.name,
                          code=format_code(person.nip)), "ok")
        self.query.setText(person.name)

    def edit_person(self) -> None:
        person, event_id = self.selected(), self.context.event_id
        if person is None or event_id is None:
            return
        answer = PersonDialog.ask(person, self)
        if answer is None:
            return
        self.context.service.write(
            lambda store: store.update_person(person.nip, name=answer.name, position=answer.position,
                                              unit=answer.unit, rank=answer.rank, institution=answer.institution,
                                              event_id=event_id),
            success=lambda p: self.notice.say(t("desk.person_saved", name=p.name), "ok"),
            failure=self.notice.error)

    def remove_person(self) -> None:
        person, event_id = self.selected(), self.context.event_id
        if person is None or event_id is None:
            return
        if not ask.confirm(self, t("desk.remove_person"), t("desk.remove_confirm", name=person.name),
                           t("desk.remove_person")):
            return
        self.context.service.write(lambda store: store.remove_person(person.nip, event_id=event_id),
                                   success=lambda p: self.notice.say(t("desk.removed", name=p.name), "ok"),
                                   failure=self.notice.error)

    # --- imports -------------------------------------------------------------------------------

    def start_import(self, *, non_asn: bool) -> None:
        path = ask.open_file(self, t("desk.import_pick"), t("desk.import_filter"))
        if path is None or self.context.event_id is None:
            return
        dialog = ImportDialog(self.context, path, non_asn=non_asn, parent=self)
        dialog.imported.connect(lambda text: self.notice.say(text, "ok"))
        self.import_dialog = dialog                    # tests reach the open preview here
        dialog.open()


def _add(store: Store, answer: PersonInput, event_id: int) -> Person:
    return store.add_person(answer.name, kind=answer.kind, institution=answer.institution, position=answer.position,
                            unit=answer.unit, rank=answer.rank, event_id=event_id)
