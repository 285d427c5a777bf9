"""The page: A4, styles, running header, footer, draft watermark, page numbers, bookmarks.

Shared by the PEP document, My PEP and packs. Page numbers ("Page x of y") are drawn as
form XObjects that are defined only when the document ends, so the total is known without
a second pass and without holding pages back: a pack of a thousand learners is laid out
once, page after page. The same trick gives the contents page of a pack its page numbers.

Only reportlab is imported here, and this module is imported only when a PDF is made.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table

from ..i18n import N_
from . import fonts
from .lang import Labels, gettext_in

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
HEADER_Y = PAGE_HEIGHT - 12 * mm      # baseline of the running header
FOOTER_Y = 12 * mm                    # baseline of the footer's first line

INK = colors.HexColor("#1b1f23")
MUTED = colors.HexColor("#5b6570")
ACCENT = colors.HexColor("#0b5563")
RULE = colors.HexColor("#c5d0d6")
HEAD_BG = colors.HexColor("#e4eef0")
ZEBRA = colors.HexColor("#f5f8f9")
WATERMARK = colors.HexColor("#b03a2e")
MUTED_HEX = "#5b6570"

# Fixed words of every page (marked here, translated per document by Labels).
MARKING = N_("OFFICIAL-SENSITIVE")
GENERATED = N_("Generated {time}")
FINALISED_AT = N_("Finalised {time}")
PAGE_OF = N_("Page {page} of {pages}")
DRAFT_MARK = N_("DRAFT")


@dataclass
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    voice: ParagraphStyle
    voice_label: ParagraphStyle
    note: ParagraphStyle
    contents: ParagraphStyle
    contents_right: ParagraphStyle


def make_styles(scale: float = 1.0) -> Styles:
    fonts.register()
    base = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9.5 * scale, leading=13.2 * scale,
                          textColor=INK, spaceAfter=4, splitLongWords=1, alignment=TA_LEFT)
    return Styles(
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=0),
        label=ParagraphStyle("label", parent=base, fontName=fonts.BOLD, fontSize=8.5, leading=11,
                             textColor=ACCENT, spaceBefore=5, spaceAfter=1, keepWithNext=1),
        cell=ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        cell_head=ParagraphStyle("cell_head", parent=base, fontName=fonts.BOLD, fontSize=8, leading=10,
                                 spaceAfter=0, textColor=INK),
        title=ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=19, leading=23,
                             textColor=ACCENT, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=base, fontSize=11, leading=14, textColor=MUTED, spaceAfter=8),
        h2=ParagraphStyle("h2", parent=base, fontName=fonts.BOLD, fontSize=12.5, leading=16, textColor=ACCENT,
                          spaceBefore=12, spaceAfter=5, keepWithNext=1),
        h3=ParagraphStyle("h3", parent=base, fontName=fonts.BOLD, fontSize=10, leading=13, textColor=INK,
                          spaceBefore=8, spaceAfter=3, keepWithNext=1),
        voice=ParagraphStyle("voice", parent=base, fontSize=12 * scale, leading=16.5 * scale, spaceAfter=6),
        voice_label=ParagraphStyle("voice_label", parent=base, fontName=fonts.BOLD, fontSize=11.5 * scale,
                                   leading=15 * scale, textColor=ACCENT, spaceBefore=9, spaceAfter=2, keepWithNext=1),
        note=ParagraphStyle("note", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        contents=ParagraphStyle("contents", parent=base, fontSize=9, leading=12, spaceAfter=0),
        contents_right=ParagraphStyle("contents_right", parent=base, fontSize=9, leading=12, spaceAfter=0,
                                      alignment=TA_RIGHT),
    )


# --- markup -------------------------------------------------------------------------------

def esc(text: str) -> str:
    """Free text as paragraph markup: escaped, line breaks kept."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def bi(labels: Labels, message: str, *, stacked: bool = False, **values) -> str:
    """A fixed label as markup; bilingual: Welsh, then English in grey (stacked or inline)."""
    parts = [escape(s.format(**values) if values else s) for s in labels.each(message)]
    if len(parts) == 1 or parts[0] == parts[1]:
        return parts[0]
    if stacked:
        return f'{parts[0]}<br/><font color="{MUTED_HEX}">{parts[1]}</font>'
    return f'{parts[0]} <font color="{MUTED_HEX}">/ {parts[1]}</font>'


