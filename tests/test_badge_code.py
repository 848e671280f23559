import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import i18n
from kiosk.i18n import KioskError
from kiosk.people import badge_code as bc
from kiosk.people import nik, nip
from kiosk.people.payload import extract_nip

codes = st.randoms(use_true_random=False).map(lambda r: bc.new_code(rng=r))


def refusal(text):
    with pytest.raises(KioskError) as info:
        bc.parse_code(text)
    return info.value


def a_code(seed=7):
    return bc.new_code(rng=random.Random(seed))


# --- the alphabet and the check ----------------------------------------------------------------

def test_alphabet_leaves_out_the_characters_people_confuse():
    assert len(bc.ALPHABET) == len(set(bc.ALPHABET)) == bc.MODULUS == 31
    assert not set("0O1IL") & set(bc.ALPHABET)
    assert set(bc.ALPHABET) == set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")


def test_modulus_is_prime_and_radix_a_primitive_root():
    assert all(bc.MODULUS % k for k in range(2, bc.MODULUS))
    powers = {pow(bc.RADIX, i, bc.MODULUS) for i in range(bc.MODULUS - 1)}
    assert len(powers) == bc.MODULUS - 1            # 3 has order 30: every weight differs


def test_weighted_sum_of_a_valid_code_is_one():
    code = a_code()
    total = sum(bc.ALPHABET.index(ch) * bc.RADIX ** i for i, ch in enumerate(reversed(code)))
    assert total % bc.MODULUS == 1


def test_the_example_in_the_messages_is_nobodys_code():
    assert not bc.is_code("K7QM-4XP")
    assert refusal("K7QM-4XP").code == "badge.check"


# --- making codes ------------------------------------------------------------------------------

@given(codes)
def test_every_code_has_the_documented_shape(code):
    assert len(code) == bc.LENGTH == 7 and set(code) <= set(bc.ALPHABET)
    assert code[0].isalpha() and any(ch.isdigit() for ch in code[:-1])
    assert not code.isdigit()


@given(codes)
def test_every_code_round_trips_through_its_printed_form(code):
    printed = bc.format_code(code)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{3}", printed)
    assert bc.parse_code(printed) == code and bc.parse_code(code) == code
    assert bc.parse_code(printed.lower()) == code
    assert bc.parse_code(" ".join(printed)) == code
    assert bc.is_code(code) and bc.is_code(printed)


def test_existing_codes_are_never_given_again():
    first = bc.new_code(rng=random.Random(3))
    again = bc.new_code({first}, rng=random.Random(3))      # same draws: the first one is taken
    assert again != first and bc.is_code(again)


def test_ten_thousand_codes_from_secrets_are_distinct_and_valid():
    made: set[str] = set()
    for _ in range(10_000):
        made.add(bc.new_code(made))
    assert len(made) == 10_000 and all(bc.is_code(c) for c in made)


class _Everything:
    def __contains__(self, item):
        return True


def test_a_full_register_is_a_refusal_not_a_hang():
    with pytest.raises(KioskError) as info:
        bc.new_code(_Everything())
    assert info.value.code == "badge.exhausted" and str(info.value)


def test_default_randomness_comes_from_secrets():
    assert isinstance(bc._SYSTEM_RANDOM, random.SystemRandom)
    assert len({bc.new_code() for _ in range(50)}) == 50


# --- typed input -------------------------------------------------------------------------------

@pytest.mark.parametrize("form", [
    "{g}", "{c}", "{l}", "  {g}  ", "{c4} {c3}", "{c4}\u2013{c3}", "{c4}\u2014{c3}", "{c4} - {c3}",
    "{c4}\u00a0{c3}", "{fw}", "\t{l}\n", "{g}-", "-{c}",
])
def test_typed_forms_normalise(form):
    code = a_code()
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    text = form.format(g=bc.format_code(code), c=code, l=code.lower(), c4=code[:4], c3=code[4:], fw=fullwidth)
    assert bc.parse_code(text) == code


