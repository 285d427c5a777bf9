"""File ▸ Change passphrase…: the open store is re-keyed through the application's own connection.

The sync thread's connection is closed first (a store is re-keyed only when nothing else has it
open) and opened again afterwards with whichever passphrase now opens the store.
"""

from __future__ import annotations

import logging

from ..errors import WrongPassphrase
from ..i18n import _
from ..store import connection
from .language import human_error
from .qt import (
    QAction, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QObject, QVBoxLayout, QWidget,
)
from .worker import StoreWorker

log = logging.getLogger(__name__)


class ChangePassphraseDialog(QDialog):
    """Current passphrase, the new one twice; the change runs on the store's worker."""

    def __init__(self, part: "PassphrasePart", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.part = part
        self.setObjectName("changePassphraseDialog")
        self.current, self.new, self.again = QLineEdit(), QLineEdit(), QLineEdit()
        for box, name in ((self.current, "current"), (self.new, "new"), (self.again, "again")):
            box.setEchoMode(QLineEdit.EchoMode.Password)
            box.setObjectName(name)
        self.current_label, self.new_label, self.again_label = QLabel(), QLabel(), QLabel()
        self.current_label.setBuddy(self.current)
        self.new_label.setBuddy(self.new)
        self.again_label.setBuddy(self.again)
        self.explain, self.hint, self.message = QLabel(), QLabel(), QLabel()
        for label in (self.explain, self.hint, self.message):
            label.setWordWrap(True)
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #9b1c1c;")
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)
        self.new.textChanged.connect(self._hint)
        form = QFormLayout()
        form.addRow(self.current_label, self.current)
        form.addRow(self.new_label, self.new)
        form.addRow(self.again_label, self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(min(520, self.screen().availableGeometry().width() - 40) if self.screen() else 520)
        self.retranslate_ui()
        self.current.setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Change passphrase"))
        self.explain.setText(_("The store is re-encrypted with the new passphrase. Afterwards only the new "
                               "passphrase opens it; nobody can recover a forgotten one."))
        self.current_label.setText(_("&Current passphrase:"))
        self.new_label.setText(_("&New passphrase:"))
        self.again_label.setText(_("&Repeat the new passphrase:"))
        self._hint()

    def _hint(self) -> None:
        text = self.new.text()
        problem = connection.passphrase_problem(text) if text else None
        self.hint.setText(problem or _("At least 12 characters; three random words are best."))

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.buttons.setEnabled(True)

    def change(self) -> None:
        old, new, again = self.current.text(), self.new.text(), self.again.text()
        problem = connection.passphrase_problem(new)
        if problem:
            return self.show_error(problem)
        if new != again:
            return self.show_error(_("The two new passphrases differ. Type the same passphrase twice."))
        if new == old:
            return self.show_error(_("The new passphrase is the same as the current one."))
        self.buttons.setEnabled(False)
        self.message.setVisible(False)
        self.part.change(old, new, self._done)

    def _done(self, error: BaseException | None) -> None:
        if error is None:
            for box in (self.current, self.new, self.again):
                box.clear()
            self.accept()
        else:
            self.show_error(human_error(error))
            if isinstance(error, WrongPassphrase):
                self.current.selectAll()
                self.current.setFocus()


class PassphrasePart(QObject):
    """The main window's part: File ▸ Change passphrase…, enabled while a store is open."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.worker: StoreWorker = controller.worker
        self.path: str | None = None
        self.dialog: ChangePassphraseDialog | None = None
        window = controller.window
        self.action = QAction(window)
        self.action.setObjectName("actionChangePassphrase")
        self.action.triggered.connect(self.show_dialog)
        self.action.setEnabled(False)
        window.form.child("menuFile").insertAction(window.action("actionLock"), self.action)

    def opened(self, store, path) -> None:
        self.path = str(path)
        self.action.setEnabled(True)

    def closing(self) -> None:
        self.action.setEnabled(False)
        if self.dialog is not None:
            self.dialog.reject()

    def retranslate_ui(self) -> None:
        self.action.setText(_("Change &passphrase…"))
        if self.dialog is not None:
            self.dialog.retranslate_ui()

    def show_dialog(self) -> ChangePassphraseDialog:
        self.dialog = ChangePassphraseDialog(self, self.controller.window)
        self.dialog.open()
        return self.dialog

    def change(self, old: str, new: str, done) -> None:
        """Checks the current passphrase, closes the sync connection, re-keys, opens sync again."""
        sync = getattr(self.controller, "sync", None)
        path = self.path

        def check(store):
            connection.connect(store.path, old).close()

        def checked(_result):
            if sync is not None:
                sync.closing()
            self.controller.autosave.flush(then=lambda: self.worker.submit(
                lambda store: store.change_passphrase(old, new), lambda _r: finished(None, new), lambda e: finished(e, old)))

        def finished(error, works):
            if sync is not None and path:
                sync.passphrase_used(path, works)
                sync.opened(self.controller.store, path)
            pdf = getattr(self.controller, "pdf", None)
            if pdf is not None and path:
                pdf.passphrase_used(path, works)   # packs' worker processes: the key changed
            if error is None:
                log.info("passphrase changed in the application")
                self.controller.status(_("The passphrase has changed. The old passphrase no longer opens this store."))
            done(error)

        self.worker.submit(check, checked, done)
