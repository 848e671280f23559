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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import i18n
from kiosk.people import nip
from kiosk.i18n import KioskError
from kiosk.people.roster import HEADER_SYNONYMS, ParsedRoster, RosterRow, RowProblem, read_roster

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


_text = st.lists(st.characters(codec="cp1252", exclude_categories=("Cc", "Cs")) | st.sampled_from(
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
    path = write_bytes(tmp_path / "rt.csv", buf.getvalue().encode(encoding))

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
