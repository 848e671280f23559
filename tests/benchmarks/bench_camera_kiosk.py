"""Camera scanning in the kiosk, on the real Qt Multimedia path (a video file → QMediaPlayer → QVideoSink →
the kiosk's CameraScanner), offscreen.

1. Load: a 30 fps 1280×720 video of hard frames (tests/camera_frames.py), played for ``--seconds``:
   frames delivered by the sink, converted, decoded and dropped a second; the preview's paints; CPU time
   (whole process, GUI thread, decoder thread); the GUI thread's lateness (a 10 ms timer: how late it
   fires while all this runs: a stutter would show here).  The bare baseline is the same video played
   into a sink that does nothing, in the same run.  Three settings: the default cap (15 decodes a second),
   no cap, and a slow decoder (60 ms a frame: an old laptop) with no cap, which only the mailbox protects.
2. Latency: people in a queue hold their printed badge up one after another (signing on): from the first frame
   showing a badge reaching the sink to the signing page showing that person, per person.

Prints ``name: value`` lines; never fails on a timing.  Run:
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_camera_kiosk.py [--seconds 8]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import camera_frames as cf  # noqa: E402
import camera_video as cvid  # noqa: E402
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer, QUrl  # noqa: E402
from PySide6.QtMultimedia import QMediaPlayer, QVideoSink  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import demo  # noqa: E402
from kiosk.camera import FrameDecoder  # noqa: E402
from kiosk.security import pin as admin  # noqa: E402
from kiosk.store import Store  # noqa: E402

from common import kiosk_database  # noqa: E402


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))] if values else float("nan")


def spin(ms: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(round(ms), loop.quit)
    loop.exec()


def hard_video(path: Path, seconds: float, fps: int = 30) -> Path:
    """The 20 hard frames and 4 empty ones, each held 3 frames, round and round."""
    frames = [f.image for f in cf.hard_frames()] + [f.image for f in cf.empty_frames(4)]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (cf.W, cf.H))
    bgr = [cv2.cvtColor(np.asarray(f), cv2.COLOR_RGB2BGR) for f in frames]
    for i in range(round(seconds * fps)):
        writer.write(bgr[(i // 3) % len(bgr)])
    writer.release()
    return path


def threads_cpu() -> dict[str, float]:
    """CPU seconds by thread name (Linux /proc; empty elsewhere)."""
    out: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            name = Path(f"/proc/self/task/{tid}/comm").read_text().strip()
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def threads_line(before: dict[str, float], after: dict[str, float], wall: float) -> str:
    used = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    return ", ".join(f"{k} {v / wall * 100:.1f}%" for k, v in sorted(used.items(), key=lambda kv: -kv[1]) if v > 0.005)


class Lateness:
    """A 10 ms repeating timer on the GUI thread; how late each tick comes is the GUI's stutter."""

    def __init__(self) -> None:
        self.late: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._clock.start()
        self._last = 0
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed() / 1e6
        self.late.append(max(0.0, now - self._last - 10))
        self._last = now

    def stop(self) -> None:
        self._timer.stop()


def bare(video: Path, seconds: float) -> dict[str, float]:
    """The same video into a sink that does nothing: what playback alone costs."""
    player, sink = QMediaPlayer(), QVideoSink()
    player.setVideoSink(sink)
    frames = [0]
    sink.videoFrameChanged.connect(lambda f: frames.__setitem__(0, frames[0] + 1))
    player.setSource(QUrl.fromLocalFile(str(video)))
    lateness = Lateness()
    player.play()
    spin(300)
    start_frames, per_thread = frames[0], threads_cpu()
    cpu, gui, wall = time.process_time(), time.thread_time(), time.perf_counter()
    lateness.start()
    spin(seconds * 1000)
    lateness.stop()
    wall = time.perf_counter() - wall
    out = {"wall": wall, "cpu": time.process_time() - cpu, "gui": time.thread_time() - gui,
           "frames": frames[0] - start_frames, "late": lateness.late,
           "threads": threads_line(per_thread, threads_cpu(), wall)}
    player.stop()
    return out


