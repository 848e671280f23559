"""The child process: the real kiosk (``run_kiosk``: its lock, its log, its window and worker), offscreen,
driven by :class:`harness.driver.Driver`.

    python tests/harness/child.py --db kiosk.db --fd 5 --start 0 --count 40 [--people 4000] [--seed 1]
           [--no-mix] [--no-signature] [--actions N] [--quit] [--sample-every 500] [--stop-file F]
           [--max-seconds 120]

Reports on file descriptor ``--fd`` (stdout without it): ``ready PID`` once the window takes scans, then
what the driver saw (see :mod:`harness.driver`), ``msgbox TEXT`` for any message box (closed at once, as
an organiser would), and ``exit CODE`` when ``run_kiosk`` returns.
"""
from __future__ import annotations

import argparse
import faulthandler
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]      # the worktree's kiosk/ and ui/, and tests/
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from harness.driver import Driver, Person, Pipe  # noqa: E402
from kiosk import demo  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--fd", type=int)
    ap.add_argument("--people", type=int, default=4000, help="the roster's size (demo.people, seed 2024)")
    ap.add_argument("--start", type=int, default=0, help="this child's first person on the roster")
    ap.add_argument("--count", type=int, default=100, help="how many of the roster this child may check in")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-mix", action="store_true", help="everyone signs and presses Enter")
    ap.add_argument("--no-signature", action="store_true")
    ap.add_argument("--actions", type=int, help="stop after this many scans (default: until killed)")
    ap.add_argument("--quit", action="store_true", help="leave the kiosk normally after the last action")
    ap.add_argument("--sample-every", type=int, default=0, help="report memory and latency every N done")
    ap.add_argument("--stop-file", help="finish (and with --quit, leave) once this file exists")
    ap.add_argument("--max-seconds", type=float, default=300.0)
    args = ap.parse_args(argv)

    pipe = Pipe(args.fd)
    roster = list(demo.people(args.people + 40))
    mine = [Person(p.nip, p.name) for p in roster[args.start:args.start + args.count]]
    unknown = [p.nip for p in roster[args.people:]]          # valid NIPs, not on the roster
    faulthandler.dump_traceback_later(45)          # stuck before "ready": every thread's stack into stderr
    app = QApplication(sys.argv[:1])  # noqa: F841  (run_kiosk takes the instance)
    started = time.monotonic()
    driver: list[Driver] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                pipe.say("msgbox", widget.text())
                widget.done(0)
            elif (not driver and type(widget).__name__ == "KioskShell" and widget.isVisible()
                  and getattr(widget.content, "serving", False)):      # the kiosk's window, its check-in part
                faulthandler.cancel_dump_traceback_later()
                pipe.say("ready", os.getpid())
                driver.append(Driver(widget.content, mine, unknown, pipe, seed=args.seed, mix=not args.no_mix,
                                     actions=args.actions, quit_at_end=args.quit, sample_every=args.sample_every,
                                     stop_file=args.stop_file))
        if time.monotonic() - started > args.max_seconds:
            pipe.say("timeout")
            os._exit(3)

    watcher = QTimer()
    watcher.setInterval(20)
    watcher.timeout.connect(look)
    watcher.start()
    from ui.kiosk.app import run_kiosk
    code = run_kiosk(Path(args.db), signature=not args.no_signature)
    pipe.say("exit", code)
    return code


if __name__ == "__main__":
    sys.exit(main())
