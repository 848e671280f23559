"""A merged file is a first-class database: the clerk lists the final attendance, the status, the
absent and a signature from it; a check-in into it is refused, saying it is a merged file.
And every command ends quietly when its reader closes the pipe."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from kiosk_pair import build_pair, make_signature, organiser_of

from kiosk.ceremony.signature import Signature
from kiosk.exchange.export import export_sqlite
from kiosk.exchange.merge import merge


@pytest.fixture
def merged(tmp_path):
    pair = build_pair(tmp_path)
    pair.a.set_absence(pair.people[25].nip, "dinas-luar", "ke Jakarta", event_id=pair.event.id)
    ea, eb = tmp_path / "a.x", tmp_path / "b.x"
    export_sqlite(pair.a, pair.a.event(pair.event.id), ea)
    export_sqlite(pair.b, pair.b.event(pair.event.id), eb)
    with organiser_of(pair, tmp_path) as organiser:
        merge(organiser, [ea, eb], tmp_path / "hadir-apel.db")
    yield pair, tmp_path / "hadir-apel.db"
    pair.a.close()
    pair.b.close()


def test_attendance_status_and_absences_come_from_the_merged_file(merged, ikrar):
    pair, master = merged
    code, out, err = ikrar("--db", master, "attendance", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 12 and len({r["nip"] for r in rows}) == 12           # the earliest of each person
    assert {r["kind"] for r in rows} <= {"pns", "pppk"} and all("rank" in r for r in rows)
    code, out, _ = ikrar("--db", master, "status", "--json")
    status = json.loads(out)
    assert code == 0 and (status["present"], status["roster"]) == (12, 30)
    code, out, _ = ikrar("--db", master, "absence", "list", "--json")
    absent = {r["nip"]: r for r in json.loads(out)}
    assert len(absent) == 18 and absent[pair.people[25].nip]["reason"] == "dinas-luar"
    assert absent[pair.people[26].nip]["reason"] == "tanpa-keterangan"
    code, out, _ = ikrar("--db", master, "roster", "find", pair.people[3].nip[:10], "--json")
    assert code == 0 and pair.people[3].nip in [p["nip"] for p in json.loads(out)]


def test_a_signature_comes_back_sample_for_sample_from_either_database(merged, ikrar, tmp_path):
    pair, master = merged
    signed = pair.people[0].nip                                           # make_signature(0), on kiosk a
    for db in (pair.a.path, master):
        code, out, err = ikrar("--db", db, "signature", signed, "--json")
        assert code == 0, err
        assert Signature.from_json(json.loads(out)) == make_signature(0)
    code, out, _ = ikrar("--db", master, "signature", signed)
    assert code == 0 and make_signature(0).sha256() in out
    code, _, err = ikrar("--db", master, "signature", pair.people[1].nip)   # checked in without signing
    assert code == 1 and "tidak punya tanda tangan" in err
    code, _, _ = ikrar("--db", master, "signature", signed, "--png", tmp_path / "ttd.png")
    assert code == 0 and (tmp_path / "ttd.png").read_bytes().startswith(b"\x89PNG")
    # The JSON is exactly what a check-in takes: given back to `checkin --signature`, it hashes the same.
    (tmp_path / "ttd.json").write_text(ikrar("--db", master, "signature", signed, "--json")[1])
    code, out, _ = ikrar("--db", pair.b.path, "checkin", pair.people[29].nip, "--signature", tmp_path / "ttd.json",
                         "--json")
    assert code == 0
    again = json.loads(ikrar("--db", pair.b.path, "signature", pair.people[29].nip, "--json")[1])
    assert Signature.from_json(again).sha256() == make_signature(0).sha256()


def test_a_check_in_into_the_merged_file_is_refused(merged, ikrar):
    pair, master = merged
    before = master.read_bytes()
    code, _, err = ikrar("--db", master, "checkin", pair.people[20].nip)
    assert code == 1 and "berkas ekspor atau gabungan" in err
    code, _, err = ikrar("--db", master, "absence", "set", pair.people[20].nip, "--reason", "sakit")
    assert code == 1 and "berkas ekspor atau gabungan" in err
    assert master.read_bytes() == before


@pytest.mark.parametrize("command", [["attendance", "--json"], ["absence", "list"], ["--help"]])
def test_a_closed_pipe_ends_quietly(merged, tmp_path, command):
    """``ikrar attendance --json | head``: the reader is gone before the first line is written."""
    pair, master = merged
    err = tmp_path / "err.txt"
    args = " ".join(command)
    subprocess.run(f"{sys.executable} -m ui --db {master} {args} 2>{err} | true", shell=True, timeout=60,
                   check=True)
    assert err.read_text() == ""
