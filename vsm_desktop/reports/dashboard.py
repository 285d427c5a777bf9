"""The coordinator's dashboard: the cohort's figures for a period and a scope.

Every figure is a `Figure`: the learners behind it (ids, so that the app can open the list of
exactly those learners) and, where the figure is not simply a number of learners, its value
(days, pence, reviews, a percentage). `compute` reads the summary rows (`from_summaries`) and
counts in plain Python; the reads are kept while the store is unchanged (`cohort.unchanged_reads`),
so asking again for a period only counts, and the whole authority's are brought up to date after
this connection's edits learner by learner (`_EveryoneReads`, `changes`). Nothing here imports Qt.

Attendance bands follow Welsh Government practice: 95 % or more; 90 % to under 95 %; under
90 % is persistent absence. A learner's attendance for a period is the mean of the attendance
recorded in the period's reviews.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import NamedTuple

from ..domain import model
from ..domain.calendar import SchoolCalendar, Term, default_calendar
from ..i18n import N_, _, format_percent
from ..perf import without_gc
from . import changes
from .cohort import (
    LearnerFacts, Period, Scope, everyone_in, has_summaries, learners_in, load_from_records, reference_order,
    reviews_from, unchanged_reads, unchanged_rows,
)

BANDS = ("95_plus", "90_95", "below_90")
# The percentages are placeholders formatted by Babel ("95%"), so no label reads as a
# printf-style format to gettext tools.
BAND_LABELS = {"95_plus": N_("{high} or more"), "90_95": N_("{low} to under {high}"),
               "below_90": N_("Under {low} (persistent absence)")}
TERM_LABELS = {"autumn": N_("Autumn {year}"), "spring": N_("Spring {year}"), "summer": N_("Summer {year}")}


def band_label(band: str) -> str:
    """An attendance band's label in the current language, e.g. "90% to under 95%"."""
    return _(BAND_LABELS[band]).format(low=format_percent(90, 0), high=format_percent(95, 0))


def attendance_band(pct: float | None) -> str | None:
    if pct is None:
        return None
    return "95_plus" if pct >= 95 else ("90_95" if pct >= 90 else "below_90")


@dataclass
class Figure:
    """Learners behind a figure; `value` when the figure counts something else."""

    ids: tuple[str, ...] = ()
    value: float | int | None = None

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def amount(self) -> float | int:
        return self.count if self.value is None else self.value


def _figure(ids, value=None) -> Figure:
    return Figure(tuple(dict.fromkeys(ids)), value)   # each learner once, in the order met


def _figure_of_distinct(ids, value=None) -> Figure:
    """`_figure` of ids known to be distinct (one entry per learner)."""
    return Figure(tuple(ids), value)


class RedReview(NamedTuple):
    """A review rated red in the period. The learner's name and who rated are filled in only for
    the app (`name_red_reviews`): the report that leaves the authority names nobody, and the
    figures are counted from covering indexes that hold neither."""

    learner_id: str
    review_id: str
    meeting_date: str | None
    reference: str
    school: str | None = None
    rated_by: str | None = None
    rated_at: str | None = None
    name: str = ""


@dataclass
class TermFigures:
    """One term of the trend charts."""

    key: str                       # "2025-autumn"
    name: str                      # autumn, spring, summer
    year: int                      # the calendar year the term starts in
    start: dt.date
    end: dt.date
    attendance: Figure = field(default_factory=Figure)       # value: mean attendance %
    bands: dict[str, Figure] = field(default_factory=dict)
    fixed_term: Figure = field(default_factory=Figure)       # value: days
    fixed_term_exclusions: int = 0
    permanent: Figure = field(default_factory=Figure)        # value: exclusions

    @property
    def label(self) -> str:
        return _(TERM_LABELS[self.name]).format(year=self.year)


@dataclass
class SchoolFigures:
    school_id: str
    name: str
    due: Figure                    # value: reviews due in the period
    on_time: Figure                # value: of those, finalised by their due date

    @property
    def rate(self) -> float | None:
        return 100 * self.on_time.amount / self.due.amount if self.due.amount else None


@dataclass
class InterventionFigures:
    kind: str
    learners: Figure               # value: number of interventions
    cost_pence: int
    pdg_cla_pence: int


