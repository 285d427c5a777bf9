"""The monitoring report as PDF: the dashboard's tables and charts, in the interface language,
in the house style of the PEP documents (`pdf/layout.py`: the embedded Noto font, the
OFFICIAL-SENSITIVE footer, page numbers). Small numbers are suppressed in every table and
chart, as in the JSON. reportlab is imported only when a PDF is made.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from .. import i18n
from ..domain import model
from ..i18n import N_, _
from ..pdf import fonts, layout
from ..pdf.lang import Labels
from .dashboard import BANDS, Dashboard, Figure, band_label
from .monitoring import labelled_scope, suppress

TITLE = N_("Monitoring report: children looked after")
SUPPRESSION_NOTE = N_("Counts from 1 to {n} are shown as “<{threshold}” so that no child can be identified; "
                      "figures that depend on them are withheld (—).")
CHART_SCHOOLS = 15
NO_DATA = N_("There is no data for this period: no PEP review, exclusion or first PEP falls in it.")


def _fmt_count(n: int, threshold: int) -> str:
    shown = suppress(n, threshold)
    return shown if isinstance(shown, str) else i18n.format_number(shown)


def _table(rows: list[list[str]], widths: list[float], styles) -> Table:
    body = [[Paragraph(escape(str(c)), styles.cell_head if i == 0 else styles.cell) for c in row]
            for i, row in enumerate(rows)]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), layout.HEAD_BG),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, layout.ZEBRA]),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _chart(title: str, labels: list[str], values: list[float | None], value_text: list[str],
           unit_max: float | None = None) -> Drawing:
    """A bar chart; a withheld value (None) is drawn as no bar with its text ("<5") above."""
    slanted = len(labels) > 6
    width, height = layout.FRAME_WIDTH, (80 if slanted else 62) * mm
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=fonts.BOLD, fontSize=9.5, fillColor=layout.INK))
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 75 if slanted else 28
    chart.width, chart.height = width - 40, height - chart.y - 30   # room for the title and the values above
    chart.data = [[v or 0 for v in values]] if values else [[0]]
    chart.bars[0].fillColor = layout.ACCENT
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin = 0
    top = max([v for v in values if v is not None] or [0])
    chart.valueAxis.valueMax = unit_max or (top * 1.15 if top else 1)
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "ne" if slanted else "n"
    chart.categoryAxis.labels.angle = 40 if slanted else 0
    chart.barLabelFormat = lambda v: ""
    drawing.add(chart)
    step = chart.width / max(1, len(values))
    scale = chart.height / chart.valueAxis.valueMax
    for i, text in enumerate(value_text):
        x = chart.x + step * (i + 0.5)
        y = chart.y + (values[i] or 0) * scale + 3
        drawing.add(String(x, y, text, fontName=fonts.REGULAR, fontSize=7, textAnchor="middle", fillColor=layout.INK))
    return drawing


def _lines(text: str, width: float, size: float) -> list[str]:
    """Words wrapped to `width` points: a school's whole name, on two lines if it must."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and stringWidth(candidate, fonts.REGULAR, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + [line] if line else lines


