"""The camera's Qt side on its own: frames converted for the decoder, the camera choice remembered,
the source's states (no camera, unplugged, busy, refused, stalled, plugged back), the preview."""
from __future__ import annotations

import camera_frames as cf
import pytest
from camera_fakes import LAPTOP, WEBCAM, FakeDevices, Opener, P, video_frame
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QVideoFrame
from shiboken6 import isValid

from kiosk.camera import FrameDecoder, PixelFormat
from ui.kiosk.camera import source as source_mod
from ui.kiosk.camera.choice import CameraDialog
from ui.kiosk.camera.convert import capture
from ui.kiosk.camera.devices import (
    CameraChoice,
    CameraDevice,
    ChoiceKind,
    FormatInfo,
    pick_format,
    resolve,
)
from ui.kiosk.camera.preview import CameraPreview
from ui.kiosk.camera.source import CameraState, QtCamera, VideoSource

UNHURRIED = FrameDecoder(budget_ms=10_000)


@pytest.fixture(scope="module")
def badge():
    return cf.mixed_frames(3, seed=31)[0]


# --- frames as the decoder takes them -------------------------------------------------------------------

@pytest.mark.parametrize("fmt", [P.Format_YUV420P, P.Format_NV12, P.Format_YV12, P.Format_Y8])
def test_a_planar_frame_gives_its_luminance_plane_with_its_stride(fmt):
    img = Image.effect_noise((1283, 721), 60).convert("L")      # an odd width: rows are padded
    c = capture(video_frame(img, fmt, start_us=40_000))
    assert c is not None and not c.fallback
    raw = c.raw
    assert (raw.width, raw.height, raw.format) == (1283, 721, PixelFormat.GRAY) and raw.stride >= 1283
    rows = [bytes(raw.data[y * raw.stride:y * raw.stride + 1283]) for y in (0, 360, 720)]
    assert rows == [img.tobytes()[y * 1283:(y + 1) * 1283] for y in (0, 360, 720)]
    assert c.start_us == 40_000 and c.preview.width() == 1283
    assert c.preview.pixelColor(5, 7).red() == img.getpixel((5, 7))


@pytest.mark.parametrize("fmt", [P.Format_YUYV, P.Format_UYVY])
def test_a_packed_yuv_frame_gives_its_luminance_bytes(fmt):
    img = Image.effect_noise((642, 361), 60).convert("L")
    c = capture(video_frame(img, fmt))
    assert c is not None and c.raw.format == PixelFormat.GRAY and not c.fallback
    assert bytes(c.raw.data) == img.tobytes()


@pytest.mark.parametrize("fmt, pixel", [(P.Format_BGRA8888, PixelFormat.BGRA), (P.Format_BGRX8888, PixelFormat.BGRX),
                                        (P.Format_RGBA8888, PixelFormat.RGBA), (P.Format_RGBX8888, PixelFormat.RGBX)])
def test_rgb_frames_are_handed_over_as_they_are_and_read(fmt, pixel, badge):
    c = capture(video_frame(badge.image, fmt))
    assert c is not None and c.raw.format == pixel and not c.fallback
    assert c.preview.pixelColor(100, 100).getRgb()[:3] == badge.image.getpixel((100, 100))  # the preview in colour
    result = UNHURRIED.decode(c.raw)
    assert result is not None and result.text == badge.payload


@pytest.mark.qt_log_ignore("No RHI backend")             # toImage() says so once on a machine without a GPU
def test_other_formats_go_through_to_image_and_are_read(badge):
    c = capture(video_frame(badge.image, P.Format_XRGB8888))
    assert c is not None and c.fallback and c.raw.format == PixelFormat.BGRX
    result = UNHURRIED.decode(c.raw)
    assert result is not None and result.text == badge.payload


