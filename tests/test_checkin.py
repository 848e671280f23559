import pytest

from kiosk import i18n
from kiosk.attendance.checkin import Desk, payload_shape
from kiosk.i18n import KioskError


def scan_log(store):
    return [dict(zip(("reason", "code", "nip", "method", "payload_shape"), r)) for r in store.conn.execute(
        "SELECT reason, code, nip, method, payload_shape FROM scan_log ORDER BY id")]


def test_recorded_then_duplicate_with_the_first_time(store, event, people):
    desk = Desk(store)
    p = people[0]
    first = desk.check_in(f"NIP. {p.nip}\r\n")
    assert first.status == "recorded" and first.name == p.name and first.unit == p.unit
    assert first.checked_in_at.tzinfo is not None and first.checkin_uuid
    again = desk.check_in(p.nip)
    assert again.status == "duplicate" and again.checked_in_at == first.checked_in_at
    assert again.checkin_uuid == first.checkin_uuid and "sudah tercatat" in again.message
    assert store.count_present(event.id) == 1
    assert [r["reason"] for r in scan_log(store)] == ["recorded", "duplicate"]


def test_unknown_and_invalid_are_logged_and_record_nothing(store, event):
    desk = Desk(store)
    unknown = desk.check_in("199001012019031001")
    assert unknown.status == "unknown" and "19900101 201903 1 001" in unknown.message
    invalid = desk.check_in("1968041119930310")
    assert invalid.status == "invalid" and invalid.code == "nip.length"
    assert store.conn.execute("SELECT count(*) FROM checkins").fetchone()[0] == 0
    assert [(r["reason"], r["code"]) for r in scan_log(store)] == [("unknown", "checkin.unknown"),
                                                                    ("invalid", "nip.length")]


def test_scan_log_carries_no_names(store, event, people):
    desk = Desk(store)
    desk.check_in('{"nip": "%s", "nama": "Budi Santoso"}' % people[0].nip)
    desk.check_in('{"nama": "Siti Aminah"}')
    dump = "\n".join(store.conn.iterdump())
    scan_rows = str(scan_log(store))
    assert "Budi" not in scan_rows and "Siti" not in scan_rows and "Aminah" not in dump


def test_payload_shape_hides_letters_and_digits():
    assert payload_shape("\x02NIP. 19680411 199303 1 009\r") == "\\x02aaa. 99999999 999999 9 999\\x0d"


def test_payload_shape_hides_digits_of_every_script():
    arabic_indic = "".join(chr(0x660 + int(d)) for d in "196804111993031009")
    assert payload_shape(arabic_indic) == "9" * 18                   # the scan log never keeps a NIP
    assert payload_shape("ＮＩＰ１９６８") == "aaa9999" and payload_shape("١٩ رقم") == "99 aaa"


def test_two_step_flow_identify_then_record(store, event, people):
    desk = Desk(store)
    found = desk.identify(people[1].nip)
    assert found.status == "identified" and found.name == people[1].name
    assert scan_log(store) == []                     # logged when recorded or abandoned
    done = desk.record(found.nip)
    assert done.status == "recorded"
    assert desk.record(found.nip).status == "duplicate"   # a second confirm cannot record twice
    desk.identify(people[2].nip)
    desk.abandon(people[2].nip)
    assert [r["reason"] for r in scan_log(store)] == ["recorded", "duplicate", "abandoned"]


def test_checkin_survives_reopening_the_file(db_path, event, people, store):
    Desk(store).check_in(people[0].nip)
    from kiosk.store import Store
    with Store(db_path) as again:
        assert [r.nip for r in again.attendance(event.id)] == [people[0].nip]


def test_pledge_hash_recorded_with_each_checkin(store, event, people):
    Desk(store).check_in(people[0].nip)
    recorded = store.conn.execute("SELECT pledge_sha256 FROM checkins").fetchone()[0]
    assert recorded == store.pledge(event.pledge_id).sha256


def test_bad_method_refused(store, event, people):
    with pytest.raises(KioskError):
        Desk(store).check_in(people[0].nip, method="carrier-pigeon")


def test_english_messages(store, event, people):
    i18n.set_language("en")
    result = Desk(store).check_in(people[0].nip)
    assert result.message.startswith("Attendance of")
