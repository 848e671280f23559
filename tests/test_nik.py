import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import i18n
from kiosk.i18n import KioskError
from kiosk.people import nik

MAN = "7318011501900003"      # Sulawesi Selatan, regency 18, district 01, born 15-01-1990, serial 3
WOMAN = "3201025508850012"    # Jawa Barat, born 15-08-1985 (55 = 15 + 40)
TODAY = dt.date(2025, 6, 1)


def refusal(text, today=TODAY):
    with pytest.raises(KioskError) as info:
        nik.parse(text, today=today)
    return info.value


def test_fields_of_a_man():
    n = nik.parse(MAN, today=TODAY)
    assert (n.digits, n.province, n.regency, n.district, n.birth_date, n.gender, n.serial) == \
        (MAN, "73", "18", "01", dt.date(1990, 1, 15), "M", 3)
    assert n.province_name == "Sulawesi Selatan"


def test_forty_is_added_to_a_womans_day():
    n = nik.parse(WOMAN, today=TODAY)
    assert (n.birth_date, n.gender, n.serial) == (dt.date(1985, 8, 15), "F", 12)


@pytest.mark.parametrize("text", [
    "7318 0115 0190 0003", "731801.150190.0003", "'7318011501900003", "  7318011501900003\t",
    "7318-01-150190-0003", "7318\u00a00115\u00a00190\u00a00003", "\ufeff7318011501900003",
    "73.18.01.150190.0003",
])
def test_printed_and_typed_forms_normalise(text):
    assert nik.parse(text, today=TODAY).digits == MAN


@pytest.mark.parametrize("text, code", [
    ("", "nik.empty"),
    ("   ", "nik.empty"),
    ("7.31801E+15", "nik.scientific"),
    ("7,318011501900E+15", "nik.scientific"),
    ("7318011501900000.0", "nik.as_number"),
    ("731801150190000X", "nik.not_digits"),
    ("731801150190003", "nik.length"),
    ("73180115019000031", "nik.length"),
    ("196804111993031009", "nik.is_nip"),
    ("0018011501900003", "nik.province"),
    ("2018011501900003", "nik.province"),      # 20 is no province
    ("9718011501900003", "nik.province"),      # beyond Papua Barat Daya
    ("5418011501900003", "nik.province"),      # Timor Timur's old code, gone before NIKs existed
    ("7300011501900003", "nik.regency"),
    ("7318001501900003", "nik.district"),
    ("7318010001900003", "nik.birth_day"),     # day 00
    ("7318013201900003", "nik.birth_day"),     # day 32
    ("7318014001900003", "nik.birth_day"),     # 40: a woman's day 00
    ("7318017201900003", "nik.birth_day"),     # 72: a woman's day 32
    ("7318011500900003", "nik.birth_month"),
    ("7318011513900003", "nik.birth_month"),
    ("7318013002900003", "nik.birth_date"),    # 30 February
    ("7318017002900003", "nik.birth_date"),    # a woman born 30 February
    ("7318013104900003", "nik.birth_date"),    # 31 April
    ("7318012902010003", "nik.birth_date"),    # 29 February 2001
    ("7318011501900000", "nik.serial"),
])
def test_each_refusal_has_its_own_reason(text, code):
    assert refusal(text).code == code


def test_every_real_province_is_accepted_the_new_papua_ones_too():
    assert len(nik.PROVINCES) == 38
    assert {"91", "92", "93", "94", "95", "96"} <= set(nik.PROVINCES)
    for code in nik.PROVINCES:
        assert nik.parse(code + MAN[2:], today=TODAY).province == code


def test_every_other_province_code_is_refused():
    for value in range(100):
        code = f"{value:02d}"
        if code not in nik.PROVINCES:
            assert refusal(code + MAN[2:]).code == "nik.province"


@pytest.mark.parametrize("day", ["01", "31", "41", "71"])
def test_day_limits_for_men_and_women(day):
    assert nik.parse(f"731801{day}0190 0003", today=TODAY).birth_date.day in (1, 31)


@pytest.mark.parametrize("ddmmyy, born", [
    ("150124", dt.date(2024, 1, 15)),     # last year, not 1924
    ("010625", dt.date(2025, 6, 1)),      # today
    ("020625", dt.date(1925, 6, 2)),      # tomorrow in 2025 would be in the future
    ("150130", dt.date(1930, 1, 15)),
    ("150199", dt.date(1999, 1, 15)),
    ("290200", dt.date(2000, 2, 29)),     # 2000 was a leap year
    ("290296", dt.date(1996, 2, 29)),
    ("690296", dt.date(1996, 2, 29)),     # a woman born on 29 February
])
def test_the_century_keeps_the_birth_out_of_the_future(ddmmyy, born):
    assert nik.parse(f"731801{ddmmyy}0003", today=TODAY).birth_date == born