def test_yuv_frames_of_a_degraded_badge_are_read(badge):
    for fmt in (P.Format_NV12, P.Format_YUYV):
        result = UNHURRIED.decode(capture(video_frame(badge.image, fmt)).raw)
        assert result is not None and result.text == badge.payload


def test_an_empty_frame_is_nothing():
    assert capture(QVideoFrame()) is None


# --- the choice, remembered ------------------------------------------------------------------------------

@given(st.text(max_size=40), st.text(max_size=40))
def test_a_device_choice_survives_the_setting(ident, description):
    choice = CameraChoice(ChoiceKind.DEVICE, ident, description)
    assert CameraChoice.from_setting(choice.to_setting()) == choice


def test_settings_that_are_not_a_choice_mean_the_default():
    assert CameraChoice.from_setting(None) == CameraChoice.from_setting("") == CameraChoice()
    assert CameraChoice.from_setting("{broken") == CameraChoice.from_setting("[1]") == CameraChoice()
    assert CameraChoice.from_setting("none").kind == ChoiceKind.NONE


def test_a_camera_is_found_by_id_else_by_description_and_never_replaced():
    moved = CameraDevice("usb-port-2", WEBCAM.description)
    assert resolve(CameraChoice.device(WEBCAM), [LAPTOP, WEBCAM]) == WEBCAM
    assert resolve(CameraChoice.device(WEBCAM), [LAPTOP, moved]) == moved        # the same webcam, another port
    assert resolve(CameraChoice.device(WEBCAM), [LAPTOP]) is None                 # waited for, not replaced
    assert resolve(CameraChoice(), [LAPTOP, WEBCAM]) == WEBCAM                    # the system's default
    assert resolve(CameraChoice(), [LAPTOP]) == LAPTOP
    assert resolve(CameraChoice(ChoiceKind.NONE), [WEBCAM]) is None


def test_the_format_asked_for_is_720p_at_15_fps_or_more_uncompressed_first():
    formats = [FormatInfo(640, 480, 30, False), FormatInfo(1280, 720, 10, False), FormatInfo(1280, 720, 30, True),
               FormatInfo(1920, 1080, 30, True), FormatInfo(1280, 720, 30, False)]
    assert pick_format(formats) == 4
    assert pick_format(formats[:4]) == 2                      # MJPEG at 30 fps before raw at 10 fps
    assert pick_format([FormatInfo(640, 480, 30, False), FormatInfo(1920, 1080, 30, False)]) == 1
    assert pick_format([FormatInfo(320, 240, 5, False)]) == 0
    assert pick_format([]) is None


def test_the_staff_dialog_lists_the_cameras_a_missing_one_and_none(qtbot):
    d = CameraDialog([LAPTOP], CameraChoice.device(WEBCAM))
    qtbot.addWidget(d)
    texts = [b.text() for b, _ in d.options]
    assert texts[0] == "Integrated Camera"
    assert texts[1] == "HD Webcam C270  (tidak terpasang)"
    assert texts[2] == "Tanpa kamera (pemindai saja)"
    assert d.options[1][0].isChecked()                        # still the choice, waited for
    d.options[0][0].setChecked(True)
    d._accept()
    assert d.choice == CameraChoice.device(LAPTOP)
    off = CameraDialog([], CameraChoice(ChoiceKind.NONE))
    qtbot.addWidget(off)
    assert [b.text() for b, _ in off.options] == ["Tanpa kamera (pemindai saja)"] and off.options[0][0].isChecked()


# --- the source's states ---------------------------------------------------------------------------------

@pytest.fixture
def make_source(qtbot):
    made = []

    def make(cameras=(), permission=Qt.PermissionStatus.Granted):
        devices, opener, frames = FakeDevices(cameras), Opener(), []
        src = VideoSource(frames.append, devices=devices, open_camera=opener, permission=lambda: permission)
        made.append(src)
        return src, devices, opener, frames
    yield make
    for src in made:
        src.stop()


def states(src):
    seen = [src.state]
    src.stateChanged.connect(seen.append)
    return seen


