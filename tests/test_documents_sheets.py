"""Spreadsheets read back with openpyxl and the csv module: no formulas, NIPs as text."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from kiosk.documents import sample
from kiosk.documents.model import DocPerson, PersonKind
from kiosk.documents.sheets import (
    ABSENT_HEAD,
    PRESENT_HEAD,
    RECAP_HEAD,
    attendance_csv,
    attendance_xlsx,
    csv_field,
)
from kiosk.documents.text import clean
from kiosk.i18n import KioskError

EVIL = ['=HYPERLINK("http://evil","klik")', "+1+2", "-2+3", "@SUM(A1)", "=1+1", "\t=cmd", "=cmd|' /C calc'!A0"]


@pytest.fixture
def data():
    people = sample.people(20, non_asn=2)
    people += [DocPerson(PersonKind.PNS, name, nip=f"1970010119950310{i:02d}", position=name, unit=name)
               for i, name in enumerate(EVIL, start=11)]
    people.append(DocPerson(PersonKind.PNS, "Ctrl\x00\x07\x1b Name \u202e<b>x</b>", nip="198001012005011099"))
    present = people[:16] + people[20:]
    absent = people[16:20]
    rows = sample.attendance(present + sample.guests()[:2])
    return sample.event(), rows, sample.absences(absent), people


def test_xlsx_has_no_formula_cell_and_nips_as_text(tmp_path, data):
    event, rows, absences, _ = data
    out = attendance_xlsx(event, rows, tmp_path / "k.xlsx", absences=absences)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Hadir", "Tidak Hadir", "Rekap"]
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    ws = wb["Hadir"]
    header_row = next(r for r in ws.iter_rows() if r[0].value == "No")
    assert tuple(c.value for c in header_row) == PRESENT_HEAD
    body = [r for r in ws.iter_rows(min_row=header_row[0].row + 1)]
    assert len(body) == len(rows)
    by_name = {r[1].value: r for r in body}
    for name in map(clean, EVIL):                    # a tab or line break is a space, then trimmed
        assert name in by_name, name                  # kept verbatim, as text
        assert by_name[name][1].data_type == "s"
    nip_cells = [r[2] for r in body if r[2].value]
    assert nip_cells and all(c.data_type == "s" and c.number_format == "@" and len(c.value) == 18
                             for c in nip_cells)
    assert "Ctrl Name <b>x</b>" in by_name
    assert {r[7].value for r in body} == {"PNS", "PPPK", "Non-ASN", "Tamu"}
    absent = wb["Tidak Hadir"]
    header = next(r for r in absent.iter_rows() if r[0].value == "No")
    assert tuple(c.value for c in header) == ABSENT_HEAD
    assert absent.max_row - header[0].row == len(absences)
    recap = wb["Rekap"]
    header = next(r for r in recap.iter_rows() if r[0].value == "No")
    assert tuple(c.value for c in header) == RECAP_HEAD
    total = [c.value for c in list(recap.iter_rows())[-1]]
    assert total[1] == "Jumlah" and total[6] == len([r for r in rows if r.person.kind is not PersonKind.GUEST])
    assert 0 < total[-1] <= 1


def test_csv_has_a_bom_sections_and_neutralised_fields(tmp_path, data):
    event, rows, absences, _ = data
    out = attendance_csv(event, rows, tmp_path / "k.csv", absences=absences)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    titles = [i for i, line in enumerate(lines) if line in (["HADIR"], ["TIDAK HADIR"], ["REKAP PER UNIT KERJA"])]
    assert len(titles) == 3
    assert lines[titles[0] + 1] == list(PRESENT_HEAD)
    for line in lines:
        for field in line:
            assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), field
    names = {line[1] for line in lines[titles[0] + 2:titles[1] - 1]}
    for name in map(clean, EVIL):
        assert "'" + name in names
    nips = [line[2] for line in lines[titles[0] + 2:titles[1] - 1] if line[2]]
    assert all(len(n) == 21 and n.replace(" ", "").isdigit() for n in nips)   # spaced: Excel keeps it text


def test_csv_separator_can_be_a_comma(tmp_path, data):
    event, rows, absences, _ = data
    out = attendance_csv(event, rows, tmp_path / "k.csv", absences=absences, sep=",")
    lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=","))
    assert list(PRESENT_HEAD) in lines


def test_csv_field_neutralises_every_formula_start():
    for s in EVIL + ["\r=x"]:
        assert csv_field(s) == "'" + s
    assert csv_field("Budi") == "Budi" and csv_field(12) == "12"


def test_nothing_to_export(tmp_path):
    with pytest.raises(KioskError):
        attendance_xlsx(sample.event(), [], tmp_path / "k.xlsx")
    with pytest.raises(KioskError):
        attendance_csv(sample.event(), [], tmp_path / "k.csv")
    assert list(tmp_path.iterdir()) == []