@dataclass
class Dashboard:
    period: Period
    scope: Scope
    today: dt.date
    learners: Figure
    due_soon: Figure
    overdue: Figure
    reviews_due: Figure            # value: reviews due in the period
    completed_on_time: Figure      # value: reviews
    completed_late: Figure         # value: reviews
    not_completed: Figure          # value: reviews
    first_peps_due: Figure
    first_peps_on_time: Figure
    ratings: dict[str, Figure]     # value: reviews rated
    red_reviews: list[RedReview]
    bands: dict[str, Figure]
    no_attendance: Figure
    terms: list[TermFigures]
    fixed_term: Figure             # value: days
    permanent: Figure              # value: exclusions
    reduced_timetable: Figure
    wellbeing_concerns: Figure
    interventions: list[InterventionFigures]
    spend_pence: Figure            # value: total cost of the period's interventions
    pdg_cla_pence: Figure          # value: PDG-CLA spend
    schools: list[SchoolFigures]
    funding: "FundingFigures | None" = None   # PDG-CLA requests and allocations (attach_funding)

    @property
    def has_data(self) -> bool:
        """False when the period holds no review, exclusion or PEP due: the report says so."""
        return bool(self.reviews_due.value or any(t.attendance.ids for t in self.terms)
                    or self.fixed_term.ids or self.permanent.ids or self.first_peps_due.ids
                    or any(f.ids for f in self.ratings.values()))

    def completion_rate(self) -> float | None:
        due = self.reviews_due.amount
        return 100 * self.completed_on_time.amount / due if due else None

    def terms_so_far(self) -> list[TermFigures]:
        """The period's terms that have started by `today`: a term still to come has no figures
        to show (drawn as 0 it would read as "no absence, no exclusion")."""
        return [t for t in self.terms if t.start <= self.today]

    def is_current(self, term: TermFigures) -> bool:
        return term.start <= self.today <= term.end

    def schools_worst_first(self) -> list[SchoolFigures]:
        """Schools with reviews due, the lowest on-time rate first (then by name): the ones to
        chase. The chart of the app and of the PDF both show this order."""
        return sorted((s for s in self.schools if s.rate is not None), key=lambda s: (s.rate, s.name))


def term_label_for(day: dt.date, calendar: SchoolCalendar | None = None) -> str | None:
    """The term a day falls in, as said ("Autumn 2026"), or None in a holiday."""
    cal = calendar or default_calendar()
    for year in (day.year - 1, day.year):
        for term in cal.terms(year):
            if term.start <= day <= term.end:
                return _(TERM_LABELS[term.name]).format(year=term.start.year)
    return None


def terms_in(period: Period, calendar: SchoolCalendar | None = None) -> list[Term]:
    """The terms that overlap the period, in order."""
    cal = calendar or default_calendar()
    out = []
    for year in range(period.start.year - 1, period.end.year + 1):
        for term in cal.terms(year):
            if term.start <= period.end and term.end >= period.start:
                out.append(term)
    return out


def _term_key(term: Term) -> str:
    return f"{term.start.year}-{term.name}"


@without_gc
def compute(store, period: Period, scope: Scope = Scope(), today: dt.date | None = None,
            calendar: SchoolCalendar | None = None) -> Dashboard:
    """The figures, counted from the summary rows (migration 0012) in one pass: the same
    `Dashboard` as `from_facts(load_from_records(…))`, which the tests hold it to. Reads are
    reused while the store is unchanged; whatever depends on `today` is worked out each time."""
    today = today or dt.date.today()
    if not has_summaries(store.conn):   # a store opened read-only at an older format
        facts = load_from_records(store, period, scope, today, calendar)
        return attach_funding(store, from_facts(facts, period, scope, today, calendar), facts)
    return attach_funding(store, from_summaries(store, period, scope, today, calendar))


def attach_funding(store, d: Dashboard, facts: list[LearnerFacts] | None = None) -> Dashboard:
    """Adds the PDG-CLA figures (`reports/funding.py`) for the dashboard's period and scope (the
    learners of `facts`, else of `d.learners`)."""
    from .funding import compute as funding_figures

    learners = None if d.scope.is_everyone() else (
        set(d.learners.ids) if facts is None else {f.id for f in facts})
    d.funding = funding_figures(store, d.period, learners, d.scope.school)
    return d


