"""The PEP review editor: a header, the sections of `domain/sections.py` on the left, the section
on the right. Every field is a `FieldForm` editor saved by the autosave; every list (targets,
actions, attendees, …) is a table over the review's rows with a form for the selected row.

The editor holds no rules: values are validated by the core when the autosave sends them (a
refused value's message appears under its field), the finalise checklist comes from
`domain.lifecycle.finalise_problems`, and the next review's dates from the school calendar
through `domain.lifecycle.next_review_values`. Every store call runs on the `StoreWorker`.

`SectionPage` (one section: forms and lists) is shared with meeting mode, which shows the same
pages in large type.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from .. import i18n
from ..coordinator import quality
from ..domain import lifecycle, model
from ..domain.progress import section_progress
from ..domain.sections import BY_KEY, SECTIONS, Section, section_of
from ..errors import Refused
from ..i18n import N_, _, pgettext
from .autosave import Autosave
from .fields import NO_DATE, FieldEditor, FieldForm, date_keys
from .language import human_error
from .qt import (
    QAbstractItemView, QAbstractTableModel, QColor, QComboBox, QDialog, QDialogButtonBox, QFont, QFormLayout,
    QFrame, QHBoxLayout, QHeaderView, QKeySequence, QLabel, QListWidget, QListWidgetItem, QModelIndex,
    QPlainTextEdit, QPushButton, QScrollArea, QShortcut, QSizePolicy, QStackedWidget, QTableView, QTimer,
    QVBoxLayout, QWidget, Qt, Signal,
)
from .progress import ChecklistPanel, OverallProgress, mark_sections
from .quality_panel import RatingPanel
from .shortcuts import with_shortcut
from .signoff import AttendeeSignoff
from .worker import StoreWorker

ID_ROLE = Qt.ItemDataRole.UserRole + 1

# --- what each list shows ----------------------------------------------------------------
# Table columns (fields of the entity, or a pseudo column starting with "_"), the column that
# takes the spare width, and the fields asked for when a row is added (the required ones and
# the one or two a person fills in at once).
LISTS: dict[str, dict] = {
    "targets": dict(columns=("description", "responsible", "due_date", "_carried", "progress"), stretch="description",
                    new=("description", "support", "responsible", "due_date")),
    "actions": dict(columns=("description", "owner", "due_date", "done"), stretch="description",
                    new=("description", "owner", "due_date")),
    "exclusions": dict(columns=("kind", "start_date", "days", "reason"), stretch="reason",
                       new=("kind", "start_date", "days")),
    "interventions": dict(columns=("kind", "provider", "start_date", "end_date", "cost_pence", "funding"),
                          stretch="provider", new=("kind", "provider", "start_date")),
    "attendees": dict(columns=("name", "role", "attendance", "agreed", "signed_at"), stretch="name",
                      new=("name", "role", "attendance")),
    "attainments": dict(columns=("area", "subject", "judgement", "predicted_grade", "actual_grade"),
                        stretch="judgement", new=("area", "subject")),
    "contacts": dict(columns=("role", "name", "organisation", "phone", "email"), stretch="organisation",
                     new=("role", "name", "organisation")),
    "placements": dict(columns=("placement_type", "placing_area", "start_date", "end_date"),
                       stretch="placement_type", new=("placement_type", "placing_area", "start_date")),
    "enrolments": dict(columns=("school_id", "start_date", "end_date", "reduced_timetable"), stretch="school_id",
                       new=("school_id", "start_date")),
    "quality_ratings": dict(columns=("rating", "rated_by", "rated_at", "feedback"), stretch="feedback",
                            new=("rating", "feedback")),
    # Not a list on a page: "New school…" in the school chooser adds one.
    "schools": dict(columns=("name", "medium", "kind", "local_authority"), stretch="name",
                    new=("name", "medium", "kind", "local_authority")),
}

# Heading, Add button, title of the Add dialog, and what an empty list says.
LIST_TEXTS: dict[str, tuple[str, str, str, str]] = {
    "targets": (N_("Targets"), N_("Add target…"), N_("New target"), N_("No targets yet.")),
    "actions": (N_("Actions"), N_("Add action…"), N_("New action"), N_("No actions yet.")),
    "exclusions": (N_("Exclusions in this period"), N_("Add exclusion…"), N_("New exclusion"),
                   N_("No exclusions recorded for this period.")),
    "interventions": (N_("Support and interventions"), N_("Add support…"), N_("New support or intervention"),
                      N_("No support or interventions recorded.")),
    "attendees": (N_("People at the meeting"), N_("Add person…"), N_("New person at the meeting"),
                  N_("Nobody recorded yet.")),
    "attainments": (N_("Progress in each area"), N_("Add area…"), N_("New progress record"),
                    N_("No progress recorded by area yet.")),
    "contacts": (N_("Contacts"), N_("Add contact…"), N_("New contact"), N_("No contacts yet.")),
    "placements": (N_("Placements"), N_("Add placement…"), N_("New placement"), N_("No placements recorded.")),
    "enrolments": (N_("Schools and settings"), N_("Add school…"), N_("New entry in the school history"),
                   N_("No schools recorded.")),
    "quality_ratings": (N_("Quality ratings"), N_("Add rating…"), N_("New quality rating"), N_("Not rated yet.")),
    "schools": (N_("Schools and settings"), N_("New school…"), N_("New school or setting"), N_("No schools yet.")),
}

# A few words under a section's title, where the section needs them.
SECTION_HINTS = {
    "about": N_("The learner's profile: it belongs to the learner, not to this review, and is shared by every review."),
    "care": N_("The learner's profile: changes here show in every review."),
    "about_me": N_("In the learner's own words, in the language they choose. Write it with them, not about them."),
    "targets": N_("SMART, child-centred and achievable. Targets carried forward from the last review need a "
                  "progress rating; break an unmet target down rather than repeating it."),
    "quality": N_("The coordinator's rating. It can be given after the review is finalised."),
}

REFRESH_RETRY_MS = 1_500  # a reload after a sync waits this long while the user is typing

HIDDEN_ROW_FIELDS = {"deleted", "position", "carried_from_id", "signature_png", "signed_at", "review_id", "learner_id"}
RATING_COLOURS = {"red": QColor(190, 30, 30), "amber": QColor(230, 150, 0), "green": QColor(30, 140, 60)}


display_name = model.display_name


def format_date(value: str | None, form: str = "medium") -> str:
    return i18n.format_date(dt.date.fromisoformat(value), form) if value else "—"


def row_fields(entity: str) -> list[str]:
    """The fields of a list's row form: everything a person edits, with `_lang` companions
    going with their text (FieldEditor shows them)."""
    ent = model.entity(entity)
    return [f.name for f in ent.fields
            if f.lang_of is None and f.name not in HIDDEN_ROW_FIELDS and f.kind != "ref"]


def editor_value(editor: FieldEditor):
    """The value an editor shows now, in the model's form (FieldEditor only reports changes)."""
    w, kind = editor.widget, editor.field.kind
    if kind == "text":
        return w.toPlainText() or None
    if kind == "enum":
        return w.currentData()
    if kind == "bool":
        return w.isChecked()
    if kind == "date":
        return None if w.date() == NO_DATE else w.date().toString("yyyy-MM-dd")
    if kind in ("pct", "decimal"):
        return None if w.value() < 0 else float(w.value())
    if kind == "money":
        return None if w.value() < 0 else int(round(w.value() * 100))
    if kind == "int":
        return None if w.value() == w.minimum() else int(w.value())
    if kind == "datetime":
        return None
    return w.text().strip() or None


