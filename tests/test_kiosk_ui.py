"""The kiosk screen, driven as a person and a scanner would (pytest-qt, offscreen)."""
import logging
import math
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QKeyEvent, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from kiosk import i18n
from kiosk.security import pin as admin
from kiosk.store import Store
from ui.kiosk import window as kiosk_window
from ui.kiosk.dialogs import PinDialog, StaffMenu
from ui.kiosk.service import KioskService
from ui.kiosk.staff_forms import SearchDialog
from ui.kiosk.window import KioskWindow

PIN = "246810"
_clock = [1_000_000]


def stamp(step=5):
    _clock[0] += step
    return _clock[0]


def key(target, ch, t):
    special = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab, "\x1b": Qt.Key.Key_Escape}
    code = special.get(ch) or Qt.Key(ord(ch.upper()))
    ev = QKeyEvent(QEvent.Type.KeyPress, code, Qt.KeyboardModifier.NoModifier, "" if ch == "\x1b" else ch)
    ev.setTimestamp(t)
    QApplication.sendEvent(target, ev)


def type_scan(target, text, gap=4):
    for ch in text:
        key(target, ch, stamp(gap))


def mouse(target, kind, pos, source=Qt.MouseEventSource.MouseEventNotSynthesized):
    button = Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    p = QPointF(*pos)
    ev = QMouseEvent(kind, p, p, target.mapToGlobal(p), button, buttons, Qt.KeyboardModifier.NoModifier, source)
    ev.setTimestamp(stamp(8))
    QApplication.sendEvent(target, ev)


def draw(pad, points, **kw):
    mouse(pad, QEvent.Type.MouseButtonPress, points[0], **kw)
    for p in points[1:]:
        mouse(pad, QEvent.Type.MouseMove, p, **kw)
    mouse(pad, QEvent.Type.MouseButtonRelease, points[-1], **kw)


def wave(pad, cycles=3, n=90):
    w, h = pad.width(), pad.height()
    return [(w * (0.15 + 0.7 * i / n), h * (0.5 + 0.25 * math.sin(i / n * cycles * 2 * math.pi))) for i in range(n + 1)]


@pytest.fixture
def make_kiosk(qtbot, db_path, store, event):
    admin.set_pin(store, PIN)
    made = []

    def make(**kw):
        service = KioskService(db_path)
        window = KioskWindow(service, **kw)
        with qtbot.waitSignal(service.opened, timeout=5000) as opened:
            service.open()
        window.set_info(opened.args[0])
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        made.append((service, window))
        return window
    yield make
    for service, window in made:
        window.wedge.remove()
        window._may_close = True
        window.close()
        service.shutdown()
        window.deleteLater()


def signed_rows(store):
    return store.conn.execute(
        "SELECT c.nip, c.method, c.pledge_sha256, s.pledge_sha256, s.sample_count, length(s.png), s.pressure_real "
        "FROM checkins c LEFT JOIN signatures s ON s.checkin_uuid = c.uuid").fetchall()


def test_idle_screen_lists_nobody(make_kiosk, people):
    w = make_kiosk()
    assert w.state == "idle" and w.stack.currentWidget() is w.idle_page
    shown = " ".join(lab.text() for lab in w.idle_page.findChildren(QLabel))
    assert "Silakan pindai kartu QR Anda" in shown and "0 dari 30 peserta hadir" in shown
    assert "UU 27/2022" in shown
    assert not any(p.bare_name in shown or p.nip in shown for p in people)


def test_scan_sign_enter_records_a_signed_checkin(qtbot, make_kiosk, store, people, event):
    w = make_kiosk()
    p = people[0]
    type_scan(w, f"NIP. {p.nip}\r")
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    assert w.sign_page.person_name.text() == p.name
    # masked but for the sequence digits (issue 9): birth date, appointment and gender stay off the screen
    assert w.sign_page.person_nip.text() == f"NIP •••••••• •••••• • {p.nip[15:]}"
    assert p.unit in w.sign_page.person_job.text()
    assert not w.sign_page.confirm_button.isEnabled()
    draw(w.pad, wave(w.pad))
    assert w.sign_page.confirm_button.isEnabled()
    key(w, "\r", stamp(400))                                 # Enter confirms a signature that has ink
    qtbot.waitUntil(lambda: w.state == "done", timeout=5000)
    assert p.name in w.result_page.result_name.text() and "tercatat pukul" in w.result_page.result_detail.text()
    assert w.sounds.last == "recorded"
    [(nip, method, c_hash, s_hash, samples, png_len, real)] = signed_rows(store)
    assert nip == p.nip and method == "wedge" and samples == 92 and png_len > 500 and real == 0
    assert c_hash == s_hash == store.pledge(event.pledge_id).sha256
    qtbot.waitUntil(lambda: w.idle_page.count_label.text().startswith("1 dari"), timeout=3000)


