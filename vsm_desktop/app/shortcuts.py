"""Help ▸ Keyboard shortcuts: every shortcut, with what it does; and tooltips that name them."""

from __future__ import annotations

from ..i18n import N_, _
from .qt import QAction, QDialog, QDialogButtonBox, QKeySequence, QTableWidget, QTableWidgetItem, QVBoxLayout, QHeaderView

# Shortcuts that are not menu items (those are read from the menus themselves).
KEYS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", N_("Go to the search box of the learner list")),
    ("Down", N_("From the search box: into the results; Enter opens the learner")),
    ("Alt+Left", N_("Back")),
    ("Alt+0", N_("In a review: go to the list of sections")),
    ("Ctrl+PgDown", N_("In a review: next section")),
    ("Ctrl+PgUp", N_("In a review: previous section")),
    ("Ctrl+M", N_("In a review: meeting mode")),
    ("Ctrl+K", N_("In a review or meeting mode: show or hide the finalise checklist")),
    ("Ctrl+Shift+P", N_("In a review: change its phase")),
    ("Ctrl+Return", N_("In a form: save it")),
    ("Ctrl+G", N_("In meeting mode: jump to a section")),
    ("1–9", N_("In meeting mode: go to that section (type two digits for 10 to 18)")),
    ("PgDown", N_("In meeting mode: next section")),
    ("PgUp", N_("In meeting mode: previous section")),
    ("Esc", N_("Leave meeting mode, or close a dialog")),
)


def native(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) if keys[0] != "1" else keys


def with_shortcut(text: str, keys: str) -> str:
    """A tooltip that names its shortcut: “Meeting mode (Ctrl+M)”."""
    return _("{text} ({keys})").format(text=text, keys=native(keys))


def all_shortcuts(window) -> list[tuple[str, str]]:
    """(keys, what) for the window's menu items with a shortcut, then the others."""
    rows = []
    for action in window.findChildren(QAction):
        if not action.shortcut().isEmpty() and action.text():
            rows.append((action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                         action.text().replace("&", "").rstrip("…")))
    rows.sort(key=lambda r: r[1].casefold())
    return rows + [(native(keys), _(what)) for keys, what in KEYS]


class ShortcutsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle(_("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        rows = all_shortcuts(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([_("Keys"), _("What it does")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, (keys, what) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(keys))
            self.table.setItem(i, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 520)
