"""Printing a PDF: PDFium renders each page onto the printer."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ...errors import UsageError
from ...i18n import _
from ..qt import (
    QImage, QPainter,     QRect,
)
from .jobs import JobCancelled, PRINT_DPI


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
