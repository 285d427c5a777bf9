"""The sections of a PEP, in the order of shared/PEP.md: which fields and lists each holds.

One list for the editor, meeting mode, the finalise checklist and the PDF, so that a section
is named and ordered the same everywhere. `_lang` companions of free-text fields go with
their field and are not listed.

Which sections a review shows is `sections_for(review, learner, …)`: those of its phase
(`domain/phases.py`), those whose circumstance holds, those added to it with a reason
(`review_sections`), and any section that already holds something, so that what was entered is
never hidden (a learner crossing into post-16 keeps their school-age sections with their data).
The other conditional sections are offered: "Add a section…" adds one, with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..i18n import N_
from . import phases as ph


ALL_PHASES = frozenset({"early_years", "school_age", "post16"})


@dataclass(frozen=True)
class Section:
    key: str
    title: str                              # English, marked for translation
    learner_fields: tuple[str, ...] = ()    # the learner's profile, shown in the review
    learner_lists: tuple[str, ...] = ()     # lists that belong to the learner (contacts, placements, …)
    review_fields: tuple[str, ...] = ()
    review_lists: tuple[str, ...] = ()      # lists that belong to the review (targets, actions, …)
    phases: frozenset = ALL_PHASES          # the phases it belongs to (domain/phases.py)
    circumstance: str | None = None         # shown only when this holds (see `circumstances`)

    @property
    def conditional(self) -> bool:
        return self.phases != ALL_PHASES or self.circumstance is not None


_EY, _SCHOOL, _POST16 = frozenset({"early_years"}), frozenset({"school_age"}), frozenset({"post16"})

SECTIONS: tuple[Section, ...] = (
    Section("about", N_("About the learner"), learner_fields=(
        "legal_forename", "legal_surname", "preferred_name", "date_of_birth", "gender", "ethnicity", "upn",
        "social_care_id", "first_language", "language_of_learning", "preferred_language",
        "communication_language", "informed_preference")),
    Section("care", N_("Care"), learner_fields=(
        "legal_status", "date_looked_after", "responsible_authority", "parental_responsibility",
        "day_to_day_consents"), learner_lists=("placements",)),
    Section("contacts", N_("Contacts"), learner_lists=("contacts",)),
    Section("history", N_("Education history"), learner_lists=("enrolments",)),
    Section("arrangements", N_("Current arrangements and support"),
            review_fields=("current_arrangements", "disruption_plan")),
    Section("attendance", N_("Attendance and exclusions"), review_fields=(
        "attendance_pct", "authorised_absence_pct", "unauthorised_absence_pct", "reduced_timetable",
        "alternative_provision"), review_lists=("exclusions",)),
    Section("aln", N_("Additional learning needs"),
            review_fields=("aln_status", "idp_holder", "aln_provision", "next_idp_review")),
    # Early years, in place of "Progress and attainment"
    Section("development", N_("Development by area"), review_fields=(
        "ey_areas_of_learning", "ey_communication", "ey_physical", "ey_personal_social"), phases=_EY),
    Section("early_years", N_("The setting and early support"), review_fields=(
        "ey_key_person", "ey_funded_hours", "ey_aln", "ey_health_visitor"), phases=_EY),
    Section("progress", N_("Progress and attainment"), review_fields=("progress_summary", "strengths"),
            review_lists=("attainments",), phases=_SCHOOL),
    # Post-16, in place of "Progress and attainment"
    Section("course", N_("Course or training"), review_fields=(
        "course_provider", "course_title", "course_level", "course_start", "course_end",
        "course_attendance_pct"), phases=_POST16),
    Section("qualifications", N_("Qualifications"), review_lists=("qualifications",), phases=_POST16),
    Section("wellbeing", N_("Health and well-being"),
            review_fields=("sdq_score", "wellbeing_concern", "wellbeing_notes", "referrals")),
    Section("about_me", N_("All about me"), review_fields=(
        "voice_good_at", "voice_enjoy", "voice_worries", "voice_helps", "voice_future", "voice_trusted_adult")),
    Section("aspiration", N_("My aspiration"), review_fields=("aspiration",), phases=_POST16),
    Section("views", N_("Views of the carer and professionals"),
            review_fields=("carer_views", "carer_role", "professional_views")),
    Section("leisure", N_("Leisure interests"), review_fields=("leisure_interests",)),
    Section("careers", N_("Careers guidance and pathway plan"), review_fields=(
        "careers_adviser", "careers_guidance_date", "personal_adviser", "pathway_plan"), phases=_POST16),
    Section("financial", N_("Financial support"), review_fields=(
        "bursary", "ema", "financial_support"), phases=_POST16),
    Section("neet_risk", N_("Risk of not being in education, employment or training"),
            review_fields=("neet_risk", "neet_actions"), phases=_POST16),
    Section("targets", N_("Targets"), review_lists=("targets",)),
    Section("interventions", N_("Support and interventions"), review_lists=("interventions",)),
    # Circumstances: shown when they apply, offered otherwise
    Section("transition", N_("Transition"), review_fields=("transition", "transition_to", "transition_date"),
            circumstance="transition"),
    Section("alternative_provision", N_("Alternative provision"), review_fields=(
        "ap_provider", "ap_days", "ap_start", "ap_end", "ap_purpose"), circumstance="alternative_provision"),
    Section("reduced_timetable", N_("Reduced timetable"), review_fields=(
        "rt_hours", "rt_reason", "rt_return_plan", "rt_review_date"), circumstance="reduced_timetable"),
    Section("neet", N_("Not in education, employment or training"), review_fields=(
        "neet_since", "neet_support"), phases=_POST16, circumstance="neet"),
    Section("actions", N_("Actions"), review_lists=("actions",)),
    Section("meeting", N_("Meeting and sign-off"), review_fields=(
        "review_type", "period_start", "period_end", "due_date", "meeting_date", "meeting_place",
        "meeting_language", "next_review_date", "amendment_reason"), review_lists=("attendees",)),
    Section("quality", N_("Quality assurance"), review_lists=("quality_ratings",)),
)

BY_KEY = {s.key: s for s in SECTIONS}
# Review fields no section edits: links and what the lifecycle sets.
REVIEW_SYSTEM_FIELDS = ("learner_id", "status", "amends_review_id", "finalised_at", "finalised_by",
                        "phase_override", "phase_override_reason")
# Review lists no section shows as a list: the sections added to a review, with their reasons.
REVIEW_SYSTEM_LISTS = ("review_sections",)
# Lists with a panel of their own rather than a list in a section: PDG-CLA funding, decided and
# spent after the review too (app/editor/funding_panel.py), and attachments (app/attachments).
OWN_PANEL_LISTS = ("funding_requests", "funding_targets", "funding_spend", "attachments")


def section_of(entity: str, field: str) -> Section | None:
    """The section that shows a field (used to link a checklist entry to its place)."""
    base = field[:-5] if field.endswith("_lang") else field
    for s in SECTIONS:
        if entity == "reviews" and base in s.review_fields:
            return s
        if entity == "learners" and base in s.learner_fields:
            return s
        if entity in s.review_lists or entity in s.learner_lists:
            return s
    return None


# Why a review shows a section.
ALWAYS, PHASE, CIRCUMSTANCE, ADDED, HAS_DATA = "always", "phase", "circumstance", "added", "data"
CIRCUMSTANCES = ("transition", "alternative_provision", "reduced_timetable", "neet")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _live(rows) -> list[dict]:
    return [r for r in rows or () if not r.get("deleted")]


def has_data(section: Section, review: dict) -> bool:
    """Whether a review holds anything in a section's own fields and lists (a "no" counts)."""
    return (any(not _blank(review.get(f)) for f in section.review_fields)
            or any(_live(review.get(name)) for name in section.review_lists))


