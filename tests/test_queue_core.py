"""The core under a real queue: who scanned but never signed, clock and event sanity, walk-ins."""
import datetime as dt
import json
import sqlite3

import pytest

from kiosk.attendance.checkin import Abandon, Desk
from kiosk.attendance.sanity import CLOCK_TOLERANCE, WarningCode, check, event_warnings
from kiosk.attendance.walkin import WalkIn, add_walk_in, clean
from kiosk.i18n import KioskError
from kiosk.people.kinds import PersonKind
from kiosk.store import Store

WIB = dt.timezone(dt.timedelta(hours=7))


def test_incomplete_lists_the_latest_abandon_of_each_who_never_checked_in(store, event, people):
    desk = Desk(store)
    for person, reason in ((people[0], Abandon.NEXT_SCAN), (people[1], Abandon.TIMED_OUT),
                           (people[2], Abandon.CANCELLED), (people[0], Abandon.TIMED_OUT)):
        desk.identify(person.nip)
        desk.abandon(person.nip, reason=reason)
    desk.check_in(people[2].nip)                               # came back and signed: no longer incomplete
    found = store.incomplete(event.id)
    assert [(i.person.nip, i.reason) for i in found] == [(people[0].nip, "timed_out"), (people[1].nip, "timed_out")]
    first = found[0].to_json()
    assert first["nip"] == people[0].nip and first["code"] is None and first["name"] == people[0].name
    assert first["reason"] == "timed_out" and dt.datetime.fromisoformat(first["scanned_at"]).tzinfo is not None
    other = store.create_event("Apel Kedua", "2024-11-05", "Aula", pledge=store.pledge(event.pledge_id))
    assert store.incomplete(other.id) == []                    # per event


def test_incomplete_carries_badge_codes_of_guests(store, event):
    guest = store.add_person("Ir. Tamu Bawaslu", kind=PersonKind.GUEST, institution="Bawaslu")
    desk = Desk(store)
    assert desk.identify(guest.nip).status == "identified"
    desk.abandon(guest.nip, reason=Abandon.CANCELLED)
    [row] = [i.to_json() for i in store.incomplete(event.id)]
    assert row["nip"] is None and row["code"] == guest.nip and row["unit"] == "Bawaslu" and row["kind"] == "guest"


def test_event_date_and_clock_behind_warnings(store, event, people):
    e = store.event(event.id)                                   # dated 2024-11-04
    on_the_day = dt.datetime(2024, 11, 4, 8, 0, tzinfo=WIB)
    assert check(e, on_the_day, None) == ()
    [w] = check(e, dt.datetime(2026, 12, 1, 8, 0, tzinfo=WIB), None)
    assert w.code == WarningCode.EVENT_DATE and "1 Desember 2026" in w.message and "4 November 2024" in w.message
    assert w.to_json()["code"] == "event-date"
    latest = dt.datetime(2024, 11, 4, 9, 30, tzinfo=dt.UTC)
    assert check(e, latest.astimezone(WIB) - CLOCK_TOLERANCE / 2, latest) == ()    # a little drift is fine
    [w] = check(e, dt.datetime(2024, 11, 4, 8, 0, tzinfo=WIB), latest)
    assert w.code == WarningCode.CLOCK_BEHIND and "16:30" in w.message          # shown in the laptop's offset
    from kiosk import i18n
    i18n.set_language("en")
    assert "earlier than the latest check-in" in w.message                      # rendered when shown
    i18n.set_language("id")
    Desk(store).check_in(people[0].nip)
    recorded = store.latest_checkin_at()
    assert recorded is not None
    behind = recorded - dt.timedelta(hours=3)
    codes = {w.code for w in event_warnings(store, e, behind)}
    assert WarningCode.CLOCK_BEHIND in codes


