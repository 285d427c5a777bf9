"""The PEP domain model: every entity, every field, their types and their rules.

One declaration drives validation, the store's columns (checked against the migrations by a
test), the change log, the JSON export and its JSON Schema. Entities follow the sections of
a PEP (see shared/PEP.md). Values are JSON-native: dates are ISO strings, booleans are
bool, money is integer pence, percentages are floats 0-100.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable

from ..i18n import N_, _, format_percent
from .sections import SECTIONS

LANGS = ("cy", "en", "other")

# Enumerations: value -> English label (marked for translation). Order is display order.
ENUMS: dict[str, dict[str, str]] = {
    "lang": {"cy": N_("Welsh"), "en": N_("English"), "other": N_("Other language")},
    "gender": {
        "female": N_("Female"), "male": N_("Male"), "non_binary": N_("Non-binary"),
        "other": N_("Other"), "not_stated": N_("Prefers not to say"),
    },
    "ethnicity": {
        "white": N_("White"), "mixed": N_("Mixed or multiple ethnic groups"),
        "asian": N_("Asian or Asian British"), "black": N_("Black or Black British"),
        "gypsy_roma_traveller": N_("Gypsy, Roma or Traveller"), "other": N_("Other ethnic group"),
        "not_stated": N_("Not stated"),
    },
    "language_of_learning": {
        "welsh_medium": N_("Welsh-medium"), "english_medium": N_("English-medium"),
        "bilingual": N_("Bilingual"), "other": N_("Other"),
    },
    "informed_preference": {
        "when_settled": N_("Only when decisions are settled"),
        "as_it_develops": N_("As things develop"),
    },
    "legal_status": {
        "care_order": N_("Care order"), "interim_care_order": N_("Interim care order"),
        "voluntary_s76": N_("Voluntary accommodation (s.76)"),
        "placed_with_parents": N_("Placed with parents"), "adopted": N_("Adopted"),
        "sgo": N_("Special guardianship order"), "previously_looked_after": N_("Previously looked after"),
        "care_leaver": N_("Care leaver"),
    },
    "placement_type": {
        "foster": N_("Foster care"), "kinship": N_("Kinship care"), "residential": N_("Residential"),
        "secure": N_("Secure accommodation"), "placed_with_parents": N_("Placed with parents"),
        "other": N_("Other"),
    },
    "placing_area": {
        "in_county": N_("In county"), "out_of_county": N_("Out of county"), "out_of_wales": N_("Out of Wales"),
    },
    "contact_role": {
        "social_worker": N_("Social worker"), "carer": N_("Foster carer or key worker"),
        "designated_person": N_("Designated person"), "lace_coordinator": N_("LACE coordinator"),
        "virtual_school_head": N_("Virtual School Head"), "mentor": N_("Mentor or support worker"),
        "aln_coordinator": N_("ALN coordinator"), "iro": N_("Independent Reviewing Officer"),
        "parent": N_("Parent"), "learner": N_("Learner"), "other": N_("Other"),
    },
    "school_medium": {
        "welsh_medium": N_("Welsh-medium"), "english_medium": N_("English-medium"),
        "bilingual": N_("Bilingual"), "dual_stream": N_("Dual stream"),
    },
    "school_kind": {
        "nursery": N_("Nursery"), "primary": N_("Primary"), "secondary": N_("Secondary"),
        "all_through": N_("All-through"), "special": N_("Special school"),
        "pru": N_("Pupil referral unit"), "college": N_("Further education college"),
        "other": N_("Other setting"),
    },
    "review_type": {
        "initial": N_("Initial PEP"), "termly": N_("Termly review"),
        "school_move": N_("School move review"), "amendment": N_("Amendment"),
    },
    "review_status": {"draft": N_("Draft"), "finalised": N_("Finalised")},
    "aln_status": {
        "none": N_("No additional learning needs"), "under_consideration": N_("Under consideration"),
        "aln": N_("Additional learning needs"),
    },
    "idp_holder": {"none": N_("No IDP"), "school": N_("Maintained by the school"), "la": N_("Maintained by the local authority")},
    "area_of_learning": {
        "expressive_arts": N_("Expressive Arts"), "health_wellbeing": N_("Health and Well-being"),
        "humanities": N_("Humanities"), "languages_literacy": N_("Languages, Literacy and Communication"),
        "maths_numeracy": N_("Mathematics and Numeracy"), "science_technology": N_("Science and Technology"),
        "qualification": N_("Qualification"),
    },
    "progress": {"achieved": N_("Achieved"), "progressing": N_("Progressing"), "not_achieved": N_("Not achieved")},
    "exclusion_kind": {"fixed_term": N_("Fixed-term"), "permanent": N_("Permanent")},
    "intervention_kind": {
        "tutoring": N_("Tutoring"), "mentoring": N_("Mentoring"), "therapy": N_("Therapy"),
        "coaching": N_("Coaching"), "alternative_provision": N_("Alternative provision"),
        "camhs": N_("CAMHS"), "other": N_("Other"),
    },
    "funding": {"pdg_cla": N_("PDG for children looked after"), "core": N_("Core budget"), "other": N_("Other funding")},
    "attendance_mode": {"present": N_("Present"), "apologies": N_("Apologies"), "written": N_("Written contribution")},
    "rating": {"red": N_("Red"), "amber": N_("Amber"), "green": N_("Green")},
    "phase": {"early_years": N_("Early years"), "school_age": N_("School age"), "post16": N_("Post-16")},
    "course_level": {
        "entry": N_("Entry level"), "level1": N_("Level 1"), "level2": N_("Level 2"), "level3": N_("Level 3"),
        "level4": N_("Level 4 or above"),
    },
    "qualification_status": {"studying": N_("Being studied"), "achieved": N_("Achieved")},
    # The sections that can be added to a review with a reason (domain/sections.py).
    "section": {s.key: s.title for s in SECTIONS if s.conditional},
    # PDG-CLA funding requests (vsm_desktop/domain/funding.py)
    "funding_kind": {
        "tutoring": N_("Tutoring"), "mentoring": N_("Mentoring"), "therapeutic": N_("Therapeutic support"),
        "equipment": N_("Equipment and resources"), "activities": N_("Enrichment activities"),
        "transition": N_("Transition support"), "staff_training": N_("Training for staff"),
        "other": N_("Other support"),
    },
    "funding_status": {
        "requested": N_("Requested"), "approved": N_("Approved"), "declined": N_("Declined"),
        "more_info": N_("More information asked for"),
    },
    "person_role": {
        "designated_person": N_("Designated person"), "social_worker": N_("Social worker"),
        "mentor": N_("Mentor or support worker"), "coordinator": N_("LACE coordinator"), "other": N_("Other"),
    },
    "attachment_kind": {
        "idp": N_("Individual Development Plan"), "report": N_("School report"),
        "attendance": N_("Attendance record"), "certificate": N_("Certificate"), "letter": N_("Letter"),
        "photo": N_("Photo"), "drawing": N_("Drawing"), "other": N_("Other document"),
    },
}

# Kinds of field and their SQL storage.
SQL_TYPES = {
    "str": "TEXT", "text": "TEXT", "date": "TEXT", "datetime": "TEXT", "enum": "TEXT", "ref": "TEXT",
    "int": "INTEGER", "bool": "INTEGER", "money": "INTEGER", "pct": "REAL", "decimal": "REAL",
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str                       # one of SQL_TYPES
    label: str                      # English label, marked for translation
    enum: str | None = None         # key into ENUMS for kind "enum"
    ref: str | None = None          # entity name for kind "ref"
    required: bool = False
    max_len: int = 0                # for str/text; 0 means the kind's default
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    past_only: bool = False         # dates that cannot be in the future
    lang_of: str | None = None      # set on the generated "<field>_lang" companion

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Entity:
    name: str                       # table name
    label: str
    fields: tuple[Field, ...]
    parent: str | None = None       # the field that links to the owning record
    parent_entity: str | None = None
    frozen_with_review: bool = False  # refused once its review is finalised
    deletable: bool = True
    rules: tuple[Callable[[dict], None], ...] = ()
    by_name: dict[str, Field] = dc_field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({f.name: f for f in self.fields})

    def field(self, name: str) -> Field:
        try:
            return self.by_name[name]
        except KeyError:
            raise ValidationError(self.name, name, _("unknown field")) from None

    @property
    def columns(self) -> list[str]:
        return ["id"] + [f.name for f in self.fields]


class ValidationError(ValueError):
    """A value the domain refuses; names the entity and field."""

    def __init__(self, entity: str, field: str, message: str):
        self.entity, self.field, self.message = entity, field, message
        super().__init__(f"{entity}.{field}: {message}")

    def describe(self) -> str:
        label = field_label(self.entity, self.field)
        return _("{field}: {problem}").format(field=label, problem=self.message)


class ImmutableError(Exception):
    """A change to a finalised review, or to what belongs to one."""


# --- field helpers ------------------------------------------------------------------

def S(name, label, **kw):  # short string: names, references, phone numbers
    return [Field(name, "str", label, **kw)]


def T(name, label, **kw):  # free text with the language it was written in
    return [Field(name, "text", label, **kw), Field(name + "_lang", "enum", N_("Language of the text"), enum="lang", lang_of=name)]


def E(name, label, enum=None, **kw):
    return [Field(name, "enum", label, enum=enum or name, **kw)]


def D(name, label, **kw):
    return [Field(name, "date", label, **kw)]


def DT(name, label, **kw):
    return [Field(name, "datetime", label, **kw)]


def B(name, label, **kw):
    return [Field(name, "bool", label, **kw)]


def I(name, label, **kw):
    return [Field(name, "int", label, **kw)]


def P(name, label, **kw):
    return [Field(name, "pct", label, minimum=0, maximum=100, **kw)]


def R(name, label, entity, **kw):
    return [Field(name, "ref", label, ref=entity, **kw)]


def _flat(*groups) -> tuple[Field, ...]:
    return tuple(f for g in groups for f in g)


DELETED = B("deleted", N_("Removed"))


# --- record rules ---------------------------------------------------------------------

def _ordered_dates(start: str, end: str):
    def rule(row: dict) -> None:
        if row.get(start) and row.get(end) and row[end] < row[start]:
            raise ValidationError("", end, _("the end date is before the start date"))
    return rule


def _absence_within_100(row: dict) -> None:
    auth, unauth = row.get("authorised_absence_pct"), row.get("unauthorised_absence_pct")
    if auth is not None and unauth is not None and auth + unauth > 100:
        raise ValidationError("", "unauthorised_absence_pct",
                              _("absences add up to more than {whole}").format(whole=format_percent(100, 0)))
    att = row.get("attendance_pct")
    if att is not None and auth is not None and unauth is not None and att + auth + unauth > 100.05:
        raise ValidationError("", "attendance_pct", _("attendance and absence add up to more than {whole}").format(
            whole=format_percent(100, 0)))


def _override_has_reason(row: dict) -> None:
    if row.get("phase_override") and not (row.get("phase_override_reason") or "").strip():
        raise ValidationError("", "phase_override_reason", _("say why the phase is overridden"))


def _fixed_term_has_days(row: dict) -> None:
    if row.get("kind") == "permanent" and row.get("days"):
        raise ValidationError("", "days", _("a permanent exclusion has no number of days"))


# --- entities -------------------------------------------------------------------------

ENTITIES: dict[str, Entity] = {}


def _entity(name, label, *groups, **kw) -> Entity:
    ent = Entity(name, label, _flat(*groups), **kw)
    ENTITIES[name] = ent
    return ent


_entity(
    "schools", N_("School or setting"),
    S("name", N_("School name"), required=True, max_len=200),
    E("medium", N_("Language medium"), enum="school_medium"),
    E("kind", N_("Kind of setting"), enum="school_kind"),
    S("local_authority", N_("Local authority"), max_len=120),
    deletable=False,
)

_entity(
    "learners", N_("Learner"),
    S("reference", N_("Learner reference"), required=True, max_len=40),
    S("legal_forename", N_("Legal first name"), required=True, max_len=100),
    S("legal_surname", N_("Legal surname"), required=True, max_len=100),
    S("preferred_name", N_("Preferred name"), max_len=100),
    D("date_of_birth", N_("Date of birth"), required=True, past_only=True),
    E("gender", N_("Gender")),
    E("ethnicity", N_("Ethnicity")),
    S("upn", N_("Unique Pupil Number"), max_len=13, pattern=r"[A-Z][0-9]{11}[0-9A-Z]"),
    S("social_care_id", N_("Social care ID"), max_len=40),
    E("first_language", N_("First language"), enum="lang"),
    E("language_of_learning", N_("Language of learning")),
    E("preferred_language", N_("Preferred language"), enum="lang"),
    E("communication_language", N_("Preferred language for communications"), enum="lang"),
    E("informed_preference", N_("How they want to be kept informed")),
    E("legal_status", N_("Legal status"), required=True),
    D("date_looked_after", N_("Date became looked after"), past_only=True),
    S("responsible_authority", N_("Responsible local authority"), max_len=120),
    T("parental_responsibility", N_("Who holds parental responsibility")),
    T("day_to_day_consents", N_("Who gives day-to-day consents")),
    E("aln_status", N_("Additional learning needs")),
    E("idp_holder", N_("Individual Development Plan")),
    D("next_idp_review", N_("Next IDP review")),
    deletable=False,
)

_entity(
    "contacts", N_("Contact"),
    R("learner_id", N_("Learner"), "learners", required=True),
    E("role", N_("Role"), enum="contact_role", required=True),
    S("name", N_("Name"), required=True, max_len=120),
    S("organisation", N_("Organisation"), max_len=160),
    S("phone", N_("Phone"), max_len=40, pattern=r"[0-9 +()\-]{6,40}"),
    S("email", N_("Email"), max_len=200, pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+"),
    DELETED,
    parent="learner_id", parent_entity="learners",
)

_entity(
    "placements", N_("Placement"),
    R("learner_id", N_("Learner"), "learners", required=True),
    E("placement_type", N_("Placement type"), required=True),
    E("placing_area", N_("Placing area"), required=True),
    D("start_date", N_("Start date"), required=True),
    D("end_date", N_("End date")),
    T("reason_for_move", N_("Reason for the move")),
    DELETED,
    parent="learner_id", parent_entity="learners",
    rules=(_ordered_dates("start_date", "end_date"),),
)

_entity(
    "enrolments", N_("School history"),
    R("learner_id", N_("Learner"), "learners", required=True),
    R("school_id", N_("School"), "schools", required=True),
    D("start_date", N_("Start date"), required=True),
    D("end_date", N_("End date")),
    T("reason_for_move", N_("Reason for the move")),
    B("reduced_timetable", N_("Reduced timetable")),
    T("gap_in_education", N_("Gap in education")),
    DELETED,
    parent="learner_id", parent_entity="learners",
    rules=(_ordered_dates("start_date", "end_date"),),
)

_entity(
    "reviews", N_("PEP review"),
    R("learner_id", N_("Learner"), "learners", required=True),
    E("review_type", N_("Review type"), required=True),
    E("status", N_("Status"), enum="review_status", required=True),
    R("amends_review_id", N_("Amends review"), "reviews"),
    T("amendment_reason", N_("Reason for the amendment")),
    D("period_start", N_("Period from"), required=True),
    D("period_end", N_("Period to"), required=True),
    D("due_date", N_("Due date"), required=True),
    D("meeting_date", N_("Meeting date")),
    S("meeting_place", N_("Meeting place"), max_len=160),
    E("meeting_language", N_("Language of the meeting"), enum="lang"),
    D("next_review_date", N_("Next review date")),
    DT("finalised_at", N_("Finalised at")),
    S("finalised_by", N_("Finalised by"), max_len=120),
    # Current arrangements and the statutory items
    T("current_arrangements", N_("Current arrangements and support")),
    T("disruption_plan", N_("How disruption is minimised")),
    # Attendance and exclusions for the period
    P("attendance_pct", N_("Attendance")),
    P("authorised_absence_pct", N_("Authorised absence")),
    P("unauthorised_absence_pct", N_("Unauthorised absence")),
    B("reduced_timetable", N_("Reduced timetable")),
    T("alternative_provision", N_("Alternative provision")),
    # Additional learning needs
    E("aln_status", N_("Additional learning needs")),
    E("idp_holder", N_("Individual Development Plan")),
    T("aln_provision", N_("Additional learning provision")),
    D("next_idp_review", N_("Next IDP review")),
    # Progress
    T("progress_summary", N_("Progress and attainment")),
    T("strengths", N_("Strengths")),
    # Health and well-being
    I("sdq_score", N_("SDQ total score"), minimum=0, maximum=40),
    B("wellbeing_concern", N_("Well-being concern")),
    T("wellbeing_notes", N_("Health and well-being")),
    T("referrals", N_("CAMHS and other referrals")),
    # All about me, in the learner's words
    T("voice_good_at", N_("What I am good at")),
    T("voice_enjoy", N_("What I enjoy")),
    T("voice_worries", N_("What worries me")),
    T("voice_helps", N_("What helps me learn")),
    T("voice_future", N_("What I want to be")),
    T("voice_trusted_adult", N_("Who I trust at school")),
    # Views
    T("carer_views", N_("Carer's views")),
    T("carer_role", N_("The carer's role in supporting learning")),
    T("professional_views", N_("Professionals' views")),
    T("leisure_interests", N_("Leisure interests")),
    # Transition
    T("transition", N_("Transition")),
    B("neet_risk", N_("At risk of becoming NEET")),
    # The phase (domain/phases.py) is worked out when asked; an override needs its reason.
    E("phase_override", N_("Phase, overridden"), enum="phase"),
    T("phase_override_reason", N_("Why the phase is overridden")),
    # Early years, in place of progress and attainment
    T("ey_areas_of_learning", N_("Areas of learning and experience (progression step 1)")),
    T("ey_communication", N_("Communication and language")),
    T("ey_physical", N_("Physical development")),
    T("ey_personal_social", N_("Personal and social development and well-being")),
    S("ey_key_person", N_("The setting's key person"), max_len=120),
    [Field("ey_funded_hours", "decimal", N_("Funded childcare and education taken up (hours a week)"),
           minimum=0, maximum=60)],
    T("ey_aln", N_("Early years additional learning needs")),
    T("ey_health_visitor", N_("Health visitor input")),
    # Post-16
    S("course_provider", N_("Provider"), max_len=160),
    S("course_title", N_("Course title"), max_len=200),
    E("course_level", N_("Level")),
    D("course_start", N_("Start date")),
    D("course_end", N_("Expected end date")),
    P("course_attendance_pct", N_("Attendance on the course")),
    S("careers_adviser", N_("Careers adviser (Careers Wales)"), max_len=120),
    D("careers_guidance_date", N_("Date of careers guidance")),
    S("personal_adviser", N_("Personal adviser"), max_len=120),
    S("pathway_plan", N_("Pathway plan (link or reference)"), max_len=400),
    B("bursary", N_("Bursary")),
    B("ema", N_("Education Maintenance Allowance")),
    T("financial_support", N_("Other financial support")),
    T("aspiration", N_("My aspiration, in my own words")),
    T("neet_actions", N_("Actions against the risk")),
    # Circumstances: transition, alternative provision, reduced timetable, NEET
    S("transition_to", N_("Moving to"), max_len=200),
    D("transition_date", N_("Date of the move")),
    S("ap_provider", N_("Alternative provision provider"), max_len=160),
    [Field("ap_days", "decimal", N_("Days a week in alternative provision"), minimum=0.5, maximum=5)],
    D("ap_start", N_("Alternative provision from")),
    D("ap_end", N_("Alternative provision to")),
    T("ap_purpose", N_("What the alternative provision is for")),
    [Field("rt_hours", "decimal", N_("Hours a week in school"), minimum=0, maximum=32.5)],
    T("rt_reason", N_("Why the timetable is reduced")),
    T("rt_return_plan", N_("The plan back to a full timetable")),
    D("rt_review_date", N_("Reduced timetable reviewed by")),
    D("neet_since", N_("Not in education, employment or training since")),
    T("neet_support", N_("Support back into education, employment or training")),
    parent="learner_id", parent_entity="learners",
    rules=(_ordered_dates("period_start", "period_end"), _absence_within_100, _override_has_reason,
           _ordered_dates("course_start", "course_end"), _ordered_dates("ap_start", "ap_end")),
)

_REVIEW_CHILD = dict(parent="review_id", parent_entity="reviews", frozen_with_review=True)

_entity(
    "targets", N_("Target"),
    R("review_id", N_("Review"), "reviews", required=True),
    I("position", N_("Order"), minimum=0),
    T("description", N_("Target"), required=True),
    T("support", N_("Support")),
    S("responsible", N_("Who is responsible"), max_len=120),
    D("due_date", N_("By when")),
    B("pdg_funded", N_("Funded by PDG for children looked after")),
    R("carried_from_id", N_("Carried forward from"), "targets"),
    E("progress", N_("Progress since the last review")),
    DELETED,
    **_REVIEW_CHILD,
)

_entity(
    "actions", N_("Action"),
    R("review_id", N_("Review"), "reviews", required=True),
    T("description", N_("Action"), required=True),
    S("owner", N_("Who"), max_len=120),
    D("due_date", N_("By when")),
    B("done", N_("Done")),
    DELETED,
    **_REVIEW_CHILD,
)

_entity(
    "exclusions", N_("Exclusion"),
    R("review_id", N_("Review"), "reviews", required=True),
    E("kind", N_("Kind of exclusion"), enum="exclusion_kind", required=True),
    D("start_date", N_("Date"), required=True),
    [Field("days", "decimal", N_("Days"), minimum=0.5, maximum=45)],
    T("reason", N_("Reason")),
    DELETED,
    rules=(_fixed_term_has_days,),
    **_REVIEW_CHILD,
)

_entity(
    "attainments", N_("Progress by area"),
    R("review_id", N_("Review"), "reviews", required=True),
    E("area", N_("Area of learning"), enum="area_of_learning", required=True),
    S("subject", N_("Subject or qualification"), max_len=120),
    T("judgement", N_("Progress")),
    S("predicted_grade", N_("Predicted grade"), max_len=20),
    S("actual_grade", N_("Actual grade"), max_len=20),
    DELETED,
    **_REVIEW_CHILD,
)

_entity(
    "interventions", N_("Intervention"),
    R("review_id", N_("Review"), "reviews", required=True),
    E("kind", N_("Kind of support"), enum="intervention_kind", required=True),
    S("provider", N_("Provider"), max_len=160),
    D("start_date", N_("Start date")),
    D("end_date", N_("End date")),
    [Field("cost_pence", "money", N_("Cost"), minimum=0, maximum=10_000_000)],
    E("funding", N_("Funding")),
    T("outcome", N_("Outcome")),
    DELETED,
    rules=(_ordered_dates("start_date", "end_date"),),
    **_REVIEW_CHILD,
)

_entity(
    "attendees", N_("Attendee"),
    R("review_id", N_("Review"), "reviews", required=True),
    S("name", N_("Name"), required=True, max_len=120),
    E("role", N_("Role"), enum="contact_role", required=True),
    E("attendance", N_("Attendance at the meeting"), enum="attendance_mode", required=True),
    B("agreed", N_("Agrees with the plan")),
    DT("signed_at", N_("Signed at")),
    [Field("signature_png", "str", N_("Drawn signature"), max_len=400_000)],
    DELETED,
    **_REVIEW_CHILD,
)

# The coordinator rates a finalised review, so ratings are not frozen with it.
_entity(
    "quality_ratings", N_("Quality rating"),
    R("review_id", N_("Review"), "reviews", required=True),
    E("rating", N_("Rating"), required=True),
    T("feedback", N_("Feedback")),
    S("rated_by", N_("Rated by"), max_len=120),
    DT("rated_at", N_("Rated at")),
    DELETED,
    parent="review_id", parent_entity="reviews",
)

_entity(
    "qualifications", N_("Qualification"),
    R("review_id", N_("Review"), "reviews", required=True),
    S("title", N_("Qualification"), required=True, max_len=200),
    E("level", N_("Level"), enum="course_level"),
    E("status", N_("Status"), enum="qualification_status", required=True),
    S("grade", N_("Grade"), max_len=20),
    D("awarded_on", N_("Date achieved")),
    DELETED,
    **_REVIEW_CHILD,
)

# A section added to a review although its phase or circumstance does not bring it, with the reason.
_entity(
    "review_sections", N_("Added section"),
    R("review_id", N_("Review"), "reviews", required=True),
    E("section", N_("Section"), enum="section", required=True),
    T("reason", N_("Why the section is added"), required=True),
    DELETED,
    **_REVIEW_CHILD,
)

# PDG-CLA funding: asked for in a PEP review, decided by a coordinator, spent, and its impact on
# the linked targets recorded at the next review. A decision or a spend is not an edit of the
# PEP, so none of these is frozen with a finalised review (vsm_desktop/domain/funding.py has the
# rules: who decides, amounts, periods).
_FUNDING_CHILD = dict(parent="review_id", parent_entity="reviews")
MAX_PENCE = 10_000_000            # £100,000: one request or one spend line
MAX_ALLOCATION_PENCE = 10_000_000_000   # £100,000,000: an authority's year

_entity(
    "funding_requests", N_("Funding request"),
    R("review_id", N_("Review"), "reviews", required=True),
    E("kind", N_("Kind of support"), enum="funding_kind", required=True),
    S("provider", N_("Provider"), max_len=160),
    [Field("amount_pence", "money", N_("Amount requested"), required=True, minimum=1, maximum=MAX_PENCE)],
    D("start_date", N_("Start date")),
    D("end_date", N_("End date")),
    T("purpose", N_("What it is for"), required=True),
    T("expected_impact", N_("Expected impact")),
    E("status", N_("Decision"), enum="funding_status", required=True),
    S("requested_by", N_("Requested by"), max_len=120),
    E("requested_by_role", N_("Role of the requester"), enum="person_role"),
    DT("requested_at", N_("Requested at")),
    [Field("approved_pence", "money", N_("Amount approved"), minimum=1, maximum=MAX_PENCE)],
    T("decision_reason", N_("Reason for the decision")),
    S("decided_by", N_("Decided by"), max_len=120),
    E("decided_by_role", N_("Role of the decider"), enum="person_role"),
    DT("decided_at", N_("Decided at")),
    DELETED,
    rules=(_ordered_dates("start_date", "end_date"),),
    **_FUNDING_CHILD,
)

_entity(
    "funding_targets", N_("Target of a funding request"),
    R("review_id", N_("Review"), "reviews", required=True),
    R("request_id", N_("Funding request"), "funding_requests", required=True),
    R("target_id", N_("Target"), "targets", required=True),
    T("impact", N_("Impact on the target")),
    E("impact_progress", N_("Progress on the target"), enum="progress"),
    R("impact_review_id", N_("Impact recorded at review"), "reviews"),
    D("impact_recorded_on", N_("Impact recorded on")),
    DELETED,
    **_FUNDING_CHILD,
)

_entity(
    "funding_spend", N_("Spend"),
    R("review_id", N_("Review"), "reviews", required=True),
    R("request_id", N_("Funding request"), "funding_requests", required=True),
    [Field("amount_pence", "money", N_("Actual cost"), required=True, minimum=1, maximum=MAX_PENCE)],
    D("spent_on", N_("Date"), required=True),
    T("note", N_("Note")),
    B("over_approved", N_("Above the approved amount")),
    S("recorded_by", N_("Recorded by"), max_len=120),
    DELETED,
    **_FUNDING_CHILD,
)

# The authority's PDG-CLA allocation for a financial year, or a school's share when the
# authority devolves funding. Belongs to no learner (like a school): only coordinators set it.
_entity(
    "funding_allocations", N_("PDG-CLA allocation"),
    I("year", N_("Financial year"), required=True, minimum=2000, maximum=2100),
    R("school_id", N_("School"), "schools"),
    [Field("amount_pence", "money", N_("Allocation"), required=True, minimum=0, maximum=MAX_ALLOCATION_PENCE)],
    S("set_by", N_("Set by"), max_len=120),
    E("set_by_role", N_("Role"), enum="person_role"),
    DT("set_at", N_("Set at")),
    DELETED,
)

# Records that belong to no learner: they reach every device, and only coordinators change them.
AUTHORITY_ENTITIES = ("schools", "funding_allocations")
FUNDING_ENTITIES = ("funding_requests", "funding_targets", "funding_spend")

# A file attached to a learner (or to one of their reviews): the record syncs like any other; its
# content is kept apart, by hash (vsm_desktop.attachments). Frozen with its review when it has one.
_entity(
    "attachments", N_("Attachment"),
    R("learner_id", N_("Learner"), "learners", required=True),
    R("review_id", N_("PEP review"), "reviews"),
    S("section", N_("Section"), max_len=40, pattern=r"[a-z_]{1,40}"),
    E("kind", N_("Kind of document"), enum="attachment_kind", required=True),
    T("title", N_("Title"), required=True, max_len=200),
    D("added_on", N_("Date added"), required=True),
    S("added_by", N_("Added by"), max_len=120),
    S("added_by_role", N_("Role"), max_len=40),
    I("size", N_("Size"), minimum=0, required=True),
    S("sha256", N_("SHA-256"), required=True, max_len=64, pattern=r"[0-9a-f]{64}"),
    S("mime", N_("Type of file"), max_len=100),
    DELETED,
    parent="learner_id", parent_entity="learners", frozen_with_review=True,
)

REVIEW_CHILDREN = tuple(e.name for e in ENTITIES.values() if e.parent_entity == "reviews")
LEARNER_CHILDREN = tuple(e.name for e in ENTITIES.values() if e.parent_entity == "learners")


# --- validation -----------------------------------------------------------------------

_DEFAULT_MAX = {"str": 200, "text": 20_000}


def entity(name: str) -> Entity:
    try:
        return ENTITIES[name]
    except KeyError:
        raise ValidationError(name, "", _("unknown kind of record")) from None


def display_name(learner: dict) -> str:
    """How a learner is named on screen: the preferred name (else the legal first name) and surname."""
    return f"{learner.get('preferred_name') or learner['legal_forename']} {learner['legal_surname']}"


def field_label(entity_name: str, field_name: str) -> str:
    ent = ENTITIES.get(entity_name)
    f = ent.by_name.get(field_name) if ent else None
    return _(f.label) if f else field_name


def enum_label(enum: str, value: str) -> str:
    return _(ENUMS[enum].get(value, value))


def validate_field(entity_name: str, field_name: str, value: Any, today: dt.date | None = None) -> Any:
    """Returns the value in its stored form, or raises ValidationError naming the field."""
    ent = entity(entity_name)
    return _validate(ent, ent.field(field_name), value, today)


def _validate(ent: Entity, f: Field, value: Any, today: dt.date | None) -> Any:
    # Every write validates every field of its record: no closure or lookup per call here.
    if value is None and not f.required:
        return None

    def bad(message: str) -> ValidationError:
        return ValidationError(ent.name, f.name, message)

    if value is None or (isinstance(value, str) and value.strip() == "" and f.kind != "text"):
        if f.required:
            raise bad(_("a value is required"))
        return None
    kind = f.kind
    if kind in ("str", "text"):
        if not isinstance(value, str):
            raise bad(_("must be text"))
        value = value.strip() if kind == "str" else value
        if kind == "text" and value.strip() == "":
            if f.required:
                raise bad(_("a value is required"))
            return None
        limit = f.max_len or _DEFAULT_MAX[kind]
        if len(value) > limit:
            raise bad(_("is longer than {limit} characters").format(limit=limit))
        if f.pattern and not re.fullmatch(f.pattern, value):
            raise bad(_("is not in the expected format"))
        return value
    if kind == "enum":
        if value not in ENUMS[f.enum]:
            raise bad(_("“{value}” is not one of the allowed values").format(value=value))
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad(_("must be yes or no"))
        return value
    if kind in ("int", "money"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad(_("must be a whole number"))
    elif kind in ("pct", "decimal"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(_("must be a number"))
        value = float(value)
        if value != value:  # NaN
            raise bad(_("must be a number"))
    if kind in ("int", "money", "pct", "decimal"):
        if f.minimum is not None and value < f.minimum:
            raise bad(_("must be at least {minimum}").format(minimum=f.minimum))
        if f.maximum is not None and value > f.maximum:
            if kind == "pct":
                raise bad(_("cannot be more than {whole}").format(whole=format_percent(100, 0)))
            raise bad(_("must be at most {maximum}").format(maximum=f.maximum))
        return value
    if kind == "date":
        try:
            parsed = dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or len(value) != 10:
            raise bad(_("is not a date (expected YYYY-MM-DD)"))
        if parsed.year < 1900:
            raise bad(_("is not a plausible date"))
        if f.past_only and parsed > (today or dt.date.today()):
            raise bad(_("cannot be in the future"))
        return parsed.isoformat()
    if kind == "datetime":
        try:
            parsed_dt = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed_dt = None
        if parsed_dt is None or parsed_dt.tzinfo is None:
            raise bad(_("is not a date and time with a time zone"))
        return parsed_dt.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    if kind == "ref":
        if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{32}", value):
            raise bad(_("is not a record id"))
        return value
    raise bad(_("unknown kind of field"))  # pragma: no cover - the model is closed


def validate_record(entity_name: str, row: dict, today: dt.date | None = None) -> dict:
    """Validates every field and the record's own rules; returns the stored form."""
    ent = entity(entity_name)
    plan = _PLANS.get(entity_name) or _plan(ent)
    if not row.keys() <= plan.known:
        unknown = set(row) - set(ent.by_name) - {"id"}
        raise ValidationError(entity_name, sorted(unknown)[0], _("unknown field"))
    # A value already in its stored form passes its kind's quick check (`_quick`); any other
    # (and every refusal, with its message) goes through `_validate`.
    clean = {}
    get = row.get
    for name, f, quick in plan.fields:
        v = get(name)
        if v is None:
            clean[name] = _validate(ent, f, v, today) if f.required else None
        else:
            done = quick(v, today)
            clean[name] = _validate(ent, f, v, today) if done is _SLOW else done
    check_rules(entity_name, clean)
    return clean


