"""The documents through the command line, on a real kiosk database and on a merged file (issue 11).

Every output is read back with independent readers: poppler (pdftotext, pdfimages, pdffonts,
pdfinfo), openpyxl, the csv module, and the QR decoder on the rendered badge sheets.
"""
from __future__ import annotations

import csv
import dataclasses
import errno
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from documents_helpers import (
    assert_a4,
    assert_fonts_embedded,
    decode_qr,
    images,
    page_count,
    pdfinfo,
    pdftotext,
    render,
)
from kiosk_pair import PASS, build_pair, organiser_of
from openpyxl import load_workbook
from PIL import Image, ImageChops
from signature_samples import realistic_signature

from kiosk import demo
from kiosk.attendance.checkin import Desk
from kiosk.ceremony import pledge
from kiosk.cli.documents import StderrProgress
from kiosk.documents import fonts, pakta, pdfsplit, sample
from kiosk.documents.pdfbase import Doc
from kiosk.exchange import merge
from kiosk.people.kinds import PersonKind
from kiosk.people.nip import format_spaced
from kiosk.store import Person, Store

INSTANSI = "Pemerintah Kabupaten Contoh"


@dataclass
class Kiosk:
    path: Path
    event_id: int
    present: list[Person]          # in check-in order
    unsigned: set[str]             # checked in without a signature
    absent: list[Person]           # ASN and non-ASN on the roster who did not come
    reasons: dict[str, str]        # stated absences: key -> reason
    pledges: dict[str, str]        # key -> SHA-256 of the text their check-in is bound to


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory) -> Kiosk:
    """A demo event of 24 employees, a non-ASN staff member and a guest; 16 + both checked in with real
    signatures (one without), the pledge edited half-way, two absences stated."""
    tmp = tmp_path_factory.mktemp("kiosk")
    path = tmp / "kiosk.db"
    with pytest.MonkeyPatch.context() as mp, Store(path) as store:
        mp.setenv("IKRAR_KEY_DIR", str(tmp / "keys"))
        demo.seed(store, 24)
        event = store.active_event()
        store.set_event_settings(event.id, {
            "instansi": INSTANSI, "unit_kerja": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "alamat": "Jalan Merdeka Nomor 1, Contoh", "logo": str(sample.logo(tmp / "logo.png")),
            "pemimpin": "Bupati Contoh", "jabatan_kepala": "Kepala BKPSDM Kabupaten Contoh",
            "nama_kepala": "Drs. Budi Pramono, M.Si.", "nip_kepala": "197003151994031005", "kota": "Contoh"})
        guest = store.add_person("Drs. H. Ahmad Syarifuddin, M.Si.", kind=PersonKind.GUEST,
                                 institution="Bawaslu Kabupaten Contoh", position="Ketua")
        honorer = store.add_person("Siti Aminah", kind=PersonKind.NON_ASN, position="Tenaga Administrasi",
                                   unit="BKPSDM")
        asn = [p for p in store.roster(event.id) if p.kind.has_nip]
        present = [*asn[:16], honorer, guest]
        desk = Desk(store)
        pledges: dict[str, str] = {}
        for i, p in enumerate(present):
            if i == 8:                # the organiser fixes the pledge mid-apel: later people sign the new text
                store.set_event_pledge(event.id, pledge.render(pledge.load_template("pilkada-2020"),
                                                               {"instansi": INSTANSI}))
                desk = Desk(store)
            result = desk.check_in(p.nip, signature=None if i == 3 else realistic_signature(i))
            assert result.status == "recorded"
            pledges[p.nip] = desk.pledge_sha256
        desk.check_in(asn[0].nip, signature=realistic_signature(99))        # a second scan: counted once
        store.set_absence(asn[16].nip, "sakit", "Surat keterangan dokter")
        store.set_absence(asn[17].nip, "dinas-luar", "Rapat di Provinsi")
        return Kiosk(path, event.id, present, {present[3].nip}, asn[16:],
                     {asn[16].nip: "Sakit", asn[17].nip: "Dinas Luar"}, pledges)


def _json(out: str) -> dict:
    return json.loads(out)


