"""The Ekspor page: each document one click from a real kiosk database (checked with pdftotext, openpyxl,
the CSV text), the offline database plain and encrypted (then verified), the documents made from an
export file instead (an encrypted one asks its passphrase; signatures out of it ask first); an existing
file replaced only when asked; "open the folder"; refusals and cancel said in words."""
from __future__ import annotations

import openpyxl
from desk_helpers import settle, show
from documents_helpers import page_count, pdftotext

from kiosk.exchange.export import export_sqlite
from kiosk.exchange.sealing import Passphrase
from kiosk.exchange.verify import verify
from kiosk.store import Store
from ui.desk.exports_page import ExportsPage

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


def finished(qtbot, page, timeout=90000):
    qtbot.waitUntil(lambda: not page.task.busy and page.task.label.kind in ("ok", "error", "info")
                    and not page.task.label.text().endswith("…"), timeout=timeout)
    return page.task.label.text()


def names_present(db):
    with Store(db) as s:
        e = s.active_event()
        return [a.person.name for a in s.attendance(e.id)]


def test_each_document_is_one_click(qtbot, desk, hall, answers, tmp_path):
    page = show(qtbot, ExportsPage(desk))
    present = names_present(hall)

    answers.files.append(tmp_path / "hadir.pdf")
    page.buttons["daftar-hadir"].click()
    assert finished(qtbot, page).startswith(f"Daftar hadir tersimpan: {tmp_path / 'hadir.pdf'} (47 orang hadir)")
    text = " ".join(pdftotext(tmp_path / "hadir.pdf").split())
    assert "DAFTAR HADIR" in text.upper() and "Halaman 1 dari" in text
    assert present[0].split(",")[0] in text
    page.task.folder_button.click()
    assert answers.opened == [tmp_path]

    answers.files.append(tmp_path / "kehadiran.xlsx")
    page.buttons["xlsx"].click()
    assert "Lembar kerja tersimpan" in finished(qtbot, page)
    wb = openpyxl.load_workbook(tmp_path / "kehadiran.xlsx", read_only=True)
    assert len(wb.sheetnames) == 3
    wb.close()

    page.sep_combo.setCurrentIndex(page.sep_combo.findData(";"))
    answers.files.append(tmp_path / "kehadiran.csv")
    page.buttons["csv"].click()
    assert "Berkas CSV tersimpan" in finished(qtbot, page)
    lines = (tmp_path / "kehadiran.csv").read_text(encoding="utf-8-sig").splitlines()
    assert any(line.count(";") >= 4 for line in lines) and not any(line.count(",") >= 4 for line in lines[:5])

    answers.folders.append(tmp_path / "pakta")
    page.buttons["pakta"].click()
    assert "pakta integritas tersimpan di" in finished(qtbot, page)
    assert len(list((tmp_path / "pakta").glob("*.pdf"))) == 43          # guests sign no pact
    page.pakta_single.setChecked(True)
    answers.files.append(tmp_path / "semua-pakta.pdf")
    page.buttons["pakta"].click()
    assert "dalam satu berkas" in finished(qtbot, page)

    from kiosk.documents import sample
    photo = sample.photo(tmp_path / "foto.jpg")
    answers.files.append([photo])
    page.pick_photos()
    assert page.photos_button.text() == "Foto apel (1)…"
    answers.files.append(tmp_path / "laporan.pdf")
    page.buttons["laporan"].click()
    assert "Laporan tersimpan" in finished(qtbot, page)
    assert page_count(tmp_path / "laporan.pdf") >= 1
    assert [r["document"] for r in page.results] == ["daftar-hadir", "xlsx", "csv", "pakta", "pakta", "laporan"]


