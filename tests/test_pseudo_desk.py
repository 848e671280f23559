"""The pseudo-locale (issue 16) on every screen of the clerk's desk: its PIN door, each page (Acara, Peserta,
Kartu, Kehadiran, Statistik, Ekspor, Gabung & kirim) in the state a clerk sees it on a hall's morning
(tests/desk_data.py), the roster import preview with a file read and with problems, and the dialogs the
pages open; at 1366×768, with no text clipped or overlapping (tests/text_fit.py).

``IKRAR_PSEUDO_SHOTS=/some/folder`` keeps a PNG of every screen checked; a failing one is kept anyway.
"""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from desk_data import roster_people, write_roster_csv_1252, write_roster_xlsx
from desk_helpers import settle
from PySide6.QtWidgets import QLabel, QMessageBox, QTableView, QVBoxLayout, QWidget
from text_fit import SIZE, fits

from kiosk.exchange.export import export_sqlite
from kiosk.store import Store
from ui.desk import ask
from ui.desk.common import STYLE, title_label
from ui.desk.person_dialog import PersonDialog
from ui.desk.pin_dialog import PinDialog
from ui.desk.window import PAGES, DeskWindow
from ui.messages import t

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures
REAL_CONFIRM = ask.confirm                  # the answers fixture replaces it; the dialogs' test shows it


def wait(qtbot, test, timeout=20000) -> None:
    qtbot.waitUntil(test, timeout=timeout)


@pytest.fixture
def window(qtbot, pseudo, desk):
    w = DeskWindow(desk)
    qtbot.addWidget(w)
    w.resize(*SIZE)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def headers_fit_or_say(view: QTableView) -> list[str]:
    """A column header narrower than its title elides it: then its tooltip must say it whole."""
    found = []
    header = view.horizontalHeader()
    model = view.model()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, header.orientation()) or "")
        need = header.sectionSizeFromContents(section).width()
        if need > header.sectionSize(section) + 1 and model.headerData(section, header.orientation(), 3) != text:
            found.append(f"column {text!r} cut ({header.sectionSize(section)} px for {need}) without a tooltip")
    return found


def page_fits(window: DeskWindow, tmp_path, name: str) -> None:
    tables = [v for v in window.findChildren(QTableView) if v.isVisible()]
    found = [line for v in tables for line in headers_fit_or_say(v)]
    assert not found, f"{name}:\n" + "\n".join(found)
    fits(window, tmp_path, name)


# --- the checker on the desk's own style ----------------------------------------------------------

def test_a_desk_label_too_long_for_its_place_fails_the_check(qtbot, pseudo, tmp_path):
    w = QWidget()
    w.setStyleSheet(STYLE)
    qtbot.addWidget(w)
    layout = QVBoxLayout(w)
    layout.addWidget(title_label(t("desk.page_exchange")))
    cut = QLabel(t("desk.search_hint"))                        # one line, no wrap, in a window too narrow
    layout.addWidget(cut)
    w.setFixedSize(300, 90)
    w.show()
    qtbot.waitExposed(w)
    with pytest.raises(AssertionError, match="clipped: .*QLabel\\(hint\\)|clipped: .*QLabel\\(-\\)"):
        fits(w, tmp_path, "deliberately-clipped")
    cut.setWordWrap(True)
    w.setFixedSize(300, 400)
    fits(w, tmp_path, "wrapped")


# --- the door ------------------------------------------------------------------------------------

def test_the_pin_door_fits_new_known_and_refused(qtbot, pseudo, desk, tmp_path):
    for has_pin in (False, True):
        dialog = PinDialog(desk.service, has_pin=has_pin)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        fits(dialog, tmp_path, f"desk-pin-{'known' if has_pin else 'new'}")
    dialog.fields[0].setText("999999")
    dialog.submit()
    wait(qtbot, lambda: dialog.error.text() == t("pin.wrong"), 5000)
    fits(dialog, tmp_path, "desk-pin-refused")


