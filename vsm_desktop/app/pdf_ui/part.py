"""The main window's part for PDFs: the File menu's items, and stopping every job when the store closes."""

from __future__ import annotations

from ...i18n import _
from ..qt import (
    QAction, QDialog, QObject,
)
from .jobs import PdfJob
from .verify import VerifyDialog
from .timestamp import TimestampDialog


class PdfPart(QObject):
    """The main window's part for PDFs: File ▸ Verify a signed PDF… and Timestamp authority…;
    stops every PDF job when the store closes."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        window = controller.window
        self.verify_action = QAction(window)
        self.verify_action.setObjectName("actionVerifyPdf")
        self.verify_action.triggered.connect(self.verify)
        self.timestamp_action = QAction(window)
        self.timestamp_action.setObjectName("actionTimestampAuthority")
        self.timestamp_action.triggered.connect(self.timestamp)
        self.timestamp_action.setEnabled(False)
        menu = window.form.child("menuFile")
        lock = window.action("actionLock")
        menu.insertAction(lock, self.verify_action)
        menu.insertAction(lock, self.timestamp_action)
        menu.insertSeparator(lock)
        self.dialogs: list[QDialog] = []

    def opened(self, store, path) -> None:
        self.timestamp_action.setEnabled(True)

    def closing(self) -> None:
        self.timestamp_action.setEnabled(False)
        for dialog in self.dialogs:
            if isinstance(dialog, TimestampDialog):
                dialog.reject()
        PdfJob.stop_all()

    def retranslate_ui(self) -> None:
        self.verify_action.setText(_("&Verify a signed PDF…"))
        self.timestamp_action.setText(_("&Timestamp authority…"))
        for dialog in self.dialogs:
            dialog.retranslate_ui()

    def _keep(self, dialog: QDialog) -> QDialog:
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        return dialog

    def verify(self) -> VerifyDialog:
        dialog = self._keep(VerifyDialog(self.controller.window))
        dialog.show()
        return dialog

    def timestamp(self) -> TimestampDialog:
        dialog = self._keep(TimestampDialog(self.controller.worker, self.controller.window))
        dialog.open()
        return dialog
