"""An X session for the end-to-end tests: Xvfb with a window manager (openbox), driven by xdotool.

A window manager matters: it frames windows (a title bar takes height), gives and takes the focus,
minimises, shows the desktop (Super+D) and switches workspaces, all things a person in a queue can
do to a kiosk.  xdotool sends real X11 key and pointer events through the X server, so the kiosk
sees what it would see from a wedge scanner typing a badge and a finger dragging on the pad.
"""
from __future__ import annotations

import math
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEEDED = ("Xvfb", "xdotool", "openbox", "xwininfo")
SCANNER_GAP_MS = 3            # a USB scanner types a badge a few ms a key
HUMAN_GAP_MS = 110            # a person types at 80-250 ms a key
_GRAB = ("import sys\nfrom PySide6.QtGui import QGuiApplication\napp = QGuiApplication([])\n"
         "sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)\n")


def _urgent() -> None:
    """Run ahead of other work on a shared machine: key timing is what the kiosk reads (root only)."""
    try:
        os.nice(-10)
    except OSError:
        pass


def missing_tools() -> list[str]:
    return [tool for tool in NEEDED if not shutil.which(tool)]


class Session:
    """Xvfb on a free display number, openbox on it; stopped with :meth:`close`."""

    def __init__(self, size: str = "1366x768") -> None:
        # The X server stamps each key with its time: on a busy machine it must not sit descheduled between
        # the keys of a burst, nor bunch up a person's keys into one.
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", f"{size}x24", "-nolisten", "tcp",
                                      "-noreset"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     preexec_fn=_urgent)
        self.display = ":" + self.xvfb.stdout.readline().strip()
        self.env = {**os.environ, "DISPLAY": self.display}
        self.wm = subprocess.Popen(["openbox", "--sm-disable"], env=self.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            probe = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=self.env, capture_output=True,
                                   text=True) if shutil.which("xprop") else None
            if probe is None or "window id" in probe.stdout:
                break
            time.sleep(0.1)
        time.sleep(0.3)

    def close(self) -> None:
        for proc in (self.wm, self.xvfb):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.xvfb.stdout is not None:
            self.xvfb.stdout.close()

    # --- xdotool -----------------------------------------------------------------------------------

    def xdo(self, *args: object, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["xdotool", *map(str, args)], env=self.env, capture_output=True, text=True,
                              timeout=60, check=check, preexec_fn=_urgent)

    def windows(self, name: str, *, visible: bool = True) -> list[str]:
        args = ["search", *(["--onlyvisible"] if visible else []), "--name", name]
        return self.xdo(*args, check=False).stdout.split()

    def wait_for(self, name: str, proc: subprocess.Popen | None = None, timeout: float = 30.0,
                 visible: bool = True) -> str:
        """The id of the window whose title matches the regular expression ``name``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise AssertionError(f"the kiosk exited ({proc.returncode}):\n{proc.communicate()[0]}")
            found = self.windows(name, visible=visible)
            if found:
                return found[0]
            time.sleep(0.1)
        titles = self.xdo("search", "--name", ".", "getwindowname", "%@", check=False).stdout
        raise AssertionError(f"no window {name!r} after {timeout} s; windows: {titles!r}")

    def wait_gone(self, name: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.windows(name):
                return
            time.sleep(0.1)
        raise AssertionError(f"the window {name!r} is still there after {timeout} s")

    def kiosk(self, state: str, proc: subprocess.Popen | None = None, timeout: float = 30.0) -> str:
        return self.wait_for(f"^Ikrar Kiosk \\[{state}\\]", proc, timeout)

    def title(self, window: str) -> str:
        return self.xdo("getwindowname", window, check=False).stdout.strip()

    def active(self) -> str:
        return self.xdo("getactivewindow", check=False).stdout.strip()

    def viewable(self, window: str) -> bool:
        out = subprocess.run(["xwininfo", "-id", window], env=self.env, capture_output=True, text=True).stdout
        return "IsViewable" in out

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """Where the window's inside is on the screen (xwininfo: xdotool counts a frame's offset twice)."""
        out = subprocess.run(["xwininfo", "-id", window], env=self.env, capture_output=True, text=True).stdout
        g = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}
        return (int(g["Absolute upper-left X"]), int(g["Absolute upper-left Y"]), int(g["Width"]),
                int(g["Height"]))

    def activate(self, window: str) -> None:
        self.xdo("windowactivate", "--sync", window, check=False)

    # xdotool's --delay is split between a key's press and its release: twice the gap between presses.

    def scan(self, text: str) -> None:
        """A USB scanner: a burst into whatever has the keyboard, then Return."""
        self.xdo("type", "--delay", 2 * SCANNER_GAP_MS, text + "\n")

    def type_by_hand(self, text: str, gap_ms: int = HUMAN_GAP_MS) -> None:
        """A person typing: ``gap_ms`` between one key press and the next."""
        self.xdo("type", "--delay", 2 * gap_ms, text)

    def key(self, *keys: str) -> None:
        self.xdo("key", "--delay", 80, *keys)

    def sign(self, window: str, *, top: float = 0.62, height: float = 0.06) -> None:
        """A finger dragging a wavy signature across the pad (the lower part of the signing page)."""
        x0, y0, w, h = self.geometry(window)
        chain: list[object] = []
        for i in range(61):
            x = x0 + w * (0.25 + 0.5 * i / 60)
            y = y0 + h * (top + height * math.sin(i / 60 * 6 * math.pi))
            chain += ["mousemove", int(x), int(y)]
            if i == 0:
                chain += ["mousedown", 1]
            chain += ["sleep", "0.01"]
        chain += ["mouseup", 1]
        self.xdo(*chain)

    def grab(self, path: Path) -> Path:
        """The whole screen as the X server shows it, as a PNG (Qt's own grab in a short-lived process)."""
        out = subprocess.run([sys.executable, "-c", _GRAB, str(path)], env={**self.env, "QT_QPA_PLATFORM": "xcb"},
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return path

    # --- the app -----------------------------------------------------------------------------------

    def start_kiosk(self, db: Path | str, *extra: str, cwd: Path | None = None) -> subprocess.Popen:
        env = {**self.env, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
        return subprocess.Popen([sys.executable, "-m", "ui", "--db", str(db), "kiosk", *extra], env=env,
                                cwd=str(cwd or ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def rows(db: Path, sql: str, args: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def wait_for_rows(db: Path, sql: str, args: tuple = (), timeout: float = 15.0) -> list[tuple]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = rows(db, sql, args)
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"nothing in the database for: {sql}")


def ikrar_json(db: Path, *args: str) -> object:
    """``ikrar --db DB … --json`` in its own process, as an organiser runs it."""
    import json
    out = subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), *args, "--json"], capture_output=True,
                         text=True, timeout=60, cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)
