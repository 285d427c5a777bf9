"""The facts behind the coordinator's figures, read once per period: one `LearnerFacts` per learner.

Both the dashboard (`dashboard.py`) and the monitoring report's rows (`monitoring.py`) are
computed from these facts, so a number on the screen and the CSV behind it cannot disagree.

What belongs to a period (from, to), both days included:

* a review belongs when its period (a term) overlaps the period; an amended review gives way
  to its amendment;
* a review is *due* in the period when its due date falls in it and is not after `today`
  (amendments are never due);
* an exclusion belongs by its first day; an intervention by the review it is recorded in;
* a learner's school, year group and placing area are those on the period's last day;
* "due soon" and "overdue" are about the next PEP as the store stands on `today`
  (`lifecycle.next_pep_due`, the learner list's rule).

Reads use covering indexes (migration 0005 and 0004): a review row carries every section's
text, and reading the table itself on a cold 7,500-learner store takes seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import weakref
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ..domain.calendar import SchoolCalendar, default_calendar, year_group
from ..domain.lifecycle import DUE_SOON_SCHOOL_DAYS, next_pep_due
from ..errors import UsageError
from ..i18n import _
from ..perf import without_gc

SCOPE_KINDS = ("school", "year_group", "legal_status", "placing_area", "language_of_learning")
# First PEPs are due 20 school days after a learner becomes looked after: never later than this
# many calendar days (a summer holiday and a half-term in between).
FIRST_PEP_SPAN_DAYS = 120


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise UsageError(_("The period ends ({end}) before it starts ({start}).").format(
                start=self.start.isoformat(), end=self.end.isoformat()))

    def holds(self, day: str | None) -> bool:
        return bool(day) and self.start.isoformat() <= day <= self.end.isoformat()


@dataclass(frozen=True)
class Scope:
    """Which learners: everyone (all None), or those matching every value given."""

    school: str | None = None               # a school id
    year_group: int | None = None
    legal_status: str | None = None
    placing_area: str | None = None         # in_county, out_of_county, out_of_wales
    language_of_learning: str | None = None

    def matches(self, f: "LearnerFacts") -> bool:
        return ((self.school is None or f.school_id == self.school)
                and (self.year_group is None or f.year_group == self.year_group)
                and (self.legal_status is None or f.legal_status == self.legal_status)
                and (self.placing_area is None or f.placing_area == self.placing_area)
                and (self.language_of_learning is None or f.language_of_learning == self.language_of_learning))

    def is_everyone(self) -> bool:
        return all(getattr(self, kind) is None for kind in SCOPE_KINDS)


@dataclass(slots=True)
class ReviewFacts:
    id: str
    review_type: str
    status: str
    period_start: str
    period_end: str
    due_date: str
    meeting_date: str | None
    attendance_pct: float | None
    reduced_timetable: bool
    wellbeing_concern: bool
    rating: str | None = None               # the latest quality rating
    rated_at: str | None = None             # when (ISO); who is read for the app only (dashboard.name_red_reviews)

    @property
    def on_time(self) -> bool:
        return self.status == "finalised" and bool(self.meeting_date) and self.meeting_date <= self.due_date


@dataclass(slots=True)
class LearnerFacts:
    id: str
    reference: str
    upn: str | None
    date_of_birth: str
    legal_status: str
    language_of_learning: str | None
    date_looked_after: str | None
    idp_holder: str | None
    next_idp_review: str | None
    school_id: str | None = None
    school_name: str | None = None
    year_group: int | None = None
    placing_area: str | None = None
    enrolment_reduced: bool = False
    next_due: str | None = None
    overdue: bool = False
    due_soon: bool = False
    first_pep_due: str | None = None        # only when it falls in the period
    first_pep_met: bool = False
    reviews: list[ReviewFacts] = field(default_factory=list)       # overlapping the period
    due_reviews: list[ReviewFacts] = field(default_factory=list)   # due in the period
    exclusions: list[tuple[str, str, float | None]] = field(default_factory=list)  # kind, start, days
    interventions: list[tuple[str, int, str | None]] = field(default_factory=list)  # kind, pence, funding

    @property
    def attendance(self) -> float | None:
        """The mean attendance of the period's reviews that record it."""
        values = [r.attendance_pct for r in self.reviews if r.attendance_pct is not None]
        return round(sum(values) / len(values), 1) if values else None

    @property
    def reduced_timetable(self) -> bool:
        return self.enrolment_reduced or any(r.reduced_timetable for r in self.reviews)

    @property
    def wellbeing_concern(self) -> bool:
        return any(r.wellbeing_concern for r in self.reviews)