def fit_text_editors(widget: QWidget, lines: int = 5) -> None:
    """Free-text boxes a few lines high (they scroll inside), so a section is not mostly white."""
    for editor in widget.findChildren(QPlainTextEdit):
        height = editor.fontMetrics().lineSpacing() * lines + 14
        editor.setMaximumHeight(max(editor.minimumHeight(), height))


# --- the data of one open review ----------------------------------------------------------

class ReviewData:
    """The learner record (`Store.learner_record`) with one review chosen, kept in step with
    the edits made in the editor so that every page shows the same values."""

    def __init__(self, record: dict, review_id: str, schools: list[dict]) -> None:
        self.record = record
        self.review = lifecycle.find_review(record, review_id)
        if self.review is None:
            raise Refused(_("There is no such PEP review."))
        self.learner = record["learner"]
        self.schools = {s["id"]: s for s in schools}
        self._targets = {t["id"]: (r, t) for r in record["reviews"] for t in r.get("targets", ())}
        # Welsh chosen once for a text of this review makes Welsh the default for the rest of it.
        self.chosen_lang = "cy" if any(k.endswith("_lang") and v == "cy" for k, v in self.review.items()) else None

    @property
    def review_id(self) -> str:
        return self.review["id"]

    @property
    def finalised(self) -> bool:
        return self.review["status"] == "finalised"

    def read_only(self, entity: str) -> bool:
        """A finalised review is read-only; its quality rating is given afterwards. The learner's
        profile is read-only here too: it is edited in a draft review or on the learner's page."""
        if entity == "quality_ratings":
            return not self.finalised
        return self.finalised

    def rows(self, entity: str) -> list[dict]:
        if model.entity(entity).parent_entity == "learners":
            return self.record.setdefault(entity, [])
        return self.review.setdefault(entity, [])

    def parent_values(self, entity: str) -> dict:
        ent = model.entity(entity)
        if ent.parent is None:
            return {}
        return {ent.parent: self.learner["id"] if ent.parent_entity == "learners" else self.review_id}

    def find(self, entity: str, record_id: str) -> dict | None:
        if entity == "reviews":
            return self.review if record_id == self.review_id else None
        if entity == "learners":
            return self.learner if record_id == self.learner["id"] else None
        return next((r for r in self.rows(entity) if r["id"] == record_id), None)

    def apply(self, entity: str, record_id: str | None, field: str, value) -> None:
        row = self.find(entity, record_id) if record_id else None
        if row is not None:
            row[field] = value

    def default_lang(self, section_key: str = "") -> str:
        """The language new free text is marked with: Welsh once Welsh was chosen in this review,
        else the meeting's language, else the learner's preferred language, else the interface's."""
        if self.chosen_lang:
            return self.chosen_lang
        for lang in (self.review.get("meeting_language"), self.learner.get("preferred_language")):
            if lang in ("cy", "en"):
                return lang
        return i18n.current_language()

    def previous_target(self, target: dict) -> tuple[dict, dict] | None:
        origin = target.get("carried_from_id")
        return self._targets.get(origin) if origin else None

    def school_name(self, school_id: str | None) -> str:
        school = self.schools.get(school_id) if school_id else None
        return school["name"] if school else "—"


