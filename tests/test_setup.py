"""The first-run setup (issue 16): the window, driven as an organiser would (pytest-qt, offscreen), the core
step it runs (kiosk.firstrun.apply), and ``ikrar kiosk`` opening it on a database with no PIN or event."""
from __future__ import annotations

import json
import os
import stat

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk import firstrun, i18n
from kiosk.i18n import KioskError
from kiosk.paths import config_path, default_db_path, resolve_db_path
from kiosk.security import pin
from kiosk.store import Store
from ui.setup import commands as setup_commands
from ui.setup.window import SetupWindow

PIN = "864213"


@pytest.fixture
def logo(tmp_path):
    path = tmp_path / "lambang.png"
    Image.new("RGB", (120, 140), (200, 30, 30)).save(path)
    return path


def make(qtbot, db_path, **kw):
    w = SetupWindow(firstrun.default_choices(db_path), **kw)
    qtbot.addWidget(w)
    w.show()
    return w


def next_page(w):
    QTest.mouseClick(w.next, Qt.MouseButton.LeftButton)


def fill(w, *, agency="Pemerintah Kabupaten Uji", pin_text=PIN, again=None, logo=None):
    """From the language page to the last one, answering each."""
    next_page(w)                                                           # language: Indonesian
    w.pages[1].agency.setText(agency)
    if logo is not None:
        w.pages[1].set_logo(logo)
    next_page(w)
    if w.page("pin") is not None:
        w.pages[2].pin.setText(pin_text)
        w.pages[2].again.setText(pin_text if again is None else again)
        next_page(w)
    if w.page("database") is not None and w.stack.currentWidget() is w.page("database"):
        next_page(w)


def test_the_whole_setup_with_a_demo_event(qtbot, tmp_path, logo):
    db = tmp_path / "hall" / "ikrar.db"
    w = make(qtbot, db)
    assert w.step.text() == "Langkah 1 dari 5" and w.next.text() == "Lanjut ›" and not w.back.isEnabled()
    fill(w, logo=logo)
    assert w.stack.currentWidget() is w.page("event") and w.next.text() == "Selesai"
    assert w.page("event").demo.isChecked()
    next_page(w)
    done = w.done_setup
    assert done is not None and done.demo and done.db_path == db.resolve() and done.remembered
    with Store(db) as store:
        assert pin.verify_pin(store, PIN)
        event = store.active_event()
        assert event.title == firstrun.DEMO_TITLE and len(store.roster(event.id)) == firstrun.DEMO_PEOPLE
        settings = dict(event.settings)
        assert settings["instansi"] == "Pemerintah Kabupaten Uji" and settings["logo"] == str(logo.resolve())
        assert "Pemerintah Kabupaten Uji" in store.pledge(event.pledge_id).text
        assert store.get_setting("screen_language") == "id"
        assert store.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'setup.done'").fetchone()[0] == 1
    # The next start finds the database where the setup put it.
    assert json.loads(config_path().read_text(encoding="utf-8")) == {"language": "id", "db": str(db.resolve())}
    assert resolve_db_path(None) == db.resolve()
    if os.name == "posix":
        assert stat.S_IMODE(config_path().stat().st_mode) == 0o600


def test_english_from_the_first_page_on(qtbot, tmp_path):
    w = make(qtbot, tmp_path / "k.db")
    w.pages[0].english.setChecked(True)
    assert i18n.language() == "en"
    assert w.windowTitle() == "Ikrar Kiosk — First-run setup" and w.next.text() == "Next ›"
    assert w.pages[0].title.text() == "Welcome to Ikrar Kiosk" and w.cancel.text() == "Cancel"
    assert w.page("pin").intro.text().startswith("The admin PIN")
    fill(w)
    next_page(w)
    assert w.done_setup is not None
    with Store(tmp_path / "k.db") as store:
        assert store.get_setting("screen_language") == "en"
    w.pages[0].indonesian.setChecked(True)
    assert w.pages[0].title.text() == "Selamat datang di Ikrar Kiosk"


@pytest.mark.parametrize(("pin_text", "again", "word"), [("123456", None, "mudah ditebak"), ("12", None, "6 sampai 12"),
                                                          (PIN, "864210", "tidak sama")])
def test_a_bad_pin_is_said_on_its_page(qtbot, tmp_path, pin_text, again, word):
    w = make(qtbot, tmp_path / "k.db")
    fill(w, pin_text=pin_text, again=again)
    assert w.stack.currentWidget() is w.page("pin") and word in w.error.text()
    assert not (tmp_path / "k.db").exists()


def test_the_agency_is_needed_and_a_bad_logo_is_refused(qtbot, tmp_path):
    w = make(qtbot, tmp_path / "k.db")
    next_page(w)
    next_page(w)
    assert w.stack.currentWidget() is w.page("agency") and "nama instansi" in w.error.text().lower()
    fake = tmp_path / "logo.png"
    fake.write_text("not an image")
    w.pages[1].set_logo(fake)
    assert w.pages[1].logo is None and "PNG atau JPEG" in w.error.text()


def test_the_real_event_instead_of_a_demo(qtbot, tmp_path):
    w = make(qtbot, tmp_path / "k.db")
    fill(w)
    page = w.page("event")
    page.real.setChecked(True)
    page.event_name.setText("Apel Ikrar Netralitas ASN Kecamatan Depok")
    page.venue.setText("Pendopo Kecamatan")
    page.template.setCurrentIndex(page.template.findData("pilkada-2020"))
    from PySide6.QtCore import QDate
    page.date.setDate(QDate(2024, 11, 4))
    next_page(w)
    assert w.done_setup is not None and not w.done_setup.demo
    with Store(tmp_path / "k.db") as store:
        e = store.active_event()
        assert (e.title, e.date, e.venue) == ("Apel Ikrar Netralitas ASN Kecamatan Depok", "2024-11-04",
                                              "Pendopo Kecamatan")
        assert store.pledge(e.pledge_id).key == "pilkada-2020" and store.roster(e.id) == []