def test_duplicate_unknown_invalid_each_look_and_sound_different(qtbot, make_kiosk, people):
    w = make_kiosk(signature_required=False)
    seen = {}
    for payload, state in ((people[1].nip, "done"), (people[1].nip, "duplicate"),
                           ("199001012019031001", "unknown"), ("1968041119930310", "invalid")):
        w.scan(payload)
        qtbot.waitUntil(lambda s=state: w.state == s, timeout=3000)
        card = w.result_page
        seen[state] = (card.styleSheet(), card.result_glyph.text(), card.result_title.text(), w.sounds.last)
    assert len({v[0] for v in seen.values()}) == 4          # four colours
    assert len({v[1] for v in seen.values()}) == 4          # four icons
    assert len({v[2] for v in seen.values()}) == 4          # four titles
    assert len({v[3] for v in seen.values()}) == 4          # four sounds
    w.scan(people[1].nip)
    qtbot.waitUntil(lambda: w.state == "duplicate", timeout=3000)
    assert "sudah tercatat pukul" in w.result_page.result_detail.text()


def test_result_returns_to_idle_by_itself(qtbot, make_kiosk, people, monkeypatch):
    monkeypatch.setitem(kiosk_window.RESULT_SECONDS, "done", 0.2)
    w = make_kiosk(signature_required=False)
    w.scan(people[2].nip)
    qtbot.waitUntil(lambda: w.state == "done", timeout=3000)
    qtbot.waitUntil(lambda: w.state == "idle", timeout=3000)
    assert w.stack.currentWidget() is w.idle_page


def test_next_badge_is_taken_at_once_from_a_result(qtbot, make_kiosk, people):
    w = make_kiosk(signature_required=False)
    w.scan(people[3].nip)
    qtbot.waitUntil(lambda: w.state == "done", timeout=3000)
    type_scan(w, people[4].nip + "\r")
    qtbot.waitUntil(lambda: w.state == "done" and people[4].name in w.result_page.result_name.text(), timeout=3000)


def test_no_signature_mode_records_on_scan(qtbot, make_kiosk, store, people):
    w = make_kiosk(signature_required=False)
    type_scan(w, people[5].nip + "\r")
    qtbot.waitUntil(lambda: w.state == "done", timeout=3000)
    assert [(r[0], r[3]) for r in signed_rows(store)] == [(people[5].nip, None)]


