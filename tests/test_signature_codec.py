"""The binary signature codec (exact round trip, refusals) and the small stored PNG."""
from __future__ import annotations

import io
import json
import math
import pathlib
import re
import struct
import sys
import tracemalloc
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from signature_samples import PAD_SIZES, realistic_signature, realistic_signatures
from test_signature import cursive_signature, small_paraf, thousand_sample_signature

from kiosk import i18n
from kiosk.ceremony import ink
from kiosk.ceremony import signature_codec as codec
from kiosk.ceremony.ink import render_png, render_small_png
from kiosk.ceremony.signature import MAX_SAMPLES, MAX_STROKES, Sample, Signature, validate
from kiosk.ceremony.signature_codec import decode, encode
from kiosk.i18n import KioskError

W, H = 1300, 430


def bits(sig: Signature) -> tuple:
    """Everything in the record, floats as their IEEE-754 bit patterns (so -0.0 != 0.0, NaN == NaN)."""
    return (type(sig.width), sig.width, type(sig.height), sig.height, sig.pressure_real,
            tuple(tuple(struct.pack("<4d", s.x, s.y, s.t, s.p) for s in stroke) for stroke in sig.strokes))


def assert_exact(sig: Signature) -> bytes:
    blob = encode(sig)
    back = decode(blob)
    assert bits(back) == bits(sig)
    assert all(type(v) is float for stroke in back.strokes for s in stroke for v in (s.x, s.y, s.t, s.p))
    if all(math.isfinite(v) for stroke in sig.strokes for s in stroke for v in (s.x, s.y, s.t, s.p)):
        assert back == sig
        assert back.sha256() == sig.sha256()
        assert back.canonical_bytes() == sig.canonical_bytes()
    return blob


def codes(fn, *args) -> str:
    with pytest.raises(KioskError) as info:
        fn(*args)
    return info.value.code


def column_codes(blob: bytes) -> tuple[int, ...]:
    return tuple(blob[5:9])


# --- exact round trip -----------------------------------------------------------------

@pytest.mark.parametrize("device", ["touch", "mouse", "pen"])
@pytest.mark.parametrize("pad", sorted(PAD_SIZES))
def test_realistic_signatures_round_trip_exactly(device, pad):
    for sig in realistic_signatures(40, seed=zlib.crc32(f"{device} {pad}".encode()), device=device, pad=pad):
        validate(sig)
        blob = assert_exact(sig)
        assert blob[:4] == b"IKS\x01"
        assert blob[4] == (1 if device == "pen" else 0)
        assert len(blob) * 5 < len(sig.canonical_bytes())


def test_the_pads_values_are_stored_as_integers():
    touch = encode(realistic_signature(1, device="touch"))
    pen = encode(realistic_signature(1, device="pen"))
    assert column_codes(touch) == (2, 2, 0, 1)      # x, y ×100; t whole ms; p = 0.5 ×10
    assert column_codes(pen) == (2, 2, 0, 3)        # pressure with 3 decimals
    whole = Signature(W, H, ((Sample(10.0, 20.0, 0.0), Sample(11.0, 22.0, 16.0)),))
    assert column_codes(encode(whole)) == (0, 0, 0, 1)


def test_existing_test_signatures_round_trip():
    for sig in (cursive_signature(), thousand_sample_signature(), small_paraf()):
        assert_exact(sig)
    # small_paraf's x, y are arbitrary floats: stored raw, still exact
    assert column_codes(encode(small_paraf()))[:2] == (codec.RAW, codec.RAW)


def test_negative_zero_and_extremes():
    tiny = 5e-324
    values = [-0.0, 0.0, tiny, -tiny, sys.float_info.max, -sys.float_info.max, sys.float_info.min,
              2.0 ** 53, 2.0 ** 53 - 1, -(2.0 ** 53 - 1), 1e15 + 0.5, 0.1, 1 / 3, math.pi, 1e-15]
    for v in values:
        sig = Signature(W, H, ((Sample(v, v, v, v), Sample(v, 1.0, 2.0, 0.5)),))
        assert_exact(sig)
    # -0.0 alone forces its column raw (its integer 0 would come back as +0.0)
    sig = Signature(W, H, ((Sample(-0.0, 1.5, 0.0, 0.5), Sample(3.0, 1.5, 10.0, 0.5)),))
    assert column_codes(encode(sig)) == (codec.RAW, 1, 0, 1)
    assert math.copysign(1.0, decode(encode(sig)).strokes[0][0].x) == -1.0


