"""Start the kiosk window: ``ikrar kiosk``.

One kiosk per database file, whatever path names it: the lock is keyed by the file itself (its
device and inode, after symlinks are resolved), so a symlink, a relative path or a hard link to
the same database cannot start a second kiosk.  The first start asks for the admin PIN and, if
the organiser cancels, says in words why the kiosk needs one and offers to set it or to close.

On a database ready to serve, the idle screen is the first thing done (:mod:`ui.kiosk.shell`): it is
shown from the database's glance, and the store's worker, the check-in window and Qt Multimedia are
loaded once it is painted.  The camera (:mod:`ui.kiosk.camera`) starts after that, so its start-up
never delays "scan your badge"; ``camera_file`` plays a video in the camera's place.
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDir, QLockFile, Qt, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.security.files import tighten
from ui.messages import t

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kiosk.store.glance import Glance

log = logging.getLogger("ikrar.kiosk")
WINDOWED = (1366, 768)


def _say(message: str) -> None:
    """A refusal before any window: on the console if there is one (the GUI script on Windows has none)."""
    if sys.stderr is not None:
        print(message, file=sys.stderr, flush=True)


def database_key(db_path: str | os.PathLike) -> str:
    """What names the database file itself: its device and inode (the resolved path where there is none)."""
    real = Path(db_path).resolve()
    try:
        st = os.stat(real)
    except OSError:
        st = None
    if st is not None and st.st_ino:
        return f"{st.st_dev:x}-{st.st_ino:x}"
    import hashlib  # a file system without inode numbers only
    return hashlib.sha256(os.path.normcase(str(real)).encode()).hexdigest()[:32]


class KioskLock:
    """Held while a kiosk runs on a database: one lock file named by the file's identity in the temporary
    folder, and one beside the real file (another user's kiosk on the same laptop)."""

    def __init__(self, db_path: str | os.PathLike) -> None:
        real = Path(db_path).resolve()
        self.files = [QLockFile(str(Path(QDir.tempPath()) / f"ikrar-kiosk-{database_key(real)}.lock")),
                      QLockFile(str(real) + ".kiosk-lock")]
        for lock in self.files:
            lock.setStaleLockTime(0)              # a crashed kiosk's lock is freed by its dead PID

    def acquire(self, wait_ms: int = 200) -> bool:
        taken = []
        for lock in self.files:
            if not lock.tryLock(wait_ms):
                for held in taken:
                    held.unlock()
                return False
            tighten(Path(lock.fileName()))        # it names the process and host: the owner's alone
            taken.append(lock)
        return True

    def release(self) -> None:
        for lock in self.files:
            lock.unlock()


def fit_window(window: QWidget, size: tuple[int, int] = WINDOWED) -> None:
    """``--windowed``: the window, frame and title bar included, inside the screen's free area."""
    screen = window.screen()
    if screen is None:
        return
    free = screen.availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w, extra_h = max(0, frame.width() - inner.width()), max(0, frame.height() - inner.height())
    w, h = min(size[0], free.width() - extra_w), min(size[1], free.height() - extra_h)
    if (w, h) != (inner.width(), inner.height()):
        window.resize(w, h)
    if not free.contains(window.frameGeometry()):
        window.move(free.x() + max(0, (free.width() - w - extra_w) // 2), free.y())


def run_kiosk(db_path: Path, *, event_id: int | None = None, signature: bool = True, windowed: bool = False,
              camera_file: Path | None = None, first: Glance | None = None) -> int:
    """The kiosk on ``db_path``.  With ``first`` (the database's glance: a database ready to serve) its idle
    screen is shown at once and the rest is loaded after that frame is painted; without, the window is
    shown once the database is open (the first-run PIN, a refusal before any window)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Ikrar Kiosk")
    lock = KioskLock(db_path)
    if not lock.acquire():
        _say(t("ui.already_running", path=str(db_path)))
        from PySide6.QtWidgets import QMessageBox  # a refusal only: the first frame does without
        QMessageBox.critical(None, "Ikrar Kiosk", t("ui.already_running", path=str(db_path)))
        return 1
    try:
        return _run(app, Path(db_path), event_id, signature, windowed, camera_file, first)
    finally:
        lock.release()


def _run(app: QCoreApplication, db_path: Path, event_id: int | None, signature: bool, windowed: bool,
         camera_file: Path | None = None, first: Glance | None = None) -> int:
    from ui.kiosk.shell import KioskShell  # after QApplication: it builds widgets
    shell = KioskShell()
    status: dict = {"code": 0}                      # the exit code; "error": what ended the start
    parts: dict = {}                                  # the service and the check-in window, once built
    keeper: list = []                                 # the Keeper, once the idle screen is up
    cameras: list = []                                # the CameraScanner, once started

    def show() -> None:
        if windowed:                                  # a title bar with no minimise or maximise button
            shell.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.CustomizeWindowHint
                                 | Qt.WindowType.WindowTitleHint | Qt.WindowType.WindowCloseButtonHint)
            shell.resize(*WINDOWED)
            shell.show()
            for ms in (150, 600, 1500):               # once the window manager has framed it
                QTimer.singleShot(ms, lambda: fit_window(shell))
        else:
            shell.showFullScreen()

    def failed(message: str) -> None:
        log.info("the kiosk cannot start: %s", message)
        _say(message)
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.critical(None, "Ikrar Kiosk", message)
        status["code"] = 1
        shell.may_close = True
        app.quit()

    def leave() -> None:
        shell.may_close = True
        for k in keeper:
            k.stop()
        for c in cameras:
            c.stop()
        app.quit()

    def build() -> None:
        """The rest of the kiosk: the log file, the store's worker, the check-in window; then the database is
        opened.  Whatever fails here ends the kiosk and reaches the command line's handler (its message, the
        traceback in the log), as a failure before any window does."""
        try:
            from ui.logs import file_log  # logging.handlers and its imports: after the first frame
            logging_to.enter_context(file_log(db_path))
            from ui.kiosk.service import KioskService
            from ui.kiosk.window import KioskWindow
            with contextlib.suppress(ImportError):   # Qt Multimedia before the worker starts (see ui/worker.py)
                import PySide6.QtMultimedia  # noqa: F401
            service = KioskService(db_path, event_id)
            window = KioskWindow(service, signature_required=signature, idle_page=shell.idle_page,
                                 wedge=shell.wedge)
            for badge in shell.hold(window):         # scanned while this was loading: first in the line
                window.scan(badge)
            window.show_title()
            parts.update(service=service, window=window)
            service.failed.connect(failed)
            service.opened.connect(lambda info: opened(window, info))
            window.exitRequested.connect(leave)
            service.open()
        except BaseException as exc:  # noqa: BLE001 - raised again once the event loop has stopped
            status["error"] = exc
            leave()

    def start_camera(window, info) -> None:
        if cameras or not shell.isVisible():
            return
        from ui.kiosk.camera.scanner import CameraScanner  # Qt Multimedia after the first paint
        camera = CameraScanner(window, parts["service"])
        cameras.append(camera)
        camera.start(info.camera, file=camera_file)

    def prewarm() -> None:
        """The staff's windows (PIN, menu, search, walk-in), ahead of their first use: the start does without."""
        import ui.kiosk.dialogs  # noqa: F401
        import ui.kiosk.staff_dialog  # noqa: F401
        import ui.kiosk.staff_forms  # noqa: F401

    def keep_on_top() -> None:
        from ui.kiosk.keeper import Keeper
        if not keeper and shell.isVisible():
            keeper.append(Keeper(shell, fullscreen=not windowed))

    def opened(window, info) -> None:
        window.set_info(info)
        if not shell.isVisible():
            show()
        QTimer.singleShot(50, window.sounds.load)            # once "scan your badge" is on the screen
        QTimer.singleShot(100, lambda: start_camera(window, info))
        QTimer.singleShot(150, prewarm)
        if not info.has_pin:
            from ui.kiosk.dialogs import first_pin
            if not first_pin(parts["service"], window):     # the organiser chose to close, in words
                _say(t("ui.closed_no_pin"))
                status["code"] = 1
                leave()
                return
            window.start_serving()
        QTimer.singleShot(0, keep_on_top)            # after the first paint: the start does without it

    with contextlib.ExitStack() as logging_to:
        if first is not None:                         # the idle screen now, the rest once it is painted
            shell.idle_page.set_event(first)
            shell.idle_page.set_count(first.present, first.roster)
            shell.painted.connect(build)
            show()
        else:
            build()
        if "error" not in status:
            app.exec()
        for c in cameras:
            c.stop()
        if "window" in parts:
            parts["window"].wedge.remove()
            parts["service"].shutdown()
    if "error" in status:
        raise status["error"]
    return status["code"]
