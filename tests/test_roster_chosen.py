"""Rosters read with the header row and the columns chosen by hand (the desk's import preview), the top of
a file as it is (peek_roster), and progress on large files: real XLSX and CSV files in tmp_path."""
from __future__ import annotations

import codecs

import openpyxl
import pytest

from kiosk.i18n import KioskError
from kiosk.people.roster import column_letter, field_label, list_fields, peek_roster, read_roster

PNS = "196804111993031009"
PPPK = "200012312024211001"
NIP_B = "198503152010012003"


def make_nip(i: int) -> str:
    return f"1970{i // 28 % 12 + 1:02d}{i % 28 + 1:02d}199503{1 + i % 2}{i % 999 + 1:03d}"


def xlsx(path, rows, *, start_column=1):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=start_column):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def cp1252_csv(path, lines):
    """Windows-1252 text behind a UTF-8 BOM, ``;``-separated, CRLF: what an Indonesian Excel sometimes saves."""
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode("cp1252") + b"\r\n")
    return path


ROWS = [
    ["DAFTAR NOMINATIF PEGAWAI", None, None, None],
    [None, None, None, None],
    ["NIP Baru", "Nama", "Jabatan", "Bagian"],
    [PNS, "Ani Lestari", "Analis", "Bagian Umum"],
    [PPPK, "Budi Santoso", "Pranata Komputer", "Bagian Keuangan"],
]


