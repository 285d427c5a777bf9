"""The review lifecycle rules: what a draft needs before it can be finalised, and what the next
review starts with.

`finalise_problems` is the one checklist: the editor refuses to finalise while it returns anything
and shows the list, each entry naming the record and field to go to. The store itself insists only
on the meeting date, because finalisations also arrive by sync from other devices (checked there). It works
on a `Store.learner_record()` dict, so it runs anywhere (worker thread, CLI, tests) without Qt.

What a review needs before it is finalised (shared/PEP.md, "Meeting and sign-off"; the
evaluation's minimum data set):

* the meeting: its date, its language, and the date of the next review (after the meeting);
* an amendment says why it amends the earlier review;
* who took part: at least one person present, and the designated person among the attendees
  (they run the meeting and sign the plan off);
* attendance for the period (a figure the monitoring data set reports for every review), or, for a
  young person post-16 with no current course, the support back into education, employment or
  training (the checklist follows the review's sections, domain/sections.py);
* the learner's voice: something in "All about me", in their own words;
* at least one target, and a progress rating for every target carried forward from the last
  review (the evaluation: earlier targets are rated, not silently repeated).

Not checked (deliberately): each attendee's agreement, which a checkbox cannot tell apart from
"not asked"; the optional sections (ALN, transition, interventions), which many learners do
not need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..i18n import _
from .calendar import SchoolCalendar, default_calendar

VOICE_FIELDS = ("voice_good_at", "voice_enjoy", "voice_worries", "voice_helps", "voice_future",
                "voice_trusted_adult")


@dataclass(frozen=True)
class Problem:
    """Something missing before a review can be finalised. `record_id` is empty when the fix
    is a new record (no target yet): the editor then takes the user to the list's Add button."""

    entity: str
    record_id: str
    field: str
    message: str


def find_review(record: dict, review_id: str) -> dict | None:
    return next((r for r in record.get("reviews", ()) if r["id"] == review_id), None)


def _live(rows) -> list[dict]:
    return [r for r in rows or () if not r.get("deleted")]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def finalise_problems(record: dict, review_id: str) -> list[Problem]:
    """What is missing before the review can be finalised, in the order of the form (empty when
    it is ready). `record` is `Store.learner_record()`; messages are in the interface language."""
    review = find_review(record, review_id)
    if review is None:
        return [Problem("reviews", review_id, "", _("There is no such PEP review."))]
    problems: list[Problem] = []

    def need(entity: str, record_id: str, field: str, message: str) -> None:
        problems.append(Problem(entity, record_id, field, message))

    rid = review_id
    from .sections import plan_for_record

    plan = plan_for_record(record, review)
    neet = "neet" in plan.circumstances and plan.shows("neet")
    if neet:   # no course to attend: the support back into one instead
        if _blank(review.get("neet_support")):
            need("reviews", rid, "neet_support",
                 _("Say what support the young person has back into education, employment or training."))
    elif review.get("attendance_pct") is None:
        need("reviews", rid, "attendance_pct", _("Record the learner's attendance for the period."))
    if all(_blank(review.get(name)) for name in VOICE_FIELDS):
        need("reviews", rid, VOICE_FIELDS[0],
             _("“All about me” is empty: write down at least one thing in the learner's own words."))

    targets = _live(review.get("targets"))
    if not any(not _blank(t.get("description")) for t in targets):
        need("targets", "", "description", _("Agree at least one target."))
    for number, target in enumerate(targets, 1):
        if target.get("carried_from_id") and not target.get("progress"):
            need("targets", target["id"], "progress",
                 _("Target {number} was carried forward: rate the progress made on it.").format(number=number))

    if _blank(review.get("meeting_date")):
        need("reviews", rid, "meeting_date", _("Enter the date of the review meeting."))
    if _blank(review.get("meeting_language")):
        need("reviews", rid, "meeting_language", _("Choose the language the meeting was held in."))
    next_date = review.get("next_review_date")
    if _blank(next_date):
        need("reviews", rid, "next_review_date", _("Enter the date of the next review."))
    elif not _blank(review.get("meeting_date")) and next_date <= review["meeting_date"]:
        need("reviews", rid, "next_review_date", _("The next review must be after this meeting."))
    if review.get("review_type") == "amendment" and _blank(review.get("amendment_reason")):
        need("reviews", rid, "amendment_reason", _("Say why this review amends the earlier one."))

    attendees = _live(review.get("attendees"))
    if not any(a.get("attendance") == "present" for a in attendees):
        first = attendees[0]["id"] if attendees else ""
        need("attendees", first, "attendance" if first else "name",
             _("Record who attended the meeting: at least one person present."))
    if not any(a.get("role") == "designated_person" for a in attendees):
        need("attendees", "", "role", _("Add the designated person to the people at the meeting."))
    return problems


# "Due soon": the next PEP falls within this many school days (the list, the dashboard, tasks).
DUE_SOON_SCHOOL_DAYS = 20


def next_pep_due(draft_due: str | None, next_review: str | None, looked_after: str | None,
                 last_meeting: str | None, calendar: SchoolCalendar | None = None) -> str | None:
    """When a learner's next PEP is due (ISO date): the earliest open draft's due date, else the
    next review date set at the last finalised review, else, for a learner with no finalised
    review yet, the first PEP's deadline. A PEP is overdue when this date has passed."""
    due = draft_due or next_review
    if due is None and looked_after and last_meeting is None:
        due = (calendar or default_calendar()).first_pep_due(dt.date.fromisoformat(looked_after)).isoformat()
    return due


def current_draft(record: dict) -> dict | None:
    """The learner's draft review, if there is one (the newest by period)."""
    drafts = [r for r in record.get("reviews", ()) if r.get("status") == "draft"]
    return max(drafts, key=lambda r: (r["period_end"], r["id"])) if drafts else None


def next_review_values(review: dict, calendar: SchoolCalendar | None = None) -> dict:
    """The values a termly review that follows `review` (finalised) starts with: the next term
    for its period, due by the end of the term after the meeting's term; the meeting language
    and the ALN status carried forward as a starting point. Targets are carried forward by
    `Store.start_review`."""
    cal = calendar or default_calendar()
    after = dt.date.fromisoformat(review["period_end"])
    term = cal.next_term(after)
    meeting = review.get("meeting_date")
    due = cal.review_due(dt.date.fromisoformat(meeting)) if meeting else term.end
    values = {
        "review_type": "termly",
        "period_start": term.start.isoformat(),
        "period_end": term.end.isoformat(),
        "due_date": due.isoformat(),
    }
    for name in ("meeting_language", "aln_status", "idp_holder", "next_idp_review"):
        if review.get(name) is not None:
            values[name] = review[name]
    return values
