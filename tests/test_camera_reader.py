"""The camera's decoding thread: a one-slot mailbox (newer frames replace older ones), the real
decoder on degraded frames, and each badge reported once."""
from __future__ import annotations

import threading
import time

import camera_frames as cf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.camera import BadgeReader, FrameDecoder, FrameMailbox, RawFrame, SeenFilter

UNHURRIED = 10_000.0


def gray(frame: cf.Frame) -> RawFrame:
    img = frame.image.convert("L")
    return RawFrame(img.tobytes(), img.width, img.height)


def wait_until(test, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.005)


@pytest.fixture(scope="module")
def people_frames():
    """People's badges on degraded frames (held-out mixed recipes: blur, motion, glare, low light, JPEG...)."""
    frames = [f for f in cf.mixed_frames(14, seed=23) if f.payload]
    assert len({f.payload for f in frames}) == len(frames)
    return frames


@pytest.fixture(scope="module")
def empty():
    return [gray(f) for f in cf.empty_frames(2, seed=5)]


# --- the mailbox --------------------------------------------------------------------------------------

def test_a_newer_item_replaces_the_one_waiting():
    box: FrameMailbox[int] = FrameMailbox()
    assert box.put(1) is False
    assert box.put(2) is True and box.put(3) is True
    assert box.take(0) == 3 and box.take(0) is None
    assert (box.offered, box.taken, box.dropped) == (3, 1, 2)


@given(st.lists(st.one_of(st.integers(0, 999), st.none()), max_size=60))
@settings(max_examples=150, deadline=None)
def test_the_mailbox_holds_the_newest_and_counts_every_drop(ops):
    """None is a take; an integer a put.  A take gets the last put since the previous take."""
    box: FrameMailbox[int] = FrameMailbox()
    waiting = None
    for op in ops:
        if op is None:
            assert box.take(0) == waiting
            waiting = None
        else:
            box.put(op)
            waiting = op
        assert box.waiting == (waiting is not None)
    assert box.offered == box.taken + box.dropped + (waiting is not None)


def test_closing_wakes_a_waiting_consumer():
    box: FrameMailbox[int] = FrameMailbox()
    got = []
    t = threading.Thread(target=lambda: got.append(box.take()))
    t.start()
    time.sleep(0.05)
    box.close()
    t.join(2)
    assert got == [None] and not t.is_alive()
    assert box.put(1) is False and box.take(0) is None


# --- the reader on real frames ----------------------------------------------------------------------------

def test_degraded_frames_become_one_report_per_badge(people_frames, empty):
    """Each person holds their badge up for a few frames, with empty frames between: one report each, in order."""
    reports = []
    reader = BadgeReader(lambda payload, result: reports.append(payload),
                         decoder=FrameDecoder(budget_ms=UNHURRIED), max_fps=None)
    reader.start()
    expected = []
    try:
        for f in people_frames[:6]:
            for _ in range(3):                                   # held up: the same badge on three frames
                reader.offer(gray(f))
                wait_until(lambda: not reader.mailbox.waiting)   # unhurried: every frame is decoded
            for e in empty * 6:                                  # lowered: gone for a dozen frames
                reader.offer(e)
                wait_until(lambda: not reader.mailbox.waiting)
            expected.append(f.payload)
        wait_until(lambda: reader.stats().decoded == reader.stats().offered)
    finally:
        reader.stop()
    # a mixed frame that the pipeline misses (1 in 12 at most) would drop out of the list; none may be doubled
    assert reports == [p for p in expected if p in reports]
    assert len(reports) >= len(expected) - 1
    stats = reader.stats()
    assert stats.badges == len(reports) and stats.dropped == 0 and stats.codes >= 3 * len(reports)