def _spaced(p: Person) -> str:
    return format_spaced(p.nip)


def _flat(path: Path) -> str:
    """The text of a PDF in reading order with every run of white space one space (wrapped names whole)."""
    return " ".join(pdftotext(path, layout=False).split())


# --- badges -------------------------------------------------------------------------------------

def test_badges_of_the_whole_roster_decode_to_each_badge(kiosk, tmp_path, ikrar):
    code, out, err = ikrar("--db", kiosk.path, "badges", "-o", tmp_path / "kartu.pdf", "--json")
    assert code == 0, err
    data = _json(out)
    assert data["count"] == 26 and data["document"] == "badges" and data["file"] == str(tmp_path / "kartu.pdf")
    pdf = tmp_path / "kartu.pdf"
    assert page_count(pdf) == 3 and (pdf.stat().st_mode & 0o777) == 0o600
    assert_a4(pdf)
    assert_fonts_embedded(pdf)
    found = []
    for png in render(pdf, tmp_path, dpi=200):
        found += [text for text, _ in decode_qr(png)]
    with Store(kiosk.path) as store:
        roster = store.roster(kiosk.event_id)
    assert sorted(found) == sorted(p.nip for p in roster)            # the NIP, or the code of the other two


def test_badges_of_one_unit_and_one_person_as_png(kiosk, tmp_path, ikrar):
    unit = kiosk.present[0].unit
    code, out, _ = ikrar("--db", kiosk.path, "badges", "-o", tmp_path / "unit.pdf", "--unit", unit.upper(), "--json")
    with Store(kiosk.path) as store:
        expected = [p for p in store.roster(kiosk.event_id) if p.unit == unit]
    assert code == 0 and _json(out)["count"] == len(expected)
    assert all(p.name in _flat(tmp_path / "unit.pdf") for p in expected[:10])
    who = kiosk.present[1]
    code, _, _ = ikrar("--db", kiosk.path, "badges", "--png", "--nip", _spaced(who), "-o", tmp_path / "one.png")
    assert code == 0
    assert [text for text, _ in decode_qr(tmp_path / "one.png")] == [who.nip]
    code, _, err = ikrar("--db", kiosk.path, "badges", "--png", "-o", tmp_path / "many.png")
    assert code == 1 and "--nip" in err and not (tmp_path / "many.png").exists()


def test_badges_refuse_an_unknown_unit_or_badge_saying_which_exist(kiosk, tmp_path, ikrar):
    code, _, err = ikrar("--db", kiosk.path, "badges", "-o", tmp_path / "x.pdf", "--unit", "Dinas Antah")
    assert code == 1 and "Dinas Antah" in err and kiosk.present[0].unit in err
    code, _, err = ikrar("--db", kiosk.path, "badges", "-o", tmp_path / "x.pdf", "--nip", "199001012019031001")
    assert code == 1 and "tidak ada di daftar peserta" in err
    assert not (tmp_path / "x.pdf").exists()


# --- daftar hadir -------------------------------------------------------------------------------

def test_daftar_hadir_from_the_database(kiosk, tmp_path, ikrar):
    out_pdf = tmp_path / "hadir.pdf"
    code, out, err = ikrar("--db", kiosk.path, "export", "pdf", "-o", out_pdf, "--json")
    assert code == 0 and err == ""                          # quick: no progress lines
    data = _json(out)
    assert data["count"] == 18 and data["encrypted_input"] is False and data["warnings"] == []
    assert_a4(out_pdf)
    assert_fonts_embedded(out_pdf)
    assert (out_pdf.stat().st_mode & 0o777) == 0o600
    flat = _flat(out_pdf)
    for p in kiosk.present:
        assert p.name in flat, p.name
    text = pdftotext(out_pdf)
    for p in kiosk.present[:16]:
        assert _spaced(p) in text
    for needle in ("DAFTAR HADIR", "PEMERINTAH KABUPATEN CONTOH", "Jalan Merdeka Nomor 1", "Ruang Pola",
                   "A. Pegawai ASN (PNS dan PPPK)", "B. Pegawai Non-ASN", "C. Tamu Undangan",
                   "Bawaslu Kabupaten Contoh", "Mengetahui,", "Kepala BKPSDM Kabupaten Contoh",
                   "Drs. Budi Pramono, M.Si.", "NIP. 19700315 199403 1 005", "Halaman 1 dari"):
        assert needle in text, needle
    assert text.count(_spaced(kiosk.present[0])) == 1                   # the second scan is not listed again
    signatures = [i for i in images(out_pdf) if i["type"] == "image" and i["color"] == "index"]
    assert len(signatures) == len(kiosk.present) - len(kiosk.unsigned)  # one image per signature


