"""End to end: the real ``ikrar kiosk`` window on Xvfb, driven with xdotool as a USB scanner and a finger are.

xdotool sends real X11 key and pointer events through the X server, so the
kiosk sees exactly what it would see from a wedge scanner typing a badge and a
person dragging on the pad.
"""
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from kiosk import demo
from kiosk.security import pin as admin
from kiosk.store import Store

pytestmark = pytest.mark.x11

NEEDED = ("Xvfb", "xdotool")
if not all(shutil.which(tool) for tool in NEEDED):
    if os.environ.get("CI"):
        raise RuntimeError("CI must have Xvfb and xdotool (bash .ci/setup test installs them)")
    pytest.skip("needs Xvfb and xdotool", allow_module_level=True)


@pytest.fixture(scope="module")
def display():
    proc = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp", "-noreset"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    number = proc.stdout.readline().strip()
    yield f":{number}"
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()


def xdo(display, *args, check=True):
    return subprocess.run(["xdotool", *map(str, args)], env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True, timeout=30, check=check)


def wait_for_window(display, state, proc=None, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the kiosk exited ({proc.returncode}):\n{proc.communicate()[0]}")
        found = xdo(display, "search", "--name", f"Ikrar Kiosk \\[{state}\\]", check=False)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.split()[0]
        time.sleep(0.1)
    names = xdo(display, "search", "--name", "Ikrar", "getwindowname", "%@", check=False).stdout
    raise AssertionError(f"no kiosk window in state {state!r} after {timeout} s; windows: {names!r}")


def wait_for_rows(db, sql, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = conn.execute(sql).fetchall()
        finally:
            conn.close()
        if rows:
            return rows
        time.sleep(0.1)
    raise AssertionError(f"nothing in the database for: {sql}")


@pytest.fixture
def kiosk_db(tmp_path):
    db = tmp_path / "e2e.db"
    with Store(db) as s:
        demo.seed(s, 40)
        admin.set_pin(s, "246810")
    return db


def start_kiosk(display, db, *extra):
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    return subprocess.Popen([sys.executable, "-m", "ui", "--db", str(db), "kiosk", "--windowed", *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop(proc):
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def scan_like_a_usb_scanner(display, window, text):
    # No window manager here: put the pointer on the kiosk and give it the keyboard focus.
    xdo(display, "mousemove", "--window", window, 100, 100)
    xdo(display, "windowfocus", window, check=False)
    xdo(display, "type", "--delay", "6", text + "\n")          # a burst, then Return, as the scanner sends


def test_scan_sign_and_confirm_with_real_x_events(display, kiosk_db):
    nip = next(demo.people(40)).nip
    proc = start_kiosk(display, kiosk_db)
    try:
        window = wait_for_window(display, "idle", proc)
        scan_like_a_usb_scanner(display, window, nip)
        window = wait_for_window(display, "signing", proc)
        geometry = xdo(display, "getwindowgeometry", "--shell", window).stdout
        g = dict(line.split("=") for line in geometry.split())
        x0, y0, w, h = int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])
        # A signature across the pad (the lower part of the screen), as a finger drags.
        chain = []
        for i in range(61):
            x = x0 + w * (0.25 + 0.5 * i / 60)
            y = y0 + h * (0.68 + 0.07 * math.sin(i / 60 * 6 * math.pi))
            chain += ["mousemove", int(x), int(y)]
            if i == 0:
                chain += ["mousedown", 1]
            chain += ["sleep", "0.01"]
        chain += ["mouseup", 1]
        xdo(display, *chain)
        xdo(display, "key", "Return")                              # Enter confirms the signature
        rows = wait_for_rows(kiosk_db, "SELECT c.nip, c.method, s.sample_count, length(s.png) FROM checkins c "
                                       "JOIN signatures s ON s.checkin_uuid = c.uuid")
        assert rows[0][0] == nip and rows[0][1] == "wedge" and rows[0][2] >= 50 and rows[0][3] > 500
        wait_for_window(display, "done", proc)
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out


def test_no_signature_mode_records_on_the_scan(display, kiosk_db):
    nip = list(demo.people(40))[5].nip
    proc = start_kiosk(display, kiosk_db, "--no-signature")
    try:
        window = wait_for_window(display, "idle", proc)
        scan_like_a_usb_scanner(display, window, f"NIP. {nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
        rows = wait_for_rows(kiosk_db, "SELECT nip, signature_sha256 FROM checkins")
        assert rows == [(nip, None)]
        wait_for_window(display, "done", proc)
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out


def test_a_second_kiosk_on_the_same_database_is_refused(display, kiosk_db):
    first = start_kiosk(display, kiosk_db)
    try:
        wait_for_window(display, "idle", first)
        second = start_kiosk(display, kiosk_db)
        deadline = time.monotonic() + 20
        while second.poll() is None and time.monotonic() < deadline:
            # the refusal is a message box: close it as a person would
            xdo(display, "search", "--onlyvisible", "--name", "^Ikrar Kiosk$", "windowfocus", "--sync", "key", "Return", check=False)
            time.sleep(0.3)
        out = stop(second)
        assert second.returncode == 1 and "sudah berjalan" in out
    finally:
        stop(first)
