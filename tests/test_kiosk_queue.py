"""The kiosk screen under a real queue (issue 9), offscreen: walk-aways, timeouts and their countdown,
badges scanned into staff dialogs, the first start, what may and may not be shown, the live count."""
import os
import sqlite3
import time
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from test_kiosk_ui import PIN, draw, key, make_kiosk, stamp, type_scan, wave  # noqa: F401  (fixture)

from kiosk.attendance.checkin import Desk
from kiosk.security import pin as admin
from kiosk.store import Store
from ui.kiosk import page_clock
from ui.kiosk import window as kiosk_window
from ui.kiosk.app import KioskLock, database_key
from ui.kiosk.dialogs import NeedPinDialog, PinDialog, SetPinDialog, StaffMenu, first_pin
from ui.kiosk.keeper import Keeper
from ui.kiosk.service import KioskService
from ui.kiosk.staff_dialog import StaffDialog
from ui.kiosk.staff_forms import WalkInDialog
from ui.text import masked_nip, shown


def scan_log(db_path):
    with Store(db_path) as other:
        return [tuple(r) for r in other.conn.execute("SELECT reason, nip, code FROM scan_log ORDER BY id")]


def checkins(db_path):
    with Store(db_path) as other:
        return [tuple(r) for r in other.conn.execute(
            "SELECT c.nip, s.sample_count FROM checkins c LEFT JOIN signatures s ON s.checkin_uuid = c.uuid "
            "ORDER BY c.id")]


def later(ms, fn):
    """Run ``fn`` once a nested event loop (a dialog's exec) is running."""
    QTimer.singleShot(ms, fn)


# --- a valid signature drawn is never lost ----------------------------------------------------------------

def test_the_next_badge_records_a_valid_signature_first_then_shows_the_new_person(qtbot, make_kiosk, db_path,
                                                                                   people):
    w = make_kiosk()
    w.scan(people[0].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    draw(w.pad, wave(w.pad))                                   # signed, walked on without Selesai
    shown_states = []
    w.stateChanged.connect(shown_states.append)
    type_scan(w, people[1].nip + "\r")
    qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == people[1].name,
                    timeout=5000)
    assert checkins(db_path) == [(people[0].nip, 92)]
    assert shown_states[:2] == ["saving", "done"] and w.sounds.last == "recorded"
    assert scan_log(db_path) == [("recorded", people[0].nip, None)]


