"""The documents' input model, text cleaning and wrapping, and the all-or-nothing writer."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import i18n
from kiosk.documents import fonts
from kiosk.documents.model import (
    AbsenceReason,
    DocAbsence,
    DocAttendance,
    DocPerson,
    PersonKind,
    first_per_person,
    kind_label,
    local_time_text,
    reason_label,
    zone_label,
)
from kiosk.documents.output import AtomicBatch, atomic_file, write_bytes
from kiosk.documents.text import ELLIPSIS, clean, wrap
from kiosk.i18n import KioskError

WIB = dt.timezone(dt.timedelta(hours=7))
NIP = "196804111993031009"


def person(name="Budi", kind=PersonKind.PNS, **kw):
    return DocPerson(kind, name, **kw)


# --- model ---------------------------------------------------------------------------------

def test_badge_payload_is_the_nip_for_asn_and_the_code_for_everyone_else():
    assert person(nip=NIP, code="X1").badge_payload == NIP
    assert person(kind=PersonKind.PPPK, nip="200012312024211001").badge_payload == "200012312024211001"
    assert person(kind=PersonKind.NON_ASN, code="NA0001K", nik_masked="3404******0001").badge_payload == "NA0001K"
    assert person(kind=PersonKind.GUEST, code="TM001X").badge_payload == "TM001X"
    assert person(kind=PersonKind.NON_ASN).badge_payload == ""


def test_a_whole_nik_is_refused_in_both_languages():
    with pytest.raises(KioskError) as err:
        person(kind=PersonKind.NON_ASN, nik_masked="3404 1201 9000 0001")
    assert "NIK" in err.value.message("id") and "mask" in err.value.message("en")


def test_a_check_in_time_without_zone_is_refused():
    with pytest.raises(KioskError):
        DocAttendance(person(nip=NIP), dt.datetime(2024, 11, 4, 7, 30))


def test_kinds_and_reasons_have_the_labels_of_the_forms_in_every_language():
    import kiosk.people.kinds as kinds
    assert PersonKind is kinds.PersonKind and AbsenceReason is kinds.AbsenceReason      # one definition
    i18n.set_language("en")                        # the messages in English; the forms stay Indonesian
    assert [kind_label(k) for k in PersonKind] == ["PNS", "PPPK", "Non-ASN", "Tamu"]
    assert [r.letter for r in AbsenceReason] == ["S", "I", "C", "DL", "TB", "TK"]
    assert reason_label(AbsenceReason("dinas-luar")) == "Dinas Luar"
    assert DocAbsence(person(), "sakit").reason is AbsenceReason.SAKIT


def test_a_badge_code_is_printed_grouped_as_on_the_badge():
    assert person(kind=PersonKind.GUEST, code="RQM3YGE").code_text == "RQM3-YGE"
    assert person(kind=PersonKind.GUEST, code="TM001X").code_text == "TM001X"      # not ours: as it is
    assert person(nip=NIP).code_text == ""


def test_first_check_in_per_person_is_kept_in_the_given_order():
    a, b = person("A", nip=NIP), person("B", nip="200012312024211001", kind=PersonKind.PPPK)
    t = dt.datetime(2024, 11, 4, 7, 0, tzinfo=WIB)
    rows = [DocAttendance(a, t + dt.timedelta(minutes=5)), DocAttendance(b, t), DocAttendance(a, t)]
    kept = first_per_person(rows)
    assert [(r.person.name, r.checked_in_at) for r in kept] == [("B", t), ("A", t)]


def test_times_are_printed_with_the_indonesian_zone():
    assert zone_label(dt.datetime(2024, 1, 1, tzinfo=WIB)) == "WIB"
    assert zone_label(dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))) == "WITA"
    assert zone_label(dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=9)))) == "WIT"
    assert zone_label(dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-3, minutes=-30)))) == "UTC-03:30"
    assert local_time_text(dt.datetime(2024, 11, 4, 7, 31, 5, tzinfo=WIB)) == "2024-11-04 07:31:05 WIB"


# --- text ----------------------------------------------------------------------------------

def test_clean_drops_controls_and_direction_overrides_and_keeps_visible_text():
    assert clean("Budi\u202e\u0000 San\u200btoso\r\n\tS.H.") == "Budi Santoso S.H."
    assert clean("  =HYPERLINK(\"x\")  ") == '=HYPERLINK("x")'
    assert clean(None) == ""
    assert clean("é", 10) == "\u00e9" and clean("e\u0301") == "\u00e9"   # NFC


def test_clean_cuts_ten_kilobytes_to_a_printable_length():
    s = clean("A" * 10_000)
    assert len(s) <= 400 and s.endswith(ELLIPSIS)


def test_characters_without_a_glyph_become_the_replacement_character():
    text = fonts.drawable("Budi \U0001F9D1\u200d\U0001F4BB \u4e2d")   # person with laptop, a CJK character
    assert "Budi" in text and "\ufffd" in text
    assert all(ord(c) in fonts.full().coverage for c in text)


def _measure(s: str) -> float:
    return float(len(s))      # one unit per character: easy to reason about


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab cde fgh ijklmno"), max_size=300), st.integers(3, 40),
       st.integers(0, 5))
def test_wrapped_lines_always_fit_and_lose_nothing_unless_cut(text, width, max_lines):
    text = " ".join(text.split())
    lines = wrap(_measure, text, width, max_lines)
    assert all(_measure(line) <= width for line in lines)
    if max_lines:
        assert len(lines) <= max_lines
    if not any(line.endswith(ELLIPSIS) for line in lines):
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_word_longer_than_the_line_is_broken():
    assert wrap(_measure, "x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert wrap(_measure, "x" * 25, 10, 2) == ["x" * 10, "x" * 9 + ELLIPSIS]


# --- output --------------------------------------------------------------------------------

def test_write_is_atomic_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "a.pdf"
    write_bytes(target, b"first")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half a fi")
        raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600   # names, NIPs, signatures: for the owner alone


def test_unwritable_folder_is_a_kiosk_error_that_says_what_to_do(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(KioskError) as err:
        write_bytes(blocker / "sub" / "a.pdf", b"x")
    assert err.value.code == "documents.write_failed"
    i18n.set_language("en")
    assert "Choose another folder" in str(err.value)


def test_a_batch_is_all_or_nothing(tmp_path):
    with pytest.raises(ValueError), AtomicBatch(tmp_path) as batch:
        batch.write("a.pdf", b"a")
        batch.write("b.pdf", b"b")
        raise ValueError("stop")
    assert list(tmp_path.iterdir()) == []
    with AtomicBatch(tmp_path) as batch:
        batch.write("a.pdf", b"a")
        batch.write("b.pdf", b"b")
        done = batch.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"] == sorted(p.name for p in done)