def _enrolment_at(enrolments, day: str) -> dict | None:
    best = None
    for e in sorted(_live(enrolments), key=lambda e: e["start_date"]):
        if e["start_date"] <= day and (e.get("end_date") is None or e["end_date"] >= day):
            best = e
    return best


def circumstances(review: dict, learner: dict, phase: str, enrolments=(), today: dt.date | None = None,
                  calendar=None) -> frozenset[str]:
    """The circumstances that hold for a review, on its reference day (`phases.reference_date`):

    * transition: a change of phase or stage (nursery to primary, year 6 to 7, …) within the next
      two terms, a school-move review, or a school move recorded within them;
    * alternative provision: recorded in "Attendance", or an intervention of that kind;
    * reduced timetable: set in "Attendance", or on the current school's enrolment;
    * not in education, employment or training: post-16 with no current course.
    """
    on = ph.reference_date(review, today)
    day = on.isoformat()
    found = set()
    dob = ph._date(learner.get("date_of_birth"))
    horizon = ph.two_terms_ahead(on, calendar).isoformat()
    moves = any(day < e["start_date"] <= horizon or (e.get("end_date") and day <= e["end_date"] <= horizon)
                for e in _live(enrolments))
    if review.get("review_type") == "school_move" or moves or (dob and ph.stage_change_ahead(dob, on, calendar)):
        found.add("transition")
    if not _blank(review.get("alternative_provision")) or any(
            i.get("kind") == "alternative_provision" for i in _live(review.get("interventions"))):
        found.add("alternative_provision")
    current = _enrolment_at(enrolments, day)
    if review.get("reduced_timetable") or (current and current.get("reduced_timetable")):
        found.add("reduced_timetable")
    if phase == ph.POST16:
        ended = not _blank(review.get("course_end")) and review["course_end"] < day
        if (_blank(review.get("course_title")) and _blank(review.get("course_provider"))) or ended:
            found.add("neet")
    return frozenset(found)


