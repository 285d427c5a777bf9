"""One list of a section: its table, its buttons and the form of the selected row."""

from __future__ import annotations

from ...domain import model
from ...i18n import _, pgettext
from ..qt import (
    QAbstractItemView, QFont, QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSizePolicy, QTableView,
    QVBoxLayout, QWidget, Qt,
)
from ..signoff import AttendeeSignoff
from .common import EditorContext, LISTS, LIST_TEXTS
from .rows import RowsModel
from .new_record import NewRecordDialog
from .row_form import RowForm


# --- one list: table, buttons, row form ---------------------------------------------------

class ListPanel(QWidget):
    """A list of one section (targets, attendees, …): the table, Add / Remove (a soft delete,
    with Undo) and, for targets, Move up / Move down; the selected row's form below."""

    def __init__(self, entity: str, ctx: EditorContext, heading: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity, self.ctx = entity, ctx
        self.setObjectName(f"list_{entity}")
        spec = LISTS[entity]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.heading = QLabel()
        font = QFont(self.heading.font())   # an explicit font does not follow the page's: scale it here
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1 * ctx.scale)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.heading.setVisible(heading)  # after it has a parent: a parentless label would be a window

        self.model = RowsModel(entity, spec["columns"], self)
        self.table = QTableView()
        self.table.setObjectName(f"table_{entity}")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)     # Tab leaves the table, as in a form
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for i, name in enumerate(spec["columns"]):
            mode = QHeaderView.ResizeMode.Stretch if name == spec["stretch"] else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(i, mode)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._select(current.row()))
        layout.addWidget(self.table)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)

        bar = QHBoxLayout()
        self.add_button = QPushButton()
        self.add_button.setObjectName(f"add_{entity}")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove)
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(self.undo_remove)
        self.undo_button.setVisible(False)
        bar.addWidget(self.add_button)
        self.up_button = self.down_button = None
        if entity == "targets":
            self.up_button, self.down_button = QPushButton(), QPushButton()
            self.up_button.clicked.connect(lambda: self.move(-1))
            self.down_button.clicked.connect(lambda: self.move(1))
            bar.addWidget(self.up_button)
            bar.addWidget(self.down_button)
        bar.addWidget(self.remove_button)
        bar.addWidget(self.undo_button)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.editor_box = QFrame()
        self.editor_box.setObjectName("rowEditor")
        self.editor_box.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self.editor_box)
        self.editor_title = QLabel()
        title_font = QFont(self.editor_title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * ctx.scale)
        self.editor_title.setFont(title_font)
        box.addWidget(self.editor_title)
        self.row_editor = AttendeeSignoff(ctx.autosave) if entity == "attendees" else RowForm(entity, ctx)
        self.row_editor.edited.connect(self._edited)
        box.addWidget(self.row_editor)
        layout.addWidget(self.editor_box)
        self.dialog: NewRecordDialog | None = None
        self._removed: tuple[int, dict] | None = None
        self.retranslate_ui()
        self.load()

    # --- state ------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        data = self.ctx.data
        return data is None or data.read_only(self.entity)

    def current_row(self) -> dict | None:
        i = self.table.currentIndex().row()
        return self.model.rows[i] if 0 <= i < len(self.model.rows) else None

    def load(self) -> None:
        data = self.ctx.data
        keep = (self.current_row() or {}).get("id")
        self.model.set_rows(data.rows(self.entity) if data else [], data)
        self._removed = None
        self.undo_button.setVisible(False)
        self._fit_table()
        if not (keep and self.select(keep)):
            self._select(0 if self.model.rows else -1)

    def retranslate_ui(self) -> None:
        heading, add, _title, empty = LIST_TEXTS[self.entity]
        self.heading.setText(_(heading))
        self.table.setAccessibleName(_(heading))
        self.add_button.setText(_(add))
        self.remove_button.setText(pgettext("button", "Remove"))
        self.remove_button.setAccessibleName(_("Remove the selected row"))
        self.undo_button.setText(_("Undo remove"))
        if self.up_button is not None:
            self.up_button.setText(_("Move up"))
            self.down_button.setText(_("Move down"))
            self.up_button.setAccessibleName(_("Move the selected target up"))
            self.down_button.setAccessibleName(_("Move the selected target down"))
        self.empty.setText(_(empty))
        self.model.retranslate()
        self.row_editor.retranslate_ui()
        self._title_row()
        if self.dialog is not None:
            self.dialog.retranslate_ui()
        self._fit_table()

    def _fit_table(self) -> None:
        n = len(self.model.rows)
        self.table.setVisible(n > 0)
        self.empty.setVisible(n == 0)
        header = self.table.horizontalHeader()
        # Rows follow the font (meeting mode's large type), measured once the table has its parent's font.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        row_h = self.table.verticalHeader().defaultSectionSize()
        shown = min(max(n, 1), 8)
        height = header.sizeHint().height() + shown * row_h + 2 * self.table.frameWidth() + 2
        if self.table.horizontalScrollBar().isVisible():
            height += self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(height)

    def _buttons(self) -> None:
        ro = self.read_only
        row = self.current_row()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            if button is not None:
                button.setVisible(not ro)   # a finalised review shows no editing buttons at all
        if ro:
            self.undo_button.setVisible(False)
        self.add_button.setEnabled(not ro)
        self.remove_button.setEnabled(not ro and row is not None)
        if self.up_button is not None:
            i = self.table.currentIndex().row()
            self.up_button.setEnabled(not ro and row is not None and i > 0)
            self.down_button.setEnabled(not ro and row is not None and i < len(self.model.rows) - 1)
        self.undo_button.setEnabled(not ro)

    def _title_row(self) -> None:
        row = self.current_row()
        if row is None:
            self.editor_title.setText("")
            return
        i = self.model.row_of(row["id"])
        self.editor_title.setText(_("{item} {number}").format(item=_(model.entity(self.entity).label), number=i + 1))

    def _select(self, i: int) -> None:
        row = self.model.rows[i] if 0 <= i < len(self.model.rows) else None
        if row is not None and self.table.currentIndex().row() != i:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(i, 0),
                self.table.selectionModel().SelectionFlag.ClearAndSelect | self.table.selectionModel().SelectionFlag.Rows)
            return  # currentRowChanged calls back
        self.editor_box.setVisible(row is not None)
        self.row_editor.load(row, read_only=self.read_only)
        self._title_row()
        self._buttons()

    def select(self, record_id: str) -> bool:
        i = self.model.row_of(record_id)
        if i < 0:
            return False
        self._select(i)
        return True

    # --- edits ------------------------------------------------------------------------

    def _edited(self, field: str, value) -> None:
        row = self.row_editor.row
        if row is None:
            return
        row[field] = value
        if field == "school_id" and self.ctx.data is not None:
            row["school"] = self.ctx.data.schools.get(value)
        self.model.changed(row["id"])
        self.ctx.field_edited(self.entity, row["id"], field, value)

    def add(self) -> None:
        if self.read_only or self.ctx.data is None:
            return
        self.dialog = NewRecordDialog(self.entity, self.ctx, self.window())
        self.dialog.created.connect(self._added)
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        # Back to the editor's window, where the focus is on the new row's first field (or Add).
        self.window().activateWindow()

    def _added(self, row: dict) -> None:
        self.model.insert(row)
        self._fit_table()
        self.select(row["id"])
        self.ctx.changed()
        self.ctx.status(_("Added."))
        first = next(iter(self.row_editor.focus_widgets().values()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove(self) -> None:
        row = self.current_row()
        if self.read_only or row is None:
            return
        self.ctx.autosave.queue(self.entity, row["id"], "deleted", True)
        removed = self.model.remove(row["id"])
        self._removed = removed
        self.undo_button.setVisible(True)
        self._fit_table()
        if self.model.rows:
            self._select(min(removed[0], len(self.model.rows) - 1))
        else:
            self._select(-1)
        self.undo_button.setFocus()
        self.ctx.changed()
        self.ctx.status(_("Removed. Use “Undo remove” to bring it back."))

    def undo_remove(self) -> None:
        if self._removed is None or self.read_only:
            return
        at, row = self._removed
        self._removed = None
        self.ctx.autosave.queue(self.entity, row["id"], "deleted", False)
        row["deleted"] = False
        self.model.insert(row, at)
        self.ctx.changed()
        self.undo_button.setVisible(False)
        self._fit_table()
        self.select(row["id"])
        self.table.setFocus()

    def move(self, step: int) -> None:
        """Moves the selected target up or down; the order is the targets' `position`."""
        row = self.current_row()
        if self.read_only or row is None:
            return
        i = self.model.row_of(row["id"])
        j = i + step
        if not 0 <= j < len(self.model.rows):
            return
        self.model.move(i, j)
        for k, r in enumerate(self.model.rows):
            if r.get("position") != k:
                r["position"] = k
                self.ctx.autosave.queue(self.entity, r["id"], "position", k)
        self.select(row["id"])
        self._buttons()
        self.ctx.status(_("Target moved to number {number}.").format(number=j + 1))

    # --- focus ------------------------------------------------------------------------

    def focus(self, record_id: str, field: str) -> QWidget | None:
        if record_id and self.select(record_id):
            if field:
                self.row_editor.focus_field(field)
                return self.row_editor.focus_widgets().get(field)
            self.table.setFocus()
            return self.table
        target = self.add_button if self.add_button.isEnabled() else self.table
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def locate(self, widget: QWidget) -> dict | None:
        row = self.current_row()
        if widget is self.table:
            return {"entity": self.entity, "record_id": row["id"] if row else "", "field": ""}
        if widget in (self.add_button, self.remove_button, self.undo_button, self.up_button, self.down_button):
            return {"entity": self.entity, "record_id": "", "field": ""}
        for name, w in self.row_editor.focus_widgets().items():
            if w is widget or w.isAncestorOf(widget):
                return {"entity": self.entity, "record_id": row["id"] if row else "", "field": name}
        for name, editor in self.row_editor.editors.items():
            if editor.isAncestorOf(widget):
                return {"entity": self.entity, "record_id": row["id"] if row else "", "field": name}
        return None