@pytest.mark.parametrize("text, code", [
    ("", "badge.empty"),
    (" - ", "badge.empty"),
    ("K7QM#4XP", "badge.bad_char"),
    ("K7QM.4XP", "badge.bad_char"),
    ("K7QMÉXP", "badge.bad_char"),
    ("K7QM4X", "badge.length"),
    ("K7QM-4XPA", "badge.length"),
    ("196804111993031009", "badge.length"),
    ("K7QM4XO", "badge.ambiguous"),
    ("K7QM4X0", "badge.ambiguous"),
    ("K7QM4X1", "badge.ambiguous"),
    ("K7QM4XI", "badge.ambiguous"),
    ("k7qm4xl", "badge.ambiguous"),
    ("27QM4XP", "badge.shape"),           # starts with a digit
    ("KAQMBXP", "badge.shape"),           # no digit among the data characters
    ("2345678", "badge.shape"),           # all digits
    ("K7QM4XP", "badge.check"),
])
def test_each_refusal_has_its_own_reason(text, code):
    assert refusal(text).code == code


def test_an_ambiguous_character_is_named_with_its_position_and_a_hint():
    exc = refusal("K7QM-4XO")
    assert exc.params == {"char": "O", "pos": 7, "hint": "D/Q"}
    assert "ke-7" in exc.message("id") and "D/Q" in exc.message("id") and "character 7" in exc.message("en")
    assert refusal("k1qm4xp").params["char"] == "1"


def test_mistyped_message_says_to_retype_or_ask_the_desk():
    exc = refusal("K7QM4XP")
    assert "K7QM-4XP" in exc.message("id")
    assert "salah ketik atau salah baca" in exc.message("id") and "meja panitia" in exc.message("id")
    assert "mistyped or misread" in exc.message("en") and "ask the desk" in exc.message("en")


# --- error detection: exhaustive on a sample of codes --------------------------------------------

@settings(max_examples=60)
@given(codes)
def test_every_single_substitution_is_refused(code):
    for pos in range(len(code)):
        for ch in bc.ALPHABET:
            if ch != code[pos]:
                assert not bc.is_code(code[:pos] + ch + code[pos + 1:]), (code, pos, ch)


@settings(max_examples=60)
@given(codes)
def test_every_adjacent_transposition_is_refused(code):
    for pos in range(len(code) - 1):
        if code[pos] != code[pos + 1]:
            swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2:]
            assert not bc.is_code(swapped), (code, pos)


@settings(max_examples=60)
@given(codes)
def test_every_transposition_at_any_distance_is_refused(code):
    for i in range(len(code)):
        for j in range(i + 1, len(code)):
            if code[i] != code[j]:
                chars = list(code)
                chars[i], chars[j] = chars[j], chars[i]
                assert not bc.is_code("".join(chars)), (code, i, j)


def test_check_character_catches_every_substitution_and_swap_of_a_fixed_data_set():
    rng = random.Random(2024)
    for _ in range(200):
        data = rng.choice(bc.ALPHABET[8:]) + "".join(rng.choice(bc.ALPHABET) for _ in range(5))
        full = data + bc.check_character(data)
        for pos in range(7):
            for ch in bc.ALPHABET:
                if ch != full[pos]:
                    changed = full[:pos] + ch + full[pos + 1:]
                    assert bc.check_character(changed[:6]) != changed[6]


# --- never a NIP or a NIK ----------------------------------------------------------------------

@given(codes)
def test_a_code_never_parses_as_a_nip_or_a_nik(code):
    for form in (code, bc.format_code(code), code.lower()):
        assert not nip.is_valid(form) and not nik.is_valid(form)
        with pytest.raises(KioskError):
            extract_nip(form)


# --- messages ----------------------------------------------------------------------------------

_PEOPLE = Path(__file__).resolve().parent.parent / "kiosk" / "people"


@pytest.mark.parametrize("module", ["badge_code.py", "nik.py", "payload.py", "nip.py"])
def test_every_code_raised_is_registered_in_both_languages(module):
    import kiosk.people.payload  # noqa: F401  (registers everything)
    source = (_PEOPLE / module).read_text(encoding="utf-8")
    used = set(re.findall(r'KioskError\(\s*"([a-z_.]+)"', source))
    assert used
    for code in used:
        texts = i18n._catalogue[code]
        assert set(texts) >= set(i18n.LANGUAGES) and all(texts[lang].strip() for lang in i18n.LANGUAGES)
