"""A queue at the camera, with badges exactly as ``ikrar badges`` prints them, held up in a hall and spoilt
the way a webcam spoils them: through a video file and Qt Multimedia (in the test's process and as the
real ``ikrar kiosk --camera-file`` command), a badge held in view counted once, a stranger's badge refused
on screen, the camera unplugged in the middle of the queue while the wedge scanner carries on, and the
camera chosen through the real staff dialogs (PIN typed, "6" pressed, a camera ticked)."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import camera_video as cvid
import pytest
from camera_fakes import LAPTOP, WEBCAM
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from test_camera_kiosk import ROOT, camera_kiosk, checkins, live, push, room  # noqa: F401  (fixtures)
from test_kiosk_ui import PIN, draw, key, make_kiosk, stamp, type_scan, wave  # noqa: F401  (fixture)

from kiosk import demo
from ui.kiosk.camera.devices import CameraChoice
from ui.kiosk.camera.source import CameraState

PEOPLE = list(demo.people(40))          # the first 30 are on the roster (conftest's ``people``)
A, B, C, D = PEOPLE[3], PEOPLE[4], PEOPLE[5], PEOPLE[6]
STRANGER = PEOPLE[35]                   # a real NIP on a real badge, of someone not on this roster


@pytest.fixture(scope="module")
def badges():
    return {p.nip: cvid.RealBadge.of(p) for p in (A, B, C, D, STRANGER)}


@pytest.fixture(scope="module")
def queue(tmp_path_factory, badges):
    """A held up for 3.5 s, the stranger, then B and C: 11 s of 1280×720 at 15 fps."""
    shots = [cvid.Shot.empty(11, 0.6), cvid.Shot.card(badges[A.nip], 12, 3.5), cvid.Shot.empty(13, 0.6),
             cvid.Shot.card(badges[STRANGER.nip], 14, 1.4, qr_px=150, yaw=-20), cvid.Shot.empty(15, 0.8),
             cvid.Shot.card(badges[B.nip], 16, 1.4, qr_px=130, jpeg=35), cvid.Shot.empty(17, 0.6),
             cvid.Shot.card(badges[C.nip], 18, 1.4, yaw=30), cvid.Shot.empty(19, 0.8)]
    path = cvid.write_video(tmp_path_factory.mktemp("queue") / "antrean.mp4", shots, fps=15)
    return path, cvid.timeline(shots)


def scan_log(db_path):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT reason, nip, method FROM scan_log ORDER BY at, rowid").fetchall()
    finally:
        conn.close()


def signed(db_path):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT c.nip, c.method, s.sample_count > 0 FROM checkins c "
                            "LEFT JOIN signatures s ON s.checkin_uuid = c.uuid ORDER BY c.id").fetchall()
    finally:
        conn.close()


def real(badges, person, seed, **look):
    """One camera frame of ``person``'s printed badge."""
    import camera_frames as cf
    b = badges[person.nip]
    return cf.render_card(b.image, b.qr_box, b.payload, cf.Recipe(f"real-{seed}", **look), seed).image


# --- a video of printed badges through Qt Multimedia ---------------------------------------------------------------

def test_a_queue_of_printed_badges_through_qt_multimedia(qtbot, camera_kiosk, db_path, queue):
    path, timeline = queue
    w, scanner, _, _ = camera_kiosk(signature_required=False, max_fps=15, start=None)
    states, refused = [], []

    def shown(state):
        states.append(state)
        if state == "unknown":
            refused.append(w.result_page.result_name.text() + " " + w.result_page.result_detail.text())
    w.stateChanged.connect(shown)
    scanner.start(file=path, loops=1)
    qtbot.waitUntil(lambda: len(checkins(db_path)) == 3, timeout=30000)
    qtbot.wait(int((timeline[-1][1] - timeline[-2][0]) * 1000) + 500)     # the rest of the video
    assert checkins(db_path) == [(A.nip, "camera"), (B.nip, "camera"), (C.nip, "camera")]
    assert states.count("done") == 3                    # A held up for 3.5 s: checked in once
    assert states.count("unknown") == 1 and states.count("duplicate") == 0
    assert len(refused) == 1 and STRANGER.nip[-3:] in refused[0] and STRANGER.nip[:8] not in refused[0]
    log = scan_log(db_path)
    assert ("unknown", STRANGER.nip, "camera") in log
    assert [r for r in log if r[1] == A.nip] == [("recorded", A.nip, "camera")]
    assert [p for p, _ in scanner.passed] == [A.nip, STRANGER.nip, B.nip, C.nip]


