"""Roster parsing: real-looking XLSX and CSV files built byte for byte in tmp_path."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import warnings
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kiosk import i18n
from kiosk.i18n import KioskError
from kiosk.people import nip
from kiosk.people.roster import (
    HEADER_SYNONYMS,
    EmployeeKind,
    ParsedRoster,
    RosterRow,
    RowProblem,
    read_roster,
)

PNS = "196804111993031009"
PPPK = "200012312024211001"
NIP_B = "198503152010012003"
NIP_C = "199001012019031001"


# --------------------------------------------------------------------------- helpers and fixtures


@pytest.fixture(autouse=True)
def indonesian():
    """Every test starts in Indonesian and leaves the language as it found it."""
    before = i18n.language()
    i18n.set_language("id")
    yield
    i18n.set_language(before)


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("id")


def make_nip(i: int, gender: int = 1) -> str:
    """A valid PNS NIP: birth date and sequence vary with ``i`` (sequence 001-999)."""
    born = dt.date(1965, 1, 1) + dt.timedelta(days=i // 999)
    return f"{born:%Y%m%d}199503{gender}{i % 999 + 1:03d}"


def write_xlsx(path, rows, *, sheet="Sheet1", before=None, blank_tail=0):
    """Write ``rows`` (lists; ``None`` cells stay empty) to an XLSX.

    ``before``: rows of an extra first sheet (e.g. instructions without a header).
    ``blank_tail``: styled-but-empty rows after the data, as Excel leaves them.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    if before is not None:
        ws.title = "Petunjuk"
        for r in before:
            ws.append(r)
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for r in rows:
        ws.append(r)
    last = ws.max_row
    for k in range(blank_tail):
        ws.cell(row=last + 1 + k, column=1).number_format = "@"
        ws.cell(row=last + 1 + k, column=2).value = "   "
    wb.save(path)
    return path


def write_excel_like_xlsx(path, rows, *, dimension: str | None = "auto", extension: bool = False):
    """Write an XLSX by hand, as Excel and PhpSpreadsheet do: shared strings, untyped numbers.

    ``dimension``: "auto" for the true used range, a wrong one such as "A1" (some exporters),
    or None for none at all.  ``extension``: add an extLst openpyxl warns about.
    """
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings: dict[str, int] = {}
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
        if cells:
            xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    if dimension == "auto":
        dimension = f"A1:{chr(64 + max(len(r) for r in rows))}{len(rows)}"
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    ext = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x/></ext></extLst>'
           if extension else "")
    sheet = f'<worksheet xmlns="{ns}">{dim}<sheetData>{"".join(xml_rows)}</sheetData>{ext}</worksheet>'
    sst = (f'<sst xmlns="{ns}" uniqueCount="{len(strings)}">'
           + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>")
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>',
        "_rels/.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": sst,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body)
    return path


def write_bytes(path, data: bytes):
    path.write_bytes(data)
    return path


def codes(parsed: ParsedRoster) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in parsed.problems]


def refused(path) -> KioskError:
    with pytest.raises(KioskError) as info:
        read_roster(path)
    return info.value


HEADER = ["No", "NIP", "Nama", "Gelar Depan", "Gelar Belakang", "Jabatan", "Unit Kerja"]


# --------------------------------------------------------------------------- XLSX


def test_titled_xlsx_skips_titles_and_blank_rows_and_joins_titles(tmp_path):
    path = write_xlsx(tmp_path / "nominatif.xlsx", [
        ["DAFTAR NOMINATIF PEGAWAI"],
        ["PEMERINTAH KABUPATEN SLEMAN"],
        [],
        HEADER,
        [1, PNS, "Siti  Aminah", "Dra.", "M.Si.", "Kepala Bidang", "Dinas Pendidikan"],
        [2, PPPK, "Budi\u00a0Santoso ", None, "S.Kom.", "Pranata Komputer", " BKPSDM "],
        [3, NIP_B, "Ahmad", "Ir.", None, None, None],
        [4, NIP_C, "Wati", None, None, "Staf", "Kecamatan Depok"],
    ], blank_tail=5)

    r = read_roster(path)

    assert r.format == "xlsx" and r.encoding is None and r.delimiter is None
    assert r.path == str(path)
    assert r.header_line == 4
    assert r.columns == {"nip": "NIP", "name": "Nama", "front_title": "Gelar Depan",
                         "back_title": "Gelar Belakang", "position": "Jabatan", "unit": "Unit Kerja"}
    assert r.problems == ()
    assert [row.line for row in r.rows] == [5, 6, 7, 8]
    assert r.rows[0] == RosterRow(5, PNS, "Dra. Siti Aminah, M.Si.", "Siti Aminah", "Dra.", "M.Si.",
                                  "Kepala Bidang", "Dinas Pendidikan")
    assert r.rows[1].name == "Budi Santoso, S.Kom."
    assert r.rows[1].unit == "BKPSDM"
    assert r.rows[2].name == "Ir. Ahmad" and r.rows[2].position == "" and r.rows[2].unit == ""
    assert r.rows[3].name == "Wati" and r.rows[3].front_title == "" and r.rows[3].back_title == ""


def test_xlsx_numeric_nips_are_refused_with_their_own_code(tmp_path):
    path = write_xlsx(tmp_path / "angka.xlsx", [
        ["NIP", "Nama"],
        [PNS, "Teks Benar"],
        [int(PNS), "Int"],
        [float(PPPK), "Float"],
        [1.96804111993031e17, "Float 15 digit"],
    ])

    r = read_roster(path)

    assert [row.nip for row in r.rows] == [PNS]
    assert codes(r) == [(3, "roster.nip_number"), (4, "roster.nip_number"), (5, "roster.nip_number")]
    msg = r.problems[0].message
    assert "196804111993031000" in msg          # as Excel's formula bar shows it: 15 digits
    assert "Teks" in msg and "ekspor ulang" in msg
    assert "200012312024211000" in r.problems[1].message


def test_xlsx_numeric_nip_message_in_english(tmp_path, english):
    path = write_xlsx(tmp_path / "angka.xlsx", [["NIP", "Nama"], [int(PNS), "Int"]])
    (p,) = read_roster(path).problems
    assert p.code == "roster.nip_number"
    assert "Format the NIP column as Text" in p.message and "196804111993031000" in p.message


