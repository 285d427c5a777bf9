"""The main window's part for PDFs: the File menu's items, and stopping every job when the store closes."""

from __future__ import annotations

import threading

from ...i18n import _
from ..qt import (
    QAction, QDialog, QObject, QTimer,
)
from .jobs import PdfJob
from .verify import VerifyDialog
from .timestamp import TimestampDialog


PACK_KEY_DELAY_MS = 3_000


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
        # The store's derived key (never the passphrase) for a pack's worker processes: see pack_key.
        self._pack_key: tuple[str, str] | None = None
        self._generation = 0
        controller.unlock_page.passphrase_used.connect(self.passphrase_used)
        controller.first_run.passphrase_used.connect(self.passphrase_used)

    def passphrase_used(self, path: str, passphrase: str) -> None:
        """Derives the store's key a moment after unlocking (the learner list and the sync connection
        first), on a thread of its own; the passphrase goes no further and is not kept. Again after
        the passphrase changed (the key changes with it). The PDF stack is imported then too."""
        self._pack_key = None
        self._generation += 1
        generation = self._generation

        def derive() -> None:
            from ...store.connection import raw_key

            try:
                key = raw_key(path, passphrase)
            except OSError:
                return   # packs are then laid out in one process
            if generation == self._generation:
                self._pack_key = (path, key)

        def later() -> None:
            if generation != self._generation:
                return
            threading.Thread(target=derive, daemon=True).start()
            # The first PEP then costs what later ones do: reportlab, the fonts and pyHanko (about
            # three quarters of a second) are imported now, while nobody waits for them.
            from ...pdf.signing import load_in_background

            load_in_background(layout=True)

        QTimer.singleShot(PACK_KEY_DELAY_MS, later)

    def pack_key(self) -> tuple[str, str] | None:
        """(store path, derived key) while the store is open and the key is ready, else None."""
        return self._pack_key

    def opened(self, store, path) -> None:
        # Here, not at start: the learner list is built after the first page paints.
        self.controller.learner_list.pack.key_source = self.pack_key
        self.timestamp_action.setEnabled(True)

    def closing(self) -> None:
        self._generation += 1
        self._pack_key = None
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
