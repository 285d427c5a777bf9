"""PDG-CLA funding figures: requested, approved, spent and remaining, by school and by kind of
support, for the dashboard, the monitoring report and `vsm-desktop funding`.

Funding is granted per financial year (1 April to 31 March), so the figures for a period cover
the financial years the period touches: every request counting against those years (by its
start date, else the day it was asked), the spend recorded against them, and the allocations
set for them. "Remaining" is the allocation less what was approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from ..domain import funding, model
from . import changes
from .cohort import Period

# What the funding rows (`_figure_rows`) are read again after.
_FUNDING_MARKS = frozenset({changes.FUNDING})


@dataclass
class FundingLine:
    key: str                        # a school id, a kind of support, or "" for the total
    requests: int = 0
    requested_pence: int = 0        # everything asked for (whatever the decision)
    approved_pence: int = 0
    spent_pence: int = 0
    waiting: int = 0                # requests with no decision yet (or waiting for more information)
    over_approved: int = 0          # requests whose spend is above the approved amount
    allocation_pence: int | None = None

    @property
    def remaining_pence(self) -> int | None:
        return None if self.allocation_pence is None else self.allocation_pence - self.approved_pence


@dataclass
class FundingFigures:
    years: list[int]
    total: FundingLine
    by_school: list[FundingLine] = field(default_factory=list)   # key: school id ("" when not known)
    by_kind: list[FundingLine] = field(default_factory=list)
    school_names: dict[str, str] = field(default_factory=dict)
    by_learner: dict[str, FundingLine] = field(default_factory=dict)   # the CSV's columns (not published)

    @property
    def has_data(self) -> bool:
        return bool(self.total.requests or self.total.allocation_pence)


def years_of(period: Period) -> list[int]:
    return list(range(funding.financial_year(period.start), funding.financial_year(period.end) + 1))


def request_rows(store, status: str | None = None) -> list[dict]:
    """Every live request with its learner, school, spend total and links: what `funding` lists."""
    where = "WHERE coalesce(f.deleted, 0) = 0" + (" AND f.status = ?" if status else "")
    ent = model.entity("funding_requests")
    cols = ", ".join(f"f.{c}" for c in ent.columns)
    rows = store.conn.execute(
        f"SELECT {cols}, r.learner_id, l.reference, l.legal_forename, l.legal_surname, l.preferred_name,"
        " (SELECT coalesce(sum(s.amount_pence), 0) FROM funding_spend s WHERE s.request_id = f.id"
        f"  AND coalesce(s.deleted, 0) = 0), {funding.REQUEST_SCHOOL_SQL}"
        f" FROM funding_requests f JOIN reviews r ON r.id = f.review_id JOIN learners l ON l.id = r.learner_id {where}"
        " ORDER BY coalesce(f.requested_at, ''), f.id", (status,) if status else ()).fetchall()
    out = []
    n = len(ent.columns)
    for row in rows:
        request = store._row(ent, row[:n])
        lid, ref, fore, sur, pref, spent, school = row[n:]
        request.update(learner_id=lid, reference=ref, spent_pence=spent,
                       learner_name=model.display_name({"preferred_name": pref, "legal_forename": fore,
                                                        "legal_surname": sur}),
                       school_id=school, year=funding.request_year(request))
        out.append(request)
    return out


def _figure_rows(conn) -> list[tuple]:
    """What the figures need of each live request (not its free text: a narrow read): kind, amount,
    status, approved, learner, spent, school and financial year."""
    # The review's learner from an index of (id, learner_id): a review row holds every section's text.
    cur = conn.execute(
        "SELECT f.kind, f.amount_pence, f.status, f.approved_pence, f.start_date, f.requested_at, r.learner_id,"
        " (SELECT coalesce(sum(s.amount_pence), 0) FROM funding_spend s WHERE s.request_id = f.id"
        f"  AND coalesce(s.deleted, 0) = 0), {funding.REQUEST_SCHOOL_SQL}"
        " FROM funding_requests f JOIN reviews r INDEXED BY reviews_period ON r.id = f.review_id"
        " WHERE coalesce(f.deleted, 0) = 0")
    out = []
    for kind, amount, status, approved, start_date, requested_at, lid, spent, school in cur:
        # `funding.request_year`, each day worked out once.
        day = start_date or (requested_at or "")[:10]
        out.append((kind, amount, status, approved, lid, spent, school, _financial_year(day) if day else None))
    return out


@lru_cache(maxsize=4096)
def _financial_year(day: str) -> int:
    return funding.financial_year(day)


def _line(lines: dict[str, FundingLine], key: str) -> FundingLine:
    line = lines.get(key)
    if line is None:
        line = lines[key] = FundingLine(key)
    return line


def compute(store, period: Period, learner_ids: set[str] | None = None, school: str | None = None) -> FundingFigures:
    """The figures for the financial years of `period`; only these learners' requests when
    `learner_ids` is given (the dashboard's scope), and a school's own allocation when `school` is.
    The whole authority's are kept until a funding record, an enrolment or a school is written
    (`changes.kept`); the caller does not change them."""
    if learner_ids is None and school is None:
        return changes.kept(store, ("figures", tuple(years_of(period))), _FUNDING_MARKS,
                            lambda conn: _compute(store, period, None, None))
    return _compute(store, period, learner_ids, school)


def _compute(store, period: Period, learner_ids: set[str] | None, school: str | None) -> FundingFigures:
    years = years_of(period)
    total = FundingLine("")
    schools: dict[str, FundingLine] = {}
    kinds: dict[str, FundingLine] = {}
    learners: dict[str, FundingLine] = {}
    for kind, amount, status, approved, lid, spent, school_id, year in changes.kept(store, "funding", _FUNDING_MARKS, _figure_rows):
        if year not in years or (learner_ids is not None and lid not in learner_ids):
            continue
        approved = approved or 0
        for line in (total, _line(schools, school_id or ""), _line(kinds, kind), _line(learners, lid)):
            line.requests += 1
            line.requested_pence += amount
            if status == "approved":
                line.approved_pence += approved
                if spent > approved:
                    line.over_approved += 1
            elif status in ("requested", "more_info"):
                line.waiting += 1
            line.spent_pence += spent
    allocations = [a for y in years for a in funding.allocations(store, y)]
    for a in allocations:
        if a["school_id"] is None:
            if school is None and learner_ids is None:   # the authority's, for the whole authority only
                total.allocation_pence = (total.allocation_pence or 0) + a["amount_pence"]
        else:
            line = schools.setdefault(a["school_id"], FundingLine(a["school_id"]))
            line.allocation_pence = (line.allocation_pence or 0) + a["amount_pence"]
            if school == a["school_id"]:
                total.allocation_pence = (total.allocation_pence or 0) + a["amount_pence"]
    if school is not None:
        schools = {k: v for k, v in schools.items() if k in (school, "") and (v.requests or k == school)}
    names = dict(store.conn.execute("SELECT id, name FROM schools"))
    by_school = sorted(schools.values(), key=lambda l: (l.key == "", names.get(l.key, "").casefold(), l.key))
    order = list(model.ENUMS["funding_kind"])
    by_kind = sorted(kinds.values(), key=lambda l: order.index(l.key) if l.key in order else len(order))
    return FundingFigures(years, total, by_school, by_kind, {k: names[k] for k in schools if k in names}, learners)


def line_json(line: FundingLine, threshold: int | None = None) -> dict:
    """A line as JSON (pounds). With a threshold, a line of 1 to threshold-1 requests shows the
    count as "<threshold" and no amounts: one child's funding in a school would name them. The
    allocation is the authority's, never suppressed."""
    hidden = threshold is not None and 0 < line.requests < threshold

    def gbp(pence):
        return None if pence is None or hidden else pence / 100
    return {"requests": f"<{threshold}" if hidden else line.requests, "requested_gbp": gbp(line.requested_pence),
            "approved_gbp": gbp(line.approved_pence), "spent_gbp": gbp(line.spent_pence),
            "allocation_gbp": None if line.allocation_pence is None else line.allocation_pence / 100,
            "remaining_gbp": gbp(line.remaining_pence),
            "waiting_for_decision": None if hidden else line.waiting,
            "spent_above_approved": None if hidden else line.over_approved}


def figures_json(f: FundingFigures, threshold: int | None = None) -> dict:
    return {
        "financial_years": [funding.year_label(y) for y in f.years],
        **line_json(f.total, threshold),
        "by_school": [{"school_id": l.key or None, "school": f.school_names.get(l.key), **line_json(l, threshold)}
                      for l in f.by_school],
        "by_kind": [{"kind": l.key, **line_json(l, threshold)} for l in f.by_kind],
    }


def as_of(today: dt.date | None = None) -> Period:
    """The current financial year as a period (the `funding` command's totals)."""
    year = funding.financial_year(today or dt.date.today())
    return Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31))
