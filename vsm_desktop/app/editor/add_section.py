"""Add a section…: a section the review's phase or circumstances do not bring, and why it is added."""

from __future__ import annotations

from ...domain import model
from ...i18n import _, pgettext
from ..fields import FieldEditor
from ..qt import (
    QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget,
)


class AddSectionDialog(QDialog):
    """Asks which of the offered sections to add and why; OK only once there is a reason."""

    def __init__(self, offered, default_lang: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("addSectionDialog")
        self.setWindowTitle(_("Add a section"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("This learner's phase and circumstances do not bring these sections. Add one when the "
                         "learner needs it; the reason is kept with the review."))
        intro.setWordWrap(True)
        choose = QLabel(_("Section:"))
        self.choice = QComboBox()
        self.choice.setObjectName("sectionChoice")
        for section in offered:
            self.choice.addItem(_(section.title), section.key)
        choose.setBuddy(self.choice)
        reason = QLabel(_("Why is it added?"))
        # The same editor as the field itself: the text and the language it is written in.
        self.editor = FieldEditor("review_sections", model.entity("review_sections").field("reason"))
        self.editor.retranslate_ui()
        self.editor.set_value(None, default_lang)
        self.text = self.editor.widget
        self.text.setObjectName("sectionReason")
        reason.setBuddy(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Add the section"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(pgettext("button", "Cancel"))
        self.ok.setEnabled(False)
        self.text.textChanged.connect(lambda: self.ok.setEnabled(bool(self.reason())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for widget in (intro, choose, self.choice, reason, self.editor, buttons):
            layout.addWidget(widget)
        self.resize(560, 320)

    def section(self) -> str:
        return self.choice.currentData()

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def language(self) -> str | None:
        return self.editor.lang.currentData() if self.editor.lang is not None else None


def ask_and_add(parent, data, review_id: str, autosave, worker, on_added, on_error) -> AddSectionDialog:
    """Opens the dialog; on OK, saves what is waiting, then adds the section with its reason
    (Store.add_section) and calls `on_added(key)`. The editor and meeting mode both ask this way."""
    dialog = AddSectionDialog(data.plan.offered, data.default_lang(), parent)
    dialog.setFont(parent.font())

    def accepted() -> None:
        key, reason, lang = dialog.section(), dialog.reason(), dialog.language()
        autosave.flush(then=lambda: worker.submit(
            lambda store: store.add_section(review_id, key, reason, lang),
            on_done=lambda _row_id: on_added(key), on_error=on_error))

    dialog.accepted.connect(accepted)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
