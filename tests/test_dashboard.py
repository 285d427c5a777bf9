"""The coordinator's figures and the monitoring report, checked against the raw records.

The demo authority's figures are recomputed here from each learner's full record
(`Store.learner_record`) in plain Python, independently of the SQL in `reports/cohort.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from vsm_desktop import i18n
from vsm_desktop.demo.generator import generate
from vsm_desktop.domain.calendar import default_calendar, year_group
from vsm_desktop.errors import UsageError
from vsm_desktop.reports import monitoring
from vsm_desktop.reports.cohort import Period, Scope, load
from vsm_desktop.reports.dashboard import BANDS, compute, from_facts
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, add_learner, add_review, run_cli

TODAY = dt.date(2026, 11, 20)
YEAR = Period(dt.date(2025, 9, 1), dt.date(2026, 8, 31))
DOC_COLUMNS = "docs/monitoring-report.md"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.vsm"
    with Store.initialise(path, PASSPHRASE, author="Test") as store:
        generate(store, 90, seed=11, today=TODAY)
    store = Store.open(path, PASSPHRASE)
    yield store, path
    store.close()


def recompute(store: Store, period: Period, today: dt.date):
    """The figures from the raw records, one learner at a time."""
    start, end = period.start.isoformat(), period.end.isoformat()
    cal = default_calendar()
    soon = cal.add_school_days(today, 20).isoformat()
    out = {"learners": set(), "overdue": set(), "soon": set(), "bands": {b: set() for b in BANDS},
           "concern": set(), "reduced": set(), "due_reviews": 0, "on_time": 0, "late": 0, "missing": 0,
           "fixed_days": 0.0, "permanent": 0, "kinds": {}, "pdg": 0, "ratings": {"red": 0, "amber": 0, "green": 0},
           "red_ids": set(), "first_due": set(), "first_met": set()}
    for (lid,) in store.conn.execute("SELECT id FROM learners"):
        rec = store.learner_record(lid)
        learner = rec["learner"]
        if learner["date_looked_after"] and learner["date_looked_after"] > end:
            continue
        out["learners"].add(lid)
        reviews = rec["reviews"]
        drafts = [r["due_date"] for r in reviews if r["status"] == "draft"]
        final = [r for r in reviews if r["status"] == "finalised"]
        if drafts:
            due = min(drafts)
        elif final:
            due = max(final, key=lambda r: (r["period_end"], r["finalised_at"] or ""))["next_review_date"]
        else:
            due = cal.first_pep_due(dt.date.fromisoformat(learner["date_looked_after"])).isoformat()
        if due < today.isoformat():
            out["overdue"].add(lid)
        elif due <= soon:
            out["soon"].add(lid)
        in_period = [r for r in reviews if r["period_start"] <= end and r["period_end"] >= start]
        attendance = [r["attendance_pct"] for r in in_period if r["attendance_pct"] is not None]
        if attendance:
            mean = round(sum(attendance) / len(attendance), 1)
            out["bands"]["95_plus" if mean >= 95 else "90_95" if mean >= 90 else "below_90"].add(lid)
        if any(r["wellbeing_concern"] for r in in_period):
            out["concern"].add(lid)
        reduced_enrolment = any(e["reduced_timetable"] and e["start_date"] <= end and (e["end_date"] or "9") >= start
                                for e in rec["enrolments"])
        if reduced_enrolment or any(r["reduced_timetable"] for r in in_period):
            out["reduced"].add(lid)
        for r in reviews:
            if start <= r["due_date"] <= min(end, today.isoformat()) and r["review_type"] != "amendment":
                out["due_reviews"] += 1
                if r["status"] != "finalised":
                    out["missing"] += 1
                elif r["meeting_date"] <= r["due_date"]:
                    out["on_time"] += 1
                else:
                    out["late"] += 1
            for x in r["exclusions"]:
                if start <= x["start_date"] <= end:
                    if x["kind"] == "permanent":
                        out["permanent"] += 1
                    else:
                        out["fixed_days"] += x["days"] or 0
        for r in in_period:
            for i in r["interventions"]:
                kind = out["kinds"].setdefault(i["kind"], [0, 0])
                kind[0] += 1
                kind[1] += i["cost_pence"] or 0
                if i["funding"] == "pdg_cla":
                    out["pdg"] += i["cost_pence"] or 0
            if r["quality_ratings"]:
                rating = max(r["quality_ratings"], key=lambda q: q["rated_at"] or "")["rating"]
                out["ratings"][rating] += 1
                if rating == "red":
                    out["red_ids"].add(lid)
        first_due = cal.first_pep_due(dt.date.fromisoformat(learner["date_looked_after"])).isoformat()
        if start <= first_due <= end:
            out["first_due"].add(lid)
            initial = [r["meeting_date"] for r in reviews if r["review_type"] == "initial" and r["status"] == "finalised"]
            if initial and min(initial) <= first_due:
                out["first_met"].add(lid)
    return out


@pytest.mark.parametrize("period", [YEAR, Period(dt.date(2026, 1, 1), dt.date(2026, 11, 20))])
def test_figures_match_an_independent_count_over_the_demo_authority(demo, period):
    store, _path = demo
    d = compute(store, period, today=TODAY)
    want = recompute(store, period, TODAY)
    assert set(d.learners.ids) == want["learners"] and d.learners.count > 50
    assert set(d.overdue.ids) == want["overdue"] and want["overdue"]
    assert set(d.due_soon.ids) == want["soon"]
    assert {b: set(d.bands[b].ids) for b in BANDS} == want["bands"]
    assert all(want["bands"].values())
    assert set(d.wellbeing_concerns.ids) == want["concern"] and want["concern"]
    assert set(d.reduced_timetable.ids) == want["reduced"]
    assert (d.reviews_due.value, d.completed_on_time.value, d.completed_late.value, d.not_completed.value) == (
        want["due_reviews"], want["on_time"], want["late"], want["missing"])
    assert d.reviews_due.value > 0
    assert d.fixed_term.value == pytest.approx(want["fixed_days"])
    assert d.permanent.value == want["permanent"]
    assert sum(t.fixed_term.value for t in d.terms) == pytest.approx(want["fixed_days"])
    assert {i.kind: [i.learners.value, i.cost_pence] for i in d.interventions} == want["kinds"]
    assert d.pdg_cla_pence.value == want["pdg"] > 0
    assert {r: f.value for r, f in d.ratings.items()} == want["ratings"]
    assert {r.learner_id for r in d.red_reviews} == want["red_ids"] == set(d.ratings["red"].ids)
    assert set(d.first_peps_due.ids) == want["first_due"]
    assert set(d.first_peps_on_time.ids) == want["first_met"]


def test_the_overdue_figure_is_the_learner_lists(demo):
    store, _path = demo
    d = compute(store, YEAR, today=TODAY)
    listed = {r["id"] for r in store.list_learners(today=TODAY) if r["overdue"]}
    assert set(d.overdue.ids) == listed & set(d.learners.ids)


def test_scope_narrows_every_figure(demo):
    store, _path = demo
    everyone = load(store, YEAR, today=TODAY)
    school = max({f.school_id for f in everyone}, key=lambda s: sum(f.school_id == s for f in everyone))
    d = compute(store, YEAR, Scope(school=school), today=TODAY)
    expected = {f.id for f in everyone if f.school_id == school}
    assert set(d.learners.ids) == expected and expected
    assert set(d.wellbeing_concerns.ids) <= expected
    for kind, value in (("legal_status", "care_order"), ("placing_area", "out_of_county"),
                        ("language_of_learning", "welsh_medium")):
        d = compute(store, YEAR, Scope(**{kind: value}), today=TODAY)
        assert set(d.learners.ids) == {f.id for f in everyone if getattr(f, kind) == value}
    year = everyone[0].year_group
    d = compute(store, YEAR, Scope(year_group=year), today=TODAY)
    assert set(d.learners.ids) == {f.id for f in everyone
                                   if year_group(dt.date.fromisoformat(f.date_of_birth), YEAR.end) == year}


def test_empty_scope_and_empty_period_are_not_errors(demo):
    store, _path = demo
    d = compute(store, YEAR, Scope(school="no-such-school"), today=TODAY)
    assert d.learners.count == 0 and not d.has_data
    old = compute(store, Period(dt.date(1990, 1, 1), dt.date(1990, 3, 1)), today=TODAY)
    assert not old.has_data
    with pytest.raises(UsageError):
        Period(dt.date(2026, 2, 1), dt.date(2026, 1, 1))


# --- due and overdue across term boundaries and bank holidays --------------------------------

def test_due_soon_counts_school_days_across_the_christmas_holiday(store):
    today = dt.date(2026, 12, 14)
    # 20 school days: four before the holiday, sixteen in the spring term (which starts 5 January).
    edge = dt.date(2027, 1, 26)
    ids = {}
    for n, due in enumerate(("2026-12-11", "2026-12-14", edge.isoformat(), "2027-01-27")):
        lid = add_learner(store, reference=f"L{n:06d}")
        add_review(store, lid, due_date=due, period_start="2026-09-02", period_end="2026-12-18")
        ids[due] = lid
    d = compute(store, Period(dt.date(2026, 9, 1), dt.date(2026, 12, 31)), today=today)
    assert set(d.overdue.ids) == {ids["2026-12-11"]}
    assert set(d.due_soon.ids) == {ids["2026-12-14"], ids[edge.isoformat()]}
    # Reviews due in the period count only up to today: the two due by 14 December.
    assert d.reviews_due.value == 2 and d.not_completed.value == 2


def test_first_pep_deadline_skips_the_may_bank_holiday_and_half_term(store):
    # Looked after on Monday 27 April 2026: 20 school days, without Monday 4 May (a bank holiday)
    # and the half-term week of 25 May, end on Tuesday 2 June.
    met = add_learner(store, reference="L000001", date_looked_after="2026-04-27")
    late = add_learner(store, reference="L000002", date_looked_after="2026-04-27")
    for lid, meeting in ((met, "2026-06-02"), (late, "2026-06-03")):
        rid = add_review(store, lid, review_type="initial", period_start="2026-04-13", period_end="2026-07-17",
                         due_date="2026-06-02", meeting_date=meeting, next_review_date="2026-12-18",
                         meeting_language="en")
        store.finalise_review(rid)
    d = compute(store, Period(dt.date(2026, 4, 1), dt.date(2026, 7, 31)), today=dt.date(2026, 8, 1))
    assert set(d.first_peps_due.ids) == {met, late}
    assert set(d.first_peps_on_time.ids) == {met}
    assert (d.reviews_due.value, d.completed_on_time.value, d.completed_late.value) == (2, 1, 1)
    # Looked after a day later, the deadline (3 June) is met by both.
    d = compute(store, Period(dt.date(2026, 6, 3), dt.date(2026, 6, 3)), today=dt.date(2026, 8, 1))
    assert d.first_peps_due.count == 0


# --- suppression, CSV, JSON -------------------------------------------------------------------

def test_suppression_hides_small_counts_and_what_depends_on_them():
    assert [monitoring.suppress(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert monitoring.suppress(9, threshold=10) == "<10"
    from vsm_desktop.reports.dashboard import Figure

    assert monitoring.suppressed(Figure(("a", "b"), 7.5), 5) == {"learners": "<5", "value": None}
    assert monitoring.suppressed(Figure(tuple("abcdef"), 7.5), 5) == {"learners": 6, "value": 7.5}


def test_json_suppresses_and_lists_no_learner(demo):
    store, _path = demo
    d = compute(store, YEAR, today=TODAY)
    data = monitoring.figures_json(d, threshold=5)
    text = json.dumps(data)
    assert not any(lid in text for lid in d.learners.ids)
    assert data["learners"]["learners"] == d.learners.count
    small = [t for t in d.terms if 0 < t.permanent.count < 5]
    for t in small:
        entry = next(e for e in data["terms"] if e["term"] == t.key)
        assert entry["permanent_exclusions"] == {"learners": "<5", "value": None}
    strict = monitoring.figures_json(d, threshold=1000)
    assert strict["learners"]["learners"] == "<1000"


def test_csv_round_trips_with_the_documented_columns(demo):
    store, _path = demo
    facts = load(store, YEAR, today=TODAY)
    text = monitoring.csv_text(facts, YEAR, TODAY)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(rows[0].keys()) == monitoring.COLUMNS
    assert [r["learner_id"] for r in rows] == [f.id for f in facts]
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / DOC_COLUMNS).read_text(encoding="utf-8")
    csv_part = doc.split("## CSV columns", 1)[1].split("\n## ", 1)[0]
    documented = [line.split("`")[1] for line in csv_part.splitlines() if line.startswith("| `")]
    assert documented == list(monitoring.COLUMNS)
    d = from_facts(facts, YEAR, Scope(), TODAY)
    assert sum(float(r["pdg_cla_spend_gbp"]) for r in rows) == pytest.approx(d.pdg_cla_pence.value / 100)
    assert sum(r["wellbeing_concern"] == "1" for r in rows) == d.wellbeing_concerns.count
    assert {r["attendance_band"] for r in rows} <= set(BANDS) | {""}


def test_report_command_writes_csv_json_and_pdf(demo, tmp_path):
    _store, path = demo
    for fmt in ("csv", "json", "pdf"):
        out = tmp_path / f"report.{fmt}"
        result = run_cli("report", "--store", path, "--from", "2025-09-01", "--to", "2026-08-31",
                         "--format", fmt, "--out", out)
        assert result.returncode == 0, result.stderr
        assert out.exists() and out.stat().st_size > 500
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    figures = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert figures["has_data"] is True


def test_report_over_an_empty_period_says_so(demo, tmp_path):
    _store, path = demo
    out = tmp_path / "empty.csv"
    result = run_cli("report", "--store", path, "--from", "1990-01-01", "--to", "1990-12-31", "--out", out)
    assert result.returncode == 0
    assert "no data for this period" in result.stdout
    empty = run_cli("report", "--store", path, "--from", "2025-09-01", "--to", "2026-08-31",
                    "--legal-status", "adopted", "--year-group", "-5", "--format", "json", "--out", tmp_path / "e.json")
    assert empty.returncode == 0 and "empty" in empty.stdout
    backwards = run_cli("report", "--store", path, "--from", "2026-01-02", "--to", "2026-01-01", "--out", out)
    assert backwards.returncode == 2 and "before it starts" in backwards.stderr
    bad = run_cli("report", "--store", path, "--from", "yesterday", "--to", "2026-01-01", "--out", out)
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_pdf_report_suppresses_small_counts_and_speaks_the_interface_language(demo, tmp_path):
    from pypdf import PdfReader

    _store, path = demo
    out = tmp_path / "adroddiad.pdf"
    result = run_cli("--lang", "cy", "report", "--store", path, "--from", "2025-09-01", "--to", "2026-08-31",
                     "--format", "pdf", "--out", out, "--suppress-below", "10")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert "SWYDDOGOL-SENSITIF" in text and "Coch" in text     # the house footer and labels, in Welsh
    assert "<10" in text
    store = Store.open(path, PASSPHRASE)
    try:
        d = compute(store, YEAR)
    finally:
        store.close()
    assert not any(r.reference in text for r in d.red_reviews)   # no learner named in what leaves


def test_no_csv_cell_runs_as_a_spreadsheet_formula(store):
    """OWASP's CSV injection: a school named like a formula is written as text."""
    from vsm_desktop.files import spreadsheet_safe

    assert spreadsheet_safe("=1+1") == "'=1+1" and spreadsheet_safe("@A1") == "'@A1"
    assert spreadsheet_safe("\t=1") == "'\t=1" and spreadsheet_safe("\r=1") == "'\r=1"
    assert spreadsheet_safe("-12.5") == "-12.5" and spreadsheet_safe(-3) == -3 and spreadsheet_safe("Ysgol") == "Ysgol"
    assert spreadsheet_safe(" =1+1") == "' =1+1" and spreadsheet_safe("-") == "-"
    school = store.create("schools", {"name": "=HYPERLINK(\"http://evil.invalid\")", "medium": "english_medium",
                                      "kind": "primary"})
    learner = add_learner(store, "L000001")
    store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2024-09-02"})
    facts = load(store, YEAR, today=TODAY)
    rows = list(csv.DictReader(io.StringIO(monitoring.csv_text(facts, YEAR, TODAY).lstrip("\ufeff"))))
    assert rows[0]["school"] == "'=HYPERLINK(\"http://evil.invalid\")"