def bi_values(labels: Labels, parts: list[str], *, stacked: bool = False) -> str:
    parts = [escape(p) for p in parts]
    if len(parts) == 1 or parts[0] == parts[1]:
        return parts[0]
    if stacked:
        return f'{parts[0]}<br/><font color="{MUTED_HEX}">{parts[1]}</font>'
    return f'{parts[0]} <font color="{MUTED_HEX}">/ {parts[1]}</font>'


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def cut(text: str, limit: int) -> tuple[str, str]:
    """Splits text near `limit` characters at a sentence or word boundary: (head, rest)."""
    if len(text) <= limit:
        return text, ""
    window = text[: limit]
    for pattern in (_SENTENCE_END, re.compile(r"\s+")):
        ends = [m.end() for m in pattern.finditer(window) if m.end() > limit * 0.6]
        if ends:
            return text[: ends[-1]].rstrip(), text[ends[-1]:].lstrip()
    return text[:limit], text[limit:]


# --- paragraphs -----------------------------------------------------------------------------

_PARSED: dict = {}          # (markup, style) -> (style, fragments) as reportlab's parser gave them
_PARSED_MAX = 4096


def _fresh(frag, **attrs):
    # The lists are per paragraph in reportlab's own parse; a copy keeps them so.
    return frag.clone(link=list(frag.link), us_lines=list(frag.us_lines), **attrs)


class Para(Paragraph):
    """reportlab's Paragraph, parsed faster: a PEP has some 260 paragraphs, most of them plain text
    or the same few labels, and parsing was a fifth of a pack's layout. Text without markup gets the
    fragment the parser makes for any plain text in the style, with the text put in; markup is
    parsed once per process. The fragments are the parser's own, so layout and drawing are the same.
    A paragraph also wraps once per width (a table cell is wrapped to measure it, then to draw it)."""

    def _setup(self, text, style, bulletText, frags, cleaner):
        if frags is None and not bulletText and not getattr(style, "textTransform", None):
            text = cleaner(text)
            parsed = _parse(text, style) if text else None
            if parsed is not None:
                style, frags = parsed
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth, availHeight):
        if getattr(self, "_wrapped", None) == availWidth and hasattr(self, "blPara"):   # split() may drop it
            return self.width, self.height
        self._wrapped = None
        size = super().wrap(availWidth, availHeight)
        if size[1] != 0x7fffffff:   # reportlab's "cannot fit here"
            self._wrapped = availWidth
        return size


def _parse(text: str, style):
    """The parsed fragments of `text` (cleaned), new for the caller; None: parse it the usual way."""
    if "<" not in text and "&" not in text:
        found = _PARSED.get(("", style))
        if found is None:
            found = _PARSED[("", style)] = _parse_markup("x", style) or (None, ())
        if len(found[1]) != 1:
            return None
        return found[0], [_fresh(found[1][0], text=text)]
    key = (text, style)
    found = _PARSED.get(key)
    if found is None:
        found = _parse_markup(text, style)
        if found is None:
            return None
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = found
    return found[0], [_fresh(f) for f in found[1]]


def _parse_markup(text: str, style):
    from reportlab.platypus.paraparser import ParaParser

    parser = ParaParser()
    parser.caseSensitive = 1
    parsed_style, frags, bullet = parser.parse(text, style)
    if frags is None or bullet:
        return None
    return parsed_style, frags


class Grid(Table):
    """reportlab's Table, measured once per width: a table is wrapped to keep it with its heading,
    again to place it, and each time it measured every cell. A measurement is kept when it covered
    every row; asked again for the same width with at least that much height, measuring would give
    the same rows and heights, so it is not done again. split() measures through _calc too."""

    def _calc(self, availWidth, availHeight):
        kept = getattr(self, "_measured", None)
        if kept is not None and kept[0] == availWidth and kept[1] <= availHeight:
            return
        self._measured = None
        super()._calc(availWidth, availHeight)
        if self._hmax == len(self._argH):
            self._measured = (availWidth, self._height)


# --- flowables ------------------------------------------------------------------------------

LOGO_MAX = (45 * 72 / 25.4, 18 * 72 / 25.4)   # points: at most 45 × 18 mm


