"""The Gabung & kirim page: real exports from two kiosks (a laptop and its clone), each file's verification
report in words before anything is merged (an altered record named by whose it is, a device this
database does not know, an encrypted file asking its passphrase), the merge, documents from the merged
file, and the sync to a real PostgreSQL server with progress and the count still unsent."""
from __future__ import annotations

import sqlite3
import threading

import psycopg
import pytest
from desk_helpers import open_desk_context, show
from kiosk_pair import organiser_of
from test_sync import server, url  # noqa: F401  (fixtures: a throwaway PostgreSQL server)

from kiosk.exchange.reader import ExportReader
from kiosk.exchange.sealing import Passphrase
from kiosk.store import Store
from ui.desk.exchange_page import ExchangePage

pytest_plugins = ("desk_fixtures",)         # the hall, the desk and the answers fixtures


@pytest.fixture(autouse=True)
def _no_sync_url(monkeypatch):
    monkeypatch.delenv("IKRAR_SYNC_URL", raising=False)


@pytest.fixture
def organiser(qtbot, pair, tmp_path):
    organiser_of(pair, tmp_path).close()
    context = open_desk_context(qtbot, tmp_path / "organiser.db")
    yield context
    context.service.shutdown()


def checked(qtbot, page, n):
    qtbot.waitUntil(lambda: page.checks >= n, timeout=20000)


def state_of(page):
    return [i.state for i in page.inputs]


def test_reports_in_words_before_merging_then_the_merge(qtbot, organiser, pair, answers, tmp_path):
    a, b = pair.export(pair.a, "export-a.db"), pair.export(pair.b, "export-b.db")
    bad = tmp_path / "diubah.db"
    bad.write_bytes(b.read_bytes())
    with sqlite3.connect(bad) as conn:
        nip = conn.execute("SELECT nip FROM checkins ORDER BY seq LIMIT 1").fetchone()[0]
        conn.execute("UPDATE people SET name = 'Orang Lain' WHERE nip = ?", (nip,))
    page = show(qtbot, ExchangePage(organiser))
    answers.files.append([a, bad])
    page.add_files()
    checked(qtbot, page, 2)
    assert state_of(page) == ["ok", "failed"]
    assert page.table.item(0, 1).text() == "✓ utuh" and page.table.item(1, 1).text() == "✗ GAGAL"
    page.table.selectRow(0)
    assert "Berkas utuh" in page.report_view.toPlainText() and "dikenal acara ini" in page.report_view.toPlainText()
    page.table.selectRow(1)
    words = page.report_view.toPlainText()
    assert "Verifikasi GAGAL: 2 masalah" in words
    assert f"Peserta: {nip}, Orang Lain." in words and "(baris diubah)" in words   # whose record, in words
    assert page.admit_list.isHidden()

    answers.files.append(tmp_path / "gabungan.db")
    page.pick_output()
    assert page.merge_button.isEnabled()
    page.merge()                                                       # the altered file: refused, nothing made
    qtbot.waitUntil(lambda: not page.task.busy, timeout=20000)
    assert page.task.label.kind == "error" and "tidak digabung karena gagal verifikasi" in page.task.label.text()
    assert not (tmp_path / "gabungan.db").exists()

    page.table.selectRow(1)
    page.drop_file()
    answers.files.append([b])
    page.add_files()
    checked(qtbot, page, 3)
    page.merge()
    qtbot.waitUntil(lambda: page.task.label.kind == "ok", timeout=30000)
    assert page.task.label.text().startswith(f"Gabungan tersimpan di {tmp_path / 'gabungan.db'}: 2 perangkat")
    assert page.docs_button.isEnabled() and page.sync.from_merged.isEnabled()
    with ExportReader(tmp_path / "gabungan.db") as merged:
        assert merged.count_present(merged.active_event().id) == 12
    page.merge()                                                       # again: nothing changes
    qtbot.waitUntil(lambda: page.task.label.text().startswith("Tidak ada yang berubah"), timeout=30000)
    got = []
    page.useForDocuments.connect(got.append)
    page.docs_button.click()
    assert got == [tmp_path / "gabungan.db"]