class EditorContext:
    """What the pages of one editor (or of meeting mode) share."""

    def __init__(self, worker: StoreWorker, autosave: Autosave, scale: float = 1.0) -> None:
        self.worker, self.autosave, self.scale = worker, autosave, scale
        self.data: ReviewData | None = None
        self.field_edited: Callable[[str, str, str, object], None] = lambda *a: None
        self.status: Callable[[str], None] = lambda message: None
        self.changed: Callable[[], None] = lambda: None     # a row added or removed


def cell_text(entity: str, field: str, row: dict, data: ReviewData | None) -> str:
    if field == "_carried":
        return _("Yes") if row.get("carried_from_id") else _("No")
    if field == "school_id":
        return data.school_name(row.get("school_id")) if data else "—"
    value = row.get(field)
    if value is None or value == "":
        return ""
    f = model.entity(entity).field(field)
    if f.kind == "enum":
        return model.enum_label(f.enum, value)
    if f.kind == "date":
        return format_date(value)
    if f.kind == "datetime":
        return i18n.format_datetime(dt.datetime.fromisoformat(value), "short")
    if f.kind == "bool":
        return _("Yes") if value else _("No")
    if f.kind == "pct":
        return i18n.format_percent(value)
    if f.kind == "money":
        return i18n.format_money(value)
    if f.kind == "decimal":
        return i18n.format_number(value)
    text = str(value).strip().splitlines()[0] if str(value).strip() else ""
    return text if len(text) <= 90 else text[:89] + "…"


def column_label(entity: str, field: str) -> str:
    if field == "_carried":
        return _("Carried forward")
    if field == "signed_at":
        return _("Signed")
    return model.field_label(entity, field)


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
        from ..i18n.collation import sort_key

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


# --- one section ----------------------------------------------------------------------------

class SectionPage(QWidget):
    """One section of `domain/sections.py`: the learner's profile fields, the review's fields and
    the section's lists, in that order."""

    def __init__(self, section: Section, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section, self.ctx = section, ctx
        self.setObjectName(f"section_{section.key}")
        if ctx.scale != 1.0:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * ctx.scale)
            self.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.hint.setVisible(section.key in SECTION_HINTS)
        self.forms: list[FieldForm] = []
        self.learner_form = self.review_form = None
        if section.learner_fields:
            self.learner_form = FieldForm("learners", list(section.learner_fields), ctx.autosave)
            self.forms.append(self.learner_form)
        if section.review_fields:
            self.review_form = FieldForm("reviews", list(section.review_fields), ctx.autosave)
            self.forms.append(self.review_form)
        for form in self.forms:
            for editor in form.editors.values():
                editor.edited.connect(lambda name, value, f=form: self._edited(f, name, value))
            layout.addWidget(form)
        lists = section.learner_lists + section.review_lists
        only_list = len(lists) == 1 and not self.forms
        self.lists: dict[str, ListPanel] = {}
        for entity in lists:
            panel = ListPanel(entity, ctx, heading=not only_list)
            self.lists[entity] = panel
            layout.addWidget(panel)
        layout.addStretch(1)
        date_keys().attach(self)
        fit_text_editors(self, 6 if section.key == "about_me" else 4)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        number = SECTIONS.index(self.section) + 1
        self.title.setText(_("{number}. {title}").format(number=number, title=_(self.section.title)))
        if self.section.key in SECTION_HINTS:
            self.hint.setText(_(SECTION_HINTS[self.section.key]))
        for form in self.forms:
            form.retranslate_ui()
        for panel in self.lists.values():
            panel.retranslate_ui()

    def load(self) -> None:
        data = self.ctx.data
        if data is None:
            return
        if self.learner_form is not None:
            self.learner_form.default_lang = data.default_lang(self.section.key)
            self.learner_form.load(data.learner, read_only=data.read_only("learners"))
        if self.review_form is not None:
            self.review_form.default_lang = data.default_lang(self.section.key)
            self.review_form.load(data.review, read_only=data.read_only("reviews"))
            if "amendment_reason" in self.review_form.labels:
                self.review_form.layout_.setRowVisible(
                    self.review_form.labels["amendment_reason"],
                    data.review.get("review_type") == "amendment" or bool(data.review.get("amendment_reason")))
        for panel in self.lists.values():
            panel.load()

    def _edited(self, form: FieldForm, name: str, value) -> None:
        if form.record_id is None:
            return
        self.ctx.field_edited(form.entity, form.record_id, name, value)
        if form is self.review_form and name == "review_type" and "amendment_reason" in form.labels:
            form.layout_.setRowVisible(form.labels["amendment_reason"], value == "amendment")

    def first_input(self) -> QWidget | None:
        for form in self.forms:
            for editor in form.editors.values():
                return editor.widget
        for panel in self.lists.values():
            return panel.table if panel.model.rows else panel.add_button
        return None

    def focus(self, entity: str, record_id: str, field: str) -> QWidget | None:
        base = field[:-5] if field.endswith("_lang") else field
        for form in self.forms:
            if form.entity == entity and base in form.editors:
                editor = form.editors[base]
                widget = editor.lang if field.endswith("_lang") and editor.lang is not None else editor.widget
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return widget
        if entity in self.lists:
            return self.lists[entity].focus(record_id, field)
        target = self.first_input()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def locate(self, widget: QWidget) -> dict | None:
        for form in self.forms:
            for name, editor in form.editors.items():
                if editor.isAncestorOf(widget) or editor is widget:
                    lang = editor.lang is not None and (widget is editor.lang or editor.lang.isAncestorOf(widget))
                    return {"entity": form.entity, "record_id": form.record_id or "",
                            "field": name + "_lang" if lang else name}
        for panel in self.lists.values():
            found = panel.locate(widget)
            if found:
                return found
        return None


