"""The PEP document: one review of one learner, every section of the PEP that has content.

`load_review` reads what the document needs from the store; `pep_story` turns it into
reportlab flowables (used alone for a PEP, or one learner after another in a pack);
`render_review` writes the PDF. The sections follow shared/PEP.md in order. Free text
appears once, in the language it was written in, marked with that language where the reader
could not otherwise tell; every fixed label comes from the catalogs, in Welsh, English or
both (Welsh first).

Long free text never overflows a table cell: a cell holds the first few hundred characters
and the rest follows the table as a numbered continuation.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from ..domain import model, sections
from ..errors import UsageError
from ..i18n import N_, _
from .lang import Labels, gettext_in

# --- words of the document (translated per document by Labels) ----------------------------
TITLE = N_("Personal Education Plan")
S_ABOUT = N_("About the learner")
S_CARE = N_("Care")
S_CONTACTS = N_("Contacts")
S_HISTORY = N_("Education history")
S_ARRANGEMENTS = N_("Current arrangements and support")
S_ATTENDANCE = N_("Attendance and exclusions")
S_ALN = N_("Additional learning needs")
S_PROGRESS = N_("Progress and attainment")
S_WELLBEING = N_("Health and well-being")
S_ABOUT_ME = N_("All about me")
S_VIEWS = N_("Views of the carer and professionals")
S_LEISURE = N_("Leisure interests")
S_TARGETS = N_("Targets")
S_INTERVENTIONS = N_("Support and interventions")
S_TRANSITION = N_("Transition")
S_ACTIONS = N_("Actions")
S_MEETING = N_("Meeting and sign-off")
L_NAME = N_("Name")
L_REFERENCE = N_("Reference")
L_SCHOOL = N_("School")
L_PERIOD = N_("Period")
L_PERIOD_VALUE = N_("{start} to {end}")
L_CURRENT_PLACEMENT = N_("Current placement")
L_PLACEMENTS = N_("Number of placements")
L_SINCE = N_("since {date}")
L_EXCLUSIONS = N_("Exclusions")
L_NO_EXCLUSIONS = N_("No exclusions in this period.")
L_PROGRESS_BY_AREA = N_("Progress by area of learning")
L_ABOUT_ME_INTRO = N_("In {name}'s own words.")
L_PDG = N_("PDG-funded")
S_FUNDING = N_("PDG-CLA funding requests")
L_DECISION = N_("Decision")
L_SPENT = N_("Spent")
L_FUNDING_NOTE = N_("Decisions and spend are recorded after the review too: this is how they stood when the "
                    "document was made.")
L_NEW_TARGET = N_("New target")
L_FROM = N_("From")
L_TO = N_("To")
L_ATTENDEES = N_("Who took part")
L_SIGNATURE = N_("Signature")
L_SIGNOFF = N_("Signatures")
L_AGREES = N_("Agrees")
L_CONTINUED_HEAD = N_("Continued from the table above")
L_CONTINUED = N_("{item} {number}, continued")
L_STILL_DRAFT = N_("This is a draft. It has not been finalised or signed, and it may change.")
L_UNSIGNED = N_("This copy is not signed electronically.")
L_AMENDS = N_("This review amends the review of {date}.")
L_SIGNED_HEAD = N_("Signed electronically")
L_SIGNER = N_("Signed by")
L_ROLE = N_("Role")
L_TIME = N_("Signed at")
L_CERTIFICATE = N_("Certificate")
L_SELF_ISSUED = N_("self-issued by this VSM Desktop profile, not yet issued by the local authority")
L_SIGNATURE_NOTE = N_("Any change to this file after signing invalidates the signature. "
                      "Check it with a PDF reader or “vsm-desktop verify”.")
L_YES = N_("Yes")
L_NO = N_("No")
L_NOW = N_("now")
L_PHASE = N_("Phase")
L_OVERRIDDEN = N_("(overridden)")
L_ADDED_SECTION = N_("Section added to this review")

HEADING_ROOM = 90  # points: a section heading and a few lines under it
CELL_LIMIT = 700   # characters of free text in a table cell; the rest follows the table


@dataclass
class SignatureInfo:
    """What the visible signature block says; the same time goes into the signature."""

    signer: str
    role: str | None
    time: dt.datetime
    self_issued: bool = True


@dataclass
class ReviewData:
    learner: dict
    review: dict
    contacts: list[dict]
    placements: list[dict]
    enrolments: list[dict]
    school: dict | None
    authority: str
    earlier_targets: dict[str, dict] = field(default_factory=dict)
    amended_date: str | None = None
    attachments: list[dict] = field(default_factory=list)   # what the PEP lists (pdf.attachments)
    drawings: list[bytes] = field(default_factory=list)     # the learner's, in "All about me"

    @property
    def draft(self) -> bool:
        return self.review["status"] != "finalised"

    @property
    def reference(self) -> str:
        return self.learner["reference"]

    @property
    def finalised_at(self) -> dt.datetime | None:
        """A finalised PEP is dated by its record, so that its PDF can be made again identically."""
        stamp = self.review.get("finalised_at")
        if self.draft or not stamp:
            return None
        when = dt.datetime.fromisoformat(stamp)
        return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def resolve_review(store, key: str) -> str:
    """A review id from its id or a unique prefix of at least six characters."""
    key = key.strip().lower()
    row = store.conn.execute("SELECT id FROM reviews WHERE id = ?", (key,)).fetchone()
    if row:
        return row[0]
    if len(key) >= 6 and all(c in "0123456789abcdef" for c in key):
        rows = store.conn.execute("SELECT id FROM reviews WHERE id >= ? AND id < ? LIMIT 2", (key, key + "g")).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    raise UsageError(_("No PEP review {key} in this store.").format(key=key))


def load_review(store, review_id: str, record: dict | None = None) -> ReviewData:
    review_row = store.get("reviews", review_id)
    if review_row is None:
        raise UsageError(_("No PEP review {key} in this store.").format(key=review_id))
    record = record or store.learner_record(review_row["learner_id"])
    review = next(r for r in record["reviews"] if r["id"] == review_id)
    school = _school_at(record["enrolments"], review["period_end"])
    authority = record["learner"].get("responsible_authority") or (school or {}).get("local_authority") or ""
    earlier = {t["id"]: t for r in record["reviews"] if r["id"] != review_id for t in r["targets"]}
    amended = next((r for r in record["reviews"] if r["id"] == review.get("amends_review_id")), None)
    from . import attachments

    items = attachments.for_review(store, review)
    return ReviewData(
        learner=record["learner"], review=review, contacts=record["contacts"], placements=record["placements"],
        enrolments=record["enrolments"], school=school, authority=authority, earlier_targets=earlier,
        amended_date=(amended["meeting_date"] or amended["due_date"]) if amended else None,
        attachments=items, drawings=attachments.drawings(store, items),
    )


def _school_at(enrolments: list[dict], day: str) -> dict | None:
    """The school the learner attended at the end of the review period (else the latest)."""
    best = None
    for e in sorted(enrolments, key=lambda e: e["start_date"]):
        if e["start_date"] <= day and (e["end_date"] is None or e["end_date"] >= day):
            best = e
    if best is None and enrolments:
        best = max(enrolments, key=lambda e: e["start_date"])
    return (best or {}).get("school")


def document_title(labels: Labels, data: ReviewData) -> str:
    review = data.review
    kind = labels.join(gettext_in(lang, model.ENUMS["review_type"][review["review_type"]]) for lang in labels.langs)
    when = labels.date(review["meeting_date"] or review["due_date"], "medium")
    return f"{labels.text(TITLE)} — {data.reference} — {kind}, {when}"


# --- the story ----------------------------------------------------------------------------

class _Story:
    """Builds the flowables of one PEP, section by section."""

    def __init__(self, labels: Labels, styles, key: str, level: int):
        from . import layout

        self.L, self.S, self.key, self.level, self.layout = labels, styles, key, level, layout
        self.out: list = []
        self.section = ""
        self._overflow: list[tuple[str, int, str, str | None]] = []

    # words
    def t(self, message: str, **values) -> str:
        return self.L.text(message, **values)

    def bi(self, message: str, stacked: bool = False, **values) -> str:
        return self.layout.bi(self.L, message, stacked=stacked, **values)

    def enum(self, enum: str, value: str | None) -> str:
        if value is None:
            return "—"
        label = model.ENUMS[enum].get(value, value)
        return self.L.join(gettext_in(lang, label) for lang in self.L.langs)

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return "—"
        return self.t(L_YES if value else L_NO)

    def field_label(self, entity: str, name: str) -> str:
        return model.entity(entity).field(name).label

    def lang_tag(self, text_lang: str | None) -> str:
        """'[Saesneg]' before free text in another language than the document's; never before
        text in the document's own language (Welsh in a Welsh or bilingual PEP)."""
        if not text_lang:
            return ""
        if text_lang in self.L.langs:   # the document's own language(s): a tag would be noise
            return ""
        if self.L.both:
            tag = self.L.text(model.ENUMS["lang"]["other"])
        elif text_lang != self.L.primary:
            tag = gettext_in(self.L.primary, model.ENUMS["lang"][text_lang])
        else:
            return ""
        return f'<font size="7" color="{self.layout.MUTED_HEX}">[{self.layout.escape(tag)}]</font> '

    # building blocks
    def heading(self, message: str, name: str) -> None:
        from .layout import Heading

        from reportlab.platypus import CondPageBreak

        self.section = message
        # A heading never sits alone at the foot of a page: it starts a new one unless there is
        # room for it and the first lines under it (keepWithNext does the rest).
        self.out.append(CondPageBreak(HEADING_ROOM))
        self.out.append(Heading(self.bi(message), self.S.h2, outline=self.t(message),
                                key=f"{self.key}-{name}", level=self.level))

    def para(self, markup: str, style=None) -> None:
        from .layout import Para

        self.out.append(Para(markup, style or self.S.body))

    def text_field(self, label: str, text: str | None, text_lang: str | None, *, voice: bool = False) -> bool:
        if not text:
            return False
        from .layout import Para

        if label != self.section:  # "Transition" under the heading "Transition" says nothing
            self.out.append(Para(self.bi(label), self.S.voice_label if voice else self.S.label))
        style = self.S.voice if voice else self.S.body
        tag = self.lang_tag(text_lang)
        for i, block in enumerate(_blocks(text)):
            self.out.append(Para((tag if i == 0 else "") + self.layout.esc(block), style))
        return True

    def kv(self, pairs: list[tuple[str, str]], columns: int = 2) -> None:
        """Short facts as a grid of label/value pairs."""
        from reportlab.platypus import TableStyle

        from .layout import Para

        pairs = [(label, value) for label, value in pairs if value not in (None, "", "—")]
        if not pairs:
            return
        L = self.layout
        rows = []
        per_row = columns
        for i in range(0, len(pairs), per_row):
            row = []
            for label, value in pairs[i:i + per_row]:
                row += [Para(f'<font color="{L.MUTED_HEX}">{self.bi(label, stacked=self.L.both)}</font>', self.S.cell),
                        Para(L.esc(value), self.S.cell)]
            row += [""] * (2 * per_row - len(row))
            rows.append(row)
        width = L.FRAME_WIDTH
        label_w = (0.22 if self.L.both else 0.19) * width if columns == 2 else 0.3 * width
        value_w = width / columns - label_w
        table = L.Grid(rows, colWidths=[label_w, value_w] * columns, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), L.fonts.REGULAR, 8.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, L.RULE),
        ]))
        self.out.append(table)
        self.spacer(4)

    def spacer(self, height: float) -> None:
        from reportlab.platypus import Spacer

        self.out.append(Spacer(1, height))

    def cell(self, text: str | None, text_lang: str | None = None, item: str | None = None,
             number: int | None = None, *, tag: bool = True) -> Any:
        """A table cell of free text; what does not fit is kept for after the table."""
        from .layout import Para

        if not text:
            return Para("—", self.S.cell)
        head, rest = self.layout.cut(text, CELL_LIMIT)
        markup = (self.lang_tag(text_lang) if tag else "") + self.layout.esc(head)
        if rest and item is not None:
            markup += " …"
            self._overflow.append((item, number or 0, rest, text_lang))
        return Para(markup, self.S.cell)

    def plain(self, value: str | None) -> Any:
        from .layout import Para

        return Para(self.layout.esc(value) if value else "—", self.S.cell)

    def table(self, headers: list[str], rows: list[list[Any]], widths: list[float]) -> None:
        from reportlab.platypus import TableStyle

        from .layout import Para

        L = self.layout
        total = sum(widths)
        widths = [w * L.FRAME_WIDTH / total for w in widths]
        head = [Para(self.bi(h, stacked=True), self.S.cell_head) for h in headers]
        table = L.Grid([head] + rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), L.fonts.REGULAR, 8.5),
            ("BACKGROUND", (0, 0), (-1, 0), L.HEAD_BG),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, L.ACCENT),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, L.RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for i in range(2, len(rows) + 1, 2):
            style.append(("BACKGROUND", (0, i), (-1, i), L.ZEBRA))
        table.setStyle(TableStyle(style))
        self.out.append(table)
        self.spacer(6)
        self.flush_overflow()

    def flush_overflow(self) -> None:
        if not self._overflow:
            return
        from .layout import Para

        self.para(self.bi(L_CONTINUED_HEAD), self.S.h3)
        for item, number, rest, text_lang in self._overflow:
            label_parts = [gettext_in(lang, L_CONTINUED).format(item=gettext_in(lang, item), number=number)
                           for lang in self.L.langs]
            self.out.append(Para(self.layout.bi_values(self.L, label_parts), self.S.label))
            for i, block in enumerate(_blocks(rest)):
                self.out.append(Para((self.lang_tag(text_lang) if i == 0 else "") + self.layout.esc(block),
                                          self.S.body))
        self._overflow = []


