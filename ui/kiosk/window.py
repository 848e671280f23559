"""The employees' screen: idle → identified → signing → done, and the three refusals.

A small state machine (:class:`KioskState`) over the three pages of
:mod:`ui.kiosk.pages`.  Scans arrive from the wedge filter (or the staff forms)
and wait in :attr:`KioskWindow.pending`, in order; one request is in flight at a
time, and when its answer arrives the next scan is taken.  None is dropped: each
reaches the core, which logs it (a refusal when identified, an identified person
when recorded or abandoned).  Every database step goes to
:class:`ui.kiosk.service.KioskService` with this window's own callbacks.  The
screen shows only the person just scanned and returns to idle by itself.

Designed for the queue, not for one person:

* **A valid signature drawn is never lost.**  When the next badge is scanned while the
  page holds valid ink, that signature is recorded first (committed, with its sound)
  and then the new person is shown.  A page left untouched shows a countdown for its
  last seconds (:mod:`ui.kiosk.page_clock`; touching the pad restarts it) and then
  records a valid signature too.  Only an empty or invalid pad is abandoned, with the
  reason (next scan, cancel, timed out) in the scan log; an empty pad goes back to idle
  sooner (20 s) than one being signed (60 s).
* **A badge never goes into a staff dialog**: the key filter sees the burst, the
  dialog is closed with nothing entered, and the badge is a scan like any other.
* The organiser's warnings (wrong date, clock behind) show as a banner on the idle
  page and in the window title; they never block a check-in.
"""
from __future__ import annotations

import collections
import logging
import re
import time
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk import i18n
from kiosk.attendance.checkin import Abandon, CheckinResult, Method, Status
from kiosk.attendance.sanity import EventWarning
from kiosk.ceremony.signature import Signature, validate
from kiosk.i18n import KioskError
from ui.kiosk.camera.gate import CameraHook, ScanMemory
from ui.kiosk.idle_page import IdlePage
from ui.kiosk.page_clock import PageClock
from ui.kiosk.pages import ResultPage, SignPage, badge_line
from ui.kiosk.service import EMPTY_SECONDS, SIGN_SECONDS, KioskInfo, KioskService
from ui.kiosk.sounds import Sound, Sounds
from ui.kiosk.style import fit
from ui.kiosk.wedge_filter import WedgeFilter
from ui.messages import t
from ui.text import masked_nip
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
#: A page untouched this long: a valid signature is recorded, anything else left (at most 60 s).
SIGN_TIMEOUT_SECONDS = SIGN_SECONDS
#: A page whose pad is still empty goes back to idle sooner: the NIP is not left on screen for anyone.
EMPTY_TIMEOUT_SECONDS = EMPTY_SECONDS
#: The NIP of a "not on the roster" scan is offered to the walk-in form this long.
WALK_IN_OFFER_SECONDS = 300
#: A badge scanned into a staff dialog closes it when read, or this long after its first keys.
BADGE_CLOSE_MS = 1000
_NIP_TEXT = re.compile(r"(?<!\d)\d{8}[ .]?\d{6}[ .]?\d[ .]?\d{3}(?!\d)")

# result state: (background, glyph, title message, sound)
LOOK: dict[KioskState, tuple[str, str, str, Sound]] = {
    DONE: ("#1b7a35", "✓", "ui.done_title", Sound.RECORDED),
    DUPLICATE: ("#1456a8", "↺", "ui.duplicate_title", Sound.DUPLICATE),
    UNKNOWN: ("#c25100", "?", "ui.unknown_title", Sound.UNKNOWN),
    INVALID: ("#b3191c", "✗", "ui.invalid_title", Sound.INVALID),
}


def _mask_nips(text: str) -> str:
    """Any whole NIP inside a message, masked as on the person's card."""
    return _NIP_TEXT.sub(lambda m: masked_nip(m.group(0)), text)


@dataclass(frozen=True, slots=True)
class Scan:
    """A badge read (or a person picked by staff), waiting for its turn."""
    payload: str
    method: Method
    arrived: float                     # time.monotonic() when it was read


