"""The Kehadiran page: everyone on the roster, live while a kiosk checks people in on the same database;
search, filters, sorting; the selected person's signature; an absentee's reason, refused once they
have checked in after all."""
from __future__ import annotations

from desk_helpers import settle, show
from PySide6.QtCore import Qt

from kiosk.attendance.checkin import Desk
from kiosk.documents import sample
from kiosk.people.kinds import AbsenceReason, PersonKind
from kiosk.store import Store
from ui.desk.attendance_model import Status
from ui.desk.attendance_page import AttendancePage

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


def shown(page):
    return [r.person.nip for r in page.model.shown]


def loaded(qtbot, page, n=1):
    qtbot.waitUntil(lambda: page.loads >= n, timeout=10000)


def test_everyone_is_listed_and_the_filters_narrow_it(qtbot, desk, hall):
    page = show(qtbot, AttendancePage(desk))
    loaded(qtbot, page)
    assert page.model.rowCount() == 56
    assert page.summary.text().startswith("43 dari 52 peserta hadir · 3 tidak hadir dengan keterangan · 4 tamu")
    rows = page.model.all
    page.status_combo.setCurrentIndex(page.status_combo.findData(Status.PRESENT))
    assert page.model.rowCount() == sum(r.present for r in rows) == 47
    page.status_combo.setCurrentIndex(page.status_combo.findData(Status.STATED))
    assert {r.absence.reason for r in page.model.shown} == {AbsenceReason.SAKIT, AbsenceReason.CUTI,
                                                            AbsenceReason.DINAS_LUAR}
    page.status_combo.setCurrentIndex(page.status_combo.findData(Status.UNSTATED))
    assert page.model.rowCount() == 6 and all(r.reason is AbsenceReason.TANPA_KETERANGAN for r in page.model.shown)
    page.status_combo.setCurrentIndex(0)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(PersonKind.GUEST))
    assert page.model.rowCount() == 4
    page.kind_combo.setCurrentIndex(0)
    unit = page.unit_combo.itemData(1)
    page.unit_combo.setCurrentIndex(1)
    assert page.model.rowCount() == sum(1 for r in rows if (r.person.unit or r.person.institution) == unit)
    page.unit_combo.setCurrentIndex(0)
    someone = rows[5].person
    page.query.setText(someone.nip[8:14])
    page._filter()
    assert someone.nip in shown(page) and page.model.rowCount() < 56
    page.query.setText(someone.name.split()[0].lower())
    page._filter()
    assert someone.nip in shown(page)
    assert "ditampilkan" in page.summary.text()


def test_columns_sort_and_the_latest_arrival_comes_first(qtbot, desk):
    page = show(qtbot, AttendancePage(desk))
    loaded(qtbot, page)
    page.sort_by_time()
    times = [r.checked_in_at for r in page.model.shown if r.checked_in_at is not None]
    assert times == sorted(times, reverse=True) and page.model.shown[0].present
    assert page.view.horizontalHeader().sortIndicatorSection() == 4
    page.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    names = [r.person.name.casefold() for r in page.model.shown]
    assert names == sorted(names)


def test_the_selected_persons_signature_is_shown(qtbot, desk):
    page = show(qtbot, AttendancePage(desk))
    loaded(qtbot, page)
    present = next(r for r in page.model.shown if r.present and r.signed)
    assert page.select(present.person.nip)
    qtbot.waitUntil(lambda: page.signature.pixmap() is not None and not page.signature.pixmap().isNull(),
                    timeout=5000)
    assert present.person.name in page.who.text() and "Hadir pukul" in page.who.text()
    assert page.reason_group.isHidden()


def test_an_absentee_gets_a_reason_and_one_who_arrived_meanwhile_is_refused(qtbot, desk, hall):
    page = show(qtbot, AttendancePage(desk))
    loaded(qtbot, page)
    absent = [r for r in page.model.shown if not r.present and r.absence is None
              and r.person.kind is PersonKind.PNS]
    first, second = absent[0], absent[1]
    assert page.select(first.person.nip) and not page.reason_group.isHidden()
    page.reason_combo.setCurrentIndex(page.reason_combo.findData(AbsenceReason.IZIN))
    page.note.setText("Mengantar orang tua berobat")
    page.save_reason()
    qtbot.waitUntil(lambda: page.notice.kind == "ok", timeout=5000)
    assert page.notice.text() == f"{first.person.name}: Izin dicatat."
    loaded(qtbot, page, 2)                                              # the desk's own write refreshes it
    row = next(r for r in page.model.all if r.person.nip == first.person.nip)
    assert row.absence is not None and row.absence.note == "Mengantar orang tua berobat"
    assert page.selected().person.nip == first.person.nip               # still selected after the refresh

    assert page.select(second.person.nip)
    with Store(hall) as kiosk:                                          # they turn up at the kiosk after all
        Desk(kiosk).check_in(second.person.nip, signature=sample.strokes(99))
    page.save_reason()
    qtbot.waitUntil(lambda: page.notice.kind == "error", timeout=5000)
    assert "sudah hadir" in page.notice.text() and "tidak dapat dicatat tidak hadir" in page.notice.text()


def test_the_table_follows_the_kiosk(qtbot, desk, hall):
    page = show(qtbot, AttendancePage(desk))
    loaded(qtbot, page)
    before = sum(r.present for r in page.model.all)
    waiting = next(r for r in page.model.all if not r.present and r.person.kind is PersonKind.PNS)
    page.select(waiting.person.nip)
    loads = page.loads
    with Store(hall) as kiosk:
        Desk(kiosk).check_in(waiting.person.nip, signature=sample.strokes(7))
    qtbot.waitUntil(lambda: page.loads > loads, timeout=5000)
    assert sum(r.present for r in page.model.all) == before + 1
    assert page.selected().person.nip == waiting.person.nip and page.selected().present
    assert page.load_ms > 0


def test_a_hidden_page_waits_until_it_is_shown(qtbot, desk, hall):
    page = AttendancePage(desk)
    qtbot.addWidget(page)
    settle(qtbot, desk)
    assert page.loads == 0
    with Store(hall) as kiosk:
        person = next(p for p in kiosk.roster(1) if kiosk.checkin_of(1, p.nip) is None)
        Desk(kiosk).check_in(person.nip)
    qtbot.waitUntil(lambda: page.stale, timeout=5000)
    assert page.loads == 0
    show(qtbot, page)
    loaded(qtbot, page)
