"""The Peserta page: search (three letters or part of a NIP, as the core decides), a guest and a walk-in
added with their badge codes, one person corrected, removal (refused for someone who checked in)."""
from __future__ import annotations

from desk_helpers import settle, show

from kiosk.people.kinds import PersonKind
from kiosk.store import Store
from ui.desk.people_page import PeoplePage
from ui.desk.person_dialog import PersonDialog, PersonInput

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


def search(qtbot, page, text):
    asked = page.answers
    page.query.setText(text)
    page.search()
    qtbot.waitUntil(lambda: page.answers > asked, timeout=5000)


def test_search_needs_three_letters_and_finds_by_name_or_nip(qtbot, desk, hall):
    page = show(qtbot, PeoplePage(desk))
    settle(qtbot, desk)
    assert page.count_label.text() == "56 orang di daftar peserta acara ini."
    search(qtbot, page, "ag")
    assert page.model.rowCount() == 0 and "minimal 3 huruf" in page.status.text()
    assert page.notice.text() == ""                                    # a short text is not a failure
    with Store(hall) as s:
        someone = next(p for p in s.roster(s.active_event().id) if p.kind is PersonKind.PNS)
    search(qtbot, page, someone.nip[4:12])
    assert someone.nip in [p.nip for p in page.people]
    search(qtbot, page, someone.name.split()[-1][:5])
    assert page.model.rowCount() >= 1 and page.edit_button.isEnabled()
    search(qtbot, page, "Zzzqx")
    assert page.status.text() == "Tidak ada yang cocok dengan 'Zzzqx'." and not page.edit_button.isEnabled()


def test_a_guest_and_a_walk_in_get_their_badge_codes(qtbot, desk, hall, monkeypatch):
    page = show(qtbot, PeoplePage(desk))
    settle(qtbot, desk)
    given = [PersonInput("Dra. Ratna Sari", PersonKind.GUEST, "KPU Kabupaten Sleman", "Komisioner", "", ""),
             PersonInput("Slamet Riyadi", PersonKind.NON_ASN, "", "Pramu Bakti", "Sekretariat Daerah", "")]
    monkeypatch.setattr(PersonDialog, "ask", classmethod(lambda cls, person=None, parent=None: given.pop(0)))
    for _ in range(2):
        page.add_person()
        qtbot.waitUntil(lambda: "ditambahkan" in page.notice.text(), timeout=5000)
        assert "Kode kartunya:" in page.notice.text()
        page.notice.say("")
    settle(qtbot, desk)
    with Store(hall) as s:
        added = {p.name: p for p in s.roster(s.active_event().id)}
    assert added["Dra. Ratna Sari"].kind is PersonKind.GUEST and added["Dra. Ratna Sari"].institution.startswith("KPU")
    assert added["Slamet Riyadi"].kind is PersonKind.NON_ASN and added["Slamet Riyadi"].unit == "Sekretariat Daerah"
    assert page.count_label.text() == "58 orang di daftar peserta acara ini."
    assert page.query.text() == "Slamet Riyadi" and page.model.rowCount() == 1


def test_the_dialog_offers_the_two_kinds_and_edits_keep_the_badge(qtbot):
    dialog = show(qtbot, PersonDialog(None), (560, 360))
    assert dialog.guest.isChecked() and not dialog.walkin.isHidden()
    dialog.walkin.setChecked(True)
    dialog.fields["name"].setText("Budi")
    assert dialog.value().kind is PersonKind.NON_ASN
    from kiosk.store import Person
    person = Person("196804111993031009", "Agus", "Analis", "BKPSDM")
    edit = show(qtbot, PersonDialog(person), (560, 360))
    assert edit.fields["name"].text() == "Agus" and edit.guest.isHidden()
    assert edit.value().kind is PersonKind.PNS


def test_a_person_is_corrected_and_one_who_checked_in_cannot_be_removed(qtbot, desk, hall, answers,
                                                                       monkeypatch):
    with Store(hall) as s:
        roster = s.roster(s.active_event().id)
        present = next(p for p in roster if s.checkin_of(s.active_event().id, p.nip))
        absent = next(p for p in roster if not s.checkin_of(s.active_event().id, p.nip)
                      and p.kind is PersonKind.PNS)
    page = show(qtbot, PeoplePage(desk))
    search(qtbot, page, present.nip)
    monkeypatch.setattr(PersonDialog, "ask", classmethod(lambda cls, person=None, parent=None: PersonInput(
        person.name + " Putra", person.kind, "", person.position, "Bagian Umum", "Penata, III/c")))
    page.edit_person()
    qtbot.waitUntil(lambda: page.notice.kind == "ok", timeout=5000)
    assert page.notice.text() == f"Data {present.name} Putra disimpan."
    answers.confirms.append(True)
    search(qtbot, page, present.nip)
    page.remove_person()
    qtbot.waitUntil(lambda: page.notice.kind == "error", timeout=5000)
    assert "sudah hadir" in page.notice.text() and "tidak dapat dihapus" in page.notice.text()
    answers.confirms.append(False)                                     # asked, then not
    search(qtbot, page, absent.nip)
    page.remove_person()
    settle(qtbot, desk)
    answers.confirms.append(True)
    page.remove_person()
    qtbot.waitUntil(lambda: "dikeluarkan" in page.notice.text(), timeout=5000)
    with Store(hall) as s:
        nips = {p.nip: p for p in s.roster(s.active_event().id)}
    assert absent.nip not in nips and nips[present.nip].unit == "Bagian Umum"
    assert nips[present.nip].rank == "Penata, III/c"
    assert [kind for kind, _ in answers.asked] == ["confirm"] * 3
