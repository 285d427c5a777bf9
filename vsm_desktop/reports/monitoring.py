"""The monitoring report (the evaluation's minimum data set): CSV rows per learner, the
dashboard's figures as JSON, and the PDF of tables and charts (`monitoring_pdf.py`).

The CSV is for the authority's own use: one row per learner for the period, with codes
rather than labels so that spreadsheets and other systems read it in any language. Its
columns are documented one by one in docs/monitoring-report.md (and `COLUMNS` here is the
order). Anything aggregate that is meant to leave the authority (the JSON and the PDF)
suppresses small numbers: a count from 1 to `threshold - 1` is shown as "<threshold",
because a count of three children in one school can name them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from ..domain import model
from ..files import spreadsheet_safe
from .cohort import LearnerFacts, Period
from .dashboard import BANDS, Dashboard, Figure, attendance_band
from .funding import figures_json as funding_json

DEFAULT_SUPPRESS_BELOW = 5

COLUMNS = (
    "period_start", "period_end", "learner_id", "reference", "school_id", "school", "year_group",
    "legal_status", "placing_area", "language_of_learning",
    "attendance_pct", "attendance_band",
    "reviews_in_period", "reviews_due", "reviews_on_time", "reviews_late", "reviews_not_completed",
    "last_meeting_date", "quality_rating",
    "next_pep_due", "pep_overdue", "pep_due_soon", "first_pep_due", "first_pep_on_time",
    "fixed_term_exclusions", "fixed_term_days", "permanent_exclusions",
    "reduced_timetable", "wellbeing_concern",
    "idp_holder", "next_idp_review", "idp_review_status",
    "interventions", "intervention_kinds", "intervention_cost_gbp", "pdg_cla_spend_gbp",
    "pdg_cla_requests", "pdg_cla_requested_gbp", "pdg_cla_approved_gbp", "pdg_cla_spent_gbp",
)


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _pounds(pence: int) -> str:
    return f"{pence / 100:.2f}"


def _number(value: float) -> str:
    return f"{value:g}"


def idp_review_status(f: LearnerFacts, period: Period, today: dt.date) -> str:
    """none (no IDP); no_date (an IDP without a review date); overdue (the review date passed
    before the period's last day, or before today for a period not yet over); in_date."""
    if not f.idp_holder or f.idp_holder == "none":
        return "none"
    if not f.next_idp_review:
        return "no_date"
    as_at = min(period.end, today).isoformat()
    return "overdue" if f.next_idp_review < as_at else "in_date"


def csv_row(f: LearnerFacts, period: Period, today: dt.date, funding=None) -> dict[str, str]:
    attendance = f.attendance
    held = [r for r in f.reviews if r.status == "finalised" and r.meeting_date]
    last = max(held, key=lambda r: r.meeting_date) if held else None
    rated = [r for r in f.reviews if r.rating]
    latest_rated = max(rated, key=lambda r: (r.meeting_date or "", r.period_end)) if rated else None
    fixed = [x for x in f.exclusions if x[0] != "permanent"]
    kinds = sorted({k for k, _p, _f in f.interventions})
    return {
        "period_start": period.start.isoformat(), "period_end": period.end.isoformat(),
        "learner_id": f.id, "reference": f.reference, "school_id": f.school_id or "", "school": f.school_name or "",
        "year_group": "" if f.year_group is None else str(f.year_group),
        "legal_status": f.legal_status or "", "placing_area": f.placing_area or "",
        "language_of_learning": f.language_of_learning or "",
        "attendance_pct": "" if attendance is None else _number(attendance),
        "attendance_band": attendance_band(attendance) or "",
        "reviews_in_period": str(len(f.reviews)),
        "reviews_due": str(len(f.due_reviews)),
        "reviews_on_time": str(sum(r.on_time for r in f.due_reviews)),
        "reviews_late": str(sum(r.status == "finalised" and not r.on_time for r in f.due_reviews)),
        "reviews_not_completed": str(sum(r.status != "finalised" for r in f.due_reviews)),
        "last_meeting_date": last.meeting_date if last else "",
        "quality_rating": latest_rated.rating if latest_rated else "",
        "next_pep_due": f.next_due or "", "pep_overdue": _flag(f.overdue), "pep_due_soon": _flag(f.due_soon),
        "first_pep_due": f.first_pep_due or "",
        "first_pep_on_time": _flag(f.first_pep_met) if f.first_pep_due else "",
        "fixed_term_exclusions": str(len(fixed)),
        "fixed_term_days": _number(sum(d or 0 for _k, _s, d in fixed)),
        "permanent_exclusions": str(len(f.exclusions) - len(fixed)),
        "reduced_timetable": _flag(f.reduced_timetable), "wellbeing_concern": _flag(f.wellbeing_concern),
        "idp_holder": f.idp_holder or "", "next_idp_review": f.next_idp_review or "",
        "idp_review_status": idp_review_status(f, period, today),
        "interventions": str(len(f.interventions)), "intervention_kinds": ";".join(kinds),
        "intervention_cost_gbp": _pounds(sum(p for _k, p, _f in f.interventions)),
        "pdg_cla_spend_gbp": _pounds(sum(p for _k, p, fund in f.interventions if fund == "pdg_cla")),
        **_funding_columns(funding, f.id),
    }


def _funding_columns(funding, learner_id: str) -> dict[str, str]:
    """The learner's PDG-CLA requests (reports/funding.py); empty when the figures were not read."""
    if funding is None:
        return {"pdg_cla_requests": "", "pdg_cla_requested_gbp": "", "pdg_cla_approved_gbp": "", "pdg_cla_spent_gbp": ""}
    line = funding.by_learner.get(learner_id)
    requests, requested, approved, spent = (line.requests, line.requested_pence, line.approved_pence,
                                            line.spent_pence) if line else (0, 0, 0, 0)
    return {"pdg_cla_requests": str(requests), "pdg_cla_requested_gbp": _pounds(requested),
            "pdg_cla_approved_gbp": _pounds(approved), "pdg_cla_spent_gbp": _pounds(spent)}


def write_csv(facts: list[LearnerFacts], period: Period, today: dt.date, out, funding=None) -> int:
    """Writes the CSV (UTF-8 with a byte-order mark, so that spreadsheets read Welsh letters) to
    the text stream `out`; returns the number of learner rows. `funding`: the period's PDG-CLA
    figures (reports/funding.py), for the pdg_cla_request columns."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writeheader()
    for f in facts:
        writer.writerow({k: spreadsheet_safe(v) for k, v in csv_row(f, period, today, funding).items()})
    return len(facts)


def csv_text(facts: list[LearnerFacts], period: Period, today: dt.date, funding=None) -> str:
    buffer = io.StringIO()
    write_csv(facts, period, today, buffer, funding)
    return buffer.getvalue()


# --- aggregates that leave the authority ----------------------------------------------------

def suppress(count: int, threshold: int = DEFAULT_SUPPRESS_BELOW) -> int | str:
    """A count of learners as it may be published: 0 and counts of at least `threshold` as they
    are, others as "<threshold"."""
    return f"<{threshold}" if 0 < count < threshold else count


def suppressed(fig: Figure, threshold: int, value_digits: int | None = None) -> dict:
    """A figure for publication: its learners counted (suppressed), never listed; its value
    withheld too when the count is suppressed (five exclusion days of two learners is as telling)."""
    shown = suppress(fig.count, threshold)
    out: dict = {"learners": shown}
    if fig.value is not None:
        value = round(fig.value, value_digits) if value_digits is not None and fig.value is not None else fig.value
        out["value"] = None if isinstance(shown, str) else value
    return out


def figures_json(d: Dashboard, threshold: int = DEFAULT_SUPPRESS_BELOW) -> dict:
    """The dashboard's figures as JSON-ready data, small numbers suppressed, no learner ids."""
    def fig(f: Figure, digits: int | None = None) -> dict:
        return suppressed(f, threshold, digits)

    scope = {k: v for k, v in vars(d.scope).items() if v is not None}
    return {
        "period": {"start": d.period.start.isoformat(), "end": d.period.end.isoformat()},
        "scope": scope,
        "as_at": d.today.isoformat(),
        "suppress_below": threshold,
        "has_data": d.has_data,
        "learners": fig(d.learners),
        "peps": {
            "due_within_20_school_days": fig(d.due_soon), "overdue": fig(d.overdue),
            "reviews_due": fig(d.reviews_due), "completed_on_time": fig(d.completed_on_time),
            "completed_late": fig(d.completed_late), "not_completed": fig(d.not_completed),
            "first_peps_due": fig(d.first_peps_due), "first_peps_within_timescale": fig(d.first_peps_on_time),
        },
        "quality_ratings": {r: fig(f) for r, f in d.ratings.items()},
        "attendance_bands": {b: fig(d.bands[b]) for b in BANDS} | {"not_recorded": fig(d.no_attendance)},
        "terms": [{
            "term": t.key, "start": t.start.isoformat(), "end": t.end.isoformat(),
            "attendance_pct": fig(t.attendance, 1), "attendance_bands": {b: fig(t.bands[b]) for b in BANDS},
            "fixed_term_exclusion_days": fig(t.fixed_term), "permanent_exclusions": fig(t.permanent),
        } for t in d.terms],
        "exclusions": {"fixed_term_days": fig(d.fixed_term), "permanent": fig(d.permanent)},
        "reduced_timetable": fig(d.reduced_timetable),
        "wellbeing_concerns": fig(d.wellbeing_concerns),
        "interventions": [{
            "kind": i.kind, **fig(i.learners),
            "cost_gbp": None if isinstance(suppress(i.learners.count, threshold), str) else i.cost_pence / 100,
            "pdg_cla_spend_gbp": None if isinstance(suppress(i.learners.count, threshold), str) else i.pdg_cla_pence / 100,
        } for i in d.interventions],
        "spend": {"total_gbp": d.spend_pence.amount / 100, "pdg_cla_gbp": d.pdg_cla_pence.amount / 100},
        "completion_by_school": [{
            "school_id": s.school_id, "school": s.name, "reviews_due": fig(s.due), "on_time": fig(s.on_time),
            "on_time_pct": None if isinstance(suppress(s.due.count, threshold), str) or s.rate is None
            else round(s.rate, 1),
        } for s in d.schools],
        "pdg_cla_funding": None if d.funding is None else funding_json(d.funding, threshold),
    }


def json_text(d: Dashboard, threshold: int = DEFAULT_SUPPRESS_BELOW) -> str:
    return json.dumps(figures_json(d, threshold), ensure_ascii=False, indent=1) + "\n"


def labelled_scope(d: Dashboard, school_name: str | None = None) -> list[tuple[str, str]]:
    """The scope in words, for the report's header: (what, value) pairs."""
    from ..i18n import _
    from .dashboard import year_label

    out = []
    s = d.scope
    if s.school:
        out.append((_("School"), school_name or s.school))
    if s.year_group is not None:
        out.append((_("Year group"), year_label(s.year_group)))
    if s.legal_status:
        out.append((_("Legal status"), model.enum_label("legal_status", s.legal_status)))
    if s.placing_area:
        out.append((_("Placing area"), model.enum_label("placing_area", s.placing_area)))
    if s.language_of_learning:
        out.append((_("Language of learning"), model.enum_label("language_of_learning", s.language_of_learning)))
    return out


def write_report(fmt: str, facts, dashboard, out, threshold: int, school_name: str | None = None) -> None:
    """Writes the report (csv, json or pdf) atomically: the `report` command and the dashboard's Export."""
    from ..files import atomic_file, write_atomically

    if fmt == "csv":
        write_atomically(out, csv_text(facts, dashboard.period, dashboard.today, dashboard.funding))
    elif fmt == "json":
        write_atomically(out, json_text(dashboard, threshold))
    else:
        from .monitoring_pdf import write_pdf

        buffer = io.BytesIO()
        write_pdf(dashboard, buffer, threshold, school_name)
        with atomic_file(out, "wb") as f:
            f.write(buffer.getvalue())
