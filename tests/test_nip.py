import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import i18n
from kiosk.i18n import KioskError
from kiosk.people import nip

PNS = "196804111993031009"
PPPK = "200012312024211001"


def refusal(text):
    with pytest.raises(KioskError) as info:
        nip.parse(text)
    return info.value.code


def test_pns_fields():
    n = nip.parse(PNS)
    assert (n.kind, n.birth_date, n.appointed_year, n.appointed_month, n.gender, n.sequence) == \
        ("PNS", dt.date(1968, 4, 11), 1993, 3, "M", 9)
    assert n.spaced == "19680411 199303 1 009"


def test_pppk_fields_are_not_read_as_month_21():
    n = nip.parse(PPPK)
    assert (n.kind, n.appointed_year, n.contract, n.gender, n.appointed_month) == ("PPPK", 2024, 1, "M", None)


@pytest.mark.parametrize("text", [
    "19680411 199303 1 009", "19680411.199303.1.009", "'196804111993031009", "  196804111993031009\t",
    "19680411-199303-1-009", "19680411\u00a0199303\u00a01\u00a0009",
])
def test_printed_and_typed_forms_normalise(text):
    assert nip.parse(text).digits == PNS


@pytest.mark.parametrize("text, code", [
    ("", "nip.empty"),
    ("1968041119930310", "nip.length"),
    ("1968041119930310091", "nip.length"),
    ("196804111", "nip.old"),
    ("19680411199303100X", "nip.not_digits"),
    ("1.99001E+17", "nip.scientific"),
    ("1,96804E+17", "nip.scientific"),
    ("196802301993031009", "nip.birth_date"),     # 30 February
    ("189904111993031009", "nip.birth_date"),     # before 1900
    ("196804111993001009", "nip.tmt_month"),      # month 00
    ("196804111993131009", "nip.tmt_month"),      # month 13
    ("196804111993931009", "nip.tmt_month"),      # month 93
    ("196804111993033009", "nip.gender"),
    ("196804111993030009", "nip.gender"),
    ("196804111993031000", "nip.sequence"),
    ("196804111960031009", "nip.before_birth"),
    ("200012312024201001", "nip.pppk_contract"),
    ("200012311999211001", "nip.before_birth"),   # PPPK appointed before birth
])
def test_each_refusal_has_its_own_reason(text, code):
    assert refusal(text) == code


def test_birth_date_in_the_future_is_refused():
    assert refusal("209901011993031009") == "nip.birth_date"


def test_messages_say_what_to_do_in_both_languages():
    with pytest.raises(KioskError) as info:
        nip.parse("1.99001E+17")
    assert "Excel" in str(info.value) and "Teks" in str(info.value)
    i18n.set_language("en")
    assert "Text" in str(info.value)


# --- properties ----------------------------------------------------------------------------------

births = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2005, 12, 31))


@st.composite
def pns_numbers(draw):
    b = draw(births)
    year = draw(st.integers(b.year + 18, 2025))
    month = draw(st.integers(1, 12))
    return f"{b:%Y%m%d}{year}{month:02d}{draw(st.sampled_from('12'))}{draw(st.integers(1, 999)):03d}"


@st.composite
def pppk_numbers(draw):
    b = draw(births)
    year = draw(st.integers(max(b.year + 18, 2019), 2025))
    return f"{b:%Y%m%d}{year}2{draw(st.integers(1, 9))}{draw(st.sampled_from('12'))}{draw(st.integers(1, 999)):03d}"


@given(pns_numbers())
def test_every_well_formed_pns_is_accepted(number):
    n = nip.parse(number)
    assert n.kind == "PNS" and n.digits == number and nip.parse(n.spaced) == n


@given(pppk_numbers())
def test_every_well_formed_pppk_is_accepted(number):
    n = nip.parse(number)
    assert n.kind == "PPPK" and n.contract == int(number[13])