def logo(path: str | None):
    """The authority's logo (a PNG or SVG file) as a flowable at most 45 × 18 mm, aspect kept;
    None when there is none or it cannot be read (the PEP is made without it)."""
    if not path:
        return None
    from pathlib import Path

    from reportlab.platypus import Image

    source = Path(path).expanduser()
    try:
        if source.suffix.lower() == ".svg":
            from svglib.svglib import svg2rlg

            drawing = svg2rlg(str(source))
            if drawing is None or not drawing.width or not drawing.height:
                raise ValueError("empty drawing")
            scale = min(LOGO_MAX[0] / drawing.width, LOGO_MAX[1] / drawing.height)
            drawing.scale(scale, scale)
            drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
            drawing.hAlign = "LEFT"
            return drawing
        from reportlab.lib.utils import ImageReader

        width, height = ImageReader(str(source)).getSize()
        scale = min(LOGO_MAX[0] / width, LOGO_MAX[1] / height)
        return Image(str(source), width=width * scale, height=height * scale, hAlign="LEFT")
    except Exception as e:  # a missing or damaged logo must not stop the PEP
        import logging

        logging.getLogger(__name__).warning("the authority's logo cannot be read (%s)", type(e).__name__)
        return None


def authority_header(authority: str, logo_path: str | None, styles) -> list:
    """The top of a first page or a pack's cover: the logo (if IT configured one) and the name."""
    from reportlab.platypus import Table, TableStyle

    name = Para(escape(authority).upper(), styles.small) if authority else None
    image = logo(logo_path)
    if image is None:
        return [name] if name is not None else []
    table = Table([[image, name or ""]], colWidths=[LOGO_MAX[0] + 8, FRAME_WIDTH - LOGO_MAX[0] - 8], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [table]


class Heading(Para):
    """A paragraph that is also a bookmark (outline entry) and an anchor for the contents."""

    def __init__(self, text: str, style, *, outline: str, key: str, level: int = 0):
        super().__init__(text, style)
        self.outline, self.key, self.level = outline, key, level

    def draw(self):
        canv = self.canv
        _x, top = canv.absolutePosition(0, self.height)
        canv.bookmarkPage(self.key, fit="XYZ", left=0, top=top + 4)
        canv.addOutlineEntry(self.outline, self.key, level=self.level, closed=self.level == 0)
        doc = getattr(canv, "_doctemplate", None)
        if doc is not None:
            doc.anchor_pages[self.key] = canv.getPageNumber()
        super().draw()


class SetPage(Flowable):
    """Zero-size marker: the pages from the next one on belong to `context`."""

    def __init__(self, context: "PageContext"):
        super().__init__()
        self.context = context
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.canv._doctemplate.next_context = self.context


class PageRef(Flowable):
    """The page number of an anchor, drawn right-aligned; known only when the document ends."""

    def __init__(self, key: str, width: float, style: ParagraphStyle):
        super().__init__()
        self.key, self.width, self.style = key, width, style
        self.height = style.leading

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        doc = self.canv._doctemplate
        doc.page_refs.add(self.key)
        self.canv.saveState()
        self.canv.translate(self.width - FORM_WIDTH, self.height - self.style.fontSize)
        self.canv.doForm(_ref_form(self.key))
        self.canv.restoreState()
        # The contents line links to the page it names.
        x1, y1 = self.canv.absolutePosition(-FRAME_WIDTH + self.width, 0)
        x2, y2 = self.canv.absolutePosition(self.width, self.height)
        self.canv.linkRect("", self.key, (x1, y1, x2, y2), relative=0, thickness=0)


class SignatureBlock(Flowable):
    """The visible signature: who, in what role, when, and what the certificate is.

    Its rectangle becomes the signature field's widget, so a viewer opens the signature's
    details when it is clicked."""

    def __init__(self, labels: Labels, styles: Styles, lines: list[tuple[str, str]], heading: str, note: str):
        super().__init__()
        self.labels, self.styles, self.lines, self.heading, self.note = labels, styles, lines, heading, note
        self.width = FRAME_WIDTH
        self._paras: list[Para] = []

    def wrap(self, aw, ah):
        self.width = min(aw, 110 * mm * (1.6 if self.labels.both else 1.0))
        inner = self.width - 12
        style = self.styles.cell
        self._paras = [Para(self.heading, self.styles.cell_head)]
        for label, value in self.lines:
            self._paras.append(Para(f'<font color="{MUTED_HEX}">{label}:</font> {value}', style))
        self._paras.append(Para(self.note, self.styles.small))
        self.height = sum(p.wrap(inner, ah)[1] + 2 for p in self._paras) + 12
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1.2)
        canv.setFillColor(colors.white)
        canv.roundRect(0, 0, self.width, self.height, 4, stroke=1, fill=1)
        canv.restoreState()
        y = self.height - 6
        for p in self._paras:
            y -= p.height
            p.drawOn(canv, 6, y)
            y -= 2
        x1, y1 = canv.absolutePosition(0, 0)
        x2, y2 = canv.absolutePosition(self.width, self.height)
        doc = canv._doctemplate
        doc.signature_box = (canv.getPageNumber() - 1, (x1, y1, x2, y2))


