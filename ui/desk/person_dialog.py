"""Add a guest or a walk-in (``ikrar person add``), or correct one person (``ikrar person edit``)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.people.kinds import PersonKind
from kiosk.store import Person
from ui.desk.common import STYLE, badge_text
from ui.messages import t


@dataclass(frozen=True, slots=True)
class PersonInput:
    name: str
    kind: PersonKind
    institution: str
    position: str
    unit: str
    rank: str


class PersonDialog(QDialog):
    """``person`` None: a new guest or walk-in; else that person's details to correct."""

    def __init__(self, person: Person | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = person
        self.setStyleSheet(STYLE)
        self.setWindowTitle(t("desk.person_title_edit" if person else "desk.person_title_add"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.guest = QRadioButton(t("desk.person_guest"))
        self.walkin = QRadioButton(t("desk.person_walkin"))
        group = QButtonGroup(self)
        group.addButton(self.guest)
        group.addButton(self.walkin)
        if person is None:
            layout.addWidget(QLabel(t("desk.person_kind")))
            for button, hint in ((self.guest, "desk.person_guest_hint"), (self.walkin, "desk.person_walkin_hint")):
                layout.addWidget(button)
                says = QLabel(t(hint))                     # what it means, wrapped under the choice
                says.setObjectName("hint")
                says.setWordWrap(True)
                says.setContentsMargins(24, 0, 0, 4)
                layout.addWidget(says)
            self.guest.setChecked(True)
        else:
            fixed = QLabel(t("desk.badge_fixed", badge=badge_text(person)) + f" · {person.kind.label}")
            fixed.setObjectName("hint")
            fixed.setWordWrap(True)
            layout.addWidget(fixed)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, label in (("name", "desk.field_name"), ("institution", "desk.field_institution"),
                           ("position", "desk.field_position"), ("unit", "desk.field_unit"),
                           ("rank", "desk.field_rank")):
            field = QLineEdit(getattr(person, key, "") if person is not None else "")
            field.setObjectName(f"person_{key}")
            self.fields[key] = field
            form.addRow(t(label), field)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("desk.save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("desk.cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fields["name"].setFocus()

    def value(self) -> PersonInput:
        kind = self.person.kind if self.person is not None else (
            PersonKind.GUEST if self.guest.isChecked() else PersonKind.NON_ASN)
        f = {k: w.text() for k, w in self.fields.items()}
        return PersonInput(f["name"], kind, f["institution"], f["position"], f["unit"], f["rank"])

    @classmethod
    def ask(cls, person: Person | None = None, parent: QWidget | None = None) -> PersonInput | None:
        dialog = cls(person, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