@without_gc
def from_summaries(store, period: Period, scope: Scope, today: dt.date,
                   calendar: SchoolCalendar | None = None) -> Dashboard:
    """`from_facts` without the facts: SQLite says of each review in one small integer what it
    counts for (`_review_codes`), the reviews are folded per learner as they are read, and only
    what a figure needs is kept per learner (no object per review). For the whole authority the
    learners come from a covering index (`cohort.everyone_in`), SQLite counts the interventions
    per kind (`_interventions_everyone`), and all of it is kept and brought up to date after an
    edit (`_EveryoneReads`); a scope takes those folds when they are kept."""
    cal = calendar or default_calendar()
    conn = store.conn
    start, end = period.start.isoformat(), period.end.isoformat()
    term_list = terms_in(period, cal)
    terms = {_term_key(t): TermFigures(_term_key(t), t.name, t.start.year, t.start, t.end) for t in term_list}
    keys = list(terms)
    ends = sorted((t.end.isoformat(), key) for key, t in terms.items())
    term_cache: dict[str, str | None] = {}

    def term_of(day: str) -> str | None:
        for stop, key in ends:
            if day <= stop:
                return key if terms[key].start.isoformat() <= day else None
        return None

    rating_names = list(model.ENUMS["rating"])
    due_until = min(period.end, today).isoformat()
    codes = _review_codes(rating_names, term_list)
    supported: dict[str, list] = {}   # learner -> [(kind, interventions, pence, funding)]
    kinds: dict[str, list] = {}       # kind -> [learners, interventions, pence, PDG-CLA pence]
    spend_ids, spend, pdg_ids, pdg = [], 0, [], 0
    if scope.is_everyone():
        reads = _everyone_reads(store, period, today, cal, codes, keys)
        chosen, per, excluded = reads.chosen, reads.per, reads.excluded
        kinds, spend_ids, spend, pdg_ids, pdg = reads.interventions
    else:
        chosen = learners_in(store, period, scope, today, cal)
        # What each learner's reviews give the figures (`_fold_reviews`): the whole authority's when
        # kept (a scope is mostly chosen after it), else only these learners' are folded.
        kept = _everyone_reads(store, period, today, cal, codes, keys, only_kept=True)
        per = kept.per if kept is not None else _fold_reviews(conn.execute(codes, {
            "start": start, "end": end, "due_until": due_until, "from": reviews_from(store, start, due_until)}),
            keys, chosen)
        excluded = _exclusions(store, chosen, start, end)
        for lid, kind, n, pence, funding in unchanged_rows(store,
                "SELECT learner_id, kind, count(*), sum(coalesce(cost_pence, 0)), funding"
                " FROM summary_interventions"
                f" WHERE period_start <= ? AND period_end >= ? AND review_id NOT IN ({_AMENDED})"
                " GROUP BY learner_id, kind, funding", (end, start)):
            if lid in chosen:
                supported.setdefault(lid, []).append((kind, n, pence, funding))
    red: list[RedReview] = []
    for lid, rid, meeting, rated_at in unchanged_rows(store,
            "SELECT learner_id, review_id, meeting_date, rated_at FROM summary_reviews"
            " WHERE rating = 'red' AND NOT amended AND period_start <= ? AND period_end >= ?", (end, start)):
        f = chosen.get(lid)
        if f is not None:
            red.append(RedReview(lid, rid, meeting, f.reference, f.school_name, None, rated_at))

    # The figures, learner by learner in order of reference, as `from_facts` counts them.
    # Per term: its learners, their attendance values (learner by learner) and, at 1 + `_band_index`,
    # the learners by band.
    term_attendance: dict[str, tuple[list, list, list, list, list]] = {k: ([], [], [], [], []) for k in terms}
    term_fixed: dict[str, list[tuple[str, float]]] = {k: [] for k in terms}
    term_permanent: dict[str, list[str]] = {k: [] for k in terms}
    bands: dict[str, list[str]] = {b: [] for b in BANDS}
    no_attendance, reduced_ids, concerns = [], [], []
    by_band = (no_attendance, bands["95_plus"], bands["90_95"], bands["below_90"])   # as `_band_index`
    due_ids, on_time_ids, late_ids, missing_ids = [], [], [], []
    due_n = on_time_n = late_n = missing_n = 0
    first_due, first_met = [], []
    rated = [[] for _r in rating_names]
    rated_n = [0] * len(rating_names)
    fixed_ids, fixed_days, permanent_ids, permanent_n = [], 0.0, [], 0
    schools: dict[str, list] = {}
    for lid, f in chosen.items():
        got = per.get(lid)
        counts = None
        if got is None:
            no_attendance.append(lid)
            if f.enrolment_reduced:
                reduced_ids.append(lid)
        else:
            band, flags, parts, ratings, counts = got
            by_band[band].append(lid)
            if f.enrolment_reduced or flags & _REDUCED:
                reduced_ids.append(lid)
            if flags & _CONCERN:
                concerns.append(lid)
            for key, values, term_band in parts:
                entry = term_attendance[key]
                entry[0].append(lid)
                entry[1].extend(values)
                entry[term_band].append(lid)
            for i, n in ratings:
                rated[i].append(lid)
                rated_n[i] += n
        school = None
        if f.school_id:
            school = schools.get(f.school_id)
            if school is None:
                school = schools[f.school_id] = [f.school_name, [], 0, [], 0]
        if counts:
            n, on_time, late, missing = counts
            due_ids.append(lid)
            due_n += n
            if school:
                school[1].append(lid)
                school[2] += n
            if on_time:
                on_time_ids.append(lid)
                on_time_n += on_time
                if school:
                    school[3].append(lid)
                    school[4] += on_time
            if late:
                late_ids.append(lid)
                late_n += late
            if missing:
                missing_ids.append(lid)
                missing_n += missing
        if f.first_pep_due:
            first_due.append(lid)
            if f.first_pep_met:
                first_met.append(lid)
        for kind, first_day, days in excluded.get(lid, ()):
            key = term_cache[first_day] if first_day in term_cache else term_cache.setdefault(first_day, term_of(first_day))
            if kind == "permanent":
                permanent_ids.append(lid)
                permanent_n += 1
                if key:
                    term_permanent[key].append(lid)
            else:
                fixed_ids.append(lid)
                fixed_days += days or 0
                if key:
                    term_fixed[key].append((lid, days or 0))
        for kind, n, pence, funding in supported.get(lid, ()):
            entry = kinds.get(kind)
            if entry is None:
                entry = kinds[kind] = [[], 0, 0, 0]
            entry[0].append(lid)
            entry[1] += n
            entry[2] += pence
            spend_ids.append(lid)
            spend += pence
            if funding == "pdg_cla":
                entry[3] += pence
                pdg_ids.append(lid)
                pdg += pence
    for key, t in terms.items():
        ids, term_values, t_high, t_middle, t_low = term_attendance[key]
        # The term's values learner by learner, each learner's in order: `sum` adds them as `from_facts` does.
        t.attendance = Figure(tuple(ids), round(sum(term_values) / len(term_values), 1) if term_values else None)
        t.bands = {"95_plus": Figure(tuple(t_high)), "90_95": Figure(tuple(t_middle)), "below_90": Figure(tuple(t_low))}
    unique = _figure_of_distinct
    return _dashboard(period, scope, today, terms, term_fixed, term_permanent, dict(
        learners=unique(chosen),
        due_soon=unique(lid for lid, f in chosen.items() if f.due_soon),
        overdue=unique(lid for lid, f in chosen.items() if f.overdue),
        reviews_due=unique(due_ids, due_n),
        completed_on_time=unique(on_time_ids, on_time_n),
        completed_late=unique(late_ids, late_n),
        not_completed=unique(missing_ids, missing_n),
        first_peps_due=unique(first_due),
        first_peps_on_time=unique(first_met),
        ratings={r: unique(rated[i], rated_n[i]) for i, r in enumerate(rating_names)},
        red_reviews=sorted(red, key=lambda x: (x.meeting_date or "", x.review_id)),
        bands={b: unique(ids) for b, ids in bands.items()},
        no_attendance=unique(no_attendance),
        fixed_term=_figure(fixed_ids, fixed_days),
        permanent=_figure(permanent_ids, permanent_n),
        reduced_timetable=unique(reduced_ids),
        wellbeing_concerns=unique(concerns),
        spend_pence=_figure(spend_ids, spend),
        pdg_cla_pence=_figure(pdg_ids, pdg)), kinds, schools, unique)


