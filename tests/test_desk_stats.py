"""The Statistik page: the four charts drawn by QtCharts from a real hall's register, redrawn when a kiosk
checks someone in, each saved as a PNG of report size (a real image, not blank); a failed save said."""
from __future__ import annotations

from desk_helpers import show
from PIL import Image
from PySide6.QtCharts import QAreaSeries, QHorizontalStackedBarSeries, QPieSeries

from kiosk.attendance.checkin import Desk
from kiosk.documents.statistics import statistics
from kiosk.people.kinds import PersonKind
from kiosk.store import Store
from ui.desk.charts import CHARTS, PNG_SIZE, chart_png
from ui.desk.stats_page import StatsPage

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


def drawn(qtbot, page, n=1):
    qtbot.waitUntil(lambda: page.draws >= n, timeout=10000)


def test_the_charts_show_the_hall(qtbot, desk):
    page = show(qtbot, StatsPage(desk))
    drawn(qtbot, page)
    s = page.stats
    assert (s.present, s.participants) == (43, 52)
    assert page.summary.text() == "43 dari 52 hadir (82,7%) · 4 tamu"
    units = page.views["units"].chart()
    [bars] = units.series()
    assert isinstance(bars, QHorizontalStackedBarSeries)
    present, absent = bars.barSets()
    assert sum(present.at(i) for i in range(present.count())) == 43
    assert sum(absent.at(i) for i in range(absent.count())) == 9
    assert "43 dari 52" in units.title()
    [area] = page.views["arrivals"].chart().series()
    assert isinstance(area, QAreaSeries)
    points = area.upperSeries().points()
    assert sum(p.y() for p in points[::2]) == 47                      # two points a minute (a step), everyone once
    assert "terbanyak" in page.views["arrivals"].chart().title()
    [kinds] = page.views["kinds"].chart().series()
    assert isinstance(kinds, QPieSeries) and sum(sl.value() for sl in kinds.slices()) == 52
    [absent_pie] = page.views["absent"].chart().series()
    labels = [sl.label() for sl in absent_pie.slices()]
    assert labels[0] == "Hadir (43)" and "Sakit (1)" in labels and "TK (6)" in labels
    assert "17,3%" in page.views["absent"].chart().title()


def test_a_check_in_redraws_the_charts(qtbot, desk, hall):
    page = show(qtbot, StatsPage(desk))
    drawn(qtbot, page)
    with Store(hall) as kiosk:
        person = next(p for p in kiosk.roster(1) if p.kind is PersonKind.PNS and kiosk.checkin_of(1, p.nip) is None)
        Desk(kiosk).check_in(person.nip)
    drawn(qtbot, page, 2)
    assert page.stats.present == 44


def test_each_chart_is_saved_as_a_png_of_report_size(qtbot, desk, answers, tmp_path):
    page = show(qtbot, StatsPage(desk))
    drawn(qtbot, page)
    for name in CHARTS:
        out = tmp_path / f"{name}.png"
        answers.files.append(out)
        page.save_buttons[name].click()
        assert page.notice.text() == f"Grafik tersimpan: {out}"
        with Image.open(out) as im:
            assert im.size == PNG_SIZE
            colours = im.convert("RGB").getcolors(1 << 20)
            assert colours is not None and len(colours) > 50               # drawn, not a blank page


def test_a_save_that_fails_is_said(qtbot, desk, answers, tmp_path):
    page = show(qtbot, StatsPage(desk))
    drawn(qtbot, page)
    answers.files.append(tmp_path / "tidak-ada" / "folder" / "grafik.png")
    page.save_buttons["units"].click()
    assert page.notice.kind == "error" and "tidak dapat disimpan" in page.notice.text()


def test_charts_of_an_empty_event_are_drawn_too(qtbot, tmp_path):
    empty = statistics([])
    for name, build in CHARTS.items():
        assert build(empty).title()
        chart_png(name, empty, tmp_path / f"{name}.png", size=(640, 360))
        assert (tmp_path / f"{name}.png").stat().st_size > 1000
