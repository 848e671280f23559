"""The block path (kiosk.people.roster_block) gives exactly what row-by-row reading gives: real CSV and
XLSX files on disk, random mixtures of clean and odd rows, read both ways and compared whole."""
from __future__ import annotations

import csv
import datetime as dt
from unittest import mock

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.people import roster_csv, roster_xlsx
from kiosk.people.roster import read_roster
from kiosk.people.roster_block import BlockCollector

_CLEAN_NIPS = [f"{1960 + i % 30}{i % 12 + 1:02d}{i % 28 + 1:02d}{1990 + i % 30}{i % 12 + 1:02d}{1 + i % 2}"
               f"{i % 999 + 1:03d}" for i in range(300)]
_PPPK_NIPS = [f"{1980 + i % 20}0{i % 9 + 1}15{2021 + i % 3}2{i % 9 + 1}{1 + i % 2}{i + 1:03d}" for i in range(40)]
_BAD_NIPS = [
    "196802301993031009", "196804111993131009", "196804111993001009", "200012312024201001",
    "196804111899031009", "196804111968031009", "200012311999211001", "196804111993033009",
    "196804111993031000", "202904111993031009", "18991231199303100", "1968041119930310091", "19680411199303",
    "123456789", "1.96804E+17", "19680411x199303", "\u0661" * 18,
]
_ODD_NIPS = ["19680411 199303 1 009", "'196804111993031009", " 196804111993031009 ", "19680411.199303.1.009",
             "19680411\u00a0199303\u00a01\u00a0009", "196804111993031009\t", "NIP Baru", "NIP", "-", ""]
_NAMES = ["Ani", "Budi Santoso", "SITI AMINAH", "I Gede Made", " Ani ", "Ani  Rahma", "Ani\tRahma",
          "Ani\u200bRahma", "\u202eAni", "<b></b>", "&nbsp;", "Tom & Jerry", "<i>Ani</i>", "x" * 10_000,
          "Nama", "", " ", "Ani\nRahma", "Ani\u00a0Rahma", "Ani \u2003Rahma"]
_TEXTS = ["", "Dra.", "Dr. H.", "M.Si.", ", S.Pd.", ",", "Analis", "Dinas Pendidikan", "Penata Muda", "III/a",
          "Gol.", "TMT", "Pangkat", "1", "2", "3", "Unit  Kerja", "Seksi\u200b A", "y" * 600, "Dinas <b>X</b>"]
_HEADER = ["NIP Baru", "Nama", "Gelar Depan", "Gelar Belakang", "Jabatan", "Unit Kerja", "Pangkat", "Golongan"]

_CLEAN_TEXTS = ["", "", "", "Dra.", "M.Si.", ", S.Pd.", " Analis ", "Dinas Pendidikan", "Penata Muda", "III/a",
                "Penata Muda, III/a", "iii/a", "Seksi & Bidang"]
_nip_cell = st.one_of(st.sampled_from(_CLEAN_NIPS), st.sampled_from(_PPPK_NIPS), st.sampled_from(_BAD_NIPS),
                      st.sampled_from(_ODD_NIPS))
#: Rows the block path takes (spaces around cells included), and rows with anything odd in them.
_clean_person = st.builds(lambda n, name, rest: [n, name, *rest],
                          st.one_of(st.sampled_from(_CLEAN_NIPS), st.sampled_from(_PPPK_NIPS)),
                          st.sampled_from(["Ani", "Budi Santoso", " SITI AMINAH", "I Gede Made ", "O'Neil"]),
                          st.lists(st.sampled_from(_CLEAN_TEXTS), min_size=6, max_size=6))


def _spoilt(row, at, nip_cell, name, text):
    """A clean row with one cell made odd."""
    row = list(row)
    row[at] = nip_cell if at == 0 else name if at == 1 else text
    return row


_odd_person = st.builds(_spoilt, _clean_person, st.integers(0, 7), _nip_cell, st.sampled_from(_NAMES),
                        st.sampled_from(_TEXTS))
_special = st.sampled_from([
    [""] * 8,                                        # blank
    ["", "", "", "", "", "", "Gol.", "TMT"],         # a second header row (first data row only)
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],   # column numbers
    _HEADER,                                         # the header repeated
    [_CLEAN_NIPS[0], "Ani", "", "", "", "", "", ""],  # a duplicate of the first clean NIP
    [1.96804111993031e17, "Ani", "", "", "", "", "", ""],       # a NIP stored as a number (XLSX)
    [_CLEAN_NIPS[1], 12.0, dt.date(2020, 1, 2), "", "", "", "", ""],  # a name and a title that are no text
])
_roster = st.lists(st.one_of(_clean_person, _clean_person, _odd_person, _odd_person, _special),
                   min_size=1, max_size=40)