def test_daftar_hadir_of_one_unit_and_by_unit(kiosk, tmp_path, ikrar):
    unit = kiosk.present[0].unit
    code, out, _ = ikrar("--db", kiosk.path, "export", "pdf", "-o", tmp_path / "u.pdf", "--unit", unit, "--json")
    assert code == 0
    ours = [p for p in kiosk.present if p.unit == unit]
    assert _json(out)["count"] == len(ours)
    text = pdftotext(tmp_path / "u.pdf")
    assert re.search(rf"Unit Kerja\s+: {re.escape(unit)}", text)
    assert all(_spaced(p) in text for p in ours if p.kind.has_nip)
    assert not any(_spaced(p) in text for p in kiosk.present if p.unit != unit and p.kind.has_nip)
    code, _, _ = ikrar("--db", kiosk.path, "export", "pdf", "-o", tmp_path / "b.pdf", "--by-unit")
    assert code == 0
    text = pdftotext(tmp_path / "b.pdf")
    for u in {p.unit for p in kiosk.present[:16]}:
        assert f"Pegawai ASN — {u}" in text


# --- spreadsheets ---------------------------------------------------------------------------------

def test_xlsx_has_no_formula_nips_as_text_and_the_absent_with_reasons(kiosk, tmp_path, ikrar):
    code, out, _ = ikrar("--db", kiosk.path, "export", "xlsx", "-o", tmp_path / "k.xlsx", "--json")
    assert code == 0
    data = _json(out)
    assert data["count"] == 18 and data["absent"] == len(kiosk.absent)
    wb = load_workbook(tmp_path / "k.xlsx")
    assert wb.sheetnames == ["Hadir", "Tidak Hadir", "Rekap"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    present = {row[2].value: row for row in wb["Hadir"].iter_rows(min_row=9) if row[0].value}
    for p in kiosk.present[:16]:
        cell = present[p.nip][2]
        assert cell.data_type == "s" and cell.number_format == "@"
    kinds = {row[1].value: row[7].value for row in wb["Hadir"].iter_rows(min_row=9)}
    assert kinds[kiosk.present[16].name] == "Non-ASN" and kinds[kiosk.present[17].name] == "Tamu"
    signed = {row[1].value: row[10].value for row in wb["Hadir"].iter_rows(min_row=9)}
    assert signed[kiosk.present[3].name] == "Tidak" and signed[kiosk.present[0].name] == "Ya"
    absent = {row[1].value: row[8].value for row in wb["Tidak Hadir"].iter_rows(min_row=9)}
    for p in kiosk.absent:
        assert absent[p.name] == kiosk.reasons.get(p.nip, "Tanpa Keterangan")
    total = [row for row in wb["Rekap"].iter_rows(values_only=True) if row[1] == "Jumlah"][0]
    assert total[6] == 17                                               # staff present (the guest is a witness)


def test_csv_has_a_bom_and_a_chosen_separator(kiosk, tmp_path, ikrar):
    code, _, _ = ikrar("--db", kiosk.path, "export", "csv", "-o", tmp_path / "k.csv", "--sep", ",")
    assert code == 0
    raw = (tmp_path / "k.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=","))
    flat = [cell for row in rows for cell in row]
    assert "HADIR" in flat and "TIDAK HADIR" in flat and _spaced(kiosk.present[0]) in flat
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in flat if cell != "-")
    code, _, _ = ikrar("--db", kiosk.path, "export", "csv", "-o", tmp_path / "t.csv", "--sep", "tab")
    assert code == 0 and "HADIR\nNo\tNama\tNIP" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    with pytest.raises(SystemExit) as usage:
        ikrar("--db", kiosk.path, "export", "csv", "-o", tmp_path / "u.csv", "--sep", ":")
    assert usage.value.code == 2


# --- pakta ----------------------------------------------------------------------------------------

def test_pakta_one_file_each_with_the_text_each_person_signed(kiosk, tmp_path, ikrar):
    folder = tmp_path / "pakta"
    code, out, _ = ikrar("--db", kiosk.path, "export", "pakta", "-o", folder, "--json")
    assert code == 0
    data = _json(out)
    signers = kiosk.present[:17]                                       # the guest signs no pact
    assert data["count"] == 17 and data["folder"] == str(folder) and len(data["files"]) == 17
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"pakta-{p.nip}.pdf" for p in signers)
    old = pledge.render(pledge.load_template(pledge.DEFAULT_TEMPLATE), {"instansi": INSTANSI})
    new = pledge.render(pledge.load_template("pilkada-2020"), {"instansi": INSTANSI})
    for p in signers:
        f = folder / f"pakta-{p.nip}.pdf"
        assert page_count(f) == 1 and (f.stat().st_mode & 0o777) == 0o600
        assert_a4(f)
        assert_fonts_embedded(f)
        text = pdftotext(f, layout=False)
        assert p.name in text and f"SHA-256 teks: {kiosk.pledges[p.nip]}" in text
        signed_text = new if kiosk.pledges[p.nip] == new.sha256 else old
        assert signed_text.sha256 == kiosk.pledges[p.nip]
        heading = signed_text.text.split("\n")[1]                      # "pada Pemilihan …": differs per version
        assert heading in text
        pictures = [im for im in images(f) if im["type"] == "image"]
        assert len(pictures) == (1 if p.nip in kiosk.unsigned else 2)   # the logo, and the signature
    assert {kiosk.pledges[p.nip] for p in signers} == {old.sha256, new.sha256}
    assert (folder.stat().st_mode & 0o777) == 0o700


