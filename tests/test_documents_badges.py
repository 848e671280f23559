"""Badges: every QR on a printed sheet decodes to exactly its payload; cards never overflow."""
from __future__ import annotations

import pytest
from documents_helpers import (
    assert_a4,
    assert_fonts_embedded,
    decode_qr,
    page_count,
    render,
)
from PIL import Image

from kiosk.documents import sample
from kiosk.documents.badges import (
    CARD_H,
    CARD_W,
    MIN_MODULE,
    Box,
    Code,
    Img,
    Text,
    _width,
    badge_png,
    badges_pdf,
    card_ops,
)
from kiosk.documents.model import DocPerson, PersonKind
from kiosk.i18n import KioskError

HOSTILE = [
    DocPerson(PersonKind.PNS, "=HYPERLINK(\"http://evil\",\"klik\") <b>Budi</b>", nip="196804111993031009"),
    DocPerson(PersonKind.PNS, "Prof. Dr. " + "Panjang " * 1300, nip="197001011995031001", unit="U" * 5000),
    DocPerson(PersonKind.PPPK, "Siti \u202eharaZ\u202c Aminah\x00\x07", nip="200012312024211001"),
    DocPerson(PersonKind.NON_ASN, "Rina \U0001F9D1\u200d\U0001F4BB \U0001F600", code="NA0009K",
              nik_masked="3404******0009"),
]


def test_every_qr_on_a_sheet_decodes_to_its_payload(tmp_path):
    event = sample.event(sample.logo(tmp_path / "logo.png"))
    people = sample.people(8, non_asn=3) + sample.guests()[:2] + HOSTILE   # 17 cards: two sheets
    out = badges_pdf(event, people, tmp_path / "kartu.pdf")
    assert page_count(out) == 2
    assert_a4(out)
    assert_fonts_embedded(out)
    found = []
    for png in render(out, tmp_path, dpi=200):
        found += decode_qr(png)
    payloads = sorted(p.badge_payload for p in people)
    assert sorted(text for text, _ in found) == payloads
    assert {level for _, level in found} == {"H"}
    assert not any("3404" in text for text, _ in found)      # never a NIK


def test_one_card_png_decodes_and_has_id1_proportions(tmp_path):
    person = sample.people(1)[0]
    out = badge_png(sample.event(sample.logo(tmp_path / "logo.png")), person, tmp_path / "kartu.png", dpi=300)
    with Image.open(out) as im:
        assert im.size == (round(CARD_W / 25.4 * 300), round(CARD_H / 25.4 * 300))
    assert decode_qr(out) == [(person.nip, "H")]


@pytest.mark.parametrize("person", HOSTILE + sample.people(3), ids=lambda p: p.kind.value)
def test_everything_stays_on_the_card(person):
    for op in card_ops(sample.event(), person):
        if isinstance(op, Text):
            assert op.x >= 0 and op.x + _width(op.text, op.size, op.bold) <= CARD_W - 2.0, op.text
            assert 0 < op.baseline < CARD_H
            assert "\u202e" not in op.text and "\x00" not in op.text
        elif isinstance(op, Code):
            assert op.module >= MIN_MODULE
            side = (op.size + 8) * op.module
            assert op.x - 4 * op.module >= 0 and op.x - 4 * op.module + side <= CARD_W
        elif isinstance(op, (Box, Img)):
            assert op.x >= 0 and op.x + op.w <= CARD_W + 1e-9 and op.y + op.h <= CARD_H + 1e-9


def test_quiet_zone_is_kept_white(tmp_path):
    person = sample.people(1)[0]
    ops = card_ops(sample.event(), person)
    code = next(op for op in ops if isinstance(op, Code))
    quiet = (code.x - 4 * code.module, code.y - 4 * code.module, (code.size + 8) * code.module)
    for op in ops:
        if isinstance(op, (Text, Img)) or (isinstance(op, Box) and op.fill != (255, 255, 255)):
            x0 = op.x
            y0 = op.baseline - op.size * 0.36 if isinstance(op, Text) else op.y
            x1 = x0 + (_width(op.text, op.size, op.bold) if isinstance(op, Text) else op.w)
            y1 = op.baseline if isinstance(op, Text) else op.y + op.h
            overlaps = x0 < quiet[0] + quiet[2] and x1 > quiet[0] and y0 < quiet[1] + quiet[2] and y1 > quiet[1]
            assert not overlaps, op


def test_no_badge_without_a_payload_and_none_for_nobody(tmp_path):
    with pytest.raises(KioskError) as err:
        badges_pdf(sample.event(), [DocPerson(PersonKind.NON_ASN, "Tanpa Kode")], tmp_path / "k.pdf")
    assert err.value.code == "documents.no_badge_payload"
    with pytest.raises(KioskError) as err:
        badges_pdf(sample.event(), [], tmp_path / "k.pdf")
    assert err.value.code == "documents.nothing_people"
    assert list(tmp_path.iterdir()) == []


def test_the_code_is_read_by_a_second_decoder_and_matches_the_qrcode_package(tmp_path):
    """zxing-cpp encodes the badges; OpenCV (another decoder) reads them, and the module grid has the
    version and error correction the ``qrcode`` package makes for the same payload."""
    cv2 = pytest.importorskip("cv2")
    np = pytest.importorskip("numpy")
    import qrcode

    from kiosk.documents.badges import card_image, qr_matrix, qr_rects

    event = sample.event()
    for person in sample.people(3, non_asn=1)[-2:] + sample.guests()[:1]:
        im = card_image(event, person, dpi=300)
        text, _, _ = cv2.QRCodeDetector().detectAndDecode(np.array(im.convert("L")))
        assert text == person.badge_payload
        reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H, border=0)
        reference.add_data(person.badge_payload)
        reference.make(fit=True)
        assert len(qr_matrix(person.badge_payload)) == len(reference.get_matrix())
        size, rects = qr_rects(person.badge_payload)
        covered = {(r + i, c + j) for r, c, w, h in rects for i in range(h) for j in range(w)}
        matrix = qr_matrix(person.badge_payload)
        assert covered == {(r, c) for r in range(size) for c in range(size) if matrix[r][c]}