def test_an_invalid_scribble_is_abandoned_by_the_next_scan(qtbot, make_kiosk, db_path, people):
    w = make_kiosk()
    w.scan(people[2].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    draw(w.pad, [(200, 100), (201, 100)])                      # a dot is no signature
    w.scan(people[3].nip)
    qtbot.waitUntil(lambda: w.sign_page.person_name.text() == people[3].name, timeout=5000)
    qtbot.waitUntil(lambda: len(scan_log(db_path)) == 1, timeout=3000)
    assert checkins(db_path) == [] and scan_log(db_path) == [("abandoned", people[2].nip, "next_scan")]


def test_the_timeout_counts_down_its_last_seconds_and_records_a_valid_signature(qtbot, make_kiosk, db_path,
                                                                                people, monkeypatch):
    monkeypatch.setattr(kiosk_window, "SIGN_TIMEOUT_SECONDS", 3)
    monkeypatch.setattr(page_clock, "COUNTDOWN_SECONDS", 2)
    w = make_kiosk()
    w.scan(people[4].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    draw(w.pad, wave(w.pad))
    assert not w.sign_page.countdown.isVisible()
    qtbot.waitUntil(lambda: w.sign_page.countdown.isVisible(), timeout=3000)
    assert "disimpan otomatis dalam 2 detik" in w.sign_page.countdown.text()
    draw(w.pad, [(100, 40), (160, 60), (220, 40)])             # touching the pad resets it
    assert not w.sign_page.countdown.isVisible() and w.clock.remaining() > 2.5
    qtbot.waitUntil(lambda: w.state == "done", timeout=6000)
    assert checkins(db_path)[0][0] == people[4].nip and w.sounds.last == "recorded"


def test_an_empty_pad_goes_back_to_idle_sooner_and_is_logged_timed_out(qtbot, make_kiosk, db_path, people,
                                                                      monkeypatch):
    monkeypatch.setattr(kiosk_window, "EMPTY_TIMEOUT_SECONDS", 1)
    w = make_kiosk()
    assert w.info.empty_seconds == 20 and w.info.sign_seconds == 60       # the defaults
    w.scan(people[5].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    qtbot.waitUntil(lambda: "Kembali ke awal" in w.sign_page.countdown.text(), timeout=3000)
    qtbot.waitUntil(lambda: w.state == "idle", timeout=4000)
    assert w.sign_page.person_name.text() == "" and w.sign_page.person_nip.text() == ""   # nothing left behind
    qtbot.waitUntil(lambda: bool(scan_log(db_path)), timeout=3000)
    assert scan_log(db_path) == [("abandoned", people[5].nip, "timed_out")] and checkins(db_path) == []


def test_the_organiser_may_shorten_the_page_time_never_lengthen_it(qtbot, make_kiosk, store):
    store.set_setting("kiosk.sign_seconds", "600")
    store.set_setting("kiosk.empty_seconds", "9")
    w = make_kiosk()
    assert (w.info.sign_seconds, w.info.empty_seconds) == (60, 9)


def test_enter_on_an_empty_pad_says_what_to_do(qtbot, make_kiosk, people):
    w = make_kiosk()
    w.scan(people[6].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    key(w, "\r", stamp(400))
    assert w.state == "signing" and "Tanda tangani kotak putih" in w.sign_page.sign_error.text()


def test_the_hint_goes_as_a_whole_when_the_first_stroke_starts(qtbot, make_kiosk, people):
    w = make_kiosk()
    w.scan(people[7].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    painted = []

    class Spy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                painted.append(event.rect())
            return False
    spy = Spy()
    w.pad.installEventFilter(spy)
    draw(w.pad, [(300, 120), (330, 140), (360, 120)])
    qtbot.waitUntil(lambda: bool(painted), timeout=2000)
    assert any(r == w.pad.rect() for r in painted)              # the whole pad, not the stroke's rectangle


# --- a badge never goes into a dialog ------------------------------------------------------------------------

def test_a_badge_scanned_into_the_pin_dialog_closes_it_and_is_a_scan(qtbot, make_kiosk, store, people):
    w = make_kiosk()
    seen = {}

    def scan_into_dialog():
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = type(dialog).__name__
        type_scan(dialog.fields[0], people[8].nip + "\r")
    later(100, scan_into_dialog)
    w.open_staff_menu()                                         # returns when the dialog is gone
    assert seen["dialog"] == "PinDialog" and QApplication.activeModalWidget() is None
    qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == people[8].name,
                    timeout=3000)
    assert store.get_setting("admin_pin_failures") == "0"       # no attempt was counted


def test_a_person_typing_still_reaches_the_pin_field_even_with_a_quick_double_tap(qtbot, make_kiosk):
    w = make_kiosk()
    dialog = PinDialog(w.service, w)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.fields[0]
    field.setFocus()
    for n, ch in enumerate(PIN):
        key(field, ch, stamp(40 if n == 3 else 120))            # 120 ms a key, once 40 ms (two at once)
    qtbot.waitUntil(lambda: field.text() == PIN, timeout=1000)  # the held key was replayed, in order
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.ok_button.click()


def test_badges_into_the_staff_menu_and_the_walk_in_form_close_them(qtbot, make_kiosk, people, monkeypatch):
    w = make_kiosk()
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    for person in (people[9], people[10]):
        later(100, lambda p=person: type_scan(QApplication.activeModalWidget(), p.nip + "\r"))
        w.open_staff_menu()
        qtbot.waitUntil(lambda p=person: w.sign_page.person_name.text() == p.name, timeout=3000)
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "walk_in"))
    later(100, lambda: type_scan(QApplication.activeModalWidget().name, people[11].nip + "\r"))
    w.open_staff_menu()
    qtbot.waitUntil(lambda: w.sign_page.person_name.text() == people[11].name, timeout=3000)
    assert QApplication.activeModalWidget() is None


def test_the_pin_dialog_closes_by_itself_when_left_untouched(qtbot, make_kiosk, monkeypatch):
    monkeypatch.setattr(PinDialog, "untouched_seconds", 0.6)
    w = make_kiosk()
    dialog = PinDialog(w.service, w)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(400)
    key(dialog.fields[0], "1", stamp(200))                      # a touch: the clock starts again
    qtbot.wait(400)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert dialog.timed_out and dialog.result() == 0


def test_a_lock_out_never_stops_check_ins_and_its_message_never_clips_the_buttons(qtbot, make_kiosk, people):
    w = make_kiosk(signature_required=False)
    dialog = PinDialog(w.service, w)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(5):
        dialog.fields[0].setText("111111")
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=5000)
    dialog.fields[0].setText(PIN)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "Terlalu banyak PIN salah" in dialog.error.text(), timeout=5000)
    dialog.error.setText(dialog.error.text() * 4)               # a long message that wraps over several lines
    dialog.fit()
    for button in (dialog.ok_button, dialog.cancel_button):
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert dialog.rect().contains(corner)                   # never cut off
    dialog.reject()
    w.scan(people[12].nip)                                      # the queue goes on
    qtbot.waitUntil(lambda: w.state == "done", timeout=3000)