def _exclusions(store, chosen: dict, start: str, end: str) -> dict[str, list]:
    """learner -> [(kind, first day, days)] of the period's exclusions, in the order of the records."""
    excluded: dict[str, list] = {}
    for lid, kind, first_day, days in unchanged_rows(store,
            "SELECT r.learner_id, x.kind, x.start_date, x.days FROM exclusions x"
            " JOIN reviews r INDEXED BY reviews_period ON r.id = x.review_id"
            " WHERE coalesce(x.deleted, 0) = 0 AND x.start_date BETWEEN ? AND ?", (start, end)):
        if lid in chosen:
            excluded.setdefault(lid, []).append((kind, first_day, days))
    return excluded


# Learners written at once beyond which the whole authority is read again rather than patched.
_PATCH_LIMIT = 300


class _EveryoneReads:
    """What the whole authority's figures read for one period and day: the learners
    (`cohort.everyone_in`), each learner's reviews folded (`_fold_reviews`), exclusions and the
    interventions by kind. Kept while the store is unchanged, and after this connection's writes
    brought up to date learner by learner (`changes.since` says which): an edit folds one
    learner's reviews again, not fourteen thousand."""

    def __init__(self, period: Period, today: dt.date, cal: SchoolCalendar, codes: str, keys: list[str]):
        self.period, self.today, self.cal, self.codes, self.keys = period, today, cal, codes, keys
        self.start, self.end = period.start.isoformat(), period.end.isoformat()
        self.due_until = min(period.end, today).isoformat()
        self.noted: set[str] = set()
        self.chosen: dict | None = None
        self._excluded: dict | None = None
        self._interventions: tuple | None = None

    def up_to_date(self, store) -> "_EveryoneReads":
        noted, self.noted = self.noted, set()
        try:
            learners = [lid for lid in noted if lid not in changes.MARKS]
            if self.chosen is None or changes.EVERYTHING in noted or len(learners) > _PATCH_LIMIT:
                self._read(store)
            elif noted:
                self._patch(store, learners, noted)
            self._rest(store)
        except BaseException:
            self.chosen = None   # half brought up to date: read again next time
            raise
        return self

    def _params(self, store) -> dict:
        return {"start": self.start, "end": self.end, "due_until": self.due_until,
                "from": reviews_from(store, self.start, self.due_until)}

    def _read(self, store) -> None:
        self.later: set[str] = set()
        self.chosen = everyone_in(store, self.period, self.today, self.cal, self.later)
        self.params = self._params(store)
        self.per = _fold_reviews(store.conn.execute(self.codes, self.params), self.keys)
        self._excluded = self._interventions = None

    def _patch(self, store, learners: list[str], noted: set[str]) -> None:
        if changes.OTHER in noted or changes.FUNDING in noted:   # an exclusion, a review's learner
            self._excluded = None
        if changes.INTERVENTIONS in noted:
            self._interventions = None
        if not learners:
            return
        later: set[str] = set()
        fresh = everyone_in(store, self.period, self.today, self.cal, later, only=learners)
        chosen, moved = self.chosen, False
        for lid in learners:
            was, now = chosen.get(lid), fresh.get(lid)
            if (lid in self.later) != (lid in later) or (was is None) != (now is None):
                self._interventions = self._excluded = None   # who counts changed
            self.later.discard(lid)
            if now is None:
                chosen.pop(lid, None)
            else:
                moved = moved or was is None or was.reference != now.reference
                chosen[lid] = now
        self.later |= later
        if moved:   # a new learner or a new reference: in order of reference again
            self.chosen = dict(sorted(chosen.items(), key=lambda kv: reference_order(kv[1].reference, kv[0])))
            self._interventions = None
        params = self._params(store)
        if params != self.params:   # a review due late reaches further back: fold every learner again
            self.params = params
            self.per = _fold_reviews(store.conn.execute(self.codes, params), self.keys)
            return
        rows = store.conn.execute(self.codes + " AND learner_id IN (SELECT value FROM json_each(:only))",
                                  {**params, "only": json.dumps(learners)})
        for lid in learners:
            self.per.pop(lid, None)
        self.per.update(_fold_reviews(rows, self.keys))

    def _rest(self, store) -> None:
        if self._excluded is None:
            self._excluded = _exclusions(store, self.chosen, self.start, self.end)
        if self._interventions is None:
            self._interventions = _interventions_everyone(store, self.chosen, self.later, self.start, self.end)

    @property
    def excluded(self) -> dict[str, list]:
        return self._excluded

    @property
    def interventions(self) -> tuple:
        return self._interventions


