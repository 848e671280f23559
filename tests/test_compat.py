"""What the first release left on hall laptops keeps working: its database upgrades in place (everyone
on every event's roster, every signature still the one that was signed), and its export (format 1)
still verifies and merges beside this version's exports."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.attendance.checkin import Desk
from kiosk.ceremony import signature_codec
from kiosk.exchange.export import export_sqlite
from kiosk.exchange.files import open_export
from kiosk.exchange.merge import merge
from kiosk.exchange.verify import verify
from kiosk.people.kinds import PersonKind
from kiosk.security import keys, pin
from kiosk.store import SCHEMA_VERSION, Store

FIXTURES = Path(__file__).parent / "fixtures"
PEOPLE = ["197907121999021001", "196609071987041002", "199304162019011003", "198310212012051004",
          "196905161998041005", "197806132001021006", "197712012022211007", "199904192024102008"]


@pytest.fixture
def old_db(tmp_path) -> Path:
    path = tmp_path / "kiosk.db"
    shutil.copy(FIXTURES / "release-0.1-kiosk.db", path)
    return path


def test_the_release_database_upgrades_with_everyone_on_every_event(old_db):
    with sqlite3.connect(old_db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        before = conn.execute("SELECT checkin_uuid, sha256 FROM signatures ORDER BY checkin_uuid").fetchall()
    with Store(old_db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        first, second = store.events()
        for event in (first, second):
            assert sorted(p.nip for p in store.roster(event.id)) == sorted(PEOPLE)
        kinds = {p.nip: p.kind for p in store.roster(first.id)}
        assert kinds["197712012022211007"] is PersonKind.PPPK and kinds["199904192024102008"] is PersonKind.PNS
        # Every signature re-encoded compactly, still exactly the one its check-in names.
        rows = store.conn.execute("SELECT checkin_uuid, sha256, samples FROM signatures ORDER BY checkin_uuid")
        after = [(uid, sha) for uid, sha, samples in rows if signature_codec.decode(samples).sha256() == sha]
        assert after == before and len(after) == 3
        assert len(store.attendance(first.id)) == 3 and len(store.attendance(second.id)) == 1
        assert pin.verify_pin(store, "482915")
        # It carries on: a new check-in chains onto the old ones, and its export verifies.
        result = Desk(store, first).check_in(PEOPLE[5])
        assert result.status == "recorded"
        out = old_db.parent / "after.db"
        export_sqlite(store, first, out)
    report = verify(out)
    assert report.ok, [p.message for p in report.problems]
    assert report.checkins == 4 and report.present == 4 and report.people == 8


def test_a_failed_upgrade_leaves_the_database_as_it_was(old_db):
    with sqlite3.connect(old_db) as conn:
        conn.execute("UPDATE signatures SET sha256 = ? WHERE rowid = 1", ("0" * 64,))     # a damaged row
    before = old_db.read_bytes()
    from kiosk.i18n import KioskError
    with pytest.raises(KioskError) as info:
        Store(old_db)
    assert info.value.code == "store.upgrade_failed"
    with sqlite3.connect(old_db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM signatures WHERE strokes_json IS NOT NULL").fetchone()[0] == 3
    assert len(before) > 0


def test_the_release_export_still_verifies(tmp_path):
    path = tmp_path / "old-export.db"
    shutil.copy(FIXTURES / "release-0.1-export.db", path)
    assert open_export(path).version == 1
    report = verify(path)
    assert report.ok, [p.message for p in report.problems]
    assert (report.checkins, report.present, report.duplicates, report.people) == (3, 3, 0, 8)


def _fingerprint(export: Path) -> str:
    with sqlite3.connect(export) as conn:
        return keys.fingerprint(conn.execute("SELECT public_key FROM manifest WHERE kind = 'device'").fetchone()[0])


def test_the_release_export_merges_beside_this_versions_export(tmp_path, old_db):
    v1 = tmp_path / "old-export.db"
    shutil.copy(FIXTURES / "release-0.1-export.db", v1)
    organiser = Store(tmp_path / "organiser.db")
    master = tmp_path / "master.db"
    result = merge(organiser, [v1], master, admit=[_fingerprint(v1)])     # the clerk vouches for that laptop
    assert result["checkins"] == 3 and result["people"] == 8
    assert verify(master).ok
    # The same laptop, upgraded, exports again with one more check-in: it supersedes its format-1 copy.
    with Store(old_db) as store:
        event = store.events()[0]
        Desk(store, event).check_in(PEOPLE[6])
        v2 = tmp_path / "new-export.db"
        export_sqlite(store, event, v2)
    result = merge(organiser, [v2, v1], master)
    assert result["checkins"] == 4 and result["added"] == 1
    report = verify(master)
    assert report.ok, [p.message for p in report.problems]
    with sqlite3.connect(master) as conn:
        assert conn.execute("SELECT count(*) FROM signatures WHERE samples IS NOT NULL").fetchone()[0] == 3
        kinds = dict(conn.execute("SELECT nip, kind FROM people"))
    assert kinds["197712012022211007"] == "pppk" and kinds["199904192024102008"] == "pns"
    organiser.close()


def test_a_merged_file_can_carry_a_format_1_device_as_it_was_signed(tmp_path):
    v1 = tmp_path / "old-export.db"
    shutil.copy(FIXTURES / "release-0.1-export.db", v1)
    with Store(tmp_path / "organiser.db") as organiser:
        merge(organiser, [v1], tmp_path / "master.db", admit=[_fingerprint(v1)])
    with sqlite3.connect(tmp_path / "master.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        kinds = [r[0] for r in conn.execute("SELECT json_extract(body_json, '$.format_version') FROM manifest "
                                            "ORDER BY kind")]
        assert kinds == [1, 2]                          # the device's own manifest, then the merge's
        assert conn.execute("SELECT count(*) FROM signatures WHERE strokes_json IS NOT NULL").fetchone()[0] == 3
        conn.execute("UPDATE signatures SET strokes_json = replace(strokes_json, '\"x\":', '\"x\": ') "
                     "WHERE rowid = 1")
    report = verify(tmp_path / "master.db")
    assert not report.ok and any(p.field == "strokes_json" for p in report.problems)
