"""File ▸ Profile…: the person's name and role, as documents and the history show them.

Also shown once when a store made before profiles is unlocked (its author is a login)."""

from __future__ import annotations

from .. import profile
from ..i18n import _
from .qt import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout


def fill_roles(combo: QComboBox, current: str | None = None) -> None:
    """The profile roles, in the interface language, `current` (or the default) chosen."""
    chosen = combo.currentData() if combo.count() else (current or profile.DEFAULT_ROLE)
    combo.clear()
    for role in profile.ROLES:
        combo.addItem(profile.role_label(role), role)
    index = combo.findData(current or chosen)
    combo.setCurrentIndex(max(0, index))


class ProfileDialog(QDialog):
    def __init__(self, name: str, role: str, *, first_time: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Your profile"))
        self.setMaximumWidth(640)
        layout = QVBoxLayout(self)
        self.explain = QLabel(_(
            "Documents you sign, reviews you finalise, quality ratings and the change history name you as "
            "written here. Enrolment with the local authority replaces it with the authority's record."))
        if first_time:
            self.explain.setText(_(
                "Who are you? This store names its author by a computer login. Give your name and role: "
                "from now on documents and the history show them instead.") + "\n\n" + self.explain.text())
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        form = QFormLayout()
        self.name = QLineEdit(name)
        self.name.setMaxLength(profile.MAX_NAME)
        self.name.setPlaceholderText(_("For example Catrin Ellis"))
        self.name.setAccessibleName(_("Your name"))
        self.role = QComboBox()
        self.role.setAccessibleName(_("Your role"))
        fill_roles(self.role, role or profile.DEFAULT_ROLE)
        form.addRow(_("&Name"), self.name)
        form.addRow(_("&Role"), self.role)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._check)
        self._check()
        self.name.setFocus()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name.text().strip()))

    def values(self) -> tuple[str, str]:
        return " ".join(self.name.text().split()), self.role.currentData()
