"""Plausible handwritten signatures, as the Qt pad (ui/kiosk/signature_pad.py) records them.

Importable by tests and benchmarks (``tests/`` is on ``sys.path`` under pytest; benchmarks add it)::

    from signature_samples import realistic_signature, realistic_signatures
    sig = realistic_signature(7)                         # seeded: the same seed, the same signature
    sigs = realistic_signatures(200, device="pen")

A signature is a capital (one looped stroke), one or two cursive words written as oscillations
with a rightward drift (Hollerbach's model of handwriting: the pen slows at the top of each loop
and speeds up on the way down), sometimes a dot or a tick, and often an underline flourish.
Between strokes the pen is up for 80–350 ms.  The whole signature, first pen-down to last pen-up,
takes 1.5–4 s, and starts 0.3–1.5 s after the pad is shown.

The samples are what the pad stores:

* event times in whole milliseconds (Qt event timestamps), at 60–120 Hz with ±1 ms jitter and an
  occasional dropped frame, never backwards;
* x, y clamped to the pad and rounded to 2 decimals; a mouse reports positions in steps of
  1/devicePixelRatio (1, 1.25 or 1.5), a touch screen and a pen anywhere, with a little jitter;
* pressure 0.5 for mouse and touch, real and varying (3 decimals) for a pen, with
  ``pressure_real`` set.

Pad sizes are those of the kiosk screen: 1300×430 on a 1366×768 screen, 1800×560 on 1920×1080.
"""
from __future__ import annotations

import math
import random

from kiosk.ceremony.signature import DEFAULT_PRESSURE, Sample, Signature

#: Pad size (px) on the kiosk screens we support.
PAD_SIZES: dict[str, tuple[int, int]] = {"1366x768": (1300, 430), "1920x1080": (1800, 560)}
DEVICES = ("touch", "mouse", "pen")


class _Pen:
    """Turns a continuous path into pad samples at event times."""

    def __init__(self, rng: random.Random, width: int, height: int, device: str, hz: float) -> None:
        self.rng, self.width, self.height, self.device = rng, width, height, device
        self.interval = 1000.0 / hz
        self.dpr = rng.choice((1.0, 1.25, 1.5))
        self.base_pressure = rng.uniform(0.3, 0.7)
        self.t = 0  # next event time, integer ms

    def _tick(self) -> None:
        step = self.interval + self.rng.gauss(0.0, 0.6)
        if self.rng.random() < 0.02:          # a dropped frame
            step += self.interval
        self.t += max(1, round(step))

    def _position(self, v: float, limit: int) -> float:
        if self.device == "mouse":
            v = round(v * self.dpr) / self.dpr
        else:
            v += self.rng.gauss(0.0, 0.2)
        return round(min(max(v, 0.0), float(limit)), 2)

    def _pressure(self, u: float, tau: float) -> float:
        if self.device != "pen":
            return DEFAULT_PRESSURE
        ramp = min(1.0, u / 0.08, (1.0 - u) / 0.1) if u < 1.0 else 0.0
        p = (0.15 + 0.85 * max(ramp, 0.0)) * (self.base_pressure + 0.12 * math.sin(tau / 170.0))
        p += self.rng.gauss(0.0, 0.01)
        return round(min(max(p, 0.0), 1.0), 3)

    def stroke(self, path, duration: float) -> tuple[Sample, ...]:
        """Samples of ``path(u)`` for u in 0..1 over ``duration`` ms, starting now."""
        start = self.t
        out = []
        while True:
            u = min(1.0, (self.t - start) / duration)
            x, y = path(u)
            out.append(Sample(self._position(x, self.width), self._position(y, self.height),
                              float(self.t), self._pressure(u, self.t - start)))
            if u >= 1.0:
                return tuple(out)
            self._tick()

    def lift(self, ms: float) -> None:
        self.t += round(ms)
        self._tick()


def _smooth(u: float) -> float:
    return (1.0 - math.cos(math.pi * min(max(u, 0.0), 1.0))) / 2.0