def test_the_offline_database_plain_and_encrypted(qtbot, desk, hall, answers, tmp_path):
    page = show(qtbot, ExportsPage(desk))
    answers.files.append(tmp_path / "ekspor.db")
    page.buttons["sqlite"].click()
    assert finished(qtbot, page).startswith("Ekspor selesai:") and "terenkripsi" not in page.task.label.text()
    assert verify(tmp_path / "ekspor.db").ok

    page.encrypt.setChecked(True)
    answers.files.append(tmp_path / "rahasia.db")
    answers.passphrases.append("pendek")
    page.buttons["sqlite"].click()
    assert "terlalu pendek" in finished(qtbot, page) and not (tmp_path / "rahasia.db").exists()
    answers.files.append(tmp_path / "rahasia.db")
    answers.passphrases.append("kunci apel sleman")
    page.buttons["sqlite"].click()
    assert "terenkripsi" in finished(qtbot, page)
    assert verify(tmp_path / "rahasia.db", Passphrase(value="kunci apel sleman", interactive=False)).ok
    answers.files.append(tmp_path / "batal.db")
    answers.passphrases.append(None)                                   # the passphrase dialog cancelled
    page.buttons["sqlite"].click()
    assert not (tmp_path / "batal.db").exists()


def test_documents_from_an_encrypted_export_ask_the_passphrase_and_for_plain_signatures(
        qtbot, desk, hall, answers, tmp_path):
    with Store(hall) as s:
        export_sqlite(s, s.active_event(), tmp_path / "laptop2.db", passphrase="frasa laptop dua")
    page = show(qtbot, ExportsPage(desk))
    answers.files.append(tmp_path / "laptop2.db")
    page.pick_source()
    assert page.from_file.isChecked() and "laptop2.db" in page.source_label.text()
    assert not page.buttons["sqlite"].isEnabled()
    answers.files.append(tmp_path / "hadir.pdf")
    answers.passphrases.append("salah")
    answers.passphrases.append("frasa laptop dua")
    answers.confirms.append(True)                                      # signatures into a plain PDF: yes
    page.buttons["daftar-hadir"].click()
    assert finished(qtbot, page).startswith("Daftar hadir tersimpan")
    kinds = [kind for kind, _ in answers.asked]
    assert kinds == ["file", "file", "passphrase", "passphrase", "confirm"]     # the source, then the output
    assert "Frasa sandi salah" in answers.asked[3][1]
    assert "terenkripsi" in answers.asked[4][1]
    answers.files.append(tmp_path / "kehadiran.xlsx")
    page.buttons["xlsx"].click()                                       # the passphrase is remembered
    assert "Lembar kerja tersimpan" in finished(qtbot, page)
    page.from_db.setChecked(True)
    assert page.buttons["sqlite"].isEnabled()


def test_an_existing_file_is_replaced_only_when_asked(qtbot, desk, answers, tmp_path):
    page = show(qtbot, ExportsPage(desk))
    out = tmp_path / "hadir.pdf"
    out.write_bytes(b"lama")
    answers.files.append(out)
    answers.confirms.append(False)
    page.buttons["daftar-hadir"].click()
    assert "sudah ada" in finished(qtbot, page) and out.read_bytes() == b"lama"
    assert page.task.label.kind == "error"
    answers.files.append(out)
    answers.confirms.append(True)
    page.buttons["daftar-hadir"].click()
    assert finished(qtbot, page).startswith("Daftar hadir tersimpan") and out.read_bytes().startswith(b"%PDF")


def test_a_cancelled_document_leaves_nothing(qtbot, desk, answers, tmp_path):
    import threading
    page = show(qtbot, ExportsPage(desk))
    gate = threading.Event()
    desk.service.run(lambda store: gate.wait(10))
    answers.folders.append(tmp_path / "pakta")
    page.buttons["pakta"].click()
    assert page.task.busy
    page.task.cancel_button.click()
    gate.set()
    assert finished(qtbot, page) == "Membuat pakta integritas dibatalkan; tidak ada berkas yang ditulis."
    assert not list(tmp_path.glob("pakta/*.pdf"))
    assert all(b.isEnabled() for b in page.buttons.values())


def test_nothing_to_export_is_said(qtbot, tmp_path, answers):
    from desk_helpers import open_desk_context

    from kiosk import demo
    db = tmp_path / "kosong.db"
    with Store(db) as s:
        demo.seed(s, 5)
    context = open_desk_context(qtbot, db)
    try:
        page = show(qtbot, ExportsPage(context))
        answers.files.append(tmp_path / "hadir.pdf")
        page.buttons["daftar-hadir"].click()
        assert "Belum ada kehadiran yang tercatat" in finished(qtbot, page)
        assert page.task.label.kind == "error" and not (tmp_path / "hadir.pdf").exists()
    finally:
        context.service.shutdown()
    settle  # noqa: B018 - imported for the other tests
