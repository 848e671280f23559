"""Fuzz, part 1: what a scanner, a keyboard and a signature file can send (hypothesis + ``tests/corpus/``).

Scan payloads at the desk, wedge key streams through the real kiosk window, signature JSON files through
``ikrar checkin``, NIKs and badge codes through the core and the command line: garbage, partial scans, two
scans glued together, 10 kB of digits, control characters, Arabic-Indic, Devanagari and full-width digits,
right-to-left text.  Every case must end in a result or a refusal with a message (never another exception,
never a traceback), and a refused input writes nothing (a refused scan writes its one scan-log row, by
design: every scan is logged, with its shape only).

Files (rosters, databases, exports) are ``test_fuzz_files.py``.  Full size: ``IKRAR_HARNESS_SCALE=full``.
"""
import json
import logging
import re

import pytest
from harness import figure, size
from harness.checks import content_digest, counts, forbidden
from harness.driver import Stamps
from harness.fuzzing import Tally, check_cli, corpus_files, corpus_json, refusal_or_none
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from test_kiosk_ui import make_kiosk  # noqa: F401  (fixture)

from kiosk.attendance.checkin import Desk, Status, payload_shape
from kiosk.ceremony import signature
from kiosk.i18n import KioskError
from kiosk.people import badge_code, nik
from kiosk.people.payload import extract_badge

EXAMPLES = size(120, 3000)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])
tally = Tally()

DIGITS = {"arabic-indic": 0x660, "persian": 0x6F0, "devanagari": 0x966, "bengali": 0x9E6, "thai": 0xE50,
          "fullwidth": 0xFF10}
NASTY = ("\x00\x01\x02\x03\x07\x08\t\n\r\x1b\x7f\u0085\u00a0\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
         "\u202e\u2028\u2029\ufeff\ufffd")
RTL = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "אבגדהוזחטיכלמנסעפצקרשת"
ALPHABET = "0123456789" + "".join(chr(b + d) for b in DIGITS.values() for d in range(10)) + NASTY + RTL + " .-/:NIPnip"


@pytest.fixture(scope="module", autouse=True)
def _figures(request):
    yield
    figure(request.config, "fuzz_inputs_cases_tried", tally.cases)
    figure(request.config, "fuzz_inputs_crashes", tally.crashes)


def _digits(nip: str, base: int) -> str:
    return "".join(chr(base + int(d)) for d in nip)


def payloads(nips):
    pick = st.sampled_from(nips)
    frame = st.text(alphabet=NASTY + " .:NIP#/?=&", max_size=6)
    return st.one_of(
        st.text(max_size=300),                                                   # anything at all
        st.text(alphabet=ALPHABET, max_size=120),                                # digits of every script, RTL
        st.builds(lambda a, n, b: a + n + b, frame, pick, frame),                # a real badge, framed
        st.builds(lambda a, b, sep: a + sep + b, pick, pick, st.sampled_from(["", " ", "\r", "\t", ",", "\x00"])),
        st.builds(lambda n, cut: n[:cut], pick, st.integers(0, 17)),             # a partial scan
        st.builds(lambda n, base: _digits(n, base), pick, st.sampled_from(list(DIGITS.values()))),
        st.integers(19, 12000).map(lambda k: ("1968041119930310" * 800)[:k]),   # up to 10 kB of digits
    )


def _hidden(shape: str) -> bool:
    """No letter but ``a``, no digit but ``9`` (``\\xNN`` escapes of control characters aside)."""
    bare = re.sub(r"\\x[0-9a-f]{2,}", "", shape)
    return all((c == "9" or not c.isnumeric()) and (c == "a" or not c.isalpha()) for c in bare)


def _corpus_scans(nips):
    return [s.replace("{NIP}", nips[0]).replace("{NIP2}", nips[1]) for s in corpus_json("scans.json")]


# --- scan payloads at the desk ------------------------------------------------------------------------

