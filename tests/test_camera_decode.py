"""The camera decoder on synthetic webcam frames, the SeenFilter's rules, and decoding image files."""
from __future__ import annotations

import io
import json
import math
import random
import time

import camera_frames as cf
import pytest
import qrcode
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kiosk import i18n
from kiosk.camera import (
    FrameDecoder,
    PixelFormat,
    RawFrame,
    SeenFilter,
    Strategy,
    decode_image_files,
)
from kiosk.people.badge_code import format_code, new_code, parse_code
from kiosk.people.payload import extract_nip

GUEST = format_code(new_code(rng=random.Random(7)))      # a guest's badge code, as printed

# Decode quality must not depend on how busy the test machine is: a budget no frame reaches.
# The default budget is exercised with a fake clock below, and timed in the benchmark.
UNHURRIED = 10_000.0


@pytest.fixture(scope="module")
def hard():
    return cf.hard_frames()


@pytest.fixture(scope="module")
def mixed():
    return cf.mixed_frames(12, seed=11)


@pytest.fixture(scope="module")
def decoder():
    return FrameDecoder(budget_ms=UNHURRIED)


def gray_frame(frame: cf.Frame) -> RawFrame:
    img = frame.image.convert("L")
    return RawFrame(img.tobytes(), img.width, img.height)


# --- decoding ------------------------------------------------------------------------------------

def test_hard_frames_decode_to_the_right_nip(hard, decoder):
    results = [decoder.decode(gray_frame(f)) for f in hard]
    right = [f.name for f, r in zip(hard, results) if r is not None and extract_nip(r.text).digits == f.payload]
    wrong = [(f.name, r.text) for f, r in zip(hard, results) if r is not None and r.text != f.payload]
    assert wrong == []                                  # never a wrong NIP
    assert len(right) >= 19, f"only {len(right)}/20 read; missed {[f.name for f in hard if f.name not in right]}"


def test_the_pipeline_beats_zxing_defaults(hard, decoder):
    bare = sum(any(b.text == f.payload for b in zxingcpp.read_barcodes(f.image)) for f in hard)
    ours = sum((r := decoder.decode(gray_frame(f))) is not None and r.text == f.payload for f in hard)
    assert ours > bare


def test_mixed_frames_including_badge_codes(mixed, decoder):
    results = [decoder.decode(f.image) for f in mixed]
    assert all(r is None or r.text == f.payload for f, r in zip(mixed, results))
    assert sum(r is not None for r in results) >= len(mixed) - 1
    codes = [f for f in mixed if not f.payload.isdigit()]
    assert codes and all(r.text == f.payload for f, r in zip(mixed, results) if f in codes and r)


def test_corners_are_the_code_s_corners_in_frame_pixels(hard, decoder):
    checked = 0
    for f in hard:
        r = decoder.decode(gray_frame(f))
        if r is None:
            continue
        size = math.dist(f.corners[0], f.corners[2])
        for got, truth in zip(r.corners, f.corners):     # same order: top-left of the printed code first
            assert math.dist(got, truth) < 0.06 * size + 3, (f.name, r.strategy, r.corners, f.corners)
        cx, cy = r.centre
        x0, y0, x1, y1 = r.box
        assert x0 < cx < x1 and y0 < cy < y1
        checked += 1
    assert checked >= 19


def test_each_result_says_how_it_was_found(hard, decoder):
    by_name = {f.name: decoder.decode(gray_frame(f)) for f in hard}
    assert by_name["tilt-62"].strategy is Strategy.GUIDE and by_name["tilt-62"].attempts == 1
    assert by_name["off-centre"].strategy is Strategy.FULL           # outside the guide frame
    assert by_name["low-light"].strategy is Strategy.CONTRAST
    assert by_name["motion-blur"].strategy is Strategy.HALF
    assert by_name["defocus"].strategy is Strategy.CANDIDATE
    assert all(r.elapsed_ms > 0 for r in by_name.values() if r)


def test_empty_frames_give_none_quickly():
    decoder = FrameDecoder()                                         # the default budget
    frames = [f.image for f in cf.empty_frames(4)]
    frames.append(Image.new("L", (1280, 720), 128))
    frames.append(Image.effect_noise((1280, 720), 60))
    for img in frames:
        start = time.perf_counter()
        assert decoder.decode(img) is None
        assert time.perf_counter() - start < 0.5                     # ~5 ms on a quiet laptop core


