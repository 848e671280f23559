"""The kiosk's signing page and its result card (the idle page, the first frame, is :mod:`ui.kiosk.idle_page`).

Each page builds its own widgets and knows how to fill them; the window's state
machine (:mod:`ui.kiosk.window`) decides which page shows what.  Object names
are the style sheet's (:mod:`ui.kiosk.style`).  Every label that shows data is
plain text, bounded and never widens the window (:mod:`ui.text`); the NIP of the
person signing is shown masked but for its last digits.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.attendance.checkin import CheckinResult
from kiosk.ceremony.pledge import Pledge
from kiosk.i18n import KioskError
from kiosk.people.badge_code import format_code
from kiosk.people.kinds import PersonKind
from ui.kiosk.idle_page import make_button, make_label
from ui.kiosk.pledge_view import PledgeView
from ui.kiosk.signature_pad import SignaturePad
from ui.messages import t
from ui.text import masked_nip, shown


def badge_line(r: CheckinResult) -> str:
    """What the kiosk shows of someone's badge: the NIP masked but for its last digits, or the badge code."""
    key = r.nip or ""
    if key.isdigit():
        return "NIP " + masked_nip(key)
    try:
        return t("ui.badge_code", code=format_code(key))
    except KioskError:                               # not a code either: show nothing rather than guess
        return ""


class SignPage(QWidget):
    """Who was scanned (masked), the whole pledge they sign, the pad, a countdown and the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="signPage")
        v = QVBoxLayout(self)
        card = QFrame(objectName="personCard")
        cv = QVBoxLayout(card)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        head = QHBoxLayout()
        self.sign_title = make_label("signTitle", wrap=False, align=left)
        self.sign_title.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.person_name = make_label("personName", align=left)
        head.addWidget(self.sign_title)
        head.addWidget(self.person_name, 1)
        cv.addLayout(head)
        line = QHBoxLayout()
        self.person_nip = make_label("personNip", wrap=False, align=left)
        self.person_nip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.person_job = make_label("personJob", align=left)
        line.addWidget(self.person_nip)
        line.addWidget(self.person_job, 1)
        cv.addLayout(line)
        v.addWidget(card)
        pledge_box = QFrame(objectName="pledgeBox")
        pv = QVBoxLayout(pledge_box)
        self.statement = make_label("statement", align=left)
        self.pledge_text = PledgeView()
        pv.addWidget(self.statement)
        pv.addWidget(self.pledge_text, 1)
        v.addWidget(pledge_box, 5)
        self.pad = SignaturePad()
        self.pad.setObjectName("pad")
        # What to do and the countdown float over the pad's top edge (it takes no height of its own), and let
        # every touch through to the pad.
        overlay = QWidget(objectName="padOverlay")
        overlay.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        status = QHBoxLayout(overlay)
        status.setContentsMargins(8, 8, 8, 0)
        self.sign_error = make_label("signError", align=left)
        self.countdown = make_label("countdown", wrap=False,
                                align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.countdown.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.countdown.hide()
        self.sign_error.hide()
        status.addWidget(self.sign_error, 1, Qt.AlignmentFlag.AlignTop)
        status.addStretch(0)
        status.addWidget(self.countdown, 0, Qt.AlignmentFlag.AlignTop)
        area = QGridLayout()
        area.addWidget(self.pad, 0, 0)
        area.addWidget(overlay, 0, 0, Qt.AlignmentFlag.AlignTop)
        v.addLayout(area, 4)
        buttons = QHBoxLayout()
        self.cancel_button = make_button("cancelButton")
        self.undo_button = make_button("undoButton")
        self.clear_button = make_button("clearButton")
        self.confirm_button = make_button("confirmButton")
        for b in (self.cancel_button, self.undo_button, self.clear_button, self.confirm_button):
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.setMinimumWidth(60)
        self.undo_button.clicked.connect(self.pad.undo)
        self.clear_button.clicked.connect(self.pad.clear)
        buttons.addWidget(self.cancel_button, 2)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button, 2)
        buttons.addWidget(self.clear_button, 2)
        buttons.addWidget(self.confirm_button, 4)
        v.addLayout(buttons)
        self._guest = False

    def set_pledge(self, pledge: Pledge) -> None:
        self.pledge_text.set_pledge(pledge)

    def show_person(self, r: CheckinResult) -> None:
        self.pad.clear()
        self.set_error("")
        self.set_countdown("")
        self.person_name.setText(shown(r.name))
        self.person_nip.setText(badge_line(r))
        self.person_job.setText(shown(" · ".join(x for x in (r.position, r.unit) if x)))
        self._guest = r.kind == PersonKind.GUEST
        self.statement.setText(t("ui.sign_statement_guest" if self._guest else "ui.sign_statement"))

    def clear_person(self) -> None:
        """Nothing of the last person stays on the page once it is left."""
        for label in (self.person_name, self.person_nip, self.person_job):
            label.setText("")
        self.set_error("")
        self.set_countdown("")

    def set_error(self, text: str) -> None:
        self.sign_error.setText(text)
        self.sign_error.setVisible(bool(text))

    def set_countdown(self, text: str) -> None:
        self.countdown.setText(text)
        self.countdown.setVisible(bool(text))

    def set_saving(self, saving: bool) -> None:
        """While the check-in is being written nothing can be pressed; "Selesai" says "Menyimpan…"."""
        for b in (self.cancel_button, self.undo_button, self.clear_button):
            b.setEnabled(not saving)
        self.confirm_button.setEnabled(not saving and self.pad.has_ink())
        self.confirm_button.setText(t("ui.saving") if saving else t("ui.confirm"))

    def retranslate(self) -> None:
        self.sign_title.setText(t("ui.sign_title"))
        self.statement.setText(t("ui.sign_statement_guest" if self._guest else "ui.sign_statement"))
        self.pad.hint = t("ui.sign_hint")
        self.cancel_button.setText(t("ui.cancel"))
        self.undo_button.setText(t("ui.undo"))
        self.clear_button.setText(t("ui.clear"))
        self.confirm_button.setText(t("ui.confirm"))
        self.pad.update()


class ResultPage(QWidget):
    """A full-screen card: colour, glyph, title, who, and what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="resultPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        v = QVBoxLayout(self)
        self.result_glyph = make_label("resultGlyph", wrap=False)
        self.result_title = make_label("resultTitle")
        self.result_name = make_label("resultName")
        self.result_detail = make_label("resultDetail")
        v.addStretch(2)
        for w in (self.result_glyph, self.result_title, self.result_name, self.result_detail):
            v.addWidget(w)
        v.addStretch(3)

    def show_card(self, colour: str, glyph: str, title: str, name: str, detail: str) -> None:
        self.setStyleSheet(f"#resultPage {{ background: {colour}; }}")
        self.result_glyph.setText(glyph)
        self.result_title.setText(title)
        self.result_name.setText(shown(name))
        self.result_detail.setText(shown(detail, 600))