def _everyone_reads(store, period: Period, today: dt.date, cal: SchoolCalendar, codes: str,
                    keys: list[str], only_kept: bool = False) -> _EveryoneReads | None:
    """The whole authority's reads, kept per period and day (`_EveryoneReads`); inside a
    transaction, read afresh. `only_kept`: None unless they are kept."""
    def make():
        return _EveryoneReads(period, today, cal, codes, keys)
    got = changes.since(store)
    key = ("everyone", period, today, cal.terms_for_year, cal.extra_closures, codes)
    if only_kept:
        reads = None if got is None else got.states.get(key)
        return None if reads is None else reads.up_to_date(store)
    reads = make() if got is None else got.state(key, make)
    return reads.up_to_date(store)


# What a review counts for, as bits of one integer (`_review_codes`): counted in the period
# (overlaps it, not amended); due in it (1 on time, 2 late, 3 not completed); reduced timetable and
# wellbeing concern (when counted); the rating (1 + its place in the enumeration); the term of
# its period's end (1 + its place among the period's terms).
_COUNTED, _DUE, _REDUCED, _CONCERN = 1, 6, 8, 16
_RATING_SHIFT, _RATINGS, _TERM_SHIFT = 8, 255 << 8, 16


def _band_index(pct: float) -> int:
    """1, 2, 3 for the bands of `BANDS` (`attendance_band`)."""
    return 1 if pct >= 95 else 2 if pct >= 90 else 3


def _fold_reviews(rows, keys: list[str], only: dict | None = None) -> dict[str, tuple]:
    """Each learner's (learner, attendance, code) rows, folded into what the figures take of them:
    (attendance band as `_band_index`, 0 when no attendance; the codes OR-ed, for reduced timetable
    and concern; per term (key, the values in order, 1 + band of their mean); (rating's place,
    reviews); due reviews [all, on time, late, not completed] or None), for every learner or those
    in `only`. The means are Python's, as `from_facts` works them out: SQLite's `sum` rounds
    differently at the bands' edges."""
    by_learner: dict[str, list] = {}   # the rows come by period: each learner's in period order
    if only is None:
        for row in rows:
            got = by_learner.get(row[0])
            if got is None:
                by_learner[row[0]] = [row]
            else:
                got.append(row)
    else:
        for row in rows:
            if row[0] in only:
                by_learner.setdefault(row[0], []).append(row)
    out = {}
    for lid, group in by_learner.items():
        values, terms, flags, ratings, counts = [], [], 0, None, None
        for _lid, attendance, code in group:
            flags |= code   # due kinds aside, a review that does not count has no bits set
            if code & _COUNTED:
                if attendance is not None:
                    values.append(attendance)
                    term = code >> _TERM_SHIFT
                    if term:
                        # A learner's reviews come by period: those of one term come together.
                        if terms and terms[-1][0] == term:
                            terms[-1][1].append(attendance)
                        else:
                            terms.append((term, [attendance]))
                if code & _RATINGS:
                    if ratings is None:
                        ratings = {}
                    i = ((code & _RATINGS) >> _RATING_SHIFT) - 1
                    ratings[i] = ratings.get(i, 0) + 1
            if code & _DUE:
                if counts is None:
                    counts = [0, 0, 0, 0]
                counts[0] += 1
                counts[(code & _DUE) >> 1] += 1
        parts = []
        for term, term_values in terms:
            pct = term_values[0] if len(term_values) == 1 else sum(term_values) / len(term_values)
            parts.append((keys[term - 1], term_values, 2 if pct >= 95 else 3 if pct >= 90 else 4))
        out[lid] = (_band_index(round(sum(values) / len(values), 1)) if values else 0, flags, parts,
                    tuple(ratings.items()) if ratings else (), counts)
    return out