def test_a_device_this_database_does_not_know_is_admitted_by_hand(qtbot, pair, answers, tmp_path):
    a, b = pair.export(pair.a, "export-a.db"), pair.export(pair.b, "export-b.db")
    stranger = open_desk_context(qtbot, tmp_path / "laptop-lain.db")
    try:
        page = show(qtbot, ExchangePage(stranger))
        answers.files.append([a, b])
        page.add_files()
        checked(qtbot, page, 2)
        assert state_of(page) == ["failed", "failed"]
        assert "TIDAK dikenal" in page.report_view.toPlainText()
        assert not page.admit_list.isHidden() and page.admit_list.count() == 2
        answers.files.append(tmp_path / "gabungan.db")
        page.pick_output()
        page.merge()
        qtbot.waitUntil(lambda: not page.task.busy, timeout=20000)
        assert page.task.label.kind == "error"
        from PySide6.QtCore import Qt
        for i in range(page.admit_list.count()):
            page.admit_list.item(i).setCheckState(Qt.CheckState.Checked)
        page.merge()
        qtbot.waitUntil(lambda: page.task.label.kind == "ok", timeout=30000)
        checked(qtbot, page, 4)                                        # checked again: now known
        assert state_of(page) == ["ok", "ok"]
    finally:
        stranger.service.shutdown()
    with Store(tmp_path / "laptop-lain.db") as s:
        actions = [r[0] for r in s.conn.execute("SELECT action FROM audit_log")]
    assert actions.count("device.admitted") == 2 and actions.count("merge") == 1


def test_an_encrypted_export_asks_its_passphrase(qtbot, organiser, pair, answers, tmp_path):
    secret = pair.export(pair.a, "rahasia.db", passphrase="frasa kiosk a")
    page = show(qtbot, ExchangePage(organiser))
    answers.passphrases.append("frasa kiosk a")
    answers.files.append([secret])
    page.add_files()
    checked(qtbot, page, 2)
    assert state_of(page) == ["ok"] and answers.asked[1][0] == "passphrase"
    answers.files.append(tmp_path / "gabungan.db")
    page.pick_output()
    page.merge()
    qtbot.waitUntil(lambda: page.task.label.kind == "ok", timeout=30000)
    from kiosk.exchange.verify import verify
    assert verify(tmp_path / "gabungan.db", Passphrase(value="frasa kiosk a", interactive=False)).ok


def test_sending_to_the_centre_with_progress_then_nothing_left(qtbot, organiser, pair, answers, tmp_path,
                                                               url):  # noqa: F811
    a, b = pair.export(pair.a, "export-a.db"), pair.export(pair.b, "export-b.db")
    page = show(qtbot, ExchangePage(organiser))
    answers.files.append([a, b])
    page.add_files()
    checked(qtbot, page, 2)
    answers.files.append(tmp_path / "gabungan.db")
    page.pick_output()
    page.merge()
    qtbot.waitUntil(lambda: page.task.label.kind == "ok", timeout=30000)
    sync = page.sync
    sync.from_merged.setChecked(True)
    qtbot.waitUntil(lambda: sync.status is not None and sync.status["source"] != "", timeout=10000)
    qtbot.waitUntil(lambda: "check-in" in sync.unsent_label.text(), timeout=10000)
    assert "(belum pernah)" in sync.unsent_label.text()
    seen = []
    sync.task.bar.valueChanged.connect(seen.append)
    sync.url.setText(url)
    sync.send()
    qtbot.waitUntil(lambda: not sync.task.busy, timeout=60000)
    assert sync.task.label.kind == "ok", sync.task.label.text()
    assert sync.task.label.text().startswith("Sinkronisasi ke postgresql://")
    qtbot.waitUntil(lambda: sync.status is not None and sum(sync.status["unsent"].values()) == 0, timeout=10000)
    assert "0 check-in" in sync.unsent_label.text() and seen
    with psycopg.connect(url) as pg:
        assert pg.execute("SELECT count(*) FROM ikrar.checkins").fetchone()[0] >= 12
    sync.send()                                                        # again: safe, nothing new
    qtbot.waitUntil(lambda: not sync.task.busy and sync.task.label.kind == "ok", timeout=60000)
    assert "0 check-in" in sync.task.label.text()


def test_sync_refusals_and_cancel_are_said(qtbot, organiser, tmp_path, url):  # noqa: F811
    page = show(qtbot, ExchangePage(organiser))
    sync = page.sync
    sync.url.setText("")
    sync.send()
    assert sync.notice.kind == "error" and "Isi alamat basis data pusat" in sync.notice.text()
    sync.url.setText("postgresql://nobody@/nothing?host=/tmp/tidak-ada-server&port=1")
    sync.send()
    qtbot.waitUntil(lambda: not sync.task.busy, timeout=60000)
    assert sync.task.label.kind == "error" and "Tidak dapat terhubung" in sync.task.label.text()
    assert "data kiosk tetap aman" in sync.task.label.text()
    gate = threading.Event()
    organiser.service.run(lambda store: gate.wait(10))
    sync.url.setText(url)
    sync.send()
    sync.task.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: not sync.task.busy, timeout=60000)
    assert sync.task.label.text().startswith("Pengiriman dibatalkan")