@lru_cache(maxsize=4096)
def _first_pep_due(calendar: SchoolCalendar, looked_after: str) -> str:
    """`calendar.first_pep_due` (20 school days on), by bisection in the calendar's school days:
    a first count meets hundreds of dates, and walking 40 days for each took a sixth of it."""
    day = dt.date.fromisoformat(looked_after)
    return (_school_days(calendar).after(day, FIRST_PEP_SCHOOL_DAYS) or calendar.first_pep_due(day)).isoformat()


FIRST_PEP_SCHOOL_DAYS = 20   # as `SchoolCalendar.first_pep_due` (tests/test_dashboard.py holds them equal)


class SchoolDays:
    """A calendar's school days in order (as ordinals), over a span that grows as dates are asked."""

    SPAN = 400   # days listed at a time: a school year and the weeks after it

    def __init__(self, calendar: SchoolCalendar):
        self.calendar = calendar
        self.first = self.last = 0   # the ordinals listed: first <= o < last
        self.days: list[int] = []

    def _list(self, first: int, last: int) -> list[int]:
        school = self.calendar.is_school_day
        return [o for o in range(first, last) if school(dt.date.fromordinal(o))]

    def after(self, day: dt.date, n: int) -> dt.date | None:
        """The nth school day after `day` (as `SchoolCalendar.add_school_days`), or None when
        there is none within a few years."""
        start = day.toordinal() + 1
        if not self.days and self.first == self.last:
            self.first = self.last = start
        if start < self.first:
            self.days = self._list(start, self.first) + self.days
            self.first = start
        while True:
            i = bisect_right(self.days, start - 1)
            if len(self.days) - i >= n:
                return dt.date.fromordinal(self.days[i + n - 1])
            if self.last - start > 4 * self.SPAN:
                return None
            last = max(self.last, start) + self.SPAN
            self.days += self._list(self.last, last)
            self.last = last


@lru_cache(maxsize=8)
def _school_days(calendar: SchoolCalendar) -> SchoolDays:
    return SchoolDays(calendar)


@without_gc
def load(store, period: Period, scope: Scope = Scope(), today: dt.date | None = None,
         calendar: SchoolCalendar | None = None) -> list[LearnerFacts]:
    """The facts of every learner in `scope`, for `period`, sorted by reference: from the summary
    rows (migration 0012) that triggers keep in step with the records, one narrow row per learner
    and per review. The same facts as `load_from_records` (the tests hold them to it)."""
    conn = store.conn
    if not has_summaries(conn):   # a store opened read-only at an older format
        return load_from_records(store, period, scope, today, calendar)
    today = today or dt.date.today()
    start, end = period.start.isoformat(), period.end.isoformat()
    due_until = min(period.end, today).isoformat()   # a review due after today is not yet due
    chosen = learners_in(store, period, scope, today, calendar)
    in_period: dict[str, LearnerFacts] = {}
    for (lid, period_end, period_start, rid, status, rtype, due, meeting, attendance, reduced, concern,
         amended, rating, rated_at) in conn.execute(
            "SELECT learner_id, period_end, period_start, review_id, status, review_type, due_date, meeting_date,"
            " attendance_pct, reduced_timetable, wellbeing_concern, amended, rating, rated_at FROM summary_reviews"
            " WHERE period_end >= ? AND ((period_start <= ? AND period_end >= ?)"
            " OR (due_date BETWEEN ? AND ? AND review_type != 'amendment'))",
            (reviews_from(store, start, due_until), end, start, start, due_until)):
        f = chosen.get(lid)
        if f is None:
            continue
        overlaps = period_start <= end and period_end >= start
        review = ReviewFacts(rid, rtype, status, period_start, period_end, due, meeting, attendance,
                             bool(reduced), bool(concern))
        if overlaps:
            review.rating, review.rated_at = rating, rated_at
            if not amended:
                f.reviews.append(review)
                in_period[rid] = f
        if rtype != "amendment" and start <= due <= due_until:
            f.due_reviews.append(review)

    exclusions(conn, chosen, start, end)
    interventions(conn, in_period, start, end)
    return list(chosen.values())


