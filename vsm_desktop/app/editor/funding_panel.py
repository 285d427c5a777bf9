"""PDG-CLA funding in the review editor (under "Support and interventions"): the review's
requests with their decisions and spend; Request funding… (linked to the review's targets),
Decide… (coordinators: approve all or part, decline, more information, with a reason), Record
spend…, and the impact on the targets of funding from earlier reviews, recorded at this one.

The rules are the core's (`domain/funding.py`); every store call runs on the worker. Funding is
not frozen with a finalised review: a decision or a spend is not an edit of the PEP, so the
panel stays usable when the rest of the review is read-only.
"""

from __future__ import annotations

import datetime as dt

import shiboken6

from ...domain import funding, model
from ...i18n import N_, _, pgettext
from ..coordinator_ui import ListModel
from ..fields import FieldEditor, date_keys
from ..language import human_error
from ..qt import (
    QAbstractItemView, QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFont, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QRadioButton, QTableView, QVBoxLayout, QWidget, Qt, Signal,
)
from .common import EditorContext, editor_value, fit_text_editors, format_date


def _money(pence) -> str:
    return funding.money(pence)


def _status(r: dict) -> str:
    if r["status"] == "approved" and r.get("approved_pence") not in (None, r["amount_pence"]):
        return _("Approved in part: {amount}").format(amount=_money(r["approved_pence"]))
    return model.enum_label("funding_status", r["status"])


COLUMNS = [   # (heading, text, sort key) of a request as `funding.review_funding` gives it
    (N_("Kind of support"), lambda r: model.enum_label("funding_kind", r["kind"])),
    (N_("Provider"), lambda r: r.get("provider") or "—"),
    (N_("Amount requested"), lambda r: _money(r["amount_pence"]), lambda r: r["amount_pence"]),
    (N_("Decision"), _status, lambda r: r["status"]),
    (N_("Spent"), lambda r: _money(r["spent_pence"]) + (" ⚠" if r["spent_pence"] > (r.get("approved_pence") or 0)
                                                       and r["status"] == "approved" else ""),
     lambda r: r["spent_pence"]),
]


