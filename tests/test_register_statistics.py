"""The attendance register (everyone on the roster, present or not) and the figures the desk charts,
from a real kiosk database and from its export."""
from __future__ import annotations

import datetime as _dt

from desk_data import MORNING, build_hall

from kiosk.documents.statistics import statistics
from kiosk.exchange.export import export_sqlite
from kiosk.exchange.reader import ExportReader
from kiosk.people.kinds import AbsenceReason, PersonKind
from kiosk.store.register import register


def test_the_register_lists_everyone_with_their_first_check_in_and_reasons(tmp_path):
    with build_hall(tmp_path / "k.db", staff=20, non_asn=4, present=12) as store:
        event = store.active_event()
        rows = register(store, event.id)
        assert len(rows) == store.count_people(event.id) == 28
        present = [r for r in rows if r.present]
        assert len(present) == store.count_present(event.id)
        assert all(r.signed and r.checkins == 1 and r.method in ("wedge", "manual") for r in present)
        absent = [r for r in rows if not r.present and r.person.kind is not PersonKind.GUEST]
        stated = {r.person.nip: r.reason for r in absent if r.absence is not None}
        assert sorted(stated.values()) == sorted([AbsenceReason.DINAS_LUAR, AbsenceReason.SAKIT,
                                                 AbsenceReason.CUTI])
        assert {r.reason for r in absent if r.absence is None} == {AbsenceReason.TANPA_KETERANGAN}
        assert all(r.reason is None for r in rows if r.person.kind is PersonKind.GUEST)

        # A second kiosk's check-in of someone already present (as a merged file holds them): counted, not listed.
        first = present[0]
        later = first.checked_in_at + _dt.timedelta(minutes=3)
        with store.write() as conn:
            store.insert_checkin(conn, event_id=event.id, nip=first.person.nip, method="wedge", moment=later,
                                 pledge_sha256=store.pledge_sha256(event.pledge_id))
        again = {r.person.nip: r for r in register(store, event.id)}
        assert again[first.person.nip].checkins == 2
        assert again[first.person.nip].checked_in_at == first.checked_in_at
        assert len(again) == 28


def test_an_export_gives_the_same_register(tmp_path):
    with build_hall(tmp_path / "k.db", staff=12, non_asn=2, present=8) as store:
        event = store.active_event()
        expected = [(r.person.nip, r.present, r.reason) for r in register(store, event.id)]
        export_sqlite(store, event, tmp_path / "export.db")
    with ExportReader(tmp_path / "export.db") as reader:
        got = [(r.person.nip, r.present, r.reason) for r in register(reader, reader.active_event().id)]
    assert sorted(got) == sorted(expected)


def test_statistics_count_units_kinds_minutes_and_the_absent(tmp_path):
    with build_hall(tmp_path / "k.db", staff=30, non_asn=4, present=22) as store:
        rows = register(store, store.active_event().id)
    s = statistics(rows)
    staff = [r for r in rows if r.person.kind is not PersonKind.GUEST]
    assert s.participants == len(staff) == 34
    assert s.present == sum(r.present for r in staff)
    assert s.absent == s.participants - s.present and 0 < s.share_absent < 1
    assert s.guests == 4 and s.guests_present == 4
    assert sum(c.expected for c in s.units) == s.participants
    assert sum(c.present for c in s.units) == s.present
    assert [c.label for c in s.units] == sorted((c.label for c in s.units), key=str.casefold)
    assert [c.label for c in s.kinds] == ["pns", "pppk", "non-asn"]
    assert sum(c.expected for c in s.kinds) == s.participants
    assert sum(n for _, n in s.reasons) == s.absent
    assert dict(s.reasons)[AbsenceReason.SAKIT] == 1
    # Every minute from the first arrival to the last, quiet ones as zero; everyone present counted once.
    minutes = [m for m, _ in s.arrivals]
    assert all(b - a == _dt.timedelta(minutes=1) for a, b in zip(minutes, minutes[1:]))
    assert sum(n for _, n in s.arrivals) == sum(r.present for r in rows)
    assert minutes[0] >= MORNING.replace(tzinfo=None) and minutes[0].second == 0
    assert s.peak is not None and s.peak[1] == max(n for _, n in s.arrivals)


def test_statistics_of_nobody_and_of_a_wrong_clock():
    s = statistics([])
    assert (s.participants, s.present, s.share_absent, s.arrivals, s.peak) == (0, 0, 0.0, (), None)
    from kiosk.store.records import Person
    from kiosk.store.register import RegisterRow
    tz = _dt.timezone(_dt.timedelta(hours=7))
    a = RegisterRow(Person("196804111993031009", "A", "", "X"), _dt.datetime(2024, 11, 4, 7, 0, tzinfo=tz), "wedge")
    b = RegisterRow(Person("198503152010012003", "B", "", "X"), _dt.datetime(2025, 1, 1, 7, 0, tzinfo=tz), "wedge")
    s = statistics([a, b])
    assert [n for _, n in s.arrivals] == [1, 1]          # a year apart: not filled minute by minute
