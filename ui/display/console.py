"""The organiser's console: live and next unit, the unit list, black screen, the projector
screen, the live attendance count, and the pledge editor.

The console is the organiser's screen (on the laptop), never the kiosk's: it may show the
last few names that checked in.  The count comes from the same database a kiosk writes to,
read every two seconds by :class:`DisplayService`'s worker thread (a plain thread and a
queue; answers come back through a parameterless queued signal, as in ``ui.service``:
PySide6 must not carry Python objects across threads).

Keys: the console itself takes the clicker keys (see ``ui.projector``) while the
"Presentation" tab is shown; every widget there is click-only (no focus), so an arrow
never scrolls a list or a Space never presses a button by accident.
"""
from __future__ import annotations

import datetime
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QGridLayout, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QSizePolicy, QTabWidget, QVBoxLayout,
                               QWidget)

from kiosk.dates import long_date
from kiosk.i18n import KioskError
from kiosk.ceremony.pledge import Pledge
from kiosk.store import AttendanceRow, Event, ScanActivity, Store, now

from ui.messages import t
from ui.display.pledge_editor import PledgeEditor
from ui.display.projector import THEME_NAMES, Presentation, body_text, load_logo, paint_unit
from ui.display.monitors import AUTO, WINDOW, Placement, ScreenChoice, ScreenInfo, screen_label
from ui.worker import StoreWorker

POLL_SECONDS = 2.0
ACTIVITY_MINUTES = 15
RECENT = 6
SETTING_THEME, SETTING_LOGO, SETTING_SCREEN = "display.theme", "display.logo", "display.screen"


# --- what crosses from the worker to the console (frozen, plain) -----------------------------------

@dataclass(frozen=True, slots=True)
class Versions:
    current_id: int
    current_sha256: str
    rows: tuple[tuple[int, str, str, str], ...]        # (id, sha256, template key, created_at UTC)


@dataclass(frozen=True, slots=True)
class DisplayInfo:
    event: Event
    pledge: Pledge
    versions: Versions
    theme: str
    logo: str
    screen: str            # ScreenChoice setting text


@dataclass(frozen=True, slots=True)
class LiveCount:
    present: int
    roster: int
    recent: tuple[AttendanceRow, ...]
    activity: ScanActivity


@dataclass(frozen=True, slots=True)
class SavedPledge:
    pledge: Pledge
    versions: Versions
    new: bool              # False: the text was the version already in use


