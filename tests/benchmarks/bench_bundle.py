"""The bundle (issue 16): its folder's size, and cold start to the kiosk's idle screen, frozen and from source,
against a bare QApplication with one window started the same way in the same run and timed the same way.

    python tests/benchmarks/bench_bundle.py [--bundle dist/ikrar] [--runs 7]

Without ``--bundle`` (or ``$IKRAR_BUNDLE``) it builds one with build.spec into a temporary folder.  A bare
frozen app (QApplication + one QWidget, frozen with PyInstaller's defaults) is built too, as the frozen
baseline.  Each start is a new process on Xvfb with a window manager (openbox), timed from the process's
start until its window is on the X server with its title (``Ikrar Kiosk [idle]`` for the kiosk, given once
the idle screen's first frame, the event and the count on it, is painted: ui.kiosk.shell; the bare window
is titled ``bare [idle]`` once its own first frame is painted).  For the kiosk
also until a badge scanned the moment that window is there has its signing page on the screen
(``first_scan_*``: the rest loaded, the database opened, the person looked up; the badge's own typing
included, about 0.1 s).  The processes are then stopped.  The runs
interleave bare / kiosk from source / kiosk frozen / bare frozen, after one warm-up of each, so the files
are in the page cache for all alike ("cold" is a new process, not a cold disk).  Medians are printed as
``name: value`` lines with the ratios; nothing here fails on time.

Size: the files themselves (what Windows Explorer shows as "Size"; links not counted), the blocks they take
on this disk, and the folder as a zip (what a hall laptop downloads; links stored as links).  The bundle
built here is this machine's (Linux), which leaves X11, PulseAudio and GLib to the system as a Windows
bundle leaves Windows' DLLs; it carries ICU (3.7 MB of data, 5.6 MB of code) where Windows has its own.  On
Linux build.spec also puts 20 KB stand-ins in place of Qt Quick and QML (16.6 MB with QmlModels, QmlMeta and
QmlWorkerScript; the FFmpeg camera plugin links them for two symbols it never reaches), lets psycopg's libpq use
the bundle's OpenSSL instead of its own (6.9 MB) and takes patchelf's 2 MB of zeros out of Pillow's libXau; a
Windows bundle built the same way keeps the real Quick and QML and each wheel's own DLLs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import stat
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from x11_session import Session, missing_tools  # noqa: E402

BUDGET_MB = 150
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget


class Bare(QWidget):
    first = True

    def paintEvent(self, event):
        if self.first:                      # titled once its first frame is on the screen, as the kiosk is
            self.first = False
            QTimer.singleShot(0, self.shown)

    def shown(self):
        self.setWindowTitle("bare [idle]")
        QGuiApplication.sync()


app = QApplication(sys.argv[:1])
w = Bare()
w.setWindowTitle("bare")
w.resize(1366, 768)
w.show()
sys.exit(app.exec())
"""


def pyinstaller() -> str:
    return shutil.which("pyinstaller") or str(Path(sys.executable).parent / "pyinstaller")


def build_bundle(work: Path) -> Path:
    subprocess.run([pyinstaller(), "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
                    "--workpath", str(work / "build"), str(ROOT / "build.spec")], cwd=ROOT, check=True,
                   capture_output=True, timeout=1800)
    return work / "dist" / "ikrar"


def build_bare(work: Path) -> Path:
    script = work / "bare.py"
    script.write_text(BARE)
    subprocess.run([pyinstaller(), "--noconfirm", "--log-level", "WARN", "--onedir", "--name", "bare",
                    "--distpath", str(work / "bare-dist"), "--workpath", str(work / "bare-build"),
                    "--specpath", str(work), str(script)], check=True, capture_output=True, timeout=1800)
    return work / "bare-dist" / "bare" / "bare"


def sizes(folder: Path, work: Path) -> dict[str, float]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    apparent = sum(p.stat().st_size for p in files)
    blocks = sum(getattr(p.stat(), "st_blocks", 0) * 512 for p in files)
    zipped = work / "bundle.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_symlink():                       # a link stays a link (ikrar-kiosk -> ikrar), as unzip makes it
                info = zipfile.ZipInfo(str(p.relative_to(folder.parent)))
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                z.writestr(info, os.readlink(p))
            elif p.is_file():
                z.write(p, p.relative_to(folder.parent))
    return {"bundle_size_mb": apparent / 1e6, "bundle_on_disk_mb": blocks / 1e6,
            "bundle_zip_mb": zipped.stat().st_size / 1e6, "bundle_files": float(len(files))}


def _wait(session: Session, proc: subprocess.Popen, title: str, started: float, timeout: float) -> float:
    while time.perf_counter() - started < timeout:
        if session.windows(title):
            return time.perf_counter() - started
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited ({proc.returncode}) before its window {title!r}")
        time.sleep(0.005)
    shown = [session.title(w) for w in session.windows(".")]
    raise RuntimeError(f"{proc.args[0]}: no window {title!r} after {timeout} s (windows: {shown})")