def test_empty_or_dot_signature_is_refused_and_nothing_saved(qtbot, make_kiosk, store, people):
    w = make_kiosk()
    w.scan(people[6].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    key(w, "\r", stamp(400))                                 # no ink: Enter does nothing
    assert w.state == "signing"
    draw(w.pad, [(200, 100), (201, 100)])                    # a dot
    w.confirm()
    assert w.state == "signing" and "tanda tangan" in w.sign_page.sign_error.text().lower()
    assert signed_rows(store) == []


def test_escape_clears_and_undo_removes_the_last_stroke(qtbot, make_kiosk, people):
    w = make_kiosk()
    w.scan(people[7].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    draw(w.pad, wave(w.pad))
    draw(w.pad, [(100, 40), (160, 60), (220, 40)])
    assert len(w.pad.strokes) == 2
    w.sign_page.undo_button.click()
    assert len(w.pad.strokes) == 1
    key(w, "\x1b", stamp(400))
    assert not w.pad.has_ink() and not w.sign_page.confirm_button.isEnabled()


def test_cancel_and_walk_away_record_nothing(qtbot, make_kiosk, store, people):
    w = make_kiosk()
    w.scan(people[8].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    draw(w.pad, wave(w.pad))
    w.sign_page.cancel_button.click()
    assert w.state == "idle" and not w.pad.has_ink()
    w.scan(people[8].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    w.scan(people[9].nip)                                     # the next person scans: the first walked away
    qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == people[9].name, timeout=3000)
    assert signed_rows(store) == []
    reasons = [r[0] for r in store.conn.execute("SELECT reason FROM scan_log ORDER BY id")]
    assert reasons == ["abandoned", "abandoned"]


def test_slow_typing_is_not_a_scan(qtbot, make_kiosk, people):
    w = make_kiosk(signature_required=False)
    type_scan(w, people[10].nip + "\r", gap=150)
    qtbot.wait(300)
    assert w.state == "idle"


def test_scanner_without_enter_and_with_prefix(qtbot, make_kiosk, people):
    w = make_kiosk(signature_required=False)
    type_scan(w, "]Q1" + people[11].nip)                     # no Enter: ends on the pause
    qtbot.waitUntil(lambda: w.state == "done", timeout=3000)
    assert people[11].name in w.result_page.result_name.text()


def test_pen_pressure_is_real_and_synthesised_mouse_is_ignored(qtbot, make_kiosk, people):
    w = make_kiosk()
    w.scan(people[12].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    pen = QPointingDevice("test pen", 4242, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 3)
    pad = w.pad
    pts = wave(pad, n=40)
    for i, (x, y) in enumerate(pts):
        kind = QEvent.Type.TabletPress if i == 0 else (
            QEvent.Type.TabletRelease if i == len(pts) - 1 else QEvent.Type.TabletMove)
        pressure = 0.2 + 0.6 * i / len(pts)
        p = QPointF(x, y)
        ev = QTabletEvent(kind, pen, p, pad.mapToGlobal(p), pressure, 0, 0, 0, 0, 0,
                          Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
                          Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else Qt.MouseButton.LeftButton)
        ev.setTimestamp(stamp(8))
        QApplication.sendEvent(pad, ev)
        # What an OS or Qt would synthesise from the same pen gesture: must not draw a second stroke.
        mouse(pad, {QEvent.Type.TabletPress: QEvent.Type.MouseButtonPress,
                    QEvent.Type.TabletMove: QEvent.Type.MouseMove,
                    QEvent.Type.TabletRelease: QEvent.Type.MouseButtonRelease}[kind], (x, y),
              source=Qt.MouseEventSource.MouseEventSynthesizedByQt)
    assert len(pad.strokes) == 1
    sig = pad.signature()
    assert sig.pressure_real and sig.strokes[0][0].p == pytest.approx(0.2, abs=0.01)
    assert sig.strokes[0][-1].p > 0.7
    assert all(b.t >= a.t for a, b in zip(sig.strokes[0], sig.strokes[0][1:]))


def test_touch_draws_once(qtbot, make_kiosk, people):
    w = make_kiosk()
    w.scan(people[13].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    pad = w.pad
    device = QTest.createTouchDevice()
    pts = [QPoint(int(x), int(y)) for x, y in wave(pad, n=30)]
    QTest.touchEvent(pad, device).press(0, pts[0], pad).commit()
    for p in pts[1:]:
        QTest.touchEvent(pad, device).move(0, p, pad).commit()
    QTest.touchEvent(pad, device).release(0, pts[-1], pad).commit()
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) >= 30
    assert not pad.signature().pressure_real


def test_pin_guards_the_staff_menu_and_closing(qtbot, make_kiosk, monkeypatch):
    w = make_kiosk()
    asked = []
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: asked.append(1) or False))
    w.close()
    qtbot.waitUntil(lambda: bool(asked), timeout=2000)
    assert w.isVisible()                                    # closing without the PIN is refused
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "exit"))
    w.open_staff_menu()
    assert not w.isVisible()


def test_pin_dialog_checks_the_real_pin(qtbot, make_kiosk):
    w = make_kiosk()
    dialog = PinDialog(w.service, w)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fields[0].setText("111111")
    dialog.ok_button.click()
    assert not dialog.ok_button.isEnabled()                 # one check at a time, off the GUI thread
    qtbot.waitUntil(lambda: "salah" in dialog.error.text(), timeout=5000)
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    dialog.fields[0].setText(PIN)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.ok_button.click()


