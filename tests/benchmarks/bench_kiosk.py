"""Kiosk screen benchmarks (Qt offscreen): wedge Enter -> result painted, pad cost per sample.

Prints ``name: value`` lines; never fails on a timing.  Run:
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_kiosk.py [--people 100000]
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEvent, QObject, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent, QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import demo  # noqa: E402
from kiosk.security import pin as admin  # noqa: E402
from kiosk.ceremony.ink import InkModel, render_png  # noqa: E402
from kiosk.ceremony.signature import Sample, Signature  # noqa: E402
from kiosk.store import Store  # noqa: E402

from common import kiosk_database  # noqa: E402


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


class PaintWatch(QObject):
    def __init__(self):
        super().__init__()
        self.painted = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--checkins", type=int, default=50_000)
    ap.add_argument("--scans", type=int, default=200)
    args = ap.parse_args()
    app = QApplication([])
    from ui.kiosk.window import KioskWindow
    from ui.kiosk.service import KioskService

    tmp = Path(tempfile.mkdtemp(prefix="ikrar-bench-ui-"))
    db = tmp / "kiosk.db"
    people = list(demo.people(args.people, seed=11))
    kiosk_database(db, people, args.checkins)
    with Store(db) as store:
        admin.set_pin(store, "246810")
    fresh = people[args.checkins:]

    def run(signature_required: bool, sample) -> list[float]:
        service = KioskService(db)
        window = KioskWindow(service, signature_required=signature_required)
        opened = []
        service.opened.connect(opened.append)
        service.open()
        while not opened:
            app.processEvents()
        window.set_info(opened[0])
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        watch = PaintWatch()
        for page in (window.result_page, window.sign_page):
            page.installEventFilter(watch)
        times = []
        stamp = 10_000
        for p in sample:
            window.to_idle()
            app.processEvents()
            for ch in p.nip:
                stamp += 4
                ev = QKeyEvent(QEvent.Type.KeyPress, Qt.Key(ord(ch)), Qt.KeyboardModifier.NoModifier, ch)
                ev.setTimestamp(stamp)
                QApplication.sendEvent(window, ev)
            stamp += 4
            enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
            enter.setTimestamp(stamp)
            watch.painted = False
            start = time.perf_counter()
            QApplication.sendEvent(window, enter)
            while not (watch.painted and window.state in ("signing", "done")):
                app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
            stamp += 1000
        window.wedge.remove()
        window._may_close = True
        window.close()
        service.shutdown()
        return times

    identified = run(True, fresh[:args.scans])
    recorded = run(False, fresh[args.scans:2 * args.scans])
    import resource
    print(f"kiosk_process_peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    print(f"kiosk_people: {args.people}")
    print(f"kiosk_existing_checkins: {args.checkins}")
    print(f"wedge_enter_to_signing_painted_ms_p50: {statistics.median(identified):.2f}")
    print(f"wedge_enter_to_signing_painted_ms_p95: {pct(identified, 95):.2f}")
    print(f"wedge_enter_to_done_painted_ms_p50: {statistics.median(recorded):.2f}")
    print(f"wedge_enter_to_done_painted_ms_p95: {pct(recorded, 95):.2f}")

    # The pad: cost of one pointer sample, end to end (event -> ink model -> dabs painted).
    from ui.kiosk.signature_pad import SignaturePad
    pad = SignaturePad()
    pad.resize(1300, 330)
    pad.show()
    app.processEvents()
    n = 2000
    pts = [QPointF(100 + 1100 * i / n, 165 + 120 * math.sin(i / 40)) for i in range(n)]

    def send(kind, p, t):
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
        ev = QMouseEvent(kind, p, p, pad.mapToGlobal(p), Qt.MouseButton.LeftButton, held,
                         Qt.KeyboardModifier.NoModifier)
        ev.setTimestamp(t)
        QApplication.sendEvent(pad, ev)
    runs = []
    for r in range(5):
        pad.clear()
        send(QEvent.Type.MouseButtonPress, pts[0], 1)
        start = time.perf_counter()
        for i, p in enumerate(pts[1:], start=1):
            send(QEvent.Type.MouseMove, p, 1 + i * 8)
        runs.append((time.perf_counter() - start) / (n - 1) * 1e6)
        send(QEvent.Type.MouseButtonRelease, pts[-1], 1 + n * 8)
    print(f"pad_event_us_per_sample_median: {statistics.median(runs):.1f}")
    model_runs = []
    samples = [Sample(p.x(), p.y(), i * 8.0) for i, p in enumerate(pts)]
    for r in range(5):
        m = InkModel()
        m.begin(samples[0])
        start = time.perf_counter()
        for s in samples[1:]:
            m.add(s)
        model_runs.append((time.perf_counter() - start) / (n - 1) * 1e6)
    print(f"ink_model_us_per_sample_median: {statistics.median(model_runs):.1f}")
    sig = Signature(1300, 330, (tuple(samples[:1000]),))
    renders = []
    for r in range(5):
        start = time.perf_counter()
        render_png(sig)
        renders.append((time.perf_counter() - start) * 1000)
    print(f"render_png_1000_samples_ms_median: {statistics.median(renders):.1f}")


if __name__ == "__main__":
    main()
