"""My PEP: one page for the learner, in their language, in plain words and large type.

What we agreed (the targets, in the words they were written in), who helps (the people
around the learner), and when we meet next. It must fit one page: the type shrinks a little
if it has to (never below a comfortable size), and if there is still too much, the last
targets are left for the full plan with a line that says so.
"""

from __future__ import annotations

import datetime as dt

from ..domain import model, sections
from ..i18n import N_
from .document import ReviewData
from .lang import Labels, catalog, gettext_in

MY_PEP = N_("My PEP")
HELLO = N_("Hello {name}. This is what we agreed at your meeting on {date}.")
HELLO_NO_DATE = N_("Hello {name}. This is what we agreed for you.")
AGREED = N_("What we agreed")
NOTHING_AGREED = N_("We have not written down any targets yet.")
HELPS = N_("{who} will help.")
BY = N_("By {date}.")
WHO_HELPS = N_("Who helps me")
NEXT = N_("When we meet next")
NEXT_DATE = N_("We will meet again on {date}.")
NEXT_UNKNOWN = N_("We will tell you the date of the next meeting soon.")
ASK = N_("If you have a question about your plan, you can ask any of the people above.")
# What the review's phase brings (domain/sections.py): a young person's course and aspiration,
# a young child's key person.
MY_COURSE = N_("My course or training")
COURSE_AT = N_("{course} at {provider}.")
MY_ASPIRATION = N_("What I want to do")
KEY_PERSON = N_("My key person")
KEY_PERSON_TEXT = N_("{name} looks after you at your setting.")

HELPER_ROLES = ("designated_person", "carer", "social_worker", "mentor", "aln_coordinator", "lace_coordinator",
                "virtual_school_head", "iro")


def learner_language(data: ReviewData, fallback: str) -> str:
    for key in ("preferred_language", "communication_language", "first_language"):
        value = data.learner.get(key)
        if value in ("cy", "en"):
            return value
    meeting = data.review.get("meeting_language")
    return meeting if meeting in ("cy", "en") else fallback


