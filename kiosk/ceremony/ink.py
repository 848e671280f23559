"""The ink that draws a signature, on screen and in the stored PNG.

:class:`InkModel` turns samples into filled circles ("dabs") the way
signature_pad does: a filtered pen velocity sets the width (fast = thin),
or real pen pressure does when the device has it; the raw polyline is
smoothed into quadratic Béziers through the midpoints of consecutive
samples; every curve is stamped with dabs at most :data:`DAB_SPACING_PX`
apart whose radius moves from the segment's start width to its end width.
The live Qt pad and :func:`render_png` both use it, so the screen and the
stored PNG show the same ink.

This module imports no Qt.
"""
from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.ceremony.signature import Sample, Signature, check_pad_size

if TYPE_CHECKING:
    from PIL import Image

#: Largest gap between consecutive dabs, in pad pixels (multiplied by the
#: model's scale on output).
DAB_SPACING_PX = 0.5
#: A bogus jump between two samples never produces more dabs than this.
MAX_DABS_PER_SEGMENT = 4096
#: Velocity uses at least this time step (ms) so that jittery timestamps do
#: not produce absurd speeds.
MIN_VELOCITY_DT_MS = 1.0

#: render_png draws at this supersampling factor, then downsizes with LANCZOS.
SUPERSAMPLE = 3
#: render_png refuses outputs larger than this (pixels) ...
MAX_RENDER_PIXELS = 64_000_000
#: ... and lowers the supersampling factor to keep the work canvas below this.
MAX_SUPERSAMPLED_PIXELS = 48_000_000

#: render_small_png fits the pad into this box (px): 40×15 mm at about 300 dpi.
SMALL_PNG_BOX = (480, 180)
#: ... keeps this many bits of ink coverage per pixel (2**bits levels of opacity) ...
SMALL_PNG_BITS = 2
#: ... and never draws a dab thinner than this radius (output px), so hairlines stay whole.
SMALL_PNG_MIN_RADIUS_PX = 0.6


@dataclass(frozen=True, slots=True)
class Dab:
    """A filled circle to paint: centre and radius, in output pixels (pad px × scale)."""
    x: float
    y: float
    r: float


