"""Who attends (issue 10) through the command line, on a real database file and real roster files:
a roster per event, non-ASN staff with masked NIKs and badge codes, guests, removals, and why the
absent were absent.  Every refusal says what is wrong and writes nothing."""
from __future__ import annotations

import json
import sqlite3

import pytest

NIP_BUDI, NIP_SARI, NIP_JOKO = "199001012019031001", "199202022020122002", "198503032010011003"
NIK_ANDI = "7318014506900003"


@pytest.fixture
def files(tmp_path):
    """An ASN roster as an office's Excel saves it (Windows-1252, BOM-less, semicolons, a title row) and a
    non-ASN list as UTF-8 with a BOM."""
    asn = tmp_path / "pegawai.csv"
    asn.write_bytes(("DAFTAR PEGAWAI DINAS KOMUNIKASI\r\n"
                     "NIP;Nama;Gelar Belakang;Pangkat;Golongan;Jabatan;Unit Kerja\r\n"
                     f"{NIP_BUDI};Budi Santoso;S.Kom.;Penata Muda;III/a;Pranata Komputer;Bidang Aplikasi\r\n"
                     f"{NIP_SARI};Sari Dewi;;;;Analis Keuangan;Sekretariat\r\n"
                     f"{NIP_JOKO};Joko Pramono;;Pembina;IV/a;Kepala Bidang;Bidang Aplikasi\r\n").encode("cp1252"))
    smaller = tmp_path / "pegawai-baru.csv"
    smaller.write_bytes(("NIP;Nama;Unit Kerja\r\n"
                         f"{NIP_BUDI};Budi Santoso;Bidang Aplikasi\r\n"
                         f"{NIP_SARI};Sari Dewi;Sekretariat\r\n").encode("cp1252"))
    non_asn = tmp_path / "honorer.csv"
    non_asn.write_text(f"Nama;NIK;Status;Unit Kerja\nAndi Wijaya;{NIK_ANDI};Honorer;Sekretariat\n"
                       "Rina Lestari;;PPNPN;Bidang Aplikasi\n", encoding="utf-8-sig")
    return asn, smaller, non_asn


def run_json(ikrar, *args):
    code, out, err = ikrar(*args, "--json")
    return code, (json.loads(out) if out.strip() else None), err


def make_event(ikrar, title, date="2024-11-04", *extra):
    code, data, _ = run_json(ikrar, "event", "create", "--title", title, "--date", date, *extra)
    assert code == 0
    return data["id"]


def rows(db, sql, args=()):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def test_each_event_has_its_own_roster(ikrar, files, tmp_path):
    asn, _, _ = files
    first = make_event(ikrar, "Apel Dinas Kominfo")
    assert run_json(ikrar, "roster", "import", asn)[1]["added"] == 3
    second = make_event(ikrar, "Apel Kecamatan")                      # active now, its list empty
    code, status, _ = run_json(ikrar, "status")
    assert code == 0 and status["roster"] == 0 and status["event"]["id"] == second
    code, result, _ = run_json(ikrar, "checkin", NIP_BUDI)            # on the first event's list only
    assert code == 1 and result["status"] == "unknown"
    third = make_event(ikrar, "Apel Susulan", "2024-11-05", "--copy-roster-from", str(first))
    assert run_json(ikrar, "status")[1]["roster"] == 3
    assert run_json(ikrar, "checkin", NIP_BUDI)[1]["status"] == "recorded"
    ikrar("event", "activate", str(first))
    assert run_json(ikrar, "status")[1]["present"] == 0               # the check-in belongs to the third event
    assert rows(tmp_path / "cli.db", "SELECT event_id, count(*) FROM roster GROUP BY event_id") == [(first, 3),
                                                                                                (third, 3)]


def test_rank_is_read_and_kinds_told_apart_by_the_nip(ikrar, files):
    asn, _, _ = files
    make_event(ikrar, "Apel")
    run_json(ikrar, "roster", "import", asn)
    _, found, _ = run_json(ikrar, "roster", "find", "Budi")
    assert found[0]["rank"] == "Penata Muda, III/a" and found[0]["kind"] == "pns"
    assert found[0]["name"] == "Budi Santoso, S.Kom."
    run_json(ikrar, "checkin", NIP_JOKO)
    _, present, _ = run_json(ikrar, "attendance")
    assert [(p["nip"], p["kind"], p["rank"]) for p in present] == [(NIP_JOKO, "pns", "Pembina, IV/a")]