def learners_in(store, period: Period, scope: Scope, today: dt.date, calendar: SchoolCalendar | None = None
                ) -> dict[str, LearnerFacts]:
    """The learners in `scope` (id -> facts without reviews, exclusions or interventions), in
    order of reference, from their summary rows: school, year group and placing area on the
    period's last day, reduced timetable, the next PEP (overdue, due soon) and the first PEP."""
    conn = store.conn
    cal = calendar or default_calendar()
    start, end = period.start.isoformat(), period.end.isoformat()
    schools = unchanged_reads(store, "schools", _school_names)
    learners: dict[str, LearnerFacts] = {}
    summary: dict[str, tuple] = {}
    later_moves = False
    group_of = _year_group_on(period.end)
    for (lid, ref, upn, dob, legal, language, looked_after, idp, next_idp, draft_due, last_meeting,
         first_meeting, next_review, school_id, school_start, area, placement_start) in unchanged_rows(store,
            "SELECT learner_id, reference, upn, date_of_birth, legal_status, language_of_learning,"
            " date_looked_after, idp_holder, next_idp_review, draft_due, last_meeting, first_meeting, next_review,"
            " school_id, school_start, placing_area, placement_start FROM summary_learners"
            " WHERE (date_looked_after IS NULL OR date_looked_after <= :end)"
            # One school: its learners, and those whose school on the period's last day is found below.
            + (" AND (school_id = :school OR school_start > :end)" if scope.school is not None else "")
            + " ORDER BY reference", {"end": end, "school": scope.school}):
        f = LearnerFacts(lid, ref, upn, dob, legal, language, looked_after, idp, next_idp)
        f.year_group = group_of(dob)
        if school_start is not None:
            if school_start <= end:
                f.school_id, f.school_name = school_id, schools.get(school_id)
            else:
                later_moves = True
        if placement_start is not None:
            if placement_start <= end:
                f.placing_area = area
            else:
                later_moves = True
        learners[lid] = f
        summary[lid] = (draft_due, next_review, last_meeting, first_meeting)
    if later_moves:
        # Some learners moved school or placement after the period: where they were on its last day.
        _school_and_placement(conn, learners, end)
    for (lid,) in unchanged_rows(store, _REDUCED_SQL, (end, start)):
        if lid in learners:
            learners[lid].enrolment_reduced = True
    chosen = learners if scope.is_everyone() else {lid: f for lid, f in learners.items() if scope.matches(f)}
    _due_and_first_peps(chosen, summary, period, today, cal)
    return chosen


class LearnerBrief:
    """What the whole authority's figures need of a learner (`everyone_in`): no scope to match,
    so no year group, placing area or review lists."""

    __slots__ = ("id", "reference", "school_id", "school_name", "enrolment_reduced", "overdue", "due_soon",
                 "first_pep_due", "first_pep_met")

    def __init__(self, lid: str, reference: str, school_id: str | None = None, school_name: str | None = None):
        self.id, self.reference, self.school_id, self.school_name = lid, reference, school_id, school_name
        self.enrolment_reduced = self.overdue = self.due_soon = self.first_pep_met = False
        self.first_pep_due = None


