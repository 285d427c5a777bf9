"""School and working days in Wales, and the PEP due dates that depend on them.

Term dates differ a little between local authorities; the default below follows the usual
Welsh pattern (three terms, a half-term week in each, bank holidays of England and Wales).
An authority's IT team gives its own term dates and closures in the machine-wide settings
(`calendar_from_json`); `default_calendar()` is then that calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from ..i18n import _

ONE_DAY = dt.timedelta(days=1)


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (the anonymous algorithm, as in Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _monday_on_or_after(d: dt.date) -> dt.date:
    return d + dt.timedelta(days=(7 - d.weekday()) % 7)


def _weekday_on_or_before(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d -= ONE_DAY
    return d


def _first_monday(year: int, month: int) -> dt.date:
    return _monday_on_or_after(dt.date(year, month, 1))


def _last_monday(year: int, month: int) -> dt.date:
    d = dt.date(year, month + 1, 1) - ONE_DAY if month < 12 else dt.date(year, 12, 31)
    return d - dt.timedelta(days=d.weekday())


@lru_cache(maxsize=None)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays, with substitute days for weekends."""
    easter = easter_sunday(year)
    days = {
        easter - 2 * ONE_DAY, easter + ONE_DAY,
        _first_monday(year, 5), _last_monday(year, 5), _last_monday(year, 8),
    }
    new_year = dt.date(year, 1, 1)
    days.add(new_year if new_year.weekday() < 5 else _monday_on_or_after(new_year))
    christmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if christmas.weekday() == 5:      # Saturday: Mon 27, Tue 28
        days |= {dt.date(year, 12, 27), dt.date(year, 12, 28)}
    elif christmas.weekday() == 6:    # Sunday: Boxing Day Mon 26, Tue 27
        days |= {boxing, dt.date(year, 12, 27)}
    elif boxing.weekday() == 5:       # Friday 25, Sat 26: Mon 28
        days |= {christmas, dt.date(year, 12, 28)}
    else:
        days |= {christmas, boxing}
    return frozenset(days)


@dataclass(frozen=True)
class Term:
    name: str           # "autumn", "spring", "summer"
    start: dt.date
    end: dt.date
    half_term: tuple[dt.date, dt.date]


def default_terms(academic_year: int) -> list[Term]:
    """The terms of the school year starting in September of `academic_year`."""
    y, n = academic_year, academic_year + 1
    autumn_start = dt.date(y, 9, 2)
    while autumn_start.weekday() >= 5:
        autumn_start += ONE_DAY
    oct_half = dt.date(y, 10, 28) - dt.timedelta(days=dt.date(y, 10, 28).weekday())
    autumn = Term("autumn", autumn_start, _weekday_on_or_before(dt.date(y, 12, 20)), (oct_half, oct_half + 4 * ONE_DAY))
    easter = easter_sunday(n)
    spring_start = dt.date(n, 1, 5)
    while spring_start.weekday() >= 5:
        spring_start += ONE_DAY
    feb_half = dt.date(n, 2, 14) - dt.timedelta(days=dt.date(n, 2, 14).weekday())
    spring_end = easter - dt.timedelta(days=9)  # the Friday a week before Easter
    spring = Term("spring", spring_start, spring_end, (feb_half, feb_half + 4 * ONE_DAY))
    summer_start = easter + dt.timedelta(days=8)  # the Monday a week after Easter Monday
    may_half = _last_monday(n, 5)
    summer = Term("summer", summer_start, _weekday_on_or_before(dt.date(n, 7, 19)), (may_half, may_half + 4 * ONE_DAY))
    return [autumn, spring, summer]


@dataclass(frozen=True, eq=False)
class SchoolCalendar:
    """Term dates and holidays; `extra_closures` holds an authority's INSET and other closed days."""

    terms_for_year: callable = default_terms
    extra_closures: frozenset = field(default_factory=frozenset)

    @lru_cache(maxsize=64)
    def terms(self, academic_year: int) -> tuple[Term, ...]:
        return tuple(self.terms_for_year(academic_year))

    def term_containing(self, d: dt.date) -> Term | None:
        year = d.year if d.month >= 8 else d.year - 1
        for term in self.terms(year):
            if term.start <= d <= term.end:
                return term
        return None

    def is_working_day(self, d: dt.date) -> bool:
        return d.weekday() < 5 and d not in bank_holidays(d.year)

    def is_school_day(self, d: dt.date) -> bool:
        if not self.is_working_day(d) or d in self.extra_closures:
            return False
        term = self.term_containing(d)
        return term is not None and not (term.half_term[0] <= d <= term.half_term[1])

    def add_school_days(self, start: dt.date, n: int) -> dt.date:
        """The nth school day after `start` (start itself does not count)."""
        d = start
        while n > 0:
            d += ONE_DAY
            if self.is_school_day(d):
                n -= 1
        return d

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        d = start
        while n > 0:
            d += ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def next_term(self, d: dt.date) -> Term:
        """The first term that starts after `d`."""
        year = d.year - 1
        while True:
            for term in self.terms(year):
                if term.start > d:
                    return term
            year += 1

    def review_due(self, meeting: dt.date) -> dt.date:
        """A termly review is due by the end of the term after the one the last meeting was in."""
        current = self.term_containing(meeting)
        after = self.next_term(current.end if current else meeting)
        return after.end

    def first_pep_due(self, looked_after: dt.date) -> dt.date:
        """The first PEP: within 20 school days of becoming looked after (or of a school move)."""
        return self.add_school_days(looked_after, 20)

    def pep_start_due(self, looked_after: dt.date) -> dt.date:
        """The PEP is started within 10 working days (the care and support plan deadline)."""
        return self.add_working_days(looked_after, 10)