def test_frames_from_a_source_being_replaced_are_ignored(qtbot, make_source, badge):
    src, devices, opener, frames = make_source([WEBCAM, LAPTOP])
    src.use(CameraChoice.device(WEBCAM))
    old = opener.last
    src._frame(old, video_frame(badge.image))
    src.use(CameraChoice.device(LAPTOP))                    # switched: the webcam's frame still in flight
    src._frame(old, video_frame(badge.image))
    assert len(frames) == 1 and src.handle is opener.last and opener.last.device == LAPTOP


def test_no_camera_then_one_is_plugged_in(qtbot, make_source, badge):
    src, devices, opener, frames = make_source()
    src.use(CameraChoice())
    assert src.state == CameraState.NO_CAMERA and opener.opened == []
    devices.plug(WEBCAM)
    qtbot.waitUntil(lambda: len(opener.opened) == 1, timeout=2000)
    assert len(opener.opened) == 1                            # two change signals, one start (debounced)
    assert src.state == CameraState.STARTING and opener.last.started
    opener.last.push(video_frame(badge.image))
    qtbot.waitUntil(lambda: src.state == CameraState.LIVE, timeout=2000)
    assert len(frames) == 1 and src.frames == 1


def test_the_camera_in_use_is_unplugged_and_plugged_back(qtbot, make_source, badge):
    src, devices, opener, frames = make_source([WEBCAM])
    src.use(CameraChoice.device(WEBCAM))
    opener.last.push(video_frame(badge.image))
    qtbot.waitUntil(lambda: src.state == CameraState.LIVE, timeout=2000)
    first = opener.last
    devices.plug(LAPTOP)                                      # pulled out; only the laptop's camera is left
    qtbot.waitUntil(lambda: src.state == CameraState.UNPLUGGED, timeout=2000)
    assert first.stopped and src.handle is None and len(opener.opened) == 1   # not replaced by the laptop's
    qtbot.waitUntil(lambda: not isValid(first), timeout=2000)                # and let go of
    devices.plug(LAPTOP, CameraDevice("usb-port-3", WEBCAM.description))      # back, in another port
    qtbot.waitUntil(lambda: len(opener.opened) == 2, timeout=2000)
    opener.last.push(video_frame(badge.image))
    qtbot.waitUntil(lambda: src.state == CameraState.LIVE, timeout=2000)
    assert src.device.id == "usb-port-3"


def test_a_chosen_camera_missing_at_start_is_waited_for(qtbot, make_source):
    src, devices, opener, _ = make_source([LAPTOP])
    src.use(CameraChoice.device(WEBCAM))
    assert src.state == CameraState.UNPLUGGED and src.device.description == WEBCAM.description and not opener.opened


def test_a_busy_camera_is_tried_again(qtbot, make_source, monkeypatch, badge):
    src, devices, opener, _ = make_source([WEBCAM])
    src._retry.setInterval(150)
    seen = states(src)
    src.use(CameraChoice())
    opener.last.fail("Could not open the device: Device or resource busy")
    assert src.state == CameraState.BUSY and opener.last.stopped
    qtbot.waitUntil(lambda: len(opener.opened) == 2, timeout=2000)
    assert src.state == CameraState.BUSY                      # the retry keeps its message until frames come
    opener.last.push(video_frame(badge.image))
    qtbot.waitUntil(lambda: src.state == CameraState.LIVE, timeout=2000)
    assert seen == [CameraState.OFF, CameraState.STARTING, CameraState.BUSY, CameraState.LIVE]


def test_a_refused_camera_says_so(qtbot, make_source):
    src, devices, opener, _ = make_source([WEBCAM], permission=Qt.PermissionStatus.Denied)
    src.use(CameraChoice())
    assert src.state == CameraState.DENIED and not opener.opened and src._retry.isActive()
    src2, _, opener2, _ = make_source([WEBCAM])
    src2.use(CameraChoice())
    opener2.last.fail("Camera access is denied (0x80070005)")     # Windows' privacy switch
    assert src2.state == CameraState.DENIED


