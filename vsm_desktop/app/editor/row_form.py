"""The form for the selected row of a list."""

from __future__ import annotations

from ...domain import model
from ...i18n import _
from ..fields import FieldForm
from ..qt import (
    QFrame, QLabel, QVBoxLayout, QWidget, Qt, Signal,
)
from .common import EditorContext, format_date, row_fields
from .new_record import SchoolChooser


# --- the form for one row of a list ---------------------------------------------------------

class RowForm(QWidget):
    """The fields of the selected row; for targets carried forward, what the target was and its
    progress rating; for the school history, the school chooser."""

    edited = Signal(str, object)

    def __init__(self, entity: str, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity, self.ctx = entity, ctx
        self.row: dict | None = None
        self._read_only = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.carried = QLabel()
        self.carried.setWordWrap(True)
        self.carried.setObjectName("carriedForward")
        self.carried.setFrameShape(QFrame.Shape.StyledPanel)
        self.carried.setMargin(6)
        self.carried.setVisible(False)
        self.carried.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.carried)
        self.form = FieldForm(entity, row_fields(entity), ctx.autosave)
        for editor in self.form.editors.values():
            editor.edited.connect(self.edited)
        self.school: SchoolChooser | None = None
        if entity == "enrolments":
            self.school = SchoolChooser(ctx)
            self.school_label = QLabel()
            self.school_label.setBuddy(self.school)
            self.form.layout_.insertRow(0, self.school_label, self.school)
            self.school.chosen.connect(self._school_chosen)
        layout.addWidget(self.form)
        self.retranslate_ui()

    @property
    def editors(self):
        return self.form.editors

    def retranslate_ui(self) -> None:
        self.form.retranslate_ui()
        if self.school is not None:
            self.school_label.setText(model.field_label("enrolments", "school_id") + " *")
            self.school.setAccessibleName(model.field_label("enrolments", "school_id"))
            if self.ctx.data is not None:
                self.school.set_schools(self.ctx.data.schools, (self.row or {}).get("school_id"))
        self._show_carried()

    def load(self, row: dict | None, read_only: bool = False) -> None:
        self.row = row
        self._read_only = read_only or row is None
        data = self.ctx.data
        if data is not None:
            self.form.default_lang = data.default_lang()
        self.form.load(row, read_only=self._read_only)
        if self.school is not None:
            self.school.set_schools(data.schools if data else {}, (row or {}).get("school_id"))
            self.school.setEnabled(not self._read_only)
        if self.entity == "targets":
            carried = bool(row and row.get("carried_from_id"))
            self.form.layout_.setRowVisible(self.form.labels["progress"], carried)
        self._show_carried()

    def _show_carried(self) -> None:
        row, data = self.row, self.ctx.data
        found = data.previous_target(row) if (row and data and self.entity == "targets") else None
        if row and row.get("carried_from_id"):
            if found:
                review, target = found
                text = _("Carried forward from the review of {date}. The target then: “{target}”").format(
                    date=format_date(review.get("meeting_date") or review.get("period_end"), "long"),
                    target=target.get("description") or "")
            else:
                text = _("Carried forward from the last review.")
            self.carried.setText(text)
            self.carried.setVisible(True)
        else:
            self.carried.setVisible(False)

    def _school_chosen(self, school_id) -> None:
        if self.row is None or self._read_only:
            return
        self.ctx.autosave.queue("enrolments", self.row["id"], "school_id", school_id)
        self.edited.emit("school_id", school_id)

    def focus_field(self, name: str) -> None:
        if name == "school_id" and self.school is not None:
            self.school.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.form.focus_field(name)

    def focus_widgets(self) -> dict[str, QWidget]:
        out = {name: ed.widget for name, ed in self.form.editors.items()}
        if self.school is not None:
            out["school_id"] = self.school
        return out
