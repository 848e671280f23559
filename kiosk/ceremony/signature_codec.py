"""A compact, exact binary form of a :class:`~kiosk.ceremony.signature.Signature`.

``decode(encode(sig)) == sig`` for every signature whose pad size passes
:func:`~kiosk.ceremony.signature.check_pad_size` and whose size is within
:data:`~kiosk.ceremony.signature.MAX_STROKES` / :data:`~kiosk.ceremony.signature.MAX_SAMPLES`:
every float comes back bit for bit (``-0.0``, subnormals, NaN payloads and all).  This is only
how samples are *stored*; a signature's identity stays :meth:`Signature.sha256` of its canonical
JSON, which the decoded record reproduces.

Layout, version 1 (docs/signature-encoding.md has a worked example and a standalone decoder)::

    offset  size  field
    0       3     magic b"IKS"
    3       1     version, 1
    4       1     flags: bit 0 = pressure_real; the other bits are 0
    5       4     column codes for x, y, t, p: k = 0..15 means integers = value × 10**k,
                  255 means raw IEEE-754 float64, little-endian
    9       var   width, height, number of strokes S, then S sample counts: unsigned LEB128 varints
    ...     rest  zlib stream: the x column, then y, then t, then p, each over all N samples in
                  stroke order.  A k column is N zigzag LEB128 varints, each the difference
                  from the previous sample's integer (the first from 0); value = integer / 10**k.
                  A raw column is N × 8 bytes.

The encoder picks, per column, the smallest k for which every value round-trips exactly through
``round(v × 10**k) / 10**k`` with ``|integer| < 2**53``, and raw otherwise: the Qt pad's x and y
(2 decimals) come out as k = 2, its t (whole ms) as k = 0, its p as k = 3 (pen) or k = 1
(0.5 for mouse and touch); arbitrary floats from a signature file fall back to raw.  zlib (not
lzma) after measuring both on realistic signatures: lzma's raw format saves ~10 % but needs its
filter chain spelled out to decode, its container formats cost more than they save at this size,
and zlib is everywhere (and carries an Adler-32 check of the columns).

:func:`decode` refuses anything that is not exactly such a blob with :class:`KioskError`
``signature.damaged`` (or ``signature.codec_version`` for a newer version), and never
decompresses more than the counts in the header allow.  This module imports no Qt.
"""
from __future__ import annotations

import math
import struct
import zlib
from itertools import accumulate
from operator import attrgetter

from kiosk.ceremony.signature import MAX_PAD_PX, MAX_SAMPLES, MAX_STROKES, MIN_PAD_PX, Sample, Signature, check_pad_size
from kiosk.i18n import KioskError, register

MAGIC = b"IKS"
VERSION = 1
FLAG_PRESSURE_REAL = 0x01
#: Column code for raw float64 values; 0..MAX_DECIMALS are decimal scales.
RAW = 255
MAX_DECIMALS = 15
#: Quantised integers stay below this magnitude, so they and their quotient are exact doubles.
INT_LIMIT = 2 ** 53
#: A zigzag delta of two such integers is below 2**55: at most 8 varint bytes.
MAX_VARINT_BYTES = 8
ZLIB_LEVEL = 9
_HEADER = len(MAGIC) + 2 + 4  # magic, version, flags, four column codes

register({
    "signature.damaged": {
        "id": "Data tanda tangan yang tersimpan rusak (di bita ke-{offset}) sehingga tidak dapat dibaca. "
              "Ekspor ulang data dari kiosk yang merekamnya, atau pulihkan berkas dari cadangan.",
        "en": "The stored signature data is damaged (at byte {offset}) and cannot be read. "
              "Export the data again from the kiosk that recorded it, or restore the file from a backup.",
    },
    "signature.codec_version": {
        "id": "Tanda tangan ini disimpan dengan format versi {version}, lebih baru daripada yang dikenal "
              "Ikrar Kiosk ini. Perbarui Ikrar Kiosk, lalu buka lagi berkasnya.",
        "en": "This signature was stored in format version {version}, newer than this Ikrar Kiosk knows. "
              "Update Ikrar Kiosk, then open the file again.",
    },
})