def _hbar_chart(title: str, rows: list[tuple[str, float | None, str]], unit_max: float | None = None,
                reference: tuple[float, str] | None = None) -> Drawing:
    """Horizontal bars with whole labels (as in the app): (label, value or None if withheld, text)."""
    size, bar, gap = 7, 7, 3
    width = layout.FRAME_WIDTH
    label_w = min(width * 0.42, max([stringWidth(r[0], fonts.REGULAR, size) for r in rows] or [40]) + 6)
    wrapped = [_lines(label, label_w - 6, size) or [""] for label, _v, _t in rows]
    heights = [max(bar, len(lines) * (size + 1)) + gap for lines in wrapped]
    footer = 14 if reference else 4
    height = 16 + sum(heights) + footer
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=fonts.BOLD, fontSize=9.5, fillColor=layout.INK))
    left = label_w
    value_w = max([stringWidth(t, fonts.REGULAR, size) for _l, _v, t in rows] or [20]) + 8
    span = width - left - value_w
    top_value = unit_max or max([v for _l, v, _t in rows if v is not None] or [1]) * 1.05 or 1
    y = height - 16
    for (label, value, text), lines, h in zip(rows, wrapped, heights):
        y -= h
        middle = y + h / 2
        for i, line in enumerate(lines):
            offset = (len(lines) - 1) * (size + 1) / 2 - i * (size + 1)
            drawing.add(String(left - 6, middle + offset - size / 3, line, fontName=fonts.REGULAR, fontSize=size,
                               textAnchor="end", fillColor=layout.INK))
        length = span * (value or 0) / top_value
        if value:
            drawing.add(Rect(left, middle - bar / 2, length, bar, fillColor=layout.ACCENT, strokeColor=None))
        drawing.add(String(left + length + 3, middle - size / 3, text, fontName=fonts.REGULAR, fontSize=size,
                           fillColor=layout.INK))
    drawing.add(Line(left, y, left, height - 16, strokeColor=layout.RULE, strokeWidth=0.5))
    if reference is not None:
        value, text = reference
        x = left + span * value / top_value
        drawing.add(Line(x, y - 2, x, height - 16, strokeColor=layout.INK, strokeWidth=1, strokeDashArray=[3, 2]))
        drawing.add(String(x, y - 11, text, fontName=fonts.REGULAR, fontSize=size, textAnchor="middle",
                           fillColor=layout.INK))
    return drawing