class DisplayService(StoreWorker):
    """The console's door to the database, on its own worker thread; also polls the count."""
    opened = Signal(object)        # DisplayInfo
    failed = Signal(str)
    counted = Signal(object)       # LiveCount
    countFailed = Signal(str)
    saved = Signal(object)         # SavedPledge
    saveFailed = Signal(str)

    def __init__(self, db_path: str | Path, event_id: int | None = None, *, poll_seconds: float = POLL_SECONDS,
                 parent: QObject | None = None) -> None:
        self.db_path, self.event_id, self.poll_seconds = Path(db_path), event_id, poll_seconds
        self._event: Event | None = None
        self.polls = 0
        self._next_poll = time.monotonic()
        super().__init__("display-store", parent)

    # --- GUI side ------------------------------------------------------------------------------

    def open(self) -> None:
        self.submit(self._open)

    def save_pledge(self, pledge: Pledge) -> None:
        self.submit(lambda: self._save(pledge))

    def set_setting(self, key: str, value: str) -> None:
        self.submit(lambda: self._store.set_setting(key, value))

    def poll_now(self) -> None:
        self.submit(self._poll)

    # --- worker side ---------------------------------------------------------------------------

    def _next_job(self):
        """Jobs as they come; between them, the count every ``poll_seconds`` once an event is open."""
        timeout = max(0.0, self._next_poll - time.monotonic()) if self._event is not None else None
        try:
            return self._jobs.get(timeout=timeout)
        except queue.Empty:
            return self._poll

    def _failed(self, job, exc: Exception) -> None:
        if isinstance(exc, KioskError):
            self._answer("countFailed" if job == self._poll else "saveFailed", str(exc))
        else:
            self._answer("countFailed", t("display.count_error", error=exc))

    def _versions(self) -> Versions:
        event = self._store.event(self._event.id)
        self._event = event
        rows = tuple((r[0], r[1], r[2], r[3]) for r in self._store.pledge_versions())
        return Versions(event.pledge_id, self._store.pledge_sha256(event.pledge_id), rows)

    def _open(self) -> None:
        try:
            self._store = Store(self.db_path)
            self._event = self._store.event(self.event_id) if self.event_id else self._store.active_event()
            versions = self._versions()
            s = self._store
            self._answer("opened", DisplayInfo(self._event, s.pledge(self._event.pledge_id), versions,
                                               s.get_setting(SETTING_THEME) or "dark",
                                               s.get_setting(SETTING_LOGO) or "", s.get_setting(SETTING_SCREEN) or ""))
        except KioskError as exc:
            self._answer("failed", str(exc))
            return
        self._poll()

    def _poll(self) -> None:
        self._next_poll = time.monotonic() + self.poll_seconds
        if self._store is None or self._event is None:
            return
        self.polls += 1
        s, e = self._store, self._event.id
        since = now() - datetime.timedelta(minutes=ACTIVITY_MINUTES)
        self._answer("counted", LiveCount(s.count_present(e), s.count_people(), tuple(s.recent_checkins(e, RECENT)),
                                          s.scan_activity(e, since)))

    def _save(self, pledge: Pledge) -> None:
        try:
            if pledge.sha256 == self._store.pledge_sha256(self._store.event(self._event.id).pledge_id):
                self._answer("saved", SavedPledge(pledge, self._versions(), False))
                return
            self._store.set_event_pledge(self._event.id, pledge)
            self._answer("saved", SavedPledge(pledge, self._versions(), True))
        except KioskError as exc:
            self._answer("saveFailed", str(exc))


def activity_text(a: ScanActivity) -> str:
    """One line on the kiosks: when they last scanned, and the refusals that need the desk's attention."""
    if a.last_scan is None:
        return t("display.kiosk_waiting")
    parts = [t("display.kiosk_last", time=a.last_scan.strftime("%H:%M:%S"))]
    if a.unknown or a.invalid:
        parts.append(t("display.kiosk_refused", minutes=ACTIVITY_MINUTES, unknown=a.unknown, invalid=a.invalid))
    return " · ".join(parts)


# --- the small projector pictures -------------------------------------------------------------------

class UnitView(QWidget):
    """A unit drawn exactly as on the projector (same size, same line breaks), scaled down."""

    def __init__(self, presentation: Presentation, *, preview: bool, output_size: Callable[[], QSize],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presentation, self.preview, self.output_size = presentation, preview, output_size
        self.theme, self.agency, self.logo = "dark", "", None
        self.setMinimumSize(200, 112)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)                  # as tall as the projector's shape needs, no more
        self.setSizePolicy(policy)
        presentation.changed.connect(self.update)

    def hasHeightForWidth(self) -> bool:
        return True

    def sizeHint(self) -> QSize:
        return QSize(640, self.heightForWidth(640))

    def heightForWidth(self, w: int) -> int:
        size = self.output_size()
        return round(w * size.height() / max(1, size.width()))

    def unit(self) -> tuple[int | None, int | None, bool]:
        """(index, phrase, blank) this view shows; index None: nothing (after the last unit)."""
        p = self.presentation
        if not self.preview:
            return p.index, p.phrase, p.blank
        nxt = p.index + 1
        return (nxt, None, False) if nxt < p.count else (None, None, False)

    def paintEvent(self, e) -> None:
        out = self.output_size()
        ow, oh = max(1, out.width()), max(1, out.height())
        scale = min(self.width() / ow, self.height() / oh)
        w, h = ow * scale, oh * scale
        x, y = (self.width() - w) / 2, 0.0              # top: the caption above sits on the picture
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), self.palette().window())
            index, phrase, blank = self.unit()
            painter.save()
            painter.translate(x, y)
            painter.scale(scale, scale)
            if index is None:
                paint_unit(painter, QRectF(0, 0, ow, oh), None, 0, self.theme)
            else:
                paint_unit(painter, QRectF(0, 0, ow, oh), self.presentation.pledge, index, self.theme,
                           agency=self.agency, logo=self.logo, phrase=phrase, blank=blank)
            painter.restore()
            if index is None:
                painter.setPen(QColor("#9fb3cc"))
                painter.drawText(QRectF(x, y, w, h), int(Qt.AlignmentFlag.AlignCenter), t("display.end"))
            painter.setPen(QPen(QColor("#e0484d" if not self.preview else "#5d7390"), 3 if not self.preview else 1))
            painter.drawRect(QRectF(x + 0.5, y + 0.5, w - 1, h - 1))
        finally:
            painter.end()


