"""The organiser's console in a real queue (issue 9): who scanned but never signed, the date and clock
banner, and a projector fallback window that never covers the console's one-screen warning."""
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from test_console import LAPTOP, FakeApp

from kiosk.attendance.checkin import Abandon, Desk
from ui.display import app as display_app
from ui.display.app import Display
from ui.display.projector import fallback_geometry


@pytest.fixture
def display(qtbot, db_path, event, monkeypatch):
    real = QGuiApplication.primaryScreen()
    monkeypatch.setattr(display_app, "current_screens", lambda app=None: [(LAPTOP, real)])
    d = Display(db_path, poll_seconds=0.2, screens_source=FakeApp([]))
    with qtbot.waitSignal(d.service.opened, timeout=5000):
        d.open()
    d.console.resize(1366, 768)
    d.console.show()
    qtbot.waitExposed(d.console)
    d.place()
    yield d
    d.close()


def test_the_console_lists_who_scanned_but_never_signed_in_amber(qtbot, display, store, people):
    console = display.console
    qtbot.waitUntil(lambda: console.incomplete_list.item(0) is not None
                    and console.incomplete_list.item(0).text() == "Tidak ada yang tertinggal.", timeout=3000)
    desk = Desk(store)                                               # the kiosk, on its own connection
    desk.identify(people[0].nip)
    desk.abandon(people[0].nip, reason=Abandon.TIMED_OUT)
    desk.identify(people[1].nip)
    desk.abandon(people[1].nip, reason=Abandon.NEXT_SCAN)
    qtbot.waitUntil(lambda: console.incomplete_list.count() == 2 and people[1].name in
                    console.incomplete_list.item(0).text(), timeout=3000)
    first, second = (console.incomplete_list.item(i) for i in range(2))
    assert "orang berikutnya memindai" in first.text() and "waktu habis" in second.text()
    assert first.background().color().name() == "#fff1d6"
    desk.check_in(people[0].nip)                                     # called back: signed after all
    qtbot.waitUntil(lambda: console.incomplete_list.count() == 1, timeout=3000)


def test_the_console_shows_the_date_and_clock_banner(qtbot, display, store):
    console = display.console                                        # the test event is dated 2024-11-04
    qtbot.waitUntil(lambda: console.banner.isVisible(), timeout=3000)
    assert "bukan tanggal acara aktif" in console.banner.text()
    store.conn.execute("UPDATE events SET date = date('now', 'localtime'), title = '<b>Apel</b>'")
    store.conn.commit()
    qtbot.waitUntil(lambda: not console.banner.isVisible(), timeout=3000)
    assert console.event_label.text().startswith("<b>Apel</b>")       # plain text, followed as it changes


def test_the_projector_fallback_window_never_covers_the_one_screen_warning(qtbot, display):
    d = display
    assert d.placement.fallback and not d.placement.fullscreen
    assert d.console.screen_status.text().startswith("⚠")
    d.console.showMaximized()
    qtbot.wait(100)
    status = d.console.screen_status
    warning = QRect(status.mapToGlobal(QPoint(0, 0)), status.size())
    assert not d.projector.frameGeometry().intersects(warning)
    for free in (QRect(0, 0, 1366, 728), QRect(0, 0, 1920, 1040), QRect(0, 0, 1024, 738)):
        g = fallback_geometry(free)
        assert free.contains(g) and g.right() < free.width() * 0.6 and g.top() > free.height() * 0.4