def test_a_spent_budget_stops_the_ladder(hard):
    defocus = next(f for f in hard if f.name == "defocus")           # read by the fifth strategy
    ticks = iter(range(0, 10_000, 10))                               # a clock that moves 10 ms a look

    def clock() -> float:
        return next(ticks) / 1000

    assert FrameDecoder(budget_ms=15, clock=clock).decode(defocus.image) is None   # two strategies, then stop
    result = FrameDecoder(budget_ms=1000, clock=clock).decode(defocus.image)
    assert result is not None and result.strategy is Strategy.CANDIDATE and result.attempts == 5


def test_the_ladder_can_be_chosen(hard):
    off = next(f for f in hard if f.name == "off-centre")
    assert FrameDecoder(ladder=[Strategy.GUIDE], budget_ms=UNHURRIED).decode(off.image) is None
    wide = FrameDecoder(guide=(0, 0, 1, 1), ladder=[Strategy.GUIDE], budget_ms=UNHURRIED).decode(off.image)
    assert wide is not None and wide.text == off.payload
    with pytest.raises(ValueError):
        FrameDecoder(guide=(0.8, 0.2, 0.3, 0.9))
    with pytest.raises(ValueError):
        FrameDecoder(ladder=["sideways"])


def _padded(data: bytes, width: int, height: int, bpp: int, pad: int) -> bytes:
    row = width * bpp
    return b"".join(data[y * row:(y + 1) * row] + bytes(pad) for y in range(height))


def test_raw_frames_in_every_pixel_format_with_strides(hard, decoder):
    f = next(f for f in hard if f.name == "phone-moire")
    rgb = f.image
    w, h = rgb.size
    r, g, b = rgb.split()
    layouts = {
        PixelFormat.GRAY: (rgb.convert("L").tobytes(), 1),
        PixelFormat.RGB: (rgb.tobytes(), 3),
        PixelFormat.BGR: (Image.merge("RGB", (b, g, r)).tobytes(), 3),
        PixelFormat.RGBA: (rgb.convert("RGBA").tobytes(), 4),
        PixelFormat.BGRA: (Image.merge("RGBA", (b, g, r, Image.new("L", rgb.size, 255))).tobytes(), 4),
        PixelFormat.BGRX: (Image.merge("RGBA", (b, g, r, Image.new("L", rgb.size, 0))).tobytes(), 4),
    }
    y = layouts[PixelFormat.GRAY][0]
    chroma = bytes((i * 37) % 256 for i in range(len(y)))          # anything: the decoder must ignore it
    yuyv = bytearray(2 * len(y))
    yuyv[0::2], yuyv[1::2] = y, chroma
    uyvy = bytearray(2 * len(y))
    uyvy[1::2], uyvy[0::2] = y, chroma
    layouts[PixelFormat.YUYV] = (bytes(yuyv), 2)
    layouts[PixelFormat.UYVY] = (bytes(uyvy), 2)
    for fmt, (data, bpp) in layouts.items():
        packed = decoder.decode(RawFrame(data, w, h, format=fmt))
        strided = decoder.decode(RawFrame(bytearray(_padded(data, w, h, bpp, 64)), w, h, w * bpp + 64, fmt))
        assert packed is not None and packed.text == f.payload, fmt
        assert strided is not None and strided.text == f.payload and strided.corners == packed.corners, fmt
    view = memoryview(_padded(layouts[PixelFormat.GRAY][0], w, h, 1, 16))
    assert decoder.decode(RawFrame(view, w, h, w + 16)).text == f.payload
    for img in (rgb.convert("L"), rgb.convert("RGBA"), rgb.convert("P", palette=Image.Palette.ADAPTIVE)):
        assert decoder.decode(img).text == f.payload, img.mode


def test_raw_frames_are_checked():
    with pytest.raises(ValueError, match="cannot hold"):
        RawFrame(bytes(1280 * 719), 1280, 720)
    with pytest.raises(ValueError, match="shorter than a row"):
        RawFrame(bytes(1280 * 720 * 3), 1280, 720, stride=1280, format=PixelFormat.RGB)
    with pytest.raises(ValueError, match="empty"):
        RawFrame(b"", 0, 720)
    assert RawFrame(bytes(100 * 49 + 30), 30, 50, stride=100).row_bytes == 100   # the last row may be short
    with pytest.raises(TypeError):
        FrameDecoder().decode(b"\0" * 100)


def test_a_small_frame_is_read_whole():
    img = _qr_image("196804111993031009", box=3).convert("L")         # smaller than any guide crop
    result = FrameDecoder(budget_ms=UNHURRIED).decode(img)
    assert result is not None and result.text == "196804111993031009"


# --- reporting each badge once -------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def feed_frames(seen: SeenFilter, clock: Clock, frames, fps: float = 15.0) -> list[list[str]]:
    out = []
    for reads in frames:
        out.append(seen.feed(reads))
        clock.now += 1 / fps
    return out