def _generic_section(s: _Story, plan, key: str, review: dict, *, voice: bool = False) -> None:
    """A section of fields (domain/sections.py) when the review shows it and it holds something:
    the short facts as a grid, then the free text."""
    section = sections.BY_KEY[key]
    if not plan.shows(key) or not sections.has_data(section, review):
        return
    L = s.L
    fr = model.entity("reviews")
    s.heading(section.title, key)
    pairs = []
    for name in section.review_fields:
        f, value = fr.field(name), review.get(name)
        if f.kind == "text" or value is None:
            continue
        if f.kind == "enum":
            text = s.enum(f.enum, value)
        elif f.kind == "bool":
            text = s.yes_no(value)
        elif f.kind == "date":
            text = L.date(value, "long")
        elif f.kind == "pct":
            text = L.percent(value)
        elif f.kind in ("decimal", "int"):
            text = L.number(value)
        else:
            text = str(value)
        pairs.append((f.label, text))
    s.kv(pairs)
    for name in section.review_fields:
        if fr.field(name).kind == "text":
            s.text_field(fr.field(name).label, review.get(name), review.get(name + "_lang"), voice=voice)


def _blocks(text: str) -> list[str]:
    """Paragraphs of free text: blank lines separate them; single line breaks are kept."""
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b.strip()] or [text]


