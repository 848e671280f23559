"""Non-ASN lists (honorer, PPNPN, tenaga kontrak): read_roster(path, non_asn=True), real files in tmp_path."""
from __future__ import annotations

import codecs
import csv
import io
import re

import openpyxl
import pytest

from kiosk import i18n
from kiosk.i18n import KioskError
from kiosk.people.roster import HEADER_SYNONYMS, EmployeeKind, ParsedRoster, read_roster

PNS = "196804111993031009"
NIK_A = "3404011508900001"     # DIY, Sleman, Gamping; born 15-08-1990, man
NIK_B = "3404015508900002"     # the same day, a woman (day + 40)
NIK_C = "3471020101850003"


def make_nik(i: int) -> str:
    return f"340401{(i % 28) + 1:02d}0{(i // 28) % 9 + 1}9{i % 10}{i % 9999 + 1:04d}"


def write_bytes(path, data: bytes):
    path.write_bytes(data)
    return path


def write_csv(path, rows, *, encoding="cp1252", delimiter=";", bom=b""):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return write_bytes(path, bom + buf.getvalue().encode(encoding))


def write_xlsx(path, rows, *, sheet="Honorer"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def codes(parsed: ParsedRoster) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in parsed.problems]


def messages(parsed: ParsedRoster) -> list[str]:
    return [p.message for p in parsed.problems + parsed.warnings]


def refused(path, **kw) -> KioskError:
    with pytest.raises(KioskError) as info:
        read_roster(path, **kw)
    return info.value


def no_whole_nik(texts) -> bool:
    return not any(re.search(r"(?<![0-9])[0-9]{16}(?![0-9])", text) for text in texts)


HONORER = [
    ["DAFTAR TENAGA NON ASN"],
    ["SEKRETARIAT DAERAH KABUPATEN SLEMAN"],
    [],
    ["No", "NIK", "Nama", "Jabatan", "Unit Kerja", "Status"],
    ["1", NIK_A, "Sri Wahyuni", "Pramu Kantor", "Bagian Umum", "Honorer"],
    ["2", NIK_B, "Joko Susilo, A.Md.", "Pengemudi", "Bagian Umum", "PPNPN"],
    ["3", "", "Tri Utami", "Petugas Kebersihan", "Bagian Umum", "Tenaga Harian Lepas"],
    ["4", "-", "Eko Prasetyo", "Satpam", "Bagian Umum", "Tenaga Kontrak"],
]


# --------------------------------------------------------------------------- reading


def test_honorer_list_in_windows_1252_semicolons(tmp_path):
    rows = [*HONORER, ["5", NIK_C, "Ni Luh Putu \u00c9ka", "Operator", "Bagian Organisasi", "Honorer"]]
    r = read_roster(write_csv(tmp_path / "honorer.csv", rows), non_asn=True)

    assert (r.format, r.encoding, r.delimiter, r.header_line, r.non_asn) == ("csv", "cp1252", ";", 4, True)
    assert r.columns == {"nik": "NIK", "name": "Nama", "position": "Jabatan", "unit": "Unit Kerja",
                         "employment": "Status"}
    assert r.problems == () and r.warnings == ()
    assert [(row.line, row.nik, row.bare_name, row.employment) for row in r.rows] == [
        (5, NIK_A, "Sri Wahyuni", "Honorer"), (6, NIK_B, "Joko Susilo, A.Md.", "PPNPN"),
        (7, "", "Tri Utami", "Tenaga Harian Lepas"), (8, "", "Eko Prasetyo", "Tenaga Kontrak"),
        (9, NIK_C, "Ni Luh Putu \u00c9ka", "Honorer")]
    assert all(row.nip == "" and row.kind is EmployeeKind.NON_ASN for row in r.rows)
    assert r.rows[0].position == "Pramu Kantor" and r.rows[0].unit == "Bagian Umum"


def test_honorer_list_as_xlsx(tmp_path):
    r = read_roster(write_xlsx(tmp_path / "honorer.xlsx", HONORER), non_asn=True)
    assert r.format == "xlsx" and r.sheet == "Honorer"
    assert [(row.line, row.nik, row.employment) for row in r.rows] == [
        (5, NIK_A, "Honorer"), (6, NIK_B, "PPNPN"), (7, "", "Tenaga Harian Lepas"), (8, "", "Tenaga Kontrak")]