def test_the_same_badge_in_view_is_one_report_and_the_next_person_is_reported_at_once(people_frames):
    a, b = people_frames[0], next(f for f in people_frames if f.payload != people_frames[0].payload)
    reports = []
    seen = SeenFilter(hold_seconds=3.0, gone_frames=10)
    reader = BadgeReader(lambda payload, result: reports.append((payload, time.monotonic())),
                         decoder=FrameDecoder(budget_ms=UNHURRIED), seen=seen, max_fps=None)
    reader.start()
    try:
        for _ in range(8):
            reader.offer(gray(a))
            wait_until(lambda: not reader.mailbox.waiting)
        reader.offer(gray(b))                                     # the next person, straight after
        wait_until(lambda: len(reports) == 2)
    finally:
        reader.stop()
    assert [p for p, _ in reports] == [a.payload, b.payload]


def test_a_hundred_frames_offered_fast_are_mostly_dropped_and_the_newest_is_decoded(people_frames, empty):
    """The decoder is slow (20 ms a frame); frames arrive every 0.2 ms: the work done stays bounded."""
    real = FrameDecoder(budget_ms=UNHURRIED)
    started = []

    class Slow:
        guide = real.guide

        def decode(self, frame):
            started.append(time.monotonic())
            time.sleep(0.02)
            return real.decode(frame)

    reports = []
    reader = BadgeReader(lambda payload, result: reports.append(payload), decoder=Slow(), max_fps=None)
    reader.start()
    last = people_frames[1]
    try:
        t0 = time.monotonic()
        for i in range(100):
            reader.offer(empty[i % 2] if i < 99 else gray(last))
            time.sleep(0.0002)
        offered_in = time.monotonic() - t0
        wait_until(lambda: not reader.mailbox.waiting and reader.stats().decoded == len(started)
                   and (reports or time.monotonic() - t0 > 5))
        wait_until(lambda: reports == [last.payload])
    finally:
        reader.stop()
    stats = reader.stats()
    assert stats.offered == 100
    assert stats.decoded == stats.offered - stats.dropped
    # at most one decode per 20 ms while frames came, plus the one waiting and the last: never a backlog
    assert stats.decoded <= offered_in / 0.02 + 3, (stats, offered_in)
    assert stats.dropped >= 100 - (offered_in / 0.02 + 3)
    assert reports == [last.payload]                             # the newest frame was the one decoded last


def test_max_fps_caps_the_decoding_rate(empty):
    reader = BadgeReader(lambda *_: None, decoder=FrameDecoder(budget_ms=UNHURRIED), max_fps=10)
    reader.start()
    try:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 1.0:
            reader.offer(empty[0])
            time.sleep(0.005)                                     # 200 frames a second offered
    finally:
        reader.stop()
    stats = reader.stats()
    assert stats.offered >= 100
    assert 5 <= stats.decoded <= 12                               # ~10 a second
    assert stats.mean_decode_ms > 0 and stats.cpu_ms > 0


def test_a_failing_decoder_or_callback_does_not_end_the_reader(people_frames):
    real = FrameDecoder(budget_ms=UNHURRIED)
    calls = []

    class Flaky:
        guide = real.guide

        def decode(self, frame):
            calls.append(1)
            if len(calls) == 1:
                raise ValueError("a torn frame")
            return real.decode(frame)

    def on_badge(payload, result):
        calls.append(payload)
        raise RuntimeError("a screen's bug")

    reader = BadgeReader(on_badge, decoder=Flaky(), max_fps=None)
    reader.start()
    try:
        for f in (people_frames[2], people_frames[2]):
            reader.offer(gray(f))
            wait_until(lambda: not reader.mailbox.waiting)
        wait_until(lambda: people_frames[2].payload in calls)
        assert reader.running
    finally:
        reader.stop()
    assert not reader.running


def test_reset_forgets_the_badges_seen(people_frames):
    reports = []
    reader = BadgeReader(lambda payload, result: reports.append(payload), decoder=FrameDecoder(budget_ms=UNHURRIED),
                         max_fps=None)
    reader.start()
    f = people_frames[3]
    try:
        reader.offer(gray(f))
        wait_until(lambda: len(reports) == 1)
        reader.offer(gray(f))
        wait_until(lambda: reader.stats().decoded == 2)
        assert len(reports) == 1                                  # still in view: quiet
        reader.reset()                                            # another camera: start afresh
        reader.offer(gray(f))
        wait_until(lambda: len(reports) == 2)
    finally:
        reader.stop()
    assert reports == [f.payload, f.payload]
