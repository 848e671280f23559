"""The Acara page: create an event in an empty database, edit one and what its documents print, change the
pledge's placeholders (a new text version) without replacing wording an unrelated edit never touched,
make another event active; refusals shown in words."""
from __future__ import annotations

from desk_helpers import open_desk_context, settle, show
from PySide6.QtCore import QDate

from kiosk.ceremony import pledge as _pledge
from kiosk.store import Store
from ui.desk.events_page import EventsPage

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


def loaded(qtbot, page, n=1):
    qtbot.waitUntil(lambda: page.loads >= n, timeout=10000)


def test_the_first_event_is_made_from_an_empty_database(qtbot, tmp_path):
    db = tmp_path / "baru.db"
    context = open_desk_context(qtbot, db)
    try:
        page = show(qtbot, EventsPage(context))
        loaded(qtbot, page)
        assert page.editing is None and page.save_button.text() == "Buat dan aktifkan acara"
        assert page.title_edit.text() == "Apel Ikrar Netralitas ASN"
        page.date_edit.setDate(QDate(2024, 11, 4))
        page.venue_edit.setText("Aula Kecamatan")
        page.settings["instansi"].setText("Pemerintah Kota Yogyakarta")
        page.settings["kota"].setText("Yogyakarta")
        page.placeholders["pemilihan"].setText("Pemilihan Wali Kota Yogyakarta 2024")
        page.submit()
        qtbot.waitUntil(lambda: page.notice.kind == "ok", timeout=10000)
        assert "dibuat dan diaktifkan" in page.notice.text()
        qtbot.waitUntil(lambda: context.event is not None, timeout=5000)
    finally:
        context.service.shutdown()
    with Store(db) as s:
        e = s.active_event()
        assert (e.date, e.venue, e.setting("kota")) == ("2024-11-04", "Aula Kecamatan", "Yogyakarta")
        p = s.pledge(e.pledge_id)
        assert p.params["instansi"] == "Pemerintah Kota Yogyakarta"      # the kop's agency fills the pledge
        assert "Pemilihan Wali Kota Yogyakarta 2024" in p.text


def test_an_edit_keeps_the_pledge_unless_its_placeholders_change(qtbot, desk, hall):
    with Store(hall) as s:                                          # wording edited in the pledge console
        e = s.active_event()
        tpl = _pledge.load_template(_pledge.DEFAULT_TEMPLATE)
        custom = _pledge.render(tpl, s.pledge(e.pledge_id).params, points=["Satu butir khusus."])
        s.set_event_pledge(e.id, custom)
        custom_sha = custom.sha256
    page = show(qtbot, EventsPage(desk))
    loaded(qtbot, page)
    assert page.editing == desk.event_id and page.settings["kota"].text() == "Sleman"
    page.settings["alamat"].setText("Jalan Parasamya 1, Sleman")
    page.venue_edit.setText("Ruang Pola Lantai 2")
    page.submit()
    qtbot.waitUntil(lambda: page.notice.kind == "ok", timeout=10000)
    assert page.notice.text() == "Acara disimpan."
    with Store(hall) as s:
        e = s.active_event()
        assert e.venue == "Ruang Pola Lantai 2" and e.setting("alamat") == "Jalan Parasamya 1, Sleman"
        assert s.pledge_sha256(e.pledge_id) == custom_sha
    page.placeholders["pemilihan"].setText("Pemilihan Bupati Sleman 2024")
    page.submit()
    qtbot.waitUntil(lambda: "versi baru" in page.notice.text(), timeout=10000)
    with Store(hall) as s:
        e = s.active_event()
        new_sha = s.pledge_sha256(e.pledge_id)
        assert new_sha != custom_sha
        assert "Pemilihan Bupati Sleman 2024" in s.pledge(e.pledge_id).text
    settle(qtbot, desk)
    qtbot.waitUntil(lambda: page.sha_label.text().endswith(new_sha), timeout=5000)


def test_refusals_are_shown_with_what_to_do(qtbot, desk):
    page = show(qtbot, EventsPage(desk))
    loaded(qtbot, page)
    page.settings["nip_kepala"].setText("12345")
    page.submit()
    qtbot.waitUntil(lambda: page.notice.kind == "error", timeout=10000)
    assert "nip_kepala bukan NIP yang sah" in page.notice.text() and page.save_button.isEnabled()
    page.settings["nip_kepala"].setText("197003151994031005")
    page.title_edit.setText("   ")
    page.submit()
    qtbot.waitUntil(lambda: "Judul acara tidak boleh kosong" in page.notice.text(), timeout=10000)


def test_a_new_event_copies_the_roster_and_another_is_activated(qtbot, desk, hall, answers, tmp_path):
    page = show(qtbot, EventsPage(desk))
    loaded(qtbot, page)
    first = desk.event_id
    page.new_event()
    assert page.settings["instansi"].text() == "Pemerintah Kabupaten Sleman"   # the same office, prefilled
    page.title_edit.setText("Apel Ikrar Susulan")
    page.copy_combo.setCurrentIndex(page.copy_combo.findData(first))
    logo = tmp_path / "logo.png"
    answers.files.append(logo)
    page._pick_logo()
    assert page.settings["logo"].text() == str(logo) and not page.logo_preview.pixmap().isNull()
    page.submit()
    qtbot.waitUntil(lambda: page.notice.kind == "ok", timeout=10000)
    assert "peserta disalin" in page.notice.text()
    qtbot.waitUntil(lambda: desk.event is not None and desk.event.id != first, timeout=5000)
    loaded(qtbot, page, 2)
    settle(qtbot, desk)
    with Store(hall) as s:
        assert s.count_people(desk.event_id) == s.count_people(first)
    # Back to the first event.
    row = [e.id for e in page.data.events].index(first)
    page.list.selectRow(row)
    assert page.editing == first and page.activate_button.isEnabled()
    page.activate()
    qtbot.waitUntil(lambda: desk.event_id == first, timeout=5000)
    assert "sekarang acara aktif" in page.notice.text()
