from kiosk.attendance.checkin import Desk
from kiosk.ceremony import pledge


def test_recent_checkins_newest_first(store, event, people):
    desk = Desk(store)
    for p in people[:7]:
        desk.check_in(p.nip)
    recent = store.recent_checkins(event.id, 5)
    assert [r.nip for r in recent] == [p.nip for p in reversed(people[2:7])]


def test_new_pledge_version_keeps_old_signatures_pointing_to_theirs(store, event, people):
    desk = Desk(store)
    desk.check_in(people[0].nip)
    old_sha = store.pledge(event.pledge_id).sha256
    t = pledge.load_template("pemilu-2024")
    edited = pledge.render(t, {"instansi": "Kota Baru"})
    store.set_event_pledge(event.id, edited)
    Desk(store).check_in(people[1].nip)
    hashes = [r[0] for r in store.conn.execute("SELECT pledge_sha256 FROM checkins ORDER BY id")]
    assert hashes == [old_sha, edited.sha256]
    assert [v[1] for v in store.pledge_versions()] == [old_sha, edited.sha256]


def test_scan_activity_counts_recent_refusals(store, event, people):
    import datetime as dt

    from kiosk.store import now
    desk = Desk(store)
    assert store.scan_activity(event.id, now()).last_scan is None
    start = now() - dt.timedelta(seconds=1)
    desk.check_in(people[0].nip)
    desk.check_in(people[0].nip)
    desk.check_in("199001012019031001")
    desk.check_in("x")
    a = store.scan_activity(event.id, start)
    assert (a.unknown, a.invalid, a.duplicate) == (1, 1, 1) and a.last_scan is not None
    assert store.scan_activity(event.id, now() + dt.timedelta(minutes=1)).unknown == 0
