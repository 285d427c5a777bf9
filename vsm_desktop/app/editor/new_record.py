"""Adding a row to a list (the dialog), and choosing a school (a chooser that can add one)."""

from __future__ import annotations

import datetime as dt

from ... import i18n
from ...coordinator import quality
from ...domain import model
from ...i18n import _, pgettext
from ..fields import FieldEditor, date_keys
from ..language import human_error
from ..qt import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout,     QKeySequence, QLabel, QShortcut, QVBoxLayout,
    QWidget, Signal,
)
from .common import EditorContext, LISTS, LIST_TEXTS, display_name, editor_value, fit_text_editors


# --- choosing a school ------------------------------------------------------------------

NEW_SCHOOL = "\x00new"  # the data of the chooser's last item, "New school…"


class SchoolChooser(QComboBox):
    """The schools in the store (records of "schools"), in the alphabet of the interface;
    typing the first letters of a name selects it. The last item, "New school…", asks for a
    school that is not there yet, adds it to the store and chooses it."""

    chosen = Signal(object)

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self._last = 0
        self.dialog: NewRecordDialog | None = None
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.currentIndexChanged.connect(self._changed)

    def set_schools(self, schools: dict[str, dict], current: str | None) -> None:
        from ...i18n.collation import sort_key

        lang = i18n.current_language()
        self._loading = True
        self.clear()
        self.addItem("—", None)
        for school in sorted(schools.values(), key=lambda s: sort_key(s["name"], lang)):
            self.addItem(school["name"], school["id"])
        self.addItem(_("New school…"), NEW_SCHOOL)
        self.setCurrentIndex(max(self.findData(current), 0) if current else 0)
        self._last = self.currentIndex()
        self._loading = False

    def value(self) -> str | None:
        data = self.currentData()
        return None if data == NEW_SCHOOL else data

    def _changed(self, index: int) -> None:
        if self._loading:
            return
        if self.currentData() != NEW_SCHOOL:
            self._last = index
            self.chosen.emit(self.currentData())
            return
        self._loading = True  # back to what was chosen until the new school exists
        self.setCurrentIndex(self._last)
        self._loading = False
        if self.ctx.data is None:
            return
        self.dialog = NewRecordDialog("schools", self.ctx, self)
        self.dialog.created.connect(self._created)
        self.dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog.open()

    def _created(self, school: dict) -> None:
        self.ctx.data.schools[school["id"]] = school
        self.set_schools(self.ctx.data.schools, school["id"])
        self.chosen.emit(school["id"])


# --- adding a row -------------------------------------------------------------------------