OFFSCREEN_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")   # offscreen has no stacking


@OFFSCREEN_RAISE
def test_staff_dialogs_have_no_minimise_button_and_come_back_when_minimised(qtbot, make_kiosk):
    w = make_kiosk()
    dialog = PinDialog(w.service, w)
    qtbot.addWidget(dialog)
    dialog.show()
    flags = dialog.windowFlags()
    assert not flags & Qt.WindowType.WindowMinimizeButtonHint and not flags & Qt.WindowType.WindowMaximizeButtonHint
    dialog.showMinimized()
    qtbot.waitUntil(lambda: not dialog.windowState() & Qt.WindowState.WindowMinimized, timeout=2000)
    assert dialog.isVisible()


@OFFSCREEN_RAISE
def test_the_kiosk_takes_the_screen_back_when_minimised_or_hidden(qtbot, make_kiosk):
    w = make_kiosk()
    keeper = Keeper(w, fullscreen=False)
    w.showMinimized()
    qtbot.waitUntil(lambda: keeper.reclaimed >= 1 and not w.isMinimized(), timeout=3000)
    w.hide()
    qtbot.waitUntil(lambda: w.isVisible(), timeout=3000)
    keeper.stop()


# --- first start ---------------------------------------------------------------------------------------------

def test_first_start_cancel_explains_and_offers_to_set_the_pin_or_close(qtbot, db_path, store, event,
                                                                       monkeypatch):
    service = KioskService(db_path)
    answers = iter(["cancelled", "cancelled"])
    monkeypatch.setattr(SetPinDialog, "ask_first", classmethod(lambda cls, s, parent=None: next(answers)))
    told = []

    def need_pin():
        dialog = QApplication.activeModalWidget()
        told.append(" ".join(lab.text() for lab in dialog.findChildren(QLabel)))
        (dialog.set_button if len(told) == 1 else dialog.quit_button).click()

    try:
        with qtbot.waitSignal(service.opened, timeout=5000):
            service.open()
        later(100, need_pin)                                    # once the dialogs are up
        later(600, need_pin)
        assert first_pin(service) is False                      # the organiser chose, in words, to close
    finally:
        service.shutdown()
    assert len(told) == 2 and "memerlukan PIN admin" in told[0]


def test_first_start_a_badge_during_the_pin_dialog_waits_until_the_pin_is_set(qtbot, db_path, store, event,
                                                                           people):
    from ui.kiosk.window import KioskWindow
    service = KioskService(db_path)
    window = KioskWindow(service)
    try:
        with qtbot.waitSignal(service.opened, timeout=5000) as opened:
            service.open()
        window.set_info(opened.args[0])
        assert not window.serving
        steps = []

        def scan_then_set():
            dialog = QApplication.activeModalWidget()
            if not steps:
                steps.append("scan")
                type_scan(dialog.fields[0], people[13].nip + "\r")
                later(200, scan_then_set)
            else:
                steps.append("set")
                for field in dialog.fields:
                    field.setText("135792")
                dialog.ok_button.click()
        later(100, scan_then_set)
        assert first_pin(service, window) is True
        assert steps == ["scan", "set"] and len(window.pending) == 1 and window.state == "idle"
        window.start_serving()
        qtbot.waitUntil(lambda: window.state == "signing", timeout=3000)
    finally:
        window.wedge.remove()
        window._may_close = True
        window.close()
        service.shutdown()
    assert admin.verify_pin(store, "135792")