def everyone_in(store, period: Period, today: dt.date, calendar: SchoolCalendar | None = None,
                later: set[str] | None = None, only: list[str] | None = None) -> dict[str, LearnerBrief]:
    """`learners_in` for the whole authority, leaner: one narrow row per learner from a covering
    index in order of reference (then id), the same school, reduced timetable, next PEP and first
    PEP. The learners looked after only after the period are left out (and added to `later`).
    With `only`: those learners (ids), as they are now."""
    conn = store.conn
    cal = calendar or default_calendar()
    start, end = period.start.isoformat(), period.end.isoformat()
    soon = cal.add_school_days(today, DUE_SOON_SCHOOL_DAYS).isoformat()
    today_iso = today.isoformat()
    recent = (period.start - dt.timedelta(days=FIRST_PEP_SPAN_DAYS)).isoformat()
    schools = unchanged_reads(store, "schools", _school_names)
    reduced = {lid for (lid,) in unchanged_rows(store, _REDUCED_SQL, (end, start))}
    learners: dict[str, LearnerBrief] = {}
    later_moves = []   # learners whose latest school started after the period
    rows = unchanged_reads(store, "everyone", _everyone_rows) if only is None else _everyone_rows(conn, only)
    for lid, ref, looked_after, next_due, no_meeting, first_meeting, school_id, school_start in rows:
        if looked_after and looked_after > end:
            if later is not None:
                later.add(lid)
            continue
        f = learners[lid] = LearnerBrief(lid, ref)
        if school_start is not None:
            if school_start <= end:
                f.school_id, f.school_name = school_id, schools.get(school_id)
            else:
                later_moves.append(lid)
        if lid in reduced:
            f.enrolment_reduced = True
        if not next_due and looked_after and no_meeting:
            next_due = _first_pep_due(cal, looked_after)
        if next_due:
            if next_due < today_iso:
                f.overdue = True
            elif next_due <= soon:
                f.due_soon = True
        if looked_after and looked_after >= recent:
            first_due = _first_pep_due(cal, looked_after)
            if start <= first_due <= end:
                f.first_pep_due = first_due
                f.first_pep_met = bool(first_meeting) and first_meeting <= first_due
    if later_moves:
        # Their school on the period's last day: the latest one started by then (SQLite's bare
        # columns come from the row holding the max), looked up by learner.
        for lid, _latest, school_id, name in unchanged_rows(store,
                "SELECT e.learner_id, max(e.start_date), e.school_id, s.name FROM enrolments e INDEXED BY enrolments_current"
                " JOIN schools s ON s.id = e.school_id WHERE e.learner_id IN (SELECT value FROM json_each(?))"
                " AND coalesce(e.deleted, 0) = 0 AND e.start_date <= ? GROUP BY e.learner_id",
                (json.dumps(later_moves), end)):
            learners[lid].school_id, learners[lid].school_name = school_id, name
    return learners


# Reads kept per store while it is unchanged (`unchanged_reads`).
_READS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def forget_reads() -> None:
    """Drops every read kept (`unchanged_reads`, `changes`): the next figures are read from the store."""
    from . import changes

    _READS.clear()
    changes.forget()