def test_replace_makes_the_roster_the_file_but_keeps_who_checked_in(ikrar, files, tmp_path):
    asn, smaller, _ = files
    make_event(ikrar, "Apel")
    run_json(ikrar, "roster", "import", asn)
    run_json(ikrar, "checkin", NIP_JOKO)
    code, result, _ = run_json(ikrar, "roster", "import", smaller, "--replace")
    assert code == 0 and result["removed"] == 0 and [k["nip"] for k in result["kept"]] == [NIP_JOKO]
    assert run_json(ikrar, "status")[1]["roster"] == 3                  # Joko stays: he checked in
    smallest = tmp_path / "satu.csv"
    smallest.write_text(f"NIP;Nama\n{NIP_BUDI};Budi Santoso\n", encoding="utf-8")
    code, result, _ = run_json(ikrar, "roster", "import", smallest, "--replace")
    assert result["removed"] == 1 and run_json(ikrar, "status")[1]["roster"] == 2       # Sari leaves
    assert run_json(ikrar, "checkin", NIP_SARI)[1]["status"] == "unknown"


def test_non_asn_staff_get_badge_codes_and_their_nik_is_never_shown_whole(ikrar, files, tmp_path):
    _, _, non_asn = files
    make_event(ikrar, "Apel")
    code, result, _ = run_json(ikrar, "roster", "import", non_asn, "--non-asn")
    assert code == 0 and result["added"] == 2
    _, found, _ = run_json(ikrar, "roster", "find", "Andi")
    andi = found[0]
    assert andi["kind"] == "non-asn" and andi["nip"] is None and andi["employment"] == "Honorer"
    assert andi["nik"] == "7318********0003" and len(andi["code"]) == 7
    # The code as printed on the badge, typed in lower case with its dash, checks in ...
    printed = f"{andi['code'][:4]}-{andi['code'][4:]}".lower()
    assert run_json(ikrar, "checkin", printed)[1]["status"] == "recorded"
    # ... and one character misread is refused, never matched to someone else.
    wrong = andi["code"][:-1] + ("X" if andi["code"][-1] != "X" else "Y")
    code, result, _ = run_json(ikrar, "checkin", wrong)
    assert code == 1 and result["status"] == "invalid" and "salah ketik" in result["message"]
    shown = (run_json(ikrar, "attendance")[1], run_json(ikrar, "absence", "list")[1])
    everything = "".join(json.dumps(x) for x in shown)
    assert NIK_ANDI not in everything and "7318********0003" in everything
    for command in (("attendance",), ("roster", "find", "Andi"), ("absence", "list"), ("status",)):
        assert NIK_ANDI not in ikrar(*command)[1]


def test_a_non_asn_list_refuses_a_bad_nik_with_its_line_and_writes_nothing(ikrar, tmp_path):
    make_event(ikrar, "Apel")
    bad = tmp_path / "honorer.csv"
    bad.write_text("Nama;NIK;Unit Kerja\nAndi;7318014506900003;Umum\nBeni;7318013213900001;Umum\n"
                   "Citra;731801450690000;Umum\n", encoding="utf-8")
    code, result, _ = run_json(ikrar, "roster", "import", bad, "--non-asn")
    assert code == 1
    lines = {p["line"] for p in result["problems"]}
    assert lines == {3, 4}
    assert all("7318013213900001" not in p["message"] for p in result["problems"])   # masked there too
    assert rows(tmp_path / "cli.db", "SELECT count(*) FROM people") == [(0,)]