class SectionStack(QStackedWidget):
    """The pages of the sections, each in its own scroll area (so each keeps its scroll
    position), built the first time they are shown."""

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pages: dict[str, SectionPage] = {}
        self.scrolls: dict[str, QScrollArea] = {}
        self._current = SECTIONS[0].key

    def page(self, key: str) -> SectionPage:
        page = self.pages.get(key)
        if page is None:
            page = SectionPage(BY_KEY[key], self.ctx)
            scroll = QScrollArea()
            scroll.setObjectName(f"scroll_{key}")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            # Not a tab stop: an invisible stop swallowed what was typed next, shifting each
            # entry one field up (attendance 93.4 became 4.0).
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            scroll.setWidget(page)
            self.addWidget(scroll)
            self.pages[key], self.scrolls[key] = page, scroll
            page.load()
        return page

    def show_section(self, key: str) -> SectionPage:
        page = self.page(key)
        self._current = key
        scroll = self.scrolls[key]
        for other in self.scrolls.values():   # only the page shown sets the stack's width
            other.setMinimumWidth(0)
        # Never scrolled sideways: the section list gives way first on a small screen.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(page.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        self.setCurrentWidget(scroll)
        self.updateGeometry()
        return page

    def current_key(self) -> str:
        return self._current

    def current_page(self) -> SectionPage:
        return self.page(self._current)

    def load_all(self, except_key: str | None = None) -> None:
        for key, page in self.pages.items():
            if key != except_key:
                page.load()

    def retranslate_ui(self) -> None:
        for page in self.pages.values():
            page.retranslate_ui()

    def ensure_visible(self, widget: QWidget | None) -> None:
        if widget is not None:
            scroll = self.scrolls.get(self._current)
            if scroll is not None:
                scroll.ensureWidgetVisible(widget, 40, 60)

    def go_to(self, entity: str, record_id: str, field: str) -> QWidget | None:
        section = section_of(entity, field) or section_of(entity, "")
        if section is None:
            return None
        page = self.show_section(section.key)
        widget = page.focus(entity, record_id, field)
        self.ensure_visible(widget)
        return widget

    def locate(self, widget: QWidget | None) -> dict | None:
        if widget is None:
            return None
        page = self.pages.get(self._current)
        return page.locate(widget) if page is not None else None


# --- the editor -----------------------------------------------------------------------------

def load_review(store, review_id: str) -> tuple[dict, list[dict]]:
    """Runs on the worker: the review's learner record and the schools (for the chooser)."""
    review = store.get("reviews", review_id)
    if review is None:
        raise Refused(_("There is no such PEP review."))
    return store.learner_record(review["learner_id"]), store.all_rows("schools")


def finalise_on_worker(store, review_id: str) -> tuple[dict, list]:
    """Checks and, when nothing is missing, finalises; returns the record and what is missing."""
    review = store.get("reviews", review_id)
    if review is None:
        raise Refused(_("There is no such PEP review."))
    record = store.learner_record(review["learner_id"])
    problems = lifecycle.finalise_problems(record, review_id)
    if not problems:
        store.finalise_review(review_id)
    return record, problems


def start_next_on_worker(store, review_id: str) -> str:
    """The learner's draft if there is one; otherwise a new termly review after the latest
    finalised one, with its targets carried forward (Store.start_review)."""
    review = store.get("reviews", review_id)
    record = store.learner_record(review["learner_id"])
    draft = lifecycle.current_draft(record)
    if draft is not None:
        return draft["id"]
    latest = next((r for r in record["reviews"] if r["status"] == "finalised"), review)
    return store.start_review(review["learner_id"], lifecycle.next_review_values(latest))


