import json
import subprocess
import sys

import pytest

from kiosk.cli import main


def as_json(out):
    return json.loads(out)


def test_event_create_list_activate(ikrar):
    code, out, _ = ikrar("event", "create", "--title", "Apel Ikrar", "--date", "2024-11-04", "--venue", "Ruang Pola",
                         "--set", "instansi=Pemerintah Kota Uji", "--json")
    first = as_json(out)
    assert code == 0 and first["id"] == 1 and first["active"] and len(first["pledge_sha256"]) == 64
    ikrar("event", "create", "--title", "Apel Dua", "--date", "2024-11-05", "--pledge", "pilkada-2020")
    code, out, _ = ikrar("event", "activate", "1", "--json")
    assert code == 0
    events = as_json(ikrar("event", "list", "--json")[1])
    assert [(e["id"], e["active"]) for e in events] == [(1, True), (2, False)]
    shown = as_json(ikrar("pledge", "show", "--json")[1])
    assert shown["key"] == "pemilu-2024" and len(shown["units"]) == 7
    assert "Pemerintah Kota Uji" in shown["units"][1] and shown["sha256"] == first["pledge_sha256"]


def test_bad_event_input_is_refused_with_exit_1(ikrar):
    code, _, err = ikrar("event", "create", "--title", "Apel", "--date", "4/11/2024")
    assert code == 1 and "YYYY-MM-DD" in err
    code, _, err = ikrar("event", "create", "--title", "Apel", "--date", "2024-11-04", "--pledge", "nope")
    assert code == 1 and "pemilu-2024" in err
    assert as_json(ikrar("event", "list", "--json")[1]) == []


def test_usage_error_exits_2(ikrar):
    with pytest.raises(SystemExit) as info:
        main(["event", "create", "--title", "x"])
    assert info.value.code == 2


def test_nip_command(ikrar):
    code, out, _ = ikrar("nip", "200012312024211001", "--json")
    assert code == 0 and as_json(out) == {"valid": True, "nip": "200012312024211001", "kind": "PPPK",
                                          "birth_date": "2000-12-31", "gender": "M", "error": None}
    code, out, _ = ikrar("nip", "196804111993131009", "--json")
    data = as_json(out)
    assert code == 1 and data["valid"] is False and "Bulan" in data["error"]
    code, out, _ = ikrar("--lang", "en", "nip", "196804111993131009")
    assert code == 1 and "month" in out


def test_checkin_attendance_status(ikrar, people):
    ikrar("demo")
    found = as_json(ikrar("roster", "find", people[0].nip[:10], "--json")[1])
    nip = found[0]["nip"]
    code, out, _ = ikrar("checkin", f"NIP. {nip}", "--json")
    data = as_json(out)
    assert code == 0 and data["status"] == "recorded" and data["nip"] == nip and data["checked_in_at"]
    code, out, _ = ikrar("checkin", nip, "--json")
    assert code == 0 and as_json(out)["status"] == "duplicate"
    code, out, _ = ikrar("checkin", "199001012019031001", "--json")
    assert code == 1 and as_json(out)["status"] == "unknown"
    code, out, _ = ikrar("checkin", "not a badge", "--json")
    assert code == 1 and as_json(out)["status"] == "invalid"
    rows = as_json(ikrar("attendance", "--json")[1])
    assert rows == [{**found[0], "checked_in_at": data["checked_in_at"], "method": "manual", "signed": False}]
    assert rows[0]["kind"] in ("pns", "pppk") and rows[0]["code"] is None and "rank" in rows[0]
    status = as_json(ikrar("status", "--json")[1])
    assert status["present"] == 1 and status["roster"] == 60 and status["event"]["id"] == 1


def test_roster_find_needs_three_characters(ikrar):
    ikrar("demo")
    code, _, err = ikrar("roster", "find", "ab")
    assert code == 1 and "3" in err


def test_commands_refuse_a_foreign_db_untouched(tmp_path, ikrar):
    bogus = tmp_path / "daftar.xlsx"
    bogus.write_bytes(b"PK\x03\x04 not a database at all" * 10)
    before = bogus.read_bytes()
    code, out, _ = ikrar("--db", bogus, "status", "--json")
    assert code == 1 and as_json(out)["code"] == "store.not_sqlite" and bogus.read_bytes() == before


def test_db_option_after_the_command(tmp_path, ikrar):
    path = tmp_path / "after.db"
    code, _, _ = ikrar("demo", "--db", path)
    assert code == 0 and path.exists()