def test_a_column_the_names_do_not_find_is_chosen_by_hand(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", ROWS)
    detected = read_roster(path)
    assert detected.header_line == 3 and "unit" not in detected.columns and not detected.chosen
    assert detected.header_cells == ("NIP Baru", "Nama", "Jabatan", "Bagian")
    assert detected.positions == {"nip": 0, "name": 1, "position": 2}
    assert [r.unit for r in detected.rows] == ["", ""]

    chosen = read_roster(path, columns={**detected.positions, "unit": 3})
    assert chosen.chosen and chosen.header_line == 3
    assert chosen.columns["unit"] == "Bagian" and chosen.positions["unit"] == 3
    assert [(r.nip, r.unit) for r in chosen.rows] == [(PNS, "Bagian Umum"), (PPPK, "Bagian Keuangan")]
    assert not chosen.problems


def test_letters_follow_the_sheet_when_it_starts_right_of_column_a(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", ROWS, start_column=3)
    parsed = read_roster(path)
    assert parsed.first_column == 2 and parsed.positions["nip"] == 0
    assert column_letter(parsed.first_column + parsed.positions["nip"]) == "C"
    with pytest.raises(KioskError) as err:
        read_roster(path, columns={"nip": 0, "name": 0})
    assert err.value.code == "roster.column_twice" and "Kolom C" in str(err.value)
    assert "NIP" in str(err.value) and "Nama" in str(err.value)


def test_a_header_row_with_unknown_names_is_chosen_by_line_and_its_columns_by_hand(tmp_path):
    path = cp1252_csv(tmp_path / "r.csv", [
        "Rekap pegawai Dinas Pendidikan;;",
        "Nomor Induk;Nama Lengkap Pegawai;Satuan",
        f"{PNS};Ani Lestari;Bidang Pengembangan Kompetensi — Diklat",
        f"{NIP_B};Siti Nurhaliza;Bidang Mutasi",
    ])
    with pytest.raises(KioskError) as err:
        read_roster(path)
    assert err.value.code == "roster.no_header"
    peek = peek_roster(path)
    assert peek.header_line is None and peek.delimiter == ";" and peek.encoding == "cp1252"
    assert peek.lines[1] == (2, ("Nomor Induk", "Nama Lengkap Pegawai", "Satuan"))
    with pytest.raises(KioskError) as err:
        read_roster(path, header_line=2)
    assert err.value.code == "roster.not_header" and "baris 2" in str(err.value).lower()
    parsed = read_roster(path, header_line=2, columns={"nip": 0, "name": 1, "unit": 2})
    assert parsed.delimiter == ";" and parsed.header_line == 2
    assert [(r.nip, r.name, r.unit) for r in parsed.rows] == [
        (PNS, "Ani Lestari", "Bidang Pengembangan Kompetensi — Diklat"), (NIP_B, "Siti Nurhaliza", "Bidang Mutasi")]
    assert parsed.columns == {"nip": "Nomor Induk", "name": "Nama Lengkap Pegawai", "unit": "Satuan"}


def test_a_line_chosen_as_header_is_read_by_its_names_when_no_columns_are_given(tmp_path):
    # Detection takes the first row naming a NIP column; here that is a note above the real header.
    path = cp1252_csv(tmp_path / "r.csv", [
        "NIP;Nama;catatan: NIP lama tidak dipakai",
        "",
        "NIP Baru;Nama;Unit Kerja",
        f"{PNS};Ani;Sekretariat",
    ])
    by_line = read_roster(path, header_line=3)
    assert by_line.header_line == 3 and by_line.chosen
    assert [(r.nip, r.unit) for r in by_line.rows] == [(PNS, "Sekretariat")]


def test_chosen_columns_are_checked_with_what_to_do(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", ROWS)
    cases = [
        ({"nip": 0, "name": 1, "nik": 2}, "roster.column_unknown", "NIK"),
        ({"nip": 0, "name": 9}, "roster.column_outside", "Kolom J"),
        ({"nip": 0}, "roster.column_needed", "Nama"),
        ({"name": 1}, "roster.column_needed", "NIP"),
    ]
    for columns, code, shown in cases:
        with pytest.raises(KioskError) as err:
            read_roster(path, columns=columns)
        assert err.value.code == code, columns
        assert shown in str(err.value), str(err.value)
    with pytest.raises(KioskError) as err:
        read_roster(path, header_line=40)
    assert err.value.code == "roster.no_such_line"


def test_a_non_asn_list_may_choose_nik_and_status(tmp_path):
    path = xlsx(tmp_path / "h.xlsx", [
        ["No", "Nomor KTP/NIK", "Nama", "Tugas", "Status"],
        [1, "3404014101900001", "Wati", "Kebersihan", "Honorer"],
    ])
    assert "nik" in list_fields(non_asn=True) and "nik" not in list_fields()
    detected = read_roster(path, non_asn=True)
    assert "nik" not in detected.columns                           # "Nomor KTP/NIK" is not a known name
    parsed = read_roster(path, non_asn=True, columns={**detected.positions, "nik": 1})
    [row] = parsed.rows
    assert row.nik == "3404014101900001" and row.employment == "Honorer" and row.nip == ""


def test_a_second_header_row_does_not_change_columns_chosen_by_hand(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [
        ["NIP", "Nama", "Pangkat", None],
        [None, None, "Gol.", "Jabatan"],
        [PNS, "Ani", "III/a", "Analis"],
    ])
    detected = read_roster(path)
    assert detected.rows[0].rank == "III/a" and detected.rows[0].position == "Analis"
    chosen = read_roster(path, columns={"nip": 0, "name": 1, "unit": 3})
    assert [(r.rank, r.unit, r.position) for r in chosen.rows] == [("", "Analis", "")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_progress_is_told_as_a_large_file_is_read(tmp_path, fmt):
    rows = [["NIP", "Nama", "Unit Kerja"]] + [[make_nip(i), f"Pegawai {i}", f"Unit {i % 7}"] for i in range(12000)]
    if fmt == "csv":
        path = tmp_path / "big.csv"
        path.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    else:
        path = xlsx(tmp_path / "big.xlsx", rows)
    seen = []
    parsed = read_roster(path, progress=lambda done, total: seen.append((done, total)))
    assert len(parsed.rows) + len(parsed.problems) >= 11000
    assert len(seen) >= 3
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and seen[-1][0] == seen[-1][1] >= 12001
    assert all(d <= total for d, total in seen)


def test_an_exception_from_progress_stops_the_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("NIP;Nama\n" + "".join(f"{make_nip(i)};P {i}\n" for i in range(9000)), encoding="utf-8")

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop
    with pytest.raises(Stop):
        read_roster(path, progress=stop)


def test_field_labels_are_indonesian_and_english():
    from kiosk import i18n
    assert field_label("unit") == "Unit kerja"
    i18n.set_language("en")
    assert field_label("unit") == "Unit"
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