def test_terms_to_date_the_current_term_schools_worst_first_and_named_red_reviews(demo):
    from vsm_desktop.reports.dashboard import name_red_reviews, term_label_for

    store, _path = demo
    period = Period(dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    today = dt.date(2026, 2, 10)   # in the spring term: summer has not started
    d = compute(store, period, today=today)
    assert [t.name for t in d.terms] == ["autumn", "spring", "summer"]
    assert [t.name for t in d.terms_so_far()] == ["autumn", "spring"]
    assert [d.is_current(t) for t in d.terms] == [False, True, False]
    assert term_label_for(today) == "Spring 2026" and term_label_for(dt.date(2026, 8, 10)) is None
    worst = d.schools_worst_first()
    assert [s.rate for s in worst] == sorted(s.rate for s in d.schools if s.rate is not None)
    assert d.red_reviews and not any(r.name for r in d.red_reviews)   # the report's figures name nobody
    name_red_reviews(store, d)
    for r in d.red_reviews:
        learner = store.get("learners", r.learner_id)
        assert r.name == f"{learner['preferred_name'] or learner['legal_forename']} {learner['legal_surname']}"
        rating = store.conn.execute(
            "SELECT rated_by, rated_at FROM quality_ratings WHERE review_id = ? AND coalesce(deleted, 0) = 0"
            " ORDER BY rated_at DESC LIMIT 1", (r.review_id,)).fetchone()
        assert (r.rated_by, r.rated_at) == tuple(rating)


def test_pdf_charts_show_what_the_dashboard_shows(demo, tmp_path):
    """Terms to date with the current one marked, schools worst first with whole names and the
    average: the same as the app's charts (test_app_dashboard)."""
    from pypdf import PdfReader

    from vsm_desktop.reports.monitoring_pdf import CHART_SCHOOLS, write_pdf

    store, _path = demo
    d = compute(store, Period(dt.date(2025, 9, 1), dt.date(2026, 8, 31)), today=dt.date(2026, 2, 10))
    out = tmp_path / "report.pdf"
    with out.open("wb") as f:
        write_pdf(d, f, 5)
    text = " ".join((page.extract_text() or "") for page in PdfReader(out).pages)
    flat = " ".join(text.split())
    assert "Spring 2026 (this term)" in flat and "Autumn 2025" in flat
    assert "Summer 2026" not in flat   # a term still to come is not drawn as 0
    charted = [s for s in d.schools_worst_first() if s.due.count >= 5][:CHART_SCHOOLS]
    assert charted and all(s.name in flat for s in charted)
    assert "Average " + i18n.format_percent(d.completion_rate(), 0) in flat
    # In the chart itself (not only the table): every name whole, on one or two lines.
    from reportlab.graphics.shapes import String

    from vsm_desktop.reports.monitoring_pdf import _hbar_chart

    long_name = "Ysgol Gymraeg Gyfun Cwm Rhymni ac Ysgol Uwchradd Bro Edern"
    drawing = _hbar_chart("t", [(long_name, 40.0, "40%"), ("Westfield School", 90.0, "90%")], 100, (70.0, "Average 70%"))
    texts = [c.text for c in drawing.contents if isinstance(c, String)]
    assert " ".join(t for t in texts if t in long_name) == long_name and "Westfield School" in texts


def test_first_pep_deadlines_by_bisection_are_the_calendars_in_any_order_of_asking():
    # The figures find 20 school days on by bisection in a list of school days that grows both
    # ways as dates are asked (`cohort.SchoolDays`): the same days as walking the calendar,
    # whatever order the dates come in, with an authority's own terms and closures too.
    import random

    from vsm_desktop.domain.calendar import SchoolCalendar, calendar_from_json
    from vsm_desktop.reports.cohort import SchoolDays

    authority = calendar_from_json({"terms": {"2026": [
        {"name": "autumn", "start": "2026-09-01", "end": "2026-12-18", "half_term": ["2026-10-26", "2026-10-30"]},
        {"name": "spring", "start": "2027-01-05", "end": "2027-03-26", "half_term": ["2027-02-15", "2027-02-19"]}]},
        "closures": ["2026-09-01", "2027-01-05", "2026-12-17"]})
    days = [dt.date(2024, 6, 1) + dt.timedelta(days=i) for i in range(0, 1300, 3)]
    random.Random(4).shuffle(days)
    for calendar in (SchoolCalendar(), authority):
        school_days = SchoolDays(calendar)
        for day in days:
            assert school_days.after(day, 20) == calendar.first_pep_due(day), day
        assert school_days.after(dt.date(2026, 12, 16), 1) == calendar.add_school_days(dt.date(2026, 12, 16), 1)
