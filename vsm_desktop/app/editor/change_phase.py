"""Change phase…: a review's phase set whatever the date of birth says (with the reason), or back
to the phase from the date of birth. The store checks and keeps it (Store.override_phase)."""

from __future__ import annotations

from ...domain import model, phases
from ...i18n import _, pgettext
from ..fields import FieldEditor
from ..qt import (
    QButtonGroup, QDialog, QDialogButtonBox, QLabel, QRadioButton, QVBoxLayout, QWidget, Signal,
)
from .common import format_date

AUTO = "auto"


class ChangePhaseDialog(QDialog):
    """Asks for the phase and, for an override, why. OK sends `chosen(phase or None, reason, lang)`;
    the dialog stays open until the editor has saved it (`saved()`) or shows why not (`show_error`)."""

    chosen = Signal(object, str, object)

    def __init__(self, review: dict, learner: dict, default_lang: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("changePhaseDialog")
        self.setWindowTitle(_("Change the phase"))
        layout = QVBoxLayout(self)
        computed = phases.computed_phase(review, learner)
        self.computed = computed
        intro = QLabel(_("The phase decides which sections this review shows. Sections that hold what was "
                         "entered stay whatever the phase."))
        intro.setWordWrap(True)
        if computed:
            gives = _("From the date of birth ({date}), this review is: {phase}.").format(
                date=format_date(learner.get("date_of_birth"), "long"), phase=model.enum_label("phase", computed))
        else:
            gives = _("No date of birth is recorded: this review is school age unless the phase is set.")
        self.gives = QLabel(gives)
        self.gives.setObjectName("phaseFromBirth")
        self.gives.setWordWrap(True)
        choose = QLabel(_("Phase:"))
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for key in (*phases.PHASES, AUTO):
            text = (_("From the date of birth ({phase})").format(
                phase=model.enum_label("phase", computed or phases.SCHOOL_AGE))
                if key == AUTO else model.enum_label("phase", key))
            button = QRadioButton(text)
            button.setObjectName(f"phase_{key}")
            self.group.addButton(button)
            self.choices[key] = button
        current = self.choices[review.get("phase_override") if review.get("phase_override") in phases.PHASES else AUTO]
        current.setChecked(True)
        choose.setBuddy(current)
        reason = QLabel(_("Why is the phase overridden?"))
        # The same editor as the field itself: the text and the language it is written in.
        self.editor = FieldEditor("reviews", model.entity("reviews").field("phase_override_reason"))
        self.editor.retranslate_ui()
        self.editor.set_value(review.get("phase_override_reason"),
                              review.get("phase_override_reason_lang") or default_lang)
        self.text = self.editor.widget
        self.text.setObjectName("phaseReason")
        reason.setBuddy(self.text)
        self.message = QLabel()
        self.message.setObjectName("phaseMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a4262c;")
        self.message.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Change the phase"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(pgettext("button", "Cancel"))
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.group.buttonToggled.connect(lambda *_a: self._follow_choice())
        layout.addWidget(intro)
        layout.addWidget(self.gives)
        layout.addWidget(choose)
        for button in self.choices.values():
            layout.addWidget(button)
        layout.addWidget(reason)
        layout.addWidget(self.editor)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._follow_choice()
        current.setFocus()    # the arrow keys move on from the review's phase
        self.resize(580, 420)

    def phase(self) -> str | None:
        """The phase chosen; None for the phase from the date of birth."""
        key = next(k for k, b in self.choices.items() if b.isChecked())
        return None if key == AUTO else key

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def language(self) -> str | None:
        return self.editor.lang.currentData() if self.editor.lang is not None else None

    def _follow_choice(self) -> None:
        # Going back to the date of birth needs no reason (what was typed stays in the box).
        self.editor.setEnabled(self.phase() is not None)

    def _ok(self) -> None:
        phase = self.phase()
        if phase is not None and not self.reason():
            self.show_error(_("Say why the phase is overridden: the reason is kept with the review."))
            self.text.setFocus()
            return
        self.message.setVisible(False)
        self.ok.setEnabled(False)
        self.chosen.emit(phase, self.reason() if phase else "", self.language() if phase else None)

    def show_error(self, text: str) -> None:
        """Refused (by the dialog or the store): the message shows, what was typed stays."""
        self.ok.setEnabled(True)
        self.message.setText(text)
        self.message.setVisible(True)

    def saved(self) -> None:
        self.accept()
