"""What a file is, from its content (never its name), and whether it can be attached.

Accepted: PDF (not damaged, not protected by a password), PNG, JPEG, WebP and HEIC images that
decode (HEIC only where Pillow reads it), Word (.docx) and OpenDocument text (.odt), and plain
UTF-8 text. Anything else (a program renamed .pdf, a spreadsheet, an archive) is refused with
the reason. Checks read the file through its own handle: nothing is loaded whole except an
image's pixels, which Pillow bounds.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from typing import BinaryIO

from ..errors import Refused
from ..i18n import N_, _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"
HEIC = "image/heic"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"
IMAGES = (PNG, JPEG, WEBP, HEIC)
# What a saved copy is called (Save a copy…, extract, the subject-access zip).
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", WEBP: ".webp", HEIC: ".heic", DOCX: ".docx", ODT: ".odt",
              TEXT: ".txt"}
ACCEPTED = N_("PDF, PNG, JPEG, WebP or HEIC images, Word or OpenDocument text, or plain text")

_PROGRAMS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


class FileRefused(Refused):
    """A file that cannot be attached; the message names it and says why."""

    exit_code = 16


def refuse(name: str, reason: str) -> FileRefused:
    return FileRefused(_("{name} cannot be attached: {reason}").format(name=name, reason=reason))


def sniff(head: bytes) -> str | None:
    """The type a file's first bytes announce (None: not one we know, or perhaps plain text)."""
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and not head.startswith(_PROGRAMS)):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1"):
        return HEIC
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def is_program(head: bytes) -> bool:
    return head.startswith(_PROGRAMS)


class TextCheck:
    """Fed chunk by chunk while the file is hashed: whether the whole file is UTF-8 text."""

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.ok = True

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if not self.ok:
            return
        try:
            text = self.decoder.decode(chunk, final)
        except UnicodeDecodeError:
            self.ok = False
            return
        if _TEXT_CONTROLS.search(text):
            self.ok = False


def check(f: BinaryIO, name: str, head: bytes, text_ok: bool) -> str:
    """The MIME type of an accepted file (`f` open, any position), or FileRefused with the reason."""
    if is_program(head):
        raise refuse(name, _("it is a program, not a document"))
    kind = sniff(head)
    if kind == PDF:
        _check_pdf(f, name)
        return PDF
    if kind in IMAGES:
        _check_image(f, name, kind)
        return kind
    if kind == "zip":
        return _check_zip(f, name)
    if kind is None and text_ok and head:
        return TEXT
    raise refuse(name, _("it is not a kind of file that can be attached ({accepted})").format(accepted=_(ACCEPTED)))


def _check_pdf(f: BinaryIO, name: str) -> None:
    import pypdfium2 as pdfium

    f.seek(0)
    try:
        doc = pdfium.PdfDocument(f, autoclose=False)
    except pdfium.PdfiumError as e:
        if e.err_code == 4:   # FPDF_ERR_PASSWORD
            raise refuse(name, _("the PDF is protected with a password; attach a copy without one")) from None
        raise refuse(name, _("the PDF is damaged and cannot be read")) from None
    try:
        if len(doc) < 1:
            raise refuse(name, _("the PDF is damaged and cannot be read"))
    finally:
        doc.close()


def _check_image(f: BinaryIO, name: str, kind: str) -> None:
    from PIL import Image, UnidentifiedImageError

    f.seek(0)
    try:
        with Image.open(f) as image:
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as e:
        if kind == HEIC and isinstance(e, UnidentifiedImageError):
            raise refuse(name, _("HEIC photos cannot be read on this computer; save it as a JPEG first")) from None
        raise refuse(name, _("the image is damaged and cannot be shown")) from None


def _check_zip(f: BinaryIO, name: str) -> str:
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype").strip() == ODT.encode():
                return ODT
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise refuse(name, _("the document is damaged and cannot be read")) from None
    raise refuse(name, _("it is not a kind of file that can be attached ({accepted})").format(accepted=_(ACCEPTED)))