def test_ikrar_kiosk_camera_file_with_printed_badges(db_path, queue, store, event):
    """The real command in its own process: the same video in the camera's place, the same results."""
    from kiosk.security import pin as admin
    admin.set_pin(store, PIN)
    path, _ = queue
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "ui", "--db", str(db_path), "kiosk", "--camera-file", str(path),
                             "--no-signature", "--windowed"], env=env, cwd=str(ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(checkins(db_path)) < 3 and proc.poll() is None:
            time.sleep(0.2)
        found, log = checkins(db_path), scan_log(db_path)
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert found[:3] == [(A.nip, "camera"), (B.nip, "camera"), (C.nip, "camera")], out
    assert ("unknown", STRANGER.nip, "camera") in log, (log, out)
    assert "Traceback" not in out, out


# --- the camera unplugged in the middle of the queue --------------------------------------------------------------

def test_the_camera_unplugged_mid_queue_is_noticed_and_the_wedge_carries_on(qtbot, camera_kiosk, db_path, badges,
                                                                           room):
    w, scanner, devices, opener = camera_kiosk(start=CameraChoice.device(WEBCAM).to_setting())
    page = w.idle_page
    live(qtbot, scanner, opener, room)
    push(qtbot, scanner, opener, real(badges, A, 1, qr_px=170, blur=1.6, jpeg=40), times=3)
    qtbot.waitUntil(lambda: w.state == "signing" and w.person is not None and w.person.nip == A.nip, timeout=5000)
    draw(w.pad, wave(w.pad))
    devices.plug()                                      # the cable is pulled while A signs
    qtbot.waitUntil(lambda: scanner.state == CameraState.UNPLUGGED, timeout=3000)
    assert w.state == "signing" and w.person.nip == A.nip          # A's page is not touched
    key(w, "\r", stamp(400))                            # Selesai
    qtbot.waitUntil(lambda: w.state == "done", timeout=5000)
    assert page.camera_note.text().startswith("Kamera “HD Webcam C270” tidak terhubung.")
    for person in (B, C):                               # the queue goes on with the scanner
        type_scan(w, person.nip + "\r")
        qtbot.waitUntil(lambda p=person: w.state == "signing" and w.person.nip == p.nip, timeout=3000)
        draw(w.pad, wave(w.pad, cycles=4))
        key(w, "\r", stamp(400))
        qtbot.waitUntil(lambda: w.state == "done", timeout=5000)
    qtbot.waitUntil(lambda: w.state == "idle", timeout=8000)
    assert page.camera_note.isVisible() and page.scan_glyph.isVisible() and not page.camera_view.isVisible()
    devices.plug(WEBCAM)                                # plugged back in
    qtbot.waitUntil(lambda: len(opener.opened) == 2, timeout=3000)
    live(qtbot, scanner, opener, room)
    assert not page.camera_note.isVisible() and page.camera_view.isVisible()
    push(qtbot, scanner, opener, real(badges, D, 2, qr_px=150, yaw=-25), times=3)
    qtbot.waitUntil(lambda: w.state == "signing" and w.person.nip == D.nip, timeout=5000)
    draw(w.pad, wave(w.pad))
    key(w, "\r", stamp(400))
    qtbot.waitUntil(lambda: len(checkins(db_path)) == 4, timeout=5000)
    assert signed(db_path) == [(A.nip, "camera", 1), (B.nip, "wedge", 1), (C.nip, "wedge", 1), (D.nip, "camera", 1)]


# --- the staff menu, through the real dialogs ---------------------------------------------------------------------

def answer(steps):
    """Answer each modal dialog as it comes up: ``steps`` is a list of (dialog class name, what to do)."""
    left = list(steps)

    def tick():
        d = QApplication.activeModalWidget()
        if left and d is not None and d.isVisible() and type(d).__name__ == left[0][0]:
            left.pop(0)[1](d)
        if left:
            QTimer.singleShot(50, tick)
    QTimer.singleShot(50, tick)
    return left


def type_pin(dialog):
    field = dialog.fields[0]
    field.setFocus()
    for ch in PIN:
        key(field, ch, stamp(120))                      # typed by hand, not a badge
    key(field, "\r", stamp(300))


def test_the_staff_choose_the_camera_through_the_real_dialogs(qtbot, camera_kiosk, store, db_path, badges, room):
    w, scanner, _, opener = camera_kiosk(cameras=(WEBCAM, LAPTOP))
    assert opener.last.device == WEBCAM                 # never chosen: the system's default
    seen = {}

    def pick_laptop(d):
        seen["options"] = [b.text() for b, _ in d.options]
        next(b for b, choice in d.options if choice.id == LAPTOP.id).click()
        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    left = answer([("PinDialog", type_pin), ("StaffMenu", lambda m: key(m, "6", stamp(500))),
                   ("CameraDialog", pick_laptop)])
    w.open_staff_menu()                                 # returns when the last dialog is gone
    assert left == [] and QApplication.activeModalWidget() is None
    assert seen["options"] == ["HD Webcam C270  (sedang dipakai)", "Integrated Camera", "Tanpa kamera (pemindai saja)"]
    assert opener.last.device == LAPTOP and opener.opened[0].stopped
    qtbot.waitUntil(lambda: store.get_setting("kiosk.camera") is not None, timeout=3000)
    assert json.loads(store.get_setting("kiosk.camera")) == {"id": LAPTOP.id, "description": LAPTOP.description}
    live(qtbot, scanner, opener, room)
    push(qtbot, scanner, opener, real(badges, B, 3, qr_px=160), times=3)     # the laptop's camera reads the queue
    qtbot.waitUntil(lambda: w.state == "signing" and w.person.nip == B.nip, timeout=5000)
    assert w.method == "camera"
    w.cancel_signing()

    w2, scanner2, _, opener2 = camera_kiosk(cameras=(WEBCAM, LAPTOP), start=None)      # the kiosk restarted
    scanner2.start(w2.info.camera)
    assert opener2.last.device == LAPTOP
    assert store.get_setting("admin_pin_failures") == "0"


# --- the camera's words fit, 40 % longer (the pseudo-locale) ------------------------------------------------------

def test_the_camera_notes_and_dialog_fit_in_the_pseudo_locale(qtbot, camera_kiosk, room, tmp_path):
    from test_pseudo_locale import SIZE, fits

    from kiosk import i18n
    from ui.kiosk.camera.choice import CameraDialog
    i18n.set_language(i18n.PSEUDO)                  # conftest puts Indonesian back afterwards
    w, scanner, devices, opener = camera_kiosk(cameras=(WEBCAM, LAPTOP),
                                               start=CameraChoice.device(WEBCAM).to_setting())
    w.resize(*SIZE)
    w._retranslate()
    live(qtbot, scanner, opener, room)
    fits(w, tmp_path, "camera-live")
    scanner.source._retry.setInterval(60_000)
    opener.last.fail("Failed to start streaming: Device or resource busy")
    assert scanner.state == CameraState.BUSY
    fits(w, tmp_path, "camera-busy")
    scanner.source.use(CameraChoice.device(WEBCAM))      # tried again: now the system refuses it
    opener.last.fail("Camera access is denied (0x80070005)")
    assert scanner.state == CameraState.DENIED
    fits(w, tmp_path, "camera-denied")
    devices.plug(LAPTOP)                                # the chosen webcam is pulled out
    qtbot.waitUntil(lambda: scanner.state == CameraState.UNPLUGGED, timeout=3000)
    fits(w, tmp_path, "camera-unplugged")
    for name, cameras in (("camera-dialog", [LAPTOP]), ("camera-dialog-none", [])):
        dialog = CameraDialog(cameras, CameraChoice.device(WEBCAM), w)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.width() <= SIZE[0] and dialog.height() <= SIZE[1], name
        fits(dialog, tmp_path, name)
        dialog.reject()
