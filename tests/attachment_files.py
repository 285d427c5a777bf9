"""Real files for the attachment tests, made here: PDFs, images, Word and OpenDocument files."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path


def pdf_bytes(text: str = "Tystysgrif nofio", pages: int = 1, pad: int = 0) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for n in range(pages):
        c.drawString(72, 720, f"{text} {n + 1}")
        c.showPage()
    c.save()
    data = out.getvalue()
    if pad:
        # Incompressible bytes in a comment after %%EOF keep the PDF readable and make it big.
        data += b"\n%" + os.urandom(pad).hex().encode()[:pad] + b"\n"
    return data


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="cyfrinach", owner_password="cyfrinach")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size=(64, 48), colour=(200, 30, 60)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
