"""Handwritten signatures: the stored record, its validation, and the ink that draws it.

Record
    A :class:`Signature` keeps *every* raw sample the pad delivered (x, y in pad
    pixels with the origin top-left, t in ms since the pad was shown, pressure
    0..1) grouped into strokes, plus the pad size and whether the pressure was
    real (pen tablet) or a constant guess (mouse, finger).  Nothing is throttled
    or dropped: signature_pad's throttle and ``minDistance`` lose samples users
    then miss (signature_pad #307, #716, #422).  Smoothing happens only when
    drawing.  File / JSON form (DESIGN.md §4)::

        {"width": W, "height": H, "pressure_real": false,
         "strokes": [[{"x": .., "y": .., "t": .., "p": ..}, ...], ...]}

    :meth:`Signature.canonical_bytes` is a deterministic compact JSON form
    (sorted keys, no spaces, integral numbers written as integers, other
    numbers as Python's shortest round-trip ``repr``) so that the same
    signature always hashes the same, however its input JSON was formatted.

The ink that draws it is in :mod:`kiosk.ceremony.ink`.  This module imports no Qt.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass

from kiosk.i18n import KioskError, register

# --- limits and thresholds -------------------------------------------------

#: Pad width and height must be integers in this range (pixels).
MIN_PAD_PX = 100
MAX_PAD_PX = 8000
#: Samples may lie this far outside the pad (pen slightly over the edge).
BOUNDS_TOLERANCE_PX = 2.0
#: A record larger than this is refused (a real signature has < 30 strokes and
#: < 5,000 samples even from a 200 Hz pen tablet).
MAX_STROKES = 200
MAX_SAMPLES = 50_000
#: A signature file larger than this is refused unread (50,000 samples of
#: pretty-printed JSON are about 5 MB).
MAX_FILE_BYTES = 16 * 1024 * 1024

#: Minimum ink ("too little" = a tap, a dot or a tiny scribble).  All three
#: must hold:
#:   * at least MIN_SAMPLES samples in all strokes together;
#:   * total ink length >= MIN_INK_FRACTION × min(width, height);
#:   * the bounding box of all samples at least MIN_BOX_WIDTH_FRACTION × width
#:     wide OR MIN_BOX_HEIGHT_FRACTION × height high.
#: On a 600×240 pad: >= 8 samples, >= 36 px of ink, box >= 30 px wide or
#: >= 19.2 px high.  A hurried 70×30 px paraf (about 200 px of ink, 20+
#: samples at 60 Hz) passes; a tap, a dot or a 15 px scribble does not.
MIN_SAMPLES = 8
MIN_INK_FRACTION = 0.15
MIN_BOX_WIDTH_FRACTION = 0.05
MIN_BOX_HEIGHT_FRACTION = 0.08

#: Pressure stored when the device reports none.
DEFAULT_PRESSURE = 0.5

register({
    # --- structure (from_json / load) ---
    "signature.not_object": {
        "id": "Data tanda tangan harus berupa objek JSON dengan width, height dan strokes. "
              "Hapus lalu tanda tangani ulang, atau periksa berkas tanda tangannya.",
        "en": "Signature data must be a JSON object with width, height and strokes. "
              "Clear and sign again, or check the signature file.",
    },
    "signature.missing_key": {
        "id": "Data tanda tangan tidak memuat '{key}'. "
              "Hapus lalu tanda tangani ulang, atau lengkapi berkas tanda tangannya.",
        "en": "The signature data lacks '{key}'. "
              "Clear and sign again, or complete the signature file.",
    },
    "signature.structure": {
        "id": "Data tanda tangan rusak di {where}: strokes harus berupa daftar goresan, tiap goresan "
              "daftar titik, tiap titik objek {{\"x\", \"y\", \"t\", \"p\"}}, dan pressure_real true/false. "
              "Hapus lalu tanda tangani ulang, atau perbaiki berkasnya.",
        "en": "The signature data is malformed at {where}: strokes must be a list of strokes, each a "
              "list of points, each point an object {{\"x\", \"y\", \"t\", \"p\"}}, and pressure_real "
              "true/false. Clear and sign again, or fix the file.",
    },
    "signature.not_number": {
        "id": "Nilai {where} pada data tanda tangan bukan angka yang sah (teks, kosong, NaN atau tak hingga). "
              "Hapus lalu tanda tangani ulang, atau perbaiki berkasnya.",
        "en": "The value {where} in the signature data is not a valid number (text, null, NaN or infinity). "
              "Clear and sign again, or fix the file.",
    },
    "signature.unreadable": {
        "id": "Berkas tanda tangan {path} tidak dapat dibaca ({reason}). "
              "Periksa nama berkas dan izin aksesnya, lalu coba lagi.",
        "en": "The signature file {path} cannot be read ({reason}). "
              "Check the file name and its permissions, then try again.",
    },
    "signature.file_too_large": {
        "id": "Berkas {path} terlalu besar untuk sebuah tanda tangan (batas {limit_mb} MB). "
              "Periksa apakah berkas yang dipilih sudah benar.",
        "en": "The file {path} is too large for a signature (limit {limit_mb} MB). "
              "Check that you chose the right file.",
    },
    "signature.not_utf8": {
        "id": "Berkas tanda tangan {path} bukan teks UTF-8. Simpan ulang sebagai JSON UTF-8, lalu coba lagi.",
        "en": "The signature file {path} is not UTF-8 text. Save it again as UTF-8 JSON, then try again.",
    },
    "signature.not_json": {
        "id": "Berkas tanda tangan {path} bukan JSON yang sah (rusak di baris {line}, kolom {column}). "
              "Perbaiki atau ekspor ulang berkasnya.",
        "en": "The signature file {path} is not valid JSON (broken at line {line}, column {column}). "
              "Fix or export the file again.",
    },
    # --- validation rules (validate) ---
    "signature.pad_size": {
        "id": "Ukuran kotak tanda tangan {width}×{height} piksel tidak didukung: lebar dan tinggi harus "
              "bilangan bulat {min}–{max}. Ubah ukuran kotak tanda tangan di pengaturan kiosk, "
              "lalu tanda tangani ulang.",
        "en": "A {width}×{height} pixel signature pad is not supported: width and height must be whole "
              "numbers from {min} to {max}. Change the pad size in the kiosk settings, then sign again.",
    },
    "signature.out_of_bounds": {
        "id": "Titik ke-{point} pada goresan ke-{stroke} ({x}, {y}) berada di luar kotak tanda tangan "
              "{width}×{height}. Hapus lalu tanda tangani ulang di dalam kotak.",
        "en": "Point {point} of stroke {stroke} ({x}, {y}) lies outside the {width}×{height} signature "
              "pad. Clear and sign again inside the box.",
    },
    "signature.time_order": {
        "id": "Waktu pada goresan ke-{stroke} mundur atau negatif di titik ke-{point} ({t} ms). "
              "Hapus lalu tanda tangani ulang; bila terulang, minta panitia memeriksa jam dan driver pena.",
        "en": "Time runs backwards or is negative in stroke {stroke} at point {point} ({t} ms). "
              "Clear and sign again; if it happens again, ask the organiser to check the clock and pen driver.",
    },
    "signature.pressure": {
        "id": "Tekanan pena di titik ke-{point} goresan ke-{stroke} bernilai {p}, di luar 0–1. "
              "Hapus lalu tanda tangani ulang; bila terulang, minta panitia memeriksa driver pena.",
        "en": "The pen pressure at point {point} of stroke {stroke} is {p}, outside 0–1. "
              "Clear and sign again; if it happens again, ask the organiser to check the pen driver.",
    },
    "signature.too_large": {
        "id": "Tanda tangan terlalu rumit ({strokes} goresan, {samples} titik; batasnya {max_strokes} "
              "goresan dan {max_samples} titik). Hapus lalu tanda tangani ulang dengan lebih sederhana.",
        "en": "The signature is too complex ({strokes} strokes, {samples} points; the limit is "
              "{max_strokes} strokes and {max_samples} points). Clear and sign again, more simply.",
    },
    "signature.empty": {
        "id": "Belum ada tanda tangan. Tanda tangani di kotak dengan jari atau pena.",
        "en": "There is no signature yet. Sign in the box with your finger or the pen.",
    },
    "signature.too_little": {
        "id": "Tanda tangan terlalu pendek. Hapus lalu tanda tangani ulang dengan nama/paraf lengkap.",
        "en": "The signature is too short. Clear it and sign again with your full name or initials.",
    },
})


# --- record ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sample:
    """One raw pad sample: position in pad px, time in ms since the pad was shown, pressure 0..1."""
    x: float
    y: float
    t: float
    p: float = DEFAULT_PRESSURE


def _number(value: object, where: str) -> float:
    """A finite float from a JSON number (not bool); -0.0 becomes 0.0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise KioskError("signature.not_number", where=where)
    try:
        f = float(value)
    except OverflowError:  # an integer beyond float range
        raise KioskError("signature.not_number", where=where) from None
    if not math.isfinite(f):
        raise KioskError("signature.not_number", where=where)
    return f + 0.0


