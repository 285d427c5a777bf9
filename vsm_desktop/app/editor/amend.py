"""Amend…: the reason a finalised review is corrected in a new version."""

from __future__ import annotations

from ... import i18n
from ...domain import model
from ...i18n import _, pgettext
from ..fields import FieldEditor
from ..qt import (
    QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget,
)


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
