"""Concurrency: everything that opens the kiosk's database at once, and no "database is locked" reaches anyone.

On one kiosk database (WAL), at the same time:

* the kiosk itself (its own process, ``run_kiosk``), checking a queue of people in with signatures;
* a desk-like writer (its own process, one long-lived connection): check-ins by hand with signatures,
  walk-ins, absences (:mod:`harness.desk_writer`);
* the organiser's console (:class:`ui.display.service.DisplayService`, in this process): the live count
  every 0.2 s and a setting saved now and then;
* the command line, one process after another: roster imports (a new list, then the same again), exports
  (SQLite, XLSX, PDF), ``verify``, ``status``, ``attendance``;
* a second kiosk on the same file (through a symlink), which the single-instance lock must refuse.

Afterwards every check-in confirmed by anyone is in the file, the file is whole, and no message a person
could read (the kiosk's cards, the console's count, the command line's output, the desk's refusals, the
log) says the database was locked or shows a traceback.

Full size (``IKRAR_HARNESS_SCALE=full``): 90 s of it.  CI: 12 s.
"""
import csv
import os
import subprocess
import sys
import threading
import time

import pytest
from harness import ROOT, figure, size
from harness.checks import forbidden, health
from harness.parent import KioskChild, kiosk_db

from kiosk import demo
from kiosk.logs import log_path  # the children's log: the user data folder's
from ui.display.service import DisplayService

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the harness's child processes use POSIX pipes")

SECONDS = size(12, 90)
ROSTER, KIOSK_SLICE, DESK_START = 3000, 2000, 2000


def _roster_csv(path, people):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["NIP", "Nama", "Jabatan", "Unit Kerja"])
        for p in people:
            out.writerow([p.nip, p.bare_name, p.position, p.unit])


def _command_line(db, folder, stop, results):
    """The organiser at the command line, one command after another until ``stop`` is set."""
    extra = list(demo.people(ROSTER + 2000))[ROSTER:]
    lists = [folder / "baru-1.csv", folder / "baru-2.csv"]
    _roster_csv(lists[0], extra[:1000])
    _roster_csv(lists[1], extra[1000:])
    env = {**os.environ, "IKRAR_DB": str(db), "PYTHONDONTWRITEBYTECODE": "1"}
    commands = [("roster", "import", str(lists[0])), ("status",), ("export", "sqlite", "-o", str(folder / "e.db"),
                "--force"), ("verify", str(folder / "e.db")), ("roster", "import", str(lists[1])),
                ("export", "xlsx", "-o", "{new}.xlsx"), ("attendance", "--json"), ("roster", "import", str(lists[0])),
                ("export", "pdf", "-o", "{new}.pdf")]
    n = 0
    while not stop.is_set():
        args = [a.replace("{new}", str(folder / f"out-{n}")) for a in commands[n % len(commands)]]
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        results.append((args, done.returncode, done.stdout[-4000:], done.stderr, time.monotonic() - began))
        n += 1


def test_kiosk_desk_console_command_line_and_a_second_kiosk_on_one_database(qtbot, tmp_path, request):
    db = tmp_path / "kiosk.db"
    kiosk_db(db, ROSTER)
    stop_file = tmp_path / "stop"
    kiosk = KioskChild(db, "--people", ROSTER, "--count", KIOSK_SLICE, "--quit", "--stop-file", stop_file,
                       "--max-seconds", SECONDS + 120, stderr=tmp_path / "kiosk.err")
    assert kiosk.wait_for("ready", 90), kiosk.stderr()[-2000:]

    desk = subprocess.Popen([sys.executable, str(ROOT / "tests" / "harness" / "desk_writer.py"), "--db", str(db),
                             "--people", str(ROSTER), "--start", str(DESK_START), "--count", str(ROSTER - DESK_START),
                             "--stop-file", str(stop_file)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    console = DisplayService(db, poll_seconds=0.2)
    counts, count_failed = [], []
    console.counted.connect(counts.append)
    console.countFailed.connect(count_failed.append)
    with qtbot.waitSignal(console.opened, timeout=10000):
        console.open()
    saved, save_failed = [], []
    stop = threading.Event()
    cli: list = []
    cli_thread = threading.Thread(target=_command_line, args=(db, tmp_path, stop, cli), daemon=True)
    cli_thread.start()

    # A second kiosk on the same file, named through a symlink: refused by the lock, never taking scans.
    other = tmp_path / "other-name.db"
    other.symlink_to(db)
    second = KioskChild(other, "--people", ROSTER, "--count", 10, stderr=tmp_path / "second.err")
    assert second.finish(60) == 1
    assert not second.said("ready") and any("Kiosk lain sudah berjalan" in m for m in second.said("msgbox"))

    end = time.monotonic() + SECONDS
    theme = 0
    while time.monotonic() < end:
        theme += 1
        console.set_setting("display.theme", ("dark", "light")[theme % 2], success=saved.append,
                            failure=save_failed.append)
        qtbot.wait(500)
    stop_file.touch()
    stop.set()
    desk_out, desk_err = desk.communicate(timeout=60)
    cli_thread.join(180)
    assert kiosk.wait_for("finished", 60), kiosk.lines[-5:]
    assert kiosk.finish() == 0
    desk_lines = desk_out.splitlines()
    desk_done = {line.split()[1] for line in desk_lines if line.startswith("done ")}
    everyone = len(set(kiosk.done) | desk_done)
    polls = len(counts)
    qtbot.waitUntil(lambda: len(counts) > polls and counts[-1].present >= everyone, timeout=60000)
    console.shutdown()                                  # the console, still counting, saw every check-in
    refused = [line for line in desk_lines if line.startswith(("refused", "crash"))]
    h = health(db)
    assert h.ok, (h.integrity, h.problems[:3])
    assert set(kiosk.done) <= h.nips and desk_done <= h.nips
    assert not refused, refused[:3]
    assert not kiosk.said("notsaved") and not kiosk.said("stuck") and not kiosk.said("mismatch")
    assert not count_failed and not save_failed, (count_failed[:2], save_failed[:2])
    failed = [(args, code, err) for args, code, _, err, _ in cli if code]
    assert not failed, failed[:2]
    said = "\n".join([*kiosk.said("result"), *kiosk.said("msgbox"), desk_out, desk_err, *count_failed,
                      *(out + err for _, _, out, err, _ in cli), log_path().read_text("utf-8"),
                      kiosk.stderr()])
    assert not forbidden(said), forbidden(said)

    kinds = {}
    for args, *_ in cli:
        kinds[" ".join(args[:2])] = kinds.get(" ".join(args[:2]), 0) + 1
    for name, value in (("concurrency_seconds", SECONDS), ("concurrency_kiosk_checkins", len(kiosk.done)),
                        ("concurrency_desk_checkins", len(desk_done)),
                        ("concurrency_desk_operations", sum(1 for line in desk_lines if not line.startswith("bye"))),
                        ("concurrency_console_polls", len(counts)), ("concurrency_console_saves", len(saved)),
                        ("concurrency_cli_commands", len(cli)),
                        ("concurrency_cli_by_kind", ", ".join(f"{k}={v}" for k, v in sorted(kinds.items()))),
                        ("concurrency_cli_seconds", " ".join(f"{c[0][0]}:{c[-1]:.1f}" for c in cli)),
                        ("concurrency_kiosk_finished", kiosk.said("finished")),
                        ("concurrency_second_kiosk_refused", 1), ("concurrency_locked_messages", 0)):
        figure(request.config, name, value)
