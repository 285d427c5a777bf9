"""A review's phase from the date of birth and the review's period, and the sections that follow
from the phase and the learner's circumstances (domain/phases.py, domain/sections.py)."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from vsm_desktop.domain import phases as ph
from vsm_desktop.domain.calendar import SchoolCalendar, year_group
from vsm_desktop.domain.sections import sections_for

CAL = SchoolCalendar()
D = dt.date


@pytest.mark.parametrize("dob, on, phase", [
    # Born 31 August: the youngest of their school year; born 1 September: the oldest of the next.
    (D(2021, 8, 31), D(2026, 8, 31), ph.EARLY_YEARS),    # reception (turns 5 in 2026) until its last day
    (D(2021, 8, 31), D(2026, 9, 1), ph.SCHOOL_AGE),      # year 1 from 1 September
    (D(2021, 9, 1), D(2026, 9, 1), ph.EARLY_YEARS),      # a day older in years, a year younger at school
    (D(2021, 9, 1), D(2027, 8, 31), ph.EARLY_YEARS),
    (D(2021, 9, 1), D(2027, 9, 1), ph.SCHOOL_AGE),
    (D(2010, 8, 31), D(2026, 8, 31), ph.SCHOOL_AGE),     # year 11 (turned 16 during it)
    (D(2010, 8, 31), D(2026, 9, 1), ph.POST16),          # the school year in which they turn 17
    (D(2010, 9, 1), D(2026, 9, 1), ph.SCHOOL_AGE),       # turns 17 only in the school year after
    (D(2010, 9, 1), D(2027, 9, 1), ph.POST16),
    (D(2005, 1, 1), D(2026, 10, 1), ph.POST16),          # a care leaver of 21 in education stays post-16
])
def test_phase_across_the_first_of_september(dob, on, phase):
    assert ph.phase_on(dob, on) == phase


@pytest.mark.parametrize("dob, on, phase", [
    (D(2020, 2, 29), D(2025, 8, 31), ph.EARLY_YEARS),   # turned 5 in 2025: reception to 31 August
    (D(2020, 2, 29), D(2025, 9, 1), ph.SCHOOL_AGE),
    (D(2008, 2, 29), D(2024, 8, 31), ph.SCHOOL_AGE),    # year 11: turned 16 on 29 February 2024
    (D(2008, 2, 29), D(2024, 9, 1), ph.POST16),
])
def test_leap_day_birthdays(dob, on, phase):
    assert ph.phase_on(dob, on) == phase


def test_a_leap_day_birthday_falls_on_the_first_of_march_in_a_common_year():
    assert ph.birthday(D(2020, 2, 29), 3) == D(2023, 3, 1)
    assert ph.birthday(D(2020, 2, 29), 4) == D(2024, 2, 29)
    # Early education starts the term after the third birthday: after Easter 2023 for this child.
    start = ph.early_years_from(D(2020, 2, 29), CAL)
    assert start == CAL.next_term(D(2023, 3, 1)).start and start.month == 4


def test_early_years_start_the_term_after_the_third_birthday():
    assert ph.early_years_from(D(2023, 10, 15), CAL) == CAL.terms(2026)[1].start          # January 2027
    assert ph.early_years_from(D(2023, 5, 2), CAL) == CAL.terms(2026)[0].start            # September 2026
    assert ph.early_years_from(D(2023, 1, 20), CAL) == CAL.terms(2025)[2].start           # after Easter 2026


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))


@given(dob=dates, on=dates)
def test_phase_follows_the_year_group(dob, on):
    group = year_group(dob, on)
    phase = ph.phase_on(dob, on)
    assert phase == (ph.EARLY_YEARS if group <= 0 else ph.POST16 if group >= 12 else ph.SCHOOL_AGE)


@given(dob=dates, on=dates)
def test_the_phase_changes_only_on_the_first_of_september(dob, on):
    """Within one school year the phase is the same every day."""
    first = D(on.year if on.month >= 9 else on.year - 1, 9, 1)
    assert ph.phase_on(dob, on) == ph.phase_on(dob, first) == ph.phase_on(dob, D(first.year + 1, 8, 31))


@given(dob=dates, on=dates)
def test_phases_follow_one_another_in_order(dob, on):
    """Never younger a year later: early years, school age, post-16 in that order."""
    later = on + dt.timedelta(days=365)
    assert ph.PHASES.index(ph.phase_on(dob, later)) >= ph.PHASES.index(ph.phase_on(dob, on))


def test_the_review_period_decides_not_the_day_it_is_asked():
    learner = {"date_of_birth": "2010-06-01"}
    review = {"period_start": "2026-04-20", "period_end": "2026-07-17"}
    for today in (D(2026, 5, 1), D(2027, 5, 1), D(2030, 1, 1)):
        assert ph.review_phase(review, learner, today) == ph.SCHOOL_AGE
    assert ph.review_phase({"period_start": "2026-09-01"}, learner) == ph.POST16
    # No period: the day it is asked.
    assert ph.review_phase({}, learner, D(2026, 5, 1)) == ph.SCHOOL_AGE
    assert ph.review_phase({}, learner, D(2026, 10, 1)) == ph.POST16


def test_an_override_wins():
    learner = {"date_of_birth": "2017-03-01"}
    review = {"period_start": "2026-09-01", "phase_override": "post16", "phase_override_reason": "x"}
    assert ph.review_phase(review, learner) == ph.POST16
    assert ph.computed_phase(review, learner) == ph.SCHOOL_AGE


def test_stage_changes_two_terms_ahead():
    dob = D(2015, 1, 10)   # year 6 in 2025/26
    autumn, spring, summer = CAL.terms(2025)
    assert not ph.stage_change_ahead(dob, autumn.start, CAL)
    assert ph.stage_change_ahead(dob, spring.start, CAL)
    assert ph.stage_change_ahead(dob, summer.start, CAL)
    assert not ph.stage_change_ahead(dob, CAL.terms(2026)[1].start, CAL)   # year 7, spring


# --- sections per phase and circumstance ----------------------------------------------------

def _keys(review, learner, enrolments=()):
    return sections_for(review, learner, enrolments=enrolments, calendar=CAL).keys


AUTUMN_2026 = {"period_start": "2026-09-01", "period_end": "2026-12-18", "review_type": "termly"}


def test_early_years_sections_replace_progress_and_attainment():
    keys = _keys(AUTUMN_2026, {"date_of_birth": "2022-11-01"})   # nursery
    assert "development" in keys and "early_years" in keys
    assert "progress" not in keys and "course" not in keys


def test_school_age_sections():
    keys = _keys(AUTUMN_2026, {"date_of_birth": "2017-03-01"})   # year 4
    assert "progress" in keys
    assert not {"development", "early_years", "course", "qualifications", "careers", "neet", "transition"} & set(keys)


def test_post16_sections_replace_the_school_age_ones():
    review = {**AUTUMN_2026, "course_title": "Plumbing level 2", "course_provider": "Coleg Caerdydd a'r Fro"}
    keys = _keys(review, {"date_of_birth": "2009-12-01"})   # year 12
    for key in ("course", "qualifications", "careers", "financial", "aspiration", "neet_risk"):
        assert key in keys
    assert "progress" not in keys and "neet" not in keys


def test_post16_without_a_current_course_shows_not_in_education_employment_or_training():
    learner = {"date_of_birth": "2009-12-01"}
    assert "neet" in _keys(AUTUMN_2026, learner)
    ended = {**AUTUMN_2026, "course_title": "Level 1 construction", "course_end": "2026-07-10"}
    assert "neet" in _keys(ended, learner)
    current = {**AUTUMN_2026, "course_title": "Level 1 construction", "course_end": "2027-07-10"}
    assert "neet" not in _keys(current, learner)


def test_circumstance_sections_appear_when_they_apply():
    learner = {"date_of_birth": "2017-03-01"}
    assert "alternative_provision" in _keys({**AUTUMN_2026, "alternative_provision": "Two days at a farm"}, learner)
    assert "alternative_provision" in _keys({**AUTUMN_2026, "interventions": [{"kind": "alternative_provision"}]}, learner)
    assert "alternative_provision" not in _keys(
        {**AUTUMN_2026, "interventions": [{"kind": "alternative_provision", "deleted": True}]}, learner)
    assert "reduced_timetable" in _keys({**AUTUMN_2026, "reduced_timetable": True}, learner)
    assert "reduced_timetable" not in _keys({**AUTUMN_2026, "reduced_timetable": False}, learner)
    on_enrolment = [{"start_date": "2025-09-01", "end_date": None, "reduced_timetable": True}]
    assert "reduced_timetable" in _keys(AUTUMN_2026, learner, on_enrolment)


def test_transition_when_a_stage_or_school_change_is_near():
    year6 = {"date_of_birth": "2015-01-10"}
    spring = {"period_start": "2026-01-05", "period_end": "2026-03-27", "review_type": "termly"}
    assert "transition" in _keys(spring, year6)
    assert "transition" not in _keys({**spring, "period_start": "2025-09-02"}, year6)
    move = [{"start_date": "2026-04-20", "end_date": None}]
    assert "transition" in _keys({**spring, "period_start": "2025-09-02"}, year6, move)
    assert "transition" in _keys({**AUTUMN_2026, "review_type": "school_move"}, {"date_of_birth": "2017-03-01"})


def test_sections_with_data_always_show_and_the_others_are_offered():
    learner = {"date_of_birth": "2010-06-01"}
    review = {"period_start": "2026-04-20", "period_end": "2026-07-17", "progress_summary": "Steady in maths",
              "review_type": "termly"}
    assert "progress" in _keys(review, learner)
    # The same review read as post-16 (a later period): its school-age data still shows.
    later = {**review, "period_start": "2026-09-01", "period_end": "2026-12-18"}
    plan = sections_for(later, learner, calendar=CAL)
    assert plan.phase == ph.POST16 and plan.why["progress"] == "data" and "course" in plan.keys
    assert "development" in {s.key for s in plan.offered}
    added = {**review, "review_sections": [{"section": "careers", "reason": "Year 11 guidance"}]}
    assert sections_for(added, learner, calendar=CAL).why["careers"] == "added"


# --- the store refuses a section that does not apply; the command line ------------------------

from vsm_desktop.domain.model import ValidationError  # noqa: E402
from vsm_desktop.errors import Refused  # noqa: E402

from conftest import add_learner, add_review, run_cli  # noqa: E402


def test_a_post16_section_on_a_learner_of_9_is_refused_unless_overridden(store):
    learner = add_learner(store, date_of_birth="2017-03-01")      # 9 in autumn 2026
    review = add_review(store, learner)
    with pytest.raises(Refused, match="Course or training"):
        store.set_field("reviews", review, "course_title", "Plumbing")
    with pytest.raises(Refused):
        store.create("qualifications", {"review_id": review, "title": "GCSE Maths", "status": "studying"})
    assert store.get("reviews", review)["course_title"] is None
    assert store.conn.execute("SELECT count(*) FROM qualifications").fetchone()[0] == 0
    # Clearing is never refused; circumstance sections of the phase take a value (and then show).
    store.set_field("reviews", review, "course_title", None)
    store.set_field("reviews", review, "rt_hours", 15.0)
    assert store.section_plan(review).why["reduced_timetable"] == "data"
    # An override needs its reason; with one, the post-16 sections are the review's.
    with pytest.raises(ValidationError, match="phase_override_reason"):
        store.override_phase(review, "post16", "  ")
    store.override_phase(review, "post16", "Attends college full time after a managed move")
    store.set_field("reviews", review, "course_title", "Plumbing")
    plan = store.section_plan(review)
    assert plan.phase == "post16" and plan.computed_phase == "school_age" and "course" in plan.keys
    # Back to the computed phase: the course entered stays, and shows.
    store.override_phase(review, None)
    plan = store.section_plan(review)
    assert plan.phase == "school_age" and plan.why["course"] == "data"
    assert store.get("reviews", review)["course_title"] == "Plumbing"


def test_a_section_added_with_a_reason_takes_values(store):
    learner = add_learner(store, date_of_birth="2011-01-15")      # year 10 in 2026/27
    review = add_review(store, learner)
    with pytest.raises(Refused):
        store.set_field("reviews", review, "careers_adviser", "Ceri Morgan")
    with pytest.raises(ValidationError):
        store.add_section(review, "careers", "")
    store.add_section(review, "careers", "Careers Wales guidance starts in year 10", "en")
    store.set_field("reviews", review, "careers_adviser", "Ceri Morgan")
    assert store.section_plan(review).why["careers"] == "added"


def test_early_years_refuse_school_age_attainment(store):
    learner = add_learner(store, date_of_birth="2022-10-10")      # nursery in 2026/27
    review = add_review(store, learner)
    with pytest.raises(Refused, match="Progress and attainment"):
        store.create("attainments", {"review_id": review, "area": "maths_numeracy", "judgement": "Counts to 5"})
    store.set_field("reviews", review, "ey_key_person", "Nia Evans")
    store.set_field("reviews", review, "ey_funded_hours", 12.5)
    assert store.section_plan(review).keys.index("development") > 0


def test_an_amendment_keeps_everything_the_review_held(store):
    learner = add_learner(store, date_of_birth="2010-06-01")
    review = add_review(store, learner, period_start="2026-09-01")   # post-16
    store.set_field("reviews", review, "course_title", "Level 3 Health and Social Care")
    store.set_field("reviews", review, "meeting_date", "2026-10-01")
    store.finalise_review(review)
    amendment = store.start_amendment(review, "Wrong course level")
    assert store.get("reviews", amendment)["course_title"] == "Level 3 Health and Social Care"


def test_cli_sections_phase_and_the_refusal(store, store_path):
    learner = add_learner(store, date_of_birth="2017-03-01")
    review = add_review(store, learner)
    store.close()
    result = run_cli("set", "--store", store_path, "--review", review[:8], "course_title", "Plumbing")
    assert result.returncode == 7, result.stderr
    assert "Course or training" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("phase", "--store", store_path, "--review", review, "--set", "post16")
    assert result.returncode == 7 and "Why the phase is overridden" in result.stderr
    result = run_cli("phase", "--store", store_path, "--review", review, "--set", "post16",
                     "--reason", "Full-time college place")
    assert result.returncode == 0 and "Post-16" in result.stdout and "School age" in result.stdout
    assert run_cli("set", "--store", store_path, "--review", review, "course_title", "Plumbing").returncode == 0
    result = run_cli("sections", "--store", store_path, "--review", review, "--json")
    assert result.returncode == 0, result.stderr
    import json
    data = json.loads(result.stdout)
    assert data["phase"] == "post16" and data["computed_phase"] == "school_age"
    keys = [s["key"] for s in data["sections"]]
    assert "course" in keys and "progress" not in keys
    assert [s["number"] for s in data["sections"]] == list(range(1, len(keys) + 1))
    result = run_cli("add-section", "--store", store_path, "--review", review, "transition",
                     "--reason", "Moving to a new college in January")
    assert result.returncode == 0, result.stderr
    result = run_cli("--lang", "cy", "sections", "--store", store_path, "--review", review)
    assert result.returncode == 0 and "Pontio" in result.stdout


def test_the_finalise_checklist_follows_the_sections(store):
    from vsm_desktop.domain import lifecycle

    learner = add_learner(store, date_of_birth="2009-12-11")     # year 12, no course yet
    review = add_review(store, learner)
    problems = {p.field for p in lifecycle.finalise_problems(store.learner_record(learner), review)}
    assert "neet_support" in problems and "attendance_pct" not in problems
    store.update("reviews", review, {"course_title": "Level 2 Childcare", "course_provider": "Coleg Gwent"})
    problems = {p.field for p in lifecycle.finalise_problems(store.learner_record(learner), review)}
    assert "attendance_pct" in problems and "neet_support" not in problems