class FundingPanel(QWidget):
    """The review's PDG-CLA requests; `load()` reads them again (after any change)."""

    changed = Signal()

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("fundingPanel")
        self.info: dict | None = None
        self.dialog: QDialog | None = None
        self.asked = self.answered = 0   # loads asked for and answered (the worker answers in order)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("fundingHeading")
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        self.model = ListModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("fundingRequests")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())
        layout.addWidget(self.table)
        self.empty = QLabel()
        layout.addWidget(self.empty)
        self.detail = QLabel()
        self.detail.setObjectName("fundingDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        buttons = QHBoxLayout()
        self.request_button = QPushButton()
        self.request_button.setObjectName("requestFunding")
        self.change_button = QPushButton()
        self.change_button.setObjectName("changeRequest")
        self.decide_button = QPushButton()
        self.decide_button.setObjectName("decideFunding")
        self.spend_button = QPushButton()
        self.spend_button.setObjectName("recordSpend")
        self.impact_button = QPushButton()
        self.impact_button.setObjectName("recordImpact")
        for b in (self.request_button, self.change_button, self.decide_button, self.spend_button, self.impact_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.request_button.clicked.connect(self.ask)
        self.change_button.clicked.connect(self.change)
        self.decide_button.clicked.connect(self.decide)
        self.spend_button.clicked.connect(self.spend)
        self.impact_button.clicked.connect(self.impact)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(_("PDG-CLA funding requests"))
        self.hint.setText(_("Ask for the Pupil Development Grant for children looked after for this PEP's targets. "
                            "A LACE coordinator decides; decisions and spend can be recorded after the review is "
                            "finalised."))
        self.request_button.setText(_("Request funding…"))
        self.change_button.setText(_("Change or answer…"))
        self.change_button.setToolTip(_("Change the request before it is decided, or answer the coordinator's "
                                        "question: it goes back for a decision"))
        self.decide_button.setText(_("Decide…"))
        self.spend_button.setText(_("Record spend…"))
        self.impact_button.setText(_("Record impact…"))
        self.impact_button.setToolTip(_("The difference funding from an earlier review made to its targets"))
        self.empty.setText(_("No funding requested in this review."))
        self.model.retranslate()
        self.table.setAccessibleName(_("PDG-CLA funding requests"))
        self._show_detail()

    # --- reading --------------------------------------------------------------------------

    def load(self) -> None:
        data = self.ctx.data
        if data is None:
            return
        review_id = data.review_id
        self.asked += 1
        number = self.asked
        self.ctx.worker.submit(lambda store: funding.review_funding(store, review_id),
                               lambda info: self._loaded(info, number), lambda e: self.ctx.status(human_error(e)))

    def _loaded(self, info: dict, number: int = 0) -> None:
        self.answered = max(self.answered, number)
        # The answer can come after the editor was closed (meeting mode took its place).
        if not shiboken6.isValid(self.table) or self.ctx.data is None \
                or info["review_id"] != self.ctx.data.review_id:
            return
        current = self.current()
        self.info = info
        self.model.set_rows(info["requests"])
        rows = info["requests"]
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):   # a little air: Welsh labels were clipped
            header.resizeSection(column, header.sectionSize(column) + 12)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + max(1, min(len(rows), 6)) * self.table.verticalHeader().defaultSectionSize() + 4)
        index = next((i for i, r in enumerate(rows) if current and r["id"] == current["id"]), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)
        self._show_detail()
        self.changed.emit()

    def current(self) -> dict | None:
        index = self.table.currentIndex()
        rows = self.model.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def _show_detail(self) -> None:
        r = self.current()
        info = self.info or {}
        coordinator = bool(info.get("coordinator"))
        self.request_button.setEnabled(self.ctx.data is not None)
        self.change_button.setEnabled(bool(r) and r["status"] not in funding.FINAL)
        self.decide_button.setVisible(coordinator)
        self.decide_button.setEnabled(bool(r) and r["status"] not in funding.FINAL)
        self.spend_button.setEnabled(bool(r) and r["status"] == "approved")
        self.impact_button.setEnabled(any(r2["links"] for r2 in info.get("earlier", ())))
        if r is None:
            self.detail.setText("")
            return
        lines = [_("What it is for: {text}").format(text=r["purpose"])]
        if r.get("expected_impact"):
            lines.append(_("Expected impact: {text}").format(text=r["expected_impact"]))
        if r.get("start_date") or r.get("end_date"):
            lines.append(_("From {start} to {end}").format(start=format_date(r.get("start_date")),
                                                           end=format_date(r.get("end_date"))))
        for link in r["links"]:
            target = link.get("target") or {}
            lines.append(_("Target: {text}").format(text=(target.get("description") or "—").splitlines()[0]))
        lines.append(_("Requested by {person} on {date}").format(
            person=r.get("requested_by") or "—", date=format_date((r.get("requested_at") or "")[:10] or None)))
        decision = funding.describe_decision(r)
        if r.get("decision_reason"):
            decision += ": " + r["decision_reason"]
        lines.append(decision)
        for s in r["spend"]:
            line = _("Spent {amount} on {date}").format(amount=_money(s["amount_pence"]), date=format_date(s["spent_on"]))
            if s.get("note"):
                line += " · " + s["note"]
            if s.get("over_approved"):
                line += " · " + _("above the approved amount")
            lines.append(line)
        self.detail.setText("\n".join(lines))

    # --- actions --------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.done_ok.connect(lambda warnings: self._done(warnings))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def _done(self, warnings) -> None:
        if warnings:
            self.ctx.status(" ".join(warnings))
        self.load()

    def ask(self) -> None:
        if self.ctx.data is not None:
            self._open(RequestDialog(self.ctx, (self.info or {}).get("targets", []), self))

    def change(self) -> None:
        r = self.current()
        if r is not None and r["status"] not in funding.FINAL:
            self._open(RequestDialog(self.ctx, (self.info or {}).get("targets", []), self, request=r))

    def decide(self) -> None:
        r = self.current()
        if r is not None and r["status"] not in funding.FINAL and (self.info or {}).get("coordinator"):
            self._open(DecideDialog(self.ctx, r, self))

    def spend(self) -> None:
        r = self.current()
        if r is not None and r["status"] == "approved":
            self._open(SpendDialog(self.ctx, r, self))

    def impact(self) -> None:
        earlier = (self.info or {}).get("earlier", [])
        if earlier:
            self._open(ImpactDialog(self.ctx, earlier, self))