def _review_codes(rating_names: list[str], terms: list[Term]) -> str:
    """The query of (learner, attendance, code) for every review that counts in or is due in the
    period, in the summary's order (by period, so each learner's reviews by period): SQLite works out the
    code, so that Python reads three values a review and no dates."""
    rating = "CASE rating " + " ".join(f"WHEN '{r}' THEN {(i + 1) << _RATING_SHIFT}"
                                       for i, r in enumerate(rating_names)) + " ELSE 0 END"
    term = ("CASE " + " ".join(f"WHEN period_end BETWEEN '{t.start.isoformat()}' AND '{t.end.isoformat()}'"
                               f" THEN {(i + 1) << _TERM_SHIFT}" for i, t in enumerate(terms)) + " ELSE 0 END"
            if terms else "0")
    return f"""SELECT learner_id, attendance_pct,
        CASE WHEN NOT amended AND period_start <= :end AND period_end >= :start
             THEN {_COUNTED} | CASE WHEN reduced_timetable THEN {_REDUCED} ELSE 0 END
                  | CASE WHEN wellbeing_concern THEN {_CONCERN} ELSE 0 END | {rating} | {term}
             ELSE 0 END
        | CASE WHEN review_type != 'amendment' AND due_date BETWEEN :start AND :due_until
               THEN CASE WHEN status = 'finalised' THEN CASE WHEN meeting_date != '' AND meeting_date <= due_date
                                                             THEN 2 ELSE 4 END
                         ELSE 6 END
               ELSE 0 END
        FROM summary_reviews
        WHERE period_end >= :from AND ((period_start <= :end AND period_end >= :start)
           OR (due_date BETWEEN :start AND :due_until AND review_type != 'amendment'))"""


# The few amended reviews: their interventions give way to the amendment's.
_AMENDED = "SELECT review_id FROM summary_reviews WHERE amended"


def _interventions_everyone(store, chosen: dict, later: set[str], start: str, end: str):
    """The intervention figures of the whole authority, counted by SQLite per kind (ids are hex, so
    a comma parts them): per kind its learners in order of reference, interventions, cost and
    PDG-CLA cost, in the order `from_facts` meets the kinds; the learners with any spend and with
    PDG-CLA spend. `later`: the learners `everyone_in` leaves out (looked after only after the
    period), whose interventions do not count."""

    def ordered(ids: set[str]) -> list[str]:
        return [lid for lid in chosen if lid in ids]   # `chosen` is in order of reference
    groups = []
    spenders: set[str] = set()
    pdg_spenders: set[str] = set()
    spend = pdg = 0
    sql = ("SELECT kind, count(*), sum(coalesce(cost_pence, 0)),"
           " sum(CASE WHEN funding = 'pdg_cla' THEN coalesce(cost_pence, 0) ELSE 0 END),"
           " group_concat(learner_id), group_concat(learner_id) FILTER (WHERE funding = 'pdg_cla')"
           " FROM summary_interventions WHERE period_start <= :end AND period_end >= :start"
           f" AND review_id NOT IN ({_AMENDED})"
           + (" AND learner_id NOT IN (SELECT value FROM json_each(:later))" if later else "")
           + " GROUP BY kind")
    params = {"start": start, "end": end, "later": json.dumps(sorted(later))}
    for kind, n, pence, pdg_pence, members, pdg_members in unchanged_reads(store, (sql, tuple(params.values())), lambda conn: [
            (kind, n, pence, pdg_pence, set(ids.split(",")), set(pdg_ids.split(",")) if pdg_ids else set())
            for kind, n, pence, pdg_pence, ids, pdg_ids in conn.execute(sql, params)]):
        learners = ordered(members)
        if not learners:
            continue
        groups.append(((learners[0], kind is not None, kind or ""), kind, [learners, n, pence, pdg_pence]))
        spenders |= members
        spend += pence
        if pdg_members:
            pdg_spenders |= pdg_members
            pdg += pdg_pence
    # The kinds in the order `from_facts` meets them: by their first learner, and a learner's
    # kinds in the order SQLite groups them (a null kind first).
    firsts = {g[0][0] for g in groups}
    rank = {lid: i for i, lid in enumerate(chosen) if lid in firsts}
    kinds = {kind: entry for _key, kind, entry in sorted(groups, key=lambda g: (rank[g[0][0]], g[0][1], g[0][2]))}
    return kinds, ordered(spenders), spend, ordered(pdg_spenders), pdg