def test_a_badge_held_in_view_is_reported_once():
    clock = Clock()
    seen = SeenFilter(hold_seconds=3, gone_frames=10, clock=clock)
    # 20 s of a badge held up, read on most frames but not all (blur), while its owner signs.
    frames = ["A" if i % 4 else None for i in range(300)]
    reports = feed_frames(seen, clock, frames)
    assert [r for r in reports if r] == [["A"]]
    assert reports[1] == ["A"]                          # the first frame that read it
    assert seen.in_view("A") and len(seen) == 1


def test_the_next_person_is_reported_at_once():
    clock = Clock()
    seen = SeenFilter(clock=clock)
    reports = feed_frames(seen, clock, ["A", "A", "B", "A", "B", "C"])
    assert reports == [["A"], [], ["B"], [], [], ["C"]]


def test_a_badge_is_reported_again_only_after_leaving_and_the_hold_time():
    clock = Clock()
    seen = SeenFilter(hold_seconds=3, gone_frames=10, clock=clock)
    assert seen.feed("A") == ["A"]
    # Lowered and raised at once (5 frames away): not again.
    feed_frames(seen, clock, [None] * 5)
    assert seen.feed("A") == []
    # Away for 10 frames but within 3 s of the report: not again.
    feed_frames(seen, clock, [None] * 10)
    assert not seen.in_view("A")
    assert seen.feed("A") == []
    # Away for 10 frames and 3 s after the report: a new scan (the kiosk decides what a repeat means).
    clock.now += 3
    feed_frames(seen, clock, [None] * 10)
    assert seen.feed("A") == ["A"]


def test_frames_that_were_not_fed_do_not_count():
    clock = Clock()
    seen = SeenFilter(hold_seconds=3, gone_frames=10, clock=clock)
    seen.feed("A")
    clock.now += 60                                     # the camera paused during the signature, badge still up
    assert seen.feed("A") == []


def test_several_codes_in_one_frame():
    seen = SeenFilter(clock=Clock())
    assert seen.feed(["A", "B", "A"]) == ["A", "B"]
    assert seen.feed(("B", "C")) == ["C"]
    assert seen.feed([]) == [] and seen.feed(None) == []


def test_forget_and_reset():
    seen = SeenFilter(clock=Clock())
    seen.feed(["A", "B"])
    seen.forget("A")
    seen.forget("never seen")
    assert seen.feed(["A", "B"]) == ["A"]
    seen.reset()
    assert len(seen) == 0 and seen.feed("B") == ["B"]
    with pytest.raises(ValueError):
        SeenFilter(gone_frames=0)
    with pytest.raises(ValueError):
        SeenFilter(hold_seconds=-1)


def test_memory_stays_small_in_a_long_queue():
    clock = Clock()
    seen = SeenFilter(hold_seconds=3, gone_frames=10, clock=clock)
    for person in range(500):                           # each holds a badge up for 2 s, then walks on
        feed_frames(seen, clock, [f"P{person}"] * 30 + [None] * 15)
    assert len(seen) <= 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from("ABC"), max_size=3), st.floats(0, 2)), max_size=80),
       st.floats(0, 5), st.integers(1, 6))
def test_seen_filter_rules_hold_for_any_stream(frames, hold, gone):
    clock = Clock()
    seen = SeenFilter(hold_seconds=hold, gone_frames=gone, clock=clock)
    last_read: dict[str, int] = {}
    last_report: dict[str, float] = {}
    for i, (reads, step) in enumerate(frames):
        reported = seen.feed(reads)
        assert reported == [r for r in dict.fromkeys(reads) if r in reported]      # in order, once each
        for text in dict.fromkeys(reads):
            if text not in last_read:
                assert text in reported                  # a badge never seen before: reported at once
            elif text in reported:
                assert i - last_read[text] - 1 >= gone   # it had left the view ...
                assert clock.now - last_report[text] >= hold   # ... and its hold time had passed
            else:
                gone_long = i - last_read[text] - 1 >= gone and clock.now - last_report[text] >= hold
                assert not gone_long                     # a badge that left and came back is not lost
            if text in reported:
                last_report[text] = clock.now
            last_read[text] = i
        clock.now += step


# --- image files and the command --------------------------------------------------------------

def _qr_image(payload: str, box: int = 8) -> Image.Image:
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=box)
    q.add_data(payload)
    return q.make_image().get_image().convert("RGB")


