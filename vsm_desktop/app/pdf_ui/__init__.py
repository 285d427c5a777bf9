"""The application's side of PDFs: export and print a PEP review, print a PEP pack from the
learner list, verify a signed PDF, and the profile's timestamp authority.

The PDFs come from the core (`vsm_desktop.pdf.export`). Each runs as a `PdfJob`, a QThread of
its own, with progress and Cancel; its store reads go to the StoreWorker one call at a time
(`StoreReader`), so a pack of a thousand learners never holds the store for a minute: the
editor keeps saving and the list keeps searching meanwhile. The core writes a temporary file
and renames it into place, so a cancelled job leaves nothing. Printing lays the same PDF out
and paints its pages, rendered by PDFium (pypdfium2), onto the printer (Qt has no PDF module
in the Essentials wheel).

One module per part: `jobs` (the job thread and its dialog), `files`, `printing`, `review`
(Export PDF… and Print…), `pack` (Print PEP pack…), `verify`, `timestamp`, `part` (the File menu).
"""

from .jobs import JobCancelled, JobDialog, PdfJob, StoreReader, prepare_on_worker
from .files import FileRow
from .printing import print_pdf
from .review import ExportOptions, ReviewPdf, make_review_pdf
from .pack import PackOptions, PackPrinter, make_pack, pack_filter
from .verify import VerifyDialog
from .timestamp import TimestampDialog
from .part import PdfPart

__all__ = ["ExportOptions", "FileRow", "JobCancelled", "JobDialog", "PackOptions", "PackPrinter", "PdfJob", "PdfPart", "ReviewPdf", "StoreReader", "TimestampDialog", "VerifyDialog", "make_pack", "make_review_pdf", "pack_filter", "prepare_on_worker", "print_pdf"]