def test_pakta_in_one_file(kiosk, tmp_path, ikrar):
    code, out, _ = ikrar("--db", kiosk.path, "export", "pakta", "--single", tmp_path / "semua.pdf", "--json")
    assert code == 0 and _json(out)["file"] == str(tmp_path / "semua.pdf")
    assert page_count(tmp_path / "semua.pdf") == 17


def test_cut_pacts_are_the_same_pages_as_pacts_drawn_one_by_one(tmp_path, monkeypatch):
    """Pacts drawn 200 to a document (the kop and the pledge drawn once, then replayed) and cut into files
    look exactly like pacts drawn each in a document of its own: the same pixels, text, size, images."""
    event = sample.event(sample.logo(tmp_path / "logo.png"))
    rows = sample.attendance(sample.people(7, non_asn=2))
    long_text = "\n\n".join([rows[0].pledge_text or ""] * 3)          # a text that runs onto a second page
    rows[4] = dataclasses.replace(rows[4], pledge_text=long_text)
    rows[5] = dataclasses.replace(rows[5], person=dataclasses.replace(rows[5].person, position="Jabatan " * 40))
    cut = pakta.pakta_all(event, rows, tmp_path / "cut")
    monkeypatch.setattr(pdfsplit, "split", lambda data, ranges: None)       # the fallback: one document each
    each = pakta.pakta_all(event, rows, tmp_path / "each")
    assert [p.name for p in cut] == [p.name for p in each]
    assert page_count(cut[4]) == 2
    for a, b in zip(cut, each):
        assert pdftotext(a) == pdftotext(b)
        assert pdfinfo(a)["Page size"] == pdfinfo(b)["Page size"]
        assert [(i["width"], i["height"]) for i in images(a)] == [(i["width"], i["height"]) for i in images(b)]
        assert_fonts_embedded(a)
        pa = render(a, tmp_path / "pa", dpi=60) if (tmp_path / "pa").mkdir() is None else []
        pb = render(b, tmp_path / "pb", dpi=60) if (tmp_path / "pb").mkdir() is None else []
        for x, y in zip(pa, pb, strict=True):
            with Image.open(x) as ia, Image.open(y) as ib:
                assert ImageChops.difference(ia.convert("RGB"), ib.convert("RGB")).getbbox() is None, a.name
        shutil.rmtree(tmp_path / "pa")
        shutil.rmtree(tmp_path / "pb")