def _page_story(data: ReviewData, lang: str, styles, scale: float, limit: int | None):
    """The flowables of My PEP in one language; `limit` keeps only the first targets."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    from . import layout

    t = lambda message, **v: gettext_in(lang, message).format(**v) if v else gettext_in(lang, message)  # noqa: E731
    body = ParagraphStyle("mp_body", parent=styles.body, fontSize=14 * scale, leading=19 * scale, spaceAfter=5 * scale)
    bullet = ParagraphStyle("mp_bullet", parent=body, leftIndent=16 * scale, bulletIndent=2, spaceAfter=7 * scale)
    head = ParagraphStyle("mp_head", parent=body, fontName=layout.fonts.BOLD, fontSize=17 * scale,
                          leading=22 * scale, textColor=layout.ACCENT, spaceBefore=12 * scale, spaceAfter=5 * scale)
    title = ParagraphStyle("mp_title", parent=styles.title, fontSize=26 * scale, leading=31 * scale)
    learner, review = data.learner, data.review
    name = learner.get("preferred_name") or learner["legal_forename"]
    from babel import dates

    from .lang import BABEL_LOCALES

    def day(value: str) -> str:
        return dates.format_date(dt.date.fromisoformat(value), format="full", locale=BABEL_LOCALES[lang])

    out = [Paragraph(layout.escape(t(MY_PEP)), title)]
    if review.get("meeting_date"):
        out.append(Paragraph(layout.escape(t(HELLO, name=name, date=day(review["meeting_date"]))), body))
    else:
        out.append(Paragraph(layout.escape(t(HELLO_NO_DATE, name=name)), body))
    out.append(Paragraph(layout.escape(t(AGREED)), head))
    targets = review["targets"]
    shown = targets if limit is None else targets[:limit]
    if not targets:
        out.append(Paragraph(layout.escape(t(NOTHING_AGREED)), body))
    for target in shown:
        text = layout.esc(target["description"])
        extra = []
        if target.get("responsible"):
            extra.append(t(HELPS, who=target["responsible"]))
        if target.get("due_date"):
            extra.append(t(BY, date=dates.format_date(dt.date.fromisoformat(target["due_date"]), format="long",
                                                       locale=BABEL_LOCALES[lang])))
        if extra:
            text += f' <font color="{layout.MUTED_HEX}">{layout.escape(" ".join(extra))}</font>'
        out.append(Paragraph(text, bullet, bulletText="•"))
    hidden = len(targets) - len(shown)
    if hidden:
        more = catalog(lang).ngettext("…and {n} more thing in your full plan.",
                                      "…and {n} more things in your full plan.", hidden).format(n=hidden)
        out.append(Paragraph(layout.escape(more), body))
    out += _phase_part(data, t, body, head)
    helpers = sorted((c for c in data.contacts if c["role"] in HELPER_ROLES),
                     key=lambda c: HELPER_ROLES.index(c["role"]))
    if helpers:
        out.append(Paragraph(layout.escape(t(WHO_HELPS)), head))
        for c in helpers:
            role = gettext_in(lang, model.ENUMS["contact_role"][c["role"]])
            out.append(Paragraph(f"<b>{layout.escape(c['name'])}</b> — {layout.escape(role)}", bullet, bulletText="•"))
    out.append(Paragraph(layout.escape(t(NEXT)), head))
    if review.get("next_review_date"):
        out.append(Paragraph(layout.escape(t(NEXT_DATE, date=day(review["next_review_date"]))), body))
    else:
        out.append(Paragraph(layout.escape(t(NEXT_UNKNOWN)), body))
    if data.drawings:
        from . import attachments

        out.append(Paragraph(layout.escape(t(attachments.DRAWINGS)), head))
        out += attachments.drawing_flowables(data.drawings, layout.FRAME_WIDTH, 150 * scale)
    out.append(Spacer(1, 8 * scale))
    out.append(Paragraph(layout.escape(t(ASK)), body))
    return out


def _phase_part(data: ReviewData, t, body, head) -> list:
    from reportlab.platypus import Paragraph

    from . import layout

    review = data.review
    plan = sections.sections_for(review, data.learner, enrolments=data.enrolments)
    out = []
    if plan.shows("course") and review.get("course_title"):
        course = review["course_title"]
        text = t(COURSE_AT, course=course, provider=review["course_provider"]) if review.get("course_provider") \
            else course
        out += [Paragraph(layout.escape(t(MY_COURSE)), head), Paragraph(layout.escape(text), body)]
    if plan.shows("aspiration") and review.get("aspiration"):
        out += [Paragraph(layout.escape(t(MY_ASPIRATION)), head), Paragraph(layout.esc(review["aspiration"]), body)]
    if plan.shows("early_years") and review.get("ey_key_person"):
        out += [Paragraph(layout.escape(t(KEY_PERSON)), head),
                Paragraph(layout.escape(t(KEY_PERSON_TEXT, name=review["ey_key_person"])), body)]
    return out


def _height(flowables, width: float) -> float:
    total = 0.0
    for i, f in enumerate(flowables):
        _w, h = f.wrap(width, 10_000)
        total += h + (f.getSpaceBefore() if i else 0) + f.getSpaceAfter()
    return total


def fitted_page(data: ReviewData, lang: str, styles) -> list:
    """My PEP in one language, fitted to one page."""
    from . import layout

    available = layout.FRAME_HEIGHT - 4
    for scale in (1.0, 0.93, 0.86, 0.8):
        story = _page_story(data, lang, styles, scale, None)
        if _height(story, layout.FRAME_WIDTH) <= available:
            return story
    targets = len(data.review["targets"])
    for limit in range(targets - 1, -1, -1):
        story = _page_story(data, lang, styles, 0.8, limit)
        if _height(story, layout.FRAME_WIDTH) <= available:
            return story
    return _page_story(data, lang, styles, 0.8, 0)


def build_my_pep(target, data: ReviewData, labels: Labels, *, generated_at: dt.datetime, author: str = ""):
    """One page per language of `labels` (so 'both' gives a Welsh page, then an English one)."""
    from reportlab.platypus import PageBreak

    from . import layout

    styles = layout.make_styles()
    info = layout.DocInfo(title=f"{labels.text(MY_PEP)} — {data.reference}", author=author,
                          subject=labels.text(MY_PEP), generated_at=data.finalised_at or generated_at,
                          record_dated=data.finalised_at is not None, keywords=data.reference)
    doc = layout.PepDocTemplate(target, labels, styles, info, layout.PageContext(header="", draft=data.draft))
    story = []
    for i, lang in enumerate(labels.langs):
        if i:
            story.append(PageBreak())
        story += fitted_page(data, lang, styles)
    story.append(layout.Finish())
    doc.build(story)
    return doc
