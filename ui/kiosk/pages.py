"""The kiosk's three pages: idle (scan your badge), signing, and a result card.

Each page builds its own widgets and knows how to fill them; the window's state
machine (:mod:`ui.kiosk.window`) decides which page shows what.  Object names
are the style sheet's (:mod:`ui.kiosk.style`).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ceremony.checkin import CheckinResult
from kiosk.dates import long_date
from kiosk.people.nip import format_spaced
from kiosk.store import Event
from ui.kiosk.qr_glyph import QrGlyph
from ui.kiosk.signature_pad import SignaturePad
from ui.messages import t

NOTICE_SECONDS = 12


def _label(name: str, text: str = "", *, wrap: bool = True, align=Qt.AlignmentFlag.AlignCenter) -> QLabel:
    lab = QLabel(text)
    lab.setObjectName(name)
    lab.setWordWrap(wrap)
    lab.setAlignment(align)
    return lab


def _button(name: str) -> QPushButton:
    b = QPushButton(objectName=name)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)         # keys belong to the scanner (see ui.kiosk.wedge_filter)
    return b


class IdlePage(QWidget):
    """The event, "scan your badge", the live count, the privacy notice, the staff button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="idlePage")
        v = QVBoxLayout(self)
        self.event_title = _label("eventTitle")
        self.event_meta = _label("eventMeta")
        self.scan_glyph = QrGlyph()
        self.scan_prompt = _label("scanPrompt")
        self.scan_hint = _label("scanHint")
        self.count_label = _label("count")
        self.privacy = _label("privacy")
        self.notice = _label("staffNotice")          # a staff setting that did not stick (nothing personal)
        self.notice.hide()
        self.staff_button = _button("staffButton")
        v.addWidget(self.event_title)
        v.addWidget(self.event_meta)
        v.addStretch(2)
        v.addWidget(self.scan_glyph)
        v.addSpacing(24)
        v.addWidget(self.scan_prompt)
        v.addWidget(self.scan_hint)
        v.addStretch(1)
        v.addWidget(self.count_label)
        v.addStretch(2)
        v.addWidget(self.notice)
        bottom = QHBoxLayout()
        bottom.addWidget(self.privacy, 1)
        bottom.addWidget(self.staff_button, 0, Qt.AlignmentFlag.AlignBottom)
        v.addLayout(bottom)
        self._count: tuple[int, int] | None = None
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)

    def set_event(self, event: Event) -> None:
        self.event_title.setText(event.title)
        self.event_meta.setText(" · ".join(x for x in (long_date(event.date), event.venue) if x))

    def set_count(self, present: int, roster: int) -> None:
        self._count = (present, roster)
        self.count_label.setText(t("ui.present", present=present, roster=roster))

    def say(self, text: str) -> None:
        """A short note for the staff under the count; it goes away by itself."""
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start(NOTICE_SECONDS * 1000)

    def retranslate(self) -> None:
        self.scan_prompt.setText(t("ui.scan_prompt"))
        self.scan_hint.setText(t("ui.scan_hint"))
        self.privacy.setText(t("ui.privacy"))
        self.staff_button.setText("⚙ " + t("ui.staff"))
        if self._count is not None:
            self.set_count(*self._count)


class SignPage(QWidget):
    """Who was scanned, the pledge they sign, the pad and its buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="signPage")
        v = QVBoxLayout(self)
        top = QHBoxLayout()
        card = QFrame(objectName="personCard")
        cv = QVBoxLayout(card)
        left = Qt.AlignmentFlag.AlignLeft
        self.sign_title = _label("signTitle", align=left)
        self.person_name = _label("personName", align=left)
        self.person_nip = _label("personNip", align=left)
        self.person_job = _label("personJob", align=left)
        for w in (self.sign_title, self.person_name, self.person_nip, self.person_job):
            cv.addWidget(w)
        cv.addStretch(1)
        top.addWidget(card, 5)
        pledge_box = QFrame(objectName="pledgeBox")
        pv = QVBoxLayout(pledge_box)
        self.statement = _label("statement", align=left)
        self.pledge_text = _label("pledgeText", align=left | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(objectName="pledgeScroll")
        scroll.setWidget(self.pledge_text)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        pv.addWidget(self.statement)
        pv.addWidget(scroll, 1)
        top.addWidget(pledge_box, 7)
        v.addLayout(top, 4)
        self.pad = SignaturePad()
        self.pad.setObjectName("pad")
        v.addWidget(self.pad, 6)
        self.sign_error = _label("signError")
        v.addWidget(self.sign_error)
        buttons = QHBoxLayout()
        self.cancel_button = _button("cancelButton")
        self.undo_button = _button("undoButton")
        self.clear_button = _button("clearButton")
        self.confirm_button = _button("confirmButton")
        for b in (self.cancel_button, self.undo_button, self.clear_button, self.confirm_button):
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.undo_button.clicked.connect(self.pad.undo)
        self.clear_button.clicked.connect(self.pad.clear)
        buttons.addWidget(self.cancel_button, 2)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button, 2)
        buttons.addWidget(self.clear_button, 2)
        buttons.addWidget(self.confirm_button, 4)
        v.addLayout(buttons)

    def show_person(self, r: CheckinResult) -> None:
        self.pad.clear()
        self.sign_error.setText("")
        self.person_name.setText(r.name or "")
        self.person_nip.setText("NIP " + format_spaced(r.nip or ""))
        self.person_job.setText(" · ".join(x for x in (r.position, r.unit) if x))

    def set_saving(self, saving: bool) -> None:
        """While the check-in is being written nothing can be pressed; "Selesai" says "Menyimpan…"."""
        for b in (self.cancel_button, self.undo_button, self.clear_button):
            b.setEnabled(not saving)
        self.confirm_button.setEnabled(not saving and self.pad.has_ink())
        self.confirm_button.setText(t("ui.saving") if saving else t("ui.confirm"))

    def retranslate(self) -> None:
        self.sign_title.setText(t("ui.sign_title"))
        self.statement.setText(t("ui.sign_statement"))
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
        self.result_glyph = _label("resultGlyph")
        self.result_title = _label("resultTitle")
        self.result_name = _label("resultName")
        self.result_detail = _label("resultDetail")
        v.addStretch(2)
        for w in (self.result_glyph, self.result_title, self.result_name, self.result_detail):
            v.addWidget(w)
        v.addStretch(3)

    def show_card(self, colour: str, glyph: str, title: str, name: str, detail: str) -> None:
        self.setStyleSheet(f"#resultPage {{ background: {colour}; }}")
        self.result_glyph.setText(glyph)
        self.result_title.setText(title)
        self.result_name.setText(name)
        self.result_detail.setText(detail)