def _scan_case(store, desk, roster, payload):
    with tally.case():
        before = store.conn.execute("SELECT (SELECT count(*) FROM checkins), (SELECT count(*) FROM scan_log)"
                                    ).fetchone()
        result = refusal_or_none(desk.check_in, payload)
        assert not isinstance(result, KioskError), result        # a bad scan is a result, not an exception
        assert result.status in set(Status) and result.message.strip()
        assert not forbidden(result.message)
        after = store.conn.execute("SELECT (SELECT count(*) FROM checkins), (SELECT count(*) FROM scan_log)"
                                   ).fetchone()
        recorded = result.status == Status.RECORDED
        assert after == (before[0] + recorded, before[1] + 1)    # one scan-log row; a check-in only if recorded
        if recorded:
            assert result.nip in roster and result.nip.isascii()
        shape = store.conn.execute("SELECT payload_shape, nip FROM scan_log ORDER BY id DESC LIMIT 1").fetchone()
        assert len(shape[0]) <= 80 and _hidden(shape[0]), shape[0]
        assert shape[1] is None or shape[1] in roster or result.status == Status.UNKNOWN


def test_scan_payloads_from_the_corpus(store, event, people):
    desk, roster = Desk(store, event), {p.nip for p in people}
    nips = [p.nip for p in people]
    for payload in _corpus_scans(nips) + ["9" * 10_000, "١" * 10_000, ("\u202e" + nips[2]) * 300]:
        _scan_case(store, desk, roster, payload)


@FUZZ
@given(data=st.data())
def test_scan_payloads_fuzzed(store, event, people, data):
    desk, roster = Desk(store, event), {p.nip for p in people}
    _scan_case(store, desk, roster, data.draw(payloads([p.nip for p in people])))


@FUZZ
@given(text=st.text(max_size=200))
@example(text="0" * 13 + "\x1f" * 9 + "\U000107b1\U00018cd6\U00018cd6\U0002ebe1\ud7fc")   # an escape cut at 80
def test_payload_shape_never_keeps_a_letter_or_a_digit(text):
    with tally.case():
        shape = payload_shape(text)
        assert len(shape) <= 80 and _hidden(shape), shape


# --- wedge key streams through the kiosk window -----------------------------------------------------------

_STAMPS = Stamps()
_SPECIAL = {"\r": Qt.Key.Key_Return, "\n": Qt.Key.Key_Enter, "\t": Qt.Key.Key_Tab, "\x1b": Qt.Key.Key_Escape}


def _press(window, ch: str, gap: int) -> None:
    code = _SPECIAL.get(ch) or (Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown)
    ev = QKeyEvent(QEvent.Type.KeyPress, code, Qt.KeyboardModifier.NoModifier, "" if ch == "\x1b" else ch)
    ev.setTimestamp(_STAMPS.next(gap))
    QApplication.sendEvent(window, ev)


def _stream_case(qtbot, w, store, roster, runs, caplog):
    with tally.case():
        before = store.conn.execute("SELECT count(*) FROM checkins").fetchone()[0]
        for text, gap in runs:
            for ch in text:
                _press(w, ch, gap)
        qtbot.waitUntil(lambda: not w.pending and not w._in_flight and w.service.idle()
                        and not w.wedge.buffer.pending, timeout=10000)
        qtbot.wait(5)
        rows = store.conn.execute("SELECT nip FROM checkins").fetchall()
        assert all(r[0] in roster for r in rows) and len(rows) >= before
        card = " ".join((w.result_page.result_title.text(), w.result_page.result_detail.text()))
        assert not forbidden(card) and "tak terduga" not in card and "Belum tercatat" not in card, card
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.records[-1].getMessage()
        w.to_idle()


def _runs():
    gaps = st.sampled_from([1, 3, 4, 8, 30, 59, 61, 90, 130, 400])
    text = st.one_of(st.text(alphabet=ALPHABET + "\r\x1b", max_size=40), st.text(max_size=25),
                     st.just("196804111993031009\r"), st.integers(9, 3000).map(lambda k: "7" * k))
    return st.lists(st.tuples(text, gaps), min_size=1, max_size=6)


def _corpus_streams(nips):
    def fill(t):
        return t.replace("{NIP}", nips[0]).replace("{NIP2}", nips[1])
    return [[(fill(t), gap) for t, gap in runs] for runs in corpus_json("keys.json")]