def test_xlsx_line_numbers_are_excel_rows(tmp_path):
    path = write_xlsx(tmp_path / "baris.xlsx", [
        ["DAFTAR HADIR"],
        [None],
        [None, None, "NIP Baru", "Nama Lengkap"],
        [None, None, PNS, "Satu"],
        [],
        [],
        [None, None, "123", "Salah"],
        [None, None, PPPK, "Dua"],
    ])
    r = read_roster(path)
    assert r.header_line == 3
    assert [(row.line, row.bare_name) for row in r.rows] == [(4, "Satu"), (8, "Dua")]
    assert codes(r) == [(7, "nip.length")]


def test_xlsx_first_sheet_without_header_is_skipped(tmp_path):
    path = write_xlsx(tmp_path / "dua_lembar.xlsx", [["NIP", "Nama"], [PNS, "Ani"]],
                      before=[["Petunjuk pengisian"], ["Isi NIP sebagai teks"]], sheet="Data")
    r = read_roster(path)
    assert r.header_line == 1
    assert [row.nip for row in r.rows] == [PNS]


def test_xlsx_with_csv_extension_is_read_by_content(tmp_path):
    path = write_xlsx(tmp_path / "salah_nama.csv", [["NIP", "Nama"], [PNS, "Ani"]])
    r = read_roster(path)
    assert r.format == "xlsx" and [row.nip for row in r.rows] == [PNS]


def test_xlsx_only_old_nip_column_has_no_header(tmp_path):
    path = write_xlsx(tmp_path / "lama.xlsx", [["NIP Lama", "Nama"], ["010203040", "Ani"]])
    err = refused(path)
    assert err.code == "roster.no_header"
    assert "NIP Baru" in str(err) and "NIP Lama" in str(err)


def test_xlsx_header_without_data_is_empty(tmp_path):
    path = write_xlsx(tmp_path / "kosong.xlsx", [["Judul"], HEADER], blank_tail=3)
    err = refused(path)
    assert err.code == "roster.empty" and err.params["line"] == 2


def test_xlsx_header_without_name_column(tmp_path):
    path = write_xlsx(tmp_path / "tanpa_nama.xlsx", [["NIP", "Jabatan"], [PNS, "Staf"]])
    err = refused(path)
    assert err.code == "roster.no_name_column"
    assert "Nama Lengkap" in str(err) and "baris 1" in str(err)


@pytest.mark.parametrize("dimension", ["auto", "A1", None])
def test_excel_like_xlsx_with_shared_strings_and_any_dimension(tmp_path, dimension):
    """Some exporters write a wrong <dimension> (e.g. "A1"); every row must still be read."""
    path = write_excel_like_xlsx(tmp_path / "excel.xlsx", [
        ["DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL"],
        [],
        ["No", "NIP Baru", "Nama", "Gelar Depan", "Gelar Belakang", "Unor"],
        [1, PNS, "Siti Aminah", "Dra.", "M.Si.", "BKPSDM"],
        [2, int(NIP_B), "Angka", None, None, "BKPSDM"],
        [3, PPPK, "Ketut", None, "S.Pd.", "SD Negeri 1"],
        [4, PNS, "Siti Aminah", "Dra.", "M.Si.", "BKPSDM"],
        [5, NIP_C, "Made", None, None, None],
    ], dimension=dimension)
    r = read_roster(path)
    assert r.header_line == 3
    assert [(row.line, row.name) for row in r.rows] == [(6, "Ketut, S.Pd."), (8, "Made")]
    assert codes(r) == [(4, "roster.duplicate_nip"), (5, "roster.nip_number"), (7, "roster.duplicate_nip")]


