import dataclasses
import json
import random
from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import i18n
from kiosk.i18n import KioskError
from kiosk.people import badge_code as bc
from kiosk.people.payload import Badge, BadgeKind, extract_badge, extract_nip

PNS = "196804111993031009"
PPPK = "200012312024211001"
NIK = "7318011501900003"
CODE = bc.new_code(rng=random.Random(11))
OTHER = bc.new_code({CODE}, rng=random.Random(12))
PRINTED = bc.format_code(CODE)

codes = st.randoms(use_true_random=False).map(lambda r: bc.new_code(rng=r))
framing = st.text(alphabet="\r\n\t\x02\x03 ", max_size=4)


def refusal(payload):
    with pytest.raises(KioskError) as info:
        extract_badge(payload)
    assert str(info.value)
    return info.value


# --- NIP badges: every form extract_nip accepts -------------------------------------------------

NIP_FORMS = [
    PNS,
    "19680411 199303 1 009",
    "NIP. 19680411 199303 1 009",
    "nip: 196804111993031009",
    f"{PNS}\r\n", f"\x02{PNS}\x03", f"\t{PNS}\t", f"{PNS}\n",
    f"https://siasn.example.go.id/verifikasi?nip={PNS}&x=1",
    f"https://example.go.id/pegawai/{PNS}",
    json.dumps({"nip": PNS, "nama": "Budi Santoso"}),
    json.dumps({"pegawai": {"nipBaru": "19680411 199303 1 009", "nipLama": "010203040"}}),
    json.dumps({"nip": PNS, "again": PNS}),
    f"BADGE;{PNS};END",
    f"]Q1{PNS}",
    "]Q1NIP. 19680411 199303 1 009\r",
    json.dumps({"nip": PNS, "nama": "Bambang", "unit": "Dinas Kominfo"}),
]


@pytest.mark.parametrize("payload", NIP_FORMS)
def test_every_nip_form_gives_a_nip_badge(payload):
    assert extract_nip(payload).digits == PNS
    assert extract_badge(payload) == Badge(BadgeKind.NIP, PNS)


def test_pppk_badge():
    assert extract_badge(f"NIP. {PPPK}") == Badge(BadgeKind.NIP, PPPK)


# --- code badges ---------------------------------------------------------------------------------

CODE_FORMS = [
    CODE, PRINTED, CODE.lower(), PRINTED.lower(), f" {PRINTED} ",
    f"{CODE}\r\n", f"\x02{CODE}\x03", f"\t{PRINTED}\t", f"]Q1{CODE}", f"]Q1{PRINTED}\r",
    f"KODE: {PRINTED}", f"kode {CODE}", f"CODE.{CODE}",
    f"https://ikrar.example.go.id/hadir?kode={CODE}&acara=apel",
    f"https://ikrar.example.go.id/hadir?kode={PRINTED.lower()}",
    f"https://ikrar.example.go.id/kartu/{CODE}",
    f"https://ikrar.example.go.id/#kode={PRINTED}",
    json.dumps({"kode": CODE}),
    json.dumps({"kode": PRINTED.lower(), "nama": "Tamu Bawaslu"}),
    json.dumps({"tamu": {"instansi": "KPU", "kode": PRINTED}}),
    json.dumps([CODE]),
    json.dumps({"kode": CODE, "again": PRINTED}),          # the same code twice is still one code
    f"BADGE;{CODE};END",
]


@pytest.mark.parametrize("payload", CODE_FORMS)
def test_every_code_form_gives_a_code_badge(payload):
    assert extract_badge(payload) == Badge(BadgeKind.CODE, CODE)


@given(codes, framing, framing)
def test_scanner_framing_around_a_code_is_ignored(code, before, after):
    assert extract_badge(before + code + after) == Badge(BadgeKind.CODE, code)
    assert extract_badge(before + bc.format_code(code).lower() + after).value == code


@given(st.sampled_from([PNS, PPPK]), framing, framing)
def test_scanner_framing_around_a_nip_is_ignored(number, before, after):
    assert extract_badge(before + number + after) == Badge(BadgeKind.NIP, number)


# --- NIK: never on a badge ---------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    NIK, f"{NIK}\r\n", "7318 0115 0190 0003", "7318-0115-0190-0003", f"NIK: {NIK}",
    json.dumps({"nik": NIK}), json.dumps({"nik": int(NIK)}), f"https://example.go.id/?nik={NIK}",
    json.dumps({"nip": PNS, "nik": NIK}),                  # a NIP badge that also leaks a NIK
    json.dumps({"kode": CODE, "nik": NIK}),
    f"{CODE};{NIK}",
])
def test_a_nik_is_refused_without_being_echoed(payload):
    exc = refusal(payload)
    assert exc.code == "payload.nik" and exc.params == {}
    for lang in i18n.LANGUAGES:
        message = exc.message(lang)
        assert NIK not in message and "01501900" not in message and "NIK" in message
    assert "kode kartu" in exc.message("id") and "badge code" in exc.message("en")


