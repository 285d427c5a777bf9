"""The application's side of PDFs: export and print a PEP review, print a PEP pack from the
learner list, verify a signed PDF, and the profile's timestamp authority.

The PDFs come from the core (`vsm_desktop.pdf.export`). Each runs as a `PdfJob`, a QThread of
its own, with progress and Cancel; its store reads go to the StoreWorker one call at a time
(`StoreReader`), so a pack of a thousand learners never holds the store for a minute: the
editor keeps saving and the list keeps searching meanwhile. The core writes a temporary file
and renames it into place, so a cancelled job leaves nothing. Printing lays the same PDF out
and paints its pages, rendered by PDFium (pypdfium2), onto the printer (Qt has no PDF module
in the Essentials wheel).
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
from pathlib import Path
from typing import Callable

from .. import i18n
from ..errors import Interrupted, UsageError
from ..i18n import _, ngettext, pgettext
from .language import human_error
from .qt import (
    QAction, QButtonGroup, QCheckBox, QCoreApplication, QDialog, QDialogButtonBox, QElapsedTimer, QEventLoop,
    QFileDialog, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QImage, QLabel, QLineEdit, QObject, QPainter,
    QProgressBar, QPushButton, QRadioButton, QRect, QThread, QVBoxLayout, QWidget, Qt, Signal,
)
from .worker import StoreWorker

log = logging.getLogger(__name__)

LANGS = ("cy", "en", "both")
PRINT_DPI = 300


class JobCancelled(Interrupted):
    """The user cancelled a PDF job; nothing was written."""


# --- store reads from a job's thread ---------------------------------------------------------

class _Rows:
    """What a job's code reads from `conn.execute(...)`: the rows, already fetched."""

    def __init__(self, rows: list) -> None:
        self._rows = rows

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list:
        return list(self._rows)

    def __iter__(self):
        return iter(self._rows)


class _Connection:
    def __init__(self, call: Callable) -> None:
        self._call = call

    def execute(self, sql: str, params=()) -> _Rows:
        return _Rows(self._call(lambda store: store.conn.execute(sql, params).fetchall()))


class StoreReader:
    """Stands in for the Store in a job's thread. Reads only: each call runs on the StoreWorker,
    in turn with the UI's own operations. Anything that writes (the signing identity on first
    use) is done on the worker before the job starts."""

    def __init__(self, worker: StoreWorker, author: str, device_id: str) -> None:
        self._worker = worker
        self.author, self.device_id = author, device_id
        self.conn = _Connection(self._call)

    def _call(self, fn: Callable):
        def run(store):
            if store is None:
                raise JobCancelled(_("The store was locked, so the PDF was not made."))
            return fn(store)
        return self._worker.call_from_thread(run)

    def get(self, *args, **kw):
        return self._call(lambda store: store.get(*args, **kw))

    def learner_record(self, learner_id: str):
        return self._call(lambda store: store.learner_record(learner_id))

    def list_learners(self, *args, **kw):
        return self._call(lambda store: store.list_learners(*args, **kw))

    def resolve_learner(self, key: str):
        return self._call(lambda store: store.resolve_learner(key))

    def transaction(self):
        raise RuntimeError("a PDF job only reads the store")


def prepare_on_worker(sign: bool) -> Callable:
    """The store work a job needs done before it starts (for `worker.submit`): the signing
    identity made on first use (it writes), and who the profile is."""
    def prepare(store):
        if store is None:
            raise JobCancelled(_("The store is locked."))
        if sign:
            from ..pdf import signing

            signing.signing_identity(store)
        return store.author, store.device_id
    return prepare


# --- jobs -------------------------------------------------------------------------------

