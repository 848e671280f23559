"""Hostile and broken roster files: invisible characters, markup, formulas, huge cells, damaged workbooks,
wrong encodings.  Whatever comes in, read_roster returns a ParsedRoster or raises KioskError with a message."""
from __future__ import annotations

import codecs
import csv
import io
import random
import time
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.i18n import KioskError
from kiosk.people.roster import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    ParsedRoster,
    read_roster,
)

PNS = "196804111993031009"
PPPK = "200012312024211001"
NIP_B = "198503152010012003"
NIK_A = "3404011508900001"

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"]
OTHER_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\x00", "\x07", "\x1b", "\x7f",
                   "\x1f", "\x85"]


def write_bytes(path, data: bytes):
    path.write_bytes(data)
    return path


def write_csv(path, rows, *, encoding="utf-8", delimiter=";"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return write_bytes(path, buf.getvalue().encode(encoding))


def write_xlsx(path, rows):
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def codes(parsed: ParsedRoster) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in parsed.problems]


def refused(path, **kw) -> KioskError:
    with pytest.raises(KioskError) as info:
        read_roster(path, **kw)
    return info.value


def read_or_refuse(path, **kw) -> ParsedRoster | KioskError:
    """Either outcome is fine; anything else (a traceback) is the bug."""
    try:
        return read_roster(path, **kw)
    except KioskError as exc:
        assert str(exc) and not str(exc).startswith("roster.")   # a rendered message, not a bare code
        return exc


# --------------------------------------------------------------------------- invisible characters


@pytest.mark.parametrize("ch", BIDI + OTHER_INVISIBLE)
def test_control_and_format_characters_are_stripped_from_every_field_with_a_warning(tmp_path, ch):
    rows = [["NIP", "Nama", "Gelar Depan", "Gelar Belakang", "Jabatan", "Unit Kerja", "Pangkat/Gol"],
            [f"{ch}{PNS}{ch}", f"Si{ch}ti", f"Dr{ch}.", f"M.{ch}Si.", f"Ana{ch}lis", f"{ch}BKD", f"III/{ch}a"],
            [PPPK, "Budi", "", "", "Guru", "SD", "IX"]]
    r = read_roster(write_csv(tmp_path / "tak_terlihat.csv", rows))
    assert r.problems == ()
    row = r.rows[0]
    assert (row.nip, row.bare_name, row.front_title, row.back_title, row.position, row.unit, row.rank) == (
        PNS, "Siti", "Dr.", "M.Si.", "Analis", "BKD", "III/a")
    (w,) = r.warnings
    assert (w.line, w.code) == (2, "roster.invisible_removed")
    for header in ("NIP", "Nama", "Gelar Depan", "Gelar Belakang", "Jabatan", "Unit Kerja", "Pangkat/Gol"):
        assert header in w.message


def test_bidi_override_name_in_xlsx_and_non_asn_list(tmp_path):
    path = write_xlsx(tmp_path / "bidi.xlsx", [["NIK", "Nama", "OPD"], [f"\u202d{NIK_A}\u202c", "\u202eAni", "Setda"]])
    r = read_roster(path, non_asn=True)
    assert (r.rows[0].nik, r.rows[0].bare_name) == (NIK_A, "Ani")
    assert [(w.line, w.code) for w in r.warnings] == [(2, "roster.invisible_removed")]
    assert "NIK" in r.warnings[0].message and "Nama" in r.warnings[0].message


def test_whitespace_is_not_a_warning(tmp_path):
    rows = [["NIP", "Nama", "Unit Kerja"], [f"\u00a0{PNS}\t", "Ani\u00a0\u2007Susanti", "Dinas\r\nSosial"]]
    r = read_roster(write_csv(tmp_path / "spasi.csv", rows))
    assert r.warnings == () and r.rows[0].bare_name == "Ani Susanti" and r.rows[0].unit == "Dinas Sosial"


def test_header_with_invisible_characters_is_still_recognised(tmp_path):
    r = read_roster(write_csv(tmp_path / "judul.csv", [["N\u200bIP", "\u202eNama"], [PNS, "Ani"]]))
    assert r.columns == {"nip": "NIP", "name": "Nama"} and r.rows[0].nip == PNS


