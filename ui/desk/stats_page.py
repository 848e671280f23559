"""Statistik: present per unit, arrivals per minute, the PNS/PPPK/non-ASN split, the share still absent;
each chart saved as a PNG for the report.  Counted by :mod:`kiosk.documents.statistics` from the
attendance register, redrawn whenever the database changes while the page is shown."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.documents.recap import percent
from kiosk.documents.statistics import Statistics, statistics
from kiosk.i18n import KioskError
from kiosk.store import Store
from kiosk.store.register import register
from ui.desk import ask
from ui.desk.charts import CHARTS, chart_png, view
from ui.desk.common import FollowingPage, Notice, Summary, thousands, title_label
from ui.desk.service import DeskContext
from ui.messages import t

FILE_NAMES = {"units": "hadir-per-unit.png", "arrivals": "kedatangan-per-menit.png",
              "kinds": "jenis-pegawai.png", "absent": "belum-hadir.png"}


def stats_of(store: Store, event_id: int) -> Statistics:
    return statistics(register(store, event_id))


class StatsPage(FollowingPage):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.stats: Statistics | None = None
        self.draws = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(title_label(t("desk.page_stats")))
        self.summary = Summary()                           # wraps in long languages
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.summary)                      # under the title: the whole width to wrap in
        grid = QGridLayout()
        grid.setSpacing(8)
        self.views = {}
        places = {"units": (0, 0, 2, 1), "arrivals": (0, 1, 1, 2), "kinds": (1, 1, 1, 1), "absent": (1, 2, 1, 1)}
        for name in CHARTS:
            chart_view = view(CHARTS[name](statistics([])))
            chart_view.setMinimumSize(260, 200)
            chart_view.setObjectName(f"chart_{name}")
            self.views[name] = chart_view
            grid.addWidget(chart_view, *places[name])
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 4)
        grid.setColumnStretch(2, 4)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        layout.addLayout(grid, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("desk.chart_save")))
        self.save_buttons = {}
        for name in CHARTS:
            button = QPushButton(t(f"desk.chart_name.{name}"))
            button.clicked.connect(lambda _=False, name=name: self.save(name))
            self.save_buttons[name] = button
            row.addWidget(button)
        self.save_all_button = QPushButton(t("desk.chart_save_all"))
        self.save_all_button.clicked.connect(self.save_all)
        row.addStretch(1)
        layout.addLayout(row)
        every = QHBoxLayout()                               # its own line: the row above is full in long languages
        every.addWidget(self.save_all_button)
        every.addStretch(1)
        layout.addLayout(every)
        self.notice = Notice()
        layout.addWidget(self.notice)

    def refresh(self) -> None:
        event_id = self.context.event_id
        if event_id is None:
            self.summary.setText(t("desk.need_event"))
            return
        self.stale = False
        self.context.service.run(lambda store: stats_of(store, event_id), success=self.show_stats,
                                 failure=self.notice.error)

    def show_stats(self, s: Statistics) -> None:
        self.stats = s
        for name, chart_view in self.views.items():
            old = chart_view.chart()
            chart_view.setChart(CHARTS[name](s))
            old.deleteLater()
        self.draws += 1
        self.summary.setText(t("desk.stats_summary", present=thousands(s.present), total=thousands(s.participants),
                               share=percent(1 - s.share_absent if s.participants else 0.0),
                               guests=s.guests_present))

    def save(self, name: str) -> None:
        if self.stats is None:
            return
        path = ask.save_file(self, t("desk.chart_save"), FILE_NAMES[name], "PNG (*.png)")
        if path is None:
            return
        try:
            written = chart_png(name, self.stats, path)
        except KioskError as exc:                          # a full disk, a folder we may not write to
            self.notice.error(exc)
            return
        self.notice.say(t("desk.chart_saved", path=str(written)), "ok")

    def save_all(self) -> None:
        """The four charts as PNGs in one folder, named for the report."""
        if self.stats is None:
            return
        folder = ask.folder(self, t("desk.chart_save_all"))
        if folder is None:
            return
        try:
            for name in CHARTS:
                chart_png(name, self.stats, folder / FILE_NAMES[name])
        except KioskError as exc:
            self.notice.error(exc)
            return
        self.notice.say(t("desk.charts_saved", count=len(CHARTS), path=str(folder)), "ok")