def test_cancel_saves_nothing(qtbot, tmp_path):
    w = make(qtbot, tmp_path / "k.db")
    fill(w)
    QTest.mouseClick(w.cancel, Qt.MouseButton.LeftButton)
    assert w.done_setup is None and not (tmp_path / "k.db").exists() and not config_path().exists()


def test_a_database_with_a_pin_and_an_event_skips_those_pages(qtbot, db_path, store, event):
    pin.set_pin(store, PIN)
    store.close()
    w = SetupWindow(firstrun.default_choices(db_path), has_pin=True, event=event, db_fixed=True)
    qtbot.addWidget(w)
    assert [p.name for p in w.pages] == ["language", "agency", "database"]
    assert w.page("database").path.isReadOnly() and not w.page("database").choose.isVisibleTo(w)
    fill(w)
    assert w.kept.isVisibleTo(w) and event.title in w.kept.text() and "sudah punya PIN" in w.kept.text()
    next_page(w)
    assert w.done_setup is not None and w.done_setup.event_id == event.id
    with Store(db_path) as s:
        assert pin.verify_pin(s, PIN) and len(s.events()) == 1


def test_the_default_place_is_not_written_to_the_config(qtbot):
    w = make(qtbot, default_db_path())
    fill(w)
    next_page(w)
    assert w.done_setup is not None and not w.done_setup.remembered
    assert json.loads(config_path().read_text(encoding="utf-8")) == {"language": "id"}
    if os.name == "posix":
        assert stat.S_IMODE(default_db_path().parent.stat().st_mode) == 0o700


# --- the core step -----------------------------------------------------------------------------------

def test_apply_checks_everything_before_writing(tmp_path):
    db = tmp_path / "k.db"
    for bad, code in ((dict(pin="111111"), "pin.weak"), (dict(agency="  "), "setup.agency_missing"),
                      (dict(demo=False, title=""), "event.empty_title"),
                      (dict(demo=False, title="Apel", date="4/11/2024"), "event.bad_date"),
                      (dict(logo=tmp_path / "missing.png"), "event.bad_logo"),
                      (dict(db_path=tmp_path), "output.folder")):
        choices = firstrun.SetupChoices(**{"agency": "Pemda Uji", "pin": PIN, "db_path": db, "demo": True, **bad})
        with pytest.raises(KioskError) as caught:
            firstrun.apply(choices)
        assert caught.value.code == code
        assert not db.exists() and not config_path().exists()


def test_a_foreign_file_is_refused_untouched(tmp_path):
    other = tmp_path / "notes.db"
    other.write_bytes(b"not a database at all" * 20)
    with pytest.raises(KioskError) as caught:
        firstrun.apply(firstrun.SetupChoices(agency="Pemda Uji", pin=PIN, db_path=other))
    assert caught.value.code == "store.not_sqlite"
    assert other.read_bytes() == b"not a database at all" * 20


# --- ikrar kiosk and ikrar setup ----------------------------------------------------------------------

def test_ikrar_kiosk_on_a_fresh_database_opens_the_setup_then_the_kiosk(ikrar, monkeypatch, tmp_path):
    import ui.kiosk.app as kiosk_app
    chosen = tmp_path / "elsewhere" / "hall.db"
    asked, opened = [], []

    def setup(path, *, db_fixed=False, parent=None):
        asked.append((path, db_fixed))
        return firstrun.apply(firstrun.SetupChoices(agency="Pemda Uji", pin=PIN, db_path=chosen, language="en"))
    monkeypatch.setattr(SetupWindow, "ask", staticmethod(setup))
    monkeypatch.setattr(kiosk_app, "run_kiosk", lambda path, **kw: opened.append(path) or 0)
    monkeypatch.delenv("IKRAR_DB")
    code, out, err = ikrar("kiosk", "--windowed")
    assert code == 0, err
    assert asked == [(default_db_path(), False)] and opened == [chosen.resolve()]
    assert i18n.language() == "en"                                     # the screens speak what was chosen
    # Next time: no setup, straight to the kiosk on the remembered database.
    i18n.set_language("id")
    code, out, err = ikrar("kiosk")
    assert code == 0 and len(asked) == 1 and opened[-1] == chosen.resolve() and i18n.language() == "en"


def test_a_cancelled_setup_opens_no_kiosk(ikrar, monkeypatch, tmp_path):
    import ui.kiosk.app as kiosk_app
    monkeypatch.setattr(SetupWindow, "ask", staticmethod(lambda path, **kw: None))
    monkeypatch.setattr(kiosk_app, "run_kiosk", lambda *a, **kw: pytest.fail("no kiosk after a cancel"))
    code, out, err = ikrar("--db", tmp_path / "k.db", "kiosk")
    assert code == 1


def test_ikrar_setup_says_what_it_made(ikrar, monkeypatch, tmp_path):
    db = tmp_path / "k.db"
    monkeypatch.setattr(setup_commands, "run_setup", lambda path, explicit: firstrun.apply(
        firstrun.SetupChoices(agency="Pemda Uji", pin=PIN, db_path=path)))
    code, out, err = ikrar("--db", db, "setup", "--json")
    data = json.loads(out)
    assert code == 0 and data["db"] == str(db.resolve()) and data["demo"]
    monkeypatch.setattr(setup_commands, "run_setup", lambda path, explicit: None)
    code, out, err = ikrar("--db", db, "setup")
    assert code == 1 and "dibatalkan" in out
