"""The employees' screen: idle → identified → signing → done, and the three refusals.

A small state machine over a stacked widget.  Scans arrive from the wedge filter
(or the staff search); every database step goes to :class:`ui.service.KioskService`
and the answer, a :class:`kiosk.checkin.CheckinResult`, decides the next state.
At most one request is in flight; a badge scanned meanwhile waits its turn.
The screen shows only the person just scanned and returns to idle by itself.
"""
from __future__ import annotations


from PySide6.QtCore import QObject, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QStackedWidget,
                               QVBoxLayout, QWidget)

from kiosk import i18n
from kiosk.dates import long_date
from kiosk.ceremony.checkin import DUPLICATE, IDENTIFIED, INVALID, RECORDED, UNKNOWN, CheckinResult
from kiosk.people.nip import format_spaced
from kiosk.resources import resource_path
from kiosk.i18n import KioskError
from kiosk.ceremony.signature import validate

from ui.kiosk.dialogs import PinDialog, SearchDialog, StaffMenu
from ui.kiosk.service import NOT_SAVED
from ui.kiosk.signature_pad import SignaturePad
from ui.messages import t
from ui.kiosk.wedge_filter import WedgeFilter

IDLE, SIGNING, SAVING, DONE = "idle", "signing", "saving", "done"
RESULT_SECONDS = {DONE: 4, DUPLICATE: 5, UNKNOWN: 6, INVALID: 5}
SIGN_TIMEOUT_SECONDS = 60

# state: (background, glyph, title message)
LOOK = {
    DONE: ("#1b7a35", "✓", "ui.done_title"),
    DUPLICATE: ("#1456a8", "↺", "ui.duplicate_title"),
    UNKNOWN: ("#c25100", "?", "ui.unknown_title"),
    INVALID: ("#b3191c", "✗", "ui.invalid_title"),
}


class Sounds(QObject):
    """One short, distinct sound per outcome; silent where the machine has no audio."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects = {}
        self.last = ""
        self.enabled = True
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:                       # pragma: no cover - Qt without multimedia
            return
        for name in ("recorded", "duplicate", "unknown", "invalid"):
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds", f"{name}.wav"))))
            effect.setVolume(0.8)
            self._effects[name] = effect

    def play(self, name: str) -> None:
        self.last = name
        effect = self._effects.get(name)
        if effect is not None and self.enabled:
            effect.play()


class QrGlyph(QWidget):
    """A real QR code drawn as the idle screen's icon: it looks like the badge people hold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import qrcode
        code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_L)
        code.add_data("IKRAR NETRALITAS ASN")
        self.matrix = code.get_matrix()
        self.colour = QColor("#7fb2ff")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, e) -> None:
        n = len(self.matrix)
        side = min(self.width(), self.height())
        cell = side / n
        left = (self.width() - side) / 2
        painter = QPainter(self)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour)
        for r, row in enumerate(self.matrix):
            for c, dark in enumerate(row):
                if dark:
                    painter.drawRect(QRectF(left + c * cell, r * cell, cell + 0.5, cell + 0.5))
        painter.end()


def _label(name: str, text: str = "", *, wrap: bool = True, align=Qt.AlignmentFlag.AlignCenter) -> QLabel:
    lab = QLabel(text)
    lab.setObjectName(name)
    lab.setWordWrap(wrap)
    lab.setAlignment(align)
    return lab