def test_staff_search_needs_three_characters_and_checks_in_manually(qtbot, make_kiosk, store, people,
                                                                    monkeypatch):
    w = make_kiosk(signature_required=False)
    dialog = SearchDialog(w.service, w)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.query.setText("a b")
    qtbot.waitUntil(lambda: dialog.answers == 1, timeout=3000)   # the core's refusal, shown as it is
    assert dialog.results.count() == 0 and dialog.status.text() == i18n.t("people.search_short", min=3)
    assert dialog.status.objectName() != "error"
    target = people[14]
    dialog.query.setText(target.nip[:12])
    qtbot.waitUntil(lambda: dialog.answers == 2, timeout=3000)
    assert dialog.results.count() >= 1
    dialog.results.setCurrentRow(0)
    dialog.pick.click()
    assert dialog.nip and dialog.nip.startswith(target.nip[:12])
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "search"))
    monkeypatch.setattr(SearchDialog, "ask", classmethod(lambda cls, service, parent=None: target.nip))
    w.open_staff_menu()
    qtbot.waitUntil(lambda: w.state == "done", timeout=3000)
    assert store.conn.execute("SELECT method FROM checkins WHERE nip = ?", (target.nip,)).fetchone()[0] == "manual"


def test_language_switch_to_english(qtbot, make_kiosk, monkeypatch):
    w = make_kiosk()
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "language"))
    w.open_staff_menu()
    assert w.idle_page.scan_prompt.text() == "Please scan your QR badge"


def test_database_holds_check_in_before_done_is_shown(qtbot, make_kiosk, db_path, people):
    w = make_kiosk(signature_required=False)
    states = []

    def on_state(state):
        if state == "done":
            with Store(db_path) as other:                   # a second connection sees it committed
                states.append(other.conn.execute("SELECT count(*) FROM checkins").fetchone()[0])
    w.stateChanged.connect(on_state)
    w.scan(people[15].nip)
    qtbot.waitUntil(lambda: bool(states), timeout=3000)
    assert states == [1]


def test_first_run_asks_for_a_new_pin_and_refuses_weak_or_mismatched(qtbot, db_path, store, event):
    from ui.kiosk.dialogs import SetPinDialog
    service = KioskService(db_path)
    try:
        with qtbot.waitSignal(service.opened, timeout=5000) as opened:
            service.open()
        assert opened.args[0].has_pin is False                    # no default PIN
        dialog = SetPinDialog(service)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.fields[0].setText("135792")
        dialog.fields[1].setText("135793")
        dialog.ok_button.click()
        assert "tidak sama" in dialog.error.text() and dialog.isVisible()
        for field in dialog.fields:
            field.setText("123456")
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: "mudah ditebak" in dialog.error.text(), timeout=5000)
        assert dialog.isVisible()
        for field in dialog.fields:
            field.setText("135792")
        with qtbot.waitSignal(dialog.accepted, timeout=5000):
            dialog.ok_button.click()
    finally:
        service.shutdown()
    assert admin.verify_pin(store, "135792")


