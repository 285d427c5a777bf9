"""The faster layout classes (layout.Para, Grid, PageFrame) lay out and draw exactly what
reportlab's own Paragraph, Table and Frame do: the same story built both ways gives the same bytes."""

from __future__ import annotations

import io

import pytest
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus.paraparser import ParaParser

from vsm_desktop.pdf import fonts, layout
from vsm_desktop.pdf.layout import Grid, PageFrame, Para

TEXTS = [
    "Plain words",
    "  leading and trailing   spaces,\n a line break and\ttabs  ",
    "Ŵyr a ŷd: â ê î ô û ẁ ẃ ẅ ỳ ï ë — ‘quoted’ “twice” …",
    "Fish &amp; chips &lt;not a tag&gt; &#8364;5",
    'Label <font color="#5b6570">/ Label</font>',
    "<b>Bold</b> then <i>italic</i><br/>and a second line",
    "A" * 300,                                   # one word longer than any cell: split
    " ".join(["word"] * 400),                     # many lines: split across pages
    "—",
]


def _story(paragraph, table, styles):
    story = []
    for i, text in enumerate(TEXTS):
        story.append(paragraph(f"Heading {i}", styles.label))        # keepWithNext: measured on a frame copy
        story.append(paragraph(text, styles.body))
        rows = [[paragraph(t, styles.cell), paragraph(text, styles.cell)] for t in TEXTS[:5]] * 6
        grid = table([[paragraph("Head", styles.cell_head), ""]] + rows, colWidths=[120, 200], repeatRows=1,
                     splitInRow=1)
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.5)]))
        story.append(grid)
    return story


def _build(paragraph, table, frame) -> bytes:
    styles = layout.make_styles()
    out = io.BytesIO()
    doc = BaseDocTemplate(out, invariant=1, initialFontName=fonts.REGULAR)
    doc.addPageTemplates([PageTemplate(id="p", frames=[frame(60, 60, 400, 700, id="f")])])
    doc.build(_story(paragraph, table, styles))
    return out.getvalue()


def test_para_grid_and_page_frame_draw_what_reportlab_draws():
    ours = _build(Para, Grid, PageFrame)
    theirs = _build(Paragraph, Table, Frame)
    assert ours.count(b"/Type /Page\n") > 5
    assert ours == theirs


@pytest.mark.parametrize("text", TEXTS + ["", "<u>under</u> <a href='https://example.org'>link</a>"])
def test_para_has_the_parsers_fragments(text):
    style = layout.make_styles().cell
    ours = Para(text, style)
    theirs = Paragraph(text, style)
    assert [vars(f) for f in ours.frags] == [vars(f) for f in theirs.frags]
    assert ours.text == theirs.text


def test_para_fragments_are_its_own():
    style = layout.make_styles().cell
    first, second = Para('<font color="#5b6570">Same</font>', style), Para('<font color="#5b6570">Same</font>', style)
    assert first.frags[0] is not second.frags[0] and first.frags[0].us_lines is not second.frags[0].us_lines
    plain = Para("Plain", style)
    plain.frags[0].text = "changed"
    assert Para("Plain", style).frags[0].text == "Plain"


def test_markup_errors_are_reportlabs():
    style = layout.make_styles().cell
    with pytest.raises(ValueError) as theirs:
        Paragraph("<b>open", style)
    with pytest.raises(ValueError) as ours:
        Para("<b>open", style)
    assert str(ours.value) == str(theirs.value)
    assert ParaParser  # the parser Para asks is reportlab's own


def _page_streams(data: bytes) -> list[bytes]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return [reader.root["/Pages"]["/Kids"][i]["/Contents"].data for i in range(len(reader.root["/Pages"]["/Kids"]))]


def test_pages_compressed_as_they_end_hold_what_reportlab_writes():
    from reportlab.pdfgen.canvas import Canvas

    from vsm_desktop.pdf.layout import PageCanvas

    def build(canvasmaker) -> bytes:
        styles = layout.make_styles()
        out = io.BytesIO()
        doc = BaseDocTemplate(out, invariant=1, initialFontName=fonts.REGULAR)
        doc.addPageTemplates([PageTemplate(id="p", frames=[Frame(60, 60, 400, 700, id="f")])])
        doc.build(_story(Paragraph, Table, styles), canvasmaker=canvasmaker)
        return out.getvalue()

    ours, theirs = build(PageCanvas), build(Canvas)
    assert _page_streams(ours) == _page_streams(theirs)
    assert len(_page_streams(ours)) > 5
    assert b"/ASCII85Decode" in theirs and b"/ASCII85Decode" not in ours and len(ours) < len(theirs)
