"""Attachments in the PEP's PDF: the appendix that lists them, the learner's drawings in "All
about me" (and My PEP), and, with "include attachments", their PDF pages and images appended
after the PEP, each after a separator page, before the whole is signed.

Which attachments a PEP shows: its own (added to this review) and the learner's (added to no
review); for a finalised PEP only the learner's that were there by the day it was finalised, so
that its PDF can be made again the same.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from ..attachments import content, detect
from ..domain import model
from ..i18n import N_
from .lang import Labels

log = logging.getLogger(__name__)

S_APPENDIX = N_("Appendix: attachments")
L_APPENDIX_NONE = N_("No attachments.")
L_APPENDED = N_("PDF and image attachments follow the PEP, each after a page like this one.")
L_ATTACHMENT_N = N_("Attachment {n} of {total}")
L_NOT_HERE = N_("This attachment's content has not reached this computer, so it is not included.")
L_FOR = N_("For {name}")
DRAWINGS = N_("My drawings")


def for_review(store, review: dict) -> list[dict]:
    """The attachments a PEP shows (see the module's note), oldest first."""
    finalised = (review.get("finalised_at") or "")[:10] if review.get("status") == "finalised" else None
    out = []
    for item in content.listing(store, review["learner_id"]):
        if item["review_id"] == review["id"] or (
                item["review_id"] is None and (finalised is None or item["added_on"] <= finalised)):
            out.append(item)
    return out


def drawings(store, items: list[dict]) -> list[bytes]:
    """The PNGs of the learner's drawings in "All about me" that are on this computer."""
    out = []
    for item in items:
        if item["kind"] == "drawing" and item["section"] == content.ABOUT_ME and item["state"] == content.HERE \
                and item["mime"] in detect.IMAGES:
            out.append(content.read_bytes(store, item))
    return out


def _image(raw: bytes, max_w: float, max_h: float):
    from reportlab.platypus import Image

    try:
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(raw)) as im:
            width, height = im.size
    except Exception:   # a damaged image must not stop the PDF
        return None
    scale = min(max_w / width, max_h / height, 1.0 if width > 400 else max_w / width)
    return Image(io.BytesIO(raw), width=width * scale, height=height * scale)


def drawing_flowables(images: list[bytes], width: float, height: float) -> list:
    """The drawings two to a row, each at most `width`/2 by `height`."""
    from reportlab.platypus import Table, TableStyle

    cells = [img for img in (_image(raw, width / 2 - 8, height) for raw in images) if img is not None]
    if not cells:
        return []
    rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[width / 2, width / 2], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return [table]


def appendix(s, items: list[dict]) -> None:
    """The appendix listing a PEP's attachments (title, kind, date, size), on story `s`."""
    from reportlab.platypus import CondPageBreak

    if not items:
        return
    L = s.L
    s.out.append(CondPageBreak(120))
    s.heading(S_APPENDIX, "attachments")
    fa = model.entity("attachments")
    rows = []
    for i, item in enumerate(items, 1):
        rows.append([s.plain(str(i)), s.cell(item["title"], item.get("title_lang")),
                     s.plain(s.enum("attachment_kind", item["kind"])), s.plain(L.table_date(item["added_on"])),
                     s.plain(size_text(L, item["size"]))])
    s.table(["#", fa.field("title").label, fa.field("kind").label, fa.field("added_on").label,
             fa.field("size").label], rows, [20, 230, 110, 70, 63])


def size_text(labels: Labels, size: int) -> str:
    if size < 1000:
        return labels.join(m.format(n=size) for m in labels.each_n("{n} byte", "{n} bytes", size))
    if size < 1_000_000:
        return labels.text(N_("{n} kB"), n=labels.number(round(size / 1000, 0 if size >= 10_000 else 1)))
    return labels.text(N_("{n} MB"), n=labels.number(round(size / 1_000_000, 1)))


# --- appending the files ---------------------------------------------------------------------

def appendable(items: list[dict]) -> list[dict]:
    return [i for i in items if i["mime"] == detect.PDF or i["mime"] in detect.IMAGES]


def _separator(target: io.BytesIO, item: dict, n: int, total: int, labels: Labels, learner: str | None) -> int:
    """A separator page for an item, then for an image a page of its own; returns the pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from . import fonts

    fonts.register()
    width, height = A4
    c = canvas.Canvas(target, pagesize=A4, pageCompression=1)
    y = height - 90
    c.setFont(fonts.BOLD, 11)
    c.drawString(56, y, labels.text(L_ATTACHMENT_N, n=n, total=total))
    y -= 34
    c.setFont(fonts.BOLD, 20)
    c.drawString(56, y, item["title"][:70])
    y -= 28
    c.setFont(fonts.REGULAR, 11)
    kind = labels.join(labels.one(lang, model.ENUMS["attachment_kind"][item["kind"]]) for lang in labels.langs)
    for line in (kind, labels.table_date(item["added_on"]) + " · " + size_text(labels, item["size"]),
                 (item.get("added_by") or "") + "", f"SHA-256 {item['sha256']}",
                 labels.text(L_FOR, name=learner) if learner else ""):
        if line:
            c.drawString(56, y, line)
            y -= 17
    if item["state"] != content.HERE:
        for lang in labels.langs:
            y -= 17
            c.drawString(56, y, labels.one(lang, L_NOT_HERE))
    c.setFont(fonts.REGULAR, 9)
    for i, lang in enumerate(labels.langs):
        c.drawString(56, 72 - 13 * i, labels.one(lang, L_APPENDED))
    c.showPage()
    pages = 1
    if item["mime"] in detect.IMAGES and item.get("_bytes") is not None:
        try:
            reader = ImageReader(io.BytesIO(item["_bytes"]))
            iw, ih = reader.getSize()
            scale = min((width - 80) / iw, (height - 80) / ih)
            c.drawImage(reader, (width - iw * scale) / 2, (height - ih * scale) / 2, iw * scale, ih * scale)
            c.showPage()
            pages = 2
        except Exception:
            log.warning("an image attachment could not be drawn; left out")
    c.save()
    return pages


def append_files(store, pdf_path: Path, groups: list[tuple[str | None, list[dict]]], labels: Labels) -> int:
    """Appends each group's PDF and image attachments to the PDF at `pdf_path` (rewritten in
    place), each after a separator page; returns the pages added. A group is (learner's name, or
    None for a single PEP; its attachments)."""
    import pypdfium2 as pdfium

    items = []
    for learner, group in groups:
        for item in appendable(group):
            items.append((learner, dict(item)))
    if not items:
        return 0
    base = pdfium.PdfDocument(str(pdf_path))
    added = 0
    try:
        for n, (learner, item) in enumerate(items, 1):
            data = content.read_bytes(store, item) if item["state"] == content.HERE else None
            if data is not None and item["mime"] in detect.IMAGES:
                item["_bytes"] = data
            sep_buf = io.BytesIO()
            count = _separator(sep_buf, item, n, len(items), labels, learner)
            sep = pdfium.PdfDocument(sep_buf.getvalue())
            base.import_pages(sep, index=len(base))
            added += count
            sep.close()
            if data is not None and item["mime"] == detect.PDF:
                try:
                    other = pdfium.PdfDocument(data)
                except pdfium.PdfiumError:
                    log.warning("a PDF attachment could not be read; left out")
                    continue
                added += len(other)
                base.import_pages(other, index=len(base))
                other.close()
        temp = pdf_path.with_name(pdf_path.name + ".joined")
        base.save(str(temp))
    finally:
        base.close()
    temp.replace(pdf_path)
    return added