# --- encoding --------------------------------------------------------------

def _uvarint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _exact(v: float) -> bool:
    """False for -0.0 (its integer 0 comes back as +0.0), NaN, infinities and |v| >= 2**53."""
    return -INT_LIMIT < v < INT_LIMIT and (v != 0.0 or math.copysign(1.0, v) > 0)


def _quantised(values: list[float], k: int) -> list[int] | None:
    """The integers ``v × 10**k`` when every value comes back exactly as ``integer / 10**k``."""
    scale = 10 ** k
    ints = [round(v * scale) for v in values]    # finite: _column checked every value is _exact
    for q, v in zip(ints, values):
        if q / scale != v or not -INT_LIMIT < q < INT_LIMIT:
            return None
    return ints


def _column(values: list[float]) -> tuple[int, bytes]:
    """(column code, column bytes) for one column of values."""
    if all(map(_exact, values)):
        for k in range(MAX_DECIMALS + 1):
            ints = _quantised(values, k)
            if ints is None:
                continue
            out = bytearray()
            append = out.append
            prev = 0
            for q in ints:
                d = q - prev
                prev = q
                z = d << 1 if d >= 0 else (-d << 1) - 1
                if z < 0x80:
                    append(z)
                elif z < 0x4000:
                    append((z & 0x7F) | 0x80)
                    append(z >> 7)
                else:
                    _uvarint(z, out)
            return k, bytes(out)
    return RAW, struct.pack(f"<{len(values)}d", *values)


def encode(sig: Signature) -> bytes:
    """The compact binary form of ``sig`` (see the module docstring for the layout).

    Raises :class:`KioskError` ``signature.pad_size`` or ``signature.too_large`` for a signature
    that could never be stored (the same limits :func:`decode` enforces).
    """
    check_pad_size(sig)
    n_samples = sig.sample_count
    if len(sig.strokes) > MAX_STROKES or n_samples > MAX_SAMPLES:
        raise KioskError("signature.too_large", strokes=len(sig.strokes), samples=n_samples,
                         max_strokes=MAX_STROKES, max_samples=MAX_SAMPLES)
    samples = [s for stroke in sig.strokes for s in stroke]
    codes = bytearray()
    body = bytearray()
    for name in ("x", "y", "t", "p"):
        code, data = _column([float(v) for v in map(attrgetter(name), samples)])
        codes.append(code)
        body += data
    out = bytearray(MAGIC)
    out.append(VERSION)
    out.append(FLAG_PRESSURE_REAL if sig.pressure_real else 0)
    out += codes
    for n in (sig.width, sig.height, len(sig.strokes), *(len(stroke) for stroke in sig.strokes)):
        _uvarint(n, out)
    out += zlib.compress(bytes(body), ZLIB_LEVEL)
    return bytes(out)


# --- decoding --------------------------------------------------------------

def _damaged(offset: int) -> KioskError:
    return KioskError("signature.damaged", offset=offset)


class _Reader:
    """Unsigned varints from the header; a damaged one is reported at its first byte."""
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes, pos: int) -> None:
        self.data, self.pos = data, pos

    def uvarint(self, max_bytes: int) -> int:
        data, pos = self.data, self.pos
        n = shift = 0
        for i in range(pos, min(pos + max_bytes, len(data))):
            b = data[i]
            n |= (b & 0x7F) << shift
            if not b & 0x80:
                self.pos = i + 1
                return n
            shift += 7
        raise _damaged(pos)