class KioskWindow(QWidget):
    stateChanged = Signal(str)
    exitRequested = Signal()

    def __init__(self, service, *, signature_required: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setWindowTitle("Ikrar Kiosk")
        self.service = service
        self.signature_required = signature_required
        self.info = None
        self.state = IDLE
        self.person: CheckinResult | None = None       # who is signing
        self.method = "wedge"
        self._busy = False
        self._queued: tuple[str, str] | None = None
        self._may_close = False
        self.sounds = Sounds(self)
        self._back = QTimer(self)
        self._back.setSingleShot(True)
        self._back.timeout.connect(self.to_idle)
        self._sign_timeout = QTimer(self)
        self._sign_timeout.setSingleShot(True)
        self._sign_timeout.setInterval(SIGN_TIMEOUT_SECONDS * 1000)
        self._sign_timeout.timeout.connect(self.cancel_signing)

        self.stack = QStackedWidget()
        self.idle_page = self._build_idle()
        self.sign_page = self._build_sign()
        self.result_page = self._build_result()
        for page in (self.idle_page, self.sign_page, self.result_page):
            self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.wedge = WedgeFilter(self)
        self.wedge.scanned.connect(lambda text: self.scan(text, "wedge"))
        self.wedge.enterPressed.connect(self.confirm)
        self.wedge.escapePressed.connect(self.pad.clear)
        self.wedge.install()

        service.result.connect(self._on_result)
        service.counted.connect(self._on_count)
        self._retranslate()
        self._set_state(IDLE)

    # --- building --------------------------------------------------------------------------------

    def _build_idle(self) -> QWidget:
        page = QWidget(objectName="idlePage")
        v = QVBoxLayout(page)
        self.event_title = _label("eventTitle")
        self.event_meta = _label("eventMeta")
        self.scan_glyph = QrGlyph()
        self.scan_prompt = _label("scanPrompt")
        self.scan_hint = _label("scanHint")
        self.count_label = _label("count")
        self.privacy = _label("privacy")
        self.staff_button = QPushButton(objectName="staffButton")
        self.staff_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff_button.clicked.connect(self.open_staff_menu)
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
        bottom = QHBoxLayout()
        bottom.addWidget(self.privacy, 1)
        bottom.addWidget(self.staff_button, 0, Qt.AlignmentFlag.AlignBottom)
        v.addLayout(bottom)
        return page

    def _build_sign(self) -> QWidget:
        page = QWidget(objectName="signPage")
        v = QVBoxLayout(page)
        top = QHBoxLayout()
        card = QFrame(objectName="personCard")
        cv = QVBoxLayout(card)
        self.sign_title = _label("signTitle", align=Qt.AlignmentFlag.AlignLeft)
        self.person_name = _label("personName", align=Qt.AlignmentFlag.AlignLeft)
        self.person_nip = _label("personNip", align=Qt.AlignmentFlag.AlignLeft)
        self.person_job = _label("personJob", align=Qt.AlignmentFlag.AlignLeft)
        for w in (self.sign_title, self.person_name, self.person_nip, self.person_job):
            cv.addWidget(w)
        cv.addStretch(1)
        top.addWidget(card, 5)
        pledge_box = QFrame(objectName="pledgeBox")
        pv = QVBoxLayout(pledge_box)
        self.statement = _label("statement", align=Qt.AlignmentFlag.AlignLeft)
        self.pledge_text = _label("pledgeText", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
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
        self.pad.inkChanged.connect(self._on_ink)
        self.pad.strokeFinished.connect(self._sign_timeout.start)
        v.addWidget(self.pad, 6)
        self.sign_error = _label("signError")
        v.addWidget(self.sign_error)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton(objectName="cancelButton")
        self.undo_button = QPushButton(objectName="undoButton")
        self.clear_button = QPushButton(objectName="clearButton")
        self.confirm_button = QPushButton(objectName="confirmButton")
        for b in (self.cancel_button, self.undo_button, self.clear_button, self.confirm_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.cancel_button.clicked.connect(self.cancel_signing)
        self.undo_button.clicked.connect(self.pad.undo)
        self.clear_button.clicked.connect(self.pad.clear)
        self.confirm_button.clicked.connect(self.confirm)
        buttons.addWidget(self.cancel_button, 2)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button, 2)
        buttons.addWidget(self.clear_button, 2)
        buttons.addWidget(self.confirm_button, 4)
        v.addLayout(buttons)
        return page

    def _build_result(self) -> QWidget:
        page = QWidget(objectName="resultPage")
        page.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        v = QVBoxLayout(page)
        self.result_glyph = _label("resultGlyph")
        self.result_title = _label("resultTitle")
        self.result_name = _label("resultName")
        self.result_detail = _label("resultDetail")
        v.addStretch(2)
        for w in (self.result_glyph, self.result_title, self.result_name, self.result_detail):
            v.addWidget(w)
        v.addStretch(3)
        return page

    # --- information --------------------------------------------------------------------------

    def set_info(self, info) -> None:
        self.info = info
        self.event_title.setText(info.event.title)
        self.event_meta.setText(" · ".join(x for x in (long_date(info.event.date), info.event.venue) if x))
        self.pledge_text.setText(info.pledge_text)
        self.sounds.enabled = info.sound
        self._on_count(info.present, info.roster)

    def _on_count(self, present: int, roster: int) -> None:
        self._count = (present, roster)
        self.count_label.setText(t("ui.present", present=present, roster=roster))

    def _retranslate(self) -> None:
        self.scan_prompt.setText(t("ui.scan_prompt"))
        self.scan_hint.setText(t("ui.scan_hint"))
        self.privacy.setText(t("ui.privacy"))
        self.staff_button.setText("⚙ " + t("ui.staff"))
        self.sign_title.setText(t("ui.sign_title"))
        self.statement.setText(t("ui.sign_statement"))
        self.pad.hint = t("ui.sign_hint")
        self.cancel_button.setText(t("ui.cancel"))
        self.undo_button.setText(t("ui.undo"))
        self.clear_button.setText(t("ui.clear"))
        self.confirm_button.setText(t("ui.confirm"))
        if hasattr(self, "_count"):
            self._on_count(*self._count)
        self.pad.update()

    # --- the state machine --------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        self.setWindowTitle(f"Ikrar Kiosk [{state}]")    # for automation and screen readers; nothing personal
        self._back.stop()
        if state != SIGNING:
            self._sign_timeout.stop()
        if state == IDLE:
            self.stack.setCurrentWidget(self.idle_page)
        elif state in (SIGNING, SAVING):
            self.stack.setCurrentWidget(self.sign_page)
            busy = state == SAVING
            for b in (self.cancel_button, self.undo_button, self.clear_button):
                b.setEnabled(not busy)
            self.confirm_button.setEnabled(not busy and self.pad.has_ink())
            self.confirm_button.setText(t("ui.saving") if busy else t("ui.confirm"))
        else:
            self.stack.setCurrentWidget(self.result_page)
            self._back.start(RESULT_SECONDS[state] * 1000)
        self.stateChanged.emit(state)

    def to_idle(self) -> None:
        self.person = None
        self.pad.clear()
        self._set_state(IDLE)

    def scan(self, payload: str, method: str = "wedge") -> None:
        """A badge was read (or a person picked by staff)."""
        if self._busy or self.state == SAVING:
            self._queued = (payload, method)       # taken up when the request in flight is answered
            return
        if self.state == SIGNING and self.person is not None:
            self.service.abandon(self.person.nip, self.method)   # the last person walked away unsigned
            self.person = None
        self.method = method
        self._busy = True
        if self.signature_required:
            self.service.identify(payload, method)
        else:
            self.service.check_in(payload, method)

    def confirm(self) -> None:
        if self.state != SIGNING or self.person is None or not self.pad.has_ink():
            return
        signature = self.pad.signature()
        try:
            validate(signature)
        except KioskError as exc:
            self.sign_error.setText(str(exc))
            return
        self.sign_error.setText("")
        self._save(signature)

    def cancel_signing(self) -> None:
        if self.state == SIGNING and self.person is not None:
            self.service.abandon(self.person.nip, self.method)
        self.to_idle()

    def _save(self, signature) -> None:
        self._set_state(SAVING)
        self._busy = True
        self.service.record(self.person.nip, self.method, signature)

    def _on_result(self, r: CheckinResult) -> None:
        self._busy = False
        if r.status == IDENTIFIED:
            self.person = r
            self._show_signing(r)
        elif r.status == RECORDED:
            self.sounds.play("recorded")
            self._show_result(DONE, r.name, t("ui.done_time", time=r.checked_in_at.strftime("%H:%M")))
        elif r.status == DUPLICATE:
            self.sounds.play("duplicate")
            self._show_result(DUPLICATE, r.name, t("ui.duplicate_detail", time=r.checked_in_at.strftime("%H:%M")))
        elif r.status == UNKNOWN:
            self.sounds.play("unknown")
            self._show_result(UNKNOWN, format_spaced(r.nip or ""), r.message)
        elif r.code == NOT_SAVED:
            self.sounds.play("invalid")
            who = r.name or (self.person.name if self.person is not None else "")
            self._show_result(INVALID, who, r.message, title="ui.not_saved_title")
        else:
            self.sounds.play("invalid")
            self._show_result(INVALID, "", r.message + "\n" + t("ui.invalid_hint"))
        if self._queued is not None and not self._busy:
            payload, method = self._queued
            self._queued = None
            self.scan(payload, method)

    def _show_signing(self, r: CheckinResult) -> None:
        self.pad.clear()
        self.sign_error.setText("")
        self.person_name.setText(r.name)
        self.person_nip.setText("NIP " + format_spaced(r.nip))
        self.person_job.setText(" · ".join(x for x in (r.position, r.unit) if x))
        self._set_state(SIGNING)
        self._sign_timeout.start()

    def _show_result(self, state: str, name: str, detail: str, *, title: str | None = None) -> None:
        self.person = None
        colour, glyph, look_title = LOOK[state]
        title = title or look_title
        self.result_page.setStyleSheet(f"#resultPage {{ background: {colour}; }}")
        self.result_glyph.setText(glyph)
        self.result_title.setText(t(title))
        self.result_name.setText(name)
        self.result_detail.setText(detail)
        self.pad.clear()
        self._set_state(state)

    def _on_ink(self, has_ink: bool) -> None:
        if self.state == SIGNING:
            self.confirm_button.setEnabled(has_ink)
            self.sign_error.setText("")
            self._sign_timeout.start()

    # --- staff -------------------------------------------------------------------------------

    def open_staff_menu(self) -> None:
        if not PinDialog.ask(self.service, self):
            return
        choice = StaffMenu.ask(self, sound_on=self.sounds.enabled)
        if choice == "search":
            nip = SearchDialog.ask(self.service, self)
            if nip:
                self.scan(nip, "manual")
        elif choice == "language":
            i18n.set_language("en" if i18n.language() == "id" else "id")
            self._retranslate()
        elif choice == "sound":
            self.sounds.enabled = not self.sounds.enabled
            self.service.set_sound(self.sounds.enabled)
        elif choice == "exit":
            self._may_close = True
            self.exitRequested.emit()
            self.close()

    def closeEvent(self, e) -> None:
        if self._may_close:
            e.accept()
        else:
            e.ignore()
            QTimer.singleShot(0, self.open_staff_menu)

    # --- look ----------------------------------------------------------------------------------

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        self._restyle()

    def _restyle(self) -> None:
        u = max(0.6, min(self.width() / 1366, self.height() / 768))
        self.scan_glyph.setFixedHeight(round(130 * u))

        def px(n: float) -> int:
            return max(10, round(n * u))
        self.setStyleSheet(f"""
            #kiosk, #idlePage, #signPage {{ background: #0e2a4a; }}
            QLabel {{ color: white; }}
            #eventTitle {{ font-size: {px(34)}px; font-weight: bold; }}
            #eventMeta {{ font-size: {px(22)}px; color: #b9c8dc; }}
            #scanPrompt {{ font-size: {px(58)}px; font-weight: bold; }}
            #scanHint {{ font-size: {px(26)}px; color: #b9c8dc; }}
            #count {{ font-size: {px(26)}px; color: #d8e6f7; }}
            #privacy {{ font-size: {px(15)}px; color: #9fb3cc; }}
            #staffButton {{ font-size: {px(16)}px; color: #9fb3cc; background: transparent;
                            border: 1px solid #35557a; border-radius: {px(8)}px;
                            min-height: {px(48)}px; min-width: {px(120)}px; }}
            #personCard, #pledgeBox {{ background: #16365c; border-radius: {px(12)}px; }}
            #signTitle {{ font-size: {px(22)}px; color: #b9c8dc; }}
            #personName {{ font-size: {px(36)}px; font-weight: bold; }}
            #personNip {{ font-size: {px(26)}px; font-family: "DejaVu Sans Mono", monospace; }}
            #personJob {{ font-size: {px(20)}px; color: #d8e6f7; }}
            #statement {{ font-size: {px(16)}px; color: #b9c8dc; }}
            #pledgeText {{ font-size: {px(16)}px; }}
            #pledgeScroll, #pledgeScroll > QWidget > QWidget {{ background: transparent; }}
            #pad {{ border-radius: {px(8)}px; }}
            QScrollBar:vertical {{ background: transparent; width: {px(10)}px; margin: 0; }}
            QScrollBar::handle:vertical {{ background: #5d7390; border-radius: {px(5)}px; min-height: {px(40)}px; }}
            QScrollBar::add-line, QScrollBar::sub-line, QScrollBar::add-page, QScrollBar::sub-page
                {{ background: none; height: 0; }}
            #signError {{ font-size: {px(20)}px; color: #ffb4a8; font-weight: bold; }}
            QPushButton {{ font-size: {px(26)}px; min-height: {px(72)}px; border-radius: {px(10)}px;
                           background: #e3e9f2; color: #0e2a4a; }}
            QPushButton:disabled {{ background: #5d7390; color: #9fb3cc; }}
            #confirmButton {{ background: #23a04a; color: white; font-weight: bold; }}
            #confirmButton:disabled {{ background: #3d6b4d; color: #9fc7aa; }}
            #resultGlyph {{ font-size: {px(150)}px; font-weight: bold; }}
            #resultTitle {{ font-size: {px(60)}px; font-weight: bold; }}
            #resultName {{ font-size: {px(44)}px; }}
            #resultDetail {{ font-size: {px(28)}px; }}
        """)