def test_pad_ink_is_sharp_on_high_dpi_screens(tmp_path):
    """At 200% scaling the pad's backing image has twice the pixels, so ink is not blurred up."""
    script = textwrap.dedent("""
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        from ui.kiosk.signature_pad import SignaturePad
        pad = SignaturePad()
        pad.resize(400, 200)
        pad.show()
        app.processEvents()
        print(pad.devicePixelRatioF(), pad._image.width(), pad._image.height(), pad._image.devicePixelRatio())
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
                         cwd=str(Path(__file__).resolve().parents[1]))
    ratio, width, height, image_ratio = out.stdout.split()
    assert float(ratio) == 2.0 and (int(width), int(height)) == (800, 400) and float(image_ratio) == 2.0


def test_a_failed_save_says_not_recorded_never_done(qtbot, make_kiosk, store, people, monkeypatch):
    from kiosk.attendance.checkin import Desk
    from kiosk.i18n import KioskError

    def full_disk(self, *args, **kwargs):
        raise KioskError("store.unwritable", path="kiosk.db", reason="disk penuh")
    w = make_kiosk()
    w.scan(people[16].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    draw(w.pad, wave(w.pad))
    monkeypatch.setattr(Desk, "record", full_disk)
    w.confirm()
    qtbot.waitUntil(lambda: w.state == "invalid", timeout=3000)
    assert w.result_page.result_title.text() == "Belum tercatat" and people[16].name in w.result_page.result_name.text()
    assert "BELUM tercatat" in w.result_page.result_detail.text() and "disk penuh" in w.result_page.result_detail.text()
    assert signed_rows(store) == []


def test_sounds_can_be_silenced_and_the_choice_is_kept(qtbot, make_kiosk, store, monkeypatch):
    w = make_kiosk()
    assert w.sounds.enabled
    offered = []
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: offered.append(kw) or "sound"))
    w.open_staff_menu()
    assert not w.sounds.enabled and offered == [{"sound_on": True}]
    qtbot.waitUntil(lambda: store.get_setting("kiosk.sound") == "off", timeout=3000)
    again = make_kiosk()                                     # a restart keeps the organiser's choice
    assert again.sounds.enabled is False


# --- the queue of people, and failures that reach the screen that asked ----------------------------------

def scan_log(db_path):
    """The scan log as the file on disk holds it (a second connection, not the kiosk's)."""
    with Store(db_path) as other:
        return [tuple(r) for r in other.conn.execute("SELECT reason, nip, method FROM scan_log ORDER BY id")]


def hold_the_worker(service):
    """Keep the kiosk's worker busy until the returned event is set (badges arrive faster than it answers)."""
    gate = threading.Event()
    service.run(lambda store: gate.wait(10))
    return gate


def test_three_badges_faster_than_the_worker_are_each_handled_and_logged_in_order(qtbot, make_kiosk, db_path,
                                                                                   people, caplog):
    w = make_kiosk()
    first, second, third = people[17], people[18], people[19]
    gate = hold_the_worker(w.service)
    with caplog.at_level(logging.INFO, logger="ikrar.kiosk"):
        for p in (first, second, third):
            type_scan(w, p.nip + "\r")
        assert w.state == "idle" and len(w.pending) == 2          # one in flight, two waiting: none dropped
        shown = []
        w.stateChanged.connect(lambda s: shown.append((s, w.sign_page.person_name.text())))
        gate.set()
        qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == third.name, timeout=5000)
    assert not w.pending
    assert [name for state, name in shown if state == "signing"] == [first.name, second.name, third.name]
    assert [r.getMessage() for r in caplog.records if "waits" in r.getMessage()] == [
        "scan (wedge) waits: 1 in line", "scan (wedge) waits: 2 in line"]
    qtbot.waitUntil(lambda: len(scan_log(db_path)) == 2, timeout=3000)
    assert scan_log(db_path) == [("abandoned", first.nip, "wedge"), ("abandoned", second.nip, "wedge")]
    draw(w.pad, wave(w.pad))                                     # the third signs: recorded after the other two
    w.confirm()
    qtbot.waitUntil(lambda: w.state == "done", timeout=5000)
    assert scan_log(db_path) == [("abandoned", first.nip, "wedge"), ("abandoned", second.nip, "wedge"),
                                 ("recorded", third.nip, "wedge")]


def test_a_refusal_in_the_queue_is_shown_and_logged_in_its_turn(qtbot, make_kiosk, db_path, people):
    w = make_kiosk()
    stranger = "199001012019031001"
    gate = hold_the_worker(w.service)
    for payload in (people[20].nip, stranger, people[21].nip):
        w.scan(payload)
    shown = []
    w.stateChanged.connect(shown.append)
    gate.set()
    qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == people[21].name,
                    timeout=5000)
    assert shown == ["signing", "unknown", "signing"]
    assert scan_log(db_path) == [("abandoned", people[20].nip, "wedge"), ("unknown", stranger, "wedge")]


def test_without_signatures_a_burst_of_badges_is_recorded_in_order(qtbot, make_kiosk, db_path, store, people):
    w = make_kiosk(signature_required=False)
    burst = people[22:26]
    gate = hold_the_worker(w.service)
    for p in burst:
        type_scan(w, p.nip + "\r")
    gate.set()
    qtbot.waitUntil(lambda: w.state == "done" and w.result_page.result_name.text() == burst[-1].name, timeout=5000)
    assert [r[0] for r in signed_rows(store)] == [p.nip for p in burst]
    assert scan_log(db_path) == [("recorded", p.nip, "wedge") for p in burst]
    qtbot.waitUntil(lambda: w.idle_page.count_label.text().startswith("4 dari"), timeout=3000)


