"""``ikrar --self-test`` (issue 16): from source, in-process and as a command; what a failure looks like."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import logs, selftest

ROOT = Path(__file__).resolve().parents[1]


def test_the_self_test_passes_and_says_what_it_checked(ikrar):
    code, out, err = ikrar("--self-test")
    lines = out.strip().splitlines()
    assert code == 0, out + err
    assert len(lines) == len(selftest.CORE_CHECKS) + 4 + 1                 # the screens add four, then the verdict
    assert all(line.startswith("[OK] ") for line in lines[:-1])
    assert lines[-1].startswith("Uji mandiri berhasil: 11 pemeriksaan lolos")
    for words in ("Check-in dengan tanda tangan", "Kartu peserta", "Daftar hadir", "Ekspor ditulis dan diverifikasi",
                  "Unit ikrar digambar di luar layar", "Plugin Qt"):
        assert any(words in line for line in lines), words


def test_in_english_and_as_json(ikrar):
    code, out, err = ikrar("--lang", "en", "--self-test")
    assert code == 0 and "Self-test passed: 11 checks passed" in out and "Attendance list drawn" in out
    code, out, err = ikrar("--self-test", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] and [c["check"] for c in data["checks"]] == [
        "resources", "database", "checkin", "badge", "daftar_hadir", "export", "log", "pledge_unit", "qt_plugins",
        "qt_text", "screens"]
    assert all(c["ok"] and c["error"] is None for c in data["checks"])


def test_it_leaves_nothing_behind_and_no_key_in_the_users_key_store(ikrar, tmp_path):
    key_dir = Path(os.environ["IKRAR_KEY_DIR"])
    before = sorted(key_dir.rglob("*"))
    made: list[Path] = []
    real_run = selftest.run

    def spy(checks, report=None):
        def remember(ctx):
            made.append(ctx.folder)
            return "seen"
        return real_run(list(checks) + [("spy", remember)], report)
    selftest.run, original = spy, selftest.run
    try:
        code, out, err = ikrar("--self-test")
    finally:
        selftest.run = original
    assert code == 0 and made and not made[0].exists()
    assert sorted(key_dir.rglob("*")) == before and os.environ["IKRAR_KEY_DIR"] == str(key_dir)


def test_a_failing_check_exits_1_says_which_and_what_to_do(ikrar, monkeypatch, tmp_path):
    empty = tmp_path / "no-resources"
    (empty / "pledges").mkdir(parents=True)
    from kiosk import resources
    monkeypatch.setattr(resources, "resources_dir", lambda: empty)
    code, out, err = ikrar("--self-test")
    assert code == 1
    assert out.splitlines()[0].startswith("[GAGAL] sumber daya:")
    assert "Uji mandiri GAGAL" in err and str(logs.log_path()) in err
    # The database check needs a pledge template: it fails, and the checks that need it say why.
    assert "[GAGAL] check-in: tidak diperiksa karena pemeriksaan basis data gagal" in out
    assert "Traceback" in logs.log_path().read_text(encoding="utf-8") and "Traceback" not in out + err


def test_a_raising_check_is_reported_not_raised(monkeypatch):
    def boom(ctx):
        raise RuntimeError("NIK 3201014101900003 broke it")
    results = selftest.run([("database", selftest.check_database), ("boom", boom), ("checkin", selftest.check_checkin)])
    assert [r.ok for r in results] == [True, False, True]
    assert "RuntimeError" in results[1].line and "3201014101900003" not in results[1].line


def test_self_test_takes_no_command_and_a_command_is_needed_otherwise(ikrar, capsys):
    with pytest.raises(SystemExit) as stopped:
        ikrar("--self-test", "status")
    assert stopped.value.code == 2
    with pytest.raises(SystemExit) as stopped:
        ikrar()
    assert stopped.value.code == 2 and "ikrar --help" in capsys.readouterr().err


@pytest.mark.slow
def test_from_source_as_a_command(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.pop("DISPLAY", None)
    out = subprocess.run([sys.executable, "-m", "ui", "--self-test"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("[OK] ") == 11 and out.stderr.strip() == ""
