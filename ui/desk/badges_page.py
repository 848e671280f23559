"""Kartu: choose everyone, one unit or some people, see one badge as it prints, save the A4 sheets as PDF
(``ikrar badges``: :func:`kiosk.documents.exports.badges`)."""
from __future__ import annotations

import io
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.documents import exports, source
from kiosk.i18n import KioskError
from kiosk.store import Event, Person, Store
from ui.desk import ask
from ui.desk.common import Notice, TaskBar, badge_text, hint_label, primary, title_label
from ui.desk.service import DeskContext
from ui.messages import t

PREVIEW_DPI = 200


@dataclass(frozen=True, slots=True)
class BadgeChoice:
    unit: str | None = None
    keys: tuple[str, ...] = ()


def units_of(store: Store, event_id: int) -> tuple[int, tuple[str, ...]]:
    roster = store.roster(event_id)
    return len(roster), tuple(sorted({p.unit for p in roster if p.unit}, key=str.casefold))


def preview_png(store: Store, event: Event, choice: BadgeChoice) -> tuple[str, bytes] | None:
    """The first chosen person's badge as a PNG (as ``ikrar badges --png`` draws it), with their name."""
    from kiosk.documents.badges import card_image
    people = source.roster(store, event, unit=choice.unit, badges=choice.keys[:1])
    if not people:
        return None
    image = card_image(source.doc_event(store, event), people[0], PREVIEW_DPI)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return people[0].name, out.getvalue()