def test_status_json_gains_incomplete_and_warnings(ikrar, people):
    ikrar("demo")
    with Store(ikrar_db(ikrar)) as s:
        desk = Desk(s)
        nip = s.roster(s.active_event().id)[0].nip
        desk.identify(nip)
        desk.abandon(nip, reason=Abandon.TIMED_OUT)
        s.conn.execute("UPDATE events SET date = '2001-01-01'")
        s.conn.commit()
    code, out, _ = ikrar("status", "--json")
    data = json.loads(out)
    assert code == 0 and [(i["nip"], i["reason"]) for i in data["incomplete"]] == [(nip, "timed_out")]
    assert set(data["incomplete"][0]) >= {"nip", "code", "name", "scanned_at", "reason"}
    assert [w["code"] for w in data["warnings"]] == ["event-date"] and "1 Januari 2001" in data["warnings"][0]["message"]
    code, out, _ = ikrar("status")
    assert "BELUM tercatat" in out and "waktu habis" in out and "Peringatan:" in out
    code, out, _ = ikrar("--lang", "en", "status")
    assert "NOT recorded" in out and "timed out" in out and "Warning:" in out


def ikrar_db(ikrar):
    import os
    return os.environ["IKRAR_DB"]


def test_walk_in_guest_non_asn_and_nip(store, event, people):
    guest = add_walk_in(store, WalkIn("Dra. Wati \u202eUPK\u202c  Rahayu", PersonKind.GUEST, institution="KPU"))
    assert guest.kind == PersonKind.GUEST and guest.name == "Dra. Wati UPK Rahayu" and guest.institution == "KPU"
    assert store.roster_person(event.id, guest.nip) == guest
    staff = add_walk_in(store, WalkIn("Joko Honorer", PersonKind.NON_ASN, unit="Sekretariat"))
    assert staff.kind == PersonKind.NON_ASN and staff.code
    stranger = add_walk_in(store, WalkIn("Budi Dari Dinas Lain", nip="19900101 201903 1 001", unit="Dinas Lain"))
    assert stranger.nip == "199001012019031001" and stranger.kind == PersonKind.PNS
    assert Desk(store).identify(stranger.nip).status == "identified"
    other = store.create_event("Apel Kecamatan", "2024-11-06", "Aula", pledge=store.pledge(event.pledge_id))      # now active, empty roster
    again = add_walk_in(store, WalkIn("typed differently", nip=stranger.nip), event_id=other.id)
    assert again.name == "Budi Dari Dinas Lain"                              # a known person is not rewritten
    assert store.roster_person(other.id, stranger.nip) is not None
    listed = add_walk_in(store, WalkIn("", nip=people[3].nip), event_id=event.id)
    assert listed.nip == people[3].nip                                       # already on the list: that person
    with pytest.raises(KioskError) as bad:
        add_walk_in(store, WalkIn("X", nip="1968041119930310"))
    assert bad.value.code.startswith("nip.")
    with pytest.raises(KioskError) as empty:
        add_walk_in(store, WalkIn("\u200b \u202e", PersonKind.GUEST))
    assert empty.value.code == "people.name_missing"
    with pytest.raises(KioskError) as long:
        add_walk_in(store, WalkIn("A" * 201, nip="199105052020121002"))
    assert long.value.code == "people.name_too_long"
    with pytest.raises(KioskError):
        add_walk_in(store, WalkIn("Someone", PersonKind.PNS))
    actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log WHERE action LIKE 'person.%'")]
    assert actions == ["person.add", "person.add", "person.add", "person.enlist"]


def test_clean_drops_invisible_characters():
    assert clean(" a\u200bb\u202e c\td\n") == "ab c d"


def test_data_version_follows_other_connections(db_path, store, event, people):
    before = store.data_version()
    assert store.data_version() == before                      # nothing changed
    Desk(store).check_in(people[0].nip)
    assert store.data_version() == before                      # our own commit does not count
    other = sqlite3.connect(db_path)
    other.execute("INSERT INTO settings(key, value) VALUES ('other', '1')")
    other.commit()
    other.close()
    assert store.data_version() != before
