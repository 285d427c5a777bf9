"""A learner's page: profile (editable, saved as you type), contacts, placements and schools,
the PEP reviews, and the history of who changed what (from the change log)."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from .. import i18n
from ..domain import model, phases, sections
from ..domain.calendar import default_calendar, year_group
from ..i18n import N_, _
from .autosave import Autosave
from ..reports.dashboard import term_label_for
from .charts import TrendLine
from .style import name_table
from .fields import FieldForm
from .language import human_error
from .learner_list import display_name
from .qt import (
    QAbstractItemView, QAbstractTableModel, QHBoxLayout, QHeaderView, QLabel, QModelIndex, QPushButton,
    QScrollArea, QTableView, QTabWidget, QVBoxLayout, QWidget, Qt, Signal, QFont,
)
from .worker import StoreWorker

Column = tuple[str, Callable[[dict], str]]   # (English header, cell text)


def _date(value: str | None) -> str:
    return i18n.format_date(dt.date.fromisoformat(value), "medium") if value else "—"


def _enum(enum: str, value) -> str:
    return model.enum_label(enum, value) if value else "—"


class RecordTable(QAbstractTableModel):
    """Read-only rows of records with columns given as (header, function)."""

    def __init__(self, columns: list[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return _(self.columns[section][0])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()][1](self.rows[index.row()])
        return None

    def retranslate(self) -> None:
        self.beginResetModel()
        self.endResetModel()


def _table(model_: RecordTable) -> QTableView:
    view = QTableView()
    view.setModel(model_)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(True)
    return view


def _describe_change(change: dict) -> str:
    ent = model.entity(change["entity"])
    if change["field"] is None:
        return _("{record}: created").format(record=_(ent.label))
    f = ent.field(change["field"])
    value = change["value"]
    if value is None:
        shown = "—"
    elif f.kind == "enum":
        shown = model.enum_label(f.enum, value)
    elif f.kind == "bool":
        shown = _("Yes") if value else _("No")
    elif f.kind == "date":
        shown = _date(value)
    elif f.kind == "datetime":
        shown = i18n.format_datetime(dt.datetime.fromisoformat(value), "short")
    elif f.kind == "pct":
        shown = i18n.format_percent(value)
    elif f.kind == "money":
        shown = i18n.format_money(value)
    elif f.kind == "str" and f.name == "signature_png":
        shown = _("(drawn signature)")
    else:
        shown = str(value)
    if len(shown) > 80:
        shown = shown[:77] + "…"
    return _("{record}: {field} set to {value}").format(record=_(ent.label), field=_(f.label), value=shown)


class LearnerPage(QWidget):
    back_requested = Signal()
    open_review = Signal(str)
    status_message = Signal(str)

    def __init__(self, worker: StoreWorker, autosave: Autosave, parent=None) -> None:
        super().__init__(parent)
        self.worker, self.autosave = worker, autosave
        self.learner_id: str | None = None
        self.record: dict | None = None

        self.back = QPushButton()
        self.name = QLabel()
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.trend_label = QLabel()
        self.trend = TrendLine()
        self.trend_label.setBuddy(self.trend)
        self.tabs = QTabWidget()

        profile_fields = [f for s in sections.SECTIONS for f in s.learner_fields] + [
            "aln_status", "idp_holder", "next_idp_review"]
        self.profile = FieldForm("learners", profile_fields, autosave)
        scroll = self.profile_scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.profile)
        self.tabs.addTab(scroll, "")

        self.contacts = RecordTable([
            (N_("Role"), lambda r: _enum("contact_role", r["role"])), (N_("Name"), lambda r: r["name"]),
            (N_("Organisation"), lambda r: r["organisation"] or "—"), (N_("Phone"), lambda r: r["phone"] or "—"),
            (N_("Email"), lambda r: r["email"] or "—")], self)
        self.placements = RecordTable([
            (N_("From"), lambda r: _date(r["start_date"])), (N_("To"), lambda r: _date(r["end_date"])),
            (N_("Placement type"), lambda r: _enum("placement_type", r["placement_type"])),
            (N_("Placing area"), lambda r: _enum("placing_area", r["placing_area"])),
            (N_("Reason for the move"), lambda r: r["reason_for_move"] or "—")], self)
        self.schools = RecordTable([
            (N_("From"), lambda r: _date(r["start_date"])), (N_("To"), lambda r: _date(r["end_date"])),
            (N_("School"), lambda r: (r.get("school") or {}).get("name", "—")),
            (N_("Reason for the move"), lambda r: r["reason_for_move"] or "—")], self)
        self.reviews = RecordTable([
            (N_("Meeting date"), lambda r: _date(r["meeting_date"])),
            (N_("Review type"), lambda r: _enum("review_type", r["review_type"])),
            (N_("Phase"), self._phase),
            (N_("Status"), lambda r: _enum("review_status", r["status"])), (N_("Due date"), lambda r: _date(r["due_date"])),
            (N_("Targets"), lambda r: str(len(r["targets"])))], self)
        self.history = RecordTable([
            (N_("When"), lambda c: i18n.format_datetime(dt.datetime.fromisoformat(c["at"]), "short")),
            (N_("Who"), lambda c: c["author"] or "—"), (N_("What"), _describe_change)], self)

        self.contacts_view, self.placements_view = _table(self.contacts), _table(self.placements)
        self.schools_view, self.reviews_view, self.history_view = _table(self.schools), _table(self.reviews), _table(self.history)
        self.tabs.addTab(self.contacts_view, "")
        chronology = QWidget()
        col = QVBoxLayout(chronology)
        self.placements_label, self.schools_label = QLabel(), QLabel()
        col.addWidget(self.placements_label)
        col.addWidget(self.placements_view)
        col.addWidget(self.schools_label)
        col.addWidget(self.schools_view)
        self.tabs.addTab(chronology, "")
        reviews_tab = QWidget()
        rcol = QVBoxLayout(reviews_tab)
        rcol.addWidget(self.reviews_view)
        buttons = QHBoxLayout()
        self.open_button, self.start_button = QPushButton(), QPushButton()
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        rcol.addLayout(buttons)
        self.tabs.addTab(reviews_tab, "")
        self.tabs.addTab(self.history_view, "")
        from .attachments import AttachmentsPanel

        self.attachments = AttachmentsPanel(worker, self)
        self.attachments.status_message.connect(self.status_message)
        self.tabs.addTab(self.attachments, "")

        header = QHBoxLayout()
        header.addWidget(self.back)
        header.addWidget(self.name)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.trend_label)
        summary_row.addWidget(self.trend)
        layout.addLayout(summary_row)
        layout.addWidget(self.tabs, 1)

        self.back.clicked.connect(self.back_requested)
        self.open_button.clicked.connect(self._open_selected)
        self.reviews_view.activated.connect(lambda _i: self._open_selected())
        self.start_button.clicked.connect(self._start_review)
        self.retranslate_ui()

    # --- loading ----------------------------------------------------------------------

    def show_learner(self, learner_id: str, then=None) -> None:
        self.learner_id = learner_id

        def load(store):
            return store.learner_record(learner_id), store.audit(learner_id)

        def loaded(result):
            record, history = result
            if record is None:
                self.status_message.emit(_("This learner is no longer in the store."))
                self.back_requested.emit()
                return
            self.record = record
            self._fill(record, history)
            if then:
                then()
        self.worker.submit(load, loaded, lambda e: self.status_message.emit(human_error(e)))

    def _fill(self, record: dict, history: list[dict]) -> None:
        learner = record["learner"]
        self.name.setText(display_name(learner))
        self.profile.load(learner)
        self.contacts.set_rows(record["contacts"])
        self.placements.set_rows(record["placements"])
        self.schools.set_rows(record["enrolments"])
        self.reviews.set_rows(record["reviews"])
        self.history.set_rows(list(reversed(history)))
        self.attachments.show_for(learner["id"])
        self._summary()
        self._trend()
        self.start_button.setEnabled(not any(r["status"] == "draft" for r in record["reviews"]))
        if record["reviews"]:
            self.reviews_view.selectRow(0)

    def _phase(self, review: dict) -> str:
        """The review's phase (domain/phases.py), marked when it is overridden."""
        learner = (self.record or {}).get("learner") or {}
        phase = _enum("phase", phases.review_phase(review, learner))
        return _("{phase} (overridden)").format(phase=phase) if review.get("phase_override") else phase

    def _summary(self) -> None:
        if not self.record:
            return
        learner = self.record["learner"]
        parts = [_("Reference {reference}").format(reference=learner["reference"])]
        if learner["date_of_birth"]:
            dob = dt.date.fromisoformat(learner["date_of_birth"])
            parts.append(_("born {date}").format(date=_date(learner["date_of_birth"])))
            parts.append(_("Year {year}").format(year=year_group(dob, dt.date.today())))
        parts.append(_enum("legal_status", learner["legal_status"]))
        self.summary.setText(" · ".join(parts))

    def _trend(self) -> None:
        """Attendance by term, oldest first (an amended review gives way to its amendment)."""
        reviews = self.record["reviews"] if self.record else []
        amended = {r["amends_review_id"] for r in reviews if r.get("amends_review_id")}
        points = sorted((r["period_end"], r["attendance_pct"]) for r in reviews
                        if r["attendance_pct"] is not None and r["id"] not in amended)
        labels = [term_label_for(dt.date.fromisoformat(end)) or _date(end) for end, _pct in points]
        texts = [f"{label}: {i18n.format_percent(pct)}" for label, (_end, pct) in zip(labels, points)]
        self.trend.set_points([(label, pct) for label, (_end, pct) in zip(labels, points)],
                              _("Attendance by term: {values}").format(values="; ".join(texts)) if points else "",
                              texts, lambda v: i18n.format_percent(v, 0 if v in (90, 95) else 1))
        self.trend_label.setVisible(bool(points))
        self.trend.setAccessibleName(_("Attendance trend, latest {value}").format(
            value=i18n.format_percent(points[-1][1])) if points else _("Attendance trend"))

    def _open_selected(self) -> None:
        rows = self.reviews_view.selectionModel().selectedRows() if self.reviews_view.selectionModel() else []
        if rows:
            self.open_review.emit(self.reviews.rows[rows[0].row()]["id"])

    def _start_review(self) -> None:
        learner_id = self.learner_id
        if learner_id is None:
            return

        def start(store):
            calendar = default_calendar()
            today = dt.date.today()
            term = calendar.term_containing(today) or calendar.next_term(today)
            reviews = store.children("reviews", learner_id)
            meeting_language = store.get("learners", learner_id)["preferred_language"]
            if reviews:
                last = max(reviews, key=lambda r: r["period_end"])
                due = calendar.review_due(dt.date.fromisoformat(last["meeting_date"] or last["period_end"]))
                kind = "termly"
            else:
                looked_after = store.get("learners", learner_id)["date_looked_after"]
                due = calendar.first_pep_due(dt.date.fromisoformat(looked_after)) if looked_after else term.end
                kind = "initial"
            values = {"review_type": kind, "period_start": term.start.isoformat(), "period_end": term.end.isoformat(),
                      "due_date": due.isoformat()}
            if meeting_language in ("cy", "en"):
                values["meeting_language"] = meeting_language
            return store.start_review(learner_id, values)

        def started(review_id):
            self.open_review.emit(review_id)
        self.autosave.flush(lambda: self.worker.submit(start, started, lambda e: self.status_message.emit(human_error(e))))

    # --- language ---------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.back.setText(_("‹ Learners"))
        self.back.setToolTip(_("Back to the list of learners (Alt+Left)"))
        for i, title in enumerate((_("Profile"), _("Contacts"), _("Placements and schools"), _("PEP reviews"), _("History"),
                                   _("Attachments"))):
            self.tabs.setTabText(i, title)
        self.placements_label.setText(_("Placements"))
        self.schools_label.setText(_("Schools"))
        self.open_button.setText(_("&Open review"))
        self.start_button.setText(_("&Start a new review"))
        self.start_button.setToolTip(_("A new draft review; targets of the last finalised review are carried forward"))
        self.trend_label.setText(_("Attendance:"))
        self._trend()
        self.profile.retranslate_ui()
        self.attachments.retranslate_ui()
        for table in (self.contacts, self.placements, self.schools, self.reviews, self.history):
            table.retranslate()
        for view, name in ((self.contacts_view, _("Contacts")), (self.placements_view, _("Placements")),
                           (self.schools_view, _("Schools")), (self.reviews_view, _("PEP reviews")),
                           (self.history_view, _("History"))):
            name_table(view, name)
        self.tabs.tabBar().setAccessibleName(_("Parts of the learner's record"))
        self.tabs.setAccessibleName(_("The learner's record"))
        self.profile_scroll.setAccessibleName(_("Profile"))
        self._summary()
