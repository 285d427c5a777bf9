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

from ... import i18n
from ...domain import lifecycle, model
from ...domain.progress import section_progress
from ...domain.sections import BY_KEY, SECTIONS, section_of
from ...errors import Refused
from ...i18n import _, pgettext
from ..autosave import Autosave
from ..language import human_error
from ..qt import (
    QFont, QFrame, QHBoxLayout, QKeySequence, QLabel, QListWidget, QListWidgetItem, QPushButton, QShortcut,
    QSizePolicy, QTimer, QToolButton, QVBoxLayout, QWidget, Qt, Signal,
)
from ..progress import ChecklistPanel, OverallProgress, fill_section_list, mark_sections
from ..quality_panel import RatingPanel
from ..shortcuts import with_shortcut
from ..worker import StoreWorker
from .common import EditorContext, REFRESH_RETRY_MS, ReviewData, display_name, format_date
from .section import SectionPage, SectionStack
from .amend import AmendDialog


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


MEETING_KEYS = "Ctrl+M"
FOLD_WIDTH = 1000   # narrower than this, the checklist panel replaces the section list
CHECKLIST_KEYS = "Ctrl+K"
PHASE_KEYS = "Ctrl+Shift+P"


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
        self.add_section_dialog = None
        self.phase_dialog = None
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
        outer.setSpacing(4)   # a header of four rows still fits a laptop at 150 % with the rating panel

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
        # The phase on a line of its own: "Change phase…" right after it, then an override's reason.
        self.phase_label = QLabel()
        self.phase_label.setObjectName("reviewPhase")
        # A tool button, lower than a push button: the header keeps its height on a laptop at 150 %.
        self.change_phase_button = QToolButton()
        self.change_phase_button.setObjectName("changePhase")
        self.change_phase_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.change_phase_button.clicked.connect(self.change_phase)
        self.phase_note = QLabel()
        self.phase_note.setObjectName("phaseNote")
        self.phase_note.setWordWrap(True)
        self.phase_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phase_note.setVisible(False)
        phase_row = QHBoxLayout()
        phase_row.setSpacing(8)
        phase_row.addWidget(self.phase_label, 0)
        phase_row.addWidget(self.change_phase_button, 0)
        phase_row.addWidget(self.phase_note, 1)
        titles.addWidget(self.name_label)
        titles.addWidget(self.details_label)
        titles.addLayout(phase_row)
        top.addLayout(titles, 1)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedIndicator")
        self.saved_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.saved_label, 0)
        self.meeting_button = QPushButton()
        self.meeting_button.clicked.connect(self._meeting_mode)
        self.checklist_button = QPushButton()
        self.checklist_button.setObjectName("checklistButton")
        self.checklist_button.setCheckable(True)
        self.checklist_button.toggled.connect(self._toggle_checklist)
        self.finalise_button = QPushButton()
        self.finalise_button.setObjectName("finaliseButton")
        self.finalise_button.clicked.connect(self.request_finalise)
        from ..pdf_ui import ReviewPdf

        self.pdf = ReviewPdf(self)  # Export PDF… and Print…
        # The buttons on a row of their own under the name: the header fits a small screen.
        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 0, 4, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf.export_button, 0)
        buttons.addWidget(self.pdf.print_button, 0)
        self.attachments_button = QPushButton()   # the review's files (vsm_desktop.app.attachments)
        self.attachments_button.clicked.connect(self._attachments)
        buttons.addWidget(self.attachments_button, 0)
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
        self.sections.setTextElideMode(Qt.TextElideMode.ElideNone)   # long Welsh titles wrap
        self.sections.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.sections.setMinimumWidth(170)
        self.sections.setMaximumWidth(300)
        self.sections.setStyleSheet("QListWidget#sectionList::item { padding: 3px 0px; }")
        self.sections.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.sections.setSpacing(1)
        fill_section_list(self.sections, tuple(s.key for s in SECTIONS))
        self.sections.currentRowChanged.connect(self._section_chosen)
        self.sections.itemActivated.connect(lambda _item: self.focus_section())
        left = QVBoxLayout()
        left.setSpacing(4)
        self.progress_bar = OverallProgress()
        self.progress_bar.setMinimumWidth(170)
        self.progress_bar.setMaximumWidth(300)
        left.addWidget(self.progress_bar)
        left.addWidget(self.sections, 1)
        self.add_section_button = QPushButton()
        self.add_section_button.setObjectName("addSection")
        self.add_section_button.clicked.connect(self.add_section)
        self.add_section_button.setMaximumWidth(300)
        left.addWidget(self.add_section_button)
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
        self.setTabOrder(self.back_button, self.change_phase_button)
        self.setTabOrder(self.change_phase_button, self.pdf.export_button)
        self.setTabOrder(self.pdf.export_button, self.pdf.print_button)
        self.setTabOrder(self.pdf.print_button, self.attachments_button)
        self.setTabOrder(self.attachments_button, self.meeting_button)
        self.setTabOrder(self.meeting_button, self.checklist_button)
        self.setTabOrder(self.checklist_button, self.finalise_button)
        self.setTabOrder(self.finalise_button, self.amend_button)
        self.setTabOrder(self.amend_button, self.next_button)
        self.setTabOrder(self.next_button, self.add_section_button)
        self.setTabOrder(self.add_section_button, self.sections)   # Tab from the list goes into the section

    def retranslate_ui(self) -> None:
        self.back_button.setText(pgettext("button", "Back"))
        self.back_button.setAccessibleName(_("Back to the learner"))
        self.back_button.setToolTip(_("Back to the learner"))
        self.attachments_button.setText(_("Attachments…"))
        self.attachments_button.setToolTip(_("Documents and pictures attached to this PEP"))
        self.meeting_button.setText(_("Meeting mode"))
        self.meeting_button.setToolTip(with_shortcut(_("Full screen, large type, one section at a time"), MEETING_KEYS))
        self.checklist_button.setText(_("Checklist"))
        self.checklist_button.setToolTip(with_shortcut(_("Show or hide what finalising needs, beside the form"),
                                                       CHECKLIST_KEYS))
        self.back_button.setToolTip(with_shortcut(_("Back to the learner"), "Alt+Left"))
        self.change_phase_button.setText(_("Change phase…"))
        self.change_phase_button.setToolTip(with_shortcut(
            _("Set this review's phase, saying why, or go back to the phase from the date of birth"), PHASE_KEYS))
        self.add_section_button.setText(_("Add a section…"))
        self.add_section_button.setToolTip(_("Add a section that this learner's phase or circumstances do not bring, "
                                             "saying why"))
        self.finalise_button.setText(_("Finalise…"))
        # setText gives a button its &-mnemonic as its shortcut, dropping any other: set them after.
        for button, keys in ((self.meeting_button, MEETING_KEYS), (self.checklist_button, CHECKLIST_KEYS),
                             (self.change_phase_button, PHASE_KEYS)):
            button.setShortcut(QKeySequence(keys))
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
            self.phase_label.setText("")
            self.banner.setVisible(False)
            self.rating_panel.show_review(None)
            self.finalise_button.setEnabled(False)
            self.add_section_button.setEnabled(False)
            self.change_phase_button.setEnabled(False)
            self.phase_note.setVisible(False)
            self.meeting_button.setEnabled(False)
            self.pdf.set_enabled(False)
            return
        review = data.review
        self.name_label.setText(display_name(data.learner))
        status = model.enum_label("review_status", review["status"])
        plan = data.plan
        phase = model.enum_label("phase", plan.phase)
        overridden = bool(review.get("phase_override"))
        if overridden:
            phase = _("{phase} (overridden)").format(phase=phase)
            computed = model.enum_label("phase", plan.computed_phase) if plan.computed_phase else "—"
            note = _("From the date of birth: {computed}. Reason: {reason}").format(
                computed=computed, reason=review.get("phase_override_reason") or "—")
        else:
            note = ""
        self.phase_label.setText(_("Phase: {phase}").format(phase=phase))
        self.phase_label.setToolTip(note)
        self.phase_note.setText(note)
        self.phase_note.setVisible(overridden)
        self.details_label.setText(_("{review_type} · {start} to {end} · {status} · due {due}").format(
            review_type=model.enum_label("review_type", review["review_type"]),
            start=format_date(review["period_start"]), end=format_date(review["period_end"]),
            status=status, due=format_date(review["due_date"])))
        self.add_section_button.setEnabled(not data.finalised and bool(plan.offered))
        self.change_phase_button.setEnabled(not data.finalised)
        self.change_phase_button.setToolTip(
            _("Read-only: this review is finalised") if data.finalised else with_shortcut(
                _("Set this review's phase, saying why, or go back to the phase from the date of birth"), PHASE_KEYS))
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
        self.setAccessibleDescription(self.details_label.text() + " · " + self.phase_label.text())

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
        if changed or same_section not in self.section_keys():
            self.sections.setCurrentRow(0)
            self.show_section(self.section_keys()[0])
            if changed:
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

    def section_keys(self) -> list[str]:
        """The sections the list shows: the open review's (domain/sections.py), in its order."""
        return [self.sections.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.sections.count())]

    def show_section(self, key: str) -> SectionPage:
        keys = self.section_keys()
        index = keys.index(key) if key in keys else -1
        if self.sections.currentRow() != index:
            self.sections.blockSignals(True)
            self.sections.setCurrentRow(index)
            self.sections.blockSignals(False)
        return self.stack.show_section(key)

    def _section_chosen(self, row: int) -> None:
        keys = self.section_keys()
        if 0 <= row < len(keys):
            self.stack.show_section(keys[row])

    def step_section(self, step: int) -> None:
        keys = self.section_keys()
        row = max(0, min(len(keys) - 1, self.sections.currentRow() + step))
        self.show_section(keys[row])
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
        key = location.get("section") or self.section_keys()[0]
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
        if self.progress is not None and fill_section_list(self.sections, tuple(p.key for p in self.progress)):
            # A circumstance came (or went) with an edit: the list follows, the page stays.
            self.show_section(self.stack.current_key())
            self.stack.retranslate_ui()
            self._show_header()
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
        self.add_section_button.setVisible(not narrow)

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

    def _attachments(self) -> None:
        data = self.ctx.data
        if data is None:
            return
        from ..attachments import AttachmentsDialog

        dialog = AttachmentsDialog(self.worker, data.review["learner_id"], data.review["id"],
                                   data.read_only("reviews"), self)
        dialog.panel.status_message.connect(self.status_message)
        dialog.exec()

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
        from ..finalise import FinaliseDialog

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

    def add_section(self) -> None:
        """Asks which section and why, then adds it to the review (Store.add_section)."""
        data = self.ctx.data
        if data is None or data.finalised:
            return
        from .add_section import ask_and_add

        review_id = self.review_id

        def added(key: str) -> None:
            self.add_section_dialog = None
            self.status_message.emit(_("The section is added to this review."))
            self._pending_restore = {"review_id": review_id, "section": key}
            self.open_review(review_id)

        self.add_section_dialog = ask_and_add(self, data, review_id, self.autosave, self.worker, added,
                                              lambda e: self.status_message.emit(human_error(e)))

    def change_phase(self) -> None:
        """Asks for the phase and why, then sets it (Store.override_phase); the sections follow."""
        data = self.ctx.data
        if data is None or data.finalised:
            return
        from .change_phase import ChangePhaseDialog

        dialog = self.phase_dialog = ChangePhaseDialog(data.review, data.learner, data.default_lang(), self)
        dialog.chosen.connect(lambda phase, reason, lang: self._change_phase(dialog, phase, reason, lang))
        dialog.finished.connect(lambda _r: self._phase_dialog_closed(dialog))
        dialog.open()

    def _phase_dialog_closed(self, dialog) -> None:
        if self.phase_dialog is dialog:
            self.phase_dialog = None
        dialog.deleteLater()

    def _change_phase(self, dialog, phase: str | None, reason: str, lang: str | None) -> None:
        review = self.ctx.data.review
        if (phase == review.get("phase_override") and (phase is None or (
                reason == (review.get("phase_override_reason") or "").strip()
                and lang == review.get("phase_override_reason_lang")))):
            dialog.saved()   # nothing changed: nothing to write
            return
        review_id = self.review_id

        def done(_result) -> None:
            dialog.saved()
            self.status_message.emit(_("The phase is changed. The sections follow it."))
            self.open_review(review_id)

        def failed(error: BaseException) -> None:
            dialog.show_error(human_error(error))

        self.autosave.flush(then=lambda: self.worker.submit(
            lambda store: store.override_phase(review_id, phase, reason, lang), on_done=done, on_error=failed))

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
