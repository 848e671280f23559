"""The roster import preview on the Peserta page, with real files: an XLSX written by openpyxl whose unit
column the names do not find, a CSV in Windows-1252 behind a BOM with semicolons, a list without a
header the reader knows, a non-ASN list, a large file (progress, cancel); nothing is written before Import."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from desk_data import roster_people, write_roster_csv_1252, write_roster_xlsx
from desk_helpers import settle, show

from kiosk.store import Store
from ui.desk.import_dialog import ImportDialog, mnemonics
from ui.desk.people_page import PeoplePage

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


def roster_of(db, event_id=None):
    with Store(db) as s:
        return {p.nip: p for p in s.roster(event_id or s.active_event().id)}


def open_preview(qtbot, desk, answers, path, *, non_asn=False):
    page = show(qtbot, PeoplePage(desk))
    answers.files.append(path)
    (page.import_non_asn if non_asn else page.import_asn).click()
    dialog = page.import_dialog
    qtbot.waitUntil(lambda: dialog.reads >= 1, timeout=15000)
    return page, dialog


def test_a_column_chosen_by_hand_is_what_gets_imported(qtbot, desk, answers, hall, tmp_path):
    people = roster_people(12)
    path = write_roster_xlsx(tmp_path / "simpeg.xlsx", people, unit_header="Bagian")
    before = roster_of(hall)
    page, dialog = open_preview(qtbot, desk, answers, path)
    parsed = dialog.result.parsed
    assert parsed is not None and parsed.header_line == 4 and len(parsed.rows) == 12
    assert "Pegawai" in dialog.file_label.text() and "XLSX" in dialog.file_label.text()
    assert dialog.line_state.text() == "ditemukan otomatis di baris 4"
    assert dialog.line_spin.value() == 4
    assert dialog.combos["unit"].currentData() == -1                  # "Bagian" is not a unit header name
    assert dialog.combos["nip"].currentText() == "A · NIP Baru"
    assert dialog.rows_model.rowCount() == 12 and dialog.rows_model.data(dialog.rows_model.index(0, 4)) == ""
    assert "12 siap, 0 bermasalah" in dialog.windowTitle()
    assert roster_of(hall) == before                                   # nothing written by the preview

    combo = dialog.combos["unit"]
    combo.setCurrentIndex(combo.findData(3))                           # D · Bagian
    qtbot.waitUntil(lambda: dialog.reads >= 2, timeout=15000)
    assert dialog.result.parsed.chosen and dialog.line_state.text() == "dipilih sendiri"
    assert dialog.rows_model.data(dialog.rows_model.index(0, 4)) == people[0].unit
    assert dialog.auto_button.isEnabled()
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "&Impor 12 peserta"
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, desk)
    after = roster_of(hall)
    assert {p.nip for p in people} <= set(after)
    assert all(after[p.nip].unit == p.unit for p in people)
    assert page.notice.text().startswith("Impor selesai: 12 baru")


def test_going_back_to_detection_undoes_the_choice(qtbot, desk, answers, tmp_path):
    path = write_roster_xlsx(tmp_path / "r.xlsx", roster_people(3), unit_header="Bagian")
    _, dialog = open_preview(qtbot, desk, answers, path)
    dialog.combos["unit"].setCurrentIndex(dialog.combos["unit"].findData(3))
    qtbot.waitUntil(lambda: dialog.reads >= 2, timeout=15000)
    dialog.auto_button.click()
    qtbot.waitUntil(lambda: dialog.reads >= 3, timeout=15000)
    assert not dialog.result.parsed.chosen and dialog.combos["unit"].currentData() == -1


def test_problems_are_listed_by_line_and_the_choice_is_explicit(qtbot, desk, answers, hall, tmp_path):
    people = roster_people(6)
    extra = ["1.99001E+17;Salah Ketik;Analis;BKPSDM", f"{people[0].nip};Dobel;Analis;BKPSDM"]
    path = write_roster_csv_1252(tmp_path / "pegawai.csv", people, extra=extra)
    _, dialog = open_preview(qtbot, desk, answers, path)
    parsed = dialog.result.parsed
    assert "Windows-1252" in dialog.file_label.text() and "“;”" in dialog.file_label.text()
    assert parsed.header_line == 2
    problems = [(p.line, p.message) for p in parsed.problems]
    assert {line for line, _ in problems} == {3, 9, 10}
    assert dialog.problems_model.rowCount() == len(problems)
    shown = [dialog.problems_model.data(dialog.problems_model.index(r, 1)) for r in range(len(problems))]
    assert any("tercantum lebih dari sekali" in m for m in shown)     # the duplicate NIP, with its fix
    assert dialog.tabs.tabText(1) == f"Masalah ({len(problems)})"
    assert dialog.mode_all.isChecked() and not dialog.import_button.isEnabled()
    assert "bermasalah" in dialog.notice.text()
    # The unit column was decoded from Windows-1252: the en dash survived.
    assert dialog.rows_model.data(dialog.rows_model.index(0, 4)).endswith("– Sleman")

    before = roster_of(hall)
    dialog.mode_valid.setChecked(True)
    assert dialog.import_button.isEnabled() and "5 peserta" in dialog.import_button.text()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, desk)
    after = roster_of(hall)
    assert len(after) == len(before) + 5
    assert people[0].nip not in after


def test_a_header_the_reader_does_not_know_is_chosen_in_the_file_and_its_columns_by_hand(
        qtbot, desk, answers, hall, tmp_path):
    people = roster_people(4)
    lines = ["Rekap Pegawai;;", "Nomor Induk;Nama Lengkap Pegawai;Satuan"] + \
        [f"{p.nip};{p.name};{p.unit}" for p in people]
    path = tmp_path / "rekap.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    _, dialog = open_preview(qtbot, desk, answers, path)
    assert dialog.result.parsed is None and dialog.result.error.code == "roster.no_header"
    assert dialog.tabs.currentIndex() == 3 and "Kolom NIP tidak ditemukan" in dialog.notice.text()
    assert dialog.peek_model.rowCount() == 6 and not dialog.import_button.isEnabled()
    dialog._header_picked(dialog.peek_model.index(1, 0))            # the double-click on line 2
    qtbot.waitUntil(lambda: dialog.reads >= 2, timeout=15000)
    assert dialog.result.error.code == "roster.not_header" and dialog.line_spin.value() == 2
    assert dialog.peek_model.header_line == 2
    assert dialog.combos["nip"].count() == 4                           # none + the three columns of line 2
    for field, column in (("nip", 0), ("name", 1), ("unit", 2)):
        dialog.combos[field].setCurrentIndex(dialog.combos[field].findData(column))
        qtbot.waitUntil(lambda: not dialog._reading, timeout=15000)
    parsed = dialog.result.parsed
    assert parsed is not None and len(parsed.rows) == 4 and parsed.columns["unit"] == "Satuan"
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, desk)
    assert roster_of(hall)[people[2].nip].unit == people[2].unit


def test_a_non_asn_list_shows_only_masked_niks(qtbot, desk, answers, hall, tmp_path):
    path = tmp_path / "honorer.csv"
    path.write_text("No;NIK;Nama;Tugas;Penempatan;Status\n1;3404014101900001;Wati;Kebersihan;Setda;Honorer\n"
                    "2;3404015202910002;Joko;Pengemudi;Setda;PPNPN\n", encoding="utf-8")
    _, dialog = open_preview(qtbot, desk, answers, path, non_asn=True)
    assert "non-ASN" in dialog.file_label.text()
    cells = [dialog.rows_model.data(dialog.rows_model.index(0, c)) for c in range(6)]
    assert cells[1] != "3404014101900001" and cells[1].startswith("3404") and "*" in cells[1]
    assert cells[5] == "Honorer" and "nik" in dialog.combos
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, desk)
    names = {p.name: p for p in roster_of(hall).values()}
    assert names["Wati"].kind.value == "non-asn" and names["Wati"].employment == "Honorer"


def test_a_large_file_shows_progress_and_can_be_cancelled(qtbot, desk, answers, hall, tmp_path):
    from kiosk import demo
    people = list(demo.people(60000, seed=11))
    path = tmp_path / "besar.csv"
    path.write_text("NIP;Nama;Unit Kerja\n" + "".join(f"{p.nip};{p.name};{p.unit}\n" for p in people),
                    encoding="utf-8")
    page = show(qtbot, PeoplePage(desk))
    seen = []
    answers.files.append(path)
    page.import_asn.click()
    dialog = page.import_dialog
    dialog.task.bar.valueChanged.connect(seen.append)
    qtbot.waitUntil(lambda: dialog.reads >= 1, timeout=60000)
    assert len(dialog.result.parsed.rows) == 60000 and seen and max(seen) > 0
    assert dialog.rows_model.rowCount() == 60000
    # Read again and cancel: the preview says so, and the rows read before stay shown.
    gate = threading.Event()
    desk.service.run(lambda store: gate.wait(10))                      # the worker busy with something else
    dialog.read()
    assert dialog.windowTitle().endswith("(membaca)") and not dialog.import_button.isEnabled()
    dialog.task.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: dialog.reads >= 2, timeout=60000)
    assert dialog.task.label.text() == "Pembacaan besar.csv dibatalkan. Tekan Baca ulang berkas bila perlu."
    assert dialog.notice.kind == "ok" and dialog.rows_model.rowCount() == 60000
    assert not dialog.import_button.isEnabled()                       # until a reading of this choice succeeds
    before = len(roster_of(hall))
    dialog.reject()
    settle(qtbot, desk)
    assert len(roster_of(hall)) == before


def test_an_import_that_fails_says_so_and_keeps_the_preview(qtbot, desk, answers, tmp_path,
                                                             monkeypatch):
    from kiosk.store import people as store_people

    def full_disk(self, *args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(store_people.PeopleMixin, "import_roster", full_disk)
    path = write_roster_xlsx(tmp_path / "r.xlsx", roster_people(3))
    _, dialog = open_preview(qtbot, desk, answers, path)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.task.label.kind == "error", timeout=15000)
    assert dialog.isVisible() and "kesalahan tak terduga" in dialog.task.label.text()
    assert "disk is full" not in dialog.task.label.text() and "Traceback" not in dialog.task.label.text()
    assert dialog.import_button.isEnabled()


def test_an_unreadable_file_is_refused_with_what_to_do(qtbot, desk, answers, tmp_path):
    path = tmp_path / "lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    page = show(qtbot, PeoplePage(desk))
    answers.files.append(path)
    page.import_asn.click()
    dialog = page.import_dialog
    qtbot.waitUntil(lambda: dialog.reads >= 1, timeout=15000)
    assert dialog.notice.kind == "error" and "Simpan Sebagai" in dialog.notice.text()
    assert not dialog.import_button.isEnabled()


def test_every_field_gets_its_own_mnemonic():
    labels = {"_line": "Baris judul kolom", "nip": "NIP", "name": "Nama", "front_title": "Gelar depan",
              "back_title": "Gelar belakang", "position": "Jabatan", "unit": "Unit kerja", "rank": "Pangkat/Gol",
              "pangkat": "Pangkat", "golongan": "Golongan"}
    marked = mnemonics(labels, {"i"})
    assert marked["unit"] == "&Unit kerja" and marked["nip"] == "&NIP" and marked["position"] == "&Jabatan"
    letters = [m[m.index("&") + 1].casefold() for m in marked.values() if "&" in m]
    assert len(letters) == len(set(letters)) == len(labels) and "i" not in letters


@pytest.mark.parametrize("lang", ["en"])
def test_the_preview_speaks_english_too(qtbot, desk, answers, tmp_path, lang):
    from kiosk import i18n
    i18n.set_language(lang)
    path = write_roster_xlsx(tmp_path / "r.xlsx", roster_people(2))
    _, dialog = open_preview(qtbot, desk, answers, path)
    assert dialog.tabs.tabText(0) == "To import (2)" and "Import a roster" in dialog.windowTitle()
    assert isinstance(dialog, ImportDialog)