def write_pdf(d: Dashboard, target, threshold: int, school_name: str | None = None) -> int:
    """Writes the report; returns the number of pages."""
    labels = Labels(i18n.current_language())
    styles = layout.make_styles()
    now = dt.datetime.now(dt.timezone.utc)
    info = layout.DocInfo(title=_(TITLE), author="", subject=_(TITLE), generated_at=now)
    context = layout.PageContext(header=_(TITLE), draft=False)
    doc = layout.PepDocTemplate(target, labels, styles, info, context)
    w = layout.FRAME_WIDTH
    story: list = [Paragraph(escape(_(TITLE)), styles.title)]
    period = _("{start} to {end}").format(start=i18n.format_date(d.period.start), end=i18n.format_date(d.period.end))
    scope = labelled_scope(d, school_name) or [(_("Scope"), _("The whole authority"))]
    story.append(Paragraph(escape(period), styles.subtitle))
    story.append(Paragraph(escape(" · ".join(f"{k}: {v}" for k, v in scope)), styles.body))
    story.append(Paragraph(escape(_(SUPPRESSION_NOTE).format(n=threshold - 1, threshold=threshold)), styles.note))
    if not d.has_data:
        story.append(Paragraph(escape(_(NO_DATA)), styles.h3))

    def count(f: Figure) -> str:
        return _fmt_count(f.count, threshold)

    def reviews(f: Figure) -> str:
        return "—" if isinstance(suppress(f.count, threshold), str) else i18n.format_number(f.amount)

    story.append(Paragraph(escape(_("PEPs")), styles.h2))
    rows = [[_("Figure"), _("Learners"), _("PEP reviews")],
            [_("Learners in scope"), count(d.learners), ""],
            [_("Next PEP due within 20 school days (today)"), count(d.due_soon), ""],
            [_("Next PEP overdue (today)"), count(d.overdue), ""],
            [_("PEP reviews due in the period"), count(d.reviews_due), reviews(d.reviews_due)],
            [_("Completed on time"), count(d.completed_on_time), reviews(d.completed_on_time)],
            [_("Completed late"), count(d.completed_late), reviews(d.completed_late)],
            [_("Not completed"), count(d.not_completed), reviews(d.not_completed)],
            [_("First PEPs due in the period"), count(d.first_peps_due), ""],
            [_("First PEPs within timescale"), count(d.first_peps_on_time), ""]]
    rows += [[_("Quality rating: {rating}").format(rating=model.enum_label("rating", r)), count(f), reviews(f)]
             for r, f in d.ratings.items()]
    story.append(_table(rows, [w * 0.6, w * 0.2, w * 0.2], styles))

    story.append(Paragraph(escape(_("Attendance, exclusions and well-being")), styles.h2))
    rows = [[_("Figure"), _("Learners"), _("Value")]]
    rows += [[band_label(b), count(d.bands[b]), ""] for b in BANDS]
    rows += [[_("Attendance not recorded"), count(d.no_attendance), ""],
             [_("Fixed-term exclusions (days)"), count(d.fixed_term),
              "—" if isinstance(suppress(d.fixed_term.count, threshold), str) else i18n.format_number(d.fixed_term.amount)],
             [_("Permanent exclusions"), count(d.permanent), reviews(d.permanent)],
             [_("On a reduced timetable"), count(d.reduced_timetable), ""],
             [_("Well-being concerns"), count(d.wellbeing_concerns), ""]]
    story.append(_table(rows, [w * 0.6, w * 0.2, w * 0.2], styles))

    def withheld(f: Figure) -> bool:
        return isinstance(suppress(f.count, threshold), str)

    # Terms still to come have no figures: they are left out (as on the dashboard), and the
    # term we are in is marked.
    shown_terms = d.terms_so_far()
    terms = [_("{term} (this term)").format(term=t.label) if d.is_current(t) else t.label for t in shown_terms]
    att = [None if withheld(t.attendance) else t.attendance.value for t in shown_terms]
    story.append(Spacer(1, 4 * mm))
    story.append(_chart(_("Attendance by term (%)"), terms, att,
                        [_fmt_count(t.attendance.count, threshold) if withheld(t.attendance) or t.attendance.value is None
                         else i18n.format_percent(t.attendance.value) for t in shown_terms], unit_max=100))
    days = [None if withheld(t.fixed_term) else t.fixed_term.amount for t in shown_terms]
    story.append(_chart(_("Fixed-term exclusions by term (days)"), terms, days,
                        [_fmt_count(t.fixed_term.count, threshold) if withheld(t.fixed_term)
                         else i18n.format_number(t.fixed_term.amount) for t in shown_terms]))
    rows = [[_("Term"), _("Attendance"), _("Fixed-term: learners"), _("Fixed-term: days"), _("Permanent")]]
    for label, t, value in zip(terms, shown_terms, att):
        rows.append([label, "—" if value is None else i18n.format_percent(t.attendance.value),
                     count(t.fixed_term), "—" if withheld(t.fixed_term) else i18n.format_number(t.fixed_term.amount),
                     count(t.permanent)])
    story.append(_table(rows, [w * 0.28, w * 0.18, w * 0.18, w * 0.18, w * 0.18], styles))

    story.append(Paragraph(escape(_("Interventions and PDG-CLA spend")), styles.h2))
    kinds = [model.enum_label("intervention_kind", i.kind) for i in d.interventions]
    spend = [None if withheld(i.learners) else i.pdg_cla_pence / 100 for i in d.interventions]
    story.append(_hbar_chart(_("PDG-CLA spend by kind of support"), [
        (kind, value, _fmt_count(i.learners.count, threshold) if withheld(i.learners) else i18n.format_money(i.pdg_cla_pence))
        for kind, value, i in zip(kinds, spend, d.interventions)]))
    rows = [[_("Kind of support"), _("Learners"), _("Interventions"), _("Cost"), _("PDG-CLA spend")]]
    for i in d.interventions:
        hidden = withheld(i.learners)
        rows.append([model.enum_label("intervention_kind", i.kind), count(i.learners),
                     "—" if hidden else i18n.format_number(i.learners.amount),
                     "—" if hidden else i18n.format_money(i.cost_pence),
                     "—" if hidden else i18n.format_money(i.pdg_cla_pence)])
    rows.append([_("Total"), count(d.spend_pence), "", i18n.format_money(d.spend_pence.amount),
                 i18n.format_money(d.pdg_cla_pence.amount)])
    story.append(_table(rows, [w * 0.32, w * 0.14, w * 0.16, w * 0.19, w * 0.19], styles))

    if d.funding is not None and d.funding.has_data:
        story += _funding_story(d.funding, threshold, styles)

    story.append(Paragraph(escape(_("PEP completion by school")), styles.h2))
    shown = [s for s in d.schools if s.due.amount]
    rates = [None if withheld(s.due) else s.rate for s in shown]
    # The chart shows the schools to chase first, as the dashboard does: the lowest on-time rates,
    # whole names, the average as a line (the table has them all).
    charted = [s for s in d.schools_worst_first() if not withheld(s.due)][:CHART_SCHOOLS]
    rate = None if withheld(d.reviews_due) else d.completion_rate()
    story.append(_hbar_chart(_("PEP reviews completed on time: the {n} lowest schools (%)").format(n=len(charted)),
                             [(s.name, s.rate, i18n.format_percent(s.rate, 0)) for s in charted], unit_max=100,
                             reference=(rate, _("Average {rate}").format(rate=i18n.format_percent(rate, 0)))
                             if rate is not None else None))
    rows = [[_("School"), _("Learners"), _("Reviews due"), _("On time")]]
    for s, rate in zip(shown, rates):
        rows.append([s.name, count(s.due), "—" if rate is None else i18n.format_number(s.due.amount),
                     "—" if rate is None else i18n.format_percent(rate, 0)])
    story.append(_table(rows, [w * 0.52, w * 0.16, w * 0.16, w * 0.16], styles))
    story.append(layout.Finish())
    doc.build(story)
    return doc.page_count


