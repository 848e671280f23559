"""Render every kiosk state offscreen at 1366×768 and 1920×1080 into docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py
"""
from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPointF, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import admin, demo  # noqa: E402
from kiosk.store import Store  # noqa: E402

SIZES = ((1366, 768), (1920, 1080))


def wait(window, state: str) -> None:
    loop = QEventLoop()
    window.stateChanged.connect(lambda s: loop.quit() if s == state else None)
    QTimer.singleShot(5000, loop.quit)
    if window.state != state:
        loop.exec()


def sign(pad) -> None:
    """A cursive signature with real timing, so the ink varies in width as a finger's does."""
    w, h = pad.width(), pad.height()
    t = 0
    pad._begin("mouse", QPointF(w * 0.22, h * 0.62), 0.5, 1000)
    for i in range(1, 260):
        u = i / 260
        x = w * (0.22 + 0.5 * u) + w * 0.025 * math.cos(u * 38)
        y = h * (0.55 - 0.18 * math.sin(u * 38) * (0.6 + 0.4 * math.sin(u * 5)))
        t += 7 + 6 * (1 + math.sin(u * 19))
        pad._add(QPointF(x, y), 0.5, 1000 + int(t))
    pad._end()
    pad._begin("mouse", QPointF(w * 0.2, h * 0.72), 0.5, 1000 + int(t) + 300)
    for i in range(1, 40):
        pad._add(QPointF(w * (0.2 + 0.55 * i / 40), h * (0.72 + 0.02 * math.sin(i / 6))), 0.5, 1000 + int(t) + 300 + i * 9)
    pad._end()


def main() -> None:
    app = QApplication([])
    from ui.kiosk_window import KioskWindow
    from ui.service import KioskService
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "shots.db"
    with Store(db) as s:
        demo.seed(s, 120)
        admin.set_pin(s, "246810")
        from kiosk.checkin import Desk
        desk = Desk(s)
        people = list(demo.people(120))
        for p in people[20:107]:
            desk.check_in(p.nip)
    for width, height in SIZES:
        service = KioskService(db)
        window = KioskWindow(service)
        opened = []
        service.opened.connect(opened.append)
        service.open()
        while not opened:
            app.processEvents()
        window.set_info(opened[0])
        window.resize(width, height)
        window.show()
        app.processEvents()

        def shot(name: str) -> None:
            app.processEvents()
            window.grab().save(str(ROOT / "docs" / f"kiosk-{name}-{width}x{height}.png"))

        shot("idle")
        window.scan(people[width % 7].nip)
        wait(window, "signing")
        shot("identified")
        sign(window.pad)
        window._on_ink(True)
        shot("signing")
        window.confirm()
        wait(window, "done")
        shot("done")
        window.scan(people[30].nip)
        wait(window, "duplicate")
        shot("duplicate")
        window.scan("199001012019031001")
        wait(window, "unknown")
        shot("unknown")
        window.scan("1968041119930310")
        wait(window, "invalid")
        shot("invalid")
        window.wedge.remove()
        window._may_close = True
        window.close()
        service.shutdown()


if __name__ == "__main__":
    main()