class Finish(Flowable):
    """The last flowable: now every page number is known, define the forms that show them."""

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.canv._doctemplate.define_number_forms(self.canv)


FORM_WIDTH = 300


def _page_form(n: int) -> str:
    return f"pn{n}"


def _ref_form(key: str) -> str:
    return "ref" + re.sub(r"[^A-Za-z0-9]", "", key)


# --- the document template ------------------------------------------------------------------

class PageFrame(Frame):
    """A Frame that copies itself quickly: to keep a heading with what follows, reportlab measures
    them against a deep copy of the frame, some 30 times a PEP. A frame holds numbers and strings
    and a list or two; those lists are still copied deeply."""

    def __deepcopy__(self, memo):
        from copy import deepcopy

        new = self.__class__.__new__(self.__class__)
        new.__dict__.update({k: deepcopy(v, memo) if isinstance(v, (list, dict)) else v
                             for k, v in self.__dict__.items()})
        return new


@dataclass
class PageContext:
    """What the running header and the watermark of a page need to know."""

    header: str = ""                 # running header text (markup-free), e.g. the reference
    draft: bool = False
    first_page_plain: bool = True    # no running header on the first page of a PEP


@dataclass
class DocInfo:
    title: str
    author: str
    subject: str
    generated_at: dt.datetime
    keywords: str = ""
    record_dated: bool = False   # generated_at is the record's own time (a finalised PEP), not the clock's


def pdf_date(when: dt.datetime) -> str:
    """A PDF date string (ISO 32000 7.9.4) in UTC."""
    return when.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")


