"""Camera scanning in the kiosk window (pytest-qt, offscreen): degraded frames through the real decoder
thread into check-ins, a video file through Qt Multimedia (QMediaPlayer → QVideoSink) into the
database, a camera missing, unplugged or busy while the wedge scanner keeps working, the staff's
camera choice remembered, and the mailbox under load."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import camera_frames as cf
import camera_video as cvid
import pytest
from camera_fakes import LAPTOP, WEBCAM, FakeDevices, Opener, video_frame
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from test_kiosk_ui import PIN, draw, key, make_kiosk, stamp, type_scan, wave  # noqa: F401  (fixture)

from kiosk.camera import FrameDecoder
from ui.kiosk.camera import gate as camera_gate
from ui.kiosk.camera.choice import CameraDialog
from ui.kiosk.camera.devices import CameraChoice, ChoiceKind
from ui.kiosk.camera.scanner import CameraScanner
from ui.kiosk.camera.source import CameraState
from ui.kiosk.dialogs import PinDialog, StaffMenu

ROOT = Path(__file__).resolve().parent.parent
UNHURRIED = 10_000.0                    # decode quality must not depend on how busy the machine is
POSTER = "https://pemda.example.go.id/agenda-apel"


@pytest.fixture
def camera_kiosk(qtbot, make_kiosk):
    made = []

    def make(cameras=(WEBCAM,), *, decoder=None, max_fps=None, start: str | None = "", **kw):
        """A kiosk with a camera; ``start``: the camera setting to start with (None: not started)."""
        window = make_kiosk(**kw)
        devices, opener = FakeDevices(cameras), Opener()
        scanner = CameraScanner(window, window.service, devices=devices, open_camera=opener,
                                permission=lambda: Qt.PermissionStatus.Granted,
                                decoder=decoder or FrameDecoder(budget_ms=UNHURRIED), max_fps=max_fps)
        made.append(scanner)
        if start is not None:
            scanner.start(start)
        return window, scanner, devices, opener
    yield make
    for scanner in made:
        scanner.stop()
        # It goes with its window (make_kiosk deletes it): taken out of the window, its deletion by Python's
        # garbage collector at some later moment crashed a later test's event loop (QObject::~QObject).
        scanner.window.camera = None


def checkins(db_path):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT nip, method FROM checkins ORDER BY id").fetchall()
    finally:
        conn.close()


def badge_image(payload, seed, **recipe):
    return cf.render(cf.Recipe(f"b-{seed}", payload=payload, **recipe), seed).image


def push(qtbot, scanner, opener, image, times=1):
    """``times`` frames of ``image`` from the camera, each decoded before the next (as a slow camera would)."""
    for _ in range(times):
        opener.last.push(video_frame(image))
        qtbot.waitUntil(lambda: not scanner.reader.mailbox.waiting
                        and scanner.reader.stats().decoded == scanner.reader.stats().offered, timeout=5000)


def live(qtbot, scanner, opener, image):
    push(qtbot, scanner, opener, image)
    qtbot.waitUntil(lambda: scanner.state == CameraState.LIVE, timeout=3000)


@pytest.fixture(scope="module")
def room():
    return cf.render(cf.Recipe("room", no_code=True, badge=False), 77).image


# --- frames into check-ins ----------------------------------------------------------------------------------

def test_degraded_camera_frames_become_check_ins(qtbot, camera_kiosk, db_path, people, room):
    """Three people in a row hold their badge up (blur, motion, glare, dim light, JPEG): three camera check-ins."""
    w, scanner, _, opener = camera_kiosk(signature_required=False)
    live(qtbot, scanner, opener, room)
    looks = (dict(blur=2.4, motion=6, yaw=25, jpeg=35), dict(glare=170, gain=0.35, noise=4, roll=-20),
             dict(qr_px=110, motion=8, motion_angle=60, jpeg=30))
    for i, look in enumerate(looks):
        push(qtbot, scanner, opener, badge_image(people[i].nip, 100 + i, **look), times=4)
        qtbot.waitUntil(lambda n=i + 1: len(checkins(db_path)) == n, timeout=5000)
        push(qtbot, scanner, opener, room, times=3)
    assert checkins(db_path) == [(people[i].nip, "camera") for i in range(3)]
    assert [p for p, _ in scanner.passed] == [people[i].nip for i in range(3)]


def test_the_same_badge_held_in_view_is_one_check_in_and_the_next_person_is_two(qtbot, camera_kiosk, db_path, people,
                                                                                   room):
    w, scanner, _, opener = camera_kiosk(signature_required=False)
    live(qtbot, scanner, opener, room)
    held = [badge_image(people[5].nip, 200, blur=b, centre=(640 + d, 370)) for b, d in ((1.0, 0), (2.0, 12), (1.4, -9))]
    for i in range(24):                                         # about two seconds in front of the camera
        push(qtbot, scanner, opener, held[i % 3])
    qtbot.waitUntil(lambda: w.state == "done", timeout=5000)
    push(qtbot, scanner, opener, badge_image(people[6].nip, 201), times=2)   # the next person, straight after
    qtbot.waitUntil(lambda: len(checkins(db_path)) == 2, timeout=5000)
    assert checkins(db_path) == [(people[5].nip, "camera"), (people[6].nip, "camera")]
    assert scanner.reader.stats().codes >= 20                    # read on most frames, reported once


def test_a_camera_read_of_the_person_signing_is_not_a_second_scan(qtbot, camera_kiosk, db_path, people, room,
                                                                  monkeypatch):
    w, scanner, _, opener = camera_kiosk()
    live(qtbot, scanner, opener, room)
    a, b = people[7], people[8]
    push(qtbot, scanner, opener, badge_image(a.nip, 300), times=2)
    qtbot.waitUntil(lambda: w.state == "signing" and w.person is not None and w.person.nip == a.nip, timeout=5000)
    assert w.camera_scan(a.nip) is False                       # raised again while signing: not a new scan
    draw(w.pad, wave(w.pad))
    push(qtbot, scanner, opener, badge_image(b.nip, 301), times=2)      # the next person shows theirs
    qtbot.waitUntil(lambda: w.state == "signing" and w.person is not None and w.person.nip == b.nip, timeout=5000)
    assert checkins(db_path) == [(a.nip, "camera")]             # a's signature was recorded first
    assert w.camera_scan(a.nip) is False                       # a walks past the camera while b signs: no scan
    assert w.person.nip == b.nip and not w.pending
    w.cancel_signing()
    monkeypatch.setattr(camera_gate, "CAMERA_REPEAT_SECONDS", 0)
    assert w.camera_scan(a.nip) is True                        # back at an idle kiosk, on purpose: "already recorded"
    qtbot.waitUntil(lambda: w.state == "duplicate", timeout=5000)


def test_a_code_that_is_not_a_badge_counts_only_inside_the_guide(qtbot, camera_kiosk, db_path, room):
    w, scanner, _, opener = camera_kiosk(signature_required=False)
    live(qtbot, scanner, opener, room)
    push(qtbot, scanner, opener, badge_image(POSTER, 400, qr_px=120, centre=(170, 150)), times=3)   # a poster, far left
    assert scanner.reader.stats().badges == 1 and scanner.passed == [] and w.state == "idle"
    push(qtbot, scanner, opener, badge_image("WIFI:S:Aula;T:WPA;;", 401, qr_px=200), times=2)     # held up on purpose
    qtbot.waitUntil(lambda: w.state == "invalid", timeout=5000)
    assert checkins(db_path) == []


# --- a video file through Qt Multimedia ------------------------------------------------------------------

@pytest.fixture(scope="module")
def queue_video(tmp_path_factory):
    from kiosk import demo
    people = list(demo.people(30))
    shots = [cvid.Shot.empty(1, 0.6), cvid.Shot.badge(people[10].nip, 2, 1.6), cvid.Shot.empty(3, 0.5),
             cvid.Shot.badge(people[11].nip, 4, 1.4), cvid.Shot.empty(5, 0.6)]
    path = cvid.write_video(tmp_path_factory.mktemp("video") / "queue.mp4", shots, fps=15)
    return path, cvid.timeline(shots), (people[10].nip, people[11].nip)


def test_a_video_file_through_qt_multimedia_checks_people_in(qtbot, camera_kiosk, db_path, queue_video):
    path, timeline, (a, b) = queue_video
    w, scanner, _, _ = camera_kiosk(signature_required=False, max_fps=15, start=None)
    scanner.start(file=path, loops=1)
    qtbot.waitUntil(lambda: scanner.state == CameraState.LIVE, timeout=5000)
    assert w.idle_page.camera_view.isVisible() and not w.idle_page.scan_glyph.isVisible()
    assert w.idle_page.scan_hint.text() == "Tunjukkan kartu ke kamera, atau dekatkan ke pemindai"
    qtbot.waitUntil(lambda: len(checkins(db_path)) == 2, timeout=15000)
    assert checkins(db_path) == [(a, "camera"), (b, "camera")]    # held for 1.5 s each: one check-in each
    qtbot.wait(int((timeline[-1][1] - timeline[3][0]) * 1000) + 300)          # to the end of the video
    assert checkins(db_path) == [(a, "camera"), (b, "camera")]
    assert scanner.converted >= 50 and scanner.shown >= 20 and scanner.source.frames >= scanner.converted
    assert not scanner.preview.mirror                               # a recording is shown as filmed


def test_a_video_with_signatures_keeps_the_queue(qtbot, camera_kiosk, db_path, queue_video):
    """The camera identifies a; a signs; b's badge appears: a's signature is recorded first, then b signs."""
    path, timeline, (a, b) = queue_video
    w, scanner, _, _ = camera_kiosk(max_fps=15, start=None)
    scanner.start(file=path, loops=1)
    qtbot.waitUntil(lambda: w.state == "signing" and w.person is not None and w.person.nip == a, timeout=10000)
    draw(w.pad, wave(w.pad))
    qtbot.waitUntil(lambda: w.state == "signing" and w.person is not None and w.person.nip == b, timeout=10000)
    draw(w.pad, wave(w.pad, cycles=4))
    key(w, "\r", stamp(400))
    qtbot.waitUntil(lambda: w.state == "done", timeout=5000)
    assert checkins(db_path) == [(a, "camera"), (b, "camera")]


@pytest.mark.qt_log_ignore("^Could not open media")          # Qt's own words for the broken file
def test_a_video_that_cannot_be_played_says_so_and_the_wedge_works(qtbot, camera_kiosk, tmp_path, people):
    bad = tmp_path / "rusak.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(2000))
    w, scanner, _, _ = camera_kiosk(start=None)
    scanner.start(file=bad, loops=1)
    qtbot.waitUntil(lambda: scanner.state == CameraState.BAD_FILE, timeout=5000)
    assert w.idle_page.camera_note.text() == ("Video “rusak.mp4” tidak dapat diputar. "
                                              "Gunakan berkas MP4 atau AVI yang utuh.")
    type_scan(w, people[0].nip + "\r")
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)


def test_ikrar_kiosk_camera_file(db_path, queue_video, store, event):
    """``ikrar kiosk --camera-file``: the real command, its own process, the video in the camera's place."""
    from kiosk.security import pin as admin
    admin.set_pin(store, PIN)
    path, _, (a, b) = queue_video
    db = db_path
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "ui", "--db", str(db), "kiosk", "--camera-file", str(path),
                             "--no-signature", "--windowed"], env=env, cwd=str(ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and len(checkins(db)) < 2 and proc.poll() is None:
            time.sleep(0.2)
        found = checkins(db)
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert found[:2] == [(a, "camera"), (b, "camera")], out
    assert "Traceback" not in out, out


def test_ikrar_kiosk_refuses_a_missing_camera_file(ikrar, tmp_path):
    code, out, err = ikrar("kiosk", "--camera-file", tmp_path / "tidak-ada.mp4")
    assert code == 1 and "Berkas tidak ditemukan" in err + out


# --- no camera, unplugged, busy: the wedge keeps working -------------------------------------------------------

def test_no_camera_says_so_and_the_wedge_scans(qtbot, camera_kiosk, people):
    w, scanner, _, _ = camera_kiosk(cameras=())
    assert scanner.state == CameraState.NO_CAMERA
    page = w.idle_page
    assert page.camera_note.isVisible() and page.camera_note.text() == "Tidak ada kamera. Pindai kartu dengan pemindai."
    assert page.scan_glyph.isVisible() and not page.camera_view.isVisible()
    assert page.scan_hint.text() == "Dekatkan kartu NIP ke pemindai"
    type_scan(w, people[1].nip + "\r")
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    assert w.method == "wedge"


def test_an_unplugged_camera_says_so_the_wedge_scans_and_it_comes_back(qtbot, camera_kiosk, db_path, people, room):
    w, scanner, devices, opener = camera_kiosk(signature_required=False, start=CameraChoice.device(WEBCAM).to_setting())
    live(qtbot, scanner, opener, room)
    page = w.idle_page
    assert page.camera_view.isVisible() and not page.camera_note.isVisible()
    devices.plug()                                              # the cable is pulled
    qtbot.waitUntil(lambda: scanner.state == CameraState.UNPLUGGED, timeout=3000)
    assert page.camera_note.text().startswith("Kamera “HD Webcam C270” tidak terhubung.")
    assert "Pemindai tetap bisa dipakai." in page.camera_note.text()
    assert page.scan_glyph.isVisible() and not page.camera_view.isVisible()
    type_scan(w, people[2].nip + "\r")
    qtbot.waitUntil(lambda: checkins(db_path) == [(people[2].nip, "wedge")], timeout=3000)
    qtbot.waitUntil(lambda: w.state == "done", timeout=3000)     # the row can be in before the page shows it
    qtbot.waitUntil(lambda: w.state == "idle", timeout=8000)
    devices.plug(WEBCAM)                                        # plugged back in
    qtbot.waitUntil(lambda: len(opener.opened) == 2, timeout=3000)
    live(qtbot, scanner, opener, room)
    assert not page.camera_note.isVisible() and page.camera_view.isVisible()
    push(qtbot, scanner, opener, badge_image(people[3].nip, 500), times=2)
    qtbot.waitUntil(lambda: len(checkins(db_path)) == 2, timeout=5000)
    assert checkins(db_path)[1] == (people[3].nip, "camera")


def test_a_busy_camera_says_so_and_the_wedge_scans(qtbot, camera_kiosk, people):
    w, scanner, _, opener = camera_kiosk()
    scanner.source._retry.setInterval(60_000)
    opener.last.fail("Failed to start streaming: Device or resource busy")
    assert scanner.state == CameraState.BUSY
    assert w.idle_page.camera_note.text().startswith("Kamera tidak dapat dipakai; mungkin sedang dipakai aplikasi lain")
    i18n_switch(w)
    assert w.idle_page.camera_note.text().startswith("The camera cannot be used")
    i18n_switch(w)
    type_scan(w, people[4].nip + "\r")
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)