def test_a_failure_because_the_camera_went_away_is_unplugged(qtbot, make_source):
    src, devices, opener, _ = make_source([WEBCAM])
    src.use(CameraChoice.device(WEBCAM))
    devices.list = []                                         # gone before the system says so
    opener.last.fail("Device disconnected")
    assert src.state == CameraState.UNPLUGGED and not src._retry.isActive()


def test_a_camera_that_sends_nothing_or_stops_is_noticed(qtbot, make_source, monkeypatch, badge):
    monkeypatch.setattr(source_mod, "FIRST_FRAME_MS", 300)
    monkeypatch.setattr(source_mod, "STALL_MS", 300)
    src, devices, opener, _ = make_source([WEBCAM])
    src._watch.setInterval(50)
    src.use(CameraChoice())
    qtbot.waitUntil(lambda: src.state == CameraState.BUSY, timeout=3000)      # opened, but no frame ever
    assert src.detail == "no frames"
    src._retry.setInterval(50)
    src._apply()
    opener.last.push(video_frame(badge.image))
    qtbot.waitUntil(lambda: src.state == CameraState.LIVE, timeout=2000)
    qtbot.waitUntil(lambda: src.state == CameraState.BUSY, timeout=3000)      # then it froze
    assert src.detail == "stopped sending frames"


def test_a_real_qcamera_that_cannot_open_reports_its_error(qtbot, make_source):
    """Qt's own camera on a device that is not there: its error comes through the same path."""
    devices = FakeDevices([WEBCAM])
    src = VideoSource(lambda f: None, devices=devices, permission=lambda: Qt.PermissionStatus.Granted)
    src._retry.setInterval(60_000)
    try:
        src.use(CameraChoice())
        assert isinstance(src.handle, QtCamera) and devices.qt_device(WEBCAM).isNull()
        qtbot.waitUntil(lambda: src.state == CameraState.BUSY, timeout=3000)
        assert src.detail                                     # the backend's words, for the log
    finally:
        src.stop()


def test_off_is_off(make_source):
    src, devices, opener, _ = make_source([WEBCAM])
    src.use(CameraChoice(ChoiceKind.NONE))
    devices.plug(WEBCAM, LAPTOP)
    assert src.state == CameraState.OFF and not opener.opened


# --- the preview ---------------------------------------------------------------------------------------

def test_the_preview_mirrors_the_camera_and_marks_a_code(qtbot, badge):
    view = CameraPreview()
    qtbot.addWidget(view)
    view.setFixedSize(384, 216)
    img = Image.new("L", (1280, 720), 0)
    img.paste(255, (0, 0, 320, 720))                          # the left quarter white
    view.show_frame(capture(video_frame(img)))
    shot = view.grab().toImage()
    assert shot.pixelColor(370, 108).lightness() > 120        # mirrored: white (dimmed outside the guide) on the right
    assert shot.pixelColor(14, 108).lightness() < 60
    view.mirror = False
    shot = view.grab().toImage()
    assert shot.pixelColor(14, 108).lightness() > 120
    assert not view.marked
    view.mark(((600, 300), (700, 300), (700, 400), (600, 400)))
    assert view.marked
    qtbot.waitUntil(lambda: not view.marked, timeout=3000)
    assert view.painted >= 2



def test_the_system_list_follows_qmediadevices(qtbot):
    from ui.kiosk.camera.devices import SystemDevices
    devices = SystemDevices()
    assert all(isinstance(c, CameraDevice) and c.id for c in devices.cameras())
    assert devices.qt_device(CameraDevice("no-such-camera", "")).isNull()
    with qtbot.waitSignal(devices.changed, timeout=1000):
        devices._media.videoInputsChanged.emit()             # what Qt says when a camera is plugged in or out
