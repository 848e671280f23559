"""The employees' screen: idle → identified → signing → done, and the three refusals.

A small state machine (:class:`KioskState`) over the three pages of
:mod:`ui.kiosk.pages`.  Scans arrive from the wedge filter (or the staff search)
and wait in :attr:`KioskWindow.pending`, in order; one request is in flight at a
time, and when its answer arrives the next scan is taken.  None is dropped: each
reaches the core, which logs it (a refusal when identified, an identified person
when recorded or abandoned).  Every database step goes to
:class:`ui.kiosk.service.KioskService` with this window's own callbacks.  The
screen shows only the person just scanned and returns to idle by itself.
"""
from __future__ import annotations

import collections
import logging
import time
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk import i18n
from kiosk.ceremony.checkin import Abandon, CheckinResult, Method, Status
from kiosk.ceremony.signature import Signature, validate
from kiosk.i18n import KioskError
from kiosk.people.nip import format_spaced
from ui.kiosk.dialogs import PinDialog, SearchDialog, StaffChoice, StaffMenu
from ui.kiosk.pages import IdlePage, ResultPage, SignPage
from ui.kiosk.service import KioskInfo, KioskService
from ui.kiosk.sounds import Sound, Sounds
from ui.kiosk.style import scale, stylesheet
from ui.kiosk.wedge_filter import WedgeFilter
from ui.messages import t
from ui.worker import describe

log = logging.getLogger("ikrar.kiosk")


class KioskState(StrEnum):
    """What the kiosk shows (also in its window title, for automation: ``Ikrar Kiosk [signing]``)."""
    IDLE = "idle"
    SIGNING = "signing"
    SAVING = "saving"
    DONE = "done"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"
    INVALID = "invalid"


IDLE, SIGNING, SAVING, DONE, DUPLICATE, UNKNOWN, INVALID = KioskState
RESULT_SECONDS: dict[KioskState, float] = {DONE: 4, DUPLICATE: 5, UNKNOWN: 6, INVALID: 5}
SIGN_TIMEOUT_SECONDS = 60

# result state: (background, glyph, title message, sound)
LOOK: dict[KioskState, tuple[str, str, str, Sound]] = {
    DONE: ("#1b7a35", "✓", "ui.done_title", Sound.RECORDED),
    DUPLICATE: ("#1456a8", "↺", "ui.duplicate_title", Sound.DUPLICATE),
    UNKNOWN: ("#c25100", "?", "ui.unknown_title", Sound.UNKNOWN),
    INVALID: ("#b3191c", "✗", "ui.invalid_title", Sound.INVALID),
}


@dataclass(frozen=True, slots=True)
class Scan:
    """A badge read (or a person picked by staff), waiting for its turn."""
    payload: str
    method: Method
    arrived: float                     # time.monotonic() when it was read


