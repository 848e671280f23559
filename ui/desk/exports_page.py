"""Ekspor: each document one click, from this kiosk database or from an export or merged file (all the
laptops' attendance); a progress bar, Cancel, and "open the folder" when done.  The calls are
:mod:`kiosk.documents.exports` and :func:`kiosk.exchange.export.export_sqlite`, what ``ikrar export …``
runs."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.documents import exports
from kiosk.exchange.sealing import Passphrase
from kiosk.i18n import KioskError
from kiosk.store import Event, Store
from ui.desk import ask
from ui.desk.common import Notice, TaskBar, hint_label, title_label
from ui.desk.service import DeskContext
from ui.messages import t
from ui.worker import Progress

#: Refusals answered by asking, then running again with the option given.
REPLACE = {"documents.exists", "documents.folder_has_pakta", "exchange.would_overwrite",
           "exchange.overwrite_sealed", "exchange.overwrite_other"}
PLAIN = "documents.encrypted_input"
NEEDS_PASSPHRASE = {"exchange.passphrase_needed", "exchange.passphrase_wrong"}


@dataclass(frozen=True, slots=True)
class Job:
    """One document to make: what it is, where it goes, and the options the user said yes to."""
    document: str                     # daftar-hadir, xlsx, csv, pakta, laporan, sqlite
    out: Path
    force: bool = False
    plain: bool = False
    by_unit: bool = False
    single: bool = False              # pakta: one PDF instead of a folder
    sep: str = ";"
    photos: tuple[Path, ...] = ()
    secret: str | None = None         # sqlite: encrypt with this passphrase


def run_job(store: Store, event_id: int, source: Path | None, passphrase: str | None, job: Job,
            progress: Progress) -> dict[str, Any]:
    """Make ``job``'s file from the kiosk database (``source`` None) or an export or merged file."""
    if job.document == "sqlite":
        from kiosk.exchange.export import export_sqlite
        secret = Passphrase(value=job.secret, interactive=False).new(str(job.out)) if job.secret else None
        progress.check()
        data = export_sqlite(store, store.event(event_id), job.out, passphrase=secret, force=job.force)
        return {"document": "sqlite", "file": str(job.out), "count": data["checkins"], "encrypted": data["encrypted"],
                "present": data["present"], "folder": str(job.out.parent)}
    if source is None:
        return _document(store, store.event(event_id), job, progress)
    from kiosk.exchange.reader import ExportReader
    with ExportReader(source, Passphrase(value=passphrase, interactive=False)) as reader:
        return _document(reader, reader.active_event(), job, progress)


def _document(reader: Any, event: Event, job: Job, progress: Progress) -> dict[str, Any]:
    if job.document == "daftar-hadir":
        written = exports.daftar_hadir(reader, event, job.out, by_unit=job.by_unit, force=job.force, plain=job.plain,
                                       progress=progress)
    elif job.document in ("xlsx", "csv"):
        written = exports.sheet(reader, event, job.out, fmt=job.document, sep=job.sep, force=job.force,
                                progress=progress)
    elif job.document == "pakta":
        written = exports.pakta(reader, event, None if job.single else job.out, single=job.out if job.single else None,
                                force=job.force, plain=job.plain, progress=progress)
    elif job.document == "laporan":
        progress.check()
        written = exports.laporan(reader, event, job.out, photos=job.photos, force=job.force)
    else:
        raise ValueError(f"unknown document {job.document!r}")
    data = written.to_json()
    data["folder"] = str(written.folder or written.files[0].parent)
    return data


def _today() -> str:
    return _dt.date.today().isoformat()


