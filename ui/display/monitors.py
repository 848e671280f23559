"""Which screen the projector goes to, and noticing when screens come and go.

The choice is a pure function of a list of :class:`ScreenInfo` (name, geometry, primary)
so it is tested without monitors.  As in OpenLP, screens are ordered by x then y, the
default output is the first non-primary screen, and a remembered choice that no longer
matches falls back *visibly* (the console says why).  The choice is remembered by name
and geometry: a projector that comes back on the same port with the same resolution is
found again; a different one is not silently assumed.  With one screen only, the pledge
is shown as an ordinary window on the laptop rather than vanishing or covering the console.

:class:`ScreenWatcher` folds the bursts of ``screenAdded`` / ``screenRemoved`` /
``primaryScreenChanged`` / ``geometryChanged`` a plug or an OS display change produces
into one ``changed`` signal, 350 ms after the last one (OpenLP's debounce).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen

from ui.messages import t

DEBOUNCE_MS = 350



class ScreenMode(StrEnum):
    AUTO = "auto"            # the first screen that is not the laptop's
    SCREEN = "screen"        # the one the organiser chose (by name and geometry)
    WINDOW = "window"        # a plain window on the laptop


AUTO, SCREEN, WINDOW = ScreenMode


@dataclass(frozen=True, slots=True)
class ScreenInfo:
    name: str
    geometry: tuple[int, int, int, int]      # x, y, width, height (logical pixels)
    primary: bool = False

    @property
    def size(self) -> tuple[int, int]:
        return self.geometry[2], self.geometry[3]


@dataclass(frozen=True, slots=True)
class ScreenChoice:
    """What the organiser asked for: automatic, a screen (name + geometry), or a window on the laptop."""
    mode: ScreenMode = AUTO
    name: str = ""
    geometry: tuple[int, int, int, int] = (0, 0, 0, 0)

    def to_setting(self) -> str:
        return json.dumps({"mode": self.mode, "name": self.name, "geometry": list(self.geometry)})

    @classmethod
    def from_setting(cls, text: str | None) -> ScreenChoice:
        try:
            raw = json.loads(text) if text else {}
            mode = ScreenMode(raw.get("mode", AUTO))
            geometry = tuple(int(v) for v in raw.get("geometry", (0, 0, 0, 0)))
            if len(geometry) != 4:
                return cls()
            return cls(mode, str(raw.get("name", "")), geometry)   # type: ignore[arg-type]
        except (ValueError, TypeError, AttributeError):
            return cls()

    @classmethod
    def of(cls, screen: ScreenInfo) -> ScreenChoice:
        return cls(SCREEN, screen.name, screen.geometry)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the projector goes: ``index`` into the ordered screens, full screen or a window."""
    index: int
    screen: ScreenInfo
    fullscreen: bool
    fallback: bool           # not what was asked for: the console shows ``message`` as a warning
    message: str


def ordered(screens: Sequence[ScreenInfo]) -> list[ScreenInfo]:
    """Screens left to right, then top to bottom (how the organiser sees them in Windows' settings)."""
    return sorted(screens, key=lambda s: (s.geometry[0], s.geometry[1]))


def screen_label(n: int, s: ScreenInfo) -> str:
    return t("display.screen_item", n=n + 1, name=s.name, w=s.size[0], h=s.size[1],
             primary=t("display.screen_primary") if s.primary else "")


def choose(screens: Sequence[ScreenInfo], choice: ScreenChoice = ScreenChoice(),
           requested: int | None = None) -> Placement | None:
    """Decide where the projector goes.  ``requested`` (``--screen N``, 0-based) beats ``choice``.

    Returns None only when there is no screen at all.
    """
    items = ordered(screens)
    if not items:
        return None
    primary = next((i for i, s in enumerate(items) if s.primary), 0)
    problem = ""
    if requested is not None:
        if 0 <= requested < len(items):
            return _full(items, requested, "")
        problem = t("display.fallback_requested", n=requested, count=len(items))
    elif choice.mode == WINDOW:
        return Placement(primary, items[primary], False, False, t("display.window_chosen"))
    elif choice.mode == SCREEN:
        for i, s in enumerate(items):
            if s.name == choice.name and s.geometry == choice.geometry:
                return _full(items, i, "")
        problem = t("display.fallback_remembered", name=choice.name, w=choice.geometry[2], h=choice.geometry[3])
    others = [i for i, s in enumerate(items) if not s.primary]
    if others:
        return _full(items, others[0], problem)
    message = " ".join(x for x in (problem, t("display.fallback_single")) if x)
    return Placement(primary, items[primary], False, True, message)


def _full(items: list[ScreenInfo], i: int, problem: str) -> Placement:
    s = items[i]
    where = t("display.on_screen", n=i + 1, name=s.name, w=s.size[0], h=s.size[1])
    return Placement(i, s, True, bool(problem), f"{problem} {where}" if problem else where)


# --- Qt side -----------------------------------------------------------------------------------------

def info_of(screen: QScreen, primary: QScreen | None) -> ScreenInfo:
    g = screen.geometry()
    return ScreenInfo(screen.name() or screen.model() or "?", (g.x(), g.y(), g.width(), g.height()),
                      screen is primary or (primary is not None and screen.name() == primary.name()
                                            and screen.geometry() == primary.geometry()))


def current_screens(app: QGuiApplication | None = None) -> list[tuple[ScreenInfo, QScreen]]:
    """The real screens, ordered as :func:`ordered` orders them, each with its QScreen."""
    app = app or QGuiApplication.instance()
    primary = app.primaryScreen()
    pairs = [(info_of(s, primary), s) for s in app.screens()]
    return sorted(pairs, key=lambda pair: (pair[0].geometry[0], pair[0].geometry[1]))


class ScreenWatcher(QObject):
    """One ``changed`` signal, :data:`DEBOUNCE_MS` after the last of a burst of screen changes.

    ``source`` is the application (or, in tests, any object with the same three signals).
    """
    changed = Signal()

    def __init__(self, source: QObject | None = None, parent: QObject | None = None,
                 debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.source = source if source is not None else QGuiApplication.instance()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self.changed)
        self.bursts = 0              # raw signals seen (for tests and the log)
        self.source.screenAdded.connect(self._added)
        self.source.screenRemoved.connect(self._poke)
        self.source.primaryScreenChanged.connect(self._poke)
        screens: Callable[[], list] | None = getattr(self.source, "screens", None)
        for screen in (screens() if callable(screens) else []):
            self._watch(screen)

    def _added(self, screen) -> None:
        self._watch(screen)
        self._poke()

    def _watch(self, screen) -> None:
        # Bound explicitly to this screen's own signal; a late-bound lambda over a loop
        # variable would watch the last screen only (an OpenLP bug).
        signal = getattr(screen, "geometryChanged", None)
        if signal is not None:
            signal.connect(self._poke)

    def _poke(self, *_args) -> None:
        self.bursts += 1
        self.timer.start()           # restart: fire once, after the burst