def test_values_that_need_many_decimals_or_none():
    sig = Signature(W, H, ((Sample(1e-15, 123.456789, 1e15, 0.125),),))
    assert column_codes(assert_exact(sig)) == (15, 6, 0, 3)
    # beyond 2**53 as an integer: raw
    sig = Signature(W, H, ((Sample(2.0 ** 53, 0.0, 0.0),),))
    assert column_codes(assert_exact(sig))[0] == codec.RAW


def test_non_finite_values_keep_their_bits():
    nan_payload = struct.unpack("<d", struct.pack("<Q", 0x7FF8_0000_0000_1234))[0]
    sig = Signature(W, H, ((Sample(math.inf, -math.inf, nan_payload, math.nan),),))
    back = decode(encode(sig))
    assert bits(back) == bits(sig)


def test_empty_and_odd_shapes():
    assert_exact(Signature(W, H, ()))
    assert_exact(Signature(W, H, ((), (Sample(1.0, 2.0, 3.0),), ())))
    assert_exact(Signature(100, 8000, ((Sample(1.0, 2.0, 3.0),),), pressure_real=True))
    # ints in a directly made Sample come back as equal floats, with the same hash
    sig = Signature(W, H, ((Sample(1, 2, 3, 1), Sample(4, 5, 6, 0)),))
    back = decode(encode(sig))
    assert back == sig and back.sha256() == sig.sha256()


def test_largest_signature_round_trips():
    per = MAX_SAMPLES // MAX_STROKES
    strokes = tuple(tuple(Sample(i * 0.01, j * 1.25, i * per + j, 0.5) for j in range(per)) for i in range(MAX_STROKES))
    sig = Signature(8000, 8000, strokes)
    assert sig.sample_count == MAX_SAMPLES
    assert_exact(sig)
    raw = Signature(8000, 8000, (tuple(Sample(i / 7, i / 3, i / 9, i / MAX_SAMPLES / 7) for i in range(MAX_SAMPLES)),))
    blob = assert_exact(raw)
    assert column_codes(blob) == (codec.RAW,) * 4


def test_encode_refuses_what_could_not_be_stored():
    one = (Sample(1.0, 2.0, 3.0),)
    assert codes(encode, Signature(99, H, (one,))) == "signature.pad_size"
    assert codes(encode, Signature(W, 8001, (one,))) == "signature.pad_size"
    assert codes(encode, Signature(W, H, (one,) * (MAX_STROKES + 1))) == "signature.too_large"
    assert codes(encode, Signature(W, H, (one * (MAX_SAMPLES + 1),))) == "signature.too_large"


def test_decode_accepts_any_bytes_like():
    sig = realistic_signature(3)
    blob = encode(sig)
    assert decode(bytearray(blob)) == sig
    assert decode(memoryview(blob)) == sig


finite = st.floats(allow_nan=False, allow_infinity=False)
decimals = st.integers(min_value=-10 ** 9, max_value=10 ** 9).map(lambda i: i / 100)
values = st.one_of(finite, decimals, st.integers(min_value=-10 ** 6, max_value=10 ** 6).map(float),
                   st.sampled_from([-0.0, 0.0, 5e-324, 0.5, 1.0, 2.0 ** 53, sys.float_info.max]))


@st.composite
def signatures(draw, value=values):
    column = st.sampled_from(["any", "decimals", "same"])
    shape = [draw(column) for _ in range(4)]
    kinds = {"any": value, "decimals": decimals, "same": st.just(draw(value))}
    sample = st.builds(Sample, *(kinds[k] for k in shape))
    strokes = draw(st.lists(st.lists(sample, max_size=25).map(tuple), max_size=6).map(tuple))
    return Signature(draw(st.integers(100, 8000)), draw(st.integers(100, 8000)), strokes, draw(st.booleans()))


@settings(max_examples=400, deadline=None)
@given(signatures())
def test_property_exact_round_trip(sig):
    assert_exact(sig)


@settings(max_examples=100, deadline=None)
@given(signatures(value=st.floats(width=64)))
def test_property_round_trip_keeps_bits_of_any_float(sig):
    assert bits(decode(encode(sig))) == bits(sig)


# --- refusals ----------------------------------------------------------------------------

