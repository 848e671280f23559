"""End to end: the real ``ikrar kiosk`` window on Xvfb under a window manager (openbox), driven with
xdotool as a USB scanner and a finger are.

xdotool sends real X11 key and pointer events through the X server, so the kiosk sees exactly what
it would see from a wedge scanner typing a badge and a person dragging on the pad.  The queue's
cases (walk-aways, badges in dialogs, warnings, leaving the kiosk) are in test_e2e_queue.py.
"""
import os
import time

import pytest
from x11_session import Session, missing_tools, stop, wait_for_rows

from kiosk import demo
from kiosk.security import pin as admin
from kiosk.store import Store

pytestmark = pytest.mark.x11

if missing_tools():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must have {missing_tools()} (bash .ci/setup test installs them)")
    pytest.skip(f"needs {missing_tools()}", allow_module_level=True)


@pytest.fixture(scope="module")
def x():
    session = Session()
    yield session
    session.close()


@pytest.fixture
def kiosk_db(tmp_path):
    db = tmp_path / "e2e.db"
    with Store(db) as s:
        demo.seed(s, 40)
        admin.set_pin(s, "246810")
    return db


def test_scan_sign_and_confirm_with_real_x_events(x, kiosk_db):
    nip = next(demo.people(40)).nip
    proc = x.start_kiosk(kiosk_db, "--windowed")
    try:
        window = x.kiosk("idle", proc)
        x.activate(window)
        x.scan(nip)
        window = x.kiosk("signing", proc)
        x.sign(window)
        x.key("Return")                                            # Enter confirms the signature
        found = wait_for_rows(kiosk_db, "SELECT c.nip, c.method, s.sample_count, length(s.png) FROM checkins c "
                                        "JOIN signatures s ON s.checkin_uuid = c.uuid")
        assert found[0][0] == nip and found[0][1] == "wedge" and found[0][2] >= 50 and found[0][3] > 500
        x.kiosk("done", proc)
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out


def test_windowed_at_1366x768_with_a_title_bar_fits_the_screen(x, kiosk_db):
    proc = x.start_kiosk(kiosk_db, "--windowed")
    try:
        window = x.kiosk("idle", proc)
        time.sleep(2)                                               # the window manager framed it; fitted
        left, top, width, height = x.geometry(window)
        assert top > 0                                              # under a title bar
        assert top + height <= 768 and left >= 0 and left + width <= 1366   # every button inside the screen
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out


def test_no_signature_mode_records_on_the_scan(x, kiosk_db):
    nip = list(demo.people(40))[5].nip
    proc = x.start_kiosk(kiosk_db, "--windowed", "--no-signature")
    try:
        window = x.kiosk("idle", proc)
        x.activate(window)
        x.scan(f"NIP. {nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
        assert wait_for_rows(kiosk_db, "SELECT nip, signature_sha256 FROM checkins") == [(nip, None)]
        x.kiosk("done", proc)
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out


def second_kiosk_is_refused(x, db_path) -> str:
    second = x.start_kiosk(db_path, "--windowed")
    deadline = time.monotonic() + 20
    while second.poll() is None and time.monotonic() < deadline:
        for box in x.windows("^Ikrar Kiosk$"):                     # the refusal: close it as a person would
            x.activate(box)
            x.key("Return")
        time.sleep(0.3)
    out = stop(second)
    assert second.returncode == 1 and "sudah berjalan" in out, out
    return out


def test_a_second_kiosk_on_the_same_database_is_refused(x, kiosk_db):
    first = x.start_kiosk(kiosk_db, "--windowed")
    try:
        x.kiosk("idle", first)
        second_kiosk_is_refused(x, kiosk_db)
    finally:
        stop(first)


def test_a_symlink_or_a_relative_path_to_the_database_is_the_same_kiosk(x, kiosk_db, tmp_path):
    link = tmp_path / "elsewhere" / "link.db"
    link.parent.mkdir()
    link.symlink_to(kiosk_db)
    first = x.start_kiosk(kiosk_db, "--windowed")
    try:
        x.kiosk("idle", first)
        second_kiosk_is_refused(x, link)
        second = x.start_kiosk(os.path.relpath(kiosk_db, tmp_path / "elsewhere"), "--windowed",
                               cwd=tmp_path / "elsewhere")
        deadline = time.monotonic() + 20
        while second.poll() is None and time.monotonic() < deadline:
            for box in x.windows("^Ikrar Kiosk$"):
                x.activate(box)
                x.key("Return")
            time.sleep(0.3)
        out = stop(second)
        assert second.returncode == 1 and "sudah berjalan" in out, out
    finally:
        stop(first)