def pep_story(data: ReviewData, labels: Labels, styles, *, key: str = "pep", level: int = 0,
              signature: SignatureInfo | None = None, outline_title: str | None = None,
              unsigned_note: bool = True, logo: str | None = None) -> list:
    """The flowables of one PEP. In a pack, `level` 1 puts its sections under the learner."""
    from reportlab.platypus import CondPageBreak

    from . import layout

    s = _Story(labels, styles, key, level)
    L, S = labels, styles
    learner, review = data.learner, data.review
    out = s.out
    plan = sections.sections_for(review, learner, enrolments=data.enrolments)

    # --- the header of the first page: the authority's logo (if configured) and name
    out.extend(layout.authority_header(data.authority, logo, S))
    title_markup = s.bi(TITLE, stacked=True)
    if outline_title is not None:  # in a pack: the learner's bookmark
        out.append(layout.Heading(title_markup, S.title, outline=outline_title, key=key, level=0))
    else:
        s.para(title_markup, S.title)
    kind = s.enum("review_type", review["review_type"])
    when = L.date(review["meeting_date"], "long") if review["meeting_date"] else None
    subtitle = f"{layout.escape(kind)} · {layout.escape(when)}" if when else layout.escape(kind)
    if data.draft:
        subtitle += f' · <font color="#b03a2e"><b>{layout.escape(s.enum("review_status", review["status"]))}</b></font>'
    s.para(subtitle, S.subtitle)
    name = f"{learner['legal_forename']} {learner['legal_surname']}"
    school = (data.school or {}).get("name")
    s.kv([
        (L_NAME, name),
        (model.entity("learners").field("preferred_name").label, learner.get("preferred_name") or ""),
        (model.entity("learners").field("date_of_birth").label, L.date(learner["date_of_birth"], "long")),
        (L_REFERENCE, learner["reference"]),
        (L_SCHOOL, school or ""),
        (model.entity("reviews").field("review_type").label, kind),
        (L_PERIOD, L.text(L_PERIOD_VALUE, start=L.date(review["period_start"], "long"),
                          end=L.date(review["period_end"], "long")) if not L.both else
         f"{L.table_date(review['period_start'])} – {L.table_date(review['period_end'])}"),
        (model.entity("reviews").field("status").label, s.enum("review_status", review["status"])),
        (L_PHASE, s.enum("phase", plan.phase) + (" " + s.t(L_OVERRIDDEN) if review.get("phase_override") else "")),
    ])
    if review.get("phase_override"):
        s.text_field(model.entity("reviews").field("phase_override_reason").label, review.get("phase_override_reason"),
                     review.get("phase_override_reason_lang"))
    for row in review.get("review_sections") or ():
        if not row.get("deleted"):
            s.para(f'{s.bi(L_ADDED_SECTION)}: <b>{s.bi(sections.BY_KEY[row["section"]].title)}</b> — '
                   + s.lang_tag(row.get("reason_lang")) + layout.esc(row["reason"]), S.note)
    if review.get("amends_review_id"):
        amended = data.amended_date
        if amended:
            s.para(s.bi(L_AMENDS, date=L.date(amended, "long")), S.note)
    if review["review_type"] == "amendment" and review.get("amendment_reason"):
        s.text_field(model.entity("reviews").field("amendment_reason").label, review["amendment_reason"],
                     review.get("amendment_reason_lang"))
    if data.draft:
        s.para(f'<font color="#b03a2e">{s.bi(L_STILL_DRAFT)}</font>', S.note)

    # --- 1 About the learner (left out when none of its facts is recorded, as the other sections)
    fl = model.entity("learners")
    pairs = []
    for fname in ("gender", "ethnicity", "upn", "social_care_id", "first_language", "language_of_learning",
                  "preferred_language", "communication_language", "informed_preference"):
        f = fl.field(fname)
        value = learner.get(fname)
        if value not in (None, ""):
            pairs.append((f.label, s.enum(f.enum, value) if f.kind == "enum" else value))
    if pairs:
        s.heading(S_ABOUT, "about")
        s.kv(pairs)

    # --- 2 Care
    s.heading(S_CARE, "care")
    current = next((p for p in sorted(data.placements, key=lambda p: p["start_date"], reverse=True)
                    if p["end_date"] is None), None)
    placement_text = ""
    if current:
        placement_text = L.join(
            "{kind}, {area}, {since}".format(
                kind=gettext_in(lang, model.ENUMS["placement_type"][current["placement_type"]]),
                area=gettext_in(lang, model.ENUMS["placing_area"][current["placing_area"]]),
                since=L.one(lang, L_SINCE, date=L.table_date(current["start_date"])))
            for lang in L.langs)
    s.kv([
        (fl.field("legal_status").label, s.enum("legal_status", learner["legal_status"])),
        (fl.field("date_looked_after").label, L.date(learner.get("date_looked_after"), "long") if learner.get("date_looked_after") else ""),
        (fl.field("responsible_authority").label, learner.get("responsible_authority") or ""),
        (L_CURRENT_PLACEMENT, placement_text),
        (L_PLACEMENTS, L.number(len(data.placements)) if data.placements else ""),
    ])
    s.text_field(fl.field("parental_responsibility").label, learner.get("parental_responsibility"),
                 learner.get("parental_responsibility_lang"))
    s.text_field(fl.field("day_to_day_consents").label, learner.get("day_to_day_consents"),
                 learner.get("day_to_day_consents_lang"))

    # --- 3 Contacts
    if data.contacts:
        s.heading(S_CONTACTS, "contacts")
        fc = model.entity("contacts")
        rows = [[s.plain(s.enum("contact_role", c["role"])), s.plain(c["name"]), s.plain(c["organisation"]),
                 s.plain(c["phone"]), s.plain(c["email"])] for c in data.contacts]
        s.table([fc.field("role").label, fc.field("name").label, fc.field("organisation").label,
                 fc.field("phone").label, fc.field("email").label], rows, [88, 100, 113, 68, 124])

    # --- 4 Education history
    if data.enrolments:
        s.heading(S_HISTORY, "history")
        fe = model.entity("enrolments")
        rows = []
        for i, e in enumerate(sorted(data.enrolments, key=lambda e: e["start_date"]), 1):
            rows.append([
                s.plain((e.get("school") or {}).get("name")), s.plain(L.table_date(e["start_date"])),
                s.plain(L.table_date(e["end_date"]) if e["end_date"] else L.text(L_NOW)),
                s.cell(e.get("reason_for_move"), e.get("reason_for_move_lang"), fe.field("reason_for_move").label, i),
                s.plain(s.yes_no(e.get("reduced_timetable"))),
                s.cell(e.get("gap_in_education"), e.get("gap_in_education_lang"), fe.field("gap_in_education").label, i),
            ])
        s.table([L_SCHOOL, L_FROM, L_TO, fe.field("reason_for_move").label, fe.field("reduced_timetable").label,
                 fe.field("gap_in_education").label], rows, [122, 55, 55, 106, 57, 98])

    fr = model.entity("reviews")
    # --- current arrangements (statutory: the support that promotes achievement; disruption)
    if review.get("current_arrangements") or review.get("disruption_plan"):
        s.heading(S_ARRANGEMENTS, "arrangements")
        s.text_field(fr.field("current_arrangements").label, review.get("current_arrangements"),
                     review.get("current_arrangements_lang"))
        s.text_field(fr.field("disruption_plan").label, review.get("disruption_plan"), review.get("disruption_plan_lang"))

    # --- 5 Attendance and exclusions
    s.heading(S_ATTENDANCE, "attendance")
    s.kv([
        (fr.field("attendance_pct").label, L.percent(review.get("attendance_pct")) if review.get("attendance_pct") is not None else ""),
        (fr.field("authorised_absence_pct").label, L.percent(review.get("authorised_absence_pct")) if review.get("authorised_absence_pct") is not None else ""),
        (fr.field("unauthorised_absence_pct").label, L.percent(review.get("unauthorised_absence_pct")) if review.get("unauthorised_absence_pct") is not None else ""),
        (fr.field("reduced_timetable").label, s.yes_no(review.get("reduced_timetable")) if review.get("reduced_timetable") is not None else ""),
    ])
    s.text_field(fr.field("alternative_provision").label, review.get("alternative_provision"),
                 review.get("alternative_provision_lang"))
    s.para(s.bi(L_EXCLUSIONS), S.h3)
    if review["exclusions"]:
        fx = model.entity("exclusions")
        rows = []
        for i, x in enumerate(review["exclusions"], 1):
            rows.append([s.plain(s.enum("exclusion_kind", x["kind"])), s.plain(L.table_date(x["start_date"])),
                         s.plain(L.number(x["days"]) if x.get("days") is not None else "—"),
                         s.cell(x.get("reason"), x.get("reason_lang"), fx.field("reason").label, i)])
        s.table([fx.field("kind").label, fx.field("start_date").label, fx.field("days").label, fx.field("reason").label],
                rows, [90, 70, 56, 277])
    else:
        s.para(s.bi(L_NO_EXCLUSIONS), S.note)

    # --- 6 Additional learning needs
    aln = review.get("aln_status") or learner.get("aln_status")
    if aln or review.get("aln_provision"):
        s.heading(S_ALN, "aln")
        idp = review.get("idp_holder") or learner.get("idp_holder")
        next_idp = review.get("next_idp_review") or learner.get("next_idp_review")
        s.kv([
            (fr.field("aln_status").label, s.enum("aln_status", aln) if aln else ""),
            (fr.field("idp_holder").label, s.enum("idp_holder", idp) if idp else ""),
            (fr.field("next_idp_review").label, L.date(next_idp, "long") if next_idp else ""),
        ])
        s.text_field(fr.field("aln_provision").label, review.get("aln_provision"), review.get("aln_provision_lang"))

    # --- Early years, in place of progress and attainment
    for key_ in ("development", "early_years"):
        _generic_section(s, plan, key_, review)

    # --- 7 Progress and attainment
    if review.get("progress_summary") or review.get("strengths") or review["attainments"]:
        s.heading(S_PROGRESS, "progress")
        s.text_field(fr.field("progress_summary").label, review.get("progress_summary"), review.get("progress_summary_lang"))
        s.text_field(fr.field("strengths").label, review.get("strengths"), review.get("strengths_lang"))
        if review["attainments"]:
            fa = model.entity("attainments")
            s.para(s.bi(L_PROGRESS_BY_AREA), S.h3)
            rows = []
            for i, a in enumerate(review["attainments"], 1):
                rows.append([s.plain(s.enum("area_of_learning", a["area"])), s.plain(a.get("subject")),
                             s.cell(a.get("judgement"), a.get("judgement_lang"), fa.field("judgement").label, i),
                             s.plain(a.get("predicted_grade")), s.plain(a.get("actual_grade"))])
            s.table([fa.field("area").label, fa.field("subject").label, fa.field("judgement").label,
                     fa.field("predicted_grade").label, fa.field("actual_grade").label], rows, [100, 90, 195, 54, 54])

    # --- Post-16: the course or training and qualifications
    _generic_section(s, plan, "course", review)
    if plan.shows("qualifications") and [q for q in review.get("qualifications") or () if not q.get("deleted")]:
        s.heading(sections.BY_KEY["qualifications"].title, "qualifications")
        fq = model.entity("qualifications")
        rows = [[s.plain(q["title"]), s.plain(s.enum("course_level", q.get("level")) if q.get("level") else "—"),
                 s.plain(s.enum("qualification_status", q["status"])), s.plain(q.get("grade") or "—"),
                 s.plain(L.table_date(q["awarded_on"]) if q.get("awarded_on") else "—")]
                for q in review["qualifications"] if not q.get("deleted")]
        s.table([fq.field("title").label, fq.field("level").label, fq.field("status").label, fq.field("grade").label,
                 fq.field("awarded_on").label], rows, [190, 80, 80, 60, 83])

    # --- 8 Health and well-being
    if any(review.get(k) not in (None, "") for k in ("sdq_score", "wellbeing_concern", "wellbeing_notes", "referrals")):
        s.heading(S_WELLBEING, "wellbeing")
        s.kv([
            (fr.field("sdq_score").label, L.number(review["sdq_score"]) if review.get("sdq_score") is not None else ""),
            (fr.field("wellbeing_concern").label, s.yes_no(review.get("wellbeing_concern")) if review.get("wellbeing_concern") is not None else ""),
        ])
        s.text_field(fr.field("wellbeing_notes").label, review.get("wellbeing_notes"), review.get("wellbeing_notes_lang"))
        s.text_field(fr.field("referrals").label, review.get("referrals"), review.get("referrals_lang"))

    # --- 9 All about me: a page of its own, in the learner's words
    voice = ("voice_good_at", "voice_enjoy", "voice_worries", "voice_helps", "voice_future", "voice_trusted_adult")
    if any(review.get(k) for k in voice) or data.drawings:
        # Flows on (no page of its own), but starts where at least its first answers fit.
        out.append(CondPageBreak(180))
        s.heading(S_ABOUT_ME, "aboutme")
        who = learner.get("preferred_name") or learner["legal_forename"]
        s.para(s.bi(L_ABOUT_ME_INTRO, name=who), S.note)
        for k in voice:
            s.text_field(fr.field(k).label, review.get(k), review.get(k + "_lang"), voice=True)
        if data.drawings:
            from . import attachments as pdf_attachments

            s.para(s.bi(pdf_attachments.DRAWINGS), S.voice_label)
            out.extend(pdf_attachments.drawing_flowables(data.drawings, layout.FRAME_WIDTH, 220))

    _generic_section(s, plan, "aspiration", review, voice=True)

    # --- 10 Views; 11 Leisure interests
    if any(review.get(k) for k in ("carer_views", "carer_role", "professional_views")):
        s.heading(S_VIEWS, "views")
        for k in ("carer_views", "carer_role", "professional_views"):
            s.text_field(fr.field(k).label, review.get(k), review.get(k + "_lang"))
    if review.get("leisure_interests"):
        s.heading(S_LEISURE, "leisure")
        s.text_field(fr.field("leisure_interests").label, review["leisure_interests"], review.get("leisure_interests_lang"))

    for key_ in ("careers", "financial", "neet_risk"):
        _generic_section(s, plan, key_, review)

    # --- 12 Targets, with progress since the last review
    if review["targets"]:
        s.heading(S_TARGETS, "targets")
        ft = model.entity("targets")
        rows = []
        for i, t in enumerate(review["targets"], 1):
            if t.get("carried_from_id"):
                progress = s.enum("progress", t["progress"]) if t.get("progress") else "—"
            else:
                progress = s.t(L_NEW_TARGET)
            rows.append([
                s.plain(str(i)),
                s.cell(t["description"], t.get("description_lang"), ft.field("description").label, i),
                s.cell(t.get("support"), t.get("support_lang"), ft.field("support").label, i),
                s.plain(t.get("responsible")), s.plain(L.table_date(t.get("due_date")) if t.get("due_date") else "—"),
                s.plain(s.yes_no(t.get("pdg_funded"))), s.plain(progress),
            ])
        s.table(["#", ft.field("description").label, ft.field("support").label, ft.field("responsible").label,
                 ft.field("due_date").label, L_PDG, ft.field("progress").label], rows, [20, 130, 106, 66, 56, 58, 62])

    # --- 13 Support and interventions
    if review["interventions"]:
        s.heading(S_INTERVENTIONS, "interventions")
        fi = model.entity("interventions")
        rows = []
        for i, v in enumerate(review["interventions"], 1):
            rows.append([
                s.plain(s.enum("intervention_kind", v["kind"])), s.plain(v.get("provider")),
                s.plain(L.table_date(v.get("start_date")) if v.get("start_date") else "—"),
                s.plain(L.table_date(v.get("end_date")) if v.get("end_date") else "—"),
                s.plain(L.money(v["cost_pence"]) if v.get("cost_pence") is not None else "—"),
                s.plain(s.enum("funding", v.get("funding")) if v.get("funding") else "—"),
                s.cell(v.get("outcome"), v.get("outcome_lang"), fi.field("outcome").label, i),
            ])
        s.table([fi.field("kind").label, fi.field("provider").label, L_FROM, L_TO, fi.field("cost_pence").label,
                 fi.field("funding").label, fi.field("outcome").label], rows, [68, 80, 52, 52, 55, 78, 108])

    # --- 13 (continued) PDG-CLA funding: decided and spent after the review too, so as they stand now
    _funding_table(s, review)

    # --- Circumstances: transition, alternative provision, reduced timetable, NEET
    for key_ in ("transition", "alternative_provision", "reduced_timetable", "neet"):
        _generic_section(s, plan, key_, review)

    # --- 15 Actions
    if review["actions"]:
        s.heading(S_ACTIONS, "actions")
        fa = model.entity("actions")
        rows = [[s.cell(a["description"], a.get("description_lang"), fa.field("description").label, i),
                 s.plain(a.get("owner")), s.plain(L.table_date(a.get("due_date")) if a.get("due_date") else "—"),
                 s.plain(s.yes_no(a.get("done")))] for i, a in enumerate(review["actions"], 1)]
        s.table([fa.field("description").label, fa.field("owner").label, fa.field("due_date").label,
                 fa.field("done").label], rows, [250, 110, 70, 63])

    # --- 16 Meeting and sign-off
    out.append(CondPageBreak(120))
    s.heading(S_MEETING, "meeting")
    s.kv([
        (fr.field("meeting_date").label, L.date(review["meeting_date"], "long") if review.get("meeting_date") else ""),
        (fr.field("meeting_place").label, review.get("meeting_place") or ""),
        (fr.field("meeting_language").label, s.enum("lang", review["meeting_language"]) if review.get("meeting_language") else ""),
        (fr.field("next_review_date").label, L.date(review["next_review_date"], "long") if review.get("next_review_date") else ""),
        (fr.field("finalised_by").label, review.get("finalised_by") or ""),
        (fr.field("finalised_at").label, L.datetime(review["finalised_at"]) if review.get("finalised_at") else ""),
    ])
    if review["attendees"]:
        fa = model.entity("attendees")
        s.para(s.bi(L_ATTENDEES), S.h3)
        rows = []
        for a in review["attendees"]:
            rows.append([s.plain(a["name"]), s.plain(s.enum("contact_role", a["role"])),
                         s.plain(s.enum("attendance_mode", a["attendance"])),
                         s.plain(s.yes_no(a.get("agreed")))])
        s.table([fa.field("name").label, fa.field("role").label, fa.field("attendance").label, L_AGREES],
                rows, [150, 140, 110, 60])
        signoff = signoff_block(s, review["attendees"])
        if signoff is not None:
            out.append(signoff)
    if data.draft:
        s.para(f'<font color="#b03a2e">{s.bi(L_STILL_DRAFT)}</font>', S.body)
    elif signature is not None:
        out.append(signature_block(labels, styles, signature))
    elif unsigned_note:
        s.para(s.bi(L_UNSIGNED), S.note)
    from . import attachments as pdf_attachments

    pdf_attachments.appendix(s, data.attachments)
    return out


