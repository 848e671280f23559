"""Corrections the desk makes and the command line makes too: an event's title, date, venue and pledge
(``ikrar event edit``), one person's name, unit or rank (``ikrar person edit``), and a roster file stored
all or nothing (``Store.import_roster``, what ``ikrar roster import`` and the desk's preview call)."""
from __future__ import annotations

import json

import pytest

from kiosk import demo
from kiosk.attendance.checkin import Desk, Method
from kiosk.i18n import KioskError
from kiosk.people.roster import read_roster
from kiosk.store import Store


def test_an_event_is_edited_and_checked_like_a_new_one(store, event):
    e = store.update_event(event.id, title="  Apel  Ikrar Pemilu ", venue="Aula Kantor")
    assert (e.title, e.date, e.venue) == ("Apel Ikrar Pemilu", "2024-11-04", "Aula Kantor")
    assert store.update_event(event.id, date="2024-11-05").date == "2024-11-05"
    for kwargs, code in (({"title": " "}, "event.empty_title"), ({"date": "5/11/2024"}, "event.bad_date")):
        with pytest.raises(KioskError) as err:
            store.update_event(event.id, **kwargs)
        assert err.value.code == code
    with pytest.raises(KioskError):
        store.update_event(99, title="x")
    actions = [r[0] for r in store.conn.execute("SELECT detail_json FROM audit_log WHERE action = 'event.edit'")]
    assert [json.loads(a)["fields"] for a in actions] == [["title", "venue"], ["date"]]
    assert store.event(event.id).title == "Apel Ikrar Pemilu"


def test_unchanged_values_write_nothing(store, event):
    before = store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    store.update_event(event.id, title=event.title)
    p = store.roster(event.id)[0]
    store.update_person(p.nip, unit=p.unit, event_id=event.id)
    assert store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_one_person_is_corrected_the_badge_and_kind_stay(store, event):
    p = store.roster(event.id)[0]
    fixed = store.update_person(p.nip, name="Dr. Ani  Lestari, S.Kom", unit="Bagian Umum", rank="Penata, III/c",
                                event_id=event.id)
    assert (fixed.nip, fixed.kind) == (p.nip, p.kind)
    assert (fixed.name, fixed.unit, fixed.rank, fixed.position) == ("Dr. Ani Lestari, S.Kom", "Bagian Umum",
                                                                    "Penata, III/c", p.position)
    row = store.conn.execute("SELECT bare_name, front_title, back_title FROM people WHERE nip = ?", (p.nip,)).fetchone()
    assert row == ("Dr. Ani Lestari, S.Kom", "", "")
    with pytest.raises(KioskError) as err:
        store.update_person(p.nip, name="   ", event_id=event.id)
    assert err.value.code == "people.name_missing"
    with pytest.raises(KioskError) as err:
        store.update_person("199001012019031001", unit="x", event_id=event.id)
    assert err.value.code == "people.not_on_roster"


def test_a_roster_with_problems_is_refused_unless_the_valid_rows_are_kept(tmp_path, store, event):
    path = tmp_path / "r.csv"
    first = demo.people(3)
    rows = [f"{p.nip};{p.bare_name};{p.unit}" for p in first]
    path.write_text("NIP;Nama;Unit Kerja\n" + "\n".join(rows) + "\n123;Salah;X\n", encoding="utf-8")
    parsed = read_roster(path)
    assert len(parsed.problems) == 1
    before = store.count_people(event.id)
    with pytest.raises(KioskError) as err:
        store.import_roster(parsed, event_id=event.id)
    assert err.value.code == "people.import_problems" and "1 baris" in str(err.value)
    assert store.count_people(event.id) == before
    counts = store.import_roster(parsed, event_id=event.id, skip_invalid=True)
    assert counts.added + counts.updated + counts.unchanged == 3
    [detail] = [json.loads(r[0]) for r in store.conn.execute(
        "SELECT detail_json FROM audit_log WHERE action = 'roster.import'")]
    assert detail["skipped"] == 1 and detail["rows"] == 3 and detail["replace"] is False


def test_replacing_keeps_who_checked_in(tmp_path, store, event):
    people = store.roster(event.id)
    Desk(store, event).check_in(people[0].nip, method=Method.MANUAL)
    path = tmp_path / "r.csv"
    path.write_text(f"NIP;Nama\n{people[1].nip};{people[1].name}\n", encoding="utf-8")
    counts = store.import_roster(read_roster(path), event_id=event.id, replace=True)
    assert [p.nip for p in counts.kept] == [people[0].nip]
    assert {p.nip for p in store.roster(event.id)} == {people[0].nip, people[1].nip}


def test_the_command_line_edits_an_event_and_its_pledge(ikrar, tmp_path):
    assert ikrar("event", "create", "--title", "Apel", "--date", "2024-11-04")[0] == 0
    code, out, _ = ikrar("event", "edit", "--title", "Apel Ikrar", "--venue", "Ruang Pola", "--set",
                         "pemilihan=Pilkada Serentak 2024", "--set", "kota=Sleman", "--json")
    data = json.loads(out)
    assert code == 0 and data["title"] == "Apel Ikrar" and data["venue"] == "Ruang Pola"
    assert data["pledge_changed"] is True and data["settings"]["kota"] == "Sleman"
    code, out, _ = ikrar("pledge", "show", "--json")
    assert "Pilkada Serentak 2024" in json.loads(out)["units"][0]
    code, out, _ = ikrar("event", "edit", "--title", "Apel Ikrar", "--json")
    assert json.loads(out)["pledge_changed"] is False
    code, _, err = ikrar("event", "edit", "--date", "kemarin")
    assert code == 1 and "YYYY-MM-DD" in err
    code, _, err = ikrar("event", "edit", "--set", "warna=merah")
    assert code == 1 and "warna" in err


def test_the_command_line_edits_a_person(ikrar, tmp_path):
    ikrar("demo", "--people", "5")
    with Store(tmp_path / "cli.db") as s:
        p = s.roster(s.active_event().id)[0]
    code, out, _ = ikrar("person", "edit", p.nip, "--unit", "Bagian Umum", "--json")
    assert code == 0 and json.loads(out)["unit"] == "Bagian Umum"
    code, _, err = ikrar("person", "edit", "199001012019031001", "--unit", "x")
    assert code == 1 and "tidak ada dalam daftar" in err