def _header(blob: bytes) -> tuple[bool, bytes, int, int, list[int], int]:
    """(pressure_real, column codes, width, height, sample counts, body offset), checked."""
    if len(blob) < _HEADER or blob[:len(MAGIC)] != MAGIC:
        raise _damaged(0)
    version = blob[3]
    if version != VERSION:
        if version > VERSION:
            raise KioskError("signature.codec_version", version=version)
        raise _damaged(3)
    flags = blob[4]
    if flags & ~FLAG_PRESSURE_REAL:
        raise _damaged(4)
    codes = blob[5:_HEADER]
    for i, code in enumerate(codes):
        if code != RAW and code > MAX_DECIMALS:
            raise _damaged(5 + i)
    r = _Reader(blob, _HEADER)
    width, height = r.uvarint(2), r.uvarint(2)
    if not (MIN_PAD_PX <= width <= MAX_PAD_PX and MIN_PAD_PX <= height <= MAX_PAD_PX):
        raise _damaged(_HEADER)
    start = r.pos
    n_strokes = r.uvarint(2)
    if n_strokes > MAX_STROKES:
        raise _damaged(start)
    counts = []
    total = 0
    for _ in range(n_strokes):
        start = r.pos
        n = r.uvarint(3)
        total += n
        if total > MAX_SAMPLES:
            raise _damaged(start)
        counts.append(n)
    return bool(flags & FLAG_PRESSURE_REAL), codes, width, height, counts, r.pos


def _inflate(blob: bytes, offset: int, limit: int) -> bytes:
    """The zlib stream at ``offset``: at most ``limit`` bytes out, complete, and nothing after it."""
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(blob[offset:], limit + 1)   # a bomb stops here, at limit + 1
    except zlib.error:
        raise _damaged(offset) from None
    if len(body) > limit or not inflater.eof or inflater.unused_data:
        raise _damaged(offset)
    return body


def _varint_column(body: bytes, pos: int, n: int, where: int) -> tuple[list[int], int]:
    """``n`` zigzag varint deltas from ``body[pos:]`` summed into integers; (integers, end)."""
    if not n:
        return [], pos
    zigzags: list[int] = []
    append = zigzags.append
    acc = shift = 0
    left = n
    limit = 7 * MAX_VARINT_BYTES
    for end, b in enumerate(body[pos:pos + MAX_VARINT_BYTES * n], pos):  # noqa: B007 (end is used after)
        if b < 0x80:
            append(acc | (b << shift))
            left -= 1
            if not left:
                break
            acc = shift = 0
        else:
            acc |= (b & 0x7F) << shift
            shift += 7
            if shift >= limit:
                raise _damaged(where)   # a varint longer than any value this format holds
    else:
        raise _damaged(where)           # the body ended inside the column
    ints = list(accumulate([(z >> 1) ^ -(z & 1) for z in zigzags]))
    if not (min(ints) > -INT_LIMIT and max(ints) < INT_LIMIT):
        raise _damaged(where)
    return ints, end + 1


def decode(blob: bytes) -> Signature:
    """The :class:`Signature` stored by :func:`encode`; refuses a damaged blob with :class:`KioskError`."""
    blob = bytes(blob)
    pressure_real, codes, width, height, counts, offset = _header(blob)
    n = sum(counts)
    body = _inflate(blob, offset, limit=8 * n * len(codes))   # raw: 8 bytes a value; varints: at most 8
    columns: list[list[float]] = []
    pos = 0
    for code in codes:
        if code == RAW:
            if pos + 8 * n > len(body):
                raise _damaged(offset)
            columns.append(list(struct.unpack_from(f"<{n}d", body, pos)))
            pos += 8 * n
        else:
            ints, pos = _varint_column(body, pos, n, offset)
            scale = 10 ** code
            columns.append([q / scale for q in ints])
    if pos != len(body):
        raise _damaged(offset)
    samples = list(map(Sample, *columns))
    strokes = []
    i = 0
    for count in counts:
        strokes.append(tuple(samples[i:i + count]))
        i += count
    return Signature(width, height, tuple(strokes), pressure_real)


__all__ = ["MAGIC", "RAW", "VERSION", "decode", "encode"]