def test_utf8_bom_and_utf16_lists(tmp_path):
    rows = [["NIK", "Nama", "Tugas", "Penempatan", "Jenis Pegawai"], [NIK_A, "\u00c0gus", "Sopir", "OPD A", "PPNPN"]]
    r8 = read_roster(write_csv(tmp_path / "u8.csv", rows, encoding="utf-8", bom=codecs.BOM_UTF8), non_asn=True)
    r16 = read_roster(write_csv(tmp_path / "u16.txt", rows, encoding="utf-16", delimiter="\t"), non_asn=True)
    for r in (r8, r16):
        assert [(row.nik, row.bare_name, row.position, row.unit, row.employment) for row in r.rows] == [
            (NIK_A, "\u00c0gus", "Sopir", "OPD A", "PPNPN")]
    assert (r8.encoding, r16.encoding, r16.delimiter) == ("utf-8-sig", "utf-16", "\t")


def test_list_without_any_id_column(tmp_path):
    rows = [["Nama", "OPD"], ["Sri", "Dinas Sosial"], ["Sri", "Dinas Kesehatan"], ["Budi", ""]]
    r = read_roster(write_csv(tmp_path / "nama_saja.csv", rows), non_asn=True)
    assert r.problems == ()
    assert [(row.nik, row.name, row.unit) for row in r.rows] == [
        ("", "Sri", "Dinas Sosial"), ("", "Sri", "Dinas Kesehatan"), ("", "Budi", "")]


@pytest.mark.parametrize("field", ["nik", "employment"])
def test_every_non_asn_synonym_is_recognised(tmp_path, field):
    value = NIK_A if field == "nik" else "Honorer"
    for label in HEADER_SYNONYMS[field]:
        for variant in (label, label.upper(), label.replace(" ", "_")):
            r = read_roster(write_csv(tmp_path / "s.csv", [["Nama", variant], ["Ani", value]]), non_asn=True)
            assert r.columns[field] == variant, variant
            assert getattr(r.rows[0], field) == value


@pytest.mark.parametrize("header", ["NIK", "No. KTP", "Nomor KTP", "NIK KTP", "No KTP", "nik"])
def test_nik_headers_named_in_the_brief(tmp_path, header):
    r = read_roster(write_csv(tmp_path / "k.csv", [[header, "Nama"], [NIK_A, "Ani"]]), non_asn=True)
    assert r.rows[0].nik == NIK_A


@pytest.mark.parametrize("position, unit", [("Jabatan", "Unit Kerja"), ("Tugas", "Penempatan"), ("Tugas", "OPD")])
def test_position_and_unit_headers(tmp_path, position, unit):
    r = read_roster(write_csv(tmp_path / "pu.csv", [["Nama", position, unit], ["Ani", "Sopir", "Setda"]]),
                    non_asn=True)
    assert (r.rows[0].position, r.rows[0].unit) == ("Sopir", "Setda")


def test_titles_blank_rows_column_numbers_and_repeated_headers(tmp_path):
    rows = [["DAFTAR PPNPN"], [], ["No", "NIK", "Nama", "Unit Kerja"], ["(1)", "(2)", "(3)", "(4)"],
            ["1", NIK_A, "Ani", "Setda"], [], ["No", "NIK", "Nama", "Unit Kerja"], ["2", "", "Budi", "Setda"],
            ["", "", "", ""]]
    r = read_roster(write_csv(tmp_path / "judul.csv", rows), non_asn=True)
    assert r.problems == ()
    assert [(row.line, row.bare_name) for row in r.rows] == [(5, "Ani"), (8, "Budi")]

    rows = [["Nama", "Unit Kerja"], ["1", "2"], ["Ani", "Setda"], ["Nama", "Unit Kerja"], ["Budi", "Setda"]]
    r = read_roster(write_csv(tmp_path / "tanpa_nik.csv", rows), non_asn=True)
    assert [(row.line, row.bare_name) for row in r.rows] == [(3, "Ani"), (5, "Budi")]