class KioskWindow(QWidget):
    stateChanged = Signal(str)         # KioskState (its value)
    exitRequested = Signal()

    def __init__(self, service: KioskService, *, signature_required: bool = True, idle_page: IdlePage | None = None,
                 wedge: WedgeFilter | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setWindowTitle("Ikrar Kiosk")
        self.service = service
        self.signature_required = signature_required
        self.info: KioskInfo | None = None
        self.serving = False                           # taking scans (false until opened with a PIN set)
        self.state = IDLE
        self.person: CheckinResult | None = None       # who is signing
        self.method = Method.WEDGE
        self.pending: collections.deque[Scan] = collections.deque()
        self.warnings: tuple[EventWarning, ...] = ()
        self.last_unknown: tuple[str, float] | None = None   # a NIP not on the roster, for the walk-in form
        self.camera: CameraHook | None = None          # set by ui.kiosk.camera.scanner when there is one
        self._scanned = ScanMemory()                    # the last minute's scans, for the camera's reads
        self._in_flight = False                        # a request is with the worker
        self._may_close = False
        self._staff_open = False
        self.sounds = Sounds(self)
        self._back = QTimer(self)
        self._back.setSingleShot(True)
        self._back.timeout.connect(self.to_idle)
        self.clock = PageClock(self)
        self.clock.expired.connect(self._time_up)

        # The idle page may come already shown and filled: the first frame's (ui.kiosk.shell).
        self.idle_page = idle_page if idle_page is not None else IdlePage()
        self.sign_page, self.result_page = SignPage(), ResultPage()
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
        self.pad.touched.connect(self._restart_clock)
        self.pad.strokeFinished.connect(self._restart_clock)
        self.clock.left.connect(self._show_countdown)
        s.cancel_button.clicked.connect(lambda: self.cancel_signing(Abandon.CANCELLED))
        s.confirm_button.clicked.connect(self.confirm)

        self.wedge = wedge if wedge is not None else WedgeFilter(self)   # the first frame's, when it had one
        self.wedge.scanned.connect(lambda text: self.scan(text, Method.WEDGE))
        self.wedge.enterPressed.connect(self.confirm)
        self.wedge.escapePressed.connect(self.pad.clear)
        self.wedge.burstInDialog.connect(self.close_dialogs)
        self.wedge.scanned.connect(self._badge_read)     # after the scan itself: the dialogs close once it is read
        self._dialogs_closing = QTimer(self)
        self._dialogs_closing.setSingleShot(True)
        self._dialogs_closing.setInterval(BADGE_CLOSE_MS)
        self._dialogs_closing.timeout.connect(self._close_dialogs_now)
        self.wedge.install()

        service.counted.connect(self.idle_page.set_count)
        service.warned.connect(self.set_warnings)
        service.eventChanged.connect(self.idle_page.set_event)
        self._retranslate()
        self._set_state(IDLE)

    # --- information --------------------------------------------------------------------------

    def set_info(self, info: KioskInfo) -> None:
        self.info = info
        self.idle_page.set_event(info.event)
        if info.pledge is not None:
            self.sign_page.set_pledge(info.pledge)
        self.sounds.enabled = info.sound
        self.idle_page.set_count(info.present, info.roster)
        self.set_warnings(info.warnings)
        if info.has_pin:
            self.start_serving()

    def start_serving(self) -> None:
        """Take scans (the ones that arrived meanwhile first, in order)."""
        self.serving = True
        self._take_next()

    def set_warnings(self, warnings: tuple[EventWarning, ...]) -> None:
        self.warnings = tuple(warnings)
        self.idle_page.banner.set_warnings(self.warnings)
        self.show_title()

    def _retranslate(self) -> None:
        self.idle_page.retranslate()
        self.sign_page.retranslate()
        if self.camera is not None:
            self.camera.retranslate()

    def show_title(self) -> None:
        """For automation and screen readers: the state and the warnings' codes; nothing personal.  On the
        top-level window: this one, or the shell that holds it."""
        codes = " ".join(str(w.code) for w in self.warnings)
        self.window().setWindowTitle(f"Ikrar Kiosk [{self.state}]" + (f" ⚠ {codes}" if codes else ""))

    # --- the state machine --------------------------------------------------------------------

    def _set_state(self, state: KioskState) -> None:
        self.state = state
        self.show_title()
        self._back.stop()
        if state != SIGNING:
            self.clock.stop()
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
        self.sign_page.clear_person()
        self._set_state(IDLE)
        self._take_next()

    def scan(self, payload: str, method: str = Method.WEDGE) -> None:
        """A badge was read (or a person picked by staff): it waits its turn, and none is dropped."""
        self.pending.append(Scan(payload, Method(method), time.monotonic()))
        self._scanned.note(payload)
        if self._in_flight or self.state == SAVING or not self.serving:
            log.info("scan (%s) waits: %d in line", method, len(self.pending))
        self._take_next()

    def camera_scan(self, payload: str) -> bool:
        """A new badge in front of the camera: a scan like the wedge's, unless it is a read of one just
        scanned (see ui.kiosk.camera.gate).  True when it was taken as a scan."""
        busy = self.state in (SIGNING, SAVING) or self._in_flight
        if not self._scanned.camera_may_scan(payload, busy=busy, on_page=self.person.nip if self.person else None,
                                             waiting=[s.payload for s in self.pending]):
            return False
        self.scan(payload, Method.CAMERA)
        return True

    def _take_next(self) -> None:
        if not self.serving or self._in_flight or self.state == SAVING or not self.pending:
            return
        if self.state == SIGNING and self.person is not None and self.person.nip:
            drawn = self._valid_ink()
            if drawn is not None:                      # walked on after signing: record it first, then the next
                log.info("the next badge came while a valid signature was on the pad: recorded first")
                self._save(drawn)
                return
            self.service.abandon(self.person.nip, self.method, Abandon.NEXT_SCAN)   # walked away unsigned
            self.sign_page.clear_person()              # nothing of theirs stays while the next is looked up
        scan = self.pending.popleft()
        log.debug("scan (%s) taken after %.0f ms", scan.method, (time.monotonic() - scan.arrived) * 1000)
        self.person = None
        self.method = scan.method
        self._in_flight = True
        if self.signature_required:
            self.service.identify(scan.payload, scan.method, success=self._identified, failure=self._not_saved)
        else:
            self.service.check_in(scan.payload, scan.method, success=self._recorded, failure=self._not_saved)

    def _valid_ink(self) -> Signature | None:
        """The pad's signature if it would be accepted, else None (empty, a dot, a scribble too short)."""
        if not self.pad.has_ink():
            return None
        signature = self.pad.signature()
        try:
            validate(signature)
        except KioskError:
            return None
        return signature

    def confirm(self) -> None:
        if self.state != SIGNING or self.person is None or self._in_flight:
            return
        if not self.pad.has_ink():
            self.sign_page.set_error(t("ui.sign_first"))       # Enter on an empty pad: say what to do
            return
        signature = self.pad.signature()
        try:
            validate(signature)
        except KioskError as exc:
            self.sign_page.set_error(str(exc))
            return
        self.sign_page.set_error("")
        self._save(signature)

    def cancel_signing(self, reason: Abandon = Abandon.CANCELLED) -> None:
        if self.state == SIGNING and self.person is not None and self.person.nip:
            self.service.abandon(self.person.nip, self.method, reason)
        self.to_idle()

    def _time_up(self) -> None:
        """Nobody touched the page in time: a valid signature is recorded, anything else is left."""
        if self.state != SIGNING or self.person is None:
            return
        if self.pad.drawing():                          # a finger is still on the pad
            self._restart_clock()
            return
        drawn = self._valid_ink()
        if drawn is not None and not self._in_flight:
            log.info("time up with a valid signature on the pad: recorded")
            self._save(drawn)
        else:
            self.cancel_signing(Abandon.TIMED_OUT)

    def _save(self, signature: Signature) -> None:
        assert self.person is not None and self.person.nip is not None
        self._set_state(SAVING)
        self._in_flight = True
        self.service.record(self.person.nip, self.method, signature, success=self._recorded,
                            failure=self._not_saved)

    def _restart_clock(self) -> None:
        if self.state == SIGNING:
            info = self.info
            sign = info.sign_seconds if info is not None else SIGN_TIMEOUT_SECONDS
            empty = info.empty_seconds if info is not None else EMPTY_TIMEOUT_SECONDS
            self.clock.start(min(sign, SIGN_TIMEOUT_SECONDS) if self.pad.has_ink()
                             else min(empty, EMPTY_TIMEOUT_SECONDS))

    def _show_countdown(self, seconds: int) -> None:
        if not seconds:
            self.sign_page.set_countdown("")
        elif self._valid_ink() is not None:
            self.sign_page.set_countdown(t("ui.countdown_save", seconds=seconds))
        else:
            self.sign_page.set_countdown(t("ui.countdown_leave", seconds=seconds))

    # --- answers (GUI thread) -----------------------------------------------------------------

    def _identified(self, r: CheckinResult) -> None:
        self._in_flight = False
        if r.status == Status.IDENTIFIED:
            self.person = r
            self.sign_page.show_person(r)
            self._set_state(SIGNING)
            self._restart_clock()
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
            if r.nip and r.nip.isdigit():
                self.last_unknown = (r.nip, time.monotonic())
            self._show_result(UNKNOWN, badge_line(r), t("ui.unknown_detail"))
        else:
            self._show_result(INVALID, "", _mask_nips(r.message) + "\n" + t("ui.invalid_hint"))

    def _show_result(self, state: KioskState, name: str, detail: str, *, title: str | None = None) -> None:
        self.person = None
        colour, glyph, look_title, sound = LOOK[state]
        self.sounds.play(sound)
        self.result_page.show_card(colour, glyph, t(title or look_title), name, detail)
        self.pad.clear()
        self.sign_page.clear_person()
        self._set_state(state)

    def _on_ink(self, has_ink: bool) -> None:
        if self.state == SIGNING:
            self.sign_page.confirm_button.setEnabled(has_ink)
            self.sign_page.set_error("")
            self._restart_clock()

    # --- staff -------------------------------------------------------------------------------

    def close_dialogs(self) -> None:
        """A badge is being scanned into a staff dialog: what was typed there is cleared at once, and the dialog
        (and any under it) closes once the badge is read whole, or :data:`BADGE_CLOSE_MS` after its first keys.
        Not at once: a window hidden in the middle of a burst leaves the keyboard with no window until the
        window manager hands it on, and the X server drops the keys typed meanwhile (the badge would lose
        digits).  Until then the key filter swallows the badge's keys."""
        if any(w.isVisible() and w.property("closesOnBadge") for w in QApplication.topLevelWidgets()):
            return                  # the desk over the kiosk closes itself the same way (ui.desk.door)
        from ui.kiosk.staff_dialog import StaffDialog  # the staff's windows load after the start (ui.kiosk.app)
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, StaffDialog) and widget.isVisible():
                widget.mark_interrupted()
        self._dialogs_closing.start()

    def _badge_read(self, _text: str) -> None:
        if self._dialogs_closing.isActive():
            self._close_dialogs_now()

    def _close_dialogs_now(self) -> None:
        from ui.kiosk.staff_dialog import StaffDialog
        self._dialogs_closing.stop()
        seen = []
        modal = QApplication.activeModalWidget()
        while modal is not None and modal is not self and modal not in seen:
            seen.append(modal)
            log.info("a badge was scanned into a staff dialog: the dialog is closed, the badge is a scan")
            if isinstance(modal, StaffDialog):
                modal.interrupt()
            elif hasattr(modal, "reject"):
                modal.reject()
            else:
                modal.close()
            modal = QApplication.activeModalWidget()

    def open_staff_menu(self) -> None:
        if self._staff_open or not self.serving:
            return
        self._staff_open = True
        try:
            self._staff_menu()
        finally:
            self._staff_open = False

    def _staff_menu(self) -> None:
        from ui.kiosk.dialogs import PinDialog, StaffChoice, StaffMenu
        from ui.kiosk.staff_forms import SearchDialog, WalkInDialog
        if not PinDialog.ask(self.service, self):
            return
        choice = StaffMenu.ask(self, sound_on=self.sounds.enabled)
        if choice == StaffChoice.SEARCH:
            nip = SearchDialog.ask(self.service, self)
            if nip:
                self.scan(nip, Method.MANUAL)
        elif choice == StaffChoice.WALK_IN:
            offered = ""
            if self.last_unknown and time.monotonic() - self.last_unknown[1] < WALK_IN_OFFER_SECONDS:
                offered = self.last_unknown[0]
            person = WalkInDialog.ask(self.service, self, nip=offered)
            if person is not None:
                self.last_unknown = None
                self.scan(person.nip, Method.MANUAL)    # checked in on the spot: the signing page, as anyone
        elif choice == StaffChoice.LANGUAGE:
            i18n.set_language("en" if i18n.language() == "id" else "id")
            self._retranslate()
        elif choice == StaffChoice.SOUND:
            self.sounds.enabled = not self.sounds.enabled
            self.service.set_sound(self.sounds.enabled, failure=self._sound_not_saved)
        elif choice == StaffChoice.CAMERA:
            if self.camera is not None:
                self.camera.choose()
            else:
                self.idle_page.say(t("ui.camera_unavailable"))
        elif choice == StaffChoice.DESK:
            self._open_desk()
        elif choice == StaffChoice.EXIT:
            self._may_close = True
            self.exitRequested.emit()
            self.window().close()

    def _open_desk(self) -> None:
        """The organiser's desk over the kiosk, until it is closed (see :mod:`ui.desk.door`)."""
        from ui.desk.door import open_over_kiosk  # the desk's pages are built only when asked for
        desk = open_over_kiosk(self.window(), self.service.db_path, badge_started=self.wedge.burstInDialog,
                               badge_read=self.wedge.scanned)
        if desk is not None:
            desk.deleteLater()

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
        fit(self, self.idle_page.scan_glyph)
