"""Sync to a real PostgreSQL server started for the tests (issue 5).

The server: initdb into a temporary folder (as the ``postgres`` user via ``runuser`` when running as
root), a free port, the unix socket in the same folder, stopped at the end.  Without the server
binaries the tests are skipped, except under CI, where that is a failure.
"""
from __future__ import annotations

import dataclasses
import datetime
import glob
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
from kiosk_pair import make_signature, organiser_of

from kiosk.attendance.checkin import Desk
from kiosk.exchange import merge, sync, sync_sources
from kiosk.exchange.export import export_sqlite
from kiosk.i18n import KioskError
from kiosk.store import Store

# --- a throwaway PostgreSQL server ---------------------------------------------------------------

def find_pg_bin() -> Path | None:
    """$IKRAR_PG_BIN, else the folder of initdb on PATH, else the newest /usr/lib/postgresql/*/bin."""
    candidates = [os.environ.get("IKRAR_PG_BIN", "")]
    on_path = shutil.which("initdb")
    candidates.append(str(Path(on_path).parent) if on_path else "")
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalPostgres:
    """initdb + pg_ctl in a temporary folder; ``url`` reaches it through its private unix socket."""

    def __init__(self, bindir: Path) -> None:
        self.bin = bindir
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        self.prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        self.dir = Path(tempfile.mkdtemp(prefix="ikrar-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@/postgres?host={self.dir}&port={self.port}"

    def _run(self, *args: str) -> None:
        subprocess.run(self.prefix + list(args), check=True, capture_output=True, timeout=120)

    def start(self) -> LocalPostgres:
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def database(self, name: str) -> str:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@/{name}?host={self.dir}&port={self.port}"


def _root_can_switch_user() -> bool:
    """As root, initdb must run as the ``postgres`` user (it refuses root), through runuser."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return True
    import pwd
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return shutil.which("runuser") is not None


def require_postgres() -> Path:
    bindir = find_pg_bin()
    missing = "PostgreSQL server binaries (initdb, pg_ctl) not found"
    if bindir is None or not _root_can_switch_user():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{missing} (or, as root, the postgres user or runuser), and CI is set: "
                        "install the postgresql package")
        pytest.skip(f"{missing} (or, as root, the postgres user or runuser): install the postgresql package "
                    "or set IKRAR_PG_BIN to its bin folder")
    return bindir


@pytest.fixture(scope="module")
def server():
    pg = LocalPostgres(require_postgres()).start()
    yield pg
    pg.stop()


@pytest.fixture
def url(server, request):
    return server.database("t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:50])


def central(url: str, sql: str, args: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchall()


def kiosk_checkins(store: Store) -> list[tuple]:
    return sorted(store.conn.execute(
        "SELECT c.uuid, c.nip, c.device_id, c.checked_in_at, c.row_hash, s.png FROM checkins c "
        "LEFT JOIN signatures s ON s.checkin_uuid = c.uuid").fetchall())


def central_checkins(url: str) -> list[tuple]:
    rows = central(url, "SELECT c.uuid::text, c.nip, c.device_id, c.checked_in_at, c.row_hash, s.png "
                        "FROM ikrar.checkins c LEFT JOIN ikrar.signatures s ON s.checkin_uuid = c.uuid")
    return sorted((u, n, d, at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", h,
                   bytes(p) if p is not None else None) for u, n, d, at, h, p in rows)


def counts(url: str) -> dict:
    return {t: central(url, f"SELECT count(*) FROM ikrar.{t}")[0][0]
            for t in ("pledges", "events", "people", "checkins", "signatures", "conflicts")}


# --- tests -------------------------------------------------------------------------------------

def test_sync_creates_the_schema_and_sends_everything_once(pair, url):
    report = sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url, batch_size=4)
    data = report.to_json()
    # Two events (the second with a copy of the roster), the check-ins of both, the scan log.
    assert data["ok"] and data["sent"] == {"pledge": 1, "event": 2, "person": 30, "roster": 60, "checkin": 9,
                                           "signature": 6, "scan": 10, "absence": 0}
    assert central(url, "SELECT version FROM ikrar.schema_migrations") == [(1,), (2,), (3,)]
    assert counts(url) == {"pledges": 1, "events": 2, "people": 30, "checkins": 9, "signatures": 6, "conflicts": 0}
    assert central_checkins(url) == kiosk_checkins(pair.a)
    again = sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url).to_json()
    assert again["ok"] and sum(again["sent"].values()) == 0 and again["batches"] == 0
    assert counts(url)["checkins"] == 9


def test_an_interrupted_sync_finishes_with_no_duplicates(pair, url):
    class PowerCut(Exception):
        pass

    def cut_after_first_checkin_batch(kind, number):
        if kind == "checkin" and number == 1:
            raise PowerCut

    with pytest.raises(PowerCut):
        sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url, batch_size=4,
                  on_batch=cut_after_first_checkin_batch)
    assert counts(url)["checkins"] == 4                          # the first batch committed centrally ...
    status = sync.status(pair.a, sync_sources.open_source(pair.a, None, None), url)
    assert status["unsent"]["checkin"] == 9                      # ... but the ledger never heard of it
    report = sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url, batch_size=4).to_json()
    assert report["ok"] and report["already"]["checkin"] == 4 and report["sent"]["checkin"] == 5
    assert counts(url)["checkins"] == 9 and counts(url)["signatures"] == 6 and counts(url)["conflicts"] == 0
    assert central_checkins(url) == kiosk_checkins(pair.a)
    status = sync.status(pair.a, sync_sources.open_source(pair.a, None, None), url)
    assert set(status["unsent"].values()) == {0}


def test_an_interrupted_sync_subprocess_killed_midway(pair, url, tmp_path):
    """A real process killed (SIGKILL) after its first batch of check-ins; the next run completes the job."""
    pair.a.close()
    script = tmp_path / "cut.py"
    script.write_text(
        "import os, signal, sys\n"
        "from kiosk.exchange import sync, sync_sources\nfrom kiosk.store import Store\n"
        "store = Store(sys.argv[1])\n"
        "def hook(kind, number):\n"
        "    if kind == 'checkin' and number == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "sync.push(store, sync_sources.open_source(store, None, None), sys.argv[2], batch_size=3, on_batch=hook)\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "a.db"), url], env=env, timeout=60)
    assert done.returncode == -9
    assert counts(url)["checkins"] == 6
    with Store(tmp_path / "a.db") as a:
        report = sync.push(a, sync_sources.open_source(a, None, None), url, batch_size=3).to_json()
        # The third batch is new.  The first two are at the centre already: the first is in the kiosk's ledger
        # when its writer thread committed it before the kill (it writes while the next batch travels and may
        # lag behind on a busy machine: sync_ledger.py), else it is sent again and found identical.
        assert report["sent"]["checkin"] == 3 and report["already"]["checkin"] in (3, 6), report
        assert central_checkins(url) == kiosk_checkins(a)
    pair.a = Store(tmp_path / "a.db")


def test_sync_from_a_merged_file_keeps_duplicates_visible(pair, url, tmp_path):
    ea = tmp_path / "a.x"
    eb = tmp_path / "b.x"
    export_sqlite(pair.a, pair.a.event(pair.event.id), ea)
    export_sqlite(pair.b, pair.b.event(pair.event.id), eb)
    with organiser_of(pair, tmp_path) as organiser:
        merge.merge(organiser, [ea, eb], tmp_path / "master.db")
        sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url)           # laptop a synced itself earlier
        report = sync.push(organiser, sync_sources.open_source(organiser, tmp_path / "master.db", None), url).to_json()
    assert report["ok"] and report["sent"]["checkin"] == 7 and report["already"]["checkin"] == 8
    with sqlite3.connect(tmp_path / "master.db") as conn:
        expected = sorted(conn.execute("SELECT uuid, duplicate_of FROM checkins").fetchall())
    flagged = central(url, "SELECT uuid::text, duplicate_of::text FROM ikrar.attendance "
                           "WHERE event_uuid = %s", (pair.event.uuid,))
    assert sorted(flagged) == expected and sum(1 for _, d in expected if d) == 3


def test_same_uuid_with_other_content_is_a_conflict_never_overwritten(pair, url):
    sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url)
    victim = pair.a.conn.execute("SELECT uuid FROM checkins ORDER BY id LIMIT 1").fetchone()[0]
    with psycopg.connect(url) as conn:                 # the central copy differs (edited there, or a forgery)
        conn.execute("UPDATE ikrar.checkins SET method = 'camera', content_sha256 = 'edited' WHERE uuid = %s",
                     (victim,))
    with pair.a.write() as conn:
        conn.execute("DELETE FROM sync_ledger")         # as if this kiosk had never synced
    report = sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url).to_json()
    assert not report["ok"] and report["conflicts"] == [{"kind": "checkin", "key": victim}]
    assert report["already"]["checkin"] == 8 and report["already"]["signature"] == 6   # identical: accepted
    assert central(url, "SELECT method FROM ikrar.checkins WHERE uuid = %s", (victim,)) == [("camera",)]
    again = sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url).to_json()
    assert again["conflicts"] == [{"kind": "checkin", "key": victim}]          # still reported, still kept
    rows = central(url, "SELECT kind, key, existing_sha256, incoming->>'nip' FROM ikrar.conflicts")
    assert len(rows) == 1 and rows[0][:3] == ("checkin", victim, "edited") and len(rows[0][3]) == 18
    assert sync.status(pair.a, sync_sources.open_source(pair.a, None, None), url)["conflicts"] == 1


def test_roster_changes_update_people_by_nip(pair, url):
    sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url)
    person = pair.people[3]
    pair.a.upsert_people([dataclasses.replace(person, unit="Dinas Baru")])
    report = sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url).to_json()
    assert report["sent"]["person"] == 1 and report["ok"]
    assert central(url, "SELECT unit FROM ikrar.people WHERE nip = %s", (person.nip,)) == [("Dinas Baru",)]
    report = sync.push(pair.b, sync_sources.open_source(pair.b, None, None), url).to_json()   # b has the old roster row
    assert report["kept_newer"] == 1 and report["ok"]
    assert central(url, "SELECT unit FROM ikrar.people WHERE nip = %s", (person.nip,)) == [("Dinas Baru",)]


def test_sync_and_status_commands(pair, url, ikrar, tmp_path, monkeypatch):
    db = pair.a.path
    code, out, _ = ikrar("--db", db, "sync", "--status", "--json")
    status = json.loads(out)
    assert code == 0 and status["synced_before"] is False and status["unsent"]["checkin"] == 9
    monkeypatch.setattr("kiosk.cli.progress.DELAY", 0.0)      # show progress at once, every line into a file
    monkeypatch.setattr("kiosk.cli.progress.EVERY_FILE", 0.0)
    code, out, err = ikrar("--db", db, "sync", "--to", url, "--batch-size", "5", "--json")
    data = json.loads(out)                                       # stdout is the JSON alone, progress on stderr
    assert code == 0 and data["sent"]["checkin"] == 9 and "password" not in out and data["rows_per_s"] > 0
    lines = err.splitlines()
    total = sum(data["sent"].values())
    assert len(lines) == data["batches"] and lines[-1].endswith(f"{total}/{total} (100%)"), err
    assert all(line.startswith("Mengirim ke ") for line in lines) and "password" not in err
    code, out, _ = ikrar("--db", db, "sync", "--status")
    assert code == 0 and "0 check-in" in out
    code, out, _ = ikrar("--db", db, "sync", "--status", "--to", url.replace("/t_", "/other_"), "--json")
    assert json.loads(out)["unsent"]["checkin"] == 9                        # another target: nothing sent there
    code, out, _ = ikrar("--db", db, "--lang", "en", "sync", "--to", url)
    assert code == 0 and out.startswith("Sync to")
    code, _, err = ikrar("--db", db, "sync")
    assert code == 1 and "--to" in err
    Desk(pair.b, pair.b.event(pair.event.id)).check_in(pair.people[20].nip, signature=make_signature(20))
    code, out, _ = ikrar("--db", pair.b.path, "sync", "--to", url, "--json")
    assert code == 0 and json.loads(out)["sent"]["checkin"] == 8


def test_sync_refuses_a_tampered_file_and_a_dead_server(pair, url, tmp_path, ikrar):
    bad = tmp_path / "bad.x"
    export_sqlite(pair.a, pair.a.event(pair.event.id), bad)
    with sqlite3.connect(bad) as conn:
        conn.execute("UPDATE checkins SET nip = (SELECT max(nip) FROM people) WHERE seq = 1")
    code, out, _ = ikrar("--db", tmp_path / "org.db", "sync", "--to", url, "--from", bad, "--json")
    assert code == 1 and json.loads(out)["code"] == "sync.refused"
    assert central(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ikrar'") == [(0,)]
    dead = f"postgresql://postgres@/nothing?host={tmp_path}&port={free_port()}"
    code, out, _ = ikrar("--db", pair.a.path, "sync", "--to", dead, "--json")
    assert code == 1 and json.loads(out)["code"] == "sync.connect"


def test_a_newer_central_schema_is_refused(pair, url):
    sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url)
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO ikrar.schema_migrations (version) VALUES (99)")
    with pytest.raises(KioskError) as info:
        sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url)
    assert info.value.code == "sync.server_newer"


def test_a_central_database_synced_by_the_first_release_upgrades_without_conflicts(server, url, tmp_path):
    """The server the first release filled (tests/fixtures/release-0.1-central.sql, from a copy of
    release-0.1-kiosk.db) is migrated in place; that kiosk, upgraded, sends all again and every row is
    recognised as already there: no conflict, no duplicate, people given their kind."""
    fixtures = Path(__file__).parent / "fixtures"
    psql = shutil.which("psql") or str(server.bin / "psql")
    subprocess.run([psql, "-q", "-v", "ON_ERROR_STOP=1", "-d", url,
                    "-f", str(fixtures / "release-0.1-central.sql")], check=True, capture_output=True, timeout=60)
    assert central(url, "SELECT max(version) FROM ikrar.schema_migrations") == [(1,)]
    before = counts(url)
    shutil.copy(fixtures / "release-0.1-kiosk.db", tmp_path / "kiosk.db")
    with Store(tmp_path / "kiosk.db") as store:
        report = sync.push(store, sync_sources.open_source(store, None, None), url).to_json()
    assert report["ok"], report
    assert counts(url)["conflicts"] == 0
    assert {k: v for k, v in counts(url).items() if k != "conflicts"} == \
        {k: v for k, v in before.items() if k != "conflicts"}
    for kind in ("pledge", "event", "person", "checkin", "signature"):
        assert report["sent"][kind] == 0 and report["already"][kind] > 0, (kind, report)
    kinds = dict(central(url, "SELECT nip, kind FROM ikrar.people"))
    assert kinds["197712012022211007"] == "pppk" and kinds["199904192024102008"] == "pns"


@pytest.mark.parametrize("probe", [16, 0], ids=["probed", "unprobed"])
def test_second_kiosk_roster_there(pair, url, monkeypatch, probe):
    """b, a clone of a, holds the same pledge, event and people: after a's sync they are already there.
    Unprobed, b's batches first try to go straight into the tables, meet a's rows and fall back to the
    staging table in the same transaction: nothing doubled, nothing called a conflict."""
    assert sync.push(pair.a, sync_sources.open_source(pair.a, None, None), url).to_json()["ok"]
    monkeypatch.setattr(sync, "PROBE", probe)
    report = sync.push(pair.b, sync_sources.open_source(pair.b, None, None), url).to_json()
    assert report["ok"] and report["conflicts"] == []
    assert report["already"]["person"] == 30 and report["sent"]["person"] == 0
    assert report["already"]["pledge"] == 1 and report["already"]["event"] == 1
    assert report["sent"]["checkin"] == 7 and report["already"]["checkin"] == 0
    assert counts(url) == {"pledges": 1, "events": 2, "people": 30, "checkins": 16, "signatures": 11,
                           "conflicts": 0}


def test_absences_and_the_scan_log_reach_the_centre_from_a_kiosk_and_a_merged_file(pair, url, tmp_path):
    """Reasons for absence stated on two laptops (one restated later) and every scan, refused ones too,
    arrive once each, whether a kiosk sends them itself or the organiser sends the merged file."""
    a, b = pair.a, pair.b
    a.set_absence(pair.people[25].nip, "sakit", "surat dokter", event_id=pair.event.id)
    b.set_absence(pair.people[26].nip, "dinas-luar", event_id=pair.event.id)
    b.set_absence(pair.people[25].nip, "izin", "menyusul", event_id=pair.event.id)      # b's later word on 25
    ea, eb = tmp_path / "a.x", tmp_path / "b.x"
    export_sqlite(a, a.event(pair.event.id), ea)
    export_sqlite(b, b.event(pair.event.id), eb)
    assert sync.push(a, sync_sources.open_source(a, None, None), url).to_json()["sent"]["absence"] == 1
    with organiser_of(pair, tmp_path) as organiser:
        merge.merge(organiser, [ea, eb], tmp_path / "master.db")
        report = sync.push(organiser, sync_sources.open_source(organiser, tmp_path / "master.db", None), url).to_json()
    assert report["ok"] and report["sent"]["absence"] == 2 and report["already"]["absence"] == 1
    reasons = central(url, "SELECT nip, reason, note FROM ikrar.absence_reasons WHERE event_uuid = %s ORDER BY nip",
                      (pair.event.uuid,))
    assert reasons == sorted([(pair.people[25].nip, "izin", "menyusul"), (pair.people[26].nip, "dinas-luar", "")])
    with sqlite3.connect(tmp_path / "master.db") as conn:
        scans = conn.execute("SELECT count(*), sum(reason <> 'recorded') FROM scan_log").fetchone()
    assert central(url, "SELECT count(*), count(*) FILTER (WHERE reason <> 'recorded') FROM ikrar.scan_log "
                        "WHERE event_uuid = %s", (pair.event.uuid,)) == [scans]
    assert scans[1] >= 2                                   # the unreadable badge and the NIP not on the roster
