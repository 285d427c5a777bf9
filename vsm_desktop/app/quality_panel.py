"""The quality rating of a finalised review, under the editor's "finalised" banner: the current
rating with its feedback, and "Rate…" for the coordinator (red, amber or green, with feedback).
A red rating returns the review for amendment: the banner's "Amend…" answers it.

The rules live in `coordinator.quality`; every store call runs on the StoreWorker."""

from __future__ import annotations

import datetime as dt

from .. import i18n
from ..coordinator import quality
from ..domain import model
from ..i18n import _, pgettext
from . import style
from .language import human_error
from .qt import (
    QButtonGroup, QDialog, QDialogButtonBox, QDockWidget, QFrame, QGridLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
    QRadioButton, QVBoxLayout, QWidget, Qt, Signal,
)
from .worker import StoreWorker

COLOURS = {"red": ("#fde2e2", "#a11d1d"), "amber": ("#fff1d6", "#8a5a00"), "green": ("#def3e3", "#1d6b35")}
MARKS = {"red": "✕", "amber": "!", "green": "✓"}   # the dashboard's marks: never colour alone


class RatingForm(QWidget):
    """Red, amber or green with feedback; red needs feedback (the core says so if it is missing).
    Used beside the PEP (`RatingDock`, the QA way) and in a dialog (`RatingDialog`)."""

    rated = Signal(str)            # the review id
    next_requested = Signal()

    def __init__(self, worker: StoreWorker, review_id: str | None = None, with_next: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker, self.review_id = worker, review_id
        # Children from the start: shown (setVisible) before the grid takes them, they would be
        # windows of their own for a moment, taking the focus from the window already showing.
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for value in model.ENUMS["rating"]:
            button = QRadioButton()
            button.setObjectName(f"rating_{value}")
            self.group.addButton(button)
            self.buttons[value] = button
        self._colour_ratings()
        self.feedback_label = QLabel()
        self.feedback = QPlainTextEdit()
        self.feedback.setObjectName("ratingFeedback")
        self.feedback.setTabChangesFocus(True)
        self.feedback.setMinimumHeight(56)
        self.feedback_label.setBuddy(self.feedback)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a11d1d;")
        self.error.setVisible(False)
        self.done_label = QLabel()
        self.done_label.setObjectName("ratingSaved")
        self.done_label.setWordWrap(True)
        self.done_label.setVisible(False)
        self.ok = QPushButton()
        self.ok.setObjectName("saveRating")
        self.ok.setEnabled(False)
        self.ok.clicked.connect(self.submit)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("nextReview")
        self.next_button.clicked.connect(self.next_requested)
        self.next_button.setVisible(with_next)
        self.grid = QGridLayout(self)
        self.compact = None
        self.set_compact(False)
        self.group.buttonToggled.connect(lambda *_a: self._changed())
        self.retranslate_ui()

    def _colour_ratings(self) -> None:
        # The rating's colour (and its mark and word): the high-contrast colours when that mode is on.
        for value, button in self.buttons.items():
            button.setStyleSheet(f"QRadioButton {{ color: {style.colour(value).name()}; font-weight: bold; }}")

    on_contrast_changed = _colour_ratings   # called by style.set_high_contrast

    def set_compact(self, compact: bool) -> None:
        """In a column beside the PEP, or in a short band under it (a narrow screen)."""
        if compact == self.compact:
            return
        self.compact = compact
        for i in reversed(range(self.grid.count())):
            self.grid.takeAt(i)
        for i in range(4):
            self.grid.setColumnStretch(i, 0)
            self.grid.setRowStretch(i + 4, 0)
        ratings = list(self.buttons.values())
        self.intro.setVisible(not compact)   # under the PEP on a small screen: its words go in the tooltip
        self.setToolTip(self.intro.text() if compact else "")
        self.feedback.setMaximumHeight(72 if compact else 16777215)
        if compact:
            for i, button in enumerate(ratings):
                self.grid.addWidget(button, 0, i)
            self.grid.addWidget(self.ok, 0, 4)
            self.grid.addWidget(self.next_button, 0, 5)
            self.grid.addWidget(self.feedback_label, 1, 0, 1, 6)
            self.grid.addWidget(self.feedback, 2, 0, 1, 6)
            self.grid.addWidget(self.error, 3, 0, 1, 6)
            self.grid.addWidget(self.done_label, 0, 6)
            self.grid.setColumnStretch(3, 1)
        else:
            widgets = [self.intro, *ratings, self.feedback_label, self.feedback, self.error, self.done_label]
            for row, w in enumerate(widgets):
                self.grid.addWidget(w, row, 0, 1, 2)
            self.grid.setRowStretch(widgets.index(self.feedback), 1)
            self.grid.addWidget(self.ok, len(widgets), 0)
            self.grid.addWidget(self.next_button, len(widgets), 1)
            self.grid.setColumnStretch(1, 1)

    def show_for(self, review_id: str) -> None:
        """A fresh form for another review."""
        self.review_id = review_id
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self.feedback.clear()
        self.error.setVisible(False)
        self.done_label.setVisible(False)
        self._changed()

    def retranslate_ui(self) -> None:
        self.intro.setText(_("Rate the finalised PEP. A red rating returns it to the designated person for "
                             "amendment: say what needs to change."))
        for value, button in self.buttons.items():
            button.setText(f"{MARKS[value]} {model.enum_label('rating', value)}")
        self.feedback_label.setText(_("&Feedback"))
        self.ok.setText(_("&Save the rating"))
        self.next_button.setText(_("&Next waiting review"))
        self.next_button.setToolTip(_("Opens the next PEP waiting for a rating"))

    def rating(self) -> str | None:
        return next((value for value, button in self.buttons.items() if button.isChecked()), None)

    def _changed(self) -> None:
        self.ok.setEnabled(self.rating() is not None and self.review_id is not None)

    def submit(self) -> None:
        rating, review_id = self.rating(), self.review_id
        if rating is None or review_id is None:
            return
        feedback, lang = self.feedback.toPlainText(), i18n.current_language()
        self.ok.setEnabled(False)
        self.error.setVisible(False)

        def failed(error: BaseException) -> None:
            self.ok.setEnabled(True)
            self.error.setText(human_error(error))
            self.error.setVisible(True)
            self.feedback.setFocus()

        def done(_rating_id) -> None:
            self.done_label.setText(_("Saved: {rating}.").format(rating=model.enum_label("rating", rating)))
            self.done_label.setVisible(True)
            self.rated.emit(review_id)
            if self.next_button.isVisible():
                self.next_button.setFocus()   # "Next" after rating

        self.worker.submit(lambda store: quality.rate_review(store, review_id, rating, feedback, lang),
                           on_done=done, on_error=failed)


class RatingDock(QDockWidget):
    """The rating form beside the PEP (the editor, read-only for a finalised review): the
    coordinator reads and writes feedback at once, then goes on to the next waiting review."""

    def __init__(self, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingDock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.form = RatingForm(worker, with_next=True)
        self.summary = QLabel()
        self.summary.setObjectName("ratingDockSummary")
        self.summary.setWordWrap(True)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(4, 0, 4, 4)
        column.addWidget(self.summary)
        column.addWidget(self.form, 1)
        self.setWidget(holder)
        self.setMinimumWidth(280)
        self.retranslate_ui()

    def show_for(self, review_id: str, summary: str = "") -> None:
        self.form.show_for(review_id)
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary) and not self.form.compact)
        self.review_summary = summary
        self.retranslate_ui()
        self.show()
        self.raise_()

    def retranslate_ui(self) -> None:
        # Under the PEP (compact) the review is named in the title bar; beside it, in its own label.
        summary = getattr(self, "review_summary", "") if self.form.compact else ""
        self.setWindowTitle(_("Quality rating: {review}").format(review=summary) if summary else _("Quality rating"))
        self.form.retranslate_ui()


