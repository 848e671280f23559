import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.i18n import KioskError
from kiosk.people.payload import extract_nip

PNS = "196804111993031009"
PPPK = "200012312024211001"


@pytest.mark.parametrize("payload", [
    PNS,
    "19680411 199303 1 009",
    "NIP. 19680411 199303 1 009",
    "nip: 196804111993031009",
    f"{PNS}\r\n", f"\x02{PNS}\x03", f"\t{PNS}\t", f"{PNS}\n",
    f"https://siasn.example.go.id/verifikasi?nip={PNS}&x=1",
    f"https://example.go.id/pegawai/{PNS}",
    json.dumps({"nip": PNS, "nama": "Budi Santoso"}),
    json.dumps({"pegawai": {"nipBaru": "19680411 199303 1 009", "nipLama": "010203040"}}),
    json.dumps({"nip": PNS, "again": PNS}),             # the same NIP twice is still one NIP
    f"BADGE;{PNS};END",
    f"]Q1{PNS}",                                       # AIM symbology identifier of a QR code
    "]Q1NIP. 19680411 199303 1 009\r",
])
def test_one_nip_is_extracted(payload):
    assert extract_nip(payload).digits == PNS


def test_pppk_badge():
    assert extract_nip(f"NIP. {PPPK}").kind == "PPPK"


@pytest.mark.parametrize("payload, code", [
    ("", "payload.empty"),
    ("\r\n\x02\x03", "payload.empty"),
    ("hello world", "payload.no_nip"),
    ("https://example.go.id/", "payload.no_nip"),
    (json.dumps({"a": PNS, "b": PPPK}), "payload.two_nips"),
    (f"{PNS} {PPPK}", "payload.two_nips"),
    ("010203040", "nip.old"),
    ("196804111993031000", "nip.sequence"),
    ("1.99001E+17", "nip.scientific"),
    ("x" * 5000, "payload.too_long"),
    (json.dumps({"nip": "196813111993031009"}), "nip.birth_date"),
])
def test_refusals(payload, code):
    with pytest.raises(KioskError) as info:
        extract_nip(payload)
    assert info.value.code == code and str(info.value)


@given(st.text(max_size=300))
def test_arbitrary_payloads_never_crash(text):
    try:
        extract_nip(text)
    except KioskError as exc:
        assert str(exc)


@given(st.sampled_from([PNS, PPPK]), st.text(alphabet="\r\n\t\x02\x03 ", max_size=4),
       st.text(alphabet="\r\n\t\x02\x03 ", max_size=4))
def test_scanner_framing_is_ignored(number, before, after):
    assert extract_nip(before + number + after).digits == number
