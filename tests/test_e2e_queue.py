"""End to end, as a real queue of hundreds uses the kiosk (issue 9), and a walk-in (issue 10).

The real ``ikrar kiosk --windowed`` on Xvfb under openbox, driven with xdotool: badges typed as a USB
scanner types them (a burst a few ms a key, then Return), PINs and names typed by hand (85-110 ms a key),
signatures dragged with the pointer, window-manager keys (Alt+F4, Super+D, workspaces).  Every case
checks the database afterwards, and what the screen shows where it matters (a screenshot's pixels).
"""
import datetime as dt
import os
import time
from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image
from x11_session import Session, ikrar_json, missing_tools, rows, stop, wait_for_rows

from kiosk import demo
from kiosk.attendance import checkin as checkin_module
from kiosk.attendance.checkin import Desk
from kiosk.security import pin as admin
from kiosk.store import Store

pytestmark = pytest.mark.x11

if missing_tools():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must have {missing_tools()} (bash .ci/setup test installs them)")
    pytest.skip(f"needs {missing_tools()}", allow_module_level=True)

PIN = "246810"
PEOPLE = list(demo.people(40))
STRANGER = "199001012019031001"                      # a valid NIP, not on the roster


@pytest.fixture(scope="module")
def x():
    session = Session()
    yield session
    session.close()


def make_db(path, **settings):
    with Store(path) as s:
        demo.seed(s, 40)
        admin.set_pin(s, PIN)
        for key, value in settings.items():
            s.set_setting(key, str(value))
    return path


@pytest.fixture
def kiosk(x, tmp_path):
    """Start the kiosk on a fresh database (settings as keyword arguments); stopped afterwards."""
    started = []

    def start(**settings):
        db = make_db(tmp_path / "queue.db", **settings)
        proc = x.start_kiosk(db, "--windowed")
        started.append(proc)
        window = x.kiosk("idle", proc)
        x.activate(window)
        return db, proc, window
    yield start
    for proc in started:
        out = stop(proc)
        assert "Traceback" not in out, out


def pixels(path, box, test):
    """How many pixels inside ``box`` (left, top, width, height) pass ``test(r, g, b)``."""
    image = Image.open(path).convert("RGB")
    left, top, width, height = box
    region = np.asarray(image.crop((left, top, left + width, top + height))).astype(int)
    return int(np.count_nonzero(test(region[..., 0], region[..., 1], region[..., 2])))


def amber(r, g, b):
    return (r > 235) & (g > 170) & (g < 215) & (b > 50) & (b < 110)