def _funding_table(s: "_Story", review: dict) -> None:
    requests = [r for r in review.get("funding_requests") or () if not r.get("deleted")]
    if not requests:
        return
    L = s.L
    spent: dict[str, int] = {}
    for line in review.get("funding_spend") or ():
        if not line.get("deleted"):
            spent[line["request_id"]] = spent.get(line["request_id"], 0) + line["amount_pence"]
    s.heading(S_FUNDING, "funding")
    ff = model.entity("funding_requests")
    rows = []
    for i, r in enumerate(requests, 1):
        decision = s.enum("funding_status", r["status"])
        if r["status"] == "approved" and r.get("approved_pence") is not None:
            decision += " " + L.money(r["approved_pence"])
        if r.get("decided_by") and r["status"] != "requested":
            decision += f" ({r['decided_by']}, {L.table_date((r.get('decided_at') or '')[:10] or None)})"
        reason = r.get("decision_reason")
        rows.append([
            s.plain(s.enum("funding_kind", r["kind"])), s.plain(r.get("provider")), s.plain(L.money(r["amount_pence"])),
            s.cell(r["purpose"], r.get("purpose_lang"), ff.field("purpose").label, i),
            s.cell(decision + (": " + reason if reason else ""), r.get("decision_reason_lang"), L_DECISION, i),
            s.plain(L.money(spent.get(r["id"], 0))),
        ])
    s.table([ff.field("kind").label, ff.field("provider").label, ff.field("amount_pence").label,
             ff.field("purpose").label, L_DECISION, L_SPENT], rows, [66, 70, 52, 130, 120, 52])
    s.para(s.bi(L_FUNDING_NOTE), s.S.note)


