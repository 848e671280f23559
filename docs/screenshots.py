"""Render every screen offscreen into docs/: the kiosk's states, the projector, the console.

    .venv/bin/python docs/screenshots.py

It runs on Qt's offscreen platform told it has two screens (a 1366×768 laptop and a 1920×1080
projector, named as Windows names them), so the console shows the projector placed as in a hall.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "configfile" not in os.environ.get("QT_QPA_PLATFORM", ""):
    config = Path(tempfile.mkdtemp()) / "screens.json"
    config.write_text(json.dumps({"screens": [   # in this order the offscreen plugin makes DISPLAY1 primary
        {"name": "\\\\.\\DISPLAY2", "x": 1366, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "dpr": 1},
        {"name": "\\\\.\\DISPLAY1", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    sys.exit(subprocess.run([sys.executable, __file__, *sys.argv[1:]], env=env).returncode)
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPointF, QRectF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import demo  # noqa: E402
from kiosk.security import pin as admin  # noqa: E402
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
        pad._add(QPointF(w * (0.2 + 0.55 * i / 40), h * (0.72 + 0.02 * math.sin(i / 6))), 0.5,
                 1000 + int(t) + 300 + i * 9)
    pad._end()


def pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def emblem(path: Path) -> None:
    """A stand-in emblem (no real agency's logo): a gold star in a white ring."""
    logo = QImage(400, 400, QImage.Format.Format_ARGB32)
    logo.fill(Qt.GlobalColor.transparent)
    p = QPainter(logo)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#f2c14e"))
    p.setPen(QPen(QColor("#ffffff"), 14))
    p.drawEllipse(QRectF(12, 12, 376, 376))
    star = [QPointF(200 + (150 if k % 2 == 0 else 62) * math.sin(k * math.pi / 5),
                    212 - (150 if k % 2 == 0 else 62) * math.cos(k * math.pi / 5)) for k in range(10)]
    p.setBrush(QColor("#0b1f3a"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawPolygon(QPolygonF(star))
    p.end()
    logo.save(str(path))


def display_shots(tmp: Path) -> None:
    from kiosk.ceremony import pledge
    from kiosk.attendance.checkin import Desk
    from ui.display.app import Display
    from ui.display.projector import render_unit_png
    agency = "Pemerintah Kabupaten Sleman"
    logo = tmp / "emblem.png"
    emblem(logo)
    db = tmp / "display.db"
    with Store(db) as s:
        rendered = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": agency})
        import datetime as dt

        from kiosk.attendance.checkin import Abandon
        s.create_event("Apel Ikrar Netralitas ASN", dt.date.today().isoformat(), "Ruang Pola Setda", pledge=rendered)
        people = list(demo.people(412))
        s.upsert_people(people)
        desk = Desk(s)
        for p in people[:287]:
            desk.check_in(p.nip)
        for p, why in zip(people[300:304], (Abandon.TIMED_OUT, Abandon.NEXT_SCAN, Abandon.CANCELLED,
                                            Abandon.TIMED_OUT)):
            desk.identify(p.nip)                       # scanned, walked on unsigned: the desk calls them back
            desk.abandon(p.nip, reason=why)
        for refused in ("199001012019031001", "199105052020121002", "1968041119930310"):
            desk.check_in(refused)                     # not on the roster, not on the roster, unreadable
        s.set_setting("display.logo", str(logo))
    docs = ROOT / "docs"
    render_unit_png(rendered, 2, (1920, 1080), "dark", out=docs / "projector-dark-1920x1080.png", agency=agency,
                    logo=str(logo))
    render_unit_png(rendered, 1, (1366, 768), "light", out=docs / "projector-light-1366x768.png", agency=agency)
    render_unit_png(rendered, 3, (1920, 1080), "contrast", out=docs / "projector-contrast-phrase.png",
                    agency=agency, phrase=1)
    render_unit_png(rendered, 0, (1024, 768), "dark", out=docs / "projector-dark-1024x768.png", agency=agency,
                    logo=str(logo))
    for width, height in SIZES:
        display = Display(db)
        display.open()
        pause(600)
        display.show_console()
        display.place()
        pause(200)
        console = display.console
        console.showNormal()
        console.resize(width, height)
        pause(100)
        display.presentation.set_phrase_mode(True)
        console.phrase_box.setChecked(True)
        display.presentation.go(2)
        display.presentation.next()
        pause(300)
        console.grab().save(str(docs / f"console-{width}x{height}.png"))
        console.tabs.setCurrentIndex(1)
        editor = console.editor
        editor.fields["pemilihan"].setText("Pemilihan Umum Tahun 2024")
        editor._changed()
        editor.save()
        pause(800)
        editor.fields["instansi"].setText("Pemerintah Kabupaten Sleman dan Kecamatan Depok")
        editor._changed()
        pause(100)
        console.grab().save(str(docs / f"console-editor-{width}x{height}.png"))
        console.tabs.setCurrentIndex(0)
        with Store(db) as s:                           # last year's date left on the event: the banner
            s.conn.execute("UPDATE events SET date = '2024-11-04'")
            s.conn.commit()
        display.service.poll_now()
        pause(800)
        console.grab().save(str(docs / f"console-incomplete-{width}x{height}.png"))
        with Store(db) as s:
            s.conn.execute("UPDATE events SET date = date('now', 'localtime')")
            s.conn.commit()
        display.close()


def main() -> None:
    app = QApplication([])
    from ui.kiosk.window import KioskWindow
    from ui.kiosk.service import KioskService
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "shots.db"
    with Store(db) as s:
        demo.seed(s, 120)
        admin.set_pin(s, "246810")
        from kiosk.attendance.checkin import Desk
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
        window.clock.start(7.2)                        # untouched for 53 s: the countdown of the last seconds
        pause(300)
        shot("countdown")
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
    with Store(db) as s:                               # an event left dated another day: the organiser's banner
        s.conn.execute("UPDATE events SET date = '2024-11-04'")
        s.conn.commit()
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
        pause(200)
        window.grab().save(str(ROOT / "docs" / f"kiosk-warning-{width}x{height}.png"))
        window.wedge.remove()
        window._may_close = True
        window.close()
        service.shutdown()
    display_shots(tmp)


if __name__ == "__main__":
    main()