def test_a_name_of_only_invisible_characters_is_missing(tmp_path):
    r = read_roster(write_csv(tmp_path / "hampa.csv", [["NIP", "Nama"], [PNS, "\u200b\u202e\u200b"]]))
    assert codes(r) == [(2, "roster.name_missing")]
    assert [w.code for w in r.warnings] == ["roster.invisible_removed"]


_visible = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Co", "Cn")),
                   min_size=1, max_size=12)
_invisible = st.text(st.sampled_from(BIDI + OTHER_INVISIBLE), min_size=1, max_size=4)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.tuples(_visible, _invisible), min_size=1, max_size=4))
def test_stripping_keeps_every_visible_character(tmp_path, parts):
    dirty = "".join(v + i for v, i in parts)
    clean = "".join(v for v, _ in parts)
    r = read_roster(write_csv(tmp_path / "acak.csv", [["NIP", "Nama"], [PNS, dirty]]))
    if r.rows:
        assert r.rows[0].bare_name == clean
        assert [w.line for w in r.warnings] == [2]
    else:                                # a name of markup only, e.g. "<a>" or "&x;"
        assert codes(r) == [(2, "roster.name_markup")]


# --------------------------------------------------------------------------- markup and formulas


@pytest.mark.parametrize("name", ["<b>Ani</b>", "<script>alert(1)</script>", "Budi & Sons", "A<B",
                                  "&lt;Citra&gt;", "Dedi <i>", "x<y>z"])
def test_html_looking_text_stays_literal(tmp_path, name):
    r = read_roster(write_csv(tmp_path / "html.csv", [["NIP", "Nama", "Unit Kerja"], [PNS, name, "<u>Setda</u>"]]))
    assert r.problems == ()
    assert r.rows[0].bare_name == name and r.rows[0].unit == "<u>Setda</u>"


@pytest.mark.parametrize("name", ["<b></b>", "<img src=x onerror=alert(1)>", "&nbsp;", "<br/>&#160;",
                                  "<!-- x --> 123", "<?php ?>", "<<Eko>>"])   # tag-shaped text is markup
def test_a_name_that_is_only_markup_is_refused(tmp_path, name):
    r = read_roster(write_csv(tmp_path / "html.csv", [["NIP", "Nama"], [PNS, name], [PPPK, "Ani"]]))
    assert [row.nip for row in r.rows] == [PPPK]
    assert codes(r) == [(2, "roster.name_markup")]
    assert "Nama" in r.problems[0].message and "huruf" in r.problems[0].message


def test_csv_formulas_are_kept_literally_as_text(tmp_path):
    """Nothing is evaluated: a CSV cell starting with = (or + - @) is text, shown as written."""
    names = ['=HYPERLINK("http://x.invalid","klik")', "=1+1", "+62 Ani", "@SUM(A1)", "-Budi-"]
    rows = [["NIP", "Nama"]] + [[f"1968041119930310{i + 10:02d}", n] for i, n in enumerate(names)]
    r = read_roster(write_csv(tmp_path / "rumus.csv", rows))
    assert r.problems == ()
    assert [row.bare_name for row in r.rows] == names


def test_xlsx_formula_text_cells_are_the_saved_value(tmp_path):
    """openpyxl stores "=..." as a formula without a cached value: calamine reads the cell as empty."""
    path = write_xlsx(tmp_path / "rumus.xlsx", [["NIP", "Nama", "Unit Kerja"], [PNS, "Ani", "=A2&B2"]])
    r = read_roster(path)
    assert r.rows[0].unit == ""


# --------------------------------------------------------------------------- sizes


def test_names_over_the_limit_are_refused_with_the_line_and_the_fix(tmp_path):
    rows = [["NIP", "Nama"], [PNS, "A" * MAX_NAME_LENGTH], [PPPK, "B" * (MAX_NAME_LENGTH + 1)]]
    r = read_roster(write_csv(tmp_path / "panjang.csv", rows))
    assert [row.nip for row in r.rows] == [PNS]
    assert codes(r) == [(3, "roster.name_too_long")]
    msg = r.problems[0].message
    assert "201" in msg and "200" in msg and "satu nama" in msg


