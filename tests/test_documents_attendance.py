"""The daftar hadir, read back with poppler: text, pages, images, fonts, positions."""
from __future__ import annotations

import re

import pytest
from documents_helpers import (
    assert_a4,
    assert_fonts_embedded,
    images,
    page_count,
    pages_text,
    words,
)

from kiosk.documents import sample
from kiosk.documents.attendance_pdf import SIGN_SPAN, WIDTHS, attendance_pdf
from kiosk.documents.model import DocPerson, PersonKind
from kiosk.documents.pdfbase import LEFT, RIGHT
from kiosk.i18n import KioskError

SIG_X = LEFT + sum(WIDTHS[:-1])
SIG_W = WIDTHS[-1]


@pytest.fixture(scope="module")
def signatures():
    return [sample.signature_png(i) for i in range(40)]


@pytest.fixture
def event(tmp_path):
    return sample.event(sample.logo(tmp_path / "logo.png"))


def test_header_fields_pages_and_fonts(tmp_path, event, signatures):
    people = sample.people(34, non_asn=3) + sample.guests()
    rows = sample.attendance(people, signatures=signatures)
    calls = []
    out = attendance_pdf(event, rows, tmp_path / "dh.pdf", progress=lambda d, t: calls.append((d, t)))
    assert_a4(out)
    assert_fonts_embedded(out)
    pages = pages_text(out)
    n = page_count(out)
    assert n == len(pages) >= 2
    first = pages[0]
    for needle in ("PEMERINTAH KABUPATEN SLEMAN", "DAFTAR HADIR", "Acara", "Hari/Tanggal", "Senin, 4 November 2024",
                   "Tempat", "Ruang Pola Sekretariat Daerah", "A. Pegawai ASN (PNS dan PPPK)"):
        assert needle in first, needle
    for i, page in enumerate(pages, start=1):
        assert f"Halaman {i} dari {n}" in page
        assert re.search(r"No\s+Nama\s+(NIP|NIK / Kode|Instansi)\s", page), f"column heads missing on page {i}"
    text = "\n".join(pages)
    assert "B. Pegawai Non-ASN" in text and "C. Tamu Undangan" in text
    assert "Bawaslu Kabupaten Sleman" in text                  # guests show their institution
    assert "19700315 199403 1 005" in text and "Mengetahui," in text
    assert calls[-1] == (len(rows), len(rows))
    # One image per signature (each signature is a distinct drawing), plus the logo.
    assert len([i for i in images(out) if i["type"] == "image"]) == len(rows) + 1
    assert not [i for i in images(out) if i["type"] == "smask"]


def test_signatures_are_staggered_odd_left_even_right(tmp_path, event, signatures):
    rows = sample.attendance(sample.people(12), signatures=signatures)
    out = attendance_pdf(event, rows, tmp_path / "dh.pdf")
    labels = [w for w in words(out) if SIG_X < w.x0 < SIG_X + SIG_W and re.fullmatch(r"\d+\.", w.text)]
    assert sorted(int(w.text[:-1]) for w in labels) == list(range(1, 13))
    for w in labels:
        n = int(w.text[:-1])
        if n % 2:
            assert w.x0 < SIG_X + 2.5, w
        else:
            assert abs(w.x0 - (SIG_X + SIG_W * (1 - SIGN_SPAN) + 1.0)) < 1.5, w


@pytest.mark.parametrize("count", range(13, 24))
def test_the_closing_block_is_never_alone_on_a_page(tmp_path, event, signatures, count):
    rows = sample.attendance(sample.people(count), signatures=signatures)
    out = attendance_pdf(event, rows, tmp_path / "dh.pdf")
    pages = pages_text(out)
    last = pages[-1]
    assert "Mengetahui," in last and "Drs. Budi Pramono, M.Si." in last
    assert not any("Mengetahui," in p for p in pages[:-1])
    assert rows[-1].person.name in last or rows[-1].person.name.split(",")[0] in last


def test_grouped_by_unit_has_one_section_per_unit(tmp_path, event, signatures):
    people = sample.people(30, non_asn=2)
    out = attendance_pdf(event, sample.attendance(people, signatures=signatures), tmp_path / "dh.pdf",
                         by_unit=True)
    text = "\n".join(pages_text(out))
    for unit in {p.unit for p in people if p.kind.has_nip}:
        assert f"Pegawai ASN — {unit}" in text
    assert "Pegawai Non-ASN —" in text


def test_hostile_names_never_break_the_layout(tmp_path, event, signatures):
    hostile = [
        DocPerson(PersonKind.PNS, '=HYPERLINK("http://evil","klik")', nip="196804111993031009"),
        DocPerson(PersonKind.PNS, "<script>alert(1)</script> <b>Budi</b>", nip="197001011995031001",
                  position="<i>Kepala</i>"),
        DocPerson(PersonKind.PNS, "Nama " * 2000, nip="198001012005011001", position="J" * 10_000, rank="R " * 500),
        DocPerson(PersonKind.PPPK, "Siti \u202eharaZ\u202c Aminah\x00\x07\x1b[31m", nip="200012312024211001"),
        DocPerson(PersonKind.NON_ASN, "Rina \U0001F9D1\u200d\U0001F4BB \U0001F600 \u4e2d\u6587", code="NA0009K"),
        DocPerson(PersonKind.GUEST, "Tamu\r\nBaris\tBaru", code="TM009X", institution="\u202eUPK"),
    ]
    rows = sample.attendance(hostile, signatures=signatures)
    out = attendance_pdf(event, rows, tmp_path / "dh.pdf")
    assert page_count(out) <= 2
    text = "\n".join(pages_text(out))
    assert '=HYPERLINK("http://evil",' in text and '"klik")' in text     # printed as text, wrapped
    assert "<script>alert(1)</script>" in text
    assert "\u202e" not in text and "\x1b" not in text
    assert "\u2026" in text                                     # the 10 kB name was cut
    right_edge = 210 - RIGHT + 0.6
    for w in words(out):
        assert w.x1 <= right_edge, w
        assert w.y1 <= 297 - 5, w


def test_a_broken_signature_is_noted_not_fatal(tmp_path, event, signatures):
    import dataclasses

    rows = sample.attendance(sample.people(3), signatures=signatures)
    rows[0] = dataclasses.replace(rows[0], signature_png=b"\x89PNG\r\n\x1a\nbroken")
    rows[1] = dataclasses.replace(rows[1], signature_png=b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    rows[2] = dataclasses.replace(rows[2], signature_png=None)
    out = attendance_pdf(event, rows, tmp_path / "dh.pdf")
    assert "(tanda tangan tidak terbaca)" in "\n".join(pages_text(out))
    assert len([i for i in images(out) if i["type"] == "image"]) == 1     # only the logo


def test_nothing_to_export_is_refused_and_writes_nothing(tmp_path, event):
    with pytest.raises(KioskError) as err:
        attendance_pdf(event, [], tmp_path / "dh.pdf")
    assert err.value.code == "documents.nothing_attendance"
    assert not (tmp_path / "dh.pdf").exists()