def test_a_drawing_is_replayed_only_from_the_same_state_and_never_across_a_page_break(tmp_path):
    pdf = Doc(title="t", page_numbers=False)
    calls = []

    def draw() -> float:
        calls.append(pdf.page)
        pdf.font(10, bold=True)
        pdf.put(20, 30, "Kami Aparatur Sipil Negara")
        return 40.0

    pdf.add_page()
    pdf.font(10)
    assert pdf.cached("a", draw) == 40.0
    pdf.add_page()
    pdf.font(10)
    assert pdf.cached("a", draw) == 40.0 and calls == [1]                 # replayed
    assert pdf.font_style == "B"                                           # with the state it left
    pdf.add_page()
    pdf.font(12)
    pdf.cached("a", draw)
    assert calls == [1, 3]                                                 # another state: drawn again

    def breaking() -> float:
        pdf.add_page()
        return 0.0

    pdf.cached("b", breaking)
    pdf.cached("b", breaking)
    assert pdf.page == 5                                                   # never replayed
    out = tmp_path / "r.pdf"
    out.write_bytes(fonts.output(pdf))
    pages = pdftotext(out).split("\f")
    assert [p.strip() for p in pages[:3]] == ["Kami Aparatur Sipil Negara"] * 3


def test_split_refuses_what_fpdf2_did_not_write():
    assert pdfsplit.split(b"%PDF-1.4\nnot really\n%%EOF\n", [(1, 1)]) is None


# --- laporan --------------------------------------------------------------------------------------

def test_laporan_with_photos(kiosk, tmp_path, ikrar):
    photos = [sample.photo(tmp_path / f"foto-{i}.jpg", i) for i in range(3)]
    code, out, _ = ikrar("--db", kiosk.path, "export", "laporan", "-o", tmp_path / "lap.pdf",
                         *[x for p in photos for x in ("--photo", p)], "--json")
    assert code == 0 and _json(out)["absent"] == len(kiosk.absent)
    text = _flat(tmp_path / "lap.pdf")
    for needle in ("LAPORAN PELAKSANAAN", "Bupati Contoh", "17 dari 25 pegawai", "Bawaslu Kabupaten Contoh",
                   "Surat keterangan dokter", "V. Dokumentasi", "Salinan pakta integritas (17 lembar)"):
        assert needle in text, needle
    assert len([i for i in images(tmp_path / "lap.pdf") if i["type"] == "image"]) == 4    # logo and 3 photos
    code, _, err = ikrar("--db", kiosk.path, "export", "laporan", "-o", tmp_path / "l2.pdf", "--photo",
                         tmp_path / "tidak-ada.jpg")
    assert code == 1 and "tidak-ada.jpg" in err and not (tmp_path / "l2.pdf").exists()


# --- a merged file --------------------------------------------------------------------------------