# --- the pages -----------------------------------------------------------------------------------

def test_every_page_fits_as_a_clerk_sees_it(qtbot, window, desk, hall, answers, tmp_path):
    pages = window.pages
    assert "Ššîllàkk" in window.header.text() or window.header.text() != t("desk.no_event", "id")
    window.show_page("events")
    wait(qtbot, lambda: pages["events"].data is not None)
    page_fits(window, tmp_path, "desk-events")

    window.show_page("people")
    people = pages["people"]
    people.query.setText("Sri")
    people.search()
    settle(qtbot, desk)
    assert people.model.rowCount() > 0
    people.view.selectRow(0)
    page_fits(window, tmp_path, "desk-people")

    window.show_page("badges")
    badges = pages["badges"]
    wait(qtbot, lambda: badges.previews >= 1)
    badges.query.setText("Utami")
    badges.search()
    wait(qtbot, lambda: bool(badges.found))
    badges.add_selected()
    settle(qtbot, desk)
    page_fits(window, tmp_path, "desk-badges")

    window.show_page("attendance")
    attendance = pages["attendance"]
    wait(qtbot, lambda: attendance.loads >= 1)
    page_fits(window, tmp_path, "desk-attendance")
    present = next(r for r in attendance.model.shown if r.present and r.signed and "," in r.person.name)
    attendance.select(present.person.nip)
    wait(qtbot, lambda: attendance.signature.pixmap() is not None and not attendance.signature.pixmap().isNull())
    page_fits(window, tmp_path, "desk-attendance-present")
    absent = next(r for r in attendance.model.shown if not r.present and r.absence is None)
    attendance.select(absent.person.nip)
    assert not attendance.reason_group.isHidden()
    page_fits(window, tmp_path, "desk-attendance-absent")

    window.show_page("stats")
    wait(qtbot, lambda: pages["stats"].draws >= 1)
    page_fits(window, tmp_path, "desk-stats")

    window.show_page("exports")
    exports = pages["exports"]
    page_fits(window, tmp_path, "desk-exports")
    answers.files.append(tmp_path / "daftar-hadir.pdf")
    exports.make("daftar-hadir")
    wait(qtbot, lambda: exports.task.label.kind == "ok", 90000)
    page_fits(window, tmp_path, "desk-exports-done")

    window.show_page("exchange")
    exchange = pages["exchange"]
    page_fits(window, tmp_path, "desk-exchange-empty")
    answers.files.append(two_exports(hall, tmp_path))
    exchange.add_files()
    wait(qtbot, lambda: exchange.checks >= 2)
    exchange.table.selectRow(1)
    wait(qtbot, lambda: exchange.sync.status is not None)
    settle(qtbot, desk)
    page_fits(window, tmp_path, "desk-exchange")
    assert window.page == "exchange" and len(PAGES) == 7


def two_exports(hall, tmp_path):
    """This laptop's export and a copy of it with one name altered (its report names the change)."""
    first, second = tmp_path / "ekspor-laptop-1.db", tmp_path / "ekspor-laptop-2.db"
    with Store(hall) as store:
        export_sqlite(store, store.active_event(), first)
    shutil.copy(first, second)
    with sqlite3.connect(second) as conn:
        nip = conn.execute("SELECT nip FROM checkins ORDER BY seq LIMIT 1 OFFSET 3").fetchone()[0]
        conn.execute("UPDATE people SET name = 'Nama Diganti' WHERE nip = ?", (nip,))
    conn.close()
    return [first, second]


# --- the import preview --------------------------------------------------------------------------

def open_preview(qtbot, window, answers, path):
    window.show_page("people")
    answers.files.append(path)
    window.pages["people"].import_asn.click()
    dialog = window.pages["people"].import_dialog
    wait(qtbot, lambda: dialog.reads >= 1 and not dialog._reading)
    return dialog