def test_sixteen_digits_that_are_no_nik_are_a_short_nip():
    assert refusal("1968041119930310").code == "nip.length"


# --- two identities ------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    json.dumps({"nip": PNS, "kode": CODE}),
    f"https://ikrar.example.go.id/hadir?nip={PNS}&kode={CODE}",
    f"{PNS} {PRINTED}",
])
def test_a_nip_and_a_code_together_are_refused(payload):
    exc = refusal(payload)
    assert exc.code == "payload.two_identities"
    assert "19680411 199303 1 009" in exc.message("id") and PRINTED in exc.message("en")


@pytest.mark.parametrize("payload", [
    json.dumps({"a": CODE, "b": OTHER}), f"{CODE} {OTHER}", f"https://x.example/?k={CODE}&k={OTHER}",
])
def test_two_codes_are_refused(payload):
    exc = refusal(payload)
    assert exc.code == "payload.two_codes"
    assert {exc.params["first"], exc.params["second"]} == {PRINTED, bc.format_code(OTHER)}


# --- other refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("payload, code", [
    ("", "payload.empty"),
    ("\r\n\x02\x03", "payload.empty"),
    ("hello world", "payload.no_badge"),
    ("https://example.go.id/", "payload.no_badge"),
    (json.dumps({"nama": "Bambang"}), "payload.no_badge"),
    ("x" * 5000, "payload.badge_too_long"),
    (json.dumps({"a": PNS, "b": PPPK}), "payload.two_nips"),
    ("010203040", "nip.old"),
    ("196804111993031000", "nip.sequence"),
    ("1.99001E+17", "nip.scientific"),
    (json.dumps({"nip": "196813111993031009"}), "nip.birth_date"),
    ("K7QM-4XP", "badge.check"),                             # mistyped at the scan field
    (json.dumps({"kode": "K7QM-4XP"}), "badge.check"),
    ("K7QM-4XO", "badge.ambiguous"),
    ("K7QM4X", "badge.length"),
    ("KAQMBXP", "badge.shape"),
])
def test_refusals(payload, code):
    assert refusal(payload).code == code


def test_a_wrong_word_inside_a_nip_payload_does_not_spoil_it():
    assert extract_badge(f"{PNS};K7QM4XP").value == PNS        # not a valid code: just text


# --- types ---------------------------------------------------------------------------------------

def test_badge_is_a_frozen_dataclass_and_kind_a_strenum():
    badge = extract_badge(CODE)
    assert isinstance(BadgeKind.NIP, StrEnum) and BadgeKind.NIP == "nip" and BadgeKind.CODE == "code"
    with pytest.raises(dataclasses.FrozenInstanceError):
        badge.value = PNS  # type: ignore[misc]


# --- properties ----------------------------------------------------------------------------------

@given(st.text(max_size=300))
def test_arbitrary_payloads_never_crash(text):
    try:
        badge = extract_badge(text)
    except KioskError as exc:
        assert str(exc)
    else:
        assert badge.kind in BadgeKind


@given(st.text(max_size=120))
def test_extract_badge_agrees_with_extract_nip(text):
    try:
        expected = extract_nip(text)
    except KioskError:
        return
    try:
        badge = extract_badge(text)
    except KioskError as exc:
        assert exc.code in ("payload.nik", "payload.two_identities")
    else:
        assert badge == Badge(BadgeKind.NIP, expected.digits)


@given(codes, st.sampled_from([
    "{}", "KODE {}", "https://x.example/k?kode={}", '{{"kode": "{}"}}', '{{"p": {{"k": ["{}"]}}}}',
]))
def test_any_code_in_any_wrapping_is_found(code, wrapping):
    assert extract_badge(wrapping.format(bc.format_code(code))) == Badge(BadgeKind.CODE, code)


@given(st.uuids(), st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ", max_size=30))
def test_ids_and_names_beside_a_nip_are_never_read_as_a_code(uid, name):
    payload = json.dumps({"nip": PNS, "id": str(uid), "nama": name, "id2": str(uid).upper()})
    assert extract_badge(payload) == Badge(BadgeKind.NIP, PNS)


def test_a_broken_nip_beside_a_valid_code_leaves_the_code():
    assert extract_badge(json.dumps({"nip": "196804111993031000", "kode": CODE})) == Badge(BadgeKind.CODE, CODE)


def test_a_nik_in_a_url_path_is_refused():
    assert refusal(f"https://example.go.id/penduduk/{NIK}/kartu").code == "payload.nik"
