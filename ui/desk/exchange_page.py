"""Gabung & kirim: pick the exports brought from the other laptops, read each one's verification report in
words (whose record was altered, which device is not known) before anything is merged, merge them
(``ikrar merge``), then send to PostgreSQL (:mod:`ui.desk.sync_panel`, ``ikrar sync``)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk.exchange.report import Report
from kiosk.exchange.sealing import Passphrase
from kiosk.i18n import KioskError
from kiosk.store import Store
from ui.desk import ask
from ui.desk.common import Notice, TaskBar, hint_label, primary, title_label
from ui.desk.service import DeskContext
from ui.desk.sync_panel import SyncPanel
from ui.messages import t
from ui.worker import describe

NEEDS_PASSPHRASE = {"exchange.passphrase_needed", "exchange.passphrase_wrong"}


@dataclass
class Input:
    path: Path
    state: str = "checking"            # checking, ok, failed, passphrase, error
    report: Report | None = None
    error: str = ""


def check(store: Store, path: Path, passphrase: str | None) -> Report:
    """``ikrar verify``, with this database's known devices as the trust."""
    from kiosk.exchange.verify import verify
    return verify(path, Passphrase(value=passphrase, interactive=False), trust=store)


def report_html(item: Input) -> str:
    """A file's verification report in words: the counts, each problem (whose record, what), each signer."""
    from html import escape
    name = f"<p><b>{escape(item.path.name)}</b><br><small>{escape(str(item.path.parent))}</small></p>"
    if item.state in ("error", "passphrase"):
        return name + f"<p style='color:#b71c1c'>{escape(item.error)}</p>"
    r = item.report
    if r is None:
        return name + f"<p>{escape(t('desk.ex_checking'))}</p>"
    data = r.to_json()
    if r.ok:
        counts = {k: data[k] for k in ("checkins", "present", "duplicates", "people", "devices")}
        parts = [f"<p style='color:#1b5e20'><b>{escape(t('exchange.verified', **counts))}</b></p>"]
    else:
        parts = [f"<p style='color:#b71c1c'><b>{escape(t('exchange.verify_failed', count=len(r.problems)))}</b></p>",
                 "<ul style='margin-left:-20px'>", *(f"<li>{escape(e['message'])}</li>" for e in data["errors"]),
                 "</ul>"]
    state = {True: "exchange.signer_trusted", False: "exchange.signer_unknown", None: "exchange.signer_unchecked"}
    signers = [escape(t(state[s["trusted"]], kind=s["kind"], device=s["device_id"],
                        fingerprint=s["fingerprint"]).strip()) for s in r.signers]
    return name + "".join(parts) + "<p>" + "<br>".join(signers) + "</p>"


def merge_files(store: Store, inputs: list[Path], out: Path, passphrase: str | None, encrypt: bool | None,
                admit: list[str]) -> dict:
    from kiosk.exchange.merge import merge
    return merge(store, inputs, out, passphrase=Passphrase(value=passphrase, interactive=False), encrypt=encrypt,
                 admit=admit)


