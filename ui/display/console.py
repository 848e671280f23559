"""The organiser's console: live and next unit, the unit list, black screen, the projector
screen, the live attendance count, and the pledge editor.

The console is the organiser's screen (on the laptop), never the kiosk's: it may show the
last few names that checked in.  The count comes from the same database a kiosk writes to,
polled by :class:`~ui.display.service.DisplayService` on its worker thread.

Keys: the console itself takes the clicker keys (see :mod:`ui.display.presentation`) while
the "Presentation" tab is shown; every widget there is click-only (no focus), so an arrow
never scrolls a list or a Space never presses a button by accident.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.attendance.checkin import Abandon
from kiosk.ceremony.pledge import Pledge
from kiosk.dates import long_date
from kiosk.store import Event, Incomplete, ScanActivity
from ui.display.console_style import console_stylesheet
from ui.display.monitors import AUTO, WINDOW, Placement, ScreenChoice, ScreenInfo, screen_label
from ui.display.pledge_editor import PledgeEditor
from ui.display.pledge_painter import THEME_NAMES, load_logo
from ui.display.presentation import Presentation
from ui.display.service import ACTIVITY_MINUTES, DisplayInfo, DisplayService, LiveCount, SavedPledge
from ui.display.unit_view import UnitView, unit_label
from ui.messages import t
from ui.text import plain, shown
from ui.worker import describe

AMBER = "#fff1d6"


def activity_text(a: ScanActivity) -> str:
    """One line on the kiosks: when they last scanned, and the refusals that need the desk's attention."""
    if a.last_scan is None:
        return t("display.kiosk_waiting")
    parts = [t("display.kiosk_last", time=a.last_scan.strftime("%H:%M:%S"))]
    if a.unknown or a.invalid:
        parts.append(t("display.kiosk_refused", minutes=ACTIVITY_MINUTES, unknown=a.unknown, invalid=a.invalid))
    return " · ".join(parts)


def incomplete_text(i: Incomplete) -> str:
    """One person who scanned and walked on unsigned: when, who, where, why."""
    reason = Abandon(i.reason).label if i.reason in set(Abandon) else i.reason
    where = i.person.unit or i.person.institution
    return f"{i.scanned_at:%H:%M:%S}  {shown(i.person.name)} — {reason}" + (f" · {shown(where)}" if where else "")