# --- the console -------------------------------------------------------------------------------------

def unit_label(pledge: Pledge, index: int) -> str:
    u = pledge.units[index]
    if u.kind == "title":
        return t("display.unit_title")
    if u.kind == "opening":
        return t("display.unit_opening")
    if u.kind == "closing":
        return t("display.unit_closing")
    words = body_text(u).split()
    return f"{u.ordinal('id')} — {' '.join(words[:4])}…"


class ConsoleWindow(QWidget):
    screenChosen = Signal(object)       # ScreenChoice (GUI thread only)
    lookChanged = Signal(str, str)      # theme, logo path
    closing = Signal()

    def __init__(self, presentation: Presentation, service: DisplayService | None = None,
                 output_size: Callable[[], QSize] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("console")
        self.setWindowTitle(t("display.title"))
        self.presentation = presentation
        self.service = service
        self.output_size = output_size or (lambda: QSize(1920, 1080))
        self.theme, self.logo = "dark", ""
        self.count: LiveCount | None = None
        self._screens: list[ScreenInfo] = []
        self._may_close = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.event_label = QLabel(objectName="eventLabel")
        self.count_label = QLabel(t("display.count_waiting"), objectName="countLabel")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.event_label, 1)
        top.addWidget(self.count_label)

        self.tabs = QTabWidget(objectName="tabs")
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab(self._build_control(), t("display.tab_control"))
        self.editor = PledgeEditor()
        self.tabs.addTab(self.editor, t("display.tab_editor"))
        self.tabs.currentChanged.connect(self._tab_changed)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 10)
        outer.addLayout(top)
        outer.addWidget(self.tabs, 1)

        presentation.changed.connect(self._sync)
        if service is not None:
            service.counted.connect(self.show_count)
            service.countFailed.connect(self._count_failed)
            service.saved.connect(self._saved)
            service.saveFailed.connect(self.editor.save_failed)
            self.editor.saveRequested.connect(service.save_pledge)
        self._restyle()
        self._sync()

    # --- building ----------------------------------------------------------------------------------

    def _build_control(self) -> QWidget:
        page = QWidget(objectName="controlPage")
        grid = QGridLayout(page)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setHorizontalSpacing(14)

        # left: the units
        left = QVBoxLayout()
        left.addWidget(QLabel(t("display.units"), objectName="caption"))
        self.unit_list = QListWidget(objectName="unitList")
        self.unit_list.setWordWrap(True)
        self.unit_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.unit_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.unit_list.itemClicked.connect(lambda item: self.presentation.go(self.unit_list.row(item)))
        left.addWidget(self.unit_list, 1)

        # middle: live, and the controls under it
        mid = QVBoxLayout()
        live_head = QHBoxLayout()
        live_head.addWidget(QLabel(t("display.live"), objectName="liveCaption"))
        self.blank_notice = QLabel(t("display.blanked"), objectName="blankNotice")
        live_head.addWidget(self.blank_notice, 1)
        self.position_label = QLabel(objectName="position")
        live_head.addWidget(self.position_label)
        mid.addLayout(live_head)
        self.live_view = UnitView(self.presentation, preview=False, output_size=self.output_size)
        mid.addWidget(self.live_view)
        buttons = QHBoxLayout()
        self.prev_button = QPushButton(t("display.prev"), objectName="prevButton")
        self.next_button = QPushButton(t("display.next"), objectName="nextButton")
        self.blank_button = QPushButton(t("display.blank"), objectName="blankButton")
        self.blank_button.setCheckable(True)
        self.prev_button.clicked.connect(self.presentation.previous)
        self.next_button.clicked.connect(self.presentation.next)
        self.blank_button.clicked.connect(lambda on: self.presentation.set_blank(on))
        buttons.addWidget(self.prev_button, 2)
        buttons.addWidget(self.next_button, 3)
        buttons.addWidget(self.blank_button, 2)
        mid.addLayout(buttons)
        options = QHBoxLayout()
        self.phrase_box = QCheckBox(t("display.phrases"), objectName="phraseBox")
        self.phrase_box.toggled.connect(self.presentation.set_phrase_mode)
        options.addWidget(self.phrase_box)
        options.addStretch(1)
        options.addWidget(QLabel(t("display.theme") + " "))
        self.theme_box = QComboBox(objectName="themeBox")
        for name in THEME_NAMES:
            self.theme_box.addItem(t(f"display.theme_{name}"), name)
        self.theme_box.activated.connect(lambda i: self.set_look(self.theme_box.itemData(i), self.logo, emit=True))
        options.addWidget(self.theme_box)
        self.logo_button = QPushButton(t("display.logo"), objectName="logoButton")
        self.logo_button.clicked.connect(self.pick_logo)
        options.addWidget(self.logo_button)
        mid.addLayout(options)
        self.keys_hint = QLabel(t("display.keys_hint"), objectName="hint")
        self.keys_hint.setWordWrap(True)
        mid.addWidget(self.keys_hint)
        mid.addStretch(1)

        # right: next, the screen, the count
        right = QVBoxLayout()
        right.addWidget(QLabel(t("display.preview"), objectName="caption"))
        self.preview_view = UnitView(self.presentation, preview=True, output_size=self.output_size)
        right.addWidget(self.preview_view)
        right.addWidget(QLabel(t("display.screen"), objectName="caption"))
        self.screen_box = QComboBox(objectName="screenBox")
        self.screen_box.activated.connect(self._screen_picked)
        right.addWidget(self.screen_box)
        self.screen_status = QLabel(objectName="screenStatus")
        self.screen_status.setWordWrap(True)
        right.addWidget(self.screen_status)
        self.kiosk_status = QLabel(t("display.kiosk_waiting"), objectName="kioskStatus")
        self.kiosk_status.setWordWrap(True)
        right.addWidget(self.kiosk_status)
        right.addWidget(QLabel(t("display.recent"), objectName="caption"))
        self.recent_list = QListWidget(objectName="recentList")
        right.addWidget(self.recent_list, 1)

        grid.addLayout(left, 0, 0)
        grid.addLayout(mid, 0, 1)
        grid.addLayout(right, 0, 2)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 13)
        grid.setColumnStretch(2, 8)

        for w in page.findChildren(QWidget):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)        # keys are the presentation's (see module doc)
        return page

    # --- information -------------------------------------------------------------------------------

    def set_info(self, info: DisplayInfo) -> None:
        e = info.event
        self.event_label.setText(" · ".join(x for x in (e.title, long_date(e.date), e.venue) if x))
        self.set_look(info.theme, info.logo)
        self.editor.load(info.pledge, info.versions)

    def set_look(self, theme: str, logo: str, *, emit: bool = False) -> None:
        self.theme = theme if theme in THEME_NAMES else "dark"
        if logo and load_logo(logo) is None:
            self.screen_status.setText(t("display.logo_bad", path=logo))
            logo = ""
        self.logo = logo
        agency = self.presentation.pledge.params.get("instansi", "") if self.presentation.pledge else ""
        for view in (self.live_view, self.preview_view):
            view.theme, view.agency, view.logo = self.theme, agency, logo or None
            view.update()
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(self.theme)))
        self.logo_button.setText(t("display.logo") if not logo else "✓ " + t("display.logo"))
        if emit:
            self.lookChanged.emit(self.theme, self.logo)

    def pick_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("display.logo_pick"), self.logo or "",
                                              "Images (*.png *.jpg *.jpeg *.bmp *.svg)")
        if path:
            self.set_look(self.theme, path, emit=True)
        self.setFocus()

    def show_count(self, count: LiveCount) -> None:
        self.count = count
        self.count_label.setText(t("display.count", present=count.present, roster=count.roster))
        self.recent_list.clear()
        if not count.recent:
            self.recent_list.addItem(t("display.recent_none"))
        for row in count.recent:
            self.recent_list.addItem(f"{row.checked_in_at.strftime('%H:%M:%S')}   {row.name}")
        self.kiosk_status.setText(activity_text(count.activity))
        attention = count.activity.unknown or count.activity.invalid
        self.kiosk_status.setStyleSheet("color: #b35c00; font-weight: bold;" if attention else "")

    def _count_failed(self, message: str) -> None:
        self.count_label.setText(message)

    def show_placement(self, screens: list[ScreenInfo], choice: ScreenChoice, placement: Placement | None) -> None:
        """Refill the screen chooser and say where the projector is (a warning when it fell back)."""
        self._screens = list(screens)
        box = self.screen_box
        box.clear()
        box.addItem(t("display.screen_auto"), ScreenChoice())
        for n, s in enumerate(screens):
            box.addItem(screen_label(n, s), ScreenChoice.of(s))
        box.addItem(t("display.screen_window"), ScreenChoice(WINDOW))
        if choice.mode == AUTO:
            box.setCurrentIndex(0)
        elif choice.mode == WINDOW:
            box.setCurrentIndex(box.count() - 1)
        else:
            match = [n for n, s in enumerate(screens) if ScreenChoice.of(s) == choice]
            box.setCurrentIndex(match[0] + 1 if match else 0)
        message = placement.message if placement is not None else ""
        self.screen_status.setText(("⚠ " if placement is not None and placement.fallback else "") + message)
        self.screen_status.setProperty("warning", bool(placement is not None and placement.fallback))
        self.screen_status.style().unpolish(self.screen_status)
        self.screen_status.style().polish(self.screen_status)
        for view in (self.live_view, self.preview_view):
            view.updateGeometry()
            view.update()

    def _screen_picked(self, index: int) -> None:
        choice = self.screen_box.itemData(index)
        if isinstance(choice, ScreenChoice):
            self.screenChosen.emit(choice)
        self.setFocus()

    def _saved(self, saved: SavedPledge) -> None:
        self.editor.saved(saved.pledge, saved.versions, saved.new)
        if saved.new:
            self.presentation.set_pledge(saved.pledge)
            self.set_look(self.theme, self.logo)

    # --- following the presentation ----------------------------------------------------------------

    def _sync(self) -> None:
        p = self.presentation
        if self.unit_list.count() != p.count or self._list_stale():
            self.unit_list.clear()
            for i in range(p.count):
                self.unit_list.addItem(QListWidgetItem(f"{i + 1}. {unit_label(p.pledge, i)}"))
        self.unit_list.setCurrentRow(p.index if p.count else -1)
        self.blank_button.setChecked(p.blank)
        self.blank_notice.setVisible(p.blank)
        if p.count:
            text = t("display.position", n=p.index + 1, count=p.count)
            spans = p.phrases()
            if spans and p.phrase is not None:
                text += ", " + t("display.phrase_position", n=p.phrase + 1, count=len(spans))
            self.position_label.setText(text)
        self.prev_button.setEnabled(p.count > 0)
        self.next_button.setEnabled(p.count > 0)

    def _list_stale(self) -> bool:
        p = self.presentation
        if p.pledge is None:
            return self.unit_list.count() > 0
        return any(self.unit_list.item(i).text() != f"{i + 1}. {unit_label(p.pledge, i)}"
                   for i in range(self.unit_list.count()))

    def _tab_changed(self, index: int) -> None:
        if index == 0:
            self.setFocus()

    def keyPressEvent(self, e) -> None:
        if self.tabs.currentIndex() == 0 and self.presentation.handle_key(e.key()):
            return
        super().keyPressEvent(e)

    def showEvent(self, e) -> None:
        super().showEvent(e)
        self.setFocus()

    def closeEvent(self, e) -> None:
        self.closing.emit()
        super().closeEvent(e)

    # --- look ----------------------------------------------------------------------------------------

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        self._restyle()

    def _restyle(self) -> None:
        u = max(0.75, min(self.width() / 1366, self.height() / 768, 1.6))

        def px(n: float) -> int:
            return max(9, round(n * u))
        self.setStyleSheet(f"""
            #console {{ background: #eef2f7; }}
            QLabel, QCheckBox, QComboBox, QPushButton, QListWidget, QTabBar {{ font-size: {px(14)}px; }}
            QTabBar::tab {{ padding: {px(6)}px {px(16)}px; }}
            #eventLabel {{ font-size: {px(18)}px; font-weight: bold; color: #0e2a4a; }}
            #countLabel {{ font-size: {px(26)}px; font-weight: bold; color: #1b7a35; }}
            #caption, #liveCaption {{ font-size: {px(13)}px; font-weight: bold; color: #4a5d78;
                                      letter-spacing: 1px; }}
            #liveCaption {{ color: #c62828; }}
            #blankNotice {{ font-size: {px(13)}px; font-weight: bold; color: white; background: #111;
                            padding: 2px 8px; border-radius: 4px; }}
            #hint {{ font-size: {px(12)}px; color: #4a5d78; }}
            #position {{ font-size: {px(13)}px; font-weight: bold; color: #0e2a4a; }}
            #screenStatus {{ font-size: {px(13)}px; color: #1f3a5c; }}
            #screenStatus[warning="true"] {{ color: #9a3b00; font-weight: bold; background: #fff1d6;
                                             border: 1px solid #e0a040; border-radius: 4px; padding: 4px; }}
            QListWidget {{ background: white; border: 1px solid #c8d2de; border-radius: 4px; }}
            QListWidget::item {{ padding: {px(5)}px 6px; }}
            QListWidget::item:selected {{ background: #c62828; color: white; }}
            #recentList {{ font-size: {px(14)}px; }}
            QPushButton {{ min-height: {px(40)}px; padding: 4px 12px; border-radius: 6px;
                           background: #dfe6ef; color: #0e2a4a; border: 1px solid #b9c6d6; }}
            #nextButton {{ background: #0e4a8a; color: white; font-weight: bold; border: none; }}
            #logoButton {{ min-height: {px(28)}px; }}
            QLineEdit, QPlainTextEdit, QSpinBox, QComboBox {{ font-size: {px(14)}px; }}
            QLineEdit, QSpinBox {{ min-height: {px(28)}px; max-height: {px(28)}px; padding: 2px 4px; }}
            QTableWidget, QHeaderView::section {{ font-size: {px(13)}px; }}
            #versions {{ font-family: "Consolas", "DejaVu Sans Mono", monospace; }}
            #editor #caption {{ margin-top: {px(4)}px; }}
            #formLabel {{ min-height: {px(28) + 10}px; }}
            QCheckBox::indicator {{ width: {px(15)}px; height: {px(15)}px; }}
            #editor #hint {{ font-size: {px(12)}px; }}
            #saveButton {{ background: #1b7a35; color: white; font-weight: bold; border: none; padding: 4px 20px; }}
            #saveButton:disabled {{ background: #b9c6d6; color: #eef2f7; }}
            #status[error="true"] {{ color: #b3191c; font-weight: bold; }}
            #shaCurrent {{ font-weight: bold; color: #0e2a4a; }}
            #blankButton:checked {{ background: #111; color: white; }}
        """)