def i18n_switch(w):
    from kiosk import i18n
    i18n.set_language("en" if i18n.language() == "id" else "id")
    w._retranslate()


def test_a_hundred_frames_at_once_are_bounded_work_and_the_wedge_is_not_held_up(qtbot, camera_kiosk, people, room):
    real = FrameDecoder(budget_ms=UNHURRIED)

    class Slow:
        guide = real.guide

        def decode(self, frame):
            time.sleep(0.02)                                    # a slow laptop: 20 ms a frame
            return real.decode(frame)

    w, scanner, _, opener = camera_kiosk(decoder=Slow())
    live(qtbot, scanner, opener, room)
    before = scanner.reader.stats()
    badge = badge_image(people[9].nip, 600)
    frames = [video_frame(room if i < 96 else badge, start_us=i * 33_333) for i in range(100)]   # the last: a badge
    t0 = time.perf_counter()
    for frame in frames:                                        # a burst of 100 frames, as fast as they come
        opener.last.push(frame)
    pushed_ms = (time.perf_counter() - t0) * 1000
    type_scan(w, people[12].nip + "\r")                         # the wedge, in the middle of it
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    qtbot.waitUntil(lambda: not scanner.reader.mailbox.waiting, timeout=3000)
    after = scanner.reader.stats()
    decoded = after.decoded - before.decoded
    assert after.offered - before.offered == 100
    assert decoded <= pushed_ms / 20 + 3, (decoded, pushed_ms)    # never a backlog: at most one per decode time
    assert after.dropped - before.dropped >= 100 - decoded - 1
    assert w.person is not None and w.person.nip == people[12].nip
    qtbot.waitUntil(lambda: [p for p, _ in scanner.passed] == [people[9].nip], timeout=5000)   # the newest was read
    assert scanner.shown <= 1 + 3                                # the preview paints the newest, not each frame
    assert scanner.convert_ms / scanner.converted < 5            # the copy a frame: well under a millisecond or so