class PdfJob(QThread):
    """Runs `work(job)` on a thread of its own. `work` reports with `job.progress(done, total)`
    and asks `job.cancelled()` between steps."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    running: set["PdfJob"] = set()   # every job not yet finished, so that locking can stop them

    def __init__(self, work: Callable[["PdfJob"], object]) -> None:
        super().__init__()
        self._work = work
        self._cancel = threading.Event()
        PdfJob.running.add(self)
        self.finished.connect(self._forget)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = self._work(self)
        except BaseException as e:  # handed to the UI thread as a sentence, never lost
            log.info("PDF job failed: %s", type(e).__name__)
            self.failed.emit(e)
        else:
            self.succeeded.emit(result)

    def _forget(self) -> None:
        self.wait()
        PdfJob.running.discard(self)

    @classmethod
    def stop_all(cls, timeout_ms: int = 10_000) -> None:
        """Cancels every running job and waits for each to stop (at its next step), the window
        still painting. A job still waiting on the network after that (a timestamp authority)
        finishes on its own: its file is written whole or not at all, and on quit it is waited for."""
        for job in list(cls.running):
            job.cancel()
        clock = QElapsedTimer()
        clock.start()
        while any(job.isRunning() for job in cls.running) and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 20)
            QThread.msleep(5)
        if any(job.isRunning() for job in cls.running):
            log.warning("a PDF job is still waiting for the network")
            if not cls._quit_hooked:
                cls._quit_hooked = True
                QCoreApplication.instance().aboutToQuit.connect(cls._wait_all)

    _quit_hooked = False

    @classmethod
    def _wait_all(cls) -> None:
        for job in list(cls.running):
            job.wait()


class JobDialog(QDialog):
    """Progress of one job, with Cancel; then what happened, in sentences. Not modal: the rest
    of the application stays usable while a pack is made."""

    def __init__(self, parent: QWidget | None, title: Callable[[], str],
                 step_text: Callable[[int, int], str] | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self._title, self._step_text = title, step_text
        self.job: PdfJob | None = None
        self.outcome: str | None = None        # "done", "cancelled" or "failed"
        self.result = None
        self._cancelling = False
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.button = QPushButton()
        self.button.clicked.connect(self._button)
        # After a PDF is written: open it, or its folder (with the system's own applications).
        self.open_button, self.folder_button = QPushButton(), QPushButton()
        self.open_button.setObjectName("openPdf")
        self.folder_button.setObjectName("showInFolder")
        self.open_button.clicked.connect(lambda: self._open(False))
        self.folder_button.clicked.connect(lambda: self._open(True))
        self.open_button.setVisible(False)
        self.folder_button.setVisible(False)
        self.opener = _open_url
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        row.addWidget(self.button)
        layout.addLayout(row)
        fit_to_contents(self, 480)
        self._done_text: Callable[[object], str] | None = None
        self.retranslate_ui()

    def start(self, job: PdfJob, done_text: Callable[[object], str]) -> None:
        self.job, self._done_text = job, done_text
        job.progressed.connect(self._progressed)
        job.succeeded.connect(self._succeeded)
        job.failed.connect(self.fail)
        self.show()
        job.start()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self._title())
        if self.outcome is None:
            self.button.setText(_("Cancel"))
            if self._cancelling:
                self.label.setText(_("Stopping…"))
            elif not self.label.text() or self.bar.maximum() == 0:
                self.label.setText(_("Making the PDF…"))
            elif self._step_text:
                self.label.setText(self._step_text(self.bar.value(), self.bar.maximum()))
        else:
            self.button.setText(pgettext("button", "Close"))
        self.open_button.setText(_("&Open"))
        self.folder_button.setText(_("Show in &folder"))

    def written(self) -> Path | None:
        """The PDF the job wrote and kept (not a printed one, whose file is gone)."""
        path = getattr(self.result, "path", None) if self.outcome == "done" else None
        return Path(path) if path and Path(path).exists() else None

    def _open(self, folder: bool) -> None:
        path = self.written()
        if path is not None:
            self.opener(path.parent if folder else path)

    def _progressed(self, done: int, total: int) -> None:
        if self._cancelling:
            return
        if self._step_text:
            self.label.setText(self._step_text(done, total))
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _button(self) -> None:
        if self.outcome is None and self.job is not None:
            self._cancelling = True
            self.job.cancel()
            self.button.setEnabled(False)
            self.label.setText(_("Stopping…"))
        else:
            self.close()

    def _finish(self, outcome: str, text: str) -> None:
        self.outcome = outcome
        self.bar.setVisible(False)
        self.button.setEnabled(True)
        self.button.setText(pgettext("button", "Close"))
        self.label.setText(text)
        self.adjustSize()

    def _succeeded(self, result) -> None:
        self.result = result
        self._finish("done", self._done_text(result) if self._done_text else "")
        kept = self.written() is not None
        self.open_button.setVisible(kept)
        self.folder_button.setVisible(kept)
        if kept:
            self.open_button.setDefault(True)
            self.open_button.setFocus()

    def fail(self, error: BaseException) -> None:
        if isinstance(error, Interrupted):
            self._finish("cancelled", str(error))
        else:
            self._finish("failed", human_error(error))

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.outcome is None and self.job is not None:
            self._button()  # closing the window cancels, as the button does
        super().closeEvent(event)


def _open_url(path: Path) -> None:
    from PySide6.QtGui import QDesktopServices

    from .qt import QUrl

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def fit_to_contents(dialog: QDialog, width: int) -> None:
    """The dialog is `width` wide and as tall as what it shows, growing and shrinking with its
    texts (a fixed-size layout ignores the dialog's own minimum width: its labels carry it)."""
    layout = dialog.layout()
    layout.setSizeConstraint(layout.SizeConstraint.SetFixedSize)
    margins = layout.contentsMargins()
    for label in dialog.findChildren(QLabel):
        if label.wordWrap() and label.parentWidget() is dialog:
            label.setMinimumWidth(width - margins.left() - margins.right())


# --- choosing a file --------------------------------------------------------------------

class FileRow(QWidget):
    """A file name with a Choose… button that opens the save or open dialog."""

    def __init__(self, save: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save = save
        self.edit = QLineEdit()
        self.button = QPushButton()
        self.button.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        self.filter = ""
        self.caption = ""
        self.confirmed: Path | None = None  # an existing file the user agreed to replace

    def retranslate_ui(self, caption: str, file_filter: str) -> None:
        self.caption, self.filter = caption, file_filter
        self.button.setText(_("Choose…"))
        self.button.setAccessibleName(caption)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def pdf_to_write(self, show_error) -> Path | None:
        """The file to write: named, ending in .pdf, and, if it exists, replaced only once the user
        has pressed OK a second time (or chose it in the system's save dialog, which asked)."""
        path = self.path()
        if path is None:
            show_error(_("Give a file name for the PDF."))
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
            self.edit.setText(str(path))
        if path.exists() and self.confirmed != path:
            self.confirmed = path
            show_error(_("{name} is there already. Press OK again to replace it.").format(name=path.name))
            return None
        return path

    def choose(self) -> None:
        start = self.edit.text() or str(Path.home())
        if self.save:
            name, _selected = QFileDialog.getSaveFileName(self, self.caption, start, self.filter)
        else:
            name, _selected = QFileDialog.getOpenFileName(self, self.caption, start, self.filter)
        if name:
            self.edit.setText(name)
            if self.save:
                self.confirmed = Path(name)  # the system's save dialog asked about replacing it


def pdf_filter() -> str:
    return _("PDF documents (*.pdf)")


def _language_name(lang: str) -> str:
    return {"cy": "Cymraeg", "en": "English", "both": _("Welsh and English")}[lang]


def _wrote_text(path: Path, pages: int) -> str:
    pages_text = ngettext("{n} page", "{n} pages", pages).format(n=i18n.format_number(pages))
    return _("Wrote {path} ({pages}).").format(path=path, pages=pages_text)


def _not_encrypted() -> str:
    from ..files import NOT_ENCRYPTED

    return _(NOT_ENCRYPTED)


# --- printing ---------------------------------------------------------------------------

def print_pdf(path: Path, printer, cancelled: Callable[[], bool] | None = None,
              progress: Callable[[int, int], None] | None = None) -> int:
    """Paints every page of the PDF at `path` onto `printer` (a QPrinter; painting on one is
    allowed off the UI thread) and returns the number of pages."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        total = len(document)
        dpi = min(printer.resolution(), PRINT_DPI)
        printer.setFullPage(True)   # the PDF has its own margins
        painter = QPainter()
        if not painter.begin(printer):
            raise UsageError(_("The printer could not be started."))
        try:
            paper = printer.pageLayout().fullRectPixels(printer.resolution())
            for i in range(total):
                if cancelled is not None and cancelled():
                    printer.abort()
                    raise JobCancelled(_("Printing was cancelled."))
                if i:
                    printer.newPage()
                page = document[i]
                width_pt, height_pt = page.get_size()
                bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                               QImage.Format.Format_RGBX8888)
                scale = min(paper.width() / width_pt, paper.height() / height_pt)
                w, h = round(width_pt * scale), round(height_pt * scale)
                target = QRect((paper.width() - w) // 2, (paper.height() - h) // 2, w, h)
                painter.drawImage(target, image)
                del image, bitmap
                page.close()
                if progress:
                    progress(i + 1, total)
        finally:
            painter.end()
    finally:
        document.close()
    return total


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
        from ..pdf.signing import SigningError

        try:
            return work(*args)
        except SigningError as e:
            raise UsageError(str(e)) from None
    return run


@signing_said_plainly
def make_review_pdf(store, review_id: str, options: dict, printer, job: PdfJob):
    """The job of Export PDF… and Print…: the review's PDF, saved, or printed from a private
    temporary folder that is removed afterwards."""
    from ..pdf.export import export_review

    if printer is None:
        return export_review(store, review_id, Path(options["path"]), options["mode"], sign=options["sign"],
                             my_pep=options["my_pep"])
    with tempfile.TemporaryDirectory(prefix="vsm-print-") as folder:
        result = export_review(store, review_id, Path(folder) / "pep.pdf", options["mode"], sign=options["sign"],
                               my_pep=options["my_pep"])
        if job.cancelled():
            raise JobCancelled(_("Printing was cancelled."))
        result.pages = print_pdf(result.path, printer, job.cancelled, job.progress)
    return result


# --- the learner list: Print PEP pack… ----------------------------------------------------

def pack_filter(page, selection: bool = True):
    """The pack a learner list page asks for: the selected learners (with `selection`), or else
    every learner the list shows through its search and filters (described on the cover)."""
    from ..pdf.pack import PackFilter
    from .learner_list import ID_ROLE

    proxy = page.proxy
    selected = page.table.selectionModel().selectedRows() if page.table.selectionModel() and selection else []
    if selected:
        return PackFilter(learners=[proxy.data(i, ID_ROLE) for i in selected])
    ids = [proxy.data(proxy.index(r, 0), ID_ROLE) for r in range(proxy.rowCount())]
    due_from, due_to = getattr(proxy, "due_from", None), getattr(proxy, "due_to", None)
    return PackFilter(learners=ids, filtered=True, school=proxy.school, rating=proxy.rating,
                      out_of_county=bool(getattr(proxy, "out_of_county", None)),
                      due_after=due_from if proxy.due == "range" else None,
                      due_before=due_to + dt.timedelta(days=1) if proxy.due == "range" and due_to else None,
                      search=page.search.text().strip() or None)


class PackOptions(QDialog):
    """Print PEP pack…: how many learners, the language, drafts, and where to save it."""

    def __init__(self, parent: QWidget | None, count: int, chosen: bool, default_path: Path, shown: int = 0) -> None:
        super().__init__(parent)
        self.count, self.chosen, self.shown = count, chosen, shown
        self.use_all = not chosen   # a selection is used only while the dialog says so, in bold
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.selection_note = QLabel()
        self.selection_note.setWordWrap(True)
        self.selection_note.setObjectName("packSelection")
        self.selection_note.setStyleSheet("#packSelection { font-weight: bold; background: #fff4d6; "
                                          "border: 1px solid #8a6d00; padding: 6px; }")
        self.all_button = QPushButton()
        self.all_button.setObjectName("packAllShown")
        self.all_button.clicked.connect(self.choose_all)
        self.selection_note.setVisible(chosen)
        self.all_button.setVisible(chosen and shown > count)
        self.language_box = LanguageBox()
        self.languages, self.lang_buttons = self.language_box.group, self.language_box.buttons
        self.drafts = QCheckBox()
        self.drafts_note = QLabel()
        self.drafts_note.setWordWrap(True)
        self.file_label = QLabel()
        self.file = FileRow(save=True)
        self.file.edit.setText(str(default_path))
        self.file_label.setBuddy(self.file.edit)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #9b1c1c;")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.selection_note)
        layout.addWidget(self.all_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.summary)
        layout.addWidget(self.language_box)
        layout.addWidget(self.drafts)
        layout.addWidget(self.drafts_note)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label)
        file_row.addWidget(self.file, 1)
        layout.addLayout(file_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        fit_to_contents(self, 600)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Print PEP pack"))
        n = i18n.format_number(self.count)
        if self.chosen and not self.use_all:
            self.selection_note.setText(ngettext(
                "Only the selection: you selected {n} of the {shown} learners the list shows.",
                "Only the selection: you selected {n} of the {shown} learners the list shows.",
                self.count).format(n=n, shown=i18n.format_number(self.shown)))
            self.all_button.setText(ngettext("Use the {shown} learner shown instead",
                                             "Use all {shown} learners shown instead", self.shown).format(
                shown=i18n.format_number(self.shown)))
            text = ngettext("The pack holds the {n} learner you selected.",
                            "The pack holds the {n} learners you selected.", self.count).format(n=n)
        elif self.chosen:
            text = ngettext("The pack holds the {n} learner the list shows.",
                            "The pack holds all {n} learners the list shows.",
                            self.shown).format(n=i18n.format_number(self.shown))
        else:
            text = ngettext("No learners are selected: the pack holds the {n} learner the list shows.",
                            "No learners are selected: the pack holds the {n} learners the list shows.",
                            self.count).format(n=n)
        self.summary.setText(text + " " + _("Each learner's latest finalised PEP review goes in, "
                                            "with a cover, a contents page and bookmarks."))
        self.language_box.retranslate_ui()
        self.drafts.setText(_("Use a newer draft where there is one"))
        self.drafts_note.setText(_("Drafts are marked DRAFT, and a pack that holds one is not signed."))
        self.file_label.setText(_("&Save as:"))
        self.file.retranslate_ui(_("Save the pack as"), pdf_filter())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Make the pack"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def choose_all(self) -> None:
        """One click: every learner the list shows, not the selection."""
        self.use_all = True
        self.selection_note.setVisible(False)
        self.all_button.setVisible(False)
        self.retranslate_ui()

    def options(self) -> dict:
        return {"mode": self.language_box.value(), "drafts": self.drafts.isChecked(), "path": self.file.path()}

    def _accept(self) -> None:
        if self.file.pdf_to_write(self._show_error) is None:
            return
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)


class PackPrinter(QObject):
    """The learner list's "Print PEP pack…"."""

    def __init__(self, page) -> None:
        super().__init__(page)
        self.page = page
        self.worker: StoreWorker = page.worker
        self.button = QPushButton()
        self.button.setObjectName("printPack")
        self.button.clicked.connect(self.ask)
        self.dialog: PackOptions | None = None
        self.progress: JobDialog | None = None
        self.folder = Path.home()

    def retranslate_ui(self) -> None:
        self.button.setText(_("Print PEP pack…"))
        self.button.setToolTip(_("One PDF of the selected learners' PEPs, or of every learner the list shows"))
        for dialog in (self.dialog, self.progress):
            if dialog is not None:
                dialog.retranslate_ui()

    def ask(self) -> PackOptions | None:
        flt = pack_filter(self.page)
        if not flt.learners:
            self.page.status_message.emit(_("No learners match this selection; no pack was made."))
            return None
        shown = pack_filter(self.page, selection=False)
        name = f"PEP-pack-{dt.date.today().isoformat()}.pdf"
        self.dialog = PackOptions(self.page, len(flt.learners), not flt.filtered, self.folder / name,
                                  shown=len(shown.learners))
        dialog = self.dialog
        dialog.accepted.connect(lambda: self.start(shown if dialog.use_all else flt, dialog.options()))
        self.dialog.open()
        return self.dialog

    def start(self, flt, options: dict) -> JobDialog:
        self.folder = Path(options["path"]).parent

        def step(done: int, total: int) -> str:
            return _("Learner {n} of {total}").format(n=i18n.format_number(min(done + 1, total)),
                                                      total=i18n.format_number(total))

        self.progress = JobDialog(self.page, lambda: _("Print PEP pack"), step)

        def prepared(profile) -> None:
            reader = StoreReader(self.worker, *profile)
            job = PdfJob(lambda job: make_pack(reader, flt, options, job))
            self.progress.start(job, done_text=self._done_text)

        self.worker.submit(prepare_on_worker(True), prepared,
                           lambda e: (self.progress.fail(e), self.progress.show()))
        return self.progress

    @staticmethod
    def _done_text(result) -> str:
        learners = ngettext("{n} learner", "{n} learners", result.included).format(
            n=i18n.format_number(result.included))
        pages = ngettext("{n} page", "{n} pages", result.pages).format(n=i18n.format_number(result.pages))
        lines = [_("Wrote {path}: {learners}, {pages}.").format(path=result.path, learners=learners, pages=pages)]
        missing = result.learners - result.included
        if missing:
            lines.append(ngettext("{n} learner has no finalised PEP review; the contents lists them.",
                                  "{n} learners have no finalised PEP review; the contents lists them.",
                                  missing).format(n=i18n.format_number(missing)))
        if result.held_draft:
            lines.append(_("The pack holds drafts, so it is not signed."))
        elif result.signed:
            lines.append(_("Signed with this profile's own certificate (not yet issued by the local authority)."))
        lines.append(_not_encrypted())
        return "\n".join(lines)


@signing_said_plainly
def make_pack(store, flt, options: dict, job: PdfJob):
    from ..pdf.export import export_pack

    return export_pack(store, Path(options["path"]), flt, options["mode"], drafts=options["drafts"],
                       progress=job.progress, cancelled=job.cancelled)


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
            from ..pdf.verify import verify_pdf

            return verify_pdf(path, trust)
        self.job = PdfJob(work)
        self.job.succeeded.connect(self._show)
        self.job.failed.connect(self._show)
        self.job.start()

    def _show(self, outcome) -> None:
        from ..pdf.verify import INVALID, OK, describe

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

        from ..pdf import signing

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
            from ..pdf.signing import ENV_TSA

            self.override.setText(_("{name} is set and is used instead of this setting.").format(name=ENV_TSA))
            self.override.setVisible(True)

    def save(self) -> None:
        url = self.url.text().strip() or None

        def write(store):
            from ..pdf import signing

            signing.set_timestamp_url(store, url)
        self.worker.submit(write, lambda _r: self.accept(), self._refused)

    def _refused(self, error: BaseException) -> None:
        self.message.setStyleSheet("color: #9b1c1c;")
        self.message.setText(human_error(error))
        self.message.setVisible(True)


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