class InkModel:
    """Incremental width-varying ink, shared by the PNG renderer and the live Qt pad.

    ``ui/`` feeds it samples as the finger moves and paints the dabs it returns,
    so the screen and the stored PNG look the same::

        dabs = model.begin(sample)   # pen down: a dot at once
        dabs = model.add(sample)     # each move: only the new piece
        dabs = model.end()           # pen up: the last half segment

    Widths are dab *radii* in pad px (as in signature_pad, whose "width" is the
    radius of the circles it stamps), so a line is up to 2 × ``max_width``
    thick.  Without real pressure the width follows the filtered velocity
    ``v = w·dist/Δt + (1−w)·v_prev`` (px/ms) as ``max(max_width/(v+1),
    min_width)``; with real pressure it is ``min_width + p·(max_width −
    min_width)``, smoothed with the same filter weight.  Samples are joined by
    quadratic Béziers from the midpoint before a sample, with the sample as
    control point, to the midpoint after it; a stroke starts and ends with a
    straight half segment to its first and last sample.  Dabs are at most
    ``DAB_SPACING_PX × scale`` apart.  Velocity is always measured in pad px;
    ``scale`` only multiplies the output (e.g. the device pixel ratio on
    screen, or the supersampling factor in :func:`render_png`).
    """

    __slots__ = ("_min", "_max", "_weight", "_pressure_real", "_scale", "_step",
                 "_prev", "_prev_width", "_mid", "_velocity", "_count")

    def __init__(self, *, min_width: float = 0.8, max_width: float = 3.2,
                 velocity_filter_weight: float = 0.7, pressure_real: bool = False,
                 scale: float = 1.0) -> None:
        if not (math.isfinite(min_width) and min_width > 0):
            raise ValueError(f"min_width must be a positive number, not {min_width!r}")
        if not (math.isfinite(max_width) and max_width >= min_width):
            raise ValueError(f"max_width must be >= min_width, not {max_width!r}")
        if not (0.0 < velocity_filter_weight <= 1.0):
            raise ValueError(f"velocity_filter_weight must be in (0, 1], not {velocity_filter_weight!r}")
        if not (math.isfinite(scale) and scale > 0):
            raise ValueError(f"scale must be a positive number, not {scale!r}")
        self._min = float(min_width)
        self._max = float(max_width)
        self._weight = float(velocity_filter_weight)
        self._pressure_real = bool(pressure_real)
        self._scale = float(scale)
        self._step = DAB_SPACING_PX  # in pad px
        self._reset()

    def _reset(self) -> None:
        self._prev: Sample | None = None
        self._prev_width = 0.0
        self._mid: tuple[float, float, float] | None = None  # end of the last emitted curve
        self._velocity = 0.0
        self._count = 0

    def _pressure_width(self, p: float) -> float:
        p = 0.0 if not p > 0.0 else (1.0 if p > 1.0 else p)  # clamp, NaN → 0
        return self._min + p * (self._max - self._min)

    def begin(self, s: Sample) -> list[Dab]:
        """A stroke starts at ``s``: returns one dab so a dot shows at once."""
        self._reset()
        self._prev = s
        self._count = 1
        if self._pressure_real:
            w = self._pressure_width(s.p)
        else:
            w = (self._min + self._max) / 2.0
        self._prev_width = w
        k = self._scale
        return [Dab(s.x * k, s.y * k, w * k)]

    def add(self, s: Sample) -> list[Dab]:
        """The next sample of the stroke; returns the dabs for the new piece only."""
        prev = self._prev
        if prev is None:
            return self.begin(s)
        weight = self._weight
        if self._pressure_real:
            w = weight * self._pressure_width(s.p) + (1.0 - weight) * self._prev_width
        else:
            dt = s.t - prev.t
            if dt > 0:
                inst = math.hypot(s.x - prev.x, s.y - prev.y) / max(dt, MIN_VELOCITY_DT_MS)
                self._velocity = weight * inst + (1.0 - weight) * self._velocity
            # dt <= 0 (same timestamp, clock glitch): keep the previous velocity.
            w = max(self._max / (self._velocity + 1.0), self._min)
        if w != w:  # NaN from absurd input: never poison the stroke
            w = self._min
        mid = ((prev.x + s.x) / 2.0, (prev.y + s.y) / 2.0, (self._prev_width + w) / 2.0)
        if self._count == 1 or self._mid is None:
            dabs = self._line((prev.x, prev.y, self._prev_width), mid)
        else:
            dabs = self._quad(self._mid, (prev.x, prev.y), mid)
        self._mid = mid
        self._prev = s
        self._prev_width = w
        self._count += 1
        return dabs

    def end(self) -> list[Dab]:
        """The stroke ends: returns the last half segment to the final sample."""
        dabs: list[Dab] = []
        if self._count >= 2 and self._prev is not None and self._mid is not None:
            dabs = self._line(self._mid, (self._prev.x, self._prev.y, self._prev_width))
        self._reset()
        return dabs

    # Both emitters leave out t = 0 (the previous piece already painted it).
    def _count_for(self, length: float) -> int:
        if not length < MAX_DABS_PER_SEGMENT * self._step:  # also catches NaN / inf
            return MAX_DABS_PER_SEGMENT
        return max(1, math.ceil(length / self._step))

    def _line(self, a: tuple[float, float, float], b: tuple[float, float, float]) -> list[Dab]:
        k = self._scale
        n = self._count_for(math.hypot(b[0] - a[0], b[1] - a[1]))
        x0, y0, r0 = a[0] * k, a[1] * k, a[2] * k
        dx, dy, dr = b[0] * k - x0, b[1] * k - y0, b[2] * k - r0
        inv = 1.0 / n
        return [Dab(x0 + dx * (i * inv), y0 + dy * (i * inv), r0 + dr * (i * inv))
                for i in range(1, n + 1)]

    def _quad(self, a: tuple[float, float, float], c: tuple[float, float],
              b: tuple[float, float, float]) -> list[Dab]:
        # |B'(t)| <= 2·max(|c−a|, |b−c|), so this n keeps every step <= self._step.
        n = self._count_for(2.0 * max(math.hypot(c[0] - a[0], c[1] - a[1]),
                                      math.hypot(b[0] - c[0], b[1] - c[1])))
        k = self._scale
        ax, ay, r0 = a[0] * k, a[1] * k, a[2] * k
        cx, cy = c[0] * k, c[1] * k
        bx, by, dr = b[0] * k, b[1] * k, b[2] * k - r0
        inv = 1.0 / n
        out: list[Dab] = []
        append = out.append
        for i in range(1, n + 1):
            t = i * inv
            u = 1.0 - t
            uu, ut2, tt = u * u, 2.0 * u * t, t * t
            append(Dab(uu * ax + ut2 * cx + tt * bx, uu * ay + ut2 * cy + tt * by, r0 + dr * t))
        return out

    def stroke(self, samples: Iterable[Sample]) -> list[Dab]:
        """All dabs of one whole stroke (begin, add each, end)."""
        it = iter(samples)
        first = next(it, None)
        if first is None:
            return []
        dabs = self.begin(first)
        for s in it:
            dabs += self.add(s)
        dabs += self.end()
        return dabs