def unchanged_reads(store, name, read):
    """`read(store.conn)`, read again only when the store has changed since: any write on this
    connection (`total_changes`, triggers' writes included) or a commit by another connection,
    another device's sync in another process for one (`PRAGMA data_version`); inside a
    transaction, always read. With `read` None: what is kept, else None. Nothing is kept on
    disk, and callers put what the read depends on (the period, the day the figures are asked
    on) in `name`."""
    conn = store.conn
    if conn.in_transaction:   # what is read may yet be rolled back (and `total_changes` never goes back)
        return None if read is None else read(conn)
    version = (id(conn), conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
    kept = _READS.get(store)
    if kept is None or kept[0] != version or len(kept[1]) > 64:   # many periods asked: start again
        kept = _READS[store] = (version, {})
    if name not in kept[1]:
        if read is None:
            return None
        kept[1][name] = read(conn)
    return kept[1][name]


def unchanged_rows(store, sql: str, params=()) -> list[tuple]:
    """The rows of a query, through `unchanged_reads`."""
    key = (sql, tuple(sorted(params.items())) if isinstance(params, dict) else tuple(params))
    return unchanged_reads(store, key, lambda conn: conn.execute(sql, params).fetchall())


def _school_names(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT id, name FROM schools"))


def _everyone_rows(conn, only: list[str] | None = None) -> list[tuple]:
    # `next_pep_due`: the open draft's due date, else the latest review's next review date.
    return conn.execute(
        "SELECT learner_id, reference, date_looked_after, coalesce(nullif(draft_due, ''), nullif(next_review, '')),"
        " last_meeting IS NULL, first_meeting, school_id, school_start FROM summary_learners"
        + (" WHERE learner_id IN (SELECT value FROM json_each(?))" if only is not None else "")
        + " ORDER BY reference, learner_id", () if only is None else (json.dumps(only),)).fetchall()


def reference_order(reference: str | None, learner_id: str):
    """The sort key of `ORDER BY reference, learner_id` (SQLite's binary order is the code points')."""
    return (reference is not None, reference or "", learner_id)


def reviews_from(store, start: str, due_until: str) -> str:
    """The earliest period end of the reviews that count in or are due in a period from `start`
    (reviews due until `due_until`): `start`, or earlier for a review due in the period after its
    own period ended (a few, from the partial index of migration 0015). The summary's rows are
    stored by period end, so the figures read from here on, not every year."""
    def read(conn):
        (earliest,) = conn.execute(
            "SELECT min(period_end) FROM summary_reviews WHERE due_date > period_end AND due_date BETWEEN ? AND ?",
            (start, due_until)).fetchone()
        return min(start, earliest) if earliest else start
    return unchanged_reads(store, ("reviews_from", start, due_until), read)


def has_summaries(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'summary_reviews'").fetchone() is not None


def _year_group_on(day: dt.date):
    """`year_group(date_of_birth, day)` for ISO dates of birth, each worked out once."""
    groups: dict[str, int] = {}

    def group(dob: str) -> int:
        g = groups.get(dob)
        if g is None:
            g = groups[dob] = year_group(dt.date.fromisoformat(dob), day)
        return g
    return group


def _school_and_placement(conn, learners: dict[str, LearnerFacts], end: str) -> None:
    """The school and the placement on the period's last day of the learners whose latest one
    started after it: the latest one started by then (SQLite's bare columns come from the row
    holding the max)."""
    for lid, school_id, name in _schools_on(conn, end):
        if lid in learners:
            learners[lid].school_id, learners[lid].school_name = school_id, name
    for lid, _latest, area in conn.execute(
            "SELECT learner_id, max(start_date), placing_area FROM placements"
            " WHERE coalesce(deleted, 0) = 0 AND start_date <= ?"
            " AND learner_id IN (SELECT learner_id FROM summary_learners WHERE placement_start > ?)"
            " GROUP BY learner_id", (end, end)):
        if lid in learners:
            learners[lid].placing_area = area


def _schools_on(conn, end: str):
    """(learner, school id, name) on `end` of the learners whose latest school started after it."""
    for lid, _latest, school_id, name in conn.execute(_SCHOOLS_ON_SQL, (end, end)):
        yield lid, school_id, name


_SCHOOLS_ON_SQL = (
    "SELECT e.learner_id, max(e.start_date), e.school_id, s.name FROM enrolments e"
    " JOIN schools s ON s.id = e.school_id WHERE coalesce(e.deleted, 0) = 0 AND e.start_date <= ?"
    " AND e.learner_id IN (SELECT learner_id FROM summary_learners WHERE school_start > ?)"
    " GROUP BY e.learner_id")


_REDUCED_SQL = ("SELECT DISTINCT learner_id FROM enrolments WHERE coalesce(deleted, 0) = 0 AND reduced_timetable = 1"
                " AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)")


def _due_and_first_peps(chosen: dict[str, LearnerFacts], summary: dict[str, tuple], period: Period,
                        today: dt.date, cal: SchoolCalendar) -> None:
    """The next PEP (overdue, due soon: as the store stands on `today`) and the first PEP due in the period."""
    soon = cal.add_school_days(today, DUE_SOON_SCHOOL_DAYS).isoformat()
    today_iso = today.isoformat()
    start, end = period.start.isoformat(), period.end.isoformat()
    recent = (period.start - dt.timedelta(days=FIRST_PEP_SPAN_DAYS)).isoformat()
    for lid, f in chosen.items():
        draft_due, next_review, last_meeting, first_meeting = summary[lid]
        # `next_pep_due`, with the first PEP's deadline from the cache.
        f.next_due = draft_due or next_review or (_first_pep_due(cal, f.date_looked_after)
                                                  if f.date_looked_after and last_meeting is None else None)
        f.overdue = bool(f.next_due and f.next_due < today_iso)
        f.due_soon = bool(f.next_due and not f.overdue and f.next_due <= soon)
        looked_after = f.date_looked_after
        if looked_after and looked_after >= recent:
            first_due = _first_pep_due(cal, looked_after)
            if start <= first_due <= end:
                # The first PEP is the first initial review; it counts when finalised by the deadline.
                f.first_pep_due = first_due
                f.first_pep_met = bool(first_meeting) and first_meeting <= first_due


def exclusions(conn, chosen: dict[str, LearnerFacts], start: str, end: str) -> None:
    for lid, kind, first_day, days in conn.execute(
            "SELECT r.learner_id, x.kind, x.start_date, x.days FROM exclusions x"
            " JOIN reviews r INDEXED BY reviews_period ON r.id = x.review_id"
            " WHERE coalesce(x.deleted, 0) = 0 AND x.start_date BETWEEN ? AND ?", (start, end)):
        f = chosen.get(lid)
        if f is not None:
            f.exclusions.append((kind, first_day, days))


def interventions(conn, in_period: dict[str, LearnerFacts], start: str, end: str) -> None:
    for rid, kind, pence, funding in conn.execute(
            "SELECT review_id, kind, cost_pence, funding FROM summary_interventions"
            " WHERE period_start <= ? AND period_end >= ?", (end, start)):
        f = in_period.get(rid)
        if f is not None:
            f.interventions.append((kind, pence or 0, funding))


@without_gc
def load_from_records(store, period: Period, scope: Scope = Scope(), today: dt.date | None = None,
                      calendar: SchoolCalendar | None = None) -> list[LearnerFacts]:
    """The facts of every learner in `scope`, for `period`, sorted by reference, grouped from the
    records themselves (the reviews, ratings, enrolments and placements of the whole store): what
    `load` gives from the summary rows, kept as its reference."""
    cal = calendar or default_calendar()
    today = today or dt.date.today()
    start, end = period.start.isoformat(), period.end.isoformat()
    due_until = min(period.end, today).isoformat()   # a review due after today is not yet due
    conn = store.conn
    learners: dict[str, LearnerFacts] = {}
    for row in conn.execute(
            "SELECT id, reference, upn, date_of_birth, legal_status, language_of_learning, date_looked_after,"
            " idp_holder, next_idp_review FROM learners WHERE date_looked_after IS NULL OR date_looked_after <= ?",
            (end,)):
        f = LearnerFacts(*row)
        f.year_group = year_group(dt.date.fromisoformat(f.date_of_birth), period.end)
        learners[f.id] = f

    # The school and the placement on the period's last day: the latest one started by then
    # (SQLite's bare columns come from the row holding the max).
    for lid, _latest, school_id, name in conn.execute(
            "SELECT e.learner_id, max(e.start_date), e.school_id, s.name FROM enrolments e"
            " JOIN schools s ON s.id = e.school_id WHERE coalesce(e.deleted, 0) = 0 AND e.start_date <= ?"
            " GROUP BY e.learner_id", (end,)):
        if lid in learners:
            learners[lid].school_id, learners[lid].school_name = school_id, name
    for (lid,) in conn.execute(
            "SELECT DISTINCT learner_id FROM enrolments WHERE coalesce(deleted, 0) = 0 AND reduced_timetable = 1"
            " AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)", (end, start)):
        if lid in learners:
            learners[lid].enrolment_reduced = True
    for lid, _latest, area in conn.execute(
            "SELECT learner_id, max(start_date), placing_area FROM placements"
            " WHERE coalesce(deleted, 0) = 0 AND start_date <= ? GROUP BY learner_id", (end,)):
        if lid in learners:
            learners[lid].placing_area = area
    chosen = {lid: f for lid, f in learners.items() if scope.matches(f)}

    # Reviews, from the covering index alone: the period's rows, and per learner what the next
    # PEP's due date needs (SQLite's bare column beside a single max() comes from that row).
    by_review: dict[str, tuple[LearnerFacts, ReviewFacts]] = {}
    in_period: dict[str, LearnerFacts] = {}
    summary: dict[str, list] = {}   # learner -> [earliest draft due, next review of the latest finalised, last meeting]
    first_meeting: dict[str, str] = {}   # learner -> the first finalised initial review's meeting
    for lid, draft_due, last_meeting, first in conn.execute(
            "SELECT learner_id, min(CASE WHEN status = 'draft' THEN due_date END),"
            " max(CASE WHEN status = 'finalised' THEN meeting_date END),"
            " min(CASE WHEN status = 'finalised' AND review_type = 'initial' THEN meeting_date END)"
            " FROM reviews INDEXED BY reviews_monitoring GROUP BY learner_id"):
        if lid in chosen:
            summary[lid] = [draft_due, None, last_meeting]
            if first:
                first_meeting[lid] = first
    for lid, _latest, next_review in conn.execute(
            # A finalised amendment replaces what it amends (as in the learner list, where the latest
            # finalised review is the newest amendment); leaving the amended ones out spares a sort key.
            "SELECT learner_id, max(period_end), next_review_date FROM reviews INDEXED BY reviews_monitoring"
            " WHERE status = 'finalised' AND id NOT IN (SELECT amends_review_id FROM reviews"
            " WHERE amends_review_id IS NOT NULL AND status = 'finalised') GROUP BY learner_id"):
        if lid in summary:
            summary[lid][1] = next_review
    amended = {rid for (rid,) in conn.execute(
        "SELECT amends_review_id FROM reviews WHERE amends_review_id IS NOT NULL")}
    for (lid, period_end, period_start, rid, status, rtype, due, meeting, attendance, reduced,
         concern) in conn.execute(
            "SELECT learner_id, period_end, period_start, id, status, review_type, due_date, meeting_date,"
            " attendance_pct, reduced_timetable, wellbeing_concern FROM reviews INDEXED BY reviews_monitoring"
            " WHERE (period_start <= ? AND period_end >= ?)"
            " OR (due_date BETWEEN ? AND ? AND review_type != 'amendment')", (end, start, start, due_until)):
        f = chosen.get(lid)
        if f is None:
            continue
        review = ReviewFacts(rid, rtype, status, period_start, period_end, due, meeting, attendance,
                             bool(reduced), bool(concern))
        if period_start <= end and period_end >= start and rid not in amended:
            f.reviews.append(review)
            by_review[rid] = (f, review)
            in_period[rid] = f
        if rtype != "amendment" and start <= due <= due_until:
            f.due_reviews.append(review)
            by_review.setdefault(rid, (f, review))

    soon = cal.add_school_days(today, DUE_SOON_SCHOOL_DAYS).isoformat()
    today_iso = today.isoformat()
    recent = (period.start - dt.timedelta(days=FIRST_PEP_SPAN_DAYS)).isoformat()
    for lid, f in chosen.items():
        draft_due, next_review, last_meeting = summary.get(lid, (None, None, None))
        f.next_due = next_pep_due(draft_due, next_review, f.date_looked_after, last_meeting, cal)
        f.overdue = bool(f.next_due and f.next_due < today_iso)
        f.due_soon = bool(f.next_due and not f.overdue and f.next_due <= soon)
        looked_after = f.date_looked_after
        if looked_after and looked_after >= recent:
            first_due = _first_pep_due(cal, looked_after)
            if start <= first_due <= end:
                # The first PEP is the first initial review; it counts when finalised by the deadline.
                f.first_pep_due = first_due
                f.first_pep_met = lid in first_meeting and first_meeting[lid] <= first_due

    rated_at: dict[str, str] = {}
    for rid, rating, when in conn.execute(
            "SELECT q.review_id, q.rating, q.rated_at FROM reviews r INDEXED BY reviews_monitoring"
            " JOIN quality_ratings q INDEXED BY quality_ratings_summary ON q.review_id = r.id"
            " WHERE r.period_start <= ? AND r.period_end >= ? AND coalesce(q.deleted, 0) = 0", (end, start)):
        found = by_review.get(rid)
        if found is not None and (when or "") >= rated_at.get(rid, ""):   # the latest rating counts
            rated_at[rid] = when or ""
            found[1].rating, found[1].rated_at = rating, when
    for lid, kind, first_day, days in conn.execute(
            "SELECT r.learner_id, x.kind, x.start_date, x.days FROM exclusions x"
            " JOIN reviews r INDEXED BY reviews_period ON r.id = x.review_id"
            " WHERE coalesce(x.deleted, 0) = 0 AND x.start_date BETWEEN ? AND ?", (start, end)):
        f = chosen.get(lid)
        if f is not None:
            f.exclusions.append((kind, first_day, days))
    for rid, kind, pence, funding in conn.execute(
            "SELECT i.review_id, i.kind, i.cost_pence, i.funding FROM reviews r INDEXED BY reviews_monitoring"
            " JOIN interventions i ON i.review_id = r.id"
            " WHERE r.period_start <= ? AND r.period_end >= ? AND coalesce(i.deleted, 0) = 0", (end, start)):
        f = in_period.get(rid)
        if f is not None:
            f.interventions.append((kind, pence or 0, funding))
    return sorted(chosen.values(), key=lambda f: f.reference)