class RatingDialog(QDialog):
    """The rating form in a dialog, where no QA panel is at hand."""

    rated = Signal()

    def __init__(self, worker: StoreWorker, review_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingDialog")
        layout = QVBoxLayout(self)
        self.form = RatingForm(worker, review_id)
        layout.addWidget(self.form)
        self.buttons, self.feedback, self.error, self.ok = self.form.buttons, self.form.feedback, self.form.error, self.form.ok
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.form.rated.connect(lambda _rid: (self.rated.emit(), self.accept()))
        self.resize(560, 360)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Rate the quality of this PEP"))
        self.form.retranslate_ui()
        self.cancel.setText(pgettext("button", "Cancel"))

    def rating(self) -> str | None:
        return self.form.rating()

    def submit(self) -> None:
        self.form.submit()


class RatingPanel(QFrame):
    """One line under the finalised banner: the review's current rating and "Rate…"."""

    rated = Signal()

    def __init__(self, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingPanel")
        self.worker = worker
        self.review: dict | None = None
        self.dialog: RatingDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        self.label = QLabel()
        self.label.setObjectName("ratingSummary")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rate_button = QPushButton()
        self.rate_button.setObjectName("rateReview")
        self.rate_button.clicked.connect(self.rate)
        row.addWidget(self.label, 1)
        row.addWidget(self.rate_button, 0)
        self.setVisible(False)

    def show_review(self, review: dict | None) -> None:
        """The open review (with its `quality_ratings`, as `Store.learner_record` gives it)."""
        self.review = review
        self.setVisible(bool(review) and review["status"] == "finalised")
        self.retranslate_ui()

    def current(self) -> dict | None:
        rows = [r for r in (self.review or {}).get("quality_ratings", ()) if not r.get("deleted")]
        return max(rows, key=lambda r: r.get("rated_at") or "") if rows else None

    def retranslate_ui(self) -> None:
        self.rate_button.setText(_("Rate…"))
        self.rate_button.setToolTip(_("The coordinator's quality rating: red, amber or green, with feedback"))
        if self.dialog is not None:
            self.dialog.retranslate_ui()
        rating = self.current()
        if rating is None:
            self.label.setText(_("Quality: not rated yet."))
            self.setStyleSheet("#ratingPanel { border: 1px solid #999; border-radius: 4px; }")
            return
        background, colour = COLOURS[rating["rating"]]
        self.setStyleSheet(f"#ratingPanel {{ background: {background}; border: 2px solid {colour}; border-radius: 4px; }}"
                           f"#ratingPanel QLabel {{ color: {colour}; }}")
        when = rating.get("rated_at")
        text = _("Quality: {rating}, rated {when} by {who}.").format(
            rating=model.enum_label("rating", rating["rating"]),
            when=i18n.format_date(i18n.local_date(dt.datetime.fromisoformat(when)), "medium") if when else "—",
            who=rating.get("rated_by") or "—")
        if rating["rating"] == "red":
            text += " " + _("Returned for amendment.")
        if rating.get("feedback"):
            text += "\n" + rating["feedback"].strip()
        self.label.setText(text)

    def rate(self):
        """The QA panel beside the PEP when the window has one; else a dialog."""
        if not self.review:
            return None
        dock = self.window().findChild(RatingDock) if self.window() is not None else None
        if dock is not None:
            dock.show_for(self.review["id"])
            dock.form.buttons["green"].setFocus()
            return dock
        dialog = self.dialog = RatingDialog(self.worker, self.review["id"], self.window())
        dialog.rated.connect(self.rated)
        dialog.finished.connect(lambda _r: (setattr(self, "dialog", None), dialog.deleteLater()))
        dialog.open()
        return dialog