def test_every_document_from_a_merged_file(tmp_path, ikrar):
    pair = build_pair(tmp_path)
    try:
        ea, eb = pair.export(pair.a, "a.x"), pair.export(pair.b, "b.x")
        with organiser_of(pair, tmp_path) as organiser:
            merge.merge(organiser, [ea, eb], tmp_path / "gabungan.db")
    finally:
        pair.a.close()
        pair.b.close()
    merged = tmp_path / "gabungan.db"
    came = pair.people[:12]                      # 0–11 checked in, 5, 6 and 7 on both kiosks
    code, out, _ = ikrar("--db", merged, "export", "pdf", "-o", tmp_path / "dh.pdf", "--json")
    assert code == 0 and _json(out)["count"] == 12
    text = pdftotext(tmp_path / "dh.pdf")
    assert all(text.count(format_spaced(p.nip)) == 1 for p in came)
    assert not any(format_spaced(p.nip) in text for p in pair.people[12:])
    signed = [i for i in range(12) if i in (5, 6) or (i < 5 and i % 2 == 0) or (i == 7) or (i > 7 and i % 2)]
    assert len([i for i in images(tmp_path / "dh.pdf") if i["color"] == "index"]) == len(signed)
    code, out, _ = ikrar("--db", merged, "export", "pakta", "-o", tmp_path / "pakta", "--json")
    assert code == 0 and _json(out)["count"] == 12
    sha = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"}).sha256
    assert f"SHA-256 teks: {sha}" in pdftotext(tmp_path / "pakta" / f"pakta-{came[0].nip}.pdf", layout=False)
    code, out, _ = ikrar("--db", merged, "export", "xlsx", "-o", tmp_path / "k.xlsx", "--json")
    assert code == 0 and _json(out)["count"] == 12 and _json(out)["absent"] == 18
    code, out, _ = ikrar("--db", merged, "badges", "-o", tmp_path / "kartu.pdf", "--json")
    assert code == 0 and _json(out)["count"] == 30
    code, out, _ = ikrar("--db", merged, "export", "laporan", "-o", tmp_path / "lap.pdf", "--json")
    assert code == 0 and "12 dari 30 pegawai" in pdftotext(tmp_path / "lap.pdf")


def test_signature_images_from_an_encrypted_file_need_no_encrypt(tmp_path, ikrar, monkeypatch):
    pair = build_pair(tmp_path)
    try:
        secret = pair.export(pair.a, "a.ikrar", passphrase=PASS)
    finally:
        pair.a.close()
        pair.b.close()
    monkeypatch.setenv("IKRAR_PASSPHRASE", PASS)
    for args in (["export", "pdf", "-o", tmp_path / "dh.pdf"], ["export", "pakta", "-o", tmp_path / "pakta"],
                 ["export", "pakta", "--single", tmp_path / "semua.pdf"]):
        code, out, _ = ikrar("--db", secret, *args, "--json")
        data = _json(out)
        assert code == 1 and data["code"] == "documents.encrypted_input"
        assert "--no-encrypt" in data["error"] and "terenkripsi" in data["error"]
    assert not (tmp_path / "dh.pdf").exists() and not (tmp_path / "pakta").exists()
    code, _, err = ikrar("--lang", "en", "--db", secret, "export", "pdf", "-o", tmp_path / "dh.pdf")
    assert code == 1 and "signature images" in err and "--no-encrypt" in err
    code, out, _ = ikrar("--db", secret, "export", "pdf", "-o", tmp_path / "dh.pdf", "--no-encrypt", "--json")
    assert code == 0 and _json(out)["encrypted_input"] is True and (tmp_path / "dh.pdf").exists()
    assert ((tmp_path / "dh.pdf").stat().st_mode & 0o777) == 0o600
    code, _, _ = ikrar("--db", secret, "export", "xlsx", "-o", tmp_path / "k.xlsx")   # no signature image in it
    assert code == 0


# --- refusals -------------------------------------------------------------------------------------

def test_nothing_to_export_is_refused_and_writes_nothing(tmp_path, ikrar):
    db = tmp_path / "kosong.db"
    with Store(db) as store:
        store.create_event("Apel", "2024-11-04", pledge=pledge.render(pledge.load_template("pemilu-2024")))
    code, _, err = ikrar("--db", db, "badges", "-o", tmp_path / "kartu.pdf")
    assert code == 1 and "Tidak ada peserta" in err
    with Store(db) as store:
        store.upsert_people(demo.people(5))
    for args in (["export", "pdf", "-o", tmp_path / "a.pdf"], ["export", "xlsx", "-o", tmp_path / "a.xlsx"],
                 ["export", "csv", "-o", tmp_path / "a.csv"], ["export", "pakta", "-o", tmp_path / "pakta"],
                 ["export", "laporan", "-o", tmp_path / "l.pdf"]):
        code, out, _ = ikrar("--db", db, *args, "--json")
        assert code == 1 and _json(out)["code"] == "documents.nothing_attendance", args
        assert "Belum ada kehadiran" in _json(out)["error"]
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("kosong.db")] == []