class ExchangePage(QWidget):
    useForDocuments = Signal(object)              # Path: the merged file, for the Ekspor page

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.inputs: list[Input] = []
        self.out: Path | None = None
        self.merged: Path | None = None
        self.passphrase: str | None = None
        self.checks = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title_label(t("desk.page_exchange")))
        split = QSplitter(Qt.Orientation.Horizontal)

        merge_box = QGroupBox(t("desk.ex_merge"))
        m = QVBoxLayout(merge_box)
        m.addWidget(hint_label(t("desk.ex_merge_hint")))
        row = QHBoxLayout()
        self.add_button = QPushButton(t("desk.ex_add"))
        self.drop_button = QPushButton(t("desk.ex_drop"))
        self.add_button.clicked.connect(self.add_files)
        self.drop_button.clicked.connect(self.drop_file)
        row.addWidget(self.add_button)
        row.addWidget(self.drop_button)
        row.addStretch(1)
        m.addLayout(row)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([t("desk.ex_col_file"), t("desk.ex_col_state")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 170)
        self.table.setMaximumHeight(130)
        self.table.itemSelectionChanged.connect(self._show_report)
        m.addWidget(self.table)
        self.report_view = QTextBrowser()
        self.report_view.setMinimumHeight(120)
        m.addWidget(self.report_view, 1)
        self.admit_list = QListWidget()
        self.admit_list.setMaximumHeight(80)
        self.admit_label = QLabel(t("desk.ex_admit"))
        self.admit_label.setWordWrap(True)
        m.addWidget(self.admit_label)
        m.addWidget(self.admit_list)
        out_row = QHBoxLayout()
        self.out_button = QPushButton(t("desk.ex_out"))
        self.out_button.clicked.connect(self.pick_output)
        self.out_label = hint_label(t("desk.ex_out_none"))
        out_row.addWidget(self.out_button)
        out_row.addWidget(self.out_label, 1)
        m.addLayout(out_row)
        enc_row = QHBoxLayout()
        self.encrypt_combo = QComboBox()
        for label, value in (("desk.ex_enc_keep", None), ("desk.ex_enc_yes", True), ("desk.ex_enc_no", False)):
            self.encrypt_combo.addItem(t(label), value)
        self.encrypt_combo.setItemData(0, t("desk.ex_enc_keep_hint"), Qt.ItemDataRole.ToolTipRole)
        self.encrypt_combo.setToolTip(t("desk.ex_enc_keep_hint"))
        encryption = QLabel(t("desk.ex_encryption"))
        encryption.setWordWrap(True)
        enc_row.addWidget(encryption, 1)
        enc_row.addWidget(self.encrypt_combo)
        m.addLayout(enc_row)
        go = QHBoxLayout()
        documents = QHBoxLayout()                          # its own line: a long label never squeezes Merge
        self.merge_button = primary(t("desk.ex_merge_go"))
        self.merge_button.clicked.connect(self.merge)
        self.docs_button = QPushButton(t("desk.ex_use_merged"))
        self.docs_button.clicked.connect(lambda: self.merged and self.useForDocuments.emit(self.merged))
        self.docs_button.setEnabled(False)
        go.addWidget(self.merge_button)
        go.addStretch(1)
        m.addLayout(go)
        documents.addWidget(self.docs_button)
        documents.addStretch(1)
        m.addLayout(documents)
        self.task = TaskBar()
        m.addWidget(self.task)
        self.notice = Notice()
        m.addWidget(self.notice)
        split.addWidget(merge_box)
        self.sync = SyncPanel(context, self)
        split.addWidget(self.sync)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self._admits()
        self._show_report()
        self._update()

    # --- the inputs -------------------------------------------------------------------------------

    def add_files(self) -> None:
        for path in ask.open_files(self, t("desk.ex_add"), t("desk.exp_file_filter")):
            if all(i.path.resolve() != path.resolve() for i in self.inputs):
                item = Input(path)
                self.inputs.append(item)
                self._verify(item)
        self._fill()

    def drop_file(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            del self.inputs[rows[0].row()]
            self._fill()

    def _verify(self, item: Input) -> None:
        item.state, item.report, item.error = "checking", None, ""
        passphrase = self.passphrase
        self.context.service.run(lambda store: check(store, item.path, passphrase),
                                 success=lambda report: self._verified(item, report),
                                 failure=lambda exc: self._verify_failed(item, exc))

    def _verified(self, item: Input, report: Report) -> None:
        self.checks += 1
        item.report = report
        item.state = "ok" if report.ok else "failed"
        self._fill()

    def _verify_failed(self, item: Input, exc: Exception) -> None:
        self.checks += 1
        item.error = describe(exc)
        item.state = "passphrase" if isinstance(exc, KioskError) and exc.code in NEEDS_PASSPHRASE else "error"
        self._fill()
        if item.state == "passphrase" and item in self.inputs:
            typed = ask.passphrase(self, t("desk.passphrase_for", path=item.path.name) + "\n" + item.error)
            if typed is not None:
                self.passphrase = typed
                self._verify(item)

    def _fill(self) -> None:
        current = self.table.currentRow()
        self.table.setRowCount(len(self.inputs))
        for r, item in enumerate(self.inputs):
            self.table.setItem(r, 0, QTableWidgetItem(str(item.path)))
            self.table.setItem(r, 1, QTableWidgetItem(t(f"desk.ex_state.{item.state}")))
        if self.inputs:
            self.table.selectRow(min(max(current, 0), len(self.inputs) - 1))
        self._admits()
        self._show_report()
        self._update()

    def _admits(self) -> None:
        checked = {self.admit_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.admit_list.count())
                   if self.admit_list.item(i).checkState() == Qt.CheckState.Checked}
        unknown = {}
        for item in self.inputs:
            for s in (item.report.signers if item.report else ()):
                if s["trusted"] is False:
                    unknown[s["fingerprint"]] = s["device_id"]
        self.admit_list.clear()
        for fingerprint, device in unknown.items():
            entry = QListWidgetItem(t("desk.ex_admit_item", device=device, fingerprint=fingerprint))
            entry.setData(Qt.ItemDataRole.UserRole, fingerprint)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if fingerprint in checked else Qt.CheckState.Unchecked)
            self.admit_list.addItem(entry)
        self.admit_label.setVisible(bool(unknown))
        self.admit_list.setVisible(bool(unknown))

    def admitted(self) -> list[str]:
        return [self.admit_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.admit_list.count())
                if self.admit_list.item(i).checkState() == Qt.CheckState.Checked]

    def _show_report(self) -> None:
        row = self.table.currentRow()
        self.report_view.setHtml(report_html(self.inputs[row]) if 0 <= row < len(self.inputs)
                                 else t("desk.ex_no_inputs"))

    def pick_output(self) -> None:
        path = ask.save_file(self, t("desk.ex_out"), "gabungan-kehadiran.db", t("desk.exp_file_filter"))
        if path is not None:
            self.out = path
            self.out_label.setText(str(path))
        self._update()

    def _update(self) -> None:
        ready = bool(self.inputs) and self.out is not None and not self.task.busy and all(
            i.state in ("ok", "failed") for i in self.inputs)
        self.merge_button.setEnabled(ready)
        self.drop_button.setEnabled(bool(self.inputs))

    # --- merging ----------------------------------------------------------------------------------

    def merge(self) -> None:
        if self.out is None or not self.inputs:
            return
        inputs, out, passphrase = [i.path for i in self.inputs], self.out, self.passphrase
        encrypt, admit = self.encrypt_combo.currentData(), self.admitted()
        self.notice.say("")
        self.task.start(t("desk.ex_merging"))
        self.context.service.write(lambda store: merge_files(store, inputs, out, passphrase, encrypt, admit),
                                   success=self._merged, failure=self._merge_failed)
        self._update()

    def _merged(self, data: dict) -> None:
        code = "merge.unchanged" if data["unchanged"] else "merge.done"
        text = t(code, path=data["file"], devices=data["devices"], checkins=data["checkins"],
                 present=data["present"], duplicates=data["duplicates"], added=data["added"])
        self.merged = Path(data["file"])
        self.task.succeed(text, self.merged.parent)
        self.docs_button.setEnabled(True)
        if data["warnings"]:
            self.notice.say(" ".join(data["warnings"]), "info")
        self.sync.set_merged(self.merged)
        for item in self.inputs:                          # newly admitted devices are trusted now
            self._verify(item)
        self._update()

    def _merge_failed(self, exc: Exception) -> None:
        if isinstance(exc, KioskError) and exc.code in NEEDS_PASSPHRASE:
            typed = ask.passphrase(self, str(exc))
            if typed is not None:
                self.passphrase = typed
                self.task.clear()
                self.merge()
                return
        self.task.fail(exc)
        self._update()