def test_ten_kilobyte_cells(tmp_path):
    big = "x" * 10_240
    rows = [[big], ["NIP", "Nama", "Unit Kerja", "Jabatan"],
            [PNS, "Ani", big, "Staf"],           # a 10 kB unit
            [big, "Budi", "Setda", "Staf"],      # a 10 kB NIP
            [PPPK, big, "Setda", "Staf"],        # a 10 kB name
            [NIP_B, "Citra", "Setda", "A" * MAX_TEXT_LENGTH]]
    for path in (write_csv(tmp_path / "besar.csv", rows), write_xlsx(tmp_path / "besar.xlsx", rows)):
        r = read_roster(path)
        assert r.header_line == 2
        assert [row.nip for row in r.rows] == [NIP_B]
        assert codes(r) == [(3, "roster.cell_too_long"), (4, "nip.not_digits"), (5, "roster.name_too_long")]
        assert "Unit Kerja" in r.problems[0].message and "10240" in r.problems[0].message
        assert all(len(p.message) < 400 for p in r.problems)


def test_ten_kilobyte_nip_with_an_empty_name_is_shortened_in_the_message(tmp_path):
    r = read_roster(write_csv(tmp_path / "b.csv", [["NIP", "Nama"], ["9" * 10_000, ""]]))
    assert codes(r) == [(2, "nip.length"), (2, "roster.name_missing")]
    assert all(len(p.message) < 300 for p in r.problems)


def test_a_thousand_columns(tmp_path):
    header = [f"Kolom {i}" for i in range(1000)]
    header[500], header[998], header[999] = "NIP", "Nama", "Unit Kerja"
    rows = [header]
    for i, nip in enumerate((PNS, PPPK, NIP_B)):
        cells = [f"isi {i}-{c}" for c in range(1000)]
        cells[500], cells[998], cells[999] = nip, f"Orang {i}", "Setda"
        rows.append(cells)
    for path in (write_csv(tmp_path / "lebar.csv", rows), write_xlsx(tmp_path / "lebar.xlsx", rows)):
        r = read_roster(path)
        assert r.problems == ()
        assert [(row.nip, row.bare_name, row.unit) for row in r.rows] == [
            (PNS, "Orang 0", "Setda"), (PPPK, "Orang 1", "Setda"), (NIP_B, "Orang 2", "Setda")]


def test_a_stray_value_far_right_of_a_long_sheet_is_refused_before_loading(tmp_path):
    """calamine would build a 5,000 x 16,384 block (2.6 GB): the sheet is refused with the cell to clear."""
    wb = openpyxl.Workbook(write_only=True)        # no <dimension>, like many exporters
    ws = wb.create_sheet("Data")
    ws.append(["NIP", "Nama"])
    for i in range(5000):
        ws.append([f"1968041119930310{i % 90 + 10:02d}", f"Orang {i}"])
    ws.append([None] * 16383 + ["catatan"])
    wb.save(tmp_path / "nyasar.xlsx")
    start = time.perf_counter()
    err = refused(tmp_path / "nyasar.xlsx")
    assert time.perf_counter() - start < 30
    assert err.code == "roster.sheet_too_big"
    assert "XFD5002" in str(err) and "Data" in str(err) and "Hapus kolom" in str(err)


def test_formatted_but_empty_far_cells_are_harmless(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["NIP", "Nama"])
    ws.append([PNS, "Ani"])
    ws.cell(row=2000, column=16384).number_format = "@"      # <dimension ref="A1:XFD2000"/>, no value
    wb.save(tmp_path / "format.xlsx")
    r = read_roster(tmp_path / "format.xlsx")
    assert [row.nip for row in r.rows] == [PNS]


# --------------------------------------------------------------------------- damaged workbooks


def _good_xlsx(tmp_path):
    rows = [["NIP", "Nama"]] + [[f"1968041119930310{i + 10:02d}", f"Orang {i}"] for i in range(60)]
    return write_xlsx(tmp_path / "baik.xlsx", rows).read_bytes()


@pytest.mark.parametrize("fraction", [0.05, 0.25, 0.5, 0.75, 0.95, 0.999])
def test_truncated_xlsx_is_unreadable(tmp_path, fraction):
    data = _good_xlsx(tmp_path)
    err = refused(write_bytes(tmp_path / "potong.xlsx", data[: int(len(data) * fraction)]))
    assert err.code == "roster.unreadable"
    assert "potong.xlsx" in str(err) and "ekspor ulang" in str(err)