def _pad_dimension(value: object, key: str, obj: dict) -> int:
    f = _number(value, key)
    if not f.is_integer():
        raise KioskError("signature.pad_size", width=obj.get("width"), height=obj.get("height"),
                         min=MIN_PAD_PX, max=MAX_PAD_PX)
    return int(f)


def _json_number(value: float) -> int | float:
    """Integral values as ints (compact, and 10 == 10.0 hash the same); others unchanged."""
    f = float(value)
    if f.is_integer() and abs(f) < 2.0 ** 53:
        return int(f)
    return f


def _too_large(strokes: int, samples: int) -> KioskError:
    return KioskError("signature.too_large", strokes=strokes, samples=samples,
                      max_strokes=MAX_STROKES, max_samples=MAX_SAMPLES)


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature as captured: every raw sample, the pad size, and whether pressure was real."""
    width: int
    height: int
    strokes: tuple[tuple[Sample, ...], ...]
    pressure_real: bool = False

    @classmethod
    def from_json(cls, obj: object) -> Signature:
        """Build from the JSON form, checking its structure (not the validation rules).

        Raises :class:`KioskError` when ``obj`` is not a dict, lacks a key, holds a
        non-number / NaN / infinity, a non-integral pad size, or more than
        :data:`MAX_STROKES` strokes or :data:`MAX_SAMPLES` samples.  Unknown keys
        are ignored.
        """
        if not isinstance(obj, dict):
            raise KioskError("signature.not_object")
        for key in ("width", "height", "strokes"):
            if key not in obj:
                raise KioskError("signature.missing_key", key=key)
        width = _pad_dimension(obj["width"], "width", obj)
        height = _pad_dimension(obj["height"], "height", obj)
        pressure_real = obj.get("pressure_real", False)
        if not isinstance(pressure_real, bool):
            raise KioskError("signature.structure", where="pressure_real")
        raw_strokes = obj["strokes"]
        if not isinstance(raw_strokes, (list, tuple)):
            raise KioskError("signature.structure", where="strokes")
        for i, raw in enumerate(raw_strokes):
            if not isinstance(raw, (list, tuple)):
                raise KioskError("signature.structure", where=f"strokes[{i}]")
        total = sum(len(raw) for raw in raw_strokes)
        if len(raw_strokes) > MAX_STROKES or total > MAX_SAMPLES:
            raise _too_large(len(raw_strokes), total)

        strokes = []
        for i, raw in enumerate(raw_strokes):
            samples = []
            for j, point in enumerate(raw):
                if not isinstance(point, dict):
                    raise KioskError("signature.structure", where=f"strokes[{i}][{j}]")
                for key in ("x", "y", "t"):
                    if key not in point:
                        raise KioskError("signature.missing_key", key=f"strokes[{i}][{j}].{key}")
                where = f"strokes[{i}][{j}]."
                samples.append(Sample(
                    _number(point["x"], where + "x"),
                    _number(point["y"], where + "y"),
                    _number(point["t"], where + "t"),
                    _number(point["p"], where + "p") if "p" in point else DEFAULT_PRESSURE,
                ))
            strokes.append(tuple(samples))
        return cls(width, height, tuple(strokes), pressure_real)

    def to_json(self) -> dict:
        """The JSON form; ``Signature.from_json(sig.to_json()) == sig``."""
        return {
            "width": _json_number(self.width),
            "height": _json_number(self.height),
            "pressure_real": bool(self.pressure_real),
            "strokes": [
                [{"x": _json_number(s.x), "y": _json_number(s.y),
                  "t": _json_number(s.t), "p": _json_number(s.p)} for s in stroke]
                for stroke in self.strokes
            ],
        }

    def canonical_bytes(self) -> bytes:
        """Deterministic compact JSON (sorted keys, no spaces, ASCII) used for hashing."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=True, allow_nan=False).encode("ascii")

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    @property
    def sample_count(self) -> int:
        return sum(len(stroke) for stroke in self.strokes)

    @property
    def ink_length(self) -> float:
        """Sum of the straight segment lengths between consecutive samples, in pad px."""
        total = 0.0
        hypot = math.hypot
        for stroke in self.strokes:
            for a, b in zip(stroke, stroke[1:]):
                total += hypot(b.x - a.x, b.y - a.y)
        return total


