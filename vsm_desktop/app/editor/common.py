"""What the editor's widgets share: the open review's data, the context of one editor (or of
meeting mode), which columns each list shows, and small helpers."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from ... import i18n
from ...domain import lifecycle, model
from ...domain.sections import plan_for_record
from ...errors import Refused
from ...i18n import N_, _
from ..autosave import Autosave
from ..fields import NO_DATE, FieldEditor
from ..qt import (
    QColor, QPlainTextEdit, QWidget, Qt,
)
from ..worker import StoreWorker


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
    "qualifications": dict(columns=("title", "level", "status", "grade", "awarded_on"), stretch="title",
                           new=("title", "level", "status")),
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
    "qualifications": (N_("Qualifications being studied and achieved"), N_("Add qualification…"),
                       N_("New qualification"), N_("No qualifications recorded.")),
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
    "development": N_("How the child is developing, from the setting's observations: the areas of learning and "
                      "experience at progression step 1, and communication, physical and personal and social development."),
    "aspiration": N_("In the young person's own words, in the language they choose."),
    "neet": N_("The young person has no current course or training. Record what is being done with them."),
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
    def plan(self):
        """The sections this review shows, worked out now from what it holds (domain/sections.py)."""
        return plan_for_record(self.record, self.review)

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