def until(read, ok, timeout=10.0):
    """``read()`` once ``ok(value)``, or its last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def checked_in(db):
    return rows(db, "SELECT c.nip, c.method, s.sample_count FROM checkins c "
                    "LEFT JOIN signatures s ON s.checkin_uuid = c.uuid ORDER BY c.id")


def pin_failures(db):
    found = rows(db, "SELECT value FROM settings WHERE key = 'admin_pin_failures'")
    wrong = rows(db, "SELECT count(*) FROM audit_log WHERE action = 'admin.pin_wrong'")[0][0]
    return (found[0][0] if found else "0"), wrong


# --- a valid signature drawn is never lost --------------------------------------------------------------

def test_walk_away_before_the_next_scan_records_the_signature_first(x, kiosk):
    db, proc, window = kiosk()
    first, second = PEOPLE[0], PEOPLE[1]
    x.scan(first.nip)
    window = x.kiosk("signing", proc)
    x.sign(window)                                  # signs, and walks on without pressing Selesai
    x.scan(second.nip)                              # the next in the queue scans
    found = wait_for_rows(db, "SELECT nip, method FROM checkins")
    assert found == [(first.nip, "wedge")]
    assert checked_in(db)[0][2] >= 50               # with the signature drawn
    x.kiosk("signing", proc)                        # the next person is on the page
    reasons = rows(db, "SELECT reason, nip FROM scan_log ORDER BY id")
    assert reasons == [("recorded", first.nip)]


def test_walk_away_before_the_timeout_shows_a_countdown_then_records(x, kiosk, tmp_path):
    db, proc, window = kiosk(**{"kiosk.sign_seconds": 12})
    person = PEOPLE[2]
    x.scan(person.nip)
    window = x.kiosk("signing", proc)
    x.sign(window)
    signed_at = time.monotonic()
    time.sleep(4.5)                                 # the last 10 of 12 seconds: the countdown shows
    shot = x.grab(tmp_path / "countdown.png")
    left, top, width, height = x.geometry(window)
    assert pixels(shot, (left, top + height * 2 // 5, width, height * 3 // 5), amber) > 2000   # over the pad
    assert checked_in(db) == []                     # not yet: the person may still press Selesai
    found = wait_for_rows(db, "SELECT nip, method FROM checkins", timeout=20)
    assert found == [(person.nip, "wedge")] and checked_in(db)[0][2] >= 50
    assert 10 < time.monotonic() - signed_at < 20
    x.kiosk("done", proc)


def test_scans_that_never_sign_are_listed_incomplete_with_their_reason(x, kiosk):
    db, proc, window = kiosk(**{"kiosk.empty_seconds": 6})
    timed_out, cancelled, walked, last = PEOPLE[3], PEOPLE[4], PEOPLE[5], PEOPLE[6]
    x.scan(timed_out.nip)
    x.kiosk("signing", proc)
    x.kiosk("idle", proc, timeout=15)               # nobody touched the empty pad: back to idle
    x.scan(cancelled.nip)
    window = x.kiosk("signing", proc)
    left, top, width, height = x.geometry(window)
    x.xdo("mousemove", left + int(width * 0.08), top + height - 45, "click", 1)     # Batal
    x.kiosk("idle", proc)
    x.scan(walked.nip)
    x.kiosk("signing", proc)
    x.scan(last.nip)                                # the next one scans before the first signed anything
    until(lambda: rows(db, "SELECT count(*) FROM scan_log WHERE reason = 'abandoned'")[0][0], lambda n: n >= 3)
    assert checked_in(db) == []
    status = ikrar_json(db, "status")
    reasons = {i["nip"]: i["reason"] for i in status["incomplete"]}
    assert reasons == {timed_out.nip: "timed_out", cancelled.nip: "cancelled", walked.nip: "next_scan"}
    assert all(i["name"] and i["scanned_at"] for i in status["incomplete"])


# --- a badge never goes into a dialog -----------------------------------------------------------------

def test_badges_during_the_pin_dialog_close_it_and_the_pin_typed_by_hand_still_works(x, kiosk):
    db, proc, window = kiosk()
    for person in PEOPLE[7:12]:                      # five badges, each into an open PIN dialog
        x.activate(window)
        x.key("alt+F4")                             # anyone in the queue can press it
        dialog = x.wait_for("^Panitia$")
        x.activate(dialog)
        x.scan(person.nip)
        x.wait_gone("^Panitia$")
        x.kiosk("signing", proc)
    assert pin_failures(db) == ("0", 0)             # no badge counted as a wrong PIN: nobody locked out
    logged = until(lambda: [nip for (nip,) in rows(db, "SELECT nip FROM scan_log WHERE reason = 'abandoned' "
                                                     "ORDER BY id")], lambda v: len(v) >= 4)
    assert logged == [p.nip for p in PEOPLE[7:11]]  # each badge was a scan (the last is on the page)
    x.key("alt+F4")
    dialog = x.wait_for("^Panitia$")
    x.activate(dialog)
    x.type_by_hand(PIN)                             # a person at 110 ms a key reaches the field
    x.key("Return")
    menu = x.wait_for("^Menu panitia$")
    x.activate(menu)
    x.key("8")                                      # back to the kiosk (5 desk, 6 camera, 7 leaves)
    x.wait_gone("^Menu panitia$")
    assert pin_failures(db) == ("0", 0)


def test_minimised_dialog_super_d_and_another_workspace_leave_the_kiosk_on_top(x, kiosk):
    db, proc, window = kiosk()
    x.key("alt+F4")
    dialog = x.wait_for("^Panitia$")
    x.xdo("windowminimize", dialog)                 # the dialog's minimise: would take the kiosk along
    time.sleep(2)
    assert x.viewable(dialog) and x.viewable(window)
    x.activate(dialog)
    x.key("Escape")
    x.wait_gone("^Panitia$")
    x.key("super+d")                                # show the desktop
    time.sleep(2)
    assert x.viewable(window) and x.active() == window
    x.key("ctrl+alt+Right")                         # another workspace
    time.sleep(2)
    assert x.viewable(window) and x.active() == window
    x.xdo("set_desktop", 0)
    time.sleep(1.5)
    assert x.viewable(window)
    x.scan(PEOPLE[12].nip)                          # and the scanner still types into the kiosk
    x.kiosk("signing", proc)


# --- the organiser sees what is wrong ------------------------------------------------------------------

def test_an_event_dated_another_day_shows_its_warning_and_still_checks_in(x, tmp_path, monkeypatch):
    db = make_db(tmp_path / "dated.db", **{"kiosk.sign_seconds": 60})
    with Store(db) as s:
        s.conn.execute("UPDATE events SET date = '2024-11-04'")
        s.conn.commit()
        later = (dt.datetime.now().astimezone() + dt.timedelta(days=2))
        monkeypatch.setattr(checkin_module, "now", lambda: later)
        Desk(s).check_in(PEOPLE[13].nip)            # a check-in from a laptop whose clock was ahead
    proc = x.start_kiosk(db, "--windowed")
    try:
        window = x.wait_for(r"^Ikrar Kiosk \[idle\] ⚠ event-date clock-behind$", proc)
        time.sleep(0.5)
        shot = x.grab(tmp_path / "banner.png")
        left, top, width, height = x.geometry(window)
        assert pixels(shot, (left, top, width, height // 4), amber) > 20000     # the banner, at the top
        x.activate(window)
        x.scan(PEOPLE[14].nip)                      # not blocking: the queue goes on
        window = x.kiosk("signing", proc)
        x.sign(window)
        x.key("Return")
        wait_for_rows(db, "SELECT 1 FROM checkins WHERE nip = ?", (PEOPLE[14].nip,))
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out
    codes = [w["code"] for w in ikrar_json(db, "status")["warnings"]]
    assert codes == ["event-date", "clock-behind"]


# --- nothing leaks to the queue -------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    nip: str
    name: str
    bare_name: str
    position: str = ""
    unit: str = ""


def test_an_html_name_is_shown_as_its_literal_text_and_a_huge_name_moves_nothing(x, tmp_path):
    red = tmp_path / "red.png"
    Image.new("RGB", (400, 300), (255, 0, 0)).save(red)
    html = f'<h1 style="color:red">Budi</h1><img src="{red}">'
    huge = "W" * 10_000
    db = make_db(tmp_path / "hostile.db")
    with Store(db) as s:
        s.upsert_people([Row(PEOPLE[15].nip, html, html, "Staf", '<b style="color:red">Umum</b>'),
                         Row(PEOPLE[16].nip, huge, huge, huge, huge)])
    proc = x.start_kiosk(db, "--windowed")
    try:
        window = x.kiosk("idle", proc)
        time.sleep(1.5)
        before = x.geometry(window)
        x.activate(window)
        x.scan(PEOPLE[15].nip)
        window = x.kiosk("signing", proc)
        time.sleep(0.5)
        shot = x.grab(tmp_path / "html.png")
        assert pixels(shot, before, lambda r, g, b: (r > 200) & (g < 60) & (b < 60)) < 50   # no red heading, no image
        x.scan(PEOPLE[16].nip)
        time.sleep(1.0)
        window = x.kiosk("signing", proc)
        assert x.geometry(window) == before         # the window did not grow
        shot = x.grab(tmp_path / "huge.png")
        left, top, width, height = before
        pad = pixels(shot, (left, top + height // 2, width, height // 2), lambda r, g, b: (r > 250) & (g > 250) & (b > 250))
        assert pad > 150_000                        # the pad is still there, on screen
    finally:
        out = stop(proc)
    assert "Traceback" not in out, out


# --- issue 10: a walk-in at the kiosk ---------------------------------------------------------------------

def test_an_unknown_walk_in_is_added_from_the_staff_menu_and_signs(x, kiosk):
    db, proc, window = kiosk()
    x.scan(STRANGER)                                # not on this event's roster
    x.kiosk("unknown", proc)
    x.key("alt+F4")                                 # the desk comes over: the staff menu, behind the PIN
    dialog = x.wait_for("^Panitia$")
    x.activate(dialog)
    x.type_by_hand(PIN)
    x.key("Return")
    menu = x.wait_for("^Menu panitia$")
    x.activate(menu)
    x.key("2")                                      # add a guest or someone not on the roster
    form = x.wait_for("^Tambah tamu")
    x.activate(form)
    x.type_by_hand("Budi Santoso", 85)              # the NIP of the unknown scan is already filled in
    x.key("Return")
    x.wait_gone("^Tambah tamu")
    window = x.kiosk("signing", proc)
    x.sign(window)
    x.key("Return")
    found = wait_for_rows(db, "SELECT c.nip, c.method, s.sample_count FROM checkins c "
                              "JOIN signatures s ON s.checkin_uuid = c.uuid")
    assert found[0][0] == STRANGER and found[0][1] == "manual" and found[0][2] >= 50
    person = rows(db, "SELECT p.name, p.kind FROM people p JOIN roster r ON r.nip = p.nip WHERE p.nip = ?",
                  (STRANGER,))
    assert person == [("Budi Santoso", "pns")]
    x.kiosk("done", proc)
    assert ikrar_json(db, "status")["roster"] == 41  # counted among the participants
