"""A PEP review's phase: early years, school age or post-16, from the learner's date of birth and
the review's period, and the circumstances that bring sections of their own.

The Welsh school year runs from 1 September to 31 August, so a cohort is born between
1 September and 31 August (`calendar.year_group`: Reception is 0, Year 12 the year in which
they turn 17). The phases:

* early years: nursery and reception, to the end of the school year in which the learner turns 5
  (year group 0 or below). Funded early education starts the term after the third birthday
  (`early_years_from`); a PEP for a younger child is still an early years PEP.
* school age: years 1 to 11;
* post-16: from the school year in which they turn 17, to 18 and beyond for a care leaver in
  education (year group 12 and above).

Nothing here is stored: the phase is worked out when asked, from the review's period (its first
day) or, for a review without one, the day it is asked. A review's `phase_override` (with its
reason) wins over the computed phase.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from .calendar import SchoolCalendar, default_calendar, year_group

EARLY_YEARS, SCHOOL_AGE, POST16 = "early_years", "school_age", "post16"
PHASES = (EARLY_YEARS, SCHOOL_AGE, POST16)

# Year groups where a learner changes stage: nursery to reception (a primary school), early years
# to year 1, primary to secondary, key stage 4, post-16. A move across one is a transition.
STAGE_STARTS = (0, 1, 7, 10, 12)


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def phase_on(date_of_birth: dt.date, on: dt.date) -> str:
    """The phase of a learner born on `date_of_birth`, in the school year that holds `on`."""
    group = year_group(date_of_birth, on)
    if group <= 0:
        return EARLY_YEARS
    if group >= 12:
        return POST16
    return SCHOOL_AGE


def birthday(date_of_birth: dt.date, age: int) -> dt.date:
    """The day someone turns `age` (born on 29 February: 1 March in a common year, as the law has it)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:
        return dt.date(date_of_birth.year + age, 3, 1)


def early_years_from(date_of_birth: dt.date, calendar: SchoolCalendar | None = None) -> dt.date:
    """The first day of the term after the third birthday: when funded early education starts."""
    return (calendar or default_calendar()).next_term(birthday(date_of_birth, 3)).start


def stage(group: int) -> int:
    return bisect_right(STAGE_STARTS, group)


def reference_date(review: dict, today: dt.date | None = None) -> dt.date:
    """The day a review's phase is worked out on: the first day of its period (else today)."""
    return _date(review.get("period_start")) or today or dt.date.today()


def computed_phase(review: dict, learner: dict, today: dt.date | None = None) -> str | None:
    """The phase from the date of birth and the review's period; None without a date of birth."""
    dob = _date(learner.get("date_of_birth"))
    if dob is None:
        return None
    return phase_on(dob, reference_date(review, today))


def review_phase(review: dict, learner: dict, today: dt.date | None = None) -> str:
    """The review's phase: its override when one is set, else the computed phase (school age
    when the learner has no date of birth)."""
    override = review.get("phase_override")
    if override in PHASES:
        return override
    return computed_phase(review, learner, today) or SCHOOL_AGE


def stage_change_ahead(date_of_birth: dt.date, on: dt.date, calendar: SchoolCalendar | None = None) -> bool:
    """Whether the learner changes stage (nursery to primary, year 6 to 7, …) within the next two
    terms: their stage in the second term after `on` differs from their stage on `on`."""
    cal = calendar or default_calendar()
    horizon = two_terms_ahead(on, cal)
    return stage(year_group(date_of_birth, on)) != stage(year_group(date_of_birth, horizon))


def two_terms_ahead(on: dt.date, calendar: SchoolCalendar | None = None) -> dt.date:
    """The last day of the second term after the one `on` falls in (or before)."""
    cal = calendar or default_calendar()
    return cal.next_term(cal.next_term(on).start).end
