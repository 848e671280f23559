"""The setup window's pages, one step each: its words (``retranslate``), its check (``check``, raising
:class:`~kiosk.i18n.KioskError` with what to do), its answers (``collect``)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk import firstrun, i18n
from kiosk.ceremony import pledge as _pledge
from kiosk.firstrun import SetupChoices
from kiosk.i18n import KioskError
from ui.messages import t
from ui.setup import texts  # noqa: F401  (registers the words)


class SetupWindow(Protocol):
    """What a page asks of the setup window (ui.setup.window, which imports the pages)."""
    choices: SetupChoices
    db_fixed: bool

    def set_language(self, lang: str) -> None: ...

    def say(self, text: str) -> None: ...


STYLE = """
QDialog#setup { background: #f4f6fa; }
QLabel { font-size: 15px; color: #102040; }
QLabel#pageTitle { font-size: 24px; font-weight: bold; color: #0e2a4a; }
QLabel#step { font-size: 13px; color: #5d7390; }
QLabel#error { color: #b71c1c; font-weight: bold; }
QLabel#note { color: #5d7390; }
QLineEdit, QComboBox, QDateEdit { font-size: 16px; padding: 6px; min-height: 30px; }
QRadioButton { font-size: 16px; padding: 4px; }
QPushButton { font-size: 15px; min-height: 36px; padding: 4px 16px; }
QPushButton#next { font-weight: bold; }
"""


def _title(key: str) -> QLabel:
    label = QLabel(t(key))
    label.setObjectName("pageTitle")
    label.setWordWrap(True)
    return label


def text_label(key: str = "", object_name: str = "") -> QLabel:
    label = QLabel(t(key) if key else "")
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


def _form(parent: QWidget | None = None) -> QFormLayout:
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setVerticalSpacing(8)
    return form


class Page(QWidget):
    """One step: its words (``retranslate``), its check (``check``, raising KioskError), its answers."""
    name = ""

    def __init__(self, window: SetupWindow) -> None:
        super().__init__()
        self.window_ = window
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(12)

    def retranslate(self) -> None: ...

    def check(self) -> None: ...

    def collect(self, choices: SetupChoices) -> SetupChoices:
        return choices


class LanguagePage(Page):
    name = "language"

    def __init__(self, window: SetupWindow) -> None:
        super().__init__(window)
        self.title = _title("setup.lang_title")
        self.intro = text_label("setup.lang_intro")
        self.indonesian = QRadioButton("Bahasa Indonesia")
        self.english = QRadioButton("English")
        self.group = QButtonGroup(self)
        for b in (self.indonesian, self.english):
            self.group.addButton(b)
        (self.english if window.choices.language == "en" else self.indonesian).setChecked(True)
        self.note = text_label("setup.lang_note", "note")
        for w in (self.title, self.intro, self.indonesian, self.english, self.note):
            self.layout_.addWidget(w)
        self.layout_.addStretch(1)
        self.english.toggled.connect(lambda on: window.set_language("en" if on else "id"))

    def retranslate(self) -> None:
        self.title.setText(t("setup.lang_title"))
        self.intro.setText(t("setup.lang_intro"))
        self.note.setText(t("setup.lang_note"))

    def collect(self, choices: SetupChoices) -> SetupChoices:
        return replace(choices, language="en" if self.english.isChecked() else "id")


class AgencyPage(Page):
    name = "agency"

    def __init__(self, window: SetupWindow) -> None:
        super().__init__(window)
        self.logo: Path | None = window.choices.logo
        self.title = _title("setup.agency_title")
        self.intro = text_label("setup.agency_intro")
        form = _form()
        self.name_label = QLabel(t("setup.agency_name"))
        self.agency = QLineEdit(window.choices.agency)
        self.agency.setObjectName("agency")
        self.agency.setMaxLength(300)
        form.addRow(self.name_label, self.agency)
        self.example = text_label("", "note")                 # under the field: wraps, unlike a field's hint
        form.addRow("", self.example)
        self.logo_label = text_label("setup.logo")
        self.preview = QLabel()
        self.preview.setObjectName("logoPreview")
        self.preview.setFixedSize(96, 96)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: white; border: 1px solid #c5d0de;")
        self.logo_name = text_label("", "note")
        self.choose = QPushButton()
        self.choose.clicked.connect(self._choose)
        self.clear = QPushButton()
        self.clear.clicked.connect(lambda: self.set_logo(None))
        buttons = QVBoxLayout()
        buttons.addWidget(self.logo_name)
        row = QHBoxLayout()
        row.addWidget(self.choose)
        row.addWidget(self.clear)
        row.addStretch(1)
        buttons.addLayout(row)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.preview)
        logo_row.addLayout(buttons, 1)
        for w in (self.title, self.intro):
            self.layout_.addWidget(w)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.logo_label)
        self.layout_.addLayout(logo_row)
        self.layout_.addStretch(1)
        self.retranslate()
        self.set_logo(self.logo)

    def retranslate(self) -> None:
        self.title.setText(t("setup.agency_title"))
        self.intro.setText(t("setup.agency_intro"))
        self.name_label.setText(t("setup.agency_name"))
        self.example.setText(t("setup.agency_example"))
        self.logo_label.setText(t("setup.logo"))
        self.choose.setText(t("setup.logo_choose"))
        self.clear.setText(t("setup.logo_clear"))
        if self.logo is None:
            self.logo_name.setText(t("setup.logo_none"))

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, t("setup.logo_choose"), str(Path.home()), t("setup.logo_filter"))
        if name:
            self.set_logo(Path(name))

    def set_logo(self, path: Path | None) -> None:
        """Show ``path`` (or no logo); a file that is not a PNG or JPEG is said so here."""
        self.window_.say("")
        if path is not None:
            try:
                firstrun.check_logo(path)
            except KioskError as exc:
                self.window_.say(str(exc))
                return
        self.logo = path
        if path is None:
            self.preview.clear()
            self.logo_name.setText(t("setup.logo_none"))
        else:
            pixmap = QPixmap(str(path))
            self.preview.setPixmap(pixmap.scaled(92, 92, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
            self.logo_name.setText(path.name)

    def check(self) -> None:
        if not " ".join(self.agency.text().split()):
            raise KioskError("setup.agency_missing")

    def collect(self, choices: SetupChoices) -> SetupChoices:
        return replace(choices, agency=self.agency.text(), logo=self.logo)


class PinPage(Page):
    name = "pin"

    def __init__(self, window: SetupWindow) -> None:
        super().__init__(window)
        self.title = _title("setup.pin_title")
        self.intro = text_label("setup.pin_intro")
        form = _form()
        self.pin_label, self.again_label = QLabel(t("setup.pin")), QLabel(t("setup.pin_again"))
        self.pin, self.again = QLineEdit(), QLineEdit()
        for name, f in (("pin", self.pin), ("pinAgain", self.again)):
            f.setObjectName(name)
            f.setEchoMode(QLineEdit.EchoMode.Password)
            f.setMaxLength(12)
            f.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.again_label, self.again)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.intro)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)

    def retranslate(self) -> None:
        self.title.setText(t("setup.pin_title"))
        self.intro.setText(t("setup.pin_intro"))
        self.pin_label.setText(t("setup.pin"))
        self.again_label.setText(t("setup.pin_again"))

    def check(self) -> None:
        from kiosk.security import pin
        pin.check_strength(self.pin.text())
        if self.again.text() != self.pin.text():
            self.again.clear()
            raise KioskError("pin.mismatch")

    def collect(self, choices: SetupChoices) -> SetupChoices:
        return replace(choices, pin=self.pin.text())


class DatabasePage(Page):
    name = "database"

    def __init__(self, window: SetupWindow) -> None:
        super().__init__(window)
        self.title = _title("setup.db_title")
        self.intro = text_label("setup.db_intro")
        self.path_label = text_label("setup.db_path")
        self.path = QLineEdit(str(window.choices.db_path))
        self.path.setObjectName("dbPath")
        self.choose, self.default = QPushButton(), QPushButton()
        self.choose.clicked.connect(self._choose)
        self.default.clicked.connect(lambda: self.path.setText(str(firstrun.default_db_path())))
        self.fixed = text_label("setup.db_fixed", "note")
        row = QHBoxLayout()
        row.addWidget(self.choose)
        row.addWidget(self.default)
        row.addStretch(1)
        for w in (self.title, self.intro, self.path_label, self.path):
            self.layout_.addWidget(w)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.fixed)
        self.layout_.addStretch(1)
        fixed = window.db_fixed
        self.path.setReadOnly(fixed)
        self.choose.setVisible(not fixed)
        self.default.setVisible(not fixed)
        self.fixed.setVisible(fixed)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(t("setup.db_title"))
        self.intro.setText(t("setup.db_intro"))
        self.path_label.setText(t("setup.db_path"))
        self.choose.setText(t("setup.db_choose"))
        self.default.setText(t("setup.db_default"))
        self.fixed.setText(t("setup.db_fixed"))

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, t("setup.db_title"), self.path.text(), t("setup.db_filter"),
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if name:
            self.path.setText(name if name.lower().endswith(".db") else name + ".db")

    def check(self) -> None:
        text = self.path.text().strip()
        if not text:
            raise KioskError("output.empty")
        if Path(text).expanduser().is_dir():
            raise KioskError("output.folder", path=text)

    def collect(self, choices: SetupChoices) -> SetupChoices:
        return replace(choices, db_path=Path(self.path.text().strip()).expanduser())


class EventPage(Page):
    name = "event"

    def __init__(self, window: SetupWindow) -> None:
        super().__init__(window)
        c = window.choices
        self.title = _title("setup.event_title")
        self.intro = text_label()
        self.demo, self.real = QRadioButton(), QRadioButton()
        self.demo.setObjectName("demo")
        self.real.setObjectName("real")
        group = QButtonGroup(self)
        group.addButton(self.demo)
        group.addButton(self.real)
        (self.demo if c.demo else self.real).setChecked(True)
        self.form_box = QWidget()
        form = _form(self.form_box)
        form.setContentsMargins(28, 0, 0, 0)
        self.labels = [QLabel() for _ in range(4)]
        self.event_name = QLineEdit(c.title)
        self.event_name.setObjectName("eventName")
        self.date = QDateEdit()
        self.date.setObjectName("eventDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMMM yyyy")
        try:
            day = _dt.date.fromisoformat(c.date)
        except ValueError:
            day = _dt.date.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.venue = QLineEdit(c.venue)
        self.venue.setObjectName("eventVenue")
        self.template = QComboBox()
        self.template.setObjectName("template")
        for key in _pledge.template_keys():
            self.template.addItem(_pledge.load_template(key).name, key)
        self.template.setCurrentIndex(max(0, self.template.findData(c.template)))
        for label, field in zip(self.labels, (self.event_name, self.date, self.venue, self.template)):
            form.addRow(label, field)
        for w in (self.title, self.intro, self.demo, self.real, self.form_box):
            self.layout_.addWidget(w)
        self.layout_.addStretch(1)
        self.real.toggled.connect(self.form_box.setEnabled)
        self.form_box.setEnabled(self.real.isChecked())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(t("setup.event_title"))
        self.intro.setText(t("setup.event_intro", count=firstrun.DEMO_PEOPLE))
        self.demo.setText(t("setup.event_demo"))
        self.real.setText(t("setup.event_real"))
        for label, key in zip(self.labels, ("setup.event_name", "setup.event_date", "setup.event_venue",
                                            "setup.event_pledge")):
            label.setText(t(key))
        if not self.event_name.text():
            self.event_name.setText(firstrun.EVENT_TITLE)
        self.date.setLocale(QLocale(QLocale.Language.Indonesian if i18n.language() == "id" else
                                    QLocale.Language.English))

    def check(self) -> None:
        if self.real.isChecked() and not " ".join(self.event_name.text().split()):
            raise KioskError("event.empty_title")

    def collect(self, choices: SetupChoices) -> SetupChoices:
        d = self.date.date()
        return replace(choices, demo=self.demo.isChecked(), title=self.event_name.text(), venue=self.venue.text(),
                       date=_dt.date(d.year(), d.month(), d.day()).isoformat(),
                       template=str(self.template.currentData()))