class KioskWindow(QWidget):
    stateChanged = Signal(str)         # KioskState (its value)
    exitRequested = Signal()

    def __init__(self, service: KioskService, *, signature_required: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setWindowTitle("Ikrar Kiosk")
        self.service = service
        self.signature_required = signature_required
        self.info: KioskInfo | None = None
        self.state = IDLE
        self.person: CheckinResult | None = None       # who is signing
        self.method = Method.WEDGE
        self.pending: collections.deque[Scan] = collections.deque()
        self._in_flight = False                        # a request is with the worker
        self._may_close = False
        self.sounds = Sounds(self)
        self._back = QTimer(self)
        self._back.setSingleShot(True)
        self._back.timeout.connect(self.to_idle)
        self._sign_timeout = QTimer(self)
        self._sign_timeout.setSingleShot(True)
        self._sign_timeout.setInterval(SIGN_TIMEOUT_SECONDS * 1000)
        self._sign_timeout.timeout.connect(lambda: self.cancel_signing(Abandon.TIMED_OUT))

        self.idle_page, self.sign_page, self.result_page = IdlePage(), SignPage(), ResultPage()
        self.stack = QStackedWidget()
        for page in (self.idle_page, self.sign_page, self.result_page):
            self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.idle_page.staff_button.clicked.connect(self.open_staff_menu)
        s = self.sign_page
        self.pad = s.pad
        self.pad.inkChanged.connect(self._on_ink)
        self.pad.strokeFinished.connect(self._sign_timeout.start)
        s.cancel_button.clicked.connect(lambda: self.cancel_signing(Abandon.CANCELLED))
        s.confirm_button.clicked.connect(self.confirm)

        self.wedge = WedgeFilter(self)
        self.wedge.scanned.connect(lambda text: self.scan(text, Method.WEDGE))
        self.wedge.enterPressed.connect(self.confirm)
        self.wedge.escapePressed.connect(self.pad.clear)
        self.wedge.install()

        service.counted.connect(self.idle_page.set_count)
        self._retranslate()
        self._set_state(IDLE)

    # --- information --------------------------------------------------------------------------

    def set_info(self, info: KioskInfo) -> None:
        self.info = info
        self.idle_page.set_event(info.event)
        self.sign_page.pledge_text.setText(info.pledge_text)
        self.sounds.enabled = info.sound
        self.idle_page.set_count(info.present, info.roster)

    def _retranslate(self) -> None:
        self.idle_page.retranslate()
        self.sign_page.retranslate()

    # --- the state machine --------------------------------------------------------------------

    def _set_state(self, state: KioskState) -> None:
        self.state = state
        self.setWindowTitle(f"Ikrar Kiosk [{state}]")    # for automation and screen readers; nothing personal
        self._back.stop()
        if state != SIGNING:
            self._sign_timeout.stop()
        if state == IDLE:
            self.stack.setCurrentWidget(self.idle_page)
        elif state in (SIGNING, SAVING):
            self.stack.setCurrentWidget(self.sign_page)
            self.sign_page.set_saving(state == SAVING)
        else:
            self.stack.setCurrentWidget(self.result_page)
            self._back.start(round(RESULT_SECONDS[state] * 1000))
        self.stateChanged.emit(state)

    def to_idle(self) -> None:
        self.person = None
        self.pad.clear()
        self._set_state(IDLE)
        self._take_next()

    def scan(self, payload: str, method: str = Method.WEDGE) -> None:
        """A badge was read (or a person picked by staff): it waits its turn, and none is dropped."""
        self.pending.append(Scan(payload, Method(method), time.monotonic()))
        if self._in_flight or self.state == SAVING:
            log.info("scan (%s) waits: %d in line", method, len(self.pending))
        self._take_next()

    def _take_next(self) -> None:
        if self._in_flight or self.state == SAVING or not self.pending:
            return
        scan = self.pending.popleft()
        log.debug("scan (%s) taken after %.0f ms", scan.method, (time.monotonic() - scan.arrived) * 1000)
        if self.state == SIGNING and self.person is not None and self.person.nip:
            self.service.abandon(self.person.nip, self.method, Abandon.NEXT_SCAN)   # walked away unsigned
        self.person = None
        self.method = scan.method
        self._in_flight = True
        if self.signature_required:
            self.service.identify(scan.payload, scan.method, success=self._identified, failure=self._not_saved)
        else:
            self.service.check_in(scan.payload, scan.method, success=self._recorded, failure=self._not_saved)

    def confirm(self) -> None:
        if self.state != SIGNING or self.person is None or self._in_flight or not self.pad.has_ink():
            return
        signature = self.pad.signature()
        try:
            validate(signature)
        except KioskError as exc:
            self.sign_page.sign_error.setText(str(exc))
            return
        self.sign_page.sign_error.setText("")
        self._save(signature)

    def cancel_signing(self, reason: Abandon = Abandon.CANCELLED) -> None:
        if self.state == SIGNING and self.person is not None and self.person.nip:
            self.service.abandon(self.person.nip, self.method, reason)
        self.to_idle()

    def _save(self, signature: Signature) -> None:
        assert self.person is not None and self.person.nip is not None
        self._set_state(SAVING)
        self._in_flight = True
        self.service.record(self.person.nip, self.method, signature, success=self._recorded,
                            failure=self._not_saved)

    # --- answers (GUI thread) -----------------------------------------------------------------

    def _identified(self, r: CheckinResult) -> None:
        self._in_flight = False
        if r.status == Status.IDENTIFIED:
            self.person = r
            self.sign_page.show_person(r)
            self._set_state(SIGNING)
            self._sign_timeout.start()
        else:
            self._show_outcome(r)
        self._take_next()

    def _recorded(self, r: CheckinResult) -> None:
        self._in_flight = False
        self._show_outcome(r)
        self._take_next()

    def _not_saved(self, exc: Exception) -> None:
        """Identify or record failed (a full disk, a bug): never pretend the check-in was saved."""
        self._in_flight = False
        who = self.person.name if self.person is not None and self.person.name else ""
        self._show_result(INVALID, who, t("ui.not_saved", reason=describe(exc)), title="ui.not_saved_title")
        self._take_next()

    def _show_outcome(self, r: CheckinResult) -> None:
        hhmm = r.checked_in_at.strftime("%H:%M") if r.checked_in_at else ""
        if r.status == Status.RECORDED:
            self._show_result(DONE, r.name or "", t("ui.done_time", time=hhmm))
        elif r.status == Status.DUPLICATE:
            self._show_result(DUPLICATE, r.name or "", t("ui.duplicate_detail", time=hhmm))
        elif r.status == Status.UNKNOWN:
            self._show_result(UNKNOWN, format_spaced(r.nip or ""), r.message)
        else:
            self._show_result(INVALID, "", r.message + "\n" + t("ui.invalid_hint"))

    def _show_result(self, state: KioskState, name: str, detail: str, *, title: str | None = None) -> None:
        self.person = None
        colour, glyph, look_title, sound = LOOK[state]
        self.sounds.play(sound)
        self.result_page.show_card(colour, glyph, t(title or look_title), name, detail)
        self.pad.clear()
        self._set_state(state)

    def _on_ink(self, has_ink: bool) -> None:
        if self.state == SIGNING:
            self.sign_page.confirm_button.setEnabled(has_ink)
            self.sign_page.sign_error.setText("")
            self._sign_timeout.start()

    # --- staff -------------------------------------------------------------------------------

    def open_staff_menu(self) -> None:
        if not PinDialog.ask(self.service, self):
            return
        choice = StaffMenu.ask(self, sound_on=self.sounds.enabled)
        if choice == StaffChoice.SEARCH:
            nip = SearchDialog.ask(self.service, self)
            if nip:
                self.scan(nip, Method.MANUAL)
        elif choice == StaffChoice.LANGUAGE:
            i18n.set_language("en" if i18n.language() == "id" else "id")
            self._retranslate()
        elif choice == StaffChoice.SOUND:
            self.sounds.enabled = not self.sounds.enabled
            self.service.set_sound(self.sounds.enabled, failure=self._sound_not_saved)
        elif choice == StaffChoice.EXIT:
            self._may_close = True
            self.exitRequested.emit()
            self.close()

    def _sound_not_saved(self, exc: Exception) -> None:
        """The choice holds for now; say so to the staff, on the idle page only (a check-in is not touched)."""
        self.idle_page.say(t("ui.sound_failed", reason=describe(exc)))

    def closeEvent(self, e) -> None:
        if self._may_close:
            e.accept()
        else:
            e.ignore()
            QTimer.singleShot(0, self.open_staff_menu)

    # --- look ----------------------------------------------------------------------------------

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        u = scale(self.width(), self.height())
        self.idle_page.scan_glyph.setFixedHeight(round(130 * u))
        self.setStyleSheet(stylesheet(u))
