"""A review: Export PDF… and Print… (their options dialog and the jobs)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Callable

from ... import i18n
from ...errors import UsageError
from ...i18n import _, ngettext
from ..qt import (
    QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QLabel, QObject, QPushButton,
    QRadioButton, QVBoxLayout, QWidget,
)
from ..worker import StoreWorker
from .jobs import JobCancelled, JobDialog, LANGS, PdfJob, StoreReader, fit_to_contents, prepare_on_worker
from .files import FileRow, _language_name, _not_encrypted, _wrote_text, pdf_filter
from .printing import print_pdf


# --- a review: Export PDF… and Print… ---------------------------------------------------

class LanguageBox(QGroupBox):
    """Cymraeg, English or both, for a PDF: the interface language chosen to start with."""

    def __init__(self) -> None:
        super().__init__()
        self.group = QButtonGroup(self)
        row = QHBoxLayout(self)
        self.buttons: dict[str, QRadioButton] = {}
        for i, lang in enumerate(LANGS):
            button = QRadioButton()
            self.group.addButton(button, i)
            self.buttons[lang] = button
            row.addWidget(button)
        row.addStretch(1)
        self.buttons[i18n.current_language()].setChecked(True)

    def value(self) -> str:
        return LANGS[self.group.checkedId()]

    def retranslate_ui(self) -> None:
        self.setTitle(_("Language"))
        for lang, button in self.buttons.items():
            button.setText(_language_name(lang))


class ExportOptions(QDialog):
    """What to make of a review: the full PEP or the learner's My PEP, the language, signing;
    and where to save it (not asked when printing)."""

    def __init__(self, parent: QWidget | None, *, printing: bool, finalised: bool, learner_lang: str | None,
                 folder: Path | None = None, name_for: Callable[[str, bool], str] | None = None) -> None:
        super().__init__(parent)
        self.printing, self.finalised = printing, finalised
        self.learner_lang = learner_lang if learner_lang in ("cy", "en") else i18n.current_language()
        self.document_box = QGroupBox()
        self.full = QRadioButton()
        self.my_pep = QRadioButton()
        self.full.setChecked(True)
        box = QVBoxLayout(self.document_box)
        box.addWidget(self.full)
        box.addWidget(self.my_pep)
        self.language_box = LanguageBox()
        self.languages, self.lang_buttons = self.language_box.group, self.language_box.buttons
        self.attachments = QCheckBox()   # PDF and image attachments after the PEP, before signing
        self.sign = QCheckBox()
        self.sign.setChecked(finalised)
        self.sign.setEnabled(finalised)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.file = FileRow(save=True)
        self.folder, self.name_for = folder or Path.home(), name_for
        self._suggested = ""
        self.file_label = QLabel()
        self.file_label.setBuddy(self.file.edit)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #9b1c1c;")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.my_pep.toggled.connect(self._document_changed)
        self.languages.idToggled.connect(lambda _id, on: on and self._suggest())
        self._suggest()

        layout = QVBoxLayout(self)
        layout.addWidget(self.document_box)
        layout.addWidget(self.language_box)
        layout.addWidget(self.attachments)
        layout.addWidget(self.sign)
        layout.addWidget(self.note)
        if not printing:
            file_row = QHBoxLayout()
            file_row.addWidget(self.file_label)
            file_row.addWidget(self.file, 1)
            layout.addLayout(file_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        fit_to_contents(self, 600)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Print the PEP") if self.printing else _("Export PDF"))
        self.document_box.setTitle(_("Document"))
        self.full.setText(_("The full PEP review"))
        self.my_pep.setText(_("My PEP: one page for the learner, in plain words and in their language"))
        self.language_box.retranslate_ui()
        self.attachments.setText(_("Include the attachments (PDFs and pictures) after the PEP"))
        self.sign.setText(_("Sign the PDF with this profile's certificate"))
        if self.finalised:
            self.note.setText(_("Anyone can check a signed PDF: any change made after signing shows."))
        else:
            self.note.setText(_("This review is a draft: the PDF is marked DRAFT and is not signed."))
        self.file_label.setText(_("&Save as:"))
        self.file.retranslate_ui(_("Save the PDF as"), pdf_filter())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Print…") if self.printing else _("Export"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _document_changed(self, my_pep: bool) -> None:
        # My PEP is the learner's: in their language, never both.
        self.lang_buttons["both"].setEnabled(not my_pep)
        self.attachments.setEnabled(not my_pep)
        if my_pep:
            self.lang_buttons[self.learner_lang].setChecked(True)
        self._suggest()

    def mode(self) -> str:
        return self.language_box.value()

    def _suggest(self) -> None:
        """A file name that says what is in it, until the person types their own."""
        if self.name_for is None or self.file.edit.text() not in ("", self._suggested):
            return
        self._suggested = str(self.folder / self.name_for(self.mode(), self.my_pep.isChecked()))
        self.file.edit.setText(self._suggested)

    def options(self) -> dict:
        return {"mode": self.mode(), "my_pep": self.my_pep.isChecked(),
                "with_attachments": self.attachments.isChecked() and not self.my_pep.isChecked(),
                "sign": self.finalised and self.sign.isChecked(), "path": None if self.printing else self.file.path()}

    def _accept(self) -> None:
        if not self.printing and self.file.pdf_to_write(self._show_error) is None:
            return
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)


def default_file_name(learner: dict, review: dict, mode: str, my_pep: bool = False) -> str:
    """PEP-<reference>-<review date>-<language>.pdf: no names, which leak from a folder listing."""
    when = review.get("meeting_date") or review.get("due_date") or dt.date.today().isoformat()
    kind = "MyPEP" if my_pep else "PEP"
    return f"{kind}-{learner['reference']}-{when}-{mode}.pdf"


class ReviewPdf(QObject):
    """The editor's "Export PDF…" and "Print…" buttons and what they do."""

    def __init__(self, editor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.worker: StoreWorker = editor.worker
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportPdf")
        self.print_button = QPushButton()
        self.print_button.setObjectName("printPep")
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print)
        self.dialog: ExportOptions | None = None
        self.progress: JobDialog | None = None
        self.folder = Path.home()

    def retranslate_ui(self) -> None:
        self.export_button.setText(_("Export PDF…"))
        self.export_button.setToolTip(_("Save this review as a PDF, signed when it is finalised"))
        self.print_button.setText(_("Print…"))
        self.print_button.setToolTip(_("Print this review"))
        for dialog in (self.dialog, self.progress):
            if dialog is not None:
                dialog.retranslate_ui()

    def set_enabled(self, enabled: bool) -> None:
        self.export_button.setEnabled(enabled)
        self.print_button.setEnabled(enabled)

    def _options(self, printing: bool) -> ExportOptions | None:
        data = self.editor.ctx.data
        if data is None:
            return None
        learner, review = data.learner, data.review
        self.dialog = ExportOptions(self.editor, printing=printing, finalised=data.finalised,
                                    learner_lang=learner.get("preferred_language"), folder=self.folder,
                                    name_for=lambda mode, my_pep: default_file_name(learner, review, mode, my_pep))
        return self.dialog

    def export(self) -> None:
        dialog = self._options(printing=False)
        if dialog is not None:
            dialog.accepted.connect(lambda: self.start(dialog.options()))
            dialog.open()

    def print(self) -> None:
        dialog = self._options(printing=True)
        if dialog is not None:
            dialog.accepted.connect(lambda: self._choose_printer(dialog.options()))
            dialog.open()

    def _choose_printer(self, options: dict) -> None:
        # QtPrintSupport is loaded only when someone prints.
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        chooser = QPrintDialog(printer, self.editor)
        chooser.setWindowTitle(_("Print the PEP"))
        if chooser.exec() == QDialog.DialogCode.Accepted:
            self.start(options, printer=printer)

    def start(self, options: dict, printer=None) -> JobDialog:
        """Makes the PDF (and prints it, given a printer) on a job; returns the progress dialog."""
        review_id = self.editor.review_id
        if options.get("path") is not None:
            self.folder = Path(options["path"]).parent
        title = (lambda: _("Print the PEP")) if printer is not None else (lambda: _("Export PDF"))
        step = (lambda done, total: _("Printing page {done} of {total}").format(done=done, total=total)) \
            if printer is not None else None
        self.progress = JobDialog(self.editor, title, step)

        def prepared(profile) -> None:
            reader = StoreReader(self.worker, *profile)
            job = PdfJob(lambda job: make_review_pdf(reader, review_id, options, printer, job))
            self.progress.start(job, done_text=lambda result: self._done_text(result, printer is not None))

        self.worker.submit(prepare_on_worker(options["sign"]), prepared,
                           lambda e: (self.progress.fail(e), self.progress.show()))
        return self.progress

    @staticmethod
    def _done_text(result, printed: bool) -> str:
        if printed:
            return ngettext("Sent {n} page to the printer.", "Sent {n} pages to the printer.",
                            result.pages).format(n=i18n.format_number(result.pages))
        lines = [_wrote_text(result.path, result.pages)]
        if result.draft:
            lines.append(_("This review is a draft: the PDF is marked DRAFT and is not signed."))
        elif result.signed:
            lines.append(_("Signed with this profile's own certificate (not yet issued by the local authority)."))
            if result.timestamped:
                lines.append(_("The signature carries a timestamp from the timestamp authority."))
        lines.append(_not_encrypted())
        return "\n".join(lines)


def signing_said_plainly(work: Callable) -> Callable:
    """A failed signature (the timestamp authority did not answer) is a sentence, as on the CLI."""
    def run(*args):
        from ...pdf.signing import SigningError

        try:
            return work(*args)
        except SigningError as e:
            raise UsageError(str(e)) from None
    return run


@signing_said_plainly
def make_review_pdf(store, review_id: str, options: dict, printer, job: PdfJob):
    """The job of Export PDF… and Print…: the review's PDF, saved, or printed from a private
    temporary folder that is removed afterwards."""
    from ...pdf.export import export_review

    if printer is None:
        return export_review(store, review_id, Path(options["path"]), options["mode"], sign=options["sign"],
                             my_pep=options["my_pep"], with_attachments=options.get("with_attachments", False))
    with tempfile.TemporaryDirectory(prefix="vsm-print-") as folder:
        result = export_review(store, review_id, Path(folder) / "pep.pdf", options["mode"], sign=options["sign"],
                               my_pep=options["my_pep"], with_attachments=options.get("with_attachments", False))
        if job.cancelled():
            raise JobCancelled(_("Printing was cancelled."))
        result.pages = print_pdf(result.path, printer, job.cancelled, job.progress)
    return result