def signature_block(labels: Labels, styles, signature: SignatureInfo):
    from reportlab.platypus import KeepTogether

    from . import layout

    lines = [(layout.bi(labels, L_SIGNER), layout.escape(signature.signer))]
    if signature.role:
        lines.append((layout.bi(labels, L_ROLE), layout.escape(signature.role)))
    lines.append((layout.bi(labels, L_TIME), layout.escape(labels.datetime(signature.time, "long"))))
    if signature.self_issued:
        lines.append((layout.bi(labels, L_CERTIFICATE), layout.bi(labels, L_SELF_ISSUED)))
    block = layout.SignatureBlock(labels, styles, lines, layout.bi(labels, L_SIGNED_HEAD), layout.bi(labels, L_SIGNATURE_NOTE))
    return KeepTogether([_spacer(6), block])


def _spacer(height: float):
    from reportlab.platypus import Spacer

    return Spacer(1, height)


SIGNATURE_BOX_MM = (70.0, 25.0)   # a drawn signature is scaled to fit, aspect kept
SIGNATURE_MIN_MM = (40.0, 15.0)   # and never drawn smaller than this box


def signature_image(encoded: str | None):
    """An attendee's drawn signature (a base64 PNG) at a readable size: scaled to fit 70 × 25 mm
    with its aspect kept, and at least 40 mm wide or 15 mm tall; None when there is none."""
    if not encoded:
        return None
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    try:
        raw = base64.b64decode(encoded, validate=False)
        width, height = ImageReader(io.BytesIO(raw)).getSize()
    except (binascii.Error, ValueError, OSError, Exception):  # a damaged image must not stop the PDF
        return None
    if width <= 0 or height <= 0:
        return None
    box_w, box_h = SIGNATURE_BOX_MM
    scale = min(box_w * mm / width, box_h * mm / height)
    min_w, min_h = SIGNATURE_MIN_MM
    scale = max(scale, min(min_w * mm / width, min_h * mm / height))
    return Image(io.BytesIO(raw), width=width * scale, height=height * scale, hAlign="LEFT")


