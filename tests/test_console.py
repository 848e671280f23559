"""The organiser's console: screen choice and hot-plug, keys, live count, the pledge editor."""
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest
from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication

from kiosk.attendance.checkin import Desk
from kiosk.ceremony import pledge
from kiosk.store import Store
from ui.display import app as display_app
from ui.display.app import Display
from ui.display.monitors import AUTO, WINDOW, ScreenChoice, ScreenInfo, ScreenWatcher, choose, ordered
from ui.display.pledge_editor import to_raw_point, with_year, year_of
from ui.display.service import SETTING_SCREEN

LAPTOP = ScreenInfo("eDP-1", (0, 0, 1366, 768), True)
HDMI = ScreenInfo("HDMI-1", (1366, 0, 1920, 1080), False)
VGA = ScreenInfo("VGA-1", (-1024, 0, 1024, 768), False)


# --- choosing a screen (pure) ------------------------------------------------------------------------

def test_default_is_the_first_non_primary_screen_left_to_right():
    assert [s.name for s in ordered([HDMI, LAPTOP, VGA])] == ["VGA-1", "eDP-1", "HDMI-1"]
    p = choose([HDMI, LAPTOP, VGA])
    assert (p.screen, p.index, p.fullscreen, p.fallback) == (VGA, 0, True, False)
    p = choose([LAPTOP, HDMI])
    assert (p.screen, p.fullscreen, p.fallback) == (HDMI, True, False)
    assert "HDMI-1" in p.message and "1920×1080" in p.message


def test_one_screen_falls_back_to_a_window_on_the_laptop_and_says_so():
    p = choose([LAPTOP])
    assert (p.screen, p.fullscreen, p.fallback) == (LAPTOP, False, True)
    assert "jendela di laptop" in p.message
    assert choose([]) is None


def test_remembered_choice_matches_by_name_and_geometry():
    remembered = ScreenChoice.of(VGA)
    assert choose([LAPTOP, HDMI, VGA], remembered).screen == VGA
    # same port, different resolution: not the screen that was chosen; fall back visibly
    moved = ScreenInfo("VGA-1", (-1280, 0, 1280, 1024), False)
    p = choose([LAPTOP, HDMI, moved], remembered)
    assert p.screen == moved and p.fallback and "VGA-1 1024×768" in p.message and "tidak tersambung" in p.message
    # gone, and no other screen: a window on the laptop, with both reasons
    p = choose([LAPTOP], remembered)
    assert (p.screen, p.fullscreen, p.fallback) == (LAPTOP, False, True)
    assert "tidak tersambung" in p.message and "jendela" in p.message
    # the organiser may put it full screen on the laptop's own screen (a mirrored projector)
    assert choose([LAPTOP], ScreenChoice.of(LAPTOP)).fullscreen


def test_requested_screen_number_and_window_choice():
    assert choose([LAPTOP, HDMI], requested=0).screen == LAPTOP
    p = choose([LAPTOP, HDMI], requested=5)
    assert p.screen == HDMI and p.fallback and "nomor 5" in p.message
    p = choose([LAPTOP, HDMI], ScreenChoice(WINDOW))
    assert (p.screen, p.fullscreen, p.fallback) == (LAPTOP, False, False)


def test_screen_choice_setting_round_trip_and_garbage():
    c = ScreenChoice.of(HDMI)
    assert ScreenChoice.from_setting(c.to_setting()) == c
    for junk in (None, "", "{", "[1]", '{"mode": "x"}', '{"mode": "screen", "geometry": [1, 2]}'):
        assert ScreenChoice.from_setting(junk).mode == AUTO


# --- the debounce ----------------------------------------------------------------------------------------

class FakeScreen(QObject):
    geometryChanged = Signal(QRect)


class FakeApp(QObject):
    screenAdded = Signal(object)
    screenRemoved = Signal(object)
    primaryScreenChanged = Signal(object)

    def __init__(self, screens):
        super().__init__()
        self._screens = list(screens)

    def screens(self):
        return list(self._screens)