def test_spaced_dotted_and_apostrophe_niks_are_accepted(tmp_path):
    rows = [["NIK", "Nama"], ["3404 0115 0890 0001", "A"], ["'3404015508900002", "B"], ["3471.02.010185.0003", "C"]]
    r = read_roster(write_csv(tmp_path / "bentuk.csv", rows), non_asn=True)
    assert r.problems == ()
    assert [row.nik for row in r.rows] == [NIK_A, NIK_B, NIK_C]


# --------------------------------------------------------------------------- problems


def test_wrong_niks_are_problems_without_the_nik_in_the_message(tmp_path):
    rows = [["NIK", "Nama"],
            ["340401150890000", "Kurang"],       # 15 digits
            ["34040115089000012", "Lebih"],      # 17 digits
            ["3404O11508900001", "Huruf"],       # a letter O
            ["3,40401E+15", "Ilmiah"]]
    r = read_roster(write_csv(tmp_path / "salah.csv", rows), non_asn=True)
    assert r.rows == ()
    assert codes(r) == [(2, "nik.length"), (3, "nik.length"), (4, "nik.not_digits"),
                        (5, "nik.scientific")]
    assert "16 digit" in r.problems[0].message and "15 digit" in r.problems[0].message
    assert "'O'" in r.problems[2].message
    assert "notasi ilmiah" in r.problems[3].message
    for text in ("340401150890000", "34040115089000012", "3404O11508900001"):
        assert all(text not in m for m in messages(r))


def test_duplicate_niks_are_reported_on_every_line_masked(tmp_path):
    rows = [["NIK", "Nama", "Unit Kerja"], [NIK_A, "Ani", "Setda"], [NIK_B, "Budi", "Setda"],
            ["3404 0115 0890 0001", "Ani lagi", "Dinas"], [NIK_A, "", "Dinas"]]
    r = read_roster(write_csv(tmp_path / "dup.csv", rows), non_asn=True)
    assert [row.nik for row in r.rows] == [NIK_B]
    assert codes(r) == [(2, "roster.duplicate_nik"), (4, "roster.duplicate_nik"),
                        (5, "roster.name_empty"), (5, "roster.duplicate_nik")]
    by_line = {p.line: p.message for p in r.problems if p.code == "roster.duplicate_nik"}
    assert "baris 4, 5" in by_line[2] and "baris 2, 5" in by_line[4]
    assert "3404********0001" in by_line[2]
    assert no_whole_nik(messages(r))


def test_same_name_and_unit_without_nik_is_a_problem(tmp_path):
    rows = [["NIK", "Nama", "Unit Kerja"],
            ["", "Joko", "Bagian Umum"],        # 2
            ["", "Joko", "Bagian Keuangan"],    # 3: another unit: another person
            ["", " JOKO ", "bagian umum"],      # 4: the same as 2
            [NIK_A, "Joko", "Bagian Umum"],     # 5: a NIK tells this one apart
            ["", "Joko, S.E.", "Bagian Umum"],  # 6: told apart by the title
            ["", "Tri", ""], ["", "Tri", ""]]   # 7, 8: no unit at all
    r = read_roster(write_csv(tmp_path / "kembar.csv", rows), non_asn=True)
    assert [(row.line, row.name) for row in r.rows] == [(3, "Joko"), (5, "Joko"), (6, "Joko, S.E.")]
    assert codes(r) == [(2, "roster.duplicate_person"), (4, "roster.duplicate_person"),
                        (7, "roster.duplicate_person"), (8, "roster.duplicate_person")]
    msg = r.problems[0].message
    assert "Joko (Bagian Umum)" in msg and "baris 4" in msg and "NIK" in msg and "bedakan" in msg
    assert "tanpa unit kerja" in r.problems[2].message and "baris 8" in r.problems[2].message


def test_same_name_and_unit_message_in_english(tmp_path):
    i18n.set_language("en")
    rows = [["Nama", "Unit Kerja"], ["Joko", "Setda"], ["Joko", "Setda"]]
    r = read_roster(write_csv(tmp_path / "twins.csv", rows), non_asn=True)
    assert "appears more than once without a NIK" in r.problems[0].message
    assert "line(s) 3" in r.problems[0].message and "tell their names or units apart" in r.problems[0].message


