"""Pakta integritas: one page per signer with the exact text signed, named by NIP or code."""
from __future__ import annotations

import dataclasses
import re

import pytest
from documents_helpers import (
    assert_a4,
    assert_fonts_embedded,
    images,
    page_count,
    pdftotext,
    words,
)

from kiosk.ceremony import pledge
from kiosk.documents import sample
from kiosk.documents.model import DocPerson, PersonKind
from kiosk.documents.pakta import pakta_all, pakta_pdf
from kiosk.documents.pdfbase import RIGHT
from kiosk.i18n import KioskError


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


@pytest.fixture
def event(tmp_path):
    return sample.event(sample.logo(tmp_path / "logo.png"))


def test_one_pact_shows_who_signed_what_exactly(tmp_path, event):
    edited = pledge.render(pledge.load_template("pilkada-2020"), {"instansi": "Pemerintah Kabupaten Sleman"})
    row = dataclasses.replace(sample.attendance(sample.people(1))[0], pledge_text=edited.text,
                              pledge_sha256=edited.sha256)
    out = pakta_pdf(event, row, tmp_path / "p.pdf")
    assert page_count(out) == 1
    assert_a4(out)
    assert_fonts_embedded(out)
    text = pdftotext(out, layout=False)
    for needle in ("PAKTA INTEGRITAS", "Saya yang bertanda tangan di bawah ini:", "Nama", "NIP", "Pangkat/Gol",
                   "Jabatan", "Instansi", "Sleman, 4 November 2024", f"SHA-256 teks: {edited.sha256}",
                   "2024-11-04 07:15:00 WIB"):
        assert needle in text, needle
    person = row.person
    assert person.name in text and f"{person.nip[:8]} {person.nip[8:14]} {person.nip[14]} {person.nip[15:]}" in text
    # The signed text, word for word and in order (the layout only wraps it and numbers the points).
    signed = _words(edited.text)
    printed = _words(text)
    start = printed.index(signed[0])
    assert printed[start:start + len(signed)] == signed
    assert len([i for i in images(out) if i["type"] == "image"]) == 2     # logo and signature
    for w in words(out):
        assert w.x1 <= 210 - RIGHT + 0.6, w


def test_all_pacts_one_file_each_named_by_nip_or_code_guests_left_out(tmp_path, event):
    people = sample.people(5, non_asn=2) + sample.guests()[:2]
    people.append(DocPerson(PersonKind.NON_ASN, "Kode/Aneh", code="../../etc/passwd"))
    rows = sample.attendance(people, signatures=[sample.signature_png(i) for i in range(8)])
    calls = []
    files = pakta_all(event, rows, tmp_path / "pakta", progress=lambda d, t: calls.append((d, t)))
    names = sorted(f.name for f in files)
    expected = sorted([f"pakta-{p.nip}.pdf" for p in people if p.kind.has_nip] +
                      ["pakta-NA0001K.pdf", "pakta-NA0002K.pdf", "pakta-etc_passwd.pdf"])
    assert names == expected
    assert sorted(p.name for p in (tmp_path / "pakta").iterdir()) == expected     # nothing else, no temp files
    assert calls[-1] == (8, 8)
    for f in files:
        assert page_count(f) == 1
        assert_fonts_embedded(f)
        text = pdftotext(f)
        assert "PAKTA INTEGRITAS" in text and "Menolak politik uang" in text
    non_asn = pdftotext(tmp_path / "pakta" / "pakta-NA0001K.pdf")
    assert "non-ASN" in non_asn and "NA0001K" in non_asn


def test_all_pacts_in_one_pdf(tmp_path, event):
    rows = sample.attendance(sample.people(6) + sample.guests()[:1])
    files = pakta_all(event, rows, tmp_path, single=tmp_path / "semua.pdf")
    assert files == [tmp_path / "semua.pdf"]
    assert page_count(files[0]) == 6
    assert_fonts_embedded(files[0])


def test_hostile_text_in_a_pact_stays_inside_the_page(tmp_path, event):
    hostile = DocPerson(PersonKind.PNS, "=cmd|' /C calc'!A0 " + "Panjang " * 1500 + "\u202e\U0001F9D1",
                        nip="196804111993031009", position="<b>x</b>" * 500, unit="\x00\x01Unit")
    row = dataclasses.replace(sample.attendance([hostile])[0], pledge_text="Judul\n\n" + "Pembukaan " * 900)
    out = pakta_pdf(event, row, tmp_path / "p.pdf")
    assert 2 <= page_count(out) <= 4          # a long signed text is printed whole, over more pages
    text = pdftotext(out)
    assert text.count("Pembukaan") == 900
    assert "=cmd|' /C calc'!A0" in text and "\u202e" not in text
    for w in words(out):
        assert w.x1 <= 210 - RIGHT + 0.6 and w.y1 <= 297 - 4, w


def test_guests_do_not_sign_the_pact(tmp_path, event):
    guest_row = sample.attendance(sample.guests()[:1])[0]
    with pytest.raises(KioskError) as err:
        pakta_pdf(event, guest_row, tmp_path / "p.pdf")
    assert err.value.code == "documents.pakta_guest"
    with pytest.raises(KioskError) as err:
        pakta_all(event, [guest_row], tmp_path / "out")
    assert err.value.code == "documents.nothing_signers"
    assert not (tmp_path / "p.pdf").exists()