@dataclass(frozen=True)
class SectionPlan:
    """The sections of one review, in order, and why each is shown; the sections that can be added."""

    phase: str
    computed_phase: str | None
    circumstances: frozenset
    shown: tuple[Section, ...]
    why: dict
    offered: tuple[Section, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.shown)

    def shows(self, key: str) -> bool:
        return key in self.why

    def number(self, key: str) -> int:
        """The section's number as the review lists it (1-based); 0 when it is not shown."""
        return next((i for i, s in enumerate(self.shown, 1) if s.key == key), 0)

    @property
    def overridden(self) -> bool:
        return self.phase != self.computed_phase and self.computed_phase is not None


def added_sections(review: dict) -> dict[str, dict]:
    """The sections added to a review with a reason: key -> its `review_sections` row."""
    return {row["section"]: row for row in _live(review.get("review_sections"))}


def sections_for(review: dict, learner: dict, today: dt.date | None = None, *, enrolments=(),
                 calendar=None) -> SectionPlan:
    """The sections a review shows (see the module's docstring). `review` is a review of
    `Store.learner_record()` (with its lists); `enrolments` the learner's schools."""
    phase = ph.review_phase(review, learner, today)
    computed = ph.computed_phase(review, learner, today)
    holds = circumstances(review, learner, phase, enrolments, today, calendar)
    added = added_sections(review)
    shown, why, offered = [], {}, []
    for section in SECTIONS:
        reason = None
        in_phase = phase in section.phases
        if not section.conditional:
            reason = ALWAYS
        elif in_phase and section.circumstance is None:
            reason = PHASE
        elif in_phase and section.circumstance in holds:
            reason = CIRCUMSTANCE
        elif section.key in added:
            reason = ADDED
        elif has_data(section, review):
            reason = HAS_DATA
        if reason is None:
            offered.append(section)
        else:
            shown.append(section)
            why[section.key] = reason
    return SectionPlan(phase, computed, holds, tuple(shown), why, tuple(offered))


def plan_for_record(record: dict, review: dict, today: dt.date | None = None) -> SectionPlan:
    """`sections_for` on a review of a `Store.learner_record()`."""
    return sections_for(review, record.get("learner") or {}, today, enrolments=record.get("enrolments") or ())


def refusal(section: Section, plan: SectionPlan) -> bool:
    """Whether a value in this section is refused: a section of another phase that the review does
    not show (not added with a reason, and the phase not overridden). Circumstance sections of
    the review's phase take a value (it then shows them)."""
    return not plan.shows(section.key) and plan.phase not in section.phases


GATED_SECTIONS = tuple(s for s in SECTIONS if s.phases != ALL_PHASES)
