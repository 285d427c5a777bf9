"""The synthetic demo authority: deterministic, complete, valid, and nothing real in it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from vsm_desktop.demo import names
from vsm_desktop.demo.generator import generate
from vsm_desktop.domain import model
from vsm_desktop.domain.calendar import default_calendar, year_group
from vsm_desktop.domain.model import ImmutableError
from vsm_desktop.store.store import Store

PASSPHRASE = "correct horse battery staple"
TODAY = dt.date(2025, 11, 18)          # a Tuesday in the autumn term
HOLIDAY = dt.date(2025, 8, 11)         # the summer holidays
GUARANTEED = ("Siân", "Gwenllïan", "Dafydd", "Ffion", "Rhys", "Llŷr")


def _store(tmp_path_factory, name: str) -> Store:
    return Store.initialise(tmp_path_factory.mktemp(name) / "demo.vsm", PASSPHRASE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = _store(tmp_path_factory, "demo")
    calls = []
    summary = generate(store, 100, seed=2025, today=TODAY, progress=lambda done, total: calls.append((done, total)))
    yield store, summary, calls
    store.close()


def _everything(store: Store) -> dict[str, list[dict]]:
    return {name: store.all_rows(name) for name in model.ENTITIES}


def test_same_seed_gives_identical_records(tmp_path_factory):
    a, b, c = (_store(tmp_path_factory, n) for n in "abc")
    try:
        generate(a, 15, seed=7, today=HOLIDAY)
        generate(b, 15, seed=7, today=HOLIDAY)
        generate(c, 3, seed=8, today=HOLIDAY)
        rows_a, rows_b = _everything(a), _everything(b)
        assert rows_a == rows_b                      # every row of every table, ids included
        assert sum(len(rows) for rows in rows_a.values()) > 1000
        assert _everything(c)["learners"] != rows_a["learners"][:3]
    finally:
        for s in (a, b, c):
            s.close()


def test_summary_and_progress(demo):
    store, summary, calls = demo
    counts = store.counts()
    assert summary["learners"] == counts["learners"] == 100
    assert summary["schools"] == counts["schools"] >= 12
    assert summary["reviews"] == counts["reviews"] == summary["finalised"] + summary["drafts"]
    assert summary["first_reference"] == "L000001" and summary["last_reference"] == "L000100"
    assert calls[-1] == (100, 100) and [d for d, _t in calls] == sorted(d for d, _t in calls)
    refs = [l["reference"] for l in store.all_rows("learners")]
    assert len(set(refs)) == 100 and all(re.fullmatch(r"L\d{6}", r) for r in refs)


def test_welsh_names_with_diacritics_are_present(demo):
    store, _summary, _calls = demo
    forenames = {l["legal_forename"] for l in store.all_rows("learners")}
    assert set(GUARANTEED) <= forenames
    # The search folds diacritics: "llyr" finds Llŷr.
    assert any(r["legal_forename"] == "Llŷr" for r in store.list_learners(search="llyr", today=TODAY))


def test_no_public_figures(demo):
    store, _summary, _calls = demo
    people = [f"{l['legal_forename']} {l['legal_surname']}" for l in store.all_rows("learners")]
    people += [c["name"] for c in store.all_rows("contacts")]
    assert not [p for p in people if p.casefold() in names.PUBLIC_FIGURES]


def test_every_status_kind_and_medium_present(demo):
    store, _summary, _calls = demo
    learners = store.all_rows("learners")
    schools = store.all_rows("schools")
    assert {l["legal_status"] for l in learners} == set(model.ENUMS["legal_status"])
    assert {"primary", "secondary", "special", "pru", "all_through"} <= {s["kind"] for s in schools}
    assert {s["medium"] for s in schools} == set(model.ENUMS["school_medium"])
    areas = {s["local_authority"] for s in schools}
    assert names.HOME_AUTHORITY in areas and areas & set(names.OTHER_WELSH_AUTHORITIES)
    assert {p["placing_area"] for p in store.all_rows("placements")} == set(model.ENUMS["placing_area"])
    assert {r["review_type"] for r in store.all_rows("reviews")} >= {"initial", "termly", "school_move"}
    assert {l["language_of_learning"] for l in learners} >= {"welsh_medium", "english_medium"}
    for learner in learners:
        dob = dt.date.fromisoformat(learner["date_of_birth"])
        age = TODAY.year - dob.year - ((TODAY.month, TODAY.day) < (dob.month, dob.day))
        assert 3 <= age <= 18
        if learner["legal_status"] == "care_leaver":
            assert 16 <= age <= 18


def test_every_record_passes_validation(demo):
    store, _summary, _calls = demo
    for name, rows in _everything(store).items():
        for row in rows:
            row = dict(row)
            row.pop("id")
            model.validate_record(name, row, TODAY)
            for f in model.entity(name).fields:
                if f.kind == "text":       # every free text says which language it is in
                    assert (row[f.name] is None) == (row[f.name + "_lang"] is None), (name, f.name)


def test_contacts_are_unreachable(demo):
    store, _summary, _calls = demo
    for c in store.all_rows("contacts"):
        assert c["email"].rsplit("@", 1)[1] in ("example.org", "example.net", "example.com")
        assert re.fullmatch(r"07700 900\d{3}|029 2018 0\d{3}|01632 960\d{3}", c["phone"])


def test_learner_voice_is_in_the_learners_language(demo):
    store, _summary, _calls = demo
    preferred = {l["id"]: l["preferred_language"] for l in store.all_rows("learners")}
    reviews = store.all_rows("reviews")
    langs = {r["voice_enjoy_lang"] for r in reviews}
    assert langs == {"cy", "en"}
    for r in reviews:
        assert r["voice_enjoy_lang"] == ("cy" if preferred[r["learner_id"]] == "cy" else "en")
    welsh = [r["voice_enjoy"] for r in reviews if r["voice_enjoy_lang"] == "cy"]
    assert "Dw i'n hoffi pêl-droed a chwarae gyda fy ffrindiau." in {p[0] for p in names.VOICE_ENJOY}
    assert all(text in {p[0] for p in names.VOICE_ENJOY} for text in welsh)


def test_reviews_follow_the_calendar(demo):
    store, _summary, _calls = demo
    cal = default_calendar()
    learners = {l["id"]: l for l in store.all_rows("learners")}
    by_learner: dict[str, list[dict]] = {}
    for r in store.all_rows("reviews"):
        by_learner.setdefault(r["learner_id"], []).append(r)
    for lid, reviews in by_learner.items():
        reviews.sort(key=lambda r: r["period_start"])
        assert len(reviews) <= 9
        assert [r["status"] for r in reviews[:-1]] == ["finalised"] * (len(reviews) - 1)
        learner = learners[lid]
        for prev, r in zip([None] + reviews[:-1], reviews):
            meeting = dt.date.fromisoformat(r["meeting_date"])
            term = cal.term_containing(dt.date.fromisoformat(r["period_start"]))
            assert (term.start.isoformat(), term.end.isoformat()) == (r["period_start"], r["period_end"])
            assert r["next_review_date"] == cal.review_due(meeting).isoformat()
            if r["review_type"] == "initial":
                assert prev is None
                assert r["due_date"] == cal.first_pep_due(dt.date.fromisoformat(learner["date_looked_after"])).isoformat()
            elif r["review_type"] == "termly" and prev is not None:
                assert r["due_date"] == prev["next_review_date"]
            if r["status"] == "finalised":
                assert r["meeting_date"] <= TODAY.isoformat() and r["finalised_at"].startswith(r["meeting_date"])
            assert year_group(dt.date.fromisoformat(learner["date_of_birth"]), term.start) >= -1


def test_drafts_and_overdue_learners(demo):
    store, summary, _calls = demo
    listed = store.list_learners(today=TODAY)
    overdue = sum(r["overdue"] for r in listed)
    assert overdue == summary["overdue"]
    assert 0.04 * 100 <= overdue <= 0.2 * 100
    assert 0.3 * 100 <= summary["drafts"] <= 0.7 * 100


def test_targets_are_carried_forward_and_rated(demo):
    store, _summary, _calls = demo
    targets = {t["id"]: t for t in store.all_rows("targets")}
    reviews = {r["id"]: r for r in store.all_rows("reviews")}
    carried = [t for t in targets.values() if t["carried_from_id"]]
    assert carried
    for t in carried:
        source = targets[t["carried_from_id"]]
        before, after = reviews[source["review_id"]], reviews[t["review_id"]]
        assert before["learner_id"] == after["learner_id"] and before["status"] == "finalised"
        assert before["period_end"] < after["period_start"]
        assert (t["description"], t["responsible"]) == (source["description"], source["responsible"])
        if after["status"] == "finalised":
            assert t["progress"] in ("achieved", "progressing", "not_achieved")
    per_review: dict[str, int] = {}
    for t in targets.values():
        per_review[t["review_id"]] = per_review.get(t["review_id"], 0) + 1
    assert set(per_review.values()) <= {2, 3, 4}


def test_finalised_reviews_are_immutable(demo):
    store, _summary, _calls = demo
    finalised = store.all_rows("reviews", "WHERE status = 'finalised'")
    assert finalised
    review = finalised[0]
    with pytest.raises(ImmutableError):
        store.update("reviews", review["id"], {"strengths": "changed"})
    with pytest.raises(ImmutableError):
        store.create("targets", {"review_id": review["id"], "description": "new", "description_lang": "en"})
    with pytest.raises(ImmutableError):
        store.finalise_review(review["id"])
    attendees = store.children("attendees", review["id"])
    assert attendees and all(a["signed_at"] for a in attendees if a["attendance"] != "apologies")
    assert 3 <= len(attendees) <= 5


def test_filling_an_existing_store(tmp_path_factory):
    store = _store(tmp_path_factory, "fill")
    try:
        first = generate(store, 8, seed=1, today=TODAY)
        schools = store.all_rows("schools")
        second = generate(store, 6, seed=1, today=TODAY)     # the same seed again: new people, new ids
        assert (second["first_reference"], second["last_reference"]) == ("L000009", "L000014")
        assert store.counts()["learners"] == 14
        assert store.all_rows("schools") == schools and second["schools_created"] == 0
        assert first["schools_created"] == len(schools)
        # The designated persons of the reused schools are the same people as before.
        designated = {(c["organisation"], c["name"]) for c in store.all_rows("contacts", "WHERE role = 'designated_person'")}
        assert len({org for org, _name in designated}) == len(designated)
        forenames = [l["legal_forename"] for l in store.all_rows("learners")]
        assert all(forenames.count(n) >= 2 for n in GUARANTEED)
    finally:
        store.close()


def test_early_years_and_post16_learners_with_their_sections(demo):
    """About a fifth of the learners in each of early years and post-16, their reviews filled in
    the sections of their phase; some with alternative provision and reduced timetables."""
    from vsm_desktop.domain.phases import phase_on
    from vsm_desktop.domain.sections import sections_for

    store, _summary, _calls = demo
    learners = {l["id"]: l for l in store.all_rows("learners")}
    phases = [phase_on(dt.date.fromisoformat(l["date_of_birth"]), TODAY) for l in learners.values()]
    assert 0.1 <= phases.count("early_years") / len(phases) <= 0.32
    assert 0.1 <= phases.count("post16") / len(phases) <= 0.32
    seen = {"early_years": 0, "post16": 0, "neet": 0, "alternative_provision": 0, "reduced_timetable": 0}
    for r in store.all_rows("reviews"):
        if r["meeting_date"] > TODAY.isoformat():
            continue
        record = store.learner_record(r["learner_id"])
        review = next(x for x in record["reviews"] if x["id"] == r["id"])
        plan = sections_for(review, record["learner"], enrolments=record["enrolments"])
        # Nothing outside its phase; a transition written down a term early shows as written.
        assert {k for k, why in plan.why.items() if why not in ("always", "phase", "circumstance")} <= {"transition"}
        if plan.phase == "early_years":
            seen["early_years"] += 1
            assert r["ey_key_person"] and r["ey_communication"] and r["progress_summary"] is None
            assert not review["attainments"]
        elif plan.phase == "post16":
            seen["post16"] += 1
            assert r["careers_adviser"] and r["aspiration"] and r["progress_summary"] is None
            if "neet" in plan.circumstances:
                seen["neet"] += 1
                assert r["neet_support"] and r["course_title"] is None
            else:
                assert r["course_title"] and r["course_provider"] and review["qualifications"]
        if "alternative_provision" in plan.circumstances and r["ap_provider"]:
            seen["alternative_provision"] += 1
        if r["reduced_timetable"]:
            seen["reduced_timetable"] += 1
            assert r["rt_hours"] and r["rt_return_plan"]
    assert all(seen.values()), seen
