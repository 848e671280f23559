"""Staff forms behind the PIN: find a participant (a forgotten badge), add a walk-in (a guest, non-ASN
staff, or an ASN from another list) and check them in on the spot.

Both are :class:`~ui.kiosk.staff_dialog.StaffDialog`\\ s: a badge scanned into them closes them, and left
untouched they close themselves.  The kiosk screen is seen by the queue, so results show names with
the NIP masked (the unit tells two namesakes apart).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from kiosk.attendance.walkin import WalkIn
from kiosk.i18n import KioskError
from kiosk.people.badge_code import format_code
from kiosk.people.kinds import PersonKind
from kiosk.store import MAX_NAME, Person
from ui.kiosk.service import KioskService
from ui.kiosk.staff_dialog import StaffDialog, label_buttons, message_label
from ui.messages import t
from ui.text import masked_nip, shown
from ui.worker import describe


def person_line(p: Person) -> str:
    badge = masked_nip(p.nip) if p.kind.has_nip else format_code(p.nip)
    where = p.unit or p.institution
    return f"{shown(p.name)}\n{badge}" + (f" · {shown(where)}" if where else "")


class SearchDialog(StaffDialog):
    """Staff-only manual look-up for a forgotten badge.  The core decides what is too short to search
    (a refusal shown as it is); at most 20 hits."""
    untouched_seconds = 90

    def __init__(self, service: KioskService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(t("ui.menu_search"))
        self.resize(760, 560)
        self.nip: str | None = None
        self.answers = 0                              # searches answered (tests wait on it)
        self._asked = 0                               # searches submitted: only the latest answer is shown
        layout = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setPlaceholderText(t("ui.search_prompt"))
        layout.addWidget(self.query)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.results, 1)
        self.status = message_label(t("ui.search_prompt"))
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        label_buttons(buttons)
        self.pick = buttons.addButton(t("ui.search_pick"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.pick.setEnabled(False)
        buttons.accepted.connect(self._accept_current)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._search)
        self.query.textChanged.connect(lambda _: self._debounce.start())
        self.results.currentItemChanged.connect(lambda cur, _: self.pick.setEnabled(cur is not None))
        self.results.itemActivated.connect(lambda _: self._accept_current())
        self.query.setFocus()

    def _search(self) -> None:
        self._asked += 1
        asked = self._asked
        self.service.search(self.query.text(), success=lambda people: self._show(asked, people),
                            failure=lambda exc: self._failed(asked, exc))

    def _show(self, asked: int, people: list[Person]) -> None:
        self.answers += 1
        if asked != self._asked or not isValid(self):  # a later search is on its way, or the dialog is gone
            return
        self.results.clear()
        for p in people:
            item = QListWidgetItem(person_line(p))
            item.setData(Qt.ItemDataRole.UserRole, p.nip)
            self.results.addItem(item)
        self._say("" if people else t("ui.search_none"), error=False)

    def _failed(self, asked: int, exc: Exception) -> None:
        self.answers += 1
        if asked != self._asked or not isValid(self):
            return
        self.results.clear()
        if isinstance(exc, KioskError) and exc.code == "people.search_short":
            self._say(str(exc), error=False)           # not a failure: type a little more
        else:
            self._say(t("ui.search_failed", reason=describe(exc)), error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.status.setText(text)
        self.status.setObjectName("error" if error else "status")
        self.status.style().unpolish(self.status)               # re-read the style for the new name
        self.status.style().polish(self.status)

    def _accept_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.nip = item.data(Qt.ItemDataRole.UserRole)
            self.accept()

    @classmethod
    def ask(cls, service: KioskService, parent: QWidget | None = None) -> str | None:
        d = cls(service, parent)
        d.exec()
        return d.nip


class WalkInDialog(StaffDialog):
    """Add someone who is not on the event's roster and check them in at once (issue 10: walk-ins).

    Without a NIP the person is a guest (a witness: KPU, Bawaslu, DPRD …) or non-ASN staff and gets a
    badge code; with a NIP (offered from the last "not on the roster" scan) a PNS or PPPK."""
    untouched_seconds = 180

    def __init__(self, service: KioskService, parent: QWidget | None = None, *, nip: str = "") -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(t("ui.menu_walk_in"))
        self.person: Person | None = None
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(message_label(t("ui.walkin_intro"), "hint"))
        form = QFormLayout()
        self.name = QLineEdit(maxLength=MAX_NAME)
        self.nip = QLineEdit(nip, maxLength=40)
        self.nip.setPlaceholderText(t("ui.walkin_nip_hint"))
        self.institution = QLineEdit(maxLength=MAX_NAME)
        self.position = QLineEdit(maxLength=MAX_NAME)
        self.unit = QLineEdit(maxLength=MAX_NAME)
        kinds = QHBoxLayout()
        self.guest = QRadioButton(t("ui.walkin_guest"))
        self.non_asn = QRadioButton(t("ui.walkin_non_asn"))
        self.guest.setChecked(True)
        group = QButtonGroup(self)
        for b in (self.guest, self.non_asn):
            group.addButton(b)
            kinds.addWidget(b)
        form.addRow(message_label(t("ui.walkin_name")), self.name)
        form.addRow(message_label(t("ui.walkin_kind")), kinds)
        form.addRow(message_label("NIP"), self.nip)
        form.addRow(message_label(t("ui.walkin_institution")), self.institution)
        form.addRow(message_label(t("ui.walkin_position")), self.position)
        form.addRow(message_label(t("ui.walkin_unit")), self.unit)
        layout.addLayout(form)
        self.error = message_label(name="error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        label_buttons(buttons)
        self.ok_button = buttons.addButton(t("ui.walkin_add"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.keep_width(layout, 760)
        self.nip.textChanged.connect(self._nip_changed)
        self._nip_changed(nip)
        self.name.setFocus()

    def _nip_changed(self, text: str) -> None:
        has = bool(text.strip())
        for b in (self.guest, self.non_asn):
            b.setEnabled(not has)

    def walk_in(self) -> WalkIn:
        kind = PersonKind.NON_ASN if self.non_asn.isChecked() else PersonKind.GUEST
        return WalkIn(self.name.text(), kind, self.nip.text(), self.institution.text(), self.position.text(),
                      self.unit.text())

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.service.add_walk_in(self.walk_in(), success=self._added, failure=self._failed)

    def _added(self, person: Person) -> None:
        if not isValid(self) or not self.isVisible():
            return
        self.person = person
        self.accept()

    def _failed(self, exc: Exception) -> None:
        if not isValid(self) or not self.isVisible():
            return
        self.ok_button.setEnabled(True)
        self.error.setText(describe(exc))
        self.fit()

    @classmethod
    def ask(cls, service: KioskService, parent: QWidget | None = None, *, nip: str = "") -> Person | None:
        d = cls(service, parent, nip=nip)
        return d.person if d.exec() == QDialog.DialogCode.Accepted else None