def test_an_existing_file_is_kept_unless_forced(kiosk, tmp_path, ikrar):
    target = tmp_path / "hadir.pdf"
    target.write_bytes(b"laporan minggu lalu")
    code, _, err = ikrar("--db", kiosk.path, "export", "pdf", "-o", target)
    assert code == 1 and "sudah ada" in err and "--force" in err
    assert target.read_bytes() == b"laporan minggu lalu"
    code, _, _ = ikrar("--db", kiosk.path, "export", "pdf", "-o", target, "--force")
    assert code == 0 and target.read_bytes().startswith(b"%PDF")
    folder = tmp_path / "pakta"
    folder.mkdir()
    (folder / f"pakta-{kiosk.present[2].nip}.pdf").write_bytes(b"lama")
    code, _, err = ikrar("--db", kiosk.path, "export", "pakta", "-o", folder)
    assert code == 1 and "sudah berisi 1 berkas pakta" in err
    assert sorted(p.name for p in folder.iterdir()) == [f"pakta-{kiosk.present[2].nip}.pdf"]
    code, _, _ = ikrar("--db", kiosk.path, "export", "pakta", "-o", folder, "--force")
    assert code == 0 and len(list(folder.iterdir())) == 17
    code, _, err = ikrar("--db", kiosk.path, "export", "pakta", "-o", target)
    assert code == 1 and "bukan folder" in err
    code, _, err = ikrar("--db", kiosk.path, "export", "xlsx", "-o", tmp_path)
    assert code == 1 and "adalah folder" in err
    code, _, err = ikrar("--db", kiosk.path, "export", "csv", "-o", tmp_path / "tidak-ada" / "k.csv")
    assert code == 1 and "tidak ada" in err


def test_a_full_disk_leaves_no_half_file(kiosk, tmp_path, ikrar, monkeypatch):
    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = ikrar("--db", kiosk.path, "export", "pdf", "-o", tmp_path / "hadir.pdf")
    assert code == 1 and "ruang disk" in err and "No space left" in err
    monkeypatch.setattr(os, "sync", full)
    code, _, err = ikrar("--db", kiosk.path, "export", "pakta", "-o", tmp_path / "pakta")
    assert code == 1 and "ruang disk" in err
    assert list((tmp_path / "pakta").iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["pakta"]             # no temporary file either


# --- progress and language ------------------------------------------------------------------------

def test_progress_speaks_only_after_a_second(monkeypatch):
    clock = iter([0.0, 0.2, 1.2, 1.3, 1.9, 2.0])
    monkeypatch.setattr("kiosk.cli.documents.time.monotonic", lambda: next(clock))
    stream = io.StringIO()
    progress = StderrProgress("pakta", stream)          # started at 0.0
    progress(10, 100)                                    # 0.2 s: quiet
    progress(20, 100)                                    # 1.2 s: speaks
    progress(30, 100)                                    # 1.3 s: too soon after
    progress(90, 100)                                    # 1.9 s
    progress(100, 100)                                   # 2.0 s: the end is always said once it spoke
    assert stream.getvalue().splitlines() == ["Membuat pakta integritas: 20 dari 100",
                                              "Membuat pakta integritas: 90 dari 100",
                                              "Membuat pakta integritas: 100 dari 100"]
    quiet = io.StringIO()
    clock = iter([0.0, 0.5])
    StderrProgress("pakta", quiet)(100, 100)
    assert quiet.getvalue() == ""


def test_the_documents_stay_indonesian_when_the_messages_are_english(kiosk, tmp_path, ikrar):
    code, out, _ = ikrar("--lang", "en", "--db", kiosk.path, "export", "xlsx", "-o", tmp_path / "k.xlsx")
    assert code == 0 and out.startswith("Workbook saved")
    wb = load_workbook(tmp_path / "k.xlsx")
    kinds = {row[7] for row in wb["Hadir"].iter_rows(min_row=9, values_only=True) if row[0]}
    assert kinds <= {"PNS", "PPPK", "Non-ASN", "Tamu"}
    reasons = {row[8] for row in wb["Tidak Hadir"].iter_rows(min_row=9, values_only=True) if row[0]}
    assert reasons <= {"Sakit", "Dinas Luar", "Tanpa Keterangan"}
