"""The desk reached from the other screens (issue 12): the kiosk's staff menu (over the kiosk, the PIN
already given, closed by a badge or when left untouched, never while it works) and the display console
(behind the admin PIN, one window at a time, closed with the console)."""
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from test_console import display  # noqa: F401  (fixture)
from test_kiosk_ui import make_kiosk, type_scan  # noqa: F401  (make_kiosk: a fixture)

from ui.desk import door
from ui.desk.common import TaskBar
from ui.desk.pin_dialog import PinDialog as DeskPinDialog
from ui.desk.window import DeskWindow
from ui.kiosk.dialogs import PinDialog, StaffMenu


def when_desk(fn, tries=200):
    """Run ``fn(desk)`` once the desk's window is up (inside the nested loop the staff menu waits in)."""
    def check(n=0):
        modal = QApplication.activeModalWidget()
        if isinstance(modal, DeskWindow) and modal.isVisible():
            fn(modal)
        elif n < tries:
            QTimer.singleShot(50, lambda: check(n + 1))
    QTimer.singleShot(50, check)


def kiosk_menu_chooses_the_desk(monkeypatch):
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "desk"))
    asked = []
    monkeypatch.setattr(DeskPinDialog, "ask", classmethod(lambda cls, *a, **kw: asked.append(a) or False))
    return asked


def test_the_staff_menu_lists_the_desk_before_leaving(qtbot):
    menu = StaffMenu()
    qtbot.addWidget(menu)
    labels = [b.text() for b in menu.findChildren(QPushButton)]
    assert "5  Buka meja panitia" in labels and "7  Keluar dari kiosk" in labels      # 6: the camera
    assert menu.keys[4] == "desk"


def test_the_kiosk_opens_the_desk_over_itself_without_asking_the_pin_again(qtbot, make_kiosk,  # noqa: F811
                                                                           people, monkeypatch):
    w = make_kiosk()
    asked = kiosk_menu_chooses_the_desk(monkeypatch)
    seen = {}

    def look(desk):
        page = desk.pages["attendance"]
        qtbot.waitUntil(lambda: page.loads > 0 and page.model.rowCount() == len(people), timeout=5000)
        seen.update(modality=desk.windowModality(), flags=desk.windowFlags(), page=desk.page,
                    transient=desk.windowHandle().transientParent() is w.windowHandle(), serving=w.serving)
        desk.close()
    when_desk(look)
    w.open_staff_menu()                                     # returns once the desk is closed
    assert asked == [], "the PIN was given for the menu: the desk does not ask again"
    assert seen["modality"] == Qt.WindowModality.ApplicationModal and seen["transient"]
    assert seen["page"] == "attendance"
    assert not seen["flags"] & Qt.WindowType.WindowMinimizeButtonHint
    assert QApplication.activeModalWidget() is None and w.serving
    w.scan(people[0].nip)                                   # the kiosk goes on
    qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == people[0].name,
                    timeout=5000)


def test_a_badge_scanned_into_the_desk_closes_it_and_is_a_scan(qtbot, make_kiosk, people,  # noqa: F811
                                                               monkeypatch):
    w = make_kiosk()
    kiosk_menu_chooses_the_desk(monkeypatch)
    closed = []
    when_desk(lambda desk: (desk.closing.connect(lambda: closed.append(True)),
                            type_scan(desk.pages["attendance"].query, people[3].nip + "\r")))
    w.open_staff_menu()
    assert closed == [True]
    qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == people[3].name,
                    timeout=5000)
    assert QApplication.activeModalWidget() is None


def test_the_desk_over_the_kiosk_closes_when_left_untouched_but_never_while_it_works(qtbot, make_kiosk,  # noqa: F811
                                                                                    monkeypatch):
    w = make_kiosk()
    kiosk_menu_chooses_the_desk(monkeypatch)
    monkeypatch.setattr(door, "KIOSK_UNTOUCHED_SECONDS", 0.8)
    timeline = {}

    def work(desk):
        bar = desk.pages["exports"].findChild(TaskBar)
        QTest.qWait(500)
        QTest.mouseClick(desk.header, Qt.MouseButton.LeftButton)   # a touch: the clock starts again
        QTest.qWait(500)
        timeline["touched"] = desk.isVisible()
        bar.start("daftar hadir")                                   # an export runs: never closed under it
        QTest.qWait(1500)
        timeline["working"] = desk.isVisible()
        bar.succeed("selesai")
        timeline["desk"] = desk
    when_desk(work)
    w.open_staff_menu()
    desk = timeline["desk"]
    assert timeline["touched"] and timeline["working"]
    assert not desk.isVisible() and desk.untouched.expired
    assert QApplication.activeModalWidget() is None and w.serving


def test_the_console_opens_the_desk_behind_the_pin_once_and_closes_it_with_itself(qtbot, display,  # noqa: F811
                                                                                 monkeypatch):
    asked = []
    monkeypatch.setattr(DeskPinDialog, "ask", classmethod(lambda cls, *a, **kw: asked.append(a) or False))
    button = display.console.desk_button
    assert button.text() == "Meja panitia…" and "PIN admin" in button.toolTip()
    button.click()
    assert len(asked) == 1 and display.desk.window is None          # no PIN, no desk
    monkeypatch.setattr(DeskPinDialog, "ask", classmethod(lambda cls, *a, **kw: asked.append(a) or True))
    button.click()
    desk = display.desk.window
    assert isinstance(desk, DeskWindow) and desk.isVisible() and len(asked) == 2
    assert desk.windowModality() == Qt.WindowModality.NonModal    # the console stays usable beside it
    button.click()
    assert display.desk.window is desk and len(asked) == 2         # the one open comes to the front
    stopped = []
    desk.closing.connect(lambda: stopped.append(True))
    display.desk.close()
    assert stopped == [True] and not desk.isVisible()


def test_a_burst_that_is_no_badge_still_closes_the_desk_and_nothing_is_scanned(qtbot, make_kiosk,  # noqa: F811
                                                                              monkeypatch):
    w = make_kiosk()
    kiosk_menu_chooses_the_desk(monkeypatch)
    monkeypatch.setattr(door, "BADGE_CLOSE_MS", 300)
    seen = {}

    def burst(desk):
        type_scan(desk.pages["attendance"].query, "ABCDE")     # a scanner reading something not a badge
        seen["right after"] = desk.isVisible()                  # kept up while its keys may still come
    when_desk(burst)
    w.open_staff_menu()
    assert seen["right after"] and QApplication.activeModalWidget() is None
    assert w.state == "idle" and not w.pending
