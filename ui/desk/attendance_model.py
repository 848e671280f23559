"""The attendance table's rows: the register filtered and sorted in Python (a few milliseconds for 5,000
rows, where a proxy model would call back into Python for every comparison), shown by one flat model."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from kiosk.people.kinds import PersonKind
from kiosk.store.register import RegisterRow
from ui.desk.common import badge_text, where
from ui.messages import t


class Status(StrEnum):
    ALL = "all"
    PRESENT = "present"
    ABSENT = "absent"                     # not checked in (guests included)
    UNSTATED = "unstated"                 # absent staff without a stated reason
    STATED = "stated"                     # absent staff with a stated reason


@dataclass(frozen=True, slots=True)
class Filter:
    text: str = ""
    unit: str | None = None
    kind: PersonKind | None = None
    status: Status = Status.ALL

    def accepts(self, row: RegisterRow) -> bool:
        p = row.person
        if self.unit is not None and where(p) != self.unit:
            return False
        if self.kind is not None and p.kind is not self.kind:
            return False
        if self.status is Status.PRESENT and not row.present:
            return False
        if self.status is Status.ABSENT and row.present:
            return False
        if self.status is Status.UNSTATED and (row.present or row.absence is not None or p.kind is PersonKind.GUEST):
            return False
        if self.status is Status.STATED and (row.present or row.absence is None):
            return False
        if self.text:
            needle = self.text.casefold()
            digits = needle.replace(" ", "").replace("-", "").replace(".", "")
            return needle in p.name.casefold() or (bool(digits) and digits in p.nip.casefold())
        return True


def reason_text(row: RegisterRow) -> str:
    if row.present:
        return t("desk.att_twice", count=row.checkins) if row.checkins > 1 else ""
    if row.absence is not None:
        return row.absence.reason.label + (f" — {row.absence.note}" if row.absence.note else "")
    return row.reason.label if row.reason is not None else ""


def _time(row: RegisterRow) -> str:
    return f"{row.checked_in_at:%H:%M:%S}" if row.checked_in_at is not None else ""


#: (header code, shown text, sort key) per column.
COLUMNS: tuple[tuple[str, Callable[[RegisterRow], str], Callable[[RegisterRow], object]], ...] = (
    ("desk.col_name", lambda r: r.person.name, lambda r: r.person.name.casefold()),
    ("desk.col_badge", lambda r: badge_text(r.person), lambda r: r.person.nip),
    ("desk.col_kind", lambda r: r.person.kind.label, lambda r: r.person.kind.label),
    ("desk.col_unit", lambda r: where(r.person), lambda r: where(r.person).casefold()),
    ("desk.att_col_time", _time, lambda r: r.checked_in_at.timestamp() if r.checked_in_at else 0.0),
    ("desk.att_col_method", lambda r: t(f"desk.method.{r.method}") if r.method else "", lambda r: r.method),
    ("desk.att_col_signed", lambda r: "✓" if r.signed else "", lambda r: not r.signed),
    ("desk.att_col_reason", reason_text, reason_text),
)
TIME_COLUMN = 4


class RegisterModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.all: Sequence[RegisterRow] = ()
        self.shown: list[RegisterRow] = []
        self.filter = Filter()
        self.sort_column = 0
        self.descending = False
        self.headers = [t(code) for code, _, _ in COLUMNS]

    def set_register(self, rows: Sequence[RegisterRow]) -> None:
        self.all = rows
        self._apply()

    def set_filter(self, flt: Filter) -> None:
        self.filter = flt
        self._apply()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._apply()

    def _apply(self) -> None:
        """Filter, then sort by the column; rows with nothing in it (the absent's time) stay last either way."""
        accepts = self.filter.accepts
        _, text, key = COLUMNS[self.sort_column]
        kept = [r for r in self.all if accepts(r)]
        filled = [r for r in kept if text(r)]
        empty = [r for r in kept if not text(r)]
        self.beginResetModel()
        self.shown = sorted(filled, key=key, reverse=self.descending) + sorted(empty, key=COLUMNS[0][2])
        self.endResetModel()

    def row_of(self, nip: str) -> int:
        return next((i for i, r in enumerate(self.shown) if r.person.nip == nip), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](row)
        if role == Qt.ItemDataRole.ForegroundRole and not row.present:
            return QColor("#8a5a00") if row.absence is not None else QColor("#7a8599")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) \
                and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]          # the tooltip: a column too narrow elides its title
        return None