class PageCanvas(Canvas):
    """reportlab's Canvas, with each page's content compressed when the page ends: a pack's
    thousands of pages are then not all held as text and compressed at the very end, and they
    are Flate only (reportlab's default also writes them in ASCII85, a quarter larger)."""

    def showPage(self):
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if page.compression and page.stream and not page.Contents:
            stream = PDFStream(content=PDFZCompress.encode(page.stream))
            stream.dictionary["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
            stream.__Comment__ = "page stream"
            page.Contents, page.stream = stream, None


class PepDocTemplate(BaseDocTemplate):
    """A4 with the running header, the footer and the watermark drawn under every page."""

    def __init__(self, target, labels: Labels, styles: Styles, info: DocInfo, context: PageContext, *,
                 seed_fonts: bool = False, page_mark: str | None = None, **kw):
        fonts.register()
        # A pack's documents give the common characters fixed codes (see fonts.SEED_TEXT); a part laid
        # out elsewhere draws its page number as the form `page_mark`, named for its place at the end.
        self.seed_fonts, self.page_mark = seed_fonts, page_mark
        self.labels, self.styles, self.info = labels, styles, info
        self.context = context
        self.next_context: PageContext | None = None
        self.anchor_pages: dict[str, int] = {}
        self.page_refs: set[str] = set()
        self.signature_box: tuple[int, tuple[float, float, float, float]] | None = None
        self.page_count = 0
        super().__init__(
            target, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=info.title, author=info.author, subject=info.subject,
            creator=_creator(), producer=_creator(), keywords=info.keywords, lang=labels.pdf_lang,
            displayDocTitle=1, initialFontName=fonts.REGULAR,
            # The document's dates come from `info`, never the wall clock, and its /ID from its
            # content, so a finalised PEP is made again byte for byte from the store.
            invariant=1, **kw,
        )
        frame = PageFrame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate(id="first", frames=[frame], onPage=self._decorate_first, pagesize=A4),
            PageTemplate(id="later", frames=[frame], onPage=self._decorate_later, pagesize=A4),
            # Pages laid out in another process (RawPage): they bring their header and footer.
            PageTemplate(id="raw", frames=[Frame(0, 0, PAGE_WIDTH, PAGE_HEIGHT, id="raw", leftPadding=0,
                                                 rightPadding=0, topPadding=0, bottomPadding=0)],
                         onPage=self._count_page, pagesize=A4),
        ])
        self._footer_marking = labels.text(MARKING)
        dated = FINALISED_AT if info.record_dated else GENERATED
        self._footer_generated = labels.text(
            dated, sep=" · ", time=labels.datetime(info.generated_at, "medium")) if not labels.both else \
            labels.join([labels.one(lang, dated, time=labels.datetime(info.generated_at, "medium", lang=lang))
                         for lang in labels.langs], " · ")

    def build(self, flowables, filename=None, canvasmaker=PageCanvas):
        super().build(flowables, filename=filename, canvasmaker=canvasmaker)

    def handle_documentBegin(self):
        super().handle_documentBegin()
        created = pdf_date(self.info.generated_at)
        self.canv.setDateFormatter(lambda *_clock: created)
        if self.seed_fonts:
            fonts.seed(self.canv._doc)
            self.seed_encoding = fonts.encoding_state(self.canv._doc)

    # reportlab calls these at the start of each page, before any flowable is drawn on it.
    def _decorate_first(self, canv, doc):
        self._decorate(canv, running_header=False)

    def _decorate_later(self, canv, doc):
        self._decorate(canv, running_header=True)

    def _count_page(self, canv, doc):
        self.page_count = max(self.page_count, canv.getPageNumber())

    def _decorate(self, canv, running_header: bool):
        if self.next_context is not None:
            self.context, self.next_context = self.next_context, None
        ctx = self.context
        canv.saveState()
        if ctx.draft:
            self._watermark(canv)
        if running_header and ctx.header:
            canv.setFont(fonts.REGULAR, 7.5)
            canv.setFillColor(MUTED)
            canv.drawString(MARGIN_X, HEADER_Y, ctx.header)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.line(MARGIN_X, HEADER_Y - 4, PAGE_WIDTH - MARGIN_X, HEADER_Y - 4)
        # Footer: the protective marking, the generation time, "Page x of y".
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, FOOTER_Y + 20, PAGE_WIDTH - MARGIN_X, FOOTER_Y + 20)
        canv.setFillColor(INK)
        canv.setFont(fonts.BOLD, 8)
        canv.drawString(MARGIN_X, FOOTER_Y + 9, self._footer_marking)
        canv.setFont(fonts.REGULAR, 7)
        canv.setFillColor(MUTED)
        canv.drawString(MARGIN_X, FOOTER_Y, self._footer_generated)
        n = canv.getPageNumber()
        self.page_count = max(self.page_count, n)
        canv.translate(PAGE_WIDTH - MARGIN_X - FORM_WIDTH, FOOTER_Y + 9)
        canv.doForm(self.page_mark or _page_form(n))
        canv.restoreState()

    def _watermark(self, canv):
        # Always in both languages, the document's first: a draft must read as a draft to anyone.
        order = (self.labels.primary, "en" if self.labels.primary == "cy" else "cy")
        text = " / ".join(dict.fromkeys(gettext_in(lang, DRAFT_MARK) for lang in order))
        canv.saveState()
        canv.setFillColor(WATERMARK)
        canv.setFillAlpha(0.13)
        canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canv.rotate(52)
        size = 72 if len(text) <= 16 else 56
        canv.setFont(fonts.BOLD, size)
        canv.drawCentredString(0, -size / 3, text)
        canv.restoreState()

    def define_number_forms(self, canv) -> None:
        total = canv.getPageNumber()
        self.page_count = total
        for n in range(1, total + 1):
            text = self.labels.join(
                (self.labels.one(lang, PAGE_OF, page=n, pages=total) for lang in self.labels.langs), " / ")
            canv.beginForm(_page_form(n), 0, -4, FORM_WIDTH, 12)
            canv.setFont(fonts.REGULAR, 8)
            canv.setFillColor(INK)
            canv.drawRightString(FORM_WIDTH, 0, text)
            canv.endForm()
        for key in sorted(self.page_refs):
            canv.beginForm(_ref_form(key), 0, -4, FORM_WIDTH, 14)
            canv.setFont(fonts.REGULAR, 9)
            canv.setFillColor(INK)
            canv.drawRightString(FORM_WIDTH, 0, str(self.anchor_pages.get(key, "")))
            canv.endForm()


def _creator() -> str:
    from .. import APP_NAME, __version__

    return f"{APP_NAME} {__version__}"


class FeedingStory(list):
    """A story that refills itself from an iterator of flowable lists, so a pack of a
    thousand learners never has more than one learner's flowables in memory.

    reportlab's build loop only asks `len(story)` between flowables; everything else it does
    to the list (index, delete, insert the remainder of a split) works on what is there."""

    def __init__(self, chunks):
        super().__init__()
        self._chunks = iter(chunks)

    def __len__(self):
        while not list.__len__(self):
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self.extend(chunk)
        return list.__len__(self)
