"""Inside the child process: a queue of people driving the real kiosk window (offscreen).

The driver sends what the hardware sends: a scanner's burst of key events (a few ms apart, each with
its timestamp, ended by Enter) through the application, so the real wedge filter reads it; mouse
events on the signature pad; Enter or the Batal button.  It reports on a pipe, unbuffered, what the
screen showed: ``done NIP`` the moment the screen turns to *done* (before it is even painted), the
other result cards, *Belum tercatat* with its text, the latencies and the memory.

People in the queue do what people do (``mix``): most sign and press Enter, some walk on without
pressing it (the next badge records their signature first), some press Batal, some scan twice, some
are not on the roster, some badges are garbage or two glued together, some scanners frame the NIP.
"""
from __future__ import annotations

import contextlib
import math
import os
import random
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from kiosk.people.nip import format_spaced

ANSWERS = {"signing", "done", "duplicate", "unknown", "invalid"}
RESULTS = {"done", "duplicate", "unknown", "invalid"}
STUCK_SECONDS = 60.0                     # no answer for a minute: a hang, not a slow machine


@dataclass(frozen=True, slots=True)
class Person:
    nip: str
    name: str


@dataclass
class Action:
    kind: str              # sign, walk_on, cancel, duplicate, unknown, invalid
    payload: str
    person: Person | None = None


class Pipe:
    """Lines to the parent: one os.write each (atomic below PIPE_BUF), nothing buffered."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    def say(self, *parts: object) -> None:
        line = " ".join(str(p).replace("\n", " ⏎ ") for p in parts)[:3000] + "\n"
        if self.fd is None:
            print(line, end="", flush=True)
            return
        with contextlib.suppress(OSError):              # the parent is gone: nobody to tell
            os.write(self.fd, line.encode("utf-8"))


class Stamps:
    """Event timestamps (ms) that never go backwards and stay near the real monotonic clock."""

    def __init__(self) -> None:
        self.last = int(time.monotonic() * 1000)

    def next(self, gap: int) -> int:
        self.last = max(int(time.monotonic() * 1000), self.last + gap)
        return self.last


def rss_kb() -> int:
    """The resident set size now (Linux /proc), else the peak so far."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