TERM_NAMES = ("autumn", "spring", "summer")


@dataclass(frozen=True)
class AuthorityTerms:
    """An authority's own term dates for the school years it lists; the usual pattern for the others."""

    years: tuple[tuple[int, tuple[Term, ...]], ...]

    def __call__(self, academic_year: int) -> list[Term]:
        return list(dict(self.years).get(academic_year) or default_terms(academic_year))


def _date(value, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(_("{where}: “{value}” is not a date written as YYYY-MM-DD.").format(
            where=where, value=value)) from None


def _terms_of_year(year: int, listed) -> tuple[Term, ...]:
    where = _("school year {year}").format(year=f"{year}/{(year + 1) % 100:02d}")
    if not isinstance(listed, list) or not listed:
        raise ValueError(_("{where}: give a list of terms.").format(where=where))
    terms = []
    for item in listed:
        if not isinstance(item, dict) or item.get("name") not in TERM_NAMES:
            raise ValueError(_("{where}: every term needs a name: autumn, spring or summer.").format(where=where))
        at = f"{where}, {item['name']}"
        start, end = _date(item.get("start"), at), _date(item.get("end"), at)
        half = item.get("half_term")
        if not isinstance(half, list) or len(half) != 2:
            raise ValueError(_("{where}: give the half-term as its first and last day.").format(where=at))
        half_term = (_date(half[0], at), _date(half[1], at))
        if not (dt.date(year, 8, 1) <= start <= end < dt.date(year + 1, 8, 1)):
            raise ValueError(_("{where}: the term must start on or before its end, between August {first} "
                               "and July {last}.").format(where=at, first=year, last=year + 1))
        if not (start <= half_term[0] <= half_term[1] <= end):
            raise ValueError(_("{where}: the half-term must fall within the term.").format(where=at))
        if terms and start <= terms[-1].end:
            raise ValueError(_("{where}: the terms must be in order and must not overlap.").format(where=where))
        terms.append(Term(item["name"], start, end, half_term))
    return tuple(terms)


def calendar_from_json(data) -> SchoolCalendar:
    """An authority's calendar from the "calendar" object of the machine-wide settings:

        {"terms": {"2026": [{"name": "autumn", "start": "2026-09-01", "end": "2026-12-18",
                             "half_term": ["2026-10-26", "2026-10-30"]}, ...]},
         "closures": ["2026-09-01", "2027-01-04"]}

    "terms" is keyed by the year the school year starts in; years not listed follow the usual
    Welsh pattern. "closures" are INSET and other days the schools are closed. Raises ValueError
    with a sentence that says what is wrong and where.
    """
    if not isinstance(data, dict):
        raise ValueError(_("The calendar must be an object with “terms” and “closures”."))
    terms = data.get("terms", {})
    if not isinstance(terms, dict):
        raise ValueError(_("The calendar's “terms” must be an object keyed by the year each school year starts."))
    years = []
    for key, listed in sorted(terms.items()):
        if not (isinstance(key, str) and key.isdigit() and 2000 <= int(key) <= 2100):
            raise ValueError(_("The calendar's “terms” are keyed by a year such as “2026”, not “{key}”.").format(key=key))
        years.append((int(key), _terms_of_year(int(key), listed)))
    closures = data.get("closures", [])
    if not isinstance(closures, list):
        raise ValueError(_("The calendar's “closures” must be a list of dates."))
    closed = frozenset(_date(day, "closures") for day in closures)
    return SchoolCalendar(AuthorityTerms(tuple(years)), closed)


@lru_cache(maxsize=1)
def default_calendar() -> SchoolCalendar:
    """The local authority's calendar when the machine-wide settings give one, else the usual Welsh pattern."""
    from ..settings import machine_calendar

    calendar, _problem = machine_calendar()
    return calendar or SchoolCalendar()


def year_group(date_of_birth: dt.date, on: dt.date) -> int:
    """Welsh school year group (Reception is 0, Nursery -1): a cohort is born 1 September to 31 August."""
    academic_year = on.year if on.month >= 9 else on.year - 1
    age_on_aug_31 = academic_year - date_of_birth.year - ((date_of_birth.month, date_of_birth.day) > (8, 31))
    return age_on_aug_31 - 4
