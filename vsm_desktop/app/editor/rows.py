"""The table model of one list of the review (targets, actions, attendees, …)."""

from __future__ import annotations

from ..qt import (
    QAbstractTableModel, QModelIndex,     Qt,
)
from .common import ID_ROLE, RATING_COLOURS, ReviewData, cell_text, column_label


class RowsModel(QAbstractTableModel):
    """The live rows of one list (targets, attendees, …). The rows are the very dicts of the
    open `ReviewData`, so an edit seen here is seen by every page."""

    def __init__(self, entity: str, columns: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.entity, self.columns = entity, columns
        self.rows: list[dict] = []
        self.data_: ReviewData | None = None

    # Qt's interface
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(self.columns)):
            return None
        row, field = self.rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(self.entity, field, row, self.data_)
        if role == Qt.ItemDataRole.ToolTipRole:
            value = row.get(field)
            return value if isinstance(value, str) and len(value) > 40 and not field.endswith("_id") else None
        if role == Qt.ItemDataRole.DecorationRole and field == "rating":
            return RATING_COLOURS.get(row.get("rating"))
        if role == ID_ROLE:
            return row["id"]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return column_label(self.entity, self.columns[section]) if 0 <= section < len(self.columns) else None
        return str(section + 1) if 0 <= section < len(self.rows) else None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # changes
    def set_rows(self, rows: list[dict], data: ReviewData | None) -> None:
        self.beginResetModel()
        self.rows, self.data_ = rows, data
        self.endResetModel()

    def row_of(self, record_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r["id"] == record_id), -1)

    def changed(self, record_id: str) -> None:
        i = self.row_of(record_id)
        if i >= 0:
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

    def insert(self, row: dict, at: int | None = None) -> int:
        at = len(self.rows) if at is None else max(0, min(at, len(self.rows)))
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, row)
        self.endInsertRows()
        return at

    def remove(self, record_id: str) -> tuple[int, dict] | None:
        i = self.row_of(record_id)
        if i < 0:
            return None
        self.beginRemoveRows(QModelIndex(), i, i)
        row = self.rows.pop(i)
        self.endRemoveRows()
        return i, row

    def move(self, i: int, j: int) -> None:
        """Moves row i to position j (one step up or down)."""
        if i == j or not (0 <= i < len(self.rows)) or not (0 <= j < len(self.rows)):
            return
        self.beginMoveRows(QModelIndex(), i, i, QModelIndex(), j + 1 if j > i else j)
        self.rows.insert(j, self.rows.pop(i))
        self.endMoveRows()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))