def loaded(window, service, video: Path, seconds: float, *, decoder=None, max_fps=15.0) -> dict[str, float]:
    from ui.kiosk.camera.scanner import CameraScanner
    scanner = CameraScanner(window, service, decoder=decoder, max_fps=max_fps)
    lateness = Lateness()
    scanner.start(file=video, loops=-1)
    spin(300)                                          # the player opened, frames flowing
    r0, f0, c0, s0, p0 = scanner.reader.stats(), scanner.source.frames, scanner.converted, scanner.shown, \
        scanner.preview.painted
    conv0, paint0 = scanner.convert_ms, scanner.preview.paint_ms
    per_thread = threads_cpu()
    cpu, gui, wall = time.process_time(), time.thread_time(), time.perf_counter()
    lateness.start()
    spin(seconds * 1000)
    lateness.stop()
    wall, cpu, gui = time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - gui
    r1 = scanner.reader.stats()
    out = {"wall": wall, "cpu": cpu, "gui": gui, "frames": scanner.source.frames - f0,
           "converted": scanner.converted - c0, "shown": scanner.shown - s0,
           "painted": scanner.preview.painted - p0, "decoded": r1.decoded - r0.decoded,
           "dropped": r1.dropped - r0.dropped, "decode_ms": (r1.decode_ms - r0.decode_ms),
           "decoder_cpu": (r1.cpu_ms - r0.cpu_ms) / 1000, "convert_ms": scanner.convert_ms - conv0,
           "paint_ms": scanner.preview.paint_ms - paint0, "late": lateness.late, "codes": r1.codes - r0.codes,
           "threads": threads_line(per_thread, threads_cpu(), wall)}
    scanner.stop()
    scanner.window.camera = None
    scanner.setParent(None)
    return out


def report(name: str, m: dict[str, float], base: dict[str, float] | None = None) -> None:
    w = m["wall"]
    print(f"{name}_fps_delivered: {m['frames'] / w:.1f}")
    if "decoded" in m:
        print(f"{name}_fps_decoded: {m['decoded'] / w:.1f}")
        print(f"{name}_fps_dropped: {m['dropped'] / w:.1f}")
        print(f"{name}_fps_preview_shown: {m['shown'] / w:.1f}")
        print(f"{name}_preview_paints_per_s: {m['painted'] / w:.1f}")
        print(f"{name}_codes_read_per_s: {m['codes'] / w:.1f}")
        print(f"{name}_decode_ms_mean: {m['decode_ms'] / max(1, m['decoded']):.2f}")
        print(f"{name}_convert_ms_mean: {m['convert_ms'] / max(1, m['converted']):.3f}")
        print(f"{name}_paint_ms_mean: {m['paint_ms'] / max(1, m['painted']):.2f}")
        print(f"{name}_decoder_cpu_per_s: {m['decoder_cpu'] / w * 100:.1f} %")
    print(f"{name}_cpu_per_s: {m['cpu'] / w * 100:.1f} %")
    print(f"{name}_gui_thread_cpu_per_s: {m['gui'] / w * 100:.1f} %")
    if m.get("threads"):
        print(f"{name}_cpu_by_thread: {m['threads']}")
    print(f"{name}_gui_late_ms_p50: {pct(m['late'], 50):.1f}")
    print(f"{name}_gui_late_ms_p99: {pct(m['late'], 99):.1f}")
    print(f"{name}_gui_late_ms_max: {max(m['late'] or [0]):.1f}")
    if base is not None:
        print(f"{name}_cpu_vs_bare_playback_ratio: {m['cpu'] / w / (base['cpu'] / base['wall']):.2f}")


