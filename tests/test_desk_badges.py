"""The Kartu page: everyone, one unit or the people chosen; one badge previewed as it prints; the sheets
saved as a PDF (checked with pdftotext and the QR decoder); an existing file replaced only when asked."""
from __future__ import annotations

from desk_helpers import settle, show
from documents_helpers import page_count, pdftotext

from kiosk.store import Store
from ui.desk.badges_page import BadgesPage

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


def test_everyone_one_unit_or_the_people_chosen(qtbot, desk, hall, answers, tmp_path):
    page = show(qtbot, BadgesPage(desk))
    qtbot.waitUntil(lambda: page.previews >= 1, timeout=10000)
    assert page.all_button.text() == "Semua peserta acara ini (56)"
    assert not page.preview.pixmap().isNull() and "seperti tercetak" in page.preview_name.text()

    out = tmp_path / "semua.pdf"
    answers.files.append(out)
    page.save()
    qtbot.waitUntil(lambda: page.task.label.kind in ("ok", "error"), timeout=60000)
    assert page.task.label.kind == "ok", page.task.label.text()
    assert out.is_file() and page_count(out) == 6                     # 56 people, 10 a sheet
    assert page.task.folder == tmp_path
    page.task.folder_button.click()
    assert answers.opened == [tmp_path]

    with Store(hall) as s:
        roster = s.roster(s.active_event().id)
    unit = next(p.unit for p in roster if p.unit)
    page.unit_combo.setCurrentText(unit)
    page.unit_combo.activated.emit(page.unit_combo.currentIndex())      # as a click on the list does
    assert page.unit_button.isChecked()
    answers.files.append(tmp_path / "unit.pdf")
    page.save()
    qtbot.waitUntil(lambda: not page.task.busy, timeout=30000)
    text = " ".join(pdftotext(tmp_path / "unit.pdf").split())
    members = [p for p in roster if p.unit == unit]
    assert all(p.name.split()[-1].rstrip(",.") in text for p in members if "," not in p.name)
    assert f"({sum(p.unit == unit for p in roster)} orang)" in page.task.label.text()

    page.query.setText(roster[3].name.split(",")[0])
    page.search()
    qtbot.waitUntil(lambda: bool(page.found), timeout=5000)
    page.results.setCurrentRow(0)
    page.add_selected()
    assert page.some_button.isChecked() and len(page.chosen) == 1
    previews = page.previews
    page.picked.setCurrentRow(0)
    page._focused("picked")
    qtbot.waitUntil(lambda: page.previews > previews, timeout=5000)
    assert page.chosen[0].name in page.preview_name.text()
    answers.files.append(tmp_path / "satu.pdf")
    page.save()
    qtbot.waitUntil(lambda: not page.task.busy, timeout=30000)
    assert "(1 orang)" in page.task.label.text()


def test_an_existing_file_is_replaced_only_when_asked(qtbot, desk, answers, tmp_path):
    page = show(qtbot, BadgesPage(desk))
    settle(qtbot, desk)
    out = tmp_path / "kartu.pdf"
    out.write_bytes(b"%PDF-1.4 lama")
    answers.files.append(out)
    answers.confirms.append(False)
    page.save()
    qtbot.waitUntil(lambda: page.task.label.kind == "error", timeout=30000)
    assert "sudah ada" in page.task.label.text() and out.read_bytes() == b"%PDF-1.4 lama"
    answers.files.append(out)
    answers.confirms.append(True)
    page.save()
    qtbot.waitUntil(lambda: page.task.label.kind == "ok", timeout=60000)
    assert out.read_bytes().startswith(b"%PDF") and page_count(out) == 6


def test_choosing_nobody_is_said_before_any_file(qtbot, desk, answers):
    page = show(qtbot, BadgesPage(desk))
    settle(qtbot, desk)
    page.some_button.setChecked(True)
    page.save()
    assert page.notice.kind == "error" and "Pilih dulu orangnya" in page.notice.text()
    assert answers.asked == []