class ExportsPage(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.source: Path | None = None               # None: this kiosk database
        self.passphrase: str | None = None            # the source file's, once typed
        self.photos: list[Path] = []
        self.results: list[dict[str, Any]] = []       # what was written (tests read it)
        outer = QVBoxLayout(self)                           # the page scrolls when the screen is short
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        scroll.setWidget(inner)
        outer.addWidget(scroll)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title_label(t("desk.page_exports")))

        source = QGroupBox(t("desk.exp_source"))
        s = QHBoxLayout(source)
        self.from_db = QRadioButton(t("desk.exp_from_db"))
        self.from_file = QRadioButton(t("desk.exp_from_file"))
        self.from_db.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.from_db)
        group.addButton(self.from_file)
        self.source_label = hint_label("")
        pick = QPushButton(t("desk.exp_pick_file"))
        pick.clicked.connect(self.pick_source)
        self.from_db.toggled.connect(lambda on: self._source_changed())
        s.addWidget(self.from_db)
        s.addWidget(self.from_file)
        s.addWidget(pick)
        s.addWidget(self.source_label, 1)
        layout.addWidget(source)

        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        docs = QGroupBox(t("desk.exp_documents"))
        d = QGridLayout(docs)
        self.by_unit = QCheckBox(t("desk.exp_by_unit"))
        self.sep_combo = QComboBox()
        for label, sep in ((t("desk.exp_sep_semicolon"), ";"), (t("desk.exp_sep_comma"), ","), ("Tab", "\t")):
            self.sep_combo.addItem(label, sep)
        self.pakta_single = QCheckBox(t("desk.exp_pakta_single"))
        self.photos_button = QPushButton(t("desk.exp_photos", count=0))
        self.photos_button.clicked.connect(self.pick_photos)
        rows = (("daftar-hadir", self.by_unit), ("xlsx", None), ("csv", self.sep_combo),
                ("pakta", self.pakta_single), ("laporan", self.photos_button))
        for r, (document, option) in enumerate(rows):
            button = self._button(document)
            d.addWidget(button, r, 0)
            if option is not None:
                d.addWidget(option, r, 1)
            d.addWidget(hint_label(t(f"desk.exp_hint.{document}")), r, 2)
        d.setColumnStretch(2, 1)
        grid.addWidget(docs, 0, 0)
        offline = QGroupBox(t("desk.exp_offline"))
        o = QVBoxLayout(offline)
        o.addWidget(self._button("sqlite"), 0, Qt.AlignmentFlag.AlignLeft)   # as wide as its words, like the others
        self.encrypt = QCheckBox(t("desk.exp_encrypt"))
        o.addWidget(self.encrypt)
        o.addWidget(hint_label(t("desk.exp_hint.sqlite")))
        o.addStretch(1)
        grid.addWidget(offline, 1, 0)                       # below the documents: they keep the whole width
        layout.addLayout(grid)
        self.task = TaskBar()
        layout.addWidget(self.task)
        self.notice = Notice()
        layout.addWidget(self.notice)
        layout.addStretch(1)
        context.eventChanged.connect(lambda _: self._source_changed())
        self._source_changed()

    def _button(self, document: str) -> QPushButton:
        button = QPushButton(t(f"desk.exp_button.{document}"))
        button.setObjectName("bigAction")
        # no fixed minimum: the layout keeps the styled text's whole width and the hint beside it wraps
        button.clicked.connect(lambda _=False, d=document: self.make(d))
        self.buttons[document] = button
        return button

    # --- the source -------------------------------------------------------------------------------

    def pick_source(self) -> None:
        path = ask.open_file(self, t("desk.exp_pick_file"), t("desk.exp_file_filter"))
        if path is not None:
            self.use_file(path)
        self._source_changed()

    def use_file(self, path: Path) -> None:
        """Make the documents from this export or merged file."""
        self.source = Path(path)
        self.passphrase = None
        self.from_file.setChecked(True)
        self._source_changed()

    def _source_changed(self) -> None:
        if self.from_file.isChecked() and self.source is None:
            self.from_db.setChecked(True)
        from_file = self.from_file.isChecked() and self.source is not None
        self.source_label.setText(t("desk.exp_source_file", path=str(self.source)) if from_file
                                  else str(self.context.path))
        self.buttons["sqlite"].setEnabled(not from_file and self.context.event is not None)
        self.encrypt.setEnabled(not from_file)
        for document, button in self.buttons.items():
            if document != "sqlite":
                button.setEnabled(from_file or self.context.event is not None)

    def pick_photos(self) -> None:
        self.photos = ask.open_files(self, t("desk.exp_photos_pick"), t("desk.logo_filter"))
        self.photos_button.setText(t("desk.exp_photos", count=len(self.photos)))

    # --- making one ---------------------------------------------------------------------------------

    def make(self, document: str) -> None:
        if self.task.busy:
            return
        stamp = _today()
        names = {"daftar-hadir": f"daftar-hadir-{stamp}.pdf", "xlsx": f"kehadiran-{stamp}.xlsx",
                 "csv": f"kehadiran-{stamp}.csv", "pakta": f"pakta-{stamp}.pdf" if self.pakta_single.isChecked()
                 else f"pakta-{stamp}", "laporan": f"laporan-{stamp}.pdf", "sqlite": f"ekspor-kiosk-{stamp}.db"}
        if document == "pakta" and not self.pakta_single.isChecked():
            out = ask.folder(self, t("desk.exp_pakta_folder"))
        else:
            filters = {"xlsx": "Excel (*.xlsx)", "csv": "CSV (*.csv)", "sqlite": t("desk.exp_file_filter")}
            out = ask.save_file(self, t(f"desk.exp_button.{document}").replace("&", ""), names[document],
                                filters.get(document, "PDF (*.pdf)"))
        if out is None:
            return
        secret = None
        if document == "sqlite" and self.encrypt.isChecked():
            secret = ask.passphrase(self, t("desk.passphrase_new"), twice=True)
            if secret is None:
                return
        self.run(Job(document, out, by_unit=self.by_unit.isChecked(), single=self.pakta_single.isChecked(),
                     sep=self.sep_combo.currentData(), photos=tuple(self.photos), secret=secret))

    def run(self, job: Job) -> None:
        event_id = self.context.event_id
        source = self.source if self.from_file.isChecked() else None
        if event_id is None and source is None:
            self.notice.say(t("desk.need_event"), "error")
            return
        passphrase = self.passphrase
        self.notice.say("")
        self.task.start(t(f"desk.exp_making.{job.document}"))
        for button in self.buttons.values():
            button.setEnabled(False)
        handle = self.context.service.run_long(
            lambda store, progress: run_job(store, event_id or 0, source, passphrase, job, progress),
            success=self._done, failure=lambda exc: self._failed(exc, job), progress=self.task.progress)
        self.task.attach(handle)

    def _done(self, data: dict[str, Any]) -> None:
        self._source_changed()
        self.results.append(data)
        document = data["document"]
        if document == "sqlite":
            text = t("desk.exp_sqlite_done", path=data["file"], checkins=data["count"], present=data["present"],
                     enc=t("exchange.encrypted_note") if data["encrypted"] else "")
        elif document == "pakta" and "file" in data:
            text = t("documents.written.pakta-single", path=data["file"], count=data["count"])
        else:
            text = t(f"documents.written.{document}", path=data.get("folder") if document == "pakta"
                     else data["file"], count=data["count"], absent=data.get("absent", 0))
        self.task.succeed(text, Path(data["folder"]))
        if data.get("warnings"):
            self.notice.say(" ".join(data["warnings"]), "info")

    def _failed(self, exc: Exception, job: Job) -> None:
        self._source_changed()
        code = exc.code if isinstance(exc, KioskError) else ""
        again: Callable[[], Job] | None = None
        if code in REPLACE and ask.confirm(self, t("desk.replace_title"), t("desk.replace_text", path=str(job.out)),
                                           t("desk.yes_replace")):
            again = lambda: replace(job, force=True)  # noqa: E731
        elif code == PLAIN and ask.confirm(self, t("desk.exp_plain_title"), str(exc) + "\n\n" + t("desk.exp_plain"),
                                           t("desk.exp_plain_yes")):
            again = lambda: replace(job, plain=True)  # noqa: E731
        elif code in NEEDS_PASSPHRASE and self.source is not None:
            typed = ask.passphrase(self, t("desk.passphrase_for", path=self.source.name) + (
                "\n" + str(exc) if code == "exchange.passphrase_wrong" else ""))
            if typed is not None:
                self.passphrase = typed
                again = lambda: job  # noqa: E731
        if again is not None:
            self.run(again())
            return
        self.task.fail(exc)