def test_console_script_and_module_entry(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kiosk", "--db", str(tmp_path / "m.db"), "nip",
                             "19680411 199303 1 009", "--json"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and json.loads(result.stdout)["kind"] == "PNS"


def _write_cp1252_csv(path, rows):
    text = "DAFTAR PEGAWAI,,,\r\nNIP,Nama,Jabatan,Unit Kerja\r\n" + "".join(
        f'{nip},"{name}",{job},{unit}\r\n' for nip, name, job, unit in rows)
    path.write_bytes(text.encode("cp1252"))


def test_roster_import_is_all_or_nothing_then_skip_invalid(tmp_path, ikrar):
    ikrar("event", "create", "--title", "Apel", "--date", "2024-11-04")
    good = [("196804111993031009", "Drs. Sukarsih, M.Si.", "Kepala Bidang", "BKPSDM"),
            ("200012312024211001", "Ägnes Wibowo", "Pranata Komputer", "Diskominfo")]
    bad = [("1,96804E+17", "Budi", "Staf", "Setda"), ("196804111993031009", "Kembar", "Staf", "Setda")]
    roster = tmp_path / "pegawai.csv"
    _write_cp1252_csv(roster, good + bad)
    code, out, _ = ikrar("roster", "import", roster, "--json")
    report = as_json(out)
    assert code == 1 and report["ok"] is False and report["added"] == 0
    assert sorted(p["line"] for p in report["problems"]) == [3, 5, 6]     # line 3 and 6 share a NIP
    assert as_json(ikrar("status", "--json")[1])["roster"] == 0             # nothing written
    code, out, _ = ikrar("roster", "import", roster, "--skip-invalid")
    assert code == 0 and "1 baru" in out and "baris 5" in out
    found = as_json(ikrar("roster", "find", "gnes", "--json")[1])
    assert [{k: p[k] for k in ("nip", "code", "kind", "name", "position", "unit")} for p in found] == [
        {"nip": "200012312024211001", "code": None, "kind": "pppk", "name": "Ägnes Wibowo",
         "position": "Pranata Komputer", "unit": "Diskominfo"}]


def test_roster_reimport_updates_in_place(tmp_path, ikrar):
    ikrar("event", "create", "--title", "Apel", "--date", "2024-11-04")
    roster = tmp_path / "pegawai.csv"
    _write_cp1252_csv(roster, [("196804111993031009", "Sukarsih", "Staf", "Setda")])
    assert ikrar("roster", "import", roster)[0] == 0
    _write_cp1252_csv(roster, [("196804111993031009", "Sukarsih", "Kepala Seksi", "BKPSDM"),
                               ("200012312024211001", "Agnes", "Staf", "Setda")])
    code, out, _ = ikrar("roster", "import", roster, "--json")
    report = as_json(out)
    assert code == 0 and (report["added"], report["updated"], report["unchanged"]) == (1, 1, 0)
    assert as_json(ikrar("roster", "find", "1968041119", "--json")[1])[0]["unit"] == "BKPSDM"


def test_roster_file_refused_whole_with_a_reason(tmp_path, ikrar):
    roster = tmp_path / "lama.csv"
    roster.write_text("NIP Lama;Nama\n010203040;Budi\n", encoding="utf-8")
    code, _, err = ikrar("roster", "import", roster)
    assert code == 1 and "NIP" in err
    code, _, err = ikrar("roster", "import", tmp_path / "tidak-ada.xlsx")
    assert code == 1 and "tidak-ada.xlsx" in err


def test_checkin_with_a_signature_file(tmp_path, ikrar, people):
    ikrar("demo")
    nip = people[0].nip
    strokes = [[{"x": 40 + i * 4, "y": 120 + 40 * ((i % 10) / 10), "t": i * 10, "p": 0.5} for i in range(80)]]
    sig = tmp_path / "ttd.json"
    sig.write_text(json.dumps({"width": 600, "height": 240, "strokes": strokes}), encoding="utf-8")
    code, out, _ = ikrar("checkin", nip, "--signature", sig, "--json")
    assert code == 0 and as_json(out)["status"] == "recorded"
    assert as_json(ikrar("attendance", "--json")[1])[0]["signed"] is True
    dot = tmp_path / "titik.json"
    dot.write_text(json.dumps({"width": 600, "height": 240, "strokes": [[{"x": 5, "y": 5, "t": 0}]]}))
    code, _, err = ikrar("checkin", people[1].nip, "--signature", dot)
    assert code == 1 and err
    assert len(as_json(ikrar("attendance", "--json")[1])) == 1            # the refused one wrote nothing


def test_desktop_shortcut_entry_points_pass_their_arguments(monkeypatch, tmp_path):
    from ui import commands as cli
    seen = []
    monkeypatch.setattr(cli, "main", lambda argv=None: seen.append(argv) or 0)
    monkeypatch.setattr("sys.argv", ["ikrar-kiosk", "--windowed", "--db", str(tmp_path / "k.db")])
    assert cli.kiosk_main() == 0
    monkeypatch.setattr("sys.argv", ["ikrar-display", "--screen", "1"])
    assert cli.display_main() == 0
    assert seen == [["kiosk", "--windowed", "--db", str(tmp_path / "k.db")], ["display", "--screen", "1"]]
