"""Render the kiosk's idle screen with the camera's live picture, and with an unplugged camera, into docs/.

    .venv/bin/python docs/camera_shots.py

The picture is a synthetic webcam frame (tests/camera_frames.py: a hall, a person holding up their
badge exactly as ``ikrar badges`` prints it, tests/camera_video.RealBadge) handed to the real preview through the real sink, as a YUV camera delivers it: the preview shows its
luminance plane, as on a kiosk.  Decoding is held back so the screen stays on "scan your badge".
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import demo  # noqa: E402
from kiosk.security import pin as admin  # noqa: E402
from kiosk.store import Store  # noqa: E402

SIZES = ((1366, 768), (1920, 1080))


def pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    app = QApplication([])
    import camera_frames as cf
    import camera_video as cvid
    from camera_fakes import WEBCAM, FakeDevices, Opener, video_frame

    from kiosk.attendance.checkin import Desk
    from ui.kiosk.camera.devices import CameraChoice
    from ui.kiosk.camera.scanner import CameraScanner
    from ui.kiosk.service import KioskService
    from ui.kiosk.window import KioskWindow

    db = Path(tempfile.mkdtemp()) / "shots.db"
    with Store(db) as s:
        demo.seed(s, 120)
        admin.set_pin(s, "246810")
        desk = Desk(s)
        for p in list(demo.people(120))[20:107]:
            desk.check_in(p.nip)
    import datetime as dt

    from kiosk.documents.model import DocEvent
    badge = cvid.RealBadge.of(list(demo.people(120))[5], DocEvent(
        "Apel Ikrar Netralitas ASN (demo)", dt.date.today().isoformat(), agency="Pemerintah Kabupaten Contoh",
        agency_unit="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"))
    held = cf.render_card(badge.image, badge.qr_box, badge.payload,
                          cf.Recipe("held-up", qr_px=190, centre=(655, 390), yaw=12, roll=-6, blur=1.1), 4242).image
    for width, height in SIZES:
        service = KioskService(db)
        window = KioskWindow(service)
        opened: list = []
        service.opened.connect(opened.append)
        service.open()
        while not opened:
            app.processEvents()
        window.set_info(opened[0])
        window.resize(width, height)
        window.show()
        devices, opener = FakeDevices([WEBCAM]), Opener()
        scanner = CameraScanner(window, service, devices=devices, open_camera=opener,
                                permission=lambda: Qt.PermissionStatus.Granted)
        scanner.reader.offer = lambda frame: None             # a picture only: the screen stays on idle
        scanner.start(CameraChoice.device(WEBCAM).to_setting())
        opener.last.push(video_frame(held))
        pause(300)
        window.grab().save(str(ROOT / "docs" / f"kiosk-camera-{width}x{height}.png"))
        devices.plug()                                        # the webcam's cable is pulled
        pause(600)
        window.grab().save(str(ROOT / "docs" / f"kiosk-camera-unplugged-{width}x{height}.png"))
        scanner.stop()
        window.wedge.remove()
        window._may_close = True
        window.close()
        service.shutdown()


if __name__ == "__main__":
    main()