def test_openpyxl_warnings_do_not_escape(tmp_path):
    path = write_excel_like_xlsx(tmp_path / "ext.xlsx", [["NIP", "Nama"], [PNS, "Ani"]], extension=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = read_roster(path)
    assert [row.nip for row in r.rows] == [PNS]


# --------------------------------------------------------------------------- CSV


SIASN_HEADER = "nipBaru;nama;gelarDepan;gelarBelakang;jabatanNama;unorNama"


def test_siasn_csv_utf8_bom_semicolon(tmp_path):
    text = (SIASN_HEADER + "\r\n"
            f"{PNS};SITI AMINAH;Dra.;M.Si.;Kepala Bidang Mutasi;Badan Kepegawaian Daerah\r\n"
            f"{PPPK};Ketut Ngurah Ayu;;S.Pd.;Guru Ahli Pertama;SD Negeri 1 Denpasar\r\n"
            "\r\n;;;;;\r\n")
    path = write_bytes(tmp_path / "siasn.csv", codecs.BOM_UTF8 + text.encode("utf-8"))

    r = read_roster(path)

    assert (r.format, r.encoding, r.delimiter, r.header_line) == ("csv", "utf-8-sig", ";", 1)
    assert r.columns == {"nip": "nipBaru", "name": "nama", "front_title": "gelarDepan",
                         "back_title": "gelarBelakang", "position": "jabatanNama", "unit": "unorNama"}
    assert r.problems == ()
    assert r.rows == (
        RosterRow(2, PNS, "Dra. SITI AMINAH, M.Si.", "SITI AMINAH", "Dra.", "M.Si.",
                  "Kepala Bidang Mutasi", "Badan Kepegawaian Daerah"),
        RosterRow(3, PPPK, "Ketut Ngurah Ayu, S.Pd.", "Ketut Ngurah Ayu", "", "S.Pd.",
                  "Guru Ahli Pertama", "SD Negeri 1 Denpasar"),
    )


def test_windows_1252_csv_with_commas_and_quoted_names(tmp_path):
    text = ("PEMERINTAH KOTA MAGELANG,,,\r\n"
            ",,,\r\n"
            "NIP,Nama Pegawai,Nama Jabatan,Satuan Kerja\r\n"
            f'{PNS},"Ny. \u00c4gnes Wijaya",Analis,"Dinas Pendidikan, Pemuda dan Olahraga"\r\n'
            f'"{NIP_B}","Sukarsih, S.Pd.",Guru,"SMP Negeri 2"\r\n'
            f'{NIP_C},"Dra. Siti Aminah, M.Si.",Kepala Seksi,Kecamatan Tegalrejo\r\n'
            f'{PPPK},Jos\u00e9 Ma\u00f1ueco \u2013 \u201cAdi\u201d,Staf,Setda\r\n')
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = write_bytes(tmp_path / "win.csv", data)

    r = read_roster(path)

    assert (r.encoding, r.delimiter, r.header_line) == ("cp1252", ",", 3)
    assert r.problems == ()
    assert [row.line for row in r.rows] == [4, 5, 6, 7]
    assert r.rows[0].name == "Ny. \u00c4gnes Wijaya"
    assert r.rows[0].unit == "Dinas Pendidikan, Pemuda dan Olahraga"
    assert r.rows[1].name == r.rows[1].bare_name == "Sukarsih, S.Pd."
    assert r.rows[2].name == "Dra. Siti Aminah, M.Si."
    assert r.rows[3].name == "Jos\u00e9 Ma\u00f1ueco \u2013 \u201cAdi\u201d"


def test_utf8_without_bom(tmp_path):
    path = write_bytes(tmp_path / "u8.csv", f"NIP;Nama\n{PNS};Ni Luh Putu \u00c9ka\n".encode())
    r = read_roster(path)
    assert (r.encoding, r.delimiter) == ("utf-8", ";")
    assert r.rows[0].name == "Ni Luh Putu \u00c9ka"


def test_tab_delimited_utf16_as_excel_unicode_text(tmp_path):
    text = f"NIP\tNama\tUnit Kerja\r\n{PNS}\tAni, S.E.\tDinas Sosial\r\n"
    path = write_bytes(tmp_path / "unicode.txt", text.encode("utf-16"))
    r = read_roster(path)
    assert (r.encoding, r.delimiter) == ("utf-16", "\t")
    assert r.rows[0].name == "Ani, S.E." and r.rows[0].unit == "Dinas Sosial"


def test_excel_sep_hint_line(tmp_path):
    path = write_bytes(tmp_path / "sep.csv", f"sep=,\r\nNIP,Nama\r\n{PNS},\"Ani; Budi\"\r\n".encode())
    r = read_roster(path)
    assert (r.delimiter, r.header_line) == (",", 2)
    assert r.rows[0].line == 3 and r.rows[0].name == "Ani; Budi"


def test_csv_scientific_notation_nips(tmp_path):
    text = f"NIP;Nama\n1,96804E+17;Ani\n1.99001E+17;Budi\n{PNS};Citra\n"
    r = read_roster(write_bytes(tmp_path / "sci.csv", text.encode("cp1252")))
    assert codes(r) == [(2, "nip.scientific"), (3, "nip.scientific")]
    assert "1,96804E+17" in r.problems[0].message and "Excel" in r.problems[0].message
    assert "1.99001E+17" in r.problems[1].message
    assert [row.nip for row in r.rows] == [PNS]


def test_csv_line_numbers_with_titles_blank_lines_and_multiline_cell(tmp_path):
    text = ("DAFTAR NOMINATIF PEGAWAI;;\r\n"          # 1
            "PEMERINTAH KABUPATEN BANTUL;;\r\n"      # 2
            "\r\n"                                   # 3
            "NIP;Nama;Jabatan\r\n"                   # 4 header
            f"{PNS};Ani;Staf\r\n"                    # 5
            f'{NIP_B};"Budi\r\nSantoso";"Kepala\r\n\r\nSeksi"\r\n'  # 6-9
            "\r\n"                                   # 10
            f"{NIP_C};Citra;Staf\r\n"                # 11
            "12345;Salah;Staf\r\n"                   # 12
            f"{PPPK};Dedi;Staf\r\n"                  # 13
            ";;\r\n\r\n")                            # 14, 15
    r = read_roster(write_bytes(tmp_path / "lines.csv", text.encode("utf-8")))
    assert r.header_line == 4
    assert [(row.line, row.bare_name) for row in r.rows] == [(5, "Ani"), (6, "Budi Santoso"),
                                                              (11, "Citra"), (13, "Dedi")]
    assert r.rows[1].position == "Kepala Seksi"
    assert codes(r) == [(12, "nip.length")]


def test_csv_lone_lf_and_cr_line_endings_count_lines(tmp_path):
    lf = f"NIP,Nama\n\n{PNS},Ani\n"
    assert read_roster(write_bytes(tmp_path / "lf.csv", lf.encode())).rows[0].line == 3
    cr = f"NIP,Nama\r\r{PNS},Ani\r"
    assert read_roster(write_bytes(tmp_path / "cr.csv", cr.encode())).rows[0].line == 3


def test_csv_ragged_rows(tmp_path):
    text = f"NIP;Nama;Jabatan;Unit Kerja\n{PNS};Ani\n{NIP_B};Budi;Staf;Dinas;extra;cells\n"
    r = read_roster(write_bytes(tmp_path / "ragged.csv", text.encode()))
    assert r.problems == ()
    assert (r.rows[0].position, r.rows[0].unit) == ("", "")
    assert (r.rows[1].position, r.rows[1].unit) == ("Staf", "Dinas")


def test_csv_only_old_nip_column_has_no_header(tmp_path):
    text = "NIP Lama;Nama;Jabatan\n010203040;Ani;Staf\n"
    err = refused(write_bytes(tmp_path / "lama.csv", text.encode()))
    assert err.code == "roster.no_header"
    for label in HEADER_SYNONYMS["nip"]:
        assert label in str(err)


def test_header_beyond_the_search_window_is_not_found(tmp_path):
    text = "".join(f"Judul {i}\n" for i in range(30)) + f"NIP;Nama\n{PNS};Ani\n"
    assert refused(write_bytes(tmp_path / "jauh.csv", text.encode())).code == "roster.no_header"
    text = "".join(f"Judul {i}\n" for i in range(29)) + "\n\n" + f"NIP;Nama\n{PNS};Ani\n"
    assert read_roster(write_bytes(tmp_path / "dekat.csv", text.encode())).header_line == 32


def test_header_only_csv_is_empty(tmp_path):
    err = refused(write_bytes(tmp_path / "header.csv", b"\xef\xbb\xbfNIP;Nama\r\n\r\n;\r\n"))
    assert err.code == "roster.empty"
    assert "baris 1" in str(err)


def test_csv_no_name_column(tmp_path):
    err = refused(write_bytes(tmp_path / "x.csv", f"NIP;Jabatan\n{PNS};Staf\n".encode()))
    assert err.code == "roster.no_name_column"


# --------------------------------------------------------------------------- header synonyms


@pytest.mark.parametrize("nip_header", ["NIP", "nip", "NIP Baru", "nipBaru", "NIP_BARU", "N.I.P.", "NIP 18",
                                        "nip18", " Nip  Baru "])
@pytest.mark.parametrize("name_header", ["Nama", "NAMA LENGKAP", "namaLengkap", "Nama Pegawai", "Nama ASN",
                                         "nama_asn"])
def test_nip_and_name_synonyms(tmp_path, nip_header, name_header):
    text = f"{nip_header};{name_header}\n{PNS};Ani\n"
    r = read_roster(write_bytes(tmp_path / "s.csv", text.encode()))
    assert r.columns["nip"] == nip_header.strip().replace("  ", " ")
    assert [row.nip for row in r.rows] == [PNS]


@pytest.mark.parametrize("field", ["front_title", "back_title", "position", "unit"])
def test_every_optional_synonym_is_recognised(tmp_path, field):
    for label in HEADER_SYNONYMS[field]:
        for variant in (label, label.upper(), label.replace(" ", "_"),
                        label[0].lower() + label.title().replace(" ", "")[1:]):
            text = f"NIP;Nama;{variant}\n{PNS};Ani;isi\n"
            r = read_roster(write_bytes(tmp_path / "s.csv", text.encode()))
            assert r.columns[field] == variant, variant
            assert getattr(r.rows[0], field) == "isi"


def test_nip_baru_is_preferred_over_nip(tmp_path):
    text = f"NIP;Nama;NIP Baru;NIP Lama\n010203040;Ani;{PNS};010203040\n"
    r = read_roster(write_bytes(tmp_path / "dua.csv", text.encode()))
    assert r.columns["nip"] == "NIP Baru"
    assert [row.nip for row in r.rows] == [PNS]


def test_jabatan_and_unor_headers_are_not_names(tmp_path):
    text = f"NIP;Nama Jabatan;Nama Unor;Nama\n{PNS};Analis;Dinas Kominfo;Ani\n"
    r = read_roster(write_bytes(tmp_path / "h.csv", text.encode()))
    assert r.rows[0].bare_name == "Ani"
    assert (r.rows[0].position, r.rows[0].unit) == ("Analis", "Dinas Kominfo")


# --------------------------------------------------------------------------- NIP cells


def test_pppk_apostrophe_spaced_and_dotted_nips_are_accepted(tmp_path):
    text = ("NIP;Nama\n"
            f"{PPPK};PPPK\n"
            f"'{PNS};Apostrof\n"
            "19850315 201001 2 003;Spasi\n"
            "1990.0101.2019.03.1.001;Titik\n"
            f"\u00a0{make_nip(5)}\u00a0;NBSP\n")
    r = read_roster(write_bytes(tmp_path / "bentuk.csv", text.encode()))
    assert r.problems == ()
    assert [row.nip for row in r.rows] == [PPPK, PNS, NIP_B, NIP_C, make_nip(5)]


def test_xlsx_apostrophe_and_spaced_nips(tmp_path):
    path = write_xlsx(tmp_path / "bentuk.xlsx", [["NIP", "Nama"], [f"'{PNS}", "A"],
                                                 ["20001231 2024 2 1 1 001", "B"]])
    r = read_roster(path)
    assert [row.nip for row in r.rows] == [PNS, PPPK]


def test_invalid_nips_carry_the_nip_modules_code_and_message(tmp_path):
    text = ("NIP;Nama\n"
            "19680411199303100;Kurang\n"       # 17 digits
            "196804111993131009;Bulan\n"       # month 13
            "196804111993031000;Urut\n"        # sequence 000: Excel rounding
            "196804111993033009;Kelamin\n"     # gender 3
            "010203040;Lama\n"                 # old NIP
            "19680411199303100X;Huruf\n")
    r = read_roster(write_bytes(tmp_path / "salah.csv", text.encode()))
    assert r.rows == ()
    assert codes(r) == [(2, "nip.length"), (3, "nip.tmt_month"), (4, "nip.sequence"),
                        (5, "nip.gender"), (6, "nip.old"), (7, "nip.not_digits")]
    for p in r.problems:
        with pytest.raises(KioskError) as info:
            nip.parse(text.splitlines()[p.line - 1].split(";")[0])
        assert p.message == str(info.value)


def test_missing_nip_and_missing_name(tmp_path):
    text = ("NIP;Nama;Jabatan\n"
            ";Tanpa NIP;Staf\n"
            f"{PNS};;Staf\n"
            ";;Staf\n"
            f"{NIP_B};\u00a0 ;\n")
    r = read_roster(write_bytes(tmp_path / "kosong.csv", text.encode()))
    assert r.rows == ()
    assert codes(r) == [(2, "roster.nip_missing"), (3, "roster.name_missing"),
                        (4, "roster.nip_missing"), (4, "roster.name_missing"), (5, "roster.name_missing")]
    assert PNS in r.problems[1].message and "Nama" in r.problems[1].message


# --------------------------------------------------------------------------- duplicates


def test_duplicates_are_reported_on_every_line_and_none_imported(tmp_path):
    text = ("NIP;Nama\n"
            f"{PNS};Ani\n"              # 2
            f"{NIP_B};Budi\n"           # 3
            f"19680411 199303 1 009;Ani lagi\n"   # 4: same NIP, spaced
            f"{NIP_C};Citra\n"          # 5
            f"'{PNS};Ani ketiga\n"      # 6
            f"{NIP_C};;\n")             # 7: same NIP as 5, and no name
    r = read_roster(write_bytes(tmp_path / "dup.csv", text.encode()))

    assert [row.nip for row in r.rows] == [NIP_B]
    assert codes(r) == [(2, "roster.duplicate_nip"), (4, "roster.duplicate_nip"),
                        (5, "roster.duplicate_nip"), (6, "roster.duplicate_nip"),
                        (7, "roster.name_missing"), (7, "roster.duplicate_nip")]
    by_line = {p.line: p.message for p in r.problems if p.code == "roster.duplicate_nip"}
    assert "baris 4, 6" in by_line[2]              # the first names the others
    assert "baris 2, 6" in by_line[4]              # later ones name the first
    assert "baris 2, 4" in by_line[6]
    assert "baris 7" in by_line[5] and "baris 5" in by_line[7]
    assert all(PNS in by_line[n] for n in (2, 4, 6))


def test_duplicates_in_xlsx(tmp_path):
    path = write_xlsx(tmp_path / "dup.xlsx", [["Daftar"], ["NIP", "Nama"], [PNS, "A"], [PPPK, "B"], [PNS, "C"]])
    r = read_roster(path)
    assert [row.line for row in r.rows] == [4]
    assert codes(r) == [(3, "roster.duplicate_nip"), (5, "roster.duplicate_nip")]


def test_many_duplicates_list_is_shortened(tmp_path):
    text = "NIP;Nama\n" + "".join(f"{PNS};Orang {i}\n" for i in range(25))
    r = read_roster(write_bytes(tmp_path / "banyak.csv", text.encode()))
    assert r.rows == () and len(r.problems) == 25
    assert "(+14)" in r.problems[0].message


# --------------------------------------------------------------------------- odd rows


def test_column_number_row_and_repeated_headers_are_skipped(tmp_path):
    text = ("NIP;Nama;Jabatan\n"
            "(1);(2);(3)\n"
            f"{PNS};Ani;Staf\n"
            "NIP;Nama;Jabatan\n"
            f"{NIP_B};Budi;Staf\n")
    r = read_roster(write_bytes(tmp_path / "nomor.csv", text.encode()))
    assert r.problems == ()
    assert [row.line for row in r.rows] == [3, 5]

    path = write_xlsx(tmp_path / "nomor.xlsx", [["No", "NIP", "Nama"], [1, 2, 3], [1, PNS, "Ani"]])
    r = read_roster(path)
    assert r.problems == () and [row.line for row in r.rows] == [3]


def test_back_title_with_leading_comma_is_not_doubled(tmp_path):
    text = f"NIP;Nama;Gelar Belakang\n{PNS};Ani;, S.H.\n"
    r = read_roster(write_bytes(tmp_path / "koma.csv", text.encode()))
    assert r.rows[0].name == "Ani, S.H."


# --------------------------------------------------------------------------- whole-file refusals


def test_missing_file(tmp_path):
    err = refused(tmp_path / "tidak_ada.xlsx")
    assert err.code == "roster.not_found" and "tidak_ada.xlsx" in str(err)


def test_directory_is_unreadable(tmp_path):
    assert refused(tmp_path).code == "roster.unreadable"


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n"])
def test_empty_file(tmp_path, data):
    err = refused(write_bytes(tmp_path / "kosong.csv", data))
    assert err.code == "roster.empty_file"
    assert "kosong.csv" in str(err)


@pytest.mark.parametrize("name, data, kind", [
    ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "XLS"),
    ("terkunci.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "XLS"),
    ("laporan.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    ("simpeg.xls", b"<html><body><table><tr><td>NIP</td></tr></table></body></html>", "HTML"),
    ("acak.csv", bytes(range(256)) * 4, "binary"),
])
def test_non_roster_formats_are_refused(tmp_path, name, data, kind):
    err = refused(write_bytes(tmp_path / name, data))
    assert err.code == "roster.format"
    assert kind in str(err)
    assert ".xlsx" in str(err) and "CSV" in str(err)


def test_ods_and_docx_zips_are_refused(tmp_path):
    ods = tmp_path / "calc.ods"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    assert refused(ods).code == "roster.format"
    docx = tmp_path / "surat.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        zf.writestr("word/document.xml", "<x/>")
    err = refused(docx)
    assert err.code == "roster.format" and "DOCX" in str(err)


def test_damaged_xlsx_is_unreadable(tmp_path):
    good = write_xlsx(tmp_path / "baik.xlsx", [["NIP", "Nama"], [PNS, "Ani"]])
    data = good.read_bytes()
    truncated = write_bytes(tmp_path / "potong.xlsx", data[: len(data) // 2])
    assert refused(truncated).code == "roster.unreadable"

    broken = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                body = body[: len(body) // 2]
            dst.writestr(item, body)
    assert refused(broken).code == "roster.unreadable"


# --------------------------------------------------------------------------- language


def test_english_messages(tmp_path, english):
    text = f"NIP;Nama\n{PNS};Ani\n{PNS};Budi\n123;Citra\n;Dedi\n"
    r = read_roster(write_bytes(tmp_path / "en.csv", text.encode()))
    msgs = {p.code: p.message for p in r.problems}
    assert "appears more than once" in msgs["roster.duplicate_nip"]
    assert "A NIP has 18 digits" in msgs["nip.length"]
    assert "The NIP is empty" in msgs["roster.nip_missing"]
    err = refused(write_bytes(tmp_path / "x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)))
    assert str(err).startswith("File x.xls is not XLSX or CSV")


def test_messages_default_to_indonesian(tmp_path):
    r = read_roster(write_bytes(tmp_path / "id.csv", b"NIP;Nama\n;Ani\n"))
    assert r.problems == (RowProblem(2, "roster.nip_missing", r.problems[0].message),)
    assert r.problems[0].message.startswith("NIP kosong")


# --------------------------------------------------------------------------- volume and round trips


def test_generated_nips_are_valid_and_distinct():
    nips = [make_nip(i, 1 + i % 2) for i in range(5000)]
    assert len(set(nips)) == len(nips)
    assert all(nip.is_valid(n) for n in nips)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_volume_all_rows_kept_in_order(tmp_path, fmt):
    n = 3000
    data = [[make_nip(i, 1 + i % 2), f"Pegawai {i}", "Staf", f"Unit {i % 7}"] for i in range(n)]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow(["NIP", "Nama", "Jabatan", "Unit Kerja"])
        w.writerows(data)
        path = write_bytes(tmp_path / "v.csv", buf.getvalue().encode("utf-8-sig"))
    else:
        path = write_xlsx(tmp_path / "v.xlsx", [["NIP", "Nama", "Jabatan", "Unit Kerja"], *data])
    r = read_roster(path)
    assert r.problems == ()
    assert [row.nip for row in r.rows] == [d[0] for d in data]
    assert [row.line for row in r.rows] == list(range(2, n + 2))


# Format characters (Cf: the soft hyphen is the one cp1252 has) are stripped with a warning:
# test_roster_hostile.py covers them.
_text = st.lists(st.characters(codec="cp1252", exclude_categories=("Cc", "Cs", "Cf")) | st.sampled_from(
    [",", ";", '"', "'", "\t", "\n", "\r", "\r\n", "\u00a0", "  "]), max_size=20).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_text, min_size=1, max_size=6), delimiter=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]))
def test_csv_round_trip_of_awkward_text(tmp_path, names, delimiter, encoding):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(["Judul laporan"])
    w.writerow(["NIP", "Nama", "Unit Kerja"])
    for i, name in enumerate(names):
        w.writerow([make_nip(i), name, name])
    data = buf.getvalue().encode(encoding)
    if encoding == "cp1252" and not data.isascii():
        # Windows-1252 bytes that happen to be valid UTF-8 ("\u00c3\u00a0" is C3 A0, UTF-8 for "\u00e0") are read
        # as UTF-8, as they should be: the ambiguity is real, and this test cannot expect the cp1252 text.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            assume(False)
    path = write_bytes(tmp_path / "rt.csv", data)

    r = read_roster(path)

    expected = [(make_nip(i), " ".join(n.split())) for i, n in enumerate(names)]
    got = {row.nip: row.bare_name for row in r.rows}
    for digits, name in expected:
        if name:
            assert got[digits] == name
            assert next(row for row in r.rows if row.nip == digits).unit == name
    missing = [p for p in r.problems if p.code == "roster.name_missing"]
    assert len(missing) == sum(1 for _, name in expected if not name)
    assert len(r.rows) + len(missing) == len(names)
    assert r.delimiter == delimiter
    # line numbers are physical lines: each record starts where the previous one ended
    lines = io.StringIO(buf.getvalue(), newline="").readlines()
    for row in r.rows:
        assert lines[row.line - 1].startswith(row.nip)


# --------------------------------------------------------------------------- XLSX through calamine


def calamine_rows(path):
    import python_calamine
    with python_calamine.CalamineWorkbook.from_path(path) as wb:
        return list(wb.get_sheet_by_index(0).iter_rows())


def test_calamine_gives_every_number_as_float_and_the_roster_reads_it_as_text(tmp_path):
    path = write_xlsx(tmp_path / "angka.xlsx", [
        ["NIP", "Nama", "Jabatan", "Unit Kerja", "Gol"],
        [PNS, 1234, 2.5, 7, 3],
        [PPPK, "Ani", "Staf", 12, "IX"],
        [123456789012, "Kurang", None, None, None],
    ])
    raw = calamine_rows(path)
    assert raw[1][1] == 1234.0 and type(raw[1][1]) is float      # openpyxl wrote an int; calamine gives a float
    assert type(raw[3][0]) is float

    r = read_roster(path)
    assert r.rows[0].bare_name == "1234" and r.rows[0].position == "2.5" and r.rows[0].unit == "7"
    assert r.rows[0].rank == "3"
    assert r.rows[1].unit == "12"
    assert codes(r) == [(4, "nip.length")]                     # a short number is just a wrong NIP


def test_calamine_dates_and_times_read_as_iso_text(tmp_path):
    path = write_xlsx(tmp_path / "tanggal.xlsx", [
        ["NIP", "Nama", "Jabatan", "Unit Kerja", "Gelar Belakang"],
        [PNS, "Ani", dt.date(2020, 1, 2), dt.datetime(2021, 3, 4, 5, 6, 7), dt.time(8, 9)],
        [PPPK, "Budi", dt.datetime(2022, 5, 6), None, None],
    ])
    raw = calamine_rows(path)
    assert type(raw[1][2]) is dt.date and type(raw[1][3]) is dt.datetime and type(raw[1][4]) is dt.time
    r = read_roster(path)
    assert (r.rows[0].position, r.rows[0].unit, r.rows[0].back_title) == ("2020-01-02", "2021-03-04 05:06:07",
                                                                         "08:09:00")
    assert r.rows[1].position == "2022-05-06"


def test_calamine_empty_cells_are_empty_strings(tmp_path):
    path = write_xlsx(tmp_path / "kosong.xlsx", [
        ["NIP", "Nama", "Jabatan", "Unit Kerja"],
        [PNS, "Ani", None, "  "],
        [None, None, None, None],
        [PPPK, "Budi", "", "Dinas"],
    ])
    assert calamine_rows(path)[1][2] == "" and calamine_rows(path)[2] == ["", "", "", ""]
    r = read_roster(path)
    assert r.problems == ()
    assert [(row.line, row.position, row.unit) for row in r.rows] == [(2, "", ""), (4, "", "Dinas")]


def test_leading_blank_rows_and_columns_keep_excel_row_numbers(tmp_path):
    """calamine starts iter_rows at row 1 but at the first used column (python-calamine#177)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["D5"], ws["E5"], ws["F5"] = "NIP", "Nama", "Unit Kerja"
    ws["D6"], ws["E6"], ws["F6"] = PNS, "Ani", "Dinas Sosial"
    ws["D7"], ws["E7"] = PPPK, "Budi"
    ws["D9"], ws["E9"] = "12", "Salah"
    ws.merge_cells("F6:F7")
    wb.save(tmp_path / "geser.xlsx")
    r = read_roster(tmp_path / "geser.xlsx")
    assert r.header_line == 5
    assert [(row.line, row.unit) for row in r.rows] == [(6, "Dinas Sosial"), (7, "Dinas Sosial")]
    assert codes(r) == [(9, "nip.length")]


def test_cells_merged_down_a_column_count_for_every_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["NIP", "Nama", "Nama Lengkap", "Unit Kerja", "Jabatan"],
                [PNS, "Ani", None, "Dinas Pendidikan", "Staf"],
                [PPPK, "Budi", None, None, "Guru"],
                [NIP_B, "Citra", None, None, None],
                [NIP_C, "Dedi", None, "Kecamatan", None]):
        ws.append(row)
    ws.merge_cells("D2:D4")           # the unit spans its three people
    ws.merge_cells("E3:E4")           # "Guru" for Budi and Citra
    ws.merge_cells("B5:C5")           # a name spread over two columns
    wb.save(tmp_path / "gabung.xlsx")
    r = read_roster(tmp_path / "gabung.xlsx")
    assert r.problems == ()
    assert [(row.bare_name, row.unit, row.position) for row in r.rows] == [
        ("Ani", "Dinas Pendidikan", "Staf"), ("Budi", "Dinas Pendidikan", "Guru"),
        ("Citra", "Dinas Pendidikan", "Guru"), ("Dedi", "Kecamatan", "")]


def test_merged_nip_cells_are_not_copied_down(tmp_path):
    """A NIP merged over two rows is one NIP on one row: the second row has none."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["NIP", "Nama"], [PNS, "Ani"], [None, "Budi"]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "nip_gabung.xlsx")
    r = read_roster(tmp_path / "nip_gabung.xlsx")
    assert [row.nip for row in r.rows] == [PNS]
    assert codes(r) == [(3, "roster.nip_missing")]


def test_two_row_header_with_merged_pangkat_over_gol_and_tmt(tmp_path):
    """A DUK-style table: "Pangkat" merged over "Gol." and "TMT", the other headers merged down."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DAFTAR URUT KEPANGKATAN PEGAWAI NEGERI SIPIL"])
    ws.append(["No", "NIP", "Nama", "Pangkat", None, "Jabatan", "Unit Kerja"])
    ws.append([None, None, None, "Gol.", "TMT", None, None])
    ws.append([1, 2, 3, 4, 5, 6, 7])
    ws.append([1, PNS, "Ani", "III/a", dt.date(2020, 4, 1), "Analis", "BKPSDM"])
    ws.append([2, PPPK, "Budi", "IX", dt.date(2024, 3, 1), "Guru", "SD Negeri 1"])
    for ref in ("A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:G3", "A1:G1"):
        ws.merge_cells(ref)
    wb.save(tmp_path / "duk.xlsx")
    r = read_roster(tmp_path / "duk.xlsx")
    assert r.problems == () and r.header_line == 2
    assert r.columns["golongan"] == "Gol." and "pangkat" not in r.columns
    assert [(row.line, row.rank, row.position) for row in r.rows] == [(5, "III/a", "Analis"), (6, "IX", "Guru")]


def test_two_row_header_in_csv(tmp_path):
    text = ("No;NIP;Nama;Pangkat/Golongan;;Jabatan\n"
            ";;;Pangkat;Gol. Ruang;\n"
            f"1;{PNS};Ani;Penata Muda;III/a;Analis\n")
    r = read_roster(write_bytes(tmp_path / "dua_baris.csv", text.encode()))
    assert r.problems == ()
    assert (r.rows[0].rank, r.rows[0].position) == ("Penata Muda, III/a", "Analis")
    assert r.columns["pangkat"] == "Pangkat" and r.columns["golongan"] == "Gol. Ruang" and "rank" not in r.columns


def test_formula_cells_give_the_value_excel_saved(tmp_path):
    """calamine returns a formula's cached value; without one (never computed) the cell is empty."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (f'<worksheet xmlns="{ns}"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>Nama</t></is></c><c r="C1" t="inlineStr"><is><t>Unit Kerja</t></is></c></row>'
             f'<row r="2"><c r="A2" t="inlineStr"><is><t>{PNS}</t></is></c>'
             '<c r="B2" t="str"><f>UPPER("ani")</f><v>ANI</v></c><c r="C2"><f>1+1</f><v>2</v></c></row>'
             f'<row r="3"><c r="A3" t="inlineStr"><is><t>{PPPK}</t></is></c><c r="B3"><f>UPPER("budi")</f></c>'
             '<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
             '</sheetData></worksheet>')
    path = tmp_path / "rumus.xlsx"
    write_excel_like_xlsx(path, [["x"]])
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as dst:
        for name, body in parts.items():
            dst.writestr(name, body)
    r = read_roster(path)
    assert [(row.bare_name, row.unit) for row in r.rows] == [("ANI", "2")]
    assert codes(r) == [(3, "roster.name_missing")]            # no cached value; #DIV/0! reads as empty


def test_other_sheet_with_a_list_is_a_warning(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PNS"
    ws.append(["NIP", "Nama"])
    ws.append([PNS, "Ani"])
    info = wb.create_sheet("Keterangan")
    info.append(["Dicetak dari SIMPEG"])
    pppk = wb.create_sheet("PPPK")
    pppk.append(["Daftar PPPK"])
    pppk.append(["NIP", "Nama"])
    pppk.append([PPPK, "Budi"])
    wb.save(tmp_path / "dua_daftar.xlsx")
    r = read_roster(tmp_path / "dua_daftar.xlsx")
    assert r.sheet == "PNS" and [row.nip for row in r.rows] == [PNS] and r.problems == ()
    (w,) = r.warnings
    assert (w.line, w.code) == (0, "roster.other_sheet")
    assert "PPPK" in w.message and "baris 2" in w.message and "PNS" in w.message


def test_hidden_chart_and_instruction_sheets_before_the_list(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Petunjuk"
    wb.active.append(["Isi NIP sebagai teks"])
    hidden = wb.create_sheet("Ref")
    hidden.append(["Kode", "Golongan"])
    hidden.sheet_state = "hidden"
    data = wb.create_sheet("Data")
    data.append(["NIP", "Nama"])
    data.append([PNS, "Ani"])
    wb.create_chartsheet("Grafik")
    wb.save(tmp_path / "lembar.xlsx")
    r = read_roster(tmp_path / "lembar.xlsx")
    assert r.sheet == "Data" and [row.nip for row in r.rows] == [PNS]


def test_workbook_without_sheets_is_refused(tmp_path):
    path = write_excel_like_xlsx(tmp_path / "tanpa_lembar.xlsx", [["NIP", "Nama"]])
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'<sheet name="Data" sheetId="1" r:id="rId1"/>', b"")
    with zipfile.ZipFile(path, "w") as dst:
        for name, body in parts.items():
            dst.writestr(name, body)
    err = refused(path)
    assert err.code == "roster.no_sheets" and "tanpa_lembar.xlsx" in str(err)


# --------------------------------------------------------------------------- rank (pangkat / golongan)


@pytest.mark.parametrize("field", ["rank", "pangkat", "golongan"])
def test_every_rank_synonym_is_recognised(tmp_path, field):
    for label in HEADER_SYNONYMS[field]:
        for variant in (label, label.upper(), label.replace(" ", "_"),
                        label[0].lower() + label.title().replace(" ", "")[1:]):
            text = f"NIP;Nama;{variant}\n{PNS};Ani;Penata Muda, III/a\n"
            r = read_roster(write_bytes(tmp_path / "s.csv", text.encode()))
            assert r.columns[field] == variant, variant
            assert r.rows[0].rank == "Penata Muda, III/a"


@pytest.mark.parametrize("header", ["Pangkat", "Golongan", "Pangkat/Gol", "Pangkat / Golongan", "Gol. Ruang",
                                    "Gol", "Gol.", "golRuangAkhirNama", "pangkatAkhirNama", "Golongan Ruang",
                                    "golRuangAkhir", "pangkatAkhir", "GOL AKHIR NAMA", "Pangkat/Gol. Ruang"])
def test_rank_headers_named_in_the_brief_and_siasn(tmp_path, header):
    r = read_roster(write_bytes(tmp_path / "g.csv", f"NIP;Nama;{header}\n{PNS};Ani;III/a\n".encode()))
    assert r.rows[0].rank == "III/a"


@pytest.mark.parametrize("pangkat, golongan, rank", [
    ("Penata Muda", "III/a", "Penata Muda, III/a"),
    ("Penata Muda", "", "Penata Muda"),
    ("", "III/a", "III/a"),
    ("", "", ""),
    ("Penata Muda (III/a)", "III/a", "Penata Muda (III/a)"),      # not "..., III/a" twice
    ("", "IX", "IX"),                                             # PPPK golongan, no pangkat
])
def test_pangkat_and_golongan_columns_are_joined(tmp_path, pangkat, golongan, rank):
    for order in (("Pangkat", "Golongan"), ("Golongan", "Pangkat")):
        cells = {"Pangkat": pangkat, "Golongan": golongan}
        text = f"NIP;Nama;{order[0]};{order[1]}\n{PNS};Ani;{cells[order[0]]};{cells[order[1]]}\n"
        r = read_roster(write_bytes(tmp_path / "pg.csv", text.encode()))
        assert r.rows[0].rank == rank


def test_combined_rank_column_wins_over_the_separate_ones(tmp_path):
    text = (f"NIP;Nama;Pangkat;Gol;Pangkat/Gol\n{PNS};Ani;Penata;III/c;Penata, III/c\n"
            f"{PPPK};Budi;Penata Muda;III/a;\n")
    r = read_roster(write_bytes(tmp_path / "tiga.csv", text.encode()))
    assert [row.rank for row in r.rows] == ["Penata, III/c", "Penata Muda, III/a"]


def test_siasn_bulk_export_headers(tmp_path):
    """The SIASN "download data ASN" columns: GOL AKHIR NAMA is the rank; ids, the first rank and NIK are not read."""
    header = ("PNS ID;NIP BARU;NIP LAMA;NAMA;GELAR DEPAN;GELAR BELAKANG;NIK;JENIS PEGAWAI NAMA;"
              "GOL AWAL ID;GOL AWAL NAMA;GOL AKHIR ID;GOL AKHIR NAMA;TMT GOLONGAN;JABATAN NAMA;UNOR ID;UNOR NAMA")
    line = (f"8ae4;'{PNS};010203040;SITI AMINAH;Dra.;M.Si.;3404011508900001;PNS Daerah;"
            "31;III/a;34;III/d;01/04/2020;Kepala Seksi;8ae5;Bidang Mutasi")
    r = read_roster(write_bytes(tmp_path / "siasn.csv", codecs.BOM_UTF8 + f"{header}\r\n{line}\r\n".encode()))
    assert r.problems == ()
    row = r.rows[0]
    assert (row.nip, row.name, row.rank, row.position, row.unit) == (
        PNS, "Dra. SITI AMINAH, M.Si.", "III/d", "Kepala Seksi", "Bidang Mutasi")
    assert row.nik == "" and row.employment == ""              # an ASN roster keeps neither
    assert "nik" not in r.columns and "employment" not in r.columns


def test_siasn_api_camel_case_pangkat_and_golongan(tmp_path):
    text = f"nipBaru;nama;pangkatAkhir;golRuangAkhir;jabatanNama;unorNama\n{PNS};Ani;Penata Muda;III/a;Analis;BKD\n"
    r = read_roster(write_bytes(tmp_path / "api.csv", text.encode()))
    assert r.rows[0].rank == "Penata Muda, III/a"


def test_no_header_label_belongs_to_two_fields():
    from kiosk.people.roster_header import SYNONYM_KEYS, header_key
    for field, labels in HEADER_SYNONYMS.items():
        for label in labels:
            assert SYNONYM_KEYS[header_key(label)][0] == field, label
    for label in ("NIP Lama", "Gol Awal Nama", "Gol Akhir ID", "No", "TMT Golongan", "Jenis Pegawai Nama"):
        assert header_key(label) not in SYNONYM_KEYS, label


# --------------------------------------------------------------------------- kind and the row type


def test_kind_is_told_by_the_nip(tmp_path):
    text = f"NIP;Nama\n{PNS};Ani\n{PPPK};Budi\n"
    r = read_roster(write_bytes(tmp_path / "jenis.csv", text.encode()))
    assert [row.kind for row in r.rows] == [EmployeeKind.PNS, EmployeeKind.PPPK]
    assert [str(row.kind) for row in r.rows] == ["pns", "pppk"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_kind_agrees_with_nip_parse(digits):
    try:
        parsed = nip.parse(digits)
    except KioskError:
        return
    row = RosterRow(2, parsed.digits, "A", "A", "", "", "", "")
    assert row.kind == EmployeeKind(parsed.kind.lower())


def test_row_and_result_types():
    import dataclasses
    assert list(RosterRow._fields) == [
        "line", "nip", "name", "bare_name", "front_title", "back_title", "position", "unit",
        "rank", "nik", "employment"]
    row = RosterRow(1, "", "Ani", "Ani", "", "", "", "", nik="3404011508900001")
    assert row.kind is EmployeeKind.NON_ASN
    assert "3404011508900001" not in repr(row)
    assert [f.name for f in dataclasses.fields(ParsedRoster)][-7:] == [
        "warnings", "non_asn", "sheet", "header_cells", "positions", "first_column", "chosen"]
    with pytest.raises(AttributeError):          # immutable (a named tuple: see RosterRow's docstring)
        row.nik = ""  # type: ignore[misc]
    assert "Ani" in repr(row) and row == RosterRow(1, "", "Ani", "Ani", "", "", "", "", nik="3404011508900001")


def test_csv_result_has_no_sheet_and_no_warnings(tmp_path):
    r = read_roster(write_bytes(tmp_path / "a.csv", f"NIP;Nama\n{PNS};Ani\n".encode()))
    assert (r.sheet, r.warnings, r.non_asn) == (None, (), False)


def test_cycle_collection_is_restored_after_a_read_or_a_refusal(tmp_path):
    import gc
    good = write_bytes(tmp_path / "ok.csv", f"NIP;Nama\n{PNS};Ani\n".encode())
    bad = write_bytes(tmp_path / "x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert gc.isenabled()
    read_roster(good)
    assert gc.isenabled()
    refused(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        read_roster(good)
        assert not gc.isenabled()            # left as the caller had it
    finally:
        gc.enable()