class AmendDialog(QDialog):
    """Asks why a finalised review is amended; OK only once there is a reason."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("amendDialog")
        self.setWindowTitle(_("Amend this review"))
        layout = QVBoxLayout(self)
        label = QLabel(_("Why does this review need an amendment? The reason is kept with the amendment, "
                         "and this version stays readable."))
        label.setWordWrap(True)
        # The same editor as the field itself: the text and the language it is written in.
        self.editor = FieldEditor("reviews", model.entity("reviews").field("amendment_reason"))
        self.editor.retranslate_ui()
        self.editor.set_value(None, i18n.current_language())
        self.text = self.editor.widget
        self.text.setObjectName("amendmentReason")
        label.setBuddy(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Start the amendment"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(pgettext("button", "Cancel"))
        self.ok.setEnabled(False)
        self.text.textChanged.connect(lambda: self.ok.setEnabled(bool(self.reason())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(label)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self.resize(560, 260)

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def language(self) -> str | None:
        return self.editor.lang.currentData() if self.editor.lang is not None else None


MEETING_KEYS = "Ctrl+M"
FOLD_WIDTH = 1000   # narrower than this, the checklist panel replaces the section list
CHECKLIST_KEYS = "Ctrl+K"


class ReviewEditor(QWidget):
    back_requested = Signal()
    meeting_mode_requested = Signal()
    review_changed = Signal(str)
    status_message = Signal(str)

    def __init__(self, worker: StoreWorker, autosave: Autosave, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewEditor")
        self.worker, self.autosave = worker, autosave
        self.ctx = EditorContext(worker, autosave)
        self.ctx.field_edited = self._field_edited
        self.ctx.status = self.status_message.emit
        self.ctx.changed = self._schedule_progress
        self.review_id: str | None = None
        self.progress = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(250)
        self._progress_timer.timeout.connect(self._refresh_progress)
        self._load_token = 0
        self._pending_restore: dict | None = None
        self._loading_id: str | None = None
        self._save_state: tuple = ("idle",)
        self.finalise_dialog = None
        self.amend_dialog: AmendDialog | None = None
        self._background_load = False
        self._build()
        autosave.saving.connect(lambda: self._set_save_state(("saving",)))
        autosave.saved.connect(lambda when: self._set_save_state(("saved", when)))
        autosave.refused.connect(lambda *a: self._set_save_state(("refused",)))
        autosave.failed.connect(self._save_failed)
        self.retranslate_ui()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.setSpacing(6)

        header = QFrame()
        header.setObjectName("reviewHeader")
        top = QHBoxLayout(header)
        top.setContentsMargins(4, 0, 4, 0)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self._back)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.name_label = QLabel()
        self.name_label.setObjectName("learnerName")
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel()
        self.details_label.setObjectName("reviewDetails")
        self.details_label.setWordWrap(True)
        titles.addWidget(self.name_label)
        titles.addWidget(self.details_label)
        top.addLayout(titles, 1)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedIndicator")
        self.saved_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.saved_label, 0)
        self.meeting_button = QPushButton()
        self.meeting_button.clicked.connect(self._meeting_mode)
        self.meeting_button.setShortcut(QKeySequence(MEETING_KEYS))
        self.checklist_button = QPushButton()
        self.checklist_button.setObjectName("checklistButton")
        self.checklist_button.setCheckable(True)
        self.checklist_button.setShortcut(QKeySequence(CHECKLIST_KEYS))
        self.checklist_button.toggled.connect(self._toggle_checklist)
        self.finalise_button = QPushButton()
        self.finalise_button.setObjectName("finaliseButton")
        self.finalise_button.clicked.connect(self.request_finalise)
        from .pdf_ui import ReviewPdf

        self.pdf = ReviewPdf(self)  # Export PDF… and Print…
        # The buttons on a row of their own under the name: the header fits a small screen.
        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 0, 4, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf.export_button, 0)
        buttons.addWidget(self.pdf.print_button, 0)
        buttons.addWidget(self.meeting_button, 0)
        buttons.addWidget(self.checklist_button, 0)
        buttons.addWidget(self.finalise_button, 0)
        outer.addWidget(header)
        outer.addLayout(buttons)

        self.banner = QFrame()
        self.banner.setObjectName("finalisedBanner")
        self.banner.setFrameShape(QFrame.Shape.Box)
        self.banner.setStyleSheet(
            "#finalisedBanner { background: #fff4d6; border: 2px solid #8a6d00; border-radius: 4px; }"
            "#finalisedBanner QLabel { color: #3d3000; }")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(10, 6, 10, 6)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_button = QPushButton()
        self.next_button.setObjectName("startNextReview")
        self.next_button.clicked.connect(self.start_next_review)
        self.amend_button = QPushButton()
        self.amend_button.setObjectName("amendReview")
        self.amend_button.clicked.connect(self.amend_review)
        row.addWidget(self.banner_label, 1)
        row.addWidget(self.amend_button, 0)
        row.addWidget(self.next_button, 0)
        self.banner.setVisible(False)
        outer.addWidget(self.banner)
        self.rating_panel = RatingPanel(self.worker)
        self.rating_panel.rated.connect(self._rated)
        outer.addWidget(self.rating_panel)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        outer.addWidget(self.message)

        body = QHBoxLayout()
        body.setSpacing(8)
        self.sections = QListWidget()
        self.sections.setObjectName("sectionList")
        self.sections.setWordWrap(True)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setMinimumWidth(170)
        self.sections.setMaximumWidth(300)
        self.sections.setStyleSheet("QListWidget#sectionList::item { padding: 3px 4px; }")
        self.sections.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.sections.setSpacing(1)
        for section in SECTIONS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            self.sections.addItem(item)
        self.sections.currentRowChanged.connect(self._section_chosen)
        self.sections.itemActivated.connect(lambda _item: self.focus_section())
        left = QVBoxLayout()
        left.setSpacing(4)
        self.progress_bar = OverallProgress()
        self.progress_bar.setMinimumWidth(170)
        self.progress_bar.setMaximumWidth(300)
        left.addWidget(self.progress_bar)
        left.addWidget(self.sections, 1)
        body.addLayout(left)
        self.stack = SectionStack(self.ctx)
        body.addWidget(self.stack, 1)
        self.checklist = ChecklistPanel()
        self.checklist.go_to.connect(self._checklist_link)
        self.checklist.setVisible(False)
        body.addWidget(self.checklist)
        outer.addLayout(body, 1)

        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.step_section(s))
        sections_key = QShortcut(QKeySequence("Alt+0"), self)
        sections_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sections_key.activated.connect(lambda: self.sections.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.setTabOrder(self.back_button, self.pdf.export_button)
        self.setTabOrder(self.pdf.export_button, self.pdf.print_button)
        self.setTabOrder(self.pdf.print_button, self.meeting_button)
        self.setTabOrder(self.meeting_button, self.checklist_button)
        self.setTabOrder(self.checklist_button, self.finalise_button)
        self.setTabOrder(self.finalise_button, self.amend_button)
        self.setTabOrder(self.amend_button, self.next_button)
        self.setTabOrder(self.next_button, self.sections)

    def retranslate_ui(self) -> None:
        self.back_button.setText(pgettext("button", "Back"))
        self.back_button.setAccessibleName(_("Back to the learner"))
        self.back_button.setToolTip(_("Back to the learner"))
        self.meeting_button.setText(_("Meeting mode"))
        self.meeting_button.setToolTip(with_shortcut(_("Full screen, large type, one section at a time"), MEETING_KEYS))
        self.checklist_button.setText(_("Checklist"))
        self.checklist_button.setToolTip(with_shortcut(_("Show or hide what finalising needs, beside the form"),
                                                       CHECKLIST_KEYS))
        self.back_button.setToolTip(with_shortcut(_("Back to the learner"), "Alt+Left"))
        self.finalise_button.setText(_("Finalise…"))
        self.finalise_button.setToolTip(_("Check what is missing, then freeze this review"))
        self.pdf.retranslate_ui()
        self.sections.setAccessibleName(_("Sections of the PEP review"))
        self.sections.setAccessibleDescription(_("Choose a section; press Enter to go to its first field."))
        mark_sections(self.sections, self.progress)
        self.progress_bar.set_progress(self.progress)
        self.checklist.retranslate_ui()
        self.stack.retranslate_ui()
        self._show_header()
        self._show_save_state()
        if self.finalise_dialog is not None:
            self.finalise_dialog.retranslate_ui()

    def _show_header(self) -> None:
        data = self.ctx.data
        if data is None:
            self.name_label.setText("")
            self.details_label.setText("")
            self.banner.setVisible(False)
            self.rating_panel.show_review(None)
            self.finalise_button.setEnabled(False)
            self.meeting_button.setEnabled(False)
            self.pdf.set_enabled(False)
            return
        review = data.review
        self.name_label.setText(display_name(data.learner))
        status = model.enum_label("review_status", review["status"])
        self.details_label.setText(_("{review_type} · {start} to {end} · {status} · due {due}").format(
            review_type=model.enum_label("review_type", review["review_type"]),
            start=format_date(review["period_start"]), end=format_date(review["period_end"]),
            status=status, due=format_date(review["due_date"])))
        finalised = data.finalised
        self.banner.setVisible(finalised)
        self.rating_panel.show_review(review)
        self.finalise_button.setVisible(not finalised)
        self.finalise_button.setEnabled(not finalised)
        self.meeting_button.setEnabled(True)
        self.pdf.set_enabled(True)
        if finalised:
            when = review.get("finalised_at")
            when_text = i18n.format_datetime(dt.datetime.fromisoformat(when), "short") if when else "—"
            by = review.get("finalised_by")
            text = (_("Finalised {when} by {who}: this review is read-only.").format(when=when_text, who=by) if by
                    else _("Finalised {when}: this review is read-only.").format(when=when_text))
            self.banner_label.setText(text + " " + _("Later work goes into the next review."))
            draft = lifecycle.current_draft(data.record)
            self.next_button.setText(_("Open the current draft") if draft else _("Start next review"))
            amending = self._open_amendment()
            self.amend_button.setText(_("Open the amendment") if amending else _("Amend…"))
            self.amend_button.setToolTip(_("Correct this review in a new version; this one stays as it was"))
        self.setAccessibleDescription(self.details_label.text())

    # --- opening --------------------------------------------------------------------------

    def open_review(self, review_id: str) -> None:
        """Loads the review (on the worker) and shows it; edits waiting for another review are
        sent first, so that what is shown is what is stored."""
        self.autosave.flush()
        self._load_token += 1
        token = self._load_token
        self._loading_id = review_id
        self.worker.submit(lambda store: load_review(store, review_id),
                           on_done=lambda result: self._loaded(token, review_id, result),
                           on_error=lambda error: self._load_failed(token, error))

    def reload(self) -> None:
        if self.review_id:
            self.open_review(self.review_id)

    def refresh_from_store(self, review_id: str | None = None) -> None:
        """Shows what a sync brought, in the same place; while the user is typing, a moment later
        (a load that lands between two keystrokes would put the stored text back)."""
        review_id = review_id or self.review_id
        if not review_id or review_id != self.review_id:
            return
        if self.autosave.typing():
            QTimer.singleShot(REFRESH_RETRY_MS, lambda: self.refresh_from_store(review_id))
            return
        location = self.location()
        self._background_load = True
        self.open_review(review_id)
        self.restore(location)

    def _loaded(self, token: int, review_id: str, result) -> None:
        if token != self._load_token:
            return  # a later open_review won
        background, self._background_load = self._background_load, False
        if background and self.autosave.typing():  # typed while it loaded: try again later
            self._loading_id = None
            self._pending_restore = None
            QTimer.singleShot(REFRESH_RETRY_MS, lambda: self.refresh_from_store(review_id))
            return
        self._loading_id = None
        record, schools = result
        try:
            data = ReviewData(record, review_id, schools)
        except Refused as e:
            self._load_failed(token, e)
            return
        changed = review_id != self.review_id
        same_section = self.stack.current_key()
        self.review_id = review_id
        self.ctx.data = data
        self.message.setVisible(False)
        self._show_header()
        self.stack.load_all()
        self._refresh_progress()
        if changed:
            self.sections.setCurrentRow(0)
            self.show_section(SECTIONS[0].key)
            self.review_changed.emit(review_id)
        else:
            self.show_section(same_section)
        if self._pending_restore is not None:
            location, self._pending_restore = self._pending_restore, None
            self.restore(location)

    def _load_failed(self, token: int, error: BaseException) -> None:
        if token != self._load_token:
            return
        self._loading_id = None
        self._pending_restore = None
        text = human_error(error)
        self.message.setText(text)
        self.message.setVisible(True)
        self.status_message.emit(text)

    # --- sections -------------------------------------------------------------------------

    def show_section(self, key: str) -> SectionPage:
        index = next(i for i, s in enumerate(SECTIONS) if s.key == key)
        if self.sections.currentRow() != index:
            self.sections.blockSignals(True)
            self.sections.setCurrentRow(index)
            self.sections.blockSignals(False)
        return self.stack.show_section(key)

    def _section_chosen(self, row: int) -> None:
        if 0 <= row < len(SECTIONS):
            self.stack.show_section(SECTIONS[row].key)

    def step_section(self, step: int) -> None:
        row = max(0, min(len(SECTIONS) - 1, self.sections.currentRow() + step))
        self.show_section(SECTIONS[row].key)
        self.focus_section()

    def focus_section(self) -> None:
        """Into the section: its first field (Enter on the section list)."""
        widget = self.stack.current_page().first_input()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            self.stack.ensure_visible(widget)

    def go_to(self, entity: str, record_id: str, field: str) -> QWidget | None:
        """Shows the section holding a field and puts the focus on it (a checklist link)."""
        section = section_of(entity, field) or section_of(entity, "")
        if section is None:
            return None
        self.show_section(section.key)
        return self.stack.go_to(entity, record_id, field)

    # --- location (lock and unlock) -------------------------------------------------------

    def location(self) -> dict:
        out = {"review_id": self.review_id, "section": self.stack.current_key()}
        # The window's focus widget, even while the window is inactive (being locked, say).
        found = self.stack.locate(self.window().focusWidget())
        if found:
            out.update(found)
        return out

    def restore(self, location: dict) -> None:
        if not location:
            return
        wanted = location.get("review_id") or self.review_id
        if self.ctx.data is None or self._loading_id is not None or wanted != self.review_id:
            self._pending_restore = location  # applied when the review has loaded
            return
        key = location.get("section") or SECTIONS[0].key
        if key not in BY_KEY:
            return
        self.show_section(key)
        if location.get("entity"):
            self.stack.go_to(location["entity"], location.get("record_id", ""), location.get("field", ""))

    def flush(self, then: Callable[[], None] | None = None) -> None:
        self.autosave.flush(then)

    # --- edits ------------------------------------------------------------------------------

    def _field_edited(self, entity: str, record_id: str, field: str, value) -> None:
        data = self.ctx.data
        if data is None:
            return
        data.apply(entity, record_id, field, value)
        if entity == "reviews" and field in ("review_type", "period_start", "period_end", "due_date"):
            self._show_header()
        elif entity == "learners" and field in ("preferred_name", "legal_forename", "legal_surname"):
            self._show_header()
        welsh_now = field.endswith("_lang") and value == "cy" and data.chosen_lang != "cy"
        if welsh_now:
            data.chosen_lang = "cy"
        if (entity == "reviews" and field == "meeting_language") or welsh_now:
            # New text elsewhere is now marked with the new language.
            self.stack.load_all(except_key=self.stack.current_key())
        self._schedule_progress()

    # --- progress -------------------------------------------------------------------------

    def _schedule_progress(self) -> None:
        self._progress_timer.start()

    def _refresh_progress(self) -> None:
        data = self.ctx.data
        self.progress = section_progress(data.record, data.review_id) if data is not None else None
        mark_sections(self.sections, self.progress)
        self.progress_bar.set_progress(self.progress)
        if self.checklist.isVisible():
            self.checklist.set_record(data.record if data else None, self.review_id, self.progress)

    def _toggle_checklist(self, on: bool) -> None:
        self.checklist.setVisible(on)
        self._fold()
        if on:
            self._refresh_progress()

    def _fold(self) -> None:
        """On a narrow window the checklist takes the section list's place (Alt+0 still works)."""
        narrow = self.checklist.isVisibleTo(self) and self.width() < FOLD_WIDTH
        self.sections.setVisible(not narrow)
        self.progress_bar.setVisible(not narrow)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fold()

    def _set_save_state(self, state: tuple) -> None:
        self._save_state = state
        self._show_save_state()

    def _save_failed(self, message: str) -> None:
        self._set_save_state(("failed", message))
        self.status_message.emit(message)

    def _show_save_state(self) -> None:
        state = self._save_state
        kind = state[0]
        if kind == "saving":
            text = _("Saving…")
        elif kind == "saved":
            when = state[1]
            text = "✓ " + _("Saved {time}").format(time=when.strftime("%H:%M") if when else "")
        elif kind == "refused":
            text = "⚠ " + _("Not saved: see the message under the field")
        elif kind == "failed":
            text = "⚠ " + _("Not saved")
        else:
            text = ""
        self.saved_label.setText(text)
        self.saved_label.setToolTip(state[1] if kind == "failed" else "")
        self.saved_label.setAccessibleName(text or _("Saved"))

    # --- buttons ----------------------------------------------------------------------------

    def _back(self) -> None:
        self.autosave.flush()
        self.back_requested.emit()

    def _meeting_mode(self) -> None:
        self.autosave.flush()
        self.meeting_mode_requested.emit()

    def request_finalise(self) -> None:
        """Sends waiting edits, then checks the review (on the worker) and shows the checklist."""
        if self.ctx.data is None or self.ctx.data.finalised:
            return
        review_id = self.review_id

        def check(store):
            review = store.get("reviews", review_id)
            record = store.learner_record(review["learner_id"])
            return record

        self.autosave.flush(then=lambda: self.worker.submit(
            check, on_done=lambda record: self._show_checklist(record, review_id),
            on_error=lambda e: self.status_message.emit(human_error(e))))

    def _show_checklist(self, record: dict, review_id: str) -> None:
        from .finalise import FinaliseDialog

        if self.finalise_dialog is None:
            self.finalise_dialog = FinaliseDialog(self.window())
            self.finalise_dialog.go_to.connect(self._checklist_link)
            self.finalise_dialog.finalise_requested.connect(self._finalise)
        self.finalise_dialog.set_record(record, review_id)
        self.finalise_dialog.open()

    def _checklist_link(self, entity: str, record_id: str, field: str) -> None:
        if self.finalise_dialog is not None:
            self.finalise_dialog.close()
        self.window().activateWindow()  # the focus goes back to the editor's window with the field
        self.go_to(entity, record_id, field)

    def _finalise(self) -> None:
        review_id = self.review_id

        def done(result) -> None:
            record, problems = result
            if problems:
                if self.finalise_dialog is not None:
                    self.finalise_dialog.set_record(record, review_id)
                return
            if self.finalise_dialog is not None:
                self.finalise_dialog.accept()
            self.status_message.emit(_("The review is finalised. It is now read-only."))
            self.reload()

        def failed(error: BaseException) -> None:
            text = human_error(error)
            if self.finalise_dialog is not None:
                self.finalise_dialog.show_error(text)
            self.status_message.emit(text)

        self.autosave.flush(then=lambda: self.worker.submit(
            lambda store: finalise_on_worker(store, review_id), on_done=done, on_error=failed))

    def _open_amendment(self) -> dict | None:
        data = self.ctx.data
        return next((r for r in data.record["reviews"]
                     if r.get("amends_review_id") == self.review_id and r["status"] == "draft"), None)

    def amend_review(self) -> None:
        """Asks why, then opens a draft amendment of this finalised review (Store.start_amendment)."""
        if self.ctx.data is None or not self.ctx.data.finalised:
            return
        existing = self._open_amendment()
        if existing is not None:
            self.open_review(existing["id"])
            return
        dialog = self.amend_dialog = AmendDialog(self)
        dialog.accepted.connect(lambda: self._start_amendment(dialog.reason(), dialog.language()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _start_amendment(self, reason: str, lang: str | None) -> None:
        self.amend_dialog = None
        review_id = self.review_id
        self.amend_button.setEnabled(False)

        def done(new_id: str) -> None:
            self.amend_button.setEnabled(True)
            self.status_message.emit(_("The amendment is open. Finalise it after the changes are agreed."))
            self.open_review(new_id)

        def failed(error: BaseException) -> None:
            self.amend_button.setEnabled(True)
            self.status_message.emit(human_error(error))

        self.worker.submit(lambda store: store.start_amendment(review_id, reason, lang), on_done=done, on_error=failed)

    def _rated(self) -> None:
        self.status_message.emit(_("The quality rating is saved."))
        self.reload()

    def start_next_review(self) -> None:
        if self.ctx.data is None or not self.ctx.data.finalised:
            return
        review_id = self.review_id
        self.next_button.setEnabled(False)

        def done(new_id: str) -> None:
            self.next_button.setEnabled(True)
            self.status_message.emit(_("The next review is open."))
            self.open_review(new_id)

        def failed(error: BaseException) -> None:
            self.next_button.setEnabled(True)
            self.status_message.emit(human_error(error))

        self.worker.submit(lambda store: start_next_on_worker(store, review_id), on_done=done, on_error=failed)