@pytest.fixture
def image_files(tmp_path, hard):
    files = {}
    files["png"] = tmp_path / "badge.png"
    hard[0].image.save(files["png"])
    files["jpeg"] = tmp_path / "photo.jpg"
    hard[12].image.save(files["jpeg"], quality=70)
    qr = _qr_image("198504012022222922").convert("L")
    transparent = Image.new("RGBA", qr.size, (0, 0, 0, 0))          # black ink on nothing, as apps export
    transparent.putalpha(qr.point(lambda v: 255 if v < 128 else 0))
    files["transparent"] = tmp_path / "screenshot.png"
    transparent.save(files["transparent"])
    files["spaced"] = tmp_path / "spaced.png"
    _qr_image("NIP. 19680411 199303 1 009").save(files["spaced"])
    files["code"] = tmp_path / "guest.png"
    _qr_image(GUEST).save(files["code"])
    files["bad_nip"] = tmp_path / "bad-nip.png"
    _qr_image("196813111993031009").save(files["bad_nip"])
    files["blank"] = tmp_path / "wall.jpg"
    cf.empty_frames(1)[0].image.save(files["blank"])
    files["garbage"] = tmp_path / "not-an-image.png"
    files["garbage"].write_bytes(b"\x89PNG\r\n\x1a\nthis is not a picture")
    buf = io.BytesIO()
    hard[1].image.save(buf, "JPEG")
    files["truncated"] = tmp_path / "cut.jpg"
    files["truncated"].write_bytes(buf.getvalue()[:2000])
    files["missing"] = tmp_path / "nowhere.png"
    return files


def test_decode_image_files(image_files, hard):
    f = image_files
    entries = decode_image_files([f["png"], str(f["jpeg"]), f["transparent"], f["spaced"], f["code"], f["bad_nip"],
                                  f["blank"], f["garbage"], f["truncated"], f["missing"]])
    by = {e["file"]: e for e in entries}
    assert [e["file"] for e in entries] == [str(f[k]) for k in ("png", "jpeg", "transparent", "spaced", "code",
                                                                 "bad_nip", "blank", "garbage", "truncated", "missing")]
    assert all(set(e) == {"file", "nip", "code", "payload", "error"} for e in entries)
    assert by[str(f["png"])] == {"file": str(f["png"]), "nip": hard[0].payload, "code": None,
                                 "payload": hard[0].payload, "error": None}
    assert by[str(f["jpeg"])]["nip"] == hard[12].payload
    assert by[str(f["transparent"])]["nip"] == "198504012022222922"
    assert by[str(f["spaced"])]["nip"] == "196804111993031009"
    assert by[str(f["spaced"])]["payload"] == "NIP. 19680411 199303 1 009"
    guest = by[str(f["code"])]
    assert guest["payload"] == GUEST and guest["nip"] is None and guest["code"] == parse_code(GUEST)
    assert guest["error"] is None
    bad = by[str(f["bad_nip"])]
    assert bad["payload"] == "196813111993031009" and bad["nip"] is None and bad["error"]
    for key, words in (("blank", "Tidak ada kode QR"), ("garbage", "tidak dapat dibuka sebagai gambar"),
                       ("truncated", "tidak dapat dibuka sebagai gambar"), ("missing", "tidak ditemukan")):
        e = by[str(f[key])]
        assert e["payload"] is None and e["nip"] is None and words in e["error"], key


def test_decode_messages_in_english(image_files):
    i18n.set_language("en")
    [e] = decode_image_files([image_files["garbage"]])
    assert e["error"] == "This file cannot be opened as an image. Use an intact PNG or JPEG photo."


def test_cmd_decode_text_and_exit_codes(image_files, hard, ikrar):
    f = image_files
    code, out, _ = ikrar("decode", f["png"], f["garbage"])
    assert code == 0
    spaced = extract_nip(hard[0].payload).spaced
    assert out.splitlines() == [f"{f['png']}: NIP {spaced}", f"{f['garbage']}: Berkas ini tidak dapat dibuka sebagai "
                                                              "gambar. Gunakan foto PNG atau JPEG yang utuh."]
    code, out, _ = ikrar("decode", f["blank"], f["missing"])
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("Tidak ada kartu yang sah di 2 berkas ini.")
    code, out, _ = ikrar("decode", f["code"])
    assert code == 0 and "kode kartu" in out


def test_cmd_decode_json(image_files, ikrar):
    f = image_files
    code, out, _ = ikrar("decode", "--json", f["spaced"], f["truncated"])
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True
    assert [(e["nip"], e["payload"] is None) for e in data["files"]] == [("196804111993031009", False), (None, True)]
    code, out, _ = ikrar("decode", "--json", f["missing"])
    assert code == 1
    data = json.loads(out)
    assert data == {"ok": False, "files": [{"file": str(f["missing"]), "nip": None, "code": None, "payload": None,
                                            "error": "Berkas tidak ditemukan. Periksa nama dan foldernya."}]}