# --- the staff's choice, remembered ---------------------------------------------------------------------------------

def test_the_camera_is_chosen_in_the_staff_menu_and_remembered(qtbot, camera_kiosk, store, monkeypatch, room):
    w, scanner, devices, opener = camera_kiosk(cameras=(WEBCAM, LAPTOP))
    assert opener.last.device == WEBCAM                         # never chosen: the system's default
    offered = []
    monkeypatch.setattr(PinDialog, "ask", classmethod(lambda cls, service, parent=None: True))
    monkeypatch.setattr(StaffMenu, "ask", classmethod(lambda cls, parent=None, **kw: "camera"))
    monkeypatch.setattr(CameraDialog, "ask", classmethod(
        lambda cls, cameras, current, parent=None, **kw: offered.append((cameras, current, kw))
        or CameraChoice.device(LAPTOP)))
    w.open_staff_menu()
    assert offered[0][0] == [WEBCAM, LAPTOP] and offered[0][2]["in_use"] == WEBCAM
    assert opener.last.device == LAPTOP and opener.opened[0].stopped
    qtbot.waitUntil(lambda: store.get_setting("kiosk.camera") is not None, timeout=3000)
    assert json.loads(store.get_setting("kiosk.camera")) == {"id": LAPTOP.id, "description": LAPTOP.description}
    w2, scanner2, _, opener2 = camera_kiosk(cameras=(WEBCAM, LAPTOP), start=None)   # a restart keeps the choice
    assert w2.info.camera == store.get_setting("kiosk.camera")
    scanner2.start(w2.info.camera)
    assert opener2.last.device == LAPTOP

    monkeypatch.setattr(CameraDialog, "ask", classmethod(lambda cls, *a, **kw: CameraChoice(ChoiceKind.NONE)))
    w.open_staff_menu()                                         # Tanpa kamera
    assert scanner.state == CameraState.OFF
    assert w.idle_page.scan_glyph.isVisible() and not w.idle_page.camera_note.isVisible()
    qtbot.waitUntil(lambda: store.get_setting("kiosk.camera") == "none", timeout=3000)


def test_the_staff_menu_offers_the_camera(qtbot, make_kiosk):
    menu = StaffMenu()
    qtbot.addWidget(menu)
    assert menu.keys.index("camera") == 5                       # after sound and the desk: 1–5 choose as before
    assert menu.findChild(QPushButton, "menu_camera").text() == "6  Pilih kamera"
    w = make_kiosk()
    assert w.camera is None
    w.camera_scan("199001012019031001")                         # no camera attached: still a scan like any other
    assert w.pending or w._in_flight