def test_a_scan_while_saving_waits_for_the_save(qtbot, make_kiosk, db_path, store, people):
    w = make_kiosk()
    w.scan(people[26].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    draw(w.pad, wave(w.pad))
    gate = hold_the_worker(w.service)
    w.confirm()
    assert w.state == "saving"
    w.scan(people[27].nip)                                       # the next in the queue, while the first is saved
    assert w.state == "saving" and len(w.pending) == 1
    gate.set()
    qtbot.waitUntil(lambda: w.state == "signing" and w.sign_page.person_name.text() == people[27].name,
                    timeout=5000)
    assert [r[0] for r in signed_rows(store)] == [people[26].nip]
    assert scan_log(db_path) == [("recorded", people[26].nip, "wedge")]


def test_a_failed_search_shows_a_search_failure_not_a_check_in(qtbot, make_kiosk, monkeypatch, caplog):
    w = make_kiosk()

    def broken(self, text, limit=50, **kw):
        raise sqlite3.OperationalError("database disk image is malformed")
    monkeypatch.setattr(Store, "find_people", broken)
    dialog = SearchDialog(w.service, w)
    qtbot.addWidget(dialog)
    dialog.show()
    with caplog.at_level(logging.ERROR, logger="ikrar"):
        dialog.query.setText("Budi")
        qtbot.waitUntil(lambda: dialog.answers == 1, timeout=3000)
    assert dialog.status.text().startswith("Pencarian gagal.") and "kesalahan tak terduga" in dialog.status.text()
    assert dialog.status.objectName() == "error" and dialog.results.count() == 0
    assert "Belum tercatat" not in dialog.status.text()
    assert w.state == "idle" and w.stack.currentWidget() is w.idle_page     # the kiosk's screen is untouched
    assert any(r.exc_info and r.exc_info[0] is sqlite3.OperationalError for r in caplog.records)


def test_a_failed_sound_setting_says_so_without_touching_the_check_in_screen(qtbot, make_kiosk, store, people,
                                                                            monkeypatch):
    from kiosk.i18n import KioskError
    w = make_kiosk()
    real = Store.set_setting

    def unwritable(self, key, value):
        if key == "kiosk.sound":
            raise KioskError("store.unwritable", path="kiosk.db", reason="disk penuh")
        return real(self, key, value)
    monkeypatch.setattr(Store, "set_setting", unwritable)
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "sound"))
    w.open_staff_menu()
    qtbot.waitUntil(lambda: w.idle_page.notice.isVisible(), timeout=3000)
    assert "Pilihan suara tidak tersimpan" in w.idle_page.notice.text() and "disk penuh" in w.idle_page.notice.text()
    assert not w.sounds.enabled                                  # it holds until the kiosk closes
    assert w.state == "idle" and w.stack.currentWidget() is w.idle_page
    w.scan(people[28].nip)                                       # and the next badge is served as usual
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)


def test_a_failed_abandon_is_logged_and_the_next_person_is_served(qtbot, make_kiosk, people, monkeypatch, caplog):
    from kiosk.attendance.checkin import Desk
    from kiosk.i18n import KioskError

    def unwritable(self, nip, *, method="wedge", reason=None):
        raise KioskError("store.unwritable", path="kiosk.db", reason="disk penuh")
    monkeypatch.setattr(Desk, "abandon", unwritable)
    w = make_kiosk()
    with caplog.at_level(logging.WARNING, logger="ikrar"):
        w.scan(people[29].nip)
        qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
        w.scan(people[0].nip)                                    # the first walks on; logging that fails
        qtbot.waitUntil(lambda: w.sign_page.person_name.text() == people[0].name, timeout=3000)
        qtbot.waitUntil(lambda: any("store.unwritable" in r.getMessage() for r in caplog.records), timeout=3000)
    assert w.state == "signing"                                  # not "Belum tercatat" for the next person


def test_an_unexpected_error_while_saving_says_not_recorded_and_logs_the_trace(qtbot, make_kiosk, store, people,
                                                                              monkeypatch, caplog):
    from kiosk.attendance.checkin import Desk

    def bug(self, *args, **kwargs):
        raise RuntimeError("a bug in the core")
    w = make_kiosk()
    w.scan(people[1].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    draw(w.pad, wave(w.pad))
    monkeypatch.setattr(Desk, "record", bug)
    with caplog.at_level(logging.ERROR, logger="ikrar"):
        w.confirm()
        qtbot.waitUntil(lambda: w.state == "invalid", timeout=3000)
    assert w.result_page.result_title.text() == "Belum tercatat" and people[1].name in w.result_page.result_name.text()
    assert "kesalahan tak terduga" in w.result_page.result_detail.text()
    assert "a bug in the core" not in w.result_page.result_detail.text()      # no traceback reaches a person
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)
    assert signed_rows(store) == []


def test_the_idle_screens_qr_is_the_real_code_of_its_text():
    """Written out for a faster start, but still what the qrcode package makes of the text."""
    import qrcode

    from ui.kiosk import qr_glyph
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(qr_glyph.TEXT)
    assert [[cell == "#" for cell in row] for row in qr_glyph.ROWS] == code.get_matrix()