@given(st.one_of(pns_numbers(), pppk_numbers()), st.integers(0, 17), st.sampled_from("0123456789"))
def test_a_changed_digit_is_valid_or_refused_with_a_reason(number, position, digit):
    changed = number[:position] + digit + number[position + 1:]
    try:
        n = nip.parse(changed)
    except KioskError as exc:
        assert exc.code.startswith("nip.") and str(exc)
    else:
        assert n.digits == changed and n.gender in "MF"


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes(text):
    try:
        nip.parse(text)
    except KioskError as exc:
        assert str(exc)


@given(st.one_of(pns_numbers(), pppk_numbers(), st.text(alphabet="0123456789 .'", max_size=22), st.text(max_size=20)))
def test_digits_checks_exactly_what_parse_checks(text):
    """nip.digits is parse without building a Nip (the roster import calls it once per row)."""
    try:
        expected = nip.parse(text).digits
    except KioskError as exc:
        with pytest.raises(KioskError) as info:
            nip.digits(text)
        assert (info.value.code, info.value.params) == (exc.code, exc.params)
    else:
        assert nip.digits(text) == expected


# --------------------------------------------------------------------------- plain_valid: a column at once

def _accepted_as_is(text, today):
    try:
        return nip.digits(text, today=today) == text
    except KioskError:
        return False


_digit = st.sampled_from("0123456789")
#: NIP-like texts: valid ones, each part pushed out of range, and shapes normalise() changes or refuses.
_nip_like = st.one_of(
    st.builds(lambda y, m, d, ty, tm, g, s: f"{y:04d}{m:02d}{d:02d}{ty:04d}{tm:02d}{g}{s:03d}",
              st.integers(1890, 2030), st.integers(0, 13), st.integers(0, 32), st.integers(1890, 2030),
              st.one_of(st.integers(0, 13), st.integers(20, 29)), st.sampled_from("0123"), st.integers(0, 3)),
    st.text(_digit, min_size=18, max_size=18),
    st.text(_digit, min_size=0, max_size=20),
    st.sampled_from([PNS, PPPK, "19680411 199303 1 009", "'" + PNS, "\u0661" * 18, PNS[:17] + "\u0661",
                     "1.99001E+17", "", "19680411199303100", "196804111993031009x", "200012312024201001"]),
)


@given(st.lists(_nip_like, max_size=40), st.sampled_from([dt.date(2024, 11, 4), dt.date(2000, 12, 31)]))
def test_plain_valid_agrees_with_digits_text_by_text(texts, today):
    assert nip.plain_valid(texts, today=today) == [_accepted_as_is(t, today) for t in texts]


def test_plain_valid_on_a_clean_column_and_on_each_rule():
    today = dt.date(2024, 11, 4)
    assert nip.plain_valid([PNS, PPPK] * 3, today=today) == [True] * 6
    bad = ["196802301993031009",   # 30 February
           "196804111993131009",   # month 13
           "196804111993001009",   # month 00
           "200012312024201001",   # PPPK contract 0
           "196804111899031009",   # appointed in 1899
           "196804111968031009",   # appointed before birth (same year, earlier month)
           "200012311999211001",   # PPPK appointed the year before birth
           "196804111993033009",   # gender 3
           "196804111993031000",   # sequence 000
           "202604111993031009",   # born after today
           "19680411 199303 1 009"]  # valid, but only once normalised
    assert nip.plain_valid([PNS, *bad, PPPK], today=today) == [True, *[False] * len(bad), True]
    assert nip.plain_valid([], today=today) == []


def test_plain_valid_in_parts_remembers_what_it_accepted():
    today = dt.date(2024, 11, 4)
    accepted: set[str] = set()
    assert nip.plain_valid([PNS, PPPK], today=today, accepted=accepted) == [True, True]
    assert accepted == {PNS[:8], PNS[8:14], PPPK[:8], PPPK[8:14]}
    bad_gender = PNS[:14] + "3" + PNS[15:]       # birth and appointment known: the other rules still apply
    assert nip.plain_valid([bad_gender, "196802301993031009", PNS], today=today, accepted=accepted) == \
        [False, False, True]
    assert "19680230" not in accepted
