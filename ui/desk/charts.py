"""The four charts of the Statistik page, drawn by Qt's own QtCharts from :class:`Statistics`.

Each builder makes a new :class:`QChart`, so the page can show one and draw another, larger, for
the PNG a clerk puts in the report (:func:`chart_png`).
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCharts import (
    QAreaSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene

from kiosk.documents.recap import percent
from kiosk.documents.statistics import Statistics
from kiosk.i18n import KioskError
from kiosk.people.kinds import AbsenceReason, PersonKind
from ui.messages import t

PRESENT, ABSENT = QColor("#2e7d32"), QColor("#c9d3e3")
KIND_COLOURS = {"pns": QColor("#1d5fbf"), "pppk": QColor("#f2a541"), "non-asn": QColor("#7b5ea7")}
REASON_COLOURS = {AbsenceReason.SAKIT: "#e57373", AbsenceReason.IZIN: "#ffb74d", AbsenceReason.CUTI: "#4db6ac",
                  AbsenceReason.DINAS_LUAR: "#64b5f6", AbsenceReason.TUGAS_BELAJAR: "#9575cd",
                  AbsenceReason.TANPA_KETERANGAN: "#b0bec5"}
#: Units shown in the bar chart; the rest are summed into one bar.
MAX_UNITS = 24
PNG_SIZE = (1600, 900)


def _chart(title: str, large: bool) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont()
    font.setPointSizeF(20 if large else 11)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(12, 12, 12, 12) if large else QMargins(2, 2, 2, 2))
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend_font = QFont()
    legend_font.setPointSizeF(15 if large else 9.5)
    legend.setFont(legend_font)
    return chart


def _axis_font(axis, large: bool) -> None:  # noqa: ANN001 - any QAbstractAxis
    font = QFont()
    font.setPointSizeF(14 if large else 9)
    axis.setLabelsFont(font)
    title = QFont()
    title.setPointSizeF(14 if large else 9)
    axis.setTitleFont(title)


def units_chart(s: Statistics, large: bool = False) -> QChart:
    """Present and not yet present per unit, the fullest unit on top."""
    chart = _chart(t("desk.chart_units", present=s.present, total=s.participants), large)
    counts = sorted(s.units, key=lambda c: (c.expected, c.label), reverse=True)
    if len(counts) > MAX_UNITS:
        rest = counts[MAX_UNITS - 1:]
        counts = counts[:MAX_UNITS - 1]
        others = (t("desk.chart_other_units", count=len(rest)), sum(c.expected for c in rest),
                  sum(c.present for c in rest))
    else:
        others = None
    labels = [_short(c.label, 60 if large else 24) for c in reversed(counts)]
    present = [c.present for c in reversed(counts)]
    absent = [c.absent for c in reversed(counts)]
    if others is not None:
        labels.insert(0, others[0])
        present.insert(0, others[2])
        absent.insert(0, others[1] - others[2])
    series = QHorizontalStackedBarSeries()
    label_font = QFont()
    label_font.setPointSizeF(13 if large else 8.5)
    label_font.setBold(True)
    for name, values, colour, ink in ((t("desk.chart_present"), present, PRESENT, QColor("white")),
                                      (t("desk.chart_absent"), absent, ABSENT, QColor("#33415c"))):
        bar = QBarSet(name)
        bar.append([float(v) for v in values])
        bar.setColor(colour)
        bar.setBorderColor(colour)
        bar.setLabelColor(ink)
        bar.setLabelFont(label_font)
        series.append(bar)
    series.setBarWidth(0.72)
    series.setLabelsVisible(len(labels) <= (18 if large else 10))
    chart.addSeries(series)
    y = QBarCategoryAxis()
    y.append(labels or [""])
    y.setTruncateLabels(False)
    x = QValueAxis()
    x.setLabelFormat("%d")
    x.setRange(0, max([p + a for p, a in zip(present, absent)] or [1]))
    x.applyNiceNumbers()
    _axis_font(x, large)
    _axis_font(y, large)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(y)
    series.attachAxis(x)
    return chart


def arrivals_chart(s: Statistics, large: bool = False) -> QChart:
    """Arrivals per minute of the kiosk's clock, drawn as steps: each minute as wide as a minute."""
    peak = s.peak
    title = t("desk.chart_arrivals_peak", time=f"{peak[0]:%H:%M}", count=peak[1]) if peak and peak[1] \
        else t("desk.chart_arrivals")
    chart = _chart(title, large)
    chart.legend().hide()
    upper = QLineSeries()
    lower = QLineSeries()
    points = list(s.arrivals)
    if not points:                                           # nobody yet: an empty hour, not an empty chart
        start = _dt.datetime.now().replace(minute=0, second=0, microsecond=0)
        points = [(start + _dt.timedelta(minutes=m), 0) for m in range(60)]
    minute = _dt.timedelta(minutes=1)
    for at, count in points:
        for edge in (at, at + minute):
            ms = float(QDateTime(edge).toMSecsSinceEpoch())
            upper.append(QPointF(ms, float(count)))
            lower.append(QPointF(ms, 0.0))
    area = QAreaSeries(upper, lower)
    upper.setParent(area)                                    # the area does not own its lines: Qt must keep them
    lower.setParent(area)
    area.setName(t("desk.chart_arrivals"))
    area.setColor(QColor(29, 95, 191, 170))
    area.setBorderColor(QColor("#17509f"))
    area.setPen(QPen(QColor("#17509f"), 2 if large else 1.2))
    area.setBrush(QBrush(QColor(29, 95, 191, 150)))
    chart.addSeries(area)
    x = QDateTimeAxis()
    x.setFormat("HH:mm")
    x.setTitleText(t("desk.chart_clock"))
    x.setRange(QDateTime(points[0][0]), QDateTime(points[-1][0] + minute))
    x.setTickCount(7 if large else 6)
    y = QValueAxis()
    top = max(c for _, c in points)
    step = max(1, -(-top // 5))
    y.setRange(0, step * max(1, -(-top // step)) if top else 5)
    y.setTickType(QValueAxis.TickType.TicksDynamic)
    y.setTickAnchor(0)
    y.setTickInterval(step)
    y.setLabelFormat("%d")
    y.setTitleText(t("desk.chart_per_minute"))
    _axis_font(x, large)
    _axis_font(y, large)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    area.attachAxis(x)
    area.attachAxis(y)
    return chart


def kinds_chart(s: Statistics, large: bool = False) -> QChart:
    """The participants by kind (PNS, PPPK, non-ASN), each slice saying how many came."""
    chart = _chart(t("desk.chart_kinds" if large else "desk.chart_kinds_short"), large)
    pie = QPieSeries()
    for count in s.kinds:
        if count.expected:
            kind = PersonKind(count.label).label
            label = t("desk.chart_kind_slice", kind=kind, expected=count.expected, present=count.present) if large \
                else f"{kind} {count.present}/{count.expected}"
            piece = pie.append(label, float(count.expected))
            piece.setColor(KIND_COLOURS[count.label])
            _slice_label(piece, large)
    pie.setPieSize(0.62 if large else 0.8)
    chart.addSeries(pie)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart


def absent_chart(s: Statistics, large: bool = False) -> QChart:
    """Who is still absent, of the participants: present, then each reason."""
    chart = _chart(t("desk.chart_absent_share" if large else "desk.chart_absent_short", share=percent(s.share_absent),
                     absent=s.absent, total=s.participants), large)
    pie = QPieSeries()
    pie.setHoleSize(0.5)
    pie.setPieSize(0.62 if large else 0.8)
    if s.present:
        piece = pie.append(t("desk.chart_present_slice", count=s.present), float(s.present))
        piece.setColor(PRESENT)
    for reason, count in s.reasons:
        if count:
            # On screen a long reason is its recap letter (TK, TB), as the daftar hadir's recap writes it.
            name = reason.label if large or len(reason.label) <= 10 else reason.letter
            piece = pie.append(f"{name} ({count})", float(count))
            piece.setColor(QColor(REASON_COLOURS[reason]))
    for piece in pie.slices():
        _slice_label(piece, large)
    chart.addSeries(pie)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart


def _slice_label(piece: QPieSlice, large: bool) -> None:
    """On screen the legend names the slices; the report's PNG labels them too."""
    piece.setLabelVisible(large)
    piece.setLabelPosition(QPieSlice.LabelPosition.LabelOutside)
    font = QFont()
    font.setPointSizeF(14)
    piece.setLabelFont(font)


CHARTS: dict[str, Callable[..., QChart]] = {
    "units": units_chart, "arrivals": arrivals_chart, "kinds": kinds_chart, "absent": absent_chart}


def view(chart: QChart) -> QChartView:
    v = QChartView(chart)
    v.setRenderHint(QPainter.RenderHint.Antialiasing)
    v.setBackgroundBrush(QBrush(QColor("white")))
    v.setFrameShape(QChartView.Shape.Box)
    v.setStyleSheet("QChartView { border: 1px solid #c9d3e3; }")
    return v


def chart_png(name: str, s: Statistics, path: str | Path, size: tuple[int, int] = PNG_SIZE) -> Path:
    """The chart drawn anew at ``size`` (for the report), saved as a PNG."""
    w, h = size
    chart = CHARTS[name](s, large=True)
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, w, h))
    image = QImage(w, h, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, w, h), QRectF(0, 0, w, h))
    painter.end()
    path = Path(path)
    if not image.save(str(path), "PNG"):
        raise KioskError("desk.png_failed", path=str(path))
    return path


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