def latency(window, service, tmp: Path, people, count: int) -> list[float]:
    from ui.kiosk.camera.scanner import CameraScanner
    shots = [cvid.Shot.empty(1, 0.8)]
    for i, p in enumerate(people[:count]):
        shots += [cvid.Shot.card(cvid.RealBadge.of(p), 10 + i, 1.2), cvid.Shot.empty(100 + i, 0.6)]
    video = cvid.write_video(tmp / "queue.mp4", shots, fps=30)
    starts = {payload: int(start * 1e6) for start, _, payload in cvid.timeline(shots) if payload}
    arrivals: dict[str, float] = {}
    shown: dict[str, float] = {}
    scanner = CameraScanner(window, service)
    inner = scanner.source.on_frame

    def on_frame(frame):                               # when each person's first frame reaches the sink
        at, start = time.perf_counter(), frame.startTime()
        for payload, s in starts.items():
            if payload not in arrivals and start >= s and start < s + 1_200_000:
                arrivals[payload] = at
        inner(frame)
    scanner.source.on_frame = on_frame

    def on_state(state):
        if state == "signing" and window.person is not None and window.person.nip not in shown:
            shown[window.person.nip] = time.perf_counter()
    window.stateChanged.connect(on_state)
    scanner.start(file=video, loops=1)
    deadline = time.monotonic() + cvid.timeline(shots)[-1][1] + 5
    while len(shown) < count and time.monotonic() < deadline:
        spin(50)
    scanner.stop()
    window.stateChanged.disconnect(on_state)
    return [(shown[p] - arrivals[p]) * 1000 for p in starts if p in shown and p in arrivals]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--people", type=int, default=8)
    args = ap.parse_args()
    app = QApplication([])
    from ui.kiosk.service import KioskService
    from ui.kiosk.window import KioskWindow

    tmp = Path(tempfile.mkdtemp(prefix="ikrar-bench-camera-"))
    db = tmp / "kiosk.db"
    people = list(demo.people(2000))
    kiosk_database(db, people, 0)
    with Store(db) as s:
        admin.set_pin(s, "246810")
    t = time.perf_counter()
    video = hard_video(tmp / "hard30.mp4", args.seconds + 2)
    print(f"video: {video.stat().st_size / 1e6:.1f} MB, 1280x720 30 fps mp4v, made in {time.perf_counter() - t:.1f} s")

    service = KioskService(db)
    window = KioskWindow(service, signature_required=True)
    opened: list = []
    service.opened.connect(opened.append)
    service.open()
    while not opened:
        app.processEvents()
    window.set_info(opened[0])
    window.resize(1366, 768)
    window.show()
    window._take_next = lambda: None                   # load runs: decode and preview only, no check-ins
    window.scan = lambda payload, method="wedge": None

    base = bare(video, args.seconds)
    report("bare_playback", base)
    report("kiosk_default_cap15", loaded(window, service, video, args.seconds), base)
    report("kiosk_no_cap", loaded(window, service, video, args.seconds, max_fps=None), base)
    real = FrameDecoder()

    class Slow:                                        # an old laptop: every frame costs 60 ms
        guide = real.guide

        def decode(self, frame):
            t0 = time.perf_counter()
            out = real.decode(frame)
            time.sleep(max(0.0, 0.06 - (time.perf_counter() - t0)))
            return out
    report("kiosk_slow_decoder_no_cap", loaded(window, service, video, args.seconds, decoder=Slow(), max_fps=None),
           base)

    del window._take_next, window.scan                 # the real path again: badges into the signing page
    ms = latency(window, service, tmp, people, args.people)
    print(f"frame_to_signing_page_people: {len(ms)}/{args.people}")
    if ms:
        print(f"frame_to_signing_page_ms_median: {statistics.median(ms):.0f}")
        print(f"frame_to_signing_page_ms_p95: {pct(ms, 95):.0f}")
        print(f"frame_to_signing_page_ms_max: {max(ms):.0f}")
    window.wedge.remove()
    window._may_close = True
    window.close()
    service.shutdown()


if __name__ == "__main__":
    main()