# --- rendering -------------------------------------------------------------

def _ink_mask(sig: Signature, scale: float, *, min_radius: float = 0.0) -> Image.Image:
    """The ink coverage as a greyscale Pillow image, ``round(width·scale) × round(height·scale)`` px.

    Stamped at :data:`SUPERSAMPLE`× with the same :class:`InkModel` the live pad uses, then
    downsized with LANCZOS.  ``min_radius`` (output px) is a floor for every dab's radius.
    """
    from PIL import Image, ImageDraw  # only the renderers need Pillow

    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, not {scale!r}")
    check_pad_size(sig)
    out_w = max(1, round(sig.width * scale))
    out_h = max(1, round(sig.height * scale))
    if out_w * out_h > MAX_RENDER_PIXELS:
        raise ValueError(f"{out_w}×{out_h} px is larger than render_png allows ({MAX_RENDER_PIXELS} px)")
    ss = SUPERSAMPLE
    while ss > 1 and out_w * out_h * ss * ss > MAX_SUPERSAMPLED_PIXELS:
        ss -= 1
    big_w, big_h = out_w * ss, out_h * ss

    mask = Image.new("L", (big_w, big_h), 0)
    ellipse = ImageDraw.Draw(mask).ellipse
    model = InkModel(pressure_real=sig.pressure_real, scale=scale * ss)
    floor = min_radius * ss
    for stroke in sig.strokes:
        for d in model.stroke(stroke):
            x, y, r = d.x, d.y, max(d.r, floor)
            if not (x + r >= 0 and y + r >= 0 and x - r <= big_w and y - r <= big_h):
                continue  # off the canvas, or NaN from absurd input
            ellipse((x - r, y - r, x + r, y + r), fill=255)
    if ss > 1:
        mask = mask.resize((out_w, out_h), Image.Resampling.LANCZOS)
    return mask


def render_png(sig: Signature, *, scale: float = 1.0, ink: tuple[int, int, int] = (20, 30, 90),
               background: tuple[int, int, int] | None = None) -> bytes:
    """PNG bytes of the signature, ``round(width·scale) × round(height·scale)`` pixels.

    ``background=None`` gives a transparent RGBA image (ink colour with the ink
    coverage as alpha); an RGB tuple gives an opaque RGB image.  The ink is
    stamped at :data:`SUPERSAMPLE`× into a greyscale mask with the same
    :class:`InkModel` the live pad uses, then downsized with LANCZOS.
    """
    from PIL import Image

    mask = _ink_mask(sig, scale)
    out_w, out_h = mask.size
    rgb = tuple(int(c) for c in ink)
    if background is None:
        img = Image.new("RGBA", (out_w, out_h), (*rgb, 0))
        img.putalpha(mask)
    else:
        img = Image.new("RGB", (out_w, out_h), tuple(int(c) for c in background))
        img.paste(rgb, (0, 0, out_w, out_h), mask)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def small_png_scale(sig: Signature) -> float:
    """The scale :func:`render_small_png` draws ``sig`` at: the pad fitted into :data:`SMALL_PNG_BOX`."""
    check_pad_size(sig)
    box_w, box_h = SMALL_PNG_BOX
    return min(box_w / sig.width, box_h / sig.height)


def render_small_png(sig: Signature, *, ink: tuple[int, int, int] = (20, 30, 90)) -> bytes:
    """The stored image: a small transparent palette PNG of the whole pad, for documents.

    The pad is fitted into :data:`SMALL_PNG_BOX` (480×180 px: a 40×15 mm cell at about
    300 dpi), drawn with the same :class:`InkModel` as :func:`render_png`, and its coverage
    kept in :data:`SMALL_PNG_BITS` bits: a palette of the ink colour at 2**bits levels of
    opacity (index 0 fully transparent), written as a palette PNG of that bit depth with a tRNS chunk.
    Scaled down this far, the pad's thinnest lines would come out thinner than a pixel and
    break up; every dab is therefore at least :data:`SMALL_PNG_MIN_RADIUS_PX` px in radius.
    """
    from PIL import Image

    mask = _ink_mask(sig, small_png_scale(sig), min_radius=SMALL_PNG_MIN_RADIUS_PX)
    levels = (1 << SMALL_PNG_BITS) - 1
    index = mask.point([(m * levels + 127) // 255 for m in range(256)])
    img = Image.frombytes("P", index.size, index.tobytes())
    img.putpalette([int(c) for c in ink] * (levels + 1))
    alpha = bytes((i * 255 + levels // 2) // levels for i in range(levels + 1))
    buf = io.BytesIO()
    img.save(buf, format="PNG", bits=SMALL_PNG_BITS, transparency=alpha, optimize=True)
    return buf.getvalue()
