"""Choosing a PDF file to write or read, and the sentences said about a written PDF."""

from __future__ import annotations

from pathlib import Path

from ... import i18n
from ...i18n import _, ngettext
from ..qt import (
    QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget,
)


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
    from ...files import NOT_ENCRYPTED

    return _(NOT_ENCRYPTED)