class NewRecordDialog(QDialog):
    """Asks for what a new row needs (its required fields and one or two more), then creates it
    through the worker; a value the core refuses shows its message under the field."""

    created = Signal(dict)

    def __init__(self, entity: str, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity, self.ctx = entity, ctx
        self.setObjectName(f"new_{entity}")
        data = ctx.data
        ent = model.entity(entity)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form_layout = QFormLayout()
        self.form_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form_layout.setVerticalSpacing(8)
        self.form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form_layout)
        self.editors: dict[str, FieldEditor] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.school: SchoolChooser | None = None
        self.people: QComboBox | None = None
        if entity == "attendees" and data is not None:
            self.people = QComboBox()
            self.people_label = QLabel()
            self.people_label.setBuddy(self.people)
            self.people.currentIndexChanged.connect(self._person_chosen)
            self.form_layout.addRow(self.people_label, self.people)
        for name in LISTS[entity]["new"]:
            f = ent.field(name)
            label = QLabel()  # one line: a wrapped label in a dialog's form is measured too short
            error = QLabel()
            error.setWordWrap(True)
            error.setVisible(False)
            error.setObjectName("fieldError")
            error.setStyleSheet("color: palette(highlighted-text); background: #9b1c1c; padding: 2px 6px;")
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            if name == "school_id":
                self.school = SchoolChooser(ctx)
                self.school.set_schools(data.schools if data else {}, None)
                col.addWidget(self.school)
                label.setBuddy(self.school)
            else:
                editor = FieldEditor(entity, f)
                if f.kind == "date" and f.required:
                    editor.set_value(dt.date.today().isoformat())
                if editor.lang is not None:
                    editor.set_value(None, (data.default_lang() if data else None) or "cy")
                self.editors[name] = editor
                col.addWidget(editor)
                label.setBuddy(editor.widget)
            col.addWidget(error)
            self.form_layout.addRow(label, box)
            self.labels[name], self.errors[name] = label, error
        self.general_error = QLabel()
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.submit)
        layout.setSizeConstraint(layout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(int(620 * ctx.scale))
        date_keys().attach(self)
        fit_text_editors(self, 4)
        self._busy = False
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        heading, add, title, _empty = LIST_TEXTS[self.entity]
        self.setWindowTitle(_(title))
        self.intro.setText(_("Fields marked * are needed. Everything else can be filled in afterwards, below the list."))
        ent = model.entity(self.entity)
        for name, label in self.labels.items():
            f = ent.field(name)
            label.setText(_(f.label) + (" *" if f.required else ""))
        for editor in self.editors.values():
            editor.retranslate_ui()
        if self.school is not None:
            self.school.setAccessibleName(model.field_label("enrolments", "school_id"))
        if self.people is not None:
            self.people_label.setText(_("From the contacts"))
            self.people.setAccessibleName(_("Choose someone from the learner's contacts"))
            self._fill_people()
        self.ok.setText(pgettext("button", "Add"))
        self.cancel.setText(pgettext("button", "Cancel"))

    def _fill_people(self) -> None:
        data = self.ctx.data
        current = self.people.currentIndex()
        self.people.blockSignals(True)
        self.people.clear()
        self.people.addItem(_("Someone else (type below)"), None)
        learner = data.learner
        self.people.addItem(_("{name} (learner)").format(name=display_name(learner)),
                            (display_name(learner), "learner"))
        for c in data.rows("contacts"):
            role = model.enum_label("contact_role", c["role"])
            self.people.addItem(_("{name} ({role})").format(name=c["name"], role=role), (c["name"], c["role"]))
        self.people.setCurrentIndex(max(current, 0))
        self.people.blockSignals(False)

    def _person_chosen(self, _index: int) -> None:
        choice = self.people.currentData()
        if not choice:
            return
        name, role = choice
        self.editors["name"].set_value(name)
        self.editors["role"].set_value(role)

    def values(self) -> dict:
        values = dict(self.ctx.data.parent_values(self.entity)) if self.ctx.data else {}
        for name, editor in self.editors.items():
            values[name] = editor_value(editor)
            if editor.lang is not None and values[name]:
                values[name + "_lang"] = editor.lang.currentData()
        if self.school is not None:
            values["school_id"] = self.school.value()
        if self.entity == "targets":
            values["position"] = max((r.get("position") or 0 for r in self.ctx.data.rows("targets")), default=-1) + 1
        return values

    def submit(self) -> None:
        if self._busy or self.ctx.data is None:
            return
        self._busy = True
        self.ok.setEnabled(False)
        for error in self.errors.values():
            error.setVisible(False)
        self.general_error.setVisible(False)
        entity, values = self.entity, self.values()

        def create(store):
            if entity == "quality_ratings":  # the QA rules: a finalised review, feedback for red
                return store.get(entity, quality.rate_review(store, values["review_id"], values.get("rating"),
                                                             values.get("feedback"), values.get("feedback_lang")))
            return store.get(entity, store.create(entity, values))

        self.ctx.worker.submit(create, on_done=self._created, on_error=self._refused)

    def _created(self, row: dict) -> None:
        self._busy = False
        self.created.emit(row)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._busy = False
        self.ok.setEnabled(True)
        label = self.errors.get(getattr(error, "field", None) or "")
        if isinstance(error, model.ValidationError) and label is not None:
            label.setText(error.message)
            label.setVisible(True)
            target = self.school if error.field == "school_id" else self.editors[error.field].widget
            target.setFocus()
        else:
            self.general_error.setText(human_error(error))
            self.general_error.setVisible(True)
