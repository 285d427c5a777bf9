"""The sections of a PEP, in the order of shared/PEP.md: which fields and lists each holds.

One list for the editor, meeting mode, the finalise checklist and the PDF, so that a section
is named and ordered the same everywhere. `_lang` companions of free-text fields go with
their field and are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_


@dataclass(frozen=True)
class Section:
    key: str
    title: str                              # English, marked for translation
    learner_fields: tuple[str, ...] = ()    # the learner's profile, shown in the review
    learner_lists: tuple[str, ...] = ()     # lists that belong to the learner (contacts, placements, …)
    review_fields: tuple[str, ...] = ()
    review_lists: tuple[str, ...] = ()      # lists that belong to the review (targets, actions, …)


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
    Section("progress", N_("Progress and attainment"), review_fields=("progress_summary", "strengths"),
            review_lists=("attainments",)),
    Section("wellbeing", N_("Health and well-being"),
            review_fields=("sdq_score", "wellbeing_concern", "wellbeing_notes", "referrals")),
    Section("about_me", N_("All about me"), review_fields=(
        "voice_good_at", "voice_enjoy", "voice_worries", "voice_helps", "voice_future", "voice_trusted_adult")),
    Section("views", N_("Views of the carer and professionals"),
            review_fields=("carer_views", "carer_role", "professional_views")),
    Section("leisure", N_("Leisure interests"), review_fields=("leisure_interests",)),
    Section("targets", N_("Targets"), review_lists=("targets",)),
    Section("interventions", N_("Support and interventions"), review_lists=("interventions",)),
    Section("transition", N_("Transition"), review_fields=("transition", "neet_risk")),
    Section("actions", N_("Actions"), review_lists=("actions",)),
    Section("meeting", N_("Meeting and sign-off"), review_fields=(
        "review_type", "period_start", "period_end", "due_date", "meeting_date", "meeting_place",
        "meeting_language", "next_review_date", "amendment_reason"), review_lists=("attendees",)),
    Section("quality", N_("Quality assurance"), review_lists=("quality_ratings",)),
)

BY_KEY = {s.key: s for s in SECTIONS}
# Records a section shows in a panel of their own rather than as one of its lists: PDG-CLA
# funding goes with the support it pays for (app/editor/funding_panel.py).
PANEL_ENTITIES = {"funding_requests": "interventions", "funding_targets": "interventions",
                  "funding_spend": "interventions"}
# Review fields no section edits: links and what the lifecycle sets.
REVIEW_SYSTEM_FIELDS = ("learner_id", "status", "amends_review_id", "finalised_at", "finalised_by")


def section_of(entity: str, field: str) -> Section | None:
    """The section that shows a field (used to link a checklist entry to its place)."""
    base = field[:-5] if field.endswith("_lang") else field
    if entity in PANEL_ENTITIES:
        return BY_KEY.get(PANEL_ENTITIES[entity])
    for s in SECTIONS:
        if entity == "reviews" and base in s.review_fields:
            return s
        if entity == "learners" and base in s.learner_fields:
            return s
        if entity in s.review_lists or entity in s.learner_lists:
            return s
    return None