_SLOW = object()   # a quick check's "ask `_validate`"
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
_REF_TEXT = re.compile(r"[0-9a-f]{32}").fullmatch
_DATES: dict[str, dt.date | None] = {}      # date text -> the date (None: not one), bounded below
_DATETIMES: dict[str, str] = {}             # date-time text -> its stored form


class _Plan:
    __slots__ = ("known", "fields")

    def __init__(self, ent: Entity):
        self.known = frozenset(ent.by_name) | {"id"}
        self.fields = tuple((f.name, f, _quick(f)) for f in ent.fields)


_PLANS: dict[str, _Plan] = {}


def _plan(ent: Entity) -> _Plan:
    plan = _PLANS[ent.name] = _Plan(ent)
    return plan


def _quick(f: Field) -> Callable[[Any, dt.date | None], Any]:
    """A check of one field's value that gives `_validate`'s answer for the usual values (already
    in their stored form) in a few steps, and `_SLOW` for any other."""
    kind = f.kind
    pattern = re.compile(f.pattern).fullmatch if f.pattern else None
    lo, hi = f.minimum, f.maximum
    if kind == "str":
        limit = f.max_len or _DEFAULT_MAX[kind]

        def check(v, today):
            if type(v) is str:
                v = v.strip()
                if v and len(v) <= limit and (pattern is None or pattern(v)):
                    return v
            return _SLOW
    elif kind == "text":
        limit = f.max_len or _DEFAULT_MAX[kind]

        def check(v, today):
            if type(v) is str and v and len(v) <= limit and not v.isspace() and (pattern is None or pattern(v)):
                return v
            return _SLOW
    elif kind == "enum":
        allowed = ENUMS[f.enum]

        def check(v, today):
            return v if type(v) is str and v in allowed else _SLOW
    elif kind == "bool":
        def check(v, today):
            return v if type(v) is bool else _SLOW
    elif kind in ("int", "money"):
        def check(v, today):
            if type(v) is int and (lo is None or v >= lo) and (hi is None or v <= hi):
                return v
            return _SLOW
    elif kind in ("pct", "decimal"):
        def check(v, today):
            t = type(v)
            if t is float or t is int:
                v = float(v)
                if v == v and (lo is None or v >= lo) and (hi is None or v <= hi):
                    return v
            return _SLOW
    elif kind == "date":
        past_only = f.past_only

        def check(v, today):
            if type(v) is not str:
                return _SLOW
            day = _DATES.get(v, _SLOW)
            if day is _SLOW:
                day = None
                if _DATE_TEXT(v):
                    try:
                        day = dt.date.fromisoformat(v)
                    except ValueError:
                        pass
                    if day is not None and day.year < 1900:
                        day = None
                if len(_DATES) > 50_000:
                    _DATES.clear()
                _DATES[v] = day
            if day is None or past_only and day > (today or dt.date.today()):
                return _SLOW
            return v
    elif kind == "datetime":
        def check(v, today):
            if type(v) is not str:
                return _SLOW
            done = _DATETIMES.get(v)
            if done is None:
                try:
                    parsed = dt.datetime.fromisoformat(v)
                except ValueError:
                    return _SLOW
                if parsed.tzinfo is None:
                    return _SLOW
                done = parsed.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
                if len(_DATETIMES) > 50_000:
                    _DATETIMES.clear()
                _DATETIMES[v] = done
            return done
    elif kind == "ref":
        def check(v, today):
            return v if type(v) is str and _REF_TEXT(v) else _SLOW
    else:  # pragma: no cover - the model is closed
        def check(v, today):
            return _SLOW
    return check


def check_rules(entity_name: str, row: dict) -> None:
    for rule in entity(entity_name).rules:
        try:
            rule(row)
        except ValidationError as e:
            raise ValidationError(entity_name, e.field, e.message) from None
