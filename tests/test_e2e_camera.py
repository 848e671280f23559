"""End to end with the camera: the real ``ikrar kiosk --windowed --camera-file`` on Xvfb under openbox.

A video of badges exactly as ``ikrar badges`` prints them, held up in a hall (tests/camera_video.py),
stands in for the webcam; xdotool drags the signatures and types the wedge scanner's badges through
the X server alongside it.  One pass of the video: A holds up a badge for three seconds, a long gap,
a stranger's badge, a long gap; the kiosk plays it in a loop, so the test is done before it comes round.
"""
import os

import camera_video as cvid
import numpy as np
import pytest
from PIL import Image
from x11_session import Session, missing_tools, rows, stop

from kiosk import demo
from kiosk.security import pin as admin
from kiosk.store import Store

pytestmark = pytest.mark.x11

if missing_tools():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must have {missing_tools()} (bash .ci/setup test installs them)")
    pytest.skip(f"needs {missing_tools()}", allow_module_level=True)

PIN = "246810"
PEOPLE = list(demo.people(50))          # the first 40 are on the roster
A, B = PEOPLE[2], PEOPLE[3]
STRANGER = PEOPLE[45]


@pytest.fixture(scope="module")
def x():
    session = Session()
    yield session
    session.close()


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    shots = [cvid.Shot.empty(21, 2.0), cvid.Shot.card(cvid.RealBadge.of(A), 22, 3.0), cvid.Shot.empty(23, 16.0),
             cvid.Shot.card(cvid.RealBadge.of(STRANGER), 24, 2.0, qr_px=160, yaw=-20), cvid.Shot.empty(25, 20.0)]
    return cvid.write_video(tmp_path_factory.mktemp("e2e-camera") / "antrean.mp4", shots, fps=15)


def camera_picture(x, window, path):
    """The share of grey pixels (the preview shows the camera's luminance) left of the guide frame,
    where the idle screen is otherwise navy blue."""
    left, top, w, h = x.geometry(window)
    shot = np.asarray(Image.open(x.grab(path)).convert("RGB")).astype(int)
    region = shot[top + int(h * 0.25):top + int(h * 0.5), left + int(w * 0.36):left + int(w * 0.42)]
    r, g, b = region[..., 0], region[..., 1], region[..., 2]
    return float(np.mean((abs(r - g) < 8) & (abs(g - b) < 8)))


def test_a_camera_queue_with_signatures_and_the_wedge_alongside(x, tmp_path, video):
    db = tmp_path / "camera.db"
    with Store(db) as s:
        demo.seed(s, 40)
        admin.set_pin(s, PIN)
    proc = x.start_kiosk(db, "--windowed", "--camera-file", str(video))
    try:
        window = x.kiosk("idle", proc)
        x.activate(window)
        window = x.kiosk("signing", proc)               # A's printed badge, read by the camera
        x.sign(window)
        x.key("Return")                                 # Selesai
        x.kiosk("done", proc)
        x.kiosk("idle", proc, timeout=15)
        assert rows(db, "SELECT nip, method FROM checkins") == [(A.nip, "camera")]
        assert camera_picture(x, window, tmp_path / "idle.png") > 0.9      # the preview, painted by the X server
        x.scan(B.nip)                                   # the wedge scanner, the camera still watching the hall
        window = x.kiosk("signing", proc)
        x.sign(window)
        x.key("Return")
        x.kiosk("unknown", proc, timeout=40)            # the stranger's badge is refused on the screen
        found = rows(db, "SELECT c.nip, c.method, s.sample_count > 20 FROM checkins c "
                         "LEFT JOIN signatures s ON s.checkin_uuid = c.uuid ORDER BY c.id")
        log = rows(db, "SELECT reason, nip, method FROM scan_log ORDER BY at")
    finally:
        out = stop(proc)
    assert found == [(A.nip, "camera", 1), (B.nip, "wedge", 1)], out
    assert [r for r in log if r[1] == A.nip] == [("recorded", A.nip, "camera")]      # 3 s in view: once
    assert ("unknown", STRANGER.nip, "camera") in log
    assert "Traceback" not in out, out