@pytest.mark.parametrize("signature_required", [False, True])
def test_wedge_key_streams_from_the_corpus(qtbot, make_kiosk, store,  # noqa: F811
                                           people, caplog, signature_required):
    w = make_kiosk(signature_required=signature_required)
    roster = {p.nip for p in people}
    streams = _corpus_streams([p.nip for p in people]) + [[("5" * 10_000 + "\r", 3)], [(NASTY * 20 + "\r", 3)]]
    for runs in streams:
        _stream_case(qtbot, w, store, roster, runs, caplog)


@pytest.fixture
def kiosk_window(make_kiosk):  # noqa: F811
    """One kiosk for every example of a test (hypothesis runs many on the same fixtures)."""
    return make_kiosk(signature_required=False)


@settings(FUZZ, max_examples=size(40, 600))
@given(runs=_runs())
def test_wedge_key_streams_fuzzed(qtbot, kiosk_window, store, people, caplog, runs):
    _stream_case(qtbot, kiosk_window, store, {p.nip for p in people}, runs, caplog)


# --- signature files through the command line -----------------------------------------------------------

def _signature_case(ikrar, db, path, nip):
    with tally.case():
        loaded = refusal_or_none(signature.load, path)
        before = content_digest(db)
        code, out, err = ikrar("--db", db, "checkin", "--signature", path, "--", nip)
        check_cli(code, out, err)
        if isinstance(loaded, KioskError):
            assert code == 1 and loaded.code in err or str(loaded) in err, (loaded.code, err)
        if code == 1:
            assert content_digest(db) == before             # a refused signature writes nothing at all


@pytest.fixture
def cli_db(db_path, store, event):
    return db_path


def test_signature_files_from_the_corpus(ikrar, cli_db, people, tmp_path):
    files = corpus_files("signatures")
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({"width": 1300, "height": 430, "strokes": [[{"x": i % 1300, "y": 200, "t": i,
                                                                             "p": 0.5} for i in range(200_000)]]}))
    for k, path in enumerate([*files, huge]):
        _signature_case(ikrar, cli_db, path, people[k % len(people)].nip)


number = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30),
                   st.text(max_size=5), st.none(), st.booleans())
point = st.fixed_dictionaries({}, optional={"x": number, "y": number, "t": number, "p": number, "z": number})
shaped = st.fixed_dictionaries({}, optional={"width": number, "height": number, "pressure_real": number,
                                              "strokes": st.lists(st.lists(point, max_size=30), max_size=4)})
anything = st.recursive(st.none() | st.booleans() | st.floats() | st.text(max_size=10),
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                    max_size=4), max_leaves=20)


@settings(FUZZ, max_examples=size(100, 2000))
@given(obj=st.one_of(shaped, anything), raw=st.booleans(), tail=st.binary(max_size=8))
def test_signature_files_fuzzed(ikrar, cli_db, people, tmp_path, obj, raw, tail):
    path = tmp_path / "sig.json"
    data = json.dumps(obj, allow_nan=True).encode()
    path.write_bytes(data + tail if raw else data)
    _signature_case(ikrar, cli_db, path, people[tally.cases % len(people)].nip)


# --- NIKs and badge codes ------------------------------------------------------------------------------

badgeish = st.one_of(st.text(max_size=40), st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ- ", max_size=20),
                     st.text(alphabet=ALPHABET, max_size=20))


@FUZZ
@given(text=badgeish)
def test_nik_and_badge_code_parsers_only_refuse(text):
    with tally.case():
        for parse in (nik.parse, badge_code.parse_code, extract_badge):
            value = refusal_or_none(parse, text)
            assert isinstance(value, KioskError) or value is not None
        mask = nik.mask_nik(text)
        assert sum(c.isdigit() for c in mask) <= 8


@settings(FUZZ, max_examples=size(80, 1500))
@given(text=badgeish)
def test_badges_typed_at_the_command_line(ikrar, cli_db, text):
    with tally.case():
        before = counts(cli_db)
        code, out, err = ikrar("--db", cli_db, "absence", "set", "--reason", "sakit", "--", text)
        check_cli(code, out, err)
        if code == 1:
            assert counts(cli_db) == before
        code, out, err = ikrar("--db", cli_db, "roster", "find", "--", text)
        check_cli(code, out, err)