def _funding_story(f, threshold: int, styles) -> list:
    """PDG-CLA requests: requested, approved, spent and remaining, by kind of support and by school."""
    from ..domain.funding import year_label

    w = layout.FRAME_WIDTH
    out: list = [Paragraph(escape(_("PDG-CLA funding requests")), styles.h2)]
    years = ", ".join(year_label(y) for y in f.years)
    t = f.total
    out.append(Paragraph(escape(_("Financial year {years}: allocation {allocation}, approved {approved}, spent {spent}, "
                                  "remaining {remaining}.").format(
        years=years, allocation="—" if t.allocation_pence is None else i18n.format_money(t.allocation_pence),
        approved=i18n.format_money(t.approved_pence), spent=i18n.format_money(t.spent_pence),
        remaining="—" if t.remaining_pence is None else i18n.format_money(t.remaining_pence))), styles.body))

    def row(label: str, line) -> list[str]:
        if 0 < line.requests < threshold:
            return [label, _fmt_count(line.requests, threshold), "—", "—", "—", "—"]
        return [label, i18n.format_number(line.requests), i18n.format_money(line.requested_pence),
                i18n.format_money(line.approved_pence), i18n.format_money(line.spent_pence),
                "—" if line.remaining_pence is None else i18n.format_money(line.remaining_pence)]
    head = [_("Requests"), _("Requested"), _("Approved"), _("Spent"), _("Remaining")]
    widths = [w * 0.3, w * 0.12, w * 0.145, w * 0.145, w * 0.145, w * 0.145]
    rows = [[_("Kind of support")] + head]
    rows += [row(model.enum_label("funding_kind", line.key), line) for line in f.by_kind]
    rows.append(row(_("Total"), t))
    out.append(_table(rows, widths, styles))
    out.append(Spacer(1, 3 * mm))
    rows = [[_("School")] + head]
    rows += [row(f.school_names.get(line.key) or _("School not known"), line) for line in f.by_school]
    out.append(_table(rows, widths, styles))
    return out