def header(*, flags=0, columns=(0, 0, 0, 0), width=W, height=H, counts=(1,), version=1) -> bytearray:
    out = bytearray(b"IKS" + bytes([version, flags]) + bytes(columns))
    for n in (width, height, len(counts), *counts):
        codec._uvarint(n, out)
    return out


def test_handmade_blob_decodes():
    blob = header(counts=(2,)) + zlib.compress(bytes([2, 2, 4, 0, 0, 32, 2, 1]))
    sig = decode(bytes(blob))
    assert sig == Signature(W, H, ((Sample(1.0, 2.0, 0.0, 1.0), Sample(2.0, 2.0, 16.0, 0.0)),))


@pytest.mark.parametrize("blob", [
    b"", b"I", b"IKS", b"XKS\x01", b"IKS\x00\x00\x00\x00\x00\x00",
    bytes(header(flags=2)) + zlib.compress(bytes(4)),                       # unknown flag
    bytes(header(columns=(16, 0, 0, 0))) + zlib.compress(bytes(4)),         # unknown column code
    bytes(header(width=99)) + zlib.compress(bytes(4)),                      # pad too small
    bytes(header(height=8001)) + zlib.compress(bytes(4)),
    bytes(header(counts=(0,) * (MAX_STROKES + 1))) + zlib.compress(b""),    # too many strokes
    bytes(header(counts=(MAX_SAMPLES, 1))) + zlib.compress(bytes(4 * (MAX_SAMPLES + 1))),
    bytes(header()) + b"not zlib at all",
    bytes(header()) + zlib.compress(bytes(3)),                              # a column short
    bytes(header()) + zlib.compress(bytes(5)),                              # a byte left over
    bytes(header()) + zlib.compress(bytes(4)) + b"\x00",                    # bytes after the stream
    bytes(header()) + zlib.compress(bytes(4))[:-1],                         # stream cut short
    bytes(header()) + zlib.compress(b"\xff" * 9 + bytes(3)),                # a 9-byte varint
    bytes(header(counts=(2,))) + zlib.compress(b"\xfe\xff\xff\xff\xff\xff\xff\x7f" * 2 + bytes(6)),  # |x| >= 2**53
    bytes(header(columns=(255, 0, 0, 0))) + zlib.compress(bytes(7)),        # raw column short
])
def test_damaged_blobs_are_refused(blob):
    assert codes(decode, blob) == "signature.damaged"


def test_newer_version_says_update():
    blob = bytes(header(version=2)) + zlib.compress(bytes(4))
    assert codes(decode, blob) == "signature.codec_version"
    with pytest.raises(KioskError) as info:
        decode(blob)
    assert "Perbarui Ikrar Kiosk" in str(info.value)
    assert "Update Ikrar Kiosk" in info.value.message("en")


def test_damaged_message_says_what_to_do():
    with pytest.raises(KioskError) as info:
        decode(b"IKS\x01garbage")
    assert info.value.params["offset"] >= 0
    assert "rusak" in str(info.value) and "cadangan" in str(info.value)
    i18n.set_language("en")
    assert "damaged" in str(info.value) and "Export the data again" in str(info.value)


def test_every_truncation_is_refused():
    blob = encode(realistic_signature(5, device="pen"))
    for end in range(len(blob)):
        assert codes(decode, blob[:end]) == "signature.damaged", end


def test_every_byte_change_is_refused_or_changes_the_signature():
    sig = realistic_signature(6, device="touch")
    blob = encode(sig)
    digest = sig.sha256()
    for i in range(len(blob)):
        for mask in (0x01, 0x80, 0xFF):
            changed = bytearray(blob)
            changed[i] ^= mask
            try:
                other = decode(bytes(changed))
            except KioskError as e:
                assert e.code in ("signature.damaged", "signature.codec_version")
            else:
                assert other.sha256() != digest, (i, mask)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.booleans())
def test_property_garbage_raises_only_kiosk_error(data, with_magic):
    if with_magic:
        data = b"IKS\x01" + data
    try:
        decode(data)
    except KioskError as e:
        assert e.code in ("signature.damaged", "signature.codec_version")


def test_decompression_bomb_is_refused_without_inflating_it():
    bomb = bytes(header(counts=(1,))) + zlib.compress(bytes(64 * 1024 * 1024), 9)   # 64 MB of zeros
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        assert codes(decode, bomb) == "signature.damaged"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


# --- the small stored image -------------------------------------------------------------

def png_header(data: bytes) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from the IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    w, h, depth, colour = struct.unpack(">IIBB", data[16:26])
    return w, h, depth, colour