class BadgesPage(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.chosen: list[Person] = []
        self.found: list[Person] = []
        self.previews = 0
        self._focus = "results"                       # which list's person the preview shows
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        left = QVBoxLayout()
        left.addWidget(title_label(t("desk.page_badges")))
        group = QGroupBox(t("desk.badges_who"))
        g = QVBoxLayout(group)
        self.all_button = QRadioButton(t("desk.badges_all", count=0))
        self.unit_button = QRadioButton(t("desk.badges_unit"))
        self.some_button = QRadioButton(t("desk.badges_some"))
        self.who = QButtonGroup(self)
        for b in (self.all_button, self.unit_button, self.some_button):
            self.who.addButton(b)
        self.all_button.setChecked(True)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(280)
        g.addWidget(self.all_button)
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.unit_button)
        unit_row.addWidget(self.unit_combo, 1)
        g.addLayout(unit_row)
        g.addWidget(self.some_button)
        self.query = QLineEdit()
        self.query.setPlaceholderText(t("desk.search_hint"))
        self.query.setClearButtonEnabled(True)
        g.addWidget(self.query)
        lists = QHBoxLayout()
        self.results = QListWidget()
        self.picked = QListWidget()
        column = QVBoxLayout()
        column.addWidget(hint_label(t("desk.badges_found")))
        column.addWidget(self.results)
        lists.addLayout(column)
        buttons = QVBoxLayout()
        buttons.addStretch(1)
        self.add_button = QPushButton(t("desk.badges_add"))
        self.drop_button = QPushButton(t("desk.badges_drop"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.drop_button)
        buttons.addStretch(1)
        lists.addLayout(buttons)
        column = QVBoxLayout()
        column.addWidget(hint_label(t("desk.badges_picked")))
        column.addWidget(self.picked)
        lists.addLayout(column)
        g.addLayout(lists, 1)
        left.addWidget(group, 1)
        self.save_button = primary(t("desk.badges_save"))
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        left.addLayout(row)
        self.task = TaskBar()
        left.addWidget(self.task)
        self.notice = Notice()
        left.addWidget(self.notice)
        layout.addLayout(left, 3)

        right = QVBoxLayout()
        right.addWidget(title_label(t("desk.badges_preview")))
        self.preview = QLabel(t("desk.badges_no_preview"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(420, 280)
        self.preview.setStyleSheet("background: #e4eaf4; border: 1px solid #c9d3e3;")
        right.addWidget(self.preview)
        self.preview_name = hint_label("")
        right.addWidget(self.preview_name)
        right.addWidget(hint_label(t("desk.badges_hint")))
        right.addStretch(1)
        layout.addLayout(right, 2)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _: self._debounce.start())
        self.query.textChanged.connect(lambda _: self.some_button.setChecked(True))
        self.unit_combo.activated.connect(lambda _: self._unit_picked())
        self.who.buttonToggled.connect(lambda *_: self.refresh_preview())
        self.add_button.clicked.connect(self.add_selected)
        self.results.itemDoubleClicked.connect(lambda _: self.add_selected())
        self.drop_button.clicked.connect(self.drop_selected)
        self.results.currentRowChanged.connect(lambda _: self._focused("results"))
        self.picked.currentRowChanged.connect(lambda _: self._focused("picked"))
        context.dataChanged.connect(self.refresh)
        context.eventChanged.connect(lambda _: self.refresh())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            return
        event_id = self.context.event_id
        self.save_button.setEnabled(event_id is not None)
        if event_id is None:
            self.notice.say(t("desk.need_event"), "error")
            return
        self.context.service.run(lambda store: units_of(store, event_id), success=self._units,
                                 failure=self.notice.error)

    def _units(self, answer: tuple[int, tuple[str, ...]]) -> None:
        count, units = answer
        self.all_button.setText(t("desk.badges_all", count=count))
        current = self.unit_combo.currentText()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItems(list(units))
        if current in units:
            self.unit_combo.setCurrentText(current)
        self.unit_combo.blockSignals(False)
        self.refresh_preview()

    def _unit_picked(self) -> None:
        self.unit_button.setChecked(True)
        self.refresh_preview()

    # --- choosing people --------------------------------------------------------------------------

    def search(self) -> None:
        text, event_id = self.query.text(), self.context.event_id
        if event_id is None or len(text.replace(" ", "")) < 3:
            self._found([])
            return
        self.context.service.run(lambda store: store.find_people(text, 100, event_id=event_id), success=self._found,
                                 failure=lambda exc: self._found([]) if isinstance(exc, KioskError) else None)

    def _found(self, people: list[Person]) -> None:
        self.found = people
        self.results.clear()
        for p in people:
            self.results.addItem(QListWidgetItem(f"{p.name}\n{badge_text(p)}"))
        if people:
            self.results.setCurrentRow(0)

    def add_selected(self) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self.found) and self.found[row].nip not in {p.nip for p in self.chosen}:
            person = self.found[row]
            self.chosen.append(person)
            self.picked.addItem(QListWidgetItem(f"{person.name}\n{badge_text(person)}"))
            self.picked.setCurrentRow(len(self.chosen) - 1)
            self.some_button.setChecked(True)

    def drop_selected(self) -> None:
        row = self.picked.currentRow()
        if 0 <= row < len(self.chosen):
            del self.chosen[row]
            self.picked.takeItem(row)
            self.refresh_preview()

    def choice(self) -> BadgeChoice:
        if self.unit_button.isChecked() and self.unit_combo.currentText():
            return BadgeChoice(unit=self.unit_combo.currentText())
        if self.some_button.isChecked():
            return BadgeChoice(keys=tuple(p.nip for p in self.chosen))
        return BadgeChoice()

    # --- preview and saving -------------------------------------------------------------------------

    def _focused(self, which: str) -> None:
        self._focus = which
        self.refresh_preview()

    def refresh_preview(self) -> None:
        event = self.context.event
        if event is None or not self.isVisible():
            return
        choice = self.choice()
        if self.some_button.isChecked():
            pool, row = (self.chosen, self.picked.currentRow()) if self._focus == "picked" else \
                (self.found, self.results.currentRow())
            if not 0 <= row < len(pool):
                pool, row = self.chosen, self.picked.currentRow()
            if not 0 <= row < len(pool):
                self._preview(None)
                return
            choice = BadgeChoice(keys=(pool[row].nip,))
        self.context.service.run(lambda store: preview_png(store, event, choice), success=self._preview,
                                 failure=lambda exc: self.notice.error(exc))

    def _preview(self, answer: tuple[str, bytes] | None) -> None:
        self.previews += 1
        if answer is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(t("desk.badges_no_preview"))
            self.preview_name.setText("")
            return
        name, data = answer
        picture = QPixmap()
        picture.loadFromData(data, "PNG")
        width = max(320, min(self.preview.width() - 12, 640))
        self.preview.setPixmap(picture.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))
        self.preview_name.setText(t("desk.badges_preview_of", name=name))

    def save(self) -> None:
        event = self.context.event
        if event is None:
            return
        choice = self.choice()
        if self.some_button.isChecked() and not choice.keys:
            self.notice.say(t("desk.badges_pick_first"), "error")
            return
        path = ask.save_file(self, t("desk.badges_save"), "kartu-peserta.pdf", "PDF (*.pdf)")
        if path is None:
            return
        self._run(event, choice, path, force=False)

    def _run(self, event: Event, choice: BadgeChoice, path, *, force: bool) -> None:
        self.task.start(t("desk.badges_making"))
        self.notice.say("")
        self.save_button.setEnabled(False)
        handle = self.context.service.run_long(
            lambda store, progress: exports.badges(store, event, path, unit=choice.unit, keys=choice.keys,
                                                   force=force, progress=progress),
            success=self._saved, failure=lambda exc: self._failed(exc, event, choice, path),
            progress=self.task.progress)
        self.task.attach(handle)

    def _saved(self, written: exports.Written) -> None:
        self.save_button.setEnabled(True)
        self.task.succeed(t("documents.written.badges", path=str(written.files[0]), count=written.count),
                          written.files[0].parent)
        if written.warnings:
            self.notice.say(" ".join(written.warnings), "info")

    def _failed(self, exc: Exception, event: Event, choice: BadgeChoice, path) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, KioskError) and exc.code == "documents.exists" and ask.confirm(
                self, t("desk.replace_title"), t("desk.replace_text", path=str(path)), t("desk.yes_replace")):
            self._run(event, choice, path, force=True)
            return
        self.task.fail(exc)