def each_tab_fits(dialog, tmp_path, name: str) -> None:
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        tables = [v for v in dialog.findChildren(QTableView) if v.isVisible()]
        found = [line for v in tables for line in headers_fit_or_say(v)]
        assert not found, f"{name}-{tab}:\n" + "\n".join(found)
        fits(dialog, tmp_path, f"{name}-{tab}")


def test_the_import_preview_fits_read_with_problems_and_chosen_by_hand(qtbot, window, answers, tmp_path):
    people = roster_people(40)
    path = write_roster_xlsx(tmp_path / "nominatif-bkpsdm.xlsx", people, unit_header="Bagian",
                             bad={7: "1.98501E+17", 19: people[3].nip})
    dialog = open_preview(qtbot, window, answers, path)
    assert dialog.result.parsed is not None and dialog.result.parsed.problems
    each_tab_fits(dialog, tmp_path, "desk-import")
    combo = dialog.combos["unit"]
    combo.setCurrentIndex(combo.findData(3))
    wait(qtbot, lambda: dialog.reads >= 2 and not dialog._reading)
    dialog.mode_valid.setChecked(True)
    dialog.tabs.setCurrentIndex(0)
    fits(dialog, tmp_path, "desk-import-chosen")
    dialog.reject()

    extra = ["1.99001E+17;Salah Ketik;Analis;BKPSDM", f"{people[0].nip};Dobel;Analis;BKPSDM"]
    dialog = open_preview(qtbot, window, answers,
                          write_roster_csv_1252(tmp_path / "pegawai.csv", people[:6], extra=extra))
    each_tab_fits(dialog, tmp_path, "desk-import-csv")
    dialog.reject()

    unknown = tmp_path / "rekap.csv"
    unknown.write_text("Rekap Pegawai;;\r\nNomor Induk;Nama Lengkap Pegawai;Satuan\r\n"
                       + "".join(f"{p.nip};{p.name};{p.unit}\r\n" for p in people[:4]), encoding="utf-8")
    dialog = open_preview(qtbot, window, answers, unknown)
    assert dialog.result.parsed is None
    fits(dialog, tmp_path, "desk-import-no-header")
    dialog.reject()


# --- the dialogs the pages open ------------------------------------------------------------------

def test_the_dialogs_a_clerk_meets_fit(qtbot, window, desk, answers, tmp_path, monkeypatch):
    people = window.pages["people"]
    window.show_page("people")
    people.query.setText("Sri")
    people.search()
    settle(qtbot, desk)
    person = people.people[0]
    for name, dialog in (("add", PersonDialog(parent=window)), ("edit", PersonDialog(person, window)),
                         ("passphrase", ask.PassphraseDialog(t("desk.passphrase_new"), True, window))):
        dialog.show()
        qtbot.waitExposed(dialog)
        fits(dialog, tmp_path, f"desk-dialog-{name}")
        if name == "passphrase":
            dialog.fields[0].setText("satu dua tiga")
            dialog.fields[1].setText("satu dua empat")
            dialog._submit()
            fits(dialog, tmp_path, "desk-dialog-passphrase-mismatch")
        dialog.reject()

    seen: list[str] = []

    def look(box: QMessageBox) -> int:                       # the real question, looked at, then cancelled
        box.show()
        qtbot.waitExposed(box)
        fits(box, tmp_path, f"desk-confirm-{len(seen)}")
        seen.append(box.text())
        return 0
    monkeypatch.setattr(QMessageBox, "exec", look)
    monkeypatch.setattr(ask, "confirm", REAL_CONFIRM)
    people.view.selectRow(0)
    people.remove_person()
    assert len(seen) == 1 and person.name in seen[0]
    there = tmp_path / "daftar-hadir.pdf"
    there.write_bytes(b"%PDF-1.4 the one printed yesterday")
    window.show_page("exports")
    exports = window.pages["exports"]
    answers.files.append(there)
    exports.make("daftar-hadir")
    wait(qtbot, lambda: len(seen) == 2 and not exports.task.busy, 30000)
    assert str(there) in seen[1]
