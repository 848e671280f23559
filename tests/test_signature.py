"""Signature record, validation, ink model and PNG rendering.

Run ``python tests/test_signature.py`` to (re)write ``docs/signature-sample.png``
from the procedural signature below.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import pathlib
import re
import statistics
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

if __name__ == "__main__":            # run as a script: make the repository importable
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from kiosk import i18n
from kiosk.ceremony import ink
from kiosk.ceremony import signature as sg
from kiosk.ceremony.ink import Dab, InkModel, render_png
from kiosk.ceremony.signature import Sample, Signature, load, validate
from kiosk.i18n import KioskError

W, H = 600, 240


# --- procedural signatures ---------------------------------------------------

def _bump(u: float) -> float:
    return math.sin(math.pi * min(max(u, 0.0), 1.0)) ** 2


def cursive_name(t0: float, n: int, *, x0: float = 150.0, x1: float = 550.0, baseline: float = 138.0,
                 dt: float = 10.0, letter_ms: float = 240.0) -> tuple[Sample, ...]:
    """A row of cursive loops: coupled x/y oscillation with a rightward drift (Hollerbach's model).

    The pen slows at the top of each loop and speeds up on the way down, as handwriting does.
    """
    omega = 2 * math.pi / letter_ms
    drift = (x1 - x0) / (n * dt)
    out = []
    for i in range(n):
        tau = i * dt
        k = tau / letter_ms
        ay = 28 + 40 * _bump((k % 3) - 1.0) + 6 * math.sin(tau / 300.0)   # every third letter tall
        ax = 17 + 4 * math.sin(tau / 190.0)
        x = x0 + drift * tau + ax * math.sin(omega * tau)
        y = baseline - ay * (1 - math.cos(omega * tau)) * 0.5 - 24.0 * tau / (n * dt)   # rising line
        out.append(Sample(round(x, 2), round(y, 2), t0 + tau))
    return tuple(out)


def cursive_signature(width: int = W, height: int = H) -> Signature:
    """A realistic signature on a 600×240 pad, sampled every 10 ms: capital, name, underline, dot."""
    strokes = []
    t = 150.0
    capital = []
    for i in range(46):                      # a tall leaning loop
        u = i / 45
        a = 2 * math.pi * u * 1.15 - math.pi / 2
        s = (1 - math.cos(math.pi * u)) / 2
        capital.append(Sample(round(95 + 38 * math.cos(a) * (1 - 0.3 * u) + 30 * s, 2),
                              round(110 + 62 * math.sin(a) * (1 - 0.15 * u) + 10 * s, 2), t + i * 10.0))
    strokes.append(tuple(capital))
    t = capital[-1].t + 160.0
    name = cursive_name(t, 200)
    strokes.append(name)
    t = name[-1].t + 200.0
    underline = []
    for i in range(30):                      # a fast flourish, slow at both ends
        s = (1 - math.cos(math.pi * i / 29)) / 2
        underline.append(Sample(round(70 + 480 * s, 2), round(190 - 22 * math.sin(math.pi * s) + 8 * s, 2),
                                t + i * 10.0))
    strokes.append(tuple(underline))
    t = underline[-1].t + 250.0
    strokes.append((Sample(330.0, 62.0, t), Sample(331.0, 63.0, t + 10), Sample(331.5, 64.0, t + 20)))
    return Signature(width, height, tuple(strokes))


def thousand_sample_signature() -> Signature:
    """1000 samples at 10 ms (a slow 10-second signature): two cursive rows."""
    top = cursive_name(100.0, 500, x0=60, x1=540, baseline=100.0)
    bottom = cursive_name(top[-1].t + 300, 500, x0=60, x1=540, baseline=215.0)
    return Signature(W, H, (top, bottom))


def small_paraf() -> Signature:
    """A hurried 70×30 px paraf at 60 Hz (16 ms) in a corner of a 600×240 pad."""
    pts = []
    for i in range(22):
        u = i / 21
        pts.append(Sample(400 + 70 * u + 8 * math.sin(6 * u), 150 - 15 * math.sin(2 * math.pi * u * 1.5)
                          - 8 * u, 1000 + 16.0 * i))
    return Signature(W, H, (tuple(pts),))


def line(n: int, *, x0=100.0, y=120.0, step=5.0, dt=10.0, t0=0.0, p=0.5) -> tuple[Sample, ...]:
    return tuple(Sample(x0 + i * step, y, t0 + i * dt, p) for i in range(n))


def codes(fn, *args, **kwargs) -> str:
    with pytest.raises(KioskError) as info:
        fn(*args, **kwargs)
    return info.value.code


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("id")


# --- JSON form -----------------------------------------------------------------

def test_round_trip_json():
    sig = cursive_signature()
    obj = sig.to_json()
    assert set(obj) == {"width", "height", "strokes", "pressure_real"}
    assert Signature.from_json(obj) == sig
    assert Signature.from_json(json.loads(json.dumps(obj))) == sig
    assert Signature.from_json(obj).to_json() == obj


def test_every_raw_sample_is_kept():
    # Repeated points, zero-length moves and equal timestamps are all kept in the record.
    pts = [{"x": 100, "y": 100, "t": 0}] * 5 + [{"x": 100.2, "y": 100.1, "t": 0.5}]
    sig = Signature.from_json({"width": W, "height": H, "strokes": [pts]})
    assert sig.sample_count == 6


def test_defaults_and_types():
    sig = Signature.from_json({"width": 600.0, "height": 240, "strokes": [[{"x": 1, "y": 2, "t": 3}]]})
    assert sig.width == 600 and type(sig.width) is int
    assert sig.pressure_real is False
    assert sig.strokes == ((Sample(1.0, 2.0, 3.0, 0.5),),)
    assert isinstance(sig.strokes, tuple) and isinstance(sig.strokes[0], tuple)
    assert Signature.from_json({"width": W, "height": H, "strokes": [], "pressure_real": True}).pressure_real
    # unknown keys (device info, tilt) are ignored
    sig = Signature.from_json({"width": W, "height": H, "device": "x",
                               "strokes": [[{"x": 1, "y": 2, "t": 3, "tilt": 4}]]})
    assert sig.sample_count == 1


def test_canonical_hash_is_stable_across_formatting():
    a = '{"width": 600, "height": 240, "strokes": [[{"x": 10, "y": 20.5, "t": 0, "p": 0.5}, ' \
        '{"x": 12.25, "y": 21, "t": 10, "p": 1}]]}'
    b = '{"strokes":[[{"p":5e-1,"t":0.0,"y":20.50,"x":1e1},{"t":1E1,"p":1.0,"x":12.250,"y":21.0}]],' \
        '"pressure_real":false,"height":240.0,"width":6e2}'
    c = '{\n  "height": 240,\n  "strokes": [[{"y": 20.5, "x": 10.000, "t": -0.0}, ' \
        '{"y": 21, "x": 12.25, "t": 10, "p": 1}]],\n  "width": 600\n}'
    sigs = [Signature.from_json(json.loads(text)) for text in (a, b, c)]
    assert sigs[0] == sigs[1] == sigs[2]
    digests = {s.sha256() for s in sigs}
    assert len(digests) == 1
    canon = sigs[0].canonical_bytes()
    assert canon == sigs[1].canonical_bytes() == sigs[2].canonical_bytes()
    assert b" " not in canon
    assert canon.startswith(b'{"height":240,"pressure_real":false,"strokes":[[{"p":0.5,"t":0,"x":10,"y":20.5}')
    assert sigs[0].sha256() == hashlib.sha256(canon).hexdigest()
    # and the canonical form is itself valid input giving the same signature
    assert Signature.from_json(json.loads(canon)) == sigs[0]


def test_hash_changes_with_any_change():
    sig = cursive_signature()
    first = sig.strokes[0][0]
    moved = Signature(sig.width, sig.height,
                      ((Sample(first.x + 0.01, first.y, first.t),) + sig.strokes[0][1:],) + sig.strokes[1:])
    assert moved.sha256() != sig.sha256()
    flagged = Signature(sig.width, sig.height, sig.strokes, pressure_real=True)
    assert flagged.sha256() != sig.sha256()


def test_sample_count_and_ink_length():
    sig = Signature(W, H, (line(5, step=3.0), (Sample(0, 0, 0), Sample(3, 4, 1)), ()))
    assert sig.sample_count == 7
    assert sig.ink_length == pytest.approx(4 * 3.0 + 5.0)


BASE = {"width": W, "height": H, "strokes": [[{"x": 1, "y": 2, "t": 3, "p": 0.5}]]}


def _with(**changes):
    obj = json.loads(json.dumps(BASE))
    obj.update(changes)
    return obj


def _point(**changes):
    pt = {"x": 1, "y": 2, "t": 3, "p": 0.5}
    pt.update(changes)
    return _with(strokes=[[pt]])


@pytest.mark.parametrize("obj, code", [
    ([], "signature.not_object"),
    (None, "signature.not_object"),
    ("{}", "signature.not_object"),
    ({"height": H, "strokes": []}, "signature.missing_key"),
    ({"width": W, "strokes": []}, "signature.missing_key"),
    ({"width": W, "height": H}, "signature.missing_key"),
    (_with(width="600"), "signature.not_number"),
    (_with(height=True), "signature.not_number"),
    (_with(width=float("nan")), "signature.not_number"),
    (_with(width=600.5), "signature.pad_size"),
    (_with(pressure_real="yes"), "signature.structure"),
    (_with(pressure_real=None), "signature.structure"),
    (_with(strokes={"0": []}), "signature.structure"),
    (_with(strokes=[{"x": 1}]), "signature.structure"),
    (_with(strokes=[[[1, 2, 3]]]), "signature.structure"),
    (_with(strokes=[[{"x": 1, "y": 2}]]), "signature.missing_key"),
    (_point(x="1"), "signature.not_number"),
    (_point(y=None), "signature.not_number"),
    (_point(t=False), "signature.not_number"),
    (_point(p=float("nan")), "signature.not_number"),
    (_point(x=float("inf")), "signature.not_number"),
    (_point(y=-float("inf")), "signature.not_number"),
    (_point(t=10 ** 400), "signature.not_number"),
    (_with(strokes=[[]] * (sg.MAX_STROKES + 1)), "signature.too_large"),
    (_with(strokes=[[{"x": 1, "y": 1, "t": 1}] * (sg.MAX_SAMPLES // 2 + 1)] * 2), "signature.too_large"),
])
def test_from_json_refuses_malformed(obj, code):
    assert codes(Signature.from_json, obj) == code


def test_from_json_error_says_where():
    obj = _with(strokes=[[{"x": 1, "y": 2, "t": 3}, {"x": 1, "y": "2", "t": 4}]])
    with pytest.raises(KioskError) as info:
        Signature.from_json(obj)
    assert info.value.params["where"] == "strokes[0][1].y"
    assert "strokes[0][1].y" in str(info.value)


# --- load ------------------------------------------------------------------------

def test_load_round_trip(tmp_path):
    sig = cursive_signature()
    path = tmp_path / "sig.json"
    path.write_text(json.dumps(sig.to_json(), indent=2), encoding="utf-8")
    assert load(path) == sig
    assert load(str(path)) == sig
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(sig.to_json()).encode())   # Notepad's BOM
    assert load(path) == sig


def test_load_refusals(tmp_path):
    assert codes(load, tmp_path / "missing.json") == "signature.unreadable"
    assert codes(load, tmp_path) == "signature.unreadable"          # a directory
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"width": 600, "height": 240, "strokes": [[{"x": 1,}]]}')
    with pytest.raises(KioskError) as info:
        load(bad)
    assert info.value.code == "signature.not_json"
    assert info.value.params["line"] == 1
    bad.write_bytes(b'{"width": 600, "height": 240, "strokes": [], "n": "\xff\xfe"}')
    assert codes(load, bad) == "signature.not_utf8"
    bad.write_bytes(b"[" * 100_000)
    assert codes(load, bad) == "signature.not_json"
    bad.write_text('{"width": 600, "height": 240}', encoding="utf-8")
    assert codes(load, bad) == "signature.missing_key"
    # load also applies the validation rules
    bad.write_text(json.dumps({"width": 600, "height": 240, "strokes": [[{"x": 5, "y": 5, "t": 0}]]}))
    assert codes(load, bad) == "signature.too_little"


def test_load_refuses_huge_file(tmp_path, monkeypatch):
    monkeypatch.setattr(sg, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(cursive_signature().to_json()))
    assert codes(load, path) == "signature.file_too_large"


# --- validation -------------------------------------------------------------------

def test_realistic_signature_passes():
    sig = cursive_signature()
    validate(sig)
    assert sig.sample_count > 200
    validate(thousand_sample_signature())


def test_small_paraf_passes():
    sig = small_paraf()
    xs = [s.x for s in sig.strokes[0]]
    ys = [s.y for s in sig.strokes[0]]
    assert max(xs) - min(xs) < 80 and max(ys) - min(ys) < 40      # really small
    validate(sig)


def test_pressure_real_signature_passes():
    sig = cursive_signature()
    strokes = tuple(tuple(Sample(s.x, s.y, s.t, 0.2 + 0.6 * (i % 7) / 6) for i, s in enumerate(st_))
                    for st_ in sig.strokes)
    validate(Signature(W, H, strokes, pressure_real=True))


def _good_strokes():
    return cursive_signature().strokes


def _replace(index: int, sample: Sample, stroke: int = 1):
    strokes = list(_good_strokes())
    pts = list(strokes[stroke])
    pts[index] = sample
    strokes[stroke] = tuple(pts)
    return Signature(W, H, tuple(strokes))


def _at(index: int, stroke: int = 1) -> Sample:
    return _good_strokes()[stroke][index]


@pytest.mark.parametrize("sig, code", [
    (Signature(99, H, _good_strokes()), "signature.pad_size"),
    (Signature(W, 8001, _good_strokes()), "signature.pad_size"),
    (Signature(600.0, H, _good_strokes()), "signature.pad_size"),
    (Signature(True, H, _good_strokes()), "signature.pad_size"),
    (_replace(5, Sample(-2.01, 100, _at(5).t)), "signature.out_of_bounds"),
    (_replace(5, Sample(100, H + 2.5, _at(5).t)), "signature.out_of_bounds"),
    (_replace(5, Sample(W + 3, 100, _at(5).t)), "signature.out_of_bounds"),
    (_replace(5, Sample(_at(5).x, _at(5).y, _at(4).t - 0.5)), "signature.time_order"),
    (_replace(0, Sample(_at(0).x, _at(0).y, -1.0)), "signature.time_order"),
    (_replace(5, Sample(_at(5).x, _at(5).y, _at(5).t, 1.01)), "signature.pressure"),
    (_replace(5, Sample(_at(5).x, _at(5).y, _at(5).t, -0.01)), "signature.pressure"),
    (Signature(W, H, _good_strokes() + ((),) * (sg.MAX_STROKES - 3)), "signature.too_large"),
    (Signature(W, H, (line(3),) * (sg.MAX_SAMPLES // 3 + 1)), "signature.too_large"),
    (Signature(W, H, ()), "signature.empty"),
    (Signature(W, H, ((), ())), "signature.empty"),
    # too little: a tap, a one-dot stroke, a tiny scribble, a short dash, too few samples
    (Signature(W, H, ((Sample(300, 120, 0),),)), "signature.too_little"),
    (Signature(W, H, (line(3, step=0.5),)), "signature.too_little"),
    (Signature(W, H, (tuple(Sample(300 + 6 * math.cos(i), 120 + 6 * math.sin(i), i * 10.0)
                            for i in range(40)),)), "signature.too_little"),
    (Signature(W, H, (line(10, step=3.5),)), "signature.too_little"),      # 31.5 px: box ok, ink < 36
    (Signature(W, H, (line(7, step=10.0),)), "signature.too_little"),      # 60 px but 7 samples
])
def test_validation_codes(sig, code):
    assert codes(validate, sig) == code


def test_out_of_bounds_says_which_stroke_and_point():
    with pytest.raises(KioskError) as info:
        validate(_replace(5, Sample(-30, 100, _at(5).t)))
    assert info.value.params["stroke"] == 2 and info.value.params["point"] == 6
    assert "goresan ke-2" in str(info.value) and "ke-6" in str(info.value)


def test_bounds_tolerance_and_equal_times_allowed():
    validate(_replace(5, Sample(-2.0, H + 2.0, _at(5).t)))
    validate(_replace(5, Sample(W + 2.0, -2.0, _at(4).t)))          # same t as the previous point
    validate(_replace(5, Sample(_at(5).x, _at(5).y, _at(5).t, 0.0)))
    validate(_replace(5, Sample(_at(5).x, _at(5).y, _at(5).t, 1.0)))


def test_too_little_thresholds_scale_with_the_pad():
    # Just enough on a 600×240 pad: 8 samples, 36 px of ink, 30 px wide.
    validate(Signature(W, H, (line(8, step=36 / 7),)))
    assert codes(validate, Signature(W, H, (line(8, step=35.5 / 7),))) == "signature.too_little"
    # a 20 px high, 6 px wide zig-zag passes by height (>= 0.08 × 240 = 19.2)
    zig = tuple(Sample(300 + 6 * (i % 2), 100 + 20 * i / 11, i * 10.0) for i in range(12))
    validate(Signature(W, H, (zig,)))
    # the same scribble is too little on a big pad
    assert codes(validate, Signature(1600, 900, (zig,))) == "signature.too_little"


# --- hypothesis ----------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
small = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)
json_number = st.one_of(finite, st.integers(min_value=-10 ** 15, max_value=10 ** 15))


@st.composite
def json_points(draw, number=json_number):
    pt = {"x": draw(number), "y": draw(number), "t": draw(number)}
    if draw(st.booleans()):
        pt["p"] = draw(number)
    return pt


@st.composite
def json_signatures(draw, number=json_number, max_strokes=6, max_points=30):
    obj = {"width": draw(st.integers(min_value=-10, max_value=10_000)),
           "height": draw(st.integers(min_value=-10, max_value=10_000)),
           "strokes": draw(st.lists(st.lists(json_points(number), max_size=max_points), max_size=max_strokes))}
    if draw(st.booleans()):
        obj["pressure_real"] = draw(st.booleans())
    return obj


@settings(max_examples=300, deadline=None)
@given(json_signatures())
def test_property_from_json_to_json_identity(obj):
    sig = Signature.from_json(obj)
    again = Signature.from_json(sig.to_json())
    assert again == sig
    assert again.to_json() == sig.to_json()
    assert again.canonical_bytes() == sig.canonical_bytes()
    assert Signature.from_json(json.loads(sig.canonical_bytes())) == sig


@settings(max_examples=300, deadline=None)
@given(json_signatures(number=st.one_of(finite, small)))
def test_property_validate_raises_only_kiosk_error(obj):
    sig = Signature.from_json(obj)
    try:
        validate(sig)
    except KioskError as e:
        assert e.code.startswith("signature.")
        str(e)
        e.message("en")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(Sample, finite, finite, finite, finite), max_size=40))
def test_property_validate_direct_samples(samples):
    try:
        validate(Signature(W, H, (tuple(samples),)))
    except KioskError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.builds(Sample, finite, finite, finite, finite), max_size=12), st.booleans())
def test_property_render_and_ink_survive_absurd_samples(samples, pressure_real):
    sig = Signature(120, 100, (tuple(samples),), pressure_real)
    png = render_png(sig)
    assert Image.open(io.BytesIO(png)).size == (120, 100)
    dabs = InkModel(pressure_real=pressure_real).stroke(samples)
    assert len(dabs) <= 1 + len(samples) * ink.MAX_DABS_PER_SEGMENT


# --- ink model -----------------------------------------------------------------------

def _feed(model: InkModel, samples) -> list[Dab]:
    dabs = model.begin(samples[0])
    for s in samples[1:]:
        dabs += model.add(s)
    return dabs + model.end()


def _middle(dabs):
    return dabs[len(dabs) // 4: 3 * len(dabs) // 4]


def test_faster_movement_gives_thinner_ink():
    slow = _feed(InkModel(), line(40, step=4.0, dt=40.0))     # 0.1 px/ms
    fast = _feed(InkModel(), line(40, step=4.0, dt=2.0))      # 2 px/ms
    r_slow = statistics.mean(d.r for d in _middle(slow))
    r_fast = statistics.mean(d.r for d in _middle(fast))
    assert r_fast < r_slow
    assert r_slow == pytest.approx(3.2 / 1.1, rel=0.02)      # max_width / (v + 1)
    assert r_fast == pytest.approx(3.2 / 3.0, rel=0.02)
    very_fast = _feed(InkModel(), line(40, step=20.0, dt=1.0))
    assert min(d.r for d in very_fast) == pytest.approx(0.8)   # clamped at min_width
    # pressure is ignored when it is not real
    assert [d.r for d in _feed(InkModel(), line(40, step=4.0, dt=40.0, p=1.0))] == [d.r for d in slow]


def test_pressure_real_widths_follow_pressure():
    pts = tuple(Sample(100 + 3 * i, 120, 10.0 * i, i / 59) for i in range(60))
    dabs = _feed(InkModel(pressure_real=True), pts)
    radii = [d.r for d in dabs]
    assert radii[0] == pytest.approx(0.8)                      # p = 0 → min_width
    assert all(b >= a - 1e-9 for a, b in zip(radii, radii[1:]))   # rising pressure, rising width
    assert radii[-1] > 3.0                                     # p → 1 → towards max_width
    # velocity has no say: the same pressures at another speed give the same widths
    faster = tuple(Sample(s.x, s.y, s.t / 10, s.p) for s in pts)
    assert [d.r for d in _feed(InkModel(pressure_real=True), faster)] == radii
    flat_hi = _feed(InkModel(pressure_real=True), tuple(Sample(100 + 3 * i, 120, 10.0 * i, 1.0) for i in range(30)))
    flat_lo = _feed(InkModel(pressure_real=True), tuple(Sample(100 + 3 * i, 120, 10.0 * i, 0.1) for i in range(30)))
    assert all(d.r == pytest.approx(3.2) for d in flat_hi)
    assert all(d.r == pytest.approx(0.8 + 0.1 * 2.4) for d in flat_lo)


def test_widths_stay_within_limits_and_scale():
    sig = cursive_signature()
    for scale in (1.0, 2.5):
        model = InkModel(scale=scale)
        for stroke in sig.strokes:
            for d in model.stroke(stroke):
                assert 0.8 * scale - 1e-9 <= d.r <= 3.2 * scale + 1e-9


def test_dabs_are_contiguous_in_a_fast_stroke():
    # 2–4 px/ms zig-zag with 20–30 px between samples
    pts = tuple(Sample(50 + 12 * i, 120 + 60 * math.sin(i * 1.3), 5.0 * i) for i in range(40))
    model = InkModel()
    dabs = _feed(model, pts)
    gaps = [math.hypot(b.x - a.x, b.y - a.y) for a, b in zip(dabs, dabs[1:])]
    assert max(gaps) <= 1.0
    assert max(gaps) <= ink.DAB_SPACING_PX + 1e-9
    # the stroke starts and ends exactly on the first and last sample
    assert (dabs[0].x, dabs[0].y) == (pts[0].x, pts[0].y)
    assert (dabs[-1].x, dabs[-1].y) == pytest.approx((pts[-1].x, pts[-1].y))
    # at scale 3 the spacing scales too
    big = _feed(InkModel(scale=3.0), pts)
    assert max(math.hypot(b.x - a.x, b.y - a.y) for a, b in zip(big, big[1:])) <= 3 * ink.DAB_SPACING_PX + 1e-9


def test_curve_is_smooth_through_midpoints():
    # A right angle of raw samples becomes a rounded corner: the ink passes through the midpoints
    # of consecutive samples but cuts the corner sample itself.
    pts = (Sample(100, 100, 0), Sample(200, 100, 100), Sample(200, 200, 200))
    dabs = _feed(InkModel(), pts)
    assert min(math.hypot(d.x - 150, d.y - 100) for d in dabs) < 1e-9
    assert min(math.hypot(d.x - 200, d.y - 150) for d in dabs) < 1e-9
    assert min(math.hypot(d.x - 200, d.y - 100) for d in dabs) == pytest.approx(12.5 * math.sqrt(2))


def test_incremental_pieces_add_up_and_model_is_reusable():
    sig = cursive_signature()
    model = InkModel()
    first = [_feed(model, s) for s in sig.strokes]
    again = [model.stroke(s) for s in sig.strokes]
    assert first == again
    assert model.begin(Sample(10, 10, 0)) == [Dab(10, 10, 2.0)]     # a dot shows at once
    assert model.end() == []                                         # a tap adds nothing more


def test_ink_model_edge_cases():
    model = InkModel()
    assert model.end() == []                                          # end without begin
    assert len(model.add(Sample(5, 5, 0))) == 1                       # add without begin starts a stroke
    same_time = model.add(Sample(9, 5, 0))                            # Δt = 0: no division by zero
    assert same_time and all(math.isfinite(d.r) for d in same_time)
    assert model.add(Sample(9, 5, 0))                                 # no movement at all
    for bad in ({"min_width": 0}, {"max_width": 0.5}, {"velocity_filter_weight": 0},
                {"velocity_filter_weight": 1.5}, {"scale": 0}, {"scale": float("nan")}):
        with pytest.raises(ValueError):
            InkModel(**bad)


# --- rendering ------------------------------------------------------------------------

def _png(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    img = Image.open(io.BytesIO(data))
    img.load()
    assert img.format == "PNG"
    return img


def _path_points(sig: Signature):
    """Midpoints of consecutive samples: the smoothed ink passes exactly through them."""
    for stroke in sig.strokes:
        for a, b in zip(stroke[::7], stroke[1::7]):
            yield (a.x + b.x) / 2, (a.y + b.y) / 2


def test_render_transparent_png():
    sig = cursive_signature()
    img = _png(render_png(sig))
    assert img.size == (W, H) and img.mode == "RGBA"
    alpha = img.getchannel("A")
    for corner in ((0, 0), (W - 1, H - 1), (W - 1, 0), (5, H - 5)):
        assert alpha.getpixel(corner) == 0
    points = list(_path_points(sig))
    assert len(points) > 30
    for x, y in points:
        assert alpha.getpixel((int(x), int(y))) > 128, (x, y)
        assert img.getpixel((int(x), int(y)))[:3] == (20, 30, 90)
    inked = sum(alpha.histogram()[129:])
    assert 0.01 < inked / (W * H) < 0.2


def test_render_background_ink_and_scale():
    sig = cursive_signature()
    img = _png(render_png(sig, scale=2, ink=(200, 0, 0), background=(255, 255, 255)))
    assert img.size == (2 * W, 2 * H) and img.mode == "RGB"
    assert img.getpixel((2 * W - 1, 2 * H - 1)) == (255, 255, 255)
    for x, y in _path_points(sig):
        r, g, b = img.getpixel((int(2 * x), int(2 * y)))
        assert r > 150 and g < 100 and b < 100, (x, y)
    assert _png(render_png(sig, scale=0.5)).size == (W // 2, H // 2)


def test_render_empty_and_refusals():
    img = _png(render_png(Signature(W, H, ())))
    assert img.getchannel("A").getextrema() == (0, 0)
    assert codes(render_png, Signature(50, H, ())) == "signature.pad_size"
    for scale in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            render_png(Signature(W, H, ()), scale=scale)
    with pytest.raises(ValueError):
        render_png(Signature(8000, 8000, ()), scale=2)


# --- messages ---------------------------------------------------------------------------

CODES = ["signature.not_object", "signature.missing_key", "signature.structure", "signature.not_number",
         "signature.unreadable", "signature.file_too_large", "signature.not_utf8", "signature.not_json",
         "signature.pad_size", "signature.out_of_bounds", "signature.time_order", "signature.pressure",
         "signature.too_large", "signature.empty", "signature.too_little"]

PARAMS = {"key": "width", "where": "strokes[0][1].y", "path": "sig.json", "reason": "No such file",
          "limit_mb": 16, "line": 1, "column": 2, "width": 600, "height": 240, "min": 100, "max": 8000,
          "stroke": 1, "point": 2, "x": "-3.0", "y": "4.0", "t": "-1.0", "p": 1.5, "strokes": 300,
          "samples": 60000, "max_strokes": 200, "max_samples": 50000}


@pytest.mark.parametrize("code", CODES)
def test_every_message_renders_in_both_languages(code):
    err = KioskError(code, **PARAMS)
    id_text, en_text = err.message("id"), err.message("en")
    assert id_text != code and en_text != code and id_text != en_text
    assert not re.search(r"\{[a-z_]+\}", id_text + en_text)       # every placeholder filled


def test_indonesian_by_default():
    with pytest.raises(KioskError) as info:
        validate(Signature(W, H, ((Sample(300, 120, 0),),)))
    assert str(info.value) == ("Tanda tangan terlalu pendek. Hapus lalu tanda tangani ulang "
                               "dengan nama/paraf lengkap.")
    with pytest.raises(KioskError) as info:
        validate(Signature(W, H, ()))
    assert str(info.value).startswith("Belum ada tanda tangan. Tanda tangani di kotak")


def test_english_messages(english):
    with pytest.raises(KioskError) as info:
        validate(Signature(W, H, ((Sample(300, 120, 0),),)))
    assert str(info.value) == "The signature is too short. Clear it and sign again with your full name or initials."
    with pytest.raises(KioskError) as info:
        validate(_replace(5, Sample(-30, 100, _at(5).t)))
    assert str(info.value).startswith("Point 6 of stroke 2 (-30.0, 100.0) lies outside the 600×240")
    with pytest.raises(KioskError) as info:
        Signature.from_json([])
    assert "JSON object" in str(info.value)


def test_language_restored_after_english_fixture():
    assert i18n.language() == "id"


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent.parent / "docs" / "signature-sample.png"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(render_png(cursive_signature(), scale=1, background=(255, 255, 255)))
    print(f"wrote {out}")