def signoff_block(s: _Story, attendees: list[dict]):
    """Sign-off: each signature large, a line, and under it the name, role, attendance and the
    date it was signed; two to a row, kept together."""
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, KeepTogether, Spacer, Table, TableStyle

    from .layout import Para

    signed = [(a, signature_image(a.get("signature_png"))) for a in attendees]
    signed = [(a, image) for a, image in signed if image is not None]
    if not signed:
        return None
    L, layout = s.L, s.layout
    fa = model.entity("attendees")
    cells = []
    for a, image in signed:
        lines = [layout.esc(a["name"]), layout.escape(s.enum("contact_role", a["role"])),
                 layout.escape(s.enum("attendance_mode", a["attendance"]))]
        if a.get("signed_at"):
            lines.append(f'<font color="{layout.MUTED_HEX}">{s.bi(fa.field("signed_at").label)}:</font> '
                         + layout.escape(L.datetime(a["signed_at"])))
        rule = HRFlowable(width="90%", thickness=0.6, color=layout.RULE, spaceBefore=1, spaceAfter=2, hAlign="LEFT")
        cells.append([Spacer(1, 2 * mm), image, rule, Para("<br/>".join(lines), s.S.cell)])
    half = layout.FRAME_WIDTH / 2
    rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[half, half], hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("FONT", (0, 0), (-1, -1), layout.fonts.REGULAR, 8.5),
             ("LEFTPADDING", (0, 0), (-1, -1), 4),
             ("RIGHTPADDING", (0, 0), (-1, -1), 12), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]
    table.setStyle(TableStyle(style))
    heading = Para(s.bi(L_SIGNOFF), s.S.h3)
    return KeepTogether([heading, table])


# --- writing a PEP -------------------------------------------------------------------------

def build_pdf(target, data: ReviewData, labels: Labels, *, generated_at: dt.datetime,
              signature: SignatureInfo | None = None, author: str = "", logo: str | None = None):
    """Lays out one PEP into `target` (a path or a binary file); returns the doc template,
    which knows where the signature block landed."""
    from . import layout

    styles = layout.make_styles()
    author = (data.review.get("finalised_by") or author) if data.finalised_at else author
    info = layout.DocInfo(title=document_title(labels, data), author=author or "",
                          subject=labels.text(TITLE), generated_at=data.finalised_at or generated_at,
                          record_dated=data.finalised_at is not None,
                          keywords=data.reference)
    context = layout.PageContext(header=f"{labels.text(TITLE)} · {data.reference}", draft=data.draft)
    doc = layout.PepDocTemplate(target, labels, styles, info, context)
    story = pep_story(data, labels, styles, signature=signature, logo=logo)
    from reportlab.platypus import NextPageTemplate

    story.insert(0, NextPageTemplate("later"))
    story.append(layout.Finish())
    doc.build(story)
    return doc