def realistic_signature(seed: int | random.Random = 0, *, pad: str | None = None, device: str | None = None,
                        hz: float | None = None, duration_ms: float | None = None) -> Signature:
    """One plausible signature; every argument left out is drawn from the seed."""
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    width, height = PAD_SIZES[pad or rng.choice(tuple(PAD_SIZES))]
    device = device or rng.choice(DEVICES)
    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, not {device!r}")
    hz = hz or rng.uniform(60.0, 120.0)
    total = duration_ms or rng.uniform(1500.0, 4000.0)
    pen = _Pen(rng, width, height, device, hz)
    pen.t = round(rng.uniform(300.0, 1500.0))

    # Where the signature sits and how big it is.
    span = rng.uniform(0.45, 0.85) * width
    left = rng.uniform(0.05, 0.95 - span / width) * width
    letter = rng.uniform(0.16, 0.28) * height          # x-height of the small letters
    baseline = rng.uniform(0.55, 0.75) * height
    slant = rng.uniform(-0.1, 0.45)                   # forward slant: x shifts with height
    rise = rng.uniform(-0.08, 0.08) * height          # the line climbs or sags a little

    # Time budget: pen-up gaps first, then the ink shares.
    two_words = rng.random() < 0.55
    underline = rng.random() < 0.6
    dot = rng.random() < 0.35
    gaps = [rng.uniform(80.0, 350.0) for _ in range(2 + two_words + dot)]   # a lift after each stroke
    ink = max(total - sum(gaps[:1 + two_words + dot + underline]), 900.0)
    shares = [rng.uniform(0.14, 0.22)]                # capital
    words = [rng.uniform(0.8, 1.2) for _ in range(1 + two_words)]
    rest = 1.0 - shares[0] - (0.13 if underline else 0.0) - (0.03 if dot else 0.0)
    shares += [rest * w / sum(words) for w in words]

    strokes: list[tuple[Sample, ...]] = []
    gap = iter(gaps)

    # Capital: a tall loop that leans, with a tail into the first word.
    cap_w, cap_h = rng.uniform(0.9, 1.6) * letter, rng.uniform(1.8, 2.6) * letter
    turns = rng.uniform(1.0, 1.4)
    cx, cy = left + cap_w * 0.5, baseline - cap_h * 0.5

    def capital(u: float) -> tuple[float, float]:
        a = 2 * math.pi * turns * u - math.pi / 2
        x = cx + cap_w * 0.5 * math.cos(a) * (1 - 0.3 * u) + cap_w * 0.4 * _smooth(u)
        y = cy + cap_h * 0.5 * math.sin(a) * (1 - 0.2 * u)
        return x + slant * (baseline - y), y

    strokes.append(pen.stroke(capital, ink * shares[0]))
    pen.lift(next(gap))

    # Words: coupled oscillations with a drift to the right; every few letters an ascender.
    x_start = left + cap_w * 1.2
    word_span = (left + span - x_start) * (0.85 if underline else 1.0)
    space = 0.08 * word_span if two_words else 0.0
    per_word = (word_span - space * (len(words) - 1)) / len(words)
    for k, share in enumerate(shares[1:]):
        x0 = x_start + k * (per_word + space)
        duration = ink * share
        letters = max(3, round(per_word / (letter * rng.uniform(0.6, 0.9))))
        tall = {i for i in range(letters) if rng.random() < 0.3}
        amp_x = rng.uniform(0.25, 0.45) * per_word / letters
        phase = rng.uniform(0, 2 * math.pi)

        def word(u: float, x0=x0, letters=letters, tall=tall, amp_x=amp_x, phase=phase) -> tuple[float, float]:
            pos = u * letters
            i = min(int(pos), letters - 1)
            frac = pos - i
            height_now = letter * (2.3 if i in tall else 1.0) * (0.9 + 0.1 * math.sin(phase + i))
            w = 2 * math.pi * pos
            x = x0 + per_word * u + amp_x * math.sin(w + phase)
            loop = height_now * (1 - math.cos(w)) * 0.5 * math.sin(math.pi * frac) ** 0.3
            y = baseline - loop - rise * (x - left) / span
            return x + slant * (baseline - y), y

        strokes.append(pen.stroke(word, duration))
        pen.lift(next(gap))

    if dot:   # a short tick above a letter
        dx, dy = x_start + rng.uniform(0.2, 0.8) * word_span, baseline - 2.2 * letter
        strokes.append(pen.stroke(lambda u: (dx + 6 * u, dy + 4 * u), ink * 0.03))
        pen.lift(next(gap))

    if underline:   # a fast flourish, slow at both ends
        y0 = baseline + rng.uniform(0.35, 0.7) * letter
        x0, x1 = left + rng.uniform(-0.02, 0.1) * span, left + span * rng.uniform(0.9, 1.02)

        def flourish(u: float) -> tuple[float, float]:
            s = _smooth(u)
            return x0 + (x1 - x0) * s, y0 - 0.25 * letter * math.sin(math.pi * s) + 0.1 * letter * s

        strokes.append(pen.stroke(flourish, ink * 0.13))

    return Signature(width, height, tuple(strokes), pressure_real=device == "pen")


def realistic_signatures(count: int, seed: int = 2024, **fixed) -> list[Signature]:
    """``count`` different signatures from one seed; keyword arguments fix pad, device, hz or duration."""
    rng = random.Random(seed)
    return [realistic_signature(random.Random(rng.getrandbits(64)), **fixed) for _ in range(count)]


if __name__ == "__main__":    # a quick look: python tests/signature_samples.py OUT_DIR
    import pathlib
    import sys

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    from kiosk.ceremony.ink import render_png

    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for i, device in enumerate(DEVICES * 2):
        sig = realistic_signature(i, device=device)
        (out / f"sample-{i}-{device}.png").write_bytes(render_png(sig, background=(255, 255, 255)))
        print(i, device, sig.width, sig.height, len(sig.strokes), sig.sample_count,
              sig.strokes[-1][-1].t - sig.strokes[0][0].t)
