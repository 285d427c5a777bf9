"""“Finalise…”: the checklist of what a review still needs, each entry a button that takes the
user to the field, and, when nothing is missing, the confirmation that freezes the review.

The list comes from the core (`domain.lifecycle.finalise_problems`), so the dialog, the
store and the command line agree on what "ready" means.
"""

from __future__ import annotations

from ..domain import lifecycle
from ..domain.sections import section_of
from ..i18n import _, ngettext, pgettext
from .qt import (
    QDialog, QDialogButtonBox, QFont, QFrame, QLabel, QPainter, QPushButton, QRect, QScrollArea, QSize, QSizePolicy,
    QVBoxLayout, QWidget, Qt, Signal,
)


class LinkButton(QPushButton):
    """A flat button whose text wraps (a checklist entry can be a long sentence in Welsh)."""

    PAD_X, PAD_Y = 12, 7

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self.setFlat(True)
        self.setAccessibleName(text)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def link_text(self) -> str:
        return self._text

    def _text_height(self, width: int) -> int:
        rect = self.fontMetrics().boundingRect(QRect(0, 0, max(40, width - 2 * self.PAD_X), 10_000),
                                               int(Qt.TextFlag.TextWordWrap), self._text)
        return rect.height() + 2 * self.PAD_Y

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._text_height(width)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, self._text_height(480))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, self.fontMetrics().height() + 2 * self.PAD_Y)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)  # the flat bevel and the focus frame; the text is ours
        painter = QPainter(self)
        if self.hasFocus():
            painter.setPen(self.palette().highlight().color())
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.setPen(self.palette().link().color())   # reads as a link; the arrow says "go to"
        font = QFont(self.font())
        font.setUnderline(True)
        painter.setFont(font)
        painter.drawText(self.rect().adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap),
                         self._text)
        painter.end()


class FinaliseDialog(QDialog):
    go_to = Signal(str, str, str)        # entity, record id, field
    finalise_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finaliseDialog")
        self.record: dict | None = None
        self.review_id: str | None = None
        self.problems: list[lifecycle.Problem] = []
        self.links: list[LinkButton] = []
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.list_area = QScrollArea()
        self.list_area.setWidgetResizable(True)
        self.list_area.setFrameShape(QFrame.Shape.NoFrame)
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(4)
        self.list_area.setWidget(self.list_widget)
        self.list_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.list_area, 1)
        # Ready, but with sections nobody wrote anything in: said, named, and not refused.
        self.empty_warning = QLabel()
        self.empty_warning.setObjectName("emptySectionsWarning")
        self.empty_warning.setWordWrap(True)
        self.empty_warning.setStyleSheet("#emptySectionsWarning { background: #fff4d6; border: 1px solid #8a6d00; "
                                         "padding: 6px; color: #3d3000; }")
        self.empty_warning.setVisible(False)
        layout.addWidget(self.empty_warning)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: palette(highlighted-text); background: #9b1c1c; padding: 4px 6px;")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.finalise_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.finalise_button.setObjectName("confirmFinalise")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.finalise_button.clicked.connect(self._confirm)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        self.resize(680, 420)
        self.retranslate_ui()

    def set_record(self, record: dict, review_id: str) -> None:
        """Shows what `record` (a learner record) still needs for the review to be finalised."""
        self.record, self.review_id = record, review_id
        self.error.setVisible(False)
        self.finalise_button.setEnabled(True)
        self.retranslate_ui()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        self.finalise_button.setEnabled(not self.problems)

    def retranslate_ui(self) -> None:
        # The messages come from the core in the interface language: ask again after a switch.
        self.problems = lifecycle.finalise_problems(self.record, self.review_id) if self.record else []
        self.setWindowTitle(_("Finalise the PEP review"))
        n = len(self.problems)
        if n:
            self.heading.setText(ngettext("{n} thing to do before finalising", "{n} things to do before finalising",
                                          n).format(n=n))
            self.summary.setText(_("Choose an item to go to its field. Everything you type is saved as you go; "
                                   "come back to “Finalise…” when you are ready."))
        else:
            self.heading.setText(_("Ready to finalise"))
            self.summary.setText(_("Everything required is there. Once finalised, this review cannot be changed: "
                                   "later work goes into the next review, and a correction needs an amendment."))
        self.empty = []
        if not n and self.record:
            from ..domain.progress import empty_sections, section_progress
            from .progress import empty_warning

            self.empty = empty_sections(section_progress(self.record, self.review_id))
            self.empty_warning.setText("⚠ " + empty_warning(self.empty) if self.empty else "")
        self.empty_warning.setVisible(bool(self.empty))
        self._fill_links()
        self.finalise_button.setText(_("Finalise the review"))
        self.finalise_button.setVisible(not n)
        self.close_button.setText(pgettext("button", "Close") if n else pgettext("button", "Cancel"))
        (self.close_button if n else self.finalise_button).setDefault(True)
        width = max(self.width(), 680)
        if n:
            self.resize(width, min(600, max(self.sizeHint().height(), 420)))
        else:
            layout = self.layout()
            layout.activate()
            height = layout.heightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
            self.resize(width, max(height, 160))

    def _fill_links(self) -> None:
        for button in self.links:
            self.list_layout.removeWidget(button)
            button.deleteLater()
        self.links = []
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for problem in self.problems:
            section = section_of(problem.entity, problem.field)
            where = _(section.title) if section else ""
            text = _("{section}: {problem}").format(section=where, problem=problem.message) if where else problem.message
            button = LinkButton("→ " + text)
            button.setObjectName("checklistLink")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(text)
            button.setAccessibleDescription(_("Go to the field"))
            button.setToolTip(_("Go to the field"))
            button.clicked.connect(lambda _c=False, p=problem: self.go_to.emit(p.entity, p.record_id, p.field))
            self.list_layout.addWidget(button)
            self.links.append(button)
        self.list_layout.addStretch(1)
        self.list_area.setVisible(bool(self.problems))

    def _confirm(self) -> None:
        if self.problems:
            return
        self.finalise_button.setEnabled(False)
        self.finalise_requested.emit()