def time_start(session: Session, command: list[str], title: str, env: dict[str, str], timeout: float = 60,
               badge: str | None = None) -> tuple[float, float | None]:
    """Seconds from starting ``command`` until a window titled ``title`` (a regular expression) is shown; with
    ``badge``, also until that badge, scanned (typed as a USB scanner types it) the moment the window is
    there, has been looked up and its signing page is on the screen: the kiosk serving, not only painted."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(ROOT))
    try:
        shown = _wait(session, proc, title, started, timeout)
        if badge is None:
            return shown, None
        window = session.windows(title)[0]
        if session.active() != window:             # openbox keeps the focus where the last start's keys went
            session.activate(window)
        session.scan(badge)
        return shown, _wait(session, proc, r"^Ikrar Kiosk \[signing\]", started, timeout)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        deadline = time.monotonic() + 10
        while session.windows(title) and time.monotonic() < deadline:
            time.sleep(0.02)


def prepared_database(bundle_exe: Path, folder: Path) -> tuple[Path, list[str]]:
    """A demo event of 300 with a PIN, and the NIPs on its roster (one badge scanned per start)."""
    db = folder / "bench.db"
    subprocess.run([str(bundle_exe), "--db", str(db), "demo", "--people", "300"], check=True, capture_output=True)
    subprocess.run([str(bundle_exe), "--db", str(db), "admin", "pin"], input="246813\n", text=True, check=True,
                   capture_output=True)
    with sqlite3.connect(db) as conn:
        nips = [row[0] for row in conn.execute("SELECT nip FROM people WHERE length(nip) = 18 ORDER BY nip")]
    conn.close()
    return db, nips


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", default=os.environ.get("IKRAR_BUNDLE"), help="a built dist/ikrar folder")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ikrar-bench-bundle-"))
    try:
        started = time.perf_counter()
        folder = Path(args.bundle) if args.bundle else build_bundle(work)
        if not args.bundle:
            print(f"bundle_build_s: {time.perf_counter() - started:.1f}")
        exe = ".exe" if os.name == "nt" else ""
        for name, value in sizes(folder, work).items():
            print(f"{name}: {value:.1f}" if name != "bundle_files" else f"{name}: {value:.0f}")
        print(f"bundle_budget_mb: {BUDGET_MB}")
        missing = missing_tools()
        if missing:
            print(f"start_skipped: needs {', '.join(missing)}")
            return 0
        bare_frozen = build_bare(work)
        db, nips = prepared_database(folder / f"ikrar{exe}", work)
        home = work / "home"
        session = Session()
        try:
            base = {**session.env, "QT_QPA_PLATFORM": "xcb", "XDG_DATA_HOME": str(home), "LOCALAPPDATA": str(home)}
            base.pop("IKRAR_DB", None)
            source_env = {**base, "PYTHONPATH": str(ROOT)}
            kiosk = r"^Ikrar Kiosk \[idle\]"
            runs = {
                "bare_source": ([sys.executable, "-c", BARE], "^bare \\[idle\\]$", source_env),
                "kiosk_source": ([sys.executable, "-m", "ui", "--db", str(db), "kiosk", "--windowed"], kiosk,
                                 source_env),
                "kiosk_bundle": ([str(folder / f"ikrar-kiosk{exe}"), "--db", str(db), "--windowed"], kiosk, base),
                "bare_bundle": ([str(bare_frozen)], "^bare \\[idle\\]$", base),
            }
            times: dict[str, list[float]] = {name: [] for name in runs}
            served: dict[str, list[float]] = {name: [] for name in runs if name.startswith("kiosk")}
            for round_ in range(args.runs + 1):                      # round 0: the warm-up, not counted
                for name, (command, title, env) in runs.items():
                    badge = nips[len(served.get(name, ())) % len(nips)] if name in served else None
                    seconds, serving = time_start(session, command, title, env, badge=badge)
                    if round_:
                        times[name].append(seconds)
                        if serving is not None:
                            served[name].append(serving)
        finally:
            session.close()
        median = {name: statistics.median(values) for name, values in times.items()}
        for name, values in times.items():
            print(f"start_{name}_median_s: {median[name]:.3f}")
            print(f"start_{name}_min_max_s: {min(values):.3f} {max(values):.3f}")
        for name, values in served.items():                          # a different badge each start
            print(f"first_scan_{name}_median_s: {statistics.median(values):.3f}")
        print(f"start_runs: {args.runs}")
        print(f"ratio_kiosk_source_vs_bare_source: {median['kiosk_source'] / median['bare_source']:.2f}")
        print(f"ratio_kiosk_bundle_vs_bare_source: {median['kiosk_bundle'] / median['bare_source']:.2f}")
        print(f"ratio_kiosk_bundle_vs_bare_bundle: {median['kiosk_bundle'] / median['bare_bundle']:.2f}")
        print("ratio_budget: 1.5")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
