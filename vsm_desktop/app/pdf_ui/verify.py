"""File ▸ Verify a signed PDF…."""

from __future__ import annotations

from ...i18n import _, pgettext
from ..language import human_error
from ..qt import (
    QDialog, QFormLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Qt,
)
from .jobs import PdfJob, fit_to_contents
from .files import FileRow, pdf_filter


# --- File menu: Verify a signed PDF…, Timestamp authority… ---------------------------------

class VerifyDialog(QDialog):
    """Choose a PDF (and, if you have it, the root certificate you trust), see the verdict."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = FileRow(save=False)
        self.trust = FileRow(save=False)
        self.file_label, self.trust_label = QLabel(), QLabel()
        self.file_label.setBuddy(self.file.edit)
        self.trust_label.setBuddy(self.trust.edit)
        self.trust_note = QLabel()
        self.trust_note.setWordWrap(True)
        self.check_button = QPushButton()
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        font = self.verdict.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.verdict.setFont(font)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_frame = QFrame()
        self.result_frame.setObjectName("verdictFrame")
        self.result_frame.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(self.result_frame)
        inner.addWidget(self.verdict)
        inner.addWidget(self.details)
        self.result_frame.setVisible(False)
        self.job: PdfJob | None = None
        self.outcome = None                     # the Verdict shown, or the error

        form = QFormLayout()
        form.addRow(self.file_label, self.file)
        form.addRow(self.trust_label, self.trust)
        form.addRow("", self.trust_note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.result_frame)
        layout.addStretch(1)
        fit_to_contents(self, 660)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Verify a signed PDF"))
        self.file_label.setText(_("&PDF:"))
        self.file.retranslate_ui(_("Choose a signed PDF"), pdf_filter())
        self.trust_label.setText(_("&Trusted root:"))
        self.trust.retranslate_ui(_("Choose a trusted root certificate"),
                                  _("Certificates (*.pem *.crt *.cer *.der);;All files (*)"))
        self.trust_note.setText(_("Optional: the root certificate of the authority (or of the signer's profile) "
                                  "that you trust. Without it, an intact signature is not trusted."))
        self.check_button.setText(_("&Check"))
        self.close_button.setText(pgettext("button", "Close"))
        if self.outcome is not None:
            self._show(self.outcome)

    def check(self) -> None:
        path = self.file.path()
        if path is None:
            self._show_text(_("Choose the PDF to check."), "", INVALID_STYLE)
            return
        trust = [self.trust.path()] if self.trust.path() else []
        self.check_button.setEnabled(False)
        self._show_text(_("Checking…"), "", "")

        def work(_job):
            from ...pdf.verify import verify_pdf

            return verify_pdf(path, trust)
        self.job = PdfJob(work)
        self.job.succeeded.connect(self._show)
        self.job.failed.connect(self._show)
        self.job.start()

    def _show(self, outcome) -> None:
        from ...pdf.verify import INVALID, OK, describe

        self.outcome = outcome
        self.check_button.setEnabled(True)
        if isinstance(outcome, BaseException):
            self._show_text(human_error(outcome), "", INVALID_STYLE)
            return
        lines, conclusion = describe(outcome, _("Certificate: not trusted. Choose the root certificate you trust "
                                                "above to check it against."))
        style = {OK: VALID_STYLE, INVALID: INVALID_STYLE}.get(outcome.exit_code, UNTRUSTED_STYLE)
        if any(s.self_issued for s in outcome.signatures):
            lines.insert(0, _("Not authority-issued."))
        self._show_text(conclusion, "\n".join([str(outcome.path)] + lines), style)

    def _show_text(self, verdict: str, details: str, style: str) -> None:
        self.verdict.setText(verdict)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.result_frame.setStyleSheet(f"#verdictFrame {{ {style} }}" if style else "")
        self.result_frame.setVisible(True)
        self.adjustSize()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.job is not None:
            self.job.wait()
        super().closeEvent(event)


VALID_STYLE = "background: #e6f4ea; border: 2px solid #1e6b34; border-radius: 4px;"
UNTRUSTED_STYLE = "background: #fff4d6; border: 2px solid #8a6d00; border-radius: 4px;"
INVALID_STYLE = "background: #fde8e8; border: 2px solid #9b1c1c; border-radius: 4px;"