@without_gc
def from_facts(facts: list[LearnerFacts], period: Period, scope: Scope, today: dt.date,
               calendar: SchoolCalendar | None = None) -> Dashboard:
    cal = calendar or default_calendar()
    terms = {_term_key(t): TermFigures(_term_key(t), t.name, t.start.year, t.start, t.end) for t in terms_in(period, cal)}
    ends = sorted((t.end.isoformat(), key) for key, t in terms.items())

    def term_of(day: str) -> str | None:
        for end, key in ends:
            if day <= end:
                return key if terms[key].start.isoformat() <= day else None
        return None

    term_attendance: dict[str, list[tuple[str, float]]] = {k: [] for k in terms}
    term_fixed: dict[str, list[tuple[str, float]]] = {k: [] for k in terms}
    term_permanent: dict[str, list[str]] = {k: [] for k in terms}
    bands: dict[str, list[str]] = {b: [] for b in BANDS}
    no_attendance, reduced, concerns = [], [], []
    due_ids, on_time_ids, late_ids, missing_ids = [], [], [], []
    due_n = on_time_n = late_n = missing_n = 0
    first_due, first_met = [], []
    rated: dict[str, list[str]] = {r: [] for r in model.ENUMS["rating"]}
    rated_n = {r: 0 for r in rated}
    red: list[RedReview] = []
    fixed_ids, fixed_days, permanent_ids, permanent_n = [], 0.0, [], 0
    kinds: dict[str, list] = {}
    spend_ids, spend, pdg_ids, pdg = [], 0, [], 0
    schools: dict[str, list] = {}

    for f in facts:
        band = attendance_band(f.attendance)
        (bands[band] if band else no_attendance).append(f.id)
        if f.reduced_timetable:
            reduced.append(f.id)
        if f.wellbeing_concern:
            concerns.append(f.id)
        for r in f.reviews:
            key = term_of(r.period_end)
            if key and r.attendance_pct is not None:
                term_attendance[key].append((f.id, r.attendance_pct))
            if r.rating in rated:
                rated[r.rating].append(f.id)
                rated_n[r.rating] += 1
                if r.rating == "red":
                    red.append(RedReview(f.id, r.id, r.meeting_date, f.reference, f.school_name, None, r.rated_at))
        school = schools.setdefault(f.school_id, [f.school_name, [], 0, [], 0]) if f.school_id else None
        for r in f.due_reviews:
            due_ids.append(f.id)
            due_n += 1
            if school:
                school[1].append(f.id)
                school[2] += 1
            if r.on_time:
                on_time_ids.append(f.id)
                on_time_n += 1
                if school:
                    school[3].append(f.id)
                    school[4] += 1
            elif r.status == "finalised":
                late_ids.append(f.id)
                late_n += 1
            else:
                missing_ids.append(f.id)
                missing_n += 1
        if f.first_pep_due:
            first_due.append(f.id)
            if f.first_pep_met:
                first_met.append(f.id)
        for kind, first_day, days in f.exclusions:
            key = term_of(first_day)
            if kind == "permanent":
                permanent_ids.append(f.id)
                permanent_n += 1
                if key:
                    term_permanent[key].append(f.id)
            else:
                fixed_ids.append(f.id)
                fixed_days += days or 0
                if key:
                    term_fixed[key].append((f.id, days or 0))
        for kind, pence, funding in f.interventions:
            entry = kinds.setdefault(kind, [[], 0, 0, 0])
            entry[0].append(f.id)
            entry[1] += 1
            entry[2] += pence
            spend_ids.append(f.id)
            spend += pence
            if funding == "pdg_cla":
                entry[3] += pence
                pdg_ids.append(f.id)
                pdg += pence

    _term_attendance(terms, term_attendance)
    return _dashboard(period, scope, today, terms, term_fixed, term_permanent, dict(
        learners=_figure(f.id for f in facts),
        due_soon=_figure(f.id for f in facts if f.due_soon),
        overdue=_figure(f.id for f in facts if f.overdue),
        reviews_due=_figure(due_ids, due_n),
        completed_on_time=_figure(on_time_ids, on_time_n),
        completed_late=_figure(late_ids, late_n),
        not_completed=_figure(missing_ids, missing_n),
        first_peps_due=_figure(first_due),
        first_peps_on_time=_figure(first_met),
        ratings={r: _figure(ids, rated_n[r]) for r, ids in rated.items()},
        red_reviews=sorted(red, key=lambda x: (x.meeting_date or "", x.review_id)),
        bands={b: _figure(ids) for b, ids in bands.items()},
        no_attendance=_figure(no_attendance),
        fixed_term=_figure(fixed_ids, fixed_days),
        permanent=_figure(permanent_ids, permanent_n),
        reduced_timetable=_figure(reduced),
        wellbeing_concerns=_figure(concerns),
        spend_pence=_figure(spend_ids, spend),
        pdg_cla_pence=_figure(pdg_ids, pdg)), kinds, schools)