def peak_rss_kb() -> int:
    """The peak resident set size of this process image: /proc's VmHWM (ru_maxrss on Linux keeps the peak of
    the process it was forked from, across exec: a child of a big pytest would report pytest's peak)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if os.uname().sysname == "Darwin" else peak


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def send_key(target, ch: str, stamp: int) -> None:
    code = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab}.get(ch)
    if code is None:
        code = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
    ev = QKeyEvent(QEvent.Type.KeyPress, code, Qt.KeyboardModifier.NoModifier, ch)
    ev.setTimestamp(stamp)
    QApplication.sendEvent(target, ev)
    up = QKeyEvent(QEvent.Type.KeyRelease, code, Qt.KeyboardModifier.NoModifier, ch)
    up.setTimestamp(stamp)
    QApplication.sendEvent(target, up)


def signature_points(width: int, height: int, rng: random.Random) -> list[tuple[float, float]]:
    """A wavy stroke across most of the pad: long and varied enough to be accepted as a signature."""
    n, cycles, phase = rng.randint(50, 90), rng.uniform(2.0, 4.0), rng.uniform(0, math.pi)
    amp = rng.uniform(0.15, 0.3)
    return [(width * (0.12 + 0.74 * i / n), height * (0.5 + amp * math.sin(phase + i / n * cycles * 2 * math.pi)))
            for i in range(n + 1)]


def draw(pad, points: list[tuple[float, float]], stamps: Stamps) -> None:
    for i, (x, y) in enumerate(points):
        kind = (QEvent.Type.MouseButtonPress if i == 0 else
                QEvent.Type.MouseButtonRelease if i == len(points) - 1 else QEvent.Type.MouseMove)
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
        p = QPointF(x, y)
        ev = QMouseEvent(kind, p, p, pad.mapToGlobal(p), Qt.MouseButton.LeftButton, held,
                         Qt.KeyboardModifier.NoModifier, Qt.MouseEventSource.MouseEventNotSynthesized)
        ev.setTimestamp(stamps.next(8))
        QApplication.sendEvent(pad, ev)


def framed(nip: str, rng: random.Random) -> str:
    """How scanners and badges carry a NIP: bare, spaced, ``NIP.`` before it, STX/ETX around it."""
    return rng.choice((nip, nip, format_spaced(nip), f"NIP. {format_spaced(nip)}", f"\x02{nip}\x03",
                       f"https://simpeg.example.go.id/pegawai?nip={nip}"))


def garbage(rng: random.Random, known: list[str]) -> str:
    """A burst that is no badge: letters, a partial NIP with letters, or two NIPs glued together."""
    pick = rng.randrange(3)
    if pick == 0 and len(known) >= 2:
        a, b = rng.sample(known, 2)
        return a + b
    if pick == 1:
        return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(rng.randint(10, 30)))
    return "X" + "".join(rng.choice("0123456789") for _ in range(rng.randint(10, 17)))


class PaintWatch(QObject):
    """Calls ``painted(page)`` at each paint of the watched pages."""

    def __init__(self, painted: Callable[[QObject], None]) -> None:
        super().__init__()
        self.painted = painted

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted(obj)
        return False


class Driver(QObject):
    """Feeds the window one person at a time, as fast as the screen answers; reports what it showed."""

    def __init__(self, window, people: list[Person], unknown: list[str], pipe: Pipe, *, seed: int,
                 mix: bool = True, actions: int | None = None, quit_at_end: bool = False,
                 sample_every: int = 0, stop_file: str | None = None) -> None:
        super().__init__()
        self.window = window
        self.people = list(people)
        self.unknown = list(unknown)
        self.pipe = pipe
        self.rng = random.Random(seed)
        self.mix = mix
        self.left = actions if actions is not None else 10 ** 9
        self.quit_at_end = quit_at_end
        self.sample_every = sample_every
        self.stop_file = stop_file
        self.stamps = Stamps()
        self.action: Action | None = None
        self.inked: Person | None = None        # whose valid signature is on the pad, being saved
        self.outstanding = 0                    # scans and saves sent whose answer has not shown
        self.done: list[str] = []
        self.finished = False
        self.last_change = time.monotonic()
        self.scan_sent: float | None = None
        self.enter_sent: float | None = None
        self.scan_ms: list[float] = []
        self.done_ms: list[float] = []
        self.watch = PaintWatch(self._painted)
        for page in (window.sign_page, window.result_page):
            page.installEventFilter(self.watch)
        self.signing_painted = False
        window.stateChanged.connect(self._state)
        self.tick = QTimer(self)
        self.tick.setInterval(50)
        self.tick.timeout.connect(self._watchdog)
        self.tick.start()
        QTimer.singleShot(0, self.step)

    # --- what the screen shows ------------------------------------------------------------------

    def _state(self, state: str) -> None:
        self.last_change = time.monotonic()
        if state in ANSWERS and self.outstanding:
            self.outstanding -= 1
        if state == "saving":
            self.pipe.say("saving")
        elif state == "signing":
            self.signing_painted = False
        elif state == "done":
            self._done()
        elif state in RESULTS:
            card = self.window.result_page
            title, detail = card.result_title.text(), card.result_detail.text()
            if title == _not_saved_title():
                self.pipe.say("notsaved", self.inked.nip if self.inked else "-", detail)
                self.inked = None                        # that signature was not recorded: it may be drawn again
            else:
                self.pipe.say("result", state, title, "|", detail)
        QTimer.singleShot(0, self.step)

    def _done(self) -> None:
        who = self.inked if self.window.signature_required else (self.action.person if self.action else None)
        shown_name = self.window.result_page.result_name.text()
        if who is None:
            self.pipe.say("mismatch", "?", shown_name)
            return
        self.pipe.say("done", who.nip) if shown_name == who.name else self.pipe.say("mismatch", who.nip, shown_name)
        self.done.append(who.nip)
        self.inked = None
        if self.sample_every and len(self.done) % self.sample_every == 0:
            every = self.sample_every
            self.pipe.say("sample", len(self.done), rss_kb(), peak_rss_kb(),
                          f"{p95(self.scan_ms[-every:]):.2f}", f"{p95(self.done_ms[-every:]):.2f}")

    def _painted(self, page: QObject) -> None:
        now = time.perf_counter()
        w = self.window
        if page is w.sign_page and w.state == "signing":
            self.signing_painted = True
            if self.scan_sent is not None:
                self.scan_ms.append((now - self.scan_sent) * 1000)
                self.scan_sent = None
        elif page is w.result_page and w.state == "done" and self.enter_sent is not None:
            self.done_ms.append((now - self.enter_sent) * 1000)
            self.enter_sent = None

    def _watchdog(self) -> None:
        if self.finished:
            return
        if time.monotonic() - self.last_change > STUCK_SECONDS:
            self.pipe.say("stuck", self.window.state, self.outstanding)
            self.last_change = time.monotonic()
        self.step()

    # --- what the queue does ----------------------------------------------------------------------

    def step(self) -> None:
        w = self.window
        if self.finished or self.outstanding or not w.serving or w.state == "saving":
            return
        if w.state == "signing":
            self._at_the_pad()
        else:
            self._next()

    def _at_the_pad(self) -> None:
        w, a = self.window, self.action
        if a is None or a.person is None:                # someone else's page (a walk-on's next): leave it
            w.cancel_signing()
            return
        if not self.signing_painted and self.scan_sent is not None:
            return                                       # measured from Enter to the page painted
        if a.kind == "cancel":
            w.sign_page.cancel_button.click()
            return
        if w.pad.has_ink():
            return
        self.inked = a.person
        draw(w.pad, signature_points(w.pad.width(), w.pad.height(), self.rng), self.stamps)
        if a.kind == "walk_on" and self.left > 0:        # walks on: the next badge saves this signature first
            self.outstanding += 1
            self._next()
            return
        self.outstanding += 1
        self.enter_sent = time.perf_counter()
        send_key(w, "\r", self.stamps.next(400))

    def _next(self) -> None:
        if self.left <= 0 or not self.people or (self.stop_file and os.path.exists(self.stop_file)):
            self._finish()
            return
        self.left -= 1
        self.action = a = self._choose()
        self.outstanding += 1
        w = self.window
        for ch in a.payload[:-1]:
            send_key(w, ch, self.stamps.next(3))
        self.scan_sent = time.perf_counter()
        send_key(w, a.payload[-1], self.stamps.next(3))

    def _choose(self) -> Action:
        roll = self.rng.random() if self.mix else 0.0
        if roll < 0.70 or not self.mix:
            kind = "sign"
        elif roll < 0.80:
            kind = "walk_on"
        elif roll < 0.85:
            kind = "cancel"
        elif roll < 0.90 and self.done:
            nip = self.rng.choice(self.done)
            return Action("duplicate", framed(nip, self.rng) + "\r")
        elif roll < 0.94 and self.unknown:
            return Action("unknown", framed(self.rng.choice(self.unknown), self.rng) + "\r")
        else:
            return Action("invalid", garbage(self.rng, [p.nip for p in self.people[:50]]) + "\r")
        person = self.people.pop(0)
        payload = framed(person.nip, self.rng) if self.mix else person.nip
        return Action(kind, payload + "\r", person)

    def _finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self.tick.stop()
        self.pipe.say("finished", len(self.done), f"{p95(self.scan_ms):.2f}", f"{p95(self.done_ms):.2f}",
                      rss_kb(), peak_rss_kb())
        if self.quit_at_end:
            w = self.window
            w._may_close = True                         # what the staff menu's "leave the kiosk" does
            w.exitRequested.emit()
            w.close()


def _not_saved_title() -> str:
    from ui.messages import t
    return t("ui.not_saved_title")