def test_need_pin_dialog_answers():
    d = NeedPinDialog()
    assert d.set_button.isDefault() and "Tutup kiosk" in d.quit_button.text()
    d.deleteLater()


# --- nothing leaks to the queue --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    nip: str
    name: str
    bare_name: str
    position: str = ""
    unit: str = ""


def test_names_are_plain_text_unreversed_bounded_and_never_grow_the_window(qtbot, make_kiosk, store, people):
    html = '<h1 style="color:red">Budi</h1><img src="/tmp/x.png">'
    store.upsert_people([Row(people[14].nip, html, html, "<i>Staf</i>", "Umum"),
                         Row(people[15].nip, "Siti \u202eHANIMA\u202c", "Siti", "", ""),
                         Row(people[16].nip, "W" * 10_000, "W", "", "")])
    w = make_kiosk()
    size = w.size()
    w.scan(people[14].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    assert w.sign_page.person_name.text().replace("\u200b", "") == html   # the characters, not a heading
    labels = w.findChildren(QLabel)
    assert labels and all(lab.textFormat() == Qt.TextFormat.PlainText for lab in labels)
    w.scan(people[15].nip)
    qtbot.waitUntil(lambda: "Siti" in w.sign_page.person_name.text(), timeout=3000)
    assert "\u202e" not in w.sign_page.person_name.text()
    w.scan(people[16].nip)
    qtbot.waitUntil(lambda: w.sign_page.person_name.text().startswith("WWW"), timeout=3000)
    qtbot.wait(100)
    assert w.size() == size and len(w.sign_page.person_name.text().replace("\u200b", "")) <= 240
    pad = w.pad.geometry()
    assert w.pad.isVisible() and pad.height() >= 160 and w.rect().contains(w.pad.mapTo(w, w.pad.rect().bottomRight()))


def test_an_event_title_in_html_is_shown_as_text(qtbot, make_kiosk, store, event):
    store.conn.execute("UPDATE events SET title = '<i>Apel</i> Ikrar'")
    store.conn.commit()
    w = make_kiosk()
    assert w.idle_page.event_title.text() == "<i>Apel</i> Ikrar"
    assert w.idle_page.event_title.textFormat() == Qt.TextFormat.PlainText


def test_the_nip_is_masked_but_for_its_last_digits_also_on_the_unknown_card(qtbot, make_kiosk, people):
    w = make_kiosk()
    w.scan("199001012019031001")
    qtbot.waitUntil(lambda: w.state == "unknown", timeout=3000)
    shown_text = w.result_page.result_name.text() + w.result_page.result_detail.text()
    assert "19900101" not in shown_text and shown_text.count("•") == 15 and "001" in shown_text
    assert masked_nip("196804111993031009") == "•••••••• •••••• • 009"
    assert shown("a\u202eb\u2066c") == "abc" and "\u200b" in shown("x" * 60)


# --- the count and the warnings ---------------------------------------------------------------------------------

def test_the_live_count_follows_check_ins_by_other_processes(qtbot, make_kiosk, db_path, people):
    w = make_kiosk()
    assert w.idle_page.count_label.text().startswith("0 dari 30")
    with Store(db_path) as other:                               # another process: ikrar checkin, a merge …
        Desk(other).check_in(people[17].nip)
        Desk(other).check_in(people[18].nip)
    qtbot.waitUntil(lambda: w.idle_page.count_label.text().startswith("2 dari 30"), timeout=4000)
    conn = sqlite3.connect(db_path)                             # an import by another program grows the roster
    conn.execute("DELETE FROM roster WHERE nip = ?", (people[29].nip,))
    conn.commit()
    conn.close()
    qtbot.waitUntil(lambda: w.idle_page.count_label.text().startswith("2 dari 29"), timeout=4000)


def test_the_wrong_date_shows_a_banner_and_the_title_says_so(qtbot, make_kiosk, store, event, people):
    w = make_kiosk()                                            # the test event is dated 2024-11-04
    banner = w.idle_page.banner
    assert banner.isVisible() and "bukan tanggal acara aktif" in banner.text() and "4 November 2024" in banner.text()
    assert w.windowTitle() == "Ikrar Kiosk [idle] ⚠ event-date"
    store.conn.execute("UPDATE events SET date = date('now', 'localtime')")
    store.conn.commit()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=4000)   # another process fixed it: gone
    assert w.windowTitle() == "Ikrar Kiosk [idle]"
    w.scan(people[19].nip)                                      # never blocks a check-in
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)


