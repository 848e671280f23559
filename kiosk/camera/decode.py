"""Read a badge's QR code from a webcam frame, better than a bare decoder and within a time budget.

One frame goes down a ladder of strategies, cheapest first, and stops at the first code read:

1. ``guide``      the centre crop where the on-screen guide frame is, as captured;
2. ``full``       the whole frame (a badge held off-centre, or so close it overflows the guide);
3. ``contrast``   the guide crop with its histogram stretched (dim hall, washed-out exposure);
4. ``half``       the whole frame at half size (motion blur and defocus shrink with it);
5. ``candidate``  around a symbol the detector located but could not read: enlarged, stretched, read
                  with a local and a fixed threshold, then through two unsharp masks (far badges,
                  defocus, noise).

Every strategy asks zxing-cpp for QR codes only, without its rotation and inversion retries (QR
finder patterns are found at any angle anyway; badges are dark on light).  No strategy starts once
the frame's budget is spent.  The budget counts the decoding thread's CPU time where the system
measures it finely (Linux, macOS), so a busy machine that pre-empts the worker does not make it give
up early; elsewhere (Windows ticks thread time every 15.6 ms) it counts wall time.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import zxingcpp
from PIL import Image, ImageFilter, ImageOps

from kiosk.camera.frame import Box, Frame, Gray, image_view

Point = tuple[float, float]
_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


class Strategy(StrEnum):
    GUIDE = "guide"
    FULL = "full"
    CONTRAST = "contrast"
    HALF = "half"
    CANDIDATE = "candidate"


DEFAULT_LADDER: tuple[Strategy, ...] = tuple(Strategy)


@dataclass(frozen=True, slots=True)
class DecodeResult:
    """A code read from a frame.

    ``corners`` are the symbol's corners in frame pixels, in the code's own order (top-left,
    top-right, bottom-right, bottom-left as printed), so they also tell how the badge is turned.
    ``attempts`` counts the strategies tried, this one included.
    """
    text: str
    corners: tuple[Point, Point, Point, Point]
    strategy: Strategy
    elapsed_ms: float
    attempts: int

    @property
    def centre(self) -> Point:
        return (sum(p[0] for p in self.corners) / 4, sum(p[1] for p in self.corners) / 4)

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs, ys = [p[0] for p in self.corners], [p[1] for p in self.corners]
        return (min(xs), min(ys), max(xs), max(ys))


@dataclass(slots=True)
class _Pass:
    """What one frame's strategies share: the frame, the guide box, symbols seen but not read."""
    gray: Gray
    guide: Box
    candidates: list[Box] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Found:
    text: str
    corners: tuple[Point, Point, Point, Point]


def _budget_clock() -> Callable[[], float]:
    """The decoding thread's CPU time if the system keeps it to the millisecond, else wall time."""
    try:
        if time.get_clock_info("thread_time").resolution <= 1e-3:
            return time.thread_time
    except (AttributeError, ValueError, OSError):       # a platform without a thread clock
        pass
    return time.perf_counter


class FrameDecoder:
    """Decode badge QR codes from camera frames.

    ``guide`` is the on-screen guide frame as fractions of the frame (x0, y0, x1, y1); ``budget_ms``
    is the time after which no further strategy is started on a frame, measured by ``clock``
    (seconds; default: the thread's CPU time, see the module's notes).  One decoder serves one
    thread at a time (a Qt worker); it keeps no frame between calls.
    """

    def __init__(self, *, guide: tuple[float, float, float, float] = (0.25, 0.17, 0.75, 0.83),
                 budget_ms: float = 25.0, ladder: Sequence[Strategy] = DEFAULT_LADDER,
                 clock: Callable[[], float] | None = None) -> None:
        if not (0 <= guide[0] < guide[2] <= 1 and 0 <= guide[1] < guide[3] <= 1):
            raise ValueError(f"guide {guide} is not a box inside the frame")
        self.guide = guide
        self.budget_ms = budget_ms
        self.ladder = tuple(Strategy(s) for s in ladder)
        self._clock = clock or _budget_clock()

    def decode(self, frame: Frame) -> DecodeResult | None:
        """The first code found in ``frame`` (a :class:`RawFrame` or a PIL image), or None.

        ``elapsed_ms`` in the result is wall time, conversion of the frame to gray included.
        """
        wall = time.perf_counter()
        start = self._clock()
        gray = Gray(frame)
        g = self.guide
        guide = gray.clamp((g[0] * gray.width, g[1] * gray.height, g[2] * gray.width, g[3] * gray.height))
        ctx = _Pass(gray, guide or gray.full)
        for attempt, strategy in enumerate(self.ladder, 1):
            if attempt > 1 and (self._clock() - start) * 1000 >= self.budget_ms:
                break
            found = _STEPS[strategy](ctx)
            if found is not None:
                return DecodeResult(found.text, found.corners, strategy, (time.perf_counter() - wall) * 1000,
                                    attempt)
        return None