def test_corrupted_sheet_member_is_unreadable(tmp_path):
    good = tmp_path / "baik.xlsx"
    good.write_bytes(_good_xlsx(tmp_path))
    broken = tmp_path / "crc.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w", zipfile.ZIP_STORED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item))
    data = bytearray(broken.read_bytes())
    at = data.find(b"<sheetData>") + 20
    data[at:at + 8] = b"\xff\xfe\x00garb"                      # damage the stored sheet XML, CRC now wrong
    err = refused(write_bytes(broken, bytes(data)))
    assert err.code == "roster.unreadable"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 20))
def test_randomly_damaged_xlsx_never_crashes(tmp_path, seed, flips):
    data = bytearray(_good_xlsx(tmp_path))
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(4, len(data))] = rng.randrange(256)
    outcome = read_or_refuse(write_bytes(tmp_path / "acak.xlsx", bytes(data)))
    if isinstance(outcome, KioskError):
        assert outcome.code in ("roster.unreadable", "roster.format", "roster.no_header", "roster.no_sheets",
                                "roster.no_name_column", "roster.empty")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), non_asn=st.booleans())
def test_random_bytes_never_crash(tmp_path, data, non_asn):
    read_or_refuse(write_bytes(tmp_path / "acak.csv", data), non_asn=non_asn)


# --------------------------------------------------------------------------- encodings


def test_utf16_without_bom_is_read(tmp_path):
    text = f"NIP\tNama\r\n{PNS}\tAni \u00c9ka\r\n"
    for codec in ("utf-16-le", "utf-16-be"):
        r = read_roster(write_bytes(tmp_path / f"{codec}.txt", text.encode(codec)))
        assert r.encoding == codec and r.rows[0].bare_name == "Ani \u00c9ka"


def test_utf16_big_endian_with_bom(tmp_path):
    data = codecs.BOM_UTF16_BE + f"NIP;Nama\r\n{PNS};Ani\r\n".encode("utf-16-be")
    r = read_roster(write_bytes(tmp_path / "be.csv", data))
    assert r.encoding == "utf-16" and r.rows[0].bare_name == "Ani"


def test_bytes_undefined_in_cp1252_become_a_warning(tmp_path):
    data = f"NIP;Nama;Unit Kerja\r\n{PNS};Ani\x81;Setda\r\n{PPPK};Budi;Dinas\r\n".encode("latin-1")
    r = read_roster(write_bytes(tmp_path / "rusak.csv", data))
    assert r.encoding == "cp1252"
    assert [row.bare_name for row in r.rows] == ["Ani\ufffd", "Budi"]
    assert [(w.line, w.code) for w in r.warnings] == [(2, "roster.replacement_character")]
    assert "UTF-8" in r.warnings[0].message and "Nama" in r.warnings[0].message


def test_utf8_bom_with_a_windows_1252_body(tmp_path):
    data = codecs.BOM_UTF8 + f"NIP;Nama\r\n{PNS};Andr\u00e9\r\n".encode("cp1252")
    r = read_roster(write_bytes(tmp_path / "campur.csv", data))
    assert r.encoding == "cp1252" and r.rows[0].bare_name == "Andr\u00e9"


def test_nul_bytes_after_the_sniffed_head_are_stripped(tmp_path):
    filler = "".join(f"1968041119930310{i % 90 + 10:02d};Orang {i}\r\n" for i in range(1))
    text = "NIP;Nama\r\n" + filler + "\r\n" * 9000 + f"{PPPK};Bu\x00di\r\n"
    r = read_roster(write_bytes(tmp_path / "nul.csv", text.encode()))
    assert r.rows[-1].bare_name == "Budi"
    assert [w.code for w in r.warnings] == ["roster.invisible_removed"]


@pytest.mark.parametrize("codec", ["shift_jis", "koi8_r", "mac_roman", "cp437", "utf-32"])
def test_other_encodings_do_not_crash(tmp_path, codec):
    text = f"NIP;Nama\r\n{PNS};\u00c5ni\r\n"
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode(codec, errors="replace")
    outcome = read_or_refuse(write_bytes(tmp_path / f"{codec}.csv", data))
    if isinstance(outcome, ParsedRoster):
        assert [row.nip for row in outcome.rows] == [PNS]