def test_29_february_of_a_year_that_was_no_leap_year_is_refused():
    assert refusal("7318012902230003").code == "nik.birth_date"        # 2023, and 1923
    assert nik.parse("7318012902240003", today=TODAY).birth_date == dt.date(2024, 2, 29)


def test_default_today_is_the_real_date():
    assert nik.parse(MAN).birth_date == dt.date(1990, 1, 15)


# --- personal data -----------------------------------------------------------------------------

def test_mask_shows_the_first_four_and_the_last_four():
    assert nik.mask_nik(MAN) == "7318********0003"
    assert nik.mask_nik("7318 0115 0190 0003") == "7318********0003"


def test_repr_and_str_never_print_the_whole_nik():
    n = nik.parse(MAN, today=TODAY)
    for shown in (repr(n), str(n), f"{n}", f"{n!r}", repr([n]), repr({"person": n})):
        assert MAN not in shown and "01501900" not in shown and "1990" not in shown
    assert repr(n) == "Nik('7318********0003')" and str(n) == "7318********0003"


def test_nik_is_a_frozen_dataclass():
    n = nik.parse(MAN, today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        n.serial = 4  # type: ignore[misc]
    assert n == nik.parse("7318 0115 0190 0003", today=TODAY) and hash(n) == hash(nik.parse(MAN, today=TODAY))


@pytest.mark.parametrize("text", [
    "0018011501900003", "7300011501900003", "7318001501900003", "7318013201900003", "7318011513900003",
    "7318013002900003", "7318011501900000", "731801150190003", "7.318011501900E+15", "7318011501900000.0",
])
def test_refusals_never_echo_the_number(text):
    digits = re.sub(r"\D", "", text)
    exc = refusal(text)
    for lang in i18n.LANGUAGES:
        message = exc.message(lang)
        assert digits[:15] not in message and digits[4:12] not in message, message
    assert all(digits[:12] not in str(value) for value in exc.params.values())
    assert digits not in repr(exc)


def test_messages_say_what_to_do_in_both_languages():
    exc = refusal("7.31801E+15")
    assert "Excel" in exc.message("id") and "Teks" in exc.message("id") and "Text" in exc.message("en")
    exc = refusal("9718011501900003")
    assert "97" in exc.message("id") and "7318" not in exc.message("id") and "9718********0003" in exc.message("id")
    assert "Periksa" in exc.message("id") and "Check" in exc.message("en")


# --- properties --------------------------------------------------------------------------------

births = st.dates(min_value=dt.date(1926, 1, 1), max_value=TODAY)


@st.composite
def niks(draw):
    province = draw(st.sampled_from(sorted(nik.PROVINCES)))
    regency = draw(st.integers(1, 99))
    district = draw(st.integers(1, 99))
    born = draw(births)
    female = draw(st.booleans())
    serial = draw(st.integers(1, 9999))
    day = born.day + (40 if female else 0)
    return f"{province}{regency:02d}{district:02d}{day:02d}{born:%m%y}{serial:04d}", born, female


@given(niks())
def test_every_well_formed_nik_is_accepted(case):
    number, born, female = case
    n = nik.parse(number, today=TODAY)
    assert (n.digits, n.birth_date, n.gender) == (number, born, "F" if female else "M")
    assert nik.parse(n.digits[:6] + " " + n.digits[6:12] + " " + n.digits[12:], today=TODAY) == n


@given(niks(), st.integers(0, 15), st.sampled_from("0123456789"))
def test_a_changed_digit_is_valid_or_refused_with_a_reason(case, position, digit):
    number = case[0]
    changed = number[:position] + digit + number[position + 1:]
    try:
        n = nik.parse(changed, today=TODAY)
    except KioskError as exc:
        assert exc.code.startswith("nik.") and str(exc)
        assert changed not in exc.message("id") and changed not in exc.message("en")
    else:
        assert n.digits == changed and n.gender in "MF" and n.birth_date <= TODAY


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_any_sixteen_digits_are_accepted_or_refused_without_being_echoed(digits):
    try:
        n = nik.parse(digits, today=TODAY)
    except KioskError as exc:
        for lang in i18n.LANGUAGES:
            assert digits[4:12] not in exc.message(lang)
    else:
        assert digits not in repr(n) + str(n)


@given(st.text(max_size=40))
def test_masking_never_reveals_more_than_eight_characters(text):
    masked = nik.mask_nik(text)
    shown = [ch for ch in masked if ch != "*"]
    compact = re.sub(r"[\s.\-_/\u00a0\u2007\u202f]+", "", text)
    assert len(masked) == len(compact)
    assert len(shown) <= 8 and 2 * len(shown) <= len(compact)
    assert sum(ch.isdigit() for ch in masked) <= 8


@given(st.text(alphabet="0123456789 .-", max_size=40))
def test_masking_digit_strings_never_reveals_more_than_eight_digits(text):
    assert sum(ch.isdigit() for ch in nik.mask_nik(text)) <= 8


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes(text):
    try:
        nik.parse(text, today=TODAY)
    except KioskError as exc:
        assert str(exc)