def test_a_burst_of_screen_signals_is_one_change_350_ms_later(qtbot):
    a, b = FakeScreen(), FakeScreen()
    app = FakeApp([a, b])
    watcher = ScreenWatcher(app)
    fired = []
    watcher.changed.connect(lambda: fired.append(1))
    c = FakeScreen()
    app.screenAdded.emit(c)
    app.primaryScreenChanged.emit(c)
    b.geometryChanged.emit(QRect(0, 0, 1, 1))
    c.geometryChanged.emit(QRect(0, 0, 1, 1))                        # the added screen is watched too
    app.screenRemoved.emit(a)
    assert watcher.bursts == 5 and not fired
    qtbot.wait(200)
    assert not fired and watcher.timer.isActive()
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    qtbot.wait(450)
    assert fired == [1]
    a.geometryChanged.emit(QRect(0, 0, 2, 2))                        # each screen bound to its own signal
    qtbot.waitUntil(lambda: len(fired) == 2, timeout=2000)


# --- the whole display on the test database ---------------------------------------------------------

@pytest.fixture
def display(qtbot, db_path, event, monkeypatch):
    """Console + projector on the test database, with a controllable list of screens."""
    screens = {"list": [LAPTOP]}
    real = QGuiApplication.primaryScreen()
    monkeypatch.setattr(display_app, "current_screens", lambda app=None: [(s, real) for s in screens["list"]])
    source = FakeApp([])
    d = Display(db_path, poll_seconds=0.2, screens_source=source)
    d.fake_screens, d.fake_source = screens, source
    with qtbot.waitSignal(d.service.opened, timeout=5000):
        d.open()
    d.console.resize(1366, 768)
    d.console.show()
    qtbot.waitExposed(d.console)
    d.place()
    yield d
    d.close()


def test_projector_follows_screens_plugged_and_unplugged(qtbot, display):
    d = display
    assert not d.placement.fullscreen and d.placement.fallback
    assert d.console.screen_status.text().startswith("⚠") and d.projector.isVisible()
    d.fake_screens["list"] = [LAPTOP, HDMI]                          # the projector is plugged in
    with qtbot.waitSignal(d.placed, timeout=2000):
        d.fake_source.screenAdded.emit(FakeScreen())
    assert d.placement.screen == HDMI and d.placement.fullscreen and not d.placement.fallback
    assert d.projector.fullscreen and d.projector.isVisible()
    assert "HDMI-1" in d.console.screen_status.text() and not d.console.screen_status.text().startswith("⚠")
    d.choose_screen(ScreenChoice.of(HDMI))                           # the organiser confirms it: remembered
    d.fake_screens["list"] = [LAPTOP]                                # the cable is pulled mid-ceremony
    with qtbot.waitSignal(d.placed, timeout=2000):
        d.fake_source.screenRemoved.emit(FakeScreen())
    assert not d.placement.fullscreen and d.projector.isVisible()    # a window on the laptop, not gone
    assert "tidak tersambung" in d.console.screen_status.text()
    d.fake_screens["list"] = [LAPTOP, VGA, HDMI]                     # back, with another screen too
    with qtbot.waitSignal(d.placed, timeout=2000):
        d.fake_source.screenAdded.emit(FakeScreen())
    assert d.placement.screen == HDMI and d.placement.fullscreen     # the remembered one, not the first
    qtbot.waitUntil(d.service.idle, timeout=2000)
    with Store(d.service.db_path) as s:
        qtbot.waitUntil(lambda: ScreenChoice.from_setting(s.get_setting(SETTING_SCREEN)) == ScreenChoice.of(HDMI),
                        timeout=2000)


def test_screen_chooser_lists_screens_and_remembers_the_pick(qtbot, display):
    d = display
    d.fake_screens["list"] = [LAPTOP, HDMI]
    d.place()
    box = d.console.screen_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "Otomatis (layar kedua)", "Layar 1: eDP-1 1366×768 (utama)", "Layar 2: HDMI-1 1920×1080",
        "Jendela di laptop"]
    box.activated.emit(3)                                            # as a click does
    assert d.choice == ScreenChoice(WINDOW) and not d.placement.fullscreen and not d.placement.fallback
    assert box.currentIndex() == 3