def load(path: str | os.PathLike) -> Signature:
    """Read a signature JSON file (UTF-8, BOM allowed), check its structure and :func:`validate` it."""
    shown = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise KioskError("signature.unreadable", path=shown, reason=e.strerror or type(e).__name__) from None
    if len(data) > MAX_FILE_BYTES:
        raise KioskError("signature.file_too_large", path=shown, limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KioskError("signature.not_utf8", path=shown) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise KioskError("signature.not_json", path=shown, line=e.lineno, column=e.colno) from None
    except (ValueError, RecursionError):
        raise KioskError("signature.not_json", path=shown, line="?", column="?") from None
    sig = Signature.from_json(obj)
    validate(sig)
    return sig


def _is_pad_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and MIN_PAD_PX <= v <= MAX_PAD_PX


def check_pad_size(sig: Signature) -> None:
    if not (_is_pad_int(sig.width) and _is_pad_int(sig.height)):
        raise KioskError("signature.pad_size", width=sig.width, height=sig.height,
                         min=MIN_PAD_PX, max=MAX_PAD_PX)


def _fmt(v: float) -> str:
    return f"{v:.1f}" if math.isfinite(v) else str(v)


def validate(sig: Signature) -> None:
    """Refuse a signature that breaks a rule, with its own :class:`KioskError` code.

    Checked in this order: ``signature.pad_size``, ``signature.too_large``,
    ``signature.empty``, then per sample in order ``signature.out_of_bounds``,
    ``signature.time_order`` (t >= 0 and non-decreasing within a stroke),
    ``signature.pressure`` (0..1), and finally ``signature.too_little``.
    """
    check_pad_size(sig)
    width, height = sig.width, sig.height
    n_strokes = len(sig.strokes)
    n_samples = sig.sample_count
    if n_strokes > MAX_STROKES or n_samples > MAX_SAMPLES:
        raise _too_large(n_strokes, n_samples)
    if n_samples == 0:
        raise KioskError("signature.empty")

    tol = BOUNDS_TOLERANCE_PX
    lo_x, hi_x, lo_y, hi_y = -tol, width + tol, -tol, height + tol
    min_x = min_y = math.inf
    max_x = max_y = -math.inf
    ink = 0.0
    hypot = math.hypot
    for i, stroke in enumerate(sig.strokes, 1):
        prev = None
        for j, s in enumerate(stroke, 1):
            x, y, t, p = s.x, s.y, s.t, s.p
            # Written so that NaN fails every test.
            if not (lo_x <= x <= hi_x and lo_y <= y <= hi_y):
                raise KioskError("signature.out_of_bounds", stroke=i, point=j, x=_fmt(x), y=_fmt(y),
                                 width=width, height=height)
            if not (t >= (prev.t if prev is not None else 0.0)):
                raise KioskError("signature.time_order", stroke=i, point=j, t=_fmt(t))
            if not (0.0 <= p <= 1.0):
                raise KioskError("signature.pressure", stroke=i, point=j, p=p)
            if x < min_x:
                min_x = x
            if x > max_x:
                max_x = x
            if y < min_y:
                min_y = y
            if y > max_y:
                max_y = y
            if prev is not None:
                ink += hypot(x - prev.x, y - prev.y)
            prev = s

    box_w, box_h = max_x - min_x, max_y - min_y
    if (n_samples < MIN_SAMPLES
            or ink < MIN_INK_FRACTION * min(width, height)
            or not (box_w >= MIN_BOX_WIDTH_FRACTION * width or box_h >= MIN_BOX_HEIGHT_FRACTION * height)):
        raise KioskError("signature.too_little", samples=n_samples, ink=round(ink, 1),
                         box_width=round(box_w, 1), box_height=round(box_h, 1))
