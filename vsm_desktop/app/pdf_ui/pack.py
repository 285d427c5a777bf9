"""The learner list: Print PEP pack… (what is selected or shown, the options, the job)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from ... import i18n
from ...i18n import _, ngettext
from ..qt import (
    QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QObject, QPushButton, QVBoxLayout, QWidget, Qt,
)
from ..worker import StoreWorker
from .jobs import JobDialog, PdfJob, StoreReader, fit_to_contents, prepare_on_worker
from .files import FileRow, _not_encrypted, pdf_filter
from .review import LanguageBox, signing_said_plainly


# --- the learner list: Print PEP pack… ----------------------------------------------------

def pack_filter(page, selection: bool = True):
    """The pack a learner list page asks for: the selected learners (with `selection`), or else
    every learner the list shows through its search and filters (described on the cover)."""
    from ...pdf.pack import PackFilter
    from ..learner_list import ID_ROLE

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
        self.attachments = QCheckBox()   # PDF and image attachments after the PEPs, before signing
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
        layout.addWidget(self.attachments)
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
        self.attachments.setText(_("Include the attachments (PDFs and pictures) after the PEPs"))
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
        return {"mode": self.language_box.value(), "drafts": self.drafts.isChecked(), "path": self.file.path(),
                "with_attachments": self.attachments.isChecked()}

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
        # (store path, derived key) for worker processes, when the PDF part has it (see PdfPart).
        self.key_source: Callable[[], tuple[str, str] | None] = lambda: None

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

        keyed = self.key_source()

        def prepared(profile) -> None:
            reader = StoreReader(self.worker, *profile)
            job = PdfJob(lambda job: make_pack(reader, flt, options, job, keyed))
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
def make_pack(store, flt, options: dict, job: PdfJob, keyed: tuple[str, str] | None = None):
    """With `keyed` (the store's path and derived key), worker processes lay the learners out."""
    from ...pdf.export import export_pack

    if keyed is not None:
        store.path = Path(keyed[0])
    return export_pack(store, Path(options["path"]), flt, options["mode"], drafts=options["drafts"],
                       progress=job.progress, cancelled=job.cancelled,
                       with_attachments=options.get("with_attachments", False),
                       passphrase=keyed[1] if keyed is not None else None)