def test_guests_and_walk_ins_are_added_counted_and_checked_in_by_code(ikrar, files):
    asn, _, _ = files
    make_event(ikrar, "Apel")
    run_json(ikrar, "roster", "import", asn)
    code, guest, _ = run_json(ikrar, "person", "add", "--name", "Ketua KPU Kabupaten", "--institution", "KPU",
                              "--guest")
    assert code == 0 and guest["kind"] == "guest" and guest["printed_code"].replace("-", "") == guest["code"]
    code, walk_in, _ = run_json(ikrar, "person", "add", "--name", "  Dimas   Pratama ", "--unit", "Sekretariat")
    assert walk_in["kind"] == "non-asn" and walk_in["name"] == "Dimas Pratama"
    assert run_json(ikrar, "status")[1]["roster"] == 5
    assert run_json(ikrar, "checkin", guest["printed_code"])[1]["status"] == "recorded"
    _, present, _ = run_json(ikrar, "attendance")
    assert [(p["code"], p["kind"], p["institution"]) for p in present] == [(guest["code"], "guest", "KPU")]
    code, _, err = ikrar("person", "add", "--name", "   ")
    assert code == 1 and err.strip() and run_json(ikrar, "status")[1]["roster"] == 5


def test_removing_someone_is_refused_once_they_checked_in(ikrar, files, tmp_path):
    asn, _, _ = files
    make_event(ikrar, "Apel")
    run_json(ikrar, "roster", "import", asn)
    code, removed, _ = run_json(ikrar, "person", "remove", NIP_SARI)
    assert code == 0 and removed["removed"] and run_json(ikrar, "status")[1]["roster"] == 2
    run_json(ikrar, "checkin", NIP_BUDI)
    before = rows(tmp_path / "cli.db", "SELECT event_id, nip FROM roster ORDER BY nip")
    code, _, err = ikrar("person", "remove", NIP_BUDI)
    assert code == 1 and "sudah hadir" in err and "pukul" in err
    code, _, err = ikrar("person", "remove", "199909092020121001")
    assert code == 1 and "ikrar roster find" in err
    assert rows(tmp_path / "cli.db", "SELECT event_id, nip FROM roster ORDER BY nip") == before
    actions = [a for (a,) in rows(tmp_path / "cli.db", "SELECT action FROM audit_log")]
    assert actions.count("person.remove") == 1


def test_why_the_absent_were_absent(ikrar, files, tmp_path, capsys):
    asn, _, _ = files
    make_event(ikrar, "Apel")
    run_json(ikrar, "roster", "import", asn)
    run_json(ikrar, "checkin", NIP_BUDI)
    code, stated, _ = run_json(ikrar, "absence", "set", NIP_SARI, "--reason", "sakit", "--note", "surat  dokter")
    assert code == 0 and stated["reason"] == "sakit" and stated["note"] == "surat dokter"
    run_json(ikrar, "absence", "set", NIP_SARI, "--reason", "dinas-luar")          # a later word replaces it
    _, absent, _ = run_json(ikrar, "absence", "list")
    assert [(a["nip"], a["reason"], a["stated"]) for a in absent] == [(NIP_JOKO, "tanpa-keterangan", False),
                                                                      (NIP_SARI, "dinas-luar", True)]
    db = tmp_path / "cli.db"
    assert rows(db, "SELECT reason FROM absences ORDER BY at, rowid") == [("sakit",), ("dinas-luar",)]  # both kept
    assert [a for (a,) in rows(db, "SELECT action FROM audit_log")].count("absence.set") == 2
    before = rows(db, "SELECT count(*) FROM absences")
    code, _, err = ikrar("absence", "set", NIP_BUDI, "--reason", "izin")
    assert code == 1 and "sudah hadir" in err
    code, _, err = ikrar("absence", "set", "199909092020121001", "--reason", "izin")
    assert code == 1 and "tidak ada dalam daftar" in err
    code, _, err = ikrar("absence", "set", NIP_JOKO, "--reason", "cuti", "--note", "x" * 501)
    assert code == 1 and "500" in err
    with pytest.raises(SystemExit) as usage:                                      # a usage error: exit 2 ...
        ikrar("absence", "set", NIP_JOKO, "--reason", "liburan")
    err = capsys.readouterr().err                                                  # ... told in Indonesian
    assert usage.value.code == 2 and "pilihan 'liburan' tidak dikenal" in err and "'dinas-luar'" in err
    assert "ikrar absence set --help" in err
    with pytest.raises(SystemExit):
        ikrar("--lang", "en", "absence", "set", NIP_JOKO)
    assert "the following arguments are required: --reason" in capsys.readouterr().err
    assert rows(db, "SELECT count(*) FROM absences") == before
    code, out, _ = ikrar("absence", "list")
    assert "Dinas luar" in out or "dinas luar" in out.lower()
