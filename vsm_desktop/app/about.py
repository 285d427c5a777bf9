"""The About dialog: the version, where the data lives, and the components with their licences.

The facts come from the core (`vsm_desktop.installation`, `vsm_desktop.components`); the list of
components is read on a thread of its own (reading every distribution's metadata takes a moment).
"""

from __future__ import annotations

import logging
from pathlib import Path

from .. import APP_NAME, __version__, components, installation
from .. import settings as app_settings
from ..i18n import _
from .qt import (
    QAbstractItemView, QCoreApplication, QDialog, QDialogButtonBox, QFont, QFormLayout, QGroupBox, QGuiApplication, QHBoxLayout,
    QHeaderView, QIcon, QLabel, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QThread, QVBoxLayout,
    Qt, Signal, Slot,
)

log = logging.getLogger(__name__)


class ComponentReader(QThread):
    read = Signal(list)
    failed = Signal(str)

    def run(self) -> None:
        # An exception here would end the thread silently and leave "Reading…" for ever.
        try:
            found = components.bundled()
        except Exception as e:  # a damaged installation's metadata: say so, keep the rest of About
            log.warning("reading the components failed: %s", type(e).__name__)
            self.failed.emit(f"{type(e).__name__}: {e}")
        else:
            self.read.emit(found)


class AboutDialog(QDialog):
    def __init__(self, store_path: Path, current: app_settings.Settings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.store_path = Path(store_path)
        self.current = current
        self.components: list[components.Component] = []
        self.failure: str | None = None

        self.icon = QLabel()
        self.icon.setPixmap(QIcon.fromTheme("vsm-desktop", QGuiApplication.windowIcon()).pixmap(64, 64))
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary)
        top = QHBoxLayout()
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.places_box = QGroupBox()
        self.places = QFormLayout(self.places_box)
        self.places.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

        self.components_box = QGroupBox()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("components")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_licence)
        self.licence = QPlainTextEdit()
        self.licence.setObjectName("licenceText")
        self.licence.setReadOnly(True)
        self.licence.setMaximumHeight(130)
        self.reading = QLabel()
        inner = QVBoxLayout(self.components_box)
        inner.addWidget(self.reading)
        inner.addWidget(self.table, 1)
        inner.addWidget(self.licence)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copyDetails")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.places_box)
        layout.addWidget(self.components_box, 1)
        layout.addWidget(self.buttons)
        self.resize(780, 660)

        # The reader belongs to the application, not the dialog: closing the dialog (or the window
        # under it) while it reads must not destroy a running thread; quitting waits for it.
        app = QCoreApplication.instance()
        self.reader = ComponentReader(app)
        self.reader.read.connect(self._components_read)
        self.reader.failed.connect(self._components_failed)
        self.reader.finished.connect(self.reader.deleteLater)
        app.aboutToQuit.connect(self.reader.wait)
        self.retranslate_ui()
        self.reader.start()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("About VSM Desktop"))
        self.title.setText(f"{APP_NAME} {__version__}")
        self.summary.setText(_("Personal Education Plans for children looked after in Wales: offline, "
                               "encrypted, in Welsh and English."))
        self.places_box.setTitle(_("Where your data lives"))
        while self.places.rowCount():
            self.places.removeRow(0)
        for place in installation.places(self.store_path, self.current):
            value = QLabel(place.path + (f"\n{place.note}" if place.note else ""))
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.places.addRow(place.label + ":", value)
        calendar = QLabel(installation.calendar_note())
        calendar.setWordWrap(True)
        self.places.addRow(_("School calendar") + ":", calendar)
        self.components_box.setTitle(_("Built with"))
        if self.failure is None:
            self.reading.setText(_("Reading the list of components…"))
        else:
            self.reading.setText(_("The list of components could not be read: {reason}").format(reason=self.failure))
        self.table.setHorizontalHeaderLabels([_("Component"), _("Version"), _("Licence")])
        self.licence.setPlaceholderText(_("Choose a component to read its licence."))
        self.copy_button.setText(_("&Copy details"))
        self.copy_button.setToolTip(_("Copy the version and these locations, to send to your IT service desk"))

    @Slot(str)
    def _components_failed(self, reason: str) -> None:
        self.failure = reason
        self.retranslate_ui()

    @Slot(list)
    def _components_read(self, found: list) -> None:
        self.components = found
        self.reading.hide()
        self.table.setRowCount(len(found))
        for row, component in enumerate(found):
            for column, text in enumerate((component.name, component.version, component.licence)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _show_licence(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.licence.clear()
            return
        component = self.components[rows[0].row()]
        self.licence.setPlainText(components.licence_text(component) or _(
            "{name} is used under the {licence} licence; its text is not included with the component.").format(
            name=component.name, licence=component.licence))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(installation.support_text(self.store_path, self.current))