def test_keys_in_the_console_drive_the_projector(qtbot, display):
    d, p = display, display.presentation
    d.console.activateWindow()
    d.console.setFocus()
    for key, index in [(Qt.Key.Key_PageDown, 1), (Qt.Key.Key_Space, 2), (Qt.Key.Key_Right, 3),
                       (Qt.Key.Key_Up, 2), (Qt.Key.Key_End, 6), (Qt.Key.Key_Home, 0)]:
        qtbot.keyClick(d.console, key)
        assert p.index == index
    assert d.console.unit_list.currentRow() == 0
    qtbot.keyClick(d.console, Qt.Key.Key_B)
    assert p.blank and d.console.blank_button.isChecked() and d.console.blank_notice.isVisibleTo(d.console)
    qtbot.keyClick(d.console, Qt.Key.Key_Period)
    assert not p.blank
    # clicking a unit in the list jumps there; the live view shows it, the preview the next
    item = d.console.unit_list.item(4)
    rect = d.console.unit_list.visualItemRect(item)
    qtbot.mouseClick(d.console.unit_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert p.index == 4 and d.console.live_view.unit()[0] == 4 and d.console.preview_view.unit()[0] == 5
    assert "Bagian 5 dari 7" in d.console.position_label.text()
    # while the editor is shown, keys are the text fields'
    d.console.tabs.setCurrentIndex(1)
    qtbot.keyClick(d.console, Qt.Key.Key_PageDown)
    assert p.index == 4


def test_live_count_is_polled_off_the_gui_thread(qtbot, display, store, people, monkeypatch):
    d = display
    threads = []
    original = Store.count_present

    def spy(self, event_id):
        threads.append(threading.current_thread().name)
        return original(self, event_id)
    monkeypatch.setattr(Store, "count_present", spy)
    desk = Desk(store)                                               # "the kiosk", on its own connection
    for person in people[:3]:
        desk.check_in(person.nip)
    qtbot.waitUntil(lambda: d.console.count_label.text() == "3 / 30 hadir", timeout=3000)
    names = [d.console.recent_list.item(i).text() for i in range(d.console.recent_list.count())]
    assert names[0].endswith(people[2].name) and names[-1].endswith(people[0].name)
    assert names[0][:8].count(":") == 2                              # time first: HH:MM:SS
    assert threads and set(threads) == {"display-store"}


def test_console_shows_the_kiosks_last_scan_and_refusals(qtbot, display, store, people):
    d = display
    qtbot.waitUntil(lambda: d.console.kiosk_status.text() == "Kiosk: belum ada pindaian.", timeout=3000)
    desk = Desk(store)
    desk.check_in(people[0].nip)
    desk.check_in("199001012019031001")                              # not on the roster
    desk.check_in("199001012019031002")
    desk.check_in("not a badge")
    qtbot.waitUntil(lambda: "2 NIP tidak terdaftar, 1 kartu tidak terbaca" in d.console.kiosk_status.text(),
                    timeout=4000)
    assert d.console.kiosk_status.text().startswith("Kiosk: pindaian terakhir ")


# --- the pledge editor ---------------------------------------------------------------------------------

def test_editor_round_trips_the_stored_pledge(display):
    ed = display.console.editor
    assert ed.draft().sha256 == ed.current.sha256 == ed.sha_current.text() == ed.sha_draft.text()
    assert not ed.save_button.isEnabled()
    assert "{pemilihan}" in ed.raw_points()[0]                       # placeholders put back in point 1
    assert ed.fields["instansi"].text() == "Pemerintah Kabupaten Uji"


def test_editor_save_makes_a_new_version_and_old_checkins_keep_theirs(qtbot, display, store, people):
    d, ed = display, display.console.editor
    old_sha = ed.current.sha256
    Desk(store).check_in(people[0].nip)                              # signed under the old text
    ed.fields["instansi"].clear()
    qtbot.keyClicks(ed.fields["instansi"], "Pemerintah Kota Baru")
    assert ed.save_button.isEnabled() and ed.sha_draft.text() != old_sha
    new_sha = ed.draft().sha256
    with qtbot.waitSignal(d.console.pledgeSaved, timeout=5000):
        qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert ed.sha_current.text() == new_sha and not ed.save_button.isEnabled()
    assert ed.table.rowCount() == 2 and ed.table.item(0, 3).text().startswith(new_sha)
    assert ed.table.item(1, 3).text() == old_sha
    assert "Pemerintah Kota Baru" in d.presentation.pledge.units[1].text    # the projector shows it now
    assert d.projector.agency == "Pemerintah Kota Baru"
    Desk(store).check_in(people[1].nip)                              # signed under the new text
    rows = list(store.conn.execute("SELECT nip, pledge_sha256 FROM checkins ORDER BY id"))
    assert rows == [(people[0].nip, old_sha), (people[1].nip, new_sha)]
    assert [v[1] for v in store.pledge_versions()] == [old_sha, new_sha]
    # saving the same text again makes no version
    answers = []
    d.service.save_pledge(ed.draft(), success=answers.append, failure=answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    assert not answers[0].new and len(store.pledge_versions()) == 2


def test_editor_points_year_template_and_errors(qtbot, display):
    ed = display.console.editor
    ed.year_box.setValue(2029)
    assert ed.fields["pemilihan"].text() == "Pemilihan Umum dan Pemilihan Serentak Tahun 2029"
    ed.point_edits[3].setPlainText("Menolak politik uang dalam bentuk apapun.")
    draft = ed.draft()
    assert draft.units[5].text == "4. Menolak politik uang dalam bentuk apapun."
    assert "Tahun 2029" in draft.units[2].text                         # {pemilihan} flows into point 1
    qtbot.mouseClick(ed.add_button, Qt.MouseButton.LeftButton)
    assert "Butir 5 kosong" in ed.status.text() and not ed.save_button.isEnabled()
    ed.point_edits[4].setPlainText("Tidak memasang {atribut} kampanye.")
    assert "Butir 5" in ed.status.text() and "{pemilihan}" in ed.status.text()
    qtbot.mouseClick(ed.remove_button, Qt.MouseButton.LeftButton)
    assert len(ed.point_edits) == 4 and ed.save_button.isEnabled()
    ed.use_template("pilkada-2020")                                   # the agency stays; the election follows
    assert ed.fields["instansi"].text() == "Pemerintah Kabupaten Uji"
    assert ed.fields["pemilihan"].text() == "Pemilihan Umum dan Pemilihan Serentak Tahun 2029"   # edited: kept
    assert ed.draft().key == "pilkada-2020" and len(ed.point_edits) == 4


def test_raw_points_and_years():
    params = {"pemilihan": "Pemilu 2024", "instansi": "Kota {A}"}
    t = pledge.load_template("pemilu-2024")
    raw = to_raw_point("Di Kota {A} pada Pemilu 2024 {x}.", params)
    assert raw == "Di {instansi} pada {pemilihan} {{x}}."
    assert raw.format_map(params) == "Di Kota {A} pada Pemilu 2024 {x}."
    assert year_of("Pemilihan Serentak Tahun 2024") == 2024 and year_of("Pilkada") is None
    assert with_year("Pilkada 2020", 2024) == "Pilkada 2024" and with_year("Pilkada", 2024) == "Pilkada Tahun 2024"
    assert t.points[0].count("{pemilihan}") == 1


# --- a real two-screen machine (Qt's offscreen platform can be told it has two screens) ---------------

def test_two_real_screens_projector_full_screen_on_the_second(db_path, event, tmp_path):
    config = tmp_path / "screens.json"
    # the offscreen plugin adds screens in name order and the first added is the primary
    laptop, projector = "\\\\.\\DISPLAY1", "\\\\.\\DISPLAY2"       # as Windows names them
    config.write_text(json.dumps({"screens": [
        {"name": projector, "x": 1366, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "dpr": 1},
        {"name": laptop, "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1}]}))
    script = textwrap.dedent(f"""
        import json
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from ui.display.app import Display
        d = Display({str(db_path)!r})
        d.service.opened.connect(lambda info: (d.show_console(), d.place(), app.exit(0)))
        d.open()
        app.exec()
        pr = d.projector
        print(json.dumps({{"primary": app.primaryScreen().name(), "projector": pr.screen().name(),
                          "full": pr.isFullScreen(),
                          "frameless": bool(pr.windowFlags() & pr.windowFlags().FramelessWindowHint),
                          "geometry": pr.geometry().getRect(), "console": d.console.screen().name(),
                          "message": d.placement.message}}))
        d.close()
    """)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["primary"] == laptop and got["console"] == laptop
    assert got["projector"] == projector and got["full"] and got["frameless"]
    assert tuple(got["geometry"]) == (1366, 0, 1920, 1080)
    assert f"layar 2: {projector} 1920×1080" in got["message"]


# --- run_display ------------------------------------------------------------------------------------------

def test_run_display_opens_both_windows_and_closing_the_console_ends_it(qapp, qtbot, db_path, event, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    seen = {}

    def close_when_up():
        consoles = [w for w in QApplication.topLevelWidgets() if w.objectName() == "console" and w.isVisible()]
        projectors = [w for w in QApplication.topLevelWidgets() if w.objectName() == "projector" and w.isVisible()]
        if consoles and projectors:
            seen["up"] = True
            consoles[0].close()                      # the organiser closes the console: all ends
        else:
            QTimer.singleShot(50, close_when_up)
    QTimer.singleShot(50, close_when_up)
    assert display_app.run_display(db_path) == 0
    assert seen.get("up")
    assert not [w for w in QApplication.topLevelWidgets() if w.objectName() == "projector" and w.isVisible()]


def test_run_display_without_an_event_says_so_and_fails(qapp, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(display_app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert display_app.run_display(tmp_path / "empty.db") == 1
    assert shown and "Belum ada acara aktif" in shown[0]


# --- failures reach the part of the console that asked ---------------------------------------------------

def test_a_failed_theme_setting_says_so_in_the_console_not_in_the_editor(qtbot, display, monkeypatch):
    from kiosk.i18n import KioskError
    d = display
    real = Store.set_setting

    def unwritable(self, key, value):
        if key == "display.theme":
            raise KioskError("store.unwritable", path="kiosk.db", reason="disk penuh")
        return real(self, key, value)
    monkeypatch.setattr(Store, "set_setting", unwritable)
    editor_status = d.console.editor.status.text()
    d.console.set_look("contrast", "", emit=True)
    qtbot.waitUntil(lambda: "tidak tersimpan untuk lain kali" in d.console.screen_status.text(), timeout=3000)
    assert "disk penuh" in d.console.screen_status.text() and d.console.screen_status.property("warning")
    assert d.projector.theme == "contrast"                           # it holds now
    assert d.console.editor.status.text() == editor_status           # not a failed pledge save
    assert d.console.editor.save_button.text() == "Simpan sebagai versi baru"


def test_a_failed_pledge_save_shows_in_the_editor(qtbot, display, monkeypatch):
    def broken(self, event_id, pledge):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(Store, "set_event_pledge", broken)
    ed = display.console.editor
    ed.fields["instansi"].setText("Pemerintah Kota Lain")
    ed.save()
    qtbot.waitUntil(lambda: "kesalahan tak terduga" in ed.status.text(), timeout=3000)
    assert ed.status.property("error") and ed.save_button.isEnabled()
    assert "Pemerintah Kota Lain" not in display.presentation.pledge.units[1].text


def test_a_failed_count_shows_where_the_count_goes(qtbot, display, monkeypatch):
    original = Store.count_present

    def broken(self, event_id):
        raise sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(Store, "count_present", broken)
    qtbot.waitUntil(lambda: display.console.count_label.text().startswith("Kehadiran tidak dapat dibaca"),
                    timeout=3000)
    monkeypatch.setattr(Store, "count_present", original)          # the disk is back: so is the count
    qtbot.waitUntil(lambda: display.console.count_label.text() == "0 / 30 hadir", timeout=3000)