def test_a_valid_nip_in_a_non_asn_list_is_a_problem(tmp_path):
    rows = [["NIP", "NIK", "Nama"], [PNS, "", "Pegawai ASN"], ["-", NIK_A, "Honorer"], ["", NIK_B, "Kontrak"],
            ["123", "", "Nomor urut"]]
    r = read_roster(write_csv(tmp_path / "campur.csv", rows), non_asn=True)
    assert [row.bare_name for row in r.rows] == ["Honorer", "Kontrak", "Nomor urut"]
    assert codes(r) == [(2, "roster.non_asn_nip")]
    assert PNS in r.problems[0].message and "roster ASN" in r.problems[0].message


def test_missing_name(tmp_path):
    r = read_roster(write_csv(tmp_path / "nama.csv", [["NIK", "Nama"], [NIK_A, ""], ["", "Ani"]]), non_asn=True)
    assert codes(r) == [(2, "roster.name_empty")]
    assert "Nama" in r.problems[0].message and NIK_A not in r.problems[0].message


def test_xlsx_nik_stored_as_a_number(tmp_path):
    r = read_roster(write_xlsx(tmp_path / "angka.xlsx", [["NIK", "Nama"], [int(NIK_A), "Ani"], [NIK_B, "Budi"]]),
                    non_asn=True)
    assert [row.nik for row in r.rows] == [NIK_B]
    assert codes(r) == [(2, "roster.nik_number")]
    assert "Teks" in r.problems[0].message
    assert "3404011508900" not in r.problems[0].message          # not even the rounded number


def test_a_nik_never_appears_whole_in_any_message(tmp_path):
    niks = [make_nik(i) for i in range(40)]
    rows = [["NIK", "Nama", "Unit Kerja"]]
    rows += [[n, f"Orang {i}", "Setda"] for i, n in enumerate(niks)]
    rows += [[n, f"Ganda {i}", ""] for i, n in enumerate(niks[:15])]          # 15 duplicates
    rows += [[n[:15], "Kurang", ""] for n in niks[:3]] + [[n + "9", "", ""] for n in niks[:3]]
    for lang in ("id", "en"):
        i18n.set_language(lang)
        r = read_roster(write_csv(tmp_path / "banyak.csv", rows), non_asn=True)
        assert len(r.problems) == 30 + 3 + 6
        assert no_whole_nik(messages(r))


# --------------------------------------------------------------------------- whole-file refusals


def test_no_name_header_is_refused(tmp_path):
    err = refused(write_csv(tmp_path / "tanpa.csv", [["NIK", "Unit Kerja"], [NIK_A, "Setda"]]), non_asn=True)
    assert err.code == "roster.no_name_header"
    assert "Nama Lengkap" in str(err)
    err = refused(write_xlsx(tmp_path / "tanpa.xlsx", [["NIK", "Unit Kerja"], [NIK_A, "Setda"]]), non_asn=True)
    assert err.code == "roster.no_name_header"


def test_header_only_list_is_empty(tmp_path):
    err = refused(write_csv(tmp_path / "kosong.csv", [["Judul"], ["NIK", "Nama"], ["", ""]]), non_asn=True)
    assert err.code == "roster.empty" and err.params["line"] == 2


def test_an_honorer_list_read_as_an_asn_roster_says_how_to_import_it(tmp_path):
    err = refused(write_csv(tmp_path / "honorer.csv", HONORER))
    assert err.code == "roster.no_header"
    assert "non-ASN" in str(err) and "honorer" in str(err)
    i18n.set_language("en")
    assert "imported as a non-ASN list" in str(refused(write_csv(tmp_path / "honorer.csv", HONORER)))


def test_an_asn_roster_read_as_a_non_asn_list_refuses_every_row(tmp_path):
    rows = [["NIP", "Nama"], [PNS, "Ani"], ["200012312024211001", "Budi"]]
    r = read_roster(write_csv(tmp_path / "asn.csv", rows), non_asn=True)
    assert r.rows == () and codes(r) == [(2, "roster.non_asn_nip"), (3, "roster.non_asn_nip")]