# --- dialogs ------------------------------------------------------------------------------

class _Dialog(QDialog):
    """A form whose OK runs `work(store)` on the worker: refused, the message shows in the
    dialog and nothing typed is lost; done, `done_ok(warnings)` and the dialog closes."""

    done_ok = Signal(list)

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._busy = False
        self.layout_ = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.layout_.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.addLayout(self.form)
        self.labels: list[tuple[QLabel, str]] = []
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(highlighted-text); background: #9b1c1c; padding: 2px 6px;")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(int(600 * ctx.scale))

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)
        date_keys().attach(self)
        fit_text_editors(self, 4)
        self.retranslate_ui()

    def row(self, text: str, widget: QWidget) -> QWidget:
        label = QLabel()
        label.setBuddy(widget.widget if isinstance(widget, FieldEditor) else widget)
        self.labels.append((label, text))
        self.form.addRow(label, widget)
        return widget

    def editor(self, entity: str, name: str, value=None, lang: str | None = None) -> FieldEditor:
        e = FieldEditor(entity, model.entity(entity).field(name))
        e.set_value(value, lang or (self.ctx.data.default_lang() if self.ctx.data else None))
        return e

    def retranslate_ui(self) -> None:
        for label, text in self.labels:
            label.setText(_(text))
        self.ok.setText(pgettext("button", "OK"))
        self.cancel.setText(pgettext("button", "Cancel"))

    def submit(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.ok.setEnabled(False)
        self.error.setVisible(False)
        try:
            job = self.prepare()
        except Exception as e:   # a value refused before the store is asked (an amount)
            self._refused(e)
            return
        self.ctx.worker.submit(job, self._succeeded, self._refused)

    def prepare(self):
        """Reads the form on the UI thread; returns the job for the worker."""
        raise NotImplementedError

    def _succeeded(self, warnings) -> None:
        self._busy = False
        self.done_ok.emit(list(warnings or []))
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._busy = False
        self.ok.setEnabled(True)
        self.error.setText(error.describe() if isinstance(error, model.ValidationError) else human_error(error))
        self.error.setVisible(True)


def _text(editor: FieldEditor) -> tuple[str | None, str | None]:
    value = editor_value(editor)
    return value, (editor.lang.currentData() if editor.lang is not None and value else None)


class RequestDialog(_Dialog):
    """A new request, or (`request` given) a change to one not yet decided."""

    def __init__(self, ctx: EditorContext, targets: list[dict], parent: QWidget | None = None,
                 request: dict | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("fundingRequestDialog")
        self.request = request
        review = ctx.data.review
        r = request or {"kind": "tutoring", "start_date": review.get("period_start")}
        self.kind = self.row(N_("Kind of support"), self.editor("funding_requests", "kind", r.get("kind")))
        self.amount = self.row(N_("Amount requested (£)"), QLineEdit())
        self.amount.setObjectName("fundingAmount")
        if request:
            self.amount.setText(f"{request['amount_pence'] / 100:.2f}")
        self.provider = self.row(N_("Provider"), self.editor("funding_requests", "provider", r.get("provider")))
        self.start = self.row(N_("Start date"), self.editor("funding_requests", "start_date", r.get("start_date")))
        self.end = self.row(N_("End date"), self.editor("funding_requests", "end_date", r.get("end_date")))
        self.purpose = self.row(N_("What it is for"), self.editor("funding_requests", "purpose", r.get("purpose"),
                                                                  r.get("purpose_lang")))
        self.expected = self.row(N_("Expected impact"), self.editor("funding_requests", "expected_impact",
                                                                    r.get("expected_impact"), r.get("expected_impact_lang")))
        linked = {link["target_id"] for link in (request or {}).get("links", ())}
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        self.targets: dict[str, QCheckBox] = {}
        for t in targets:
            check = QCheckBox((t.get("description") or "").splitlines()[0][:90] if t.get("description") else "—")
            check.setChecked(t["id"] in linked)
            self.targets[t["id"]] = check
            col.addWidget(check)
        self.no_targets = QLabel()
        self.no_targets.setWordWrap(True)
        self.no_targets.setVisible(not targets)
        col.addWidget(self.no_targets)
        self.row(N_("Targets it supports"), box)
        self.finish_layout()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Request PDG-CLA funding"))
        self.intro.setText(_("In your own words and language: what the funding is for and the difference it should "
                             "make to the learner's targets. A LACE coordinator decides."))
        self.amount.setPlaceholderText(_("for example 450 or 450.00"))
        self.no_targets.setText(_("This review has no targets yet: add them under Targets first, then link them."))
        for e in (self.kind, self.provider, self.start, self.end, self.purpose, self.expected):
            e.retranslate_ui()
        self.ok.setText(_("Send request"))
        if self.request is not None:
            self.setWindowTitle(_("Change the PDG-CLA request"))
            if self.request["status"] == "more_info":
                self.intro.setText(_("The coordinator asked for more information: {reason}").format(
                    reason=self.request.get("decision_reason") or "—"))

    def prepare(self):
        amount = funding.parse_amount(self.amount.text())
        purpose, purpose_lang = _text(self.purpose)
        impact, impact_lang = _text(self.expected)
        values = dict(amount_pence=amount, kind=editor_value(self.kind), provider=editor_value(self.provider),
                      start_date=editor_value(self.start), end_date=editor_value(self.end), purpose=purpose or "",
                      purpose_lang=purpose_lang, expected_impact=impact, expected_impact_lang=impact_lang,
                      target_ids=[tid for tid, check in self.targets.items() if check.isChecked()])
        review_id = self.ctx.data.review_id
        request_id = self.request["id"] if self.request else None

        def job(store):
            if request_id is None:
                funding.request_funding(store, review_id, **values)
                return []
            targets = values.pop("target_ids")
            with store.transaction():
                funding.update_request(store, request_id, {k: v for k, v in values.items()})
                funding.set_targets(store, request_id, targets)
            return []
        return job


class DecideDialog(_Dialog):
    CHOICES = (("approve", N_("Approve the whole amount")), ("part", N_("Approve part of it")),
               ("decline", N_("Decline")), ("more-info", N_("Ask for more information")))

    def __init__(self, ctx: EditorContext, request: dict, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("fundingDecideDialog")
        self.request = request
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for key, _label in self.CHOICES:
            button = QRadioButton()
            button.setObjectName(f"decision_{key}")
            self.choices[key] = button
            self.group.addButton(button)
            col.addWidget(button)
        self.choices["approve"].setChecked(True)
        self.row(N_("Decision"), box)
        self.amount = self.row(N_("Amount approved (£)"), QLineEdit())
        self.amount.setObjectName("approvedAmount")
        self.reason = self.row(N_("Reason for the decision"), self.editor("funding_requests", "decision_reason"))
        self.group.buttonToggled.connect(lambda *_a: self.amount.setEnabled(self.choices["part"].isChecked()))
        self.amount.setEnabled(False)
        self.finish_layout()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Decide a PDG-CLA request"))
        r = self.request
        self.intro.setText(_("{kind}: {amount} requested by {person}.").format(
            kind=model.enum_label("funding_kind", r["kind"]), amount=_money(r["amount_pence"]),
            person=r.get("requested_by") or "—") + "\n" + r["purpose"])
        for key, label in self.CHOICES:
            self.choices[key].setText(_(label))
        self.reason.retranslate_ui()
        self.ok.setText(_("Record the decision"))

    def prepare(self):
        key = next(k for k, b in self.choices.items() if b.isChecked())
        amount = funding.parse_amount(self.amount.text(), "funding_requests", "approved_pence") if key == "part" else None
        reason, reason_lang = _text(self.reason)
        action = "approve" if key == "part" else key
        rid = self.request["id"]

        def job(store):
            return funding.decide(store, rid, action, reason=reason or "", reason_lang=reason_lang,
                                  amount_pence=amount).warnings
        return job


class SpendDialog(_Dialog):
    def __init__(self, ctx: EditorContext, request: dict, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("fundingSpendDialog")
        self.request = request
        self.amount = self.row(N_("Actual cost (£)"), QLineEdit())
        self.amount.setObjectName("spendAmount")
        self.date = self.row(N_("Date"), self.editor("funding_spend", "spent_on", dt.date.today().isoformat()))
        self.note = self.row(N_("Note"), self.editor("funding_spend", "note"))
        self.finish_layout()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Record spend"))
        r = self.request
        self.intro.setText(_("Approved: {approved}; spent so far: {spent}.").format(
            approved=_money(r.get("approved_pence")), spent=_money(r["spent_pence"])))
        self.amount.setPlaceholderText(_("for example 450 or 450.00"))
        self.date.retranslate_ui()
        self.note.retranslate_ui()

    def prepare(self):
        amount = funding.parse_amount(self.amount.text(), "funding_spend", "amount_pence")
        note, note_lang = _text(self.note)
        day = editor_value(self.date)
        rid = self.request["id"]

        def job(store):
            return funding.record_spend(store, rid, amount_pence=amount, spent_on=day, note=note,
                                        note_lang=note_lang).warnings
        return job


class ImpactDialog(_Dialog):
    def __init__(self, ctx: EditorContext, earlier: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("fundingImpactDialog")
        from ..qt import QComboBox

        self.links = QComboBox()
        self.links.setObjectName("impactTarget")
        for r in earlier:
            for link in r["links"]:
                target = (link.get("target") or {}).get("description") or "—"
                self.links.addItem(f"{model.enum_label('funding_kind', r['kind'])}, {_money(r['approved_pence'])}: "
                                   f"{target.splitlines()[0][:70]}", link)
        self.row(N_("Funded target"), self.links)
        self.progress = self.row(N_("Progress on the target"), self.editor("funding_targets", "impact_progress"))
        self.text = self.row(N_("Impact on the target"), self.editor("funding_targets", "impact"))
        self.links.currentIndexChanged.connect(lambda _i: self._fill())
        self._fill()
        self.finish_layout()

    def _fill(self) -> None:
        link = self.links.currentData() or {}
        self.progress.set_value(link.get("impact_progress"))
        self.text.set_value(link.get("impact"), link.get("impact_lang"))

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Record the impact of funding"))
        self.intro.setText(_("At this review: what difference did the funding make to each target it was for?"))
        self.progress.retranslate_ui()
        self.text.retranslate_ui()

    def prepare(self):
        link = self.links.currentData()
        text, lang = _text(self.text)
        progress = editor_value(self.progress)
        review_id = self.ctx.data.review_id
        today = dt.date.today()

        def job(store):
            funding.record_impact(store, link["id"], impact=text, impact_lang=lang, progress=progress,
                                  review_id=review_id, on=today)
            return []
        return job