@pytest.mark.parametrize("pad, size", [("1366x768", (480, 159)), ("1920x1080", (480, 149))])
def test_small_png_size_and_format(pad, size):
    sig = realistic_signature(8, pad=pad)
    data = render_small_png(sig)
    assert png_header(data) == (*size, ink.SMALL_PNG_BITS, 3)     # palette
    img = Image.open(io.BytesIO(data))
    assert img.size == size and img.mode == "P"
    alpha = img.convert("RGBA").getchannel("A")
    assert alpha.getextrema() == (0, 255)
    assert img.getpixel((0, 0)) == 0                               # the corner is no ink


def test_small_png_draws_where_the_samples_are():
    sig = realistic_signature(9, device="pen")
    img = Image.open(io.BytesIO(render_small_png(sig))).convert("RGBA")
    scale = ink.small_png_scale(sig)
    hits = total = 0
    for stroke in sig.strokes:
        for s in stroke[::5]:
            x, y = min(round(s.x * scale), img.width - 1), min(round(s.y * scale), img.height - 1)
            window = [img.getpixel((min(max(x + dx, 0), img.width - 1), min(max(y + dy, 0), img.height - 1)))[3]
                      for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
            hits += max(window) > 0
            total += 1
    assert hits == total
    # and where there are none, nothing: the image is mostly transparent
    alpha = img.getchannel("A")
    inked = alpha.point(lambda a: 255 if a else 0).histogram()[255]
    assert inked < 0.15 * img.width * img.height


def test_small_png_keeps_a_fast_thin_line_whole():
    # a very fast stroke draws the thinnest ink; scaled by 0.27 it would be under half a pixel
    line = tuple(Sample(100.0 + 40 * i, 300.0, 10.0 * i) for i in range(40))
    sig = Signature(1800, 560, (line,))
    img = Image.open(io.BytesIO(render_small_png(sig))).convert("RGBA").getchannel("A")
    scale = ink.small_png_scale(sig)
    row = round(300 * scale)
    for x in range(round(110 * scale), round(1650 * scale)):
        assert max(img.getpixel((x, y)) for y in (row - 1, row, row + 1)) >= 128, x


def test_small_png_is_small():
    sigs = realistic_signatures(15, seed=11)
    sizes = sorted(len(render_small_png(sig)) for sig in sigs)
    assert sizes[len(sizes) // 2] < 2500
    for sig in sigs[:3]:
        assert len(render_small_png(sig)) < len(render_png(sig)) / 8


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.builds(Sample, finite, finite, finite, finite), max_size=12), st.booleans())
def test_property_small_png_survives_absurd_samples(samples, pressure_real):
    data = render_small_png(Signature(1300, 430, (tuple(samples),), pressure_real))
    assert png_header(data)[:2] == (480, 159)


def test_small_png_refuses_a_bad_pad():
    assert codes(render_small_png, Signature(50, 430, ())) == "signature.pad_size"


# --- the signature section of docs/export-format.md stays true -----------------------------

FORMAT_DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "export-format.md"


def doc_blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", _section(), re.S)


def _section() -> str:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    start = text.index("## Signature samples")
    return text[start:text.index("\n## ", start + 1)]


def test_documented_example_is_what_the_codec_writes():
    example = json.loads(doc_blocks("json")[0])
    sig = Signature.from_json(example)
    blob_hex, body_dump = doc_blocks("text")[:2]
    blob = bytes.fromhex(blob_hex)
    body = bytes.fromhex(body_dump.splitlines()[0].replace("|", " "))
    assert decode(blob) == sig
    assert encode(sig)[:16] == blob[:16]                       # the header, byte for byte
    assert zlib.decompress(encode(sig)[16:]) == body == zlib.decompress(blob[16:])
    assert len(blob) == 58 and len(body) == 34 and len(sig.canonical_bytes()) == 254
    assert sig.sha256() in _section()


def test_documented_standalone_decoder_agrees():
    namespace: dict = {}
    exec(doc_blocks("python")[0], namespace)               # noqa: S102 - our own documentation
    samples = [*realistic_signatures(20, seed=5), small_paraf(), Signature(W, H, ((), (Sample(1.0, 2.0, 3.0),)))]
    for sig in samples:
        obj = namespace["decode"](encode(sig))
        assert Signature.from_json(obj) == sig
        assert namespace["sha256"](obj) == sig.sha256()