# --- strategies ----------------------------------------------------------------------------------

def _read(image: zxingcpp.ImageView, ctx: _Pass, box: Box, scale: float = 1.0, *,
          binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage, downscale: bool = True) -> _Found | None:
    """Read ``image``, which shows ``box`` of the frame enlarged ``scale`` times; remember near misses."""
    codes = zxingcpp.read_barcodes(image, formats=_QR, try_rotate=False, try_invert=False,
                                   try_downscale=downscale, binarizer=binarizer, return_errors=True)
    for code in codes:
        p = code.position
        pts = [(box[0] + q.x / scale, box[1] + q.y / scale)
               for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
        if code.valid and code.text:
            return _Found(code.text, (pts[0], pts[1], pts[2], pts[3]))
        if any(q != pts[0] for q in pts[1:]):          # a located symbol that failed to decode
            _remember(ctx, pts)
    return None


def _remember(ctx: _Pass, pts: list[Point]) -> None:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    size = max(max(xs) - min(xs), max(ys) - min(ys))
    if size < 12:
        return
    margin = size * 0.45 + 6                         # the quiet zone and a little more
    box = ctx.gray.clamp((min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin))
    if box is None or len(ctx.candidates) >= 3:
        return
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for b in ctx.candidates:
        if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
            return
    ctx.candidates.append(box)


def _read_pil(img: Image.Image, ctx: _Pass, box: Box, scale: float = 1.0, *,
              binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage, downscale: bool = True) -> _Found | None:
    view, _keep = image_view(img)
    return _read(view, ctx, box, scale, binarizer=binarizer, downscale=downscale)


def _guide(ctx: _Pass) -> _Found | None:
    return _read(ctx.gray.view(ctx.guide), ctx, ctx.guide)


def _full(ctx: _Pass) -> _Found | None:
    if ctx.guide == ctx.gray.full:
        return None
    return _read(ctx.gray.view(ctx.gray.full), ctx, ctx.gray.full)


def _contrast(ctx: _Pass) -> _Found | None:
    """The guide crop with its 1st–99th percentile grey levels stretched to black and white."""
    img = ctx.gray.crop(ctx.guide)
    hist = img.histogram()
    cut = sum(hist) // 100
    lo, hi = _percentile(hist, cut), 255 - _percentile(hist[::-1], cut)
    if hi - lo < 4 or (lo < 8 and hi > 247):
        return None                                   # a blank wall, or already full range: nothing to gain
    lut = [min(255, max(0, (v - lo) * 255 // (hi - lo))) for v in range(256)]
    return _read_pil(img.point(lut), ctx, ctx.guide)


def _percentile(hist: list[int], cut: int) -> int:
    total = 0
    for level, count in enumerate(hist):
        total += count
        if total > cut:
            return level
    return len(hist) - 1


def _half(ctx: _Pass) -> _Found | None:
    full = ctx.gray.full
    return _read_pil(ctx.gray.crop(full).reduce(2), ctx, full, 0.5, downscale=False)


def _candidate(ctx: _Pass) -> _Found | None:
    """Around each near miss: enlarge a small symbol, stretch it, try two thresholds, then sharpen."""
    for box in ctx.candidates[:2]:
        img = ctx.gray.crop(box)
        scale = min(4.0, max(1.0, 360 / max(img.size)))
        if scale > 1.2:
            img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.BICUBIC)
        else:
            scale = 1.0
        img = ImageOps.autocontrast(img, cutoff=1)
        for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.FixedThreshold):
            found = _read_pil(img, ctx, box, scale, binarizer=binarizer, downscale=False)
            if found is not None:
                return found
        for radius, percent in _UNSHARP:
            sharp = img.filter(ImageFilter.UnsharpMask(radius=radius, percent=percent, threshold=0))
            found = _read_pil(sharp, ctx, box, scale, downscale=False)
            if found is not None:
                return found
    return None


# Unsharp masks for the candidate crop (enlarged to ~360 px, so ~8–17 px a module): a fine one for
# small far codes, a wider, stronger one for defocus.
_UNSHARP = ((2, 300), (4, 400))


_STEPS: dict[Strategy, Callable[[_Pass], _Found | None]] = {
    Strategy.GUIDE: _guide, Strategy.FULL: _full, Strategy.CONTRAST: _contrast, Strategy.HALF: _half,
    Strategy.CANDIDATE: _candidate,
}
