"""File ▸ Timestamp authority…: the profile’s RFC 3161 timestamp authority."""

from __future__ import annotations

from ...i18n import _
from ..language import human_error
from ..qt import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)
from ..worker import StoreWorker
from .jobs import fit_to_contents


class TimestampDialog(QDialog):
    """The profile's timestamp authority (RFC 3161): its address, or none."""

    def __init__(self, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.url_label = QLabel()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://")
        self.url_label.setBuddy(self.url)
        self.override = QLabel()
        self.override.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.override.setVisible(False)
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.url_label)
        row.addWidget(self.url, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(row)
        layout.addWidget(self.override)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        fit_to_contents(self, 600)
        self.loaded = False
        self.retranslate_ui()
        worker.submit(self._read, self._loaded, self._refused)

    @staticmethod
    def _read(store):
        import os

        from ...pdf import signing

        return signing.profile_timestamp_url(store), os.environ.get(signing.ENV_TSA, "").strip()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Timestamp authority"))
        self.explain.setText(_("A timestamp authority (RFC 3161) vouches for the time of each signature, so it "
                               "does not rest on this computer's clock. Leave the address empty to sign without "
                               "one; signing then needs no network."))
        self.url_label.setText(_("&Address:"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _loaded(self, result) -> None:
        url, env = result
        self.url.setText(url or "")
        self.loaded = True
        if env:
            from ...pdf.signing import ENV_TSA

            self.override.setText(_("{name} is set and is used instead of this setting.").format(name=ENV_TSA))
            self.override.setVisible(True)

    def save(self) -> None:
        url = self.url.text().strip() or None

        def write(store):
            from ...pdf import signing

            signing.set_timestamp_url(store, url)
        self.worker.submit(write, lambda _r: self.accept(), self._refused)

    def _refused(self, error: BaseException) -> None:
        self.message.setStyleSheet("color: #9b1c1c;")
        self.message.setText(human_error(error))
        self.message.setVisible(True)