def _row_by_row(self, block):
    for line, cells in block:
        self._offer_one(line, cells)


def _read_both(path, block_rows, **kwargs):
    with mock.patch.object(roster_csv, "BLOCK_ROWS", block_rows), \
            mock.patch.object(roster_xlsx, "BLOCK_ROWS", block_rows):
        fast = read_roster(path, **kwargs)
        with mock.patch.object(BlockCollector, "offer_block", _row_by_row):
            slow = read_roster(path, **kwargs)
    return fast, slow


def _write(path, rows, columns):
    header = [h for h, keep in zip(_HEADER, columns) if keep]
    body = [[c for c, keep in zip(row, columns) if keep] for row in rows]
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow(["DAFTAR NOMINATIF PEGAWAI"])
            w.writerow(header)
            for row in body:
                w.writerow([c if isinstance(c, str) else str(c) for c in row])
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["DAFTAR NOMINATIF PEGAWAI"])
        ws.append(header)
        for row in body:
            ws.append([c if not isinstance(c, str) else c.replace("\x00", "") for c in row])
        wb.save(path)
    return path


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_roster, fmt=st.sampled_from(["csv", "xlsx"]), block_rows=st.sampled_from([1, 2, 3, 7, 2048]),
       columns=st.lists(st.booleans(), min_size=6, max_size=6))
def test_blocks_read_exactly_as_row_by_row(tmp_path_factory, rows, fmt, block_rows, columns):
    path = _write(tmp_path_factory.mktemp("r") / f"roster.{fmt}", rows, [True, True, *columns])
    try:
        fast, slow = _read_both(path, block_rows)
    except Exception as exc:  # noqa: BLE001 - a whole-file refusal must be the same both ways
        with pytest.raises(type(exc)) as again, mock.patch.object(BlockCollector, "offer_block", _row_by_row):
            read_roster(path)
        assert str(again.value) == str(exc)
        return
    assert fast == slow


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_clean_roster_with_a_few_odd_rows(tmp_path, fmt):
    rows = [[n, f"Pegawai {i}", "Dr." if i % 3 == 0 else "", "M.Si." if i % 5 == 0 else "", "Analis",
             f"Unit {i % 7}", "Penata", "III/a" if i % 2 else ""] for i, n in enumerate(_CLEAN_NIPS * 20)]
    rows = [[f"{n[:15]}{i % 999 + 1:03d}", *rest] for i, (n, *rest) in enumerate(rows)]
    for at, odd in ((5, "196804111993131009"), (2500, "19680411 199303 1 009"), (4100, "")):
        rows[at][0] = odd
    for at, name in enumerate(_NAMES, start=3000):    # each odd name once, in the second block
        rows[at][1] = name
    for at, text in enumerate(_TEXTS, start=3100):
        rows[at][5] = text
    rows.insert(4500, rows[10])                      # a duplicate NIP
    path = _write(tmp_path / f"roster.{fmt}", rows, [True] * 6)
    fast, slow = _read_both(path, 2048)
    assert fast == slow
    assert len(fast.rows) > 5900 and fast.problems[0].line == 8
    assert {w.code for w in fast.warnings} == {"roster.invisible_removed"}
    assert {p.code for p in fast.problems} >= {"nip.tmt_month", "roster.nip_missing", "roster.duplicate_nip",
                                               "roster.name_markup", "roster.name_too_long", "roster.cell_too_long"}


@pytest.mark.parametrize("block_rows", [1, 2, 5, 2048])
def test_cells_merged_down_a_column_read_exactly_as_row_by_row(tmp_path, block_rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["NIP Baru", "Nama", "Pangkat", None, "Unit Kerja"])
    ws.append([None, None, "Gol.", "TMT", None])             # a second header row under a merged "Pangkat"
    for i, n in enumerate(_CLEAN_NIPS[:12]):
        ws.append([n, f"Pegawai {i}", f"III/{'abcd'[i % 4]}", "2020-01-01", "Dinas A" if i % 4 == 0 else None])
    ws.append([_CLEAN_NIPS[0], "Ani  Rahma", "III/a", "", None])   # a duplicate, and a double space
    ws.merge_cells("C1:D1")
    for top in range(3, 15, 4):                              # "Dinas A" merged down over four people each
        ws.merge_cells(f"E{top}:E{top + 3}")
    wb.save(tmp_path / "merged.xlsx")
    fast, slow = _read_both(tmp_path / "merged.xlsx", block_rows)
    assert fast == slow
    assert [r.unit for r in fast.rows][:4] == ["Dinas A"] * 4 and fast.columns["golongan"] == "Gol."