# --- the walk-in (issue 10) ------------------------------------------------------------------------------------

def test_a_walk_in_guest_is_added_from_the_staff_menu_and_signs(qtbot, make_kiosk, db_path, monkeypatch):
    w = make_kiosk()
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "walk_in"))

    def fill():
        form = QApplication.activeModalWidget()
        assert isinstance(form, WalkInDialog) and form.nip.text() == ""
        form.name.setText("Dra. Wati Rahayu")
        form.institution.setText("Bawaslu")
        form.guest.setChecked(True)
        form.ok_button.click()
    later(100, fill)
    w.open_staff_menu()
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    assert w.sign_page.person_name.text() == "Dra. Wati Rahayu" and "Kode kartu" in w.sign_page.person_nip.text()
    assert "tamu (saksi)" in w.sign_page.statement.text()
    qtbot.waitUntil(lambda: w.idle_page.count_label.text().endswith("dari 31 peserta hadir"), timeout=3000)
    draw(w.pad, wave(w.pad))
    w.confirm()
    qtbot.waitUntil(lambda: w.state == "done", timeout=5000)
    with Store(db_path) as s:
        [(kind, method)] = s.conn.execute("SELECT p.kind, c.method FROM checkins c JOIN people p ON p.nip = c.nip")
    assert (kind, method) == ("guest", "manual")


def test_the_walk_in_form_offers_the_last_unknown_nip_and_shows_a_refusal(qtbot, make_kiosk, monkeypatch):
    w = make_kiosk()
    w.scan("199001012019031001")
    qtbot.waitUntil(lambda: w.state == "unknown", timeout=3000)
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "walk_in"))
    seen = {}

    def fill():
        form = QApplication.activeModalWidget()
        seen["nip"] = form.nip.text()
        seen["kinds"] = form.guest.isEnabled()
        form.ok_button.click()                                  # no name: refused, said, nothing added

        def check():
            seen["error"] = form.error.text()
            form.reject()
        later(600, check)
    later(100, fill)
    w.open_staff_menu()
    assert seen["nip"] == "199001012019031001" and seen["kinds"] is False
    assert "Nama kosong" in seen["error"]


# --- one kiosk per database file -------------------------------------------------------------------------------

def test_the_lock_is_the_database_file_whatever_path_names_it(tmp_path, db_path, store):
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "same.db"
    link.symlink_to(db_path)
    hard = tmp_path / "links" / "hard.db"
    os.link(db_path, hard)
    assert database_key(db_path) == database_key(link) == database_key(hard)
    first = KioskLock(db_path)
    assert first.acquire()
    try:
        for other in (link, hard, os.path.relpath(db_path)):
            assert not KioskLock(other).acquire(50), other
    finally:
        first.release()
    again = KioskLock(hard)
    assert again.acquire()
    again.release()
    other_db = tmp_path / "other.db"
    Store(other_db).close()
    assert database_key(other_db) != database_key(db_path)


@pytest.fixture(autouse=True)
def _no_stray_dialogs():
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, StaffDialog) and widget.isVisible():
            widget.reject()
    time.sleep(0)


@pytest.mark.parametrize("size, smallest", [((1366, 768), 14), ((1920, 1080), 20)])
def test_the_whole_pledge_reads_on_the_signing_page_without_scrolling(qtbot, make_kiosk, people, size, smallest):
    from PySide6.QtWidgets import QScrollArea
    w = make_kiosk()
    w.resize(*size)
    w.scan(people[20].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    view = w.sign_page.pledge_text
    view.grab()                                                 # paints: the fitted size is known
    text = view.text()
    for part in ("IKRAR NETRALITAS", "Kami Aparatur Sipil Negara", "1. Menjaga", "2. Menghindari", "3. Menggunakan",
                 "4. Menolak politik uang", "Demikian ikrar ini"):
        assert part in text
    assert view.px >= smallest                                  # readable, and fitted: nothing is cut
    assert not w.sign_page.findChildren(QScrollArea)            # nothing to scroll
    for button in (w.sign_page.cancel_button, w.sign_page.confirm_button):
        assert w.rect().contains(button.mapTo(w, button.rect().bottomRight()))
