"""Sending to the central PostgreSQL database (``ikrar sync``): from this kiosk database or the merged
file, with progress and Cancel (what was committed stays acknowledged: sending again finishes it),
and the count of what is not sent yet (``ikrar sync --status``, no network needed)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.exchange.sealing import Passphrase
from kiosk.i18n import KioskError
from kiosk.store import Store
from ui.desk import ask
from ui.desk.common import Notice, TaskBar, hint_label, primary
from ui.desk.service import DeskContext
from ui.messages import t
from ui.worker import Progress, describe

NEEDS_PASSPHRASE = {"exchange.passphrase_needed", "exchange.passphrase_wrong"}


def unsent(store: Store, path: Path | None, passphrase: str | None, url: str | None) -> dict:
    """What the ledger says is not yet acknowledged (``ikrar sync --status``)."""
    from kiosk.exchange import sync, sync_sources
    source = sync_sources.open_source(store, path, Passphrase(value=passphrase, interactive=False))
    try:
        return sync.status(store, source, url or None)
    finally:
        source.close()


def send(store: Store, path: Path | None, passphrase: str | None, url: str, progress: Progress) -> dict:
    """``ikrar sync``: push what the centre has not acknowledged, then say what is left."""
    from kiosk.exchange import sync, sync_sources
    source = sync_sources.open_source(store, path, Passphrase(value=passphrase, interactive=False))
    try:
        report = sync.push(store, source, url, progress=progress)
        left = sync.status(store, source, url)
    finally:
        source.close()
    return {"lines": report.lines(), "conflicts": len(report.conflicts), "status": left}


class SyncPanel(QGroupBox):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(t("desk.sync_title"), parent)
        self.context = context
        self.merged: Path | None = None
        self.passphrase: str | None = None
        self.status: dict | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(t("desk.sync_hint")))
        form = QFormLayout()
        self.url = QLineEdit(os.environ.get("IKRAR_SYNC_URL", ""))
        self.url.setPlaceholderText("postgresql://pengguna@server:5432/ikrar")
        self.url.setMinimumWidth(self.url.fontMetrics().horizontalAdvance(self.url.placeholderText()) + 48)
        form.addRow(t("desk.sync_url"), self.url)
        layout.addLayout(form)
        self.from_db = QRadioButton(t("desk.exp_from_db"))
        self.from_merged = QRadioButton(t("desk.sync_from_merged"))
        self.from_db.setChecked(True)
        self.from_merged.setEnabled(False)
        group = QButtonGroup(self)
        group.addButton(self.from_db)
        group.addButton(self.from_merged)
        layout.addWidget(self.from_db)
        layout.addWidget(self.from_merged)
        self.unsent_label = Notice(t("desk.sync_unknown"))
        layout.addWidget(self.unsent_label)
        row = QHBoxLayout()
        self.status_button = QPushButton(t("desk.sync_check"))
        self.send_button = primary(t("desk.sync_send"))
        self.status_button.clicked.connect(self.check)
        self.send_button.clicked.connect(self.send)
        row.addWidget(self.send_button)
        row.addStretch(1)
        layout.addLayout(row)
        check = QHBoxLayout()                               # its own line: the panel is the narrower one
        check.addWidget(self.status_button)
        check.addStretch(1)
        layout.addLayout(check)
        self.task = TaskBar()
        layout.addWidget(self.task)
        self.notice = Notice()
        layout.addWidget(self.notice)
        layout.addStretch(1)
        self.from_db.toggled.connect(lambda _: self.check())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.status is None:
            self.check()

    def set_merged(self, path: Path) -> None:
        self.merged = path
        self.from_merged.setText(t("desk.sync_from_file", name=path.name))
        self.from_merged.setEnabled(True)

    def _source(self) -> Path | None:
        return self.merged if self.from_merged.isChecked() else None

    def check(self) -> None:
        path, passphrase, url = self._source(), self.passphrase, self.url.text().strip()
        self.context.service.run(lambda store: unsent(store, path, passphrase, url), success=self._status,
                                 failure=self._status_failed)

    def _status(self, data: dict) -> None:
        from kiosk.exchange import sync
        self.status = data
        total = sum(data["unsent"].values())
        self.unsent_label.say(sync.status_line(data), "ok" if total == 0 and data["synced_before"] else "info")

    def _status_failed(self, exc: Exception) -> None:
        if isinstance(exc, KioskError) and exc.code == "sync.bad_url":
            self.unsent_label.say(str(exc), "error")
        elif not self._passphrase_again(exc, self.check):
            self.unsent_label.error(exc)

    def send(self) -> None:
        url = self.url.text().strip()
        if not url:
            self.notice.say(t("desk.sync_need_url"), "error")
            return
        path, passphrase = self._source(), self.passphrase
        self.notice.say("")
        self.send_button.setEnabled(False)
        self.task.start(t("desk.sync_sending"))
        handle = self.context.service.write_long(lambda store, progress: send(store, path, passphrase, url, progress),
                                                 success=self._sent, failure=self._send_failed,
                                                 progress=self.task.progress)
        self.task.attach(handle)

    def _sent(self, data: dict) -> None:
        self.send_button.setEnabled(True)
        self.task.succeed(data["lines"][0])
        if len(data["lines"]) > 1:
            self.notice.say("\n".join(data["lines"][1:]), "error")
        self._status(data["status"])

    def _send_failed(self, exc: Exception) -> None:
        self.send_button.setEnabled(True)
        if self._passphrase_again(exc, self.send):
            self.task.clear()
            return
        self.task.fail(exc, t("desk.sync_cancelled"))
        self.check()

    def _passphrase_again(self, exc: Exception, then) -> bool:
        if isinstance(exc, KioskError) and exc.code in NEEDS_PASSPHRASE and self.merged is not None:
            typed = ask.passphrase(self, describe(exc))
            if typed is not None:
                self.passphrase = typed
                then()
                return True
        return False
