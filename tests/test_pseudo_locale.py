"""The pseudo-locale (issue 16): every message 40 % longer and accented, and every kiosk, console and
first-run screen rendered with it offscreen at 1366×768 with no text clipped or overlapping
(tests/text_fit.py measures each text against the room its widget gives it).

A failing screen is saved as a PNG beside the test's files, so the clipping can be looked at.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from text_fit import SIZE, fits, problems

import ui  # noqa: F401  (every screen's messages registered)
from kiosk import dates, firstrun, i18n
from kiosk.security import pin as admin

PIN = "246810"
_FIELDS = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_TAGS = re.compile(r"<[^<>]*>|&[A-Za-z]+;|&#\d+;")


# --- the pseudo-locale itself --------------------------------------------------------------------

def _words(text: str) -> str:
    return _TAGS.sub("", _FIELDS.sub("", text))


def test_every_message_is_40_percent_longer_with_its_fields_and_tags_kept():
    import kiosk
    for pkg in (kiosk, ui):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if not info.name.endswith("__main__"):
                importlib.import_module(info.name)
    catalogue = i18n._catalogue
    assert len(catalogue) > 300
    for code, texts in catalogue.items():
        source, stretched = texts["id"], i18n.pseudo(texts["id"])
        assert _FIELDS.findall(stretched) == _FIELDS.findall(source), code
        assert _TAGS.findall(stretched) == _TAGS.findall(source), code
        letters = sum(ch.isalpha() for ch in _words(source))
        if letters:
            assert len(_words(stretched)) >= 1.4 * len(_words(source)), (code, source, stretched)
        assert stretched != source or not letters, code


def test_t_speaks_the_pseudo_locale_with_its_parameters(pseudo):
    assert i18n.language() == i18n.PSEUDO
    shown = i18n.t("ui.present", present=12, roster=30)
    assert "12" in shown and "30" in shown and len(shown) > 1.3 * len(i18n.t("ui.present", "id", present=12, roster=30))
    assert dates.day_and_date("2024-11-04") == i18n.pseudo("Senin, 4 November 2024")
    with pytest.raises(ValueError):
        i18n.set_language("xx")


@given(st.lists(st.one_of(st.text(string.ascii_letters + "àé ,.!?-/0123456789\n", max_size=12),
                          st.sampled_from(["{name}", "{n:,}", "{{", "}}", "<b>", "</b>", "&amp;", "&Lanjut"])),
                max_size=12))
def test_stretching_keeps_every_field_and_lengthens_every_word(pieces):
    text = "".join(pieces)
    stretched = i18n.pseudo(text)
    assert _FIELDS.findall(stretched) == _FIELDS.findall(text)
    assert _TAGS.findall(stretched) == _TAGS.findall(text)
    words = re.findall(r"[^\W\d_]+", _words(text))
    assert len(re.findall(r"[^\W\d_]+", _words(stretched))) == len(words)
    if words:
        assert len(_words(stretched)) >= 1.4 * len(_words(text))


# --- the checker finds what it should ------------------------------------------------------------

def test_the_checker_sees_clipped_cut_and_overlapping_text(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    w.resize(300, 200)
    narrow = QLabel("Silakan pindai kartu QR Anda di sini", w)
    narrow.setGeometry(10, 10, 60, 20)
    over = QLabel("Tumpang tindih", w)
    over.setGeometry(40, 12, 120, 20)
    edge = QPushButton("Tombol di tepi", w)
    edge.setGeometry(250, 150, 120, 40)
    w.show()
    qtbot.waitExposed(w)
    found = "\n".join(problems(w))
    assert "clipped" in found and "Silakan pindai" in found
    assert "overlapping" in found and "Tumpang tindih" in found
    assert "cut by its parent" in found and "Tombol di tepi" in found


def test_the_checker_passes_a_layout_that_fits(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    layout = QVBoxLayout(w)
    wrapped = QLabel(i18n.pseudo("Silakan pindai kartu QR Anda; tanda tangan Anda disimpan sesuai UU 27/2022. ") * 3)
    wrapped.setWordWrap(True)
    layout.addWidget(wrapped)
    layout.addWidget(QPushButton(i18n.pseudo("Simpan dan lanjutkan")))
    w.resize(420, 300)
    w.show()
    qtbot.waitExposed(w)
    assert problems(w) == []


# --- the kiosk -----------------------------------------------------------------------------------

@pytest.fixture
def kiosk(qtbot, pseudo, db_path, store, event):
    from ui.kiosk.service import KioskService
    from ui.kiosk.window import KioskWindow
    admin.set_pin(store, PIN)
    service = KioskService(db_path)
    window = KioskWindow(service)
    with qtbot.waitSignal(service.opened, timeout=5000) as opened:
        service.open()
    window.set_info(opened.args[0])
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close_dialogs()
    window.wedge.remove()
    window._may_close = True
    window.close()
    service.shutdown()


def _sign(pad) -> None:
    w, h = pad.width(), pad.height()
    pad._begin("mouse", QPointF(w * 0.2, h * 0.6), 0.5, 1000)
    for i in range(1, 80):
        pad._add(QPointF(w * (0.2 + 0.5 * i / 80), h * (0.5 + 0.2 * ((i % 20) / 20 - 0.5))), 0.5, 1000 + 9 * i)
    pad._end()


def test_every_kiosk_state_fits_at_1366x768(qtbot, kiosk, people, store, tmp_path):
    w = kiosk
    assert w.size().width() == SIZE[0] and "Ššîllàkk" in " ".join(lab.text() for lab in w.findChildren(QLabel))
    fits(w, tmp_path, "idle")
    w.scan(people[3].nip)
    qtbot.waitUntil(lambda: w.state == "signing", timeout=3000)
    fits(w, tmp_path, "identified")
    _sign(w.pad)
    w._on_ink(True)
    fits(w, tmp_path, "signing")
    w.clock.start(7.2)
    qtbot.wait(300)
    fits(w, tmp_path, "countdown")
    w.confirm()
    qtbot.waitUntil(lambda: w.state == "done", timeout=5000)
    fits(w, tmp_path, "done")
    for payload, state in ((people[3].nip, "duplicate"), ("199001012019031001", "unknown"),
                           ("1968041119930310", "invalid")):
        w.scan(payload)
        qtbot.waitUntil(lambda s=state: w.state == s, timeout=3000)
        fits(w, tmp_path, state)


def test_the_kiosk_warning_banner_fits(qtbot, pseudo, db_path, store, event, tmp_path):
    from ui.kiosk.service import KioskService
    from ui.kiosk.window import KioskWindow
    admin.set_pin(store, PIN)                   # the event is dated 2024-11-04: not today, so the banner shows
    service = KioskService(db_path)
    window = KioskWindow(service)
    with qtbot.waitSignal(service.opened, timeout=5000) as opened:
        service.open()
    window.set_info(opened.args[0])
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.warnings and window.idle_page.banner.isVisible()
        fits(window, tmp_path, "warning")
    finally:
        window.wedge.remove()
        window._may_close = True
        window.close()
        service.shutdown()


def test_every_staff_dialog_fits(qtbot, kiosk, tmp_path):
    from ui.kiosk.dialogs import NeedPinDialog, PinDialog, SetPinDialog, StaffMenu
    from ui.kiosk.staff_forms import SearchDialog, WalkInDialog
    made = {"pin": PinDialog(kiosk.service, kiosk), "set-pin": SetPinDialog(kiosk.service, kiosk),
            "need-pin": NeedPinDialog(kiosk), "staff-menu": StaffMenu(kiosk),
            "search": SearchDialog(kiosk.service, kiosk), "walk-in": WalkInDialog(kiosk.service, kiosk)}
    for name, dialog in made.items():
        dialog.show()
        qtbot.waitExposed(dialog)
        if hasattr(dialog, "fit"):
            dialog.fit()
        assert dialog.width() <= SIZE[0] and dialog.height() <= SIZE[1], name
        fits(dialog, tmp_path, name)
        dialog.reject()
    wrong = made["pin"]
    wrong.show()
    QTest.keyClicks(wrong.fields[0] if hasattr(wrong, "fields") else wrong.focusWidget(), "000000")
    QTest.keyClick(wrong.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(200)
    fits(wrong, tmp_path, "pin-refused")
    wrong.reject()


# --- the console ---------------------------------------------------------------------------------

def test_the_console_and_its_editor_fit(qtbot, pseudo, db_path, store, event, tmp_path):
    from ui.display.app import Display
    display = Display(db_path, poll_seconds=0.2)
    with qtbot.waitSignal(display.service.opened, timeout=5000):
        display.open()
    try:
        console = display.console
        console.resize(*SIZE)
        console.show()
        qtbot.waitExposed(console)
        qtbot.wait(400)
        fits(console, tmp_path, "console")
        console.phrase_box.setChecked(True)
        display.presentation.go(2)
        fits(console, tmp_path, "console-phrase")
        console.tabs.setCurrentIndex(1)
        editor = console.editor
        editor.fields["instansi"].setText("Pemerintah Kabupaten Sleman dan Kecamatan Depok")
        editor._changed()
        qtbot.wait(100)
        fits(console, tmp_path, "console-editor")
    finally:
        display.close()


# --- the first-run setup -------------------------------------------------------------------------

def test_every_first_run_page_fits(qtbot, pseudo, tmp_path):
    from ui.setup.window import SetupWindow
    w = SetupWindow(firstrun.default_choices(tmp_path / "baru.db"))
    qtbot.addWidget(w)
    w.resize(min(w.width(), SIZE[0]), min(w.height(), SIZE[1]))
    w.show()
    qtbot.waitExposed(w)
    seen = []
    for _ in range(len(w.pages)):
        page = w.stack.currentWidget()
        seen.append(type(page).__name__)
        assert w.width() <= SIZE[0] and w.height() <= SIZE[1]
        fits(w, tmp_path, f"setup-{len(seen)}")
        if w.page("agency") is page:
            page.agency.setText("Pemerintah Kabupaten Uji")
        if w.page("pin") is page:
            page.pin.setText("864213")
            page.again.setText("864213")
        if page is w.pages[-1]:
            break
        QTest.mouseClick(w.next, Qt.MouseButton.LeftButton)
        qtbot.wait(50)
    assert len(seen) == len(w.pages) >= 4, seen