def _term_attendance(terms: dict[str, TermFigures], term_attendance: dict) -> None:
    """Each term's mean attendance and its learners by band, from (learner, attendance) pairs."""
    for key, t in terms.items():
        values = term_attendance[key]
        t.attendance = _figure([i for i, _v in values], round(sum(v for _i, v in values) / len(values), 1) if values else None)
        per_learner: dict[str, list[float]] = {}
        for lid, pct in values:
            per_learner.setdefault(lid, []).append(pct)
        in_band: dict[str, list[str]] = {b: [] for b in BANDS}
        for lid, v in per_learner.items():
            in_band[attendance_band(sum(v) / len(v))].append(lid)
        t.bands = {b: _figure(ids) for b, ids in in_band.items()}


def _dashboard(period: Period, scope: Scope, today: dt.date, terms: dict[str, TermFigures],
               term_fixed: dict, term_permanent: dict, figures: dict, kinds: dict[str, list],
               schools: dict[str, list], school_figure=_figure) -> Dashboard:
    """The terms' exclusions, interventions by kind and schools by name, around the other figures."""
    for key, t in terms.items():
        t.fixed_term = _figure([i for i, _d in term_fixed[key]], sum(d for _i, d in term_fixed[key]))
        t.fixed_term_exclusions = len(term_fixed[key])
        t.permanent = _figure(term_permanent[key], len(term_permanent[key]))

    order = list(model.ENUMS["intervention_kind"])
    return Dashboard(
        period=period, scope=scope, today=today, terms=sorted(terms.values(), key=lambda t: t.start),
        interventions=[InterventionFigures(k, _figure(v[0], v[1]), v[2], v[3])
                       for k, v in sorted(kinds.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)],
        schools=sorted((SchoolFigures(sid, v[0], school_figure(v[1], v[2]), school_figure(v[3], v[4]))
                        for sid, v in schools.items()),
                       key=lambda s: s.name),
        **figures)


def name_red_reviews(store, d: Dashboard) -> None:
    """Puts the learners' names and who rated into `d.red_reviews` (the coordinator's screen only)."""
    if not d.red_reviews:
        return
    names, raters = {}, {}
    learners = list({r.learner_id for r in d.red_reviews})
    reviews = [r.review_id for r in d.red_reviews]
    for i in range(0, len(learners), 500):
        chunk = learners[i:i + 500]
        for lid, pref, fore, sur in store.conn.execute(
                f"SELECT id, preferred_name, legal_forename, legal_surname FROM learners"
                f" WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
            names[lid] = model.display_name({"preferred_name": pref, "legal_forename": fore, "legal_surname": sur})
    for i in range(0, len(reviews), 500):
        chunk = reviews[i:i + 500]
        for rid, when, who in store.conn.execute(
                f"SELECT review_id, rated_at, rated_by FROM quality_ratings WHERE coalesce(deleted, 0) = 0"
                f" AND review_id IN ({', '.join('?' * len(chunk))})", chunk):
            raters[(rid, when)] = who
    d.red_reviews = [r._replace(name=names.get(r.learner_id, ""), rated_by=raters.get((r.review_id, r.rated_at)))
                     for r in d.red_reviews]


def scope_options(store, on: dt.date | None = None) -> dict[str, list[tuple[str, str]]]:
    """The values a scope can take in this store, (value, label) in display order: schools that
    have learners, the year groups present, and the enumerations."""
    from ..domain.calendar import year_group
    from ..i18n.collation import sort_key

    on = on or dt.date.today()
    schools = store.conn.execute(
        "SELECT DISTINCT s.id, s.name FROM schools s JOIN enrolments e ON e.school_id = s.id").fetchall()
    years = sorted({max(-1, year_group(dt.date.fromisoformat(dob), on))   # -1: nursery and younger
                    for (dob,) in store.conn.execute("SELECT date_of_birth FROM learners")})
    return {
        "school": sorted(((sid, name) for sid, name in schools), key=lambda s: sort_key(s[1])),
        "year_group": [(str(y), year_label(y)) for y in years],
        "legal_status": [(k, model.enum_label("legal_status", k)) for k in model.ENUMS["legal_status"]],
        "placing_area": [(k, model.enum_label("placing_area", k)) for k in model.ENUMS["placing_area"]],
        "language_of_learning": [(k, model.enum_label("language_of_learning", k))
                                 for k in model.ENUMS["language_of_learning"]],
    }


def year_label(year: int) -> str:
    if year == 0:
        return _("Reception")
    if year < 0:
        return _("Nursery")
    return _("Year {n}").format(n=year)