class ConsoleWindow(QWidget):
    screenChosen = Signal(object)       # ScreenChoice (GUI thread only)
    lookChanged = Signal(str, str)      # theme, logo path
    pledgeSaved = Signal(object)        # SavedPledge, after the editor's save was written (GUI thread only)
    deskRequested = Signal()            # the organiser asked for the desk (the Display opens it)
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

        self.event_label = plain(QLabel(objectName="eventLabel"))
        self.count_label = QLabel(t("display.count_waiting"), objectName="countLabel")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.desk_button = QPushButton(t("display.desk"), objectName="deskButton")
        self.desk_button.setToolTip(t("display.desk_tip"))
        self.desk_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # keys are the presentation's
        self.desk_button.clicked.connect(self.deskRequested.emit)
        top = QHBoxLayout()
        top.addWidget(self.event_label, 1)
        top.addWidget(self.desk_button)
        top.addSpacing(16)
        top.addWidget(self.count_label)

        self.tabs = QTabWidget(objectName="tabs")
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab(self._build_control(), t("display.tab_control"))
        self.editor = PledgeEditor()
        self.tabs.addTab(self.editor, t("display.tab_editor"))
        self.tabs.currentChanged.connect(self._tab_changed)

        self.banner = plain(QLabel(objectName="warningBanner"))
        self.banner.hide()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 10)
        outer.addLayout(top)
        outer.addWidget(self.banner)
        outer.addWidget(self.tabs, 1)

        presentation.changed.connect(self._sync)
        if service is not None:
            service.counted.connect(self.show_count)
            service.countFailed.connect(self._count_failed)
            self.editor.saveRequested.connect(self.save_pledge)
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
        self.phrase_box = QCheckBox(t("display.phrases"), objectName="phraseBox")
        self.phrase_box.toggled.connect(self.presentation.set_phrase_mode)
        mid.addWidget(self.phrase_box)                   # a row of its own: room for a longer translation
        options = QHBoxLayout()
        options.addWidget(QLabel(t("display.theme") + " "))
        self.theme_box = QComboBox(objectName="themeBox")
        for name in THEME_NAMES:
            self.theme_box.addItem(t(f"display.theme_{name}"), name)
        self.theme_box.activated.connect(lambda i: self.set_look(self.theme_box.itemData(i), self.logo, emit=True))
        options.addWidget(self.theme_box)
        self.logo_button = QPushButton(t("display.logo"), objectName="logoButton")
        self.logo_button.clicked.connect(self.pick_logo)
        options.addWidget(self.logo_button)
        options.addStretch(1)
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
        incomplete_caption = QLabel(t("display.incomplete"), objectName="incompleteCaption")
        incomplete_caption.setWordWrap(True)
        right.addWidget(incomplete_caption)
        self.incomplete_list = QListWidget(objectName="incompleteList")
        self.incomplete_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right.addWidget(self.incomplete_list, 1)
        for lst in (self.recent_list, self.incomplete_list):
            lst.setTextElideMode(Qt.TextElideMode.ElideRight)

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
        self.show_event(info.event)
        self.set_look(info.theme, info.logo)
        self.editor.load(info.pledge, info.versions)

    def show_event(self, e: Event) -> None:
        self.event_label.setText(shown(" · ".join(x for x in (e.title, long_date(e.date), e.venue) if x), 400))

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
            self.recent_list.addItem(f"{row.checked_in_at.strftime('%H:%M:%S')}   {shown(row.name)}")
        if count.event is not None:
            self.show_event(count.event)
        self.show_incomplete(count.incomplete)
        self.show_warnings(count.warnings)
        self.kiosk_status.setText(activity_text(count.activity))
        attention = count.activity.unknown or count.activity.invalid
        self.kiosk_status.setStyleSheet("color: #b35c00; font-weight: bold;" if attention else "")

    def show_incomplete(self, incomplete) -> None:
        """Scanned and walked on unsigned: amber, newest first, so the desk can call them back."""
        self.incomplete_list.clear()
        if not incomplete:
            self.incomplete_list.addItem(t("display.incomplete_none"))
            return
        for i in incomplete:
            item = QListWidgetItem(incomplete_text(i))
            item.setToolTip(item.text())
            item.setBackground(QColor(AMBER))
            item.setForeground(QColor("#7a3d00"))
            self.incomplete_list.addItem(item)

    def show_warnings(self, warnings) -> None:
        self.banner.setText("\n".join("⚠ " + shown(w.message, 600) for w in warnings))
        self.banner.setVisible(bool(warnings))

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
        self._status(message, warning=bool(placement is not None and placement.fallback))
        for view in (self.live_view, self.preview_view):
            view.updateGeometry()
            view.update()

    def _screen_picked(self, index: int) -> None:
        choice = self.screen_box.itemData(index)
        if isinstance(choice, ScreenChoice):
            self.screenChosen.emit(choice)
        self.setFocus()

    def save_pledge(self, pledge: Pledge) -> None:
        """The editor's draft, as a new version (on the worker); the editor hears how it went."""
        if self.service is not None:
            self.service.save_pledge(pledge, success=self._saved,
                                     failure=lambda exc: self.editor.save_failed(describe(exc)))

    def _saved(self, saved: SavedPledge) -> None:
        self.editor.saved(saved.pledge, saved.versions, saved.new)
        if saved.new:
            self.presentation.set_pledge(saved.pledge)
            self.set_look(self.theme, self.logo)
        self.pledgeSaved.emit(saved)

    def setting_failed(self, exc: Exception) -> None:
        """A theme, logo or screen choice could not be remembered: it holds now, say it will not next time."""
        self._status(t("display.setting_failed", reason=describe(exc)), warning=True)

    def _status(self, text: str, *, warning: bool) -> None:
        self.screen_status.setText(("⚠ " if warning else "") + text)
        self.screen_status.setProperty("warning", warning)
        self.screen_status.style().unpolish(self.screen_status)
        self.screen_status.style().polish(self.screen_status)

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
        self.setStyleSheet(console_stylesheet(max(0.75, min(self.width() / 1366, self.height() / 768, 1.6))))
